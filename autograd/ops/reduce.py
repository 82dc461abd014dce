"""Reductions over axes. Each backward spreads the incoming gradient back over the
reduced axes: equally for sum and mean, onto the extreme entries for max and min."""

from __future__ import annotations

import builtins

import numpy as np

from autograd.function import Function


def normalize_axis(axis, ndim: int, op: str) -> tuple[int, ...]:
    """Axis argument (None, int or tuple, negatives allowed) as a sorted tuple of axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    for a in axes:
        if not -ndim <= a < builtins.max(ndim, 1):
            raise ValueError(f"{op}: axis {a} is out of range for an array of {ndim} dimensions")
    return tuple(sorted({int(a) % builtins.max(ndim, 1) for a in axes}))


class Reduction(Function):
    """Shared bookkeeping: which axes are reduced, and the shape with them kept as 1s."""

    def setup(self, a: np.ndarray, axis, keepdims: bool) -> tuple[int, ...]:
        self.axes = normalize_axis(axis, a.ndim, self.name) if a.ndim else ()
        self.kept_shape = tuple(1 if i in self.axes else n for i, n in enumerate(a.shape))
        return self.axes

    def spread(self, grad, a):
        """The gradient of the reduced output, broadcast back over the input ``a``."""
        return np.broadcast_to(grad.reshape(self.kept_shape), a.shape)


class Sum(Reduction):
    name = "sum"
    formula = "∂(Σᵢ aᵢ)/∂aᵢ = 1"

    def forward(self, a, axis, keepdims):
        return np.sum(a, axis=self.setup(a, axis, keepdims), keepdims=keepdims)

    def backward(self, grad, a, axis, keepdims):
        return self.spread(grad, a), None, None


class Mean(Reduction):
    name = "mean"
    formula = "∂(Σᵢ aᵢ / n)/∂aᵢ = 1/n"

    def forward(self, a, axis, keepdims):
        axes = self.setup(a, axis, keepdims)
        self.count = int(np.prod([a.shape[i] for i in axes]))
        return np.mean(a, axis=axes, keepdims=keepdims)

    def backward(self, grad, a, axis, keepdims):
        return self.spread(grad, a) / self.count, None, None


class Extremum(Reduction):
    """max or min: the gradient goes to the entries equal to the result; ties share it
    evenly (as ``torch.amax``), so the shares always sum to the incoming gradient."""

    reduce = staticmethod(np.max)

    def forward(self, a, axis, keepdims):
        axes = self.setup(a, axis, keepdims)
        if a.size == 0:
            raise ValueError(f"{self.name}: zero-size array has no {self.name}imum")
        extreme = self.reduce(a, axis=axes, keepdims=True)
        chosen = a == extreme
        share = chosen / chosen.sum(axis=axes, keepdims=True)
        self.saved = (share.astype(a.dtype) if a.dtype.kind == "f" else share,)
        return extreme if keepdims else extreme.reshape(
            [n for i, n in enumerate(a.shape) if i not in axes])

    def backward(self, grad, a, axis, keepdims):
        return self.spread(grad, a) * self.saved[0], None, None


class Max(Extremum):
    name = "max"
    formula = "∂max(a)/∂aᵢ = 1/k for the k entries equal to the max, else 0"
    reduce = staticmethod(np.max)


class Min(Extremum):
    name = "min"
    formula = "∂min(a)/∂aᵢ = 1/k for the k entries equal to the min, else 0"
    reduce = staticmethod(np.min)


def sum(a, axis=None, keepdims=False): return Sum.apply(a, axis, keepdims)
def mean(a, axis=None, keepdims=False): return Mean.apply(a, axis, keepdims)
def max(a, axis=None, keepdims=False): return Max.apply(a, axis, keepdims)
def min(a, axis=None, keepdims=False): return Min.apply(a, axis, keepdims)


def var(a, axis=None, keepdims=False, ddof=0):
    """Variance Σ(a − mean)² / (n − ddof), NumPy's divisor by default (ddof=0).

    Composed of mean, sub, mul and sum, so its gradient, 2(a − mean)/(n − ddof), comes
    from the chain rule rather than a formula of its own."""
    n = int(np.prod([a.shape[i] for i in normalize_axis(axis, a.ndim, "var")]))
    centred = a - mean(a, axis, keepdims=True)
    return sum(centred * centred, axis, keepdims) / (n - ddof)
