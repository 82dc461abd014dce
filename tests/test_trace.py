"""``ag.trace``: a replayed step gives what ``fn(*args).backward()`` gives — the loss and
every ``.grad`` — over training steps (S13's chain rule without the per-node bookkeeping),
draws Dropout's masks afresh (S19), re-traces when shapes or modes change, and refuses,
with an error naming ``trace``, what it cannot replay."""

from __future__ import annotations

import gc
import warnings
import weakref
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import functional as F
from nn.optim import SGD

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def network(sizes: list[int], activation: str, p: float, dtype, seed: int) -> nn.Sequential:
    """Linear layers with ``activation`` and Dropout(p) between them, initialised from
    ``seed`` (two calls give two identical networks)."""
    ag.manual_seed(seed)
    ag.set_default_dtype(dtype)
    try:
        layers = []
        for n_in, n_out in pairwise(sizes):
            layers += [nn.Linear(n_in, n_out), ACTIVATIONS[activation](), nn.Dropout(p)]
        return nn.Sequential(*layers[:-2])
    finally:
        ag.set_default_dtype(np.float64)


def loss_function(kind: str, model: nn.Module):
    """``fn(X, t)`` of the step: one of the losses the library trains with."""
    def fn(X, t):
        out = model(X)
        if kind == "cross_entropy":
            return F.cross_entropy(out, t)
        if kind == "mse":
            return F.mse_loss(out, t)
        if kind == "bce_logits":
            return F.binary_cross_entropy_with_logits(out, t)
        # micrograd's moons demo: max-margin loss + L2 penalty
        return F.relu(1 - out * t).mean() + 1e-4 * sum((p * p).sum() for p in model.parameters())
    return fn


def targets(kind: str, rng: np.random.Generator, n: int, outputs: int, dtype) -> np.ndarray:
    if kind == "cross_entropy":
        return rng.integers(0, outputs, n)
    if kind == "moons":
        return rng.choice([-1.0, 1.0], (n, outputs)).astype(dtype)
    return rng.random((n, outputs)).astype(dtype)


def grads(model: nn.Module) -> list[np.ndarray]:
    return [p.grad.data.copy() for p in model.parameters()]


@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
       activation=st.sampled_from(sorted(ACTIVATIONS)),
       kind=st.sampled_from(["cross_entropy", "mse", "bce_logits", "moons"]),
       dtype=st.sampled_from([np.float64, np.float32]),
       p=st.sampled_from([0.0, 0.3]), batch=st.integers(1, 6),
       as_tensor=st.booleans(), seed=st.integers(0, 2**16))
def test_a_traced_step_gives_the_plain_steps_loss_and_gradients(
        sizes, activation, kind, dtype, p, batch, as_tensor, seed):
    if kind == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    if kind == "moons":
        sizes[-1] = 1
    plain, traced = (network(sizes, activation, p, dtype, seed) for _ in range(2))
    plain_fn, traced_fn = loss_function(kind, plain), loss_function(kind, traced)
    step = ag.trace(traced_fn)
    optimizers = SGD(plain.parameters(), lr=0.1), SGD(traced.parameters(), lr=0.1)
    rng = np.random.default_rng(seed)
    tolerance = 1e-10 if dtype == np.float64 else 1e-5
    for k in range(4):  # new data each step; the optimizer moves the parameters
        X = rng.standard_normal((batch, sizes[0])).astype(dtype)
        t = targets(kind, rng, batch, sizes[-1], dtype)
        X = ag.Tensor(X) if as_tensor else X
        for optimizer in optimizers:
            optimizer.zero_grad()
        ag.manual_seed(seed + k)  # the same Dropout masks in both
        expected = plain_fn(X, t)
        expected.backward()
        ag.manual_seed(seed + k)
        loss = step(X, t)
        np.testing.assert_allclose(loss.data, expected.data, rtol=tolerance, atol=tolerance)
        for got, want in zip(grads(traced), grads(plain)):
            np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)
        for optimizer in optimizers:
            optimizer.step()
    assert step.traces == 1
    assert loss.grad_fn is None and not loss.requires_grad


@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
       batches=st.lists(st.integers(1, 4), min_size=1, max_size=5), seed=st.integers(0, 99))
def test_a_step_returning_the_loss_and_the_output_gives_the_plain_values(
        sizes, batches, seed):
    sizes[-1] = max(sizes[-1], 2)
    plain, traced = (network(sizes, "relu", 0.0, np.float64, seed) for _ in range(2))
    step = ag.trace(lambda X, t: (F.cross_entropy(out := traced(X), t), out))
    optimizers = SGD(plain.parameters(), lr=0.5), SGD(traced.parameters(), lr=0.5)
    rng = np.random.default_rng(seed)
    for n in batches:
        X, t = rng.standard_normal((n, sizes[0])), rng.integers(0, sizes[-1], n)
        for optimizer in optimizers:
            optimizer.zero_grad()
        expected_output = plain(X)
        expected_loss = F.cross_entropy(expected_output, t)
        expected_loss.backward()
        loss, output = step(X, t)
        np.testing.assert_allclose(loss.data, expected_loss.data, rtol=1e-12)
        np.testing.assert_allclose(output.data, expected_output.data, rtol=1e-12)
        assert output.grad_fn is None and not output.requires_grad
        for got, want in zip(grads(traced), grads(plain)):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
        for optimizer in optimizers:
            optimizer.step()


def test_the_first_runs_activations_are_not_kept_by_the_step():
    w = ag.Tensor(np.ones((3, 4)), requires_grad=True)
    activations = []

    def fn(X):
        h = X @ w  # no op keeps it for its backward (tanh keeps its own output)
        activations.append(weakref.ref(h.data))
        return h.tanh().sum()

    step = ag.trace(fn)
    with pytest.warns(UserWarning, match=r"\.data"):  # reading h.data while tracing
        step(np.ones((2, 3)))
    gc.collect()
    assert activations[0]() is None
    w.grad = None
    step(np.ones((2, 3)))  # and the replay still works from the kept ops
    np.testing.assert_allclose(w.grad.data, 2 * (1 - np.tanh(3.0) ** 2))


def test_dropout_draws_a_fresh_mask_at_every_replay_and_the_plain_ones_under_a_seed():
    drop = nn.Dropout(0.5)
    w = ag.Tensor(np.ones(200), requires_grad=True)
    step = ag.trace(lambda: drop(w).sum())
    ag.manual_seed(1)
    masks = []
    for _ in range(3):
        w.grad = None
        step()
        masks.append(w.grad.data.copy())  # ∂Σ(w·m/(1−p))/∂w = m/(1−p)
    assert not np.array_equal(masks[1], masks[2])
    assert set(np.unique(masks[2])) == {0.0, 2.0}
    ag.manual_seed(1)
    for mask in masks:
        w.grad = None
        drop(w).sum().backward()
        np.testing.assert_array_equal(w.grad.data, mask)


def test_eval_mode_re_traces_without_dropout_and_train_mode_brings_it_back():
    model = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.Linear(4, 1))
    X = np.ones((5, 3))
    step = ag.trace(lambda X: model(X).sum())
    step(X)
    model.eval()
    model.zero_grad()
    step(X)
    assert step.traces == 2
    first = grads(model)
    model.zero_grad()
    model(X).sum().backward()  # eval: deterministic, the plain step's gradients
    for got, want in zip(first, grads(model)):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    model.train()
    step(X)
    assert step.traces == 3


@given(sizes=st.lists(st.integers(1, ag.tracing.KEPT_PLANS), min_size=3, max_size=8),
       seed=st.integers(0, 99))
def test_each_batch_size_is_traced_once_and_gives_the_plain_gradients(sizes, seed):
    model = network([2, 4, 1], "tanh", 0.0, np.float64, seed)
    fn = loss_function("moons", model)
    step = ag.trace(fn)
    rng = np.random.default_rng(seed)
    for n in sizes:
        X, t = rng.standard_normal((n, 2)), rng.choice([-1.0, 1.0], (n, 1))
        model.zero_grad()
        step(X, t)
        got = grads(model)
        model.zero_grad()
        fn(X, t).backward()
        for g, want in zip(got, grads(model)):
            np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-15)
    assert step.traces == len(set(sizes))  # a plan per batch size (the last batch's too)


def test_the_oldest_plan_is_dropped_beyond_the_kept_number():
    w = ag.Tensor(np.ones(1), requires_grad=True)
    step = ag.trace(lambda x: (w * x).sum())
    sizes = range(1, ag.tracing.KEPT_PLANS + 2)
    for _ in range(2):
        for n in sizes:
            step(np.ones(n))
    assert step.traces == 2 * len(sizes)  # each plan dropped before its size came back
    for n in reversed(sizes[1:]):  # the last KEPT_PLANS sizes are still kept
        step(np.ones(n))
    assert step.traces == 2 * len(sizes)


def test_a_new_dtype_or_non_array_argument_re_traces():
    w = ag.Tensor(np.ones(3), requires_grad=True)
    step = ag.trace(lambda x, scale: (w * x * scale).sum())
    step(np.ones(3), 2.0)
    step(np.ones(3, np.float32), 2.0)
    assert step.traces == 2
    w.grad = None
    step(np.ones(3, np.float32), 5.0)
    assert step.traces == 3
    np.testing.assert_allclose(w.grad.data, 5.0)


def test_gradients_accumulate_and_each_grad_owns_its_array():
    a = ag.Tensor(np.ones(3), requires_grad=True)
    b = ag.Tensor(np.ones(3), requires_grad=True)
    step = ag.trace(lambda x: ((a + b) * x).sum())  # add sends one gradient to both
    x = np.array([1.0, 2.0, 3.0])
    step(x)
    assert not np.shares_memory(a.grad.data, b.grad.data)
    step(x)
    np.testing.assert_array_equal(a.grad.data, 2 * x)
    np.testing.assert_array_equal(b.grad.data, 2 * x)


def test_a_tensor_argument_that_requires_grad_receives_its_gradient():
    w = ag.Tensor(np.array([1.0, -2.0]), requires_grad=True)
    step = ag.trace(lambda x: (w * x * x).sum())
    step(ag.Tensor(np.ones(2), requires_grad=True))
    x = ag.Tensor(np.array([3.0, 4.0]), requires_grad=True)
    step(x)
    np.testing.assert_array_equal(x.grad.data, 2 * w.data * x.data)  # ∂(w x²)/∂x = 2wx


def test_the_parameters_are_read_afresh_after_every_update():
    w = ag.Tensor(np.array([1.0, 2.0]), requires_grad=True)
    step = ag.trace(lambda: (w * w).sum())
    assert step().item() == 5.0
    w.data = np.array([3.0, 0.0])  # a new array, as an optimizer may assign
    w.grad = None
    assert step().item() == 9.0
    np.testing.assert_array_equal(w.grad.data, [6.0, 0.0])


def test_a_frozen_parameter_re_traces_and_gets_no_gradient():
    model = nn.Linear(2, 1)
    step = ag.trace(lambda X: model(X).sum())
    step(np.ones((3, 2)))
    model.weight.requires_grad = False
    model.zero_grad()
    step(np.ones((3, 2)))
    assert step.traces == 2 and model.weight.grad is None and model.bias.grad is not None


def test_a_hook_on_a_leaf_runs_at_every_replay():
    w = ag.Tensor(np.ones(2), requires_grad=True)
    w.register_hook(lambda g: g * 10)
    step = ag.trace(lambda: (3 * w).sum())
    step()
    step()
    np.testing.assert_array_equal(w.grad.data, [60.0, 60.0])


# ------------------------------------------------------------------ what is refused
w = ag.Tensor(np.ones(3), requires_grad=True)


@pytest.mark.parametrize("fn, message", [
    (lambda: w * 2, r"one-element Tensor.*shape \(3,\)"),
    (lambda: ag.Tensor(1.0), "does not require grad"),
    (lambda: 1.5, "got float"),
    (lambda: w[0], None),
])
def test_the_loss_must_be_a_one_element_tensor_made_by_ops(fn, message):
    if message is None:
        ag.trace(fn)()  # a one-element result of an op is a loss
        return
    with pytest.raises(RuntimeError, match="trace: fn must return the loss.*" + message):
        ag.trace(fn)()


@pytest.mark.parametrize("extra, got", [
    (lambda loss: ag.Tensor(1.0), "a tensor no op made"),
    (lambda loss: 3, "int"),
    (lambda loss: (w * 2).detach(), "a tensor no op made"),
])
def test_other_outputs_must_be_tensors_made_by_ops(extra, got):
    def fn():
        loss = (w * w).sum()
        return loss, extra(loss)

    with pytest.raises(RuntimeError, match="trace: output 1 of fn must be a tensor computed "
                       f"by ops.*got {got}"):
        ag.trace(fn)()


def test_a_step_under_no_grad_is_refused():
    with ag.no_grad(), pytest.raises(RuntimeError, match=r"trace: .*no_grad"):
        ag.trace(lambda: w.sum())()


def hooked():
    y = w * 2
    y.register_hook(lambda g: g)
    return y.sum()


def retained():
    y = w * 2
    y.retain_grad()
    return y.sum()


def taped():
    loss = (w * 2).sum()
    ag.retain_grads(loss)
    return loss


@pytest.mark.parametrize("fn, message", [
    (hooked, "hook on the result of mul"),
    (retained, r"retain_grad\(\)"),
    (taped, "ag.retain_grads"),
])
def test_hooks_and_kept_intermediates_are_refused(fn, message):
    step = ag.trace(fn)
    with pytest.raises(RuntimeError, match="trace: .*" + message):
        step()
    with pytest.raises(RuntimeError):  # no stale plan was kept
        step()


def test_an_argument_with_a_graph_is_refused():
    with pytest.raises(RuntimeError, match="trace: argument 0 is the result of mul"):
        ag.trace(lambda x: (x * w).sum())(w * 2)


OUTSIDE = np.ones((2, 3))


@pytest.mark.parametrize("fn, message", [
    (lambda x: (w * (x * 2)).sum(), r"array of shape \(3,\)"),           # NumPy on an argument
    (lambda x: (w * x.mean()).sum(), r"array of shape \(\)"),            # a NumPy scalar
    (lambda x: (w * OUTSIDE).sum(), r"array of shape \(2, 3\)"),         # not an argument
    (lambda x: (w * ag.tensor(x)).sum(), r"constant tensor of shape \(3,\)"),
    (lambda x: (w * ag.Tensor(OUTSIDE)).sum(), r"constant tensor of shape \(2, 3\)"),
    (lambda x: ag.where(w * x > 1, w, 0).sum(), r"constant tensor of shape \(3,\)"),
    (lambda x: (ag.Tensor(x, requires_grad=True) * w).sum(), "tensor that requires grad"),
])
def test_values_made_inside_fn_outside_the_graph_are_refused(fn, message):
    with pytest.raises(RuntimeError, match="trace: .*" + message + ".*made inside fn"):
        ag.trace(fn)(np.arange(3.0))


def test_a_constant_tensor_that_outlives_fn_is_read_afresh():
    scale = ag.Tensor(np.array([1.0, 2.0, 3.0]))
    step = ag.trace(lambda: (w * scale).sum())
    step()
    scale.data = np.array([5.0, 5.0, 5.0])
    w.grad = None
    step()
    np.testing.assert_array_equal(w.grad.data, [5.0, 5.0, 5.0])


@pytest.mark.parametrize("read", [bool, float, int, lambda t: t.item()])
def test_reading_a_value_while_tracing_warns_naming_trace(read):
    def fn():
        loss = (w * w).sum()
        read(loss > 0 if read is bool else loss)
        return loss

    with pytest.warns(UserWarning, match="ag.trace: fn read a tensor's value"):
        step = ag.trace(fn)
        step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step()  # a replay runs no Python of fn, so it reads nothing
        read((w * w).sum() > 0 if read is bool else (w * w).sum())  # no warning outside


def test_under_detect_anomaly_the_step_returns_what_fn_returns():
    x = ag.Tensor(np.array([1.0, 2.0]), requires_grad=True)
    step = ag.trace(lambda: ((y := x * 3).sum(), y))
    with ag.detect_anomaly():
        loss, y = step()
    assert loss.item() == 9.0 and y.grad_fn is None
    np.testing.assert_array_equal(y.data, [3.0, 6.0])
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_under_detect_anomaly_the_step_runs_plainly_and_names_the_op():
    x = ag.Tensor(np.array([1.0, -1.0]), requires_grad=True)
    step = ag.trace(lambda: x.log().sum())
    with ag.detect_anomaly(), np.errstate(invalid="ignore"), pytest.raises(
            FloatingPointError, match="log"):
        step()
    assert step.traces == 0


# −1 would silently pick the row's last entry; −100 is the default ignore_index
@pytest.mark.parametrize("bad", [3, -1, -100])
def test_bad_labels_in_a_replay_raise_naming_the_op(bad):
    model = nn.Linear(2, 3)
    step = ag.trace(lambda X, labels: F.cross_entropy(model(X), labels))
    step(np.ones((2, 2)), np.array([0, 2]))
    with pytest.raises(ValueError, match=r"trace: cross_entropy failed in a replay.*\[0, 2\]"
                       r".*ignore_index"):
        step(np.ones((2, 2)), np.array([0, bad]))  # nn's label check ran only when tracing
