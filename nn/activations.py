"""The activation modules PyTorch users reach for beyond S9/S10 (sigmoid, tanh, ReLU in
``nn.layers``): each applies its ``nn.functional`` twin, whose docstring states the
formula. Pass an instance to ``nn.MLP(activation=nn.GELU())`` or put it in a
``Sequential``."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from autograd.errors import check_real
from nn import functional as F
from nn.layers import Activation


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
