"""autograd: NumPy arrays that record their computation graph, and one reverse-mode
backward pass that differentiates through it (including itself, for higher orders)."""

from __future__ import annotations

from typing import Any

import numpy as np

# Tensor first: the ops it calls import it back.
from autograd.tensor import Tensor  # isort: split

from autograd.animate import animate
from autograd.anomaly import detect_anomaly
from autograd.dtypes import get_default_dtype, set_default_dtype
from autograd.engine import grad
from autograd.explain import explain
from autograd.function import Function
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import GradcheckError, gradcheck
from autograd.ops import (
    concatenate,
    exp,
    log,
    maximum,
    minimum,
    relu,
    sigmoid,
    sqrt,
    stack,
    tanh,
    where,
)
from autograd.random import get_generator, manual_seed
from autograd.record import retain_grads
from autograd.viz import draw


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None,
           name: str | None = None) -> Tensor:
    """``Tensor(data, requires_grad, dtype, name)`` in function form."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def _shape(shape: tuple) -> tuple[int, ...]:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape


def zeros(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A tensor of zeros; ``shape`` is an int, a tuple, or several ints."""
    return Tensor(np.zeros(_shape(shape), dtype=dtype or get_default_dtype()),
                  requires_grad=requires_grad)


def ones(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A tensor of ones; ``shape`` is an int, a tuple, or several ints."""
    return Tensor(np.ones(_shape(shape), dtype=dtype or get_default_dtype()),
                  requires_grad=requires_grad)


def randn(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Standard normal samples from the library-wide generator (see ``manual_seed``)."""
    samples = get_generator().standard_normal(_shape(shape))
    return Tensor(samples.astype(dtype or get_default_dtype()), requires_grad=requires_grad)


def arange(*args: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Evenly spaced values, as ``np.arange``; float results take the default dtype."""
    values = np.arange(*args, dtype=dtype)
    if dtype is None and values.dtype.kind == "f":
        values = values.astype(get_default_dtype())
    return Tensor(values, requires_grad=requires_grad)


__all__ = [
    "Function", "GradcheckError", "Tensor", "animate", "arange", "concatenate",
    "detect_anomaly", "draw", "enable_grad", "exp", "explain",
    "get_default_dtype", "get_generator", "grad", "gradcheck", "is_grad_enabled", "log",
    "manual_seed", "maximum", "minimum", "no_grad", "ones", "randn", "relu", "retain_grads",
    "set_default_dtype", "set_grad_enabled", "sigmoid", "sqrt", "stack", "tanh", "tensor",
    "where", "zeros",
]
