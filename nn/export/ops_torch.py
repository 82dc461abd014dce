"""Our ops as PyTorch calls: the one table ``to_torch`` reads for a recorded graph.

Each entry takes the step (``recording.OpStep``) and its arguments, in our ``forward``'s
order (a ``torch.fx`` node for a tensor, the value for a constant argument), and returns
``(target, args, kwargs)``: a function for ``graph.call_function``, or a ``torch.nn``
module (Dropout, which must follow the module's training mode) to call as a submodule.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any


def positional(target: Any) -> Callable:
    """An entry for a PyTorch function taking our arguments in our order."""
    return lambda step, *args: (target, args, {})


def torch_ops(torch: Any) -> dict[str, Callable]:
    """op name → entry (see the module's docstring)."""
    functional = torch.nn.functional
    table = {name: positional(target) for name, target in {
        "add": operator.add, "sub": operator.sub, "mul": operator.mul,
        "div": operator.truediv, "pow": operator.pow, "neg": operator.neg,
        "abs": torch.abs, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
        "log2": torch.log2, "log10": torch.log10, "exp2": torch.exp2, "rsqrt": torch.rsqrt,
        "sin": torch.sin, "cos": torch.cos, "erf": torch.erf,
        "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
        "gelu": functional.gelu, "silu": functional.silu, "logsigmoid": functional.logsigmoid,
        "leaky_relu": functional.leaky_relu,  # (x, slope)
        "hardtanh": functional.hardtanh,      # (x, min, max)
        "elu": functional.elu,                # (x, alpha)
        "softplus": functional.softplus,      # (x, β, threshold)
        "linear": functional.linear,          # (x, W, b): x Wᵀ + b, S11
        "matmul": torch.matmul,
        "clip": torch.clamp,                  # (x, low, high)
        "where": torch.where,                 # (condition, a, b)
        "broadcast_to": torch.broadcast_to,
    }.items()}
    table.update({
        "softmax": lambda step, a, axis: (functional.softmax, (a,), {"dim": step.node.axis}),
        "log_softmax": lambda step, a, axis: (functional.log_softmax, (a,),
                                              {"dim": step.node.axis}),
        "sum": lambda step, a, axis, keep: (torch.sum, (a, step.axes(), keep), {}),
        "mean": lambda step, a, axis, keep: (torch.mean, (a, step.axes(), keep), {}),
        "max": lambda step, a, axis, keep: (torch.amax, (a, step.axes(), keep), {}),
        "min": lambda step, a, axis, keep: (torch.amin, (a, step.axes(), keep), {}),
        "reshape": lambda step, a, shape: (torch.reshape, (a, step.batch_free_shape()), {}),
        "transpose": lambda step, a, order: (
            torch.permute, (a, tuple(order) if order is not None
                            else tuple(reversed(range(len(step.shapes[0]))))), {}),
        "concatenate": lambda step, axis, *parts: (torch.cat, (list(parts), axis), {}),
        "dropout": lambda step, a, p: (torch.nn.Dropout(p), (a,), {}),
    })
    return table
