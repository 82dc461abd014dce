"""Self-checks for the notebooks' exercises.

The learner writes a function; a checker runs it on cases whose answers the library
knows — autograd's gradients, ``nn.data.novikoff_bound``, a gate's truth table — and
returns a ``Feedback``: "correct", or the *first* place where the answer differs (which
layer and entry, which case, which input row), with both values and a hint. Nothing here
changes the library-wide random generator: every case is drawn from its own ``seed``.

- ``check_perceptron_step`` — one update of the perceptron rule (S4);
- ``check_novikoff_bound`` — Novikoff's bound (R/γ)² on the number of updates (S5);
- ``check_truth_table`` — a gate wired from McCulloch–Pitts units (S1, S6);
- ``check_input_gradient`` — ∂E/∂x of a 2-2-1 network, where each input fans out to both
  hidden units (S15);
- ``check_deltas`` — δ of every layer (S13–S15), e.g. for a tanh output or a deep ReLU
  network, against autograd's ∂E/∂u_l.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import autograd as ag
from nn import backprop as bp
from nn import data
from nn import functional as F
from nn.logic import TRUTH_TABLES


@dataclass(frozen=True)
class Feedback:
    """A checker's verdict: ``correct``, a ``message`` saying why, and ``where`` — the
    first place the answer differs (e.g. ``{"layer": 2, "entry": (1, 0)}``), empty when
    correct. ``bool(feedback)`` is ``correct``; it prints (and shows in Jupyter) as its
    message."""

    correct: bool
    message: str
    where: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message

    __repr__ = __str__


def first_difference(yours: Any, expected: Any, rtol: float = 1e-6,
                     atol: float = 1e-9) -> tuple[int, ...] | None:
    """The index (row-major order) of the first entry where ``yours`` and ``expected`` are
    not close (|a − b| > atol + rtol·|b|, NaN never close), or None when all are."""
    yours, expected = np.asarray(yours, dtype=float), np.asarray(expected, dtype=float)
    apart = ~np.isclose(yours, expected, rtol=rtol, atol=atol)
    if not apart.any():
        return None
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(apart)), apart.shape))


def _shape_problem(what: str, value: Any, shape: tuple[int, ...]) -> str | None:
    if value is None or np.shape(value) != shape:
        return f"{what} should have shape {shape}; yours has {np.shape(value)}"
    return None


def _number(value: Any) -> str:
    return f"{float(value):.6g}"


# ----------------------------------------------------------------- the perceptron (S4, S5)

def _perceptron_cases(seed: int) -> list[tuple[np.ndarray, float, np.ndarray, int, float]]:
    """(w, b, x, y, η): a mistake, a correct sample, one exactly on the boundary, more."""
    rng = np.random.default_rng(seed)
    cases = []
    for kind in ("mistake", "correct", "boundary", "mistake", "correct"):
        w, x = rng.normal(size=3), rng.normal(size=3)
        b, eta = float(rng.normal()), float(rng.uniform(0.1, 0.9))
        if kind == "boundary":  # quarters and halves: w·x + b is exactly 0 in floating point
            w, x = rng.integers(-4, 5, 3) / 4, rng.integers(-4, 5, 3) / 2
            b = -float(w @ x)
        z = w @ x + b
        y = int(np.sign(z)) or 1
        if kind in ("mistake", "boundary"):
            y = -y if kind == "mistake" else int(rng.choice([-1, 1]))
        cases.append((w, b, x, y, eta))
    return cases


def _autograd_perceptron_step(w, b, x, y, eta) -> tuple[np.ndarray, float]:
    """The S4 step by autograd: one gradient step on L = −y (w·x + b) if y (w·x + b) ≤ 0."""
    w_t, b_t = ag.Tensor(w, requires_grad=True), ag.Tensor(b, requires_grad=True)
    criterion = -y * (w_t @ ag.Tensor(x) + b_t)
    if criterion.item() < 0:
        return w.copy(), b
    grad_w, grad_b = ag.grad(criterion, [w_t, b_t])
    return w - eta * grad_w.numpy(), b - eta * grad_b.item()


def check_perceptron_step(step_fn: Callable, seed: int = 0) -> Feedback:
    """Check ``step_fn(w, b, x, y, eta) -> (w_new, b_new)``, one visit of the perceptron
    rule (S4) to the sample (x, y): a mistake (y (w·x + b) ≤ 0, the boundary included)
    moves w ← w + η y x and b ← b + η y; a correctly classified sample changes nothing.
    The answers come from autograd differentiating L = −y (w·x + b). Reports the first case
    and parameter entry that differ."""
    for case, (w, b, x, y, eta) in enumerate(_perceptron_cases(seed), start=1):
        w_new, b_new = step_fn(w.copy(), b, x.copy(), y, eta)
        w_true, b_true = _autograd_perceptron_step(w, b, x, y, eta)
        problem = _shape_problem(f"case {case}: w_new", w_new, w.shape)
        if problem:
            return Feedback(False, problem, {"case": case})
        z = float(w @ x + b)
        setting = (f"case {case}: w = {np.round(w, 3).tolist()}, b = {b:.3f}, "
                   f"x = {np.round(x, 3).tolist()}, y = {y:+d}, η = {eta:.2f} "
                   f"(y (w·x + b) = {y * z:.3g}: {'a mistake' if y * z <= 0 else 'correct'})")
        entry = first_difference(w_new, w_true)
        if entry is not None:
            return Feedback(False, f"{setting}\n  w_new[{entry[0]}]: yours "
                            f"{_number(np.asarray(w_new)[entry])}, expected "
                            f"{_number(w_true[entry])}",
                            {"case": case, "parameter": "w", "entry": entry})
        if first_difference(b_new, b_true) is not None:
            return Feedback(False, f"{setting}\n  b_new: yours {_number(b_new)}, expected "
                            f"{_number(b_true)}", {"case": case, "parameter": "b"})
    return Feedback(True, f"correct: all {case} cases (mistakes, a correct sample, a sample "
                          f"on the boundary) update as the perceptron rule does (S4)")


def _unfolded_bound(X, y, w, b) -> float:
    """(R/γ)² with R and γ taken without folding the bias in: the usual slip."""
    gamma = float(np.min(y * (X @ w + b)) / np.linalg.norm(w))
    return (float(np.max(np.linalg.norm(X, axis=1))) / gamma) ** 2


def check_novikoff_bound(bound_fn: Callable, seed: int = 0) -> Feedback:
    """Check ``bound_fn(X, y, w, b) -> float``, Novikoff's bound (R/γ)² on the perceptron's
    updates (S5) for the separator (w, b), with the bias folded in (x̂ = (x, 1),
    ŵ = (w, b), R = max ‖x̂_i‖, γ = min y_i ŵ·x̂_i / ‖ŵ‖), against
    ``nn.data.novikoff_bound`` on three separable data sets. Reports the first that differs,
    and says so when the answer is the bound without the bias folded in."""
    rng = np.random.default_rng(seed)
    for case, (n, gap) in enumerate(((20, 0.5), (40, 0.2), (60, 1.0)), start=1):
        X, y, separator = data.linearly_separable(n, margin=gap, seed=rng,
                                                  return_separator=True)
        shift = rng.normal(0, 2, size=2)  # off the origin, so that the bias matters
        X = X + shift
        b = separator.b - float(separator.w @ shift)  # the same plane, moved with the data
        yours = float(bound_fn(X.copy(), y.copy(), separator.w.copy(), b))
        expected = data.novikoff_bound(X, y, separator.w, b)
        if first_difference(yours, expected) is not None:
            hint = ""
            if first_difference(yours, _unfolded_bound(X, y, separator.w, b)) is None:
                hint = ("\n  that is (R/γ)² without the bias folded in: use x̂ = (x, 1) for R "
                        "and ŵ = (w, b) for γ")
            return Feedback(False, f"data set {case} ({n} points, margin ≥ {gap}): yours "
                            f"{_number(yours)}, expected {_number(expected)}{hint}",
                            {"case": case})
    return Feedback(True, f"correct: your bound equals (R/γ)² on all {case} data sets (S5)")


# ----------------------------------------------------------------- gates and XOR (S1, S6)

def check_truth_table(gate_fn: Callable, gate: str = "XOR") -> Feedback:
    """Check ``gate_fn(X) -> outputs``, a circuit of McCulloch–Pitts units (S1), against
    the truth table of ``gate`` (a name in ``nn.logic.TRUTH_TABLES``, e.g. ``"XOR"``).
    ``X`` holds every input row (0/1 integers, shape (rows, inputs)); the answer is one 0/1
    output per row. Reports the first row that differs."""
    if gate not in TRUTH_TABLES:
        raise ValueError(f"check_truth_table: unknown gate {gate!r}; valid: "
                         f"{', '.join(TRUTH_TABLES)}")
    table = TRUTH_TABLES[gate]
    X = np.array(list(table), dtype=int)
    expected = np.array(list(table.values()))
    outputs = gate_fn(X.copy())
    outputs = np.asarray(outputs.numpy() if isinstance(outputs, ag.Tensor) else outputs)
    problem = _shape_problem("the output", outputs.reshape(-1) if outputs.size == len(X)
                             else outputs, expected.shape)
    if problem:
        return Feedback(False, f"{problem} (one output per row of {gate}'s truth table)")
    for row, (x, got, want) in enumerate(zip(X, outputs.reshape(-1), expected, strict=True)):
        if got != want:
            return Feedback(False, f"input {tuple(x.tolist())}: yours {got}, {gate} gives "
                            f"{want}", {"row": row, "input": tuple(x.tolist())})
    return Feedback(True, f"correct: your circuit computes {gate} on all {len(X)} inputs")


def _column_network(sizes: Sequence[int], activation: str, output_activation: str,
                    rng: np.random.Generator) -> tuple[list, list, list]:
    """The document's lists (W, b, f) of a random network, entry 0 ``None`` (S11)."""
    W, b, f = [None], [None], [None]
    for l in range(1, len(sizes)):
        W.append(rng.normal(0, 1.5 / np.sqrt(sizes[l - 1]), (sizes[l], sizes[l - 1])))
        b.append(rng.normal(0, 0.5, (sizes[l], 1)))
        f.append(output_activation if l == len(sizes) - 1 else activation)
    return W, b, f


def _autograd_half_sum(W, b, f, x, t, wrt_input: bool = False) -> list[np.ndarray]:
    """Autograd's ∂E/∂u_1 … ∂E/∂u_L (or ∂E/∂x) for E = ½ Σ (t − y_L)² (S12), columns as
    samples: u_l = W_l y_{l−1} + b_l, y_l = f_l(u_l), built from library ops."""
    x_t = ag.Tensor(x, requires_grad=True)  # so that every u_l is recorded
    y, u = x_t, []
    for l in range(1, len(W)):
        u.append(ag.Tensor(W[l]) @ y + ag.Tensor(b[l]))
        y = (F.softmax(u[-1], axis=0) if f[l] == "softmax"
             else getattr(F, f[l])(u[-1]))
    E = F.mse_loss(y, t, reduction="half_sum")
    return [g.numpy() for g in ag.grad(E, [x_t] if wrt_input else u)]


# ----------------------------------------------------------------- fan-out and δ (S13–S15)

def check_input_gradient(gradient_fn: Callable, seed: int = 0) -> Feedback:
    """Check ``gradient_fn(W1, b1, W2, b2, x, t) -> ∂E/∂x`` for the 2-2-1 sigmoid network
    y₁ = σ(W1 x + b1), y₂ = σ(W2 y₁ + b2), E = ½ (y₂ − t)² (S11, S12), one sample:
    x (2,), t a number, W1 (2, 2), b1 (2,), W2 (1, 2), b2 (1,). Each input feeds *both*
    hidden units (a fan-out), so its gradient is the sum of two paths — S15 carried one
    layer further, ∂E/∂x = W1ᵀ δ₁. Answers from autograd on five random cases; reports the
    first case and entry that differ."""
    rng = np.random.default_rng(seed)
    for case in range(1, 6):
        W, b, f = _column_network((2, 2, 1), "sigmoid", "sigmoid", rng)
        x, t = rng.normal(size=(2, 1)), rng.uniform(size=(1, 1))
        expected = _autograd_half_sum(W, b, f, x, t, wrt_input=True)[0][:, 0]
        yours = gradient_fn(W[1].copy(), b[1][:, 0].copy(), W[2].copy(), b[2][:, 0].copy(),
                            x[:, 0].copy(), float(t[0, 0]))
        yours = np.asarray(yours, dtype=float).reshape(-1) if np.size(yours) == 2 else yours
        problem = _shape_problem(f"case {case}: ∂E/∂x", yours, (2,))
        if problem:
            return Feedback(False, problem, {"case": case})
        entry = first_difference(yours, expected)
        if entry is not None:
            delta_1 = _autograd_half_sum(W, b, f, x, t)[0][:, 0]
            paths = delta_1 * W[1][:, entry[0]]   # δ₁^(j) W1[j, i], one per hidden unit j
            hint = ("\n  that is one path only: x_i reaches E through both hidden units, "
                    "so add them, ∂E/∂x_i = Σ_j δ₁^(j) W1[j, i]"
                    if np.isclose(yours[entry], paths).any() else "")
            return Feedback(False, f"case {case}, x = {np.round(x[:, 0], 3).tolist()}, "
                            f"t = {t[0, 0]:.3f}: ∂E/∂x[{entry[0]}] yours "
                            f"{_number(yours[entry])}, autograd's {_number(expected[entry])}"
                            f"{hint}", {"case": case, "entry": entry})
    return Feedback(True, "correct: your ∂E/∂x equals autograd's on all 5 cases — both "
                          "paths of each fan-out added")


def _layer_name(l: int, L: int) -> str:
    return f"layer {l} of {L} ({'the output layer' if l == L else 'a hidden layer'})"


def check_deltas(deltas_fn: Callable, sizes: Sequence[int] = (3, 3, 3),
                 activation: str = "sigmoid", output_activation: str = "sigmoid",
                 batch: int = 4, seed: int = 0) -> Feedback:
    """Check ``deltas_fn(W, f, u, y, t) -> delta``, the sensitivities δ_l = ∂E/∂u_l (S13)
    of every layer for E = ½ Σ (t − y_L)² (S12), against autograd's.

    The arguments are those of ``nn.backprop.deltas``: the document's lists indexed by
    layer (entry 0 ``None``, layer 0 the input), arrays shaped (units, batch) with samples
    as columns; ``delta[l]`` must be shaped like ``u[l]`` (``delta[0]`` is ignored). The
    network has layer sizes ``sizes``, hidden activation ``activation`` and output
    activation ``output_activation`` (names as ``nn.backprop`` knows them), random
    weights from ``seed``.

    Layers are checked in the order backpropagation computes them — the output layer
    first (S14), then each hidden layer (S15) — and the first δ entry (unit j, sample s)
    that differs is reported, since every layer before it inherits the error."""
    if len(sizes) < 2:
        raise ValueError(f"check_deltas: sizes needs at least an input and an output layer; "
                         f"got {tuple(sizes)}")
    rng = np.random.default_rng(seed)
    W, b, f = _column_network(sizes, activation, output_activation, rng)
    x, t = rng.normal(size=(sizes[0], batch)), rng.uniform(size=(sizes[-1], batch))
    u, y = bp.forward(W, b, f, x)
    expected = [None, *_autograd_half_sum(W, b, f, x, t)]
    yours = deltas_fn([w if w is None else w.copy() for w in W], list(f),
                      [a if a is None else a.copy() for a in u], [a.copy() for a in y], t.copy())
    L = len(W) - 1
    if not isinstance(yours, list | tuple) or len(yours) != L + 1:
        return Feedback(False, f"deltas_fn should return a list of {L + 1} entries (index = "
                        f"layer, entry 0 for the input); yours returned {yours!r:.60}")
    for l in range(L, 0, -1):
        problem = _shape_problem(f"δ_{l} ({_layer_name(l, L)})", yours[l], u[l].shape)
        if problem:
            return Feedback(False, f"{problem}: (units, batch)", {"layer": l})
        entry = first_difference(yours[l], expected[l])
        if entry is not None:
            rule = ("S14: δ_L = (y_L − t) ∘ f'(u_L)" if l == L
                    else "S15: δ_l = (W_{l+1}ᵀ δ_{l+1}) ∘ f'(u_l)")
            j, s = entry
            return Feedback(False, f"δ_{l} differs first, at {_layer_name(l, L)}, unit "
                            f"j = {j}, sample s = {s}: yours {_number(yours[l][entry])}, "
                            f"autograd's {_number(expected[l][entry])} (f = {f[l]!r}; {rule})",
                            {"layer": l, "entry": entry})
    shape = "-".join(map(str, sizes))
    return Feedback(True, f"correct: your δ equals autograd's ∂E/∂u in all {L} layers of the "
                          f"{shape} network ({activation} hidden, {output_activation} output)")
