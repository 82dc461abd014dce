"""Rounding and integer division: floor, ceil, round and ``//`` are piecewise constant,
so their gradient is 0 everywhere (also at the jumps, where none exists — as PyTorch
gives for floor, ceil and round); ``%`` passes the gradient to a and −⌊a/b⌋ times it to b."""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.arithmetic import Binary


class PiecewiseConstant(Function):
    """A step function of its inputs: ∂y/∂x = 0 for every input that needs a gradient."""

    def backward(self, grad, *inputs):
        return tuple(np.zeros_like(grad) if need else None for need in self.needs_input_grad)


class Floor(PiecewiseConstant):
    name = "floor"
    formula = "∂⌊a⌋/∂a = 0 (a step function; 0 at the steps too)"

    forward = staticmethod(np.floor)


class Ceil(PiecewiseConstant):
    name = "ceil"
    formula = "∂⌈a⌉/∂a = 0 (a step function; 0 at the steps too)"

    forward = staticmethod(np.ceil)


class Round(PiecewiseConstant):
    name = "round"
    formula = "∂round(a)/∂a = 0 (a step function; halves round to even)"

    forward = staticmethod(np.round)


class FloorDiv(Binary, PiecewiseConstant):
    name = "floordiv"
    formula = "∂⌊a/b⌋/∂a = ∂⌊a/b⌋/∂b = 0 (a step function)"

    forward = staticmethod(np.floor_divide)


class Mod(Binary):
    name = "mod"
    formula = "a mod b = a − b⌊a/b⌋:  ∂/∂a = 1,  ∂/∂b = −⌊a/b⌋"

    forward = staticmethod(np.remainder)  # the sign of b, as Python's % and PyTorch's

    def backward(self, grad, a, b):
        need_a, need_b = self.needs_input_grad
        return (grad if need_a else None), (-grad * np.floor(a / b) if need_b else None)


def floor(a): return Floor.apply(a)
def ceil(a): return Ceil.apply(a)
def round(a, decimals=0): return Round.apply(a, decimals)
def floordiv(a, b): return FloorDiv.apply(a, b)
def mod(a, b): return Mod.apply(a, b)
