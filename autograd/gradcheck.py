"""Finite-difference checking of analytic gradients."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from autograd.engine import grad as autograd_grad
from autograd.tensor import Tensor


class GradcheckError(RuntimeError):
    """An analytic gradient disagrees with its central-difference estimate."""


def numerical_jacobian(fn: Callable, inputs: Sequence[Tensor], index: int,
                       eps: float) -> np.ndarray:
    """J[k, i] ≈ (f(x + εeᵢ)_k − f(x − εeᵢ)_k) / 2ε for input ``index``, in float64.
    Each entry is put back after its two calls, also when ``fn`` raises."""
    x = inputs[index].data
    columns = []
    for i in np.ndindex(x.shape):
        original = x[i]
        try:  # fn may raise at a perturbed point: the input is restored all the same
            x[i] = original + eps
            plus = np.array(fn(*inputs).data, dtype=np.float64)
            x[i] = original - eps
            minus = np.array(fn(*inputs).data, dtype=np.float64)
        finally:
            x[i] = original
        columns.append(((plus - minus) / (2 * eps)).ravel())
    size = np.asarray(fn(*inputs).data).size
    return np.stack(columns, axis=1) if columns else np.zeros((size, 0))


def analytic_jacobian(output: Tensor, inputs: Sequence[Tensor]) -> list[np.ndarray]:
    """Row k of each input's Jacobian is the gradient of output entry k (one backward per
    entry, the graph retained between them)."""
    rows: list[list[np.ndarray]] = [[] for _ in inputs]
    for k in range(output.size):
        seed = np.zeros(output.size, dtype=output.dtype)
        seed[k] = 1
        grads = autograd_grad(output, list(inputs), seed.reshape(output.shape),
                              retain_graph=True, allow_unused=True)
        for rows_of_input, g, x in zip(rows, grads, inputs):
            rows_of_input.append(np.zeros(x.size) if g is None else g.data.ravel())
    return [np.stack(r) if r else np.zeros((0, x.size)) for r, x in zip(rows, inputs)]


def gradcheck(fn: Callable, inputs: Sequence[Tensor] | Tensor, eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Compare ``fn``'s analytic gradients with central differences.

    ``fn(*inputs)`` may return any shape. Inputs that require grad must be float64.
    Returns True, or raises ``GradcheckError`` naming the input, the element index, and
    the analytic and numeric values of the first entry where
    |analytic − numeric| > atol + rtol·|numeric|."""
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input requires grad")
    for i in checked:
        if inputs[i].dtype != np.float64:
            raise TypeError(f"gradcheck: input {i} is {inputs[i].dtype}; use float64 inputs")
    output = fn(*inputs)
    if not isinstance(output, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(output).__name__}")
    if not output.requires_grad:
        raise GradcheckError("gradcheck: the output does not depend on any input")
    analytic = analytic_jacobian(output, [inputs[i] for i in checked])
    for i, a in zip(checked, analytic):
        numeric = numerical_jacobian(fn, inputs, i, eps)
        bad = np.abs(a - numeric) > atol + rtol * np.abs(numeric)
        if bad.any():
            k, j = np.argwhere(bad)[0]
            element = np.unravel_index(j, inputs[i].shape)
            raise GradcheckError(
                f"gradcheck: input {i}, element {tuple(int(e) for e in element)}, output "
                f"element {int(k)}: analytic gradient {float(a[k, j])!r} but numeric "
                f"{float(numeric[k, j])!r}"
            )
    return True
