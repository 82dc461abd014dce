"""The activations PyTorch users reach for beyond S9/S10's sigmoid, tanh and ReLU (S19:
ones that do not saturate for x > 0 keep deep networks' gradients alive). Each is one node
with its derivative written out; the smooth ones (ELU, GELU, SiLU, softplus, log-sigmoid)
write it with NumPy functions, so their second derivatives exist as well."""

from __future__ import annotations

import math

import numpy as np

from autograd.function import Function
from autograd.ops.elementary import Erf
from autograd.ops.elementwise import Sigmoid

INV_SQRT_2 = 1.0 / math.sqrt(2.0)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class LeakyRelu(Function):
    name = "leaky_relu"
    formula = "∂leaky_relu(a)/∂a = 1 if a > 0 else slope  (slope at 0, as PyTorch)"

    def forward(self, a, slope):
        positive = a > 0
        self.saved = (np.where(positive, 1.0, slope).astype(a.dtype),)
        return np.where(positive, a, a * slope)

    def backward(self, grad, a, slope):
        return grad * self.saved[0], None


class Hardtanh(Function):
    name = "hardtanh"
    formula = "∂hardtanh(a)/∂a = 1 if lo < a < hi else 0  (0 at lo and hi, as PyTorch)"

    def forward(self, a, lo, hi):
        self.saved = ((a > lo) & (a < hi),)
        return np.clip(a, lo, hi)

    def backward(self, grad, a, lo, hi):
        return grad * self.saved[0], None, None


class Elu(Function):
    name = "elu"
    formula = "∂elu(a)/∂a = 1 if a > 0 else α eᵃ = y + α"

    def forward(self, a, alpha):
        return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))

    def backward(self, grad, a, alpha):
        return grad * np.where(a > 0, 1.0, alpha * np.exp(np.minimum(a, 0))), None


class Gelu(Function):
    """GELU, x·Φ(x) with Φ the standard normal CDF ½(1 + erf(x/√2)) (PyTorch's exact
    default)."""

    name = "gelu"
    formula = "∂(a Φ(a))/∂a = Φ(a) + a φ(a),  φ(a) = e^(−a²/2)/√(2π)"

    def forward(self, a):
        return a * (0.5 * (1 + Erf.compute(a * INV_SQRT_2)))

    def backward(self, grad, a):
        cdf = 0.5 * (1 + Erf.compute(a * INV_SQRT_2))
        density = INV_SQRT_2PI * np.exp(-0.5 * (a * a))
        return (grad * (cdf + a * density),)


class Silu(Function):
    """SiLU (swish), x·S(x) with S the sigmoid of S9."""

    name = "silu"
    formula = "∂(a S(a))/∂a = S(a)(1 + a(1 − S(a)))  (S9)"

    def forward(self, a):
        return a * Sigmoid.compute(a)

    def backward(self, grad, a):
        s = Sigmoid.compute(a)
        return (grad * (s * (1 + a * (1 - s))),)


class Softplus(Function):
    """softplus(a) = (1/β) ln(1 + e^(βa)), a smooth ReLU; a itself where βa > threshold
    (as PyTorch), evaluated as max(βa, 0) + ln(1 + e^(−|βa|)) so it never overflows."""

    name = "softplus"
    formula = "∂softplus(a)/∂a = S(βa)  (the sigmoid, S9; 1 above the threshold)"

    def forward(self, a, beta, threshold):
        z = a * beta
        smooth = (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))) / beta
        return np.where(z > threshold, a, smooth).astype(a.dtype)

    def backward(self, grad, a, beta, threshold):
        z = a * beta
        return grad * np.where(z > threshold, 1.0, Sigmoid.compute(z)), None, None


class LogSigmoid(Function):
    name = "logsigmoid"
    formula = "∂ln S(a)/∂a = 1 − S(a) = S(−a)  (S9)"

    def forward(self, a):
        return -(np.maximum(-a, 0) + np.log1p(np.exp(-np.abs(a))))

    def backward(self, grad, a):
        return (grad * Sigmoid.compute(-a),)


def leaky_relu(a, negative_slope=0.01): return LeakyRelu.apply(a, negative_slope)
def hardtanh(a, min_val=-1.0, max_val=1.0): return Hardtanh.apply(a, min_val, max_val)
def elu(a, alpha=1.0): return Elu.apply(a, alpha)
def gelu(a): return Gelu.apply(a)
def silu(a): return Silu.apply(a)
def softplus(a, beta=1.0, threshold=20.0): return Softplus.apply(a, beta, threshold)
def logsigmoid(a): return LogSigmoid.apply(a)
