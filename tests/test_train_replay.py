"""fit's steps: plain by default (every batch runs the layers' forward and the engine's
backward, where a student's print or breakpoint fires); with ``trace=True`` a model built
of nn's own layers, trained with one of nn's losses, runs each step as an ``ag.trace``
replay and ends with the plain steps' history and weights, bit for bit (S13's chain rule
and S17's update, whichever way the step ran); a model or loss whose Python could look at
values is refused for ``trace=True`` before anything changes."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.train as train
from autograd import engine
from nn import functional as F
from nn.optim import SGD, Adam

ACTIVATIONS = [nn.Identity, nn.Sigmoid, nn.Tanh, nn.ReLU, nn.LeakyReLU, nn.ELU, nn.GELU,
               nn.SiLU, nn.Softmax]
LOSSES = {"labels": F.cross_entropy, "probabilities": F.cross_entropy, "mse": F.mse_loss,
          "logits": F.binary_cross_entropy_with_logits, "hinge": F.hinge_loss}


def targets(kind: str, rng: np.random.Generator, n: int) -> np.ndarray:
    """Targets for ``LOSSES[kind]`` (3 outputs for the class losses, else 1)."""
    if kind == "labels":
        return rng.integers(0, 3, n)
    if kind == "probabilities":
        return rng.dirichlet(np.ones(3), n)
    if kind == "mse":
        return rng.standard_normal((n, 1))
    if kind == "logits":
        return rng.integers(0, 2, (n, 1)).astype(float)
    return rng.choice([-1.0, 1.0], (n, 1))


def trained(build, loss_fn, X, t, *, trace: bool, adam: bool = False, seed: int = 0,
            **options) -> tuple[dict, list[np.ndarray]]:
    """fit's history and final weights for a model from ``build()`` (two epochs, fit's
    ``options``), with replayed steps (``trace=True``) or plain ones."""
    model = build()
    optimizer = (Adam if adam else SGD)(model.parameters(), lr=0.05)
    ag.manual_seed(seed)  # the same Dropout masks both ways
    history = train.fit(model, loss_fn, optimizer, X, t, epochs=2, seed=seed,
                        progress=False, trace=trace, **options)
    return history, [p.data.copy() for p in model.parameters()]


def assert_same_training(first: tuple, second: tuple) -> None:
    assert first[0].keys() == second[0].keys()
    for key, values in first[0].items():  # every loss and accuracy, exactly (NaN: none)
        np.testing.assert_array_equal(values, second[0][key], err_msg=key)
    for a, b in zip(first[1], second[1], strict=True):
        np.testing.assert_array_equal(a, b)


@given(activation=st.sampled_from(ACTIVATIONS), kind=st.sampled_from(sorted(LOSSES)),
       hidden=st.integers(1, 5), sequential=st.booleans(), p=st.sampled_from([0.0, 0.4]),
       n=st.integers(3, 11), batch_size=st.integers(1, 4), adam=st.booleans(),
       seed=st.integers(0, 2**16))
def test_nn_models_replay_with_the_plain_steps_history_and_weights(
        activation, kind, hidden, sequential, p, n, batch_size, adam, seed):
    outputs = 3 if kind in ("labels", "probabilities") else 1

    def build() -> nn.Module:
        ag.manual_seed(seed)
        if sequential:
            return nn.Sequential(nn.Linear(2, hidden), activation(), nn.Dropout(p),
                                 nn.Linear(hidden, outputs))
        return nn.MLP([2, hidden, outputs], activation=activation())

    rng = np.random.default_rng(seed)
    X, t = rng.standard_normal((n, 2)), targets(kind, rng, n)
    loss_fn = LOSSES[kind]
    replayed, plain = (trained(build, loss_fn, X, t, trace=trace, adam=adam, seed=seed,
                               batch_size=batch_size) for trace in (True, False))
    assert_same_training(replayed, plain)


class Flip(nn.Module):
    """A forward whose Python looks at values: a replay would freeze its branch."""

    def forward(self, x):
        return x if float(x.data.sum()) > 0 else -x


def test_trace_refuses_a_module_that_looks_at_values_before_changing_anything():
    X = np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, -2.0], [-2.0, -1.0]])  # the branch flips
    t = np.array([[1.0], [2.0], [1.0], [0.5]])
    ag.manual_seed(0)
    model = nn.Sequential(Flip(), nn.Linear(2, 1))
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match=r"trace=True.*Flip"):
        train.fit(model, F.mse_loss, SGD(model.parameters(), lr=0.1), X, t, trace=True,
                  progress=False)
    for p, old in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, old)
    history, _ = trained(lambda: nn.Sequential(Flip(), nn.Linear(2, 1)), F.mse_loss, X, t,
                         trace=False, batch_size=2, shuffle=False)
    assert np.isfinite(history["loss"]).all()  # the plain default trains it


def test_trace_refuses_rows_that_cross_entropy_ignores():
    X = np.random.default_rng(1).standard_normal((6, 2))
    labels = np.array([0, 1, -100, 2, -100, 1])
    model = nn.MLP([2, 4, 3], activation="relu")
    with pytest.raises(ValueError, match="ignores"):
        train.fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1), X, labels,
                  trace=True, progress=False)
    with pytest.raises(ValueError, match="lambda"):
        train.fit(model, lambda y, t: F.cross_entropy(y, t), SGD(model.parameters(), lr=0.1),
                  X, np.abs(labels) % 3, trace=True, progress=False)


def test_default_steps_run_every_layer_and_the_engine_and_trace_runs_them_once():
    """A 24-step fit (96 samples, batch 4) of a 2-layer MLP: by default Linear.forward runs
    twice and the engine once per step; with trace=True only the first step runs them."""
    X = np.random.default_rng(0).standard_normal((96, 2))
    labels = np.arange(96) % 3
    counts = {}
    for trace in (False, True):
        model = nn.MLP([2, 4, 3], activation="relu")
        with mock.patch.object(nn.Linear, "forward", autospec=True,
                               side_effect=nn.Linear.forward) as forward, \
                mock.patch.object(engine, "run_backward", wraps=engine.run_backward) as back:
            train.fit(model, F.cross_entropy, SGD(model.parameters(), lr=0.1), X, labels,
                      epochs=1, batch_size=4, progress=False, trace=trace)
        counts[trace] = forward.call_count, back.call_count
    # plain: 2 layers × 24 steps, and the evaluation fit runs first (one batch, 2 layers)
    assert counts[False] == (2 * 24 + 2, 24)
    assert counts[True] == (2 + 2, 0)  # traced once; the replay calls neither
