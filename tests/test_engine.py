"""Engine semantics, one test each: accumulation, fan-out, retain_graph, hooks, retain_grad,
grad mode per thread, ag.grad, detach, error messages, a very deep chain, freed memory."""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np
import pytest

import autograd as ag


def leaf(values, **kwargs):
    return ag.Tensor(np.array(values, dtype=np.float64), requires_grad=True, **kwargs)


def test_leaf_gradients_accumulate_until_cleared():
    x = leaf([1.0, 2.0])
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0 + 2.0, 3.0 + 4.0])
    x.zero_grad()
    assert x.grad is None
    (x * 3.0).sum().backward()
    x.grad = None
    (x * 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_reused_input_x_plus_x_times_x():
    """Regression: d((x + x)·x)/dx = 4x (both uses of x must be summed)."""
    x = leaf([1.0, -2.0, 3.0])
    ((x + x) * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, -8.0, 12.0])


def test_fan_out_gradients_sum():
    x = leaf([0.1, 0.3])
    y = x * 3.0
    (y + y.exp() + y * y).sum().backward()
    expected = 3.0 + 3.0 * np.exp(3.0 * x.data) + 18.0 * x.data
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12)


def test_second_backward_needs_retain_graph():
    x = leaf([0.5, -1.0])
    out = (x.tanh() * x).sum()
    out.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        out.backward()


def test_retain_graph_allows_a_second_backward_that_accumulates():
    x = leaf([0.5, -1.0])
    out = (x.tanh() * x).relu().sum()
    out.backward(retain_graph=True)
    first = x.grad.data.copy()
    out.backward()
    np.testing.assert_allclose(x.grad.data, 2 * first)


def test_hook_on_leaf_called_once_with_summed_gradient():
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    (x * 2.0 + x * 3.0).sum().backward()
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], [5.0, 5.0])
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])


def test_hook_on_non_leaf_called_once_with_summed_gradient():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    seen = []
    y.register_hook(lambda g: seen.append(g.data.copy()))
    (y + y * y).sum().backward()
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], 1.0 + 2.0 * y.data)


@pytest.mark.parametrize("on_leaf", [True, False])
def test_hook_return_value_replaces_gradient(on_leaf):
    x = leaf([1.0, 2.0])
    y = x * 2.0
    (x if on_leaf else y).register_hook(lambda g: g * 10.0)
    (y * y).sum().backward()
    expected = 10.0 * 2.0 * y.data * 2.0 if not on_leaf else 10.0 * 4.0 * 2.0 * x.data
    np.testing.assert_array_equal(x.grad.data, expected)


def test_removed_hook_is_not_called():
    x = leaf([1.0])
    seen = []
    remove = x.register_hook(seen.append)
    remove()
    (x * 2.0).sum().backward()
    assert seen == []


def test_retain_grad_on_non_leaf():
    x = leaf([1.0, 2.0])
    y = x * 3.0
    z = x * 4.0
    y.retain_grad()
    (y * y + z).sum().backward()
    np.testing.assert_array_equal(y.grad.data, 2.0 * y.data)
    with pytest.warns(UserWarning, match="retain_grad"):
        assert z.grad is None


def test_no_grad_is_per_thread():
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def worker():
        with ag.no_grad():
            seen["worker enabled"] = ag.is_grad_enabled()
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(5)
    try:
        assert ag.is_grad_enabled()
        assert (leaf([1.0]) * 2.0).grad_fn is not None
    finally:
        release.set()
        thread.join()
    assert seen["worker enabled"] is False


def test_no_grad_records_nothing_and_enable_grad_inside_records():
    x = leaf([1.0])
    with ag.no_grad():
        y = x * 2.0
        with ag.enable_grad():
            z = x * 2.0
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad
    assert z.grad_fn is not None and z.requires_grad


def test_no_grad_as_decorator():
    @ag.no_grad()
    def double(t):
        return t * 2.0

    assert double(leaf([1.0])).grad_fn is None
    assert ag.is_grad_enabled()


def test_functional_grad_leaves_dot_grad_untouched():
    x = leaf([1.0, 2.0])
    x.grad = ag.Tensor([7.0, 7.0])
    (g,) = ag.grad((x * x).sum(), x)
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    np.testing.assert_array_equal(x.grad.data, [7.0, 7.0])
    y = leaf([3.0])
    ag.grad((y * 2.0).sum(), [y])
    assert y.grad is None


def test_functional_grad_of_several_outputs_and_a_non_leaf_input():
    x = leaf([1.0, 2.0])
    h = x * 3.0
    a, b = (h * h).sum(), h.sum()
    gh, gx = ag.grad([a, b], [h, x], grad_outputs=[None, ag.Tensor(2.0)])
    np.testing.assert_array_equal(gh.data, 2.0 * h.data + 2.0)
    np.testing.assert_array_equal(gx.data, 3.0 * (2.0 * h.data + 2.0))


def test_allow_unused():
    x, unused = leaf([1.0]), leaf([2.0])
    with pytest.raises(RuntimeError, match="allow_unused"):
        ag.grad((x * 2.0).sum(), [x, unused])
    gx, gu = ag.grad((x * 2.0).sum(), [x, unused], allow_unused=True)
    np.testing.assert_array_equal(gx.data, [2.0])
    assert gu is None


def test_detach_shares_data_and_cuts_the_graph():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    d = y.detach()
    assert d.grad_fn is None and not d.requires_grad and d.is_leaf
    d.data[0] = 100.0
    assert y.data[0] == 100.0
    (d * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [100.0, 4.0])


def test_backward_of_non_scalar_without_gradient_names_the_shape():
    y = leaf(np.ones((2, 3))) * 2.0
    with pytest.raises(RuntimeError, match=r"\(2, 3\)"):
        y.backward()
    y.backward(np.ones((2, 3)))  # with a gradient it works


def test_backward_gradient_of_wrong_shape_is_rejected():
    y = leaf(np.ones((2, 3))) * 2.0
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 3\)"):
        y.backward(np.ones(3))


def test_backward_on_one_element_non_scalar_without_gradient():
    x = leaf([[2.0]])
    (x * x).backward()
    np.testing.assert_array_equal(x.grad.data, [[4.0]])


def test_backward_of_a_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (ag.Tensor([1.0]) * 2.0).sum().backward()


def test_op_on_inputs_without_grad_returns_a_leaf():
    a, b = ag.Tensor([1.0, 2.0]), ag.Tensor([3.0, 4.0])
    for out in (a * b, a.exp(), a @ b, a[0], a.sum(), ag.stack([a, b])):
        assert out.requires_grad is False and out.grad_fn is None and out.is_leaf


def test_backward_without_create_graph_records_nothing():
    x = leaf([0.5, 1.5])
    y = (x.tanh() * x.exp()).sum()
    (g,) = ag.grad(y, x, retain_graph=True)
    assert g.grad_fn is None and not g.requires_grad
    y.backward()
    assert x.grad.grad_fn is None and not x.grad.requires_grad


def test_backward_with_create_graph_records_the_gradient():
    x = leaf([0.5, 1.5])
    (x.tanh() * x).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None


def test_deep_chain_backward_does_not_recurse():
    """200,000 ops in one chain: recursion would die near sys.getrecursionlimit()."""
    x = leaf([1.0, 2.0])
    y = x
    for _ in range(200_000):
        y = -y
    y.backward(np.array([1.0, 3.0]))
    np.testing.assert_array_equal(x.grad.data, [1.0, 3.0])  # (−1)^200000 = 1


def test_backward_releases_saved_arrays():
    x = leaf([-1.0, 2.0])
    y = x.relu() * 2.0
    node = y.grad_fn.inputs[0]  # the relu node (a node keeps the node its input came from)
    saved_mask = weakref.ref(node.saved[0])
    y.sum().backward()
    assert saved_mask() is None


def test_retain_graph_keeps_saved_arrays():
    x = leaf([-1.0, 2.0])
    y = x.relu()
    saved_mask = weakref.ref(y.grad_fn.saved[0])
    y.sum().backward(retain_graph=True)
    assert saved_mask() is not None


def test_dropping_the_output_frees_the_graph_without_gc():
    gc.disable()
    try:
        x = leaf(np.linspace(-1.0, 1.0, 5))
        hidden = (x * 2.0).tanh().exp()
        out = (hidden.sigmoid() * x).sum()
        out.backward()
        refs = [weakref.ref(hidden), weakref.ref(hidden.grad_fn), weakref.ref(out.grad_fn)]
        del hidden, out
        assert [r() for r in refs] == [None, None, None]
    finally:
        gc.enable()

def test_grad_does_not_fire_hooks_of_leaves_it_was_not_asked_for():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    w = ag.Tensor([3.0, 4.0], requires_grad=True)
    seen = []
    w.register_hook(lambda g: seen.append(g))
    (gx,) = ag.grad((x * w).sum(), x)
    np.testing.assert_array_equal(gx.data, [3.0, 4.0])
    assert seen == []
