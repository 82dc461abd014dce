"""The matrix product and the fused linear map u = x Wᵀ + b (S11): forward equals NumPy,
gradients equal central differences (second derivatives too), constants on either side;
errors name both shapes."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from finite_differences import check_op
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, matmul_shapes, shapes

import autograd as ag
from autograd.ops import linear


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


# ---------------------------------------------------------------- linear
@given(data=st.data(), batch=shapes(min_dims=0, max_dims=2, max_side=3),
       n_in=st.integers(1, 4), n_out=st.integers(1, 4), bias=st.booleans())
def test_linear_equals_x_times_w_transposed_plus_b(data, batch, n_in, n_out, bias):
    x = data.draw(arrays((*batch, n_in)))
    w = data.draw(arrays((n_out, n_in)))
    if bias:
        b = data.draw(arrays((n_out,)))
        check_op(linear, x, w, b, ref=lambda x, w, b: x @ w.T + b)
    else:
        check_op(lambda x, w: linear(x, w), x, w, ref=lambda x, w: x @ w.T)


def test_linear_second_derivatives_equal_finite_differences():
    rng = np.random.default_rng(3)
    x = ag.Tensor(rng.normal(size=(4, 3)))
    w = ag.Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    b = ag.Tensor(rng.normal(size=2), requires_grad=True)

    def weight_gradient(w, b):
        loss = (linear(x, w, b).tanh() ** 2).sum()
        return ag.grad(loss, [w, b], create_graph=True)[0]

    assert ag.gradcheck(weight_gradient, [w, b])


def test_linear_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"linear.*\(2, 3\).*\(4, 5\)"):
        linear(ag.Tensor(np.ones((4, 5))), ag.Tensor(np.ones((2, 3))))
