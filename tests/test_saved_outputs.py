"""Every op that saves its own output for backward (S9, S10: eˣ, σ, tanh, √, softmax, …)
refuses a backward once that output was changed in place, by each route the README names:
``y.data -= …``, ``y -= …`` under ``no_grad``, ``y.data[...] = …`` then ``y.mark_changed()``.
PyTorch raises there too; without the check backward would use the new values silently.

Which ops save their output is found, not listed: an op saves it when an array its node
keeps for backward (``saved``) shares memory with its result. The catalogue below must make
every ``Function`` subclass, so a new op cannot be missed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from nn import functional as F
from tests.strategies import positive_arrays

# One call per op, on x of shape (2, 3) with entries in [0.2, 3]; its last op is the one named.
CATALOGUE = {
    "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(), "relu": lambda x: x.relu(),
    "erf": lambda x: ag.ops.erf(x), "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "hardtanh": lambda x: F.hardtanh(x), "elu": lambda x: F.elu(x), "gelu": lambda x: F.gelu(x),
    "silu": lambda x: F.silu(x), "softplus": lambda x: F.softplus(x),
    "logsigmoid": lambda x: F.logsigmoid(x), "softmax": lambda x: F.softmax(x, 1),
    "log_softmax": lambda x: F.log_softmax(x, 1),
    "add": lambda x: x + 1.0, "sub": lambda x: x - 1.0, "mul": lambda x: x * 2.0,
    "div": lambda x: x / 2.0, "pow": lambda x: x ** 3.0,
    "maximum": lambda x: ag.maximum(x, 1.0), "minimum": lambda x: ag.minimum(x, 1.0),
    "floordiv": lambda x: x // 0.3, "mod": lambda x: x % 0.3, "neg": lambda x: -x,
    "abs": lambda x: abs(x), "clip": lambda x: x.clip(0.5, 2.0),
    "where": lambda x: ag.where(x > 1.0, x, 0.0),
    "exp": lambda x: x.exp(), "log": lambda x: x.log(), "sqrt": lambda x: x.sqrt(),
    "log2": lambda x: x.log2(), "log10": lambda x: x.log10(), "exp2": lambda x: x.exp2(),
    "rsqrt": lambda x: x.rsqrt(),
    "getitem": lambda x: x[0], "take_along_axis": lambda x: x.gather(1, np.array([[2], [0]])),
    "scatter_add": lambda x: ag.ops.scatter_add(x, (slice(None), slice(None)), (2, 3)),
    "matmul": lambda x: x @ np.ones((3, 2)), "linear": lambda x: ag.ops.linear(x, x[:1]),
    "reshape": lambda x: x.reshape(3, 2), "transpose": lambda x: x.T,
    "broadcast_to": lambda x: ag.broadcast_to(x, (2, 2, 3)),
    "concatenate": lambda x: ag.concatenate([x, x]), "astype": lambda x: x.astype(np.float32),
    "sum": lambda x: x.sum(1), "mean": lambda x: x.mean(1), "max": lambda x: x.max(),
    "min": lambda x: x.min(), "prod": lambda x: x.prod(1), "logsumexp": lambda x: x.logsumexp(1),
    "norm": lambda x: x.norm(axis=1), "cumsum": lambda x: x.cumsum(1),
    "floor": lambda x: x.floor(), "ceil": lambda x: x.ceil(), "round": lambda x: x.round(),
    "sin": lambda x: x.sin(), "cos": lambda x: x.cos(),
    "cross_entropy": lambda x: F.cross_entropy(x, np.array([0, 2])),
    "dropout": lambda x: ag.ops.dropout.dropout(x, 0.5),
}

ROUTES = ["y.data -= c", "y -= c under no_grad", "y.data[...] = v; y.mark_changed()"]


def all_functions():
    seen, stack = set(), [ag.Function]
    while stack:
        cls = stack.pop()
        seen.add(cls)
        stack.extend(cls.__subclasses__())
    return seen


def saves_output(y) -> bool:
    """Whether an array y's node keeps for its backward is y's own array (or a view of it)."""
    return any(isinstance(a, np.ndarray) and np.shares_memory(a, y.data)
               for a in y.grad_fn.saved or ())


def change_in_place(y, route: str) -> None:
    if route == "y.data -= c":
        y.data -= 0.5
    elif route == "y -= c under no_grad":
        with ag.no_grad():
            y -= 0.5
    else:
        y.data[...] = 0.25
        y.mark_changed()


def make(name, values):
    x = ag.Tensor(values, requires_grad=True)
    ag.manual_seed(0)
    y = CATALOGUE[name](x)
    assert y.grad_fn is not None and y.grad_fn.name == name, (name, y.grad_fn)
    return x, y


def test_the_catalogue_makes_every_op():
    ops = {cls.name for cls in all_functions()  # the library's (tests define their own)
           if cls.name != "function" and cls.__module__.startswith(("autograd.", "nn."))}
    assert ops <= set(CATALOGUE), sorted(ops - set(CATALOGUE))


def test_the_ops_named_in_the_readme_are_found_saving_their_output():
    # the finder itself: S9 and S10's ops save y (sigmoid: y(1 − y), tanh: 1 − y², eˣ: y)
    values = np.linspace(0.2, 3.0, 6).reshape(2, 3)
    found = {name for name in CATALOGUE if saves_output(make(name, values)[1])}
    assert {"exp", "sigmoid", "tanh", "sqrt", "softmax"} <= found, found


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", sorted(CATALOGUE))
@settings(max_examples=10, deadline=None)
@given(values=positive_arrays((2, 3)), create_graph=st.booleans())
def test_an_op_refuses_backward_once_its_saved_output_changed_in_place(name, route, values,
                                                                       create_graph):
    x, y = make(name, values)
    if not saves_output(y):
        return
    change_in_place(y, route)
    with pytest.raises(RuntimeError, match=f"output of {name}\\b.*changed in place"):
        y.sum().backward(create_graph=create_graph)
    assert x.grad is None  # refused before any gradient reached x


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_without_a_change_every_op_backpropagates(name, create_graph):
    # the other side of the property: the check does not refuse an untouched output
    x, y = make(name, np.linspace(0.2, 3.0, 6).reshape(2, 3))
    y.sum().backward(create_graph=create_graph)
    assert x.grad is not None and x.grad.shape == (2, 3)


@pytest.mark.parametrize("route", ROUTES)
def test_the_issue_example_raises_instead_of_a_wrong_gradient(route):
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    change_in_place(y, route)
    with pytest.raises(RuntimeError, match="exp"):
        y.sum().backward()
