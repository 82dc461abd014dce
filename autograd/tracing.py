"""``ag.trace``: run a training step's graph once, then replay it as a flat list of calls.

The first call runs ``fn`` and keeps its graph as a list of steps: each node's op, and
where each of its inputs comes from — an argument, a leaf tensor (read afresh on every
call, so that optimizer updates are seen), a constant, or an earlier step's output. Later
calls run each op's ``forward`` on arrays in that order, then each ``backward`` in reverse,
undoing broadcasting as the engine does (``unbroadcast``) and in the engine's order, so
the sums come out the same: S13's chain rule without making a Tensor or a Function per
op, which is most of the cost of a small model's step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, NamedTuple

import numpy as np

from autograd import per_thread, trace_checks
from autograd.anomaly import is_anomaly_enabled
from autograd.engine import give_leaf_gradient, ones_like, shaped_like
from autograd.function import Function
from autograd.grad_mode import is_grad_enabled, no_grad
from autograd.graph import topological_order
from autograd.scopes import active_recorder, recording
from autograd.tensor import Tensor
from autograd.trace_guards import Guards, InputWatch


def trace(fn: Callable[..., Any]) -> Trace:
    """A training step that records ``fn``'s graph once and replays it flat.

    ``step = ag.trace(fn)``; ``loss = step(*args)`` adds ∂loss/∂leaf into every leaf's
    ``.grad`` exactly as ``fn(*args).backward()`` would, and returns the loss (with no
    graph). The first call with arguments of a new signature (shapes, dtypes) runs ``fn``;
    later ones replay its ops on arrays. The plans of the last ``KEPT_PLANS`` (four)
    signatures are kept, so the smaller last batch of an epoch is traced once, not at
    every epoch.

    Parameters
    ----------
    fn : callable
        ``fn(*args)`` returns a one-element Tensor that requires grad (the loss), or a
        tuple ``(loss, *outputs)`` of it and other tensors the ops made (the model's
        output, to measure accuracy); the step then returns a tuple of the same values,
        as Tensors with no graph. Arrays and Tensors among the arguments are read afresh
        on every call; any other argument (a number, a string) is part of the trace.

    Notes
    -----
    A replay does not run the Python in ``fn`` around the ops, so:

    - **Control flow is frozen.** An ``if`` or a loop count decided on a tensor's value
      stays as it was when tracing (reading a value then — ``bool``, ``item``, ``float``,
      ``int``, ``.data``, ``np.asarray``, ``.numpy()`` — warns); so do Python numbers
      computed from data (``float(X.mean())``), and checks that ``fn`` makes on the data
      (labels in range) run only when tracing.
    - **Changes re-trace:** an argument's shape or dtype, a non-array argument's value, a
      leaf's shape, dtype or ``requires_grad``, the ``train()``/``eval()`` mode, a
      parameter, child or number setting of a module ``fn`` calls (``model(x)``) or of its
      submodules (``layer.weight = nn.Parameter(...)``), and a tensor or number (Python's
      or NumPy's) that ``fn`` reads from its closure, a global, its defaults, or one
      attribute or item inside those (``config.lam``): ``autograd.trace_guards``. A
      number an op receives from a variable none of these explains warns once, naming
      the op and the value.
    - **Randomness inside ops is fresh:** Dropout draws its mask in its op's ``forward``,
      so each replay draws a new one, in the plain step's order (``ag.manual_seed``
      gives the same masks).
    - **Values made inside fn are refused** (``RuntimeError`` naming the op and shape),
      since a replay would reuse their first value: an ndarray or NumPy scalar that is
      not an argument (NumPy work on the batch), a constant tensor that only the graph
      holds (a comparison ``x > 0``, ``ag.tensor(y)``). Pass them as arguments. A tensor
      that outlives ``fn`` (a parameter, a module's constant) is read afresh.
    - **Tensors made while tracing are cut from their graph** once it is recorded (their
      op nodes keep no inputs), so the step keeps no activations of that first run.
    - **Also refused** (these checks: ``autograd.trace_checks``): hooks on intermediate
      tensors, ``retain_grad()``, ``ag.retain_grads``, an argument that has a graph, a
      call under ``no_grad``. Hooks on leaves run. Under ``detect_anomaly`` (in the
      calling thread) each call runs ``fn`` and ``backward`` plainly, so that the error
      names the module. Calls from several threads run one at a time (a lock per step).
    """
    return Trace(fn)


#: How many plans (one per argument signature) a step keeps, the oldest dropped first.
KEPT_PLANS = 4


class Trace:
    """The callable ``ag.trace`` returns; ``traces`` counts how often ``fn`` was traced."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.traces = 0
        self._plans: dict[tuple, _Plan] = {}  # signature → plan, oldest first
        self._lock = threading.RLock()  # one call at a time: calls share plans and leaves

    def __call__(self, *args: Any) -> Any:
        if not is_grad_enabled():
            raise RuntimeError("trace: the step was called under no_grad, but it computes "
                               "gradients; evaluate by calling fn (or the model) instead")
        key = trace_checks.signature(args)
        with self._lock:
            if is_anomaly_enabled():  # detect_anomaly: the plain pass names modules
                results, single = trace_checks.checked_results(self.fn(*args))
                results[0].backward()
                return _as_returned([t._data for t in results], single)
            return self._step(args, key)

    def _step(self, args: tuple, key: tuple) -> Any:
        plan = self._plans.get(key)
        if plan is not None and plan.still_fits():
            env, inputs = plan.forward(args)
        else:
            self._plans.pop(key, None)  # a failed trace leaves no stale plan behind
            plan, env, inputs = self._trace(args, key)
            self._plans[key] = plan
            if len(self._plans) > KEPT_PLANS:
                del self._plans[next(iter(self._plans))]
        plan.backward(env, inputs, args)
        return plan.results(env)

    def _trace(self, args: tuple, key: tuple) -> tuple[_Plan, list, list]:
        spy = _ModuleSpy(active_recorder())
        arrays_of: dict[Any, list] = {}  # node → the arrays its forward received
        watch = InputWatch()

        def node_made(node: Any, arrays: list) -> None:
            arrays_of[node] = arrays
            watch.see(node, arrays)

        with (recording(spy), per_thread.value_read.using(trace_checks.warn_value_read),
              per_thread.node_made.using(node_made)):
            results, single = trace_checks.checked_results(self.fn(*args))
        self.traces += 1
        guards = Guards.build(self.fn, spy.modules, watch)
        watch.warn_frozen(guards, args)
        return _Plan.record(results, single, args, key, guards, arrays_of)


class _Step(NamedTuple):
    """One node of the graph: its op, the places in env of its inputs, and ``sends``:
    ``(position among the inputs, place in env)`` of each input that needs a gradient."""

    node: Any
    slots: tuple[int, ...]
    sends: tuple[tuple[int, int], ...]


class _Plan:
    """The flattened graph. ``env`` (one list per call) holds the arguments, the leaves'
    arrays, the constants and then each step's output, in that order; ``result_places``
    are the places in env of what fn returned, the loss first (``single``: the loss
    alone, not in a tuple)."""

    def __init__(self, key: tuple, leaves: list[Tensor], constants: list,
                 steps: list[_Step], guards: Guards, result_places: tuple[int, ...],
                 single: bool) -> None:
        self.result_places = result_places
        self.single = single
        self.leaves = leaves
        self.leaf_key = _leaf_signature(leaves)
        self.constants = constants
        self.steps = steps
        self.guards = guards
        first = len(key) + len(leaves) + len(constants)  # the place of step 0's output
        #: Backward's walk, last step first: (k, place of step k's output in env, node,
        #: sends).
        self.reversed_steps = [(k, first + k, node, sends)
                               for k, (node, _, sends) in reversed(list(enumerate(steps)))]
        #: The places in env of the arguments and leaves that some op sends a gradient to.
        self.receivers = sorted({i for _, _, sends in steps for _, i in sends
                                 if i < len(key) + len(leaves)})

    def still_fits(self) -> bool:
        """Leaves' shapes and dtypes, and what fn reads from outside, as when traced (a
        change re-traces)."""
        return _leaf_signature(self.leaves) == self.leaf_key and self.guards.hold()

    def results(self, env: list) -> Any:
        """What fn returned, replayed (``_as_returned``)."""
        return _as_returned([env[i] for i in self.result_places], self.single)

    def forward(self, args: tuple) -> tuple[list, list]:
        """Run every op's forward on arrays: env, and each step's inputs."""
        env = [a._data if isinstance(a, Tensor) else a for a in args]
        env += [t._data for t in self.leaves]
        env += self.constants
        inputs = []
        try:
            with no_grad():
                for node, slots, _ in self.steps:
                    arrays = [env[i] for i in slots]
                    out = node.forward(*arrays)
                    env.append(out if type(out) is np.ndarray else np.asarray(out))
                    inputs.append(arrays)
        except (ValueError, IndexError) as error:  # bad data that fn's checks would catch
            raise type(error)(f"trace: {node.name} failed in a replay: {error} (the checks "
                              "fn makes on the data ran only when it was traced)") from None
        return env, inputs

    def backward(self, env: list, inputs: list, args: tuple) -> None:
        """The chain rule backwards through the steps, as the engine's plain pass does it
        (same order, so the same sums), then the leaves' gradients into ``.grad``."""
        grads: list[Any] = [None] * len(env)
        loss = self.result_places[0]
        grads[loss] = ones_like(env[loss])
        handed_out = {id(grads[loss]): grads[loss]}  # as the engine: never a .grad itself
        with no_grad():
            for k, place, node, sends in self.reversed_steps:
                grad = grads[place]
                if grad is None:
                    continue
                grads[place] = None
                arrays = inputs[k]
                local = node.backward(grad, *(arrays if node.reads_inputs else ()))
                for position, i in sends:
                    g = local[position]
                    if g is None:
                        continue
                    g = shaped_like(g, arrays[position])
                    grads[i] = g if grads[i] is None else grads[i] + g
            holders = [*args, *self.leaves]
            for i in self.receivers:
                grad, leaf = grads[i], holders[i]
                if grad is not None:
                    give_leaf_gradient(leaf, grad, False, handed_out)

    @classmethod
    def record(cls, results: tuple[Tensor, ...], single: bool, args: tuple, key: tuple,
               guards: Guards, arrays_of: dict[Any, list]) -> tuple[_Plan, list, list]:
        """The plan of the graph of ``results`` (the loss first), and the env and steps'
        inputs of the run that made it. The recorded nodes then drop their inputs: the
        plan keeps the ops, not the first run's activations."""
        roots = list(dict.fromkeys(t.grad_fn for t in results))
        nodes = sorted(topological_order(roots), key=lambda node: node.sequence)
        position = {node: k for k, node in enumerate(nodes)}
        tensor_args = {id(a): i for i, a in enumerate(args) if isinstance(a, Tensor)}
        array_args = {id(a._data if isinstance(a, Tensor) else a): i
                      for i, a in enumerate(args) if isinstance(a, Tensor | np.ndarray)}
        leaves: dict[int, int] = {}  # id(leaf) → its index among the leaves
        leaf_tensors: list[Tensor] = []
        made_by: list[Any] = []  # per leaf, the first node that used it (for an error)
        constants: list = []
        outputs: list[Any] = [None] * len(nodes)

        def source(node: Any, x: Any, array: Any) -> tuple[str, int]:
            """Where input ``x`` of ``node`` (forward received ``array``) comes from:
            ("arg" | "leaf" | "constant" | "step", its index there)."""
            if isinstance(x, Function):
                outputs[position[x]] = array
                return "step", position[x]
            if isinstance(x, Tensor):
                if id(x) in tensor_args:
                    return "arg", tensor_args[id(x)]
                if id(array) in array_args and not x._requires_grad:
                    return "arg", array_args[id(array)]  # wraps an argument's array
                if id(x) not in leaves:
                    leaves[id(x)] = len(leaf_tensors)
                    leaf_tensors.append(x)
                    made_by.append(node)
                return "leaf", leaves[id(x)]
            if id(array) in array_args:
                return "arg", array_args[id(array)]
            if not guards.watch(array):  # a NumPy number from outside fn is guarded
                trace_checks.refuse_arrays(node, array)
            constants.append(array)
            return "constant", len(constants) - 1

        rows = []
        for node in nodes:
            trace_checks.refuse_recording(node)
            rows.append([source(node, x, a) for x, a in zip(node.inputs, arrays_of[node])])
        for t in results:
            outputs[position[t.grad_fn]] = t._data
        offsets = {"arg": 0, "leaf": len(args), "constant": len(args) + len(leaf_tensors),
                   "step": len(args) + len(leaf_tensors) + len(constants)}
        steps = []
        for node, row in zip(nodes, rows):
            slots = tuple(offsets[kind] + i for kind, i in row)
            sends = tuple((k, slots[k]) for k, needed in enumerate(node.needs_input_grad)
                          if needed)
            steps.append(_Step(node, slots, sends))
        env = [a._data if isinstance(a, Tensor) else a for a in args]
        env += [t._data for t in leaf_tensors] + constants + outputs
        inputs = [[env[i] for i in step.slots] for step in steps]
        for node in nodes:  # the replay hands each op its arrays itself
            node.inputs, node.input_arrays, node.value = (), None, None
        trace_checks.refuse_temporaries(leaf_tensors, made_by)
        places = tuple(offsets["step"] + position[t.grad_fn] for t in results)
        plan = cls(key, leaf_tensors, constants, steps, guards, places, single)
        return plan, env, inputs


def _leaf_signature(leaves: list[Tensor]) -> tuple:
    return tuple((t._data.shape, t._data.dtype, t._requires_grad) for t in leaves)


def _as_returned(arrays: list, single: bool) -> Any:
    """The values of what fn returned, as Tensors with no graph: the loss alone
    (``single``), or a tuple of the loss and the other outputs."""
    values = tuple(Tensor._make(a) for a in arrays)
    return values[0] if single else values


class _ModuleSpy:
    """The module recorder while ``fn`` is traced: notes each module called and all its
    submodules (their train/eval modes are part of the trace), and passes each call on
    to the recorder of a drawing, if one is active."""

    def __init__(self, outer: Any) -> None:
        self.outer = outer
        self.seen: dict[int, Any] = {}

    @property
    def modules(self) -> list:
        return list(self.seen.values())

    def current(self) -> Any:
        return None if self.outer is None else self.outer.current()

    def enter(self, module: Any) -> Any:
        if id(module) not in self.seen:
            for m in module.modules():
                self.seen.setdefault(id(m), m)
        return nullcontext() if self.outer is None else self.outer.enter(module)
