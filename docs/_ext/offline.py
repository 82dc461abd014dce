"""The built site works offline: the build fails on any http(s) or protocol-relative
address that a page or stylesheet would load a script, a style or a font from.

Links a reader follows (``<a href="https://…">``) are fine; only what the browser fetches
by itself while showing a page counts.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sphinx.errors import ExtensionError

REMOTE = re.compile(r"\s*(?:https?:)?//", re.I)
#: url(…) and @import "…" in CSS: where stylesheets and @font-face rules load from.
CSS_LOAD = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", re.I)
#: <link rel=…> kinds the browser fetches while showing the page.
FETCHED_LINKS = {"stylesheet", "preload", "modulepreload", "prefetch"}


def css_loads(css: str) -> list[str]:
    """The remote addresses a piece of CSS loads (stylesheets, fonts, images)."""
    return [f"CSS url {address}" for address in CSS_LOAD.findall(css)]


class _RemoteLoads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = set(values.get("rel", "").lower().split())
        if tag == "script" and REMOTE.match(values.get("src", "")):
            self.found.append(f"script {values['src']}")
        if tag == "link" and rel & FETCHED_LINKS and REMOTE.match(values.get("href", "")):
            self.found.append(f"link rel={values['rel']} {values['href']}")
        self.found += css_loads(values.get("style", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += css_loads(data)


def remote_loads(html: str) -> list[str]:
    """What a page would fetch from the network: remote scripts, stylesheets, preloads
    (fonts among them) and CSS ``url(…)``/``@import`` in its style elements and attributes."""
    finder = _RemoteLoads()
    finder.feed(html)
    finder.close()
    return finder.found


def check_site(app: Any, exception: Exception | None) -> None:
    """After an HTML build: raise if any page or stylesheet would load from the network."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    problems = [f"{path.relative_to(out)}: {found}" for path in sorted(out.rglob("*.html"))
                for found in remote_loads(path.read_text(encoding="utf-8"))]
    problems += [f"{path.relative_to(out)}: {found}" for path in sorted(out.rglob("*.css"))
                 for found in css_loads(path.read_text(encoding="utf-8"))]
    if problems:
        raise ExtensionError("the site must work offline, but would load from the network: "
                             + "; ".join(problems))


def setup(app: Any) -> dict[str, bool]:
    app.connect("build-finished", check_site, priority=900)  # after assets are copied
    return {"parallel_read_safe": True, "parallel_write_safe": True}
