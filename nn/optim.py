"""Optimizers: turn the gradients of S16 into parameter updates (S17 and its refinements).

Each ``step()`` updates ``p.data`` in place from ``p.grad`` with NumPy (nothing is
recorded in a graph); parameters whose ``.grad`` is None are skipped. The update rules and
defaults are PyTorch's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from autograd import Tensor


class Optimizer:
    """Holds the parameters and per-parameter state; subclasses define ``update``."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        params = list(params)
        unique = list({id(p): p for p in params}.values())
        if not unique:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        for i, p in enumerate(unique):
            if not isinstance(p, Tensor) or not p.requires_grad or not p.is_leaf:
                raise ValueError(f"{type(self).__name__}: parameter {i} is not a leaf Tensor "
                                 "that requires grad")
        if not lr >= 0:
            raise ValueError(f"{type(self).__name__}: lr must be >= 0, got {lr!r}")
        self.params = unique
        self.lr = lr
        self.state: list[dict] = [{} for _ in unique]

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``.grad = None``)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        for p, state in zip(self.params, self.state, strict=True):
            if p.grad is not None:
                p.data -= self.update(p.data, p.grad.data, state).astype(p.dtype, copy=False)

    def update(self, p: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        """The amount to subtract from ``p`` given its gradient ``g``."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, Nesterov momentum and weight
    decay (PyTorch's ``torch.optim.SGD`` with dampening 0).

    With g = ∇E(p) + λ p:

    - plain (μ = 0), the document's S17: p ← p − η g;
    - momentum: b ← μ b + g (b = g on the first step), p ← p − η b;
    - Nesterov: as momentum, but p ← p − η (g + μ b).

    Parameters
    ----------
    params : iterable of Tensor
        E.g. ``model.parameters()``.
    lr : float
        η ≥ 0.
    momentum : float
        μ ≥ 0.
    nesterov : bool
        Needs μ > 0.
    weight_decay : float
        λ ≥ 0 (an L2 penalty ½λ‖p‖² added to E).
    """

    def __init__(self, params: Iterable[Tensor], lr: float, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        if not momentum >= 0 or not weight_decay >= 0:
            raise ValueError(f"SGD: momentum and weight_decay must be >= 0, got "
                             f"{momentum!r} and {weight_decay!r}")
        if nesterov and momentum == 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0")
        self.momentum = momentum
        self.nesterov = nesterov
        self.weight_decay = weight_decay

    def update(self, p: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            buffer = state.get("momentum_buffer")
            buffer = g.copy() if buffer is None else self.momentum * buffer + g
            state["momentum_buffer"] = buffer
            g = g + self.momentum * buffer if self.nesterov else buffer
        return self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), PyTorch's ``torch.optim.Adam`` (L2 weight decay, no
    AMSGrad).

    With g = ∇E(p) + λ p and the step count t of this parameter:

    m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²   (m = v = 0 before the first step),
    m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ),   p ← p − η m̂ / (√v̂ + ε).

    Parameters
    ----------
    params : iterable of Tensor
    lr : float
        η ≥ 0.
    betas : (float, float)
        β₁, β₂ in [0, 1).
    eps : float
        ε ≥ 0, added to √v̂.
    weight_decay : float
        λ ≥ 0.
    """

    def __init__(self, params: Iterable[Tensor], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        beta1, beta2 = betas
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1):
            raise ValueError(f"Adam: betas must lie in [0, 1), got {betas!r}")
        if not eps >= 0 or not weight_decay >= 0:
            raise ValueError(f"Adam: eps and weight_decay must be >= 0, got "
                             f"{eps!r} and {weight_decay!r}")
        self.betas = (beta1, beta2)
        self.eps = eps
        self.weight_decay = weight_decay

    def update(self, p: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        # The moments are updated in place: a step allocates only a few temporaries.
        beta1, beta2 = self.betas
        if self.weight_decay:
            g = g + self.weight_decay * p
        t = state["step"] = state.get("step", 0) + 1
        if t == 1:
            state["exp_avg"], state["exp_avg_sq"] = np.zeros_like(g), np.zeros_like(g)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * (g * g)
        # η m̂ / (√v̂ + ε) with the bias corrections folded into scalars, as PyTorch does.
        denominator = np.sqrt(v)
        denominator /= math.sqrt(1 - beta2 ** t)
        denominator += self.eps
        step = m / denominator
        step *= self.lr / (1 - beta1 ** t)
        return step
