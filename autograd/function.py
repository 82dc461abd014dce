"""Function: one node of the computation graph, the base class of every op."""

from __future__ import annotations

import weakref
from typing import Any, ClassVar, NamedTuple

import numpy as np

from autograd import hooks, pytorch_style, versions
from autograd.grad_mode import _state
from autograd.tensor import Tensor


class Function(pytorch_style.Context):
    """An op: ``forward`` on arrays; ``backward`` the same formula on arrays or Tensors.

    ``apply(*inputs)`` runs ``forward`` on the inputs' arrays and, when grad is enabled
    and some input requires grad, returns a tensor whose ``grad_fn`` is a new node.

    ``backward(grad, *inputs)`` receives ∂E/∂y for the op's result y and the op's inputs
    as ``forward`` received them, and returns ∂E/∂x = ∂E/∂y · ∂y/∂x for each input x, in
    order, ``None`` where ``needs_input_grad`` is False (S13's chain rule, one op at a
    time). A plain backward passes ndarrays; with ``create_graph=True`` the engine passes
    Tensors instead and the same formula is recorded, so gradients can be differentiated
    again. Write it with operators, methods both types share (``.sum``, ``.reshape``,
    ``.T``) and NumPy functions (``np.exp``, ``np.where``): on Tensors they call our ops.
    An op whose backward does not read its inputs says so with ``reads_inputs = False``
    (its ``backward(grad)`` then receives the gradient alone); one that needs its output
    saves it in ``forward`` (``self.saved = (y,)``) and reads it back with
    ``self.output(...)``. PyTorch's way — static ``forward(ctx, …)`` and
    ``backward(ctx, grad)`` with ``ctx.save_for_backward`` — works too
    (``autograd.pytorch_style``).

    What a node keeps (PyTorch's saved tensors, not the tensors themselves):

    - ``inputs``: per input, the node that made it (an op's result), the leaf Tensor (a
      leaf or a constant tensor), an array's shape and dtype (``ConstantArray``), or the
      value itself (a number, an axis);
    - ``needs_input_grad``: per input, whether a gradient is sent to it;
    - ``input_arrays`` and ``saved``: the arrays backward reads (``input_arrays`` is
      empty for an op whose ``reads_inputs`` is False, and None once ``released``);
    - ``value``, ``shape``, ``dtype``: its output, the value until the backward pass
      has used it (so a drawing made before backward shows it; ``ag.retain_grads`` keeps
      it for good);
    - ``sequence``: its number on the graph's clock (``autograd.versions``);
    - ``holds_constants``: some input is a tensor that needs no gradient (``release``
      then keeps only what a drawing needs of it).
    """

    name: ClassVar[str] = "function"
    formula: ClassVar[str] = ""
    reads_inputs: ClassVar[bool] = True

    # What ``apply`` sets on every node are slots; the rest lives in an instance dict,
    # made only when an op or a tool first writes there.
    __slots__ = (
        "__dict__",
        "dtype",
        "input_arrays",
        "inputs",
        "needs_input_grad",
        "sequence",
        "shape",
        "value",
    )

    # What most nodes never set (an instance sets them only when needed).
    saved: tuple = ()  # what ``forward`` saved for backward (None once a pass freed it)
    holds_constants = False
    scope = None  # the module call that made the node, while a drawing records them
    output_name = None  # the name given to the op's result (``tensor.name = ...``)
    retains_grad = False  # keep ∂E/∂(result) in ``_grad`` (``retain_grad``, ``retain_grads``)
    _grad = None  # ∂E/∂(result), kept when retains_grad (Tensor.grad reads it)
    tape = None  # the Tape of ``ag.retain_grads``, which the engine writes the pass to
    backpropagated = False  # set when a backward pass started from this node's output
    _hooks: list | None = None
    _version = 0  # the clock's reading at the last in-place change of the result

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if pytorch_style.is_pytorch_style(cls):  # static forward(ctx, …), backward(ctx, g)
            pytorch_style.adapt(cls)

    @classmethod
    def apply(cls, *inputs: Any) -> Tensor:
        arrays, kept, needs = [], [], []
        holds_constants = False
        for x in inputs:  # its array, what the node keeps of it, whether it needs a gradient
            if isinstance(x, Tensor):
                arrays.append(x._data)
                kept.append(x if x.grad_fn is None else x.grad_fn)  # a leaf, or its node
                needs.append(x._requires_grad)
                holds_constants = holds_constants or not x._requires_grad
            else:
                if isinstance(x, list):
                    x = np.asarray(x)
                arrays.append(x)
                kept.append(ConstantArray(x.shape, x.dtype) if isinstance(x, np.ndarray) else x)
                needs.append(False)
        node = cls()
        try:
            data = node.forward(*arrays)
        except (ValueError, OverflowError, AttributeError, TypeError) as error:
            raise node.forward_error(arrays, error) from None
        if type(data) is not np.ndarray:  # NumPy returns scalars for 0-d results
            data = np.asarray(data)
        if hooks.anomaly_check is not None:
            hooks.anomaly_check(node, "forward", arrays, (data,))
        if not (_state.enabled and True in needs):
            return Tensor._make(data)
        node.inputs, node.needs_input_grad = tuple(kept), tuple(needs)
        node.input_arrays = tuple(arrays) if cls.reads_inputs else ()
        node.value, node.shape, node.dtype = data, data.shape, data.dtype
        node.sequence = next(versions.clock)  # after every node its inputs came from
        if holds_constants:
            node.holds_constants = True
        if hooks.scope_recorder is not None:
            node.scope = hooks.scope_recorder.current()
        if hooks.node_made is not None:
            hooks.node_made(node, arrays)
        return Tensor._make(data, node)

    def forward_error(self, arrays: list, error: Exception) -> Exception:
        """The error a failed ``forward`` raises: a ValueError names the op and every
        input's shape (or the number too large for NumPy: ``keepdims=10**12``); arguments
        that are not numbers (``ag.sum(None)``) a TypeError."""
        if isinstance(error, OverflowError):
            return ValueError(f"{self.name}: {error}")
        if isinstance(error, ValueError):
            message = str(error)
            if not message.startswith(f"{self.name}:"):
                message = self.shape_error(arrays, error)
            return ValueError(message)
        kinds = ", ".join(type(a).__name__ for a in arrays)
        return TypeError(f"{self.name}: cannot compute it on arguments of types {kinds} "
                         f"({error})")

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

    def backward_inputs(self) -> tuple:
        """The inputs as ``backward`` receives them with ``create_graph`` (a plain pass
        hands it ``input_arrays`` as they are): an op's result as a Tensor rebuilt from its
        array and its node (the same graph vertex), a leaf as itself."""
        rebuilt = []
        for source, array in zip(self.inputs, self.input_arrays):
            if isinstance(source, Function):
                rebuilt.append(Tensor._make(array, source))
            elif isinstance(source, Tensor):
                rebuilt.append(source)
            else:
                rebuilt.append(array)  # a constant, as forward received it
        return tuple(rebuilt)

    def output(self, data: np.ndarray) -> Any:
        """The op's output, for a backward that uses it (S9, S10): the saved array in a
        plain backward; with ``create_graph`` a tensor whose grad_fn is this node.

        Saving the output tensor itself would make a reference cycle (output → node →
        output); instead the saved array is wrapped again with this node as its grad_fn,
        which is the same graph vertex, so second derivatives flow through it. An output
        changed in place since it was saved makes backward raise."""
        if versions.last_change[0] > self.sequence:  # something changed in place since
            versions.check_own_output(self, data)
        return Tensor._make(data, self) if _state.enabled else data

    @property
    def released(self) -> bool:
        """Whether a backward pass has dropped what the node kept for it (``release``)."""
        return self.input_arrays is None

    def release(self, keep_values: bool = False) -> None:
        """Drop the arrays the node kept for its backward and, unless ``keep_values``
        (``ag.retain_grads``), the constant tensors among its inputs (a batch wrapped
        inside a model), of which it keeps what a drawing needs (``ConstantArray``): a
        pass without ``retain_graph`` calls it once the node has run."""
        self.input_arrays = None
        if self.saved:
            self.saved = None
        if self.holds_constants and not keep_values:
            self.inputs = tuple([ConstantArray(x.shape, x.dtype, x.name, id(x), weakref.ref(x))
                                 if isinstance(x, Tensor) and not x._requires_grad else x
                                 for x in self.inputs])

    def shape_error(self, arrays: list, error: ValueError) -> str:
        """The message for a failed forward: op name and every input shape."""
        shapes = " and ".join(str(np.shape(a)) for a in arrays)
        return f"{self.name}: {error} (input shapes {shapes})"

    def __repr__(self) -> str:
        return f"<{self.name}>"


class ConstantArray(NamedTuple):
    """What a node keeps of a constant for drawing: its shape and dtype — of an ndarray
    argument (the array itself stays in ``input_arrays`` only while backward needs it),
    or of a constant tensor once backward has run (then also its name; ``key``, the
    tensor's id, so that every node that used it still points at one vertex; and a weak
    reference, through which a drawing still shows the tensor while its caller holds it)."""

    shape: tuple[int, ...]
    dtype: np.dtype
    name: str | None = None
    key: int | None = None
    tensor: weakref.ref | None = None

    def __repr__(self) -> str:
        return f"array{self.shape}"
