"""``ag.gradcheck``: passes correct gradients, catches wrong ones and names the input, the
element and both values; rejects inputs it cannot check."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from strategies import arrays, nonzero_arrays, shapes

import autograd as ag


class BadSquare(ag.Function):
    """a², with the factor 2 deliberately missing from the backward."""

    name = "bad_square"
    formula = "∂a²/∂a = a   (wrong on purpose)"

    def forward(self, a):
        return a * a

    def backward(self, grad, a):
        return (grad * a,)


class OffByAHair(ag.Function):
    """3a, with a backward off by 1e-7: within the default tolerance, outside a tight one."""

    name = "off_by_a_hair"

    def forward(self, a):
        return 3 * a

    def backward(self, grad, a):
        return (grad * (3 + 1e-7),)


def leaf(values):
    return ag.Tensor(np.array(values, dtype=np.float64), requires_grad=True)


@given(x=arrays(shapes(), -1.0, 1.0), y=arrays(shapes(), -1.0, 1.0))
def test_passes_correct_gradients_of_any_output_shape(x, y):
    tx, ty = leaf(x), leaf(y)
    assert ag.gradcheck(lambda a, b: (a * b.sum()).tanh() + a.exp(), [tx, ty])
    assert ag.gradcheck(lambda a: a.sigmoid().sum(), tx)


def test_checks_a_gradient_function_itself():
    """Second order: the create_graph gradient 3x² of Σx³ has derivative 6x."""
    x = leaf([0.5, -1.2, 2.0])
    assert ag.gradcheck(lambda a: ag.grad((a ** 3).sum(), a, create_graph=True)[0], [x])


def test_constants_among_the_inputs_are_not_checked():
    assert ag.gradcheck(lambda a, c, k: a * c + k, [leaf([1.0, 2.0]), np.array([3.0, 4.0]), 2.0])


@given(x=nonzero_arrays(shapes(min_dims=1), lo=0.5))
def test_catches_a_wrong_backward(x):
    with pytest.raises(ag.GradcheckError):
        ag.gradcheck(BadSquare.apply, [leaf(x)])


def test_error_names_input_element_and_both_values():
    x, y = leaf([[1.0, 2.0]]), leaf([[0.5, 3.0]])
    with pytest.raises(ag.GradcheckError) as raised:
        ag.gradcheck(lambda a, b: a * 2.0 + BadSquare.apply(b), [x, y])
    message = str(raised.value)
    assert "input 1" in message
    assert "(0, 0)" in message
    values = re.search(r"analytic gradient (\S+) but numeric (\S+)$", message)
    analytic, numeric = float(values[1]), float(values[2])  # plain numbers, not reprs
    assert analytic == pytest.approx(0.5)  # the wrong backward: a
    assert numeric == pytest.approx(1.0, rel=1e-6)  # the true derivative: 2a


def test_inputs_are_restored_after_checking():
    x = leaf([0.3, -0.7])
    ag.gradcheck(lambda a: (a * a).sum(), [x])
    np.testing.assert_array_equal(x.data, [0.3, -0.7])


def test_tolerances_are_respected():
    x = leaf([0.3, -0.7])
    assert ag.gradcheck(OffByAHair.apply, [x])
    with pytest.raises(ag.GradcheckError):
        ag.gradcheck(OffByAHair.apply, [x], atol=1e-9, rtol=0.0)


def test_rejects_float32_inputs():
    x = ag.Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    with pytest.raises(TypeError, match="float64"):
        ag.gradcheck(lambda a: a * 2.0, [x])


def test_rejects_inputs_without_grad_and_non_tensor_outputs():
    with pytest.raises(ValueError, match="requires grad"):
        ag.gradcheck(lambda a: a * 2.0, [ag.Tensor([1.0])])
    with pytest.raises(TypeError, match="Tensor"):
        ag.gradcheck(lambda a: 1.0, [leaf([1.0])])


def test_output_independent_of_inputs_is_an_error():
    with pytest.raises(ag.GradcheckError, match="does not depend"):
        ag.gradcheck(lambda a: ag.Tensor([1.0]), [leaf([1.0])])


@pytest.mark.parametrize("failing_call", [2, 3, 6])   # at x + ε, at x − ε, a later entry
def test_inputs_are_restored_when_fn_raises_part_way(failing_call):
    x = leaf([0.3, -0.7, 1.1])
    calls = []

    def fn(a):
        calls.append(1)
        if len(calls) == failing_call:   # call 1 is gradcheck's own forward
            raise ArithmeticError("fn failed at a perturbed point")
        return (a * a).sum()

    with pytest.raises(ArithmeticError, match="perturbed point"):
        ag.gradcheck(fn, [x])
    np.testing.assert_array_equal(x.data, [0.3, -0.7, 1.1])
