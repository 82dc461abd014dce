"""Shape ops as PyTorch users call them — expand/broadcast_to, permute, swapaxes, .t(),
gather/take_along_axis — against NumPy and central differences; the constructors
(zeros_like … linspace, dtype names); and the edge rules of issue 13 item 14: x[[]],
transpose(None), softmax of a 0-d tensor and over an empty axis."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op, check_second_order
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import arrays, shapes

import autograd as ag
from nn import functional as F


@given(data=st.data(), shape=shapes(max_dims=3))
def test_expand_and_broadcast_to(data, shape):
    x = data.draw(arrays(shape))
    target = data.draw(hnp.broadcastable_shapes(shape, max_dims=3, max_side=3).map(
        lambda s: np.broadcast_shapes(s, shape)))
    check_op(lambda t: ag.broadcast_to(t, target), x, ref=lambda a: np.broadcast_to(a, target))
    kept = tuple(-1 if i >= len(target) - len(shape) and n == shape[i - len(target) + len(shape)]
                 else n for i, n in enumerate(target))
    check_op(lambda t: t.expand(*kept), x, ref=lambda a: np.broadcast_to(a, target))


@given(data=st.data(), shape=shapes(min_dims=1, max_dims=4))
def test_permute_and_swapaxes(data, shape):
    x = data.draw(arrays(shape))
    order = data.draw(st.permutations(range(len(shape))))
    check_op(lambda t: t.permute(*order), x, ref=lambda a: np.transpose(a, order))
    check_op(lambda t: ag.permute(t, order), x, ref=lambda a: np.transpose(a, order))
    first, second = data.draw(st.integers(0, len(shape) - 1)), data.draw(
        st.integers(-len(shape), len(shape) - 1))
    check_op(lambda t: t.swapaxes(first, second), x,
             ref=lambda a: np.swapaxes(a, first, second))


def test_t_transposes_matrices_only():
    x = np.arange(6.0).reshape(2, 3)
    check_op(lambda t: t.t(), x, ref=lambda a: a.T)
    assert ag.Tensor([1.0, 2.0]).t().shape == (2,)
    with pytest.raises(ValueError, match=r"t: expects a tensor of at most 2 dimensions.*"
                                         r"\(2, 3, 4\)"):
        ag.zeros(2, 3, 4).t()


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


def test_second_derivatives_through_shape_ops():
    x = np.array([[0.5, -1.2, 0.8], [1.1, 0.3, -0.7]])
    check_second_order(lambda t: t.permute(1, 0).sin() * t.expand(2, 2, 3).sum(axis=0).T, x)
    check_second_order(lambda t: t.gather(1, np.array([[2, 2], [0, 1]])).exp(), x)


# ---------------------------------------------------------------- constructors
def test_constructors_like_pytorch():
    base = ag.Tensor(np.ones((2, 3), dtype=np.float32))
    for made, value in ((ag.zeros_like(base), 0.0), (ag.ones_like(base), 1.0),
                        (ag.full_like(base, 2.5), 2.5)):
        assert made.shape == (2, 3) and made.dtype == np.float32
        np.testing.assert_array_equal(made.data, np.full((2, 3), value))
    assert ag.full((2,), 1.5).dtype == ag.get_default_dtype()
    assert ag.full((2,), 3).dtype == np.int64
    np.testing.assert_array_equal(ag.eye(3).data, np.eye(3))
    assert ag.eye(2, 3, dtype=ag.float32).dtype == np.float32
    np.testing.assert_allclose(ag.linspace(0, 1, 5).data, [0, 0.25, 0.5, 0.75, 1])
    assert ag.arange(0, 1, 0.5, dtype=ag.float32).dtype == np.float32
    ag.manual_seed(3)
    first = ag.rand(4, 2, requires_grad=True)
    ag.manual_seed(3)
    assert first.requires_grad and np.array_equal(first.data, ag.rand((4, 2)).data)
    assert np.all((first.data >= 0) & (first.data < 1))
    assert ag.zeros(2, dtype=ag.float64).dtype == np.float64 and ag.int64 is np.int64


def test_numpy_like_constructors_on_grad_tensors_give_constants():
    t = ag.Tensor([1.0, 2.0], requires_grad=True)
    for made in (np.zeros_like(t), np.ones_like(t)):
        assert isinstance(made, ag.Tensor) and not made.requires_grad


# ---------------------------------------------------------------- edge rules (issue 13)
def test_indexing_with_an_empty_list_selects_nothing():
    x = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    empty = x[[]]
    assert empty.shape == (0, 2)
    (empty.sum() + x[[], 1].sum()).backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((2, 2)))


def test_transpose_none_reverses_the_axes():
    x = ag.zeros(2, 3, 4)
    assert x.transpose(None).shape == (4, 3, 2) == x.transpose().shape
    assert np.transpose(x, None).shape == (4, 3, 2)


def test_transpose_of_two_axes_swaps_them_as_pytorch():
    assert ag.zeros(2, 3, 4).transpose(1, 2).shape == (2, 4, 3)
    x = ag.arange(6.0).reshape(2, 3)
    assert x.transpose(0, 1).tolist() == x.numpy().T.tolist()  # NumPy would leave it as is
    assert x.transpose((0, 1)).tolist() == x.tolist()  # a tuple keeps NumPy's meaning
    with pytest.raises(ValueError, match="out of range"):
        ag.zeros(2, 3).transpose(0, 5)  # must not wrap around to axis 1
    with pytest.raises(ValueError, match=r"not a permutation.*use swapaxes"):
        ag.zeros(2, 3, 4).transpose((1, 2))


@pytest.mark.parametrize("fn, value", [(F.softmax, 1.0), (F.log_softmax, 0.0)])
def test_softmax_of_a_number_as_pytorch(fn, value):
    x = ag.Tensor(3.0, requires_grad=True)
    for axis in (0, -1):
        y = fn(x, axis=axis)
        assert y.shape == () and y.item() == value
    y.backward()
    assert x.grad.item() == 0.0
    with pytest.raises(ValueError, match="out of range"):
        fn(x, axis=1)


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax])
@pytest.mark.parametrize("shape, axis", [((2, 0), 1), ((0, 3), 0), ((0, 3), 1)])
def test_softmax_over_an_empty_axis_is_empty(fn, shape, axis):
    x = ag.Tensor(np.zeros(shape), requires_grad=True)
    y = fn(x, axis=axis)
    assert y.shape == shape
    y.sum().backward()
    assert x.grad.shape == shape


def test_expand_dims_takes_a_tuple_as_numpy():
    x = ag.Tensor([[1.0, 2.0]])
    assert x.expand_dims((0, 3)).shape == np.expand_dims(x.data, (0, 3)).shape
    with pytest.raises(ValueError, match=r"expand_dims: axis \(0, 0\) names the same axis"):
        x.expand_dims((0, 0))
    with pytest.raises(TypeError, match="expand_dims: axis must be an int or a tuple"):
        x.expand_dims(1.5)
