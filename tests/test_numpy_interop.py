"""NumPy functions on tensors go through the graph (or refuse), user errors at the public
entry points name the op and the argument in our words (issue 13 item 13), the powers at
the edges of their domain (item 7), and in-place updates (``-=``, ``zero_()``) where no
graph records them."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag


# ---------------------------------------------------------------- NumPy functions
def test_numpy_reductions_dot_and_concatenate_keep_the_graph():
    a = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = ag.Tensor([0.5, -1.0], requires_grad=True)
    total = (np.sum(a) + np.mean(a * a) + np.dot(a, b).sum()
             + np.concatenate([a.reshape(-1), b]).sum() + np.std(b))
    assert isinstance(total, ag.Tensor)
    total.backward()
    # ∂/∂a: 1 + 2a/4 + b (each row of a·b) + 1;  ∂/∂b: Σ_rows a + 1 + ∂std/∂b
    np.testing.assert_allclose(a.grad.data, 2 + a.data / 2 + b.data)
    centred = b.data - b.data.mean()
    np.testing.assert_allclose(b.grad.data, a.data.sum(axis=0) + 1
                               + centred / (2 * np.sqrt(np.mean(centred ** 2))))


@pytest.mark.parametrize("call", [
    lambda t: np.cumprod(t), lambda t: np.sort(t), lambda t: np.diff(t),
])
def test_an_unmapped_numpy_function_on_a_grad_tensor_refuses(call):
    with pytest.raises(TypeError, match=r"np\.\w+: has no gradient in autograd"):
        call(ag.Tensor([3.0, 1.0, 2.0], requires_grad=True))
    assert isinstance(call(ag.Tensor([3.0, 1.0, 2.0])), np.ndarray)  # without grad: runs


# ---------------------------------------------------------------- clear errors
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


def test_integer_power_error_is_not_a_shape_error():
    with pytest.raises(ValueError, match="pow: an integer base cannot be raised to a "
                                         "negative integer power") as caught:
        ag.Tensor([1, 2]) ** -1
    assert "broadcast" not in str(caught.value)
    assert (ag.Tensor([1, 2]) ** -1.0).data.tolist() == [1.0, 0.5]
    with pytest.raises(ValueError, match=r"pow: cannot broadcast shapes \(2,\) and \(3,\)"):
        ag.Tensor([1.0, 2.0]) ** ag.Tensor([1.0, 2.0, 3.0])


# ---------------------------------------------------------------- powers at the edges
def test_zeroth_power_at_infinity_has_zero_gradient_as_pytorch():
    x = ag.Tensor([np.inf, -np.inf, 2.0], requires_grad=True)
    (x ** 0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])


def test_zero_base_to_a_negative_power_has_minus_inf_exponent_gradient():
    """∂(0ʸ)/∂y = 0ʸ ln 0 = ∞ · (−∞) for y < 0: −∞, as PyTorch."""
    y = ag.Tensor([-1.5, 2.0], requires_grad=True)
    with np.errstate(divide="ignore"):
        (ag.Tensor([0.0, 0.0]) ** y).sum().backward()
    np.testing.assert_array_equal(y.grad.data, [-np.inf, 0.0])


# ---------------------------------------------------------------- in place
def test_sgd_by_hand_updates_the_leaf_in_place():
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    data = w.data
    with ag.no_grad():
        w -= 0.1 * w.grad
    assert w.requires_grad and w.is_leaf and w.data is data
    np.testing.assert_allclose(w.data, [0.8, 1.6])
    w.grad.zero_()
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])


def test_in_place_change_of_a_saved_tensor_is_caught_by_backward():
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    with ag.no_grad():
        w *= 2
    with pytest.raises(RuntimeError):
        loss.backward()


def test_augmented_assignment_while_recording_makes_a_new_node():
    """``loss += term`` keeps working: with grad on it is ``loss = loss + term``."""
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    total = w.sum()
    before = total
    total += (w * w).sum()
    assert total is not before
    total.backward()
    np.testing.assert_allclose(w.grad.data, 1 + 2 * w.data)


def test_in_place_errors_say_what_to_write():
    counts = ag.Tensor([1, 2])
    with pytest.raises(TypeError, match=r"\+=: cannot store the result in place.*int64.*"
                                        r"t = t \+ x"):
        counts += 0.5
    with pytest.raises(ValueError, match=r"-=: an operand of shape \(3,\)"):
        counts -= np.ones(3, dtype=int)
    with pytest.raises(RuntimeError, match=r"zero_: .*no_grad"):
        ag.Tensor([1.0], requires_grad=True).zero_()
    counts += 1
    assert counts.data.tolist() == [2, 3]


def test_a_binary_op_blames_shapes_only_when_they_do_not_broadcast():
    op = ag.ops.arithmetic.Mul()
    same = [np.ones(2), np.ones(2)]
    assert op.shape_error(same, ValueError("some other problem")) == "mul: some other problem"
    assert op.shape_error([np.ones(2), np.ones(3)], ValueError("x")) == (
        "mul: cannot broadcast shapes (2,) and (3,) together")


def test_numpy_matrix_norms_other_than_frobenius_refuse():
    m = ag.Tensor([[3.0, 0.0], [0.0, 4.0]], requires_grad=True)
    assert np.linalg.norm(m).item() == 5.0 and np.linalg.norm(m, "fro").item() == 5.0
    np.testing.assert_allclose(np.linalg.norm(m, 1, axis=0).data, [3.0, 4.0])
    with pytest.raises(TypeError, match=r"np\.linalg\.norm: the matrix norm ord=2"):
        np.linalg.norm(m, 2)


def test_item_assignment_in_place_where_no_graph_records_it():
    t = ag.zeros(2, 3)
    t[:, 1] = 1.0
    t[[0]] = ag.Tensor([5.0, 6.0, 7.0])
    np.testing.assert_array_equal(t.data, [[5.0, 6.0, 7.0], [0.0, 1.0, 0.0]])
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    with pytest.raises(RuntimeError, match=r"t\[index\] = value: .*ag\.where"):
        w[0] = 3.0
    with ag.no_grad():
        w[0] = 3.0
    assert w.data.tolist() == [3.0, 2.0]
    with pytest.raises(RuntimeError):  # the graph saw the old w
        loss.backward()
    with pytest.raises(IndexError, match=r"t\[index\] = value: index 5 .*\(2, 3\)"):
        t[5] = 0.0
