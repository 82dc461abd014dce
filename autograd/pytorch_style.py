"""Custom Functions written PyTorch's way, beside ours.

PyTorch's convention is two static methods on a ``Function`` subclass::

    class Clamp(ag.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * (x > 0)

    y = Clamp.apply(x)

``Function.__init_subclass__`` hands such a class to ``adapt``, which gives it our
``forward(*arrays)`` / ``backward(grad, *inputs)`` contract around the user's methods, so
the engine runs it like any op. ``ctx`` is the node itself: ``ctx.save_for_backward``,
``ctx.saved_tensors`` and ``ctx.needs_input_grad`` work as in PyTorch. The user's forward
receives Tensors cut from the graph (what it computes is not recorded, as in PyTorch); its
backward receives ∂E/∂y as a Tensor and returns one gradient per input (``None`` where
none is needed). With ``create_graph=True`` the backward's own ops are recorded, and a
saved input is the input itself, joined to the graph, so second derivatives flow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.grad_mode import no_grad
from autograd.tensor import Tensor


def is_pytorch_style(cls: type) -> bool:
    """Whether ``cls`` defines both ``forward`` and ``backward`` as static methods."""
    return (isinstance(cls.__dict__.get("forward"), staticmethod)
            and isinstance(cls.__dict__.get("backward"), staticmethod))


def adapt(cls: type) -> None:
    """Wrap ``cls``'s static ``forward(ctx, …)`` and ``backward(ctx, grad)`` in our
    contract (arrays in, one array out; a gradient per input)."""
    user_forward, user_backward = cls.forward, cls.backward

    def forward(self: Any, *arrays: Any) -> np.ndarray:
        inputs = [Tensor._make(a) if isinstance(a, np.ndarray) else a for a in arrays]
        self.input_ids = [id(x) for x in inputs]  # to find saved inputs for create_graph
        with no_grad():
            result = user_forward(self, *inputs)
        if not isinstance(result, Tensor | np.ndarray | float | int):
            raise TypeError(f"{cls.__name__}.forward: must return one Tensor, got "
                            f"{type(result).__name__}")
        return result._data if isinstance(result, Tensor) else np.asarray(result)

    def backward(self: Any, grad: Any, *inputs: Any) -> tuple[Any, ...]:
        graph = isinstance(grad, Tensor)  # create_graph: the formula's ops are recorded
        saved = self.saved
        if graph:  # a saved input becomes the input joined to the graph (second order)
            joined = dict(zip(self.input_ids, inputs))
            self.saved = tuple(joined.get(id(t), t) for t in saved)
        try:
            grads = user_backward(self, grad if graph else Tensor._make(grad))
        finally:
            self.saved = saved
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) != len(self.inputs):
            raise ValueError(f"{cls.__name__}.backward: returned {len(grads)} gradients "
                             f"for {len(self.inputs)} inputs of forward")
        return tuple(g if g is None or graph else np.asarray(g._data if isinstance(
            g, Tensor) else g) for g in grads)

    cls.forward, cls.backward = forward, backward
    if not cls.__dict__.get("name"):
        cls.name = cls.__name__.lower()


class Context:
    """What PyTorch's ``ctx`` offers, mixed into ``Function`` (a node is its own ctx)."""

    __slots__ = ()

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep ``tensors`` for ``backward`` (read back as ``ctx.saved_tensors``)."""
        self.saved = tensors

    @property
    def saved_tensors(self) -> tuple:
        if self.saved is None:
            raise RuntimeError(f"{self.name}: saved_tensors were freed by a backward pass; "
                               "pass retain_graph=True to keep them")
        return self.saved
