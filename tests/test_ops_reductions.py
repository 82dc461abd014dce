"""Reductions — sum, mean, max, min, var, std, prod, logsumexp, norm — and cumsum, with
random axes and keepdims: forward equals NumPy, gradients equal central differences
(second derivatives too); ties in max/min share the gradient evenly; and the axis rules
every reduction shares: duplicate axes, a 0-d tensor's axes, non-integer axes, and var
with no degrees of freedom left."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op, check_second_order
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import array_and_axis, arrays, axes, distinct_arrays, nonzero_arrays, shapes

import autograd as ag


@pytest.mark.parametrize("name", ["sum", "mean"])
@given(data=st.data(), shape=shapes(), keepdims=st.booleans())
def test_sum_mean(name, data, shape, keepdims):
    axis = data.draw(axes(len(shape)))
    x = data.draw(arrays(shape))
    check_op(lambda a: getattr(a, name)(axis=axis, keepdims=keepdims), x)


@pytest.mark.parametrize("name", ["max", "min"])
@given(data=st.data(), shape=shapes(), keepdims=st.booleans())
def test_max_min_without_ties(name, data, shape, keepdims):
    axis = data.draw(axes(len(shape)))
    x = data.draw(distinct_arrays(shape))
    check_op(lambda a: getattr(a, name)(axis=axis, keepdims=keepdims), x)


@given(data=st.data(), shape=shapes(min_dims=1), keepdims=st.booleans(),
       ddof=st.integers(0, 1))
def test_var(data, shape, keepdims, ddof):
    axis = data.draw(axes(len(shape)))
    x = data.draw(arrays(shape))
    chosen = range(len(shape)) if axis is None else np.atleast_1d(axis) % len(shape)
    assume(np.prod([shape[i] for i in set(chosen)]) > ddof)  # the divisor n − ddof is > 0
    check_op(lambda a: a.var(axis=axis, keepdims=keepdims, ddof=ddof), x, atol=1e-5)


def test_var_uses_numpy_default_divisor():
    x = ag.Tensor([1.0, 2.0, 3.0, 6.0])
    assert x.var().item() == pytest.approx(np.var([1.0, 2.0, 3.0, 6.0]))  # divisor n
    assert x.var(ddof=1).item() == pytest.approx(np.sum((x.data - 3.0) ** 2) / 3)


@pytest.mark.parametrize("name", ["max", "min"])
def test_ties_split_the_gradient_evenly(name):
    values = [1.0, 3.0, 3.0] if name == "max" else [3.0, 1.0, 1.0]
    x = ag.Tensor(values, requires_grad=True)
    getattr(x, name)().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.5, 0.5])


def test_ties_split_per_reduced_slice():
    x = ag.Tensor([[2.0, 2.0, 2.0], [0.0, 5.0, 1.0]], requires_grad=True)
    x.max(axis=1).backward(np.array([3.0, 1.0]))
    np.testing.assert_allclose(x.grad.data, [[1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "var"])
def test_axis_out_of_range_names_op(name):
    with pytest.raises(ValueError, match=name):
        getattr(ag.Tensor(np.ones((2, 3))), name)(axis=2)


def test_max_of_empty_raises():
    with pytest.raises(ValueError, match="max"):
        ag.Tensor(np.ones((0, 3))).max()


# ------------------------------------------------------------ std, prod, logsumexp, norm, cumsum
def np_logsumexp(x, axis=None, keepdims=False):
    top = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=axis)


@given(case=array_and_axis(), ddof=st.sampled_from([0, 1]))
def test_std(case, ddof):
    x, axis, keepdims = case
    n = x.size if axis is None else int(np.prod([x.shape[a] for a in np.atleast_1d(axis)]))
    assume(n > 1 and n - ddof > 0)  # one entry has zero variance, where √ has no slope
    x = x + np.linspace(0, 1, x.size).reshape(x.shape)
    check_op(lambda t: t.std(axis, keepdims, ddof), x,
             ref=lambda a: np.std(a, axis=axis, keepdims=keepdims, ddof=ddof), rtol=1e-4)


@given(case=array_and_axis(nonzero_arrays))
def test_prod(case):
    x, axis, keepdims = case
    check_op(lambda t: t.prod(axis, keepdims), x,
             ref=lambda a: np.prod(a, axis=axis, keepdims=keepdims))


@given(case=array_and_axis(), zeros=st.integers(1, 2))
def test_prod_gradient_is_exact_where_entries_are_zero(case, zeros):
    """Πⱼ≠ᵢ aⱼ: one zero leaves its own entry a non-zero gradient; two zero everything."""
    x, axis, keepdims = case
    x = x.copy()
    x.flat[:zeros] = 0.0
    check_op(lambda t: ag.prod(t, axis, keepdims), x,
             ref=lambda a: np.prod(a, axis=axis, keepdims=keepdims))


@given(case=array_and_axis())
def test_logsumexp(case):
    x, axis, keepdims = case
    check_op(lambda t: t.logsumexp(axis, keepdims), x,
             ref=lambda a: np_logsumexp(a, axis=axis, keepdims=keepdims))


def test_logsumexp_is_finite_for_huge_inputs_and_minus_inf_when_empty():
    x = ag.Tensor([1000.0, 1000.0])
    assert ag.logsumexp(x).item() == pytest.approx(1000.0 + np.log(2))
    assert ag.logsumexp(ag.Tensor(np.zeros(0))).item() == -np.inf
    assert ag.logsumexp(ag.Tensor([-np.inf, -np.inf])).item() == -np.inf


@given(case=array_and_axis(nonzero_arrays), p=st.sampled_from([2, 1, 3, np.inf]))
def test_norm(case, p):
    x, axis, keepdims = case
    if p == np.inf and axis is not None:
        return  # NumPy's vector ∞-norm needs one axis; the full reduction is checked below
    reference = (lambda a: np.max(np.abs(a), keepdims=keepdims)) if p == np.inf else (
        lambda a: np.sum(np.abs(a) ** p, axis=axis, keepdims=keepdims) ** (1 / p))
    if p == np.inf:
        x = np.sign(x) * (np.abs(x) + np.linspace(0, 1, x.size).reshape(x.shape))  # no ties
    check_op(lambda t: t.norm(p, axis, keepdims), x, ref=reference)


def test_norm_of_zero_has_zero_gradient_as_pytorch():
    x = ag.Tensor(np.zeros(3), requires_grad=True)
    x.norm().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros(3))
    np.testing.assert_allclose(np.linalg.norm(ag.Tensor([[3.0, 4.0]]), axis=1).data, [5.0])


@given(data=st.data(), shape=shapes(min_dims=1))
def test_cumsum(data, shape):
    x = data.draw(arrays(shape))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    check_op(lambda t: t.cumsum(axis), x, ref=lambda a: np.cumsum(a, axis=axis))
    check_op(lambda t: ag.cumsum(t), x, ref=np.cumsum)  # flattened, as NumPy


@pytest.mark.parametrize("fn", [
    lambda t: (t.std(axis=1, keepdims=True) * t).sum(axis=0),
    lambda t: t.prod(axis=0),
    lambda t: t.logsumexp(axis=1),
    lambda t: t.norm(axis=0) * t,
    lambda t: t.cumsum(axis=1) * t,
])
def test_second_derivatives(fn):
    x = np.array([[0.5, -1.2, 0.8], [1.1, 0.3, -0.7]])
    check_second_order(fn, x, rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------- axis rules
@pytest.mark.parametrize("call, error, pattern", [
    (lambda t: t.sum(axis=1.0), TypeError, r"sum: axis must be an int.*1\.0"),
    (lambda t: t.mean(axis="0"), TypeError, r"mean: axis must be an int.*'0' \(str\)"),
    (lambda t: t.sum(axis=(0, 0)), ValueError, r"sum: axis \(0, 0\) names the same axis twice"),
    (lambda t: t.max(axis=(1, -1)), ValueError, "max: .* names the same axis twice"),
    (lambda t: t.argmax(axis=2), ValueError, "argmax: axis 2 is out of range"),
    (lambda t: t.cumsum(axis=0.5), TypeError, "cumsum: axis must be an int"),
    (lambda t: t.norm(p=-1), ValueError, "norm: p must be a positive number"),
])
def test_bad_axes_raise_naming_the_op(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(ag.Tensor(np.ones((2, 3)), requires_grad=True))


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "prod", "logsumexp", "any"])
def test_a_0d_tensor_has_axes_0_and_minus_1_only(reduce):
    """As PyTorch: a number reduces over axis 0 or −1 to itself; any other axis raises
    (it used to be ignored)."""
    t = ag.Tensor(2.0)
    assert getattr(t, reduce)(axis=0).shape == () and getattr(t, reduce)(axis=-1).shape == ()
    with pytest.raises(ValueError, match=f"{reduce}: axis 1 is out of range"):
        getattr(t, reduce)(axis=1)


def test_var_without_degrees_of_freedom_is_inf_with_a_warning():
    """ddof ≥ n: NumPy and PyTorch divide by max(n − ddof, 0) = 0, giving inf (nan for
    constant entries); it used to divide by n − ddof < 0, a finite negative number."""
    x = ag.Tensor([1.0, 2.0])
    for ddof in (2, 3):
        with pytest.warns(RuntimeWarning, match="var: ddof"):
            assert x.var(ddof=ddof).item() == np.inf
    with pytest.warns(RuntimeWarning):
        assert np.isnan(ag.Tensor([1.0, 1.0]).var(ddof=2).item())
    with pytest.warns(RuntimeWarning):
        assert np.isinf(x.std(ddof=5).item())
