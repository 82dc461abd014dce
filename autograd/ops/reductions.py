"""Reductions over axes. Each backward spreads the incoming gradient back over the
reduced axes: equally for sum and mean, onto the extreme entries for max and min."""

from __future__ import annotations

import builtins
import math
import warnings
from collections import namedtuple

import numpy as np

from autograd.errors import shown
from autograd.function import Function
from autograd.ops.arithmetic import abs, maximum, minimum
from autograd.ops.axes import axis_or_dim, is_integer, normalize_axis, pick
from autograd.ops.exp_log import sqrt
from autograd.ops.logic import argmax, argmin
from autograd.ops.shape import reshape
from autograd.tensor import Tensor


class Reduction(Function):
    """Shared bookkeeping: which axes are reduced, the shape with them kept as 1s, and the
    input's shape (all that sum's and mean's backward read of the input)."""

    def setup(self, a: np.ndarray, axis, keepdims: bool) -> tuple[int, ...]:
        self.input_shape = a.shape
        if axis is None:  # every axis: the common case, kept short
            self.axes, self.kept_shape = tuple(range(a.ndim)), (1,) * a.ndim
        else:
            self.axes = normalize_axis(axis, a.ndim, self.name)
            self.kept_shape = tuple(1 if i in self.axes else n for i, n in enumerate(a.shape))
        return self.axes

    def spread(self, grad):
        """The gradient of the reduced output, repeated over the reduced axes of the input:
        on Tensors the broadcast op (recorded for ``create_graph``); on arrays a filled
        array, which NumPy makes faster than a broadcast view."""
        grad = grad.reshape(self.kept_shape)
        if isinstance(grad, Tensor):
            return np.broadcast_to(grad, self.input_shape)
        spread = np.empty(self.input_shape, grad.dtype)
        spread[...] = grad
        return spread


class Sum(Reduction):
    name = "sum"
    formula = "∂(Σᵢ aᵢ)/∂aᵢ = 1"
    reads_inputs = False

    def forward(self, a, axis, keepdims):
        return np.add.reduce(a, axis=self.setup(a, axis, keepdims), keepdims=keepdims)

    def backward(self, grad):
        return self.spread(grad), None, None


class Mean(Reduction):
    name = "mean"
    formula = "∂(Σᵢ aᵢ / n)/∂aᵢ = 1/n"
    reads_inputs = False

    def forward(self, a, axis, keepdims):
        axes = self.setup(a, axis, keepdims)
        self.count = math.prod([a.shape[i] for i in axes])
        return np.mean(a, axis=axes, keepdims=keepdims)

    def backward(self, grad):
        return self.spread(grad) / self.count, None, None


class Extremum(Reduction):
    """max or min: the gradient goes to the entries equal to the result; ties share it
    evenly (as ``torch.amax``), so the shares always sum to the incoming gradient.
    Subclasses name ``reduce``, the ufunc reduction that finds the extreme."""

    reads_inputs = False  # the shares, saved by forward, are all backward reads

    def forward(self, a, axis, keepdims):
        axes = self.setup(a, axis, keepdims)
        if a.size == 0:
            raise ValueError(f"{self.name}: zero-size array has no {self.name}imum")
        extreme = self.reduce(a, axis=axes, keepdims=True)
        chosen = a == extreme
        share = chosen / chosen.sum(axis=axes, keepdims=True)
        self.saved = (share.astype(a.dtype) if a.dtype.kind == "f" else share,)
        return extreme if keepdims else extreme.reshape(
            [n for i, n in enumerate(a.shape) if i not in axes])

    def backward(self, grad):
        return self.spread(grad) * self.saved[0], None, None


class Max(Extremum):
    name = "max"
    formula = "∂max(a)/∂aᵢ = 1/k for the k entries equal to the max, else 0"
    reduce = staticmethod(np.maximum.reduce)


class Min(Extremum):
    name = "min"
    formula = "∂min(a)/∂aᵢ = 1/k for the k entries equal to the min, else 0"
    reduce = staticmethod(np.minimum.reduce)


class Prod(Reduction):
    name = "prod"
    formula = "∂(Πⱼ aⱼ)/∂aᵢ = Πⱼ≠ᵢ aⱼ  (= y/aᵢ where no aⱼ is 0)"

    def forward(self, a, axis, keepdims):
        y = np.prod(a, axis=self.setup(a, axis, keepdims), keepdims=keepdims)
        self.saved = (y,)
        return y

    def backward(self, grad, a, axis, keepdims):
        if (np.asarray(a) != 0).all():
            return self.spread(grad * self.output(self.saved[0])) / a, None, None
        return self.spread(grad) * _product_of_others(a, self.axes), None, None


def _product_of_others(a, axes):
    """Πⱼ≠ᵢ aⱼ over ``axes`` for every entry i, exact where some aⱼ is 0: the reduced
    axes are flattened to k entries, and row i of a k×k copy has its own entry set to 1."""
    kept = [i for i in range(a.ndim) if i not in axes]
    order = kept + list(axes)
    moved = a.transpose(order)
    k = math.prod([a.shape[i] for i in axes])
    rows = moved.reshape((*moved.shape[:len(kept)], 1, k))
    others = np.where(np.eye(k, dtype=bool), 1.0, rows).prod(axis=-1)
    return others.reshape(moved.shape).transpose(tuple(np.argsort(order)))


class LogSumExp(Reduction):
    name = "logsumexp"
    formula = "∂(log Σⱼ e^aⱼ)/∂aᵢ = e^(aᵢ − y) = softmax(a)ᵢ"

    def forward(self, a, axis, keepdims):
        axes = self.setup(a, axis, keepdims)
        top = np.max(a, axis=axes, keepdims=True, initial=-np.inf)
        top = np.where(np.isfinite(top), top, 0)  # all −∞ (or empty): no shift needed
        with np.errstate(divide="ignore"):  # log 0 = −∞ for an empty or all −∞ axis
            y = np.log(np.sum(np.exp(a - top), axis=axes, keepdims=True)) + top
        y = y if keepdims else y.reshape([n for i, n in enumerate(a.shape) if i not in axes])
        self.saved = (y,)
        return y

    def backward(self, grad, a, axis, keepdims):
        y = self.output(self.saved[0]).reshape(self.kept_shape)
        return self.spread(grad) * np.exp(a - y), None, None


class Norm(Reduction):
    name = "norm"
    formula = "∂‖a‖₂/∂aᵢ = aᵢ/‖a‖₂  (0 where ‖a‖₂ = 0, as PyTorch)"

    def forward(self, a, axis, keepdims):
        y = np.sqrt(np.sum(a * a, axis=self.setup(a, axis, keepdims), keepdims=keepdims))
        self.saved = (y,)
        return y

    def backward(self, grad, a, axis, keepdims):
        y = self.output(self.saved[0])
        return self.spread(grad / np.where(y == 0, 1, y)) * a, None, None


# Every reduction takes NumPy's axis/keepdims or PyTorch's dim/keepdim (ops.axes.pick).
# sum and mean, on the hot path, look at dim/keepdim only when one is given.
def sum(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    if dim is not None or keepdim is not None:
        axis, keepdims = axis_or_dim("sum", axis, dim, keepdims, keepdim)
    return Sum.apply(a, axis, keepdims)


def mean(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    if dim is not None or keepdim is not None:
        axis, keepdims = axis_or_dim("mean", axis, dim, keepdims, keepdim)
    return Mean.apply(a, axis, keepdims)


def prod(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return Prod.apply(a, *axis_or_dim("prod", axis, dim, keepdims, keepdim))


def logsumexp(a, axis=None, keepdims=False, *, dim=None, keepdim=None):
    return LogSumExp.apply(a, *axis_or_dim("logsumexp", axis, dim, keepdims, keepdim))


#: What ``max(dim=…)`` and ``min(dim=…)`` return, as PyTorch: the extremes and their
#: positions (``values, indices = x.max(dim=1)``).
Extremes = namedtuple("Extremes", ["values", "indices"])


def _extreme(op, position, a, args, axis, keepdims, dim, keepdim):
    """NumPy's max/min (``axis``: the values) or PyTorch's (``dim``: values and indices;
    a Tensor as second argument: the element-wise maximum/minimum). A bare positional
    axis, ``max(x, 1)``, means one thing in NumPy and another in PyTorch: refused."""
    name = op.name
    if len(args) == 1 and isinstance(args[0], Tensor):
        return (maximum if op is Max else minimum)(a, args[0])
    if args:
        raise TypeError(
            f"{name}({', '.join(map(repr, args))}): NumPy reads a positional axis as 'the "
            f"{name}imum values along it', PyTorch as '(values, indices) along it'; write "
            f"axis={args[0]!r} for the values or dim={args[0]!r} for both")
    if dim is None:
        return op.apply(a, *axis_or_dim(name, axis, None, keepdims, keepdim))
    axis, keepdims = axis_or_dim(name, axis, dim, keepdims, keepdim)
    if not is_integer(axis):
        raise TypeError(f"{name}: dim must be one int (PyTorch's (values, indices) form), "
                        f"got {axis!r}; for the values over several axes use axis=")
    return Extremes(op.apply(a, axis, keepdims), position(a, axis, keepdims))


def max(a, *args, axis=None, keepdims=False, dim=None, keepdim=None):
    """The largest entries: over ``axis`` (all by default) as NumPy; ``dim=d`` gives
    PyTorch's ``(values, indices)``; ``max(a, b)`` with a Tensor b is ``maximum(a, b)``."""
    return _extreme(Max, argmax, a, args, axis, keepdims, dim, keepdim)


def min(a, *args, axis=None, keepdims=False, dim=None, keepdim=None):
    """The smallest entries, as ``max``."""
    return _extreme(Min, argmin, a, args, axis, keepdims, dim, keepdim)


def norm(a, p=2, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """The p-norm (Σ|aᵢ|ᵖ)^(1/p) over ``axis`` (all entries by default): one node for
    p = 2 (also ``"fro"``), max |aᵢ| for p = inf, composed of abs, pow and sum otherwise."""
    axis, keepdims = axis_or_dim("norm", axis, dim, keepdims, keepdim)
    if p in (2, "fro"):
        return Norm.apply(a, axis, keepdims)
    if p == np.inf:
        return max(abs(a), axis=axis, keepdims=keepdims)
    if not isinstance(p, int | float) or isinstance(p, bool) or not p > 0:
        raise ValueError(f"norm: p must be a positive number, inf or 'fro', got {shown(p)}")
    if p == 1:
        return sum(abs(a), axis, keepdims)
    return sum(abs(a) ** p, axis, keepdims) ** (1 / p)


def var(a, axis=None, keepdims=False, ddof=None, *, dim=None, keepdim=None,
        correction=None, unbiased=None):
    """Variance Σ(a − mean)² / (n − ddof): NumPy's divisor n (ddof=0) by default, but
    PyTorch's n − 1 when called PyTorch's way (``dim=``, ``correction=``, ``unbiased=``).

    Composed of mean, sub, mul and sum, so its gradient, 2(a − mean)/(n − ddof), comes
    from the chain rule rather than a formula of its own. With ddof ≥ n there are no
    degrees of freedom left: the divisor is 0 and the result inf (nan for constant
    entries), with a warning, as NumPy and PyTorch give."""
    ddof = _ddof(ddof, dim, correction, unbiased)
    axis, keepdims = axis_or_dim("var", axis, dim, keepdims, keepdim)
    n = math.prod([a.shape[i] for i in normalize_axis(axis, a.ndim, "var")])
    if n - ddof <= 0:
        warnings.warn(f"var: ddof={ddof} leaves no degrees of freedom for {n} entries; the "
                      "result is inf", RuntimeWarning, stacklevel=2)
    centred = a - mean(a, axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return sum(centred * centred, axis, keepdims) / builtins.max(n - ddof, 0)


def _ddof(ddof, dim, correction, unbiased) -> int:
    """The divisor's n − ddof: NumPy's ``ddof`` (0 by default), PyTorch's ``correction``
    or ``unbiased`` (1 by default, also when only ``dim`` says the call is PyTorch's)."""
    torch_ddof = correction if unbiased is None else int(unbiased)
    if ddof is not None and torch_ddof is not None and ddof != torch_ddof:
        raise TypeError(f"var: got both ddof={ddof!r} (NumPy's name) and "
                        f"correction/unbiased={torch_ddof!r} (PyTorch's); give one")
    if ddof is not None:
        return ddof
    if torch_ddof is not None:
        return torch_ddof
    return 0 if dim is None else 1


def std(a, axis=None, keepdims=False, ddof=None, *, dim=None, keepdim=None,
        correction=None, unbiased=None):
    """Standard deviation √var, with var's divisor: NumPy's ddof=0 by default, PyTorch's
    n − 1 when called with ``dim=``, ``correction=`` or ``unbiased=``."""
    return sqrt(var(a, axis, keepdims, ddof, dim=dim, keepdim=keepdim,
                    correction=correction, unbiased=unbiased))


class Cumsum(Function):
    name = "cumsum"
    formula = "∂(Σⱼ≤ᵢ aⱼ)/∂aⱼ = 1 for i ≥ j, so ∂E/∂aⱼ = Σᵢ≥ⱼ Gᵢ (a reversed cumsum)"

    def forward(self, a, axis):
        return np.cumsum(a, axis=axis)

    def backward(self, grad, a, axis):
        backwards = (slice(None),) * axis + (slice(None, None, -1),)
        return np.cumsum(grad[backwards], axis=axis)[backwards], None


def cumsum(a, axis=None, *, dim=None):
    """Cumulative sum along ``axis`` (of the flattened tensor when ``axis`` is None, as
    NumPy; PyTorch's ``cumsum(dim)`` always names the axis)."""
    axis = pick("cumsum", "axis", axis, "dim", dim)
    if axis is None:
        return Cumsum.apply(reshape(a, (-1,)), 0)
    if not is_integer(axis):
        raise TypeError(f"cumsum: axis must be an int or None, got {axis!r}")
    if np.ndim(a) == 0:  # axis 0 or −1 of a 0-d tensor (checked): the tensor itself
        normalize_axis(axis, 0, "cumsum")
        return reshape(Cumsum.apply(reshape(a, (1,)), 0), ())
    (axis,) = normalize_axis(axis, np.ndim(a), "cumsum")
    return Cumsum.apply(a, axis)
