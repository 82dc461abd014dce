"""Grad mode: whether new operations are recorded in the graph. Per thread, as in PyTorch."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _GradState(threading.local):
    enabled = True  # each new thread starts with recording on


_state = _GradState()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are being recorded (this thread)."""
    return _state.enabled


def set_grad_enabled(enabled: bool) -> None:
    """Switch recording on or off for this thread."""
    _state.enabled = bool(enabled)


@contextmanager
def _grad_mode(enabled: bool) -> Iterator[None]:
    previous = _state.enabled
    _state.enabled = enabled
    try:
        yield
    finally:
        _state.enabled = previous


def no_grad():
    """Context manager (and decorator) under which nothing is recorded in this thread."""
    return _grad_mode(False)


def enable_grad():
    """Context manager that switches recording back on inside a ``no_grad`` block."""
    return _grad_mode(True)
