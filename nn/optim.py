"""Optimizers: turn the gradients of S16 into parameter updates (S17 and its refinements).

Each ``step()`` updates ``p.data`` in place from ``p.grad`` with NumPy (nothing is
recorded in a graph). The update rules, defaults and conventions are PyTorch's:

- parameters whose ``.grad`` is None, or that do not require grad (frozen), are skipped;
- ``params`` is an iterable of Tensors or of parameter groups, dicts such as
  ``{"params": model.layers[0].parameters(), "lr": 0.01}``: each group's options override
  the optimizer's own (``optimizer.param_groups[i]["lr"]`` can be changed between steps);
- ``step()`` checks every gradient (a real-number array of its parameter's shape) before
  it changes any parameter or moment, so a failed step changes nothing; non-finite
  gradients are not refused (they propagate, as in PyTorch);
- ``state_dict()`` / ``load_state_dict()`` capture and restore everything a resumed run
  needs (options, momentum buffers, Adam's moments and step counts), so that training
  continues exactly as if it had not stopped. The state dict is flat — dotted names to
  NumPy arrays, like a Module's — and ``nn.save(optimizer, path)`` writes it as ``.npz``:

  ``param_groups.{g}.params``  the indices of group g's parameters (int array),
  ``param_groups.{g}.{option}`` each option (``lr``, ``betas``, …) as an array,
  ``state.{i}.{name}``          parameter i's state (``momentum_buffer``; ``step``,
  ``exp_avg``, ``exp_avg_sq``), i counting the parameters of all groups in order.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import check_bool, check_real, shown
from nn.module import cast_problem


class Optimizer:
    """Parameter groups, per-parameter state, and the checked step; subclasses define
    ``check_options`` (the valid options of a group) and ``update`` (the rule)."""

    #: Names of the per-parameter state a subclass keeps, in ``state_dict`` order.
    state_names: tuple[str, ...] = ()

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        op = type(self).__name__
        self.defaults = self.check_options(op, defaults)
        try:
            given = list(params) if not isinstance(params, Tensor) else [params]
        except TypeError:
            raise TypeError(f"{op}: params must be an iterable of Tensors or of parameter "
                            f"groups, got {shown(params)}") from None
        groups = given if given and isinstance(given[0], Mapping) else [{"params": given}]
        self.param_groups: list[dict[str, Any]] = []
        seen: set[int] = set()
        for g, group in enumerate(groups):
            where = f"{op} (param group {g})" if len(groups) > 1 else op
            self.param_groups.append(self._group(where, group, seen))
        if not seen:
            raise ValueError(f"{op}: got an empty parameter list")
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        self._checked: dict[int, dict[str, Any]] = {}  # id(group) → options last checked

    def _group(self, where: str, group: Any, seen: set[int]) -> dict[str, Any]:
        """A checked parameter group: its own parameters (each in no other group) and
        every option, its own or the optimizer's default."""
        if not isinstance(group, Mapping) or "params" not in group:
            raise TypeError(f"{where}: parameter groups must be dicts with a 'params' entry, "
                            f"got {shown(group)}")
        unknown = sorted(set(group) - set(self.defaults) - {"params"})
        if unknown:
            raise ValueError(f"{where}: unknown options {', '.join(unknown)}; valid: "
                             f"{', '.join(self.defaults)}")
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        own: dict[int, Tensor] = {}
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{where}: parameters must be Tensors, got {shown(p)}")
            if not p.is_leaf:
                raise ValueError(f"{where}: cannot optimize a non-leaf Tensor "
                                 f"(shape {p.shape}, made by {p.grad_fn.name})")
            if id(p) in seen and id(p) not in own:
                raise ValueError(f"{where}: a parameter of shape {p.shape} is already in "
                                 "another parameter group")
            own[id(p)] = p
            seen.add(id(p))
        options = {name: group.get(name, default) for name, default in self.defaults.items()}
        return {"params": list(own.values()), **self.check_options(where, options)}

    @property
    def params(self) -> list[Tensor]:
        """Every parameter of every group, in order (the indices of ``state``)."""
        return [p for group in self.param_groups for p in group["params"]]

    @property
    def lr(self) -> float:
        """The learning rate η of every group (an error if the groups' rates differ)."""
        rates = {group["lr"] for group in self.param_groups}
        if len(rates) != 1:
            raise AttributeError(f"{type(self).__name__}: the parameter groups have different "
                                 "learning rates; read param_groups[i]['lr']")
        return rates.pop()

    @lr.setter
    def lr(self, value: float) -> None:
        value = check_real(type(self).__name__, "lr", value, low=0)
        for group in self.param_groups:
            group["lr"] = value

    def check_options(self, where: str, options: dict[str, Any]) -> dict[str, Any]:
        """The options (without ``params``) checked and normalised, or an error."""
        raise NotImplementedError

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``.grad = None``)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Apply one update to every parameter that requires grad and has a gradient.
        Every group's options (which may have been edited since) and all gradients are
        checked first: on any problem, one ``ValueError`` lists them and nothing has
        changed."""
        op = f"{type(self).__name__}.step"
        work, problems = [], []
        index = 0
        for g, group in enumerate(self.param_groups):
            self._check_group(f"{op} (param group {g})", group)
            for p in group["params"]:
                grad = p._grad if p._requires_grad else None
                if grad is not None:
                    grad = grad._data if isinstance(grad, Tensor) else np.asarray(grad)
                    if grad.dtype.kind not in "biuf" or grad.shape != p._data.shape:
                        problems.append(self._gradient_problem(index, p, grad))
                    work.append((p, grad, self.state[index], group))
                index += 1
        if problems:
            raise ValueError(f"{op}: " + "; ".join(problems)
                             + " (no parameter was changed)")
        for p, grad, state, group in work:
            data = p._data
            data -= self.update(data, grad, state, group)  # same_kind casting into p's dtype
            p.mark_changed()

    def _check_group(self, where: str, group: dict[str, Any]) -> None:
        """Check a group's options again if they were edited since the last check."""
        options = {name: group.get(name) for name in self.defaults}
        if self._checked.get(id(group)) != options:
            group.update(self.check_options(where, options))
            self._checked[id(group)] = {name: group[name] for name in self.defaults}

    @staticmethod
    def _gradient_problem(index: int, p: Tensor, grad: np.ndarray) -> str:
        name = f"parameter {index}" + (f" ({p.name})" if p.name else "")
        if grad.dtype.kind not in "biuf":
            return f"the gradient of {name} has dtype {grad.dtype}, not a real number type"
        return f"the gradient of {name} has shape {grad.shape}, the parameter {p.shape}"

    def update(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> np.ndarray:
        """The amount to subtract from ``p`` given its gradient ``g`` and its group's
        options (updating ``state`` in place)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ state dict
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Options and per-parameter state as dotted names → NumPy copies (the layout is
        in the module docstring); ``nn.save(optimizer, path)`` writes it."""
        state: OrderedDict[str, np.ndarray] = OrderedDict()
        index = 0
        for g, group in enumerate(self.param_groups):
            count = len(group["params"])
            state[f"param_groups.{g}.params"] = np.arange(index, index + count)
            index += count
            for option in self.defaults:
                state[f"param_groups.{g}.{option}"] = np.array(group[option])
        for i, entries in enumerate(self.state):
            for name, value in entries.items():
                state[f"state.{i}.{name}"] = np.array(value, copy=True)
        return state

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore options and per-parameter state from ``state_dict()`` (or a file read
        by ``nn.load``). Everything is checked first — the group sizes, every option, the
        names, shapes and dtypes of the per-parameter state — and reported in one
        ``ValueError``; then nothing has been changed."""
        op = f"{type(self).__name__}.load_state_dict"
        state = {key: np.asarray(value.data if isinstance(value, Tensor) else value)
                 for key, value in state.items()}
        problems: list[str] = []
        groups = self._loaded_groups(op, state, problems)
        per_parameter = self._loaded_state(state, problems)
        known = {f"param_groups.{g}.{option}" for g in range(len(self.param_groups))
                 for option in ("params", *self.defaults)}
        known |= {f"state.{i}.{name}" for i in range(len(self.params))
                  for name in self.state_names}
        unexpected = sorted(set(state) - known)
        if unexpected:
            problems.append(f"unexpected: {', '.join(unexpected)}")
        if problems:
            raise ValueError(f"{op}: " + "; ".join(problems) + " (nothing was changed)")
        for group, options in zip(self.param_groups, groups, strict=True):
            group.update(options)
        self.state = per_parameter

    def _loaded_groups(self, op: str, state: dict[str, np.ndarray], problems: list[str]
                       ) -> list[dict[str, Any]]:
        groups = []
        for g, group in enumerate(self.param_groups):
            prefix = f"param_groups.{g}."
            missing = [prefix + name for name in ("params", *self.defaults)
                       if prefix + name not in state]
            if missing:
                problems.append(f"missing: {', '.join(missing)}")
                continue
            count = state[prefix + "params"].size
            if count != len(group["params"]):
                problems.append(f"param group {g} has {count} parameters in the state dict, "
                                f"{len(group['params'])} in the optimizer")
            try:
                options = {name: state[prefix + name][()] if state[prefix + name].ndim == 0
                           else tuple(state[prefix + name].tolist())
                           for name in self.defaults}
                groups.append(self.check_options(f"{op} (param group {g})",
                                                 _python_numbers(options)))
            except (TypeError, ValueError) as error:
                problems.append(str(error))
        return groups

    def _loaded_state(self, state: dict[str, np.ndarray], problems: list[str]
                      ) -> list[dict[str, np.ndarray]]:
        loaded: list[dict[str, np.ndarray]] = []
        for i, p in enumerate(self.params):
            entries = {name: state[f"state.{i}.{name}"] for name in self.state_names
                       if f"state.{i}.{name}" in state}
            problem = self.check_state(p, entries) if entries else None
            if problem:
                problems.append(f"state.{i}: {problem}")
                entries = {}
            loaded.append({name: value.astype(p.dtype if name != "step" else np.int64)
                           for name, value in entries.items()})
        return loaded

    def check_state(self, p: Tensor, entries: dict[str, np.ndarray]) -> str | None:
        """What is wrong with one parameter's loaded state, or None: every array entry
        must fit the parameter (shape, dtype without overflow)."""
        for name, value in entries.items():
            if name == "step":
                continue
            if value.shape != p.shape:
                return f"{name} has shape {value.shape}, the parameter {p.shape}"
            problem = cast_problem(value, p.dtype)
            if problem:
                return f"{name}: {problem}"
        return None


def _python_numbers(options: dict[str, Any]) -> dict[str, Any]:
    """NumPy scalars read from a file as the Python bools and floats options are."""
    return {name: value.item() if isinstance(value, np.generic) else value
            for name, value in options.items()}


def _check_common(where: str, options: dict[str, Any]) -> dict[str, Any]:
    options = dict(options)
    options["lr"] = check_real(where, "lr", options["lr"], low=0)
    options["weight_decay"] = check_real(where, "weight_decay", options["weight_decay"], low=0)
    return options


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, Nesterov momentum and weight
    decay (PyTorch's ``torch.optim.SGD`` with dampening 0).

    With g = ∇E(p) + λ p:

    - plain (μ = 0), the document's S17: p ← p − η g;
    - momentum: b ← μ b + g (b = g on the first step), p ← p − η b;
    - Nesterov: as momentum, but p ← p − η (g + μ b).

    Parameters
    ----------
    params : iterable of Tensor, or of parameter-group dicts
        E.g. ``model.parameters()``.
    lr : float
        η ≥ 0.
    momentum : float
        μ ≥ 0.
    nesterov : bool
        Needs μ > 0.
    weight_decay : float
        λ ≥ 0 (an L2 penalty ½λ‖p‖² added to E).
    """

    state_names = ("momentum_buffer",)

    def __init__(self, params: Iterable[Any], lr: float, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0) -> None:
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov,
                                      weight_decay=weight_decay))

    def check_options(self, where: str, options: dict[str, Any]) -> dict[str, Any]:
        options = _check_common(where, options)
        options["momentum"] = check_real(where, "momentum", options["momentum"], low=0)
        options["nesterov"] = check_bool(where, "nesterov", options["nesterov"])
        if options["nesterov"] and options["momentum"] == 0:
            raise ValueError(f"{where}: nesterov=True needs momentum > 0")
        return options

    def update(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> np.ndarray:
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p
        momentum = group["momentum"]
        if momentum:
            buffer = state.get("momentum_buffer")
            buffer = g.astype(p.dtype) if buffer is None else momentum * buffer + g
            state["momentum_buffer"] = buffer
            g = g + momentum * buffer if group["nesterov"] else buffer
        return group["lr"] * g


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), PyTorch's ``torch.optim.Adam`` (L2 weight decay, no
    AMSGrad).

    With g = ∇E(p) + λ p and the step count t of this parameter:

    m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²   (m = v = 0 before the first step),
    m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ),   p ← p − η m̂ / (√v̂ + ε).

    Parameters
    ----------
    params : iterable of Tensor, or of parameter-group dicts
    lr : float
        η ≥ 0.
    betas : (float, float)
        β₁, β₂ in [0, 1).
    eps : float
        ε ≥ 0, added to √v̂.
    weight_decay : float
        λ ≥ 0.
    """

    state_names = ("step", "exp_avg", "exp_avg_sq")

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def check_options(self, where: str, options: dict[str, Any]) -> dict[str, Any]:
        options = _check_common(where, options)
        betas = options["betas"]
        pair = ((isinstance(betas, tuple | list) and len(betas) == 2)
                or (isinstance(betas, np.ndarray) and betas.shape == (2,)))
        if not pair:
            raise ValueError(f"{where}: betas must be a pair (beta1, beta2), "
                             f"got {shown(betas)}")
        options["betas"] = tuple(check_real(where, f"betas[{k}]", beta, low=0, high=1,
                                            high_open=True) for k, beta in enumerate(betas))
        options["eps"] = check_real(where, "eps", options["eps"], low=0)
        return options

    def check_state(self, p: Tensor, entries: dict[str, np.ndarray]) -> str | None:
        if set(entries) != set(self.state_names):
            return f"needs all of {', '.join(self.state_names)}, got {', '.join(entries)}"
        step = entries["step"]
        if step.shape != () or step.dtype.kind not in "iu" or step < 1:
            return f"step must be an integer >= 1, got {step!r}"
        return super().check_state(p, entries)

    def update(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> np.ndarray:
        # The moments are updated in place: a step allocates only a few temporaries.
        beta1, beta2 = group["betas"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p
        t = int(state.get("step", 0)) + 1
        state["step"] = np.int64(t)
        if t == 1:
            state["exp_avg"] = np.zeros_like(p)
            state["exp_avg_sq"] = np.zeros_like(p)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * (g * g)
        # η m̂ / (√v̂ + ε) with the bias corrections folded into scalars, as PyTorch does.
        denominator = np.sqrt(v)
        denominator /= math.sqrt(1 - beta2 ** t)
        denominator += group["eps"]
        step = m / denominator
        step *= group["lr"] / (1 - beta1 ** t)
        return step


# RMSprop and AdamW build on Optimizer and Adam above, hence the import at the end.
from nn.adaptive import AdamW, RMSprop  # noqa: E402

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]
