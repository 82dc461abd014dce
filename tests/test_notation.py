"""A recorded model names its own graph (autograd/show/notation.py): ag.draw, ag.explain
and ag.animate without names= give an nn.MLP the document's names (S11, S12), its loss as
one node, and the column-notation formulas that `nn graph --formula` prints (one source);
other models are named by module path; an unrecorded model's drawing says how to record."""

import html
import shutil

import pytest

import autograd as ag
import nn
from nn import functional as F
from nn.drawing import loss_graph
from nn.naming import document_names, layer_formulas

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz 'dot'")


def recorded_mlp(seed=0):
    ag.manual_seed(seed)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    with ag.record_modules(model):
        loss = F.mse_loss(model(ag.Tensor([[0.5, -1.0, 2.0]])), ag.Tensor([[0.0, 1.0, 0.0]]),
                          reduction="half_sum")
    return model, loss


def test_explain_of_a_recorded_mlp_uses_the_document_names():
    model, loss = recorded_mlp()
    explanation = ag.explain(loss)
    assert explanation.output == "E"
    named = {step.output for step in explanation.steps}
    assert {"u1", "y1", "u2", "y2"} <= named
    assert [t.name for t in explanation.totals] == ["W2", "b2", "W1", "b1"]
    assert str(explanation) == str(ag.explain(loss, names=document_names(model, loss)))


@needs_dot
def test_the_player_shows_the_loss_as_one_step_and_the_layers_in_column_notation():
    model, loss = recorded_mlp()
    animation = ag.animate(loss, forward=False)
    backward = [f for f in animation.frames if f.phase == "backward"]
    ops = [next(c[1] for c in f.cells if c[0] == "op") for f in backward]
    assert ops == ["E = ½ Σ (y2 − t)²", "sigmoid", "linear", "sigmoid", "linear"]
    assert len(ag.animate(loss, forward=False, expand_loss=True)) == 8  # each op a step
    # the loss step sends ∂E/∂y2 = y2 − t (S12) to y2
    sent = [c for c in backward[0].cells if " ← " in c[0]]
    assert [c[0] for c in sent] == ["y2 ← ∂E/∂y2"]
    y2 = document_names(model, loss)["y2"].data
    assert sent[0][2] == [[f"{v:.4g}" for v in y2[0] - [0.0, 1.0, 0.0]]]
    # one source for the panel and `nn graph --formula`: the layer's column notation
    formulas = layer_formulas(document_names(model, loss))
    panel = {f.title.split(": ")[1].split(" sends ")[1].split()[0]:
             next(c[1] for c in f.cells if c[0] == "local derivative") for f in backward}
    assert panel["∂E/∂u2"] == formulas["u2"] and panel["∂E/∂u1"] == formulas["u1"]
    drawn = loss_graph(show_formula=True).source
    assert "<BR/>".join(html.escape(line) for line in formulas["u1"].split("\n")) in drawn
    assert "δ1 xᵀ" in formulas["u1"] and "W2ᵀ δ2" in formulas["u2"]


@needs_dot
def test_other_models_are_named_by_module_path_and_unrecorded_ones_get_a_tip():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Linear(2, 3)

        def forward(self, x):
            return (self.hidden(x).tanh() * 2.0).sum(axis=1)

    ag.manual_seed(0)
    model = Block()
    x = ag.Tensor([[1.0, -1.0]])
    with ag.record_modules(model):
        loss = model(x).sum() * 0.5
    source = ag.draw(loss).source
    for name in ("hidden.linear", "tanh", "mul", "hidden.weight", "<B>x</B>", "<B>y</B>",
                 "<B>sum2</B>", "<B>E</B>"):  # sum2: the loss's, after the model's
        assert name in source
    assert "t1" not in source
    plain = ag.draw(model(x).sum()).source  # not recorded: names t1 … and a tip
    assert "record_modules" in plain and "t1" in plain
