"""Containers as PyTorch users use them — ModuleList append/extend/insert, indexing and
slicing of ModuleList and Sequential, len, ModuleDict, a named Sequential — and the new
activation modules."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import autograd as ag
import nn
from nn import functional as F


def test_module_list_grows_like_a_list_and_numbers_its_parameters():
    layers = nn.ModuleList([nn.Linear(2, 3)])
    layers.append(nn.Linear(3, 3)).extend([nn.ReLU(), nn.Linear(3, 1)])
    first = nn.Linear(2, 2)
    layers.insert(0, first)
    assert len(layers) == 5 and layers[0] is first and isinstance(layers[-2], nn.ReLU)
    names = [name for name, _ in layers.named_parameters()]
    assert names == ["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias",
                     "4.weight", "4.bias"]
    replacement = nn.Tanh()
    layers[3] = replacement
    assert layers[3] is replacement and len(list(layers.parameters())) == 8


def test_slices_are_containers_of_the_same_modules():
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 3), nn.Sigmoid())
    head = model[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is model[0]
    x = np.ones((5, 2))
    np.testing.assert_array_equal(model[2:](head(x)).data, model(x).data)
    assert isinstance(nn.ModuleList([nn.ReLU(), nn.Tanh()])[::-1], nn.ModuleList)
    assert [type(m) for m in model[::2]] == [nn.Linear, nn.Linear]


def test_named_sequential_names_its_parameters():
    model = nn.Sequential(OrderedDict([("hidden", nn.Linear(2, 3)), ("act", nn.ReLU()),
                                       ("out", nn.Linear(3, 1))]))
    assert [name for name, _ in model.named_parameters()] == [
        "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert model.hidden is model[0] and model(np.ones((1, 2))).shape == (1, 1)


def test_module_dict():
    heads = nn.ModuleDict({"cls": nn.Linear(4, 3)})
    heads["reg"] = nn.Linear(4, 1)
    heads.update([("aux", nn.Linear(4, 2))])
    assert list(heads) == ["cls", "reg", "aux"] == list(heads.keys())
    assert "reg" in heads and len(heads) == 3 and heads["reg"].out_features == 1
    assert [name for name, _ in heads.named_parameters()][:2] == ["cls.weight", "cls.bias"]
    del heads["aux"]
    assert list(heads) == ["cls", "reg"] and len(list(heads.parameters())) == 4
    with pytest.raises(KeyError, match="no module named 'aux'; names: cls, reg"):
        heads["aux"]


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: nn.ModuleList([nn.ReLU(), "relu"]), TypeError, "expected a Module, got str"),
    (lambda: nn.Sequential(nn.ReLU())[2], IndexError, "index 2 is out of range for 1"),
    (lambda: nn.Sequential(nn.ReLU())["0"], TypeError, "indices must be integers"),
    (lambda: nn.ModuleDict({"a.b": nn.ReLU()}), ValueError, "without '.'"),
    (lambda: nn.ModuleDict({"keys": nn.ReLU()}), ValueError, "'keys' is taken"),
])
def test_container_errors_name_the_container(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_a_failed_extend_adds_nothing():
    layers = nn.ModuleList([nn.ReLU()])
    with pytest.raises(TypeError):
        layers.extend([nn.Tanh(), None])
    assert len(layers) == 1


@pytest.mark.parametrize("module, function", [
    (nn.LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2)), (nn.ELU(0.5), lambda x: F.elu(x, 0.5)),
    (nn.GELU(), F.gelu), (nn.SiLU(), F.silu), (nn.Softplus(2.0), lambda x: F.softplus(x, 2.0)),
    (nn.LogSigmoid(), F.logsigmoid), (nn.Hardtanh(-2, 2), lambda x: F.hardtanh(x, -2, 2)),
])
def test_activation_modules_apply_their_function(module, function):
    x = np.linspace(-3, 3, 7)
    np.testing.assert_array_equal(module(x).data, function(x).data)
    model = nn.MLP([2, 3, 1], activation=module)
    model(np.ones((1, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())


def test_activation_module_arguments_are_checked():
    with pytest.raises(ValueError, match="Softplus: beta must be a finite number > 0"):
        nn.Softplus(beta=0)
    with pytest.raises(ValueError, match=r"Hardtanh: min_val 1\.0 is above max_val 0\.0"):
        nn.Hardtanh(1, 0)
    with pytest.raises(TypeError, match="leaky_relu: negative_slope must be"):
        F.leaky_relu(ag.Tensor([1.0]), "0.1")
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
