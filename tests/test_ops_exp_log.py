"""Exponentials, logarithms and roots — exp, log, sqrt, log2, log10, exp2, rsqrt: values
against NumPy, gradients against central differences, second derivatives
(Hessian-vector products) against central differences of the gradient."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op, smooth_function_tests
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, positive_arrays, shapes

import autograd as ag

UNARY = [
    ("exp", ag.exp, np.exp, arrays),
    ("log", ag.log, np.log, positive_arrays),
    ("sqrt", ag.sqrt, np.sqrt, positive_arrays),
]


@pytest.mark.parametrize(("name", "fn", "ref", "domain"), UNARY, ids=[u[0] for u in UNARY])
@given(data=st.data(), shape=shapes())
def test_unary_function(name, fn, ref, domain, data, shape):
    check_op(fn, data.draw(domain(shape)), ref=ref)


SMOOTH = {
    # name: (our function, NumPy reference, strategy for the input)
    "log2": (lambda t: t.log2(), np.log2, positive_arrays(shapes())),
    "log10": (lambda t: ag.log10(t), np.log10, positive_arrays(shapes())),
    "exp2": (lambda t: t.exp2(), np.exp2, arrays(shapes())),
    "rsqrt": (lambda t: ag.rsqrt(t), lambda x: 1 / np.sqrt(x), positive_arrays(shapes())),
}


test_smooth_function_values_and_gradients, test_smooth_function_second_derivatives = (
    smooth_function_tests(SMOOTH))
