"""The backward pass as a list of chain-rule steps, for reading rather than computing.

``explain(output)`` runs its own backward pass over the graph — the engine's order and
rules (reverse topological order, gradients summed at fan-out, broadcasting undone by
``unbroadcast``) — and records every step instead of writing ``.grad``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.engine import initial_gradient, topological_order, unbroadcast
from autograd.function import Function
from autograd.grad_mode import no_grad
from autograd.tensor import Tensor
from autograd.viz import format_values, tensor_key, tensor_labels, walk


@dataclass
class Send:
    """The gradient a step sends to one input (argument ``slot`` of its op)."""

    to: str
    slot: int
    gradient: np.ndarray


@dataclass
class Step:
    """One node of the backward pass: the op that made ``output``, its local derivative
    ``formula``, the ``incoming`` gradient ∂E/∂output — the sum of ``contributions``
    gradients sent by the output's consumers — and what it ``sends`` to each input."""

    index: int
    op: str
    formula: str
    output: str
    incoming: np.ndarray
    contributions: int
    sends: list[Send]
    node: Function = field(repr=False)


@dataclass
class Total:
    """The total gradient of a leaf (what ``backward`` adds to its ``.grad``), or of a
    tensor given as ``inputs=``, and the parts it is summed from: ``(step index,
    gradient)`` per use of the tensor."""

    name: str
    parts: list[tuple[int, np.ndarray]]
    total: np.ndarray


def _one_line(values: Any) -> str:
    return " ".join(format_values(values).split())


def _value(values: np.ndarray) -> str:
    """Values for small tensors, the shape otherwise."""
    return _one_line(values) if values.size <= 6 else f"shape {values.shape}"


@dataclass(repr=False)
class Explanation:
    """The steps of a backward pass; ``str()`` is a text table, Markdown in Jupyter."""

    output: str
    steps: list[Step]
    totals: list[Total]

    def rows(self) -> list[list[str]]:
        """Header and one row per step: step, op, formula, output ← incoming, sends."""
        rows = [["step", "op", "local derivative", "incoming ∂E/∂output", "sends"]]
        for s in self.steps:
            summed = f" (sum of {s.contributions})" if s.contributions > 1 else ""
            sends = "; ".join(f"{d.to} ← {_value(d.gradient)}" for d in s.sends)
            rows.append([str(s.index), s.op, s.formula,
                         f"{s.output}: {_value(s.incoming)}{summed}", sends])
        return rows

    def sums(self) -> list[str]:
        """One line per total: the gradient as the sum of its parts (fan-out adds up)."""
        lines = []
        for t in self.totals:
            parts = " + ".join(f"{_value(g)} (step {i})" if i else _value(g)
                               for i, g in t.parts)
            total = f" = {_value(t.total)}" if len(t.parts) > 1 else ""
            lines.append(f"{t.name}.grad += {parts}{total}")
        return lines

    def __str__(self) -> str:
        rows = self.rows()
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        table = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                 for row in rows]
        return "\n".join([f"backward pass of {self.output}", *table, *self.sums()])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        rows = [[cell.replace("|", "\\|") for cell in row] for row in self.rows()]
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "---|" * len(rows[0]))
        sums = [f"- `{line}`" for line in self.sums()]
        return "\n".join([f"**backward pass of `{self.output}`**", "", *lines, "", *sums])

    def to_latex(self) -> str:
        """Each chain-rule step as a display equation ``$$…$$`` that MathJax and KaTeX
        both render, e.g. δ₁ = (W₂ᵀ δ₂) ⊙ σ′(u₁) for the document's network (S15);
        see ``autograd.latex``. Jupyter shows these under the table."""
        from autograd.latex import explanation_latex

        return "\n".join(explanation_latex(self))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/markdown": f"{self._repr_markdown_()}\n\n{self.to_latex()}",
                "text/plain": str(self)}


def explain(output: Tensor, inputs: Tensor | Sequence[Tensor] | None = None,
            gradient: Any = None, names: dict[str, Tensor] | None = None) -> Explanation:
    """The backward pass from ``output`` as chain-rule steps, in the engine's order.

    Each step takes the gradient ∂E/∂y of one op's result y (E is ``output``), the sum of
    what y's consumers sent it, and sends ∂E/∂x = ∂E/∂y · ∂y/∂x to each input x (S13's
    chain rule); a tensor used twice receives two gradients that add up. ``.grad`` is not
    touched and hooks are not run. The graph must still hold its saved values: call
    ``explain`` before ``backward``, or after ``backward(retain_graph=True)``.

    Parameters
    ----------
    output : Tensor
        E, the tensor differentiated (a one-element tensor unless ``gradient`` is given).
    inputs : Tensor or sequence of Tensors, optional
        Limit the steps to the subgraph that leads from these tensors to ``output``.
    gradient : array_like, optional
        ∂E/∂output to start from (default 1 for a one-element output).
    names : dict name → Tensor, optional
        Names for tensors, as in ``draw`` (otherwise ``tensor.name`` or t1, t2, …).

    Examples
    --------
    Fan-out: ``a`` is used twice by one add, so it receives two gradients.

    >>> import autograd as ag
    >>> a = ag.Tensor(3.0, requires_grad=True, name="a")
    >>> print(explain(a + a))
    backward pass of t1
    step  op   local derivative               incoming ∂E/∂output  sends
    1     add  ∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1  t1: 1                a ← 1; a ← 1
    a.grad += 1 (step 1) + 1 (step 1) = 2

    ``(x + x) * x``: x reaches the product directly and through the sum, 2x + 2x + 2x = 6x.

    >>> x = ag.Tensor(2.0, requires_grad=True, name="x")
    >>> print(explain((x + x) * x))
    backward pass of t2
    step  op   local derivative               incoming ∂E/∂output  sends
    1     mul  ∂(a·b)/∂a = b,  ∂(a·b)/∂b = a  t2: 1                t1 ← 2; x ← 4
    2     add  ∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1  t1: 2                x ← 2; x ← 2
    x.grad += 4 (step 1) + 2 (step 2) + 2 (step 2) = 8
    """
    if not isinstance(output, Tensor) or not output.requires_grad:
        raise RuntimeError("explain: the output must be a Tensor that requires grad")
    labels = tensor_labels(walk([output]), names)
    grad = initial_gradient(output, gradient, "explain")
    order = [] if output.grad_fn is None else topological_order([output.grad_fn])
    targets = None if inputs is None else [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if targets is not None:
        order = _leading_to(order, targets)
    for node in order:  # fail before doing anything
        if node.saved is None:
            raise RuntimeError(
                f"explain: the saved values of {node.name} were freed by a backward pass; "
                "call explain before backward, or use backward(retain_graph=True)")
    received: dict[int, list[tuple[int, Tensor]]] = {tensor_key(output): [(0, grad)]}
    leaves: dict[int, Tensor] = {} if output.grad_fn else {id(output): output}
    steps: list[Step] = []
    with no_grad():
        for node in reversed(order):
            parts = received.get(id(node))
            if parts is None:
                continue
            incoming = parts[0][1]
            for _, g in parts[1:]:
                incoming = incoming + g
            step = Step(len(steps) + 1, node.name, node.formula, labels[id(node)],
                        incoming.data, len(parts), [], node)
            for slot, (x, g, needed) in enumerate(
                    zip(node.inputs, node.backward(incoming), node.needs_input_grad,
                        strict=False)):
                if not needed or g is None:
                    continue
                g = unbroadcast(g, x.data.shape).astype(x.dtype)
                step.sends.append(Send(labels[tensor_key(x)], slot, g.data))
                received.setdefault(tensor_key(x), []).append((step.index, g))
                if x.grad_fn is None:
                    leaves[id(x)] = x
            steps.append(step)
    keys = list(leaves) if targets is None else [tensor_key(t) for t in targets]
    return Explanation(labels[tensor_key(output)], steps, [
        Total(labels[key], [(i, g.data) for i, g in received[key]],
              np.sum([g.data for _, g in received[key]], axis=0))
        for key in dict.fromkeys(keys) if key in received])


def _leading_to(order: list[Function], inputs: list[Tensor]) -> list[Function]:
    """The nodes of ``order`` (inputs first) that consume one of ``inputs``, directly or
    through other such nodes: the steps between ``inputs`` and the output."""
    targets = {tensor_key(t) for t in inputs}
    wanted: set[int] = set()
    for node in order:
        if any(isinstance(x, Tensor) and (
                tensor_key(x) in targets or id(x.grad_fn) in wanted) for x in node.inputs):
            wanted.add(id(node))
    return [node for node in order if id(node) in wanted]
