"""Function: one node of the computation graph, the base class of every op."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from autograd.grad_mode import _state
from autograd.tensor import Tensor, clock

_new_tensor = Tensor.__new__

#: The distinct ``needs_input_grad`` tuples of up to four inputs (30 at most), shared by
#: all nodes. Each new tuple counts towards the cyclic garbage collector's next sweep
#: until it is freed; a shared one lets it go at once, so a long graph triggers fewer
#: collections over all of its nodes (on a 100,000-op chain: 4 full collections instead
#: of 5, 0.12 s of GC instead of 0.21 s).
_NEEDS: dict[tuple[bool, ...], tuple[bool, ...]] = {}

#: The drawing's module recorder while one is active, else None (the engine never sets it).
#: It has ``current()`` → the label of the innermost module being called (stored on each
#: new node as ``scope``) and ``enter(module)`` → a context manager that ``nn.Module``
#: calls around its forward.
scope_recorder: Any = None

#: ``detect_anomaly``'s check while it is active, else None: called as
#: ``anomaly_check(node, phase, arrays)`` with the values an op just produced.
anomaly_check: Any = None


class Function:
    """An op: ``forward`` on arrays; ``backward`` the same formula on arrays or Tensors.

    ``apply(*inputs)`` runs ``forward`` on the inputs' arrays and, when grad is
    enabled and some input requires grad, returns a tensor whose ``grad_fn`` is this node.

    ``backward(grad, *inputs)`` receives ∂E/∂y for the op's result y and the op's inputs
    as ``forward`` received them, and returns ∂E/∂x = ∂E/∂y · ∂y/∂x for each input x, in
    order, ``None`` where ``needs_input_grad`` is False (S13's chain rule, one op at a
    time). A plain backward passes ndarrays; with ``create_graph=True`` the engine passes
    Tensors instead and the same formula is recorded, so gradients can be differentiated
    again. Write it with operators, methods both types share (``.sum``, ``.reshape``,
    ``.T``) and NumPy functions (``np.exp``, ``np.where``): on Tensors they call our ops.

    Attributes read by the engine and by the drawing: ``inputs`` (the Tensors and
    constants the op was called with), ``name``, ``formula`` (the local derivative).
    """

    name: ClassVar[str] = "function"
    formula: ClassVar[str] = ""

    # Defaults for rarely used per-node state (instances set them only when needed).
    saved: tuple | None = ()  # None once a backward pass has freed the node
    retained = None  # weakref to the output tensor after ``retain_grad()``
    scope = None  # module path recorded while drawing needs it
    tape = None  # the Tape of ``ag.retain_grads``, which the engine writes the pass to
    backpropagated = False  # set when a backward pass started from this node's output
    _hooks: list | None = None

    @classmethod
    def apply(cls, *inputs: Any) -> Tensor:
        fn = cls()
        arrays = []
        needs = []
        for x in inputs:  # one plain loop: the hottest lines of the library
            if isinstance(x, Tensor):
                arrays.append(x._data)
                needs.append(x._requires_grad)
            elif isinstance(x, list):  # a list constant is an array from here on
                arrays.append(np.asarray(x))
                needs.append(False)
                inputs = tuple(np.asarray(y) if isinstance(y, list) else y for y in inputs)
            else:
                arrays.append(x)
                needs.append(False)
        try:
            data = fn.forward(*arrays)
        except ValueError as error:  # name the op and the shapes at fault
            message = str(error)
            if not message.startswith(f"{fn.name}:"):
                message = fn.shape_error(arrays, error)
            raise ValueError(message) from None
        if type(data) is not np.ndarray:  # NumPy returns scalars for 0-d results
            data = np.asarray(data)
        if anomaly_check is not None:
            anomaly_check(fn, "forward", arrays, (data,))
        # Tensor._make written out: one Python call fewer per op (about 6 % of its cost).
        out = _new_tensor(Tensor)
        out._data = data
        if True in needs and _state.enabled:
            fn.inputs = inputs
            fn.arrays = tuple(arrays)  # for a plain backward; a tuple the GC soon untracks
            needs = tuple(needs)  # one shared tuple per pattern, as _NEEDS explains
            fn.needs_input_grad = _NEEDS.setdefault(needs, needs) if len(needs) < 5 else needs
            fn.sequence = next(clock)  # inputs' nodes always have smaller numbers
            if scope_recorder is not None:
                fn.scope = scope_recorder.current()
            out.grad_fn = fn
            out._requires_grad = True
        else:
            out.grad_fn = None
            out._requires_grad = False
        return out

    @classmethod
    def compute(cls, *inputs: Any) -> Any:
        """The op inside another op's backward formula: recorded (``apply``) when the
        formula runs on Tensors for ``create_graph``, else just ``forward`` on arrays."""
        if any(isinstance(x, Tensor) for x in inputs):
            return cls.apply(*inputs)
        return cls().forward(*inputs)

    def forward(self, *arrays: Any) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: Any, *inputs: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def output(self, data: np.ndarray) -> Any:
        """The op's output, for a backward that uses it (S9, S10): the saved array in a
        plain backward; with ``create_graph`` a tensor whose grad_fn is this node.

        Saving the output tensor itself would make a reference cycle (output → node →
        output); instead the saved array is wrapped again with this node as its grad_fn,
        which is the same graph vertex, so second derivatives flow through it."""
        return Tensor._make(data, self) if _state.enabled else data

    def shape_error(self, arrays: list, error: ValueError) -> str:
        """The message for a failed forward: op name and every input shape."""
        shapes = " and ".join(str(np.shape(a)) for a in arrays)
        return f"{self.name}: {error} (input shapes {shapes})"

    def __repr__(self) -> str:
        return f"<{self.name}>"
