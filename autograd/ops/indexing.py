"""Indexing: ``a[index]`` and its adjoint, scattering a gradient back with ``np.add.at``."""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.axes import normalize_axis
from autograd.tensor import Tensor


def _as_index_array(part):
    """A list in an index as an array; an empty one selects nothing (``x[[]]``), so it
    is an empty integer array rather than NumPy's default float one."""
    array = np.asarray(part)
    return array.astype(np.intp) if array.size == 0 else array


def normalize_index(index):
    """Tensors and lists inside an index become arrays, so NumPy reads them as arrays."""
    parts = index if isinstance(index, tuple) else (index,)
    parts = tuple(
        p._data if isinstance(p, Tensor) else _as_index_array(p) if isinstance(p, list) else p
        for p in parts
    )
    return parts if isinstance(index, tuple) else parts[0]


def _is_basic(index) -> bool:
    """Only ints, slices, None and Ellipsis: every entry is selected at most once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, int | np.integer | slice) or p is None or p is Ellipsis for p in parts)


class GetItem(Function):
    name = "getitem"
    formula = "∂a[i]/∂a: the gradient scattered back to positions i (repeats add up)"
    reads_inputs = False  # only a's shape and the index, kept by forward

    def forward(self, a, index):
        self.input_shape, self.index = a.shape, index
        try:
            return a[index]
        except IndexError as error:
            raise IndexError(f"{self.name}: {error} (indexing shape {a.shape})") from None

    def backward(self, grad):
        return ScatterAdd.compute(grad, self.index, self.input_shape), None


class ScatterAdd(Function):
    """The adjoint of indexing: zeros of ``shape`` with ``values`` added at ``index``."""

    name = "scatter_add"
    formula = "∂scatter(g)/∂g: read the gradient back at positions i"

    def forward(self, values, index, shape):
        out = np.zeros(shape, dtype=values.dtype)
        if _is_basic(index):
            out[index] = values
        else:
            np.add.at(out, index, values)
        return out

    def backward(self, grad, values, index, shape):
        return grad[index], None, None


class TakeAlongAxis(GetItem):
    """``np.take_along_axis`` / ``torch.gather``: out[…, i, …] = a[…, indices[…, i, …], …]
    along one axis; the index is made into an integer-array index of a, so the gradient
    is indexing's scatter."""

    name = "take_along_axis"
    formula = "∂a[…, idx, …]/∂a: the gradient scattered back along the axis (repeats add up)"


def getitem(a, index): return GetItem.apply(a, normalize_index(index))
def scatter_add(values, index, shape): return ScatterAdd.apply(values, index, tuple(shape))


def _along_axis(op, a, indices, axis, grid_shape_of_indices):
    """``a[index]`` with ``indices`` along ``axis`` and, on every other axis i, the
    positions 0…n−1 (n from the indices' shape for gather, from a's for take_along_axis)."""
    shape = np.shape(a)
    indices = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, got dtype {indices.dtype}")
    if indices.ndim != len(shape):
        raise ValueError(f"{op}: indices of shape {indices.shape} need as many axes as the "
                         f"input of shape {shape}")
    (axis,) = normalize_axis(axis, len(shape), op)
    sizes = indices.shape if grid_shape_of_indices else shape
    index = tuple(indices if i == axis else
                  np.arange(n).reshape([-1 if j == i else 1 for j in range(len(shape))])
                  for i, n in enumerate(sizes))
    return TakeAlongAxis.apply(a, index)


def take_along_axis(a, indices, axis):
    """Pick entries of ``a`` along ``axis`` at ``indices`` (an integer array with a's
    number of axes, broadcast against a on the others), as ``np.take_along_axis``."""
    return _along_axis("take_along_axis", a, indices, axis, grid_shape_of_indices=False)


def gather(a, dim, index):
    """PyTorch's ``gather(input, dim, index)``: out[i][j] = a[index[i][j]][j] for dim 0
    (and so on), the result of ``index``'s shape (which may be smaller than a's)."""
    return _along_axis("gather", a, index, dim, grid_shape_of_indices=True)
