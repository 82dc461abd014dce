"""``verify``: does the PyTorch model compute what ours does — outputs, loss and every
parameter gradient — on the same batch?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

import numpy as np

import autograd as ag
from nn import functional as F
from nn.export.plan import default_tol, evaluation, require
from nn.module import Module

#: The losses ``verify`` knows by name: ``mse`` is the mean, ``half_sum`` the document's
#: E = ½ Σ (t − y)² (S12).
LOSSES = ("cross_entropy", "mse", "half_sum", "binary_cross_entropy")


class Row(NamedTuple):
    """One line of a ``Report``: what was compared (``"output"``, ``"loss"`` or our
    parameter's dotted name), PyTorch's name for it, its shape, the largest |ours − PyTorch|
    of the values and of the gradients (None where there is no gradient), and ``scale``,
    the largest magnitude among our values and gradients, to read them against."""

    name: str
    torch_name: str
    shape: tuple[int, ...]
    value: float
    grad: float | None
    scale: float


_HEADERS = ("ours", "PyTorch", "shape", "|Δ value|", "|Δ gradient|", "max |ours|")


@dataclass
class Report:
    """What ``verify`` found: ``rows`` (outputs, loss, then one per parameter), the loss's
    name, the batch size, the dtype, both losses (ours, PyTorch's) and the tolerance.
    ``str()`` is a text table; in Jupyter it renders as Markdown."""

    rows: list[Row]
    loss: str
    batch: int
    dtype: np.dtype
    losses: tuple[float, float]
    tol: float

    @property
    def max_difference(self) -> float:
        """The largest difference in the report (output, loss, any value or gradient)."""
        return max(max(row.value, row.grad or 0.0) for row in self.rows)

    def failures(self) -> list[Row]:
        """Rows whose difference exceeds ``tol · max(1, scale)``."""
        return [row for row in self.rows
                if max(row.value, row.grad or 0.0) > self.tol * max(1.0, row.scale)]

    def ok(self) -> bool:
        """True when no row exceeds the tolerance."""
        return not self.failures()

    def _title(self) -> str:
        ours, theirs = self.losses
        return (f"nn.export.verify — loss {self.loss}, batch {self.batch}, {self.dtype}: "
                f"{ours:.9g} (ours), {theirs:.9g} (PyTorch); largest |ours − PyTorch| "
                f"{self.max_difference:.2e}, tolerance {self.tol:.0e} · max(1, max |ours|)")

    def _cells(self) -> list[tuple[str, ...]]:
        return [(row.name, row.torch_name, "×".join(map(str, row.shape)) or "scalar",
                 f"{row.value:.2e}", "—" if row.grad is None else f"{row.grad:.2e}",
                 f"{row.scale:.3g}") for row in self.rows]

    def __str__(self) -> str:
        table = [_HEADERS, *self._cells()]
        widths = [max(len(line[i]) for line in table) for i in range(len(_HEADERS))]
        return "\n".join([self._title(), *("  ".join(cell.ljust(width) for cell, width
                                                      in zip(line, widths, strict=True))
                                           for line in table)])

    def __repr__(self) -> str:  # the dataclass's would list every row
        return (f"<Report {self.loss}, {len(self.rows) - 2} parameters, "
                f"max_difference={self.max_difference:.2e}>")

    def _repr_markdown_(self) -> str:
        def line(cells: tuple[str, ...]) -> str:
            return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        return "\n".join([f"**{self._title()}**", "", line(_HEADERS),
                          "|---|---|---|---:|---:|---:|", *map(line, self._cells())])


class VerificationError(AssertionError):
    """An exported model computes something else than ours, beyond the tolerance;
    ``report`` (from ``verify``; None from ``to_onnx``) says where."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


def _loss_pair(torch: Any, loss: str) -> tuple[Callable, Callable]:
    """(our loss, PyTorch's) for a name in ``LOSSES``."""
    tf = torch.nn.functional
    return {
        "cross_entropy": (F.cross_entropy, lambda y, t: tf.cross_entropy(y, t.long())),
        "mse": (F.mse_loss, tf.mse_loss),
        "half_sum": (partial(F.mse_loss, reduction="half_sum"),
                     lambda y, t: 0.5 * ((y - t) ** 2).sum()),
        "binary_cross_entropy": (F.binary_cross_entropy, tf.binary_cross_entropy),
    }[loss]


def verify(model: Module, torch_model: Any, x: Any, t: Any, loss: str = "cross_entropy",
           tol: float | None = None) -> Report:
    """Run both models on the batch ``x`` with targets ``t`` and compare the outputs, the
    loss and the gradient of the loss with respect to every parameter.

    Parameters are paired in registration order (``named_parameters`` on both sides, as
    ``to_torch`` builds them); their counts and shapes must match. Both models run in
    evaluation mode (Dropout off) and are returned to their own modes afterwards; the
    gradients come from ``ag.grad`` and ``torch.autograd.grad``, so no ``.grad`` changes.

    Parameters
    ----------
    model : nn.Module
    torch_model : torch.nn.Module
    x : array_like, (batch, inputs)
        Cast to the dtype of ``model``'s parameters.
    t : array_like
        Integer labels (batch,) for ``"cross_entropy"``; targets shaped like the output
        otherwise.
    loss : {"cross_entropy", "mse", "half_sum", "binary_cross_entropy"}
        ``half_sum`` is the document's E = ½ Σ (t − y)² (S12).
    tol : float, optional
        A row passes when its largest difference is at most ``tol · max(1, scale)``;
        default 1e-5 for float32 parameters (a few hundred float32 roundings) and 1e-10
        otherwise.

    Returns
    -------
    Report
        Prints as a table of the largest differences per parameter; ``.max_difference``.

    Raises
    ------
    VerificationError
        (an ``AssertionError``) carrying the report, when a row exceeds the tolerance.
    ValueError
        For an unknown loss, or parameters that do not pair up.
    """
    if loss not in LOSSES:
        raise ValueError(f"verify: unknown loss {loss!r}; valid: {', '.join(LOSSES)}")
    torch = require("torch")
    ours, theirs = dict(model.named_parameters()), dict(torch_model.named_parameters())
    if [p.shape for p in ours.values()] != [tuple(p.shape) for p in theirs.values()]:
        raise ValueError(f"verify: the parameters do not pair up: ours "
                         f"{[(n, p.shape) for n, p in ours.items()]}, PyTorch's "
                         f"{[(n, tuple(p.shape)) for n, p in theirs.items()]}")
    dtype = next(iter(ours.values())).dtype if ours else ag.get_default_dtype()
    tol = default_tol(dtype) if tol is None else tol
    x = np.asarray(x, dtype=dtype)
    t = np.asarray(t) if loss == "cross_entropy" else np.asarray(t, dtype=dtype)
    our_loss, torch_loss = _loss_pair(torch, loss)

    with evaluation(model, torch_model):
        with ag.enable_grad():
            y = model(ag.Tensor(x))
            L = our_loss(y, t)
            grads = ag.grad(L, list(ours.values()), allow_unused=True)
        with torch.enable_grad():
            y_t = torch_model(torch.from_numpy(x))
            L_t = torch_loss(y_t, torch.from_numpy(t))
            grads_t = torch.autograd.grad(L_t, list(theirs.values()), allow_unused=True)

    rows = [_row("output", "output", y.numpy(), y_t.detach().numpy()),
            _row("loss", "loss", L.numpy(), L_t.detach().numpy())]
    for (name, p), (torch_name, p_t), g, g_t in zip(ours.items(), theirs.items(), grads,
                                                    grads_t, strict=True):
        rows.append(_row(name, torch_name, p.data, p_t.detach().numpy(),
                         np.zeros_like(p.data) if g is None else g.numpy(),
                         np.zeros_like(p.data) if g_t is None else g_t.numpy()))
    report = Report(rows, loss, x.shape[0], dtype, (L.item(), L_t.item()), tol)
    if not report.ok():
        names = ", ".join(row.name for row in report.failures())
        raise VerificationError(f"verify: the models disagree at {names}\n{report}", report)
    return report


def _row(name: str, torch_name: str, value: np.ndarray, value_t: np.ndarray,
         grad: np.ndarray | None = None, grad_t: np.ndarray | None = None) -> Row:
    """The largest differences between our value (and gradient) and PyTorch's."""
    scale = _largest(value) if grad is None else max(_largest(value), _largest(grad))
    return Row(name, torch_name, tuple(value.shape), _largest(value - value_t),
               None if grad is None else _largest(grad - grad_t), scale)


def _largest(a: np.ndarray) -> float:
    return float(np.max(np.abs(a), initial=0.0))
