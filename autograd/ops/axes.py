"""Axis arguments as NumPy and PyTorch take them: None, an int or a tuple of ints,
negatives counting from the end."""

from __future__ import annotations

import builtins

import numpy as np

from autograd.errors import shown


def is_integer(x) -> bool:
    """An int or NumPy integer (not a bool): what an axis may be."""
    return isinstance(x, int | np.integer) and not isinstance(x, bool | np.bool_)


def normalize_axis(axis, ndim: int, op: str) -> tuple[int, ...]:
    """Axis argument (None, int or tuple of ints, negatives allowed) as a sorted tuple of
    distinct axes. A 0-d array accepts 0 and −1 (as PyTorch) and reduces over nothing."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if is_integer(axis) else axis
    if not isinstance(axes, tuple | list) or not builtins.all(is_integer(a) for a in axes):
        raise TypeError(f"{op}: axis must be an int, a tuple of ints or None, got {shown(axis)}")
    span = builtins.max(ndim, 1)
    for a in axes:
        if not -span <= a < span:
            raise ValueError(f"{op}: axis {a} is out of range for an array of {ndim} dimensions")
    distinct = {int(a) % span for a in axes}
    if len(distinct) != len(axes):
        raise ValueError(f"{op}: axis {tuple(axes)} names the same axis twice")
    return tuple(sorted(distinct)) if ndim else ()



def pick(op: str, numpy_name: str, numpy_value, torch_name: str, torch_value, default=None):
    """One argument spelt NumPy's way or PyTorch's (``axis``/``dim``, ``keepdims``/
    ``keepdim``): the one given; both given with different values is an error naming
    both. ``default`` is the NumPy argument's default (meaning: not given)."""
    if torch_value is None:
        return numpy_value
    if numpy_value is not default and numpy_value != default and numpy_value != torch_value:
        raise TypeError(f"{op}: got both {numpy_name}={numpy_value!r} (NumPy's name) and "
                        f"{torch_name}={torch_value!r} (PyTorch's); give one")
    return torch_value


def axis_or_dim(op: str, axis, dim, keepdims=False, keepdim=None) -> tuple:
    """(axis, keepdims) from NumPy's ``axis``/``keepdims`` or PyTorch's ``dim``/``keepdim``."""
    return (pick(op, "axis", axis, "dim", dim),
            bool(pick(op, "keepdims", keepdims, "keepdim", keepdim, False)))
