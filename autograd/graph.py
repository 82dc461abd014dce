"""Reading a computation graph: the one place that walks it.

The engine (``topological_order``), the viewers in ``autograd.show`` and ``nn.naming`` all
read graphs through these functions; none of them changes a graph. Every walk is
iterative, so a graph of a million ops can be read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.function import ConstantArray, Function
from autograd.scopes import ModuleScope
from autograd.tensor import Tensor
from autograd.text import visible


def topological_order(roots: Sequence[Function]) -> list[Function]:
    """Every node reachable from ``roots``, each after all the nodes it consumes.

    Kahn's algorithm, iteratively: count each node's consumers, then release a node once
    every consumer has been emitted; the list is reversed so that inputs come first."""
    consumers: dict[Function, int] = {}
    stack = list(roots)
    for root in roots:
        consumers[root] = 0
    while stack:
        node = stack.pop()
        for parent in parents(node):
            if parent in consumers:
                consumers[parent] += 1
            else:
                consumers[parent] = 1
                stack.append(parent)
    ready = [root for root in dict.fromkeys(roots) if consumers[root] == 0]
    order: list[Function] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for parent in parents(node):
            consumers[parent] -= 1
            if consumers[parent] == 0:
                ready.append(parent)
    order.reverse()
    return order


def parents(node: Function) -> list[Function]:
    """The nodes that made ``node``'s inputs and receive a gradient from it."""
    return [x for x, needed in zip(node.inputs, node.needs_input_grad)
            if needed and isinstance(x, Function)]


def tensor_key(t: Tensor | Function) -> int:
    """One graph vertex per tensor: an op's result is identified by the node that made it
    (an op has one output, possibly wrapped by several Tensor objects, and a node's
    ``inputs`` hold the node itself), a leaf by itself."""
    if isinstance(t, Function):
        return id(t)
    if isinstance(t, ConstantArray):  # a constant tensor, as a released node keeps it
        return t.key
    if t.grad_fn is not None:
        return id(t.grad_fn)
    return t.stands_for if t.freed else id(t)  # a freed constant: the vertex it was


def is_tensor_input(x: object) -> bool:
    """Whether an entry of a node's ``inputs`` stands for a tensor (a node, a leaf, or a
    constant tensor a released node still points at) rather than a constant argument (a
    number, an axis, an array)."""
    return isinstance(x, Tensor | Function) or (isinstance(x, ConstantArray)
                                                and x.key is not None)


def name_of(x: Tensor | Function | ConstantArray) -> str | None:
    """The name given to a tensor, or to the result of a node (``tensor.name = ...``)."""
    return x.output_name if isinstance(x, Function) else x.name


def kept_grad(t: Tensor) -> Tensor | None:
    """The gradient backward kept for ``t`` (a leaf's ``.grad``, or the node's when its
    gradient was retained), without the warning ``.grad`` gives for a non-leaf."""
    return (t if t.grad_fn is None else t.grad_fn)._grad


def input_tensor(view: GraphView, x: object) -> object:
    """The tensor ``view`` shows for an entry of a node's ``inputs`` (a node or a leaf),
    or the entry itself for a constant argument."""
    return view.tensors[tensor_key(x)] if is_tensor_input(x) else x


def stand_in(shape: tuple[int, ...], dtype: Any, grad_fn: Any = None,
             name: str | None = None, key: int | None = None) -> Tensor:
    """A tensor of ``shape`` and ``dtype`` that holds no values (``freed``): what drawings
    get for a value a backward pass dropped (a read-only view of one zero). Standing for
    an op's result it carries the node (``grad_fn``); for a constant tensor, the vertex
    ``key`` that tensor had (``stands_for``), so names given to either still find it."""
    t = Tensor._make(np.broadcast_to(np.zeros((), dtype), shape), grad_fn)
    t.freed = True
    if grad_fn is None:
        t.stands_for = key
    if name is not None:
        t.name = name
    return t


def shown(x: Tensor | Function | ConstantArray) -> Tensor:
    """The tensor a viewer shows for an entry of a node's inputs (or an output): a leaf
    as itself (a constant tensor too, while its caller still holds it); a node's result as
    a Tensor of its value while the node keeps it; once a backward pass has dropped a
    value, a stand-in of the same shape, dtype and name that holds no values (``freed``).
    A result's ``.grad`` is its node's, if retained."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, ConstantArray):  # a constant tensor a released node let go of
        held = x.tensor() if x.tensor is not None else None
        return held if held is not None else stand_in(x.shape, x.dtype, name=x.name,
                                                      key=x.key)
    if x.value is not None:
        return Tensor._make(x.value, x)
    return stand_in(x.shape, x.dtype, x)


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

    def visit(x: Tensor | Function) -> int:
        key = tensor_key(x)
        node = x if isinstance(x, Function) else getattr(x, "grad_fn", None)
        if key not in tensors:
            tensors[key] = shown(x)
        if node is not None and key not in seen:
            seen.add(key)
            queue.append(node)
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
            if is_tensor_input(x):
                slots.setdefault(visit(x), []).append(slot)
        uses[id(node)] = list(slots.items())
    return GraphView(roots, tensors, ops, uses)


def tensor_labels(view: GraphView, names: dict[str, Tensor] | None = None) -> dict[int, str]:
    """A name per tensor: from ``names``, else ``tensor.name``, else the parameter's
    dotted name in a recorded module, else ``t1, t2, …`` in forward order; control
    characters written visibly (``autograd.text.visible``)."""
    labels = {tensor_key(t): visible(name) for name, t in (names or {}).items()}
    for key, t in view.tensors.items():
        if key not in labels and t.name:
            labels[key] = visible(t.name)
    for node in view.ops:
        if isinstance(node.scope, ModuleScope):
            for scope in node.scope.chain():
                for name, p in scope.parameters:
                    labels.setdefault(id(p), visible(f"{scope.path}.{name}" if scope.path
                                                     else name))
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


