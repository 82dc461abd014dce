"""The document's names for the tensors of an ``nn.MLP``'s graph, read from the graph.

For layer l (numbered from 1, as ``model.layers[l − 1]``) the ``linear`` op's weight is
W_l, its bias b_l, its output the pre-activation u_l and the activation's output y_l
(S11); the first layer's input is x; a loss computed from the last y is E, its target t
(S12), and the loss's inner tensors are named by the expressions that make them
(``y2 − t``, ``(y2 − t)²``, ``Σ (y2 − t)²``). ``draw``, ``explain`` and ``animate`` take
the result as ``names=``; a tensor named u_l has its gradient shown as δ_l (S13).
"""

from __future__ import annotations

import re
from typing import Any

from autograd.function import Function
from autograd.graph import GraphView, input_tensor, is_tensor_input, tensor_key, walk
from autograd.show.notation import DERIVATIVES
from autograd.tensor import Tensor
from nn.activations import Identity

#: Infix operators, written between the operand names.
INFIX = {"add": "+", "sub": "−", "div": "/"}
#: Reductions, written in front of the operand.
PREFIX = {"sum": "Σ ", "mean": "mean ", "neg": "−"}


def document_names(model: Any, output: Tensor) -> dict[str, Tensor]:
    """Name the tensors of ``model``'s graph behind ``output`` as the document does (S11, S12).

    Parameters
    ----------
    model : nn.MLP
        Its ``layers[l − 1]`` holds W_l and b_l; each layer's ``linear`` op is found by its
        weight, so the graph may have been built by ``model(x)`` or layer by layer.
    output : Tensor
        The network's output y_L, or a loss computed from it (then named E).

    Returns
    -------
    dict name → Tensor
        ``x``, ``W1``, ``b1``, ``u1``, ``y1``, …, and for a loss ``t`` (its one target
        tensor, if it has one), ``E`` and the loss's intermediate tensors by expression.
        A layer with a linear output (``Identity``) has u_L only: there y_L = u_L.

    Raises ``ValueError`` if no layer of ``model`` is in the graph, or a layer is used by
    more than one op (the names need exactly one forward pass).
    """
    view = walk([output])
    layers = _layer_ops(model, view)
    names: dict[str, Tensor] = {}
    last: Tensor | None = None
    for l, node in layers.items():
        x, weight, bias = (input_tensor(view, x) for x in node.inputs)
        if l == 1 and isinstance(x, Tensor):
            names["x"] = x
        names[f"W{l}"] = weight
        if bias is not None:
            names[f"b{l}"] = bias
        names[f"u{l}"] = last = view.tensors[id(node)]
        y = _activation_output(model, view, layers, l)
        if y is not None:
            names[f"y{l}"] = last = y
    if last is not None and tensor_key(output) != tensor_key(last):
        names.update(_loss_names(view, output, last, names))
    return names


def _layer_ops(model: Any, view: GraphView) -> dict[int, Function]:
    """Layer number → the one ``linear`` op that applies that layer's weight."""
    numbers = {id(layer.weight): l for l, layer in enumerate(model.layers, start=1)}
    layers: dict[int, Function] = {}
    for node in view.ops:
        if node.name != "linear" or id(node.inputs[1]) not in numbers:
            continue
        l = numbers[id(node.inputs[1])]
        if l in layers:
            raise ValueError(f"document_names: layer {l}'s weight is used by more than one "
                             "linear op; the document's names need one forward pass")
        layers[l] = node
    if not layers:
        raise ValueError("document_names: no layer of the model is in the graph behind "
                         "output")
    return dict(sorted(layers.items()))


def _activation_output(model: Any, view: GraphView, layers: dict[int, Function],
                       l: int) -> Tensor | None:
    """y_l: the next layer's input, or the one op applied to u_l; None when y_l = u_l."""
    if isinstance(model.activations[l - 1], Identity):
        return None
    u = id(layers[l])
    if l + 1 in layers:
        y = layers[l + 1].inputs[0]
        return input_tensor(view, y) if is_tensor_input(y) and tensor_key(y) != u else None
    consumers = [node for node in view.ops if u in dict(view.uses[id(node)])]
    return view.tensors[id(consumers[0])] if len(consumers) == 1 else None


def _loss_names(view: GraphView, output: Tensor, y: Tensor,
                known: dict[str, Tensor]) -> dict[str, Tensor]:
    """E, its target t, and each tensor between y and E named by its expression."""
    ops = {id(node): node for node in view.ops}
    inside: list[Function] = []
    stack, seen = [tensor_key(output)], {tensor_key(y)}
    while stack:  # the ops from E back to y, not entering the network
        key = stack.pop()
        if key in seen or key not in ops:
            continue
        seen.add(key)
        inside.append(ops[key])
        stack.extend(k for k, _ in view.uses[key])
    labels = {tensor_key(t): name for name, t in known.items()}
    leaves = {k for node in inside for k, _ in view.uses[id(node)]
              if view.tensors[k].grad_fn is None and k not in labels}
    names: dict[str, Tensor] = {}
    if len(leaves) == 1:
        names["t"] = view.tensors[next(iter(leaves))]
        labels[next(iter(leaves))] = "t"
    labels[tensor_key(output)] = "E"
    pending = [node for node in inside if id(node) != tensor_key(output)]
    while pending:  # name an op once all its tensor inputs are named: forward order
        ready = [node for node in pending if all(k in labels for k, _ in view.uses[id(node)])]
        if not ready:
            break
        for node in ready:
            labels[id(node)] = expression(node, labels)
            names[labels[id(node)]] = view.tensors[id(node)]
        pending = [node for node in pending if id(node) not in labels]
    names["E"] = output
    return names


def expression(node: Function, labels: dict[int, str]) -> str:
    """``a − b``, ``a²`` (a·a), ``0.5·a``, ``Σ a``, ``−a``, else ``op(a, b)``, from the
    names of the op's inputs; compound operands are put in parentheses."""
    args = [_operand(labels[tensor_key(x)]) if is_tensor_input(x) else _constant(x)
            for x in node.inputs if x is not None and x is not False]
    tensors = [x for x in node.inputs if is_tensor_input(x)]
    if node.name == "mul" and len(tensors) == 2 and tensor_key(tensors[0]) == tensor_key(
            tensors[1]):
        return f"{args[0]}²"
    if node.name == "mul" and len(args) == 2:
        return "·".join(args if len(tensors) == 2 else sorted(args, key=_is_name))
    if node.name in INFIX and len(args) == 2:
        return f" {INFIX[node.name]} ".join(args)
    if node.name in PREFIX and len(tensors) == len(args) == 1:
        return PREFIX[node.name] + args[0]
    if node.name == "getitem":
        return f"{args[0]}[…]"
    return f"{node.name}({', '.join(args)})"


def _operand(name: str) -> str:
    """``name`` in parentheses when an operator stands outside every bracket in it."""
    depth, outside = 0, []
    for char in name:
        depth += (char in "([") - (char in ")]")
        outside.append(char if depth == 0 and char not in ")]" else "")
    bare = "".join(outside)
    return f"({name})" if any(op in bare for op in (" ", "·", "−")) else name


def _is_name(arg: str) -> bool:
    return not arg.replace(".", "", 1).lstrip("-").isdigit()


def _constant(value: Any) -> str:
    text = repr(value.item() if hasattr(value, "item") and getattr(value, "size", 2) == 1
                else value)
    return text if len(text) <= 8 else "…"


def loss_title(output: Tensor, names: dict[str, Tensor]) -> str:
    """``E = ½·Σ (y2 − t)²``: the loss written from the names of what it reads, for the
    node that shows the loss as one op (or just ``E`` when it is no loss of the names)."""
    node = output.grad_fn
    if "E" not in names or names["E"] is not output or node is None:
        return "E"
    labels = {tensor_key(t): name for name, t in names.items() if t is not output}
    if not all(tensor_key(x) in labels for x in node.inputs if is_tensor_input(x)):
        return "E"
    text = expression(node, labels)
    half = re.fullmatch(r"0\.5·\((.*)\)", text)
    return "E = " + (f"½ {half.group(1)}" if half else text)


def layer_formulas(names: dict[str, Tensor]) -> dict[str, str]:
    """The document's column-notation formulas for the ops making u_l and y_l, keyed by
    those names (``draw``'s ``formulas=``): u_l = W_l y_{l−1} + b_l with its gradients
    ∂E/∂W_l = δ_l y_{l−1}ᵀ, ∂E/∂b_l = δ_l, ∂E/∂y_{l−1} = W_lᵀ δ_l (S11, S15, S16), and
    y_l = f(u_l) with δ_l = ∂E/∂y_l ∘ f′(u_l) (S14, S15)."""
    formulas: dict[str, str] = {}
    l = 1
    while f"u{l}" in names:
        before = "x" if l == 1 else f"y{l - 1}" if f"y{l - 1}" in names else f"u{l - 1}"
        bias = f" + b{l}" if f"b{l}" in names else ""
        lines = [f"u{l} = W{l} {before}{bias}   (S11)",
                 f"∂E/∂W{l} = δ{l} {before}ᵀ" + (f",  ∂E/∂b{l} = δ{l}" if bias else "")
                 + "   (S16)"]
        if l > 1:  # what the layer sends back: the W_lᵀ δ_l of S15
            lines.append(f"∂E/∂{before} = W{l}ᵀ δ{l}   (S15)")
        formulas[f"u{l}"] = "\n".join(lines)
        activation = names.get(f"y{l}")
        if activation is not None and activation.grad_fn is not None:
            op = activation.grad_fn
            delta = (f"δ{l} = Jᵀ ∂E/∂y{l},  J = diag(y{l}) − y{l} y{l}ᵀ   (S10)"
                     if op.name == "softmax" else f"δ{l} = ∂E/∂y{l} ∘ f′(u{l})   (S14, S15)")
            derivative = (f"f′(u{l}) = {DERIVATIVES[op.name][0](l)}"
                          if op.name in DERIVATIVES else op.formula)
            formulas[f"y{l}"] = f"y{l} = {op.name}(u{l}),  {derivative}\n{delta}"
        l += 1
    return formulas
