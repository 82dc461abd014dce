"""The fused cross-entropy op (S10) against NumPy and central differences (second
derivatives too), and the losses as PyTorch users call them: nll_loss, one_hot,
cross_entropy with reduction="none", label_smoothing, probability targets and
ignore_index, and reduction="none" for the other losses — values against NumPy written
out, gradients against central differences, and against PyTorch where it is installed."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op, numpy_softmax
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays

import autograd as ag
from autograd.ops.losses import cross_entropy
from nn import functional as F


def np_log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@st.composite
def logits_and_labels(draw, ignored=False):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    z = draw(arrays((n, c), -3.0, 3.0))
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    if ignored:
        drop = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        drop[0] = False  # at least one row counts, else the mean is 0/0
        labels = np.where(drop, -100, labels)
    return z, labels


# ---------------------------------------------------------------- the fused op
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


# ---------------------------------------------------------------- options, as PyTorch
@given(pair=logits_and_labels(), smoothing=st.sampled_from([0.0, 0.1, 0.5, 1.0]))
def test_cross_entropy_none_and_label_smoothing_per_row(pair, smoothing):
    z, c = pair
    n, classes = z.shape
    log_p = np_log_softmax(z)

    def reference(z_):
        lp = np_log_softmax(z_)
        return -((1 - smoothing) * lp[np.arange(n), c] + smoothing / classes * lp.sum(axis=1))

    out = check_op(lambda t: F.cross_entropy(t, c, reduction="none", label_smoothing=smoothing),
                   z, ref=reference)
    assert out.shape == (n,)
    if smoothing == 0:
        np.testing.assert_allclose(out.data, -log_p[np.arange(n), c], rtol=1e-12)


@given(pair=logits_and_labels(ignored=True))
def test_ignore_index_rows_count_for_nothing(pair):
    z, c = pair
    kept = c != -100
    rows = np.flatnonzero(kept)
    check_op(lambda t: F.cross_entropy(t, c), z,
             ref=lambda z_: -np_log_softmax(z_)[rows, c[rows]].mean())
    check_op(lambda t: F.nll_loss(t, c, reduction="sum"), z,
             ref=lambda z_: -z_[rows, c[rows]].sum())
    per_row = F.cross_entropy(z, c, reduction="none").data
    assert np.all(per_row[~kept] == 0)


@given(z=arrays((3, 4), -3.0, 3.0), t=arrays((3, 4), 0.0, 1.0),
       smoothing=st.sampled_from([0.0, 0.2]))
def test_cross_entropy_with_probability_targets(z, t, smoothing):
    t = t / np.maximum(t.sum(axis=1, keepdims=True), 1e-3)
    t = np.clip(t, 0, 1)
    smoothed = (1 - smoothing) * t + smoothing / 4
    check_op(lambda a: F.cross_entropy(a, t, label_smoothing=smoothing), z,
             ref=lambda z_: -(smoothed * np_log_softmax(z_)).sum(axis=1).mean())


def test_one_hot_targets_give_the_same_loss_as_labels():
    z = np.array([[1.0, -2.0, 0.5], [0.3, 0.3, 2.0]])
    labels = np.array([2, 0])
    targets = F.one_hot(labels, 3)
    assert targets.dtype == np.int64
    np.testing.assert_array_equal(targets.data, [[0, 0, 1], [1, 0, 0]])
    assert F.one_hot(np.array([[1], [0]])).shape == (2, 1, 2)  # classes from the labels
    np.testing.assert_allclose(F.cross_entropy(z, targets.astype(np.float64)).data,
                               F.cross_entropy(z, labels).data, rtol=1e-12)


def test_nll_loss_of_log_softmax_is_cross_entropy():
    z = ag.Tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]], requires_grad=True)
    labels = np.array([1, 2])
    F.nll_loss(F.log_softmax(z, axis=1), labels).backward()
    via_nll = z.grad.data.copy()
    z.grad = None
    F.cross_entropy(z, labels).backward()
    np.testing.assert_allclose(via_nll, z.grad.data, rtol=1e-12)


def test_a_single_row_with_reduction_none_is_a_scalar():
    assert F.cross_entropy(np.array([0.0, 1.0]), 1, reduction="none").shape == ()
    assert F.nll_loss(np.log([0.25, 0.75]), 1, reduction="none").item() == pytest.approx(
        -np.log(0.75))


@pytest.mark.parametrize("loss", [F.binary_cross_entropy, F.binary_cross_entropy_with_logits,
                                  F.mse_loss])
def test_reduction_none_keeps_every_entry(loss):
    p = np.array([[0.2, 0.7], [0.9, 0.5]])
    t = np.array([[0.0, 1.0], [1.0, 0.0]])
    per_entry = loss(p, t, reduction="none")
    assert per_entry.shape == (2, 2)
    np.testing.assert_allclose(per_entry.data.mean(), loss(p, t).data, rtol=1e-12)
    np.testing.assert_allclose(per_entry.data.sum(), loss(p, t, reduction="sum").data,
                               rtol=1e-12)


@pytest.mark.parametrize("call, pattern", [
    (lambda: F.one_hot(np.array([0.0, 1.0])), "one_hot: labels must be integers"),
    (lambda: F.one_hot(np.array([0, 3]), 3), r"one_hot: .*\[3\]"),
    (lambda: F.cross_entropy(np.zeros((2, 3)), [0, 1], label_smoothing=1.5),
     "cross_entropy: label_smoothing"),
    (lambda: F.cross_entropy(np.zeros((1, 2)), np.array([[0.5, 1.5]])),
     r"cross_entropy: probability targets must lie in \[0, 1\]"),
    (lambda: F.nll_loss(np.zeros((2, 3)), [0, -1]), r"nll_loss: .*\[-1\]"),
])
def test_loss_argument_errors_name_the_function(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_cross_entropy_options_match_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    rng = np.random.default_rng(0)
    z = rng.standard_normal((6, 4))
    labels = np.array([0, 3, -100, 1, 2, -100])
    probabilities = rng.dirichlet(np.ones(4), size=6)
    cases = [
        (dict(reduction="none"), labels),
        (dict(label_smoothing=0.3), labels),
        (dict(reduction="sum", label_smoothing=0.1), labels),
        (dict(reduction="none", label_smoothing=0.2), probabilities),
        (dict(), probabilities),
    ]
    for options, target in cases:
        ours = ag.Tensor(z, requires_grad=True)
        theirs = torch.tensor(z, requires_grad=True)
        loss = F.cross_entropy(ours, target, **options)
        expected = torch.nn.functional.cross_entropy(theirs, torch.tensor(target), **options)
        np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-10)
        loss.sum().backward()
        expected.sum().backward()
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-10, atol=1e-14)
