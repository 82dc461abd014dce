"""Indexing (basic, integer arrays with repeats, boolean masks) and the matrix product:
forward equals NumPy, gradients equal central differences; errors name the shapes."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, index_expressions, matmul_shapes, shapes

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


@given(data=st.data(), pair=matmul_shapes())
def test_matmul(data, pair):
    a = data.draw(arrays(pair[0]))
    b = data.draw(arrays(pair[1]))
    check_op(operator.matmul, a, b)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("kind", ["list", "ndarray"])
@given(pair=matmul_shapes())
def test_matmul_with_a_constant(left, kind, pair):
    rng = np.random.default_rng(0)
    constant_array = rng.uniform(-1, 1, pair[0] if left else pair[1])
    constant = constant_array.tolist() if kind == "list" else constant_array
    x = rng.uniform(-1, 1, pair[1] if left else pair[0])
    if left:
        check_op(lambda t: constant @ t, x, ref=lambda a: constant_array @ a)
    else:
        check_op(lambda t: t @ constant, x, ref=lambda a: a @ constant_array)


def test_matmul_error_names_both_shapes_and_inner_dims():
    a, b = ag.Tensor(np.ones((3, 4))), ag.Tensor(np.ones((5, 2)))
    with pytest.raises(ValueError) as raised:
        a @ b
    message = str(raised.value)
    for part in ("matmul", "(3, 4)", "(5, 2)", "4", "5"):
        assert part in message
    assert "inner dimensions 4 and 5" in message


def test_matmul_batch_mismatch_names_shapes():
    with pytest.raises(ValueError, match=r"matmul.*\(2, 3, 4\).*\(3, 4, 5\)"):
        ag.Tensor(np.ones((2, 3, 4))) @ ag.Tensor(np.ones((3, 4, 5)))


def test_matmul_rejects_0d():
    with pytest.raises(ValueError, match=r"matmul.*\(\).*\(3,\)"):
        ag.Tensor(2.0) @ ag.Tensor(np.ones(3))
