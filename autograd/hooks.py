"""The places where other parts of the library hang code on the core, all in one module.

Four slots, each None when unused (one ``is None`` test per op then):

- ``scope_recorder``: while a drawing records module calls (``autograd.scopes``), an
  object with ``current()`` (the innermost module call, stored on each new node as
  ``scope``) and ``enter(module)`` (a context manager ``nn.Module.__call__`` uses).
- ``anomaly_check``: while some thread is inside ``detect_anomaly``, called as
  ``anomaly_check(node, phase, inputs, outputs)`` with the values an op just made.
- ``value_read``: while ``ag.trace`` records a step, called with how a tensor's value
  was read into Python (``item()``, ``.data``, …), since a decision taken on it is frozen.
- ``node_made``: while ``ag.trace`` records a step, called as ``node_made(node, arrays)``
  with each new node and the arrays its forward received (a node keeps only those its
  backward reads; a replay needs them all).

And ``run_tensor_hooks``: the hooks a user registered on a tensor (``register_hook``).
"""

from __future__ import annotations

from typing import Any

scope_recorder: Any = None
anomaly_check: Any = None
value_read: Any = None
node_made: Any = None


def run_tensor_hooks(owner: Any, grad: Any, create_graph: bool) -> Any:
    """``grad`` after the hooks registered on ``owner`` (a node, or a leaf Tensor) have
    seen it; a hook's non-None result replaces it and must be a tensor of the same shape."""
    from autograd.tensor import Tensor

    tensor = grad if create_graph else Tensor._make(grad)
    for hook in list(owner._hooks):
        replaced = hook(tensor)
        if replaced is None:
            continue
        what = (f"backward: hook {getattr(hook, '__name__', type(hook).__name__)} on the "
                f"{'leaf' if isinstance(owner, Tensor) else owner.name} tensor")
        if not isinstance(replaced, Tensor):
            try:
                replaced = Tensor(replaced)
            except (TypeError, ValueError):
                shown_value = repr(replaced)[:40]
                raise TypeError(f"{what} returned {shown_value} ({type(replaced).__name__}); "
                                f"a hook returns None or a gradient of shape {tensor.shape}"
                                ) from None
        if replaced.shape != tensor.shape:
            raise RuntimeError(
                f"{what}: returned a gradient of shape {replaced.shape}, but the "
                f"gradient has shape {tensor.shape}")
        tensor = replaced
    return tensor if create_graph else tensor._data
