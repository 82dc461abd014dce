"""The element-wise functions PyTorch users expect — sin, cos, log2, log10, exp2, rsqrt,
square, reciprocal, pow — and the activations leaky_relu, elu, gelu, silu, softplus,
logsigmoid, hardtanh: values against NumPy written out independently, gradients against
central differences, second derivatives (Hessian-vector products) where the function is
smooth; then the piecewise-constant ones (floor, ceil, round, //) and %."""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from finite_differences import check_op, check_second_order
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import arrays, broadcast_pairs, nonzero_arrays, positive_arrays, shapes

import autograd as ag
from nn import functional as F

erf = np.vectorize(math.erf)


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


SMOOTH = {
    # name: (our function, NumPy reference, strategy for the input)
    "sin": (lambda t: t.sin(), np.sin, arrays(shapes(), -3.0, 3.0)),
    "cos": (lambda t: ag.cos(t), np.cos, arrays(shapes(), -3.0, 3.0)),
    "log2": (lambda t: t.log2(), np.log2, positive_arrays(shapes())),
    "log10": (lambda t: ag.log10(t), np.log10, positive_arrays(shapes())),
    "exp2": (lambda t: t.exp2(), np.exp2, arrays(shapes())),
    "rsqrt": (lambda t: ag.rsqrt(t), lambda x: 1 / np.sqrt(x), positive_arrays(shapes())),
    "square": (lambda t: t.square(), lambda x: x * x, arrays(shapes())),
    "reciprocal": (lambda t: t.reciprocal(), lambda x: 1 / x, nonzero_arrays(shapes(), 0.5)),
    "pow": (lambda t: t.pow(3), lambda x: x ** 3, arrays(shapes())),
    "elu": (lambda t: F.elu(t, alpha=0.7),
            lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1)), nonzero_arrays(shapes())),
    "gelu": (F.gelu, lambda x: x * 0.5 * (1 + erf(x / np.sqrt(2))), arrays(shapes(), -3, 3)),
    "silu": (F.silu, lambda x: x * np_sigmoid(x), arrays(shapes(), -4.0, 4.0)),
    "softplus": (lambda t: F.softplus(t, beta=2.0),
                 lambda x: np.log1p(np.exp(2 * x)) / 2, arrays(shapes(), -4.0, 4.0)),
    "logsigmoid": (F.logsigmoid, lambda x: np.log(np_sigmoid(x)), arrays(shapes(), -5, 5)),
}


@pytest.mark.parametrize("name", SMOOTH)
@given(data=st.data())
def test_smooth_function_values_and_gradients(name, data):
    fn, reference, strategy = SMOOTH[name]
    check_op(fn, data.draw(strategy), ref=reference)


@pytest.mark.parametrize("name", SMOOTH)
@given(data=st.data())
def test_smooth_function_second_derivatives(name, data):
    fn, _, strategy = SMOOTH[name]
    check_second_order(fn, data.draw(strategy), rtol=1e-4, atol=1e-5)


PIECEWISE_LINEAR = {
    "leaky_relu": (lambda t: F.leaky_relu(t, 0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    "hardtanh": (lambda t: F.hardtanh(t, -0.5, 1.5), lambda x: np.clip(x, -0.5, 1.5)),
}


@pytest.mark.parametrize("name", PIECEWISE_LINEAR)
@given(x=arrays(shapes(), -3.0, 3.0).filter(
    lambda x: np.all(np.abs(x) > 0.01) and np.all(np.abs(x + 0.5) > 0.01)
    and np.all(np.abs(x - 1.5) > 0.01)))
def test_piecewise_linear_activations_away_from_their_kinks(name, x):
    fn, reference = PIECEWISE_LINEAR[name]
    check_op(fn, x, ref=reference)


def test_activation_derivatives_at_the_kinks_are_pytorchs():
    """leaky_relu'(0) = slope, hardtanh' = 0 at the bounds, elu'(0) = α: PyTorch's
    choices (torch's own outputs compared in test_activations_match_pytorch)."""
    x = ag.Tensor([-1.0, 0.0, 1.0], requires_grad=True)
    F.leaky_relu(x, 0.1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.1, 0.1, 1.0])
    x.grad = None
    F.hardtanh(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])
    x.grad = None
    F.elu(x, alpha=2.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, [2 * np.exp(-1), 2.0, 1.0])


def test_activations_are_finite_for_huge_inputs():
    x = ag.Tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is fine
        for fn in (F.softplus, F.logsigmoid, F.silu, F.elu, F.gelu):
            y = fn(x)
            y.sum().backward()
            assert np.all(np.isfinite(y.data)) and np.all(np.isfinite(x.grad.data)), fn
            x.grad = None
    np.testing.assert_allclose(F.softplus(x).data, [0.0, np.log(2), 1000.0])
    np.testing.assert_allclose(F.logsigmoid(x).data, [-1000.0, -np.log(2), 0.0])


def test_activations_match_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    tf = torch.nn.functional
    x = np.array([-30.0, -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.2, 15.0, 25.0])
    pairs = [
        (lambda t: F.leaky_relu(t, 0.2), lambda t: tf.leaky_relu(t, 0.2)),
        (lambda t: F.elu(t, 1.5), lambda t: tf.elu(t, 1.5)),
        (F.gelu, tf.gelu), (F.silu, tf.silu), (F.logsigmoid, tf.logsigmoid),
        (lambda t: F.softplus(t, 0.5, 10.0), lambda t: tf.softplus(t, 0.5, 10.0)),
        (lambda t: F.hardtanh(t, -2.0, 1.0), lambda t: tf.hardtanh(t, -2.0, 1.0)),
    ]
    for ours, theirs in pairs:
        a = ag.Tensor(x, requires_grad=True)
        b = torch.tensor(x, requires_grad=True)
        ya, yb = ours(a), theirs(b)
        np.testing.assert_allclose(ya.data, yb.detach().numpy(), rtol=1e-12, atol=1e-15)
        ya.sum().backward()
        yb.sum().backward()
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["elu", "gelu", "silu", "softplus", "logsigmoid",
                                  "leaky_relu", "hardtanh"])
def test_activation_keeps_float32(name):
    x = ag.Tensor(np.array([-1.0, 0.5], dtype=np.float32), requires_grad=True)
    y = getattr(F, name)(x)
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


# ---------------------------------------------------------- piecewise constant, and %
@pytest.mark.parametrize("fn, reference", [
    (lambda t: t.floor(), np.floor), (lambda t: ag.ceil(t), np.ceil),
    (lambda t: t.round(), np.round), (lambda t: ag.round(t, 1), lambda x: np.round(x, 1)),
    (lambda t: t // 0.75, lambda x: x // 0.75),
])
@given(x=arrays(shapes(), -3.0, 3.0))
def test_step_functions_have_zero_gradient(fn, reference, x):
    t = ag.Tensor(x, requires_grad=True)
    y = fn(t)
    np.testing.assert_array_equal(y.data, reference(x))
    y.backward(np.ones(y.shape))
    np.testing.assert_array_equal(t.grad.data, np.zeros(x.shape))  # zeros, not None


@given(data=st.data(), pair=broadcast_pairs())
def test_mod_against_numpy_and_finite_differences(data, pair):
    """a mod b = a − b⌊a/b⌋ (the sign of b, as Python); away from its jumps."""
    a = data.draw(arrays(pair[0], -3.0, 3.0))
    b = data.draw(nonzero_arrays(pair[1], 0.3, 2.0))
    ratio = np.divide(*np.broadcast_arrays(a, b))
    assume(np.all(np.abs(ratio - np.round(ratio)) > 1e-3))
    check_op(operator.mod, a, b, ref=np.remainder)


def test_floor_divide_and_mod_of_python_numbers_and_reflected():
    t = ag.Tensor([7.0, -7.0])
    np.testing.assert_array_equal((t // 2).data, [3.0, -4.0])
    np.testing.assert_array_equal((t % 3).data, [1.0, 2.0])
    np.testing.assert_array_equal((10.0 % ag.Tensor([3.0, -3.0])).data, [1.0, -2.0])
    np.testing.assert_array_equal((10.0 // ag.Tensor([3.0])).data, [3.0])


@pytest.mark.parametrize("ufunc, method", [
    (np.sin, "sin"), (np.cos, "cos"), (np.log2, "log2"), (np.exp2, "exp2"),
    (np.floor, "floor"), (np.square, "square"), (np.reciprocal, "reciprocal"),
])
def test_numpy_ufuncs_on_tensors_record_our_ops(ufunc, method):
    t = ag.Tensor([0.5, 1.5], requires_grad=True)
    out = ufunc(t)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, getattr(t, method)().data)


@pytest.mark.parametrize("name, formula_part", [
    ("sin", "cos a"), ("log2", "ln 2"), ("rsqrt", "y³"), ("floor", "0"),
    ("gelu", "Φ(a)"), ("silu", "S9"), ("leaky_relu", "slope"), ("cumsum", "reversed"),
    ("logsumexp", "softmax"), ("prod", "Πⱼ≠ᵢ"), ("norm", "‖a‖"),
    ("take_along_axis", "scattered"),
])
def test_each_new_op_states_its_formula(name, formula_part):
    node_classes = {cls.name: cls for cls in _all_functions()}
    assert formula_part in node_classes[name].formula


def _all_functions():
    seen, stack = [], [ag.Function]
    while stack:
        cls = stack.pop()
        seen.append(cls)
        stack.extend(cls.__subclasses__())
    return seen


def test_new_ops_appear_in_explain_and_draw_with_their_formulas():
    x = ag.Tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True, name="x")
    parts = [F.gelu(x).cumsum(1).logsumexp(axis=1), x.sin().prod(axis=1),
             x.gather(1, np.array([[1], [0]])).squeeze(1), x.norm(axis=1),
             F.softplus(x).std(axis=1), (x % 0.7).sum(axis=1), x.rsqrt().mean(axis=1) * 0]
    y = sum(parts[1:], parts[0]).sum()
    ag.retain_grads(y)
    y.backward()
    rows = ag.explain(y).rows()  # str() wraps long cells over lines: read the rows
    source = ag.draw(y, show_formula=True).source
    nodes = {cls.name: cls for cls in _all_functions()}
    for name in ("gelu", "cumsum", "logsumexp", "sin", "prod", "take_along_axis", "norm",
                 "softplus", "mod", "rsqrt"):
        assert [name, nodes[name].formula] in [row[1:3] for row in rows], name
        assert name in source, name


@pytest.mark.parametrize("fn", [
    lambda t: t.sin(), lambda t: t.cos(), lambda t: t.log2(), lambda t: t.log10(),
    lambda t: t.exp2(), lambda t: t.rsqrt(), lambda t: t.square(), lambda t: t.reciprocal(),
    lambda t: t.floor(), lambda t: t % 0.3, lambda t: t // 0.3, lambda t: t.std(),
    lambda t: t.prod(), lambda t: t.logsumexp(), lambda t: t.norm(), lambda t: t.norm(3),
    lambda t: t.cumsum(0), lambda t: t.gather(0, np.array([1, 1])), lambda t: t.expand(2, 2),
], ids=lambda fn: "")
def test_new_ops_keep_float32(fn):
    x = ag.Tensor(np.array([0.5, 1.5], dtype=np.float32), requires_grad=True)
    y = fn(x)
    y.backward(np.ones(y.shape, dtype=np.float32))
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
