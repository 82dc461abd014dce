"""Sphinx extension: NumPy-style docstrings as this project writes them, rendered right.

An ``autodoc-process-docstring`` hook that runs before napoleon:

- prose written after a list section (a paragraph after ``Parameters``, ``Attributes``
  or ``Raises`` entries, as in ``nn.MLP``) would be read by napoleon as more entries; it
  is given a ``Notes`` heading of its own instead;
- ``|`` outside ``literal`` spans is escaped, so that absolute values written
  ``|x − y|`` stay text instead of becoming reStructuredText substitutions.

and an ``autodoc-skip-member`` hook that leaves out a graph node's slots and a NamedTuple's
generated field properties ("Alias for field number 0"): the class's signature already
lists the fields.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

LIST_SECTIONS = {"Parameters", "Other Parameters", "Attributes", "Raises", "Warns",
                 "Keyword Arguments"}
#: ``name``, ``name : type``, ``x, y : float``, ``*args`` — an entry's first line.
ENTRY = re.compile(r"\*{0,2}\w+(\s*,\s*\*{0,2}\w+)*(\s*:.*)?")
UNDERLINE = re.compile(r"-{3,}")
LITERAL = re.compile(r"(``.*?``)")


def is_prose(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]``, unindented after a blank line in a list section, starts a
    paragraph rather than an entry: it is not ``names : type``, or the line after it
    continues at the same indentation (an entry's description is indented)."""
    line = lines[i]
    following = lines[i + 1] if i + 1 < len(lines) else ""
    name, colon, _ = line.partition(":")
    names = re.sub(r"\s*,\s*", ",", name.strip())
    if not ENTRY.fullmatch(line) or (colon and " " in names):
        return True
    return bool(following.strip()) and not following[0].isspace()


def notes_after_lists(lines: list[str]) -> list[str]:
    out: list[str] = []
    in_list = False
    for i, line in enumerate(lines):
        header = (i + 1 < len(lines) and line.strip()
                  and UNDERLINE.fullmatch(lines[i + 1].strip()) is not None)
        if header:
            in_list = line.strip() in LIST_SECTIONS
        elif (in_list and line.strip() and not line[0].isspace() and i > 0
              and not lines[i - 1].strip() and not UNDERLINE.fullmatch(line.strip())
              and is_prose(lines, i)):
            out += ["Notes", "-----"]
            in_list = False
        out.append(line)
    return out


def escape_bars(line: str) -> str:
    """``|`` → ``\\|`` outside ``literal`` spans."""
    return "".join(part if part.startswith("``") else part.replace("|", "\\|")
                   for part in LITERAL.split(line))


def process_docstring(app: Sphinx, what: str, name: str, obj: Any, options: Any,
                      lines: list[str]) -> None:
    lines[:] = [escape_bars(line) for line in notes_after_lists(lines)]


def skip_member(app: Sphinx, what: str, name: str, obj: Any, skip: bool,
                options: Any) -> bool | None:
    if (getattr(obj, "__doc__", None) or "").startswith("Alias for field number"):
        return True
    if repr(obj) == "SLOTS_ATTR" and name in _node_fields():  # autodoc's mark for a slot
        return True  # Function's docstring describes them; ``shape`` would clash with Tensor's
    return None


def _node_fields() -> tuple[str, ...]:
    """The per-node fields of a graph node (``Function.__slots__``)."""
    from autograd import Function

    return Function.__slots__


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("autodoc-process-docstring", process_docstring, priority=400)
    app.connect("autodoc-skip-member", skip_member)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
