"""NumPy on tensors: which ufuncs and functions mean one of our ops (``np.exp(t)``,
``np.sum(t, axis=0)``, ``array * t``), and what happens to the others — they run on the
data, and refuse to drop a gradient silently. ``Tensor.__array_ufunc__`` and
``Tensor.__array_function__`` read these tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import ops
from autograd.tensor import Tensor, varargs


def plain(x: Any) -> Any:
    """x with every Tensor inside it (one list or tuple deep) replaced by its array."""
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, list | tuple):
        return type(x)(plain(y) for y in x)
    return x


def _requiring_grad(args: Any) -> bool:
    return any((isinstance(x, Tensor) and x._requires_grad)
               or (isinstance(x, list | tuple) and _requiring_grad(x)) for x in args)


def outside_graph(name: str, func: Callable, args: tuple, kwargs: dict) -> Any:
    """A NumPy call that has no op: run it on the arrays. A floating result computed from
    a tensor that requires grad would silently lose the gradient, so that raises."""
    result = func(*plain(args), **{k: plain(v) for k, v in kwargs.items()})
    if (isinstance(result, np.ndarray | np.generic) and result.dtype.kind in "fc"
            and (_requiring_grad(args) or _requiring_grad(kwargs.values()))):
        raise TypeError(
            f"{name}: has no gradient in autograd, and its input requires grad; use the "
            "Tensor method or ag function of the same name, or call it on t.detach()")
    return result


UFUNC_OPS = {
    np.add: ops.add, np.subtract: ops.sub, np.multiply: ops.mul, np.true_divide: ops.div,
    np.power: ops.pow, np.matmul: ops.matmul, np.negative: ops.neg, np.absolute: ops.abs,
    np.exp: ops.exp, np.log: ops.log, np.sqrt: ops.sqrt, np.tanh: ops.tanh,
    np.maximum: ops.maximum, np.minimum: ops.minimum,
    np.sin: ops.sin, np.cos: ops.cos, np.log2: ops.log2, np.log10: ops.log10,
    np.exp2: ops.exp2, np.floor: ops.floor, np.ceil: ops.ceil, np.remainder: ops.mod,
    np.floor_divide: ops.floordiv, np.square: lambda a: ops.pow(a, 2),
    np.reciprocal: lambda a: ops.div(1.0, a),
    # no gradient: constant tensors, as the comparisons
    np.isnan: ops.isnan, np.isinf: ops.isinf, np.isfinite: ops.isfinite,
    np.logical_and: ops.logical_and, np.logical_or: ops.logical_or,
    np.logical_xor: ops.logical_xor, np.logical_not: ops.logical_not,
    np.bitwise_and: lambda a, b: ops.bitwise("&", np.bitwise_and, a, b),
    np.bitwise_or: lambda a, b: ops.bitwise("|", np.bitwise_or, a, b),
    np.bitwise_xor: lambda a, b: ops.bitwise("^", np.bitwise_xor, a, b),
    np.invert: lambda a: ops.bitwise("~", np.invert, a),
}
COMPARISONS = {np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal}


def _reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    return ops.reshape(a, varargs((shape if newshape is None else newshape,)))


def _dot(a, b):
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise TypeError("np.dot: on tensors only for 1-D and 2-D operands; use @ (matmul)")
    return ops.matmul(a, b)


def _linalg_norm(x, ord=None, axis=None, keepdims=False):
    """Vector norms, and the Frobenius norm of matrices; NumPy's other matrix norms
    (spectral, max column sum …) are not entry-wise and have no op."""
    matrix = (axis is None and np.ndim(x) >= 2) or (isinstance(axis, tuple) and len(axis) == 2)
    if matrix and ord not in (None, "fro"):
        raise TypeError(f"np.linalg.norm: the matrix norm ord={ord!r} has no gradient in "
                        "autograd; t.norm(p) is the entry-wise p-norm")
    return ops.norm(x, 2 if ord is None else ord, axis, keepdims)


def _like(fill: Callable) -> Callable:
    """``np.zeros_like(t)`` and kin: a constant tensor (it carries no gradient)."""
    return lambda a, dtype=None, *args, **kwargs: Tensor._make(fill(plain(a), dtype=dtype))


# NumPy functions that mean the same as an op, written with NumPy's argument names.
ARRAY_FUNCTIONS = {
    np.sum: lambda a, axis=None, keepdims=False: ops.sum(a, axis, keepdims),
    np.mean: lambda a, axis=None, keepdims=False: ops.mean(a, axis, keepdims),
    np.max: lambda a, axis=None, keepdims=False: ops.max(a, axis=axis, keepdims=keepdims),
    np.amax: lambda a, axis=None, keepdims=False: ops.max(a, axis=axis, keepdims=keepdims),
    np.min: lambda a, axis=None, keepdims=False: ops.min(a, axis=axis, keepdims=keepdims),
    np.amin: lambda a, axis=None, keepdims=False: ops.min(a, axis=axis, keepdims=keepdims),
    np.var: lambda a, axis=None, ddof=0, keepdims=False: ops.var(a, axis, keepdims, ddof),
    np.std: lambda a, axis=None, ddof=0, keepdims=False: ops.std(a, axis, keepdims, ddof),
    np.prod: lambda a, axis=None, keepdims=False: ops.prod(a, axis, keepdims),
    np.cumsum: lambda a, axis=None: ops.cumsum(a, axis),
    np.any: lambda a, axis=None, keepdims=False: ops.any(a, axis, keepdims),
    np.all: lambda a, axis=None, keepdims=False: ops.all(a, axis, keepdims),
    np.argmax: lambda a, axis=None, keepdims=False: ops.argmax(a, axis, keepdims),
    np.argmin: lambda a, axis=None, keepdims=False: ops.argmin(a, axis, keepdims),
    np.round: lambda a, decimals=0: ops.round(a, decimals),
    np.reshape: _reshape,
    np.transpose: lambda a, axes=None: ops.transpose(a, axes),
    np.swapaxes: lambda a, axis1, axis2: ops.swapaxes(a, axis1, axis2),
    np.broadcast_to: lambda array, shape: ops.broadcast_to(array, varargs((shape,))),
    np.expand_dims: lambda a, axis: ops.expand_dims(a, axis),
    np.squeeze: lambda a, axis=None: ops.squeeze(a, axis),
    np.concatenate: lambda arrays, axis=0: ops.concatenate(arrays, axis),
    np.stack: lambda arrays, axis=0: ops.stack(arrays, axis),
    np.take_along_axis: lambda arr, indices, axis: ops.take_along_axis(arr, indices, axis),
    np.where: lambda condition, x, y: ops.where(condition, x, y),
    np.clip: lambda a, a_min=None, a_max=None: ops.clip(a, a_min, a_max),
    np.dot: _dot,
    np.linalg.norm: _linalg_norm,
    np.zeros_like: _like(np.zeros_like),
    np.ones_like: _like(np.ones_like),
}
