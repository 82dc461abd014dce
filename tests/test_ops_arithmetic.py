"""Element-wise ops: forward equals NumPy, gradients equal central differences, over
0-d, size-1 and broadcast shapes; operand types; the documented non-differentiable points."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import arrays, broadcast_pairs, nonzero_arrays, positive_arrays, shapes

import autograd as ag


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ------------------------------------------------------------------ binary, broadcast
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul])
@given(data=st.data(), pair=broadcast_pairs())
def test_add_sub_mul_broadcast(op, data, pair):
    a = data.draw(arrays(pair[0]))
    b = data.draw(arrays(pair[1]))
    check_op(op, a, b)


@given(data=st.data(), pair=broadcast_pairs())
def test_div_broadcast(data, pair):
    a = data.draw(arrays(pair[0]))
    b = data.draw(nonzero_arrays(pair[1], lo=0.5))
    check_op(operator.truediv, a, b)


@given(data=st.data(), pair=broadcast_pairs())
def test_pow_tensor_exponent(data, pair):
    a = data.draw(positive_arrays(pair[0], lo=0.5, hi=2.0))
    b = data.draw(arrays(pair[1], -2.0, 2.0))
    check_op(operator.pow, a, b)


@pytest.mark.parametrize("exponent", [2, 3, -1, 0.5, 1.5])
@given(x=positive_arrays(shapes()))
def test_pow_constant_exponent(exponent, x):
    check_op(lambda a: a ** exponent, x)


@given(x=nonzero_arrays(shapes()))
def test_pow_integer_exponent_of_negative_base(x):
    check_op(lambda a: a ** 3, x)


@given(x=arrays(shapes(), -1.0, 1.0))
def test_constant_base_to_tensor_power(x):
    check_op(lambda a: 2.5 ** a, x)


# ------------------------------------------------------------------ unary
UNARY = [
    ("neg", operator.neg, None, arrays),
    ("abs", abs, None, nonzero_arrays),
    ("exp", ag.exp, np.exp, arrays),
    ("log", ag.log, np.log, positive_arrays),
    ("sqrt", ag.sqrt, np.sqrt, positive_arrays),
    ("tanh", ag.tanh, np.tanh, arrays),
    ("sigmoid", ag.sigmoid, np_sigmoid, arrays),
    ("relu", ag.relu, lambda x: np.maximum(x, 0), nonzero_arrays),
]


@pytest.mark.parametrize(("name", "fn", "ref", "domain"), UNARY, ids=[u[0] for u in UNARY])
@given(data=st.data(), shape=shapes())
def test_unary_function(name, fn, ref, domain, data, shape):
    check_op(fn, data.draw(domain(shape)), ref=ref)


@pytest.mark.parametrize("name", ["abs", "exp", "log", "sqrt", "tanh", "sigmoid", "relu"])
@given(x=positive_arrays(shapes()))
def test_method_equals_function(name, x):
    t = ag.Tensor(x)
    method = getattr(t, name)()
    function = abs(t) if name == "abs" else getattr(ag, name)(t)
    np.testing.assert_array_equal(method.data, function.data)


def test_sigmoid_saturates_without_overflow():
    with np.errstate(over="raise"):
        y = ag.sigmoid(ag.Tensor([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(y.data, [0.0, 0.5, 1.0])


@given(x=arrays(shapes(), -3.0, 3.0).filter(
    lambda a: np.all(np.abs(np.abs(a) - 1.0) > 1e-3)))
def test_clip_inside_and_outside(x):
    check_op(lambda a: a.clip(-1.0, 1.0), x)


@given(x=arrays(shapes(), -3.0, 3.0).filter(lambda a: np.all(np.abs(a - 0.5) > 1e-3)))
def test_clip_one_sided(x):
    check_op(lambda a: a.clip(None, 0.5), x, ref=lambda a: np.clip(a, None, 0.5))
    check_op(lambda a: a.clip(0.5, None), x, ref=lambda a: np.clip(a, 0.5, None))


@pytest.mark.parametrize(("fn", "ref"), [(ag.maximum, np.maximum), (ag.minimum, np.minimum)])
@given(data=st.data(), pair=broadcast_pairs())
def test_maximum_minimum(fn, ref, data, pair):
    a = data.draw(arrays(pair[0]))
    b = data.draw(arrays(pair[1]))
    a_wide, b_wide = np.broadcast_arrays(a, b)
    assume(np.all(np.abs(a_wide - b_wide) > 1e-3))  # no tie within a finite-difference step
    check_op(fn, a, b, ref=ref)


@given(data=st.data(), shape=shapes())
def test_where(data, shape):
    condition = data.draw(hnp.arrays(np.bool_, shape))
    a = data.draw(arrays(shape))
    b = data.draw(arrays(()))
    check_op(lambda x, y: ag.where(condition, x, y), a, b,
             ref=lambda x, y: np.where(condition, x, y))


def test_where_broadcasts_condition_against_both_branches():
    condition = np.array([[True], [False]])
    check_op(lambda x, y: ag.where(condition, x, y), np.arange(3.0), np.array(7.0),
             ref=lambda x, y: np.where(condition, x, y))


@given(x=arrays(shapes()))
def test_astype_float32_round_trip(x):
    t = ag.Tensor(x, requires_grad=True)
    y = t.astype(np.float32)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y.data, x.astype(np.float32))
    (y * 3.0).sum().backward()
    assert t.grad.dtype == np.float64
    np.testing.assert_array_equal(t.grad.data, np.full(x.shape, 3.0))


def test_astype_to_int_leaves_the_graph():
    y = ag.Tensor([1.7, -2.2], requires_grad=True).astype(np.int64)
    assert y.dtype == np.int64 and not y.requires_grad and y.grad_fn is None
    np.testing.assert_array_equal(y.data, [1, -2])


# ------------------------------------------------------------------ operand types
OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]


@pytest.mark.parametrize("op", OPERATORS)
@pytest.mark.parametrize("kind", ["scalar", "list", "ndarray"])
def test_constant_on_either_side(op, kind):
    x = np.array([[0.5, 1.5, 2.0], [1.0, 0.7, 1.2]])
    raw = [0.5, 2.0, 1.5]
    constant = {"scalar": 1.5, "list": raw, "ndarray": np.array(raw)}[kind]
    check_op(lambda t: op(t, constant), x, ref=lambda a: op(a, np.asarray(constant)))
    check_op(lambda t: op(constant, t), x, ref=lambda a: op(np.asarray(constant), a))


@pytest.mark.parametrize("op", [*OPERATORS, operator.matmul])
def test_ndarray_on_the_left_gives_a_tensor(op):
    t = ag.Tensor(np.array([0.5, 1.0, 2.0]), requires_grad=True)
    out = op(np.ones(3), t)
    assert type(out) is ag.Tensor
    assert out.requires_grad
    np.testing.assert_allclose(out.data, op(np.ones(3), t.data))


@pytest.mark.parametrize("ufunc", [np.exp, np.log, np.sqrt, np.tanh, np.negative, np.abs])
def test_numpy_ufunc_on_a_tensor_records_the_op(ufunc):
    t = ag.Tensor([0.5, 2.0], requires_grad=True)
    out = ufunc(t)
    assert type(out) is ag.Tensor and out.grad_fn is not None
    np.testing.assert_allclose(out.data, ufunc(t.data))


@pytest.mark.parametrize("op", [operator.lt, operator.le, operator.gt, operator.ge,
                                operator.eq, operator.ne])
def test_comparisons_give_tensors_without_grad(op):
    t = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for out in (op(t, 2.0), op(np.full(3, 2.0), t)):
        assert type(out) is ag.Tensor and not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(op(t, 2.0).data, op(t.data, 2.0))
    np.testing.assert_array_equal(op(np.full(3, 2.0), t).data, op(np.full(3, 2.0), t.data))


def test_broadcast_failure_names_op_and_shapes():
    a, b = ag.Tensor(np.ones((2, 3))), ag.Tensor(np.ones((4,)))
    for op, name in [(operator.add, "add"), (operator.mul, "mul"), (ag.maximum, "maximum")]:
        with pytest.raises(ValueError, match=rf"{name}.*\(2, 3\).*\(4,\)"):
            op(a, b)


# ------------------------------------------------------------------ non-differentiable points
def grad_of(fn, values):
    t = ag.Tensor(values, requires_grad=True)
    fn(t).sum().backward()
    return t.grad.data


def test_relu_derivative_at_zero_is_zero():
    np.testing.assert_array_equal(grad_of(ag.relu, [-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])


def test_abs_derivative_at_zero_is_zero():
    np.testing.assert_array_equal(grad_of(abs, [-1.0, 0.0, 2.0]), [-1.0, 0.0, 1.0])


def test_clip_passes_gradient_on_the_closed_interval():
    x = [-2.0, -1.0, 0.0, 1.0, 2.0]
    np.testing.assert_array_equal(grad_of(lambda t: t.clip(-1.0, 1.0), x), [0, 1, 1, 1, 0])


@pytest.mark.parametrize("fn", [ag.maximum, ag.minimum])
def test_maximum_minimum_split_ties_evenly(fn):
    a = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = ag.Tensor([3.0, 2.0, 1.0], requires_grad=True)
    fn(a, b).sum().backward()
    winner_a = [0.0, 0.5, 1.0] if fn is ag.maximum else [1.0, 0.5, 0.0]
    np.testing.assert_array_equal(a.grad.data, winner_a)
    np.testing.assert_array_equal(b.grad.data, 1 - np.array(winner_a))


def test_zeroth_power_has_zero_derivative_at_zero():
    """x⁰ = 1 is constant: its derivative is 0 everywhere, also at x = 0 (not 0·0⁻¹ = NaN)."""
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(grad_of(lambda t: t ** 0, [0.0, 1.5]), [0.0, 0.0])
        np.testing.assert_array_equal(
            grad_of(lambda t: t ** np.array([0.0, 2.0]), [0.0, 1.5]), [0.0, 3.0])


def test_pow_gradient_with_respect_to_the_exponent_is_zero_at_a_zero_base():
    """∂(aᵇ)/∂b = aᵇ ln a → 0 as a → 0 for b > 0 (0ᵇ is constant), not 0·(−∞) = NaN."""
    a = ag.Tensor([0.0, 2.0])
    b = ag.Tensor([1.5, 1.5], requires_grad=True)
    (a ** b).sum().backward()
    np.testing.assert_allclose(b.grad.data, [0.0, 2.0 ** 1.5 * np.log(2.0)])


def test_clip_broadcasts_array_bounds_like_numpy():
    x = np.array([0.5, -2.0, 3.0])
    lo = np.array([[0.0], [1.0]])
    check_op(lambda t: t.clip(lo, 2.5), x, ref=lambda a: np.clip(a, lo, 2.5))
