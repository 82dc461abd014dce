"""Every differentiable op, grouped by family; ``Tensor`` methods call these. The ops in
``constant`` (isnan, logic, any/all, argmax/argmin) return tensors without gradient."""

from autograd.ops.activations import elu, gelu, hardtanh, leaky_relu, logsigmoid, silu, softplus
from autograd.ops.constant import (
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
from autograd.ops.cumulative import cumsum
from autograd.ops.elementary import cos, erf, exp2, log2, log10, rsqrt, sin
from autograd.ops.elementwise import (
    abs,
    add,
    astype,
    clip,
    div,
    exp,
    log,
    maximum,
    minimum,
    mul,
    neg,
    pow,
    relu,
    sigmoid,
    sqrt,
    sub,
    tanh,
    where,
)
from autograd.ops.index import gather, getitem, scatter_add, take_along_axis
from autograd.ops.linalg import linear, matmul
from autograd.ops.reduce import logsumexp, max, mean, min, norm, prod, std, sum, var
from autograd.ops.rounding import ceil, floor, floordiv, mod, round
from autograd.ops.shape import (
    broadcast_to,
    concatenate,
    expand,
    expand_dims,
    permute,
    reshape,
    squeeze,
    stack,
    swapaxes,
    t,
    transpose,
)
from autograd.ops.softmax import log_softmax, softmax

__all__ = [
    "abs", "add", "all", "any", "argmax", "argmin", "astype", "bitwise", "broadcast_to",
    "ceil", "clip", "concatenate", "cos", "cumsum", "div", "elu", "erf", "exp", "exp2",
    "expand", "expand_dims", "floor", "floordiv", "gather", "gelu", "getitem", "hardtanh",
    "isfinite", "isinf", "isnan", "leaky_relu", "linear", "log", "log2", "log10",
    "log_softmax", "logical_and", "logical_not", "logical_or", "logical_xor", "logsigmoid",
    "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "mod", "mul", "neg",
    "norm", "permute", "pow", "prod", "relu", "reshape", "round", "rsqrt", "scatter_add",
    "sigmoid", "silu", "sin", "softmax", "softplus", "sqrt", "squeeze", "stack", "std",
    "sub", "sum", "swapaxes", "t", "take_along_axis", "tanh", "transpose", "var", "where",
]
