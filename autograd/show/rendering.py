"""Graphviz drawings laid out by Graphviz's ``dot`` or, without it, by ``graphviz-pure``.

``digraph`` makes the empty ``graphviz.Digraph`` that ``autograd.show.draw`` and ``nn.drawing``
draw into; ``graphviz`` is imported on first use, so importing autograd does not import it.
Its ``render``/``pipe`` run ``dot_program()``: ``dot`` from PATH when present, else the
``graphviz-pure`` executable (Graphviz's ``dot`` rebuilt in Rust, a pip dependency), so
``pip install`` is all rendering needs; with neither they say how to install one.

A drawing in Chinese names a font stack with the common Chinese fonts of Windows, macOS
and Linux (``FONTS``). Rendering one warns, saying what to install, when its Chinese
cannot come out right: graphviz-pure measures a Chinese character as a space and draws
it as a box, and ``dot`` draws boxes in a PNG when no Chinese font is installed.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from autograd.words import get_language

INSTALL_HINT = (
    "rendering needs the Graphviz 'dot' program or the 'graphviz-pure' package, and "
    "neither was found; 'pip install graphviz-pure', or install Graphviz with "
    "'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or "
    "'conda install graphviz', or from https://graphviz.org/download/ — the DOT text is "
    "available without it as .source"
)


#: The font each language's drawings name (Graphviz's fontname: a comma-separated list,
#: which SVG writes as its font-family and fontconfig reads as families to try in order).
FONTS = {
    "en": "Helvetica",
    "zh": "Helvetica,Arial,PingFang SC,Hiragino Sans GB,Microsoft YaHei,Noto Sans CJK SC,"
          "Source Han Sans SC,WenQuanYi Micro Hei,sans-serif",
}
#: Characters that need a Chinese (CJK) font.
CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
#: Formats whose pixels the renderer draws itself (SVG leaves the glyphs to the viewer).
RASTER = frozenset({"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "pdf", "ps"})
CJK_FONT_HINT = (
    "the drawing has Chinese text but no Chinese font was found (fc-list :lang=zh), so it "
    "will show as boxes: install one, e.g. 'apt-get install fonts-noto-cjk' (Debian/"
    "Ubuntu) or 'dnf install google-noto-sans-cjk-fonts' (Fedora); macOS and Windows have "
    "one built in. SVG output leaves the fonts to the viewer")
PURE_CJK_HINT = (
    "graphviz-pure measures Chinese characters as spaces and draws them as boxes in a "
    "PNG, so this drawing's Chinese will not fit its boxes; install Graphviz's dot for "
    "drawings in Chinese: 'apt-get install graphviz fonts-noto-cjk' (Debian/Ubuntu), "
    "'brew install graphviz' (macOS), 'conda install graphviz'")


class GraphvizNotFound(RuntimeError):
    """Raised by ``render``/``pipe`` of a drawing when neither ``dot`` nor graphviz-pure is
    found; the error raised is also a ``graphviz.ExecutableNotFound``, so code written for
    graphviz catches it too."""



def digraph(name: str, **graph_attr: str) -> Any:
    """An empty graphviz.Digraph (Helvetica 11 nodes; in Chinese, ``FONTS["zh"]``
    throughout) whose ``render``, ``pipe`` and Jupyter display run ``dot_program()``, and
    say how to install one when it is None."""
    font = FONTS.get(get_language(), FONTS["en"])
    if font != FONTS["en"]:
        graph_attr = {"fontname": font, **graph_attr}
    return _drawing_class()(name=name, graph_attr=graph_attr,
                            node_attr={"fontname": font, "fontsize": "11"},
                            edge_attr={"fontname": font} if font != FONTS["en"] else None)


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
def chinese_font() -> str | None:
    """A font family installed for Chinese, as fontconfig lists it (``fc-list :lang=zh``);
    "" when there is no ``fc-list`` to ask (macOS and Windows have one built in)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ""
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True,
                            text=True, check=False).stdout.split("\n")
    return next((line.split(",")[0] for line in listed if line.strip()), None)


def warn_chinese(source: str, fmt: str, program: str | None) -> None:
    """Warn when Chinese in the DOT ``source`` would not render right in format ``fmt``
    by ``program``: graphviz-pure cannot measure it, and ``dot`` needs a Chinese font to
    draw pixels."""
    if program is None or not CJK.search(source):
        return
    if Path(program).stem == "graphviz-pure":
        warnings.warn(PURE_CJK_HINT, UserWarning, stacklevel=4)
    elif fmt.lower() in RASTER and chinese_font() is None:
        warnings.warn(CJK_FONT_HINT, UserWarning, stacklevel=4)


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
            warn_chinese(self.source, kwargs.get("format") or self.format, dot_program())
            with _run_dot_program(kwargs):
                return super().render(*args, **kwargs)

        def pipe(self, *args: Any, **kwargs: Any) -> Any:
            fmt = kwargs.get("format") or (args[0] if args else None) or self.format
            warn_chinese(self.source, fmt, dot_program())
            with _run_dot_program(kwargs):
                return super().pipe(*args, **kwargs)

        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                              **kwargs: Any) -> dict:
            try:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            except GraphvizNotFound as error:  # show the DOT text instead of a traceback
                return {"text/plain": f"{error}\n\n{self.source}"}

    return Drawing
