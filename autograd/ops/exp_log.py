"""Exponentials, logarithms and roots: eˣ, ln x, √x, 2ˣ, log₂ x, log₁₀ x, 1/√x. Each
backward is ``grad ∘ local derivative``; eˣ and √x save their output, since their
derivatives are functions of it (S9's pattern)."""

from __future__ import annotations

import math

import numpy as np

from autograd.function import Function

LN2 = math.log(2.0)
LN10 = math.log(10.0)


class Exp(Function):
    name = "exp"
    formula = "∂eᵃ/∂a = eᵃ = y"
    reads_inputs = False

    def forward(self, a):
        y = np.exp(a)
        self.saved = (y,)
        return y

    def backward(self, grad):
        return (grad * self.output(self.saved[0]),)


class Log(Function):
    name = "log"
    formula = "∂ln a/∂a = 1/a"

    forward = staticmethod(np.log)

    def backward(self, grad, a):
        return (grad / a,)


class Sqrt(Function):
    name = "sqrt"
    formula = "∂√a/∂a = 1/(2√a) = 1/(2y)"
    reads_inputs = False

    def forward(self, a):
        y = np.sqrt(a)
        self.saved = (y,)
        return y

    def backward(self, grad):
        return (grad / (2 * self.output(self.saved[0])),)


class Log2(Function):
    name = "log2"
    formula = "∂log₂ a/∂a = 1/(a ln 2)"

    forward = staticmethod(np.log2)

    def backward(self, grad, a):
        return (grad / (a * LN2),)


class Log10(Function):
    name = "log10"
    formula = "∂log₁₀ a/∂a = 1/(a ln 10)"

    forward = staticmethod(np.log10)

    def backward(self, grad, a):
        return (grad / (a * LN10),)


class Exp2(Function):
    name = "exp2"
    formula = "∂2ᵃ/∂a = 2ᵃ ln 2 = y ln 2"
    reads_inputs = False

    def forward(self, a):
        y = np.exp2(a)
        self.saved = (y,)
        return y

    def backward(self, grad):
        return (grad * self.output(self.saved[0]) * LN2,)


class Rsqrt(Function):
    name = "rsqrt"
    formula = "∂a^(−½)/∂a = −½ a^(−3/2) = −½ y³"
    reads_inputs = False

    def forward(self, a):
        y = 1 / np.sqrt(a)
        self.saved = (y,)
        return y

    def backward(self, grad):
        y = self.output(self.saved[0])
        return (grad * (-0.5 * y * y * y),)


def exp(a): return Exp.apply(a)
def log(a): return Log.apply(a)
def sqrt(a): return Sqrt.apply(a)
def log2(a): return Log2.apply(a)
def log10(a): return Log10.apply(a)
def exp2(a): return Exp2.apply(a)
def rsqrt(a): return Rsqrt.apply(a)
