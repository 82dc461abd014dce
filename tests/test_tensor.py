"""Tensor construction (and the data it refuses), dtype rules, attributes, repr, NumPy interop
and constructors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from strategies import arrays, shapes

import autograd as ag


@pytest.fixture
def float32_default():
    """Switch the default dtype to float32 for one test, and always restore it."""
    previous = ag.get_default_dtype()
    ag.set_default_dtype(np.float32)
    yield
    ag.set_default_dtype(previous)


# ------------------------------------------------------------------ construction
@given(x=arrays(shapes()))
def test_from_ndarray_copies_and_keeps_values(x):
    t = ag.Tensor(x)
    np.testing.assert_array_equal(t.data, x)
    assert t.shape == x.shape and t.ndim == x.ndim and t.size == x.size
    assert t.data is not x


def test_from_nested_list_scalar_and_tensor():
    assert ag.Tensor([[1.0, 2.0], [3.0, 4.0]]).shape == (2, 2)
    scalar = ag.Tensor(2.5)
    assert scalar.shape == () and scalar.item() == 2.5
    source = ag.Tensor([1.0, 2.0], requires_grad=True)
    copy = ag.Tensor(source)
    copy.data[0] = 9.0
    assert source.data[0] == 1.0
    assert not copy.requires_grad and copy.grad_fn is None


def test_function_form_and_attributes():
    t = ag.tensor([1.0, 2.0], requires_grad=True, name="x")
    assert t.requires_grad and t.is_leaf and t.grad is None and t.grad_fn is None
    assert t.name == "x"
    y = t * 2.0
    assert not y.is_leaf and y.grad_fn is not None and y.name is None


# ------------------------------------------------------------------ dtype rules
def test_default_dtype_is_float64():
    assert ag.get_default_dtype() == np.float64
    assert ag.Tensor(1.0).dtype == np.float64
    assert ag.Tensor([1.0, 2.0]).dtype == np.float64
    assert ag.zeros(3).dtype == ag.ones((2, 2)).dtype == ag.randn(2, 3).dtype == np.float64


def test_integers_and_bools_keep_their_dtype():
    assert ag.Tensor([1, 2]).dtype.kind == "i"
    assert ag.Tensor([True, False]).dtype == np.bool_


def test_ndarray_keeps_its_float_dtype():
    assert ag.Tensor(np.ones(2, dtype=np.float32)).dtype == np.float32
    assert ag.Tensor(np.float32(1.0)).dtype == np.float32
    assert ag.Tensor([1.0], dtype=np.float32).dtype == np.float32


def test_set_default_dtype_affects_python_numbers_and_constructors(float32_default):
    assert ag.get_default_dtype() == np.float32
    assert ag.Tensor(1.0).dtype == np.float32
    assert ag.Tensor([[1.0, 2.0]]).dtype == np.float32
    for t in (ag.zeros(3), ag.ones((2, 2)), ag.randn(2, 3), ag.arange(0.0, 1.0, 0.25)):
        assert t.dtype == np.float32
    assert ag.Tensor(np.ones(2)).dtype == np.float64  # an ndarray keeps its dtype


def test_set_default_dtype_rejects_non_floating():
    with pytest.raises(TypeError, match="float"):
        ag.set_default_dtype(np.int32)
    assert ag.get_default_dtype() == np.float64


@pytest.mark.parametrize("op", [
    lambda t: t + 1.5, lambda t: 1.5 - t, lambda t: t * 2, lambda t: 3.0 / t,
    lambda t: t ** 2.0, lambda t: 2.0 ** t, lambda t: (t * 0.5).exp().sum(),
    lambda t: ag.maximum(t, 0.1), lambda t: t.clip(0.0, 1.0), lambda t: t.sigmoid().max(),
])
def test_float32_stays_float32_with_python_scalars(op):
    t = ag.Tensor(np.array([0.5, 1.5], dtype=np.float32), requires_grad=True)
    out = op(t)
    assert out.dtype == np.float32
    out.sum().backward()
    assert t.grad.dtype == np.float32


@pytest.mark.parametrize("data", [[1, 2], [True, False], np.arange(3)])
def test_integer_or_bool_data_cannot_require_grad(data):
    with pytest.raises(TypeError, match="requires_grad"):
        ag.Tensor(data, requires_grad=True)
    t = ag.Tensor(data)
    with pytest.raises(TypeError):
        t.requires_grad = True
    with pytest.raises(TypeError):
        t.requires_grad_()
    with pytest.raises(TypeError):
        ag.zeros(2, dtype=np.int64, requires_grad=True)


def test_non_leaf_cannot_switch_off_requires_grad():
    y = ag.Tensor([1.0], requires_grad=True) * 2.0
    with pytest.raises(RuntimeError, match="detach"):
        y.requires_grad = False


# ------------------------------------------------------------------ NumPy interop
def test_numpy_interop():
    t = ag.Tensor([[1.0, 2.0], [3.0, 4.0]])
    assert np.asarray(t) is t.data and t.numpy() is t.data
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    assert ag.Tensor(3.5).item() == 3.5 and isinstance(ag.Tensor(3.5).item(), float)
    assert float(ag.Tensor(2.0)) == 2.0 and int(ag.Tensor(2.0)) == 2
    assert len(t) == 2
    rows = list(t)
    assert all(isinstance(r, ag.Tensor) for r in rows)
    np.testing.assert_array_equal(rows[1].data, [3.0, 4.0])
    with pytest.raises(TypeError):
        iter(ag.Tensor(1.0))


def test_iteration_is_differentiable():
    x = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    total = ag.Tensor(0.0)
    for i, entry in enumerate(x):
        total = total + entry * float(i)
    total.backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 2.0])


def test_repr_reads_like_ndarray():
    assert repr(ag.Tensor([[1.0, 2.0], [3.0, 4.0]])) == (
        "tensor([[1., 2.],\n        [3., 4.]])")
    assert repr(ag.Tensor([1.0], requires_grad=True)) == "tensor([1.], requires_grad=True)"
    assert repr(ag.Tensor([1.0], requires_grad=True) * 2) == "tensor([2.], grad_fn=<mul>)"
    assert repr(ag.Tensor(np.float32(1.5))) == "tensor(1.5, dtype=float32)"


# ------------------------------------------------------------------ constructors
@pytest.mark.parametrize("make", [ag.zeros, ag.ones])
def test_zeros_ones_int_or_tuple(make):
    fill = 0.0 if make is ag.zeros else 1.0
    assert make(3).shape == (3,)
    t = make((2, 3), requires_grad=True)
    assert t.shape == (2, 3) and t.requires_grad
    np.testing.assert_array_equal(t.data, np.full((2, 3), fill))
    assert make(2, dtype=np.float32).dtype == np.float32


def test_randn_and_manual_seed_reproduce():
    ag.manual_seed(123)
    first = ag.randn(3, 4, requires_grad=True)
    ag.manual_seed(123)
    second = ag.randn((3, 4))
    assert first.shape == (3, 4) and first.requires_grad
    np.testing.assert_array_equal(first.data, second.data)
    assert not np.array_equal(first.data, ag.randn(3, 4).data)


def test_arange_as_numpy():
    np.testing.assert_array_equal(ag.arange(5).data, np.arange(5))
    np.testing.assert_array_equal(ag.arange(0.0, 1.0, 0.25).data, np.arange(0.0, 1.0, 0.25))
    assert ag.arange(3.0, requires_grad=True).requires_grad


@pytest.mark.parametrize("data, pattern", [
    (None, r"Tensor: data must be numbers or booleans, got None"),
    ("abc", r"Tensor: data must be numbers or booleans, got 'abc' \(str\)"),
    (["1", "2"], r"Tensor: data must be numbers.*dtype <U1"),
    ({"a": 1}, r"Tensor: data must be numbers.*\(dict\)"),
])
def test_non_numeric_data_is_refused(data, pattern):
    with pytest.raises(TypeError, match=pattern):
        ag.Tensor(data)


def test_ragged_lists_name_the_tensor():
    with pytest.raises(ValueError, match=r"Tensor: cannot make an array of numbers"):
        ag.Tensor([[1.0, 2.0], [3.0]])


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
