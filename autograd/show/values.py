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


def values_html(shown: list[tuple[str, Any, str]]) -> str:
    """A table of ``(caption, values, colour)`` rows. Vectors and matrices of at most
    ``SMALL`` entries and ``GRID_COLUMNS`` columns are grids of right-aligned numbers
    between bars — narrower than a printed array, and read as the matrix they are; larger
    or wider ones min, max and mean on two lines; anything else as ``format_values``
    writes it."""
    rows = []
    for caption, values, colour in shown:
        def paint(text: str, colour: str = colour) -> str:
            return f'<FONT COLOR="{colour}">{text}</FONT>' if colour else text

        a = np.asarray(values)
        if a.size > SMALL or (a.ndim in (1, 2) and a.shape[-1] > GRID_COLUMNS):
            text = f"min {_g(a.min())}  max {_g(a.max())}<BR/>mean {_g(a.mean())}"
            cells = f'<TD ALIGN="LEFT" BALIGN="LEFT">{paint(text)}</TD>'
        elif a.ndim not in (1, 2) or a.size == 0:
            cells = f'<TD ALIGN="LEFT" BALIGN="LEFT">{paint(_html(format_values(a)))}</TD>'
        else:
            grid = "".join("<TR>" + "".join(f'<TD ALIGN="RIGHT">{paint(_g(v))}</TD>'
                                            for v in row) + "</TR>" for row in np.atleast_2d(a))
            bars = f' COLOR="{colour}"' if colour else ""
            cells = (f'<TD BORDER="1" SIDES="LR"{bars}><TABLE BORDER="0" CELLSPACING="0" '
                     f'CELLPADDING="2">{grid}</TABLE></TD>')
        rows.append(f'<TR><TD ALIGN="LEFT">{paint(html.escape(caption))} </TD>{cells}</TR>')
    if not rows:
        return ""
    return f'<TABLE BORDER="0" CELLSPACING="1" CELLPADDING="0">{"".join(rows)}</TABLE>'


def dot_lines(text: str) -> str:
    """``text`` for a DOT attribute such as a tooltip: line breaks as DOT's ``\\n``."""
    return text.replace("\n", r"\n")
