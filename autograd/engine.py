"""The reverse-mode engine: one iterative backward pass for every op.

The chain rule, applied node by node from the output back: each node receives the sum of
the gradients sent by its consumers (fan-out adds up), hands it to its op's ``backward``,
and sends one gradient to each input, reduced to that input's shape (``unbroadcast``).
No recursion anywhere, so a graph of a million ops backpropagates.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from autograd.function import Function
from autograd.grad_mode import _grad_mode
from autograd.tensor import Tensor


def unbroadcast(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum ``grad`` over the axes that broadcasting added or stretched, back to ``shape``.

    If y = broadcast(x), then ∂E/∂x = Σ over the copies of ∂E/∂y: the one place where
    broadcasting is undone, so no op's backward mentions shapes it did not create."""
    if grad.shape == shape:
        return grad
    leading = grad.ndim - len(shape)
    stretched = tuple(leading + i for i, n in enumerate(shape)
                      if n == 1 and grad.shape[leading + i] != 1)
    return grad.sum(axis=tuple(range(leading)) + stretched).reshape(shape)


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
        for x, needed in zip(node.inputs, node.needs_input_grad):
            parent = x.grad_fn if needed else None
            if parent is None:
                continue
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
        for x, needed in zip(node.inputs, node.needs_input_grad):
            parent = x.grad_fn if needed else None
            if parent is not None:
                consumers[parent] -= 1
                if consumers[parent] == 0:
                    ready.append(parent)
    order.reverse()
    return order


def initial_gradient(output: Tensor, gradient: Any, op: str = "backward") -> Tensor:
    """∂E/∂output to start a backward pass from: ones for a one-element output, else the
    given ``gradient``, which must have the output's shape (``op`` names the caller)."""
    if gradient is None:
        if output.size != 1:
            raise RuntimeError(
                f"{op}: gradient= is needed for an output of shape {output.shape} (it can "
                "be omitted only for a one-element output)"
            )
        return Tensor._make(np.ones_like(output.data))
    grad = gradient if isinstance(gradient, Tensor) else Tensor(gradient, dtype=output.dtype)
    if grad.shape != output.shape:
        raise RuntimeError(
            f"{op}: gradient has shape {grad.shape} but the output has shape {output.shape}"
        )
    return grad


def _run_hooks(owner: Any, grad: Tensor) -> Tensor:
    for hook in list(owner._hooks):
        replaced = hook(grad)
        if replaced is not None:
            grad = replaced if isinstance(replaced, Tensor) else Tensor(replaced)
    return grad


def _accumulate(store: dict, key: Any, grad: Tensor) -> None:
    previous = store.get(key)
    store[key] = grad if previous is None else previous + grad


def _send(grads: dict, heap: list, node: Function, grad: Tensor) -> None:
    """Add ``grad`` to what ``node`` has received; queue the node on its first gradient.

    The queue hands out the latest-created node first: a node is created after all its
    inputs' nodes (``Function.apply`` numbers them), so every consumer of a node has sent
    its share before the node is taken — fan-out gradients are complete when used."""
    previous = grads.get(node)
    if previous is None:
        grads[node] = grad
        heapq.heappush(heap, (-node.sequence, node))
    else:
        grads[node] = previous + grad


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of a backward pass.

    The pass allocates many short-lived objects, each of which would count towards the
    collector's next sweep over the whole (large, live) graph; the pass makes no cycles,
    so refcounting frees everything it drops and the sweeps would find nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_backward(outputs: Sequence[Tensor], grad_outputs: Sequence[Any], retain_graph: bool,
                 create_graph: bool, targets: Sequence[Tensor] | None = None) -> dict:
    """The backward pass. Without ``targets``, leaves' ``.grad`` accumulate; with them,
    nothing is written and the dict maps ``id(target)`` to its gradient."""
    grads: dict[Function, Tensor] = {}  # gradient received so far, per node
    heap: list[tuple[int, Function]] = []  # nodes with a gradient, latest-created first
    leaf_grads: dict[int, Tensor] = {}  # leaf gradients, keyed by id(leaf)
    leaves: dict[int, Tensor] = {}
    for out, g in zip(outputs, grad_outputs):
        grad = initial_gradient(out, g)
        if out.grad_fn is None:
            _accumulate(leaf_grads, id(out), grad)
            leaves[id(out)] = out
        else:
            _send(grads, heap, out.grad_fn, grad)
    wanted = target_nodes = target_leaves = None
    if targets is not None:
        target_leaves = {id(t) for t in targets if t.grad_fn is None}
        wanted = _nodes_leading_to([out.grad_fn for out in outputs if out.grad_fn], targets)
        target_nodes = {id(t.grad_fn): id(t) for t in targets if t.grad_fn is not None}
    results: dict[int, Tensor] = {}

    with _grad_mode(create_graph), _cyclic_gc_paused():
        while heap:
            node = heapq.heappop(heap)[1]
            grad = grads.pop(node)
            if wanted is not None and id(node) not in wanted:
                continue
            if node.saved is None:
                raise RuntimeError(
                    f"backward: trying to backward through the graph a second time "
                    f"(at {node.name}); its saved values were freed by the first backward — "
                    "pass retain_graph=True to the first backward to keep them"
                )
            if node._hooks:
                grad = _run_hooks(node, grad)
            if target_nodes is not None:
                if id(node) in target_nodes:
                    results[target_nodes[id(node)]] = grad
            elif node.retained is not None:
                _retain(node.retained(), grad, create_graph)
            for x, g, needed in zip(node.inputs, node.backward(grad), node.needs_input_grad):
                if not needed or g is None:
                    continue
                if g.data.shape != x.data.shape:
                    g = unbroadcast(g, x.data.shape)
                if g.data.dtype != x.data.dtype:
                    g = g.astype(x.data.dtype)
                if x.grad_fn is not None:
                    _send(grads, heap, x.grad_fn, g)
                elif target_leaves is None or id(x) in target_leaves:
                    _accumulate(leaf_grads, id(x), g)
                    leaves[id(x)] = x
            if not retain_graph:
                node.saved = None

        for key, grad in leaf_grads.items():
            leaf = leaves[key]
            if leaf._hooks:
                grad = _run_hooks(leaf, grad)
            if targets is not None:
                results[key] = grad
            else:
                _retain(leaf, grad, create_graph)
    return results


def _retain(tensor: Tensor | None, grad: Tensor, create_graph: bool) -> None:
    """Add ``grad`` into ``tensor.grad`` (gradients accumulate until zeroed)."""
    if tensor is None:
        return
    if not create_graph:
        grad = grad.detach()
    tensor.grad = grad if tensor.grad is None else tensor.grad + grad


def _nodes_leading_to(roots: list[Function], targets: Sequence[Tensor]) -> set[int]:
    """The nodes from which some target can be reached (only they need a backward)."""
    order = topological_order(roots)
    target_ids = {id(t) for t in targets}
    target_ids.update(id(t.grad_fn) for t in targets if t.grad_fn is not None)
    wanted: set[int] = set()
    for node in order:  # inputs before consumers
        if id(node) in target_ids or any(
            needed and (id(x) in target_ids or id(x.grad_fn) in wanted)
            for x, needed in zip(node.inputs, node.needs_input_grad)
        ):
            wanted.add(id(node))
    return wanted


def backward(output: Tensor, gradient: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False) -> None:
    """``output.backward(...)``: accumulate d(output)/d(leaf) into every leaf's ``.grad``."""
    if not output.requires_grad:
        raise RuntimeError(
            "backward: the output does not require grad (no input had requires_grad=True, "
            "or it was computed under no_grad)"
        )
    if retain_graph is None:
        retain_graph = create_graph
    run_backward([output], [gradient], retain_graph, create_graph)


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool = False) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``.

    Returns one Tensor per input. An input the outputs do not depend on raises
    ``RuntimeError``, or gives ``None`` with ``allow_unused=True``. With
    ``create_graph=True`` the gradients are themselves differentiable."""
    if isinstance(outputs, Tensor):
        outputs, grad_outputs = [outputs], [grad_outputs]
    outputs = list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(
            f"grad: {len(grad_outputs)} grad_outputs given for {len(outputs)} outputs"
        )
    for i, t in enumerate([*outputs, *inputs]):
        if not isinstance(t, Tensor) or not t.requires_grad:
            role = "output" if i < len(outputs) else "input"
            raise RuntimeError(f"grad: every {role} must be a Tensor that requires grad")
    if retain_graph is None:
        retain_graph = create_graph
    results = run_backward(outputs, grad_outputs, retain_graph, create_graph, targets=inputs)
    grads = tuple(results.get(id(t)) for t in inputs)
    for i, g in enumerate(grads):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} (shape {inputs[i].shape}) was not used to compute the "
                "outputs; pass allow_unused=True to get None for it"
            )
    if not create_graph:
        grads = tuple(None if g is None else g.detach() for g in grads)
    return grads
