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
from autograd.errors import check_integer, check_real
from autograd.ops.losses import cross_entropy as fused_cross_entropy
from nn.functional import as_tensor, log_softmax

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    """Combine per-entry losses (``"none"`` keeps them); ``reduction`` was checked by
    ``_check_reduction``."""
    if reduction == "none":
        return losses
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
    reduction : {"mean", "sum", "half_sum", "none"}
        ``"none"``: the entries (y − t)² themselves; ``"mean"``: (1/n) Σ (y − t)² over
        all n entries; ``"sum"``: Σ (y − t)²;
        ``"half_sum"``: the document's E = ½ Σ_j (t^(j) − y^(j))² (S12), whose gradient
        ∂E/∂y = y − t starts the output delta of S14.
    """
    valid = ("mean", "sum", "half_sum", "none")
    _check_reduction(reduction, "mse_loss", valid)
    y, t = as_tensor(y), as_tensor(t)
    _same_shape(y, t, "mse_loss")
    diff = y - t
    return _reduce(diff * diff, reduction)


def l1_loss(y: Any, t: Any, reduction: str = "mean") -> Tensor:
    """Absolute error |y − t| between outputs and targets of the same shape, reduced by
    ``reduction`` ("mean", "sum" or "none"); its derivative is sign(y − t) (0 at y = t)."""
    _check_reduction(reduction, "l1_loss")
    y, t = as_tensor(y), as_tensor(t)
    _same_shape(y, t, "l1_loss")
    return _reduce((y - t).abs(), reduction)


def _integer_labels(labels: Any, n: int, classes: int, op: str,
                    ignore_index: int | None = None) -> tuple[np.ndarray, bool]:
    """The labels as an integer array, checked; and whether every one is a class in
    [0, C) (so that no row carries ``ignore_index`` unless it is itself a class)."""
    labels = np.asarray(labels._data if isinstance(labels, Tensor) else labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"{op}: labels must be integers (class indices) or, for "
                         f"cross_entropy, probabilities of the logits' shape; got dtype "
                         f"{labels.dtype} and shape {labels.shape}")
    if labels.shape != (n,):
        raise ValueError(f"{op}: expected {n} labels of shape ({n},) for {n} rows of logits, "
                         f"got labels of shape {labels.shape}")
    if labels.size and np.minimum.reduce(labels) >= 0 and np.maximum.reduce(labels) < classes:
        return labels, True  # all in range: the common case, two reductions
    valid = (labels >= 0) & (labels < classes)
    if ignore_index is not None:
        valid |= labels == ignore_index
    bad = labels[~valid]
    if bad.size:
        raise ValueError(f"{op}: labels must lie in [0, {classes - 1}] for {classes} classes, "
                         f"got {sorted(set(bad.tolist()))[:10]}")
    return labels, False


def _rows(scores: Any, labels: Any, op: str) -> tuple[Tensor, Any]:
    """(N, C) scores and their targets: a single (C,) row becomes a batch of one."""
    scores = as_tensor(scores)
    if scores.ndim == 1:
        scores = scores.reshape(1, -1)
        labels = as_tensor(labels)
        labels = labels.reshape(-1 if labels.shape in ((), (1,)) else (1, -1))
    if scores.ndim != 2:
        raise ValueError(f"{op}: logits must have shape (N, C) or (C,), got {scores.shape}")
    n, classes = scores.shape
    if n == 0 or classes == 0:
        raise ValueError(f"{op}: logits of shape {scores.shape} hold no samples or no classes")
    return scores, labels


def _per_row(losses: Tensor, single: bool, reduction: str, kept: np.ndarray | None = None
             ) -> Tensor:
    """Reduce the per-row losses; ``"none"`` keeps them (a scalar for one (C,) row). The
    mean counts only the ``kept`` rows (those whose label is not ``ignore_index``)."""
    if reduction == "none":
        return losses.reshape(()) if single else losses
    if reduction == "mean" and kept is not None and not kept.all():
        return losses.sum() / int(kept.sum())
    return _reduce(losses, reduction)


def nll_loss(log_probs: Any, labels: Any, reduction: str = "mean", *,
             ignore_index: int = -100) -> Tensor:
    """Negative log-likelihood of integer class labels: L_i = −log_probs[i, c_i].

    With ``log_probs = log_softmax(z)`` this is ``cross_entropy(z, labels)``.

    Parameters
    ----------
    log_probs : Tensor or array_like, shape (N, C) or (C,)
        Log-probabilities (a ``log_softmax`` output).
    labels : array_like of int, shape (N,) or ()
        Class indices in [0, C), or ``ignore_index`` for rows that do not count.
    reduction : {"mean", "sum", "none"}
        The mean is over the rows that count; ``"none"`` returns L_i per row (0 for
        ignored rows).
    ignore_index : int
        A label value whose rows contribute no loss and no gradient (−100, as PyTorch).
    """
    _check_reduction(reduction, "nll_loss", ("mean", "sum", "none"))
    single = as_tensor(log_probs).ndim == 1
    log_probs, labels = _rows(log_probs, labels, "nll_loss")
    n, classes = log_probs.shape
    labels, _ = _integer_labels(labels, n, classes, "nll_loss", ignore_index)
    losses, kept = _label_losses(log_probs, labels, 0.0, ignore_index)
    return _per_row(losses, single, reduction, kept)


def one_hot(labels: Any, num_classes: int = -1) -> Tensor:
    """Integer class labels as one-hot rows: ``one_hot([2, 0], 3)`` is [[0, 0, 1], [1, 0, 0]].

    The result has the labels' shape plus a last axis of ``num_classes`` (default: the
    largest label + 1), dtype int64 (as PyTorch; ``.astype(float)`` for targets)."""
    labels = np.asarray(labels._data if isinstance(labels, Tensor) else labels)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"one_hot: labels must be integers, got dtype {labels.dtype}")
    check_integer("one_hot", "num_classes", num_classes, low=-1)
    if num_classes == -1:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    bad = labels[(labels < 0) | (labels >= num_classes)]
    if bad.size:
        raise ValueError(f"one_hot: labels must lie in [0, {num_classes - 1}] for "
                         f"num_classes={num_classes}, got {sorted(set(bad.tolist()))[:10]}")
    return Tensor((labels[..., None] == np.arange(num_classes)).astype(np.int64))


def cross_entropy(logits: Any, labels: Any, reduction: str = "mean", *,
                  ignore_index: int = -100, label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of softmax(logits) against class labels or class probabilities.

    For row i with logits z_i and label c_i: L_i = −log softmax(z_i)[c_i]
    = log Σ_k e^(z_ik) − z_ic_i, computed with log-sum-exp, so it is finite for any finite
    logits. Its gradient is softmax(z) − onehot(c): the δ_out = y − t of S10. With
    probability targets t_i (rows summing to 1) it is L_i = −Σ_k t_ik log softmax(z_i)_k,
    gradient softmax(z) − t.

    Parameters
    ----------
    logits : Tensor or array_like, shape (N, C) or (C,)
        Unnormalised scores (a linear output layer, no softmax).
    labels : array_like, shape (N,) or () of int, or (N, C) / (C,) of float
        Class indices in [0, C) — out-of-range labels, including −1 (which would wrap
        around in NumPy indexing), raise ``ValueError`` — or class probabilities of the
        logits' shape.
    reduction : {"mean", "sum", "none"}
        Mean or sum of L_i over the batch (the mean over the rows not ignored), or the
        L_i themselves (shape (N,), or () for one row of shape (C,)).
    ignore_index : int
        With class indices: rows with this label count for nothing (−100, as PyTorch).
    label_smoothing : float in [0, 1]
        ε: the target becomes (1 − ε)·target + ε/C on every class (as PyTorch).
    """
    _check_reduction(reduction, "cross_entropy", ("mean", "sum", "none"))
    smoothing = check_real("cross_entropy", "label_smoothing", label_smoothing, low=0, high=1)
    logits = as_tensor(logits)
    single = logits.ndim == 1
    logits, labels = _rows(logits, labels, "cross_entropy")
    n, classes = logits.shape
    if _is_probabilities(labels, logits.shape):
        losses = _probability_losses(log_softmax(logits, axis=1), as_tensor(labels), smoothing)
        return _per_row(losses, single, reduction)
    labels, all_classes = _integer_labels(labels, n, classes, "cross_entropy", ignore_index)
    ignores = (0 <= ignore_index < classes or not all_classes) and (labels == ignore_index).any()
    if reduction != "none" and not smoothing and not ignores:
        return fused_cross_entropy(logits, labels, reduction)  # one node, δ = y − t (S10)
    losses, kept = _label_losses(log_softmax(logits, axis=1), labels, smoothing, ignore_index)
    return _per_row(losses, single, reduction, kept)


def _is_probabilities(labels: Any, shape: tuple[int, ...]) -> bool:
    """Floating targets of the logits' shape are class probabilities (checked to be so)."""
    data = np.asarray(labels._data if isinstance(labels, Tensor) else labels)
    if data.dtype.kind != "f" or data.shape != shape:
        return False
    _check_unit_interval(as_tensor(data), "probability targets", "cross_entropy")
    return True


def _label_losses(log_p: Tensor, labels: np.ndarray, smoothing: float, ignore_index: int
                  ) -> tuple[Tensor, np.ndarray]:
    """L_i = −[(1 − ε) log p_ic_i + (ε/C) Σ_k log p_ik] per row, 0 where the label is
    ``ignore_index``; also the mask of rows that count."""
    n, classes = log_p.shape
    kept = labels != ignore_index
    picked = log_p[np.arange(n), np.where(kept, labels, 0)]
    if smoothing:
        picked = (1 - smoothing) * picked + (smoothing / classes) * log_p.sum(axis=1)
    if not kept.all():
        picked = picked * kept.astype(log_p.dtype)
    return -picked, kept


def _probability_losses(log_p: Tensor, targets: Tensor, smoothing: float) -> Tensor:
    """L_i = −Σ_k t_ik log p_ik, with t smoothed to (1 − ε)t + ε/C."""
    if smoothing:
        targets = (1 - smoothing) * targets + smoothing / log_p.shape[1]
    return -(targets * log_p).sum(axis=1)


def _check_unit_interval(x: Tensor, what: str, op: str, hint: str = "") -> None:
    data = x._data
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
    reduction : {"mean", "sum", "none"}
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
    reduction : {"mean", "sum", "none"}
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
    reduction : {"mean", "sum", "none"}
    """
    _check_reduction(reduction, "hinge_loss")
    scores, labels = as_tensor(scores), as_tensor(labels)
    _same_shape(scores, labels, "hinge_loss", "scores and labels")
    bad = labels._data[(labels._data != 1) & (labels._data != -1)]
    if bad.size:
        raise ValueError(
            f"hinge_loss: labels must be -1 or +1, got {sorted(set(bad.tolist()))[:10]}")
    return _reduce(ag.relu(1 - labels * scores), reduction)
