"""Every op, grouped by the maths it holds; ``Tensor`` methods call these.

``arithmetic`` (+ − × ÷, powers, |a|, clip, maximum, where), ``exp_log`` (eˣ, ln, √),
``trig`` (sin, cos), ``activations`` (sigmoid, tanh, ReLU and their relatives, softmax),
``reductions`` (sum, mean, max, …, cumsum), ``shape`` (reshape, transpose, concatenate,
casts), ``linalg`` (matmul, linear), ``indexing`` (``a[index]``, gather), ``losses``
(fused cross-entropy), ``rounding`` (floor, ceil, mod: zero gradient), ``dropout``, and
``logic`` (isnan, any/all, argmax, bitwise: results without gradient)."""

from autograd.ops.activations import (
    elu,
    erf,
    gelu,
    hardtanh,
    leaky_relu,
    log_softmax,
    logsigmoid,
    relu,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from autograd.ops.arithmetic import (
    abs,
    add,
    clamp,
    clip,
    div,
    maximum,
    minimum,
    mul,
    neg,
    pow,
    sub,
    where,
)
from autograd.ops.exp_log import exp, exp2, log, log2, log10, rsqrt, sqrt
from autograd.ops.indexing import gather, getitem, scatter_add, take_along_axis
from autograd.ops.linalg import linear, matmul, mm
from autograd.ops.logic import (
    all,
    any,
    argmax,
    argmin,
    bitwise,
    isfinite,
    isinf,
    isnan,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
)
from autograd.ops.reductions import cumsum, logsumexp, max, mean, min, norm, prod, std, sum, var
from autograd.ops.rounding import ceil, floor, floordiv, mod, round
from autograd.ops.shape import (
    astype,
    broadcast_to,
    cat,
    concatenate,
    expand,
    expand_dims,
    flatten,
    permute,
    reshape,
    squeeze,
    stack,
    swapaxes,
    t,
    transpose,
    view,
)
from autograd.ops.trig import cos, sin

__all__ = [
    "abs", "add", "all", "any", "argmax", "argmin", "astype", "bitwise", "broadcast_to", "cat",
    "ceil", "clamp", "clip", "concatenate", "cos", "cumsum", "div", "elu", "erf", "exp", "exp2",
    "expand", "expand_dims", "flatten", "floor", "floordiv", "gather", "gelu", "getitem",
    "hardtanh", "isfinite", "isinf", "isnan", "leaky_relu", "linear", "log", "log2", "log10",
    "log_softmax", "logical_and", "logical_not", "logical_or", "logical_xor", "logsigmoid",
    "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "mm", "mod", "mul",
    "neg", "norm", "permute", "pow", "prod", "relu", "reshape", "round", "rsqrt", "scatter_add",
    "sigmoid", "silu", "sin", "softmax", "softplus", "sqrt", "squeeze", "stack", "std", "sub",
    "sum", "swapaxes", "t", "take_along_axis", "tanh", "transpose", "var", "view", "where",
]
