"""Sphinx extension: every op's ``formula`` (its local derivative) in the API reference.

Two pieces, both reading the library from outside, as the drawing and the explainer do:

- an ``autodoc-process-docstring`` hook that appends "Local derivative: …" to the
  documentation of an op class and of each op function (``mul`` → ``Mul.formula``; the
  function's class is the ``Function`` subclass its code refers to);
- an ``op-formulas`` directive: a table of every op class, its name and its formula,
  by the module that defines it.
"""

from __future__ import annotations

import inspect
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import autograd.ops  # noqa: F401  (defines every Function subclass)
from autograd.function import Function


def op_classes() -> list[type[Function]]:
    """Every Function subclass with a formula, by module, in definition order."""
    found, pending = set(), list(Function.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.formula:
            found.add(cls)
    return sorted(found, key=lambda cls: (cls.__module__, inspect.getsourcelines(cls)[1]))


def op_class_of(obj: Any) -> type[Function] | None:
    """The op class behind ``obj``: itself, or the Function subclass an op function calls."""
    if isinstance(obj, type):
        return obj if issubclass(obj, Function) and obj.formula else None
    code, namespace = getattr(obj, "__code__", None), getattr(obj, "__globals__", {})
    for name in code.co_names if code else ():
        candidate = namespace.get(name)
        if isinstance(candidate, type) and issubclass(candidate, Function) and candidate.formula:
            return candidate
    return None


def process_docstring(app: Sphinx, what: str, name: str, obj: Any, options: Any,
                      lines: list[str]) -> None:
    op = op_class_of(obj) if what in ("function", "class") else None
    if op is not None:
        lines.extend(["", f"**Local derivative** (``{op.__name__}``, op ``{op.name}``): "
                          f"``{op.formula}``"])


class OpFormulas(SphinxDirective):
    """``.. op-formulas::`` — the table of every op's local derivative."""

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["op-formulas"])
        group = nodes.tgroup(cols=4)
        table += group
        for width in (2, 2, 2, 8):
            group += nodes.colspec(colwidth=width)
        head, body = nodes.thead(), nodes.tbody()
        group += [head, body]
        head += self._row([nodes.Text(title) for title in
                           ("module", "op", "class", "local derivative (formula)")])
        for cls in op_classes():
            body += self._row([nodes.Text(cls.__module__.removeprefix("autograd.")),
                               nodes.literal(text=cls.name or ""),
                               nodes.literal(text=cls.__qualname__),
                               nodes.Text(cls.formula)])
        return [table]

    @staticmethod
    def _row(cells: list[nodes.Node]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", cell)
            row += entry
        return row


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("autodoc-process-docstring", process_docstring)
    app.add_directive("op-formulas", OpFormulas)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
