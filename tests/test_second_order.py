"""Higher-order gradients: with ``create_graph=True`` the gradient is itself differentiable.

Hessian-vector products H·v = ∂(∇f · v)/∂x are compared with central differences of the
first gradient along v, D(ε) = (∇f(x + εv) − ∇f(x − εv)) / 2ε, extrapolated to ε → 0 as
(4 D(ε/2) − D(ε)) / 3 (Richardson): its error shrinks as ε⁴, so an expression that grows
fast (exp of a cube) is still measured to the tolerance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays

import autograd as ag

EPS = 1e-5
W = np.array([[0.5, -0.3, 0.8], [0.1, 0.7, -0.6], [-0.9, 0.2, 0.4]])
M = np.array([[1.2, -0.4], [0.3, 0.9]])

# Shape-preserving steps on a (2, 3) tensor; a generated expression chains a few of them.
STEPS = {
    "tanh": lambda t: t.tanh(),
    "sigmoid": lambda t: ag.sigmoid(t),
    "exp": lambda t: (t * 0.5).exp(),
    "square": lambda t: t * t,
    "div": lambda t: t / (1.0 + t * t),
    "pow": lambda t: (1.0 + t * t) ** 1.5,
    "log": lambda t: (1.0 + t * t).log(),
    "sqrt": lambda t: (1.0 + t * t).sqrt(),
    "matmul": lambda t: t @ W,
    "transpose_matmul": lambda t: (t.T @ M).T,
    "centre": lambda t: t - t.mean(axis=0, keepdims=True),
    "var": lambda t: t * t.var(axis=1, keepdims=True),
    "gather": lambda t: t[:, [2, 0, 0]] + t,
    "concat": lambda t: ag.concatenate([t[:, :1] * t[:, 1:2], t[:, 1:]], axis=1),
    "stack": lambda t: ag.stack([t[0] * t[1], t[1]], axis=0),
    "reshape": lambda t: t.reshape(3, 2).T.reshape((2, 3)).sigmoid(),
    "broadcast": lambda t: t * t.sum(axis=0) + t.mean(axis=1, keepdims=True),
}
WEIGHTS = np.array([[0.3, -1.1, 0.7], [1.4, 0.2, -0.5]])


def expression(steps, x, y):
    t = x * y + x
    for name in steps:
        t = STEPS[name](t)
    return (t * WEIGHTS).sum()


def gradient(steps, x, y):
    """∇f at (x, y) as arrays, by one ordinary backward pass."""
    tx, ty = ag.Tensor(x, requires_grad=True), ag.Tensor(y, requires_grad=True)
    return [g.data for g in ag.grad(expression(steps, tx, ty), [tx, ty])]


def hessian_times(steps, x, y, vx, vy):
    """H·v from gradients alone: central differences along v, Richardson-extrapolated."""
    def central(eps):
        plus = gradient(steps, x + eps * vx, y + eps * vy)
        minus = gradient(steps, x - eps * vx, y - eps * vy)
        return [(p - m) / (2 * eps) for p, m in zip(plus, minus, strict=True)]
    return [(4 * fine - coarse) / 3 for fine, coarse in zip(central(EPS / 2), central(EPS),
                                                              strict=True)]


@given(steps=st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=4),
       x=arrays((2, 3), -1.0, 1.0), y=arrays((2, 3), -1.0, 1.0),
       vx=arrays((2, 3), -1.0, 1.0), vy=arrays((2, 3), -1.0, 1.0))
def test_hessian_vector_product_of_generated_expressions(steps, x, y, vx, vy):
    tx, ty = ag.Tensor(x, requires_grad=True), ag.Tensor(y, requires_grad=True)
    gx, gy = ag.grad(expression(steps, tx, ty), [tx, ty], create_graph=True)
    assert gx.requires_grad and gy.requires_grad
    hx, hy = ag.grad((gx * vx).sum() + (gy * vy).sum(), [tx, ty], allow_unused=True)
    for h, expected in zip((hx, hy), hessian_times(steps, x, y, vx, vy), strict=True):
        analytic = np.zeros_like(expected) if h is None else h.data
        np.testing.assert_allclose(analytic, expected, rtol=1e-4, atol=1e-5)


def mlp_loss(params, x, target):
    w1, b1, w2, b2 = params
    out = (x @ w1 + b1).tanh() @ w2 + b2
    return ((out - target) ** 2).sum() * 0.5


def test_hessian_vector_product_of_an_mlp_loss():
    rng = np.random.default_rng(3)
    shapes = [(4, 5), (5,), (5, 2), (2,)]
    values = [rng.normal(0, 0.7, s) for s in shapes]
    v = [rng.normal(0, 1, s) for s in shapes]
    x, target = rng.normal(size=(6, 4)), rng.normal(size=(6, 2))

    def first_gradient(arrays_):
        params = [ag.Tensor(a, requires_grad=True) for a in arrays_]
        return [g.data for g in ag.grad(mlp_loss(params, x, target), params)]

    params = [ag.Tensor(a, requires_grad=True) for a in values]
    grads = ag.grad(mlp_loss(params, x, target), params, create_graph=True)
    hv = ag.grad(sum((g * vi).sum() for g, vi in zip(grads, v, strict=True)), params)
    plus = first_gradient([a + EPS * vi for a, vi in zip(values, v, strict=True)])
    minus = first_gradient([a - EPS * vi for a, vi in zip(values, v, strict=True)])
    for h, p, m in zip(hv, plus, minus, strict=True):
        np.testing.assert_allclose(h.data, (p - m) / (2 * EPS), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(("fn", "second"), [
    (ag.tanh, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),          # S10 differentiated
    (ag.sigmoid, lambda x: (s := 1 / (1 + np.exp(-x))) * (1 - s) * (1 - 2 * s)),  # S9
    (ag.exp, np.exp),
    (ag.log, lambda x: -1 / x ** 2),
    (ag.sqrt, lambda x: -0.25 * x ** -1.5),
    (lambda t: 1.0 / t, lambda x: 2 / x ** 3),
    (lambda t: t ** 2.5, lambda x: 2.5 * 1.5 * x ** 0.5),
])
def test_second_derivative_formulas(fn, second):
    x = ag.Tensor(np.array([0.3, 0.9, 1.7]), requires_grad=True)
    (g,) = ag.grad(fn(x).sum(), x, create_graph=True)
    (h,) = ag.grad(g.sum(), x)
    np.testing.assert_allclose(h.data, second(x.data), rtol=1e-10)


def test_third_derivative_of_a_cube():
    x = ag.Tensor(np.array([-1.0, 0.5, 2.0]), requires_grad=True)
    (g1,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    (g2,) = ag.grad(g1.sum(), x, create_graph=True)
    (g3,) = ag.grad(g2.sum(), x)
    np.testing.assert_allclose(g1.data, 3 * x.data ** 2)
    np.testing.assert_allclose(g2.data, 6 * x.data)
    np.testing.assert_allclose(g3.data, [6.0, 6.0, 6.0])


def test_double_backward_through_dot_grad():
    x = ag.Tensor(np.array([0.5, -1.0]), requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    first = x.grad
    x.grad = None
    first.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * x.data)


@pytest.mark.parametrize(("fn", "slope"), [
    (ag.relu, lambda x: (x > 0) * 1.0),
    (abs, np.sign),
    (lambda t: t.clip(-0.5, 1.0), lambda x: ((x >= -0.5) & (x <= 1.0)) * 1.0),
])
def test_piecewise_linear_ops_have_zero_second_derivative(fn, slope):
    """f = p(x)·x with p piecewise linear: f' = p'(x)·x + p(x), f'' = 2p'(x) as p'' = 0."""
    x = ag.Tensor(np.array([-1.0, -0.2, 0.5, 2.0]), requires_grad=True)
    (g,) = ag.grad((fn(x) * x).sum(), x, create_graph=True)
    (h,) = ag.grad(g.sum(), x)
    np.testing.assert_array_equal(h.data, 2 * slope(x.data))
