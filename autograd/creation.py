"""Making tensors: from data (``tensor``, ``from_numpy``), filled (``zeros``, ``ones``,
``full``, ``eye``, ``empty`` and their ``_like`` forms), ranges (``arange``, ``linspace``)
and random samples (``randn``, ``rand``, ``randint``, ``randperm``, ``rand_like``,
``randn_like``, from the library-wide generator that ``manual_seed`` seeds).

Shapes are an int, a tuple, or several ints; every function takes ``requires_grad=`` and
``dtype=``, floating results taking the default dtype (``set_default_dtype``), and
PyTorch's ``device=`` (only the CPU exists: another device raises, naming it)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.devices import check as check_device
from autograd.dtypes import get_default_dtype
from autograd.errors import allocating
from autograd.random import get_generator
from autograd.tensor import Tensor


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None,
           name: str | None = None, device: Any = None) -> Tensor:
    """``Tensor(data, requires_grad, dtype, name)`` in function form."""
    check_device(device, "tensor")
    with allocating("tensor"):
        return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def _shape(shape: tuple) -> tuple[int, ...]:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape


def _floating(values: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    """A tensor of ``values`` in ``dtype``, or in the default dtype when they are floats."""
    if dtype is None and values.dtype.kind == "f":
        dtype = get_default_dtype()
    return Tensor(values if dtype is None else values.astype(dtype, copy=False),
                  requires_grad=requires_grad)


def zeros(*shape: Any, requires_grad: bool = False, dtype: Any = None,
          device: Any = None) -> Tensor:
    """A tensor of zeros; ``shape`` is an int, a tuple, or several ints."""
    check_device(device, "zeros")
    with allocating("zeros"):
        return Tensor(np.zeros(_shape(shape), dtype=dtype or get_default_dtype()),
                      requires_grad=requires_grad)


def ones(*shape: Any, requires_grad: bool = False, dtype: Any = None,
         device: Any = None) -> Tensor:
    """A tensor of ones; ``shape`` is an int, a tuple, or several ints."""
    check_device(device, "ones")
    with allocating("ones"):
        return Tensor(np.ones(_shape(shape), dtype=dtype or get_default_dtype()),
                      requires_grad=requires_grad)


def full(shape: Any, fill_value: Any, requires_grad: bool = False, dtype: Any = None,
         device: Any = None) -> Tensor:
    """A tensor of ``shape`` with every entry ``fill_value`` (its dtype: a float fills the
    default floating dtype, an int int64, a bool bool, as PyTorch)."""
    check_device(device, "full")
    with allocating("full"):
        return _floating(np.full(shape, fill_value), dtype, requires_grad)


def eye(n: int, m: int | None = None, requires_grad: bool = False, dtype: Any = None,
        device: Any = None) -> Tensor:
    """The n×m identity matrix (n×n by default)."""
    check_device(device, "eye")
    with allocating("eye"):
        return Tensor(np.eye(n, m, dtype=dtype or get_default_dtype()), requires_grad=requires_grad)


def _data_of(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def zeros_like(x: Any, requires_grad: bool = False, dtype: Any = None,
               device: Any = None) -> Tensor:
    """Zeros of x's shape and dtype (or ``dtype``)."""
    check_device(device, "zeros_like")
    with allocating("zeros_like"):
        return Tensor(np.zeros_like(_data_of(x), dtype=dtype), requires_grad=requires_grad)


def ones_like(x: Any, requires_grad: bool = False, dtype: Any = None,
              device: Any = None) -> Tensor:
    """Ones of x's shape and dtype (or ``dtype``)."""
    check_device(device, "ones_like")
    with allocating("ones_like"):
        return Tensor(np.ones_like(_data_of(x), dtype=dtype), requires_grad=requires_grad)


def full_like(x: Any, fill_value: Any, requires_grad: bool = False, dtype: Any = None,
              device: Any = None) -> Tensor:
    """``fill_value`` in x's shape and dtype (or ``dtype``)."""
    check_device(device, "full_like")
    with allocating("full_like"):
        return Tensor(np.full_like(_data_of(x), fill_value, dtype=dtype),
                      requires_grad=requires_grad)


def arange(*args: Any, requires_grad: bool = False, dtype: Any = None,
           device: Any = None) -> Tensor:
    """Evenly spaced values, as ``np.arange``; float results take the default dtype."""
    check_device(device, "arange")
    with allocating("arange"):
        return _floating(np.arange(*args, dtype=dtype), dtype, requires_grad)


def linspace(start: float, stop: float, steps: int, requires_grad: bool = False,
             dtype: Any = None, device: Any = None) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``stop``, both included."""
    check_device(device, "linspace")
    with allocating("linspace"):
        return _floating(np.linspace(start, stop, steps), dtype, requires_grad)


def randn(*shape: Any, requires_grad: bool = False, dtype: Any = None,
          device: Any = None) -> Tensor:
    """Standard normal samples from the library-wide generator (see ``manual_seed``)."""
    check_device(device, "randn")
    with allocating("randn"):
        samples = get_generator().standard_normal(_shape(shape))
        return Tensor(samples.astype(dtype or get_default_dtype()), requires_grad=requires_grad)


def rand(*shape: Any, requires_grad: bool = False, dtype: Any = None,
         device: Any = None) -> Tensor:
    """Uniform samples from [0, 1), from the library-wide generator."""
    check_device(device, "rand")
    with allocating("rand"):
        samples = get_generator().random(_shape(shape))
        return Tensor(samples.astype(dtype or get_default_dtype()), requires_grad=requires_grad)


def empty(*shape: Any, requires_grad: bool = False, dtype: Any = None,
          device: Any = None) -> Tensor:
    """PyTorch's uninitialised tensor; here filled with zeros (so no run depends on
    leftover memory)."""
    check_device(device, "empty")
    with allocating("empty"):
        return zeros(*shape, requires_grad=requires_grad, dtype=dtype)


def _sampled_like(op: str, x: Any, dtype: Any, requires_grad: bool, draw) -> Tensor:
    data = _data_of(x)
    dtype = np.dtype(dtype or data.dtype)
    if dtype.kind != "f":
        raise TypeError(f"{op}: needs a floating dtype, got {dtype} (give dtype=)")
    return Tensor(draw(data.shape).astype(dtype), requires_grad=requires_grad)


def rand_like(x: Any, requires_grad: bool = False, dtype: Any = None,
              device: Any = None) -> Tensor:
    """Uniform samples from [0, 1) in x's shape and floating dtype (or ``dtype``)."""
    check_device(device, "rand_like")
    with allocating("rand_like"):
        return _sampled_like("rand_like", x, dtype, requires_grad, get_generator().random)


def randn_like(x: Any, requires_grad: bool = False, dtype: Any = None,
               device: Any = None) -> Tensor:
    """Standard normal samples in x's shape and floating dtype (or ``dtype``)."""
    check_device(device, "randn_like")
    with allocating("randn_like"):
        return _sampled_like("randn_like", x, dtype, requires_grad,
                             get_generator().standard_normal)


def randint(*args: Any, size: Any = None, requires_grad: bool = False, dtype: Any = None,
            device: Any = None) -> Tensor:
    """Random integers from [low, high), as PyTorch: ``randint(high, size)`` or
    ``randint(low, high, size)`` (``size`` an int or a tuple; also as a keyword); int64
    unless ``dtype`` says otherwise."""
    check_device(device, "randint")
    if size is None and args:
        *args, size = args
    if size is None or len(args) not in (1, 2):
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), "
                        f"got {len(args) + (size is not None)} arguments")
    low, high = (0, args[0]) if len(args) == 1 else args
    if not low < high:
        raise ValueError(f"randint: low {low} must be below high {high}")
    shape = (size,) if isinstance(size, int | np.integer) else tuple(size)
    with allocating("randint"):
        values = get_generator().integers(low, high, size=shape)
        return Tensor(values.astype(dtype or np.int64), requires_grad=requires_grad)


def randperm(n: int, requires_grad: bool = False, dtype: Any = None,
             device: Any = None) -> Tensor:
    """A random permutation of 0 … n−1 (int64), from the library-wide generator."""
    check_device(device, "randperm")
    with allocating("randperm"):
        return Tensor(get_generator().permutation(n).astype(dtype or np.int64),
                      requires_grad=requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing ``array``'s memory (no copy, as PyTorch): a change to one shows
    in the other. The array keeps its dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a NumPy array, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: the array must hold numbers or booleans, got dtype "
                        f"{array.dtype}")
    return Tensor._make(array)
