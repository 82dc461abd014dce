"""``to_torch``: our model in PyTorch, weights copied; ``from_torch``: the way back.

A Sequential (or MLP) is copied layer by layer into a ``torch.nn.Sequential``
(``nn.export.layers``); any other model is recorded on an example and rebuilt, op by op,
as a ``torch.fx.GraphModule`` (``nn.export.recording``, ``nn.export.ops_torch``).
"""

from __future__ import annotations

from typing import Any

from nn.activations import Identity
from nn.export.layers import layer_from_torch, layer_to_torch
from nn.export.ops_torch import torch_ops
from nn.export.plan import UnsupportedModuleError, flatten, require
from nn.export.recording import Program, Ref, check_fresh, record, refuse_threshold_units
from nn.module import Module, Sequential


def to_torch(model: Module, example: Any = None) -> Any:
    """An equivalent PyTorch model, with copies of our parameters (dtype included: a
    float32 model gives a float32 PyTorch model). The copy is independent: training
    either model leaves the other unchanged. It is in training mode unless ``model`` is
    in evaluation mode.

    - An ``nn.MLP`` or ``nn.Sequential`` of Linear layers, activations, Flatten and
      Dropout becomes a ``torch.nn.Sequential`` of their ``torch.nn`` namesakes with the
      same options (``Softmax(axis)`` → ``torch.nn.Softmax(dim=axis)``); Identity layers
      are left out, and a Linear used twice becomes one shared ``torch.nn.Linear``.
      ``torch.nn.Linear`` computes x Wᵀ + b with W of shape (out, in), our layout (S11).
    - Any other model (a Module subclass with its own ``forward``) is run once on
      ``example`` and its recorded graph rebuilt as a ``torch.fx.GraphModule``: each op a
      PyTorch call (``print(result.code)`` shows them), each parameter under its dotted
      name, in our order, so ``verify`` pairs them. The graph records what the example
      ran through: a ``forward`` that branches on its input's values exports the branch
      taken. The result is checked against ours on the example and on a second input.

    Parameters
    ----------
    model : nn.Module
    example : array_like, optional
        An input ``model`` accepts: a batch, or a single sample (1-D for a Linear first
        layer). Needed for a model that is not a Sequential.

    Raises
    ------
    UnsupportedModuleError
        For a model that is not a Sequential when no example is given, naming the module,
        and for a threshold unit (Sign, Step, the perceptron: no gradient, no graph).
    ValueError
        Naming the op (and the module that ran it) without a PyTorch mapping.
    VerificationError
        When the rebuilt model computes something else than ours (on the second input:
        the model computes something outside the graph, on ``.data`` or by a comparison).
    ImportError
        When PyTorch is not installed (with the command that installs it).
    """
    refuse_threshold_units(model, "to_torch")
    try:
        steps = flatten(model)
    except UnsupportedModuleError as error:
        if example is None:
            raise UnsupportedModuleError(
                f"{error}; any other model is exported from its graph, recorded on an "
                f"example input: to_torch(model, example)") from None
        return _graph_module(model, example)
    torch = require("torch")
    copies: dict[int, Any] = {}
    for step in steps:
        if id(step.module) not in copies:
            copies[id(step.module)] = layer_to_torch(torch, step.module)
    return torch.nn.Sequential(*(copies[id(step.module)] for step in steps
                                 if type(step.module) is not Identity)
                               ).train(model.training)


def _graph_module(model: Module, example: Any) -> Any:
    """``model`` recorded on ``example`` and rebuilt as a ``torch.fx.GraphModule``."""
    program = record(model, example, "to_torch", training=True)
    torch = require("torch")
    table = torch_ops(torch)
    program.refuse_unmapped(table, "to_torch", "PyTorch")
    root, graph = torch.nn.Module(), torch.fx.Graph()
    values = {"x": graph.placeholder("x")}
    for name, parameter in program.parameters.items():
        _set_parameter(torch, root, name, parameter.data)
        values[name] = graph.get_attr(name)
    for name, array in program.constants.items():
        root.register_buffer(name, torch.from_numpy(array.copy()))
        values[name] = graph.get_attr(name)
    for step in program.steps:
        args = (values[a.name] if isinstance(a, Ref) else a for a in step.args)
        target, args, kwargs = table[step.op](step, *args)
        if isinstance(target, torch.nn.Module):
            root.add_module(step.output, target)
            values[step.output] = graph.call_module(step.output, args, kwargs)
        else:
            values[step.output] = graph.call_function(target, args, kwargs)
    graph.output(values[program.output.name])
    result = torch.fx.GraphModule(root, graph, class_name=program.model).train(model.training)
    _check(torch, program, model, result)
    return result


def _set_parameter(torch: Any, root: Any, name: str, data: Any) -> None:
    """Register a copy of ``data`` as the parameter ``name`` (dotted) under ``root``."""
    *path, leaf = name.split(".")
    module = root
    for part in path:
        if not hasattr(module, part):
            module.add_module(part, torch.nn.Module())
        module = getattr(module, part)
    module.register_parameter(leaf, torch.nn.Parameter(torch.from_numpy(data.copy())))


def _check(torch: Any, program: Program, model: Module, result: Any) -> None:
    training = result.training
    result.eval()
    try:
        with torch.no_grad():
            check_fresh(program, model, lambda x: result(torch.from_numpy(x)).numpy(),
                        "to_torch", "PyTorch's")
    finally:
        result.train(training)


def from_torch(torch_model: Any) -> Sequential:
    """Our ``nn.Sequential`` computing what a ``torch.nn.Sequential`` of supported
    layers computes, with copies of its weights (dtype included) and its training mode.

    Supported: Linear (W (out, in) and b, S11, as PyTorch stores them), Identity, ReLU,
    Sigmoid, Tanh, Softmax and LogSoftmax (their ``dim``), Dropout, Flatten, LeakyReLU,
    ELU, GELU (exact, not the tanh approximation), SiLU, Softplus, LogSigmoid, Hardtanh;
    nested Sequentials are kept nested.

    Raises
    ------
    ValueError
        Naming the first layer (by its path) we have no counterpart for.
    """
    torch = require("torch")
    if not isinstance(torch_model, torch.nn.Sequential):
        raise TypeError(f"from_torch: expected a torch.nn.Sequential, got "
                        f"{type(torch_model).__name__}")
    return _sequential(torch, torch_model, "", {}).train(torch_model.training)


def _sequential(torch: Any, torch_model: Any, prefix: str, copies: dict) -> Sequential:
    """Ours for a ``torch.nn.Sequential``; a layer used twice stays one shared layer."""
    layers = []
    for name, child in torch_model._modules.items():
        path = f"{prefix}.{name}" if prefix else name
        if id(child) not in copies:
            copies[id(child)] = (_sequential(torch, child, path, copies)
                                 if isinstance(child, torch.nn.Sequential)
                                 else layer_from_torch(torch, child, path))
        layers.append(copies[id(child)])
    return Sequential(*layers)
