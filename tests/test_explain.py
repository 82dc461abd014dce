"""ag.explain: the backward pass as chain-rule steps, checked against the engine's own
backward pass, on the fan-out cases learners get wrong and on generated expressions."""

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given
from test_viz import build, expressions

import autograd as ag


def test_docstring_examples_hold():
    module = importlib.import_module("autograd.show.explain")  # ag.explain is the function
    assert doctest.testmod(module, raise_on_error=True).attempted == 5


def test_b_equals_a_plus_a_shows_the_accumulation():
    a = ag.Tensor([1.0, -2.0, 3.0], requires_grad=True, name="a")
    b = a + a
    b.name = "b"
    e = ag.explain(b, gradient=[1.0, 10.0, 100.0])
    (step,) = e.steps
    assert step.op == "add" and step.output == "b" and [s.to for s in step.sends] == ["a", "a"]
    for send in step.sends:  # each use of a receives the whole incoming gradient
        np.testing.assert_array_equal(send.gradient, [1.0, 10.0, 100.0])
    (total,) = e.totals
    np.testing.assert_array_equal(total.total, [2.0, 20.0, 200.0])  # ∂b/∂a = 2
    assert a.grad is None  # explain does not write .grad
    b.backward([1.0, 10.0, 100.0])
    np.testing.assert_array_equal(a.grad.data, total.total)
    assert "a.grad += [1, 10, 100] (step 1) + [1, 10, 100] (step 1) = [2, 20, 200]" in str(e)


def test_x_plus_x_times_x_sums_three_contributions_to_6x():
    x = ag.Tensor([1.5, -2.0], requires_grad=True, name="x")
    y = ((x + x) * x).sum()
    e = ag.explain(y)
    assert [s.op for s in e.steps] == ["sum", "mul", "add"]
    add = e.steps[2]
    np.testing.assert_array_equal(add.incoming, x.data)  # ∂y/∂(x+x) = x
    (total,) = e.totals
    assert [i for i, _ in total.parts] == [2, 3, 3]  # once from mul, twice from add
    np.testing.assert_allclose(total.total, 4 * x.data)  # d(2x²)/dx
    y.backward()
    np.testing.assert_array_equal(x.grad.data, total.total)


@given(expressions())
def test_per_step_gradients_sum_to_what_backward_puts_in_grad(program):
    leaves, out = build(*program)
    e = ag.explain(out)
    out.backward()
    for leaf in leaves:
        sent = [s.gradient for step in e.steps for s in step.sends if s.to == leaf.name]
        if leaf.grad is None:
            assert sent == []
            continue
        np.testing.assert_allclose(np.sum(sent, axis=0), leaf.grad.data, rtol=1e-12, atol=0)
    for step in e.steps:  # each incoming gradient is the sum of what was sent to it
        sent = [s.gradient for other in e.steps for s in other.sends if s.to == step.output]
        if sent:
            np.testing.assert_allclose(np.sum(sent, axis=0), step.incoming, rtol=1e-12)
            assert len(step.contributions) == len(sent)


def test_broadcast_inputs_receive_gradients_of_their_own_shape():
    W = ag.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, name="W")
    b = ag.Tensor([0.0, 1.0, 2.0], requires_grad=True, name="b")
    e = ag.explain((W + b).sum())
    send = next(s for s in e.steps[1].sends if s.to == "b")
    np.testing.assert_array_equal(send.gradient, [2.0, 2.0, 2.0])  # summed over 2 rows


def test_limiting_to_a_subgraph():
    x = ag.Tensor([[1.0, -1.0]], name="x")
    W = ag.Tensor([[0.5, 0.25], [-1.0, 2.0]], requires_grad=True, name="W")
    u = x @ W.T
    u.name = "u"
    E = (u.sigmoid() ** 2).sum()
    e = ag.explain(E, inputs=u)
    assert [s.op for s in e.steps] == ["sum", "pow", "sigmoid"]  # stops at u
    (total,) = e.totals
    assert total.name == "u"
    (expected,) = ag.grad(E, u, retain_graph=True)
    np.testing.assert_allclose(total.total, expected.data)
    assert [s.op for s in ag.explain(E).steps][-2:] == ["matmul", "transpose"]


def test_needs_the_saved_values_and_a_gradient_for_non_scalars():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    assert len(ag.explain(y).steps) == 2  # still possible with a retained graph
    y.backward()
    with pytest.raises(RuntimeError, match=r"ag\.retain_grads\(output\) before"):
        ag.explain(y)
    with pytest.raises(RuntimeError, match=r"gradient= is needed .*\(2,\)"):
        ag.explain(x * 3)
    with pytest.raises(RuntimeError, match="requires grad"):
        ag.explain(ag.Tensor(1.0))


def test_text_table_and_markdown():
    x = ag.Tensor(np.ones((3, 3)), requires_grad=True, name="x")
    e = ag.explain((x.tanh() * 2.0).sum())
    text = str(e).splitlines()
    assert text[1].split() == ["step", "op", "local", "derivative", "incoming", "∂E/∂output",
                               "sends"]
    assert text[0] == "backward pass of E"  # the one-element output is named E
    # rows wrap: step 3's cells continue on the lines after it, up to the next step
    start = next(n for n, line in enumerate(text) if line.split()[:2] == ["3", "tanh"])
    row = " ".join(line[text[1].index("sends"):] for line in text[start:]
                   if not line.startswith("x.grad"))
    assert "x ← [[0.8399, 0.8399, 0.8399], [0.8399" in row  # 2(1 − tanh²1), in full
    assert max(map(len, text)) <= 4 * 36 + 20
    short = str(ag.explain((x.tanh() * 2.0).sum(), show_size=4)).splitlines()
    assert "x ← shape (3, 3)" in short[4]
    assert "1 − y²  (S10)" in text[start]
    markdown = e._repr_markdown_().splitlines()
    assert markdown[2] == "| step | op | local derivative | incoming ∂E/∂output | sends |"
    assert markdown[3] == "|---|---|---|---|---|" and len(markdown) == 2 + 2 + 3 + 2


def test_a_recorded_mlp_explains_its_layers_in_the_documents_column_notation():
    # S11: u_l = W_l y_{l−1} + b_l; S16: ∂E/∂W_l = δ_l y_{l−1}ᵀ; S14/S15: δ_l = ∂E/∂y_l ∘ f′(u_l)
    import nn
    from nn import functional as F

    model = nn.MLP([2, 3, 1], activation="sigmoid")
    x = ag.Tensor([[0.5, -1.0]])
    with ag.record_modules(model):
        E = F.mse_loss(model(x), ag.Tensor([[1.0]]), reduction="half_sum")
    explanation = ag.explain(E)
    formula = {s.output: s.formula for s in explanation.steps}
    assert formula["u2"].splitlines() == [
        "u2 = W2 y1 + b2   (S11)", "∂E/∂W2 = δ2 y1ᵀ,  ∂E/∂b2 = δ2   (S16)",
        "∂E/∂y1 = W2ᵀ δ2   (S15)"]
    assert formula["u1"].startswith("u1 = W1 x + b1   (S11)\n∂E/∂W1 = δ1 xᵀ")
    assert formula["y1"].endswith("δ1 = ∂E/∂y1 ∘ f′(u1)   (S14, S15)")
    text = str(explanation).splitlines()  # each formula line starts a line of its own
    start = next(n for n, line in enumerate(text) if "u2 = W2 y1 + b2" in line)
    column = text[start].index("u2 = W2 y1 + b2")
    assert text[start][column:].split("  (S11)")[0] == "u2 = W2 y1 + b2 "
    assert text[start + 1][column:].startswith("∂E/∂W2 = δ2 y1ᵀ")
    assert "u2 = W2 y1 + b2   (S11)<br>∂E/∂W2" in explanation._repr_markdown_()
    # the same ops unrecorded keep their own formula (rows of a batch: u = x·Wᵀ + b)
    plain = ag.explain(F.mse_loss(model(x), ag.Tensor([[1.0]]), reduction="half_sum"))
    assert any(s.op == "linear" and s.formula.startswith("u = x·Wᵀ + b") for s in plain.steps)
