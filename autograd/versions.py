"""Version counters: a gradient computed from values that were changed in place after an
op used them would be silently wrong, so backward refuses it (as PyTorch's saved-tensor
versions do).

One clock numbers every new node (``Function.apply``) and every in-place change. A
tensor's version lives with whoever stands for it in the graph: a leaf's on the leaf
itself, an op result's on the node that made it (all Tensor objects wrapping one node share
it). A node's inputs changed after the node was made when their version is larger than the
node's ``sequence``; the graph keeps the node or leaf, never the intermediate tensor.
"""

from __future__ import annotations

import itertools
from typing import Any

#: Numbers nodes as they are made and in-place changes as they happen.
clock = itertools.count(1)
#: The clock's reading at the latest in-place change of any tensor: a node made after it
#: cannot have seen a change, so backward checks only older nodes.
last_change = [0]


def bump(holder: Any) -> None:
    """Record an in-place change of the values ``holder`` (a leaf Tensor or a node)
    stands for."""
    holder._version = last_change[0] = next(clock)


def check_inputs(node: Any) -> None:
    """Raise if an input of ``node`` was changed in place after ``node`` used it."""
    for source in node.inputs:
        if getattr(source, "_version", 0) > node.sequence:
            raise RuntimeError(
                f"backward: an input of {node.name} (shape {source.shape}"
                f"{', ' + repr(source.name) if source.name else ''}) was changed in place "
                f"after {node.name} used it, so its gradient would be computed from the new "
                "values; change a copy instead, or recompute the forward pass")


def check_own_output(node: Any) -> None:
    """Raise if the output ``node`` saved for its backward (S9, S10) was changed in place."""
    if node._version > node.sequence:
        raise RuntimeError(
            f"backward: the output of {node.name} (shape {node.shape}) was changed in place "
            f"after {node.name} saved it for its backward, so its gradient would be computed "
            "from the new values; change a copy instead, or recompute the forward pass")
