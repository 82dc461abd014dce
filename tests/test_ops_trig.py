"""sin and cos: values against NumPy, gradients against central differences, second
derivatives (Hessian-vector products) against central differences of the gradient."""

from __future__ import annotations

import numpy as np
from finite_differences import smooth_function_tests
from strategies import arrays, shapes

import autograd as ag

SMOOTH = {
    # name: (our function, NumPy reference, strategy for the input)
    "sin": (lambda t: t.sin(), np.sin, arrays(shapes(), -3.0, 3.0)),
    "cos": (lambda t: ag.cos(t), np.cos, arrays(shapes(), -3.0, 3.0)),
}


test_smooth_function_values_and_gradients, test_smooth_function_second_derivatives = (
    smooth_function_tests(SMOOTH))
