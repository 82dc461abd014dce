"""The fused ops that nn builds on: linear (u = x Wᵀ + b, S11) and softmax / log-softmax
(S10), against NumPy written out here and central finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, shapes

import autograd as ag
from autograd.ops import linear, log_softmax, softmax
from autograd.ops.losses import cross_entropy


def numpy_softmax(a: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@given(data=st.data(), batch=shapes(min_dims=0, max_dims=2, max_side=3),
       n_in=st.integers(1, 4), n_out=st.integers(1, 4), bias=st.booleans())
def test_linear_equals_x_times_w_transposed_plus_b(data, batch, n_in, n_out, bias):
    x = data.draw(arrays((*batch, n_in)))
    w = data.draw(arrays((n_out, n_in)))
    if bias:
        b = data.draw(arrays((n_out,)))
        check_op(linear, x, w, b, ref=lambda x, w, b: x @ w.T + b)
    else:
        check_op(lambda x, w: linear(x, w), x, w, ref=lambda x, w: x @ w.T)


def test_linear_second_derivatives_equal_finite_differences():
    rng = np.random.default_rng(3)
    x = ag.Tensor(rng.normal(size=(4, 3)))
    w = ag.Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    b = ag.Tensor(rng.normal(size=2), requires_grad=True)

    def weight_gradient(w, b):
        loss = (linear(x, w, b).tanh() ** 2).sum()
        return ag.grad(loss, [w, b], create_graph=True)[0]

    assert ag.gradcheck(weight_gradient, [w, b])


def test_linear_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"linear.*\(2, 3\).*\(4, 5\)"):
        linear(ag.Tensor(np.ones((4, 5))), ag.Tensor(np.ones((2, 3))))


@given(data=st.data(), shape=shapes(min_dims=1, max_dims=3, max_side=4))
def test_softmax_and_log_softmax_equal_numpy_and_finite_differences(data, shape):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    a = data.draw(arrays(shape, lo=-5.0, hi=5.0))
    check_op(lambda t: softmax(t, axis), a, ref=lambda x: numpy_softmax(x, axis))
    check_op(lambda t: log_softmax(t, axis), a, ref=lambda x: np.log(numpy_softmax(x, axis)))


@given(st.lists(st.floats(-1000, 1000), min_size=1, max_size=6))
def test_softmax_is_finite_and_sums_to_one_for_large_inputs(values):
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y = softmax(ag.Tensor(values)).data
        log_y = log_softmax(ag.Tensor(values)).data
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(log_y))
    assert np.isclose(y.sum(), 1.0)


def test_softmax_backward_is_the_full_jacobian_not_its_diagonal():
    """S10: ∂E/∂a = (diag(y) − y yᵀ) G, which differs from the element-wise (y − y²) G."""
    a = ag.Tensor([0.3, -1.2, 2.0], requires_grad=True)
    g = np.array([1.0, -2.0, 0.5])
    y = softmax(a)
    y.backward(g)
    p = numpy_softmax(a.data, 0)
    np.testing.assert_allclose(a.grad.data, (np.diag(p) - np.outer(p, p)) @ g, rtol=1e-12)
    assert not np.allclose(a.grad.data, (p - p * p) * g)


def test_softmax_second_derivatives_equal_finite_differences():
    a = ag.Tensor(np.random.default_rng(1).normal(size=(2, 4)), requires_grad=True)
    weights = np.arange(8.0).reshape(2, 4)
    for op in (softmax, log_softmax):
        assert ag.gradcheck(
            lambda a, op=op: ag.grad((op(a) ** 2 * weights).sum(), a, create_graph=True)[0], [a])


@given(data=st.data(), n=st.integers(1, 5), classes=st.integers(1, 5),
       reduction=st.sampled_from(["mean", "sum"]))
def test_cross_entropy_equals_numpy_and_finite_differences(data, n, classes, reduction):
    z = data.draw(arrays((n, classes)))
    labels = np.array(data.draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))

    def numpy_loss(z):
        losses = -np.log(numpy_softmax(z, 1)[np.arange(n), labels])
        return losses.mean() if reduction == "mean" else losses.sum()

    check_op(lambda z: cross_entropy(z, labels, reduction), z, ref=numpy_loss)


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n():
    z = ag.Tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)
    cross_entropy(z, np.array([1, 2])).backward()
    onehot = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(z.grad.data, (numpy_softmax(z.data, 1) - onehot) / 2)  # S10


def test_cross_entropy_second_derivatives_equal_finite_differences():
    rng = np.random.default_rng(4)
    z = ag.Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    labels = np.array([0, 3, 1])

    def gradient(z):
        return ag.grad(cross_entropy(z, labels) * 3.0, z, create_graph=True)[0] ** 2

    assert ag.gradcheck(gradient, [z])


def test_nn_cross_entropy_is_one_node_that_says_what_it_is_made_of():
    import nn.functional as F
    z = ag.Tensor(np.ones((2, 3)), requires_grad=True)
    (step,) = ag.explain(F.cross_entropy(z, [0, 2])).steps
    assert step.op == "cross_entropy" and "softmax" in step.formula and "S10" in step.formula
