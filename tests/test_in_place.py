"""In-place updates (``-=``, ``zero_()``, ``t[index] = v``) where no graph records them;
``+=`` while recording makes a new node; a graph that saw the old values refuses to
backpropagate; the errors say what to write instead."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag


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
