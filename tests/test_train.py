"""The training loop: accuracy rules, fit's history and updates, evaluate."""

import math
import sys
import types

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn.data as data
from nn import functional as F
from nn.layers import Dropout, Linear
from nn.mlp import MLP
from nn.module import Sequential
from nn.optim import SGD, Adam
from nn.train import accuracy, evaluate, fit


# ----------------------------------------------------------------- accuracy
def test_accuracy_argmax_of_rows_against_labels_and_one_hot():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 0.5, 0.1], [0.0, 0.0, 3.0], [1.0, 0.0, 0.0]])
    assert accuracy(logits, [0, 1, 2, 2]) == 0.75
    assert accuracy(logits, np.eye(3)[[0, 1, 1, 0]]) == 0.75


def test_accuracy_sign_for_plus_minus_one_targets():
    # 0 counts as +1, as the perceptron's predict (S3).
    assert accuracy(np.array([[0.3], [-0.2], [0.0], [-1.0]]), [1, -1, 1, 1]) == 0.75


def test_accuracy_threshold_half_for_zero_one_targets():
    assert accuracy(np.array([0.7, 0.5, 0.49, 0.1]), [1, 1, 1, 0]) == 0.75


def test_accuracy_regression_targets_and_errors():
    assert math.isnan(accuracy(np.array([[0.2], [0.4]]), [0.2, 0.7]))
    with pytest.raises(ValueError, match=r"\(3, 2\) and targets \(2,\)"):
        accuracy(np.zeros((3, 2)), [0, 1])


@given(st.lists(st.integers(0, 4), min_size=1, max_size=30), st.integers(0, 2**32 - 1))
def test_accuracy_equals_count_of_argmax_hits(labels, seed):
    logits = np.random.default_rng(seed).standard_normal((len(labels), 5))
    hits = sum(int(np.argmax(row) == label) for row, label in zip(logits, labels))
    assert accuracy(logits, labels) == hits / len(labels)


# ----------------------------------------------------------------- fit
def _logistic_problem(seed=0):
    X, y = data.linearly_separable(80, 2, margin=0.5, seed=seed)
    return X, (y + 1) // 2  # classes 0/1 for cross-entropy


def test_fit_history_and_loss_decreases_on_an_easy_problem(capsys):
    X, y = _logistic_problem()
    ag.manual_seed(0)
    model = MLP([2, 2], output_activation=None)
    history = fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.5), X, y, epochs=15,
                  batch_size=16, seed=0)
    assert set(history) == {"loss", "accuracy"}
    assert len(history["loss"]) == len(history["accuracy"]) == 15
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["accuracy"][-1] == 1.0  # separable with margin 0.5
    # progress=True, but stderr is not a terminal under pytest: nothing printed.
    assert capsys.readouterr() == ("", "")


def test_fit_with_validation_matches_evaluate(capsys):
    X, y = _logistic_problem()
    X_train, X_val, y_train, y_val = data.train_test_split(X, y, 0.25, seed=1)
    ag.manual_seed(1)
    model = MLP([2, 4, 2], activation="tanh")
    history = fit(model, F.cross_entropy, Adam(model.parameters(), lr=0.05), X_train, y_train,
                  epochs=3, batch_size=8, validation_data=(X_val, y_val), progress=False,
                  seed=1)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in history.values())
    logits = X_val @ model.layers[0].weight.data.T + model.layers[0].bias.data
    logits = np.tanh(logits) @ model.layers[1].weight.data.T + model.layers[1].bias.data
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(history["val_loss"][-1], -log_p[np.arange(len(y_val)), y_val].mean())
    assert history["val_accuracy"][-1] == np.mean(logits.argmax(axis=1) == y_val)
    assert capsys.readouterr() == ("", "")


def test_fit_full_batch_sgd_step_equals_gradient_descent_by_hand():
    """One epoch, one batch, plain SGD: W ← W − η ∂E/∂W (S17), with E the mean squared error
    of a linear unit written out: ∂E/∂W = (2/n) (XW' + b − t)ᵀ X."""
    rng = np.random.default_rng(3)
    X, t = rng.standard_normal((6, 3)), rng.standard_normal((6, 1))
    model = MLP([3, 1], output_activation=None)
    W, b = model.layers[0].weight.data.copy(), model.layers[0].bias.data.copy()
    history = fit(model, F.mse_loss, SGD(model.parameters(), lr=0.1), X, t, epochs=1,
                  batch_size=6, shuffle=False, progress=False)
    residual = X @ W.T + b - t
    np.testing.assert_allclose(history["loss"][0], np.mean(residual**2))  # before the step
    assert math.isnan(history["accuracy"][0])  # real-valued targets
    np.testing.assert_allclose(model.layers[0].weight.data, W - 0.1 * 2 / 6 * residual.T @ X)
    np.testing.assert_allclose(model.layers[0].bias.data, b - 0.1 * 2 / 6 * residual.sum(0))


def test_fit_loss_is_the_sample_weighted_mean_of_batch_losses():
    X, t = np.arange(5.0)[:, None], np.zeros((5, 1))
    model = MLP([1, 1], output_activation=None)
    model.layers[0].weight.data[...] = 1.0
    model.layers[0].bias.data[...] = 0.0
    history = fit(model, F.mse_loss, SGD(model.parameters(), lr=0.0), X, t, epochs=1,
                  batch_size=2, shuffle=False, progress=False)
    assert history["loss"] == [pytest.approx(np.mean(np.arange(5.0) ** 2))]


def test_fit_is_reproducible_with_a_seed():
    X, y = data.moons(64, seed=0)

    def run():
        ag.manual_seed(7)
        model = MLP([2, 8, 2], activation="relu")
        return fit(model, F.cross_entropy, Adam(model.parameters(), lr=0.01), X, y,
                   epochs=4, batch_size=10, seed=5, progress=False)

    assert run() == run()


def test_fit_casts_inputs_to_the_model_dtype():
    ag.set_default_dtype(np.float32)
    try:
        model = MLP([2, 2], output_activation=None)
    finally:
        ag.set_default_dtype(np.float64)
    X, y = _logistic_problem()
    assert X.dtype == np.float64
    fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1), X, y, epochs=1,
        progress=False)
    assert model.layers[0].weight.dtype == np.float32
    assert model.layers[0].weight.grad.dtype == np.float32


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"epochs": -1}, "epochs"),
    ({"batch_size": 0}, "batch_size"),
    ({"validation_data": (np.zeros((3, 2)), np.zeros(2))}, r"\(3, 2\) and \(2,\)"),
])
def test_fit_rejects_bad_arguments_before_training(kwargs, message):
    X, y = _logistic_problem()
    model = MLP([2, 2], output_activation=None)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1), X, y, **kwargs)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_fit_rejects_mismatched_samples():
    model = MLP([2, 2], output_activation=None)
    with pytest.raises(ValueError, match=r"\(10, 2\) and \(9,\)"):
        fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1), np.zeros((10, 2)),
            np.zeros(9, dtype=int))


# ----------------------------------------------------------------- evaluate
def test_evaluate_uses_eval_mode_without_a_graph_and_restores_the_mode():
    ag.manual_seed(0)
    model = Sequential(Linear(4, 8), Dropout(0.5), Linear(8, 3))
    X = np.random.default_rng(0).standard_normal((20, 4))
    y = np.arange(20) % 3
    first = evaluate(model, F.cross_entropy, X, y)
    assert evaluate(model, F.cross_entropy, X, y, batch_size=6) == pytest.approx(first)
    assert model.training
    assert all(p.grad is None for p in model.parameters())


def test_fit_shows_its_progress_bar_in_a_notebook_kernel(capsys, monkeypatch):
    """Jupyter's stderr is no terminal, but someone is watching it."""
    kernel_shell = type("ZMQInteractiveShell", (), {})()
    fake_ipython = types.ModuleType("IPython")
    fake_ipython.get_ipython = lambda: kernel_shell
    monkeypatch.setitem(sys.modules, "IPython", fake_ipython)
    X, y = _logistic_problem()
    model = MLP([2, 2], output_activation=None)
    fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.5), X, y, epochs=2, seed=0)
    assert "loss=" in capsys.readouterr().err
