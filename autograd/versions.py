"""Version counters: a gradient computed from values that were changed in place after an
op used them would be silently wrong, so backward refuses it (as PyTorch's saved-tensor
versions do).

One clock numbers every new node (``Function.apply``) and every in-place change. A
tensor's version lives with whoever stands for it in the graph: a leaf's on the leaf
itself, an op result's on the node that made it (all Tensor objects wrapping one node share
it). A node's inputs changed after the node was made when their version is larger than the
node's ``sequence``; the graph keeps the node or leaf, never the intermediate tensor.

Tensors can share memory — a view (``reshape``, ``transpose``, ``t[1:]``) or ``detach()``
wraps the same array — so the clock also notes, per block of memory, its last in-place
change (keyed by the array that owns the memory, the root of ``ndarray.base``). A node
whose kept arrays (its ``input_arrays``, a saved output) lie in memory changed after it was made
refuses to backpropagate, whichever tensor the change went through (as PyTorch's views
and detached tensors share their base's version counter).
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import numpy as np

#: Numbers nodes as they are made and in-place changes as they happen.
clock = itertools.count(1)
#: The clock's reading at the latest in-place change of any tensor: a node made after it
#: cannot have seen a change, so backward checks only older nodes.
last_change = [0]
#: id(array owning some memory) → [the clock's reading at its last in-place change, a weak
#: reference to the array that removes the entry when the array is freed].
_memory_changes: dict[int, list] = {}


def bump(holder: Any, array: np.ndarray) -> None:
    """Record an in-place change of the values ``holder`` (a leaf Tensor or a node)
    stands for, written into ``array``'s memory."""
    holder._version = last_change[0] = next(clock)
    owner = memory_owner(array)
    key = id(owner)
    entry = _memory_changes.get(key)
    if entry is None:
        forget = weakref.ref(owner, lambda _, key=key: _memory_changes.pop(key, None))
        entry = _memory_changes[key] = [0, forget]
    entry[0] = last_change[0]


def memory_owner(array: np.ndarray) -> np.ndarray:
    """The array that owns ``array``'s memory (itself, unless it is a view)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def changed_since(array: Any, sequence: int) -> bool:
    """Whether ``array``'s memory was changed in place after the clock read ``sequence``."""
    if not isinstance(array, np.ndarray):
        return False
    change = _memory_changes.get(id(memory_owner(array)))
    return change is not None and change[0] > sequence


def check_inputs(node: Any) -> None:
    """Raise if an input of ``node``, or memory an array it kept shares, was changed in
    place after ``node`` used it."""
    for source in node.inputs:
        if getattr(source, "_version", 0) > node.sequence:
            raise RuntimeError(
                f"backward: an input of {node.name} (shape {source.shape}"
                f"{', ' + repr(source.name) if source.name else ''}) was changed in place "
                f"after {node.name} used it, so its gradient would be computed from the new "
                "values; change a copy instead, or recompute the forward pass")
    for array in node.input_arrays or ():
        if changed_since(array, node.sequence):
            raise RuntimeError(
                f"backward: an array {node.name} kept for its backward (shape "
                f"{array.shape}) was changed in place after {node.name} used it, through a "
                "tensor sharing its memory (a view such as reshape or t[1:], or detach()); "
                "change a copy (t.clone()) instead, or recompute the forward pass")


def check_own_output(node: Any, saved: np.ndarray) -> None:
    """Raise if the output ``node`` saved for its backward (S9, S10), ``saved``, was
    changed in place (through the result itself or a tensor sharing its memory)."""
    if node._version > node.sequence or changed_since(saved, node.sequence):
        raise RuntimeError(
            f"backward: the output of {node.name} (shape {node.shape}) was changed in place "
            f"after {node.name} saved it for its backward, so its gradient would be computed "
            "from the new values; change a copy instead, or recompute the forward pass")
