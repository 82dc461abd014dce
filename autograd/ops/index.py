"""Indexing: ``a[index]`` and its adjoint, scattering a gradient back with ``np.add.at``."""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.tensor import Tensor


def normalize_index(index):
    """Tensors and lists inside an index become arrays, so NumPy reads them as arrays."""
    parts = index if isinstance(index, tuple) else (index,)
    parts = tuple(
        p.data if isinstance(p, Tensor) else np.asarray(p) if isinstance(p, list) else p
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

    def forward(self, a, index):
        try:
            return a[index]
        except IndexError as error:
            raise IndexError(f"getitem: {error} (indexing shape {a.shape})") from None

    def backward(self, grad, a, index):
        return ScatterAdd.compute(grad, index, a.shape), None


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


def getitem(a, index): return GetItem.apply(a, normalize_index(index))
def scatter_add(values, index, shape): return ScatterAdd.apply(values, index, tuple(shape))
