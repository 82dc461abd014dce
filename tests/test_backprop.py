"""nn.backprop in plain NumPy: the document's formulas (S9–S17) against the document's own
scalar equations written out by hand, and against central finite differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import Net, close, networks

from nn import backprop as bp


def cross_entropy_from_logits(u_out: np.ndarray, labels: np.ndarray) -> float:
    """Σ_s ln Σ_j e^(u^(j)_s) − u^(label_s)_s, the cross-entropy of softmax(u) from the
    logits (shifted by each column's max), finite even where softmax underflows to 0."""
    top = u_out.max(axis=0)
    return sum(top[s] + np.log(np.exp(u_out[:, s] - top[s]).sum()) - u_out[k, s]
               for s, k in enumerate(labels))


def E_of(net: Net, W: list, b: list, loss: str) -> float:
    u, y = bp.forward(W, b, net.f, net.x)
    if loss == "cross_entropy":
        return cross_entropy_from_logits(u[-1], net.labels)
    return bp.error(y[-1], net.t)


def finite_difference(fn, array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar fn() with respect to each entry of array (in place)."""
    grad = np.zeros_like(array)
    for i in np.ndindex(array.shape):
        saved = array[i]
        array[i] = saved + eps
        up = fn()
        array[i] = saved - eps
        down = fn()
        array[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


# ------------------------------------------------------------ the document's 3-3-3 example

def test_three_three_three_example_matches_the_scalar_equations():
    """S11–S16 on one sample of a 3-3-3 sigmoid network, element by element as the
    document writes them: y_l^(j) = f(Σ_i w_l^(ji) y_{l−1}^(i) + b_l^(j)),
    δ_k^(j) = (y_k^(j) − t^(j)) y_k^(j)(1 − y_k^(j)), δ_l^(i) = Σ_j w_{l+1}^(ji) δ_{l+1}^(j) ·
    y_l^(i)(1 − y_l^(i)), ∂E/∂w_l^(ji) = δ_l^(j) y_{l−1}^(i)."""
    W1 = [[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6], [0.7, -0.8, 0.9]]
    W2 = [[0.3, -0.1, 0.2], [0.5, 0.4, -0.3], [-0.2, 0.6, 0.1]]
    b1, b2 = [0.1, -0.2, 0.3], [-0.1, 0.2, 0.0]
    x, t = [1.0, 0.5, -1.0], [1.0, 0.0, 0.5]

    def S(v):
        return 1 / (1 + np.exp(-v))

    y1 = [S(sum(W1[j][i] * x[i] for i in range(3)) + b1[j]) for j in range(3)]
    y2 = [S(sum(W2[j][i] * y1[i] for i in range(3)) + b2[j]) for j in range(3)]
    d2 = [(y2[j] - t[j]) * y2[j] * (1 - y2[j]) for j in range(3)]
    d1 = [sum(W2[j][i] * d2[j] for j in range(3)) * y1[i] * (1 - y1[i]) for i in range(3)]
    dW1 = [[d1[j] * x[i] for i in range(3)] for j in range(3)]
    dW2 = [[d2[j] * y1[i] for i in range(3)] for j in range(3)]

    W = [None, np.array(W1), np.array(W2)]
    b = [None, np.array(b1)[:, None], np.array(b2)[:, None]]
    f = [None, "sigmoid", "sigmoid"]
    u, y = bp.forward(W, b, f, np.array(x)[:, None])
    delta = bp.deltas(W, f, u, y, np.array(t)[:, None])
    dW, db = bp.gradients(delta, y)

    np.testing.assert_allclose(y[2][:, 0], y2, rtol=1e-14)
    np.testing.assert_allclose(delta[2][:, 0], d2, rtol=1e-13)
    np.testing.assert_allclose(delta[1][:, 0], d1, rtol=1e-13)
    np.testing.assert_allclose(dW[1], dW1, rtol=1e-13)
    np.testing.assert_allclose(dW[2], dW2, rtol=1e-13)
    np.testing.assert_allclose(db[1][:, 0], d1, rtol=1e-13)
    assert u[0] is None and delta[0] is None and dW[0] is None and db[0] is None
    assert y[0].shape == (3, 1) and db[2].shape == (3, 1)


# ------------------------------------------------------------ finite differences

@given(networks(hidden=("sigmoid", "tanh", "relu", "identity", "softmax")))
def test_parameter_gradients_equal_finite_differences(net):
    """S16 for element-wise and softmax layers anywhere, half-sum loss (S12)."""
    u, y = bp.forward(net.W, net.b, net.f, net.x)
    dW, db = bp.gradients(bp.deltas(net.W, net.f, u, y, net.t), y)
    for l in range(1, len(net.W)):
        W = [None] + [w.copy() for w in net.W[1:]]
        fd_W = finite_difference(lambda W=W: E_of(net, W, net.b, "half_sum"), W[l])
        fd_b = finite_difference(lambda W=W: E_of(net, W, net.b, "half_sum"), net.b[l])
        assert close(dW[l], fd_W, 1e-5), (l, dW[l], fd_W)
        assert close(db[l], fd_b, 1e-5), (l, db[l], fd_b)


@given(networks(output="softmax", loss="cross_entropy"))
def test_cross_entropy_gradients_equal_finite_differences(net):
    """δ_k = y_k − t for softmax + cross-entropy, and S15/S16 below it."""
    u, y = bp.forward(net.W, net.b, net.f, net.x)
    dW, db = bp.gradients(bp.deltas(net.W, net.f, u, y, net.t, "cross_entropy"), y)
    for l in range(1, len(net.W)):
        fd_W = finite_difference(lambda: E_of(net, net.W, net.b, "cross_entropy"), net.W[l])
        fd_b = finite_difference(lambda: E_of(net, net.W, net.b, "cross_entropy"), net.b[l])
        assert close(dW[l], fd_W, 1e-5) and close(db[l], fd_b, 1e-5)


@given(networks(hidden=("sigmoid", "tanh", "relu", "identity", "softmax")))
def test_deltas_are_the_derivative_of_E_with_respect_to_u(net):
    """S13: δ_l = ∂E/∂u_l, by perturbing u_l and running the rest of the network."""
    u, y = bp.forward(net.W, net.b, net.f, net.x)
    delta = bp.deltas(net.W, net.f, u, y, net.t)
    L = len(net.W) - 1
    for l in range(1, L + 1):
        u_l = u[l].copy()

        def E_from_u(l=l, u_l=u_l):
            y_m = bp.activate(net.f[l], u_l)
            for m in range(l + 1, L + 1):
                y_m = bp.activate(net.f[m], net.W[m] @ y_m + net.b[m])
            return bp.error(y_m, net.t)

        assert close(delta[l], finite_difference(E_from_u, u_l), 1e-5), l


@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_softmax_jacobian_equals_finite_differences(units, batch, seed):
    """S10: ∂y/∂u of softmax is diag(y) − y yᵀ for each sample (column)."""
    u = 3 * np.random.default_rng(seed).standard_normal((units, batch))
    J = bp.softmax_jacobian(bp.activate("softmax", u))
    assert J.shape == (batch, units, units)
    for s in range(batch):
        for j in range(units):
            col = u[:, s].copy()
            fd = finite_difference(lambda j=j, col=col: bp.activate("softmax", col[:, None])[j, 0],
                                   col)
            np.testing.assert_allclose(J[s, j], fd, atol=1e-8)
    np.testing.assert_allclose(np.diagonal(J, axis1=1, axis2=2).T,
                               bp.softmax_jacobian_diagonal(bp.activate("softmax", u)))


@pytest.mark.parametrize("name", bp.ELEMENTWISE)
@given(u=st.floats(-8, 8).filter(lambda v: abs(v) > 1e-3))
def test_elementwise_derivatives_equal_finite_differences(name, u):
    """S9/S10: f'(u) written from the output y equals (f(u + ε) − f(u − ε)) / 2ε."""
    u = np.array([[u]])
    fd = (bp.activate(name, u + 1e-6) - bp.activate(name, u - 1e-6)) / 2e-6
    np.testing.assert_allclose(bp.derivative(name, u, bp.activate(name, u)), fd, atol=1e-8)


def test_activations_do_not_overflow_for_large_inputs():
    u = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]]).T
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = bp.activate("sigmoid", u)
        s = bp.activate("softmax", u)
    np.testing.assert_allclose(y[:, 0], [0.0, np.exp(-50) / (1 + np.exp(-50)), 0.5,
                                         1 / (1 + np.exp(-50)), 1.0], rtol=1e-15)
    np.testing.assert_allclose(s[:, 0], [0, 0, 0, 0, 1], atol=1e-300)


# ------------------------------------------------------------ S17 and bookkeeping

@given(networks(), st.floats(0.01, 1.0))
def test_sgd_step_subtracts_eta_times_the_gradient_and_keeps_inputs(net, eta):
    """S17: W_l := W_l − η δ_l y_{l−1}ᵀ, b_l := b_l − η δ_l, as new lists; the batch's
    gradient is the sum of one outer product δ_l y_{l−1}ᵀ per sample (column)."""
    u, y = bp.forward(net.W, net.b, net.f, net.x)
    delta = bp.deltas(net.W, net.f, u, y, net.t)
    dW, db = bp.gradients(delta, y)
    W_before = [None] + [w.copy() for w in net.W[1:]]
    new_W, new_b = bp.sgd_step(net.W, net.b, dW, db, eta)
    assert new_W[0] is None and new_b[0] is None
    for l in range(1, len(net.W)):
        outer = sum(np.outer(delta[l][:, s], y[l - 1][:, s]) for s in range(net.x.shape[1]))
        np.testing.assert_array_equal(net.W[l], W_before[l])
        np.testing.assert_allclose(new_W[l], W_before[l] - eta * outer)
        np.testing.assert_allclose(new_b[l], net.b[l] - eta * delta[l].sum(axis=1)[:, None])


@given(networks(output="softmax", loss="cross_entropy"))
def test_error_is_the_documented_sum(net):
    """S12 and cross-entropy, summed over outputs and samples."""
    u, y = bp.forward(net.W, net.b, net.f, net.x)
    half = sum(0.5 * (net.t[j, s] - y[-1][j, s]) ** 2
               for j in range(net.t.shape[0]) for s in range(net.t.shape[1]))
    assert bp.error(y[-1], net.t) == pytest.approx(half, rel=1e-12)
    ce = cross_entropy_from_logits(u[-1], net.labels)
    assume(y[-1][net.labels, np.arange(len(net.labels))].min() > 1e-300)  # not subnormal
    assert bp.error(y[-1], net.t, "cross_entropy") == pytest.approx(ce, rel=1e-9, abs=1e-12)


def test_cross_entropy_is_infinite_not_nan_where_a_labelled_output_underflows():
    y = bp.activate("softmax", np.array([[0.0, 0.0], [-800.0, 0.0]]))  # y[1, 0] == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bp.error(y, bp.one_hot(np.array([0, 0]), 2), "cross_entropy") == pytest.approx(
            np.log(2))
        assert bp.error(y, bp.one_hot(np.array([1, 0]), 2), "cross_entropy") == np.inf


def test_one_hot_puts_a_one_in_each_labelled_row():
    np.testing.assert_array_equal(bp.one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        bp.one_hot(np.array([3]), 3)
    with pytest.raises(ValueError, match="-1"):
        bp.one_hot(np.array([-1]), 3)


# ------------------------------------------------------------ errors

W2 = [None, np.ones((3, 2)), np.ones((1, 3))]
b2 = [None, np.zeros((3, 1)), np.zeros((1, 1))]


@pytest.mark.parametrize(("W", "b", "f", "x", "message"), [
    (W2, b2, [None, "tanh", "sigmoid"], np.ones(2), r"\(units, batch\).*\(2,\)"),
    (W2, b2, [None, "tanh", "sigmoid"], np.ones((3, 4)), r"W\[1\].*\(units in 1, 3\).*\(3, 2\)"),
    (W2, [None, np.zeros(3), b2[2]], [None, "tanh", "sigmoid"], np.ones((2, 1)),
     r"b\[1\].*\(3, 1\).*\(3,\)"),
    (W2, b2, [None, "tanh", "swish"], np.ones((2, 1)), "swish.*sigmoid, tanh"),
    (W2, b2, ["tanh", "tanh", "sigmoid"], np.ones((2, 1)), r"f\[0\] must be None"),
    (W2, b2[:2], [None, "tanh", "sigmoid"], np.ones((2, 1)), "lengths 3, 2, 3"),
])
def test_forward_rejects_malformed_networks(W, b, f, x, message):
    with pytest.raises(ValueError, match=message):
        bp.forward(W, b, f, x)


def test_deltas_rejects_bad_loss_targets_and_cross_entropy_without_softmax():
    f = [None, "tanh", "sigmoid"]
    u, y = bp.forward(W2, b2, f, np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"'hinge'.*half_sum, cross_entropy"):
        bp.deltas(W2, f, u, y, np.ones((1, 4)), loss="hinge")
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(1, 4\)"):
        bp.deltas(W2, f, u, y, np.ones((4, 1)))
    with pytest.raises(ValueError, match=r"softmax output.*'sigmoid'"):
        bp.deltas(W2, f, u, y, np.ones((1, 4)), loss="cross_entropy")


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(ValueError, match=r"not element-wise.*softmax_jacobian"):
        bp.derivative("softmax", np.zeros((2, 1)), np.full((2, 1), 0.5))
