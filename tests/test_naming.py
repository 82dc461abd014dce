"""nn.naming.document_names: the document's names (S11, S12) land on the right tensors,
checked against the document's forward pass written in plain NumPy (nn.backprop)."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import backprop as bp
from nn import functional as F
from nn.naming import document_names


@st.composite
def mlps(draw):
    """(model, x): an nn.MLP of 1–3 layers with a random hidden and output activation,
    and a batch of inputs as rows."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    hidden = draw(st.sampled_from(["sigmoid", "tanh", "relu", "identity"]))
    output = draw(st.sampled_from([None, "sigmoid", "tanh", "softmax"]))
    ag.manual_seed(draw(st.integers(0, 1000)))
    model = nn.MLP(sizes, activation=hidden, output_activation=output)
    x = np.random.default_rng(draw(st.integers(0, 1000))).standard_normal(
        (draw(st.integers(1, 3)), sizes[0]))
    return model, x


@given(mlps())
def test_names_match_the_documents_forward_pass(case):
    model, x = case
    x_t = ag.Tensor(x)
    y = model(x_t)
    names = document_names(model, y)
    W, b, f = bp.params(model)
    u, ys = bp.forward(W, b, f, x.T)  # the document's columns
    L = len(model.layers)
    assert names["x"] is x_t
    for l in range(1, L + 1):
        assert names[f"W{l}"] is model.layers[l - 1].weight
        assert names[f"b{l}"] is model.layers[l - 1].bias
        np.testing.assert_allclose(names[f"u{l}"].data, u[l].T, rtol=1e-12, atol=1e-12)
        if f[l] == "identity":  # y_l = u_l: one tensor, named u_l only
            assert f"y{l}" not in names
        else:
            np.testing.assert_allclose(names[f"y{l}"].data, ys[l].T, rtol=1e-12, atol=1e-12)
    assert not {"E", "t"} & set(names)  # no loss, so no E


def test_a_half_sum_loss_is_E_with_target_t_and_named_inner_tensors():
    ag.manual_seed(0)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    t = ag.Tensor(np.zeros((1, 3)))
    y = model(ag.Tensor(np.ones((1, 3))))
    E = F.mse_loss(y, t, reduction="half_sum")
    names = document_names(model, E)
    assert names["E"] is E and names["t"] is t
    inner = {name: tensor for name, tensor in names.items()
             if not re.fullmatch(r"[xtE]|[Wbuy][0-9]", name)}
    assert set(inner) == {"y2 − t", "(y2 − t)²", "Σ (y2 − t)²"}
    y2 = y.data
    np.testing.assert_array_equal(inner["y2 − t"].data, y2)
    np.testing.assert_array_equal(inner["(y2 − t)²"].data, y2 * y2)
    np.testing.assert_allclose(inner["Σ (y2 − t)²"].data, (y2 * y2).sum())


def test_explain_rows_use_the_names():
    model = nn.MLP([2, 2], activation="sigmoid", output_activation="sigmoid")
    E = F.mse_loss(model(ag.Tensor([[1.0, 2.0]])), ag.Tensor([[0.0, 1.0]]),
                   reduction="half_sum")
    text = str(ag.explain(E, names=document_names(model, E)))
    assert "backward pass of E" in text and "(y1 − t)² ←" in text and "u1 ←" in text
    assert not any(f"t{i}" in text.split() for i in range(1, 5))


def test_a_model_outside_the_graph_or_called_twice_is_refused():
    model = nn.MLP([2, 2])
    with pytest.raises(ValueError, match="no layer"):
        document_names(model, nn.MLP([2, 2])(np.ones((1, 2))))
    twice = model(np.ones((1, 2))) + model(np.ones((1, 2)))
    with pytest.raises(ValueError, match="layer 1's weight is used by more than one"):
        document_names(model, twice)


def test_names_are_found_after_a_plain_backward_too():
    model = nn.MLP([2, 2, 2], activation="tanh", output_activation="sigmoid")
    E = F.mse_loss(model(ag.Tensor([[1.0, 2.0]])), ag.Tensor([[0.0, 1.0]]), reduction="half_sum")
    before = {name: ag.graph.tensor_key(t) for name, t in document_names(model, E).items()}
    E.backward()  # frees the intermediate values; the graph's structure stays
    after = {name: ag.graph.tensor_key(t) for name, t in document_names(model, E).items()}
    assert set(after) == set(before) and len(before) == 14
    # every name is the same vertex (x and t, freed constants, are compared apart)
    assert {n: k for n, k in after.items() if n not in ("x", "t")} == {
        n: k for n, k in before.items() if n not in ("x", "t")}


def test_a_freed_constant_keeps_its_vertex_and_its_name_in_the_drawing():
    # the target t and the batch x, temporaries only the graph held: after a plain backward
    # their stand-ins are the vertices they were, so the drawing still writes t, as the
    # op label "u2 − t" does
    model = nn.MLP([2, 2, 2], activation="tanh", output_activation="sigmoid")
    with ag.record_modules(model):
        E = F.mse_loss(model(ag.Tensor([[1.0, 2.0]])), ag.Tensor([[0.0, 1.0]]),
                       reduction="half_sum")
    before = {name: ag.graph.tensor_key(t) for name, t in document_names(model, E).items()}
    E.backward()
    after = {name: ag.graph.tensor_key(t) for name, t in document_names(model, E).items()}
    assert after == before
    bold = re.findall(r"<B>([^<]+)</B>", ag.draw(E).source)
    assert "t" in bold and "x" in bold and not any(re.fullmatch(r"t\d+", b) for b in bold)
