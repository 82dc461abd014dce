"""What holds across ops: a Tensor method equals the function of the same name; each op
states its formula, and explain and draw show it; ops keep float32; and a chain of ops
matches PyTorch, values and gradients."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from strategies import positive_arrays, shapes

import autograd as ag
from nn import functional as F


@pytest.mark.parametrize("name", ["abs", "exp", "log", "sqrt", "tanh", "sigmoid", "relu"])
@given(x=positive_arrays(shapes()))
def test_method_equals_function(name, x):
    t = ag.Tensor(x)
    method = getattr(t, name)()
    function = abs(t) if name == "abs" else getattr(ag, name)(t)
    np.testing.assert_array_equal(method.data, function.data)


@pytest.mark.parametrize("name, formula_part", [
    ("sin", "cos a"), ("log2", "ln 2"), ("rsqrt", "y³"), ("floor", "0"),
    ("gelu", "Φ(a)"), ("silu", "S9"), ("leaky_relu", "slope"), ("cumsum", "reversed"),
    ("logsumexp", "softmax"), ("prod", "Πⱼ≠ᵢ"), ("norm", "‖a‖"),
    ("take_along_axis", "scattered"),
])
def test_each_new_op_states_its_formula(name, formula_part):
    node_classes = {cls.name: cls for cls in _all_functions()}
    assert formula_part in node_classes[name].formula


def _all_functions():
    seen, stack = [], [ag.Function]
    while stack:
        cls = stack.pop()
        seen.append(cls)
        stack.extend(cls.__subclasses__())
    return seen


def test_new_ops_appear_in_explain_and_draw_with_their_formulas():
    x = ag.Tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True, name="x")
    parts = [F.gelu(x).cumsum(1).logsumexp(axis=1), x.sin().prod(axis=1),
             x.gather(1, np.array([[1], [0]])).squeeze(1), x.norm(axis=1),
             F.softplus(x).std(axis=1), (x % 0.7).sum(axis=1), x.rsqrt().mean(axis=1) * 0]
    y = sum(parts[1:], parts[0]).sum()
    ag.retain_grads(y)
    y.backward()
    rows = ag.explain(y).rows()  # str() wraps long cells over lines: read the rows
    source = ag.draw(y, show_formula=True).source
    nodes = {cls.name: cls for cls in _all_functions()}
    for name in ("gelu", "cumsum", "logsumexp", "sin", "prod", "take_along_axis", "norm",
                 "softplus", "mod", "rsqrt"):
        assert [name, nodes[name].formula] in [row[1:3] for row in rows], name
        assert name in source, name


@pytest.mark.parametrize("fn", [
    lambda t: t.sin(), lambda t: t.cos(), lambda t: t.log2(), lambda t: t.log10(),
    lambda t: t.exp2(), lambda t: t.rsqrt(), lambda t: t.square(), lambda t: t.reciprocal(),
    lambda t: t.floor(), lambda t: t % 0.3, lambda t: t // 0.3, lambda t: t.std(),
    lambda t: t.prod(), lambda t: t.logsumexp(), lambda t: t.norm(), lambda t: t.norm(3),
    lambda t: t.cumsum(0), lambda t: t.gather(0, np.array([1, 1])), lambda t: t.expand(2, 2),
], ids=lambda fn: "")
def test_new_ops_keep_float32(fn):
    x = ag.Tensor(np.array([0.5, 1.5], dtype=np.float32), requires_grad=True)
    y = fn(x)
    y.backward(np.ones(y.shape, dtype=np.float32))
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


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
