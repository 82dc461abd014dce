"""Ops that move entries around without changing them: the gradient moves back the
same way (reshape back, transpose by the inverse permutation, split a concatenation)."""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.axes import is_integer, normalize_axis, pick
from autograd.tensor import Tensor, varargs


class Reshape(Function):
    name = "reshape"
    formula = "∂reshape(a)/∂a: reshape the gradient back to a's shape"
    reads_inputs = False  # only a's shape, kept by forward

    def forward(self, a, shape):
        self.input_shape = a.shape
        try:
            return a.reshape(shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape array of shape {a.shape} (size {a.size}) into {shape}"
            ) from None

    def backward(self, grad):
        return grad.reshape(self.input_shape), None


class Transpose(Function):
    name = "transpose"
    formula = "∂transpose(a, p)/∂a: transpose the gradient by the inverse permutation"
    reads_inputs = False

    def forward(self, a, axes):
        if axes is not None and sorted(
                int(x) % a.ndim if -a.ndim <= x < a.ndim else a.ndim for x in axes
        ) != list(range(a.ndim)):
            raise ValueError(f"transpose: axes {axes} are not a permutation of the "
                             f"{a.ndim} axes of shape {a.shape} (to swap two axes, as "
                             "PyTorch's transpose(dim0, dim1), use swapaxes)")
        self.axes = axes
        return np.transpose(a, axes)

    def backward(self, grad):
        if self.axes is None:
            return grad.transpose(), None
        return grad.transpose(tuple(np.argsort([x % grad.ndim for x in self.axes]))), None


class BroadcastTo(Function):
    name = "broadcast_to"
    formula = "∂broadcast(a)/∂a: sum the gradient over the copies"
    reads_inputs = False

    def forward(self, a, shape):
        try:
            return np.array(np.broadcast_to(a, shape))  # a writable copy, not a view
        except ValueError:
            raise ValueError(f"broadcast_to: cannot broadcast shape {a.shape} to {shape}") from None

    def backward(self, grad):
        return grad, None  # the engine's unbroadcast sums the copies


class Concatenate(Function):
    name = "concatenate"
    formula = "∂concat(a₁…aₙ)/∂aₖ: the gradient's slice where aₖ was placed"
    reads_inputs = False  # where each piece was placed is kept by forward

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

    def backward(self, grad):
        index = [slice(None)] * grad.ndim
        pieces = []
        for start, stop in zip(self.bounds[:-1], self.bounds[1:], strict=True):
            index[self.axis] = slice(int(start), int(stop))
            pieces.append(grad[tuple(index)])
        return None, *pieces


def reshape(a, shape): return Reshape.apply(a, tuple(shape))
def broadcast_to(a, shape): return BroadcastTo.apply(a, tuple(shape))


def transpose(a, *axes):
    """Axes reordered. NumPy's meaning for no axes (all reversed), one tuple (a
    permutation: ``transpose(a, (1, 0))``) or three ints or more; PyTorch's for two ints:
    ``transpose(a, d0, d1)`` swaps axes d0 and d1 (on a matrix NumPy would read
    ``(0, 1)`` as 'leave as it is': the two-int form always means the swap)."""
    if len(axes) == 2 and is_integer(axes[0]) and is_integer(axes[1]):
        return swapaxes(a, *axes)
    axes = varargs(axes)
    return Transpose.apply(a, None if axes in ((), (None,)) else tuple(axes))


def view(a, *shape):
    """PyTorch's name for reshape (no copy is promised: the result is a new tensor of the
    same entries in the new shape; ``view(-1)`` flattens)."""
    return reshape(a, varargs(shape))


def flatten(a, start_dim=0, end_dim=-1):
    """Axes start_dim … end_dim merged into one (all of them by default: a 1-D tensor),
    as PyTorch's ``flatten``."""
    shape = np.shape(a)
    if not shape:
        return reshape(a, (1,))
    first, last = (normalize_axis(d, len(shape), "flatten")[0] for d in (start_dim, end_dim))
    if first > last:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} "
                         f"for shape {shape}")
    return reshape(a, (*shape[:first], -1, *shape[last + 1:]))


def concatenate(tensors, axis=0, *, dim=None):
    """Join tensors along an existing axis (as ``np.concatenate``; ``axis=None`` joins
    them flattened); ``dim=`` is PyTorch's name for the axis (``ag.cat``)."""
    axis = pick("concatenate", "axis", axis, "dim", dim, 0)
    if axis is None:
        return Concatenate.apply(0, *[reshape(t, (-1,)) for t in tensors])
    return Concatenate.apply(axis, *tensors)


def cat(tensors, dim=None, *, axis=None):
    """PyTorch's name for ``concatenate``: join tensors along axis ``dim`` (0 by default;
    ``axis=`` also works)."""
    return concatenate(tensors, 0 if axis is None else axis, dim=dim)


def stack(tensors, axis=0, *, dim=None):
    """Join tensors along a new axis (as ``np.stack``): each gains the axis, then joined."""
    axis = pick("stack", "axis", axis, "dim", dim, 0)
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    shapes = {np.shape(t) for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def squeeze(a, axis=None, *, dim=None):
    """Drop axes of length 1 (all of them, or the given ones; ``dim`` is PyTorch's name)."""
    axis = pick("squeeze", "axis", axis, "dim", dim)
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
    """Insert axes of length 1 at ``axis`` (an int or a tuple, as ``np.expand_dims``)."""
    shape = np.shape(a)
    axes = (axis,) if is_integer(axis) else axis
    if not isinstance(axes, tuple | list) or not all(is_integer(x) for x in axes):
        raise TypeError(f"expand_dims: axis must be an int or a tuple of ints, got {axis!r}")
    try:
        new = normalize_axis(axes, len(shape) + len(axes), "expand_dims")
    except ValueError as error:
        raise ValueError(f"{error} (the result of inserting into shape {shape})") from None
    rest = iter(shape)
    return reshape(a, [1 if i in new else next(rest) for i in range(len(shape) + len(axes))])


def permute(a, *axes):
    """The axes reordered (PyTorch's name for ``transpose(axes)``): axis i of the result is
    axis ``axes[i]`` of a; the axes as several ints or one tuple."""
    return Transpose.apply(a, varargs(axes))


def swapaxes(a, axis1, axis2):
    """a with two axes exchanged (PyTorch's ``transpose(dim0, dim1)``)."""
    order = list(range(np.ndim(a)))
    first, second = (normalize_axis(x, len(order), "swapaxes")[0] for x in (axis1, axis2))
    order[first], order[second] = order[second], order[first]
    return Transpose.apply(a, tuple(order))


def t(a):
    """The transpose of a matrix (a 0-d or 1-D tensor is returned as it is), as PyTorch."""
    if np.ndim(a) > 2:
        raise ValueError(f"t: expects a tensor of at most 2 dimensions, got shape "
                         f"{np.shape(a)}; use permute or swapaxes")
    return Transpose.apply(a, None)


def expand(a, *shape):
    """PyTorch's ``expand``: broadcast to ``shape``, where −1 keeps a's size on that axis
    (copies share one gradient: it is summed back, as for any broadcast)."""
    shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape
    own = np.shape(a)
    lead = len(shape) - len(own)
    if lead < 0:
        raise ValueError(f"expand: cannot expand shape {own} to the fewer axes of {shape}")
    sizes = [own[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape)]
    return broadcast_to(a, sizes)


class Cast(Function):
    name = "astype"
    formula = "∂cast(a)/∂a = 1 (gradient cast back to a's dtype)"
    reads_inputs = False  # only a's dtype, kept by forward

    def forward(self, a, dtype):
        self.input_dtype = a.dtype
        return a.astype(dtype)

    def backward(self, grad):
        return grad.astype(self.input_dtype), None


def astype(a, dtype):
    """Cast; a cast to a non-floating dtype leaves the graph (it has no gradient)."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        return Tensor._make(np.asarray(a._data if isinstance(a, Tensor) else a).astype(dtype))
    return Cast.apply(a, dtype)
