"""The McCulloch–Pitts neuron (S1) and the perceptron (S3–S6)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn

BITS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


# ----------------------------------------------------------------- MCP neuron, S1
@pytest.mark.parametrize("weights, threshold, truth", [
    ([1, 1], 2, [0, 0, 0, 1]),      # AND
    ([1, 1], 1, [0, 1, 1, 1]),      # OR
    ([1, -1], 1, [0, 0, 1, 0]),     # x1 AND NOT x2
])
def test_mcp_logic_gates(weights, threshold, truth):
    neuron = nn.MCPNeuron(weights, threshold)
    out = neuron(BITS)
    assert out.shape == (4,) and out.dtype.kind == "i"
    np.testing.assert_array_equal(out.data, truth)
    for x, expected in zip(BITS, truth, strict=True):
        single = neuron(x)
        assert single.shape == () and int(single) == expected


def test_mcp_not_gate():
    neuron = nn.MCPNeuron([-1], 0)
    np.testing.assert_array_equal(neuron([[0], [1]]).data, [1, 0])


def test_mcp_fires_exactly_at_the_threshold():
    assert int(nn.MCPNeuron([0.5, 0.5, 1.0], 1.5)([1, 0, 1])) == 1
    assert int(nn.MCPNeuron([0.5, 0.5, 1.0], 1.5)([1, 1, 0])) == 0


@pytest.mark.parametrize("x, pattern", [
    (np.zeros(3), r"\(2,\).*\(3,\)"),
    (np.zeros((4, 3)), r"\(4, 3\)"),
    (np.zeros((1, 1, 2)), r"\(1, 1, 2\)"),
    (np.array([0, 2]), r"0 or 1, got \[2\]"),
])
def test_mcp_rejects_bad_inputs(x, pattern):
    with pytest.raises(ValueError, match=pattern):
        nn.MCPNeuron([1, 1], 1)(x)


def test_mcp_rejects_bad_weights():
    with pytest.raises(ValueError, match=r"\(2, 2\)"):
        nn.MCPNeuron(np.ones((2, 2)), 1)


# ------------------------------------------------------------------ perceptron
def perceptron_by_hand(X, y, lr, max_epochs):
    """S4 written out: w ← w + η y x, b ← b + η y on each mistake y (w·x + b) ≤ 0."""
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        count = 0
        for x_i, y_i in zip(X, y, strict=True):
            if y_i * (w @ x_i + b) <= 0:
                w, b, count = w + lr * y_i * x_i, b + lr * y_i, count + 1
        mistakes.append(count)
        if count == 0:
            break
    return w, b, mistakes


@st.composite
def separable(draw):
    """Points labelled by a random hyperplane, those within a margin of it dropped."""
    seed = draw(st.integers(0, 2**31))
    n_features = draw(st.integers(1, 4))
    rng = np.random.default_rng(seed)
    w_star, b_star = rng.normal(size=n_features), rng.normal()
    X = rng.uniform(-3, 3, size=(60, n_features))
    scores = (X @ w_star + b_star) / np.linalg.norm(np.append(w_star, b_star))
    keep = np.abs(scores) > 0.1
    X, y = X[keep], np.where(scores[keep] > 0, 1, -1)
    return X, y, np.append(w_star, b_star)


@given(separable(), st.sampled_from([1.0, 0.1]))
def test_perceptron_converges_on_separable_data_within_novikoffs_bound(data, lr):
    X, y, star = data
    model = nn.Perceptron(X.shape[1], lr=lr)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.fit(X, y) is model
    assert model.converged_
    np.testing.assert_array_equal(model.predict(X).data, y)
    assert model.mistakes_[-1] == 0 and model.n_epochs_ == len(model.mistakes_)
    assert model.n_updates_ == sum(model.mistakes_)
    # S5: with b folded into w, at most (R/γ)² updates
    folded = np.hstack([X, np.ones((len(X), 1))])
    R = np.linalg.norm(folded, axis=1).max()
    gamma = np.min(y * (folded @ star)) / np.linalg.norm(star)
    assert model.n_updates_ <= (R / gamma) ** 2


@pytest.mark.filterwarnings("ignore::nn.ConvergenceWarning")   # 5 epochs may not suffice
@given(separable(), st.sampled_from([1.0, 0.5, 0.01]))
def test_perceptron_updates_are_the_s4_rule(data, lr):
    X, y, _ = data
    model = nn.Perceptron(X.shape[1], lr=lr).fit(X, y, max_epochs=5)
    w, b, mistakes = perceptron_by_hand(X, y, lr, max_epochs=5)
    assert model.mistakes_ == mistakes
    np.testing.assert_allclose(model.weight.data, w, rtol=1e-12, atol=1e-12)
    assert model.bias.item() == pytest.approx(b)


def test_perceptron_cannot_learn_xor():
    # S6: XOR is not linearly separable; training never settles, and that is a warning
    model = nn.Perceptron(2)
    with pytest.warns(nn.ConvergenceWarning, match="not converged after 50 epochs"):
        model.fit(BITS, np.array([-1, 1, 1, -1]), max_epochs=50)
    assert not model.converged_
    assert model.n_epochs_ == 50 and len(model.mistakes_) == 50
    assert all(m > 0 for m in model.mistakes_)
    assert issubclass(nn.ConvergenceWarning, RuntimeWarning)


def test_perceptron_learns_and_counting_the_last_epoch():
    model = nn.Perceptron(2).fit(BITS, np.array([-1, -1, -1, 1]))   # AND
    assert model.converged_ and model.mistakes_[-1] == 0
    np.testing.assert_array_equal(model(BITS).data, [-1, -1, -1, 1])
    _, _, expected = perceptron_by_hand(BITS, np.array([-1, -1, -1, 1]), 1.0, 1000)
    assert model.mistakes_ == expected and model.n_epochs_ == len(expected)


def test_refitting_starts_again_from_zero():
    model = nn.Perceptron(2)
    first = model.fit(BITS, np.array([-1, 1, 1, 1])).mistakes_
    assert model.fit(BITS, np.array([-1, 1, 1, 1])).mistakes_ == first


def test_zero_perceptron_predicts_plus_one_on_the_boundary():
    model = nn.Perceptron(3)
    assert model.weight.shape == (3,) and model.bias.shape == ()
    assert np.all(model.weight.data == 0) and model.bias.item() == 0.0
    np.testing.assert_array_equal(model.predict(np.eye(3)).data, [1, 1, 1])
    model.weight.data[...] = [1.0, -2.0, 0.5]
    model.bias.data[...] = 0.25
    np.testing.assert_allclose(model.decision_function(np.eye(3)).data, [1.25, -1.75, 0.75])
    assert model.decision_function([1.0, 1.0, 1.0]).shape == ()
    np.testing.assert_array_equal(model.predict(np.eye(3)).data, [1, -1, 1])


@pytest.mark.parametrize("X, y, pattern", [
    (BITS, np.array([0, 1, 1, 1]), r"-1 or \+1, got \[0\]"),
    (BITS, np.array([1, 1, -1]), r"\(4, 2\).*\(3,\)"),
    (np.zeros((4, 3)), np.ones(4), r"\(4, 3\)"),
])
def test_perceptron_fit_rejects_bad_data(X, y, pattern):
    model = nn.Perceptron(2)
    with pytest.raises(ValueError, match=pattern):
        model.fit(X, y)
    assert np.all(model.weight.data == 0)


@pytest.mark.parametrize("make, error, pattern", [
    (lambda: nn.MCPNeuron([1, 1], threshold="1"), TypeError,
     r"MCPNeuron: threshold must be a finite number, got '1' \(str\)"),
    (lambda: nn.MCPNeuron([1, 1], threshold=np.nan), ValueError, "threshold .* got nan"),
    (lambda: nn.MCPNeuron([1.0, np.nan], 1), ValueError,
     "MCPNeuron: weights must be finite, but entry 1 is nan"),
    (lambda: nn.MCPNeuron([np.inf], 1), ValueError, "weights must be finite"),
    (lambda: nn.Perceptron(True), TypeError, "n_features must be an integer >= 1, got True"),
    (lambda: nn.Perceptron(2, lr="1"), TypeError, "lr must be a finite number > 0"),
    (lambda: nn.Perceptron(2, lr=np.inf), ValueError, "lr must be a finite number > 0"),
])
def test_neurons_name_the_argument_at_fault(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_perceptron_fit_refuses_nonfinite_inputs_naming_the_row(bad):
    # With a NaN feature every comparison is False: no sample ever counts as a mistake,
    # so the old fit reported convergence while misclassifying.
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X[2, 1] = bad
    model = nn.Perceptron(2)
    with pytest.raises(ValueError, match=f"Perceptron.fit: X must be finite, but row 2, "
                                         f"column 1 is {bad}"):
        model.fit(X, np.array([-1, 1, 1, 1]))
    assert np.all(model.weight.data == 0) and not hasattr(model, "converged_")
