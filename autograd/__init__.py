"""autograd: NumPy arrays that record their computation graph, and one reverse-mode
backward pass that differentiates through it (including itself, for higher orders)."""

from __future__ import annotations

import numpy as np

# Tensor first: the ops it calls import it back.
from autograd.tensor import Tensor  # isort: split

from autograd.anomaly import detect_anomaly
from autograd.creation import (
    arange,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
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
    ceil,
    clip,
    concatenate,
    cos,
    cumsum,
    exp,
    exp2,
    expand_dims,
    floor,
    gather,
    isfinite,
    isinf,
    isnan,
    log,
    log2,
    log10,
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
from autograd.scopes import record_modules
from autograd.show.animate import animate
from autograd.show.draw import draw
from autograd.show.explain import explain
from autograd.tracing import trace

#: dtype names as PyTorch spells them: ``ag.zeros(3, dtype=ag.float32)``.
float32, float64, int32, int64 = np.float32, np.float64, np.int32, np.int64

__all__ = [
    "Function", "GradcheckError", "Tensor", "abs", "all", "animate", "any", "arange",
    "argmax", "argmin", "broadcast_to", "ceil", "clip", "concatenate", "cos", "cumsum",
    "detect_anomaly", "draw", "enable_grad", "exp", "exp2", "expand_dims", "explain", "eye",
    "float32", "float64", "floor", "full", "full_like", "gather", "get_default_dtype",
    "get_generator", "grad",
    "gradcheck", "int32", "int64", "is_grad_enabled", "isfinite", "isinf", "isnan", "linspace",
    "log", "log2", "log10", "logical_and", "logical_not", "logical_or", "logical_xor",
    "logsumexp", "manual_seed", "matmul", "max", "maximum", "mean", "min", "minimum",
    "no_grad", "norm", "ones", "ones_like", "permute", "pow", "prod", "rand", "randn",
    "record_modules", "relu", "reshape", "retain_grads", "round", "rsqrt", "set_default_dtype",
    "set_grad_enabled",
    "sigmoid", "sin", "sqrt", "squeeze", "stack", "std", "sum", "swapaxes", "take_along_axis",
    "tanh", "tensor", "trace", "transpose", "var", "where", "zeros", "zeros_like",
]
