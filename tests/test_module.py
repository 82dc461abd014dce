"""Module bookkeeping: registration, dotted names, train/eval, state dicts, the drawing hook."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import numpy as np
import pytest

import autograd as ag
import autograd.hooks
import nn
from autograd.scopes import record_modules


class Block(nn.Module):
    """A module with a parameter of its own, a child and a plain attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(np.ones(2))
        self.inner = nn.Linear(2, 2)
        self.note = "not registered"
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.drop(self.inner(x)) * self.scale


def test_parameter_is_a_float_tensor_requiring_grad():
    p = nn.Parameter([1, 2, 3])
    assert isinstance(p, ag.Tensor)
    assert p.requires_grad and p.is_leaf
    assert p.dtype == ag.get_default_dtype()
    assert nn.Parameter(np.zeros(2, np.float32)).dtype == np.float32


def test_attributes_register_in_assignment_order_with_dotted_names():
    model = nn.Sequential(Block(), nn.Linear(2, 1))
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.scale", "0.inner.weight", "0.inner.bias", "1.weight", "1.bias"]
    assert [type(m).__name__ for m in model.children()] == ["Block", "Linear"]
    assert [type(m).__name__ for m in model.modules()] == [
        "Sequential", "Block", "Linear", "Dropout", "Linear"]
    assert len(list(model.parameters())) == 5


def test_mlp_names_follow_the_layers_list():
    model = nn.MLP([3, 4, 2])
    assert list(model.state_dict()) == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert model.layers[0].weight.shape == (4, 3)


def test_reassigning_replaces_and_plain_values_unregister():
    block = Block()
    block.scale = nn.Parameter(np.zeros(3))
    assert dict(block.named_parameters())["scale"].shape == (3,)
    block.inner = None
    assert [n for n, _ in block.named_parameters()] == ["scale"]
    del block.scale
    assert list(block.named_parameters()) == []


def test_shared_parameter_is_listed_once():
    a = nn.Linear(2, 2)
    b = nn.Linear(2, 2)
    b.weight = a.weight
    model = nn.Sequential(a, b)
    assert len(list(model.parameters())) == 3


def test_assignment_before_super_init_is_a_clear_error():
    class Forgetful(nn.Module):
        def __init__(self):
            self.w = nn.Parameter([1.0])

    with pytest.raises(AttributeError, match="super"):
        Forgetful()


def test_train_and_eval_propagate_to_all_descendants():
    model = nn.Sequential(Block(), nn.Sequential(nn.Dropout(0.1)))
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_zero_grad_clears_every_gradient():
    model = nn.MLP([2, 3, 1])
    model(np.ones((4, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_state_dict_is_a_copy_and_round_trips():
    ag.manual_seed(1)
    source, target = nn.MLP([3, 4, 2]), nn.MLP([3, 4, 2])
    state = source.state_dict()
    state["layers.0.weight"][...] = 7.0           # a copy: the model is untouched
    assert not np.any(source.layers[0].weight.data == 7.0)
    weight_object = target.layers[0].weight
    target.load_state_dict(source.state_dict())
    assert target.layers[0].weight is weight_object  # copied in place
    for (name, a), (_, b) in zip(source.state_dict().items(), target.state_dict().items(),
                                 strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(source(x).data, target(x).data)


def test_load_state_dict_lists_every_problem_and_changes_nothing():
    model = nn.MLP([3, 4, 2])
    before = model.state_dict()
    bad = model.state_dict()
    del bad["layers.1.bias"]
    bad["layers.9.weight"] = np.zeros(2)
    bad["layers.0.weight"] = np.zeros((3, 4))           # transposed
    bad["layers.0.bias"] = np.ones(4)                   # valid, must not be applied
    with pytest.raises(ValueError) as info:
        model.load_state_dict(bad)
    message = str(info.value)
    for part in ("layers.1.bias", "layers.9.weight", "layers.0.weight", "(3, 4)", "(4, 3)"):
        assert part in message
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_load_state_dict_non_strict_skips_names_but_not_shapes():
    model = nn.Linear(2, 3)
    result = model.load_state_dict({"weight": np.full((3, 2), 2.0), "extra": 1}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    assert np.all(model.weight.data == 2.0)
    with pytest.raises(ValueError, match="weight"):
        model.load_state_dict({"weight": np.zeros(6)}, strict=False)


def test_optimizer_stays_valid_after_loading():
    model = nn.Linear(2, 1)
    optimizer = nn.optim.SGD(model.parameters(), lr=1.0)
    model.load_state_dict({"weight": np.zeros((1, 2)), "bias": np.zeros(1)})
    model(np.ones((1, 2))).sum().backward()
    optimizer.step()
    np.testing.assert_array_equal(model.weight.data, [[-1.0, -1.0]])


def test_repr_is_a_tree_with_layer_sizes():
    text = repr(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1, bias=False)))
    assert text == ("Sequential(\n  (0): Linear(3→4)\n  (1): ReLU()\n"
                    "  (2): Linear(4→1, bias=False)\n)")


def test_call_enters_the_scope_recorder_around_forward(monkeypatch):
    entered = []

    class Recorder:
        @contextmanager
        def enter(self, module):
            entered.append(type(module).__name__)
            yield

        def current(self):
            return entered[-1] if entered else None

    monkeypatch.setattr(autograd.hooks, "scope_recorder", Recorder())
    nn.Sequential(nn.Linear(2, 2), nn.Tanh())(np.ones((1, 2)))
    assert entered == ["Sequential", "Linear", "Tanh"]


def _ops(output):
    """Every op node behind ``output``."""
    nodes, stack, seen = [], [output.grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(x for x in node.inputs if isinstance(x, ag.Function))
    return nodes


def test_module_recording_is_per_thread():
    """One thread draws (records module scopes) while another trains the same model: the
    recording thread sees only its own module calls, the other thread records nothing."""
    model = nn.MLP([3, 8, 8, 2], activation="tanh")
    x = ag.Tensor(np.ones((4, 3)))
    recording = threading.Event()
    other_outputs = []

    def train_meanwhile():
        recording.wait(timeout=10)
        for _ in range(300):
            other_outputs.append(model(x).sum())

    worker = threading.Thread(target=train_meanwhile)
    worker.start()
    recorded = []
    with record_modules(model):
        recording.set()
        for _ in range(300):
            recorded.append(model(x).sum())
    worker.join(timeout=60)
    assert autograd.hooks.scope_recorder is None
    assert all(node.scope is None for out in other_outputs for node in _ops(out))
    for out in recorded:
        scopes = {node.scope.path for node in _ops(out) if node.scope is not None}
        assert scopes == {"layers.0", "layers.1", "layers.2", "activations.0",
                          "activations.1"}
        for node in _ops(out):
            if node.scope is not None:   # each op sits in its own call's scope, inside MLP
                assert node.scope.chain()[0].path == ""
