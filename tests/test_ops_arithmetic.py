"""Arithmetic ops — + − × ÷, powers, neg, |a|, clip, maximum/minimum, where: forward equals
NumPy, gradients equal central differences over 0-d, size-1 and broadcast shapes;
constants on either side; the documented non-differentiable points and the powers at the
edges of their domain; errors name the op and the shapes."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from finite_differences import check_op, grad_of, smooth_function_tests
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import arrays, broadcast_pairs, nonzero_arrays, positive_arrays, shapes

import autograd as ag


# ---------------------------------------------------------------- binary, broadcast
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


# ---------------------------------------------------------------- unary
UNARY = [
    ("neg", operator.neg, None, arrays),
    ("abs", abs, None, nonzero_arrays),
]


@pytest.mark.parametrize(("name", "fn", "ref", "domain"), UNARY, ids=[u[0] for u in UNARY])
@given(data=st.data(), shape=shapes())
def test_unary_function(name, fn, ref, domain, data, shape):
    check_op(fn, data.draw(domain(shape)), ref=ref)


SMOOTH = {
    # name: (our function, NumPy reference, strategy for the input)
    "square": (lambda t: t.square(), lambda x: x * x, arrays(shapes())),
    "reciprocal": (lambda t: t.reciprocal(), lambda x: 1 / x, nonzero_arrays(shapes(), 0.5)),
    "pow": (lambda t: t.pow(3), lambda x: x ** 3, arrays(shapes())),
}


test_smooth_function_values_and_gradients, test_smooth_function_second_derivatives = (
    smooth_function_tests(SMOOTH))


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


# ---------------------------------------------------------------- operand types
OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]


@pytest.mark.parametrize("op", OPERATORS)
@pytest.mark.parametrize("kind", ["scalar", "list", "ndarray"])
def test_constant_on_either_side(op, kind):
    x = np.array([[0.5, 1.5, 2.0], [1.0, 0.7, 1.2]])
    raw = [0.5, 2.0, 1.5]
    constant = {"scalar": 1.5, "list": raw, "ndarray": np.array(raw)}[kind]
    check_op(lambda t: op(t, constant), x, ref=lambda a: op(a, np.asarray(constant)))
    check_op(lambda t: op(constant, t), x, ref=lambda a: op(np.asarray(constant), a))


# ---------------------------------------------------------------- errors
def test_broadcast_failure_names_op_and_shapes():
    a, b = ag.Tensor(np.ones((2, 3))), ag.Tensor(np.ones((4,)))
    for op, name in [(operator.add, "add"), (operator.mul, "mul"), (ag.maximum, "maximum")]:
        with pytest.raises(ValueError, match=rf"{name}.*\(2, 3\).*\(4,\)"):
            op(a, b)


def test_integer_power_error_is_not_a_shape_error():
    with pytest.raises(ValueError, match="pow: an integer base cannot be raised to a "
                                         "negative integer power") as caught:
        ag.Tensor([1, 2]) ** -1
    assert "broadcast" not in str(caught.value)
    assert (ag.Tensor([1, 2]) ** -1.0).data.tolist() == [1.0, 0.5]
    with pytest.raises(ValueError, match=r"pow: cannot broadcast shapes \(2,\) and \(3,\)"):
        ag.Tensor([1.0, 2.0]) ** ag.Tensor([1.0, 2.0, 3.0])


def test_a_binary_op_blames_shapes_only_when_they_do_not_broadcast():
    op = ag.ops.arithmetic.Mul()
    same = [np.ones(2), np.ones(2)]
    assert op.shape_error(same, ValueError("some other problem")) == "mul: some other problem"
    assert op.shape_error([np.ones(2), np.ones(3)], ValueError("x")) == (
        "mul: cannot broadcast shapes (2,) and (3,) together")


# ---------------------------------------------------------------- non-differentiable points
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


# ---------------------------------------------------------------- powers at the edges
def test_zeroth_power_at_infinity_has_zero_gradient_as_pytorch():
    x = ag.Tensor([np.inf, -np.inf, 2.0], requires_grad=True)
    (x ** 0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])


def test_zero_base_to_a_negative_power_has_minus_inf_exponent_gradient():
    """∂(0ʸ)/∂y = 0ʸ ln 0 = ∞ · (−∞) for y < 0: −∞, as PyTorch."""
    y = ag.Tensor([-1.5, 2.0], requires_grad=True)
    with np.errstate(divide="ignore"):
        (ag.Tensor([0.0, 0.0]) ** y).sum().backward()
    np.testing.assert_array_equal(y.grad.data, [-np.inf, 0.0])
