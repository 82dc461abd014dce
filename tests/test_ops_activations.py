"""Activations — tanh, sigmoid, relu, leaky_relu, elu, gelu, silu, softplus, logsigmoid,
hardtanh — and softmax / log-softmax (S9, S10): values against NumPy written out
independently, gradients against central differences, second derivatives where the
function is smooth, PyTorch's choices at the kinks, no overflow for huge inputs, float32
kept, and softmax's full Jacobian, its 0-d and empty-axis cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from finite_differences import (
    check_op,
    grad_of,
    numpy_softmax,
    smooth_function_tests,
)
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, nonzero_arrays, shapes

import autograd as ag
from autograd.ops import log_softmax, softmax
from nn import functional as F

erf = np.vectorize(math.erf)


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ---------------------------------------------------------------- element-wise
UNARY = [
    ("tanh", ag.tanh, np.tanh, arrays),
    ("sigmoid", ag.sigmoid, np_sigmoid, arrays),
    ("relu", ag.relu, lambda x: np.maximum(x, 0), nonzero_arrays),
]


@pytest.mark.parametrize(("name", "fn", "ref", "domain"), UNARY, ids=[u[0] for u in UNARY])
@given(data=st.data(), shape=shapes())
def test_unary_function(name, fn, ref, domain, data, shape):
    check_op(fn, data.draw(domain(shape)), ref=ref)


def test_sigmoid_saturates_without_overflow():
    with np.errstate(over="raise"):
        y = ag.sigmoid(ag.Tensor([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(y.data, [0.0, 0.5, 1.0])


SMOOTH = {
    # name: (our function, NumPy reference, strategy for the input)
    "elu": (lambda t: F.elu(t, alpha=0.7),
            lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1)), nonzero_arrays(shapes())),
    "gelu": (F.gelu, lambda x: x * 0.5 * (1 + erf(x / np.sqrt(2))), arrays(shapes(), -3, 3)),
    "silu": (F.silu, lambda x: x * np_sigmoid(x), arrays(shapes(), -4.0, 4.0)),
    "softplus": (lambda t: F.softplus(t, beta=2.0),
                 lambda x: np.log1p(np.exp(2 * x)) / 2, arrays(shapes(), -4.0, 4.0)),
    "logsigmoid": (F.logsigmoid, lambda x: np.log(np_sigmoid(x)), arrays(shapes(), -5, 5)),
}


test_smooth_function_values_and_gradients, test_smooth_function_second_derivatives = (
    smooth_function_tests(SMOOTH))


PIECEWISE_LINEAR = {
    "leaky_relu": (lambda t: F.leaky_relu(t, 0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    "hardtanh": (lambda t: F.hardtanh(t, -0.5, 1.5), lambda x: np.clip(x, -0.5, 1.5)),
}


@pytest.mark.parametrize("name", PIECEWISE_LINEAR)
@given(x=arrays(shapes(), -3.0, 3.0).filter(
    lambda x: np.all(np.abs(x) > 0.01) and np.all(np.abs(x + 0.5) > 0.01)
    and np.all(np.abs(x - 1.5) > 0.01)))
def test_piecewise_linear_activations_away_from_their_kinks(name, x):
    fn, reference = PIECEWISE_LINEAR[name]
    check_op(fn, x, ref=reference)


def test_relu_derivative_at_zero_is_zero():
    np.testing.assert_array_equal(grad_of(ag.relu, [-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])


def test_activation_derivatives_at_the_kinks_are_pytorchs():
    """leaky_relu'(0) = slope, hardtanh' = 0 at the bounds, elu'(0) = α: PyTorch's
    choices (torch's own outputs compared in test_activations_match_pytorch)."""
    x = ag.Tensor([-1.0, 0.0, 1.0], requires_grad=True)
    F.leaky_relu(x, 0.1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.1, 0.1, 1.0])
    x.grad = None
    F.hardtanh(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])
    x.grad = None
    F.elu(x, alpha=2.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, [2 * np.exp(-1), 2.0, 1.0])


def test_activations_are_finite_for_huge_inputs():
    x = ag.Tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is fine
        for fn in (F.softplus, F.logsigmoid, F.silu, F.elu, F.gelu):
            y = fn(x)
            y.sum().backward()
            assert np.all(np.isfinite(y.data)) and np.all(np.isfinite(x.grad.data)), fn
            x.grad = None
    np.testing.assert_allclose(F.softplus(x).data, [0.0, np.log(2), 1000.0])
    np.testing.assert_allclose(F.logsigmoid(x).data, [-1000.0, -np.log(2), 0.0])


def test_activations_match_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    tf = torch.nn.functional
    x = np.array([-30.0, -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.2, 15.0, 25.0])
    pairs = [
        (lambda t: F.leaky_relu(t, 0.2), lambda t: tf.leaky_relu(t, 0.2)),
        (lambda t: F.elu(t, 1.5), lambda t: tf.elu(t, 1.5)),
        (F.gelu, tf.gelu), (F.silu, tf.silu), (F.logsigmoid, tf.logsigmoid),
        (lambda t: F.softplus(t, 0.5, 10.0), lambda t: tf.softplus(t, 0.5, 10.0)),
        (lambda t: F.hardtanh(t, -2.0, 1.0), lambda t: tf.hardtanh(t, -2.0, 1.0)),
    ]
    for ours, theirs in pairs:
        a = ag.Tensor(x, requires_grad=True)
        b = torch.tensor(x, requires_grad=True)
        ya, yb = ours(a), theirs(b)
        np.testing.assert_allclose(ya.data, yb.detach().numpy(), rtol=1e-12, atol=1e-15)
        ya.sum().backward()
        yb.sum().backward()
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["elu", "gelu", "silu", "softplus", "logsigmoid",
                                  "leaky_relu", "hardtanh"])
def test_activation_keeps_float32(name):
    x = ag.Tensor(np.array([-1.0, 0.5], dtype=np.float32), requires_grad=True)
    y = getattr(F, name)(x)
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


# ---------------------------------------------------------------- softmax and log-softmax
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


@pytest.mark.parametrize("fn, value", [(F.softmax, 1.0), (F.log_softmax, 0.0)])
def test_softmax_of_a_number_as_pytorch(fn, value):
    x = ag.Tensor(3.0, requires_grad=True)
    for axis in (0, -1):
        y = fn(x, axis=axis)
        assert y.shape == () and y.item() == value
    y.backward()
    assert x.grad.item() == 0.0
    with pytest.raises(ValueError, match="out of range"):
        fn(x, axis=1)


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax])
@pytest.mark.parametrize("shape, axis", [((2, 0), 1), ((0, 3), 0), ((0, 3), 1)])
def test_softmax_over_an_empty_axis_is_empty(fn, shape, axis):
    x = ag.Tensor(np.zeros(shape), requires_grad=True)
    y = fn(x, axis=axis)
    assert y.shape == shape
    y.sum().backward()
    assert x.grad.shape == shape
