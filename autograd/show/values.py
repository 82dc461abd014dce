"""How drawings write values: small vectors and matrices as grids, larger tensors as
min/mean/max (``format_values``, also used by ``explain`` and ``animate``), and every
value for a node's tooltip."""

from __future__ import annotations

import html
from typing import Any

import numpy as np

#: Tensors with at most this many entries are shown in full, larger ones as min/mean/max.
SMALL = 16
#: Labels show a vector or matrix as a grid when its rows have at most this many entries
#: (a wider one as min/mean/max, to keep the drawing narrow; the tooltip has every value).
GRID_COLUMNS = 6


def format_values(values: Any) -> str:
    """Small arrays in full (4 significant digits), larger ones as min/mean/max."""
    a = np.asarray(values)
    if a.size <= SMALL:
        return np.array2string(a, separator=", ", max_line_width=60,
                               formatter={"float_kind": _g})
    return summary(a)


def summary(a: np.ndarray) -> str:
    return f"min {_g(a.min())}  mean {_g(a.mean())}  max {_g(a.max())}"


def _g(v: Any) -> str:
    return f"{v:.4g}"


#: Tooltips list tensors of up to this many entries in full.
TOOLTIP_ENTRIES = 4096


def full_values(values: Any) -> str:
    """Every entry (6 significant digits) for the SVG tooltip, up to ``TOOLTIP_ENTRIES``."""
    return np.array2string(np.asarray(values), separator=", ", max_line_width=100,
                           threshold=TOOLTIP_ENTRIES, precision=6)


def _html(text: str) -> str:
    return "<BR/>".join(html.escape(line) for line in text.split("\n"))


def cells(values: Any) -> list[list[str]] | None:
    """The texts of a vector's or matrix's grid (one row per matrix row, 4 significant
    digits), or None when ``values`` is shown otherwise (too large or too wide: min, max
    and mean; not 1-D or 2-D: as ``format_values`` writes it)."""
    a = np.asarray(values)
    if a.size > SMALL or a.size == 0 or a.ndim not in (1, 2) or a.shape[-1] > GRID_COLUMNS:
        return None
    return [[_g(v) for v in row] for row in np.atleast_2d(a)]


def value_lines(values: Any) -> list[str]:
    """What a node shows for ``values`` as lines, when not as a grid: min/max and mean of
    a large tensor, else ``format_values``'s text."""
    a = np.asarray(values)
    if a.size > SMALL or (a.ndim in (1, 2) and a.size and a.shape[-1] > GRID_COLUMNS):
        return [f"min {_g(a.min())}  max {_g(a.max())}", f"mean {_g(a.mean())}"]
    return format_values(a).split("\n")


def grid_html(texts: list[list[str]], colour: str = "") -> str:
    """One table cell holding right-aligned texts between bars, read as the matrix they
    are (narrower than a printed array)."""
    grid = "".join("<TR>" + "".join(f'<TD ALIGN="RIGHT">{_paint(html.escape(t), colour)}</TD>'
                                    for t in row) + "</TR>" for row in texts)
    bars = f' COLOR="{colour}"' if colour else ""
    return (f'<TD BORDER="1" SIDES="LR"{bars}><TABLE BORDER="0" CELLSPACING="0" '
            f'CELLPADDING="2">{grid}</TABLE></TD>')


def _paint(text: str, colour: str) -> str:
    return f'<FONT COLOR="{colour}">{text}</FONT>' if colour else text


def values_html(shown: list[tuple[str, Any, str]], across: bool = False) -> str:
    """A table of ``(caption, values, colour)`` entries, one per row (``across``: all in
    one row). Vectors and matrices of at most ``SMALL`` entries and ``GRID_COLUMNS``
    columns are grids (``grid_html``); larger or wider ones min, max and mean on two
    lines; anything else as ``format_values`` writes it. ``values`` may also be a list of
    rows of texts, drawn as that grid (a gradient's place reserved by the player)."""
    entries = []
    for caption, values, colour in shown:
        texts = values if isinstance(values, list) else cells(values)
        if texts is not None:
            body = grid_html(texts, colour)
        else:
            text = "<BR/>".join(html.escape(line) for line in value_lines(values))
            body = f'<TD ALIGN="LEFT" BALIGN="LEFT">{_paint(text, colour)}</TD>'
        head = f'<TD ALIGN="LEFT">{_paint(html.escape(caption), colour)} </TD>' if caption else ""
        entries.append(head + body)
    if not entries:
        return ""
    rows = ["".join(entries)] if across else entries
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    return f'<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="0">{body}</TABLE>'


def dot_lines(text: str) -> str:
    """``text`` for a DOT attribute such as a tooltip: line breaks as DOT's ``\\n``."""
    return text.replace("\n", r"\n")
