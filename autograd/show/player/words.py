"""The player's words: the ``player`` section of the library's tables (``autograd.words``:
English, Chinese), in the language ``animate`` speaks while it writes the frames."""

from __future__ import annotations

from autograd.words import say as _say


def say(key: str, **values: object) -> str:
    """The player's text ``key`` in the current language, with ``values`` filled in."""
    return _say("player", key, **values)
