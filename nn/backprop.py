"""The document's hand derivation of backpropagation (S11–S17), in plain NumPy.

Everything here is written the way the document writes it, so the two can be read side
by side:

- a sample is a column vector and a batch is a matrix whose columns are samples, so every
  array is shaped (units, batch);
- lists are indexed by layer and layer 0 is the input: ``y[0] = x``, and ``W[0]``,
  ``b[0]``, ``u[0]``, ``delta[0]`` are ``None``. (The document numbers the input layer 1;
  only the offset differs.) For l = 1 … L: ``u[l] = W[l] @ y[l-1] + b[l]`` and
  ``y[l] = f[l](u[l])``, with ``W[l]`` of shape (units in l, units in l−1) and ``b[l]`` a
  column (units in l, 1);
- ``f[l]`` names layer l's activation: ``"sigmoid"``, ``"tanh"``, ``"relu"``,
  ``"identity"`` or ``"softmax"`` (softmax over each column's units);
- the error E is summed over the batch, as the document's E is summed over outputs, so
  every gradient here is a sum over samples too.

No autograd inside: these are the formulas that autograd is checked against
(``compare``, and the property tests in ``tests/test_backprop*.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

ELEMENTWISE = ("sigmoid", "tanh", "relu", "identity")
ACTIVATIONS = (*ELEMENTWISE, "softmax")
LOSSES = ("half_sum", "cross_entropy")

Layers = list  # indexed by layer; entry 0 is None (or the input, for y)


# ---------------------------------------------------------------- activations (S9, S10)

def _check_activation(name: Any, where: str) -> None:
    if name not in ACTIVATIONS:
        raise ValueError(f"{where}: unknown activation {name!r}; valid: {', '.join(ACTIVATIONS)}")


def activate(name: str, u: np.ndarray) -> np.ndarray:
    """y = f(u), each column one sample.

    sigmoid S(u) = 1 / (1 + e^(−u)) (S9), tanh (S10), ReLU max(0, u) (S10), identity u,
    softmax y^(j) = e^(u^(j)) / Σ_i e^(u^(i)) over each column (S10). Sigmoid and softmax
    are evaluated so that nothing overflows, even for |u| in the thousands."""
    _check_activation(name, "activate")
    if name == "sigmoid":
        # S(u) = 1/(1 + e) for u ≥ 0 and e/(1 + e) for u < 0, with e = e^(−|u|) ≤ 1.
        e = np.exp(-np.abs(u))
        return np.where(u >= 0, 1.0, e) / (1.0 + e)
    if name == "tanh":
        return np.tanh(u)
    if name == "relu":
        return np.where(u > 0, u, 0.0)
    if name == "identity":
        return np.array(u, copy=True)
    e = np.exp(u - u.max(axis=0, keepdims=True))  # the shift cancels in the ratio
    return e / e.sum(axis=0, keepdims=True)


def derivative(name: str, u: np.ndarray, y: np.ndarray) -> np.ndarray:
    """f'(u) of an element-wise activation, written from the output y as the document does.

    sigmoid: S' = y(1 − y) (S9); tanh: 1 − y² (S10); ReLU: 1 where u > 0, else 0 (0 at
    u = 0, as autograd); identity: 1. Softmax is not element-wise: see
    ``softmax_jacobian`` (the true derivative) and ``softmax_jacobian_diagonal`` (the
    document's element-wise rule)."""
    _check_activation(name, "derivative")
    if name == "sigmoid":
        return y * (1 - y)
    if name == "tanh":
        return 1 - y * y
    if name == "relu":
        return (u > 0).astype(u.dtype)
    if name == "identity":
        return np.ones_like(u)
    raise ValueError(
        "derivative: softmax is not element-wise (every output of a column depends on every "
        "input of that column); use softmax_jacobian, or softmax_jacobian_diagonal for the "
        "document's element-wise rule y − y², which is not the true derivative"
    )


def softmax_jacobian(y: np.ndarray) -> np.ndarray:
    """The true derivative of softmax, one Jacobian per sample (S10):
    J = ∂y/∂u = diag(y) − y yᵀ, i.e. ∂y^(j)/∂u^(i) = y^(j) (1[i = j] − y^(i)).

    ``y`` is (units, batch); the result is (batch, units, units), ``J[s]`` for sample s."""
    ys = np.asarray(y).T  # (batch, units): one row per sample
    return ys[:, :, None] * np.eye(ys.shape[1]) - ys[:, :, None] * ys[:, None, :]


def softmax_jacobian_diagonal(y: np.ndarray) -> np.ndarray:
    """The document's element-wise softmax rule f' = y − y² (S10) — NOT the true gradient.

    It is only the diagonal of the Jacobian diag(y) − y yᵀ: it leaves out ∂y^(j)/∂u^(i)
    = −y^(j) y^(i) for i ≠ j, through which every output of a softmax depends on every
    input. Used as δ_k = (y_k − t) ∘ (y_k − y_k²) it gives wrong sensitivities in general
    (the property tests find such a network); with cross-entropy the exact δ_k = y_k − t
    needs no derivative of softmax at all. Kept, under this name, to show the difference."""
    return y - y * y


def through_activation(name: str, u: np.ndarray, y: np.ndarray, g: np.ndarray) -> np.ndarray:
    """∂E/∂u from g = ∂E/∂y through y = f(u), for each column (the chain rule in S14/S15).

    Element-wise f: g ∘ f'(u). Softmax: Jᵀ g per sample with J = diag(y) − y yᵀ (its full
    Jacobian; J is symmetric, so this is J g)."""
    if name == "softmax":
        return np.einsum("sji,js->is", softmax_jacobian(y), g)
    return g * derivative(name, u, y)


# ---------------------------------------------------------------- the network (S11–S17)

def params(mlp: Any) -> tuple[Layers, Layers, Layers]:
    """An ``nn.MLP`` in the document's lists: ``(W, b, f)``, each indexed by layer with
    entry 0 ``None``.

    ``W[l]`` is a copy of ``mlp.layers[l-1].weight`` — already the document's W_l, shape
    (units in l, units in l−1) —, ``b[l]`` its bias as a column (units in l, 1) (zeros for
    a Linear without bias), and ``f[l]`` the name of the activation after it: the hidden
    activation for hidden layers, the output activation for the last (``"identity"`` for
    a linear output). Any model with ``layers`` (Linear) and ``activations`` (modules
    carrying a ``name``, as nn's built-in activations do) works."""
    W: Layers = [None]
    b: Layers = [None]
    f: Layers = [None]
    for l, (layer, activation) in enumerate(zip(mlp.layers, mlp.activations, strict=True), 1):
        name = getattr(activation, "name", None)
        if name not in ACTIVATIONS or getattr(activation, "axis", -1) not in (-1, 1):
            raise ValueError(f"params: layer {l}'s activation {activation!r} has no formula "
                             f"here; nn.backprop knows {', '.join(ACTIVATIONS)} (softmax over "
                             f"the units)")
        weight = np.array(layer.weight.data, copy=True)
        W.append(weight)
        b.append(np.zeros((weight.shape[0], 1), dtype=weight.dtype) if layer.bias is None
                 else np.array(layer.bias.data, copy=True).reshape(-1, 1))
        f.append(name)
    return W, b, f


def _check_network(W: Layers, b: Layers, f: Layers, x: np.ndarray) -> None:
    if not (len(W) == len(b) == len(f)) or len(W) < 2:
        raise ValueError(
            f"forward: W, b, f must be lists of one length ≥ 2 (entry 0 for the input); "
            f"got lengths {len(W)}, {len(b)}, {len(f)}"
        )
    if W[0] is not None or b[0] is not None or f[0] is not None:
        raise ValueError("forward: W[0], b[0] and f[0] must be None (layer 0 is the input)")
    if np.ndim(x) != 2:
        raise ValueError(
            f"forward: x must be (units, batch) with samples as columns; got shape "
            f"{np.shape(x)} (one sample x is x[:, None])"
        )
    units = np.shape(x)[0]
    for l in range(1, len(W)):
        _check_activation(f[l], f"forward (f[{l}])")
        if np.ndim(W[l]) != 2 or np.shape(W[l])[1] != units:
            raise ValueError(
                f"forward: W[{l}] must be (units in {l}, {units}) to multiply y[{l - 1}] of "
                f"{units} units; got shape {np.shape(W[l])}"
            )
        units = np.shape(W[l])[0]
        if np.shape(b[l]) != (units, 1):
            raise ValueError(f"forward: b[{l}] must be a column ({units}, 1); "
                             f"got shape {np.shape(b[l])}")


def forward(W: Layers, b: Layers, f: Layers, x: np.ndarray) -> tuple[Layers, Layers]:
    """Forward propagation, S11: u_l = W_l y_{l−1} + b_l, y_l = f(u_l), with y_0 = x.

    Parameters
    ----------
    W, b, f : lists indexed by layer (entry 0 ``None``): weights (units in l, units in
        l−1), bias columns (units in l, 1), activation names.
    x : (units in 0, batch), one sample per column.

    Returns
    -------
    (u, y) : lists indexed by layer; ``u[0]`` is ``None`` and ``y[0]`` is ``x``."""
    _check_network(W, b, f, x)
    u: Layers = [None]
    y: Layers = [np.asarray(x)]
    for l in range(1, len(W)):
        u.append(W[l] @ y[l - 1] + b[l])
        y.append(activate(f[l], u[l]))
    return u, y


def error(y_out: np.ndarray, t: np.ndarray, loss: str = "half_sum") -> float:
    """The error E of the output y_k against targets t, summed over the batch.

    ``"half_sum"``: E = ½ Σ (t − y_k)² (S12). ``"cross_entropy"``: E = −Σ t ∘ ln y_k, for a
    softmax output and one-hot columns t; terms with t = 0 are 0 even where y_k
    underflowed to 0 (E is ∞ only if a labelled output did)."""
    _check_targets(y_out, t, loss, "error")
    if loss == "half_sum":
        return float(0.5 * np.sum((t - y_out) ** 2))
    labelled = t != 0
    with np.errstate(divide="ignore"):
        return float(-np.sum(t[labelled] * np.log(y_out[labelled])))


def _check_targets(y_out: np.ndarray, t: np.ndarray, loss: str, where: str) -> None:
    if loss not in LOSSES:
        raise ValueError(f"{where}: unknown loss {loss!r}; valid: {', '.join(LOSSES)}")
    if np.shape(t) != np.shape(y_out):
        raise ValueError(f"{where}: t has shape {np.shape(t)} but the output y has shape "
                         f"{np.shape(y_out)} (units, batch)")


def deltas(W: Layers, f: Layers, u: Layers, y: Layers, t: np.ndarray,
           loss: str = "half_sum") -> Layers:
    """The sensitivities δ_l = ∂E/∂u_l (S13) of every layer, from the output back.

    Output layer k = L (S14):
      - ``"half_sum"`` (S12, E = ½ Σ (t − y_k)²): δ_k = (y_k − t) ∘ f'(u_k) for an
        element-wise f; for softmax, δ_k = J_kᵀ (y_k − t) per sample with the full
        Jacobian J_k = diag(y_k) − y_k y_kᵀ (not the document's element-wise y − y²);
      - ``"cross_entropy"`` (E = −Σ t ∘ ln y_k, softmax output, one-hot t): δ_k = y_k − t.

    Hidden layers (S15): δ_l = (W_{l+1}ᵀ δ_{l+1}) ∘ f'(u_l).

    ``t`` is shaped like ``y[-1]`` (units, batch). Returns a list indexed by layer with
    ``delta[0] = None``; each δ_l is (units in l, batch), one column per sample."""
    L = len(W) - 1
    _check_targets(y[L], t, loss, "deltas")
    delta: Layers = [None] * (L + 1)
    if loss == "half_sum":
        delta[L] = through_activation(f[L], u[L], y[L], y[L] - t)
    elif f[L] == "softmax":
        delta[L] = y[L] - t
    else:
        raise ValueError(f"deltas: loss 'cross_entropy' needs a softmax output layer; "
                         f"f[{L}] is {f[L]!r}")
    for l in range(L - 1, 0, -1):
        delta[l] = through_activation(f[l], u[l], y[l], W[l + 1].T @ delta[l + 1])
    return delta


def gradients(delta: Layers, y: Layers) -> tuple[Layers, Layers]:
    """Parameter gradients, S16: ∂E/∂W_l = δ_l y_{l−1}ᵀ and ∂E/∂b_l = δ_l.

    With samples as columns, the matrix product δ_l y_{l−1}ᵀ sums the per-sample outer
    products over the batch; ∂E/∂b_l sums δ_l's columns into one column (units, 1).
    Returns ``(dW, db)`` shaped like ``W``, ``b``, with ``dW[0] = db[0] = None``."""
    dW: Layers = [None]
    db: Layers = [None]
    for l in range(1, len(delta)):
        dW.append(delta[l] @ y[l - 1].T)
        db.append(delta[l].sum(axis=1, keepdims=True))
    return dW, db


def sgd_step(W: Layers, b: Layers, dW: Layers, db: Layers,
             eta: float) -> tuple[Layers, Layers]:
    """One gradient-descent update, S17: W_l := W_l − η δ_l y_{l−1}ᵀ, b_l := b_l − η δ_l.

    Returns new lists ``(W, b)``; the inputs are left untouched."""
    new_W: Layers = [None] + [W[l] - eta * dW[l] for l in range(1, len(W))]
    new_b: Layers = [None] + [b[l] - eta * db[l] for l in range(1, len(b))]
    return new_W, new_b


def one_hot(labels: Any, n_classes: int) -> np.ndarray:
    """Integer labels → target columns t (n_classes, batch) with t^(label) = 1."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"one_hot: labels must be a 1-D integer array; got shape "
                         f"{labels.shape}, dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"one_hot: labels must lie in [0, {n_classes}); got "
                         f"{labels.min()} … {labels.max()}")
    t = np.zeros((n_classes, labels.size))
    t[labels, np.arange(labels.size)] = 1.0
    return t


def compare(mlp: Any, x: Any, t: Any, loss: str = "half_sum") -> Any:
    """Run autograd and these formulas on the same model and batch; a per-layer report of
    the largest |δ_l − ∂E/∂u_l|, |∂E/∂W_l formula − autograd| and the same for b_l.

    ``x`` is (batch, inputs) and ``t`` (batch, outputs) for ``"half_sum"`` or integer
    labels (batch,) for ``"cross_entropy"``, row-wise like every other nn input. Returns an
    ``nn.backprop_report.Report`` (``.rows``, ``.max_error``, ``.ok(tol)``; prints as a
    table, renders as Markdown in Jupyter). The only function here that uses autograd,
    so it lives in ``nn/backprop_report.py``; see ``nn.backprop_report.compare``."""
    from nn.backprop_report import compare as compare_with_autograd

    return compare_with_autograd(mlp, x, t, loss)


def check_deltas(deltas_fn: Any, **options: Any) -> Any:
    """Check a learner's ``deltas_fn(W, f, u, y, t)`` — δ of every layer, written like
    ``deltas`` above — against autograd: "correct", or the first layer (output first, as
    backpropagation goes) and entry (unit, sample) where it differs. Options and details:
    ``nn.exercises.check_deltas``, where it lives because it uses autograd."""
    from nn.exercises import check_deltas as check

    return check(deltas_fn, **options)
