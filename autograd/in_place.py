"""In-place updates — ``t -= lr * t.grad``, ``t.grad.zero_()``, ``t[index] = v`` — where
they cannot make a gradient wrong: when no graph is being recorded for them (inside
``no_grad``, or neither side requires grad). Otherwise ``t += x`` is ``t = t + x``, a new
node, as Python does for immutable values, and ``t[index] = v`` is an error saying what to
write; the tensor the graph saved stays unchanged. Each in-place change is counted
(``mark_changed``): a graph built from the old values refuses to backpropagate."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.grad_mode import _state
from autograd.ops.indexing import normalize_index
from autograd.tensor import Tensor


def update(tensor: Tensor, op: str, ufunc: np.ufunc, other: Any) -> Tensor:
    """``tensor op= other``, into ``tensor``'s own array; NotImplemented (Python then
    falls back to ``tensor = tensor op other``) when the graph would record it."""
    value = other._data if isinstance(other, Tensor) else other
    if _state.enabled and (tensor._requires_grad
                           or (isinstance(other, Tensor) and other._requires_grad)):
        return NotImplemented
    try:
        ufunc(tensor._data, value, out=tensor._data, casting="same_kind")
    except TypeError:
        raise TypeError(f"{op}: cannot store the result in place in this {tensor.dtype} "
                        f"tensor (from {np.result_type(tensor._data, value)}); write "
                        f"t = t {op[:-1]} x instead") from None
    except ValueError:
        raise ValueError(f"{op}: an operand of shape {np.shape(value)} does not broadcast to "
                         f"the shape {tensor.shape} of the tensor updated in place") from None
    tensor.mark_changed()
    return tensor


def zero_(tensor: Tensor) -> Tensor:
    """Set every entry to 0 in place (``x.grad.zero_()``) and return the tensor; refused
    for a tensor that requires grad while grad mode records (as PyTorch)."""
    if _state.enabled and tensor._requires_grad:
        raise RuntimeError("zero_: cannot change a tensor that requires grad in place while "
                           "the graph records; call it inside ag.no_grad() (or set "
                           "t.grad = None to forget a gradient)")
    tensor._data[...] = 0
    tensor.mark_changed()
    return tensor


def assign(tensor: Tensor, index: Any, value: Any) -> None:
    """``t[index] = value`` into t's own array, where no graph records it (as ``update``);
    while it records and t or the value requires grad, an error saying what to write."""
    value_needs_grad = isinstance(value, Tensor) and value._requires_grad
    if _state.enabled and (tensor._requires_grad or value_needs_grad):
        raise RuntimeError("t[index] = value: cannot assign into a tensor while the graph "
                           "records it; build a new one (ag.where(mask, value, t)), or "
                           "assign inside ag.no_grad()")
    try:
        tensor._data[normalize_index(index)] = value._data if isinstance(value, Tensor) else value
    except (ValueError, IndexError, TypeError) as error:
        raise type(error)(f"t[index] = value: {error} (tensor of shape {tensor.shape})") from None
    tensor.mark_changed()


def method(tensor: Tensor, name: str, ufunc: np.ufunc, other: Any) -> Tensor:
    """PyTorch's in-place methods (``t.add_(x)``, ``t.mul_(x)``): ``update``, and where the
    graph would record it an error (a method cannot fall back to ``t = t + x``)."""
    if update(tensor, name, ufunc, other) is NotImplemented:
        raise RuntimeError(f"{name}: cannot change a tensor in place while the graph records "
                           f"it; call it inside ag.no_grad(), or write t = t.{name[:-1]}(x)")
    return tensor


def copy_(tensor: Tensor, source: Any) -> Tensor:
    """Copy ``source``'s values into ``tensor`` (broadcast to its shape, cast to its dtype),
    where no graph records it; returns ``tensor``."""
    return method(tensor, "copy_", _second, source)


def _second(a: np.ndarray, b: Any, out: np.ndarray, casting: str) -> None:
    """The ufunc-shaped ``out[...] = b`` that ``update`` calls for ``copy_``."""
    np.copyto(out, b, casting="unsafe")
