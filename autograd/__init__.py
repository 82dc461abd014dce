"""autograd: NumPy arrays that record their computation graph, and one reverse-mode
backward pass that differentiates through it (including itself, for higher orders)."""

from __future__ import annotations

import builtins

import numpy as np

# Tensor first: the ops it calls import it back.
from autograd.tensor import Tensor  # isort: split

from autograd.anomaly import detect_anomaly
from autograd.creation import (
    arange,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from autograd.devices import accelerator, backends, cuda, device
from autograd.dtypes import get_default_dtype, set_default_dtype
from autograd.engine import grad
from autograd.function import Function
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.ops import (
    abs,
    all,
    any,
    argmax,
    argmin,
    broadcast_to,
    cat,
    ceil,
    clamp,
    clip,
    concatenate,
    cos,
    cumsum,
    exp,
    exp2,
    expand_dims,
    flatten,
    floor,
    gather,
    isfinite,
    isinf,
    isnan,
    log,
    log2,
    log10,
    log_softmax,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    norm,
    permute,
    pow,
    prod,
    relu,
    reshape,
    round,
    rsqrt,
    sigmoid,
    sin,
    softmax,
    sqrt,
    squeeze,
    stack,
    std,
    sum,
    swapaxes,
    take_along_axis,
    tanh,
    transpose,
    var,
    where,
)
from autograd.random import get_generator, manual_seed
from autograd.record import retain_grads
from autograd.saving import load, save
from autograd.scopes import record_modules
from autograd.show.animate import animate
from autograd.show.draw import draw
from autograd.show.explain import explain
from autograd.tracing import trace
from autograd.words import get_language, language, set_language

#: dtype names as PyTorch spells them: ``ag.zeros(3, dtype=ag.float32)``, ``x.to(ag.long)``.
float16, float32, float64 = np.float16, np.float32, np.float64
int8, int16, int32, int64, uint8 = np.int8, np.int16, np.int32, np.int64, np.uint8
half, float, double = float16, float32, float64
short, int, long, bool = int16, int32, int64, np.bool_


def numel(t: Tensor) -> builtins.int:
    """The number of entries of ``t`` (PyTorch's ``torch.numel``)."""
    return t.numel()

__all__ = [
    "Function", "GradcheckError", "Tensor", "abs", "accelerator", "all", "animate", "any",
    "arange", "argmax", "argmin", "backends", "bool", "broadcast_to", "cat", "ceil", "clamp",
    "clip", "concatenate", "cos", "cuda", "cumsum", "detect_anomaly", "device", "double",
    "draw", "empty", "enable_grad", "exp", "exp2", "expand_dims", "explain", "eye", "flatten",
    "float", "float16", "float32", "float64", "floor", "from_numpy", "full", "full_like",
    "gather", "get_default_dtype", "get_generator", "get_language", "grad", "gradcheck",
    "half", "int", "int8", "int16", "int32", "int64", "is_grad_enabled", "isfinite", "isinf",
    "isnan", "language", "linspace", "load", "log", "log2", "log10", "log_softmax",
    "logical_and", "logical_not", "logical_or",
    "logical_xor", "logsumexp", "long", "manual_seed", "matmul", "max", "maximum", "mean",
    "min", "minimum", "mm", "no_grad", "norm", "numel", "ones", "ones_like", "permute", "pow",
    "prod", "rand", "rand_like", "randint", "randn", "randn_like", "randperm",
    "record_modules", "relu", "reshape", "retain_grads", "round", "rsqrt", "save",
    "set_default_dtype", "set_grad_enabled", "set_language", "short", "sigmoid", "sin",
    "softmax", "sqrt", "squeeze", "stack",
    "std", "sum", "swapaxes", "take_along_axis", "tanh", "tensor", "trace", "transpose",
    "uint8", "var", "where", "zeros", "zeros_like",
]


def __getattr__(name: str) -> object:
    """``ag.nn`` and ``ag.optim``, so that PyTorch code written ``torch.nn.Linear`` or
    ``torch.optim.SGD`` runs with ``import autograd as torch``; imported on first use, so
    ``import autograd`` alone never loads ``nn``."""
    if name in ("nn", "optim"):
        import nn

        return nn if name == "nn" else nn.optim
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
