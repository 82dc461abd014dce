"""Making tensors: from data (``tensor``), filled (``zeros``, ``ones``, ``full``, ``eye``
and their ``_like`` forms), ranges (``arange``, ``linspace``) and random samples
(``randn``, ``rand``, from the library-wide generator that ``manual_seed`` seeds).

Shapes are an int, a tuple, or several ints; every function takes ``requires_grad=`` and
``dtype=``, floating results taking the default dtype (``set_default_dtype``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.random import get_generator
from autograd.tensor import Tensor


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None,
           name: str | None = None) -> Tensor:
    """``Tensor(data, requires_grad, dtype, name)`` in function form."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def _shape(shape: tuple) -> tuple[int, ...]:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape


def _floating(values: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    """A tensor of ``values`` in ``dtype``, or in the default dtype when they are floats."""
    if dtype is None and values.dtype.kind == "f":
        dtype = get_default_dtype()
    return Tensor(values if dtype is None else values.astype(dtype, copy=False),
                  requires_grad=requires_grad)


def zeros(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A tensor of zeros; ``shape`` is an int, a tuple, or several ints."""
    return Tensor(np.zeros(_shape(shape), dtype=dtype or get_default_dtype()),
                  requires_grad=requires_grad)


def ones(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A tensor of ones; ``shape`` is an int, a tuple, or several ints."""
    return Tensor(np.ones(_shape(shape), dtype=dtype or get_default_dtype()),
                  requires_grad=requires_grad)


def full(shape: Any, fill_value: Any, requires_grad: bool = False, dtype: Any = None
         ) -> Tensor:
    """A tensor of ``shape`` with every entry ``fill_value`` (its dtype: a float fills the
    default floating dtype, an int int64, a bool bool, as PyTorch)."""
    return _floating(np.full(shape, fill_value), dtype, requires_grad)


def eye(n: int, m: int | None = None, requires_grad: bool = False, dtype: Any = None
        ) -> Tensor:
    """The n×m identity matrix (n×n by default)."""
    return Tensor(np.eye(n, m, dtype=dtype or get_default_dtype()), requires_grad=requires_grad)


def _data_of(x: Any) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def zeros_like(x: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Zeros of x's shape and dtype (or ``dtype``)."""
    return Tensor(np.zeros_like(_data_of(x), dtype=dtype), requires_grad=requires_grad)


def ones_like(x: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Ones of x's shape and dtype (or ``dtype``)."""
    return Tensor(np.ones_like(_data_of(x), dtype=dtype), requires_grad=requires_grad)


def full_like(x: Any, fill_value: Any, requires_grad: bool = False, dtype: Any = None
              ) -> Tensor:
    """``fill_value`` in x's shape and dtype (or ``dtype``)."""
    return Tensor(np.full_like(_data_of(x), fill_value, dtype=dtype),
                  requires_grad=requires_grad)


def arange(*args: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Evenly spaced values, as ``np.arange``; float results take the default dtype."""
    return _floating(np.arange(*args, dtype=dtype), dtype, requires_grad)


def linspace(start: float, stop: float, steps: int, requires_grad: bool = False,
             dtype: Any = None) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``stop``, both included."""
    return _floating(np.linspace(start, stop, steps), dtype, requires_grad)


def randn(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Standard normal samples from the library-wide generator (see ``manual_seed``)."""
    samples = get_generator().standard_normal(_shape(shape))
    return Tensor(samples.astype(dtype or get_default_dtype()), requires_grad=requires_grad)


def rand(*shape: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Uniform samples from [0, 1), from the library-wide generator."""
    samples = get_generator().random(_shape(shape))
    return Tensor(samples.astype(dtype or get_default_dtype()), requires_grad=requires_grad)
