"""More element-wise functions: sin, cos, log₂, log₁₀, 2ˣ, 1/√x and erf. Each backward
is ``grad ∘ local derivative``, written with NumPy functions so it runs on Tensors too."""

from __future__ import annotations

import math

import numpy as np

from autograd.function import Function

LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

_erf = np.vectorize(math.erf, otypes=[np.float64])


class Sin(Function):
    name = "sin"
    formula = "∂sin a/∂a = cos a"

    forward = staticmethod(np.sin)

    def backward(self, grad, a):
        return (grad * np.cos(a),)


class Cos(Function):
    name = "cos"
    formula = "∂cos a/∂a = −sin a"

    forward = staticmethod(np.cos)

    def backward(self, grad, a):
        return (-grad * np.sin(a),)


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

    def forward(self, a):
        y = np.exp2(a)
        self.saved = (y,)
        return y

    def backward(self, grad, a):
        return (grad * self.output(self.saved[0]) * LN2,)


class Rsqrt(Function):
    name = "rsqrt"
    formula = "∂a^(−½)/∂a = −½ a^(−3/2) = −½ y³"

    def forward(self, a):
        y = 1 / np.sqrt(a)
        self.saved = (y,)
        return y

    def backward(self, grad, a):
        y = self.output(self.saved[0])
        return (grad * (-0.5 * y * y * y),)


class Erf(Function):
    """The error function erf a = (2/√π) ∫₀ᵃ e^(−s²) ds, behind the exact GELU."""

    name = "erf"
    formula = "∂erf a/∂a = (2/√π) e^(−a²)"

    def forward(self, a):
        return _erf(a).astype(a.dtype if a.dtype.kind == "f" else np.float64)

    def backward(self, grad, a):
        return (grad * (TWO_OVER_SQRT_PI * np.exp(-(a * a))),)


def sin(a): return Sin.apply(a)
def cos(a): return Cos.apply(a)
def log2(a): return Log2.apply(a)
def log10(a): return Log10.apply(a)
def exp2(a): return Exp2.apply(a)
def rsqrt(a): return Rsqrt.apply(a)
def erf(a): return Erf.apply(a)
