"""``to_torch``: the same network as a ``torch.nn.Sequential``, weights copied."""

from __future__ import annotations

from typing import Any

from nn.activations import (
    ELU,
    GELU,
    Hardtanh,
    Identity,
    LeakyReLU,
    LogSigmoid,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from nn.export.plan import flatten, require
from nn.layers import Dropout, Linear
from nn.module import Module


def to_torch(model: Module) -> Any:
    """An equivalent ``torch.nn.Sequential``: one ``torch.nn.Linear`` per Linear layer and
    the matching activation modules, in the order ``model`` applies them.

    ``torch.nn.Linear`` computes ``x @ W.T + b`` with W of shape (out, in) — our layout
    (S11) — so W and b are copied as they are, dtype included (a float32 model gives a
    float32 PyTorch model). A Linear used twice in ``model`` becomes one shared
    ``torch.nn.Linear``. The copy is independent: training either model leaves the other
    unchanged. The result is in training mode unless ``model`` is in evaluation mode.

    Identity layers (an MLP's linear output) are left out; ``Softmax(axis)`` becomes
    ``torch.nn.Softmax(dim=axis)`` and ``Dropout(p)`` ``torch.nn.Dropout(p)``; the
    activations LeakyReLU, ELU, GELU, SiLU, Softplus, LogSigmoid and Hardtanh become
    their ``torch.nn`` namesakes with the same options.

    Raises
    ------
    UnsupportedModuleError
        Naming the first module that is not an MLP, Sequential, Linear, Dropout or one of
        the activations above (Identity, Sigmoid, Tanh, ReLU, Softmax and the others).
    ImportError
        When PyTorch is not installed (with the command that installs it).
    """
    steps = flatten(model)
    torch = require("torch")
    copies: dict[int, Any] = {}
    layers = []
    for step in steps:
        module = step.module
        if type(module) is Identity:
            continue
        if id(module) not in copies:
            copies[id(module)] = _translate(torch, module)
        layers.append(copies[id(module)])
    return torch.nn.Sequential(*layers).train(model.training)


def _translate(torch: Any, module: Module) -> Any:
    """The ``torch.nn`` module computing what ``module`` computes."""
    if isinstance(module, Linear):
        weight = torch.from_numpy(module.weight.data.copy())
        linear = torch.nn.Linear(module.in_features, module.out_features,
                                 bias=module.bias is not None, dtype=weight.dtype)
        with torch.no_grad():
            linear.weight.copy_(weight)
            if module.bias is not None:
                linear.bias.copy_(torch.from_numpy(module.bias.data.copy()))
        return linear
    if isinstance(module, Softmax):
        return torch.nn.Softmax(dim=module.axis)
    if isinstance(module, Dropout):
        return torch.nn.Dropout(module.p)
    if isinstance(module, LeakyReLU):
        return torch.nn.LeakyReLU(module.negative_slope)
    if isinstance(module, ELU):
        return torch.nn.ELU(module.alpha)
    if isinstance(module, Softplus):
        return torch.nn.Softplus(module.beta, module.threshold)
    if isinstance(module, Hardtanh):
        return torch.nn.Hardtanh(module.min_val, module.max_val)
    return {Sigmoid: torch.nn.Sigmoid, Tanh: torch.nn.Tanh, ReLU: torch.nn.ReLU,
            GELU: torch.nn.GELU, SiLU: torch.nn.SiLU, LogSigmoid: torch.nn.LogSigmoid,
            }[type(module)]()
