"""Graphviz drawings that say how to install Graphviz when its ``dot`` program is missing.

``digraph`` makes the empty ``graphviz.Digraph`` that ``autograd.show.draw`` and ``nn.drawing``
draw into; ``graphviz`` is imported on first use, so importing autograd does not import it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

INSTALL_HINT = (
    "rendering needs the Graphviz 'dot' program, which is not on PATH; install it with "
    "'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or "
    "'conda install graphviz', or from https://graphviz.org/download/ — the DOT text is "
    "available without it as .source"
)


class GraphvizNotFound(RuntimeError):
    """Raised by ``render``/``pipe`` of a drawing when the ``dot`` program is missing;
    the error raised is also a ``graphviz.ExecutableNotFound``, so code written for
    graphviz catches it too."""



def digraph(name: str, **graph_attr: str) -> Any:
    """An empty graphviz.Digraph (Helvetica 11 nodes) whose ``render``, ``pipe`` and
    Jupyter display explain how to install Graphviz when ``dot`` is missing."""
    return _drawing_class()(name=name, graph_attr=graph_attr,
                            node_attr={"fontname": "Helvetica", "fontsize": "11"})


@functools.cache
def _missing_dot_error() -> type:
    import graphviz

    class MissingDot(GraphvizNotFound, graphviz.ExecutableNotFound):
        def __init__(self, message: str) -> None:
            RuntimeError.__init__(self, message)

    return MissingDot


@contextmanager
def _explain_missing_dot() -> Iterator[None]:
    import graphviz

    try:
        yield
    except graphviz.ExecutableNotFound as error:
        if isinstance(error, GraphvizNotFound):
            raise
        raise _missing_dot_error()(INSTALL_HINT) from error


@functools.cache
def _drawing_class() -> type:
    """graphviz.Digraph whose rendering says how to install Graphviz when ``dot`` is
    missing (built on first use, so importing autograd does not import graphviz)."""
    import graphviz

    class Drawing(graphviz.Digraph):
        def render(self, *args: Any, **kwargs: Any) -> Any:
            with _explain_missing_dot():
                return super().render(*args, **kwargs)

        def pipe(self, *args: Any, **kwargs: Any) -> Any:
            with _explain_missing_dot():
                return super().pipe(*args, **kwargs)

        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                              **kwargs: Any) -> dict:
            try:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            except GraphvizNotFound as error:  # show the DOT text instead of a traceback
                return {"text/plain": f"{error}\n\n{self.source}"}

    return Drawing
