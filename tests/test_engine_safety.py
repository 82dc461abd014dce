"""The engine under misuse: threads, the paused collector,
gradients that own their memory, version counters, hooks that change a gradient's shape,
where's mask, and anomaly mode."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

import numpy as np
import pytest

import autograd as ag
import nn
from nn import optim


def leaf(values):
    return ag.Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def run_in_threads(work, n_threads: int = 4) -> None:
    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_threads_lose_no_gradient_updates():
    x = leaf([1.0, 2.0, 3.0])

    def work():
        for _ in range(3000):
            (x * 2).sum().backward()

    run_in_threads(work)
    np.testing.assert_array_equal(x.grad.data, [24000.0] * 3)


def test_concurrent_backward_leaves_the_collector_as_it_was():
    x = leaf(np.ones(50))

    def work():
        for _ in range(500):
            ((x * 2).tanh() * x).sum().backward()

    assert gc.isenabled()
    run_in_threads(work)
    assert gc.isenabled()
    gc.disable()
    try:
        run_in_threads(work)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_each_grad_owns_its_array():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (a + b).sum().backward()  # add sends one gradient array to both inputs
    assert not np.shares_memory(a.grad.data, b.grad.data)
    a.grad.data[0] = 100.0
    np.testing.assert_array_equal(b.grad.data, [1.0, 1.0])


class _Twice(ag.Function):
    """y = 2a, whose backward remembers each gradient array it hands out."""

    name = "twice"
    sent: ClassVar[list] = []

    def forward(self, a):
        return 2 * a

    def backward(self, grad, a):
        g = 2 * grad
        self.sent.append(g)
        return (g,)


@pytest.mark.parametrize("depth", [1, 3, 8])
def test_a_leaf_keeps_the_gradient_array_it_was_sent(depth):
    """A fresh gradient array becomes the leaf's .grad as it is: no copy. (The engine once
    matched arrays already handed out by id, and a freed array's id, given to a new array
    within the pass, caused a copy of a full weight gradient per training step.)"""
    x = leaf(np.ones((32, 16)))
    y = _Twice.apply(x)
    for _ in range(depth):
        y = (y * 1.5).tanh() + 0.5  # arrays made and freed during the pass
    _Twice.sent.clear()
    y.sum().backward()
    assert x.grad.data is _Twice.sent[0]


def test_a_grad_never_shares_the_callers_gradient():
    x = leaf([1.0, 2.0])
    g = np.array([5.0, 6.0])
    x.backward(g)  # the output is the leaf itself
    y = x * 1.0
    y.retain_grad()
    y.backward(g)
    for t in (x, y):
        assert not np.shares_memory(t.grad.data, g)
    (h,) = ag.grad(x.reshape(2, 1), x, grad_outputs=g.reshape(2, 1))
    assert not np.shares_memory(h.data, g)


def test_a_broadcast_gradient_is_writable():
    b = leaf([1.0, 2.0])
    (b + np.zeros((3, 2))).sum().backward()
    b.grad.data[:] = 0.0  # a .grad is an ordinary array, not a read-only view


@pytest.mark.parametrize("change", ["data -=", "data =", "mark_changed"])
def test_an_input_changed_in_place_makes_backward_raise(change):
    w = leaf([1.0, 2.0])
    y = (w * np.array([3.0, 4.0])).sum()
    if change == "data -=":
        w.data -= 0.5
    elif change == "data =":
        w.data = np.zeros(2)
    else:
        w.data[0] = 9.0
        w.mark_changed()
    with pytest.raises(RuntimeError, match=r"input of mul .*changed in place"):
        y.backward()


def test_optimizer_step_before_backward_of_an_older_graph_raises():
    ag.manual_seed(0)
    model = nn.Linear(3, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    x = ag.Tensor(np.ones((4, 3)))
    first = model(x).sum()
    second = model(x).sum()
    first.backward()
    opt.step()  # changes the weights the second graph was built from
    with pytest.raises(RuntimeError, match="linear"):
        second.backward()


def test_load_state_dict_counts_as_a_change():
    ag.manual_seed(0)
    model = nn.Linear(2, 2)
    loss = model(ag.Tensor(np.ones((1, 2)))).sum()
    model.load_state_dict(model.state_dict())
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


@pytest.mark.parametrize("initialise", [nn.init.zeros, nn.init.normal, nn.init.uniform,
                                        nn.init.xavier_uniform, nn.init.kaiming_normal])
def test_reinitialising_a_weight_counts_as_a_change(initialise):
    ag.manual_seed(0)
    model = nn.Linear(2, 2)
    loss = model(ag.Tensor(np.ones((1, 2)))).sum()
    initialise(model.weight)
    with pytest.raises(RuntimeError, match=r"input of linear .*changed in place"):
        loss.backward()


def test_changes_after_backward_are_fine():
    w = leaf([1.0, 2.0])
    (w * w).sum().backward()
    w.data -= 0.1
    (w * w).sum().backward()
    np.testing.assert_allclose(w.grad.data, 2 * np.array([1.0, 2.0]) + 2 * w.data)


def test_a_hook_that_changes_the_shape_raises_naming_both_shapes():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"shape \(\).*shape \(2,\)"):
        (x * 2).sum().backward()
    y = leaf([1.0, 2.0])
    h = y * 3
    h.register_hook(lambda g: np.ones(3))
    with pytest.raises(RuntimeError, match=r"mul.*\(3,\).*\(2,\)"):
        h.sum().backward()


def test_a_hook_removal_handle_may_be_called_twice():
    x = leaf([1.0])
    remove = x.register_hook(lambda g: g * 10)
    remove()
    remove()
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0])


def test_where_reads_its_condition_as_a_mask():
    a, b = leaf([1.0, 1.0]), leaf([1.0, 1.0])
    ag.where(np.array([2, 0]), a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [1.0, 0.0])
    np.testing.assert_array_equal(b.grad.data, [0.0, 1.0])


class Log(nn.Module):
    def forward(self, x):
        return x.log()


def test_anomaly_mode_names_the_op_and_the_module_path():
    model = nn.Sequential(nn.Linear(2, 2), Log())
    model[0].weight.data[...] = -1.0  # every output negative: log makes NaN
    model[0].bias.data[...] = 0.0
    x = ag.Tensor([[1.0, 2.0]])
    with ag.detect_anomaly(), pytest.raises(FloatingPointError) as error:
        model(x)
    message = str(error.value)
    assert "log made NaN in its forward" in message
    assert "1: Log → log" in message and "shape (1, 2) in [-3, -3]" in message
    model(x)  # off again: no error


def test_anomaly_mode_catches_a_backward_that_makes_inf():
    x = leaf([0.0, 1.0])
    y = x.sqrt().sum()  # finite forward; ∂√x/∂x = 1/(2√x) is inf at 0
    with ag.detect_anomaly(), pytest.raises(FloatingPointError, match="sqrt made inf in its "
                                                                      "backward"):
        y.backward()
