"""NumPy functions on tensors go through the graph (or refuse): ufuncs record our ops,
reductions, dot and concatenate keep the graph, an ndarray on the left of an operator gives
a Tensor, NumPy's *_like constructors give constants, and what has no gradient in autograd
refuses with a message naming the NumPy function."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import autograd as ag


def test_numpy_reductions_dot_and_concatenate_keep_the_graph():
    a = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = ag.Tensor([0.5, -1.0], requires_grad=True)
    total = (np.sum(a) + np.mean(a * a) + np.dot(a, b).sum()
             + np.concatenate([a.reshape(-1), b]).sum() + np.std(b))
    assert isinstance(total, ag.Tensor)
    total.backward()
    # ∂/∂a: 1 + 2a/4 + b (each row of a·b) + 1;  ∂/∂b: Σ_rows a + 1 + ∂std/∂b
    np.testing.assert_allclose(a.grad.data, 2 + a.data / 2 + b.data)
    centred = b.data - b.data.mean()
    np.testing.assert_allclose(b.grad.data, a.data.sum(axis=0) + 1
                               + centred / (2 * np.sqrt(np.mean(centred ** 2))))


@pytest.mark.parametrize("call", [
    lambda t: np.cumprod(t), lambda t: np.sort(t), lambda t: np.diff(t),
])
def test_an_unmapped_numpy_function_on_a_grad_tensor_refuses(call):
    with pytest.raises(TypeError, match=r"np\.\w+: has no gradient in autograd"):
        call(ag.Tensor([3.0, 1.0, 2.0], requires_grad=True))
    assert isinstance(call(ag.Tensor([3.0, 1.0, 2.0])), np.ndarray)  # without grad: runs


def test_numpy_matrix_norms_other_than_frobenius_refuse():
    m = ag.Tensor([[3.0, 0.0], [0.0, 4.0]], requires_grad=True)
    assert np.linalg.norm(m).item() == 5.0 and np.linalg.norm(m, "fro").item() == 5.0
    np.testing.assert_allclose(np.linalg.norm(m, 1, axis=0).data, [3.0, 4.0])
    with pytest.raises(TypeError, match=r"np\.linalg\.norm: the matrix norm ord=2"):
        np.linalg.norm(m, 2)


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv,
                                operator.pow, operator.matmul])
def test_ndarray_on_the_left_gives_a_tensor(op):
    t = ag.Tensor(np.array([0.5, 1.0, 2.0]), requires_grad=True)
    out = op(np.ones(3), t)
    assert type(out) is ag.Tensor
    assert out.requires_grad
    np.testing.assert_allclose(out.data, op(np.ones(3), t.data))


@pytest.mark.parametrize("ufunc", [np.exp, np.log, np.sqrt, np.tanh, np.negative, np.abs])
def test_numpy_ufunc_on_a_tensor_records_the_op(ufunc):
    t = ag.Tensor([0.5, 2.0], requires_grad=True)
    out = ufunc(t)
    assert type(out) is ag.Tensor and out.grad_fn is not None
    np.testing.assert_allclose(out.data, ufunc(t.data))


@pytest.mark.parametrize("ufunc, method", [
    (np.sin, "sin"), (np.cos, "cos"), (np.log2, "log2"), (np.exp2, "exp2"),
    (np.floor, "floor"), (np.square, "square"), (np.reciprocal, "reciprocal"),
])
def test_numpy_ufuncs_on_tensors_record_our_ops(ufunc, method):
    t = ag.Tensor([0.5, 1.5], requires_grad=True)
    out = ufunc(t)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, getattr(t, method)().data)


def test_numpy_like_constructors_on_grad_tensors_give_constants():
    t = ag.Tensor([1.0, 2.0], requires_grad=True)
    for made in (np.zeros_like(t), np.ones_like(t)):
        assert isinstance(made, ag.Tensor) and not made.requires_grad
