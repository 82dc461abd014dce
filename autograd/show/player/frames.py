"""The animation's steps as plain data, read from the recorded pass (``ag.explain``).

One frame per step: the forward pass op by op (optional), then the backward pass in the
engine's order. A frame names what it highlights (``current`` nodes, ``edges``), the
node states and gradient texts it changes (``states``, ``grads``: changes, applied in
order from frame 0 on a neutral picture), the explain-table row the side panel shows
(``cells``) and, for a backward step, the quiz questions (one per gradient sent). The
player (player.js) and ``Animation.save_frames`` only apply these changes; neither
computes anything about the pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.graph import GraphView, tensor_key
from autograd.show.draw import format_values
from autograd.show.explain import Explanation, Step
from autograd.show.latex import pre_activation_layer
from autograd.show.player.graph import GraphIds, input_ids

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
    cells: list[list[str]] = field(default_factory=list)
    quiz: list[dict[str, Any]] = field(default_factory=list)


def partial(label: str) -> str:
    """∂E/∂label, the label in parentheses when it is an expression (``y2 − t``)."""
    return f"∂E/∂({label})" if " " in label else f"∂E/∂{label}"


def _lines(values: Any) -> list[str]:
    return format_values(values).split("\n")


def _one_line(values: Any) -> str:
    return " ".join(format_values(values).split())


def arrivals(steps: list[Step]) -> dict[int, list[tuple[int, np.ndarray]]]:
    """tensor key → the gradients it receives, ``(step index, gradient)`` in order of
    arrival: an op's result gets its step's recorded ``contributions`` (step 0: the
    initial ∂E/∂E), a leaf what the steps' sends gave it."""
    received = {id(step.node): list(step.contributions) for step in steps}
    made = set(received)
    for step in steps:
        for send in step.sends:
            key = tensor_key(step.node.inputs[send.slot])
            if key not in made:
                received.setdefault(key, []).append((step.index, send.gradient))
    return received


def delta_name(label: str) -> str | None:
    """δl for the document's pre-activation ul (S13: δ_l = ∂E/∂u_l), else None."""
    layer = pre_activation_layer(label)
    return f"δ{layer}" if layer else None


def gradient_texts(parts: list[tuple[int, np.ndarray]], label: str) -> list[list[str]]:
    """What a tensor's gradient row shows after each arrival: the sum so far, with
    "(k of n)" while parts are missing (a fan-out's ``+=`` made visible)."""
    texts, total = [], None
    prefix = (delta_name(label) or "grad") + " "
    for k, (_, gradient) in enumerate(parts, start=1):
        total = gradient if total is None else total + gradient
        lines = _lines(total)
        lines[0] = prefix + lines[0]
        lines[1:] = [" " * len(prefix) + line for line in lines[1:]]
        if k < len(parts):
            lines[-1] += f"   ({k} of {len(parts)})"
        texts.append(lines)
    return texts


def reserved_rows(received: dict, ids: GraphIds, labels: dict[int, str]) -> dict[str, list[str]]:
    """Graphviz tensor name → the longest text of each gradient line it will show."""
    rows = {}
    for key, parts in received.items():
        if key not in ids.tensors:
            continue
        texts = gradient_texts(parts, labels[key])
        rows[ids.tensors[key]] = [max((t[n] for t in texts if n < len(t)), key=len)
                                  for n in range(max(map(len, texts)))]
    return rows


def _quiz(step: Step, labels: dict[int, str]) -> list[dict[str, Any]]:
    questions = []
    for send in step.sends:
        gradient = np.asarray(send.gradient, dtype=float)
        count = gradient.size if gradient.size <= QUIZ_ENTRIES else 1
        entries = []
        for flat in range(count):
            index = np.unravel_index(flat, gradient.shape) if gradient.ndim else ()
            where = "[" + ", ".join(map(str, index)) + "]" if index else ""
            entries.append([where, float(gradient.reshape(-1)[flat])])
        label = labels[tensor_key(step.node.inputs[send.slot])]
        questions.append({"name": partial(label), "delta": delta_name(label) or "",
                          "shape": str(gradient.shape), "entries": entries,
                          "first_only": count < gradient.size})
    return questions


def _backward_frame(step: Step, count: int, ids: GraphIds, labels: dict[int, str],
                    received: dict, seen: dict[int, int]) -> Frame:
    op, out = ids.ops[id(step.node)], ids.output_of(step.node)
    frame = Frame("backward", f"backward {step.index} of {count}: {step.op} sends "
                  f"{partial(step.output)} on to its inputs", [op, out],
                  [ids.edge(op, out)])
    frame.states[op] = "done"
    if step.index == 1:  # the output's own gradient, ∂E/∂E
        frame.states[out] = "complete"
        frame.grads[out] = gradient_texts(received[id(step.node)], step.output)[0]
    for send in step.sends:
        key = tensor_key(step.node.inputs[send.slot])
        if key not in ids.tensors:
            continue
        name = ids.tensors[key]
        seen[key] = seen.get(key, 0) + 1
        parts = received[key]
        frame.grads[name] = gradient_texts(parts, labels[key])[seen[key] - 1]
        frame.states[name] = "complete" if seen[key] == len(parts) else "partial"
        edge = ids.edge(name, op)
        if edge not in frame.edges:
            frame.edges.append(edge)
    parts = step.contributions
    arrived = "\n".join(("initial ∂E/∂E: " if i == 0 else f"from step {i}: ") + _one_line(g)
                        for i, g in parts)
    if len(parts) > 1:
        arrived += f"\nsum: {_one_line(step.incoming)}"
    sends = "\n".join(f"{labels[tensor_key(step.node.inputs[s.slot])]} ← {_one_line(s.gradient)}"
                      for s in step.sends)
    delta = delta_name(step.output)
    frame.cells = [["step", f"backward {step.index} of {count}"], ["op", step.op],
                   ["local derivative", step.formula],
                   [f"incoming {partial(step.output)}" + (f" = {delta}" if delta else ""),
                    "\n".join(_lines(step.incoming))],
                   [f"contributions ({len(parts)})", arrived], ["sends", sends]]
    frame.quiz = _quiz(step, labels)
    return frame


def _forward_frame(node: Any, k: int, count: int, ids: GraphIds, view: GraphView,
                   labels: dict[int, str]) -> Frame:
    op, out = ids.ops[id(node)], ids.output_of(node)
    inputs = input_ids(ids, node)
    frame = Frame("forward", f"forward {k} of {count}: {node.name} computes "
                  f"{labels[id(node)]}", [op, out],
                  [ids.edge(name, op) for name in inputs] + [ids.edge(op, out)])
    frame.states.update(dict.fromkeys([op, out, *frame.edges], ""))
    values = "\n".join(f"{labels[key]} = " + "\n".join(_lines(view.tensors[key].data))
                       for key, _ in view.uses[id(node)])
    frame.cells = [["step", f"forward {k} of {count}"], ["op", node.name],
                   ["inputs", values],
                   ["output", f"{labels[id(node)]} = " + "\n".join(
                       _lines(view.tensors[id(node)].data))]]
    return frame


def build_frames(explanation: Explanation, view: GraphView, ids: GraphIds,
                 labels: dict[int, str], forward: bool) -> list[Frame]:
    """Frame 0 (the graph before the first step), the forward frames when ``forward``,
    then one frame per backward step of the drawn ops."""
    steps = [s for s in explanation.steps if id(s.node) in ids.ops]
    received = arrivals(explanation.steps)
    start = Frame("start", f"the graph of {explanation.output}: {len(steps)} ops; "
                  "press → (Next) to step through")
    frames = [start]
    if forward:  # ops, their results and their edges appear as the values are computed
        forwards = [_forward_frame(s.node, k, len(steps), ids, view, labels)
                    for k, s in enumerate(reversed(steps), start=1)]
        for frame in forwards:
            start.states.update(dict.fromkeys(frame.states, "pending"))
        start.cells = [["forward", "values appear op by op, inputs first"]]
        frames += forwards
    seen: dict[int, int] = {}
    frames += [_backward_frame(s, len(explanation.steps), ids, labels, received, seen)
               for s in steps]
    if len(frames) > 1:
        frames[-1].cells.append(["gradients of the leaves", "\n".join(explanation.sums())])
    return frames


def cumulative(frames: list[Frame], upto: int) -> tuple[dict[str, str], dict[str, list]]:
    """The node states and gradient texts after applying frames 0…``upto``."""
    states: dict[str, str] = {}
    grads: dict[str, list[str]] = {}
    for frame in frames[:upto + 1]:
        states.update(frame.states)
        grads.update(frame.grads)
    return states, grads
