"""Saving and loading state dicts (a module's parameters, an optimizer's state) as a NumPy
``.npz`` archive, never pickle; the archive is written and read by ``autograd.saving``."""

from __future__ import annotations

import os
from typing import Any, Protocol

from autograd.errors import shown
from autograd.saving import read_arrays, write_arrays


class HasState(Protocol):
    """What ``save`` and ``load`` need: a Module or an Optimizer."""

    def state_dict(self) -> Any: ...
    def load_state_dict(self, state: Any) -> Any: ...


def save(obj: HasState, path: str | bytes | os.PathLike) -> None:
    """Write ``obj.state_dict()`` — a Module's parameters or an Optimizer's state — to
    ``path`` as an ``.npz`` archive whose keys are the dotted state-dict names
    (``autograd.saving.write_arrays``: exactly ``path``, atomic and durable; a folder
    raises ``IsADirectoryError``)."""
    _check_has_state("save", obj, "state_dict")
    write_arrays(obj.state_dict(), path)


def load(obj: HasState, path: str | bytes | os.PathLike) -> HasState:
    """Read an archive written by ``save`` into ``obj`` (a Module's Parameters, in place,
    or an Optimizer's state).

    Everything is read and checked before anything is copied: a missing file raises
    ``OSError`` (``FileNotFoundError``), and so does a path that is not a regular file (a
    folder, FIFO, device — ``/dev/zero`` behind a symlink —, socket), before it is read;
    a path that is not a ``str``, ``bytes`` or ``os.PathLike`` is a ``TypeError``; a file
    that is not a readable ``.npz`` (an encrypted member included), that holds pickled
    objects, whose headers declare more data than the file holds, or whose names,
    shapes or values do not fit ``obj`` exactly (including values that would overflow
    ``obj``'s dtype) raises ``ValueError``. In every failing case ``obj`` is unchanged.
    Returns ``obj``.
    """
    _check_has_state("load", obj, "load_state_dict")
    obj.load_state_dict(read_arrays(path))
    return obj


def _check_has_state(op: str, obj: Any, method: str) -> None:
    if not callable(getattr(obj, method, None)):
        raise TypeError(f"{op}: expected a Module or an Optimizer (an object with "
                        f"{method}()), got {shown(obj)}")
