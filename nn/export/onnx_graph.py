"""``to_onnx``: the network as an ONNX graph — one Gemm per Linear layer, one node per
activation (a few for SiLU, LogSigmoid, Softplus and GELU, which opset 17 composes) —
written with the ``onnx`` package itself, checked, and run against ours."""

from __future__ import annotations

import os
import secrets
from typing import Any, NamedTuple

import numpy as np

import autograd as ag
from nn.activations import (
    ELU,
    GELU,
    Hardtanh,
    Identity,
    LeakyReLU,
    LogSigmoid,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from nn.export.plan import default_tol, evaluation, flatten, require
from nn.export.verify import VerificationError
from nn.layers import Dropout, Linear
from nn.module import Module

#: The ONNX operator set the graph is written in (Softmax acts on one axis since 13),
#: and the IR version that goes with it, so older runtimes read the file too.
OPSET, IR_VERSION = 17, 8

_ACTIVATIONS = {Sigmoid: "Sigmoid", Tanh: "Tanh", ReLU: "Relu", Softmax: "Softmax"}


class OnnxExport(NamedTuple):
    """What ``to_onnx`` wrote: the file, its operator set, and the largest
    |onnxruntime − ours| on the example input (None when onnxruntime is not installed)."""

    path: str
    opset: int
    max_difference: float | None

    def __str__(self) -> str:
        checked = ("onnxruntime not installed: outputs not compared"
                   if self.max_difference is None
                   else f"largest |onnxruntime − ours| = {self.max_difference:.2e}")
        return f"{self.path} (ONNX opset {self.opset}, onnx.checker passed; {checked})"


def to_onnx(model: Module, path: str | os.PathLike, example_input: Any,
            tol: float | None = None) -> OnnxExport:
    """Write ``model`` as an ONNX file at ``path``.

    The graph has one input ``"input"`` of shape (batch, features) — batch left free —
    and one output ``"output"``. Each Linear layer is a ``Gemm`` node (Y = X Wᵀ + b, S11,
    with ``transB=1`` since W is stored (out, in)) whose W and b are initializers named by
    their dotted names in ``model``; each activation is its ONNX operator (``Sigmoid``,
    ``Tanh``, ``Relu``, ``Softmax`` with its axis; LeakyReLU is ``PRelu`` with its slope
    an initializer of the model's dtype, since ``LeakyRelu`` keeps it as a float32). The
    graph is for inference: Identity and Dropout layers are left out. The element type is
    that of the parameters.

    The model passes ``onnx.checker`` (with shape inference) before anything is written;
    where onnxruntime is installed, it runs the graph on ``example_input`` and the outputs
    must equal ours (in evaluation mode) within ``tol · max(1, max |ours|)`` — default 1e-5
    for float32, 1e-10 otherwise. The file is then written atomically, so a failed check
    leaves ``path`` as it was.

    Raises
    ------
    UnsupportedModuleError
        Naming the first module that cannot be exported (see ``to_torch``).
    ValueError
        When ``example_input`` is not (batch, features) for the first layer.
    VerificationError
        When onnxruntime's outputs differ from ours beyond the tolerance.
    FileNotFoundError
        When the folder of ``path`` does not exist.
    ImportError
        When onnx is not installed (with the command that installs it).
    """
    steps = flatten(model)
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"to_onnx: cannot write {path!r}: folder {folder!r} "
                                f"does not exist")
    onnx = require("onnx")
    parameters = [p for p in model.parameters()]
    dtype = parameters[0].dtype if parameters else ag.get_default_dtype()
    x = np.asarray(example_input, dtype=dtype)
    linears = [step.module for step in steps if isinstance(step.module, Linear)]
    if x.ndim != 2 or (linears and x.shape[1] != linears[0].in_features):
        features = linears[0].in_features if linears else "features"
        raise ValueError(f"to_onnx: example_input must be (batch, {features}); "
                         f"got shape {x.shape}")

    graph = _graph(onnx, steps, dtype, x.shape[1])
    proto = onnx.helper.make_model(graph, producer_name="backprop-primer",
                                   opset_imports=[onnx.helper.make_opsetid("", OPSET)])
    proto.ir_version = IR_VERSION
    onnx.checker.check_model(proto, full_check=True)
    encoded = proto.SerializeToString()
    difference = _compare_with_onnxruntime(model, encoded, x,
                                           default_tol(dtype) if tol is None else tol)
    _write_atomically(path, encoded)
    return OnnxExport(path, OPSET, difference)


def _composite(helper: Any, module: Module, x: str, out: str, constant: Any) -> list:
    """The nodes of an activation with options or without an ONNX operator of its own
    (in opset 17), the last one writing ``out``; ``constant(name, value)`` names a scalar."""
    def node(op: str, inputs: list[str], name: str, **attributes: Any) -> Any:
        return helper.make_node(op, inputs, [f"{out}.{name}" if name else out], **attributes)

    if isinstance(module, LeakyReLU):  # PRelu: LeakyRelu's alpha is a float32 attribute,
        # which would round a float64 model's slope (0.1 → 0.10000000149…)
        return [node("PRelu", [x, constant("slope", module.negative_slope)], "")]
    if isinstance(module, ELU):
        return [node("Elu", [x], "", alpha=module.alpha)]
    if isinstance(module, Hardtanh):
        return [node("Clip", [x, constant("min", module.min_val),
                              constant("max", module.max_val)], "")]
    if isinstance(module, SiLU):  # x·S(x)
        return [node("Sigmoid", [x], "sigmoid"), node("Mul", [x, f"{out}.sigmoid"], "")]
    if isinstance(module, LogSigmoid):  # ln S(x) = −softplus(−x), finite for any x
        return [node("Neg", [x], "neg"), node("Softplus", [f"{out}.neg"], "softplus"),
                node("Neg", [f"{out}.softplus"], "")]
    if isinstance(module, Softplus):  # (1/β) softplus(βx)
        return [node("Mul", [x, constant("beta", module.beta)], "scaled"),
                node("Softplus", [f"{out}.scaled"], "softplus"),
                node("Mul", [f"{out}.softplus", constant("inverse_beta", 1 / module.beta)], "")]
    if isinstance(module, GELU):  # x·Φ(x) = ½ x (1 + erf(x/√2))
        return [node("Mul", [x, constant("inverse_sqrt2", 0.5 ** 0.5)], "scaled"),
                node("Erf", [f"{out}.scaled"], "erf"),
                node("Add", [f"{out}.erf", constant("one", 1.0)], "plus_one"),
                node("Mul", [x, f"{out}.plus_one"], "product"),
                node("Mul", [f"{out}.product", constant("half", 0.5)], "")]
    raise TypeError(f"to_onnx: no ONNX translation for {type(module).__name__}")


def _graph(onnx: Any, steps: list, dtype: np.dtype, features: int) -> Any:
    """The ONNX graph of the flattened model: input → Gemm/activation nodes → output."""
    helper, from_array = onnx.helper, onnx.numpy_helper.from_array
    nodes, initializers, current, width = [], {}, "input", features
    for step in steps:
        module = step.module
        if isinstance(module, Identity | Dropout):
            continue
        if isinstance(module, Linear):
            names = [f"{step.path}.weight"] + ([f"{step.path}.bias"] if module.bias is not None
                                              else [])
            for name, parameter in zip(names, (module.weight, module.bias), strict=False):
                initializers[name] = from_array(parameter.data, name)
            node = helper.make_node("Gemm", [current, *names], [step.path], transB=1)
            width = module.out_features
        elif isinstance(module, Softmax):
            node = helper.make_node("Softmax", [current], [step.path], axis=module.axis)
        elif type(module) in _ACTIVATIONS:
            node = helper.make_node(_ACTIVATIONS[type(module)], [current], [step.path])
        else:
            def constant(name: str, value: float, path: str = step.path) -> str:
                initializers[f"{path}.{name}"] = from_array(
                    np.array(value, dtype=dtype), f"{path}.{name}")
                return f"{path}.{name}"
            *inner, node = _composite(helper, module, current, step.path, constant)
            nodes.extend(inner)
        nodes.append(node)
        current = step.path
    if nodes:
        nodes[-1].output[0] = "output"
    else:
        nodes.append(helper.make_node("Identity", ["input"], ["output"]))
    element = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    return helper.make_graph(
        nodes, "backprop_primer_model",
        [helper.make_tensor_value_info("input", element, ["batch", features])],
        [helper.make_tensor_value_info("output", element, ["batch", width])],
        initializer=list(initializers.values()))


def _compare_with_onnxruntime(model: Module, encoded: bytes, x: np.ndarray,
                              tol: float) -> float | None:
    """Largest |onnxruntime − ours| on ``x``; None when onnxruntime is absent."""
    try:
        import onnxruntime
    except ImportError:
        return None
    try:
        session = onnxruntime.InferenceSession(encoded, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime's own error classes
        if "NOT_IMPLEMENTED" not in str(error):
            raise
        raise RuntimeError(
            f"to_onnx: onnxruntime cannot run this {x.dtype} model, so it was not written: "
            f"{str(error).split(' : ')[-1]} (its CPU kernels for Elu, Erf and Softplus — "
            "ELU, GELU, Softplus, LogSigmoid — are float32 only)") from None
    (theirs,) = session.run(["output"], {"input": x})
    with evaluation(model), ag.no_grad():
        ours = model(ag.Tensor(x)).numpy()
    difference = float(np.max(np.abs(theirs - ours), initial=0.0))
    scale = float(np.max(np.abs(ours), initial=0.0))
    if difference > tol * max(1.0, scale):
        raise VerificationError(f"to_onnx: onnxruntime's outputs differ from ours by up to "
                                f"{difference:.2e} (largest |ours| {scale:.3g}, tolerance "
                                f"{tol:.0e} · max(1, that))")
    return difference


def _write_atomically(path: str, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and one ``os.replace``."""
    temporary = f"{path}.{secrets.token_hex(6)}.tmp"
    try:
        with open(temporary, "xb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
