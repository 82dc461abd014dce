"""Module scopes: which ``nn.Module`` call made each graph node, for the drawing's clusters.

While ``record_modules(model)`` is active, ``Module.__call__`` wraps its forward in
``recorder.enter(module)`` and ``Function.apply`` stores ``recorder.current()`` on every
new node as ``node.scope``. Recording is per thread: ``autograd.hooks.scope_recorder``
is a dispatcher, set while any thread records, that forwards each call to the calling
thread's own recorder (and records nothing for a thread that is not recording). When no
thread records it is None, and the engine pays one ``is None`` test per op.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from autograd import hooks


@dataclass(frozen=True, eq=False)
class ModuleScope:
    """One module call: ``path`` (dotted name in the model, ``""`` for the model itself),
    ``label`` (``"layers.0: Linear(3→4)"``), the module's own ``parameters`` as
    ``(name, tensor)`` pairs, the enclosing call's scope as ``parent``, and the
    ``module`` itself (the viewers ask the recorded model for its notation:
    ``autograd.show.notation``)."""

    path: str
    label: str
    parameters: tuple[tuple[str, Any], ...]
    parent: ModuleScope | None
    module: Any = field(default=None, repr=False)

    def chain(self) -> list[ModuleScope]:
        """This scope and its ancestors, outermost first."""
        scopes, scope = [], self
        while scope is not None:
            scopes.append(scope)
            scope = scope.parent
        return scopes[::-1]


def named_modules(model: Any) -> Iterator[tuple[str, Any]]:
    """``(dotted path, module)`` for ``model`` (path ``""``) and its descendants."""
    if model is None:
        return iter(())
    return iter(model.named_modules())


def describe(module: Any) -> str:
    """A short description: ``Linear(3→4)`` for modules with in/out features, else the
    class name with the module's ``extra_repr()`` when it is short."""
    name = type(module).__name__
    if hasattr(module, "in_features") and hasattr(module, "out_features"):
        return f"{name}({module.in_features}→{module.out_features})"
    extra = module.extra_repr() if hasattr(module, "extra_repr") else ""
    return f"{name}({extra})" if extra and len(extra) <= 30 else name


def own_parameters(module: Any) -> tuple[tuple[str, Any], ...]:
    """The parameters registered on ``module`` itself (not on its children)."""
    if not hasattr(module, "named_parameters"):
        return ()
    return tuple((n, p) for n, p in module.named_parameters() if "." not in n)


class ModuleRecorder:
    """The ``scope_recorder`` contract of ``autograd.function``: ``current()`` is the
    innermost module call's ``ModuleScope`` (None outside every module), and
    ``enter(module)`` is the context manager ``Module.__call__`` puts around forward.

    Modules of ``model`` are named by their dotted path; any other module by its class."""

    def __init__(self, model: Any = None) -> None:
        self._paths = {id(m): (path, m) for path, m in named_modules(model)}
        self._stack: list[ModuleScope] = []
        self._scopes: dict[tuple[int, int], tuple[ModuleScope, Any]] = {}

    def current(self) -> ModuleScope | None:
        return self._stack[-1] if self._stack else None

    @contextmanager
    def enter(self, module: Any) -> Iterator[ModuleScope]:
        scope = self._scope(module)
        self._stack.append(scope)
        try:
            yield scope
        finally:
            self._stack.pop()

    def _scope(self, module: Any) -> ModuleScope:
        """One ModuleScope per (module, enclosing call), so repeated calls share it."""
        parent = self.current()
        key = (id(module), id(parent))
        if key not in self._scopes:  # the module is kept alive with its scope: ids stay unique
            known = self._paths.get(id(module))
            path = known[0] if known else type(module).__name__
            text = describe(module)
            label = f"{path}: {text}" if path and path != type(module).__name__ else text
            scope = ModuleScope(path, label, own_parameters(module), parent, module)
            self._scopes[key] = (scope, module)
        return self._scopes[key][0]


class _PerThread:
    """The ``scope_recorder`` while any thread records: ``current()`` and ``enter()`` of
    the calling thread's innermost active recorder, or nothing in a thread without one."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.threads_recording = 0

    def active(self) -> Any:
        return getattr(self.local, "recorder", None)

    def current(self) -> Any:
        recorder = self.active()
        return None if recorder is None else recorder.current()

    def enter(self, module: Any) -> AbstractContextManager[Any]:
        recorder = self.active()
        return nullcontext() if recorder is None else recorder.enter(module)


_per_thread = _PerThread()


def active_recorder() -> Any:
    """The recorder the calling thread records with (the innermost ``recording`` block's),
    or None."""
    return _per_thread.active()


@contextmanager
def recording(recorder: Any) -> Iterator[Any]:
    """Make ``recorder`` (anything with ``current()`` and ``enter(module)``, such as a
    ``ModuleRecorder``) this thread's recorder inside the block; the thread's previous one
    (normally None) is restored on exit, also on error. Other threads are not affected."""
    previous = _per_thread.active()
    _per_thread.local.recorder = recorder
    with _per_thread.lock:
        _per_thread.threads_recording += 1
        hooks.scope_recorder = _per_thread
    try:
        yield recorder
    finally:
        _per_thread.local.recorder = previous
        with _per_thread.lock:
            _per_thread.threads_recording -= 1
            if _per_thread.threads_recording == 0:
                hooks.scope_recorder = None


def record_modules(model: Any = None) -> AbstractContextManager[ModuleRecorder]:
    """Record, on every op node made inside the block, the module call that made it.

    ``with record_modules(model): loss = loss_fn(model(x), t)`` and then
    ``ag.draw(loss)`` boxes each module's nodes (and its parameters) in a labelled
    cluster; ``model`` supplies the dotted names (``layers.0``)."""
    return recording(ModuleRecorder(model))
