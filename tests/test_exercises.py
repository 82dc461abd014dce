"""The exercise checkers: a correct answer is "correct", and a subtly
wrong one is reported at the first place it differs — the layer and entry for δ (S13–S15),
the case for the perceptron step (S4) and Novikoff's bound (S5), the input row for a gate
(S1, S6), the entry of a fan-out gradient (S15)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import backprop as bp
from nn import data
from nn import exercises as ex


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ----------------------------------------------------------------- δ of every layer

NETWORKS = [
    dict(sizes=(3, 3, 3)),                                              # the document's
    dict(sizes=(3, 3, 3), output_activation="tanh"),                     # δ for a tanh output
    dict(sizes=(2, 5, 4, 3, 2), activation="relu", output_activation="identity"),
    dict(sizes=(4, 3, 3), activation="tanh", output_activation="softmax"),
]


@pytest.mark.parametrize("network", NETWORKS, ids=lambda n: "-".join(map(str, n["sizes"])))
def test_the_documents_formulas_are_correct(network):
    feedback = ex.check_deltas(bp.deltas, **network)
    assert feedback.correct and bool(feedback)
    assert str(feedback).startswith("correct") and feedback.where == {}


def test_backprop_reexports_the_checker():
    assert bp.check_deltas(bp.deltas, output_activation="tanh").correct


@given(layer=st.integers(1, 4), unit=st.integers(0, 2), sample=st.integers(0, 3),
       shift=st.sampled_from([1e-3, -1e-3, 1.0, -2.0]), seed=st.integers(0, 5))
def test_one_wrong_entry_is_reported_at_its_layer_and_entry(layer, unit, sample, shift, seed):
    sizes = (3, 3, 3, 3, 3)

    def one_entry_off(W, f, u, y, t):
        delta = bp.deltas(W, f, u, y, t)
        delta[layer] = delta[layer].copy()
        entry = delta[layer][unit, sample]      # may be tiny: this net's δ vanish with depth
        delta[layer][unit, sample] = entry + shift * (abs(entry) + 1e-5)
        return delta

    feedback = ex.check_deltas(one_entry_off, sizes=sizes, activation="tanh", seed=seed)
    assert not feedback.correct
    assert feedback.where == {"layer": layer, "entry": (unit, sample)}
    assert f"δ_{layer} differs first" in str(feedback)


def _first_entry_apart(a, b):
    apart = ~np.isclose(a, b, rtol=1e-6, atol=1e-9)
    return tuple(int(i) for i in np.argwhere(apart)[0])


def test_sigmoids_derivative_at_a_tanh_output_is_reported_at_the_output_layer():
    def sigmoid_rule_everywhere(W, f, u, y, t):
        L = len(W) - 1
        delta = [None] * (L + 1)
        delta[L] = (y[L] - t) * y[L] * (1 - y[L])          # S9's y(1 − y), but f is tanh
        for l in range(L - 1, 0, -1):
            delta[l] = (W[l + 1].T @ delta[l + 1]) * y[l] * (1 - y[l])
        return delta

    feedback = ex.check_deltas(sigmoid_rule_everywhere, output_activation="tanh")
    assert feedback.where["layer"] == 2 and "output layer" in str(feedback)
    assert "S14" in str(feedback)


def test_w_instead_of_w_transposed_is_reported_at_the_last_hidden_layer_and_entry():
    def untransposed(W, f, u, y, t):
        L = len(W) - 1
        delta = bp.deltas(W, f, u, y, t)
        for l in range(L - 1, 0, -1):
            delta[l] = (W[l + 1] @ delta[l + 1]) * bp.derivative(f[l], u[l], y[l])
        return delta

    sizes = (3, 3, 3, 3)
    feedback = ex.check_deltas(untransposed, sizes=sizes)
    rng = np.random.default_rng(0)   # the checker's network, rebuilt to find the entry
    W, b, f = ex._column_network(sizes, "sigmoid", "sigmoid", rng)
    x, t = rng.normal(size=(3, 4)), rng.uniform(size=(3, 4))
    u, y = bp.forward(W, b, f, x)
    wrong, right = untransposed(W, f, u, y, t), bp.deltas(W, f, u, y, t)
    assert feedback.where == {"layer": 2, "entry": _first_entry_apart(wrong[2], right[2])}
    assert "S15" in str(feedback)


def test_a_wrongly_shaped_or_missing_answer_is_named():
    transposed = ex.check_deltas(lambda W, f, u, y, t: [None, *[d.T for d in
                                                                bp.deltas(W, f, u, y, t)[1:]]],
                                 sizes=(3, 2, 5))
    assert not transposed and "δ_2" in str(transposed) and "(5, 4)" in str(transposed)
    too_short = ex.check_deltas(lambda W, f, u, y, t: bp.deltas(W, f, u, y, t)[1:])
    assert not too_short and "list of 3 entries" in str(too_short)


def test_the_checker_leaves_the_library_generator_alone():
    ag.manual_seed(7)
    before = ag.get_generator().random()
    ag.manual_seed(7)
    ex.check_deltas(bp.deltas)
    assert ag.get_generator().random() == before


# ----------------------------------------------------------------- the perceptron (S4, S5)

def perceptron_step(w, b, x, y, eta):
    if y * (w @ x + b) <= 0:
        return w + eta * y * x, b + eta * y
    return w, b


def test_the_perceptron_rule_is_correct():
    assert ex.check_perceptron_step(perceptron_step).correct


def test_a_strict_inequality_misses_the_boundary_case():
    def strict(w, b, x, y, eta):
        return perceptron_step(w, b, x, y, eta) if y * (w @ x + b) < 0 else (w, b)

    feedback = ex.check_perceptron_step(strict)
    assert feedback.where["case"] == 3 and feedback.where["parameter"] == "w"   # case 3: z = 0
    assert "y (w·x + b) = 0" in str(feedback)


def test_a_forgotten_bias_update_is_reported_on_the_bias():
    feedback = ex.check_perceptron_step(lambda w, b, x, y, eta:
                                        (perceptron_step(w, b, x, y, eta)[0], b))
    assert feedback.where == {"case": 1, "parameter": "b"}


def test_novikoffs_bound_written_out_is_correct():
    def bound(X, y, w, b):
        X_hat = np.hstack([X, np.ones((len(X), 1))])
        w_hat = np.append(w, b)
        gamma = np.min(y * (X_hat @ w_hat)) / np.linalg.norm(w_hat)
        return (np.max(np.linalg.norm(X_hat, axis=1)) / gamma) ** 2

    assert ex.check_novikoff_bound(bound).correct
    assert ex.check_novikoff_bound(data.novikoff_bound).correct


def test_a_bound_without_the_bias_folded_in_is_caught_with_a_hint():
    def unfolded(X, y, w, b):
        gamma = np.min(y * (X @ w + b)) / np.linalg.norm(w)
        return (np.max(np.linalg.norm(X, axis=1)) / gamma) ** 2

    feedback = ex.check_novikoff_bound(unfolded)
    assert not feedback and feedback.where == {"case": 1} and "folded" in str(feedback)


# ----------------------------------------------------------------- gates and fan-out

def test_xor_from_three_mcp_units_and_the_first_wrong_row():
    or_, nand, and_ = (nn.MCPNeuron([1, 1], 1), nn.MCPNeuron([-1, -1], -1),
                       nn.MCPNeuron([1, 1], 2))

    def xor(X):
        return and_(np.stack([or_(X).numpy(), nand(X).numpy()], axis=1))

    assert ex.check_truth_table(xor, "XOR").correct
    feedback = ex.check_truth_table(or_, "XOR")                 # OR is XOR but at (1, 1)
    assert feedback.where == {"row": 3, "input": (1, 1)}
    assert ex.check_truth_table(lambda X: [0, 1], "XOR").correct is False
    with pytest.raises(ValueError, match="unknown gate 'XNOR'"):
        ex.check_truth_table(xor, "XNOR")


def input_gradient(W1, b1, W2, b2, x, t):
    y1 = sigmoid(W1 @ x + b1)
    y2 = sigmoid(W2 @ y1 + b2)
    delta2 = (y2 - t) * y2 * (1 - y2)
    delta1 = (W2.T @ delta2) * y1 * (1 - y1)
    return W1.T @ delta1                     # both hidden units' paths, added


def test_the_fan_out_gradient_adds_both_paths():
    assert ex.check_input_gradient(input_gradient).correct


def test_one_path_of_the_fan_out_is_reported_with_a_hint():
    def first_path_only(W1, b1, W2, b2, x, t):
        y1 = sigmoid(W1 @ x + b1)
        y2 = sigmoid(W2 @ y1 + b2)
        delta1 = (W2.T @ ((y2 - t) * y2 * (1 - y2))) * y1 * (1 - y1)
        return W1[0] * delta1[0]

    feedback = ex.check_input_gradient(first_path_only)
    assert feedback.where == {"case": 1, "entry": (0,)} and "one path only" in str(feedback)
