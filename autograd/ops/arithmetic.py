"""Arithmetic: + − × ÷ and powers, negation, |a|, clipping, the element-wise maximum and
minimum, and ``where``. Each backward is ``grad ∘ local derivative``, the chain rule for a
function applied entry by entry; broadcasting is undone by the engine, not here."""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.axes import pick
from autograd.tensor import Tensor


class Binary(Function):
    """An element-wise op of two broadcast operands."""

    def shape_error(self, arrays, error):
        """A broadcasting message only when the shapes are the cause; else the op's name
        and NumPy's own words."""
        a, b = (np.shape(x) for x in arrays)
        try:
            np.broadcast_shapes(a, b)
        except ValueError:
            return f"{self.name}: cannot broadcast shapes {a} and {b} together"
        return f"{self.name}: {error}"


class Add(Binary):
    name = "add"
    formula = "∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1"
    reads_inputs = False

    forward = staticmethod(np.add)

    def backward(self, grad):
        return grad, grad


class Sub(Binary):
    name = "sub"
    formula = "∂(a−b)/∂a = 1,  ∂(a−b)/∂b = −1"
    reads_inputs = False

    forward = staticmethod(np.subtract)

    def backward(self, grad):
        return grad, (-grad if self.needs_input_grad[1] else None)


class Mul(Binary):
    name = "mul"
    formula = "∂(a·b)/∂a = b,  ∂(a·b)/∂b = a"

    forward = staticmethod(np.multiply)

    def backward(self, grad, a, b):
        need_a, need_b = self.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Div(Binary):
    name = "div"
    formula = "∂(a/b)/∂a = 1/b,  ∂(a/b)/∂b = −a/b²"

    forward = staticmethod(np.true_divide)

    def backward(self, grad, a, b):
        need_a, need_b = self.needs_input_grad
        return (grad / b if need_a else None), (-grad * a / (b * b) if need_b else None)


class Pow(Binary):
    name = "pow"
    formula = "∂(aᵇ)/∂a = b·aᵇ⁻¹,  ∂(aᵇ)/∂b = aᵇ·ln a"

    def forward(self, a, b):
        try:
            return np.power(a, b)
        except ValueError as error:  # not a shape problem: ints to negative int powers
            if "negative integer powers" not in str(error):
                raise
            raise ValueError("pow: an integer base cannot be raised to a negative integer "
                             "power; make one of them floating (x.astype(float) or "
                             "x ** -1.0)") from None

    def backward(self, grad, a, b):
        need_a, need_b = self.needs_input_grad
        grad_a = grad * _power_rule(a, b) if need_a else None
        grad_b = grad * a ** b * np.log(_one_where(_constant_base(a, b), a)) if need_b else None
        return grad_a, grad_b


def _values(x):
    """The array of a Tensor or array-like (for masks, which carry no gradient)."""
    return np.asarray(x._data if isinstance(x, Tensor) else x)


def _one_where(mask, x):
    """x with 1 where ``mask`` holds (left as it is when the mask is empty)."""
    return np.where(mask, 1.0, x) if mask.any() else x


def _constant_base(a, b):
    """Where ∂(aᵇ)/∂b = aᵇ·ln a is 0 although ln a is not finite: a = 0 with b ≥ 0
    (0ᵇ is constant there); for b < 0 it is −∞, as PyTorch gives."""
    return np.logical_and(_values(a) == 0, _values(b) >= 0)


def _power_rule(a, b):
    """∂(aᵇ)/∂a = b·aᵇ⁻¹, which is 0 where b = 0 (a⁰ is constant): there a and the
    exponent are set to 1 so that 0·0⁻¹ or 0·∞ (at a = 0 or ±∞) cannot make NaN."""
    zero = _values(b) == 0
    return b * _one_where(zero, a) ** _one_where(zero, b - 1)


class Neg(Function):
    name = "neg"
    formula = "∂(−a)/∂a = −1"
    reads_inputs = False

    forward = staticmethod(np.negative)

    def backward(self, grad):
        return (-grad,)


class Abs(Function):
    name = "abs"
    formula = "∂|a|/∂a = sign(a)  (0 at a = 0)"
    reads_inputs = False

    def forward(self, a):
        self.saved = (np.sign(a),)
        return np.abs(a)

    def backward(self, grad):
        return (grad * self.saved[0],)


class Clip(Function):
    name = "clip"
    formula = "∂clip(a, lo, hi)/∂a = 1 if lo ≤ a ≤ hi else 0"

    def forward(self, a, lo, hi):
        out = np.clip(a, lo, hi)  # broadcasts a, lo and hi together
        inside = np.ones(out.shape, dtype=bool)
        if lo is not None:
            inside = inside & (a >= lo)
        if hi is not None:
            inside = inside & (a <= hi)
        self.saved = (inside,)
        return out

    def backward(self, grad, a, lo, hi):
        return grad * self.saved[0], None, None


class Maximum(Binary):
    name = "maximum"
    formula = "∂max(a,b)/∂a = 1 if a > b, ½ if a = b, else 0 (and mirrored for b)"
    pick = staticmethod(np.maximum)
    beats = staticmethod(np.greater)

    def forward(self, a, b):
        # a's share of the gradient: 1 where a wins, ½ on a tie (split evenly), else 0,
        # in the output's float dtype so a float32 gradient stays float32.
        out = self.pick(a, b)
        share = self.beats(a, b) + 0.5 * np.equal(a, b)
        self.saved = (share.astype(out.dtype) if out.dtype.kind == "f" else share,)
        return out

    def backward(self, grad, a, b):
        share_a = self.saved[0]
        return grad * share_a, grad * (1 - share_a)


class Minimum(Maximum):
    name = "minimum"
    formula = "∂min(a,b)/∂a = 1 if a < b, ½ if a = b, else 0 (and mirrored for b)"
    pick = staticmethod(np.minimum)
    beats = staticmethod(np.less)


class Where(Function):
    name = "where"
    formula = "∂where(c,a,b)/∂a = c,  ∂where(c,a,b)/∂b = ¬c"

    def forward(self, condition, a, b):
        mask = np.asarray(condition).astype(bool, copy=False)  # a mask, whatever its dtype
        self.saved = (mask,)
        return np.where(mask, a, b)

    def backward(self, grad, condition, a, b):
        mask = self.saved[0]
        return None, grad * mask, grad * ~mask

    def shape_error(self, arrays, error):
        shapes = ", ".join(str(np.shape(x)) for x in arrays)
        return f"where: cannot broadcast condition, a and b of shapes {shapes} together"


def add(a, b): return Add.apply(a, b)
def sub(a, b): return Sub.apply(a, b)
def mul(a, b): return Mul.apply(a, b)
def div(a, b): return Div.apply(a, b)
def pow(a, b): return Pow.apply(a, b)
def neg(a): return Neg.apply(a)
def abs(a): return Abs.apply(a)
def clip(a, lo=None, hi=None, *, min=None, max=None):
    """a limited to [lo, hi] (NumPy's names; PyTorch's ``min=``/``max=`` also work)."""
    return Clip.apply(a, pick("clip", "lo", lo, "min", min), pick("clip", "hi", hi, "max", max))


def clamp(a, min=None, max=None):
    """PyTorch's name for ``clip``: a limited to [min, max] (either may be None)."""
    return Clip.apply(a, min, max)
def maximum(a, b): return Maximum.apply(a, b)
def minimum(a, b): return Minimum.apply(a, b)
def where(condition, a, b): return Where.apply(condition, a, b)
