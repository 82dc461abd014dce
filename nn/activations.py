"""The activations as modules, every one in this file: the document's sigmoid, tanh and
ReLU (S9, S10), sign and step (the threshold units of S1–S3), softmax, and the ones
PyTorch users reach for beyond them. Each applies its ``nn.functional`` twin, whose
docstring states the formula. Pass an instance to ``nn.MLP(activation=nn.GELU())`` or
put it in a ``Sequential``."""

from __future__ import annotations

from typing import Any, ClassVar

from autograd import Tensor
from autograd.errors import check_integer, check_real
from autograd.ops.axes import pick
from nn import functional as F
from nn.module import Module


class Activation(Module):
    """A parameter-free module applying an ``nn.functional`` activation.

    ``name`` is the activation's name as ``nn.MLP`` accepts it (and ``nn.backprop``
    reads it)."""

    name: ClassVar[str] = ""


class Identity(Activation):
    """f(x) = x: a linear layer's output left as it is (logits)."""

    name = "identity"

    def forward(self, x: Any) -> Tensor:
        return F.identity(x)


class Sigmoid(Activation):
    """S9: S(x) = 1 / (1 + e^(−x)), derivative y(1 − y)."""

    name = "sigmoid"

    def forward(self, x: Any) -> Tensor:
        return F.sigmoid(x)


class Tanh(Activation):
    """S10: tanh, derivative 1 − y²."""

    name = "tanh"

    def forward(self, x: Any) -> Tensor:
        return F.tanh(x)


class ReLU(Activation):
    """S10/S19: max(0, x)."""

    name = "relu"

    def forward(self, x: Any) -> Tensor:
        return F.relu(x)


class Sign(Activation):
    """S3: sign(x), 0 at 0 (as NumPy); no gradient flows through it."""

    name = "sign"

    def forward(self, x: Any) -> Tensor:
        return F.sign(x)


class Step(Activation):
    """S1: 1 where x ≥ 0 (the threshold is reached), else 0; no gradient flows through it."""

    name = "step"

    def forward(self, x: Any) -> Tensor:
        return F.step(x)


class Softmax(Activation):
    """S10: softmax along ``axis`` (``dim``: PyTorch's name; default the last, the class
    axis); rows sum to 1."""

    name = "softmax"

    def __init__(self, axis: int = -1, *, dim: int | None = None) -> None:
        super().__init__()
        axis = pick(type(self).__name__, "axis", axis, "dim", dim, -1)
        self.axis = check_integer(type(self).__name__, "axis", axis)

    def forward(self, x: Any) -> Tensor:
        return F.softmax(x, axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    """log softmax along ``axis`` (``dim``): log-probabilities, as ``nn.NLLLoss`` takes."""

    name = "log_softmax"

    def forward(self, x: Any) -> Tensor:
        return F.log_softmax(x, axis=self.axis)


class Flatten(Module):
    """Axes ``start_dim`` … ``end_dim`` merged into one (PyTorch's defaults 1 and −1: each
    sample of a batch becomes a row)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = check_integer("Flatten", "start_dim", start_dim)
        self.end_dim = check_integer("Flatten", "end_dim", end_dim)

    def forward(self, x: Any) -> Tensor:
        return F.as_tensor(x).flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class LeakyReLU(Activation):
    """x for x > 0, else ``negative_slope``·x (S19: no dead units)."""

    name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_real("LeakyReLU", "negative_slope", negative_slope)

    def forward(self, x: Any) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Activation):
    """x for x > 0, else α(eˣ − 1)."""

    name = "elu"

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = check_real("ELU", "alpha", alpha)

    def forward(self, x: Any) -> Tensor:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class GELU(Activation):
    """x·Φ(x), Φ the standard normal CDF."""

    name = "gelu"

    def forward(self, x: Any) -> Tensor:
        return F.gelu(x)


class SiLU(Activation):
    """x·S(x), S the sigmoid of S9."""

    name = "silu"

    def forward(self, x: Any) -> Tensor:
        return F.silu(x)


class Softplus(Activation):
    """(1/β) ln(1 + e^(βx)), linear above ``threshold``."""

    name = "softplus"

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = check_real("Softplus", "beta", beta, low=0, low_open=True)
        self.threshold = check_real("Softplus", "threshold", threshold)

    def forward(self, x: Any) -> Tensor:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class LogSigmoid(Activation):
    """ln S(x) (S9)."""

    name = "logsigmoid"

    def forward(self, x: Any) -> Tensor:
        return F.logsigmoid(x)


class Hardtanh(Activation):
    """x clipped to [min_val, max_val]."""

    name = "hardtanh"

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0) -> None:
        super().__init__()
        self.min_val = check_real("Hardtanh", "min_val", min_val)
        self.max_val = check_real("Hardtanh", "max_val", max_val)
        if self.min_val > self.max_val:
            raise ValueError(f"Hardtanh: min_val {self.min_val} is above max_val "
                             f"{self.max_val}")

    def forward(self, x: Any) -> Tensor:
        return F.hardtanh(x, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


#: The activations ``nn.MLP`` accepts by name.
ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Sigmoid, Tanh, ReLU, Identity, Softmax, Sign, Step)
}
