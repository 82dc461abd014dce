"""What lets several threads run backward at once: one lock around every write into a
``.grad``, and the cyclic garbage collector paused while any pass runs.

A pass allocates many short-lived objects, each counting towards the collector's next
sweep over the whole live graph; the pass makes no cycles, so reference counting frees
everything it drops and such sweeps would find nothing. The pause is counted, so threads
running backward at once leave the collector as the first one found it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Held while a gradient is added into a ``.grad`` (gradients of many threads accumulate).
grad_lock = threading.Lock()

_pause_lock = threading.Lock()
_passes_running = 0
_collector_was_on = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (counted across threads)."""
    global _passes_running, _collector_was_on
    with _pause_lock:
        if _passes_running == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _passes_running += 1
    try:
        yield
    finally:
        with _pause_lock:
            _passes_running -= 1
            if _passes_running == 0 and _collector_was_on:
                gc.enable()


def owned(grad: Any, handed_out: dict[int, Any]) -> Any:
    """An array no other ``.grad`` (or caller) shares: a view, or an array already handed
    to another holder in this pass, is copied. ``handed_out`` maps id → array and keeps
    each one alive for the pass, so that no new array can take a handed-out one's id."""
    if grad.base is not None or id(grad) in handed_out:
        grad = grad.copy()
    handed_out[id(grad)] = grad
    return grad


def accumulate(holder: Any, grad: Any, create_graph: bool, handed_out: dict[int, Any]) -> None:
    """Add ``grad`` into the gradient ``holder`` keeps: a leaf Tensor's ``.grad``, or a
    node's (for a non-leaf whose gradient is retained). Gradients add up until zeroed."""
    from autograd.tensor import Tensor

    if not create_graph:
        grad = Tensor._make(owned(grad, handed_out))
    with grad_lock:
        previous = holder._grad
        holder._grad = grad if previous is None else previous + grad
