"""What a traced step (``ag.trace``) cannot replay, found while ``fn`` is traced: a replay
runs each op on arrays and nothing else, so arguments it cannot tell apart, outputs no op
made, hooks and kept gradients on intermediate tensors, and arrays or tensors made inside
``fn`` are refused, naming the op and the shape at fault; a value read into Python warns.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd.tensor import Tensor


def signature(args: tuple) -> tuple:
    """What a trace is valid for: each array's or tensor's shape and dtype (and whether a
    tensor requires grad), any other argument's value."""
    key = []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            if a.grad_fn is not None:
                raise RuntimeError(
                    f"trace: argument {i} is the result of {a.grad_fn.name}, but a traced "
                    "step cannot backpropagate into a graph made before it; pass a leaf "
                    "tensor (x.detach()) or an array")
            key.append((Tensor, a._data.shape, a._data.dtype, a._requires_grad))
        elif isinstance(a, np.ndarray):
            key.append((np.ndarray, a.shape, a.dtype))
        else:
            try:
                hash(a)
            except TypeError:
                raise TypeError(
                    f"trace: argument {i} is a {type(a).__name__}, which a traced step cannot "
                    "tell apart from call to call; pass arrays, tensors, numbers or strings "
                    "(np.asarray(...) for a list of numbers)") from None
            key.append((type(a), a))
    return tuple(key)


def checked_results(result: Any) -> tuple[tuple[Tensor, ...], bool]:
    """fn's result as a tuple, the loss first, and whether it was the loss alone: the loss
    must be a one-element tensor made by ops from tensors that require grad, the other
    outputs tensors made by ops (the replay recomputes only what ops made)."""
    single = not isinstance(result, tuple | list)
    results = (result,) if single else tuple(result)
    loss = results[0] if results else None
    if not (isinstance(loss, Tensor) and loss.size == 1 and loss.grad_fn is not None):
        got = (f"a tensor of shape {loss.shape}"
               + ("" if loss.requires_grad else " that does not require grad")
               if isinstance(loss, Tensor) else type(loss).__name__)
        raise RuntimeError("trace: fn must return the loss, a one-element Tensor computed "
                           "by ops from tensors that require grad (or a tuple of it and "
                           f"other outputs); got {got}")
    for k, t in enumerate(results[1:], start=1):
        if not isinstance(t, Tensor) or t.grad_fn is None:
            got = "a tensor no op made" if isinstance(t, Tensor) else type(t).__name__
            raise RuntimeError(
                f"trace: output {k} of fn must be a tensor computed by ops from tensors "
                f"that require grad (the model's output, say), as a replay recomputes "
                f"only those; got {got} — return the logits and take argmax, or call "
                "numpy, outside the step")
    return results, single


def refuse_recording(node: Any) -> None:
    """A replay makes no tensors, so it cannot serve hooks or keep gradients on them."""
    if node._hooks:
        raise RuntimeError(
            f"trace: fn registered a hook on the result of {node.name}; a replayed step "
            "makes no intermediate tensors to call it on (hooks on leaves do run): "
            "register it on a leaf, or call fn without ag.trace")
    if node.retains_grad or node.tape is not None:
        what = "ag.retain_grads" if node.tape is not None else "retain_grad()"
        raise RuntimeError(
            f"trace: fn called {what} (on the result of {node.name}), but a replayed "
            "step keeps no intermediate values or gradients; call fn without ag.trace "
            "to look at them")


def refuse_temporaries(leaves: list[Tensor], used_by: list[Any]) -> None:
    """A leaf that nothing but the graph held was made inside fn (a comparison ``x > 0``,
    ``ag.tensor(...)``): a replay would reuse its first value, so it is refused. The
    nodes have dropped their inputs by now, so such a leaf lives only in ``leaves``."""
    refs = [weakref.ref(t) for t in leaves]
    shapes = [(t.shape, t._requires_grad) for t in leaves]
    leaves.clear()
    for ref, node, (shape, requires_grad) in zip(refs, used_by, shapes):
        if ref() is None:
            kind = "tensor that requires grad" if requires_grad else "constant tensor"
            raise RuntimeError(
                f"trace: {node.name} received a {kind} of shape {shape} that only the "
                "graph holds (made inside fn: from an array that is not an argument, a "
                "comparison such as x > 0, ag.tensor(...)), so a replay would reuse its "
                "first value; compute it from the arguments with ops, pass it as an "
                "argument, or create it outside fn")
    leaves.extend(ref() for ref in refs)


def refuse_arrays(node: Any, x: Any) -> None:
    """An array (or NumPy scalar) made inside fn would be frozen at its first value."""
    a = next(_arrays_in(x), None)
    if a is not None:
        raise RuntimeError(
            f"trace: {node.name} received an array of shape {np.shape(a)} (dtype "
            f"{a.dtype}) that is not an argument of the step (made inside fn, or read by "
            "fn from outside), so a replay would reuse its first value; pass it to the "
            "step as an argument (a constant: keep it in a Tensor created outside fn)")


def _arrays_in(x: Any) -> Iterator[Any]:
    if isinstance(x, np.ndarray | np.generic):
        yield x
    elif isinstance(x, tuple | list):
        for y in x:
            yield from _arrays_in(y)


def warn_value_read(how: str) -> None:
    warnings.warn(
        f"ag.trace: fn read a tensor's value ({how}) while its step was being traced; a "
        "replay does not run fn's Python, so a decision taken on this value stays as it "
        "was now; keep value-dependent Python out of a traced fn, or call fn without "
        "ag.trace", UserWarning, stacklevel=5)  # fn's line: per_thread, _read_value, .data/float/…
