"""Running sums: yᵢ = Σⱼ≤ᵢ aⱼ along an axis. Each aⱼ feeds every yᵢ with i ≥ j, so its
gradient is the sum of the incoming gradient from position j to the end: a cumulative
sum taken backwards."""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.reduce import is_integer, normalize_axis
from autograd.ops.shape import reshape


class Cumsum(Function):
    name = "cumsum"
    formula = "∂(Σⱼ≤ᵢ aⱼ)/∂aⱼ = 1 for i ≥ j, so ∂E/∂aⱼ = Σᵢ≥ⱼ Gᵢ (a reversed cumsum)"

    def forward(self, a, axis):
        return np.cumsum(a, axis=axis)

    def backward(self, grad, a, axis):
        backwards = (slice(None),) * axis + (slice(None, None, -1),)
        return np.cumsum(grad[backwards], axis=axis)[backwards], None


def cumsum(a, axis=None):
    """Cumulative sum along ``axis`` (of the flattened tensor when ``axis`` is None, as
    NumPy; PyTorch's ``cumsum(dim)`` always names the axis)."""
    if axis is None:
        return Cumsum.apply(reshape(a, (-1,)), 0)
    if not is_integer(axis):
        raise TypeError(f"cumsum: axis must be an int or None, got {axis!r}")
    if np.ndim(a) == 0:  # axis 0 or −1 of a 0-d tensor (checked): the tensor itself
        normalize_axis(axis, 0, "cumsum")
        return reshape(Cumsum.apply(reshape(a, (1,)), 0), ())
    (axis,) = normalize_axis(axis, np.ndim(a), "cumsum")
    return Cumsum.apply(a, axis)
