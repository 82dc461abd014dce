"""What the exporters share: a Sequential model as the flat list of layers it applies,
the optional dependencies, the tolerance and evaluation mode.

``nn.MLP`` and ``nn.Sequential`` (nested in any way) unfold into their Linear layers,
activations, Flatten and Dropouts, which ``to_torch`` copies layer by layer; for anything
else ``flatten`` raises an error naming the first other module by its dotted path, and
the exporters read the model's recorded graph instead (``nn.export.recording``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np

from nn.export.layers import LEAVES
from nn.mlp import MLP
from nn.module import Module, Sequential


class UnsupportedModuleError(TypeError):
    """A model holds a module that ``nn.export`` cannot translate."""


class Step(NamedTuple):
    """One layer of the flattened model: its dotted path in the model and the module."""

    path: str
    module: Module


def flatten(model: Module) -> list[Step]:
    """The layers ``model`` applies, in order: MLPs and Sequentials unfolded, down to
    the layers of ``nn.export.layers.LEAVES`` (Linear, the activations, Flatten, Dropout).

    Raises ``UnsupportedModuleError`` naming the first other module."""
    if not isinstance(model, Module):
        raise TypeError(f"nn.export: expected an nn.Module, got {type(model).__name__}")
    steps: list[Step] = []
    pending = [("", model)]
    while pending:
        path, module = pending.pop()
        if type(module) in LEAVES:
            steps.append(Step(path or type(module).__name__, module))
            continue
        if type(module) is MLP:
            children = [(f"{kind}.{i}", child)
                        for i, pair in enumerate(zip(module.layers, module.activations,
                                                     strict=True))
                        for kind, child in zip(("layers", "activations"), pair, strict=True)]
        elif type(module) is Sequential:
            children = list(module._modules.items())
        else:
            where = f" at {path!r}" if path else ""
            raise UnsupportedModuleError(
                f"nn.export: cannot export {type(module).__name__}{where}; supported: "
                f"MLP, Sequential, {', '.join(cls.__name__ for cls in LEAVES)}")
        pending.extend((f"{path}.{name}" if path else name, child)
                       for name, child in reversed(children))
    return steps


def require(package: str) -> ModuleType:
    """Import an optional dependency of ``nn.export``, or say how to install it."""
    try:
        return importlib.import_module(package)
    except ImportError:
        raise ImportError(f"nn.export needs {package}: pip install 'backprop-primer[export]' "
                          "(PyTorch pinned, for its CPU build: pip install torch==2.13.0)"
                          ) from None


def default_tol(dtype: np.dtype) -> float:
    """How far an exported model may drift from ours, relative to max(1, |values|): 1e-5
    in float32 (a few hundred roundings of 6e-8 each), 1e-10 in float64."""
    return 1e-5 if np.dtype(dtype) == np.float32 else 1e-10


@contextmanager
def evaluation(*models: Any) -> Iterator[None]:
    """Run the block with every module of ``models`` (ours or PyTorch's) in evaluation
    mode — Dropout off — and give each module back its own mode afterwards."""
    modes = [(module, module.training) for model in models for module in model.modules()]
    for model in models:
        model.eval()
    try:
        yield
    finally:
        for module, training in modes:
            module.training = training
