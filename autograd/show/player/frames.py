"""The animation's steps as plain data, read from the recorded pass (``ag.explain``).

One frame per step: the forward pass op by op (optional), then the backward pass in the
engine's order. Ops drawn as one node (the loss, ``collapse``) are one step: its
incoming gradient is the output's, it sends what its ops sent out of the group. A frame
names what it highlights (``current`` nodes, ``edges``), the node states and gradient
texts it changes (``states``, ``grads``: changes, applied in order from frame 0 on a
neutral picture; a gradient is its caption then one text per grid cell), the panel's
rows (``cells``: name, text, and for a value the grid ``table`` of its numbers), for
a backward step the quiz questions (one per gradient sent) and the layer view's
equations (``layer``, ``autograd.show.player.layers``). The player (player.js) and
``Animation.save_frames`` only apply these changes; neither computes anything about the
pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.graph import GraphView, tensor_key
from autograd.show.explain import Explanation, Step
from autograd.show.latex import pre_activation_layer
from autograd.show.player.words import say
from autograd.show.values import cells as grid_cells
from autograd.show.values import format_values, value_lines

#: A sent gradient with at most this many entries is asked entry by entry in the quiz;
#: a larger one by its first entry only.
QUIZ_ENTRIES = 9


@dataclass
class Frame:
    """One step of the player (see the module docstring)."""

    phase: str
    title: str
    current: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    states: dict[str, str] = field(default_factory=dict)
    grads: dict[str, list[str]] = field(default_factory=dict)
    cells: list[list[Any]] = field(default_factory=list)
    quiz: list[dict[str, Any]] = field(default_factory=list)
    layer: list[list[Any]] = field(default_factory=list)


@dataclass
class Move:
    """One backward step as the player shows it: an op, or a collapsed group of ops.
    ``node`` is the Graphviz name of what is highlighted (the op, or the group's result),
    ``sends`` ``(tensor key, gradient)`` per gradient sent out, ``steps`` the indices of
    ``explain``'s steps it stands for."""

    node: str
    out: int
    op: str
    formula: str
    output: str
    incoming: np.ndarray
    contributions: list[tuple[int, np.ndarray]]
    sends: list[tuple[int, np.ndarray]]
    steps: list[int]


def partial(label: str) -> str:
    """∂E/∂label, the label in parentheses when it is an expression (``y2 − t``)."""
    return f"∂E/∂({label})" if " " in label else f"∂E/∂{label}"


def _one_line(values: Any) -> str:
    return " ".join(format_values(values).split())


def value_cell(name: str, values: Any, role: str = "") -> list[Any]:
    """A panel row: its name, the values as text, as a grid when they are one, and its
    role for the player (``local``, ``incoming``, ``sends``, ``sent``: the quiz hides
    sent gradients and its hint points at the local derivative and the incoming one)."""
    return [name, "\n".join(value_lines(values)), grid_cells(values), role]


def text_cell(name: str, text: str, role: str = "") -> list[Any]:
    """A panel row of text (a heading when ``text`` is empty)."""
    return [name, text, None, role]


def delta_name(label: str) -> str | None:
    """δl for the document's pre-activation ul (S13: δ_l = ∂E/∂u_l), else None."""
    layer = pre_activation_layer(label)
    return f"δ{layer}" if layer else None


def gradient_texts(parts: list[tuple[int, np.ndarray]], label: str) -> list[list[str]]:
    """What a tensor's gradient shows after each arrival: its caption (δl or grad, with
    "(k of n)" while parts are missing: a fan-out's ``+=`` made visible), then the sum so
    far, one text per grid cell (or per line, for a large tensor)."""
    texts, total = [], None
    name = delta_name(label) or say("grad")
    for k, (_, gradient) in enumerate(parts, start=1):
        total = gradient if total is None else total + gradient
        caption = say("part", caption=name, k=k, n=len(parts)) if k < len(parts) else name
        grid = grid_cells(total)
        texts.append([caption, *([t for row in grid for t in row] if grid
                                 else value_lines(total))])
    return texts


def reserved_places(received: dict, tensors: dict[int, str], labels: dict[int, str]
                    ) -> dict[int, tuple[str, list[list[str]]]]:
    """tensor key → the widest caption and texts its gradient will show, in the grid's
    shape (``ag.draw`` leaves that much room beside the data)."""
    places = {}
    for key, parts in received.items():
        if key not in tensors:
            continue
        texts = gradient_texts(parts, labels[key])
        widest = [max((t[n] for t in texts), key=len) for n in range(len(texts[0]))]
        grid = grid_cells(parts[0][1])
        columns = len(grid[0]) if grid else 1
        rows = [widest[1 + r:1 + r + columns] for r in range(0, len(widest) - 1, columns)]
        places[key] = (widest[0], rows)
    return places


def arrivals(moves: list[Move]) -> dict[int, list[tuple[int, np.ndarray]]]:
    """tensor key → the gradients it receives, ``(move number, gradient)`` in order of
    arrival: a move's result gets its contributions (0: the initial ∂E/∂E), a leaf what
    the moves' sends gave it."""
    received = {move.out: list(move.contributions) for move in moves}
    made = set(received)
    for k, move in enumerate(moves, start=1):
        for key, gradient in move.sends:
            if key not in made:
                received.setdefault(key, []).append((k, gradient))
    return received


def moves(explanation: Explanation, ops: dict[int, str], tensors: dict[int, str],
          groups: dict[int, int], labels: dict[int, str], formulas: dict[int, str]
          ) -> list[Move]:
    """The drawn backward steps, a collapsed group's steps as one (emitted with its
    last), contributions renumbered to moves."""
    steps = [s for s in explanation.steps if id(s.node) in ops or id(s.node) in groups]
    left = {end: sum(1 for s in steps if groups.get(id(s.node)) == end)
            for end in set(groups.values())}
    made: dict[int, list[Step]] = {}
    number: dict[int, int] = {0: 0}
    result: list[Move] = []
    for step in steps:
        end = groups.get(id(step.node))
        if end is None:
            group = [step]
        else:
            made.setdefault(end, []).append(step)
            left[end] -= 1
            if left[end]:
                continue
            group = made[end]
        for s in group:
            number[s.index] = len(result) + 1
        result.append(_move(group, ops, tensors, groups, labels, formulas))
    for move in result:
        move.contributions = [(number.get(i, i), g) for i, g in move.contributions]
    return result


def _move(group: list[Step], ops: dict[int, str], tensors: dict[int, str],
          groups: dict[int, int], labels: dict[int, str], formulas: dict[int, str]) -> Move:
    first = group[0]
    sends = [(tensor_key(s.node.inputs[send.slot]), send.gradient) for s in group
             for send in s.sends]
    if len(group) == 1 and id(first.node) in ops:
        return Move(ops[id(first.node)], id(first.node), first.op,
                    formulas.get(id(first.node), first.formula), first.output,
                    first.incoming, first.contributions, sends, [first.index])
    end = groups[id(first.node)]
    inside = {id(s.node) for s in group}
    out_sends = [(key, g) for key, g in sends if key not in inside]
    names = " → ".join(s.op for s in reversed(group))
    formula = say("collapsed", n=len(group), ops=names)
    return Move(tensors[end], end, labels[end], formula, labels[end].split(" = ")[0],
                first.incoming, first.contributions, out_sends, [s.index for s in group])


def _quiz(move: Move, labels: dict[int, str]) -> list[dict[str, Any]]:
    questions = []
    for key, gradient in move.sends:
        gradient = np.asarray(gradient, dtype=float)
        count = gradient.size if gradient.size <= QUIZ_ENTRIES else 1
        entries = []
        for flat in range(count):
            index = np.unravel_index(flat, gradient.shape) if gradient.ndim else ()
            where = "[" + ", ".join(map(str, index)) + "]" if index else ""
            entries.append([where, float(gradient.reshape(-1)[flat])])
        label = labels[key]
        questions.append({"name": partial(label), "delta": delta_name(label) or "",
                          "shape": str(gradient.shape), "entries": entries,
                          "first_only": count < gradient.size})
    return questions


def _backward_frame(k: int, move: Move, count: int, ids: dict[int, str],
                    labels: dict[int, str], received: dict, seen: dict[int, int]) -> Frame:
    op, out = move.node, ids[move.out]
    frame = Frame("backward", say("backward_title", k=k, n=count, op=move.op,
                                  gradient=partial(move.output)),
                  list(dict.fromkeys([op, out])), [] if op == out else [f"{op}->{out}"])
    frame.states[op] = "done"
    if k == 1:  # the output's own gradient, ∂E/∂E
        frame.states[out] = "complete"
        frame.grads[out] = gradient_texts(received[move.out], move.output)[0]
    for key, _ in move.sends:
        if key not in ids:
            continue
        name = ids[key]
        seen[key] = seen.get(key, 0) + 1
        parts = received[key]
        frame.grads[name] = gradient_texts(parts, labels[key])[seen[key] - 1]
        frame.states[name] = "complete" if seen[key] == len(parts) else "partial"
        edge = f"{name}->{op}"
        if edge not in frame.edges:
            frame.edges.append(edge)
    parts = move.contributions
    arrived = "\n".join((say("initial") if i == 0 else say("from_step", k=i)) + _one_line(g)
                        for i, g in parts)
    if len(parts) > 1:
        arrived += "\n" + say("sum") + _one_line(move.incoming)
    delta = delta_name(move.output)
    frame.cells = [text_cell(say("step"), say("backward_step", k=k, n=count)),
                   text_cell(say("op"), move.op), text_cell(say("local"), move.formula, "local"),
                   value_cell(say("incoming", gradient=partial(move.output))
                              + (f" = {delta}" if delta else ""), move.incoming, "incoming")]
    if len(parts) > 1:
        frame.cells.append(text_cell(say("contributions", n=len(parts)), arrived))
    frame.cells += [text_cell(say("sends"), "", "sends")] + [
        value_cell(f"{labels[key]} ← {partial(labels[key])}", g, "sent")
        for key, g in move.sends]
    frame.quiz = _quiz(move, labels)
    return frame


def _forward_frame(move: Move, view: GraphView, k: int, count: int, ids: dict[int, str],
                   labels: dict[int, str], groups: dict[int, int]) -> Frame:
    op, out = move.node, ids[move.out]
    if op == out:  # a group: what enters it from outside
        reads = dict.fromkeys(key for node in view.ops if groups.get(id(node)) == move.out
                              for key, _ in view.uses[id(node)]
                              if groups.get(key) != move.out and key in ids)
        edges = [f"{ids[key]}->{out}" for key in reads]
        name = move.op
    else:
        reads = dict.fromkeys(key for key, _ in view.uses[move.out])
        edges = [f"{ids[key]}->{op}" for key in reads if key in ids] + [f"{op}->{out}"]
        name = move.op
    frame = Frame("forward", say("forward_title", k=k, n=count, op=name,
                                 output=labels[move.out].split(" = ")[0]),
                  list(dict.fromkeys([op, out])), edges)
    frame.states.update(dict.fromkeys([op, out, *frame.edges], ""))
    frame.cells = [text_cell(say("step"), say("forward_step", k=k, n=count)),
                   text_cell(say("op"), name)]
    if move.formula and op != out:
        frame.cells.append(text_cell(say("formula"), move.formula))
    frame.cells += [value_cell(say("input_row", name=labels[key]), view.tensors[key].data)
                    for key in reads]
    frame.cells.append(value_cell(say("output_row", name=labels[move.out].split(" = ")[0]),
                                  view.tensors[move.out].data))
    return frame


def build_frames(explanation: Explanation, moved: list[Move], view: GraphView,
                 ids: dict[int, str], groups: dict[int, int], labels: dict[int, str],
                 forward: bool) -> list[Frame]:
    """Frame 0 (the graph before the first step), the forward frames when ``forward``,
    then one frame per backward move."""
    received = arrivals(moved)
    start = Frame("start", say("start", output=labels[view.roots[0]].split(" = ")[0],
                               n=len(moved)))
    frames = [start]
    if forward:  # ops, their results and their edges appear as the values are computed
        forwards = [_forward_frame(m, view, k, len(moved), ids, labels, groups)
                    for k, m in enumerate(reversed(moved), start=1)]
        for frame in forwards:
            start.states.update(dict.fromkeys(frame.states, "pending"))
        start.cells = [text_cell(say("forward_row"), say("forward_text"))]
        frames += forwards
    seen: dict[int, int] = {}
    frames += [_backward_frame(k, m, len(moved), ids, labels, received, seen)
               for k, m in enumerate(moved, start=1)]
    if len(frames) > 1:
        frames[-1].cells.append(text_cell(say("leaves"), ""))
        frames[-1].cells += [value_cell(f"{total.name}.grad", total.total)
                             for total in explanation.totals]
    return frames


def cumulative(frames: list[Frame], upto: int) -> tuple[dict[str, str], dict[str, list]]:
    """The node states and gradient texts after applying frames 0…``upto``."""
    states: dict[str, str] = {}
    grads: dict[str, list[str]] = {}
    for frame in frames[:upto + 1]:
        states.update(frame.states)
        grads.update(frame.grads)
    return states, grads
