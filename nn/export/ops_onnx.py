"""Our ops as ONNX nodes (operator set 17): the one table ``to_onnx`` reads.

Each entry takes a ``Nodes`` writer, the step (``recording.OpStep``) and its arguments in
our ``forward``'s order (a tensor's ONNX name as a ``Ref``, the value for a constant
argument), adds the nodes that compute the op and returns the name of its result. Ops
opset 17 has no operator for are composed (SiLU, GELU, softplus with β, log₂ …).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nn.export.recording import Ref


class Nodes:
    """Collects the nodes and initializers of one ONNX graph in the model's ``dtype``."""

    def __init__(self, onnx: Any, dtype: np.dtype) -> None:
        self.helper, self.from_array = onnx.helper, onnx.numpy_helper.from_array
        self.dtype = dtype
        self.nodes: list = []
        self.initializers: dict[str, Any] = {}
        self.prefix = ""

    def add(self, op_type: str, inputs: list, **attributes: Any) -> str:
        """A node of ``op_type`` on ``inputs`` (names, or values made constants); its output."""
        output = f"{self.prefix}.{len(self.nodes)}"
        names = [self.tensor(x) for x in inputs]
        self.nodes.append(self.helper.make_node(op_type, names, [output], **attributes))
        return output

    def tensor(self, x: Any) -> str:
        """The name of a tensor argument: a Ref's own, a node output's, "" for an absent
        optional input (None), else an initializer holding the value (floats in the
        model's dtype)."""
        if isinstance(x, Ref):
            return x.name
        if isinstance(x, str):  # a node's output
            return x
        if x is None:
            return ""
        return self.initializer(np.asarray(x, dtype=self.dtype if not isinstance(x, np.ndarray)
                                           or x.dtype.kind == "f" else x.dtype))

    def initializer(self, value: np.ndarray, name: str | None = None) -> str:
        name = name or f"{self.prefix}.constant{len(self.initializers)}"
        self.initializers[name] = self.from_array(value, name)
        return name

    def integers(self, values: Any) -> str:
        """An int64 initializer (the axes and shapes ONNX takes as inputs)."""
        return self.initializer(np.asarray(values, dtype=np.int64))


def unary(op_type: str) -> Callable:
    return lambda nodes, step, a: nodes.add(op_type, [a])


def binary(op_type: str) -> Callable:
    return lambda nodes, step, a, b: nodes.add(op_type, [a, b])


def reduction(op_type: str, axes_as_input: bool) -> Callable:
    """ReduceSum takes its axes as an input since opset 13; the others until opset 18 as
    an attribute."""
    def entry(nodes: Nodes, step: Any, a: Ref, axis: Any, keepdims: bool) -> str:
        if axes_as_input:
            return nodes.add(op_type, [a, nodes.integers(step.axes())], keepdims=int(keepdims))
        return nodes.add(op_type, [a], axes=list(step.axes()), keepdims=int(keepdims))
    return entry


def linear(nodes: Nodes, step: Any, x: Ref, weight: Ref, bias: Any) -> str:
    """x Wᵀ + b (S11): one Gemm for a batch (``transB=1``: W is stored (out, in)); for any
    other rank, Transpose, MatMul and Add."""
    if len(step.shapes[0]) == 2:
        return nodes.add("Gemm", [x, weight] + ([bias] if bias is not None else []), transB=1)
    product = nodes.add("MatMul", [x, nodes.add("Transpose", [weight])])
    return product if bias is None else nodes.add("Add", [product, bias])


def gelu(nodes: Nodes, step: Any, a: Ref) -> str:
    """x·Φ(x) = ½ x (1 + erf(x/√2))."""
    erf = nodes.add("Erf", [nodes.add("Mul", [a, 0.5 ** 0.5])])
    return nodes.add("Mul", [nodes.add("Mul", [a, nodes.add("Add", [erf, 1.0])]), 0.5])


def softplus(nodes: Nodes, step: Any, a: Ref, beta: float, threshold: float) -> str:
    """(1/β) ln(1 + e^{βx}) (the threshold, above which ours returns x, is not written:
    there the two differ by less than e^{−threshold})."""
    return nodes.add("Mul", [nodes.add("Softplus", [nodes.add("Mul", [a, beta])]), 1 / beta])


ONNX_OPS: dict[str, Callable] = {
    **{name: unary(op) for name, op in {
        "neg": "Neg", "abs": "Abs", "exp": "Exp", "log": "Log", "sqrt": "Sqrt",
        "sin": "Sin", "cos": "Cos", "erf": "Erf", "tanh": "Tanh", "sigmoid": "Sigmoid",
        "relu": "Relu"}.items()},
    **{name: binary(op) for name, op in {
        "add": "Add", "sub": "Sub", "mul": "Mul", "div": "Div", "pow": "Pow",
        "matmul": "MatMul"}.items()},
    "sum": reduction("ReduceSum", axes_as_input=True),
    "mean": reduction("ReduceMean", axes_as_input=False),
    "max": reduction("ReduceMax", axes_as_input=False),
    "min": reduction("ReduceMin", axes_as_input=False),
    "linear": linear,
    "gelu": gelu,
    "softplus": softplus,
    # PRelu, not LeakyRelu, whose alpha is a float32 attribute (0.1 → 0.10000000149…)
    "leaky_relu": lambda nodes, step, a, slope: nodes.add("PRelu", [a, slope]),
    "elu": lambda nodes, step, a, alpha: nodes.add("Elu", [a], alpha=alpha),
    "hardtanh": lambda nodes, step, a, low, high: nodes.add("Clip", [a, low, high]),
    "clip": lambda nodes, step, a, low, high: nodes.add("Clip", [a, low, high]),
    "silu": lambda nodes, step, a: nodes.add("Mul", [a, nodes.add("Sigmoid", [a])]),
    # ln S(x) = −softplus(−x), finite for any x
    "logsigmoid": lambda nodes, step, a: nodes.add(
        "Neg", [nodes.add("Softplus", [nodes.add("Neg", [a])])]),
    "log2": lambda nodes, step, a: nodes.add("Div", [nodes.add("Log", [a]), math.log(2)]),
    "log10": lambda nodes, step, a: nodes.add("Div", [nodes.add("Log", [a]), math.log(10)]),
    "exp2": lambda nodes, step, a: nodes.add("Pow", [2.0, a]),
    "rsqrt": lambda nodes, step, a: nodes.add("Reciprocal", [nodes.add("Sqrt", [a])]),
    "softmax": lambda nodes, step, a, axis: nodes.add("Softmax", [a], axis=step.node.axis),
    "log_softmax": lambda nodes, step, a, axis: nodes.add("LogSoftmax", [a],
                                                          axis=step.node.axis),
    "reshape": lambda nodes, step, a, shape: nodes.add(
        "Reshape", [a, nodes.integers(step.batch_free_shape())]),
    "transpose": lambda nodes, step, a, order: (
        nodes.add("Transpose", [a]) if order is None
        else nodes.add("Transpose", [a], perm=[int(i) % len(order) for i in order])),
    "concatenate": lambda nodes, step, axis, *parts: nodes.add("Concat", list(parts),
                                                               axis=step.node.axis),
    "where": lambda nodes, step, condition, a, b: nodes.add("Where", [condition, a, b]),
    "broadcast_to": lambda nodes, step, a, shape: nodes.add("Expand",
                                                            [a, nodes.integers(shape)]),
    "dropout": lambda nodes, step, a, p: a.name,  # the graph is for inference
}
