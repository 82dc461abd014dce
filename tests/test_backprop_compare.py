"""nn.backprop on real nn.MLP models: params reads the document's lists out of a model,
compare reports autograd vs the formulas per layer, and one S17 step by hand equals one
optim.SGD step."""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nn
from nn import backprop as bp
from nn import functional as F
from nn import optim

HIDDEN = ("sigmoid", "tanh", "relu", "identity")
OUTPUTS = (None, "sigmoid", "tanh", "relu", "identity", "softmax")


class Case(NamedTuple):
    model: nn.MLP
    x: np.ndarray       # rows: (batch, inputs)
    t: np.ndarray       # (batch, outputs) targets, or (batch,) labels for cross-entropy
    labels: bool


@st.composite
def models(draw, loss="half_sum"):
    """An nn.MLP (depth 1–5, widths 1–8, one hidden activation, any output activation; for
    cross-entropy a linear or softmax output) with normal weights and biases, a batch of
    1–6 rows and its targets; ReLU pre-activations at least 1e-3 away from 0."""
    sizes = [draw(st.integers(1, 8)) for _ in range(draw(st.integers(2, 6)))]
    outputs = (None, "softmax") if loss == "cross_entropy" else OUTPUTS
    model = nn.MLP(sizes, activation=draw(st.sampled_from(HIDDEN)),
                   output_activation=draw(st.sampled_from(outputs)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    for layer in model.layers:
        layer.weight.data[...] = rng.standard_normal(layer.weight.shape)
        layer.bias.data[...] = rng.standard_normal(layer.bias.shape)
    batch = draw(st.integers(1, 6))
    x = rng.standard_normal((batch, sizes[0]))
    W, b, f = bp.params(model)
    u, _ = bp.forward(W, b, f, x.T)
    assume(all(np.abs(u[l]).min() > 1e-3 for l in range(1, len(W)) if f[l] == "relu"))
    if loss == "cross_entropy":
        return Case(model, x, rng.integers(0, sizes[-1], size=batch), True)
    return Case(model, x, rng.standard_normal((batch, sizes[-1])), False)


@given(models())
def test_params_are_the_documents_lists_of_the_model(case):
    """W_l is layers[l−1].weight (units in l, units in l−1), b_l its bias as a column, f_l
    the activation's name; forward (S11) on them, in columns, is the model's output."""
    W, b, f = bp.params(case.model)
    assert W[0] is None and b[0] is None and f[0] is None
    assert len(W) == len(case.model.layers) + 1
    for l, layer in enumerate(case.model.layers, 1):
        np.testing.assert_array_equal(W[l], layer.weight.numpy())
        np.testing.assert_array_equal(b[l][:, 0], layer.bias.numpy())
        assert b[l].shape == (layer.out_features, 1)
        assert f[l] == case.model.activations[l - 1].name
        assert not np.shares_memory(W[l], layer.weight.data)
    _, y = bp.forward(W, b, f, case.x.T)
    np.testing.assert_allclose(y[-1].T, case.model(case.x).numpy(), rtol=1e-12, atol=1e-14)


def test_params_names_the_hidden_and_output_activations():
    _, _, f = bp.params(nn.MLP([2, 3, 3, 1], activation="tanh"))
    assert f == [None, "tanh", "tanh", "identity"]
    _, _, f = bp.params(nn.MLP([2, 3, 1], activation="relu", output_activation="sigmoid"))
    assert f == [None, "relu", "sigmoid"]


def test_params_rejects_an_activation_without_a_formula():
    with pytest.raises(ValueError, match=r"layer 1's activation .*Step"):
        bp.params(nn.MLP([2, 3, 1], activation="step"))


@given(models())
def test_compare_finds_autograd_equal_to_the_formulas(case):
    report = bp.compare(case.model, case.x, case.t)
    assert [r.layer for r in report.rows] == list(range(1, len(case.model.layers) + 1))
    assert [r.units for r in report.rows] == case.model.sizes[1:]
    assert report.ok(1e-10), str(report)
    assert report.E_formulas == pytest.approx(report.E_autograd, rel=1e-12)


@given(models(loss="cross_entropy"))
def test_compare_with_cross_entropy_on_integer_labels(case):
    report = bp.compare(case.model, case.x, case.t, loss="cross_entropy")
    assert report.ok(1e-10), str(report)
    assert np.isfinite(report.E_autograd)


def test_compare_reports_the_documents_elementwise_softmax_rule_as_wrong(monkeypatch):
    """With the Jacobian replaced by its diagonal (the document's f' = y − y², S10), the
    report shows differences far above rounding, and ok() says so."""
    model = nn.MLP([2, 3], activation="tanh", output_activation="softmax")
    x, t = np.array([[1.0, -2.0], [0.5, 0.3]]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    assert bp.compare(model, x, t).ok()
    monkeypatch.setattr(bp, "softmax_jacobian",
                        lambda y: np.einsum("is,ij->sij", bp.softmax_jacobian_diagonal(y),
                                            np.eye(y.shape[0])))
    report = bp.compare(model, x, t)
    assert not report.ok() and report.rows[0].delta > 1e-3 and report.rows[0].weight > 1e-3


def test_compare_leaves_the_models_gradients_alone():
    model = nn.MLP([2, 2, 1], activation="sigmoid")
    bp.compare(model, np.ones((3, 2)), np.ones((3, 1)))
    assert all(p.grad is None for p in model.parameters())


def test_report_prints_a_table_and_renders_markdown():
    model = nn.MLP([2, 4, 3], activation="tanh")
    report = bp.compare(model, np.ones((2, 2)), np.array([0, 2]), loss="cross_entropy")
    text = str(report).splitlines()
    assert "cross_entropy" in text[0] and "batch 2" in text[0]
    assert re.match(r"\s*layer\s+units\s+δ vs ∂E/∂u\s+∂E/∂W\s+∂E/∂b", text[2])
    assert [line.split()[:2] for line in text[3:]] == [["1", "4"], ["2", "3"]]
    markdown = report._repr_markdown_().splitlines()
    assert markdown[-3].startswith("|---:|") and markdown[-3].count("|") == 7
    assert all(line.count("|") - line.count("\\|") == 7 for line in markdown[-4:])
    assert report.max_error == max(max(r.delta, r.weight, r.bias) for r in report.rows)


def test_a_layer_without_bias_has_a_zero_column_and_no_bias_row():
    model = nn.MLP([2, 3, 1], activation="tanh")
    model.layers[0].bias = None
    _, b, _ = bp.params(model)
    np.testing.assert_array_equal(b[1], np.zeros((3, 1)))
    report = bp.compare(model, np.array([[0.5, -1.0], [2.0, 0.1]]), np.ones((2, 1)))
    assert report.rows[0].bias is None and report.rows[1].bias is not None
    assert report.ok() and "—" in str(report).splitlines()[3]


@pytest.mark.parametrize(("x", "t", "loss", "message"), [
    (np.ones((3, 3)), np.ones((3, 1)), "half_sum", r"x must be \(batch, 2\).*\(3, 3\)"),
    (np.ones((3, 2)), np.ones((1, 3)), "half_sum", r"t must be \(3, 1\).*\(1, 3\)"),
    (np.ones((3, 2)), np.zeros(3, dtype=int), "cross_entropy", r"logits.*'sigmoid'"),
    (np.ones((3, 2)), np.zeros(2, dtype=int), "cross_entropy", r"3 integer labels.*\(2,\)"),
    (np.ones((3, 2)), np.ones((3, 1)), "mean", r"'mean'.*half_sum, cross_entropy"),
])
def test_compare_rejects_bad_inputs(x, t, loss, message):
    model = nn.MLP([2, 2, 1], activation="tanh", output_activation="sigmoid")
    with pytest.raises(ValueError, match=message):
        bp.compare(model, x, t, loss=loss)


@given(models(), st.floats(0.01, 1.0))
def test_one_hand_step_equals_one_sgd_step(case, eta):
    """S17 by hand on the document's lists, and optim.SGD(lr=η) on the model with the same
    summed loss E = ½ Σ (t − y)², land on the same weights."""
    W, b, f = bp.params(case.model)
    u, y = bp.forward(W, b, f, case.x.T)
    dW, db = bp.gradients(bp.deltas(W, f, u, y, case.t.T), y)
    W_hand, b_hand = bp.sgd_step(W, b, dW, db, eta)

    sgd = optim.SGD(case.model.parameters(), lr=eta)
    sgd.zero_grad()
    F.mse_loss(case.model(case.x), case.t, reduction="half_sum").backward()
    sgd.step()
    W_sgd, b_sgd, _ = bp.params(case.model)
    for l in range(1, len(W)):
        scale = max(1.0, np.abs(W[l]).max(), np.abs(b[l]).max(), eta * np.abs(dW[l]).max())
        np.testing.assert_allclose(W_hand[l], W_sgd[l], rtol=0, atol=1e-10 * scale)
        np.testing.assert_allclose(b_hand[l], b_sgd[l], rtol=0, atol=1e-10 * scale)
