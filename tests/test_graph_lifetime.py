"""Graph lifetime: after a plain backward a live output keeps no activations, as
in PyTorch; ``ag.retain_grads`` before backward keeps values, every δ and a record of the
pass, which ``explain`` reads."""

from __future__ import annotations

import gc
import warnings
import weakref

import numpy as np
import pytest
from hypothesis import given
from test_viz import build, expressions

import autograd as ag
import nn
from autograd.memory import reachable_bytes
from nn import functional as F


def mlp_loss(model, x, labels):
    return F.cross_entropy(model(x), labels)


@pytest.fixture(scope="module")
def setting():
    ag.manual_seed(0)
    model = nn.MLP([1024, 2048, 2048, 2048, 10], activation="relu")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1024))  # bench/bench_memory.py runs batch 512
    labels = rng.integers(0, 10, 64)
    return model, x, labels


def test_a_live_loss_keeps_no_activations_after_backward(setting):
    model, x, labels = setting
    params = [*model.parameters(), x]  # x: the caller's array, held anyway
    loss = mlp_loss(model, x, labels)
    before = reachable_bytes(loss, exclude=params)
    assert before > 3e6  # the activations: 3 × 64 × 2048 floats and more
    loss.backward()
    assert reachable_bytes(loss, exclude=params) < 100_000
    model.zero_grad()


def test_an_input_batch_only_the_graph_holds_is_freed_too(setting):
    model, x, labels = setting
    loss = mlp_loss(model, x.copy(), labels)  # a temporary batch: nothing else holds it
    loss.backward()
    assert reachable_bytes(loss, exclude=list(model.parameters())) < 100_000
    model.zero_grad()


def test_a_list_of_losses_keeps_no_activations(setting):
    model, x, labels = setting
    params = [*model.parameters(), x]  # x: the caller's array, held anyway
    history = []
    for _ in range(20):
        loss = mlp_loss(model, x, labels)
        loss.backward()
        history.append(loss)
    assert reachable_bytes(history, exclude=params) < 1_000_000
    model.zero_grad()


def test_retain_graph_then_a_plain_backward_frees(setting):
    model, x, labels = setting
    params = [*model.parameters(), x]  # x: the caller's array, held anyway
    loss = mlp_loss(model, x, labels)
    loss.backward(retain_graph=True)
    assert reachable_bytes(loss, exclude=params) > 3e6  # kept for the second pass
    loss.backward()
    assert reachable_bytes(loss, exclude=params) < 100_000
    model.zero_grad()


def test_tensors_the_caller_holds_keep_their_values_and_the_drawing_shows_the_structure():
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="x")
    h = (x * 3.0).tanh()
    h.name = "h"
    loss = (h * h).sum()
    loss.backward()
    np.testing.assert_array_equal(h.data, np.tanh([3.0, 6.0]))  # the caller's h is intact
    source = ag.draw(loss).source
    h_node = next(line for line in source.splitlines() if "<B>h</B>" in line)
    assert "0.9951" not in h_node  # the graph keeps no intermediate tensor, only its node
    assert source.count("<I>values freed by backward</I>") == 3  # x * 3, h and h * h
    assert source.count("call ag.retain_grads(output) before output.backward()") == 1
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    x_node = next(line for line in source.splitlines() if "<B>x</B>" in line)
    assert f"{x.grad.data[0]:.4g}" in x_node  # the leaf's value and gradient are drawn


def test_a_constant_input_is_drawn_with_its_values_while_the_caller_holds_it():
    model = nn.MLP([2, 3, 1])
    batch = np.array([[0.125, 0.75]])
    held = ag.Tensor(batch, name="held")
    loss = model(held).sum() + model(ag.Tensor(batch * 2, name="temporary")).sum()
    loss.backward()
    source = ag.draw(loss).source
    row = {name: next(line for line in source.splitlines() if f"<B>{name}</B>" in line)
           for name in ("held", "temporary")}
    assert "0.125" in row["held"] and "values freed" not in row["held"]
    assert "values freed" in row["temporary"] and "0.25" not in row["temporary"]
    del held  # once the caller lets go, the graph keeps no values of it
    gc.collect()
    row = next(line for line in ag.draw(loss).source.splitlines() if "<B>held</B>" in line)
    assert "values freed" in row and "0.125" not in row


# Ops whose backward reads no value of their input, only what forward noted (its shape,
# dtype, the index, the axes): with retain_graph the graph keeps no copy of x·2.
SHAPE_ONLY = {
    "sum": lambda h: h.sum(),
    "mean": lambda h: h.mean(),
    "reshape": lambda h: h.reshape(-1).sum(),
    "transpose": lambda h: h.T.sum(),
    "getitem": lambda h: h[:10].sum(),
    "astype": lambda h: h.astype(np.float32).sum(),
    "concatenate": lambda h: ag.concatenate([h, h]).sum(),
}


@pytest.mark.parametrize("op", sorted(SHAPE_ONLY))
def test_ops_whose_backward_reads_no_values_keep_none(op):
    x = ag.Tensor(np.ones((500, 200)), requires_grad=True)
    loss = SHAPE_ONLY[op](x * 2.0)  # mul keeps x (the caller's) and 2
    loss.backward(retain_graph=True)
    assert reachable_bytes(loss, exclude=[x]) < 10_000  # x·2 alone is 800,000 bytes
    first = x.grad.data.copy()
    loss.backward()  # the second pass still has what it needs: the same gradient again
    np.testing.assert_allclose(x.grad.data, 2 * first)


# Ops whose backward reads only an array forward saved (a mask, a share, the output):
# with retain_graph the graph keeps that array, and not x·2 as well.
SAVED_ONLY = {
    "abs": lambda h: h.abs().sum(),
    "max": lambda h: h.max(axis=0).sum(),
    "softmax": lambda h: ag.softmax(h, 1)[:, 0].sum(),
    "log_softmax": lambda h: ag.log_softmax(h, 1)[:, 0].sum(),
    "leaky_relu": lambda h: F.leaky_relu(h, 0.1).sum(),
    "hardtanh": lambda h: F.hardtanh(h).sum(),
    "dropout": lambda h: nn.Dropout(0.5)(h).sum(),
}


@pytest.mark.parametrize("op", sorted(SAVED_ONLY))
def test_ops_keep_what_they_saved_and_not_their_input(op):
    x = ag.Tensor(np.linspace(-2, 2, 100_000).reshape(500, 200), requires_grad=True)
    h = x * 2.0
    input_array = weakref.ref(h.data)
    loss = SAVED_ONLY[op](h)
    del h
    loss.backward(retain_graph=True)
    gc.collect()
    assert input_array() is None  # nothing in the graph holds x·2 any more
    first = x.grad.data.copy()
    loss.backward()
    np.testing.assert_allclose(x.grad.data, 2 * first)


def test_a_second_backward_still_names_retain_graph():
    x = ag.Tensor([1.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


@given(expressions())
def test_explain_after_a_recorded_backward_equals_the_dry_run(program):
    leaves, out = build(*program)
    before = ag.explain(out)
    ag.retain_grads(out)
    out.backward()
    after = ag.explain(out)
    assert [(s.index, s.op, s.output) for s in after.steps] == [
        (s.index, s.op, s.output) for s in before.steps]
    for a, b in zip(after.steps, before.steps, strict=True):
        np.testing.assert_array_equal(a.incoming, b.incoming)
        assert [i for i, _ in a.contributions] == [i for i, _ in b.contributions]
        for (_, g), (_, h) in zip(a.contributions, b.contributions, strict=True):
            np.testing.assert_array_equal(g, h)
        assert [(s.to, s.slot) for s in a.sends] == [(s.to, s.slot) for s in b.sends]
    for leaf in leaves:  # the record's totals are what backward wrote
        total = next((t for t in after.totals if t.name == leaf.name), None)
        if total is not None:
            np.testing.assert_allclose(total.total, leaf.grad.data, rtol=1e-12)


def test_a_recorded_pass_shows_each_contribution_of_a_fan_out():
    a = ag.Tensor(3.0, requires_grad=True, name="a")
    b = a * a
    b.name = "b"
    c = b + b * 2.0  # b fans out to two consumers
    ag.retain_grads(c)
    c.backward()
    step = next(s for s in ag.explain(c).steps if s.output == "b")
    assert sorted(float(g) for _, g in step.contributions) == [1.0, 2.0]
    assert float(step.incoming) == 3.0
    assert float(b.grad.data) == 3.0  # every δ is kept
    assert float(a.grad.data) == 18.0  # 3 · 2a


def test_a_recorded_pass_includes_hooks():
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="x")
    h = x * 2.0
    h.register_hook(lambda g: g * 10.0)
    out = h.sum()
    ag.retain_grads(out)
    out.backward()
    step = next(s for s in ag.explain(out).steps if s.op == "mul")
    np.testing.assert_array_equal(step.incoming, [10.0, 10.0])  # after the hook
    np.testing.assert_array_equal(x.grad.data, [20.0, 20.0])


def test_retain_grads_after_backward_raises():
    x = ag.Tensor([1.0], requires_grad=True)
    y = (x * 2.0).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"before output\.backward\(\)"):
        ag.retain_grads(y)
    z = (x * 2.0).sum()
    z.backward(retain_graph=True)
    with pytest.raises(RuntimeError, match="before"):
        ag.retain_grads(z)


def test_explain_after_a_plain_backward_names_the_opt_in():
    x = ag.Tensor([1.0], requires_grad=True)
    y = (x.exp() * 2.0).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"ag\.retain_grads\(output\)"):
        ag.explain(y)


def test_non_leaf_grad_warns_once_leaves_and_retained_do_not():
    x = ag.Tensor([1.0], requires_grad=True)
    h = x * 2.0
    kept = x * 3.0
    kept.retain_grad()
    (h + kept).sum().backward()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert h.grad is None
    assert len(caught) == 1 and "retain_grad()" in str(caught[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.grad is not None and kept.grad is not None


def test_second_order_graphs_are_kept():
    x = ag.Tensor([0.5, -1.0], requires_grad=True)
    (g,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    (h,) = ag.grad(g.sum(), x)
    np.testing.assert_allclose(h.data, 6 * x.data)
