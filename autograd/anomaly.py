"""``detect_anomaly``: stop at the first op whose forward or backward makes NaN or inf.

Inside the block the calling thread's anomaly check is on (``autograd.per_thread``), so
``Function.apply`` and the engine hand it every value an op of that thread produces; other
threads are not affected, as in PyTorch. While no thread checks, the slot is None and costs
one ``is None`` test per op. Module calls are recorded meanwhile (``autograd.scopes``), so
the error can say where in a model the op ran: ``layers.1: Linear(3→4) → log``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

import numpy as np

from autograd import hooks, per_thread
from autograd.scopes import ModuleRecorder, ModuleScope, active_recorder, named_modules, recording
from autograd.tensor import Tensor


class _CallPaths(ModuleRecorder):
    """Names each module by its dotted path in the outermost module called (the model)."""

    def _scope(self, module: Any) -> ModuleScope:
        if not self._stack and id(module) not in self._paths:
            self._paths = {id(m): (path, m) for path, m in named_modules(module)}
        return super()._scope(module)


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise ``FloatingPointError`` at the first op whose forward or backward produces NaN
    or ±inf, naming the op, its inputs' shapes and value ranges, and the module path
    where it ran. Like PyTorch's ``torch.autograd.detect_anomaly``: off by default, and on
    only in the thread that entered the block (checking every value costs about one pass
    over it)."""
    paths = nullcontext() if active_recorder() is not None else recording(_CallPaths())
    with per_thread.anomaly_check.using(_check), paths:
        yield


def is_anomaly_enabled() -> bool:
    """Whether the calling thread is inside ``detect_anomaly``."""
    return per_thread.anomaly_check.mine() is not None


def _check(node: Any, phase: str, inputs: Sequence[Any], outputs: Sequence[Any]) -> None:
    for value in outputs:
        array = value._data if isinstance(value, Tensor) else value
        if array is None or array.dtype.kind not in "fc" or np.isfinite(array).all():
            continue
        made = "NaN" if np.isnan(array).any() else "inf"
        scope = node.scope if phase == "backward" else _current_scope()
        where = " in " + " → ".join([s.label for s in scope.chain()] + [node.name]) if (
            isinstance(scope, ModuleScope)) else ""
        raise FloatingPointError(
            f"detect_anomaly: {node.name} made {made} in its {phase} pass{where}; "
            f"{'its inputs' if phase == 'forward' else 'the incoming gradient'}: "
            + "; ".join(_describe(x) for x in inputs))


def _current_scope() -> Any:
    recorder = hooks.scope_recorder
    return None if recorder is None else recorder.current()


def _describe(value: Any) -> str:
    array = np.asarray(value._data if isinstance(value, Tensor) else value)
    if array.dtype.kind not in "fciub" or array.size == 0:
        return f"shape {array.shape}"
    return f"shape {array.shape} in [{np.min(array):.4g}, {np.max(array):.4g}]"
