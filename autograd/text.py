"""Names as the viewers show them: characters that Graphviz, XML or a terminal would act on
(or choke on) written visibly instead."""

from __future__ import annotations

import unicodedata


def visible(text: str) -> str:
    """``text`` with each control character (NUL, ESC, tab, newline, DEL, the C1 range),
    lone surrogate and the non-characters U+FFFE, U+FFFF written as a Python string literal
    writes it (``\\x00``, ``\\n``, ``\\ud800``): Graphviz and XML refuse them raw, a
    terminal would act on them, and a learner reads them as Python shows them."""
    if text.isprintable():
        return text
    return "".join(ascii(c)[1:-1] if _hidden(c) else c for c in text)


def _hidden(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Cs") or character in "\ufffe\uffff"
