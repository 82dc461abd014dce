"""Custom Functions written PyTorch's way (static ``forward(ctx, …)`` and ``backward(ctx,
grad)``, ``ctx.save_for_backward``, ``ctx.saved_tensors``) run in the engine like our own
ops: their gradients match finite differences (S13's chain rule through a user's rule)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd as ag


class Cube(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x * x


class ScaledSum(ag.Function):
    """Two tensors and a number in, as ``torch.autograd.Function`` takes them."""

    @staticmethod
    def forward(ctx, a, b, k):
        ctx.k = k
        return (a + b) * k

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.k if ctx.needs_input_grad[0] else None,
                grad * ctx.k if ctx.needs_input_grad[1] else None, None)


values = arrays(np.float64, st.integers(1, 5), elements=st.floats(-3, 3))


@given(values)
def test_a_pytorch_style_function_passes_gradcheck(data):
    x = ag.Tensor(data, requires_grad=True)
    assert ag.gradcheck(lambda t: Cube.apply(t) * 2.0, [x])
    (Cube.apply(x) * 2.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * data * data)


@given(values, st.floats(-2, 2))
def test_constants_and_needs_input_grad_as_in_pytorch(data, k):
    a = ag.Tensor(data, requires_grad=True)
    b = ag.Tensor(data * 2)  # needs no gradient: ctx.needs_input_grad[1] is False
    out = ScaledSum.apply(a, b, k)
    assert out.grad_fn.needs_input_grad == (True, False, False)
    out.sum().backward()
    np.testing.assert_allclose(a.grad.data, np.full_like(data, k))
    assert b.grad is None


def test_the_node_is_named_after_the_class_and_drawn_as_one_op():
    x = ag.Tensor([1.0, -2.0], requires_grad=True, name="x")
    y = Cube.apply(x)
    assert y.grad_fn.name == "cube"
    assert "cube" in ag.draw(y.sum()).source


def test_saved_tensors_are_freed_by_backward_and_a_second_pass_names_retain_graph():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()


def test_a_wrong_number_of_gradients_names_the_class():
    class Broken(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, grad):
            return grad

    a = ag.Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"Broken\.backward: returned 1 gradients for 2"):
        Broken.apply(a, a).sum().backward()


def test_create_graph_records_the_users_backward():
    x = ag.Tensor([0.5, -1.5], requires_grad=True)
    (g,) = ag.grad(Cube.apply(x).sum(), x, create_graph=True)  # 3x², as a graph
    np.testing.assert_allclose(g.data, 3 * x.data ** 2)
    (h,) = ag.grad(g.sum(), x)  # 6x: through the saved input
    np.testing.assert_allclose(h.data, 6 * x.data)
