"""Every word the library shows a reader, one table per language: English (``en``, the
default) and Chinese (``zh``, its terms from docs/zh/glossary.md).

A table is a dict of sections — ``player``, ``explain``, ``latex``, ``draw``, ``model``,
``report``, ``demo`` — each a dict of texts with ``{…}`` marking what is filled in; the
two tables have the same sections and keys (tested). Maths (∂E/∂x, δ1 = …, the
S-numbers), code and names are not translated. Error messages stay English.

The language is chosen per call (``lang="zh"`` on ``ag.explain``, ``ag.draw``,
``ag.animate``, ``nn.draw_graph``, ``nn.draw_model``), or for the whole program with
``ag.set_language("zh")``; a call's ``lang`` wins. Inside ``language(lang)`` every
viewer speaks ``lang`` (what the per-call arguments use).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from autograd.words import en, zh

TABLES: dict[str, dict[str, dict[str, str]]] = {"en": en.WORDS, "zh": zh.WORDS}
#: The ``lang`` attribute of a page in each language (BCP 47).
HTML_LANG = {"en": "en", "zh": "zh-CN"}

_default = "en"
_current: ContextVar[str | None] = ContextVar("autograd_language", default=None)


def _checked(lang: str, where: str) -> str:
    if lang not in TABLES:
        raise ValueError(f"{where}: unknown language {lang!r}; valid: {', '.join(TABLES)}")
    return lang


def set_language(lang: str) -> None:
    """The language of every viewer from now on, unless a call passes ``lang=``:
    ``"en"`` (the default) or ``"zh"``."""
    global _default
    _default = _checked(lang, "set_language")


def get_language() -> str:
    """The language viewers speak now: the innermost ``language(...)``, else the one
    ``set_language`` chose."""
    return _current.get() or _default


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the block (None: keep the current language)."""
    token = _current.set(_checked(lang, "language") if lang else get_language())
    try:
        yield get_language()
    finally:
        _current.reset(token)


def table(section: str, lang: str | None = None) -> dict[str, str]:
    """The texts of ``section`` in ``lang`` (default: the current language)."""
    return TABLES[_checked(lang or get_language(), "words")][section]


def say(section: str, key: str, lang: str | None = None, **values: object) -> str:
    """The text ``key`` of ``section`` in ``lang`` (default: the current language), with
    ``values`` filled in."""
    return table(section, lang)[key].format(**values)


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide (Chinese) character, so
    that text tables line up in either language."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


__all__ = ["HTML_LANG", "TABLES", "get_language", "language", "say", "set_language", "table",
           "width"]
