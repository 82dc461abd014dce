"""Sphinx extension: the site in two languages, English and Chinese (issue 24).

The Chinese pages live in ``zh/``, each under the name of its English twin
(``zh/formulas.md`` is ``formulas.md`` in Chinese, ``zh/notebooks/01_….ipynb`` the
twin of ``notebooks/01_….ipynb``). Every page opens with a line naming both languages:
the other one is a link to the twin page, or to the other language's front page where a
page has no twin. A Chinese page also declares ``<html lang="zh-CN">``, so that browsers
and screen readers pick Chinese fonts and voices for it.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

ZH = "zh/"


def twin(docname: str, found: set[str]) -> str:
    """The page in the other language: the same name with or without ``zh/``, or the
    other language's front page when there is none."""
    if docname.startswith(ZH):
        other = docname[len(ZH):]
        return other if other in found else "index"
    other = ZH + docname
    return other if other in found else ZH + "index"


def switch(docname: str, href: str) -> str:
    """The line of HTML that opens a page: its language as text, the other as a link."""
    if docname.startswith(ZH):
        return (f'<p class="language-switch"><a href="{href}" hreflang="en" lang="en">'
                f'English</a> · <span lang="zh-CN">中文</span></p>\n')
    return (f'<p class="language-switch"><span lang="en">English</span> · '
            f'<a href="{href}" hreflang="zh-CN" lang="zh-CN">中文</a></p>\n')


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: Any) -> None:
    if doctree is None or "body" not in context:
        return  # search, the index: generated pages with no twin
    href = context["pathto"](twin(pagename, set(app.env.found_docs)))
    context["body"] = switch(pagename, href) + context["body"]
    if pagename.startswith(ZH):
        context["language"] = "zh-CN"


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
