"""sin and cos: values against NumPy, gradients against central differences, second
derivatives (Hessian-vector products) against central differences of the gradient."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op, check_second_order
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, shapes

import autograd as ag

SMOOTH = {
    # name: (our function, NumPy reference, strategy for the input)
    "sin": (lambda t: t.sin(), np.sin, arrays(shapes(), -3.0, 3.0)),
    "cos": (lambda t: ag.cos(t), np.cos, arrays(shapes(), -3.0, 3.0)),
}


@pytest.mark.parametrize("name", SMOOTH)
@given(data=st.data())
def test_smooth_function_values_and_gradients(name, data):
    fn, reference, strategy = SMOOTH[name]
    check_op(fn, data.draw(strategy), ref=reference)


@pytest.mark.parametrize("name", SMOOTH)
@given(data=st.data())
def test_smooth_function_second_derivatives(name, data):
    fn, _, strategy = SMOOTH[name]
    check_second_order(fn, data.draw(strategy), rtol=1e-4, atol=1e-5)
