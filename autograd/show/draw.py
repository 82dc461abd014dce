"""Drawing computation graphs: ``draw`` reads a graph and returns a ``graphviz.Digraph``.

Nothing here changes a graph or a gradient; the engine does not know this module exists.
The graph is walked iteratively from the outputs (breadth first), so a graph of 100,000
ops produces DOT source; beyond ``max_ops`` the ops farthest from the outputs are left
out and one note node says how many. ``graphviz`` is imported only when drawing
(``autograd.show.rendering``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.graph import (
    GraphView,
    is_tensor_input,
    kept_grad,
    role,
    tensor_key,
    tensor_labels,
    walk,
)
from autograd.record import output_tensors
from autograd.scopes import ModuleScope
from autograd.show.arguments import check_layout, check_names
from autograd.show.notation import Notation, notation
from autograd.show.rendering import GraphvizNotFound as GraphvizNotFound  # re-exported
from autograd.show.rendering import digraph
from autograd.show.values import SMALL as SMALL  # re-exported
from autograd.show.values import _html, dot_lines, full_values, values_html
from autograd.show.values import format_values as format_values  # re-exported
from autograd.tensor import Tensor
from autograd.words import language, say

#: Fill colours by role (the role is also written in the node, for readers without colour).
FILLS = {"output": "#c8e6c9", "parameter": "#ffe0b2", "leaf": "#bbdefb",
         "constant": "#eeeeee", "": "#ffffff", "op": "#fff9c4"}

#: The colour of gradients in a node (the player finds its rewritable texts by it).
GRAD_COLOUR = "#b71c1c"


def _rows(*rows: str) -> str:
    body = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows if row)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{body}</TABLE>>'


def gradient_name(name: str) -> str:
    """How a tensor's gradient is written: δ_l for the document's pre-activation u_l
    (S13: δ_l = ∂E/∂u_l), else ``grad``."""
    layer = re.fullmatch(r"u(\d+)", name)
    return f"δ{layer.group(1)}" if layer else "grad"


def tensor_label(t: Tensor, name: str, kind: str, show_data: bool, show_grad: bool,
                 show_dtype: bool = False, reserved: tuple[str, list[list[str]]] | None = None,
                 compact: bool = False) -> str:
    """HTML label: name and role, shape (and dtype if asked), data, gradient (when there
    is one, written δ_l for a tensor named u_l). ``reserved`` (caption, grid of texts) is
    a gradient's place drawn beside the data, which the player rewrites step by step; the
    player's labels are compact (the shape on the title line, no small print)."""
    title = f"<B>{html.escape(name)}</B>" + (f"  <I>{say('draw', kind)}</I>" if kind else "")
    shape = html.escape(str(t.shape)) + (f" {t.dtype}" if show_dtype else "")
    if compact:
        title, shape = f"{title}  {shape}", ""
    shown = []
    if show_data and not t.freed:
        shown.append(("" if compact else say("draw", "data"), t.data, ""))
    if show_grad and kept_grad(t) is not None:
        shown.append((_gradient_caption(name), kept_grad(t).data, GRAD_COLOUR))
    if reserved is not None:
        shown.append((reserved[0], reserved[1], GRAD_COLOUR))
    freed = f'<FONT COLOR="#777777"><I>{say("draw", "freed")}</I></FONT>' if t.freed else ""
    return _rows(title, f'<FONT POINT-SIZE="10">{shape}</FONT>' if shape else "", freed,
                 values_html(shown, across=reserved is not None))


def _gradient_caption(name: str) -> str:
    """δ_l, or the table's word for a gradient."""
    caption = gradient_name(name)
    return say("draw", "grad") if caption == "grad" else caption


def tensor_tooltip(t: Tensor, name: str, show_data: bool = True, show_grad: bool = True) -> str:
    """The hover text of a tensor's node: its name, shape, dtype and every value of what
    the label shows."""
    lines = [f"{name}  {t.shape} {t.dtype}"]
    if show_data and not t.freed:
        lines += [say("draw", "data"), full_values(t.data)]
    if show_grad and kept_grad(t) is not None:
        gradient = gradient_name(name)
        lines += [f"{gradient} = ∂E/∂{name}" if gradient != "grad" else _gradient_caption(name),
                  full_values(kept_grad(t).data)]
    return dot_lines("\n".join(lines))


def op_label(node: Function, show_formula: bool, formula: str | None = None,
             caller: str = "") -> str:
    """HTML label: the op name — in call form ``mul(·, 2)`` when it has constant
    arguments, ``·`` marking tensor inputs, trailing None/False defaults left out —, the
    module call that made it when it has no box of its own (``caller``), and optionally
    its local derivative (``formula``, else the op's own)."""
    title = node.name
    inputs = list(node.inputs)
    while inputs and (inputs[-1] is None or inputs[-1] is False):
        inputs.pop()  # trailing defaults: sum(·) rather than sum(·, None, False)
    if not all(is_tensor_input(x) for x in inputs):
        args = ", ".join("·" if is_tensor_input(x) else _short(x) for x in inputs)
        title = f"{node.name}({args})"
    formula = (formula or node.formula) if show_formula else ""
    small = f'<FONT POINT-SIZE="10">{_html(formula)}</FONT>' if formula else ""
    made_by = f'<FONT POINT-SIZE="10"><I>{html.escape(caller)}</I></FONT>' if caller else ""
    return _rows(f"<B>{html.escape(title)}</B>", made_by, small)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return format_values(value) if value.size <= 4 else f"array{value.shape}"
    text = str(value) if isinstance(value, np.dtype) else repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def draw(tensors: Tensor | Sequence[Tensor], show_data: bool = True, show_grad: bool = True,
         show_formula: bool = False, names: dict[str, Tensor] | None = None,
         rankdir: str = "TB", max_ops: int | None = 500, show_dtype: bool = False,
         formulas: dict[str, str] | None = None,
         collapse: dict[str, tuple[Tensor, Sequence[Tensor]]] | None = None,
         lang: str | None = None) -> Any:
    """The computation graph behind one or several output tensors, as a graphviz.Digraph.

    Parameters
    ----------
    tensors : Tensor or sequence of Tensors
        The outputs; everything they were computed from is drawn.
    show_data, show_grad : bool
        Write each tensor's values / its ``.grad`` into its node (small tensors in full,
        larger ones as min/mean/max; the SVG tooltip of a node lists every value).
        Intermediate tensors have a ``.grad`` only if ``retain_grad()`` was called before
        backward — ``retain_grads(output)`` does it for the whole graph, so that every δ of
        the backward pass (S13–S15) is shown. A tensor named ``u1``, ``u2``, … (the
        document's pre-activations) has its gradient written δ1, δ2, … (S13).
    show_formula : bool
        Write each op's local derivative (``Function.formula``) under its name. Off by
        default: formulas make a network's graph wide.
    names : dict name → Tensor, optional
        Names for tensors (otherwise ``tensor.name``, a parameter's dotted name, or t1, t2…).
        When the forward ran inside ``ag.record_modules(model)`` the recorded model names
        its graph itself (an ``nn.MLP`` with the document's x, W1, u1, y1, …, E and
        column-notation formulas; other models by module path: ``autograd.show.notation``);
        ``names`` adds to those. A graph with parameters but no recorded modules says how
        to get them.
    rankdir : "TB", "LR", "BT" or "RL"
        Direction of the flow from inputs to outputs: top to bottom by default.
    max_ops : int or None
        Draw at most this many op nodes, those nearest the outputs; a note node counts
        the rest. None draws everything.
    show_dtype : bool
        Write each tensor's dtype beside its shape.
    formulas : dict name → text, optional
        The formula shown (with ``show_formula``) for the op that made the tensor of that
        name, instead of the op's own — e.g. the document's column notation for a layer.
    collapse : dict label → (output, inputs), optional
        Draw the ops that compute ``output`` from ``inputs`` (and from any leaf they reach)
        as one node titled ``label``, e.g. ``{"E = ½Σ(t − y)²": (loss, [y])}``.
    lang : "en", "zh" or None
        The language of the drawing's words (roles, "values freed by backward", the
        hints; names and maths stay); None: ``ag.set_language``'s, English by default.
        ``"zh"`` writes 参数, 常量, 叶子节点, 输出 (docs/zh/glossary.md) and names a font
        stack with the common Chinese fonts of Windows, macOS and Linux.

    Tensors are boxes and ops are ellipses, with one edge from a tensor to each op that
    uses it (labelled ×k when the op takes it k times: ``x + x``) and one from each op to
    its result. Outputs are green, parameters orange, other leaves that require grad blue,
    tensors that need no grad grey; the role is also written in the node. Ops made inside
    ``autograd.scopes.record_modules(model)`` are boxed per module call (nested clusters
    labelled ``layers.0: Linear(3→4)``), with each module's parameters.

    Displays itself in Jupyter; ``.render(path, format="svg")`` writes a file. Rendering
    runs Graphviz's ``dot``, else graphviz-pure, and raises ``GraphvizNotFound`` (saying
    how to install one) without either; ``.source`` is the DOT text in any case.
    """
    check_names(names, "draw")
    check_layout("draw", rankdir, collapse)
    outputs = output_tensors(tensors, "draw")
    view = walk(outputs)
    with language(lang):
        told = notation(view, outputs[0]) if len(outputs) == 1 else Notation()
        names = {**told.names, **(names or {})}
        formulas = {**{k: v for k, v in told.formulas.items() if k in names},
                    **(formulas or {})}
        return drawing(view, show_data, show_grad, show_formula, names, rankdir, max_ops,
                       show_dtype, formulas, collapse, hint=told.hint).dot


@dataclass
class Drawn:
    """A drawing and the Graphviz names of what it shows: ``ops`` (id(op) → ``op3``),
    ``tensors`` (tensor key → ``tensor5``) and the ``drawn`` ops."""

    dot: Any
    ops: dict[int, str]
    tensors: dict[int, str]
    drawn: list[Function]


def drawing(view: GraphView, show_data: bool = True, show_grad: bool = True,
            show_formula: bool = False, names: dict[str, Tensor] | None = None,
            rankdir: str = "TB", max_ops: int | None = 500, show_dtype: bool = False,
            formulas: dict[str, str] | None = None,
            collapse: dict[str, tuple[Tensor, Sequence[Tensor]]] | None = None,
            reserved: dict[int, tuple[str, list[list[str]]]] | None = None,
            hint: str = "", **graph_attr: str) -> Drawn:
    """``draw`` of a graph already read (``walk``), keeping the names of its Graphviz
    nodes; ``reserved`` (tensor key → gradient caption and texts) gives tensors a
    gradient's place beside their data, ``graph_attr`` sets Graphviz graph attributes."""
    if max_ops is not None and max_ops < 0:
        raise ValueError(f"draw: max_ops must be None or ≥ 0, got {max_ops}")
    labels = tensor_labels(view, names)
    groups = collapsed_ops(view, collapse or {})
    labels.update((tensor_key(output), label) for label, (output, _) in (collapse or {}).items())
    keys = {name: key for key, name in labels.items()}
    unknown = [name for name in formulas or {} if name not in keys]
    if unknown:
        raise ValueError(f"draw: formulas= names no tensor of the graph: {', '.join(unknown)}")
    op_formulas = {keys[name]: text for name, text in (formulas or {}).items()}
    drawable = [node for node in view.ops if id(node) not in groups]
    kept = drawable if max_ops is None else drawable[:max_ops]
    dot = digraph("computation graph", rankdir=rankdir, **graph_attr)
    clusters = _Clusters(dot, kept)
    # the cluster of each tensor: its op's module, or for a parameter the module owning it
    home = {id(p): scope for node in kept if isinstance(node.scope, ModuleScope)
            for scope in node.scope.chain() for _, p in scope.parameters}
    home.update((id(node), node.scope) for node in kept if isinstance(node.scope, ModuleScope))
    node_ids: dict[int, str] = {}
    op_ids: dict[int, str] = {}

    def add_tensor(key: int) -> str:
        if key not in node_ids:
            t = view.tensors[key]
            node_ids[key] = f"tensor{len(node_ids) + 1}"
            kind = role(t, key in view.roots)
            clusters.container(home.get(key)).node(
                node_ids[key],
                tensor_label(t, labels[key], kind, show_data, show_grad, show_dtype,
                             (reserved or {}).get(key), compact=reserved is not None),
                tooltip=tensor_tooltip(t, labels[key], show_data, show_grad), shape="box",
                style="rounded,filled", fillcolor=FILLS[kind],
                fontcolor="#777777" if kind == "constant" else "black",
                penwidth="2" if kind == "output" else "1")
        return node_ids[key]

    for key in view.roots:
        if view.tensors[key].grad_fn is None:
            add_tensor(key)
    for i, node in enumerate(kept, start=1):
        op_id = op_ids[id(node)] = f"op{i}"
        formula = op_formulas.get(id(node))
        scope = home.get(id(node))
        caller = (scope.label if scope and scope.path and clusters.box(scope) != id(scope)
                  and reserved is None else "")  # the player's labels are compact
        clusters.container(scope).node(
            op_id, op_label(node, show_formula, formula, caller), shape="ellipse",
            style="filled",
            fillcolor=FILLS["op"], tooltip=dot_lines(formula or node.formula or node.name))
        dot.edge(op_id, add_tensor(id(node)))
        box = clusters.box(home.get(id(node)))
        for key, slots in view.uses[id(node)]:
            tail = add_tensor(key)
            # data entering a box from outside comes from a rank above its parameters,
            # so the box can sit under it instead of beside it
            enters = (box is not None and clusters.box(home.get(key)) != box
                      and role(view.tensors[key], False) != "parameter")
            dot.edge(tail, op_id, label=f"×{len(slots)}" if len(slots) > 1 else None,
                     minlen="2" if enters else None)
    _group_edges(dot, view, groups, add_tensor)
    _note_cut(dot, view, drawable, kept, node_ids, max_ops)
    freed = any(view.tensors[key].freed for key in node_ids if key in view.tensors)
    if freed or hint:
        dot.attr(label=say("draw", "freed_hint") if freed else hint, labelloc="b", fontsize="10",
                 fontcolor="#777777")
    clusters.close()
    return Drawn(dot, op_ids, node_ids, kept)


def collapsed_ops(view: GraphView, collapse: dict[str, tuple[Tensor, Sequence[Tensor]]]
            ) -> dict[int, int]:
    """id(op) → tensor key of its collapsed group's output, for each op inside a group:
    the ops met walking back from the output, stopping at the inputs and at leaves."""
    ops = {id(node) for node in view.ops}
    members: dict[int, int] = {}
    for label, (output, inputs) in collapse.items():
        end = tensor_key(output)
        if end not in ops:
            raise ValueError(f"draw: collapse {label!r}: its output is not made by an op "
                             "of the drawn graph")
        stop = {tensor_key(t) for t in inputs}
        stack = [end]
        while stack:
            key = stack.pop()
            if key in stop or key not in ops or key in members:
                continue
            members[key] = end
            stack.extend(k for k, _ in view.uses[key])
    return members


def _group_edges(dot: Any, view: GraphView, groups: dict[int, int], add_tensor: Any) -> None:
    """One edge from each tensor a collapsed group reads to the group's output node."""
    edges = [(key, end) for op, end in groups.items() for key, _ in view.uses[op]
             if key not in groups]
    for key, end in dict.fromkeys(edges):
        dot.edge(add_tensor(key), add_tensor(end))


def _note_cut(dot: Any, view: GraphView, drawable: list[Function], kept: list[Function],
              node_ids: dict[int, str], max_ops: int | None) -> None:
    """One note node for the ops left out, pointing at the tensors they made."""
    hidden = len(drawable) - len(kept)
    if hidden == 0:
        return
    dot.node("cut", say("draw", "cut", hidden=f"{hidden:,}", max_ops=max_ops), shape="note",
             style="filled",
             fillcolor="#ffcdd2")
    left_out = {id(node) for node in drawable} - {id(node) for node in kept}
    for key, node_id in node_ids.items():
        if key in left_out:
            dot.edge("cut", node_id, style="dashed")


class _Clusters:
    """One nested ``subgraph cluster_…`` per boxed module call scope, created on first use.

    A call gets a box when it owns parameters or made at least two of the drawn ops (a
    lone ``sigmoid`` names itself), and is not the recorded model itself (``path`` "":
    its box would hold everything)."""

    def __init__(self, dot: Any, ops: list[Function]) -> None:
        self.dot = dot
        self.graphs: dict[int, tuple[ModuleScope, Any]] = {}
        made: dict[int, int] = {}
        for node in ops:
            if isinstance(node.scope, ModuleScope):
                for scope in node.scope.chain():
                    made[id(scope)] = made.get(id(scope), 0) + 1
        self.boxed = {id(scope) for node in ops if isinstance(node.scope, ModuleScope)
                      for scope in node.scope.chain()
                      if scope.path and (scope.parameters or made[id(scope)] >= 2)}

    def _chain(self, scope: ModuleScope | None) -> list[ModuleScope]:
        return [s for s in scope.chain() if id(s) in self.boxed] if scope else []

    def box(self, scope: ModuleScope | None) -> int | None:
        """id of the innermost box that holds what ``scope`` made, or None."""
        chain = self._chain(scope)
        return id(chain[-1]) if chain else None

    def container(self, scope: ModuleScope | None) -> Any:
        chain = self._chain(scope)
        for s in chain:
            if id(s) not in self.graphs:
                graph = type(self.dot)(name=f"cluster_{len(self.graphs)}", graph_attr={
                    "label": s.label, "style": "rounded,dashed", "color": "#546e7a"})
                self.graphs[id(s)] = (s, graph)
        return self.graphs[id(chain[-1])][1] if chain else self.dot

    def close(self) -> None:
        """Nest the clusters, innermost first (``subgraph`` copies the body it is given)."""
        for scope, graph in sorted(self.graphs.values(), key=lambda sg: -len(sg[0].chain())):
            outer = self._chain(scope.parent)
            parent = self.graphs[id(outer[-1])][1] if outer else self.dot
            parent.subgraph(graph)
