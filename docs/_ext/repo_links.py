"""Sphinx extension: links written for the repository, read on the site.

Pages such as ``formulas.md`` link to files by their path in the repository
(``../notebooks/03_….ipynb``, ``../nn/layers.py``), and notebooks link back
(``../docs/formulas.md``), which works when they are read on a code host. On the site, a
``source-read`` hook rewrites each such link before parsing, resolving it from where the
file lies in the repository: a page of ``docs/`` or a notebook becomes a link to its page
here (conf.py copies the notebooks into ``docs/notebooks/``, their Chinese twins from
``notebooks/zh/`` into ``docs/zh/notebooks/``); any other file has no page, so the link
becomes its text alone. Links to the web and anchors are left as they are.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
# Folders of notebooks in the repository → where conf.py copies them in the site's sources.
NOTEBOOK_FOLDERS = {"notebooks": "notebooks", "notebooks/zh": "zh/notebooks"}


def rewrite(source: str, written_at: Path, shown_at: Path, docs: Path) -> str:
    """``source`` with its links, written relative to ``written_at`` (the file's place in
    the repository), made relative to ``shown_at`` (its place in the site's sources)."""
    copies = {docs.parent / written: docs / shown for written, shown in NOTEBOOK_FOLDERS.items()}

    def replace(match: re.Match) -> str:
        target, _, anchor = match["target"].partition("#")
        if not target or re.match(r"^[a-z][a-z+.-]*:", target):
            return match[0]  # an anchor on this page, or a URL (https:, mailto:)
        path = (written_at.parent / target).resolve()
        if path.parent in copies and path.suffix == ".ipynb":
            path = copies[path.parent] / path.name
        elif not path.is_relative_to(docs):
            return match["text"]
        here = Path(os.path.relpath(path, shown_at.parent)).as_posix()
        return f"[{match['text']}]({here}{'#' + anchor if anchor else ''})"

    return LINK.sub(replace, source)


def source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    docs = Path(app.srcdir)
    shown_at = Path(app.env.doc2path(docname))
    if shown_at.suffix != ".ipynb":
        source[0] = rewrite(source[0], shown_at, shown_at, docs)
        return
    # A notebook's copy: its links were written in ../notebooks, and only its Markdown
    # cells hold links (code such as ``f[0](x)`` must stay as it is).
    notebook = json.loads(source[0])
    written = {docs / shown: written for written, shown in NOTEBOOK_FOLDERS.items()}
    written_at = docs.parent / written[shown_at.parent] / shown_at.name
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = rewrite(text, written_at, shown_at, docs)
    source[0] = json.dumps(notebook)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", source_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
