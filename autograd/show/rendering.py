"""Graphviz drawings laid out by Graphviz's ``dot`` or, without it, by ``graphviz-pure``.

``digraph`` makes the empty ``graphviz.Digraph`` that ``autograd.show.draw`` and ``nn.drawing``
draw into; ``graphviz`` is imported on first use, so importing autograd does not import it.
Its ``render``/``pipe`` run ``dot_program()``: ``dot`` from PATH when present, else the
``graphviz-pure`` executable (Graphviz's ``dot`` rebuilt in Rust, a pip dependency), so
``pip install`` is all rendering needs; with neither they say how to install one.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

INSTALL_HINT = (
    "rendering needs the Graphviz 'dot' program or the 'graphviz-pure' package, and "
    "neither was found; 'pip install graphviz-pure', or install Graphviz with "
    "'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or "
    "'conda install graphviz', or from https://graphviz.org/download/ — the DOT text is "
    "available without it as .source"
)


class GraphvizNotFound(RuntimeError):
    """Raised by ``render``/``pipe`` of a drawing when neither ``dot`` nor graphviz-pure is
    found; the error raised is also a ``graphviz.ExecutableNotFound``, so code written for
    graphviz catches it too."""



def digraph(name: str, **graph_attr: str) -> Any:
    """An empty graphviz.Digraph (Helvetica 11 nodes) whose ``render``, ``pipe`` and
    Jupyter display run ``dot_program()``, and say how to install one when it is None."""
    return _drawing_class()(name=name, graph_attr=graph_attr,
                            node_attr={"fontname": "Helvetica", "fontsize": "11"})


def dot_program() -> str | None:
    """The program that lays drawings out: ``dot`` from PATH when present, else the
    ``graphviz-pure`` executable, else None."""
    return shutil.which("dot") or _graphviz_pure()


def _graphviz_pure() -> str | None:
    """The ``graphviz-pure`` executable: where its package's file list says pip put it
    (beside this Python's scripts, whatever the install scheme), else on PATH."""
    try:
        listed = metadata.files("graphviz-pure") or []
    except metadata.PackageNotFoundError:
        listed = []
    for entry in listed:
        path = Path(entry.locate()).resolve()
        if entry.stem == "graphviz-pure" and path.is_file() and os.access(path, os.X_OK):
            return str(path)
    return shutil.which("graphviz-pure")


@functools.cache
def _missing_dot_error() -> type:
    import graphviz

    class MissingDot(GraphvizNotFound, graphviz.ExecutableNotFound):
        def __init__(self, message: str) -> None:
            RuntimeError.__init__(self, message)

    return MissingDot


@contextmanager
def _run_dot_program(kwargs: dict[str, Any]) -> Iterator[None]:
    """Point the graphviz package at ``dot_program()`` (its ``DOT_BINARY`` is the one
    setting for that) and turn a missing program into ``MissingDot``. graphviz-pure's
    warnings (a non-ASCII character's width guessed) are silenced unless ``quiet=False``
    is passed: errors still raise with its message."""
    import graphviz
    from graphviz.backend import dot_command

    program = dot_program()
    dot_command.DOT_BINARY = Path(program or "dot")
    if program is not None and Path(program).stem == "graphviz-pure":
        kwargs.setdefault("quiet", True)
    try:
        yield
    except graphviz.ExecutableNotFound as error:
        if isinstance(error, GraphvizNotFound):
            raise
        raise _missing_dot_error()(INSTALL_HINT) from error


@functools.cache
def _drawing_class() -> type:
    """graphviz.Digraph rendered by ``dot_program()``, which says how to install one when
    there is none (built on first use, so importing autograd does not import graphviz)."""
    import graphviz

    class Drawing(graphviz.Digraph):
        def render(self, *args: Any, **kwargs: Any) -> Any:
            with _run_dot_program(kwargs):
                return super().render(*args, **kwargs)

        def pipe(self, *args: Any, **kwargs: Any) -> Any:
            with _run_dot_program(kwargs):
                return super().pipe(*args, **kwargs)

        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                              **kwargs: Any) -> dict:
            try:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            except GraphvizNotFound as error:  # show the DOT text instead of a traceback
                return {"text/plain": f"{error}\n\n{self.source}"}

    return Drawing
