"""What the graph exporters translate: a model run once on an example, read back from its
recorded graph as a straight-line program of ops.

Any ``nn.Module`` whose ``forward`` is built from our ops records, on one call, a node per
op (``t.grad_fn``). Read from the output back to the input (``autograd.graph``), that
graph is a program: each step an op applied to the model's input, parameters (matched
by identity with ``model.named_parameters()``), constants and earlier steps' results.
``to_torch`` turns each step into a ``torch.fx`` call and ``to_onnx`` into ONNX nodes,
through one table per target (``ops_torch``, ``ops_onnx``).

What the graph does not record cannot be exported: a value computed on ``.data`` or
with a comparison, ``sign`` or ``argmax`` is a constant in the graph. ``check_fresh``
catches that by running both models on a second input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

import autograd as ag
from autograd.function import ConstantArray, Function
from autograd.graph import topological_order
from autograd.random import get_generator
from autograd.scopes import record_modules
from nn.activations import Sign, Step
from nn.export.plan import UnsupportedModuleError, default_tol, evaluation
from nn.export.verify import VerificationError
from nn.module import Module
from nn.neurons import MCPNeuron, Perceptron

#: Modules whose output is a constant of the graph: threshold units (S1, S3) have no
#: gradient, so no op is recorded for them and nothing could be exported.
WITHOUT_GRAPH = (MCPNeuron, Perceptron, Sign, Step)


class Ref(NamedTuple):
    """A tensor of the program: ``"x"`` (the model's input), a parameter's dotted name,
    ``"constant_k"``, or the result of a step (``"linear_3"``)."""

    name: str


@dataclass
class OpStep:
    """One op: its name (``node.name``), the node, its arguments in ``forward``'s order
    (a ``Ref`` for a tensor, the value for a constant argument: a number, an axis), the
    shapes of its inputs (None for a non-tensor), its output's name and shape, and where
    it was made (the dotted path of the innermost module call, ``""`` for the model)."""

    op: str
    node: Function
    args: tuple
    shapes: tuple
    output: str
    shape: tuple[int, ...]
    where: str

    def axes(self) -> tuple[int, ...]:
        """The axes a reduction reduced (the node normalised them: None is every axis)."""
        return tuple(self.node.axes)

    def batch_free_shape(self) -> tuple[int, ...]:
        """A reshape's result shape with the leading axis left free (−1) when it is the
        input's leading axis, so the exported model takes any batch size (``nn.Flatten``)."""
        source, shape = self.shapes[0], self.shape
        if source and shape and shape[0] == source[0] and all(n > 0 for n in shape[1:]):
            return (-1, *shape[1:])
        return tuple(shape)


@dataclass
class Program:
    """A model as recorded on one example: its name, the example (as an array of the
    parameters' dtype), every parameter by dotted name (registration order), the constant
    tensors the graph holds, the steps in an order that computes each input first, and
    the output."""

    model: str
    example: np.ndarray
    parameters: dict[str, Any]
    constants: dict[str, np.ndarray] = field(default_factory=dict)
    steps: list[OpStep] = field(default_factory=list)
    output: Ref = field(default_factory=lambda: Ref("x"))

    def refuse_unmapped(self, table: dict, who: str, target: str) -> None:
        """Raise, naming the first op ``table`` has no entry for (and the model)."""
        for step in self.steps:
            if step.op not in table:
                where = f" in {step.where!r}" if step.where else ""
                raise ValueError(f"{who}: cannot export {self.model}: op {step.op!r}{where} "
                                 f"has no {target} mapping; mapped ops: "
                                 f"{', '.join(sorted(table))}")


def refuse_threshold_units(model: Module, who: str) -> None:
    """Raise, naming the first module of ``WITHOUT_GRAPH`` in ``model`` by its path."""
    if not isinstance(model, Module):
        raise TypeError(f"{who}: expected an nn.Module, got {type(model).__name__}")
    for path, module in model.named_modules():
        if isinstance(module, WITHOUT_GRAPH):
            where = f" at {path!r}" if path else ""
            raise UnsupportedModuleError(
                f"{who}: cannot export {type(module).__name__}{where}: a threshold unit "
                f"has no gradient, so no graph is recorded for it")


def record(model: Module, example: Any, who: str, training: bool = False) -> Program:
    """Run ``model`` once on ``example`` (in training mode only when ``training`` and the
    model is in it, so that Dropout is recorded; the library's random generator is left
    as it was) and read the program back from the graph."""
    refuse_threshold_units(model, who)
    parameters = dict(model.named_parameters())
    dtype = next(iter(parameters.values())).dtype if parameters else ag.get_default_dtype()
    example = np.asarray(example.data if isinstance(example, ag.Tensor) else example,
                         dtype=dtype)
    x = ag.Tensor(example.copy(), requires_grad=True)  # so ops on the input are recorded
    with _mode(model, training), record_modules(model), ag.enable_grad():
        try:
            y = model(x)
        except ValueError as error:
            raise ValueError(f"{who}: {type(model).__name__} cannot run on the example "
                             f"input of shape {example.shape}: {error}") from None
    if not isinstance(y, ag.Tensor) or y.grad_fn is None:
        raise ValueError(f"{who}: the output of {type(model).__name__} is not computed by "
                         f"recorded ops from its input or parameters, so there is no "
                         f"graph to export")
    program = Program(type(model).__name__, example, parameters)
    names = {id(p): name for name, p in parameters.items()}
    results: dict[int, Ref] = {}
    for node in topological_order([y.grad_fn]):
        args = tuple(_argument(program, node, i, value, x, names, results)
                     for i, value in enumerate(node.inputs))
        shapes = tuple(_shape(value) for value in node.inputs)
        output = f"{node.name}_{len(program.steps)}"
        where = node.scope.path if node.scope is not None else ""
        program.steps.append(OpStep(node.name, node, args, shapes, output, node.shape, where))
        results[id(node)] = Ref(output)
    program.output = results[id(y.grad_fn)]
    return program


def _argument(program: Program, node: Function, slot: int, value: Any, x: ag.Tensor,
              names: dict[int, str], results: dict[int, Ref]) -> Any:
    """What the program passes in ``slot`` of ``node``: a Ref for a tensor, else the value."""
    if isinstance(value, Function):
        return results[id(value)]
    if value is x:
        return Ref("x")
    if isinstance(value, ag.Tensor):
        if id(value) in names:
            return Ref(names[id(value)])
        return _constant(program, value.data)
    if isinstance(value, ConstantArray):
        array = node.input_arrays[slot] if node.input_arrays else None
        if array is None:
            raise ValueError(f"{node.name}: an array argument {value!r} is not kept by the "
                             f"graph, so {program.model} cannot be exported; pass it as a "
                             f"tensor (ag.tensor(array)) instead")
        return _constant(program, array)
    return value


def _constant(program: Program, array: np.ndarray) -> Ref:
    name = f"constant_{len(program.constants)}"
    program.constants[name] = np.array(array)
    return Ref(name)


def _shape(value: Any) -> tuple[int, ...] | None:
    return tuple(value.shape) if isinstance(value, Function | ag.Tensor) else None


@contextmanager
def _mode(model: Module, training: bool) -> Iterator[None]:
    """Evaluation mode unless ``training`` (then the model's own), generator restored."""
    generator = get_generator().bit_generator
    state = generator.state
    try:
        if training and model.training:
            yield
        else:
            with evaluation(model):
                yield
    finally:
        generator.state = state


def check_fresh(program: Program, model: Module, run: Callable[[np.ndarray], np.ndarray],
                who: str, whose: str, tol: float | None = None) -> float:
    """Compare ``run`` (the exported model, ``whose`` outputs) with ``model`` (evaluation
    mode) on the example and on a second input near it; return the largest difference.

    A model that computes something from its input outside the graph (on ``.data``, with
    a comparison) agrees on the example, where the constant was taken, and not elsewhere:
    that is refused rather than exported wrong."""
    tol = default_tol(program.example.dtype) if tol is None else tol
    noise = np.random.default_rng(0).standard_normal(program.example.shape)
    largest = 0.0
    for which, x in (("the example", program.example),
                     ("a second input", (program.example + noise).astype(program.example.dtype))):
        with evaluation(model), ag.no_grad():
            ours = np.asarray(model(ag.Tensor(x)).data)
        theirs = np.asarray(run(x))
        difference = float(np.max(np.abs(theirs - ours), initial=0.0))
        scale = float(np.max(np.abs(ours), initial=0.0))
        if theirs.shape != ours.shape or difference > tol * max(1.0, scale):
            hint = ("" if which == "the example" else
                    f": {program.model} computes something from its input that the graph "
                    f"does not record (a comparison, sign, argmax or a NumPy call on .data "
                    f"is a constant in the graph)")
            raise VerificationError(
                f"{who}: {whose} outputs differ from ours on {which} by up to "
                f"{difference:.2e} (shapes {theirs.shape} and {ours.shape}){hint}")
        largest = max(largest, difference)
    return largest
