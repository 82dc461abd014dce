"""The record of a backward pass: what the engine did, step by step, as plain data.

``retain_grads(output)``, called before backward, hangs a ``Tape`` on every node of the
graph; the engine then writes each step to it (the node, the gradient it received and
the separate contributions that were added up to make it, what it sent to each input)
and keeps every intermediate value and gradient. ``explain``, ``draw`` and ``animate``
read the tape; none of them re-runs the pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.graph import topological_order
from autograd.tensor import Tensor


@dataclass
class Sent:
    """A gradient sent to input ``slot`` of a step's op; ``key`` identifies the input
    tensor (``viz.tensor_key``: the id of its op, or of the tensor for a leaf)."""

    slot: int
    key: int
    gradient: np.ndarray


@dataclass
class RecordedStep:
    """One node of the pass: ``incoming`` is ∂E/∂y for the node's result y — the sum of
    ``contributions``, one ``(step index, gradient)`` per use of y (step 0: the gradient
    the pass started from), after the tensor's hooks — and ``sends`` what went to each
    input."""

    index: int
    node: Function
    incoming: np.ndarray
    contributions: list[tuple[int, np.ndarray]]
    sends: list[Sent] = field(default_factory=list)


class Tape:
    """Written by the engine during one backward pass, read by the teaching tools."""

    def __init__(self) -> None:
        self.begin()

    def begin(self) -> None:
        """Start a new pass (a second backward, with retain_graph, replaces the first)."""
        self.steps: list[RecordedStep] = []
        self.received: dict[int, list[tuple[int, np.ndarray]]] = {}  # key → contributions
        self.leaves: dict[int, Tensor] = {}  # key → leaf that received a gradient
        self.complete = False

    def start(self, source: Any, gradient: Any) -> None:
        """The gradient the pass starts from, for ``source`` (an output's node or leaf)."""
        self.received.setdefault(id(source), []).append((0, _array(gradient)))

    def step(self, node: Function, incoming: Any) -> RecordedStep:
        step = RecordedStep(len(self.steps) + 1, node, _array(incoming),
                            self.received.get(id(node), []))
        self.steps.append(step)
        return step

    def send(self, step: RecordedStep, slot: int, source: Any, gradient: Any) -> None:
        """What ``step`` sent to input ``slot``, whose ``source`` is a node or a leaf."""
        key = id(source)
        value = _array(gradient)
        step.sends.append(Sent(slot, key, value))
        self.received.setdefault(key, []).append((step.index, value))
        if isinstance(source, Tensor):
            self.leaves[key] = source


def _array(value: Any) -> np.ndarray:
    return value._data if isinstance(value, Tensor) else value


def output_tensors(tensors: Tensor | Sequence[Tensor], caller: str) -> list[Tensor]:
    """``tensors`` as a list of output Tensors, or a TypeError naming ``caller`` (with a
    hint when a model was passed instead)."""
    outputs = list(tensors) if isinstance(tensors, list | tuple) else [tensors]
    for t in outputs:
        if not isinstance(t, Tensor):
            hint = ("; for a model's layer diagram use nn.draw_model(model)"
                    if hasattr(t, "named_parameters") else "")
            raise TypeError(f"{caller}: expected a Tensor or a sequence of Tensors, "
                            f"got {type(t).__name__}{hint}")
    return outputs


def retain_grads(tensors: Tensor | Sequence[Tensor]) -> None:
    """Keep everything a lesson needs from the next backward pass through ``tensors``.

    Call it **before** ``backward``: every intermediate tensor keeps its value and its
    ``.grad`` — the document's δ's (S13–S15) — and the pass is recorded step by step
    (order, incoming gradients, the separate contributions of a fan-out), for
    ``explain``, ``draw`` and ``animate``. After a backward it raises ``RuntimeError``:
    by then the pass has run and, without ``retain_graph``, its values are freed."""
    outputs = output_tensors(tensors, "retain_grads")
    roots = [t.grad_fn for t in outputs if t.grad_fn is not None]
    for node in roots:
        if node.released or node.backpropagated:
            raise RuntimeError(
                "retain_grads: a backward pass has already run through this graph; call "
                "ag.retain_grads(output) before output.backward() to record it")
    tape = Tape()
    for node in topological_order(roots):
        node.tape = tape
        node.retains_grad = True


def tape_of(output: Tensor) -> Tape | None:
    """The tape ``retain_grads`` hung on ``output``'s graph, if any."""
    return None if output.grad_fn is None else output.grad_fn.tape
