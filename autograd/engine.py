"""The reverse-mode engine: one iterative backward pass for every op.

The chain rule, applied node by node from the output back: each node receives the sum of
the gradients sent by its consumers (fan-out adds up), hands it to its op's ``backward``,
and sends one gradient to each input, reduced to that input's shape (``unbroadcast``).
No recursion anywhere, so a graph of a million ops backpropagates.

A plain pass works on ndarrays; ``create_graph=True`` passes Tensors to the same formulas,
so the pass is itself recorded. Afterwards, unless ``retain_graph=True``, each node drops
what it kept for the pass (saved values, its inputs' arrays), and every input tensor that
only the graph holds is turned into a ``Released`` tensor, so a live output holds no
activations.
"""

from __future__ import annotations

import gc
import heapq
import math
import sys
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import function
from autograd.function import Function
from autograd.grad_mode import _state
from autograd.graph import topological_order
from autograd.record import Tape
from autograd.tensor import Tensor, last_change


class Released(Tensor):
    """A tensor whose values a backward pass freed, because nothing but the graph held it:
    it stays in the graph, with its op, name, shape and dtype (``_data`` keeps only
    ``(shape, dtype)``), so the graph can still be drawn; its values are gone."""

    __slots__ = ()
    grad = None
    freed = True

    @property
    def data(self) -> np.ndarray:
        raise RuntimeError(
            "Tensor.data: the values of this intermediate tensor were freed by backward; "
            "call ag.retain_grads(output) before output.backward() to keep them")

    shape = property(lambda self: self._data[0])
    dtype = property(lambda self: self._data[1])
    ndim = property(lambda self: len(self._data[0]))
    size = property(lambda self: math.prod(self._data[0]))


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


def ones_like(array: np.ndarray) -> np.ndarray:
    """``np.ones_like(array)`` without its Python wrapper (4k instructions a call)."""
    one = np.empty(array.shape, array.dtype)
    one.fill(1)
    return one


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
    grad = gradient if isinstance(gradient, Tensor) else Tensor(gradient, dtype=output.dtype)
    if grad.shape != output.shape:
        raise ValueError(
            f"{op}: gradient has shape {grad.shape} but the output has shape {output.shape}"
        )
    return grad


def _run_hooks(owner: Any, grad: Any, create_graph: bool) -> Any:
    """``grad`` after the hooks of ``owner`` (a node, or a leaf tensor) have seen it."""
    tensor = grad if create_graph else Tensor._make(grad)
    for hook in list(owner._hooks):
        replaced = hook(tensor)
        if replaced is not None:
            replaced = replaced if isinstance(replaced, Tensor) else Tensor(replaced)
            if replaced.shape != tensor.shape:
                what = owner.name if isinstance(owner, Function) else "leaf"
                raise RuntimeError(
                    f"hook on the {what} tensor: returned a gradient of shape "
                    f"{replaced.shape}, but the gradient has shape {tensor.shape}")
            tensor = replaced
    return tensor if create_graph else tensor._data


def _check_versions(node: Function) -> None:
    """A tensor changed in place since ``node`` used it would make the gradient wrong."""
    for x in node.inputs:
        if isinstance(x, Tensor) and x._version > node.sequence:
            raise RuntimeError(
                f"backward: an input of {node.name} (shape {x.shape}"
                f"{', ' + repr(x.name) if x.name else ''}) was changed in place after "
                f"{node.name} used it, so its gradient would be computed from the new "
                "values; change a copy instead, or recompute the forward pass")


def _release(tensor: Tensor, holders: int) -> None:
    """Free the values of ``tensor``, an input of the graph, if nothing but ``holders``
    slots of nodes' input tuples (and the pass) references it: activations, temporary
    batches. A tensor the caller still references keeps its data, and so does one wrapping
    an array someone else holds (an input batch: freeing it would free nothing).

    The count of references tells: ``holders`` slots, the caller's name for the tensor,
    this argument and ``getrefcount``'s own; more means somebody else holds it. The tensor
    is turned in place into a ``Released`` one, without a copy or a new object."""
    if sys.getrefcount(tensor) == holders + 3:
        data = tensor._data
        if sys.getrefcount(data) == 3:  # tensor._data, this name, getrefcount's argument
            tensor._data = (data.shape, data.dtype)
            tensor.__class__ = Released


def _release_constants(constants: list[Tensor]) -> None:
    """``_release`` each constant input (a tensor that needs no gradient) once the pass is
    over; ``constants`` has one entry per use by a node that ran."""
    uses: dict[int, int] = {}
    for x in constants:
        uses[id(x)] = uses.get(id(x), 0) + 1
    for x in constants:
        n = uses.pop(id(x), 0)  # each tensor once
        if n:  # n input slots and n list entries hold it: 2n holders
            _release(x, 2 * n)


# ------------------------------------------------------------------ shared state
_grad_lock = threading.Lock()  # one backward at a time writes into any .grad
_gc_lock = threading.Lock()
_gc_pauses = [0, False]  # backward passes running, and whether GC was on before the first


def _pause_gc() -> None:
    """Pause Python's cyclic garbage collector while any backward pass runs.

    A pass allocates many short-lived objects, each counting towards the collector's next
    sweep over the whole (large, live) graph; the pass makes no cycles, so refcounting
    frees everything it drops and the sweeps would find nothing. Counted, so that threads
    running backward at once leave the collector as the first one found it."""
    with _gc_lock:
        if _gc_pauses[0] == 0:
            _gc_pauses[1] = gc.isenabled()
            gc.disable()
        _gc_pauses[0] += 1


def _resume_gc() -> None:
    with _gc_lock:
        _gc_pauses[0] -= 1
        if _gc_pauses[0] == 0 and _gc_pauses[1]:
            gc.enable()


def _owned(grad: Any, handed_out: dict[int, Any]) -> Any:
    """An array no other ``.grad`` (or caller) shares: a view, or an array already handed
    to another tensor in this pass, is copied. ``handed_out`` maps id → array and so keeps
    each one alive for the pass: a freed array's id is soon given to a new array, which
    would then be copied for nothing."""
    if grad.base is not None or id(grad) in handed_out:
        grad = grad.copy()
    handed_out[id(grad)] = grad
    return grad


def _retain(tensor: Tensor | None, grad: Any, create_graph: bool,
            handed_out: dict[int, Any]) -> None:
    """Add ``grad`` into ``tensor.grad`` (gradients accumulate until zeroed)."""
    if tensor is None:
        return
    if not create_graph:
        grad = Tensor._make(_owned(grad, handed_out))
    with _grad_lock:
        previous = tensor._grad
        tensor._grad = grad if previous is None else previous + grad


def run_backward(outputs: Sequence[Tensor], grad_outputs: Sequence[Any], retain_graph: bool,
                 create_graph: bool, targets: Sequence[Tensor] | None = None,
                 tape: Tape | None = None, run_hooks: bool = True) -> dict:
    """The backward pass. Without ``targets``, leaves' ``.grad`` accumulate; with them,
    nothing is written and the dict maps ``id(target)`` to its gradient. A ``tape`` (by
    default the one ``retain_grads`` hung on the graph) receives the record of the pass."""
    # The queue of nodes with a gradient hands out the latest-created node first: a node
    # is created after all its inputs' nodes (``Function.apply`` numbers them), so every
    # consumer of a node has sent its share before the node is taken, and fan-out
    # gradients are complete when used. An entry is [−sequence, node, the tensor the node
    # made (None for an output), gradient so far, sends so far (for _release)].
    queued: dict[Function, list] = {}  # node → its entry in the heap
    heap: list[list] = []
    leaf_grads: dict[int, Any] = {}  # leaf gradients, keyed by id(leaf)
    leaves: dict[int, Tensor] = {}
    if tape is None:
        tape = next((out.grad_fn.tape for out in outputs if out.grad_fn is not None), None)
    if tape is not None:
        tape.begin()
    handed_out: dict[int, Any] = {}
    for out, g in zip(outputs, grad_outputs):
        grad = initial_gradient(out, g)
        grad = grad if create_graph else grad._data
        handed_out[id(grad)] = grad  # the caller's array: never a .grad itself
        if tape is not None:
            tape.start(id(out.grad_fn) if out.grad_fn is not None else id(out), grad)
        if out.grad_fn is None:
            leaf_grads[id(out)] = grad if id(out) not in leaf_grads else leaf_grads[id(out)] + grad
            leaves[id(out)] = out
        elif out.grad_fn in queued:  # the same node's output twice
            queued[out.grad_fn][3] = queued[out.grad_fn][3] + grad
        else:
            queued[out.grad_fn] = [-out.grad_fn.sequence, out.grad_fn, None, grad, 0]
            heap.append(queued[out.grad_fn])
    heapq.heapify(heap)
    wanted = target_nodes = target_leaves = None
    if targets is not None:
        target_leaves = {id(t) for t in targets if t.grad_fn is None}
        wanted = _nodes_leading_to([out.grad_fn for out in outputs if out.grad_fn], targets)
        target_nodes = {id(t.grad_fn): id(t) for t in targets if t.grad_fn is not None}
    results: dict[int, Any] = {}
    free = not retain_graph and tape is None  # a recorded pass keeps the values it showed
    constants: list[Tensor] = []  # constant inputs whose values a plain pass may free
    check = function.anomaly_check
    heappush, heappop = heapq.heappush, heapq.heappop
    getrefcount = sys.getrefcount

    previous_mode = _state.enabled
    _state.enabled = create_graph  # the formulas' own ops are recorded only for create_graph
    _pause_gc()
    try:
        while heap:
            _, node, made, grad, sends = heappop(heap)
            del queued[node]
            if wanted is not None and id(node) not in wanted and id(node) not in target_nodes:
                continue
            if node.saved is None:
                raise RuntimeError(
                    f"backward: trying to backward through the graph a second time "
                    f"(at {node.name}); its saved values were freed by the first backward — "
                    "pass retain_graph=True to the first backward to keep them"
                )
            if node._hooks and run_hooks:
                grad = _run_hooks(node, grad, create_graph)
            if target_nodes is not None:
                if id(node) in target_nodes:
                    results[target_nodes[id(node)]] = grad
                if id(node) not in wanted:  # a target that leads to no other target
                    continue
            elif node.retained is not None:
                _retain(node.retained(), grad, create_graph, handed_out)
            step = None if tape is None else tape.step(node, grad)
            if last_change[0] > node.sequence:  # some tensor changed since node was made
                _check_versions(node)
            inputs = node.inputs
            local = node.backward(grad, *(inputs if create_graph else node.arrays))
            if check is not None:
                check(node, "backward", [grad], local)
            for slot, (x, g, needed) in enumerate(zip(inputs, local, node.needs_input_grad)):
                if not needed or g is None:
                    if free and type(x) is Tensor:
                        constants.append(x)  # freed after the pass if only we hold it
                    continue
                data = x._data
                if g.shape != data.shape:
                    g = unbroadcast(g, data.shape)
                if g.dtype != data.dtype:
                    g = g.astype(data.dtype)
                if step is not None:
                    tape.send(step, slot, x, g)
                producer = x.grad_fn
                if producer is not None:  # send g to it; queue it on its first gradient
                    entry = queued.get(producer)
                    if entry is None:
                        queued[producer] = entry = [-producer.sequence, producer, x, g, 1]
                        heappush(heap, entry)
                    else:
                        entry[3] = entry[3] + g
                        entry[4] += 1
                elif target_leaves is None or id(x) in target_leaves:
                    previous = leaf_grads.get(id(x))
                    leaf_grads[id(x)] = g if previous is None else previous + g
                    leaves[id(x)] = x
            if not retain_graph:
                node.saved = node.arrays = None
                if free and made is not None:  # every consumer of made has run:
                    entry = None  # (the last entry sent to may be made's own)
                    # _release(made, sends) written out, a call fewer per node: made is
                    # held by `sends` input slots, this name and getrefcount's argument;
                    # its data by made and getrefcount's argument.
                    if getrefcount(made) == sends + 2 and getrefcount(made._data) == 2:
                        made._data = (made._data.shape, made._data.dtype)
                        made.__class__ = Released

        for key, grad in leaf_grads.items():
            leaf = leaves[key]
            if leaf._hooks and run_hooks:
                grad = _run_hooks(leaf, grad, create_graph)
            if targets is not None:
                results[key] = grad
            else:
                _retain(leaf, grad, create_graph, handed_out)
        if constants:
            x = None  # this frame's last reference to an input
            _release_constants(constants)
    finally:
        _state.enabled = previous_mode
        _resume_gc()
    if tape is not None:
        tape.complete = True
    return results


def _nodes_leading_to(roots: list[Function], targets: Sequence[Tensor]) -> set[int]:
    """The nodes whose backward sends a gradient on towards some target (only they need
    one): those with an input that is a target or is made by such a node."""
    order = topological_order(roots)
    target_ids = {id(t) for t in targets}
    target_ids.update(id(t.grad_fn) for t in targets if t.grad_fn is not None)
    wanted: set[int] = set()
    for node in order:  # inputs before consumers
        if any(
            needed and (id(x) in target_ids or id(x.grad_fn) in wanted
                        or id(x.grad_fn) in target_ids)
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
    _mark_backpropagated([output])


def _mark_backpropagated(outputs: Sequence[Tensor]) -> None:
    """Note on the outputs' nodes that a pass ran (``retain_grads`` is too late now)."""
    for out in outputs:
        if out.grad_fn is not None:
            out.grad_fn.backpropagated = True


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
    _mark_backpropagated(outputs)
    handed_out: dict[int, Any] = {}
    grads = tuple(None if g is None else g if create_graph else
                  Tensor._make(_owned(g, handed_out)) for g in map(results.get, map(id, inputs)))
    for i, g in enumerate(grads):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} (shape {inputs[i].shape}) was not used to compute the "
                "outputs; pass allow_unused=True to get None for it"
            )
    return grads
