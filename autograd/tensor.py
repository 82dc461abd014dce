"""Tensor: an ndarray that remembers the operation that made it.

Every operator and method here is a one-liner that calls an op from ``autograd.ops``;
the maths of each op lives in its ``Function`` class, the backward pass in ``engine``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert user data to a fresh ndarray, Python floats taking the default dtype."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.array(data, dtype=dtype)
    array = np.array(data)
    if not isinstance(data, np.ndarray | np.generic) and array.dtype.kind == "f":
        array = array.astype(get_default_dtype(), copy=False)
    return array


class Tensor:
    """An n-dimensional array with an optional gradient and a link to its graph.

    ``Tensor(data, requires_grad=False, dtype=None, name=None)``: ``data`` is an ndarray,
    nested list, Python scalar or another Tensor (its data is copied). Python floats take
    the default dtype (``autograd.set_default_dtype``); ndarrays keep theirs. Only
    floating tensors can require grad.
    """

    # The attributes every op result sets are slots; the ones most tensors never set
    # (a gradient, a name, hooks) live in an instance dict made only when first written.
    __slots__ = ("__dict__", "__weakref__", "_requires_grad", "data", "grad_fn")
    grad: Tensor | None = None
    name: str | None = None
    _hooks: list | None = None

    # NumPy defers to us: ``np.ones(3) * t`` calls ``t.__rmul__`` (see __array_ufunc__).
    __array_priority__ = 1000

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None,
                 name: str | None = None) -> None:
        self.data = as_array(data, dtype)
        self.grad_fn = None
        if name is not None:
            self.name = name
        self._requires_grad = False
        self.requires_grad = requires_grad

    @classmethod
    def _make(cls, data: np.ndarray, grad_fn=None) -> Tensor:
        """Wrap an op's result without copying; ``grad_fn`` None gives a constant."""
        t = cls.__new__(cls)
        t.data = data
        t.grad_fn = grad_fn
        t._requires_grad = grad_fn is not None
        return t

    # ----------------------------------------------------------------- attributes
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and self.data.dtype.kind != "f":
            raise TypeError("requires_grad: only floating tensors can require grad, "
                            f"got dtype {self.data.dtype}")
        if not value and self.grad_fn is not None:
            raise RuntimeError("requires_grad: cannot switch off grad for a non-leaf; use detach()")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def T(self) -> Tensor:
        return ops.transpose(self)

    def numpy(self) -> np.ndarray:
        return self.data

    def item(self) -> Any:
        return self.data.item()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extras = []
        if self.data.dtype != get_default_dtype() and self.data.dtype.kind == "f":
            extras.append(f"dtype={self.data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        if self.name:
            extras.append(f"name={self.name!r}")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # ------------------------------------------------------------- graph control
    def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (reverse mode)."""
        engine.backward(self, gradient, retain_graph, create_graph)

    def detach(self) -> Tensor:
        """A tensor sharing this data, cut from the graph."""
        return Tensor._make(self.data)

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf after backward (leaves keep it anyway)."""
        if self.grad_fn is not None:
            self.grad_fn.retained = weakref.ref(self)
        elif not self._requires_grad:
            raise RuntimeError("retain_grad: tensor does not require grad")

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> Callable[[], None]:
        """Call ``hook(grad)`` once this tensor's gradient is complete; a non-None result
        replaces the gradient. Returns a function that removes the hook."""
        if not self._requires_grad:
            raise RuntimeError("register_hook: tensor does not require grad")
        owner = self.grad_fn if self.grad_fn is not None else self
        if owner._hooks is None:
            owner._hooks = []
        owner._hooks.append(hook)
        return lambda: owner._hooks.remove(hook)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient."""
        self.grad = None

    # -------------------------------------------------------------- arithmetic
    # Operators call the op classes directly: one Python call less on the hottest path.
    def __add__(self, other): return Add.apply(self, other)
    def __radd__(self, other): return Add.apply(other, self)
    def __sub__(self, other): return Sub.apply(self, other)
    def __rsub__(self, other): return Sub.apply(other, self)
    def __mul__(self, other): return Mul.apply(self, other)
    def __rmul__(self, other): return Mul.apply(other, self)
    def __truediv__(self, other): return Div.apply(self, other)
    def __rtruediv__(self, other): return Div.apply(other, self)
    def __pow__(self, other): return Pow.apply(self, other)
    def __rpow__(self, other): return Pow.apply(other, self)
    def __matmul__(self, other): return MatMul.apply(self, other)
    def __rmatmul__(self, other): return MatMul.apply(other, self)
    def __neg__(self): return Neg.apply(self)
    def __pos__(self): return self
    def __abs__(self): return ops.abs(self)
    def __getitem__(self, index): return ops.getitem(self, index)

    # Comparisons give constant tensors (no grad), as in PyTorch.
    def __lt__(self, other): return Tensor._make(self.data < _data(other))
    def __le__(self, other): return Tensor._make(self.data <= _data(other))
    def __gt__(self, other): return Tensor._make(self.data > _data(other))
    def __ge__(self, other): return Tensor._make(self.data >= _data(other))
    def __eq__(self, other): return Tensor._make(self.data == _data(other))  # type: ignore[override]
    def __ne__(self, other): return Tensor._make(self.data != _data(other))  # type: ignore[override]

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """Route NumPy ufuncs on tensors to our ops (``np.exp(t)``, ``array * t``)."""
        if method != "__call__" or kwargs:
            return NotImplemented
        if ufunc in _COMPARISONS:
            return Tensor._make(ufunc(*map(_data, inputs)))
        op = _UFUNC_OPS.get(ufunc)
        return NotImplemented if op is None else op(*inputs)

    # ----------------------------------------------------------------- methods
    def sum(self, axis=None, keepdims=False): return ops.sum(self, axis, keepdims)
    def mean(self, axis=None, keepdims=False): return ops.mean(self, axis, keepdims)
    def max(self, axis=None, keepdims=False): return ops.max(self, axis, keepdims)
    def min(self, axis=None, keepdims=False): return ops.min(self, axis, keepdims)
    def var(self, axis=None, keepdims=False, ddof=0): return ops.var(self, axis, keepdims, ddof)
    def abs(self): return ops.abs(self)
    def exp(self): return ops.exp(self)
    def log(self): return ops.log(self)
    def sqrt(self): return ops.sqrt(self)
    def tanh(self): return ops.tanh(self)
    def sigmoid(self): return ops.sigmoid(self)
    def relu(self): return ops.relu(self)
    def clip(self, lo=None, hi=None): return ops.clip(self, lo, hi)
    def reshape(self, *shape): return ops.reshape(self, _varargs(shape))
    def transpose(self, *axes): return ops.transpose(self, _varargs(axes) or None)
    def flatten(self): return ops.reshape(self, (-1,))
    def squeeze(self, axis=None): return ops.squeeze(self, axis)
    def expand_dims(self, axis): return ops.expand_dims(self, axis)
    def unsqueeze(self, axis): return ops.expand_dims(self, axis)
    def astype(self, dtype): return ops.astype(self, dtype)


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _varargs(args: tuple) -> tuple:
    """``reshape(2, 3)`` and ``reshape((2, 3))`` both mean (2, 3), as in NumPy."""
    if len(args) == 1 and isinstance(args[0], tuple | list):
        return tuple(args[0])
    return args


from autograd import engine, ops  # noqa: E402  (ops and engine build on Tensor)
from autograd.ops.elementwise import Add, Div, Mul, Neg, Pow, Sub  # noqa: E402
from autograd.ops.linalg import MatMul  # noqa: E402

_UFUNC_OPS = {
    np.add: ops.add, np.subtract: ops.sub, np.multiply: ops.mul, np.true_divide: ops.div,
    np.power: ops.pow, np.matmul: ops.matmul, np.negative: ops.neg, np.absolute: ops.abs,
    np.exp: ops.exp, np.log: ops.log, np.sqrt: ops.sqrt, np.tanh: ops.tanh,
    np.maximum: ops.maximum, np.minimum: ops.minimum,
}
_COMPARISONS = {np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal}
