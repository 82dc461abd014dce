"""``nn.backprop.compare``: the document's formulas (S13–S16) next to autograd, per layer.

The one place where nn.backprop meets the autograd engine: ``compare`` runs the model's own
Linear layers and activations under autograd and the plain-NumPy formulas on copies of
the same weights, and reports, layer by layer, how far apart the two are.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

import autograd as ag
from autograd.words import get_language, table, width
from nn import backprop as bp
from nn import functional as F


class Row(NamedTuple):
    """One layer of a ``Report``: the largest absolute differences formula − autograd of
    δ_l vs ∂E/∂u_l, ∂E/∂W_l and ∂E/∂b_l (``bias`` is None for a Linear without bias), and
    ``scale``, the largest |value| among autograd's three, to read them against."""

    layer: int
    units: int
    delta: float
    weight: float
    bias: float | None
    scale: float


#: The table's columns: words from the table (``autograd.words``), or maths as it is.
_HEADERS = ("layer", "units", "delta", "∂E/∂W", "∂E/∂b", "max_grad")


class Report:
    """What ``compare`` found: ``rows`` (one ``Row`` per layer, numbered 1 … L), the loss,
    the batch size and E from both sides. ``str()`` is a text table; in Jupyter it renders
    as a Markdown table; its words are in ``lang`` (the language when it was made)."""

    def __init__(self, rows: list[Row], loss: str, batch: int, E_formulas: float,
                 E_autograd: float, lang: str | None = None) -> None:
        self.lang = lang or get_language()
        self.rows = rows
        self.loss = loss
        self.batch = batch
        self.E_formulas = E_formulas
        self.E_autograd = E_autograd

    @property
    def max_error(self) -> float:
        """The largest difference in the report (δ, ∂E/∂W or ∂E/∂b, any layer)."""
        return max(max(r.delta, r.weight, r.bias or 0.0) for r in self.rows)

    def ok(self, tol: float = 1e-10) -> bool:
        """True when every layer's differences are ≤ tol · max(1, its largest gradient)."""
        return all(max(r.delta, r.weight, r.bias or 0.0) <= tol * max(1.0, r.scale)
                   for r in self.rows)

    def _cells(self) -> list[list[str]]:
        return [[str(r.layer), str(r.units), f"{r.delta:.2e}", f"{r.weight:.2e}",
                 "—" if r.bias is None else f"{r.bias:.2e}", f"{r.scale:.3g}"]
                for r in self.rows]

    def _headers(self) -> list[str]:
        words = table("report", self.lang)
        return [words.get(key, key) for key in _HEADERS]

    def _title(self) -> str:
        return table("report", self.lang)["title"].format(
            loss=self.loss, batch=self.batch, formulas=f"{self.E_formulas:.10g}",
            autograd=f"{self.E_autograd:.10g}")

    def __str__(self) -> str:
        cells, headers = self._cells(), self._headers()
        widths = [max(width(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
        line = "  ".join(" " * (w - width(h)) + h for h, w in zip(headers, widths, strict=True))
        body = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True))
                for row in cells]
        return "\n".join([self._title(), table("report", self.lang)["largest"], line, *body])

    def __repr__(self) -> str:
        return f"<Report {self.loss}, {len(self.rows)} layers, max_error={self.max_error:.2e}>"

    def _repr_markdown_(self) -> str:
        largest = table("report", self.lang)["largest"].replace("|", "\\|")
        lines = [f"**{self._title()}**", "", largest, "",
                 "| " + " | ".join(h.replace("|", "\\|") for h in self._headers()) + " |",
                 "|" + "---:|" * len(_HEADERS)]
        lines += ["| " + " | ".join(row) + " |" for row in self._cells()]
        return "\n".join(lines)


def _targets(t: Any, loss: str, n_out: int, batch: int) -> tuple[np.ndarray, np.ndarray]:
    """(t as given, for autograd; t as columns (n_out, batch), for the formulas)."""
    if loss == "half_sum":
        rows = np.asarray(t, dtype=float)
        if rows.shape != (batch, n_out):
            raise ValueError(f"compare: t must be ({batch}, {n_out}) (batch, outputs) for "
                             f"the half_sum loss; got shape {rows.shape}")
        return rows, rows.T
    if loss == "cross_entropy":
        labels = np.asarray(t)
        if labels.shape != (batch,):
            raise ValueError(f"compare: t must be {batch} integer labels for cross_entropy; "
                             f"got shape {labels.shape}")
        return labels, bp.one_hot(labels, n_out)
    raise ValueError(f"compare: unknown loss {loss!r}; valid: {', '.join(bp.LOSSES)}")


def compare(mlp: Any, x: Any, t: Any, loss: str = "half_sum") -> Report:
    """Run autograd and the document's formulas on the same model and batch, and report
    per layer the largest |δ_l − ∂E/∂u_l|, |∂E/∂W_l formula − autograd| and the same for b.

    Parameters
    ----------
    mlp : nn.MLP (anything ``params`` reads).
    x : (batch, inputs), one sample per row like every other nn input; transposed here
        into the document's columns.
    t : for ``"half_sum"`` (E = ½ Σ (t − y)², S12) targets (batch, outputs); for
        ``"cross_entropy"`` integer labels (batch,) as ``F.cross_entropy`` takes them, the
        model's output being logits (``output_activation=None``) or softmax.
    loss : ``"half_sum"`` or ``"cross_entropy"``, both summed over the batch like E.

    The formulas: ``params``, ``forward`` (S11), ``deltas`` (S13–S15), ``gradients`` (S16).
    Autograd: the model's Linear layers and activations applied one by one, so that each
    pre-activation u_l is a Tensor of the graph; E = ``F.mse_loss(y, t, "half_sum")`` or
    ``F.cross_entropy(u_L, t, reduction="sum")``; ∂E/∂u_l and the parameter gradients
    come from one ``ag.grad(E, [u_1 … u_L, W_1, b_1, …])`` — public API, and the model's
    ``.grad`` are left untouched."""
    W, b, f = bp.params(mlp)
    x = np.asarray(x, dtype=W[1].dtype)
    if x.ndim != 2 or x.shape[1] != W[1].shape[1]:
        raise ValueError(f"compare: x must be (batch, {W[1].shape[1]}) (one sample per row); "
                         f"got shape {x.shape}")
    t_given, t_columns = _targets(t, loss, W[-1].shape[0], x.shape[0])
    if loss == "cross_entropy":
        if f[-1] not in ("identity", "softmax"):
            raise ValueError(f"compare: cross_entropy needs a linear (logits) or softmax "
                             f"output layer; the model's is {f[-1]!r}")
        f[-1] = "softmax"  # E = −Σ t ∘ ln softmax(u_L) either way

    u, y = bp.forward(W, b, f, x.T)
    delta = bp.deltas(W, f, u, y, t_columns, loss)
    dW, db = bp.gradients(delta, y)

    y_ag, u_ag = ag.Tensor(x), []
    for layer, activation in zip(mlp.layers, mlp.activations, strict=True):
        u_ag.append(layer(y_ag))
        y_ag = activation(u_ag[-1])
    E = (F.cross_entropy(u_ag[-1], t_given, reduction="sum") if loss == "cross_entropy"
         else F.mse_loss(y_ag, t_given, reduction="half_sum"))
    weights = [layer.weight for layer in mlp.layers]
    biases = [layer.bias for layer in mlp.layers if layer.bias is not None]
    grads = iter(ag.grad(E, [*u_ag, *weights, *biases]))
    du = [next(grads).numpy() for _ in u_ag]
    dweights = [next(grads).numpy() for _ in weights]

    rows = []
    for l, layer in enumerate(mlp.layers, 1):
        dbias = None if layer.bias is None else next(grads).numpy()
        rows.append(Row(
            layer=l, units=W[l].shape[0],
            delta=_largest(delta[l] - du[l - 1].T),
            weight=_largest(dW[l] - dweights[l - 1]),
            bias=None if dbias is None else _largest(db[l][:, 0] - dbias),
            scale=max(_largest(du[l - 1]), _largest(dweights[l - 1]),
                      0.0 if dbias is None else _largest(dbias)),
        ))
    return Report(rows, loss, x.shape[0], bp.error(y[-1], t_columns, loss), E.item())


def _largest(a: np.ndarray) -> float:
    return float(np.max(np.abs(a)))
