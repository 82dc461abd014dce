"""Activation functions, every family in one place: the document's sigmoid, tanh and ReLU
(S9, S10: sigmoid and tanh save their output, as their derivatives are functions of it),
the ones PyTorch users reach for beyond them (S19: ones that do not saturate for x > 0
keep deep networks' gradients alive), erf (GELU's building block), and softmax and
log-softmax along an axis, each one node with its Jacobian product written out (S10: the
entries are coupled, so the gradient is not element-wise). The smooth ones write their
derivative with NumPy functions, so their second derivatives exist as well."""

from __future__ import annotations

import math

import numpy as np

from autograd.function import Function
from autograd.ops.axes import pick

INV_SQRT_2 = 1.0 / math.sqrt(2.0)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

_erf = np.vectorize(math.erf, otypes=[np.float64])


class Tanh(Function):
    name = "tanh"
    formula = "∂tanh a/∂a = 1 − y²  (S10)"
    reads_inputs = False

    def forward(self, a):
        y = np.tanh(a)
        self.saved = (y,)
        return y

    def backward(self, grad):
        y = self.output(self.saved[0])
        return (grad * (1 - y * y),)


class Sigmoid(Function):
    name = "sigmoid"
    formula = "∂S(a)/∂a = y(1 − y)  (S9)"
    reads_inputs = False

    def forward(self, a):
        # S9: S(a) = 1/(1 + e^(−a)), evaluated through e = e^(−|a|) ≤ 1 so that nothing
        # overflows: S(a) = 1/(1 + e) for a ≥ 0 and e/(1 + e) for a < 0.
        e = np.exp(-np.abs(a))
        y = np.where(a >= 0, 1, e) / (1 + e)
        self.saved = (y,)
        return y

    def backward(self, grad):
        y = self.output(self.saved[0])
        return (grad * (y * (1 - y)),)


class Relu(Function):
    name = "relu"
    formula = "∂max(0,a)/∂a = 1 if a > 0 else 0"
    reads_inputs = False

    def forward(self, a):
        self.saved = (a > 0,)
        return np.maximum(a, 0)

    def backward(self, grad):
        return (grad * self.saved[0],)


class Erf(Function):
    """The error function erf a = (2/√π) ∫₀ᵃ e^(−s²) ds, behind the exact GELU."""

    name = "erf"
    formula = "∂erf a/∂a = (2/√π) e^(−a²)"

    def forward(self, a):
        return _erf(a).astype(a.dtype if a.dtype.kind == "f" else np.float64)

    def backward(self, grad, a):
        return (grad * (TWO_OVER_SQRT_PI * np.exp(-(a * a))),)


class LeakyRelu(Function):
    name = "leaky_relu"
    formula = "∂leaky_relu(a)/∂a = 1 if a > 0 else slope  (slope at 0, as PyTorch)"
    reads_inputs = False

    def forward(self, a, slope):
        positive = a > 0
        self.saved = (np.where(positive, 1.0, slope).astype(a.dtype),)
        return np.where(positive, a, a * slope)

    def backward(self, grad):
        return grad * self.saved[0], None


class Hardtanh(Function):
    name = "hardtanh"
    formula = "∂hardtanh(a)/∂a = 1 if lo < a < hi else 0  (0 at lo and hi, as PyTorch)"
    reads_inputs = False

    def forward(self, a, lo, hi):
        self.saved = ((a > lo) & (a < hi),)
        return np.clip(a, lo, hi)

    def backward(self, grad):
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
    reads_inputs = False

    def forward(self, a, axis):
        try:
            self.axis = axis = _axis(a, axis)
        except ValueError as error:
            raise ValueError(f"softmax: {error}") from None
        e = np.exp(_shifted(a, axis))
        y = e / e.sum(axis=axis, keepdims=True)
        self.saved = (y,)
        return y

    def backward(self, grad):
        y = self.output(self.saved[0])
        return y * (grad - (grad * y).sum(axis=self.axis, keepdims=True)), None


class LogSoftmax(Function):
    name = "log_softmax"
    formula = "∂(aᵢ − log Σ e^a)/∂aⱼ = δᵢⱼ − softmax(a)ⱼ, so ∂E/∂a = G − softmax(a) Σⱼ Gⱼ"
    reads_inputs = False

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

    def backward(self, grad):
        probabilities = np.exp(self.output(self.saved[0]))  # softmax = e^(log softmax)
        return grad - probabilities * grad.sum(axis=self.axis, keepdims=True), None


def tanh(a): return Tanh.apply(a)
def sigmoid(a): return Sigmoid.apply(a)
def relu(a): return Relu.apply(a)
def erf(a): return Erf.apply(a)
def leaky_relu(a, negative_slope=0.01): return LeakyRelu.apply(a, negative_slope)
def hardtanh(a, min_val=-1.0, max_val=1.0): return Hardtanh.apply(a, min_val, max_val)
def elu(a, alpha=1.0): return Elu.apply(a, alpha)
def gelu(a): return Gelu.apply(a)
def silu(a): return Silu.apply(a)
def softplus(a, beta=1.0, threshold=20.0): return Softplus.apply(a, beta, threshold)
def logsigmoid(a): return LogSigmoid.apply(a)
def softmax(a, axis=-1, *, dim=None):
    return Softmax.apply(a, pick("softmax", "axis", axis, "dim", dim, -1))


def log_softmax(a, axis=-1, *, dim=None):
    return LogSoftmax.apply(a, pick("log_softmax", "axis", axis, "dim", dim, -1))
