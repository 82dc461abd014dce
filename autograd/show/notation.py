"""What a recorded model tells the viewers: names, formulas, and which ops are its loss.

When a forward ran inside ``ag.record_modules(model)``, each op carries the module call
that made it (``node.scope``, ``autograd.scopes``); the outermost call, path ``""``, is the
model's. ``draw``, ``explain`` and ``animate`` then name the graph without ``names=``:

- a model with a ``notation(output)`` method (``nn.MLP``: the document's x, W1, u1, y1,
  δ1, …, E) gives ``names``, column-notation ``formulas`` and the loss node's title;
- any other model's tensors are named from the module path that made them
  (``hidden.linear``, ``act.relu``), its single input ``x``, its output ``y`` and the
  loss ``E``.

The loss is the ops made outside the model between its output and the drawn output; the
player shows them as one node (``collapse``) unless asked to expand them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from autograd.graph import GraphView, role
from autograd.scopes import ModuleScope
from autograd.tensor import Tensor
from autograd.words import say

#: f′(u_l) of the element-wise activations in a layer formula (S9, S10): its text, and its
#: values from u and y = f(u) (the player's layer view fills them in).
DERIVATIVES = {
    "sigmoid": (lambda l: f"y{l}(1 − y{l})   (S9)", lambda u, y: y * (1 - y)),
    "tanh": (lambda l: f"1 − y{l}²   (S10)", lambda u, y: 1 - y * y),
    "relu": (lambda l: say("model", "relu_derivative", l=l), lambda u, y: (u > 0).astype(float)),
}


@dataclass
class Notation:
    """``names`` (name → Tensor), ``formulas`` (name → the formula of the op making that
    tensor), and the loss as one node: ``loss`` (its title) made from ``loss_inputs``
    (the model's outputs), or ``loss`` None."""

    names: dict[str, Tensor] = field(default_factory=dict)
    formulas: dict[str, str] = field(default_factory=dict)
    loss: str | None = None
    loss_inputs: list[Tensor] = field(default_factory=list)
    hint: str = ""

    def collapse(self, output: Tensor) -> dict[str, tuple[Tensor, list[Tensor]]]:
        """``draw``'s ``collapse=`` for the loss (empty without one)."""
        return {self.loss: (output, self.loss_inputs)} if self.loss else {}


def _path(node: Any) -> str:
    return node.scope.path if isinstance(node.scope, ModuleScope) else ""


def _in_model(node: Any) -> bool:
    scope = node.scope
    return isinstance(scope, ModuleScope) and scope.chain()[0].path == ""


def notation(view: GraphView, output: Tensor) -> Notation:
    """The notation of the recorded model behind ``output`` (see the module docstring);
    without one, only a one-element output without a name is named: E, the error."""
    told = _notation(view, output)
    named = output.name or any(t is output for t in told.names.values())
    if not named and output.size == 1:
        told.names["E"] = output
    return told


def _notation(view: GraphView, output: Tensor) -> Notation:
    inside = [node for node in view.ops if _in_model(node)]
    if not inside:
        has_parameters = any(role(t, False) == "parameter" for t in view.tensors.values())
        # said where a graph has parameters but no recorded module calls
        return Notation(hint=say("draw", "record_hint") if has_parameters else "")
    made = {id(node) for node in inside}
    loss_ops, outputs = _loss(view, made, id(output.grad_fn) if output.grad_fn else None)
    model = inside[0].scope.chain()[0].module
    given = getattr(model, "notation", None)
    told = None
    if callable(given):
        try:
            told = given(output)
        except ValueError:  # e.g. a layer applied twice: no one name per tensor
            told = None
    if told is not None:
        names, formulas, title = told["names"], told.get("formulas", {}), told.get("loss")
    else:
        ops = {id(node): node for node in view.ops}
        named = [ops[key] for key in loss_ops if key != id(output.grad_fn)] + inside
        names, formulas, title = _path_names(view, named, made, outputs, output), {}, None
    if len(loss_ops) < 2:
        return Notation(names, formulas)
    title = title or next((n for n, t in names.items() if t is output), "E")
    return Notation(names, formulas, title, [view.tensors[k] for k in outputs])


def _loss(view: GraphView, made: set[int], end: int | None) -> tuple[list[int], list[int]]:
    """The ops outside the model met walking back from the output, stopping at tensors
    the model made (returned second: the model's outputs)."""
    ops = {id(node) for node in view.ops}
    loss, outputs, stack, seen = [], [], [end] if end in ops else [], set()
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        if key in made:
            outputs.append(key)
        elif key in ops:
            loss.append(key)
            stack.extend(k for k, _ in view.uses[key])
    return loss, outputs


def _path_names(view: GraphView, inside: list[Any], made: set[int], outputs: list[int],
                output: Tensor) -> dict[str, Tensor]:
    """Each op's result by the module path that made it and the op (numbered when a
    path makes several of one op; ops outside the model by the op), the model's one
    input x, its one output y, and E."""
    bases = {id(node): ".".join(filter(None, [_path(node), node.name])) for node in inside}
    counts, seen = Counter(bases.values()), Counter()
    names: dict[str, Tensor] = {}
    for node in reversed(inside):  # forward order
        base = bases[id(node)]
        seen[base] += 1
        names[base if counts[base] == 1 else f"{base}{seen[base]}"] = view.tensors[id(node)]
    inputs = {k for node in inside if id(node) in made for k, _ in view.uses[id(node)]
              if k not in made and role(view.tensors[k], False) != "parameter"
              and not view.tensors[k].name}
    if len(inputs) == 1:
        names["x"] = view.tensors[inputs.pop()]
    if len(outputs) == 1:
        names["y"] = view.tensors[outputs[0]]
    if output.grad_fn is not None and id(output.grad_fn) not in made:
        names["E"] = output
    return names
