"""Sphinx extension: links written for the repository, read on the site.

Pages such as ``formulas.md`` link to files by their path in the repository
(``../notebooks/03_….ipynb``, ``../nn/layers.py``), which works when the Markdown is read
on a code host. On the site, a ``source-read`` hook rewrites each such link before
parsing: a notebook becomes a link to its page here (conf.py copies the notebooks into
``docs/notebooks/``); any other file outside ``docs/`` has no page, so the link becomes its
text alone. Links inside ``docs/`` and to the web are left as they are.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")


def rewrite(source: str, page: Path, docs: Path) -> str:
    """``source`` (the Markdown of ``page``) with its links out of ``docs`` rewritten."""
    root = docs.parent

    def replace(match: re.Match) -> str:
        target, _, anchor = match["target"].partition("#")
        if not target or re.match(r"^[a-z][a-z+.-]*:", target):
            return match[0]  # an anchor on this page, or a URL (https:, mailto:)
        path = (page.parent / target).resolve()
        if path.is_relative_to(docs):
            return match[0]
        if path.parent == root / "notebooks" and path.suffix == ".ipynb":
            here = os.path.relpath(docs / "notebooks" / path.name, page.parent)
            return f"[{match['text']}]({Path(here).as_posix()}{'#' + anchor if anchor else ''})"
        return match["text"]

    return LINK.sub(replace, source)


def source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    path = Path(app.env.doc2path(docname))
    if path.suffix == ".md":
        source[0] = rewrite(source[0], path, Path(app.srcdir))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", source_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
