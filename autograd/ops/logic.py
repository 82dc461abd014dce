"""Ops whose result carries no gradient, like the comparisons: tests of each entry
(``isnan``, ``isinf``, ``isfinite``), logic on boolean tensors (``& | ^ ~``), ``any`` and
``all``, and the positions ``argmax`` and ``argmin``. They return constant tensors (no
node in the graph): a boolean or an index has no derivative."""

from __future__ import annotations

import numpy as np

from autograd.ops.axes import axis_or_dim, is_integer, normalize_axis
from autograd.tensor import Tensor


def _values(x):
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def _constant(result) -> Tensor:
    return Tensor._make(np.asarray(result))


def isnan(a): return _constant(np.isnan(_values(a)))
def isinf(a): return _constant(np.isinf(_values(a)))
def isfinite(a): return _constant(np.isfinite(_values(a)))
def logical_not(a): return _constant(np.logical_not(_values(a)))
def logical_and(a, b): return _constant(np.logical_and(_values(a), _values(b)))
def logical_or(a, b): return _constant(np.logical_or(_values(a), _values(b)))
def logical_xor(a, b): return _constant(np.logical_xor(_values(a), _values(b)))


def bitwise(op: str, ufunc, *operands) -> Tensor:
    """``a & b``, ``a | b``, ``a ^ b``, ``~a``: logic on boolean tensors (bits on integer
    ones, as NumPy and PyTorch); floating operands are an error."""
    # Python ints and bools stay Python numbers, so they take the tensor's dtype (NumPy 2's
    # weak scalars): int32 & 3 is int32 and uint64 & 5 works, as in PyTorch.
    arrays = [x if isinstance(x, int) else _values(x) for x in operands]
    floating = [np.result_type(a) for a in arrays if np.result_type(a).kind not in "biu"]
    if floating:
        raise TypeError(f"{op}: needs boolean (or integer) tensors, got dtype {floating[0]}; "
                        "make a mask first, e.g. (x > 0) & (x < 1)")
    try:
        return _constant(ufunc(*arrays))
    except OverflowError:
        raise OverflowError(f"{op}: the Python int in {operands!r} does not fit the "
                            "tensor's dtype") from None
    except ValueError:
        shapes = " and ".join(str(np.shape(a)) for a in arrays)
        raise ValueError(f"{op}: cannot broadcast shapes {shapes} together") from None


def _reduce(op: str, fn, a, axis, keepdims, dim, keepdim) -> Tensor:
    axis, keepdims = axis_or_dim(op, axis, dim, keepdims, keepdim)
    data = _values(a)
    return _constant(fn(data, axis=normalize_axis(axis, data.ndim, op), keepdims=keepdims))


def any(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _reduce("any", np.any, a, axis, keepdims, dim, keepdim)


def all(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _reduce("all", np.all, a, axis, keepdims, dim, keepdim)


def _position(op: str, fn, a, axis, keepdims, dim, keepdim) -> Tensor:
    """The index of the first largest (smallest) entry, of the flattened tensor when
    ``axis`` is None (as NumPy and PyTorch)."""
    axis, keepdims = axis_or_dim(op, axis, dim, keepdims, keepdim)
    data = _values(a)
    if axis is not None:
        if not is_integer(axis):
            raise TypeError(f"{op}: axis must be an int or None, got {axis!r}")
        (axis,) = normalize_axis(axis, data.ndim, op) or (None,)  # 0-d: its one entry
    if data.size == 0:
        raise ValueError(f"{op}: the tensor of shape {data.shape} is empty")
    return _constant(fn(data, axis=axis, keepdims=keepdims))


def argmax(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _position("argmax", np.argmax, a, axis, keepdims, dim, keepdim)


def argmin(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return _position("argmin", np.argmin, a, axis, keepdims, dim, keepdim)
