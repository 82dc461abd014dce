"""The document's layer picture of a recorded MLP, stepped through with the same frames.

One column per layer — x, then u_l, y_l and δ_l = ∂E/∂u_l as column vectors — with W_l
(and ∂E/∂W_l once it arrives) on the edge between columns l − 1 and l (S11). The picture
names the graph's nodes (``tensor7``) whose values and gradients it shows; the player
reads their state from the frames, as the graph does. Each backward step adds its
equation of S12–S16 with the numbers filled in (``equations``):

- the loss: ∂E/∂y_L, e.g. y_L − t for E = ½ Σ (t − y_L)² (S12, S13);
- an activation: δ_l = ∂E/∂y_l ∘ f′(u_l) (S14, S15);
- a linear layer: ∂E/∂W_l = δ_l y_{l−1}ᵀ, ∂E/∂b_l = δ_l (S16) and what it sends back,
  ∂E/∂y_{l−1} = W_lᵀ δ_l (S15).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.graph import tensor_key
from autograd.show.notation import DERIVATIVES
from autograd.show.player.frames import Move, text_cell, value_cell
from autograd.show.player.words import say
from autograd.show.values import cells as grid_cells
from autograd.tensor import Tensor


def _column(values: Any) -> Any:
    """A vector (1-D, or one sample's row) as the document writes it: a column."""
    a = np.asarray(values)
    return a.reshape(-1, 1) if a.ndim == 1 or (a.ndim == 2 and a.shape[0] == 1) else a


def depth(names: dict[str, Tensor]) -> int:
    """L, the number of layers named u1 … uL with their W1 … WL (0: no layer picture)."""
    layers = 0
    while f"u{layers + 1}" in names and f"W{layers + 1}" in names:
        layers += 1
    return layers if layers and "x" in names else 0


def picture(names: dict[str, Tensor], ids: dict[int, str]) -> dict[str, Any] | None:
    """The columns and edges for player.js: each entry names a graph node and gives its
    values as a column grid (a matrix stays a matrix); None without layers."""
    layers = depth(names)
    if not layers:
        return None
    values: dict[str, Any] = {}

    def entry(name: str) -> list[Any] | None:
        t = names.get(name)
        if t is None or tensor_key(t) not in ids:
            return None
        node = ids[tensor_key(t)]
        values[node] = {"grid": grid_cells(_column(t.data))}
        return [name, node]

    columns = [[entry("x")]]
    edges = []
    for l in range(1, layers + 1):
        columns.append([e for e in (entry(f"u{l}"), entry(f"y{l}")) if e])
        edges.append([e for e in (entry(f"W{l}"), entry(f"b{l}")) if e])
    return {"columns": columns, "edges": edges, "values": values}


def equations(move: Move, names: dict[str, Tensor], labels: dict[int, str]) -> list[list[Any]]:
    """The rows of S12–S16 a backward move computes, numbers filled in (empty when the
    move is no step of the layer picture)."""
    sent = {labels[key]: g for key, g in move.sends}
    out = move.output
    layers = depth(names)
    if layers == 0:
        return []
    if out == "E":
        last = f"y{layers}" if f"y{layers}" in names else f"u{layers}"
        if last not in sent:
            return []
        return [text_cell(say("error_gradient", y=last), ""),
                value_cell(f"∂E/∂{last}", _column(sent[last]))]
    if out.startswith("y") and out[1:].isdigit():
        l = out[1:]
        if f"u{l}" not in sent:
            return []
        rows = [text_cell(f"δ{l} = ∂E/∂y{l} ∘ f′(u{l})   (S14, S15)", ""),
                value_cell(f"∂E/∂y{l}", _column(move.incoming))]
        op = names[out].grad_fn.name if names[out].grad_fn is not None else ""
        if op in DERIVATIVES:
            text, f = DERIVATIVES[op]
            u, y = names[f"u{l}"].data, names[out].data
            rows.append(value_cell(f"f′(u{l}) = {text(l)}", _column(f(u, y))))
        rows.append(value_cell(f"δ{l}", _column(sent[f"u{l}"])))
        return rows
    if out.startswith("u") and out[1:].isdigit():
        l = int(out[1:])
        before = "x" if l == 1 else f"y{l - 1}" if f"y{l - 1}" in names else f"u{l - 1}"
        rows = [text_cell(f"∂E/∂W{l} = δ{l} {before}ᵀ   (S16)", "")]
        if f"W{l}" in sent:
            rows.append(value_cell(f"∂E/∂W{l}", sent[f"W{l}"]))
        if f"b{l}" in sent:
            rows.append(value_cell(f"∂E/∂b{l} = δ{l}", _column(sent[f"b{l}"])))
        if before in sent and l > 1:
            rows += [text_cell(f"∂E/∂{before} = W{l}ᵀ δ{l}   (S15)", ""),
                     value_cell(f"∂E/∂{before}", _column(sent[before]))]
        return rows
    return []
