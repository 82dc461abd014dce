"""Shape ops: reshape, transpose, .T, flatten, squeeze, expand_dims/unsqueeze, concatenate,
stack. Forward equals NumPy, gradients equal central differences; errors name shapes."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import given
from hypothesis import strategies as st
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
