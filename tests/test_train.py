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


# ----------------------------------------------------------------- nothing changes on failure
def _snapshot(model, optimizer):
    return model.state_dict(), optimizer.state_dict()


def _assert_unchanged(model, optimizer, snapshot):
    for now, before in zip(_snapshot(model, optimizer), snapshot):
        assert list(now) == list(before)
        for key in now:
            np.testing.assert_array_equal(now[key], before[key], err_msg=key)


def _bad(array, index, value):
    array = np.array(array)
    array[index] = value
    return array


@pytest.mark.parametrize("change, error, pattern", [
    (lambda X, y, v: (X, _bad(y, -1, 5), v), ValueError, "cross_entropy"),  # last batch
    (lambda X, y, v: (X, y, (v[0], _bad(v[1], 0, -1))), ValueError, "cross_entropy"),
    (lambda X, y, v: (X, y, (v[0], v[1][:-1])), ValueError, r"validation X and y .* \(20, 2\)"),
    (lambda X, y, v: (_bad(X, (57, 1), np.nan), y, v), ValueError,
     "X must be finite, but row 57, column 1 is nan"),
    (lambda X, y, v: (X, y, (_bad(v[0], 3, np.inf), v[1])), ValueError,
     "validation X must be finite, but row 3"),
    (lambda X, y, v: (X[:0], y[:0], v), ValueError, "hold no samples"),
    (lambda X, y, v: (X, y, (v[0][:0], v[1][:0])), ValueError, "validation X and y hold no"),
])
def test_fit_checks_all_data_before_the_first_step(change, error, pattern):
    X, y = _logistic_problem()
    X, X_val, y, y_val = X[:60], X[60:], y[:60], y[60:]
    model = MLP([2, 2], output_activation=None)
    optimizer = Adam(model.parameters(), lr=0.1)
    before = _snapshot(model, optimizer)
    X, y, validation = change(X, y, (X_val, y_val))
    with pytest.raises(error, match=pattern):
        fit(model, F.cross_entropy, optimizer, X, y, epochs=3, batch_size=8, shuffle=False,
            validation_data=validation, progress=False)
    _assert_unchanged(model, optimizer, before)


class LossThatFails:
    """Mean squared error that, on its `fail_at`-th call while training (grad enabled:
    not fit's check or evaluate), returns `value` or raises `error`."""

    def __init__(self, fail_at, value=None, error=None):
        self.fail_at, self.value, self.error, self.calls = fail_at, value, error, 0

    def __call__(self, output, target):
        loss = F.mse_loss(output, target)
        if ag.is_grad_enabled():
            self.calls += 1
            if self.calls == self.fail_at:
                if self.error is not None:
                    raise self.error
                return loss * self.value
        return loss


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_a_nonfinite_loss_stops_before_its_step_naming_epoch_and_batch(value):
    X, t = np.random.default_rng(0).standard_normal((12, 2)), np.zeros((12, 1))
    ag.manual_seed(0)
    stopped = MLP([2, 1])
    ag.manual_seed(0)
    reference = MLP([2, 1])
    fit(reference, F.mse_loss, SGD(reference.parameters(), lr=0.1), X, t, epochs=1,
        batch_size=4, shuffle=False, progress=False)            # batches 1-3 of epoch 1
    with pytest.raises(FloatingPointError, match=f"loss is {value} at epoch 2, batch 1 of 3"):
        fit(stopped, LossThatFails(4, value), SGD(stopped.parameters(), lr=0.1), X, t,
            epochs=3, batch_size=4, shuffle=False, progress=False)
    for key, expected in reference.state_dict().items():
        np.testing.assert_array_equal(stopped.state_dict()[key], expected, err_msg=key)


def test_on_nonfinite_continue_trains_on_as_pytorch_would():
    X, t = np.ones((8, 2)), np.zeros((8, 1))
    model = MLP([2, 1])
    history = fit(model, LossThatFails(1, np.nan), SGD(model.parameters(), lr=0.1), X, t,
                  epochs=2, batch_size=4, shuffle=False, progress=False,
                  on_nonfinite="continue")
    assert math.isnan(history["loss"][0])
    with pytest.raises(ValueError, match="on_nonfinite must be one of 'raise', 'continue'"):
        fit(model, F.mse_loss, SGD(model.parameters(), lr=0.1), X, t, on_nonfinite="skip")


@pytest.mark.parametrize("error", [KeyboardInterrupt(), RuntimeError("out of memory")])
def test_an_interrupted_fit_restores_every_modules_mode(error):
    model = Sequential(Linear(2, 4), Dropout(0.5), Linear(4, 1))
    model.eval()
    model[0].train()                   # mixed modes are kept too
    modes = [module.training for module in model.modules()]
    X, t = np.ones((8, 2)), np.zeros((8, 1))
    with pytest.raises(type(error)):
        fit(model, LossThatFails(2, error=error), SGD(model.parameters(), lr=0.1), X, t,
            epochs=2, batch_size=4, progress=False)
    assert [module.training for module in model.modules()] == modes


# ----------------------------------------------------------------- accuracy of logits
def test_accuracy_takes_the_threshold_of_logits_explicitly():
    logits, targets = np.array([[-0.2], [0.3], [-1.0], [2.0]]), np.array([0, 1, 0, 1])
    assert accuracy(logits, targets, threshold=0.0) == 1.0
    assert accuracy(logits, targets) == 0.75               # 0.3 read as a probability < 0.5
    assert accuracy(np.array([0.7, 0.2]), [1, -1], threshold=0.5) == 1.0
    with pytest.raises(ValueError, match="one output per sample"):
        accuracy(np.zeros((2, 3)), [0, 1], threshold=0.0)
    with pytest.raises(TypeError, match="threshold"):
        accuracy(logits, targets, threshold="0")


def test_fit_and_evaluate_read_bce_with_logits_outputs_as_logits():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 3))
    t = (X[:, :1] + 0.3 * rng.standard_normal((40, 1)) > 0).astype(float)
    ag.manual_seed(2)
    model = MLP([3, 1])
    history = fit(model, F.binary_cross_entropy_with_logits, SGD(model.parameters(), lr=0.5),
                  X, t, epochs=5, batch_size=40, progress=False, validation_data=(X, t))
    z = X @ model.layers[0].weight.data.T + model.layers[0].bias.data
    assert history["val_accuracy"][-1] == np.mean((z >= 0) == t)
    assert evaluate(model, F.binary_cross_entropy_with_logits, X, t)[1] == np.mean((z >= 0) == t)
    assert np.mean((z >= 0) == t) != np.mean((z >= 0.5) == t)   # the old reading differs


def test_evaluate_on_no_samples_is_a_value_error():
    model = MLP([2, 2])
    with pytest.raises(ValueError, match="evaluate: X and y hold no samples"):
        evaluate(model, F.cross_entropy, np.zeros((0, 2)), np.zeros(0, dtype=int))
