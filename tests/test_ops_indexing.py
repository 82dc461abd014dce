"""Indexing (basic, integer arrays with repeats, boolean masks, an empty list) and
gather/take_along_axis: forward equals NumPy, gradients equal central differences
(repeated indices add up); errors name the shapes."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import arrays, index_expressions, shapes

import autograd as ag


@given(data=st.data(), shape=shapes())
def test_getitem(data, shape):
    index = data.draw(index_expressions(shape))
    x = data.draw(arrays(shape))
    check_op(lambda a: a[index], x)


def test_repeated_indices_accumulate_like_add_at():
    x = ag.Tensor(np.arange(4.0), requires_grad=True)
    index = np.array([0, 2, 0, 0, -1, 3])
    x[index].backward(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    expected = np.zeros(4)
    np.add.at(expected, index, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    np.testing.assert_array_equal(x.grad.data, expected)
    np.testing.assert_array_equal(expected, [8.0, 0.0, 2.0, 11.0])


def test_index_given_as_list_tensor_and_tuple_of_lists():
    x = ag.Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    rows = [2, 0, 2]
    np.testing.assert_array_equal(x[rows].data, x.data[np.array(rows)])
    np.testing.assert_array_equal(x[ag.Tensor(np.array(rows))].data, x.data[np.array(rows)])
    x[[0, 0], [1, 1]].sum().backward()
    expected = np.zeros((3, 4))
    expected[0, 1] = 2.0
    np.testing.assert_array_equal(x.grad.data, expected)


def test_index_out_of_range_names_shape():
    with pytest.raises(IndexError, match=r"getitem.*\(3,\)"):
        ag.Tensor(np.ones(3))[5]


def test_indexing_with_an_empty_list_selects_nothing():
    x = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    empty = x[[]]
    assert empty.shape == (0, 2)
    (empty.sum() + x[[], 1].sum()).backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((2, 2)))


# ---------------------------------------------------------------- gather, take_along_axis
@st.composite
def take_cases(draw):
    shape = draw(shapes(min_dims=1, max_dims=3))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    picks = draw(st.integers(1, 4))
    index_shape = [1 if draw(st.booleans()) else n for n in shape]
    index_shape[axis] = picks
    indices = draw(hnp.arrays(np.int64, tuple(index_shape),
                              elements=st.integers(-shape[axis], shape[axis] - 1)))
    return draw(arrays(shape)), indices, axis


@given(case=take_cases())
def test_take_along_axis_repeats_add_up(case):
    x, indices, axis = case
    check_op(lambda t: ag.take_along_axis(t, indices, axis), x,
             ref=lambda a: np.take_along_axis(a, indices, axis))
    check_op(lambda t: np.take_along_axis(t, indices, axis), x,
             ref=lambda a: np.take_along_axis(a, indices, axis))


def test_gather_as_pytorch():
    """torch.gather: out[i][j] = x[index[i][j]][j] (dim 0), of index's shape."""
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    index = np.array([[1, 0]])
    out = check_op(lambda t: t.gather(0, index), x, ref=lambda a: a[index, np.arange(2)])
    np.testing.assert_array_equal(out.data, [[4.0, 2.0]])
    picked = check_op(lambda t: ag.gather(t, 1, np.array([[2], [0]])), x,
                      ref=lambda a: a[[0, 1], [2, 0]].reshape(2, 1))
    np.testing.assert_array_equal(picked.data, [[3.0], [4.0]])
    with pytest.raises(TypeError, match="gather: indices must be integers"):
        ag.gather(ag.Tensor(x), 0, np.array([[0.0]]))
