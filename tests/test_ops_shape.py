"""Shape ops: reshape, transpose, .T, .t(), flatten, squeeze, expand_dims/unsqueeze,
expand/broadcast_to, permute, swapaxes, concatenate, stack, and the cast astype. Forward
equals NumPy, gradients equal central differences (second derivatives too); errors name
the shapes; transpose(None) and transpose of two axes as NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op, check_second_order
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import arrays, reshape_targets, shapes

import autograd as ag


@given(data=st.data(), shape=shapes(), as_tuple=st.booleans())
def test_reshape_varargs_and_tuple(data, shape, as_tuple):
    target = data.draw(reshape_targets(shape))
    x = data.draw(arrays(shape))
    if as_tuple:
        check_op(lambda a: a.reshape(target), x)
    else:
        check_op(lambda a: a.reshape(*target), x, ref=lambda a: a.reshape(target))


@given(data=st.data(), shape=shapes(), form=st.sampled_from(["varargs", "tuple", "none"]))
def test_transpose(data, shape, form):
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    perm = tuple(p - len(shape) if data.draw(st.booleans()) else p for p in perm)
    x = data.draw(arrays(shape))
    if form == "none":
        check_op(lambda a: a.transpose(), x)
    elif form == "tuple":
        check_op(lambda a: a.transpose(perm), x)
    elif len(perm) == 2:  # two ints: PyTorch's transpose(d0, d1), the swap of two axes
        check_op(lambda a: a.transpose(*perm), x, ref=lambda a: np.swapaxes(a, *perm))
    else:  # one int, or three and more: NumPy's permutation
        check_op(lambda a: a.transpose(*perm), x, ref=lambda a: a.transpose(perm))


@given(x=arrays(shapes()))
def test_T_reverses_all_axes(x):
    check_op(lambda a: a.T, x)


@given(x=arrays(shapes()))
def test_flatten(x):
    check_op(lambda a: a.flatten(), x)


@given(data=st.data(), shape=shapes(max_side=2))
def test_squeeze(data, shape):
    ones = [i for i, n in enumerate(shape) if n == 1]
    axis = data.draw(st.one_of(st.none(), st.sampled_from(ones) if ones else st.none()))
    x = data.draw(arrays(shape))
    check_op(lambda a: a.squeeze(axis), x)


@pytest.mark.parametrize("method", ["expand_dims", "unsqueeze"])
@given(data=st.data(), shape=shapes())
def test_expand_dims(method, data, shape):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    x = data.draw(arrays(shape))
    check_op(lambda a: getattr(a, method)(axis), x, ref=lambda a: np.expand_dims(a, axis))


@given(data=st.data(), shape=shapes(min_dims=1), count=st.integers(1, 3))
def test_concatenate(data, shape, count):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    pieces = []
    for _ in range(count):
        piece_shape = list(shape)
        piece_shape[axis] = data.draw(st.integers(1, 3))
        pieces.append(data.draw(arrays(tuple(piece_shape))))
    check_op(lambda *ts: ag.concatenate(ts, axis=axis), *pieces,
             ref=lambda *arrs: np.concatenate(arrs, axis=axis))


@given(data=st.data(), shape=shapes(), count=st.integers(1, 3))
def test_stack(data, shape, count):
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    pieces = [data.draw(arrays(shape)) for _ in range(count)]
    check_op(lambda *ts: ag.stack(ts, axis=axis), *pieces,
             ref=lambda *arrs: np.stack(arrs, axis=axis))


def test_concatenate_mixes_tensors_and_constants():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    out = ag.concatenate([np.zeros(3), x], axis=0)
    (out * np.arange(5.0)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


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


def test_second_derivatives_through_shape_ops():
    x = np.array([[0.5, -1.2, 0.8], [1.1, 0.3, -0.7]])
    check_second_order(lambda t: t.permute(1, 0).sin() * t.expand(2, 2, 3).sum(axis=0).T, x)
    check_second_order(lambda t: t.gather(1, np.array([[2, 2], [0, 1]])).exp(), x)


# ---------------------------------------------------------------- casts
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


# ---------------------------------------------------------------- errors and edge rules
def test_reshape_error_names_shapes():
    with pytest.raises(ValueError, match=r"reshape.*\(2, 3\).*\(4, 2\)"):
        ag.Tensor(np.ones((2, 3))).reshape(4, 2)


def test_transpose_error_names_axes_and_shape():
    with pytest.raises(ValueError, match=r"transpose.*\(2, 3\)"):
        ag.Tensor(np.ones((2, 3))).transpose((0, 0))


@pytest.mark.parametrize("axis", [0, 5, -3])
def test_squeeze_error_names_axis_and_shape(axis):
    with pytest.raises(ValueError, match=rf"squeeze: axis {axis}.*\(2, 1\)"):
        ag.Tensor(np.ones((2, 1))).squeeze(axis)


def test_expand_dims_error():
    with pytest.raises(ValueError, match=r"expand_dims.*\(2, 1\)"):
        ag.Tensor(np.ones((2, 1))).expand_dims(4)


def test_concatenate_and_stack_errors_name_shapes():
    a, b = ag.Tensor(np.ones((2, 3))), ag.Tensor(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"concatenate.*\(2, 3\).*\(2, 4\)"):
        ag.concatenate([a, b], axis=0)
    with pytest.raises(ValueError, match=r"stack.*\(2, 3\).*\(2, 4\)"):
        ag.stack([a, b])


def test_concatenate_with_axis_none_joins_flattened_like_numpy():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(4.0)
    check_op(lambda x, y: ag.concatenate([x, y], axis=None), a, b,
             ref=lambda x, y: np.concatenate([x, y], axis=None))


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


def test_expand_dims_takes_a_tuple_as_numpy():
    x = ag.Tensor([[1.0, 2.0]])
    assert x.expand_dims((0, 3)).shape == np.expand_dims(x.data, (0, 3)).shape
    with pytest.raises(ValueError, match=r"expand_dims: axis \(0, 0\) names the same axis"):
        x.expand_dims((0, 0))
    with pytest.raises(TypeError, match="expand_dims: axis must be an int or a tuple"):
        x.expand_dims(1.5)
