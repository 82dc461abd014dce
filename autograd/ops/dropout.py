"""Dropout as one op, so that its mask is drawn inside ``forward``: every run of the op —
a plain forward pass, or a replay by ``ag.trace`` — draws a fresh mask."""

from __future__ import annotations

from autograd.dtypes import get_default_dtype
from autograd.function import Function
from autograd.random import get_generator


class Dropout(Function):
    name = "dropout"
    formula = "∂(a·m/(1−p))/∂a = m/(1−p), m the keep-mask drawn in forward   (S19)"
    reads_inputs = False

    def forward(self, a, p):
        keep = get_generator().random(a.shape) >= p  # each entry kept with probability 1 − p
        dtype = a.dtype if a.dtype.kind == "f" else get_default_dtype()
        self.saved = ((keep / (1 - p)).astype(dtype),)
        return a * self.saved[0]

    def backward(self, grad):
        return grad * self.saved[0], None


def dropout(a, p):
    """Zero each entry of ``a`` with probability ``p`` and scale the rest by 1/(1 − p)."""
    return Dropout.apply(a, p)
