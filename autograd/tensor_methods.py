"""Tensor's methods that call an op, one line each: NumPy's names (``t.sum()``,
``t.reshape(2, 3)``, ``t.exp()``) and the ones PyTorch users type (``t.view``, ``t.mm``,
``t.float()``, ``t.to(device)``, ``t.new_zeros``). ``Tensor`` inherits them; its own
module keeps what a tensor is (data, gradient, graph link) and its operators.

The ops import ``Tensor``, so these one-liners reach them through the package
(``autograd.ops.sum``) when called, once every module has loaded.
"""

from __future__ import annotations

import numpy as np

import autograd
from autograd import dtypes


class TensorMethods:
    """The methods ``Tensor`` inherits (no state of their own)."""

    __slots__ = ()

    # Reductions take NumPy's axis/keepdims or PyTorch's dim/keepdim (ops.axes.pick).
    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None): return autograd.ops.sum(self, axis, keepdims, dim=dim, keepdim=keepdim)  # noqa: E501
    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None): return autograd.ops.mean(self, axis, keepdims, dim=dim, keepdim=keepdim)  # noqa: E501
    def max(self, *args, **kwargs): return autograd.ops.max(self, *args, **kwargs)
    def min(self, *args, **kwargs): return autograd.ops.min(self, *args, **kwargs)
    def var(self, axis=None, keepdims=False, ddof=None, **torch): return autograd.ops.var(self, axis, keepdims, ddof, **torch)  # noqa: E501
    def abs(self): return autograd.ops.abs(self)
    def exp(self): return autograd.ops.exp(self)
    def log(self): return autograd.ops.log(self)
    def sqrt(self): return autograd.ops.sqrt(self)
    def tanh(self): return autograd.ops.tanh(self)
    def sigmoid(self): return autograd.ops.sigmoid(self)
    def relu(self): return autograd.ops.relu(self)
    def clip(self, lo=None, hi=None, **torch): return autograd.ops.clip(self, lo, hi, **torch)
    def reshape(self, *shape): return autograd.ops.reshape(self, varargs(shape))
    def transpose(self, *axes): return autograd.ops.transpose(self, *axes)
    def flatten(self, start_dim=0, end_dim=-1): return autograd.ops.flatten(self, start_dim, end_dim)  # noqa: E501
    def squeeze(self, axis=None, *, dim=None): return autograd.ops.squeeze(self, axis, dim=dim)
    def expand_dims(self, axis): return autograd.ops.expand_dims(self, axis)
    def unsqueeze(self, dim): return autograd.ops.expand_dims(self, dim)
    def astype(self, dtype): return autograd.ops.astype(self, dtype)
    # The names PyTorch users type.
    def std(self, axis=None, keepdims=False, ddof=None, **torch): return autograd.ops.std(self, axis, keepdims, ddof, **torch)  # noqa: E501
    def prod(self, axis=None, keepdims=False, **torch): return autograd.ops.prod(self, axis, keepdims, **torch)  # noqa: E501
    def logsumexp(self, axis=None, keepdims=False, **torch): return autograd.ops.logsumexp(self, axis, keepdims, **torch)  # noqa: E501
    def norm(self, p=2, axis=None, keepdims=False, **torch): return autograd.ops.norm(self, p, axis, keepdims, **torch)  # noqa: E501
    def cumsum(self, axis=None, *, dim=None): return autograd.ops.cumsum(self, axis, dim=dim)
    def argmax(self, axis=None, keepdims=False, **torch): return autograd.ops.argmax(self, axis, keepdims, **torch)  # noqa: E501
    def argmin(self, axis=None, keepdims=False, **torch): return autograd.ops.argmin(self, axis, keepdims, **torch)  # noqa: E501
    def any(self, axis=None, keepdims=False, **torch): return autograd.ops.any(self, axis, keepdims, **torch)  # noqa: E501
    def all(self, axis=None, keepdims=False, **torch): return autograd.ops.all(self, axis, keepdims, **torch)  # noqa: E501
    def softmax(self, dim): return autograd.ops.softmax(self, dim)
    def log_softmax(self, dim): return autograd.ops.log_softmax(self, dim)
    def matmul(self, other): return autograd.ops.matmul(self, other)
    def mm(self, other): return autograd.ops.mm(self, other)
    def add(self, other, *, alpha=1): return autograd.ops.add(self, other if alpha == 1 else other * alpha)  # noqa: E501
    def sub(self, other, *, alpha=1): return autograd.ops.sub(self, other if alpha == 1 else other * alpha)  # noqa: E501
    def mul(self, other): return autograd.ops.mul(self, other)
    def div(self, other): return autograd.ops.div(self, other)
    def pow(self, exponent): return autograd.ops.pow(self, exponent)
    def square(self): return autograd.ops.pow(self, 2)
    def reciprocal(self): return autograd.ops.div(1.0, self)
    def sin(self): return autograd.ops.sin(self)
    def cos(self): return autograd.ops.cos(self)
    def log2(self): return autograd.ops.log2(self)
    def log10(self): return autograd.ops.log10(self)
    def exp2(self): return autograd.ops.exp2(self)
    def rsqrt(self): return autograd.ops.rsqrt(self)
    def floor(self): return autograd.ops.floor(self)
    def ceil(self): return autograd.ops.ceil(self)
    def round(self, decimals=0): return autograd.ops.round(self, decimals)
    def isnan(self): return autograd.ops.isnan(self)
    def isinf(self): return autograd.ops.isinf(self)
    def isfinite(self): return autograd.ops.isfinite(self)
    def permute(self, *axes): return autograd.ops.permute(self, *axes)
    def swapaxes(self, axis1, axis2): return autograd.ops.swapaxes(self, axis1, axis2)
    def expand(self, *shape): return autograd.ops.expand(self, varargs(shape))
    def t(self): return autograd.ops.t(self)
    def gather(self, dim, index): return autograd.ops.gather(self, dim, index)
    # Shapes as PyTorch reads them: t.size() / t.size(d) (t.size alone: the count), ...
    def numel(self): return self._data.size
    def dim(self): return self._data.ndim
    def view(self, *shape): return autograd.ops.view(self, *shape)
    def view_as(self, other): return autograd.ops.reshape(self, other.shape)
    def clamp(self, min=None, max=None): return autograd.ops.clamp(self, min, max)
    def tolist(self): return self._read_value("tolist()", lambda data: data.tolist())
    def clone(self): return autograd.ops.astype(self, self.dtype) if self._requires_grad else self._make(self._data.copy())  # noqa: E501
    # ... in-place methods (where no graph records them, see autograd.in_place), ...
    def add_(self, other): return autograd.in_place.method(self, "add_", np.add, other)
    def sub_(self, other): return autograd.in_place.method(self, "sub_", np.subtract, other)
    def mul_(self, other): return autograd.in_place.method(self, "mul_", np.multiply, other)
    def div_(self, other): return autograd.in_place.method(self, "div_", np.true_divide, other)
    def copy_(self, source): return autograd.in_place.copy_(self, source)
    def fill_(self, value): return autograd.in_place.copy_(self, value)
    # ... dtypes and casts (a cast stays in the graph; see ag.float, ag.long, ...), ...
    def float(self): return autograd.ops.astype(self, np.float32)
    def double(self): return autograd.ops.astype(self, np.float64)
    def half(self): return autograd.ops.astype(self, np.float16)
    def long(self): return autograd.ops.astype(self, np.int64)
    def int(self): return autograd.ops.astype(self, np.int32)
    def bool(self): return autograd.ops.astype(self, np.bool_)
    def type(self, dtype=None): return dtypes.type_name(self.dtype) if dtype is None else autograd.ops.astype(self, dtypes.from_type(dtype))  # noqa: E501
    # ... devices (the CPU only: another device raises, naming it), ...
    @property
    def device(self): return autograd.devices.CPU
    def to(self, *args, **kwargs): return autograd.devices.to(self, *args, **kwargs)
    def cpu(self): return self
    def cuda(self, device=None): return autograd.devices.check(device or "cuda", "cuda")
    # ... and new tensors with this one's dtype.
    def new_zeros(self, *size): return self._make(np.zeros(varargs(size), self.dtype))
    def new_ones(self, *size): return self._make(np.ones(varargs(size), self.dtype))
    def new_empty(self, *size): return self._make(np.zeros(varargs(size), self.dtype))
    def new_full(self, size, fill_value): return self._make(np.full(size, fill_value, self.dtype))
    def new_tensor(self, data): return type(self)(data, dtype=self.dtype)


def varargs(args: tuple) -> tuple:
    """``reshape(2, 3)`` and ``reshape((2, 3))`` both mean (2, 3), as in NumPy."""
    if len(args) == 1 and isinstance(args[0], tuple | list):
        return tuple(args[0])
    return args
