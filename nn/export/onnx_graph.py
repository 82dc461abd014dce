"""``to_onnx``: any model as an ONNX graph — recorded on an example, one node (or a few)
per op (``nn.export.ops_onnx``) — written with the ``onnx`` package itself, checked, and
run against ours."""

from __future__ import annotations

import os
import secrets
from typing import Any, NamedTuple

from nn.export.ops_onnx import ONNX_OPS, Nodes
from nn.export.plan import require
from nn.export.recording import Program, Ref, check_fresh, record
from nn.module import Module

#: The ONNX operator set the graph is written in (Softmax acts on one axis since 13),
#: and the IR version that goes with it, so older runtimes read the file too.
OPSET, IR_VERSION = 17, 8


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

    ``model`` (any Module built from our ops: a Sequential, an MLP, a subclass with its
    own ``forward``) runs once on ``example_input`` in evaluation mode, and each op of the
    recorded graph becomes ONNX nodes. The graph has one input ``"input"``, shaped as the
    example with its leading axis left free (``"batch"``) when the example has two axes
    or more (a single sample, 1-D, fixes the shape), and one output ``"output"``.
    A ``linear`` op on a batch is a ``Gemm`` node (Y = X Wᵀ + b, S11, with ``transB=1``
    since W is stored (out, in)); parameters are initializers named by their dotted names
    in ``model``; activations are their ONNX operators (``Softmax`` with its axis;
    leaky ReLU is ``PRelu`` with its slope an initializer of the model's dtype, since
    ``LeakyRelu`` keeps it as a float32). The graph is for inference: Dropout is left out.
    The element type is that of the parameters.

    The model passes ``onnx.checker`` (with shape inference) before anything is written;
    where onnxruntime is installed, it runs the graph on ``example_input`` and on a second
    input near it, and the outputs must equal ours (in evaluation mode) within
    ``tol · max(1, max |ours|)`` — default 1e-5 for float32, 1e-10 otherwise. The file
    is then written atomically, so a failed check leaves ``path`` as it was.

    Raises
    ------
    UnsupportedModuleError
        For a threshold unit (Sign, Step, the perceptron: no gradient, no graph).
    ValueError
        Naming the op without an ONNX mapping (and the module that ran it), or when
        ``model`` cannot run on ``example_input``.
    VerificationError
        When onnxruntime's outputs differ from ours beyond the tolerance.
    FileNotFoundError
        When the folder of ``path`` does not exist.
    ImportError
        When onnx is not installed (with the command that installs it).
    """
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"to_onnx: cannot write {path!r}: folder {folder!r} "
                                f"does not exist")
    program = record(model, example_input, "to_onnx")
    program.refuse_unmapped(ONNX_OPS, "to_onnx", "ONNX")
    onnx = require("onnx")
    proto = onnx.helper.make_model(_graph(onnx, program), producer_name="backprop-primer",
                                   opset_imports=[onnx.helper.make_opsetid("", OPSET)])
    proto.ir_version = IR_VERSION
    onnx.checker.check_model(proto, full_check=True)
    encoded = proto.SerializeToString()
    difference = _compare_with_onnxruntime(program, model, encoded, tol)
    _write_atomically(path, encoded)
    return OnnxExport(path, OPSET, difference)


def _graph(onnx: Any, program: Program) -> Any:
    """The ONNX graph of the program: "input" → one or a few nodes per op → "output"."""
    helper = onnx.helper
    nodes = Nodes(onnx, program.example.dtype)
    used = {a.name for step in program.steps for a in step.args if isinstance(a, Ref)}
    for name, parameter in program.parameters.items():
        if name in used:  # a parameter forward does not use is not written
            nodes.initializer(parameter.data, name)
    for name, array in program.constants.items():
        nodes.initializer(array, name)
    values = {"x": "input", **{name: name for name in (*program.parameters,
                                                       *program.constants)}}
    for step in program.steps:
        nodes.prefix = step.output
        args = (Ref(values[a.name]) if isinstance(a, Ref) else a for a in step.args)
        values[step.output] = ONNX_OPS[step.op](nodes, step, *args)
    result = values[program.output.name]
    if nodes.nodes and nodes.nodes[-1].output[0] == result:
        nodes.nodes[-1].output[0] = "output"
    else:
        nodes.nodes.append(helper.make_node("Identity", [result], ["output"]))
    element = helper.np_dtype_to_tensor_dtype(program.example.dtype)
    return helper.make_graph(
        nodes.nodes, "backprop_primer_model",
        [helper.make_tensor_value_info("input", element, _dims(program.example.shape))],
        [helper.make_tensor_value_info("output", element,
                                       _dims(program.steps[-1].shape, program.example.shape))],
        initializer=list(nodes.initializers.values()))


def _dims(shape: tuple[int, ...], batch: tuple[int, ...] | None = None) -> list:
    """The shape with its leading axis named "batch" (free) when it is the batch's."""
    batch = shape if batch is None else batch
    if len(batch) >= 2 and shape and shape[0] == batch[0]:
        return ["batch", *shape[1:]]
    return list(shape)


def _compare_with_onnxruntime(program: Program, model: Module, encoded: bytes,
                              tol: float | None) -> float | None:
    """Largest |onnxruntime − ours| (``check_fresh``); None when onnxruntime is absent."""
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
            f"to_onnx: onnxruntime cannot run this {program.example.dtype} model, so it was "
            f"not written: {str(error).split(' : ')[-1]} (its CPU kernels for Elu, Erf and "
            "Softplus — ELU, GELU, Softplus, LogSigmoid — are float32 only)") from None
    return check_fresh(program, model, lambda x: session.run(["output"], {"input": x})[0],
                       "to_onnx", "onnxruntime's", tol)


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
