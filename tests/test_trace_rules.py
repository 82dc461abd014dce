"""``ag.trace``'s rules about what ``fn`` reads from outside, value reads and threads:

- a leaf whose identity changed (``layer.weight = nn.Parameter(...)``, a child module
  replaced, a global tensor rebound) re-traces;
- a number from outside ``fn`` (closure, global, an attribute of an object there, a module
  setting), Python's or NumPy's, re-traces when it changes; one the trace cannot watch (a
  helper's variable) warns once, naming the op and the value;
- reading a value while tracing (``.data``, ``np.asarray``, ``.numpy()``) warns, as
  ``item()`` does, while nn's own layers and losses trace without a warning;
- one step called from several threads gives the sequential gradients (a lock per step);
- a list argument is refused with an error naming ``trace``.

Each is checked against the plain step ``fn(*args).backward()``.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import autograd as ag
import nn
from nn import functional as F


def plain_grads(fn, params, *args):
    for p in params:
        p.grad = None
    fn(*args).backward()
    return [p.grad.data.copy() for p in params]


def traced_grads(step, params, *args):
    for p in params:
        p.grad = None
    step(*args)
    return [p.grad.data.copy() for p in params]


def assert_same(got, want):
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------- leaves replaced
def test_a_replaced_parameter_is_read_and_updated_not_the_old_one():
    ag.manual_seed(0)
    layer = nn.Linear(3, 2)
    X = np.ones((4, 3))

    def fn(X):
        return layer(X).sum()

    step = ag.trace(fn)
    step(X)
    old = layer.weight
    layer.weight = nn.Parameter(np.full((2, 3), 0.5))
    old.grad = None
    loss = step(X)
    assert old.grad is None, "the replay sent a gradient to the replaced parameter"
    np.testing.assert_allclose(layer.weight.grad.data, np.full((2, 3), 4.0))
    np.testing.assert_allclose(loss.data, fn(X).data)
    assert step.traces == 2


def test_a_replaced_child_module_re_traces():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    X = np.linspace(-1, 1, 6).reshape(2, 3)

    def fn(X):
        return model(X).sum()

    step = ag.trace(fn)
    step(X)
    model[0] = nn.Linear(3, 4)
    params = list(model.parameters())
    assert_same(traced_grads(step, params, X), plain_grads(fn, params, X))
    assert step.traces == 2


def test_a_rebound_global_tensor_re_traces():
    global W
    W = ag.Tensor(np.ones((3, 2)), requires_grad=True)
    X = np.ones((2, 3))

    def fn(X):
        return (X @ W).sum()

    step = ag.trace(fn)
    step(X)
    W = ag.Tensor(np.full((3, 2), 2.0), requires_grad=True)
    step(X)
    np.testing.assert_allclose(W.grad.data, np.full((3, 2), 2.0))
    assert step.traces == 2


def test_unchanged_leaves_and_numbers_replay_without_re_tracing():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.1), nn.Dropout(0.2), nn.Linear(4, 2))
    lam = 0.01
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)

    def fn(X, t):
        return F.cross_entropy(model(X), t) + lam * sum((p * p).sum() for p in model.parameters())

    step = ag.trace(fn)
    for _ in range(5):
        optimizer.zero_grad()
        step(np.ones((2, 3)), np.array([0, 1]))
        optimizer.step()
        optimizer.lr *= 0.9  # not read by fn: no reason to re-trace
    assert step.traces == 1


# ----------------------------------------------------------------- numbers from outside
W2 = None


@pytest.mark.parametrize("kind", [float, np.float64, np.float32, int])
def test_a_closure_number_changed_between_calls_re_traces(kind):
    w = ag.Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    lam = kind(1)

    def fn(x):
        return (x * w).sum() + lam * (w * w).sum()

    step = ag.trace(fn)
    x = np.ones(3)
    for value in (1, 3, 3, 5):
        lam = kind(value)
        assert_same(traced_grads(step, [w], x), plain_grads(fn, [w], x))
    assert step.traces == 3


def test_a_number_in_an_object_attribute_a_global_or_a_module_setting_re_traces():
    global W2

    class Config:
        lam = 0.5

    config = Config()
    W2 = 2.0
    w = ag.Tensor(np.array([0.5, -1.5]), requires_grad=True)
    act = nn.LeakyReLU(0.1)

    def fn(x):
        return act(x * w).sum() * config.lam + W2 * (w * w).sum()

    step = ag.trace(fn)
    x = np.array([1.0, 1.0])
    for change in (lambda: None, lambda: setattr(config, "lam", 3.0),
                   lambda: globals().__setitem__("W2", 7.0),
                   lambda: setattr(act, "negative_slope", 0.3)):
        change()
        assert_same(traced_grads(step, [w], x), plain_grads(fn, [w], x))
    assert step.traces == 4


def test_a_number_the_trace_cannot_watch_warns_naming_the_op_and_the_value():
    w = ag.Tensor(np.array([1.0, 2.0]), requires_grad=True)
    weights = {"lam": 0.25}

    def penalty(t, lam):
        return lam * (t * t).sum()  # lam: a helper's variable, fed from a dict lookup

    def fn(x):
        return (x * w).sum() + penalty(w, weights["lam"] + 0.0)

    step = ag.trace(fn)
    with pytest.warns(UserWarning, match=r"mul received the Python number 0\.25"):
        step(np.ones(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step(np.ones(2))  # replays warn no more


def test_a_literal_number_in_fn_does_not_warn():
    w = ag.Tensor(np.array([1.0, 2.0]), requires_grad=True)

    def fn(x):
        scale = 0.5
        return scale * ((x * w) ** 2).sum() + 1e-3 * (w * w).sum()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ag.trace(fn)(np.ones(2))


# ----------------------------------------------------------------- value reads
@pytest.mark.parametrize("read", [lambda h: h.data, lambda h: np.asarray(h),
                                  lambda h: h.numpy()], ids=[".data", "np.asarray", "numpy()"])
def test_reading_a_value_while_tracing_warns(read):
    w = ag.Tensor(np.ones((3, 2)), requires_grad=True)

    def fn(X):
        h = X @ w
        read(h)
        return h.sum()

    with pytest.warns(UserWarning, match="read a tensor's value"):
        ag.trace(fn)(np.ones((2, 3)))


LAYERS = [nn.Linear(4, 3), nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.Softmax(dim=1),
          nn.LogSoftmax(dim=1), nn.Flatten(), nn.LeakyReLU(0.1), nn.ELU(), nn.GELU(), nn.SiLU(),
          nn.Softplus(), nn.LogSigmoid(), nn.Hardtanh(), nn.Dropout(0.3), nn.Identity()]
LABELS, ZEROS, SIGNS = np.array([0, 2]), np.zeros((2, 3)), np.array([1, -1])
# the losses nn.fit replays (nn.train.REPLAYABLE_LOSSES) and their modules; the others are
# refused by ag.trace with an error (label smoothing and nll_loss index with arrays they make)
LOSSES = {  # name: (the target, passed to the step; the loss of the model's output y)
    "cross_entropy": (LABELS, F.cross_entropy),
    "CrossEntropyLoss": (LABELS, nn.CrossEntropyLoss()),
    "mse_loss": (ZEROS, F.mse_loss),
    "MSELoss": (ZEROS, nn.MSELoss(reduction="sum")),
    "l1_loss": (ZEROS, F.l1_loss),
    "binary_cross_entropy_with_logits": (ZEROS + 1, F.binary_cross_entropy_with_logits),
    "hinge_loss": (SIGNS, lambda y, t: F.hinge_loss(y[:, 0], t)),
}


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("layer", LAYERS, ids=lambda m: type(m).__name__)
def test_nn_layers_and_losses_trace_without_warnings(layer, loss):
    ag.manual_seed(0)
    model = nn.Sequential(layer) if isinstance(layer, nn.Linear) else nn.Sequential(
        nn.Linear(4, 3), layer)
    X = np.linspace(-1, 1, 8).reshape(2, 4)
    target, loss_fn = LOSSES[loss]

    def fn(X, t):
        return loss_fn(model(X), t)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        step = ag.trace(fn)
        step(X, target)
        step(X, target)
    assert step.traces == 1


# ----------------------------------------------------------------- threads
def test_one_step_called_from_several_threads_gives_the_sequential_gradients():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 4))
    rng = np.random.default_rng(0)
    batches = [(rng.standard_normal((16, 8)), rng.integers(0, 4, 16)) for _ in range(24)]

    def fn(X, t):
        return F.cross_entropy(model(X), t)

    params = list(model.parameters())
    for p in params:
        p.grad = None
    for X, t in batches:
        fn(X, t).backward()
    expected = [p.grad.data.copy() for p in params]

    step = ag.trace(fn)
    step(*batches[0])  # traced once; the threads replay
    for p in params:
        p.grad = None
    start = threading.Barrier(4)

    def work(part):
        start.wait()
        for X, t in part:
            step(X, t)

    threads = [threading.Thread(target=work, args=(batches[k::4],)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for p, want in zip(params, expected, strict=True):
        np.testing.assert_allclose(p.grad.data, want, rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------- arguments
@pytest.mark.parametrize("argument", [[1.0, 2.0], {"a": 1}, {1, 2}])
def test_an_unhashable_argument_is_refused_naming_trace(argument):
    w = ag.Tensor(np.ones(2), requires_grad=True)
    step = ag.trace(lambda x, extra: (w * x).sum())
    with pytest.raises(TypeError, match=r"trace: argument 1 is a"):
        step(np.ones(2), argument)
