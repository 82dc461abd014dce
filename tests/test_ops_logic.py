"""Results without gradient: comparisons, argmax/argmin and any/all against NumPy,
isnan/isinf/isfinite and the boolean operators & | ^ ~ as constant boolean tensors."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from hypothesis import given
from strategies import array_and_axis, arrays, distinct_arrays

import autograd as ag


@pytest.mark.parametrize("op", [operator.lt, operator.le, operator.gt, operator.ge,
                                operator.eq, operator.ne])
def test_comparisons_give_tensors_without_grad(op):
    t = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for out in (op(t, 2.0), op(np.full(3, 2.0), t)):
        assert type(out) is ag.Tensor and not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(op(t, 2.0).data, op(t.data, 2.0))
    np.testing.assert_array_equal(op(np.full(3, 2.0), t).data, op(np.full(3, 2.0), t.data))


@given(case=array_and_axis(distinct_arrays))
def test_argmax_argmin_match_numpy(case):
    x, axis, keepdims = case
    if not isinstance(axis, int):
        axis = None
    t = ag.Tensor(x, requires_grad=True)
    for ours, theirs in ((t.argmax, np.argmax), (t.argmin, np.argmin)):
        result = ours(axis, keepdims)
        np.testing.assert_array_equal(result.data, theirs(x, axis=axis, keepdims=keepdims))
        assert not result.requires_grad and result.dtype.kind == "i"


@given(case=array_and_axis(lambda shape: arrays(shape, -1, 1).map(lambda a: a > 0)))
def test_any_all_match_numpy(case):
    x, axis, keepdims = case
    t = ag.Tensor(x)
    np.testing.assert_array_equal(t.any(axis, keepdims).data,
                                  np.any(x, axis=axis, keepdims=keepdims))
    np.testing.assert_array_equal(ag.all(t, axis, keepdims).data,
                                  np.all(x, axis=axis, keepdims=keepdims))


def test_predicates_and_logic_give_constant_boolean_tensors():
    x = ag.Tensor([np.nan, np.inf, -1.0, 0.0], requires_grad=True)
    np.testing.assert_array_equal(x.isnan().data, [True, False, False, False])
    np.testing.assert_array_equal(ag.isinf(x).data, [False, True, False, False])
    np.testing.assert_array_equal(np.isfinite(x).data, [False, False, True, True])
    positive, small = x > 0, x < 1
    np.testing.assert_array_equal((positive & ~small).data, [False, True, False, False])
    np.testing.assert_array_equal((positive | small).data, [False, True, True, True])
    np.testing.assert_array_equal((positive ^ small).data, [False, True, True, True])
    from_numpy = np.array([True, False, True, False]) & small  # an array on the left
    assert isinstance(from_numpy, ag.Tensor)
    np.testing.assert_array_equal(from_numpy.data, [False, False, True, False])
    assert not (positive & small).requires_grad
    with pytest.raises(TypeError, match=r"&: needs boolean .* got dtype float64"):
        x & x
