"""What a traced step (``ag.trace``) reads from outside ``fn``, checked on every call.

A replay runs no Python, so it cannot see a number or a tensor that ``fn`` reads from
outside change. The trace therefore notes where such values come from, and a call whose
sources no longer hold the same values re-traces (as ``torch.compile``'s guards do):

- the modules ``fn`` called and their submodules: their ``train()``/``eval()`` mode,
  children and parameters (by identity: ``layer.weight = nn.Parameter(...)``) and number
  or string settings (a slope, a dropout rate);
- ``fn``'s closure, the globals its code names and its default arguments (for a bound
  method, also its object), and one level inside each (an object's attributes, a dict's or
  list's items): those that were a leaf of the graph (by identity) or a number an op
  received (a loss weight ``lam``, Python's or NumPy's, compared by value).

A Python number that an op received from a variable of the user's code (not a literal
written there) and that none of these sources explains is frozen into the trace: tracing
warns once, naming the op and the value.
"""

from __future__ import annotations

import functools
import numbers
import os
import sys
import types
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd.tensor import Tensor

_HERE = os.path.dirname(os.path.abspath(__file__))
#: The library's source folders: numbers passed inside them are its own constants.
_LIBRARY = (_HERE + os.sep, os.path.join(os.path.dirname(_HERE), "nn") + os.sep)
_TRACING = os.path.join(_HERE, "tracing.py")
_SETTINGS = numbers.Number | np.generic | str | None


def is_number(x: Any) -> bool:
    """A Python or NumPy number (not a bool): what a trace freezes when an op receives it."""
    return isinstance(x, numbers.Number | np.generic) and not isinstance(x, bool | np.bool_)


def same(a: Any, b: Any) -> bool:
    """Identity for tensors, modules and other objects (and for each of a tuple's); equal
    type and value for settings."""
    if a is b:
        return True
    if isinstance(a, _SETTINGS) and type(a) is type(b):
        return bool(a == b) or (a != a and b != b)  # NaN is NaN's same setting
    if isinstance(a, tuple) and isinstance(b, tuple):  # a module's children
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    return False


class Guards:
    """Readers of values outside fn and what each read when fn was traced."""

    def __init__(self, readers: list[tuple[Callable[[], Any], Any]]) -> None:
        self.readers = readers

    def watch(self, value: Any) -> bool:
        """Whether some guard watches ``value`` (its source is checked on every call)."""
        return any(value is watched for _, watched in self.readers)

    def hold(self) -> bool:
        """Whether every source still holds the value it held when fn was traced."""
        for read, value in self.readers:
            try:
                now = read()
            except (AttributeError, KeyError, IndexError, ValueError):
                return False
            if now is not value and not same(now, value):
                return False
        return True

    @classmethod
    def build(cls, fn: Any, modules: list, watch: InputWatch) -> Guards:
        """The guards for ``fn``: every setting of the modules it called, and each outside
        source of a tensor or a number an op received (by identity)."""
        readers: list[tuple[Callable[[], Any], Any]] = []
        for m in modules:
            for name, value in vars(m).items():
                if isinstance(value, _SETTINGS | Tensor) or name == "training":
                    readers.append((functools.partial(getattr, m, name), value))
            children = tuple(m._modules.values())
            readers.append((functools.partial(_children_of, m), children))
        wanted = watch.tensor_ids | {id(x) for x in watch.received}
        for read, value in _outside_sources(fn):
            if id(value) in wanted:
                readers.append((read, value))
        return cls(readers)


def _children_of(module: Any) -> tuple:
    return tuple(module._modules.values())


def _outside_sources(fn: Any) -> Iterator[tuple[Callable[[], Any], Any]]:
    """``(reader, value)`` for each value fn can read from outside, and one level inside."""
    for read, value in _direct_sources(fn):
        yield read, value
        for inner_read, inner in _members(value):
            yield (lambda read=read, inner_read=inner_read: inner_read(read())), inner


def _direct_sources(fn: Any) -> Iterator[tuple[Callable[[], Any], Any]]:
    if isinstance(fn, functools.partial):
        for i, value in enumerate(fn.args):
            yield functools.partial(lambda i: fn.args[i], i), value
        for key, value in fn.keywords.items():
            yield functools.partial(fn.keywords.__getitem__, key), value
        yield from _direct_sources(fn.func)
        return
    if isinstance(fn, types.MethodType):
        yield (lambda: fn.__self__), fn.__self__
        fn = fn.__func__
    elif not isinstance(fn, types.FunctionType):
        call = vars(type(fn)).get("__call__")  # a callable object: its method and itself
        if isinstance(call, types.FunctionType):
            yield (lambda: fn), fn
            fn = call
        else:
            return
    for cell in fn.__closure__ or ():
        try:
            value = cell.cell_contents
        except ValueError:  # not yet bound
            continue
        yield (lambda cell=cell: cell.cell_contents), value
    names = set()
    for code in _codes(fn.__code__):
        names.update(code.co_names)
    for name in sorted(names & fn.__globals__.keys()):
        yield functools.partial(fn.__globals__.__getitem__, name), fn.__globals__[name]
    for i, value in enumerate(fn.__defaults__ or ()):
        yield functools.partial(lambda i: fn.__defaults__[i], i), value


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """A code object and those nested in it (lambdas, inner functions)."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _members(value: Any) -> Iterator[tuple[Callable[[Any], Any], Any]]:
    """One level inside a value: a dict's or list's items, an object's attributes."""
    if isinstance(value, types.ModuleType | types.FunctionType | type | Tensor | np.ndarray
                  | _SETTINGS):
        return
    if isinstance(value, dict):
        for key, item in list(value.items()):
            yield (lambda v, key=key: v[key]), item
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield (lambda v, i=i: v[i]), item
    elif hasattr(value, "__dict__"):  # its own attributes, and its class's
        names = [n for n in {**vars(type(value)), **vars(value)} if not n.startswith("__")]
        for name in names:
            yield (lambda v, name=name: getattr(v, name)), getattr(value, name, None)


class InputWatch:
    """While fn is traced: the numbers ops receive (``received``), the ids of the tensors
    they receive (``tensor_ids``), and the numbers a variable of the user's code held
    (``from_variables``: ``(op name, value)``)."""

    def __init__(self) -> None:
        self.received: list = []
        self.tensor_ids: set[int] = set()
        self.from_variables: list[tuple[str, Any]] = []

    def see(self, node: Any, arrays: list) -> None:
        self.tensor_ids.update(id(x) for x in node.inputs if isinstance(x, Tensor))
        numbers_ = [x for x in arrays if is_number(x)]
        if not numbers_:
            return
        self.received.extend(numbers_)
        held = _held_by_user_variables()
        for x in numbers_:
            if isinstance(x, float | complex) and id(x) in held:
                self.from_variables.append((node.name, x))

    def warn_frozen(self, guards: Guards, args: tuple) -> None:
        """Warn once per value a user variable held that neither a guard nor the step's
        arguments (part of its signature) watch."""
        shown = {id(a) for a in args}
        for op, value in self.from_variables:
            if guards.watch(value) or id(value) in shown:
                continue
            shown.add(id(value))
            warnings.warn(
                f"ag.trace: {op} received the Python number {value!r} from a variable of "
                "fn's code, which a replay reuses: a later change to it is not seen; "
                "pass it to the step as an argument (a change then re-traces), or keep it "
                "in fn's closure, a global or a module attribute", UserWarning,
                stacklevel=5)  # the step's caller: here, _trace, _step, __call__


def _held_by_user_variables() -> set[int]:
    """ids of the values held by local, closure and cell variables of the frames on the
    stack between ``ag.trace`` and the op, outside the library (the user's fn and the
    helpers it calls), leaving out the literals written in their code (``scale = 0.5``)."""
    held: set[int] = set()
    literals: set[int] = set()
    frame = sys._getframe(1)
    while frame is not None and not (frame.f_code.co_name == "_trace"
                                     and frame.f_code.co_filename == _TRACING):
        if not frame.f_code.co_filename.startswith(_LIBRARY):
            held.update(id(v) for v in frame.f_locals.values())
            literals.update(id(c) for c in frame.f_code.co_consts)
        frame = frame.f_back
    return held - literals
