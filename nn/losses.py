"""Losses: a scalar error E of the network's outputs y and the targets t.

Each loss is composed of autograd ops, so ∂E/∂y — the start of backpropagation, S13–S14 —
comes from the engine. Each checks its inputs' shapes and values before computing, and
reduces the per-entry losses with ``reduction``. Re-exported by ``nn.functional``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn.functional import as_tensor, log_softmax

_REDUCTIONS = ("mean", "sum")


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    """Combine per-entry losses; ``reduction`` was checked by ``_check_reduction``."""
    if reduction == "mean":
        return losses.mean()
    total = losses.sum()
    return 0.5 * total if reduction == "half_sum" else total


def _check_reduction(reduction: str, op: str, valid: tuple[str, ...] = _REDUCTIONS) -> None:
    if reduction not in valid:
        raise ValueError(f"{op}: unknown reduction {reduction!r}; valid: {', '.join(valid)}")


def _same_shape(y: Tensor, t: Tensor, op: str, names: str = "y and t") -> None:
    if y.shape != t.shape:
        raise ValueError(f"{op}: {names} must have the same shape, got {y.shape} and {t.shape}")


def mse_loss(y: Any, t: Any, reduction: str = "mean") -> Tensor:
    """Squared error between outputs ``y`` and targets ``t`` of the same shape.

    Parameters
    ----------
    y, t : Tensor or array_like
        Same shape (no broadcasting: a (N, 1) against (N,) mix-up raises).
    reduction : {"mean", "sum", "half_sum"}
        ``"mean"``: (1/n) Σ (y − t)² over all n entries; ``"sum"``: Σ (y − t)²;
        ``"half_sum"``: the document's E = ½ Σ_j (t^(j) − y^(j))² (S12), whose gradient
        ∂E/∂y = y − t starts the output delta of S14.
    """
    valid = ("mean", "sum", "half_sum")
    _check_reduction(reduction, "mse_loss", valid)
    y, t = as_tensor(y), as_tensor(t)
    _same_shape(y, t, "mse_loss")
    diff = y - t
    return _reduce(diff * diff, reduction)


def _integer_labels(labels: Any, n: int, classes: int, op: str) -> np.ndarray:
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"{op}: labels must be integers, got dtype {labels.dtype}")
    if labels.shape != (n,):
        raise ValueError(f"{op}: expected {n} labels of shape ({n},) for {n} rows of logits, "
                         f"got labels of shape {labels.shape}")
    bad = labels[(labels < 0) | (labels >= classes)]
    if bad.size:
        raise ValueError(f"{op}: labels must lie in [0, {classes - 1}] for {classes} classes, "
                         f"got {sorted(set(bad.tolist()))[:10]}")
    return labels


def cross_entropy(logits: Any, labels: Any, reduction: str = "mean") -> Tensor:
    """Cross-entropy of softmax(logits) against integer class labels.

    For row i with logits z_i and label c_i: L_i = −log softmax(z_i)[c_i]
    = log Σ_k e^(z_ik) − z_ic_i, computed with log-sum-exp, so it is finite for any finite
    logits. Its gradient is softmax(z) − onehot(c): the δ_out = y − t of S10.

    Parameters
    ----------
    logits : Tensor or array_like, shape (N, C) or (C,)
        Unnormalised scores (a linear output layer, no softmax).
    labels : array_like of int, shape (N,) or ()
        Class indices in [0, C). Out-of-range labels, including −1 (which would wrap
        around in NumPy indexing), and non-integer dtypes raise ``ValueError``.
    reduction : {"mean", "sum"}
        Mean or sum of L_i over the batch.
    """
    _check_reduction(reduction, "cross_entropy")
    logits = as_tensor(logits)
    if logits.ndim == 1:
        logits = logits.reshape(1, -1)
        labels = np.reshape(labels.data if isinstance(labels, Tensor) else labels, -1)
    if logits.ndim != 2:
        raise ValueError(
            f"cross_entropy: logits must have shape (N, C) or (C,), got {logits.shape}")
    n, classes = logits.shape
    if n == 0 or classes == 0:
        raise ValueError(f"cross_entropy: logits of shape {logits.shape} hold no samples "
                         "or no classes")
    labels = _integer_labels(labels, n, classes, "cross_entropy")
    picked = log_softmax(logits, axis=1)[np.arange(n), labels]
    return _reduce(-picked, reduction)


def _check_unit_interval(x: Tensor, what: str, op: str, hint: str = "") -> None:
    data = x.data
    if data.size and not (np.all(data >= 0) and np.all(data <= 1)):
        raise ValueError(f"{op}: {what} must lie in [0, 1], got values from "
                         f"{np.nanmin(data)} to {np.nanmax(data)}{hint}")


def binary_cross_entropy(p: Any, t: Any, reduction: str = "mean",
                         eps: float | None = None) -> Tensor:
    """Binary cross-entropy of probabilities ``p`` against targets ``t`` in [0, 1].

    L = −[t log p + (1 − t) log(1 − p)] per entry (S7: a sigmoid output read as a
    probability). ``p`` is first clipped to [eps, 1 − eps] so that log never sees 0;
    ``eps`` defaults to the machine epsilon of p's dtype (2.2e-16 for float64). Where the
    clip is active the gradient is 0, so a saturated wrong prediction stops learning —
    for sigmoid outputs prefer ``binary_cross_entropy_with_logits``.

    Parameters
    ----------
    p : Tensor or array_like
        Probabilities in [0, 1]; values outside (e.g. logits passed by mistake) raise.
    t : Tensor or array_like
        Targets in [0, 1], same shape as ``p``.
    reduction : {"mean", "sum"}
    eps : float, optional
    """
    _check_reduction(reduction, "binary_cross_entropy")
    p, t = as_tensor(p), as_tensor(t)
    _same_shape(p, t, "binary_cross_entropy", "p and t")
    _check_unit_interval(p, "p (probabilities)", "binary_cross_entropy",
                         "; for logits use binary_cross_entropy_with_logits")
    _check_unit_interval(t, "t (targets)", "binary_cross_entropy")
    if eps is None:
        eps = float(np.finfo(p.dtype if p.dtype.kind == "f" else ag.get_default_dtype()).eps)
    p = p.clip(eps, 1 - eps)
    losses = -(t * p.log() + (1 - t) * (1 - p).log())
    return _reduce(losses, reduction)


def binary_cross_entropy_with_logits(z: Any, t: Any, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of sigmoid(z) against t, from the logits z directly.

    −[t log S(z) + (1 − t) log(1 − S(z))] = max(z, 0) − z t + log(1 + e^(−|z|)), which is
    exact and finite for every z; its gradient is S(z) − t (S9), also at z = 0, where
    ``maximum``'s even split of the tie supplies the ½.

    Parameters
    ----------
    z : Tensor or array_like
        Logits (any real numbers).
    t : Tensor or array_like
        Targets in [0, 1], same shape.
    reduction : {"mean", "sum"}
    """
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    z, t = as_tensor(z), as_tensor(t)
    _same_shape(z, t, "binary_cross_entropy_with_logits", "z and t")
    _check_unit_interval(t, "t (targets)", "binary_cross_entropy_with_logits")
    losses = ag.maximum(z, 0.0) - z * t + (1 + (-z.abs()).exp()).log()
    return _reduce(losses, reduction)


def hinge_loss(scores: Any, labels: Any, reduction: str = "mean") -> Tensor:
    """Hinge loss max(0, 1 − y·s) for scores s and labels y ∈ {−1, +1}.

    The margin version of the perceptron criterion −y·s (S4): a sample is penalised until
    it is classified correctly with margin 1. The derivative at the kink (y·s = 1) is 0.

    Parameters
    ----------
    scores : Tensor or array_like
        Decision values w·x + b (S2).
    labels : array_like
        ±1, same shape as ``scores``; any other value raises.
    reduction : {"mean", "sum"}
    """
    _check_reduction(reduction, "hinge_loss")
    scores, labels = as_tensor(scores), as_tensor(labels)
    _same_shape(scores, labels, "hinge_loss", "scores and labels")
    bad = labels.data[(labels.data != 1) & (labels.data != -1)]
    if bad.size:
        raise ValueError(
            f"hinge_loss: labels must be -1 or +1, got {sorted(set(bad.tolist()))[:10]}")
    return _reduce(ag.relu(1 - labels * scores), reduction)
