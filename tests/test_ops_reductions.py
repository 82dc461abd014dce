"""Reductions with random axes and keepdims: forward equals NumPy, gradients equal central
differences; ties in max/min share the gradient evenly."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import arrays, axes, distinct_arrays, shapes

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
