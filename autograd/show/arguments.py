"""The viewers' arguments, checked before anything is drawn: each error names the viewer
(``draw``, ``explain``, ``animate``) and what it was given."""

from __future__ import annotations

from typing import Any

from autograd.tensor import Tensor


def check_names(names: Any, op: str) -> None:
    """``names=`` of a viewer (``op``) must be None or a dict of text → Tensor."""
    if names is None:
        return
    if not isinstance(names, dict):
        raise TypeError(f"{op}: names must be a dict of name → Tensor, got "
                        f"{type(names).__name__}")
    for name, t in names.items():
        if not isinstance(name, str) or not isinstance(t, Tensor):
            raise TypeError(f"{op}: names must map text to tensors, got {name!r} → "
                            f"{type(t).__name__}")


#: Graphviz's directions from inputs to outputs, as the viewers' ``rankdir=`` takes them.
RANKDIRS = ("TB", "LR", "BT", "RL")


def check_layout(op: str, rankdir: Any, collapse: Any = None) -> None:
    """A viewer's ``rankdir=`` must be one of ``RANKDIRS``, and ``collapse=`` None or a
    dict of label → (output Tensor, input Tensors); else an error naming ``op``."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"{op}: rankdir must be one of {', '.join(RANKDIRS)}, got "
                         f"{rankdir!r}")
    if collapse is None:
        return
    if not isinstance(collapse, dict):
        raise TypeError(f"{op}: collapse must be a dict of label → (output, inputs), got "
                        f"{type(collapse).__name__}")
    for label, pair in collapse.items():
        ok = (isinstance(label, str) and isinstance(pair, tuple | list) and len(pair) == 2
              and isinstance(pair[0], Tensor) and isinstance(pair[1], tuple | list)
              and all(isinstance(t, Tensor) for t in pair[1]))
        if not ok:
            raise TypeError(f"{op}: collapse must map a label to (output Tensor, [input "
                            f"Tensors]), got {label!r} → {type(pair).__name__}")
