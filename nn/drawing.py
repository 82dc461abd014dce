"""Pictures of networks: a model's layer diagram, and its computation graph after backward.

Each returns a ``graphviz.Digraph`` (it shows itself in Jupyter;
``.render(path, format="svg")`` writes a file through Graphviz's ``dot`` or, without it,
graphviz-pure; ``.source`` is the DOT text).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

import autograd as ag
from autograd.graph import tensor_key, walk
from autograd.scopes import describe, own_parameters, record_modules, recording
from autograd.show.draw import digraph, draw
from autograd.tensor import Tensor
from autograd.words import language, say
from nn import functional as F
from nn.mlp import MLP
from nn.module import Module
from nn.naming import document_names, layer_formulas

__all__ = ["document_names", "draw_graph", "draw_model", "loss_formula", "loss_graph"]

#: The formula of a known loss by reduction, written with ``{y}`` for the model's output.
LOSS_FORMULAS: dict[Callable, dict[str, str]] = {
    F.mse_loss: {"half_sum": "½Σ(t − {y})²", "sum": "Σ(t − {y})²", "mean": "mean (t − {y})²"},
    F.cross_entropy: {"mean": "−mean log softmax({y})[t]", "sum": "−Σ log softmax({y})[t]"},
    F.binary_cross_entropy: {"mean": "−mean [t log {y} + (1 − t) log(1 − {y})]",
                             "sum": "−Σ [t log {y} + (1 − t) log(1 − {y})]"},
    F.hinge_loss: {"mean": "mean max(0, 1 − t·{y})", "sum": "Σ max(0, 1 − t·{y})"},
}


def loss_formula(loss_fn: Callable, y: str = "y") -> str:
    """``E = ½Σ(t − y)²`` for ``functools.partial(F.mse_loss, reduction="half_sum")``
    (S12), the formula of each loss of ``nn.functional`` by its reduction, and
    ``E = name(y, t)`` for any other function; ``y`` names the model's output."""
    func, reduction = loss_fn, "mean"
    if isinstance(loss_fn, functools.partial) and not loss_fn.args:
        func, reduction = loss_fn.func, loss_fn.keywords.get("reduction", "mean")
    known = LOSS_FORMULAS.get(func, {}).get(reduction)
    if known is not None:
        return "E = " + known.format(y=y)
    name = getattr(func, "__name__", "loss")
    return f"E = {'loss' if name == '<lambda>' else name}({y}, t)"


def draw_graph(model: Module, x: Any, loss_fn: Callable | None = None, t: Any = None,
               expand_loss: bool = False, loss_label: str | None = None,
               **draw_options: Any) -> Any:
    """``model``'s computation graph on input ``x`` in one call: each module call boxed
    with its parameters, parameters by name, and after backward every gradient (every δ).

    Runs ``model(x)`` inside ``record_modules(model)``, then ``E = loss_fn(y, t)``, keeps
    every intermediate gradient (``ag.retain_grads``, before backward) and runs backward,
    then draws. The parameters' ``.grad`` are put back as they were afterwards, so drawing
    leaves the model as it found it (a Dropout in training mode still draws its mask).

    Parameters
    ----------
    model : nn.Module
        For an ``nn.MLP`` the tensors get the document's names (x, W1, b1, u1 = W1 x + b1,
        y1, …, t, E: ``document_names``), the gradient of each u_l is labelled δ_l (S13),
        and ``show_formula=True`` writes each layer's formulas in the document's column
        notation (u = W y + b, ∂E/∂W = δ yᵀ: ``layer_formulas``). Other models name
        parameters by their dotted path (``hidden.weight``), the input x, the output y.
    x : Tensor or array_like
        The input, rows as samples.
    loss_fn, t : callable ``loss_fn(y, t)`` and its target, optional
        Without a loss only the forward pass is drawn (values, no gradients).
    expand_loss : bool
        Draw the loss's own ops; by default it is one node, ``E = ½Σ(t − y2)²``.
    loss_label : str, optional
        The title of that node, when ``loss_formula`` does not know the loss.
    **draw_options
        Passed to ``ag.draw``: ``rankdir`` (``"TB"``), ``show_formula``, ``show_data``,
        ``show_dtype``, ``max_ops``, ``lang`` (``"zh"``: the drawing's words in Chinese) …;
        ``names`` adds to (or overrides) the names above.
    """
    x = x if isinstance(x, Tensor) else ag.Tensor(x, name="x")
    saved = [(p, p.grad) for p in model.parameters()]
    try:
        for p, _ in saved:
            p.grad = None
        with record_modules(model):
            y = model(x)
        output = y if loss_fn is None else loss_fn(y, t)
        names = {**_names(model, output, x, y, t), **draw_options.pop("names", {})}
        collapse = {}
        if loss_fn is not None:
            ag.retain_grads(output)
            output.backward()
            if not expand_loss:
                y_name = next((n for n, v in names.items() if tensor_key(v) == tensor_key(y)), "y")
                collapse = {loss_label or loss_formula(loss_fn, y_name): (output, [y])}
        draw_options.setdefault("formulas", layer_formulas(names))
        return draw(output, names=names, collapse=collapse, **draw_options)
    finally:
        for p, grad in saved:
            p.grad = grad


def _names(model: Module, output: Tensor, x: Tensor, y: Tensor, t: Any) -> dict[str, Tensor]:
    """The document's names for an MLP; x, y, t and E for any other model."""
    if isinstance(model, MLP):
        return document_names(model, output)
    names = {"x": x, "y": y}
    if isinstance(t, Tensor):
        names["t"] = t
    if output is not y:
        names["E"] = output
    return names


def loss_graph(sizes: Sequence[int] = (3, 3, 3), activation: str = "sigmoid", seed: int = 0,
               **draw_options: Any) -> Any:
    """The document's network and error after one backward pass, drawn with every gradient.

    An ``nn.MLP(sizes, activation, output_activation=activation)`` (f at the output too,
    as the document has it; 3-3-3 by default, the document's network), seeded with
    ``seed``, one random input x (standard normal) and target t (uniform in [0, 1)), and
    E = ½ Σ (t − y)² (S12), drawn by ``draw_graph``: tensors named as the document writes
    them (u1 = W1 x + b1, y1 = f(u1), … S11), the δ's of S13–S15 as the gradients of the
    u's, each layer boxed as ``layers.0: Linear(3→3)``.
    """
    ag.manual_seed(seed)
    model = MLP(sizes, activation=activation, output_activation=activation)
    generator = ag.get_generator()
    x = ag.Tensor(generator.standard_normal((1, model.sizes[0])), name="x")
    t = ag.Tensor(generator.random((1, model.sizes[-1])), name="t")
    return draw_graph(model, x, functools.partial(F.mse_loss, reduction="half_sum"), t,
                      **draw_options)


@dataclass(eq=False)
class _Stamp:
    """The scope ``draw_model``'s recorder gives each op: whether a drawn block made it,
    and the class of the module whose forward did."""

    inside_block: bool
    owner: str


class _Timeline:
    """A ``scope_recorder`` listing, in the order they happen, each module call (the
    module) and each op made (a ``_Stamp``, also stored on the op as its scope)."""

    def __init__(self, blocks: set[int]) -> None:
        self.blocks = blocks
        self.stack: list[Any] = []
        self.events: list[Any] = []

    def current(self) -> _Stamp:
        stamp = _Stamp(any(id(m) in self.blocks for m in self.stack),
                       type(self.stack[-1]).__name__ if self.stack else "")
        self.events.append(stamp)
        return stamp

    @contextmanager
    def enter(self, module: Any) -> Iterator[None]:
        self.events.append(module)
        self.stack.append(module)
        try:
            yield
        finally:
            self.stack.pop()


def _blocks(model: Module, example: Any) -> list[tuple[str, Any]]:
    """What to draw, in the order a forward pass on ``example`` meets it: modules without
    children or with parameters of their own, and ops that no such module made (an
    activation applied as a Tensor method, ``x.relu()``), as ``(path, module)`` or
    ``("", op)`` (registration order, modules only, without an example)."""
    named = [(path, m) for path, m in model.named_modules()
             if next(m.children(), None) is None or own_parameters(m)]
    if example is None:
        return named
    paths = {id(m): path for path, m in named}
    timeline = _Timeline(set(paths))
    if not isinstance(example, Tensor) and np.asarray(example).dtype.kind == "f":
        example = ag.Tensor(example, requires_grad=True)  # so ops on the input are recorded
    with recording(timeline), ag.enable_grad():
        output = model(example)
    made = {id(node.scope): node for node in walk([output]).ops} if isinstance(
        output, Tensor) else {}
    blocks: list[tuple[str, Any]] = []
    for event in timeline.events:
        if isinstance(event, _Stamp):
            if id(event) in made and not event.inside_block:
                blocks.append(("", (made[id(event)], event.owner)))
        elif id(event) in paths and all(m is not event for _, m in blocks):
            blocks.append((paths[id(event)], event))
    return blocks


def _block_label(path: str, block: Any) -> tuple[str, bool]:
    """HTML lines of a block's box, and whether it holds parameters."""
    if isinstance(block, tuple):  # an op made by a forward itself
        node, owner = block
        made = say("model", "op_in", owner=owner) if owner else say("model", "op")
        return f"<B>{html.escape(node.name)}</B><BR/><I>{html.escape(made)}</I>", False
    params = own_parameters(block)
    title = f"{path}: {describe(block)}" if path else describe(block)
    lines = [f"<B>{html.escape(title)}</B>"]
    lines += [html.escape(f"{name} {tuple(p.shape)}") for name, p in params]
    if params:
        count = f"{sum(p.size for _, p in params):,}"
        lines.append(f"<I>{html.escape(say('model', 'parameters', count=count))}</I>")
    return "<BR/>".join(lines), bool(params)


def draw_model(model: Module, example: Any = None, rankdir: str = "TB",
               lang: str | None = None) -> Any:
    """A block diagram of ``model``: one box per layer, in the order data flows through.

    Each box names the module (``layers.0: Linear(2→3)``), its parameters with their
    shapes, and its parameter count (for a Linear layer, the document's W_l and b_l of
    S11: out·in + out numbers); the title gives the total. The order is found by running
    ``model(example)`` with the graph recorded (the parameters' gradients untouched); ops
    a forward applies itself — ``self.hidden(x).relu()`` — get a box of their own. For an
    ``nn.MLP`` a zero input of ``sizes[0]`` features is used when ``example`` is None,
    for other models registration order (modules only). ``lang="zh"`` writes its words in
    Chinese (输入, 输出, 参数); None: ``ag.set_language``'s, English by default.
    """
    with language(lang):
        return _draw_model(model, example, rankdir)


def _draw_model(model: Module, example: Any, rankdir: str) -> Any:
    if example is None and isinstance(model, MLP):
        example = np.zeros((1, model.sizes[0]))
    blocks = _blocks(model, example)
    total = sum(p.size for p in model.parameters())
    dot = digraph("model", rankdir=rankdir, labelloc="t",
                  label=say("model", "title", model=type(model).__name__, count=f"{total:,}"))
    previous = "input"
    dot.node(previous, say("model", "input"), shape="ellipse")
    for i, (path, block) in enumerate(blocks, start=1):
        text, has_parameters = _block_label(path, block)
        dot.node(f"m{i}", f"<{text}>", shape="box", style="rounded,filled",
                 fillcolor="#ffe0b2" if has_parameters else "#e3f2fd")
        width = getattr(block, "in_features", None)
        dot.edge(previous, f"m{i}", label=str(width) if width else None)
        previous = f"m{i}"
    dot.node("output", say("model", "output"), shape="ellipse")
    width = next((getattr(m, "out_features", None) for _, m in reversed(blocks)
                  if hasattr(m, "out_features")), None)
    dot.edge(previous, "output", label=str(width) if width else None)
    return dot
