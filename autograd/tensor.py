"""Tensor: an ndarray that remembers the operation that made it.

Every operator and method here is a one-liner that calls an op from ``autograd.ops``;
the maths of each op lives in its ``Function`` class, the backward pass in ``engine``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd import hooks, versions
from autograd.dtypes import get_default_dtype
from autograd.errors import shown


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert user data to a fresh ndarray, Python floats taking the default dtype."""
    if isinstance(data, Tensor):
        data = data._data
    try:
        array = np.array(data) if dtype is None else np.array(data, dtype=dtype)
    except ValueError as error:  # ragged lists, or text that is not a number
        raise ValueError(f"Tensor: cannot make an array of numbers from {shown(data)}: "
                         f"{error}") from None
    except TypeError as error:  # dtype=False, or data NumPy cannot read
        raise TypeError(f"Tensor: cannot make an array from {shown(data)} with dtype="
                        f"{dtype!r}: {error}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"Tensor: data must be numbers or booleans, got {shown(data)} "
                        f"(dtype {array.dtype})")
    if (dtype is None and not isinstance(data, np.ndarray | np.generic)
            and array.dtype.kind == "f"):
        array = array.astype(get_default_dtype(), copy=False)
    return array


class Tensor:
    """An n-dimensional array with an optional gradient and a link to its graph.

    ``Tensor(data, requires_grad=False, dtype=None, name=None)``: ``data`` is an ndarray,
    nested list, Python scalar or another Tensor (its data is copied). Python floats take
    the default dtype (``autograd.set_default_dtype``); ndarrays keep theirs. Only
    floating tensors can require grad.
    """

    # The attributes every op result sets are slots; the ones only leaves set (a
    # gradient, a name, hooks, a version) live in an instance dict made when first written.
    # An op result keeps those on its node (``grad_fn``), shared by every Tensor wrapping it.
    __slots__ = ("__dict__", "__weakref__", "_data", "_requires_grad", "grad_fn")
    _name: str | None = None
    _grad: Tensor | None = None
    _hooks: list | None = None
    _version = 0  # the clock's reading at the last in-place change of the data (0: none)
    #: True only on the stand-in a viewer gets for an op result whose value a backward
    #: pass dropped (``autograd.graph``): its shape and dtype are right, its values gone.
    freed = False

    # NumPy defers to us: ``np.ones(3) * t`` calls ``t.__rmul__`` (see __array_ufunc__).
    __array_priority__ = 1000

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None,
                 name: str | None = None) -> None:
        self._data = as_array(data, dtype)
        self.grad_fn = None
        if name is not None:
            self.name = name
        self._requires_grad = False
        self.requires_grad = requires_grad

    @staticmethod
    def _make(data: np.ndarray, grad_fn=None) -> Tensor:
        """Wrap an op's result without copying; ``grad_fn`` None gives a constant."""
        t = object.__new__(Tensor)
        t._data = data
        t.grad_fn = grad_fn
        t._requires_grad = grad_fn is not None
        return t

    # ----------------------------------------------------------------- attributes
    @property
    def data(self) -> np.ndarray:
        """The ndarray. Assigning to it (``t.data = a``, ``t.data -= a``) counts as an
        in-place change: a backward through a graph that used ``t`` before then raises.
        Reading it while ``ag.trace`` records warns, as ``item()`` does."""
        return self._read_value(".data", _same_array)

    @data.setter
    def data(self, value: np.ndarray) -> None:
        self._data = value
        self.mark_changed()

    def mark_changed(self) -> None:
        """Record that the data was changed in place (``t.data[...] = v`` cannot be seen
        otherwise): a graph that used ``t`` before refuses to backpropagate."""
        versions.bump(self if self.grad_fn is None else self.grad_fn, self._data)

    @property
    def name(self) -> str | None:
        """The name drawings and ``explain`` show (an op result's is kept on its node)."""
        return self._name if self.grad_fn is None else self.grad_fn.output_name

    @name.setter
    def name(self, value: str | None) -> None:
        if self.grad_fn is None:
            self._name = value
        else:
            self.grad_fn.output_name = value

    @property
    def grad(self) -> Tensor | None:
        """∂E/∂self after a backward pass: kept for leaves, and for non-leaves only after
        ``retain_grad()`` (reading it on another non-leaf warns, as PyTorch does)."""
        node = self.grad_fn
        if node is None:
            return self._grad
        if not node.retains_grad:
            warnings.warn(
                "Tensor.grad: this tensor is not a leaf, so its .grad is not kept by "
                "backward; call .retain_grad() on it (or ag.retain_grads(output) for the "
                "whole graph) before backward to keep it", UserWarning, stacklevel=2)
        return node._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(f"grad: assigned grad expected to be a Tensor or None, got "
                            f"{type(value).__name__}")
        if self.grad_fn is None:
            self._grad = value
        else:
            self.grad_fn._grad = value

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and self._data.dtype.kind != "f":
            raise TypeError("requires_grad: only floating tensors can require grad, "
                            f"got dtype {self._data.dtype}")
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
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> Size:
        """The number of entries (NumPy's ``t.size``), also callable as PyTorch's
        ``t.size()`` (the shape) and ``t.size(d)`` (one axis's length)."""
        return Size(self._data.shape)

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def T(self) -> Tensor:
        return ops.transpose(self)

    def numpy(self) -> np.ndarray:
        return self._read_value("numpy()", _same_array)

    def item(self) -> Any:
        return self._read_value("item()", lambda data: data.item())

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        data = self._read_value("np.asarray", _same_array)
        return data if dtype is None else data.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __bool__(self) -> bool:
        return self._read_value("bool()", bool)

    def __float__(self) -> float:
        return self._read_value("float()", float)

    def __int__(self) -> int:
        return self._read_value("int()", int)

    def _read_value(self, how: str, convert: Callable[[np.ndarray], Any]) -> Any:
        """``convert(data)``: the value read into Python, which ``ag.trace`` (while it
        records) is told about, as a decision taken on it is frozen into the trace."""
        if hooks.value_read is not None:
            hooks.value_read(how)
        return convert(self._data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="tensor(")
        extras = []
        if self._data.dtype != get_default_dtype() and self._data.dtype.kind == "f":
            extras.append(f"dtype={self._data.dtype}")
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
        from autograd import engine  # the engine builds on Tensor, not the other way

        engine.backward(self, gradient, retain_graph, create_graph)

    def detach(self) -> Tensor:
        """A tensor sharing this data, cut from the graph."""
        return Tensor._make(self._data)

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf after backward (leaves keep it anyway)."""
        if self.grad_fn is not None:
            self.grad_fn.retains_grad = True
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

        def remove() -> None:  # calling it again does nothing
            if hook in owner._hooks:
                owner._hooks.remove(hook)
        return remove

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
    def __mod__(self, other): return ops.mod(self, other)
    def __rmod__(self, other): return ops.mod(other, self)
    def __floordiv__(self, other): return ops.floordiv(self, other)
    def __rfloordiv__(self, other): return ops.floordiv(other, self)

    # In place only where no graph records it (see autograd.in_place), else t = t + x.
    def __iadd__(self, other): return in_place.update(self, "+=", np.add, other)
    def __isub__(self, other): return in_place.update(self, "-=", np.subtract, other)
    def __imul__(self, other): return in_place.update(self, "*=", np.multiply, other)
    def __itruediv__(self, other): return in_place.update(self, "/=", np.true_divide, other)
    def zero_(self): return in_place.zero_(self)
    def __setitem__(self, index, value): in_place.assign(self, index, value)

    # Logic on boolean tensors (bits on integer ones): constant tensors, no grad.
    def __and__(self, other): return ops.bitwise("&", np.bitwise_and, self, other)
    def __rand__(self, other): return ops.bitwise("&", np.bitwise_and, other, self)
    def __or__(self, other): return ops.bitwise("|", np.bitwise_or, self, other)
    def __ror__(self, other): return ops.bitwise("|", np.bitwise_or, other, self)
    def __xor__(self, other): return ops.bitwise("^", np.bitwise_xor, self, other)
    def __rxor__(self, other): return ops.bitwise("^", np.bitwise_xor, other, self)
    def __invert__(self): return ops.bitwise("~", np.invert, self)

    # Comparisons give constant tensors (no grad), as in PyTorch.
    def __lt__(self, other): return Tensor._make(self._data < _data(other))
    def __le__(self, other): return Tensor._make(self._data <= _data(other))
    def __gt__(self, other): return Tensor._make(self._data > _data(other))
    def __ge__(self, other): return Tensor._make(self._data >= _data(other))
    def __eq__(self, other): return Tensor._make(self._data == _data(other))  # type: ignore[override]
    def __ne__(self, other): return Tensor._make(self._data != _data(other))  # type: ignore[override]

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """Route NumPy ufuncs on tensors to our ops (``np.exp(t)``, ``array * t``)."""
        if method == "__call__" and not kwargs:
            if ufunc in COMPARISONS:
                return Tensor._make(ufunc(*map(_data, inputs)))
            op = UFUNC_OPS.get(ufunc)
            if op is not None:
                return op(*inputs)
        name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
        return outside_graph(name, getattr(ufunc, method), inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        """Route NumPy functions on tensors (``np.sum(t)``, ``np.where(c, t, 0)``) to our
        ops; others run on the data, and refuse to drop a gradient silently."""
        op = ARRAY_FUNCTIONS.get(func)
        if op is not None:
            return op(*args, **kwargs)
        return outside_graph(f"np.{func.__name__}", func, args, kwargs)

    # ----------------------------------------------------------------- methods
    # Reductions take NumPy's axis/keepdims or PyTorch's dim/keepdim (see ops.axes.pick).
    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None): return ops.sum(self, axis, keepdims, dim=dim, keepdim=keepdim)  # noqa: E501
    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None): return ops.mean(self, axis, keepdims, dim=dim, keepdim=keepdim)  # noqa: E501
    def max(self, *args, **kwargs): return ops.max(self, *args, **kwargs)
    def min(self, *args, **kwargs): return ops.min(self, *args, **kwargs)
    def var(self, axis=None, keepdims=False, ddof=None, **torch): return ops.var(self, axis, keepdims, ddof, **torch)  # noqa: E501
    def abs(self): return ops.abs(self)
    def exp(self): return ops.exp(self)
    def log(self): return ops.log(self)
    def sqrt(self): return ops.sqrt(self)
    def tanh(self): return ops.tanh(self)
    def sigmoid(self): return ops.sigmoid(self)
    def relu(self): return ops.relu(self)
    def clip(self, lo=None, hi=None, **torch): return ops.clip(self, lo, hi, **torch)
    def reshape(self, *shape): return ops.reshape(self, varargs(shape))
    def transpose(self, *axes): return ops.transpose(self, *axes)
    def flatten(self, start_dim=0, end_dim=-1): return ops.flatten(self, start_dim, end_dim)
    def squeeze(self, axis=None, *, dim=None): return ops.squeeze(self, axis, dim=dim)
    def expand_dims(self, axis): return ops.expand_dims(self, axis)
    def unsqueeze(self, dim): return ops.expand_dims(self, dim)
    def astype(self, dtype): return ops.astype(self, dtype)
    # The names PyTorch users type.
    def std(self, axis=None, keepdims=False, ddof=None, **torch): return ops.std(self, axis, keepdims, ddof, **torch)  # noqa: E501
    def prod(self, axis=None, keepdims=False, **torch): return ops.prod(self, axis, keepdims, **torch)  # noqa: E501
    def logsumexp(self, axis=None, keepdims=False, **torch): return ops.logsumexp(self, axis, keepdims, **torch)  # noqa: E501
    def norm(self, p=2, axis=None, keepdims=False, **torch): return ops.norm(self, p, axis, keepdims, **torch)  # noqa: E501
    def cumsum(self, axis=None, *, dim=None): return ops.cumsum(self, axis, dim=dim)
    def argmax(self, axis=None, keepdims=False, **torch): return ops.argmax(self, axis, keepdims, **torch)  # noqa: E501
    def argmin(self, axis=None, keepdims=False, **torch): return ops.argmin(self, axis, keepdims, **torch)  # noqa: E501
    def any(self, axis=None, keepdims=False, **torch): return ops.any(self, axis, keepdims, **torch)
    def all(self, axis=None, keepdims=False, **torch): return ops.all(self, axis, keepdims, **torch)
    def softmax(self, dim): return ops.softmax(self, dim)
    def log_softmax(self, dim): return ops.log_softmax(self, dim)
    def matmul(self, other): return MatMul.apply(self, other)
    def mm(self, other): return ops.mm(self, other)
    def add(self, other, *, alpha=1): return Add.apply(self, other if alpha == 1 else other * alpha)
    def sub(self, other, *, alpha=1): return Sub.apply(self, other if alpha == 1 else other * alpha)
    def mul(self, other): return Mul.apply(self, other)
    def div(self, other): return Div.apply(self, other)
    def pow(self, exponent): return Pow.apply(self, exponent)
    def square(self): return Pow.apply(self, 2)
    def reciprocal(self): return Div.apply(1.0, self)
    def sin(self): return ops.sin(self)
    def cos(self): return ops.cos(self)
    def log2(self): return ops.log2(self)
    def log10(self): return ops.log10(self)
    def exp2(self): return ops.exp2(self)
    def rsqrt(self): return ops.rsqrt(self)
    def floor(self): return ops.floor(self)
    def ceil(self): return ops.ceil(self)
    def round(self, decimals=0): return ops.round(self, decimals)
    def isnan(self): return ops.isnan(self)
    def isinf(self): return ops.isinf(self)
    def isfinite(self): return ops.isfinite(self)
    def permute(self, *axes): return ops.permute(self, *axes)
    def swapaxes(self, axis1, axis2): return ops.swapaxes(self, axis1, axis2)
    def expand(self, *shape): return ops.expand(self, varargs(shape))
    def t(self): return ops.t(self)
    def gather(self, dim, index): return ops.gather(self, dim, index)
    # Shapes as PyTorch reads them: t.size() / t.size(d) (t.size alone: the count), ...
    def numel(self): return self._data.size
    def dim(self): return self._data.ndim
    def view(self, *shape): return ops.view(self, *shape)
    def view_as(self, other): return ops.reshape(self, other.shape)
    def clamp(self, min=None, max=None): return ops.clamp(self, min, max)
    def tolist(self): return self._read_value("tolist()", lambda data: data.tolist())
    def clone(self): return ops.astype(self, self.dtype) if self._requires_grad else Tensor._make(self._data.copy())  # noqa: E501
    # ... in-place methods (where no graph records them, see autograd.in_place), ...
    def add_(self, other): return in_place.method(self, "add_", np.add, other)
    def sub_(self, other): return in_place.method(self, "sub_", np.subtract, other)
    def mul_(self, other): return in_place.method(self, "mul_", np.multiply, other)
    def div_(self, other): return in_place.method(self, "div_", np.true_divide, other)
    def copy_(self, source): return in_place.copy_(self, source)
    def fill_(self, value): return in_place.copy_(self, value)
    # ... dtypes and casts (a cast stays in the graph; see ag.float, ag.long, ...), ...
    def float(self): return ops.astype(self, np.float32)
    def double(self): return ops.astype(self, np.float64)
    def half(self): return ops.astype(self, np.float16)
    def long(self): return ops.astype(self, np.int64)
    def int(self): return ops.astype(self, np.int32)
    def bool(self): return ops.astype(self, np.bool_)
    def type(self, dtype=None): return dtypes.type_name(self.dtype) if dtype is None else ops.astype(self, dtypes.from_type(dtype))  # noqa: E501
    # ... devices (the CPU only: another device raises, naming it), ...
    @property
    def device(self): return devices.CPU
    def to(self, *args, **kwargs): return devices.to(self, *args, **kwargs)
    def cpu(self): return self
    def cuda(self, device=None): return devices.check(device or "cuda", "cuda")
    # ... and new tensors with this one's dtype.
    def new_zeros(self, *size): return Tensor._make(np.zeros(varargs(size), self.dtype))
    def new_ones(self, *size): return Tensor._make(np.ones(varargs(size), self.dtype))
    def new_empty(self, *size): return Tensor._make(np.zeros(varargs(size), self.dtype))
    def new_full(self, size, fill_value): return Tensor._make(np.full(size, fill_value, self.dtype))
    def new_tensor(self, data): return Tensor(data, dtype=self.dtype)

def _same_array(data: np.ndarray) -> np.ndarray:
    return data


def _data(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


class Size(int):
    """An int, the number of entries, that can also be called: ``size()`` gives the shape,
    ``size(d)`` the length of axis d. So ``t.size`` means what NumPy users expect and
    ``t.size()`` what PyTorch users do."""

    shape: tuple[int, ...]

    def __new__(cls, shape: tuple[int, ...]) -> Size:
        count = super().__new__(cls, math.prod(shape))
        count.shape = shape
        return count

    def __call__(self, dim: int | None = None) -> Any:
        if dim is None:
            return self.shape
        (axis,) = ops.axes.normalize_axis(dim, len(self.shape), "size") or (0,)
        return self.shape[axis] if self.shape else 1


def varargs(args: tuple) -> tuple:
    """``reshape(2, 3)`` and ``reshape((2, 3))`` both mean (2, 3), as in NumPy."""
    if len(args) == 1 and isinstance(args[0], tuple | list):
        return tuple(args[0])
    return args


from autograd import devices, dtypes, in_place, ops  # noqa: E402  (they build on Tensor)
from autograd.numpy_interop import (  # noqa: E402
    ARRAY_FUNCTIONS,
    COMPARISONS,
    UFUNC_OPS,
    outside_graph,
)
from autograd.ops.arithmetic import Add, Div, Mul, Neg, Pow, Sub  # noqa: E402
from autograd.ops.linalg import MatMul  # noqa: E402
