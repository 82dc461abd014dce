"""Pictures of networks: a model's layer diagram, and a small MLP's loss graph.

Both return a ``graphviz.Digraph`` from ``autograd.viz`` (it shows itself in Jupyter;
``.render(path, format="svg")`` writes a file when the Graphviz ``dot`` program is
installed; ``.source`` is the DOT text).
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

import autograd as ag
from autograd.scopes import (
    ModuleRecorder,
    ModuleScope,
    describe,
    own_parameters,
    record_modules,
    recording,
)
from autograd.viz import digraph, draw, retain_grads
from nn import functional as F
from nn.mlp import MLP
from nn.module import Module
from nn.naming import document_names

__all__ = ["document_names", "draw_model", "loss_graph"]


class _CallOrder(ModuleRecorder):
    """A recorder that also lists the modules in the order their forward starts."""

    def __init__(self, model: Module) -> None:
        super().__init__(model)
        self.calls: list[Module] = []

    @contextmanager
    def enter(self, module: Any) -> Iterator[ModuleScope]:
        self.calls.append(module)
        with super().enter(module) as scope:
            yield scope


def _blocks(model: Module, example: Any) -> list[tuple[str, Module]]:
    """The modules to draw — those without children, or with parameters of their own —
    in the order a forward pass on ``example`` calls them (registration order without one).
    """
    named = [(path, m) for path, m in model.named_modules()
             if next(m.children(), None) is None or own_parameters(m)]
    if example is None:
        return named
    recorder = _CallOrder(model)
    with recording(recorder), ag.no_grad():
        model(example)
    rank = {id(m): i for i, m in reversed(list(enumerate(recorder.calls)))}
    return sorted((pm for pm in named if id(pm[1]) in rank), key=lambda pm: rank[id(pm[1])])


def draw_model(model: Module, example: Any = None, rankdir: str = "LR") -> Any:
    """A block diagram of ``model``: one box per layer, in the order data flows through.

    Each box names the module (``layers.0: Linear(2→3)``), its parameters with their
    shapes, and its parameter count (for a Linear layer, the document's W_l and b_l of
    S11: out·in + out numbers); the title gives the total. The order is found by running
    ``model(example)`` under ``no_grad``; for an ``nn.MLP`` a zero input of ``sizes[0]``
    features is used when ``example`` is None, for other models registration order.
    """
    if example is None and isinstance(model, MLP):
        example = np.zeros((1, model.sizes[0]))
    blocks = _blocks(model, example)
    total = sum(p.size for p in model.parameters())
    dot = digraph("model", rankdir=rankdir, labelloc="t",
                  label=f"{type(model).__name__}: {total:,} parameters")
    previous = "input"
    dot.node(previous, "input", shape="ellipse")
    for i, (path, module) in enumerate(blocks, start=1):
        params = own_parameters(module)
        lines = [f"<B>{html.escape(f'{path}: {describe(module)}' if path else describe(module))}"
                 "</B>"]
        lines += [html.escape(f"{name} {tuple(p.shape)}") for name, p in params]
        if params:
            lines.append(f"<I>{sum(p.size for _, p in params):,} parameters</I>")
        dot.node(f"m{i}", "<" + "<BR/>".join(lines) + ">", shape="box", style="rounded,filled",
                 fillcolor="#ffe0b2" if params else "#e3f2fd")
        width = getattr(module, "in_features", None)
        dot.edge(previous, f"m{i}", label=str(width) if width else None)
        previous = f"m{i}"
    dot.node("output", "output", shape="ellipse")
    width = next((getattr(m, "out_features", None) for _, m in reversed(blocks)
                  if hasattr(m, "out_features")), None)
    dot.edge(previous, "output", label=str(width) if width else None)
    return dot


def loss_graph(sizes: Sequence[int], activation: str = "sigmoid", seed: int = 0) -> Any:
    """The document's network and error after one backward pass, drawn with every gradient.

    An ``nn.MLP(sizes, activation, output_activation=activation)`` (f at the output too,
    as the document has it), seeded with ``seed``, one random input x (standard normal)
    and target t (uniform in [0, 1)), and E = ½ Σ (t − y)² (S12). Tensors are named as
    the document writes them — u1 = W1 x + b1, y1 = f(u1), … (S11) — every intermediate
    keeps its gradient (the δ's of S13–S15 are the gradients of the u's), and each
    layer is boxed as ``layers.0: Linear(2→3)``.
    """
    ag.manual_seed(seed)
    model = MLP(sizes, activation=activation, output_activation=activation)
    generator = ag.get_generator()
    x = ag.Tensor(generator.standard_normal((1, model.sizes[0])), name="x")
    t = ag.Tensor(generator.random((1, model.sizes[-1])), name="t")
    names = {}
    y = x
    with record_modules(model):  # the MLP's forward, one layer at a time to name u and y
        for l, (layer, f) in enumerate(zip(model.layers, model.activations, strict=True), 1):
            u = layer(y)
            y = f(u)
            names.update({f"W{l}": layer.weight, f"b{l}": layer.bias, f"u{l}": u, f"y{l}": y})
    loss = F.mse_loss(y, t, reduction="half_sum")
    names["E"] = loss
    retain_grads(loss)
    loss.backward()
    return draw(loss, names=names)
