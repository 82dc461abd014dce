"""Activation functions and losses as plain functions of Tensors.

Activations are built from autograd's ops, so their derivatives come from the chain rule;
``sign`` and ``step`` have no useful derivative (zero almost everywhere) and return
constant tensors. The losses live in ``nn.losses`` and are re-exported here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor, ops
from autograd.errors import check_real
from autograd.ops.axes import pick


def as_tensor(x: Any, op: str = "input") -> Tensor:
    """``x`` itself if it is a Tensor, a numeric ndarray wrapped without a copy (as
    ``torch.as_tensor``: a batch is not copied on every step), else a constant Tensor;
    data that is not numbers is an error naming ``op`` (the module or function)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return Tensor._make(x)
    try:
        return Tensor(x)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{op}: the input must be numbers (a Tensor, an array or nested "
                          f"lists), got {type(x).__name__}: {error}") from None


def _check_axis(x: Tensor, axis: int, op: str) -> None:
    """``axis`` names an axis of x (0 or −1 for a 0-d tensor, as PyTorch)."""
    span = max(x.ndim, 1)
    if not isinstance(axis, int | np.integer) or not -span <= axis < span:
        raise ValueError(f"{op}: axis {axis} is out of range for input of shape {x.shape}")


def identity(x: Any) -> Tensor:
    """f(x) = x (a linear output layer: logits or regression values)."""
    return as_tensor(x)


def sigmoid(x: Any) -> Tensor:
    """Logistic sigmoid, S9: S(x) = 1 / (1 + e^(−x)), derivative y(1 − y).

    Evaluated without overflow for any input (``sigmoid(±1000)`` is 1 and 0, silently)."""
    return ag.sigmoid(as_tensor(x))


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent, S10: maps to (−1, 1), derivative 1 − y²."""
    return ag.tanh(as_tensor(x))


def relu(x: Any) -> Tensor:
    """Rectified linear unit, S10/S19: max(0, x); derivative 1 for x > 0, else 0
    (0 at x = 0)."""
    return ag.relu(as_tensor(x))


def sign(x: Any) -> Tensor:
    """The perceptron's output function, S3: +1 for x > 0, −1 for x < 0, and 0 at 0
    (NumPy's convention). Returns a constant tensor: the derivative is 0 almost
    everywhere, so no gradient flows through it."""
    return Tensor(np.sign(as_tensor(x)._data))


def step(x: Any) -> Tensor:
    """The McCulloch–Pitts threshold, S1: 1 for x ≥ 0 (the unit fires when its sum reaches
    the threshold), else 0, in x's float dtype (the default one for integer input). A
    constant tensor, like ``sign``."""
    data = as_tensor(x)._data
    dtype = data.dtype if data.dtype.kind == "f" else ag.get_default_dtype()
    return Tensor((data >= 0).astype(dtype))


def softmax(x: Any, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """Softmax along ``axis``, S10: y_j = e^(x_j) / Σ_k e^(x_k).

    Computed as e^(x − max x) / Σ e^(x − max x), which is equal and never overflows. Its
    Jacobian is diag(y) − y yᵀ (the document's element-wise y − y² is only the diagonal);
    the op's backward applies the full Jacobian (``autograd.ops.activations``).

    Parameters
    ----------
    x : Tensor or array_like
    axis : int
        The axis whose entries sum to 1 (the class axis; default the last). ``dim`` is
        PyTorch's name for it.
    """
    x = as_tensor(x)
    axis = pick("softmax", "axis", axis, "dim", dim, -1)
    _check_axis(x, axis, "softmax")
    return ops.softmax(x, axis)


def log_softmax(x: Any, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """log softmax along ``axis`` (``dim``): x_j − log Σ_k e^(x_k), via the log-sum-exp
    trick (m + log Σ e^(x_k − m), m = max x), so it is finite for any finite input."""
    x = as_tensor(x)
    axis = pick("log_softmax", "axis", axis, "dim", dim, -1)
    _check_axis(x, axis, "log_softmax")
    return ops.log_softmax(x, axis)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, else slope·x: a ReLU whose negative side still learns (S19's dead
    units revive). Derivative 1 for x > 0, else the slope (also at 0, as PyTorch)."""
    slope = check_real("leaky_relu", "negative_slope", negative_slope)
    return ops.leaky_relu(as_tensor(x), slope)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """x for x > 0, else α(eˣ − 1): smooth for α = 1, derivative 1 or α eˣ."""
    return ops.elu(as_tensor(x), check_real("elu", "alpha", alpha))


def gelu(x: Any) -> Tensor:
    """x·Φ(x), Φ the standard normal CDF (the exact form, PyTorch's default): a smooth
    ReLU used by transformers; derivative Φ(x) + x φ(x)."""
    return ops.gelu(as_tensor(x))


def silu(x: Any) -> Tensor:
    """x·S(x) with the sigmoid S of S9 (also called swish); derivative S(x)(1 + x(1 − S(x)))."""
    return ops.silu(as_tensor(x))


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """(1/β) ln(1 + e^(βx)), a smooth ReLU whose derivative is the sigmoid S(βx) (S9); x
    itself where βx > ``threshold`` (as PyTorch). Never overflows."""
    beta = check_real("softplus", "beta", beta, low=0, low_open=True)
    return ops.softplus(as_tensor(x), beta, check_real("softplus", "threshold", threshold))


def logsigmoid(x: Any) -> Tensor:
    """ln S(x) = −ln(1 + e^(−x)) (S9), finite for any x; derivative 1 − S(x)."""
    return ops.logsigmoid(as_tensor(x))


def hardtanh(x: Any, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """x clipped to [min_val, max_val], a piecewise-linear tanh (S10); derivative 1
    strictly inside, 0 outside and at the bounds (as PyTorch)."""
    low = check_real("hardtanh", "min_val", min_val)
    high = check_real("hardtanh", "max_val", max_val)
    if low > high:
        raise ValueError(f"hardtanh: min_val {low} is above max_val {high}")
    return ops.hardtanh(as_tensor(x), low, high)


# The losses build on log_softmax and as_tensor above, hence the import at the end.
from nn.losses import (  # noqa: E402
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    one_hot,
)

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "elu",
    "gelu", "hardtanh", "hinge_loss", "identity", "l1_loss", "leaky_relu", "log_softmax",
    "logsigmoid",
    "mse_loss", "nll_loss", "one_hot", "relu", "sigmoid", "sign", "silu", "softmax",
    "softplus", "step", "tanh",
]
