"""Optimizers that scale each coordinate's step by a running average of its squared
gradients: RMSprop, and AdamW (Adam with weight decay taken out of the gradient).
PyTorch's definitions and defaults; re-exported by ``nn.optim``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd.errors import check_bool, check_real
from nn.optim import Adam, Optimizer, _check_common


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), PyTorch's ``torch.optim.RMSprop``.

    With g = ∇E(p) + λ p:

    v ← α v + (1 − α) g²  (v = 0 before the first step);
    centered: ḡ ← α ḡ + (1 − α) g and v̂ = v − ḡ², else v̂ = v;
    d = g / (√v̂ + ε);  momentum μ > 0: b ← μ b + d, d = b;  p ← p − η d.

    Parameters
    ----------
    params : iterable of Tensor, or of parameter-group dicts
    lr : float
        η ≥ 0 (0.01 by default, as PyTorch).
    alpha : float
        α in [0, 1), the smoothing constant.
    eps : float
        ε ≥ 0.
    weight_decay : float
        λ ≥ 0.
    momentum : float
        μ ≥ 0.
    centered : bool
        Divide by the estimated variance of g instead of its second moment.
    """

    state_names = ("step", "square_avg", "momentum_buffer", "grad_avg")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False) -> None:
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def check_options(self, where: str, options: dict[str, Any]) -> dict[str, Any]:
        options = _check_common(where, options)
        options["alpha"] = check_real(where, "alpha", options["alpha"], low=0, high=1,
                                      high_open=True)
        options["eps"] = check_real(where, "eps", options["eps"], low=0)
        options["momentum"] = check_real(where, "momentum", options["momentum"], low=0)
        options["centered"] = check_bool(where, "centered", options["centered"])
        return options

    def update(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> np.ndarray:
        alpha = group["alpha"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p
        state["step"] = np.int64(int(state.get("step", 0)) + 1)
        v = state.setdefault("square_avg", np.zeros_like(p))
        v *= alpha
        v += (1 - alpha) * (g * g)
        if group["centered"]:
            mean = state.setdefault("grad_avg", np.zeros_like(p))
            mean *= alpha
            mean += (1 - alpha) * g
            denominator = np.sqrt(v - mean * mean)
        else:
            denominator = np.sqrt(v)
        denominator += group["eps"]
        step = g / denominator
        if group["momentum"]:
            buffer = state.setdefault("momentum_buffer", np.zeros_like(p))
            buffer *= group["momentum"]
            buffer += step
            step = buffer.copy()
        return group["lr"] * step


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019), PyTorch's ``torch.optim.AdamW``: Adam on the
    plain gradient, and the weights decayed apart from it,

    p ← p − η λ p − η m̂ / (√v̂ + ε)   (m̂, v̂ as in Adam, from g = ∇E(p) alone),

    so the decay is not rescaled by 1/√v̂ as Adam's L2 term is. ``weight_decay`` λ is
    0.01 by default, as PyTorch."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)

    def update(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> np.ndarray:
        decay = (group["lr"] * group["weight_decay"]) * p
        return decay + super().update(p, g, state, {**group, "weight_decay": 0.0})
