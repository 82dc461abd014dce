"""An independent check of forward values and gradients: NumPy reference functions and
central finite differences in float64 (not ``ag.gradcheck``, which has tests of its own).

For an op y = f(x₁, …, xₙ) and a fixed random cotangent w of y's shape, reverse mode gives
∂L/∂xₖ for L = Σ w ∘ y; the central difference of L along entry i of xₖ is
(Σ w ∘ (f(xₖ + εeᵢ) − f(xₖ − εeᵢ))) / 2ε, exact up to O(ε²) + rounding."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import autograd as ag

EPS = 1e-6


def central_difference(ref: Callable, arrays: list[np.ndarray], k: int, w: np.ndarray,
                       eps: float = EPS) -> np.ndarray:
    """∂(Σ w ∘ ref(*arrays))/∂arrays[k] by central differences, evaluated with NumPy."""
    x = arrays[k]
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        shifted = []
        for step in (eps, -eps):
            moved = list(arrays)
            moved[k] = x.copy()
            moved[k][i] += step
            shifted.append(np.asarray(ref(*moved), dtype=np.float64))
        grad[i] = np.sum((shifted[0] - shifted[1]) * w) / (2 * eps)
    return grad


def cotangent(shape: tuple[int, ...]) -> np.ndarray:
    """A fixed pseudo-random weight per output entry, so every entry's gradient counts."""
    return np.random.default_rng(sum(shape) + 7 * len(shape)).uniform(-1.5, 1.5, shape)


def check_op(fn: Callable, *arrays: np.ndarray, ref: Callable | None = None,
             rtol: float = 1e-5, atol: float = 1e-6) -> ag.Tensor:
    """Assert ``fn`` on Tensors equals ``ref`` (default: ``fn`` itself) on ndarrays, and that
    reverse-mode gradients with respect to every input equal central differences of ``ref``.
    Returns the output tensor."""
    ref = fn if ref is None else ref
    arrays_list = [np.array(a, dtype=np.float64) for a in arrays]
    tensors = [ag.Tensor(a, requires_grad=True) for a in arrays_list]
    out = fn(*tensors)
    expected = np.asarray(ref(*arrays_list))
    assert isinstance(out, ag.Tensor)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)
    w = cotangent(out.shape)
    out.backward(w)
    for k, t in enumerate(tensors):
        numeric = central_difference(ref, arrays_list, k, w)
        analytic = np.zeros_like(numeric) if t.grad is None else t.grad.data
        assert t.grad is None or t.grad.shape == t.shape
        np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {k}")
    return out
