"""The piecewise-constant ops — floor, ceil, round, // — have zero gradient (zeros, not
None); a mod b against NumPy and central differences away from its jumps; Python numbers
on either side."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import arrays, broadcast_pairs, nonzero_arrays, shapes

import autograd as ag


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
