"""Every differentiable op, grouped by family; ``Tensor`` methods call these."""

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
from autograd.ops.index import getitem, scatter_add
from autograd.ops.linalg import linear, matmul
from autograd.ops.reduce import max, mean, min, sum, var
from autograd.ops.shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    reshape,
    squeeze,
    stack,
    transpose,
)
from autograd.ops.softmax import log_softmax, softmax

__all__ = [
    "abs", "add", "astype", "broadcast_to", "clip", "concatenate", "div", "exp", "expand_dims",
    "getitem", "linear", "log", "log_softmax", "matmul", "max", "maximum", "mean", "min",
    "minimum", "mul", "neg", "pow", "relu", "reshape", "scatter_add", "sigmoid", "softmax",
    "sqrt", "squeeze", "stack", "sub", "sum", "tanh", "transpose", "var", "where",
]
