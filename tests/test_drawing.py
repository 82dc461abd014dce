"""nn.drawing and the drawing options a lecture needs: draw_graph (names, module boxes,
every δ, the loss as one node, column-notation formulas), draw_model (activations applied
as Tensor methods), loss_formula, and tooltips with every value."""

import functools
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from dot_source import clusters, edges, label, node_named, nodes, shown
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from autograd.show.rendering import dot_program
from nn import backprop as bp
from nn import functional as F
from nn.cli import main
from nn.drawing import draw_graph, draw_model, loss_formula, loss_graph

needs_dot = pytest.mark.skipif(dot_program() is None,
                               reason="rendering needs Graphviz's 'dot' program or graphviz-pure")
half_sum = functools.partial(F.mse_loss, reduction="half_sum")


class DigitNet(nn.Module):
    """Notebook 05's model: the ReLU is a Tensor method inside forward, not a module."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 3)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(3, 2)

    def forward(self, x):
        return self.out(self.dropout(self.hidden(x).relu()))


def titles(source):
    """The bold title of every node."""
    return [re.search(r"<B>([^<]*)</B>", attrs).group(1) for attrs in nodes(source).values()
            if "<B>" in attrs]


@given(st.sampled_from(["sigmoid", "tanh"]), st.integers(0, 100), st.integers(1, 3))
def test_draw_graph_shows_the_documents_deltas_next_to_the_formulas(activation, seed, batch):
    ag.manual_seed(seed)
    model = nn.MLP([3, 3, 3], activation=activation, output_activation=activation)
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((batch, 3)), rng.random((batch, 3))
    source = draw_graph(model, x, half_sum, ag.Tensor(t)).source
    W, b, f = bp.params(model)
    u, y = bp.forward(W, b, f, x.T)
    delta = bp.deltas(W, f, u, y, t.T)  # S13–S15 in plain NumPy, samples as columns
    labels = nodes(source)
    for l in (1, 2):
        attrs = labels[node_named(source, f"u{l}")]
        np.testing.assert_allclose(shown(attrs, f"δ{l}"), delta[l].T, rtol=2e-3, atol=1e-6)
        assert ">grad" not in label(attrs)  # the gradient at u_l is written δ_l
        np.testing.assert_allclose(shown(labels[node_named(source, f"W{l}")], "data"), W[l],
                                   rtol=2e-3, atol=1e-6)
    assert all(p.grad is None for p in model.parameters())  # drawing left no gradient


def test_the_loss_is_one_node_unless_expanded_and_every_tensor_is_named():
    ag.manual_seed(0)
    model = nn.MLP([2, 3, 1], activation="sigmoid", output_activation="sigmoid")
    x, t = ag.Tensor([[0.5, -1.0]]), ag.Tensor([[1.0]])
    source = draw_graph(model, x, half_sum, t).source
    assert sorted(titles(source)) == sorted(
        ["x", "t", "W1", "b1", "u1", "y1", "W2", "b2", "u2", "y2", "E = ½Σ(t − y2)²",
         "linear", "sigmoid", "linear", "sigmoid"])
    loss = node_named(source, "E = ½Σ(t − y2)²")
    assert {tail for tail, head, _ in edges(source) if head == loss} == {
        node_named(source, "y2"), node_named(source, "t")}
    expanded = draw_graph(model, x, half_sum, t, expand_loss=True).source
    assert {"y2 − t", "(y2 − t)²", "Σ (y2 − t)²", "E", "sub", "sum"} <= set(titles(expanded))
    assert set(clusters(source)) == {"layers.0: Linear(2→3)", "layers.1: Linear(3→1)"}
    assert draw_graph(model, x, half_sum, t).source == source  # deterministic


def test_formulas_in_the_documents_column_notation_replace_the_row_wise_ones():
    model = nn.MLP([2, 2, 2], activation="sigmoid", output_activation="softmax")
    source = draw_graph(model, [[1.0, 2.0]], half_sum, ag.Tensor([[0.0, 1.0]]),
                        show_formula=True).source
    text = "".join(label(attrs) for attrs in nodes(source).values())
    for formula in ["u1 = W1 x + b1", "∂E/∂W1 = δ1 xᵀ,  ∂E/∂b1 = δ1", "u2 = W2 y1 + b2",
                    "∂E/∂W2 = δ2 y1ᵀ", "∂E/∂y1 = W2ᵀ δ2", "δ1 = ∂E/∂y1 ∘ f′(u1)",
                    "y1 = sigmoid(u1),  f′(u1) = y1(1 − y1)",
                    "δ2 = Jᵀ ∂E/∂y2,  J = diag(y2) − y2 y2ᵀ"]:  # softmax is not element-wise
        assert formula in text
    assert "G·W" not in text  # the row-wise u = x·Wᵀ + b formula is replaced


def test_a_model_without_document_names_gets_parameter_names_and_boxes():
    ag.manual_seed(0)
    model = DigitNet()
    source = draw_graph(model, np.ones((2, 4)), F.cross_entropy, np.array([0, 1])).source
    names = titles(source)
    assert {"hidden.weight", "hidden.bias", "out.weight", "out.bias", "x", "y", "relu",
            "E = −mean log softmax(y)[t]"} <= set(names)
    parameters = [re.search(r"<B>([^<]*)</B>", a).group(1) for a in nodes(source).values()
                  if "<I>parameter</I>" in a]
    assert sorted(parameters) == ["hidden.bias", "hidden.weight", "out.bias", "out.weight"]
    assert {"hidden: Linear(4→3)", "out: Linear(3→2)"} <= set(clusters(source))
    assert "δ" not in source  # δ only where the document's names apply
    forward_only = draw_graph(model, np.ones((2, 4))).source  # no loss: values, no gradients
    assert ">grad" not in forward_only and "y" in titles(forward_only)


def test_draw_graph_puts_back_the_gradients_a_model_had():
    model = nn.MLP([2, 2])
    model(np.ones((1, 2))).sum().backward()
    before = [p.grad.data.copy() for p in model.parameters()]
    draw_graph(model, np.ones((1, 2)), half_sum, ag.Tensor([[0.0, 1.0]]))
    for p, grad in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.grad.data, grad)


def test_draw_model_shows_an_activation_applied_as_a_tensor_method():
    source = draw_model(DigitNet(), example=np.ones((1, 4))).source
    order = re.findall(r"<B>([\w.]+)", source)
    assert order == ["hidden", "relu", "dropout", "out"]  # the ReLU was missing before
    assert "op in DigitNet.forward" in source
    assert len(edges(source)) == 5  # input → 4 blocks → output


def test_draw_model_lists_layers_in_flow_order_with_parameter_counts():
    model = nn.MLP([2, 3, 1], activation="relu", output_activation="sigmoid")
    source = draw_model(model).source
    order = re.findall(r"<B>([\w.]+): ", source)
    assert order == ["layers.0", "activations.0", "layers.1", "activations.1"]
    assert "weight (3, 2)" in source and "bias (3,)" in source
    assert "9 parameters" in source and "4 parameters" in source  # 3·2 + 3, 1·3 + 1
    assert 'label="MLP: 13 parameters"' in source
    assert len(edges(source)) == 5  # input → 4 blocks → output
    assert all(p.grad is None for p in model.parameters())


def test_loss_formula_knows_the_losses_and_names_any_other_function():
    assert loss_formula(half_sum, "y2") == "E = ½Σ(t − y2)²"
    assert loss_formula(F.mse_loss) == "E = mean (t − y)²"
    assert loss_formula(functools.partial(F.cross_entropy, reduction="sum")) == \
        "E = −Σ log softmax(y)[t]"
    assert loss_formula(lambda y, t: (y - t).sum()) == "E = loss(y, t)"
    assert loss_formula(F.hinge_loss, "s") == "E = mean max(0, 1 − t·s)"


def test_loss_graph_is_the_documents_3_3_3_network_by_default():
    source = loss_graph().source
    assert set(clusters(source)) == {"layers.0: Linear(3→3)", "layers.1: Linear(3→3)"}
    labels = nodes(source)
    assert shown(labels[node_named(source, "W2")], "data").shape == (3, 3)
    assert "grad" in labels[node_named(source, "E = ½Σ(t − y2)²")]


def test_collapse_and_formulas_refuse_what_is_not_in_the_graph():
    x = ag.Tensor([1.0], requires_grad=True, name="x")
    with pytest.raises(ValueError, match="collapse 'E'"):
        ag.draw(x * 2, collapse={"E": (x, [x])})
    with pytest.raises(ValueError, match="formulas= names no tensor of the graph: u7"):
        ag.draw(x * 2, formulas={"u7": "u7 = W7 y6 + b7"})
    x_in = ag.Tensor([[1.0]])
    source = draw_graph(nn.MLP([1, 1]), x_in, names={"input": x_in}).source  # names= adds
    assert "<B>input</B>" in source and "<B>x</B>" not in source


@needs_dot
def test_svg_tooltips_hold_every_value_of_a_summarised_tensor():
    values = np.arange(25.0).reshape(5, 5) / 7
    a = ag.Tensor(values, requires_grad=True, name="a")
    out = (a * 2.0).sum()
    out.backward()
    drawing = ag.draw(out)
    assert "min 0" in label(nodes(drawing.source)[node_named(drawing.source, "a")])
    root = ET.fromstring(drawing.pipe(format="svg"))
    tips = [el.get("{http://www.w3.org/1999/xlink}title") for el in root.iter()
            if el.get("{http://www.w3.org/1999/xlink}title", "").startswith("a ")]
    assert len(tips) == 1
    data, grad = tips[0].split("\ngrad\n")
    numbers = [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", data.split("\n", 2)[2])]
    np.testing.assert_allclose(numbers, values.ravel(), rtol=1e-5)
    assert np.allclose([float(v) for v in re.findall(r"\d+\.?\d*", grad)], 2.0)


def test_the_graph_command_draws_the_3_3_3_network_top_to_bottom(tmp_path, capsys):
    out = tmp_path / "g.dot"
    assert main(["graph", "--out", str(out)]) == 0
    source = out.read_text()
    assert "rankdir=TB" in source
    assert not any("u1 = W1 x" in label(attrs) for attrs in nodes(source).values())
    assert set(clusters(source)) == {"layers.0: Linear(3→3)", "layers.1: Linear(3→3)"}
    assert main(["graph", "--out", str(out), "--rankdir", "LR", "--formula"]) == 0
    source = out.read_text()
    assert "rankdir=LR" in source and "u2 = W2 y1 + b2" in source


@needs_dot
@pytest.mark.parametrize("formula", [False, True])
def test_the_documents_network_and_notebook_05s_model_fit_a_notebook_page(formula):
    """Rendered at 96 dpi, each graph is at most 1,000 px wide: shown in a ~900 px notebook
    column, its 11 pt text stays at least ~10 px high (it was 3,857 px wide before)."""
    ag.manual_seed(0)
    model = DigitNet()
    model.hidden, model.out = nn.Linear(64, 32), nn.Linear(32, 10)
    x, labels = np.random.default_rng(0).random((2, 64)), np.array([3, 7])
    for drawing in (loss_graph(show_formula=formula),
                    draw_graph(model, x, F.cross_entropy, labels, show_formula=formula)):
        png = drawing.pipe(format="png")
        width = int.from_bytes(png[16:20], "big")  # the IHDR chunk: width, then height
        assert width <= 1000, width


def test_wide_tensors_are_summarised_and_a_lone_op_names_its_module_call():
    ag.manual_seed(0)
    model = DigitNet()
    source = draw_graph(model, np.ones((1, 4)), F.cross_entropy, np.array([1])).source
    bias = label(nodes(source)[node_named(source, "out.bias")])
    assert "min " not in bias and "<TD ALIGN=\"RIGHT\">" in bias  # 2 entries: a grid …
    wide = ag.draw(ag.Tensor(np.arange(8.0), requires_grad=True, name="w") * 2).source
    assert "min 0  max 7<BR/>mean 3.5" in label(nodes(wide)[node_named(wide, "w")])  # … 8 not
    drop = [label(a) for a in nodes(source).values() if "<B>dropout(" in a]
    assert len(drop) == 1 and "<I>dropout: Dropout(p=0.5)</I>" in drop[0]
