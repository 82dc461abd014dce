"""The reverse-mode engine: one iterative backward pass for every op (S13's chain rule).

From the output back, each node receives ∂E/∂y for its result y — the sum of what its
consumers sent (fan-out adds up) — hands it to its op's ``backward``, and sends one
gradient to each input, reduced to that input's shape (``unbroadcast``). Leaves add what
they receive into ``.grad``. No recursion anywhere, so a graph of a million ops
backpropagates.

A plain pass works on ndarrays; ``create_graph=True`` passes Tensors to the same formulas,
so the pass is itself recorded and can be differentiated again. Once a node has run, it
drops its result's value and, unless ``retain_graph=True``, the arrays it kept for its
backward: a live output then holds no activations.

The other concerns are one call each into a module of their own: ``versions`` (values
changed in place), ``hooks`` (tensor hooks, anomaly checks), ``concurrency`` (the lock
around ``.grad``, the paused garbage collector) and ``record`` (the tape of a pass that
``ag.retain_grads`` asked to keep).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import hooks, versions
from autograd.concurrency import accumulate, collector_paused, owned
from autograd.function import Function
from autograd.grad_mode import _grad_mode
from autograd.graph import topological_order
from autograd.record import Tape
from autograd.tensor import Tensor


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or stretched, back to ``shape``.

    If y = broadcast(x), then ∂E/∂x = Σ over the copies of ∂E/∂y: the one place where
    broadcasting is undone, so no op's backward mentions shapes it did not create."""
    if grad.shape == shape:
        return grad
    leading = len(grad.shape) - len(shape)
    stretched = tuple(leading + i for i, n in enumerate(shape)
                      if n == 1 and grad.shape[leading + i] != 1)
    return grad.sum(axis=tuple(range(leading)) + stretched).reshape(shape)


def shaped_like(grad: Any, source: Any) -> Any:
    """``grad`` as the input ``source`` takes it: broadcasting undone, and in the input's
    dtype (``source``: a node, whose ``shape`` and ``dtype`` are its result's; a leaf; or
    an array)."""
    like = source._data if isinstance(source, Tensor) else source
    if grad.shape != like.shape:
        grad = unbroadcast(grad, like.shape)
    if grad.dtype != like.dtype:
        grad = grad.astype(like.dtype)
    return grad


def ones_like(array: np.ndarray) -> np.ndarray:
    """∂E/∂E = 1, in the output's shape and dtype."""
    return np.ones(array.shape, array.dtype)


def give_leaf_gradient(leaf: Tensor, grad: Any, create_graph: bool,
                       handed_out: dict[int, Any], run_hooks: bool = True) -> None:
    """The end of the chain for a leaf: its hooks see the summed gradient, which is then
    added into ``leaf.grad``."""
    if leaf._hooks and run_hooks:
        grad = hooks.run_tensor_hooks(leaf, grad, create_graph)
    accumulate(leaf, grad, create_graph, handed_out)


def run_backward(outputs: Sequence[Tensor], grad_outputs: Sequence[Any], retain_graph: bool,
                 create_graph: bool, targets: Sequence[Tensor] | None = None,
                 tape: Tape | None = None, run_hooks: bool = True) -> dict:
    """The backward pass. Without ``targets``, leaves' ``.grad`` accumulate; with them,
    nothing is written and the dict maps ``id(target)`` to its gradient. A ``tape`` (by
    default the one ``retain_grads`` hung on the graph) receives the record of the pass."""
    # Nodes waiting with a gradient, the latest made first: a node is made after every
    # node its inputs came from, so all its consumers have sent their share by the time
    # it is taken, and each gradient is complete when used.
    queue: list[tuple[int, Function]] = []
    pending: dict[Function, Any] = {}  # node → ∂E/∂(its result), summed so far
    leaf_grads: dict[int, Any] = {}  # id(leaf) → ∂E/∂leaf, summed so far
    leaves: dict[int, Tensor] = {}
    wanted = target_nodes = target_leaves = None
    if targets is not None:  # grad(): only what leads to a target runs
        target_leaves = {id(t) for t in targets if t.grad_fn is None}
        target_nodes = {t.grad_fn: id(t) for t in targets if t.grad_fn is not None}
        wanted = _nodes_leading_to([out.grad_fn for out in outputs if out.grad_fn], targets)

    def receive(source: Any, grad: Any) -> None:
        """Fan-out adds up: a node or leaf used n times receives n gradients."""
        if isinstance(source, Function):
            if source in pending:
                pending[source] = pending[source] + grad
            else:
                pending[source] = grad
                heapq.heappush(queue, (-source.sequence, source))
        elif target_leaves is None or id(source) in target_leaves:
            previous = leaf_grads.get(id(source))
            leaf_grads[id(source)] = grad if previous is None else previous + grad
            leaves[id(source)] = source

    if tape is None:
        tape = next((out.grad_fn.tape for out in outputs if out.grad_fn is not None), None)
    if tape is not None:
        tape.begin()
    handed_out: dict[int, Any] = {}  # arrays given to a .grad (or the caller's): never shared
    for out, given in zip(outputs, grad_outputs):
        grad = initial_gradient(out, given)
        grad = grad if create_graph else grad._data
        handed_out[id(grad)] = grad
        if tape is not None:
            tape.start(out.grad_fn or out, grad)
        receive(out.grad_fn or out, grad)

    results: dict[int, Any] = {}
    with _grad_mode(create_graph), collector_paused():  # formulas recorded for create_graph
        while queue:
            _, node = heapq.heappop(queue)
            grad = pending.pop(node)
            if wanted is not None and node not in wanted and node not in target_nodes:
                continue
            if node.released:
                raise RuntimeError(
                    f"backward: trying to backward through the graph a second time (at "
                    f"{node.name}); its saved values were freed by the first backward — "
                    "pass retain_graph=True to the first backward to keep them")
            if node._hooks and run_hooks:
                grad = hooks.run_tensor_hooks(node, grad, create_graph)
            if target_nodes is not None:
                if node in target_nodes:
                    results[target_nodes[node]] = grad
                if node not in wanted:  # a target that leads to no other target
                    continue
            elif node.retains_grad:
                accumulate(node, grad, create_graph, handed_out)
            step = None if tape is None else tape.step(node, grad)
            if versions.last_change[0] > node.sequence:  # something changed in place since
                versions.check_inputs(node)

            inputs = node.backward_inputs() if create_graph else node.input_arrays
            local = node.backward(grad, *inputs)

            if hooks.anomaly_check is not None:
                hooks.anomaly_check(node, "backward", [grad], local)
            for slot, (source, g, needed) in enumerate(
                    zip(node.inputs, local, node.needs_input_grad)):
                if needed and g is not None:
                    g = shaped_like(g, source)
                    if step is not None:
                        tape.send(step, slot, source, g)
                    receive(source, g)
            if tape is None:  # every consumer of the node's result has run: drop it
                node.value = None
            if not retain_graph:
                node.release(keep_values=tape is not None)

        for key, grad in leaf_grads.items():
            if targets is not None:
                leaf = leaves[key]
                results[key] = (hooks.run_tensor_hooks(leaf, grad, create_graph)
                                if leaf._hooks and run_hooks else grad)
            else:
                give_leaf_gradient(leaves[key], grad, create_graph, handed_out, run_hooks)
    if tape is not None:
        tape.complete = True
    return results


def _nodes_leading_to(roots: list[Function], targets: Sequence[Tensor]) -> set[Function]:
    """The nodes whose backward sends a gradient on towards some target (only they need
    one): those with an input that is a target or is made by such a node."""
    target_sources = {t.grad_fn or t for t in targets}
    wanted: set[Function] = set()
    for node in topological_order(roots):  # inputs before consumers
        if any(needed and (source in target_sources or source in wanted)
               for source, needed in zip(node.inputs, node.needs_input_grad)):
            wanted.add(node)
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
    _mark_backpropagated([output])


def _mark_backpropagated(outputs: Sequence[Tensor]) -> None:
    """Note on the outputs' nodes that a pass ran (``retain_grads`` is too late now)."""
    for out in outputs:
        if out.grad_fn is not None:
            out.grad_fn.backpropagated = True


def initial_gradient(output: Tensor, gradient: Any, op: str = "backward") -> Tensor:
    """∂E/∂output to start a backward pass from: ones for a one-element output, else the
    given ``gradient``, which must have the output's shape (``op`` names the caller)."""
    if gradient is None:
        if output._data.size != 1:
            raise RuntimeError(
                f"{op}: gradient= is needed for an output of shape {output.shape} (it can "
                "be omitted only for a one-element output)"
            )
        return Tensor._make(ones_like(output._data))
    try:
        grad = gradient if isinstance(gradient, Tensor) else Tensor(gradient, dtype=output.dtype)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{op}: gradient= must be numbers of the output's shape "
                          f"{output.shape}: {error}") from None
    if grad.shape != output.shape:
        raise ValueError(
            f"{op}: gradient has shape {grad.shape} but the output has shape {output.shape}"
        )
    return grad




def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool = False) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``.

    Returns one Tensor per input. An input the outputs do not depend on raises
    ``RuntimeError``, or gives ``None`` with ``allow_unused=True``. With
    ``create_graph=True`` the gradients are themselves differentiable."""
    for role, given in (("outputs", outputs), ("inputs", inputs)):
        if not isinstance(given, Tensor | list | tuple):
            raise TypeError(f"grad: {role} must be a Tensor or a sequence of Tensors, got "
                            f"{type(given).__name__}")
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
    _mark_backpropagated(outputs)
    handed_out: dict[int, Any] = {}
    grads = tuple(None if g is None else g if create_graph else
                  Tensor._make(owned(g, handed_out)) for g in map(results.get, map(id, inputs)))
    for i, g in enumerate(grads):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} (shape {inputs[i].shape}) was not used to compute the "
                "outputs; pass allow_unused=True to get None for it"
            )
    return grads
