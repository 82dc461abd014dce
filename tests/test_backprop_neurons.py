"""Before backpropagation: the MCP unit's limit (S1, S6) by exhaustive search, and the
perceptron's gradient and convergence (S4, S5) against their published statements."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd as ag
import nn
from nn.logic import TRUTH_TABLES, search_mcp_units

RANGE = range(-3, 4)


def fires(weights, threshold, x) -> int:
    """S1 written out: 1 when Σ_i w_i x_i reaches the threshold, else 0."""
    return int(sum(w * v for w, v in zip(weights, x, strict=True)) >= threshold)


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOT", "XOR"])
def test_search_returns_exactly_the_units_that_compute_the_gate(gate):
    table = TRUTH_TABLES[gate]
    n = len(next(iter(table)))
    expected = [(w, th) for w in itertools.product(RANGE, repeat=n) for th in RANGE
                if all(fires(w, th, x) == out for x, out in table.items())]
    found = search_mcp_units(table, RANGE, RANGE)
    assert found == expected
    for weights, threshold in found:
        unit = nn.MCPNeuron(weights, threshold)
        assert [unit(np.array(x)).item() for x in table] == list(table.values())


def test_no_mcp_unit_computes_xor_but_and_or_not_have_one():
    """S6: XOR is not linearly separable, so no weights in [−3, 3]² with a threshold in
    [−3, 3] (all 343 units tried) compute it; AND, OR and NOT each have solutions, among
    them the textbook ones."""
    assert search_mcp_units(TRUTH_TABLES["XOR"], RANGE, RANGE) == []
    assert ((1, 1), 2) in search_mcp_units(TRUTH_TABLES["AND"], RANGE, RANGE)
    assert ((1, 1), 1) in search_mcp_units(TRUTH_TABLES["OR"], RANGE, RANGE)
    assert ((-1,), 0) in search_mcp_units(TRUTH_TABLES["NOT"], RANGE, RANGE)


def test_search_rejects_malformed_truth_tables():
    with pytest.raises(ValueError, match="one length"):
        search_mcp_units({(0,): 1, (0, 1): 0})
    with pytest.raises(ValueError, match="0 or 1"):
        search_mcp_units({(0, 2): 1})


@given(st.integers(1, 40), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_perceptron_criterion_gradient_is_minus_the_sum_over_mistakes(m, d, seed):
    """S4: L = −Σ_{i misclassified} y_i (w·x_i + b); autograd's ∂L/∂w = −Σ y_i x_i and
    ∂L/∂b = −Σ y_i over the misclassified samples (y_i (w·x_i + b) ≤ 0)."""
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((m, d)), rng.choice([-1.0, 1.0], size=m)
    w = ag.Tensor(rng.standard_normal(d), requires_grad=True)
    b = ag.Tensor(rng.standard_normal(), requires_grad=True)
    z = X @ w + b
    wrong = y * z.numpy() <= 0
    L = -(y[wrong] * z[wrong]).sum()
    L.backward()
    np.testing.assert_allclose(w.grad.numpy(),
                               -sum((y[i] * X[i] for i in range(m) if wrong[i]), np.zeros(d)),
                               rtol=1e-12, atol=1e-12)
    assert b.grad.item() == pytest.approx(-sum(y[i] for i in range(m) if wrong[i]), abs=1e-12)


@given(st.integers(1, 4), st.floats(0.05, 0.5), st.integers(10, 60), st.integers(0, 2**32 - 1))
def test_perceptron_converges_within_novikoffs_bound(d, gamma, m, seed):
    """S5: data separated with margin γ by a unit vector v in the folded space z = (x, 1)
    (y_i v·z_i ≥ γ); the perceptron makes at most (R/γ)² updates, R = max ‖z_i‖."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(d + 1)
    v /= np.linalg.norm(v)
    Z = np.hstack([rng.uniform(-2, 2, size=(m, d)), np.ones((m, 1))])
    Z = Z[np.abs(Z @ v) >= gamma]
    assume(len(Z) > 0)
    y = np.sign(Z @ v)
    X = Z[:, :d]
    bound = (np.linalg.norm(Z, axis=1).max() / gamma) ** 2
    model = nn.Perceptron(d).fit(X, y, max_epochs=int(bound) + 2)
    assert model.converged_
    assert model.n_updates_ <= bound
    np.testing.assert_array_equal(model.predict(X).numpy(), y)
