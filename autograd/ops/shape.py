"""Ops that move entries around without changing them: the gradient moves back the
same way (reshape back, transpose by the inverse permutation, split a concatenation)."""

from __future__ import annotations

import numpy as np

from autograd.function import Function


class Reshape(Function):
    name = "reshape"
    formula = "∂reshape(a)/∂a: reshape the gradient back to a's shape"

    def forward(self, a, shape):
        try:
            return a.reshape(shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape array of shape {a.shape} (size {a.size}) into {shape}"
            ) from None

    def backward(self, grad, a, shape):
        return grad.reshape(a.shape), None


class Transpose(Function):
    name = "transpose"
    formula = "∂transpose(a, p)/∂a: transpose the gradient by the inverse permutation"

    def forward(self, a, axes):
        if axes is not None and sorted(int(x) % max(a.ndim, 1) for x in axes) != list(
                range(a.ndim)):
            raise ValueError(f"transpose: axes {axes} are not a permutation for shape {a.shape}")
        self.axes = axes
        return np.transpose(a, axes)

    def backward(self, grad, a, axes):
        if self.axes is None:
            return grad.transpose(), None
        return grad.transpose(tuple(np.argsort([x % grad.ndim for x in self.axes]))), None


class BroadcastTo(Function):
    name = "broadcast_to"
    formula = "∂broadcast(a)/∂a: sum the gradient over the copies"

    def forward(self, a, shape):
        try:
            return np.array(np.broadcast_to(a, shape))  # a writable copy, not a view
        except ValueError:
            raise ValueError(f"broadcast_to: cannot broadcast shape {a.shape} to {shape}") from None

    def backward(self, grad, a, shape):
        return grad, None  # the engine's unbroadcast sums the copies


class Concatenate(Function):
    name = "concatenate"
    formula = "∂concat(a₁…aₙ)/∂aₖ: the gradient's slice where aₖ was placed"

    def forward(self, axis, *arrays):
        arrays = [np.asarray(a) for a in arrays]
        shapes = [a.shape for a in arrays]
        if not arrays:
            raise ValueError("concatenate: need at least one tensor")
        try:
            out = np.concatenate(arrays, axis=axis)
        except ValueError as error:
            raise ValueError(f"concatenate: cannot join shapes {shapes} on axis {axis}: {error}"
                             ) from None
        self.axis = axis % out.ndim
        self.bounds = np.cumsum([0] + [s[self.axis] for s in shapes])
        return out

    def backward(self, grad, axis, *tensors):
        index = [slice(None)] * grad.ndim
        pieces = []
        for start, stop in zip(self.bounds[:-1], self.bounds[1:], strict=True):
            index[self.axis] = slice(int(start), int(stop))
            pieces.append(grad[tuple(index)])
        return None, *pieces


def reshape(a, shape): return Reshape.apply(a, tuple(shape))
def transpose(a, axes=None): return Transpose.apply(a, None if axes is None else tuple(axes))
def broadcast_to(a, shape): return BroadcastTo.apply(a, tuple(shape))


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis (as ``np.concatenate``; ``axis=None`` joins
    them flattened)."""
    if axis is None:
        return Concatenate.apply(0, *[reshape(t, (-1,)) for t in tensors])
    return Concatenate.apply(axis, *tensors)


def stack(tensors, axis=0):
    """Join tensors along a new axis (as ``np.stack``): each gains the axis, then joined."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    shapes = {np.shape(t) for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def squeeze(a, axis=None):
    """Drop axes of length 1 (all of them, or the given ones)."""
    shape = np.shape(a)
    if axis is None:
        axes = {i for i, n in enumerate(shape) if n == 1}
    else:
        given = [int(x) for x in ((axis,) if np.ndim(axis) == 0 else axis)]
        outside = [x for x in given if not -len(shape) <= x < len(shape)]
        if outside:
            raise ValueError(f"squeeze: axis {outside[0]} is out of range for shape {shape}")
        axes = {x % len(shape) for x in given}
        wrong = [i for i in axes if shape[i] != 1]
        if wrong:
            raise ValueError(f"squeeze: axis {wrong[0]} of shape {shape} is not of length 1")
    return reshape(a, [n for i, n in enumerate(shape) if i not in axes])


def expand_dims(a, axis):
    """Insert an axis of length 1 at ``axis`` (as ``np.expand_dims``)."""
    shape = np.shape(a)
    position = axis if axis >= 0 else len(shape) + 1 + axis
    if not 0 <= position <= len(shape):
        raise ValueError(f"expand_dims: axis {axis} is out of range for shape {shape}")
    return reshape(a, (*shape[:position], 1, *shape[position:]))
