"""Activations (S1, S3, S9, S10) and losses (S12, cross-entropy, BCE, hinge) against NumPy
written out independently, and their gradients against finite differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from nn import functional as F


def floats(shape, lo=-5.0, hi=5.0):
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi))


any_shape = hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)
matrices = hnp.array_shapes(min_dims=2, max_dims=2, max_side=5)


@st.composite
def logits_and_labels(draw):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    logits = draw(floats((n, c)))
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return logits, labels


# ----------------------------------------------------------------- activations
@given(floats(any_shape, -30, 30))
def test_elementwise_activations_match_numpy(x):
    np.testing.assert_allclose(F.sigmoid(x).data, 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(F.tanh(x).data, np.tanh(x), rtol=1e-12)
    np.testing.assert_array_equal(F.relu(x).data, np.where(x > 0, x, 0))
    np.testing.assert_array_equal(F.identity(x).data, x)


def test_sigmoid_is_silent_and_exact_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = F.sigmoid(ag.Tensor([-1000.0, -40.0, 0.0, 40.0, 1000.0])).data
    assert y[0] == 0.0 and y[-1] == 1.0 and y[2] == 0.5
    assert y[1] == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_sign_and_step_conventions_at_zero():
    x = np.array([-2.0, -0.0, 0.0, 3.0])
    np.testing.assert_array_equal(F.sign(x).data, [-1, 0, 0, 1])      # S3: 0 at 0, as NumPy
    np.testing.assert_array_equal(F.step(x).data, [0, 1, 1, 1])       # S1: fires at 0
    assert F.step(np.array([-1, 0, 2])).dtype == ag.get_default_dtype()


def test_sign_and_step_are_constants():
    x = ag.Tensor([0.5, -1.0], requires_grad=True)
    for f in (F.sign, F.step):
        out = f(x)
        assert not out.requires_grad and out.grad_fn is None


@given(floats(matrices, -50, 50))
def test_softmax_matches_numpy_and_rows_sum_to_one(x):
    e = np.exp(x)
    np.testing.assert_allclose(F.softmax(x).data, e / e.sum(axis=1, keepdims=True), rtol=1e-10)
    np.testing.assert_allclose(F.softmax(x).data.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(F.log_softmax(x).data,
                               x - np.log(e.sum(axis=1, keepdims=True)), atol=1e-10)
    np.testing.assert_allclose(F.softmax(x, axis=0).data.sum(axis=0), 1.0, rtol=1e-12)


@given(floats(matrices, -3, 3), st.sampled_from([1e3, -1e3, 1e6, 1e300]))
def test_softmax_is_stable_for_huge_inputs(x, shift):
    with warnings.catch_warnings():
        warnings.simplefilter("error")    # no overflow in exp
        probabilities, logs = F.softmax(x + shift).data, F.log_softmax(x + shift).data
    # softmax(x + c) = softmax(x): the reference is NumPy's naive formula on the input as
    # rounded by the shift, (x + c) − c, which is small enough not to overflow
    rounded = (x + shift) - shift
    e = np.exp(rounded)
    np.testing.assert_allclose(probabilities, e / e.sum(axis=1, keepdims=True), rtol=1e-9)
    np.testing.assert_allclose(logs, rounded - np.log(e.sum(axis=1, keepdims=True)),
                               atol=1e-9)


@given(floats(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), -3, 3), st.data())
def test_softmax_and_log_softmax_gradients(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    w = np.random.default_rng(0).normal(size=x.shape)     # weights make the check non-trivial
    t = ag.Tensor(x, requires_grad=True)
    assert ag.gradcheck(lambda t: F.softmax(t, axis) * w, [t])
    assert ag.gradcheck(lambda t: F.log_softmax(t, axis) * w, [t])


def test_softmax_gradient_is_the_full_jacobian_not_the_diagonal():
    # S10: the document's y − y² is only the diagonal of diag(y) − y yᵀ
    x = ag.Tensor([1.0, 2.0, 0.5], requires_grad=True)
    y = F.softmax(x)
    y[0].backward()
    s = y.data
    np.testing.assert_allclose(x.grad.data, s[0] * (np.eye(3)[0] - s), rtol=1e-12)


def test_softmax_axis_out_of_range():
    with pytest.raises(ValueError, match=r"softmax: axis 2 .*\(2, 3\)"):
        F.softmax(np.zeros((2, 3)), axis=2)


# ----------------------------------------------------------------------- losses
@given(any_shape.flatmap(lambda s: st.tuples(floats(s), floats(s))))
def test_mse_loss_reductions(pair):
    y, t = pair
    squared = (y - t) ** 2
    np.testing.assert_allclose(F.mse_loss(y, t).data, squared.mean(), rtol=1e-12)
    np.testing.assert_allclose(F.mse_loss(y, t, "sum").data, squared.sum(), rtol=1e-12)
    # S12: E = ½ Σ (t − y)²
    np.testing.assert_allclose(F.mse_loss(y, t, "half_sum").data,
                               0.5 * np.sum((t - y) ** 2), rtol=1e-12)


def test_half_sum_gradient_is_y_minus_t():
    # the starting point of S14: ∂E/∂y = y − t
    y = ag.Tensor([0.2, 0.9, -1.0], requires_grad=True)
    t = np.array([1.0, 0.0, 0.5])
    F.mse_loss(y, t, reduction="half_sum").backward()
    np.testing.assert_allclose(y.grad.data, y.data - t)


@given(logits_and_labels())
def test_cross_entropy_matches_numpy(pair):
    z, c = pair
    n = len(c)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    per_row = -np.log(p[np.arange(n), c])
    np.testing.assert_allclose(F.cross_entropy(z, c).data, per_row.mean(), rtol=1e-10)
    np.testing.assert_allclose(F.cross_entropy(z, c, "sum").data, per_row.sum(), rtol=1e-10)


@given(logits_and_labels())
def test_cross_entropy_gradient_is_softmax_minus_onehot(pair):
    z, c = pair
    k = z.shape[1]
    logits = ag.Tensor(z, requires_grad=True)
    F.cross_entropy(logits, c, reduction="sum").backward()
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(logits.grad.data, p - np.eye(k)[c], atol=1e-12)
    assert ag.gradcheck(lambda t: F.cross_entropy(t, c), [ag.Tensor(z, requires_grad=True)])


def test_cross_entropy_is_finite_for_huge_logits_and_takes_one_sample():
    z = np.array([[1000.0, -1000.0, 0.0]])
    assert F.cross_entropy(z, [0]).item() == pytest.approx(0.0, abs=1e-12)
    assert F.cross_entropy(z, [1]).item() == pytest.approx(2000.0)
    assert F.cross_entropy(z[0], 2).item() == pytest.approx(1000.0)


@pytest.mark.parametrize("labels, pattern", [
    ([0, 3], r"\[0, 2\].*\[3\]"),
    ([-1, 0], r"\[-1\]"),
    ([0.0, 1.0], "integers.*float64"),
    ([0, 1, 1], r"shape \(2,\).*\(3,\)"),
])
def test_cross_entropy_rejects_bad_labels(labels, pattern):
    with pytest.raises(ValueError, match=pattern):
        F.cross_entropy(np.zeros((2, 3)), np.array(labels))


@given(any_shape.flatmap(lambda s: st.tuples(floats(s, 0.01, 0.99), floats(s, 0, 1))))
def test_binary_cross_entropy_matches_numpy(pair):
    p, t = pair
    expected = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    np.testing.assert_allclose(F.binary_cross_entropy(p, t).data, expected.mean(), rtol=1e-10)
    np.testing.assert_allclose(F.binary_cross_entropy(p, t, "sum").data, expected.sum(),
                               rtol=1e-10)
    assert ag.gradcheck(lambda q: F.binary_cross_entropy(q, t),
                        [ag.Tensor(p, requires_grad=True)], atol=1e-4)


def test_binary_cross_entropy_clips_certain_mistakes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = F.binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    assert np.isfinite(loss.item()) and loss.item() == pytest.approx(-np.log(np.finfo(float).eps))


@given(any_shape.flatmap(lambda s: st.tuples(floats(s, -20, 20), floats(s, 0, 1))))
def test_bce_with_logits_matches_numpy_and_its_gradient_is_sigmoid_minus_t(pair):
    z, t = pair
    s = 1 / (1 + np.exp(-z))
    expected = -(t * np.log(s) + (1 - t) * np.log1p(-s))
    np.testing.assert_allclose(F.binary_cross_entropy_with_logits(z, t, "sum").data,
                               expected.sum(), rtol=1e-7, atol=1e-9)
    logits = ag.Tensor(z, requires_grad=True)
    F.binary_cross_entropy_with_logits(logits, t, "sum").backward()
    np.testing.assert_allclose(logits.grad.data, s - t, atol=1e-12)


def test_bce_with_logits_at_zero_and_at_extremes():
    z = ag.Tensor([0.0, 800.0, -800.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, np.array([1.0, 0.0, 1.0]), "sum")
    assert loss.item() == pytest.approx(np.log(2) + 1600.0)
    loss.backward()
    np.testing.assert_allclose(z.grad.data, [-0.5, 1.0, -1.0])


@given(any_shape.flatmap(lambda s: st.tuples(
    floats(s, -3, 3), hnp.arrays(np.int64, s, elements=st.sampled_from([-1, 1])))))
def test_hinge_loss_matches_numpy(pair):
    s, y = pair
    expected = np.maximum(0, 1 - y * s)
    np.testing.assert_allclose(F.hinge_loss(s, y).data, expected.mean(), rtol=1e-12)
    np.testing.assert_allclose(F.hinge_loss(s, y, "sum").data, expected.sum(), rtol=1e-12)


def test_hinge_loss_gradient_away_from_the_kink():
    s = ag.Tensor([0.3, -2.0, 2.0], requires_grad=True)
    F.hinge_loss(s, np.array([1, 1, 1]), "sum").backward()
    np.testing.assert_array_equal(s.grad.data, [-1.0, -1.0, 0.0])


@pytest.mark.parametrize("loss, args, pattern", [
    (F.mse_loss, (np.zeros((3, 1)), np.zeros(3)), r"\(3, 1\) and \(3,\)"),
    (F.hinge_loss, (np.zeros(2), np.array([1, 0])), r"-1 or \+1, got \[0\]"),
    (F.binary_cross_entropy, (np.array([2.0]), np.array([1.0])), "with_logits"),
    (F.binary_cross_entropy, (np.array([0.5]), np.array([1.5])), r"t \(targets\)"),
    (F.cross_entropy, (np.zeros((2, 2, 2)), np.array([0, 1])), r"\(2, 2, 2\)"),
])
def test_losses_reject_bad_inputs(loss, args, pattern):
    with pytest.raises(ValueError, match=pattern):
        loss(*args)


@pytest.mark.parametrize("loss, args, valid", [
    (F.mse_loss, (np.zeros(2), np.zeros(2)), "mean, sum, half_sum"),
    (F.cross_entropy, (np.zeros((1, 2)), [0]), "mean, sum"),
    (F.binary_cross_entropy, (np.zeros(2), np.zeros(2)), "mean, sum"),
    (F.binary_cross_entropy_with_logits, (np.zeros(2), np.zeros(2)), "mean, sum"),
    (F.hinge_loss, (np.zeros(2), np.ones(2)), "mean, sum"),
])
def test_unknown_reduction_lists_the_valid_ones(loss, args, valid):
    with pytest.raises(ValueError, match=f"unknown reduction 'avg'; valid: {valid}"):
        loss(*args, reduction="avg")


def test_cross_entropy_of_an_empty_batch_is_an_error_not_nan():
    with pytest.raises(ValueError, match=r"cross_entropy.*\(0, 3\)"):
        F.cross_entropy(ag.Tensor(np.zeros((0, 3))), np.zeros(0, dtype=int))
