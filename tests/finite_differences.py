"""An independent check of forward values and gradients: NumPy reference functions and
central finite differences in float64 (not ``ag.gradcheck``, which has tests of its own),
a softmax written out in NumPy, and the gradient at chosen points (for the documented
values at a kink).

For an op y = f(x₁, …, xₙ) and a fixed random cotangent w of y's shape, reverse mode gives
∂L/∂xₖ for L = Σ w ∘ y; the central difference of L along entry i of xₖ is
(Σ w ∘ (f(xₖ + εeᵢ) − f(xₖ − εeᵢ))) / 2ε, exact up to O(ε²) + rounding."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def check_second_order(fn: Callable, *arrays: np.ndarray, rtol: float = 1e-5,
                       atol: float = 1e-6, eps: float = 1e-5) -> None:
    """Assert that the gradient of ``fn``, recorded with ``create_graph=True``, has the
    right derivative: the Hessian-vector product ∂(∇L · v)/∂x, for L = Σ w ∘ fn(x) and a
    fixed direction v, equals the central difference (∇L(x + εv) − ∇L(x − εv)) / 2ε."""
    arrays_list = [np.array(a, dtype=np.float64) for a in arrays]
    rng = np.random.default_rng(11)
    directions = [rng.uniform(-1.0, 1.0, a.shape) for a in arrays_list]

    def gradients(values, create_graph=False):
        tensors = [ag.Tensor(a, requires_grad=True) for a in values]
        out = fn(*tensors)
        loss = (out * cotangent(out.shape)).sum()
        return tensors, ag.grad(loss, tensors, create_graph=create_graph)

    tensors, first = gradients(arrays_list, create_graph=True)
    along = sum((g * v).sum() for g, v in zip(first, directions, strict=True))
    analytic = ag.grad(along, tensors, allow_unused=True)
    ahead = gradients([a + eps * v for a, v in zip(arrays_list, directions, strict=True)])[1]
    behind = gradients([a - eps * v for a, v in zip(arrays_list, directions, strict=True)])[1]
    for k, (h, plus, minus) in enumerate(zip(analytic, ahead, behind, strict=True)):
        numeric = (plus.data - minus.data) / (2 * eps)
        got = np.zeros_like(numeric) if h is None else h.data
        np.testing.assert_allclose(got, numeric, rtol=rtol, atol=atol,
                                   err_msg=f"Hessian-vector product of input {k}")


def numpy_softmax(a: np.ndarray, axis: int) -> np.ndarray:
    """softmax(a)ᵢ = e^(aᵢ − max a) / Σⱼ e^(aⱼ − max a) along ``axis``, in NumPy (S10)."""
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def grad_of(fn, values):
    """∂(Σ fn(t))/∂t at t = ``values``, by reverse mode."""
    t = ag.Tensor(values, requires_grad=True)
    fn(t).sum().backward()
    return t.grad.data


def smooth_function_tests(table: dict[str, tuple[Callable, Callable, st.SearchStrategy]]
                          ) -> tuple[Callable, Callable]:
    """The two property tests of an op module's smooth functions, ``table``: name → (our
    function, its NumPy reference, a strategy for the input). Values and gradients against
    the reference and central differences (``check_op``); second derivatives
    (``check_second_order``). A test module binds them to its own ``test_`` names."""

    @pytest.mark.parametrize("name", table)
    @given(data=st.data())
    def values_and_gradients(name, data):
        fn, reference, strategy = table[name]
        check_op(fn, data.draw(strategy), ref=reference)

    @pytest.mark.parametrize("name", table)
    @given(data=st.data())
    def second_derivatives(name, data):
        fn, _, strategy = table[name]
        check_second_order(fn, data.draw(strategy), rtol=1e-4, atol=1e-5)

    return values_and_gradients, second_derivatives
