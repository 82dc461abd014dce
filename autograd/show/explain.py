"""The backward pass as a list of chain-rule steps, for reading rather than computing.

``explain(output)`` reads a record of the pass (``autograd.record.Tape``): the one
``retain_grads`` made of the backward that ran, or — before any backward — one written by
a dry run of the engine that leaves ``.grad`` and hooks alone. Either way the steps are the
engine's own: its order, its sums at fan-out, its ``unbroadcast``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.engine import run_backward
from autograd.function import Function
from autograd.graph import tensor_key, tensor_labels, topological_order, walk
from autograd.record import Tape, tape_of
from autograd.show.arguments import check_names
from autograd.show.notation import notation
from autograd.show.values import format_values
from autograd.tensor import Tensor
from autograd.words import get_language, language, table, width

#: ``str(explanation)`` wraps a table cell longer than this many characters.
COLUMN = 36


@dataclass
class Send:
    """The gradient a step sends to one input (argument ``slot`` of its op)."""

    to: str
    slot: int
    gradient: np.ndarray


@dataclass
class Step:
    """One node of the backward pass: the op that made ``output``, its local derivative
    ``formula``, the ``incoming`` gradient ∂E/∂output — the sum of ``contributions``,
    one ``(step index, gradient)`` per consumer that sent one (step 0: the gradient the
    pass started from) — and what it ``sends`` to each input."""

    index: int
    op: str
    formula: str
    output: str
    incoming: np.ndarray
    contributions: list[tuple[int, np.ndarray]]
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


def _parts(parts: list[tuple[int, np.ndarray]], value, words: dict[str, str]) -> str:
    """``g₁ (step i) + g₂ (step j)``: the separate gradients that were added up."""
    return " + ".join(words["from_step"].format(gradient=value(g), k=i) if i else value(g)
                      for i, g in parts)


@dataclass(repr=False)
class Explanation:
    """The steps of a backward pass; ``str()`` is a text table, Markdown in Jupyter.
    Gradients of at most ``show_size`` entries are written out, larger ones by shape;
    the words are in ``lang`` (``autograd.words``), the maths as it is."""

    output: str
    steps: list[Step]
    totals: list[Total]
    show_size: int = 16
    lang: str = "en"

    @property
    def words(self) -> dict[str, str]:
        """The table's ``explain`` words in this explanation's language."""
        return table("explain", self.lang)

    def value(self, values: np.ndarray) -> str:
        """Values for small tensors, the shape otherwise."""
        return (_one_line(values) if values.size <= self.show_size
                else self.words["shape"].format(shape=values.shape))

    def rows(self) -> list[list[str]]:
        """Header and one row per step: step, op, formula, output ← incoming, sends."""
        rows = [[self.words[key] for key in ("step", "op", "local", "incoming", "sends")]]
        for s in self.steps:
            incoming = f"{s.output}: {self.value(s.incoming)}"
            if len(s.contributions) > 1:  # fan-out: the gradient is a sum
                incoming += f" = {_parts(s.contributions, self.value, self.words)}"
            sends = "; ".join(f"{d.to} ← {self.value(d.gradient)}" for d in s.sends)
            rows.append([str(s.index), s.op, s.formula, incoming, sends])
        return rows

    def sums(self) -> list[str]:
        """One line per total: the gradient as the sum of its parts (fan-out adds up)."""
        lines = []
        for t in self.totals:
            total = f" = {self.value(t.total)}" if len(t.parts) > 1 else ""
            lines.append(f"{t.name}.grad += {_parts(t.parts, self.value, self.words)}{total}")
        return lines

    def __str__(self) -> str:
        """The table, each column at most ``COLUMN`` characters wide: a longer cell
        wraps onto the following lines of its row."""
        rows = [[[piece for line in cell.split("\n")
                  for piece in textwrap.wrap(line, COLUMN, break_on_hyphens=False) or [""]]
                 for cell in row] for row in self.rows()]
        widths = [max(width(line) for r in rows for line in r[c]) for c in range(len(rows[0]))]
        lines = []
        for row in rows:
            for n in range(max(map(len, row))):
                cells = [cell[n] if n < len(cell) else "" for cell in row]
                lines.append("  ".join(c + " " * (w - width(c))
                                       for c, w in zip(cells, widths, strict=True)).rstrip())
        sums = [line for s in self.sums() for line in textwrap.wrap(
            s, 2 * COLUMN, subsequent_indent="    ", break_on_hyphens=False)]
        title = self.words["title"].format(output=self.output)
        return "\n".join([title, *lines, *sums])

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        rows = [[cell.replace("|", "\\|").replace("\n", "<br>") for cell in row]
                for row in self.rows()]
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "---|" * len(rows[0]))
        sums = [f"- `{line}`" for line in self.sums()]
        title = self.words["title"].format(output=f"`{self.output}`")
        return "\n".join([f"**{title}**", "", *lines, "", *sums])

    def to_latex(self) -> str:
        """Each chain-rule step as a display equation ``$$…$$`` that MathJax and KaTeX
        both render, e.g. δ₁ = (W₂ᵀ δ₂) ⊙ σ′(u₁) for the document's network (S15);
        see ``autograd.show.latex``. Jupyter shows these under the table."""
        from autograd.show.latex import explanation_latex

        return "\n".join(explanation_latex(self))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/markdown": f"{self._repr_markdown_()}\n\n{self.to_latex()}",
                "text/plain": str(self)}


def explain(output: Tensor, inputs: Tensor | Sequence[Tensor] | None = None,
            gradient: Any = None, names: dict[str, Tensor] | None = None,
            show_size: int = 16, lang: str | None = None) -> Explanation:
    """The backward pass from ``output`` as chain-rule steps, in the engine's order.

    Each step takes the gradient ∂E/∂y of one op's result y (E is ``output``), the sum of
    what y's consumers sent it, and sends ∂E/∂x = ∂E/∂y · ∂y/∂x to each input x (S13's
    chain rule); a tensor used twice receives two gradients that add up, and the step
    lists them. Before ``backward`` this is a dry run (``.grad`` is not touched, hooks do
    not run); after a backward recorded with ``ag.retain_grads(output)`` it is the pass
    that ran, hooks included; after a plain backward, whose values are freed, it raises.

    Parameters
    ----------
    output : Tensor
        E, the tensor differentiated (a one-element tensor unless ``gradient`` is given).
    inputs : Tensor or sequence of Tensors, optional
        Limit the steps to the subgraph that leads from these tensors to ``output``.
    gradient : array_like, optional
        ∂E/∂output to start from (default 1 for a one-element output).
    names : dict name → Tensor, optional
        Names for tensors, as in ``draw`` (otherwise ``tensor.name`` or t1, t2, …; a
        one-element output is E; a forward run inside ``ag.record_modules(model)`` is
        named by the model: the document's W1, u1, y1, … for an ``nn.MLP``, whose layers'
        steps then show the column-notation formulas of S11–S16, as ``draw`` and the
        player do).
    show_size : int
        Gradients with at most this many entries are written out in the table.
    lang : "en", "zh" or None
        The language of the table's words and of ``to_latex``'s (the maths stays); None:
        ``ag.set_language``'s, English by default. ``"zh"`` uses docs/zh/glossary.md's
        terms: 步骤, 运算, 局部导数, "E 的反向传播".

    Examples
    --------
    Fan-out: ``a`` is used twice by one add, so it receives two gradients.

    >>> import autograd as ag
    >>> a = ag.Tensor(3.0, requires_grad=True, name="a")
    >>> print(explain(a + a))
    backward pass of E
    step  op   local derivative               incoming ∂E/∂output  sends
    1     add  ∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1  E: 1                 a ← 1; a ← 1
    a.grad += 1 (step 1) + 1 (step 1) = 2

    ``(x + x) * x``: x reaches the product directly and through the sum, 2x + 2x + 2x = 6x.

    >>> x = ag.Tensor(2.0, requires_grad=True, name="x")
    >>> print(explain((x + x) * x))
    backward pass of E
    step  op   local derivative               incoming ∂E/∂output  sends
    1     mul  ∂(a·b)/∂a = b,  ∂(a·b)/∂b = a  E: 1                 t1 ← 2; x ← 4
    2     add  ∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1  t1: 2                x ← 2; x ← 2
    x.grad += 4 (step 1) + 2 (step 2) + 2 (step 2) = 8
    """
    if not isinstance(output, Tensor) or not output.requires_grad:
        raise RuntimeError("explain: the output must be a Tensor that requires grad")
    targets = None if inputs is None else [inputs] if isinstance(inputs, Tensor) else list(inputs)
    check_names(names, "explain")
    tape = tape_of(output)
    if tape is None or not tape.complete or targets is not None or gradient is not None:
        tape = _dry_run(output, targets, gradient)
    view = walk([output])
    told = notation(view, output)
    labels = tensor_labels(view, {**told.names, **(names or {})})
    # a recorded model's formulas (an MLP's column notation, S11–S16) for the ops it made
    formulas = {id(t.grad_fn): told.formulas[name] for name, t in told.names.items()
                if name in told.formulas and t.grad_fn is not None}
    steps = [Step(r.index, r.node.name, formulas.get(id(r.node), r.node.formula),
                  labels[id(r.node)], r.incoming, r.contributions,
                  [Send(labels[s.key], s.slot, s.gradient) for s in r.sends], r.node)
             for r in tape.steps]
    keys = list(tape.leaves) if targets is None else [tensor_key(t) for t in targets]
    totals = [Total(labels[key], parts, np.sum([g for _, g in parts], axis=0))
              for key in dict.fromkeys(keys) if (parts := tape.received.get(key))]
    with language(lang):
        return Explanation(labels[tensor_key(output)], steps, totals, show_size,
                           get_language())


def _dry_run(output: Tensor, targets: list[Tensor] | None, gradient: Any) -> Tape:
    """Record a backward pass from ``output`` without writing ``.grad`` or running hooks."""
    order = [] if output.grad_fn is None else topological_order([output.grad_fn])
    if any(node.released for node in order):
        raise RuntimeError(
            "explain: a backward pass has already run through this graph and freed its "
            "values; call ag.retain_grads(output) before output.backward() to keep a record "
            "of the pass for explain (or call explain before backward)")
    if targets is None:  # every leaf that requires grad
        targets = list({id(x): x for node in order
                         for x, needed in zip(node.inputs, node.needs_input_grad)
                         if needed and isinstance(x, Tensor)}.values()) or [output]
    tape = Tape()
    run_backward([output], [gradient], retain_graph=True, create_graph=False,
                 targets=targets, tape=tape, run_hooks=False)
    return tape
