"""How much array memory a graph keeps alive: the measure behind "a live loss keeps no
activations" (``tests/test_graph_lifetime.py``, ``bench/bench_memory.py``)."""

from __future__ import annotations

import gc
from typing import Any

import numpy as np

from autograd.tensor import Tensor


def reachable_bytes(*roots: Any, exclude: Any = ()) -> int:
    """Bytes of the arrays reachable from ``roots`` (each owner counted once, views not at
    all), other than those in ``exclude``: arrays, or tensors whose data and gradient are
    left out — what exists whatever the graph keeps (parameters, the caller's batch)."""
    skip = set()
    for t in exclude:
        if isinstance(t, Tensor):
            skip.add(id(t._data))
            if t._grad is not None:
                skip.add(id(t._grad._data))
        else:
            skip.add(id(t))
    seen, stack, total = set(), list(roots), 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            if obj.base is None and id(obj) not in skip:
                total += obj.nbytes
            continue
        stack.extend(gc.get_referents(obj))
    return total
