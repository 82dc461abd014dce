"""Drawing computation graphs: ``draw`` reads a graph and returns a ``graphviz.Digraph``.

Nothing here changes a graph or a gradient; the engine does not know this module exists.
The graph is walked iteratively from the outputs (breadth first), so a graph of 100,000
ops produces DOT source; beyond ``max_ops`` the ops farthest from the outputs are left
out and one note node says how many. ``graphviz`` is imported only when drawing.
"""

from __future__ import annotations

import functools
import html
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.scopes import ModuleScope
from autograd.tensor import Tensor

#: Tensors with at most this many entries are shown in full, larger ones as min/mean/max.
SMALL = 16

#: Fill colours by role (the role is also written in the node, for readers without colour).
FILLS = {"output": "#c8e6c9", "parameter": "#ffe0b2", "leaf": "#bbdefb",
         "constant": "#eeeeee", "": "#ffffff", "op": "#fff9c4"}

INSTALL_HINT = (
    "rendering needs the Graphviz 'dot' program, which is not on PATH; install it with "
    "'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or "
    "'conda install graphviz', or from https://graphviz.org/download/ — the DOT text is "
    "available without it as .source"
)


#: What a node shows for a tensor whose values backward freed, and how to keep them.
FREED = "values freed by backward"
FREED_HINT = ("values freed by backward: call ag.retain_grads(output) before "
              "output.backward() to keep every value and gradient")


class GraphvizNotFound(RuntimeError):
    """Raised by ``render``/``pipe`` of a drawing when the ``dot`` program is missing;
    the error raised is also a ``graphviz.ExecutableNotFound``, so code written for
    graphviz catches it too."""


def format_values(values: Any) -> str:
    """Small arrays in full (4 significant digits), larger ones as min/mean/max."""
    a = np.asarray(values)
    if a.size <= SMALL:
        return np.array2string(a, separator=", ", max_line_width=60,
                               formatter={"float_kind": _g})
    return f"min {_g(a.min())}  mean {_g(a.mean())}  max {_g(a.max())}"


def _g(v: Any) -> str:
    return f"{v:.4g}"


def tensor_key(t: Tensor) -> int:
    """One graph vertex per tensor: a non-leaf is identified by the op that made it (an
    op has one output, possibly wrapped by several Tensor objects), a leaf by itself."""
    return id(t.grad_fn) if t.grad_fn is not None else id(t)


@dataclass
class GraphView:
    """A graph read from its outputs: ``roots`` (tensor keys of the outputs), ``tensors``
    (key → the Tensor shown for it), ``ops`` (breadth first from the outputs) and
    ``uses`` (id(op) → ``[(tensor key, input slots)]``, one entry per distinct input)."""

    roots: list[int]
    tensors: dict[int, Tensor]
    ops: list[Function]
    uses: dict[int, list[tuple[int, list[int]]]]


def walk(outputs: Sequence[Tensor]) -> GraphView:
    """Read the graph behind ``outputs`` without recursion and without changing it."""
    roots: list[int] = []
    tensors: dict[int, Tensor] = {}
    queue: deque[Function] = deque()
    seen: set[int] = set()

    def visit(t: Tensor) -> int:
        if t.freed and isinstance(t.live(), Tensor):  # freed by backward, held elsewhere
            t = t.live()
        key = tensor_key(t)
        tensors.setdefault(key, t)
        if t.grad_fn is not None and key not in seen:
            seen.add(key)
            queue.append(t.grad_fn)
        return key

    for t in outputs:
        key = visit(t)
        if key not in roots:
            roots.append(key)
    ops: list[Function] = []
    uses: dict[int, list[tuple[int, list[int]]]] = {}
    while queue:
        node = queue.popleft()
        ops.append(node)
        slots: dict[int, list[int]] = {}
        for slot, x in enumerate(node.inputs):
            if isinstance(x, Tensor):
                slots.setdefault(visit(x), []).append(slot)
        uses[id(node)] = list(slots.items())
    for node in ops:  # the tensor that retain_grad() was called on carries the gradient
        retained = node.retained() if node.retained is not None else None
        if retained is not None:
            tensors[id(node)] = retained
    return GraphView(roots, tensors, ops, uses)


def _outputs(tensors: Tensor | Sequence[Tensor], caller: str) -> list[Tensor]:
    outputs = list(tensors) if isinstance(tensors, list | tuple) else [tensors]
    for t in outputs:
        if not isinstance(t, Tensor):
            hint = ("; for a model's layer diagram use nn.drawing.draw_model(model)"
                    if hasattr(t, "named_parameters") else "")
            raise TypeError(f"{caller}: expected a Tensor or a sequence of Tensors, "
                            f"got {type(t).__name__}{hint}")
    return outputs


def tensor_labels(view: GraphView, names: dict[str, Tensor] | None = None) -> dict[int, str]:
    """A name per tensor: from ``names``, else ``tensor.name``, else the parameter's
    dotted name in a recorded module, else ``t1, t2, …`` in forward order."""
    labels = {tensor_key(t): name for name, t in (names or {}).items()}
    for key, t in view.tensors.items():
        if key not in labels and t.name:
            labels[key] = t.name
    for node in view.ops:
        if isinstance(node.scope, ModuleScope):
            for scope in node.scope.chain():
                for name, p in scope.parameters:
                    labels.setdefault(id(p), f"{scope.path}.{name}" if scope.path else name)
    # numbered from the inputs towards the outputs (reversed breadth-first order)
    keys = [k for node in reversed(view.ops) for k in [*dict(view.uses[id(node)]), id(node)]]
    counter = 0
    for key in [*keys, *view.roots]:
        if key not in labels:
            counter += 1
            labels[key] = f"t{counter}"
    return labels


def role(t: Tensor, is_output: bool) -> str:
    """output, parameter (``nn.Parameter``, found by class name), leaf, constant or ''."""
    if is_output:
        return "output"
    if not t.requires_grad:
        return "constant"
    if t.grad_fn is None:
        parameter = any(c.__name__ == "Parameter" for c in type(t).__mro__)
        return "parameter" if parameter else "leaf"
    return ""


def _html(text: str) -> str:
    return "<BR/>".join(html.escape(line) for line in text.split("\n"))


def _rows(*rows: str) -> str:
    body = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows if row)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{body}</TABLE>>'


def tensor_label(t: Tensor, name: str, kind: str, show_data: bool, show_grad: bool) -> str:
    """HTML label: name and role, shape and dtype, data, gradient (when there is one)."""
    title = f"<B>{html.escape(name)}</B>" + (f"  <I>{kind}</I>" if kind else "")
    shape = f'<FONT POINT-SIZE="10">{html.escape(str(t.shape))} {t.dtype}</FONT>'
    data = ""
    if t.freed:
        data = f'<FONT COLOR="#777777"><I>{FREED}</I></FONT>'
    elif show_data:
        data = _html("data " + format_values(t.data))
    grad = ""
    if show_grad and t._grad is not None:
        grad = f'<FONT COLOR="#b71c1c">{_html("grad " + format_values(t._grad.data))}</FONT>'
    return _rows(title, shape, data, grad)


def op_label(node: Function, show_formula: bool) -> str:
    """HTML label: the op name — in call form ``mul(·, 2)`` when it has constant
    arguments, ``·`` marking tensor inputs, trailing None/False defaults left out — and
    optionally its local derivative."""
    title = node.name
    inputs = list(node.inputs)
    while inputs and (inputs[-1] is None or inputs[-1] is False):
        inputs.pop()  # trailing defaults: sum(·) rather than sum(·, None, False)
    if any(not isinstance(x, Tensor) for x in inputs):
        args = ", ".join("·" if isinstance(x, Tensor) else _short(x) for x in inputs)
        title = f"{node.name}({args})"
    formula = node.formula if show_formula else ""
    small = f'<FONT POINT-SIZE="10">{html.escape(formula)}</FONT>' if formula else ""
    return _rows(f"<B>{html.escape(title)}</B>", small)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return format_values(value) if value.size <= 4 else f"array{value.shape}"
    text = str(value) if isinstance(value, np.dtype) else repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def draw(tensors: Tensor | Sequence[Tensor], show_data: bool = True, show_grad: bool = True,
         show_formula: bool = False, names: dict[str, Tensor] | None = None,
         rankdir: str = "LR", max_ops: int | None = 500) -> Any:
    """The computation graph behind one or several output tensors, as a graphviz.Digraph.

    Parameters
    ----------
    tensors : Tensor or sequence of Tensors
        The outputs; everything they were computed from is drawn.
    show_data, show_grad : bool
        Write each tensor's values / its ``.grad`` into its node (small tensors in full,
        larger ones as min/mean/max). Intermediate tensors have a ``.grad`` only if
        ``retain_grad()`` was called before backward — ``retain_grads(output)`` does it
        for the whole graph, so that every δ of the backward pass (S13–S15) is shown.
    show_formula : bool
        Write each op's local derivative (``Function.formula``) under its name. Off by
        default: formulas make a network's graph wide.
    names : dict name → Tensor, optional
        Names for tensors (otherwise ``tensor.name``, a parameter's dotted name, or t1, t2…).
    rankdir : "LR", "TB", "RL" or "BT"
        Direction of the flow from inputs to outputs.
    max_ops : int or None
        Draw at most this many op nodes, those nearest the outputs; a note node counts
        the rest. None draws everything.

    Tensors are boxes and ops are ellipses, with one edge from a tensor to each op that
    uses it (labelled ×k when the op takes it k times: ``x + x``) and one from each op to
    its result. Outputs are green, parameters orange, other leaves that require grad blue,
    tensors that need no grad grey; the role is also written in the node. Ops made inside
    ``autograd.scopes.record_modules(model)`` are boxed per module call (nested clusters
    labelled ``layers.0: Linear(3→4)``), with each module's parameters.

    Displays itself in Jupyter; ``.render(path, format="svg")`` writes a file. Rendering
    needs the Graphviz ``dot`` program and raises ``GraphvizNotFound`` (saying how to
    install it) without it; ``.source`` is the DOT text in any case.
    """
    if max_ops is not None and max_ops < 0:
        raise ValueError(f"draw: max_ops must be None or ≥ 0, got {max_ops}")
    view = walk(_outputs(tensors, "draw"))
    labels = tensor_labels(view, names)
    kept = view.ops if max_ops is None else view.ops[:max_ops]
    dot = digraph("computation graph", rankdir=rankdir)
    clusters = _Clusters(dot)
    # the cluster of each tensor: its op's module, or for a parameter the module owning it
    home = {id(p): scope for node in kept if isinstance(node.scope, ModuleScope)
            for scope in node.scope.chain() for _, p in scope.parameters}
    home.update((id(node), node.scope) for node in kept if isinstance(node.scope, ModuleScope))
    node_ids: dict[int, str] = {}

    def add_tensor(key: int) -> str:
        if key not in node_ids:
            t = view.tensors[key]
            node_ids[key] = f"tensor{len(node_ids) + 1}"
            kind = role(t, key in view.roots)
            clusters.container(home.get(key)).node(
                node_ids[key], tensor_label(t, labels[key], kind, show_data, show_grad),
                shape="box", style="rounded,filled", fillcolor=FILLS[kind],
                fontcolor="#777777" if kind == "constant" else "black",
                penwidth="2" if kind == "output" else "1")
        return node_ids[key]

    for key in view.roots:
        if view.tensors[key].grad_fn is None:
            add_tensor(key)
    for i, node in enumerate(kept, start=1):
        op_id = f"op{i}"
        clusters.container(home.get(id(node))).node(
            op_id, op_label(node, show_formula), shape="ellipse", style="filled",
            fillcolor=FILLS["op"])
        dot.edge(op_id, add_tensor(id(node)))
        for key, slots in view.uses[id(node)]:
            tail = add_tensor(key)
            dot.edge(tail, op_id, label=f"×{len(slots)}" if len(slots) > 1 else None)
    _note_cut(dot, view, kept, node_ids, max_ops)
    if any(view.tensors[key].freed for key in node_ids):
        dot.attr(label=FREED_HINT, labelloc="b", fontsize="10", fontcolor="#777777")
    clusters.close()
    return dot


def _note_cut(dot: Any, view: GraphView, kept: list[Function], node_ids: dict[int, str],
              max_ops: int | None) -> None:
    """One note node for the ops left out, pointing at the tensors they made."""
    hidden = len(view.ops) - len(kept)
    if hidden == 0:
        return
    dot.node("cut", f"⋯ {hidden:,} more ops not drawn (max_ops={max_ops}; "
                    "draw(..., max_ops=None) draws all)", shape="note", style="filled",
             fillcolor="#ffcdd2")
    drawn_ops = {id(node) for node in kept}
    for key, node_id in node_ids.items():
        t = view.tensors[key]
        if t.grad_fn is not None and id(t.grad_fn) not in drawn_ops:
            dot.edge("cut", node_id, style="dashed")


class _Clusters:
    """One nested ``subgraph cluster_…`` per module call scope, created on first use."""

    def __init__(self, dot: Any) -> None:
        self.dot = dot
        self.graphs: dict[int, tuple[ModuleScope, Any]] = {}

    def container(self, scope: ModuleScope | None) -> Any:
        if scope is None:
            return self.dot
        for s in scope.chain():
            if id(s) not in self.graphs:
                graph = type(self.dot)(name=f"cluster_{len(self.graphs)}", graph_attr={
                    "label": s.label, "style": "rounded,dashed", "color": "#546e7a"})
                self.graphs[id(s)] = (s, graph)
        return self.graphs[id(scope)][1]

    def close(self) -> None:
        """Nest the clusters, innermost first (``subgraph`` copies the body it is given)."""
        for scope, graph in sorted(self.graphs.values(), key=lambda sg: -len(sg[0].chain())):
            parent = self.graphs[id(scope.parent)][1] if scope.parent else self.dot
            parent.subgraph(graph)


def digraph(name: str, **graph_attr: str) -> Any:
    """An empty graphviz.Digraph (Helvetica 11 nodes) whose ``render``, ``pipe`` and
    Jupyter display explain how to install Graphviz when ``dot`` is missing."""
    return _drawing_class()(name=name, graph_attr=graph_attr,
                            node_attr={"fontname": "Helvetica", "fontsize": "11"})


@functools.cache
def _missing_dot_error() -> type:
    import graphviz

    class MissingDot(GraphvizNotFound, graphviz.ExecutableNotFound):
        def __init__(self, message: str) -> None:
            RuntimeError.__init__(self, message)

    return MissingDot


@contextmanager
def _explain_missing_dot() -> Iterator[None]:
    import graphviz

    try:
        yield
    except graphviz.ExecutableNotFound as error:
        if isinstance(error, GraphvizNotFound):
            raise
        raise _missing_dot_error()(INSTALL_HINT) from error


@functools.cache
def _drawing_class() -> type:
    """graphviz.Digraph whose rendering says how to install Graphviz when ``dot`` is
    missing (built on first use, so importing autograd does not import graphviz)."""
    import graphviz

    class Drawing(graphviz.Digraph):
        def render(self, *args: Any, **kwargs: Any) -> Any:
            with _explain_missing_dot():
                return super().render(*args, **kwargs)

        def pipe(self, *args: Any, **kwargs: Any) -> Any:
            with _explain_missing_dot():
                return super().pipe(*args, **kwargs)

        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                              **kwargs: Any) -> dict:
            try:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            except GraphvizNotFound as error:  # show the DOT text instead of a traceback
                return {"text/plain": f"{error}\n\n{self.source}"}

    return Drawing
