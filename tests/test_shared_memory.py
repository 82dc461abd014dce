"""Tensors that share memory share its in-place changes: a view (``reshape``, ``t[1:]``,
``transpose``, ``view``) or ``detach()`` of a tensor an op kept for its backward, changed
in place, makes backward refuse — as PyTorch's views share their base's version counter —
while a change to a copy (``clone()``) leaves the gradient exact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag

# Ways to reach the memory of a (2, 3) tensor through another tensor object.
SHARING = {
    "detach": lambda t: t.detach(),
    "reshape": lambda t: t.detach().reshape(6),
    "view": lambda t: t.detach().view(3, 2),
    "transpose": lambda t: t.detach().T,
    "row slice": lambda t: t.detach()[1:],
    "column slice": lambda t: t.detach()[:, ::2],
}

# In-place changes, each made outside any recorded graph.
CHANGES = {
    "+=": lambda v: v.__iadd__(1.0),
    "*=": lambda v: v.__imul__(2.0),
    "add_": lambda v: v.add_(1.0),
    "fill_": lambda v: v.fill_(7.0),
    "zero_": lambda v: v.zero_(),
    "setitem": lambda v: v.__setitem__(0, 5.0),
}


def product_loss(w: ag.Tensor, c: ag.Tensor) -> ag.Tensor:
    """Σ w·c: mul keeps both inputs' arrays (∂/∂w = c, ∂/∂c = w)."""
    return (w * c).sum()


values = st.lists(st.floats(-3, 3), min_size=6, max_size=6).map(
    lambda xs: np.array(xs).reshape(2, 3))


@settings(max_examples=15, deadline=None)
@given(w=values, c=values, sharing=st.sampled_from(sorted(SHARING)),
       change=st.sampled_from(sorted(CHANGES)), leaf=st.sampled_from(["w", "c"]))
def test_a_change_through_shared_memory_is_refused(w, c, sharing, change, leaf):
    w = ag.Tensor(w, requires_grad=True)
    c = ag.Tensor(c)
    loss = product_loss(w, c)
    with ag.no_grad():
        CHANGES[change](SHARING[sharing](w if leaf == "w" else c))
    with pytest.raises(RuntimeError, match=r"mul.*changed in place.*sharing its memory"):
        loss.backward()
    assert w.grad is None  # refused before any gradient reached w


@settings(max_examples=15, deadline=None)
@given(w=values, c=values, change=st.sampled_from(sorted(CHANGES)))
def test_a_change_to_a_copy_leaves_the_gradient_exact(w, c, change):
    c_before = c.copy()
    w = ag.Tensor(w, requires_grad=True)
    c = ag.Tensor(c)
    loss = product_loss(w, c)
    with ag.no_grad():
        CHANGES[change](c.clone())
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, c_before)  # ∂Σw·c/∂w = c, as it was


def test_a_saved_output_changed_through_a_detached_tensor_is_refused():
    # S9/S10's ops read their saved output y; exp: ∂eˣ/∂x = y
    x = ag.Tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()
    loss = (y + 3.0).sum()  # add keeps no array: only exp reads y
    with ag.no_grad():
        y.detach().mul_(2.0)
    with pytest.raises(RuntimeError, match=r"output of exp\b.*changed in place"):
        loss.backward()


def test_memory_changed_before_the_op_used_it_is_no_reason_to_refuse():
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    c = ag.Tensor([3.0, 4.0])
    c.detach().add_(1.0)  # before the graph exists
    product_loss(w, c).backward()
    np.testing.assert_array_equal(w.grad.data, [4.0, 5.0])


def test_training_steps_that_update_parameters_in_place_still_run():
    # the optimizer changes parameters in place after each backward: each step's new
    # graph is made after the change, so nothing is refused
    w = ag.Tensor([1.0, -2.0], requires_grad=True)
    optimizer = ag.optim.SGD([w], lr=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        (w * w).sum().backward()
        optimizer.step()
    np.testing.assert_allclose(w.data, np.array([1.0, -2.0]) * 0.8 ** 3)
