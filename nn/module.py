"""Module, Parameter and the containers: the bookkeeping that turns a formula into a model.

A ``Module`` owns Parameters (the document's W_l and b_l, S11) and child Modules; it names
them by dotted paths (``layers.0.weight``), hands them to optimizers, switches training
behaviour (Dropout) on and off, and saves them as plain NumPy arrays.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

import autograd.devices
import autograd.hooks
from autograd import Tensor, get_default_dtype
from autograd.errors import allocating
from autograd.tensor import as_array


def cast_problem(value: np.ndarray, dtype: Any) -> str | None:
    """Why ``value`` cannot be stored in an array of ``dtype`` (a Parameter's, or an
    optimizer's moment), or None: it is not real numbers, or a finite value overflows to
    ±inf in ``dtype``. Rounding (float64 to float32) is not a problem."""
    if value.dtype.kind not in "biuf":
        return f"dtype {value.dtype} is not a real number type"
    if np.can_cast(value.dtype, dtype, "safe"):
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        overflowed = np.isinf(value.astype(dtype)) & np.isfinite(value)
    if not overflowed.any():
        return None
    index = np.unravel_index(int(np.argmax(overflowed)), value.shape)
    return (f"{value.dtype} value {value[index].item()!r} at index "
            f"{tuple(map(int, index))} overflows {np.dtype(dtype)} (it would become inf); "
            f"{int(overflowed.sum())} value(s) in all")


class Parameter(Tensor):
    """A Tensor that a Module learns: ``requires_grad=True`` and registered by its owner.

    Parameters
    ----------
    data : array_like or Tensor
        The initial value, copied. Floating arrays keep their dtype; anything else (lists
        of ints, int arrays) takes the default float dtype, since a Parameter needs a
        gradient.
    """

    __slots__ = ()

    def __init__(self, data: Any) -> None:
        array = as_array(data)
        if array.dtype.kind != "f":
            array = array.astype(get_default_dtype())
        super().__init__(array, requires_grad=True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


def new_parameter(owner: str, shape: tuple[int, ...]) -> Parameter:
    """A Parameter of zeros of ``shape`` in the default dtype, for ``owner``'s constructor
    to initialise in place (``nn.init``); a size no memory holds is a RuntimeError naming
    the owner (``autograd.errors.allocating``)."""
    with allocating(owner):
        return Parameter(np.zeros(shape, get_default_dtype()))


class LoadResult(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of every layer and model (a Linear layer, S11; an MLP; a perceptron, S3).

    Subclasses call ``super().__init__()`` first, then assign Parameters and Modules as
    attributes; the assignment registers them (``self.weight = Parameter(...)``), in
    order. ``forward`` holds the computation and ``module(x)`` calls it.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() before assigning attributes"
            )
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        object.__delattr__(self, name)

    # ------------------------------------------------------------------ calling
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # The graph drawing groups the nodes made inside each module: while it records,
        # ``autograd.hooks.scope_recorder`` is set (read afresh on every call).
        recorder = autograd.hooks.scope_recorder
        if recorder is None:
            return self.forward(*args, **kwargs)
        with recorder.enter(self):
            return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ walking
    def children(self) -> Iterator[Module]:
        """The direct sub-modules, in assignment order."""
        return iter(self._modules.values())

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """``(dotted name, module)`` for this module (name ``prefix``) and every descendant."""
        stack = [(prefix, self)]
        seen: set[int] = set()
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            for key, child in reversed(module._modules.items()):  # first child on top
                stack.append((f"{name}.{key}" if name else key, child))

    def modules(self) -> Iterator[Module]:
        """This module and every descendant, each once, parents before children."""
        return (module for _, module in self.named_modules())

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """``(dotted name, Parameter)`` pairs such as ``("layers.0.weight", W_1)``; a
        Parameter shared by two modules is listed once, under its first name."""
        seen: set[int] = set()
        for prefix, module in self.named_modules():
            for key, parameter in module._parameters.items():
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    yield (f"{prefix}.{key}" if prefix else key), parameter

    def parameters(self) -> Iterator[Parameter]:
        """Every Parameter of this module and its descendants, each once."""
        return (parameter for _, parameter in self.named_parameters())

    def zero_grad(self) -> None:
        """Forget every parameter's accumulated gradient (``.grad = None``)."""
        for parameter in self.parameters():
            parameter.grad = None

    def train(self, mode: bool = True) -> Module:
        """Switch this module and all descendants to training (or, with False, evaluation)
        behaviour; returns self."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """``train(False)``: Dropout becomes the identity."""
        return self.train(False)

    # ------------------------------------------------------- devices and dtypes
    def to(self, *args: Any, dtype: Any = None, device: Any = None,
           non_blocking: bool = False) -> Module:
        """PyTorch's ``model.to(device)`` / ``model.to(dtype)``: the device must be the CPU
        (another raises, naming it); a floating dtype casts every parameter in place
        (do it before making the optimizer). Returns self."""
        for arg in args:
            if isinstance(arg, str | autograd.devices.Device):
                device = arg
            else:
                dtype = arg
        autograd.devices.check(device, f"{type(self).__name__}.to")
        if dtype is not None:
            dtype = np.dtype(dtype)
            if dtype.kind != "f":
                raise TypeError(f"{type(self).__name__}.to: parameters need a floating "
                                f"dtype, got {dtype}")
            for parameter in self.parameters():
                parameter.data = parameter.data.astype(dtype)
                if parameter._grad is not None:
                    parameter._grad = parameter._grad.astype(dtype)
        return self

    def cpu(self) -> Module:
        """The module itself: everything is on the CPU."""
        return self

    def double(self) -> Module:
        """Cast every parameter to float64 in place (``to(ag.float64)``)."""
        return self.to(np.float64)

    def float(self) -> Module:
        """Cast every parameter to float32 in place (``to(ag.float32)``)."""
        return self.to(np.float32)

    # ------------------------------------------------------------------ state
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Dotted parameter name → a NumPy copy of its value, in registration order."""
        return OrderedDict((name, p.data.copy()) for name, p in self.named_parameters())

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> LoadResult:
        """Copy the values of ``state`` into the existing Parameters, in place.

        Every problem is collected first — with ``strict``, missing and unexpected names;
        always, values whose shape differs, that are not real numbers, or that would not
        survive the cast to the Parameter's dtype (a finite value overflowing to ±inf, such
        as 1e300 into float32; rounding is not a loss) — and reported in one
        ``ValueError``; then nothing has been changed. The Parameters stay the same
        objects, so an optimizer built on them stays valid.
        """
        own = OrderedDict(self.named_parameters())
        missing = [name for name in own if name not in state]
        unexpected = [name for name in state if name not in own]
        problems = []
        if strict and missing:
            problems.append(f"missing: {', '.join(missing)}")
        if strict and unexpected:
            problems.append(f"unexpected: {', '.join(unexpected)}")
        values = {}
        for name, parameter in own.items():
            if name not in state:
                continue
            value = np.asarray(state[name].data if isinstance(state[name], Tensor)
                               else state[name])
            problem = cast_problem(value, parameter.dtype)
            if problem is None and value.shape != parameter.shape:
                problem = f"shape {value.shape} in the state dict, {parameter.shape} in the model"
            if problem:
                problems.append(f"{name}: {problem}")
            else:
                values[name] = value
        if problems:
            raise ValueError(f"load_state_dict ({type(self).__name__}): " + "; ".join(problems))
        for name, value in values.items():
            own[name].data[...] = value
            own[name].mark_changed()  # a graph built before the load refuses to backward
        return LoadResult(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The text inside this module's parentheses when it has no children."""
        return ""

    def __repr__(self) -> str:
        lines = [f"({key}): " + repr(child).replace("\n", "\n  ")
                 for key, child in self._modules.items()]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        extra = self.extra_repr()
        body = "\n  ".join(([extra] if extra else []) + lines)
        return f"{type(self).__name__}(\n  {body}\n)"


def _checked_module(container: Module, module: Any) -> Module:
    if not isinstance(module, Module):
        raise TypeError(
            f"{type(container).__name__}: expected a Module, got {type(module).__name__}")
    return module


class ModuleList(Module):
    """A list of modules registered under the names ``"0"``, ``"1"``, … (so their
    parameters are named ``layers.0.weight`` …). ``append``, ``extend``, ``insert``,
    indexing (a slice gives a new container of the same modules, numbered from 0),
    assignment to an index, ``len`` and iteration work as for a list; it has no
    ``forward``."""

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        """Register ``module`` under the next index."""
        self._modules[str(len(self._modules))] = _checked_module(self, module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append each of ``modules`` in turn (all checked before any is added)."""
        modules = [_checked_module(self, module) for module in modules]
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index``; the later ones move up one number."""
        items = list(self._modules.items())
        items.insert(index, ("", _checked_module(self, module)))
        self._renumber(items)

    def _renumber(self, items: list[tuple[str, Module]]) -> None:
        """Store ``items`` in order, index keys renumbered 0, 1, … (names kept)."""
        self._modules.clear()
        for position, (key, module) in enumerate(items):
            self._modules[key if key and not key.isdigit() else str(position)] = module

    def _position(self, index: int) -> int:
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"{type(self).__name__}: indices must be integers or slices, "
                            f"got {type(index).__name__}")
        if not -len(self) <= index < len(self):
            raise IndexError(f"{type(self).__name__}: index {index} is out of range for "
                             f"{len(self)} modules")
        return int(index) % len(self)

    def __getitem__(self, index: int | slice) -> Any:
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return self._of(modules[index])
        return modules[self._position(index)]

    def __setitem__(self, index: int, module: Module) -> None:
        items = list(self._modules.items())
        position = self._position(index)
        items[position] = (items[position][0], _checked_module(self, module))
        self._renumber(items)

    def _of(self, modules: list[Module]) -> ModuleList:
        """A container of this kind holding ``modules``."""
        return ModuleList(modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())


class Sequential(ModuleList):
    """``Sequential(m1, m2, …)(x) = … m2(m1(x))``: modules applied in order.

    ``Sequential(OrderedDict([("hidden", Linear(…)), …]))`` names the steps (parameters
    ``hidden.weight`` …) instead of numbering them; ``model[1:]`` is a Sequential too."""

    def __init__(self, *modules: Module | Mapping[str, Module]) -> None:
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            super().__init__()
            for key, module in modules[0].items():
                setattr(self, _checked_key(self, key), _checked_module(self, module))
        else:
            super().__init__(modules)

    def _of(self, modules: list[Module]) -> Sequential:
        return Sequential(*modules)

    def forward(self, x: Any) -> Any:
        for module in self:
            x = module(x)
        return x


def _checked_key(container: Module, key: Any) -> str:
    """A name for a sub-module: a string without dots that hides no attribute of the
    container (``keys`` or ``forward`` would)."""
    if not isinstance(key, str) or not key or "." in key:
        raise ValueError(f"{type(container).__name__}: module names must be non-empty "
                         f"strings without '.', got {key!r}")
    if hasattr(type(container), key) or key in ("training", "_parameters", "_modules"):
        raise ValueError(f"{type(container).__name__}: the name {key!r} is taken by an "
                         "attribute of the container")
    return key


class ModuleDict(Module):
    """Modules by name, in insertion order (parameters named ``heads.cls.weight`` …):
    ``d[name]``, ``d[name] = module``, ``del d[name]``, ``in``, ``len``, iteration over the
    names, ``keys()``, ``values()``, ``items()`` and ``update``; no ``forward``."""

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] = ()
                 ) -> None:
        super().__init__()
        self.update(modules)

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add or replace each named module (all checked before any changes)."""
        pairs = list(modules.items() if isinstance(modules, Mapping) else modules)
        checked = [(_checked_key(self, key), _checked_module(self, module))
                   for key, module in pairs]
        for key, module in checked:
            setattr(self, key, module)

    def _known(self, key: str) -> str:
        if key not in self._modules:
            raise KeyError(f"ModuleDict: no module named {key!r}; names: "
                           f"{', '.join(self._modules) or 'none'}")
        return key

    def __getitem__(self, key: str) -> Module:
        return self._modules[self._known(key)]

    def __setitem__(self, key: str, module: Module) -> None:
        self.update([(key, module)])

    def __delitem__(self, key: str) -> None:
        delattr(self, self._known(key))

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()
