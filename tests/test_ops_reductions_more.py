"""std, prod, logsumexp, norm and cumsum against NumPy and central differences (second
derivatives too), argmax/argmin and any/all against NumPy, and the axis rules every
reduction shares: duplicate axes, a 0-d tensor's axes, non-integer axes, and var with no
degrees of freedom left (issue 13, items 7 and 14)."""

from __future__ import annotations

import numpy as np
import pytest
from finite_differences import check_op, check_second_order
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import arrays, axes, distinct_arrays, nonzero_arrays, shapes

import autograd as ag


def np_logsumexp(x, axis=None, keepdims=False):
    top = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=axis)


@st.composite
def array_and_axis(draw, elements=None, min_side=1):
    shape = draw(shapes(min_side=min_side))
    x = draw(elements(shape) if elements else arrays(shape))
    return x, draw(axes(len(shape))), draw(st.booleans())


@given(case=array_and_axis(), ddof=st.sampled_from([0, 1]))
def test_std(case, ddof):
    x, axis, keepdims = case
    n = x.size if axis is None else int(np.prod([x.shape[a] for a in np.atleast_1d(axis)]))
    assume(n > 1 and n - ddof > 0)  # one entry has zero variance, where √ has no slope
    x = x + np.linspace(0, 1, x.size).reshape(x.shape)
    check_op(lambda t: t.std(axis, keepdims, ddof), x,
             ref=lambda a: np.std(a, axis=axis, keepdims=keepdims, ddof=ddof), rtol=1e-4)


@given(case=array_and_axis(nonzero_arrays))
def test_prod(case):
    x, axis, keepdims = case
    check_op(lambda t: t.prod(axis, keepdims), x,
             ref=lambda a: np.prod(a, axis=axis, keepdims=keepdims))


@given(case=array_and_axis(), zeros=st.integers(1, 2))
def test_prod_gradient_is_exact_where_entries_are_zero(case, zeros):
    """Πⱼ≠ᵢ aⱼ: one zero leaves its own entry a non-zero gradient; two zero everything."""
    x, axis, keepdims = case
    x = x.copy()
    x.flat[:zeros] = 0.0
    check_op(lambda t: ag.prod(t, axis, keepdims), x,
             ref=lambda a: np.prod(a, axis=axis, keepdims=keepdims))


@given(case=array_and_axis())
def test_logsumexp(case):
    x, axis, keepdims = case
    check_op(lambda t: t.logsumexp(axis, keepdims), x,
             ref=lambda a: np_logsumexp(a, axis=axis, keepdims=keepdims))


def test_logsumexp_is_finite_for_huge_inputs_and_minus_inf_when_empty():
    x = ag.Tensor([1000.0, 1000.0])
    assert ag.logsumexp(x).item() == pytest.approx(1000.0 + np.log(2))
    assert ag.logsumexp(ag.Tensor(np.zeros(0))).item() == -np.inf
    assert ag.logsumexp(ag.Tensor([-np.inf, -np.inf])).item() == -np.inf


@given(case=array_and_axis(nonzero_arrays), p=st.sampled_from([2, 1, 3, np.inf]))
def test_norm(case, p):
    x, axis, keepdims = case
    if p == np.inf and axis is not None:
        return  # NumPy's vector ∞-norm needs one axis; the full reduction is checked below
    reference = (lambda a: np.max(np.abs(a), keepdims=keepdims)) if p == np.inf else (
        lambda a: np.sum(np.abs(a) ** p, axis=axis, keepdims=keepdims) ** (1 / p))
    if p == np.inf:
        x = np.sign(x) * (np.abs(x) + np.linspace(0, 1, x.size).reshape(x.shape))  # no ties
    check_op(lambda t: t.norm(p, axis, keepdims), x, ref=reference)


def test_norm_of_zero_has_zero_gradient_as_pytorch():
    x = ag.Tensor(np.zeros(3), requires_grad=True)
    x.norm().backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros(3))
    np.testing.assert_allclose(np.linalg.norm(ag.Tensor([[3.0, 4.0]]), axis=1).data, [5.0])


@given(data=st.data(), shape=shapes(min_dims=1))
def test_cumsum(data, shape):
    x = data.draw(arrays(shape))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    check_op(lambda t: t.cumsum(axis), x, ref=lambda a: np.cumsum(a, axis=axis))
    check_op(lambda t: ag.cumsum(t), x, ref=np.cumsum)  # flattened, as NumPy


@pytest.mark.parametrize("fn", [
    lambda t: (t.std(axis=1, keepdims=True) * t).sum(axis=0),
    lambda t: t.prod(axis=0),
    lambda t: t.logsumexp(axis=1),
    lambda t: t.norm(axis=0) * t,
    lambda t: t.cumsum(axis=1) * t,
])
def test_second_derivatives(fn):
    x = np.array([[0.5, -1.2, 0.8], [1.1, 0.3, -0.7]])
    check_second_order(fn, x, rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------- without gradient
@given(case=array_and_axis(distinct_arrays))
def test_argmax_argmin_match_numpy(case):
    x, axis, keepdims = case
    if not isinstance(axis, int):
        axis = None
    t = ag.Tensor(x, requires_grad=True)
    for ours, theirs in ((t.argmax, np.argmax), (t.argmin, np.argmin)):
        result = ours(axis, keepdims)
        np.testing.assert_array_equal(result.data, theirs(x, axis=axis, keepdims=keepdims))
        assert not result.requires_grad and result.dtype.kind == "i"


@given(case=array_and_axis(lambda shape: arrays(shape, -1, 1).map(lambda a: a > 0)))
def test_any_all_match_numpy(case):
    x, axis, keepdims = case
    t = ag.Tensor(x)
    np.testing.assert_array_equal(t.any(axis, keepdims).data,
                                  np.any(x, axis=axis, keepdims=keepdims))
    np.testing.assert_array_equal(ag.all(t, axis, keepdims).data,
                                  np.all(x, axis=axis, keepdims=keepdims))


def test_predicates_and_logic_give_constant_boolean_tensors():
    x = ag.Tensor([np.nan, np.inf, -1.0, 0.0], requires_grad=True)
    np.testing.assert_array_equal(x.isnan().data, [True, False, False, False])
    np.testing.assert_array_equal(ag.isinf(x).data, [False, True, False, False])
    np.testing.assert_array_equal(np.isfinite(x).data, [False, False, True, True])
    positive, small = x > 0, x < 1
    np.testing.assert_array_equal((positive & ~small).data, [False, True, False, False])
    np.testing.assert_array_equal((positive | small).data, [False, True, True, True])
    np.testing.assert_array_equal((positive ^ small).data, [False, True, True, True])
    from_numpy = np.array([True, False, True, False]) & small  # an array on the left
    assert isinstance(from_numpy, ag.Tensor)
    np.testing.assert_array_equal(from_numpy.data, [False, False, True, False])
    assert not (positive & small).requires_grad
    with pytest.raises(TypeError, match=r"&: needs boolean .* got dtype float64"):
        x & x


# ---------------------------------------------------------------- axis rules
@pytest.mark.parametrize("call, error, pattern", [
    (lambda t: t.sum(axis=1.0), TypeError, r"sum: axis must be an int.*1\.0"),
    (lambda t: t.mean(axis="0"), TypeError, r"mean: axis must be an int.*'0' \(str\)"),
    (lambda t: t.sum(axis=(0, 0)), ValueError, r"sum: axis \(0, 0\) names the same axis twice"),
    (lambda t: t.max(axis=(1, -1)), ValueError, "max: .* names the same axis twice"),
    (lambda t: t.argmax(axis=2), ValueError, "argmax: axis 2 is out of range"),
    (lambda t: t.cumsum(axis=0.5), TypeError, "cumsum: axis must be an int"),
    (lambda t: t.norm(p=-1), ValueError, "norm: p must be a positive number"),
])
def test_bad_axes_raise_naming_the_op(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(ag.Tensor(np.ones((2, 3)), requires_grad=True))


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "prod", "logsumexp", "any"])
def test_a_0d_tensor_has_axes_0_and_minus_1_only(reduce):
    """As PyTorch: a number reduces over axis 0 or −1 to itself; any other axis raises
    (it used to be ignored)."""
    t = ag.Tensor(2.0)
    assert getattr(t, reduce)(axis=0).shape == () and getattr(t, reduce)(axis=-1).shape == ()
    with pytest.raises(ValueError, match=f"{reduce}: axis 1 is out of range"):
        getattr(t, reduce)(axis=1)


def test_var_without_degrees_of_freedom_is_inf_with_a_warning():
    """ddof ≥ n: NumPy and PyTorch divide by max(n − ddof, 0) = 0, giving inf (nan for
    constant entries); it used to divide by n − ddof < 0, a finite negative number."""
    x = ag.Tensor([1.0, 2.0])
    for ddof in (2, 3):
        with pytest.warns(RuntimeWarning, match="var: ddof"):
            assert x.var(ddof=ddof).item() == np.inf
    with pytest.warns(RuntimeWarning):
        assert np.isnan(ag.Tensor([1.0, 1.0]).var(ddof=2).item())
    with pytest.warns(RuntimeWarning):
        assert np.isinf(x.std(ddof=5).item())


def test_new_ops_match_pytorch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    rng = np.random.default_rng(5)
    x = rng.uniform(0.2, 2.0, (3, 4)) * rng.choice([-1.0, 1.0], (3, 4))
    index = np.array([[3, 0], [1, 1], [2, 0]])
    pairs = [
        (lambda t: t.std(axis=1, ddof=1), lambda t: t.std(dim=1)),
        (lambda t: t.prod(axis=0), lambda t: t.prod(dim=0)),
        (lambda t: t.logsumexp(axis=1), lambda t: t.logsumexp(dim=1)),
        (lambda t: t.norm(axis=1), lambda t: t.norm(dim=1)),
        (lambda t: t.norm(3), lambda t: t.norm(3)),
        (lambda t: t.cumsum(1), lambda t: t.cumsum(1)),
        (lambda t: t.gather(1, index), lambda t: t.gather(1, torch.tensor(index))),
        (lambda t: t.abs().rsqrt() + t.sin() * t.cos(),
         lambda t: t.abs().rsqrt() + t.sin() * t.cos()),
        (lambda t: t.abs().log2() - t.abs().log10() + t.exp2(),
         lambda t: t.abs().log2() - t.abs().log10() + t.exp2()),
        (lambda t: t % 0.7 + t.reciprocal(), lambda t: t % 0.7 + t.reciprocal()),
        (lambda t: t.permute(1, 0).expand(2, 4, 3), lambda t: t.permute(1, 0).expand(2, 4, 3)),
    ]
    for ours, theirs in pairs:
        a = ag.Tensor(x, requires_grad=True)
        b = torch.tensor(x, requires_grad=True)
        ya, yb = ours(a), theirs(b)
        np.testing.assert_allclose(ya.data, yb.detach().numpy(), rtol=1e-12, atol=1e-14)
        w = np.random.default_rng(1).uniform(-1, 1, ya.shape)
        ya.backward(w)
        yb.backward(torch.tensor(w))
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-10, atol=1e-12)
