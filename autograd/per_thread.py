"""Hooks that one thread switches on for itself: anomaly checks (``detect_anomaly``) and
what ``ag.trace`` listens to while it records (new nodes, value reads).

A slot of ``autograd.hooks`` is None while no thread uses it, so an op pays one ``is None``
test. While some thread does, the slot holds a ``PerThreadHook``, which calls the calling
thread's own hook, or does nothing in a thread that set none (as PyTorch's thread-local
anomaly mode). The slot goes back to None when the last thread's block exits, in whatever
order the blocks exit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from autograd import hooks


class PerThreadHook:
    """The value of ``hooks.<slot>`` while any thread has set a hook for it."""

    def __init__(self, slot: str) -> None:
        self.slot = slot
        self.local = threading.local()
        self.lock = threading.Lock()
        self.users = 0  # blocks inside ``using``, over all threads

    def mine(self) -> Callable[..., Any] | None:
        """The calling thread's hook, or None."""
        return getattr(self.local, "hook", None)

    def __call__(self, *args: Any) -> Any:
        hook = getattr(self.local, "hook", None)
        return None if hook is None else hook(*args)

    @contextmanager
    def using(self, hook: Callable[..., Any]) -> Iterator[None]:
        """``hook`` is this thread's inside the block (its previous one is restored after)."""
        previous = self.mine()
        self.local.hook = hook
        with self.lock:
            self.users += 1
            setattr(hooks, self.slot, self)
        try:
            yield
        finally:
            self.local.hook = previous
            with self.lock:
                self.users -= 1
                if self.users == 0:
                    setattr(hooks, self.slot, None)


anomaly_check = PerThreadHook("anomaly_check")
value_read = PerThreadHook("value_read")
node_made = PerThreadHook("node_made")
