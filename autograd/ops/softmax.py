"""Softmax and log-softmax along an axis, each one node with its Jacobian product
written out (S10): the entries are coupled, so the gradient is not element-wise."""

from __future__ import annotations

import numpy as np

from autograd.function import Function


def _shifted(a: np.ndarray, axis: int | None) -> np.ndarray:
    """a − max(a) along ``axis``: same softmax, and e^(·) ≤ 1 never overflows. An empty
    tensor has nothing to shift (its softmax is empty, as PyTorch's)."""
    return a - np.maximum.reduce(a, axis=axis, keepdims=True) if a.size else a


def _axis(a: np.ndarray, axis: int) -> int | None:
    """``axis`` checked against a's shape; None for a 0-d tensor, whose axis 0 (or −1)
    holds its one entry (as PyTorch: softmax of a number is 1, log_softmax 0)."""
    if not isinstance(axis, int | np.integer) or not -max(a.ndim, 1) <= axis < max(a.ndim, 1):
        raise ValueError(f"axis {axis!r} is out of range for shape {a.shape}")
    return int(axis) if a.ndim else None


class Softmax(Function):
    name = "softmax"
    formula = "∂yᵢ/∂aⱼ = yᵢ(δᵢⱼ − yⱼ), so ∂E/∂a = y ∘ (G − Σⱼ Gⱼ yⱼ)   (S10: diag(y) − y yᵀ)"

    def forward(self, a, axis):
        try:
            self.axis = axis = _axis(a, axis)
        except ValueError as error:
            raise ValueError(f"softmax: {error}") from None
        e = np.exp(_shifted(a, axis))
        y = e / e.sum(axis=axis, keepdims=True)
        self.saved = (y,)
        return y

    def backward(self, grad, a, axis):
        y = self.output(self.saved[0])
        return y * (grad - (grad * y).sum(axis=self.axis, keepdims=True)), None


class LogSoftmax(Function):
    name = "log_softmax"
    formula = "∂(aᵢ − log Σ e^a)/∂aⱼ = δᵢⱼ − softmax(a)ⱼ, so ∂E/∂a = G − softmax(a) Σⱼ Gⱼ"

    def forward(self, a, axis):
        try:
            self.axis = axis = _axis(a, axis)
        except ValueError as error:
            raise ValueError(f"log_softmax: {error}") from None
        shifted = _shifted(a, axis)
        with np.errstate(divide="ignore"):  # the sum is ≥ 1, or 0 over an empty axis
            y = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        self.saved = (y,)
        return y

    def backward(self, grad, a, axis):
        probabilities = np.exp(self.output(self.saved[0]))  # softmax = e^(log softmax)
        return grad - probabilities * grad.sum(axis=self.axis, keepdims=True), None


def softmax(a, axis=-1): return Softmax.apply(a, axis)
def log_softmax(a, axis=-1): return LogSoftmax.apply(a, axis)
