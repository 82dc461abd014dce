"""Explanation.to_latex: the document's δ formulas (S13–S16) come out of the recorded
pass of its 3-3-3 network, a fan-out is written as its parts (= then +=), and every
equation stays within the LaTeX both MathJax and KaTeX render (checked by hand with
both renderers on every rule; here by a whitelist of commands and balanced braces)."""

import re

import numpy as np
from hypothesis import given
from test_viz import build, expressions

import autograd as ag
import nn
from nn import functional as F
from nn.naming import document_names

# The commands autograd/show/latex.py may emit; each renders in KaTeX and MathJax 3.
ALLOWED = {r"\frac", r"\partial", r"\odot", r"\oslash", r"\top", r"\mathbf", r"\mathrm",
           r"\sigma", r"\tanh", r"\sum", r"\delta", r"\left", r"\right", r"\qquad",
           r"\text", r"\mathrel", r"\tfrac", r"\,", r"\cdot", r"\_"}
EQUATION = re.compile(r"^\$\$(?P<lhs>.+?) (?P<rel>=|\\mathrel\{\+\}=) (?P<rhs>.+)"
                      r"\\qquad\\text\{step (?P<step>\d+)\}\$\$$")


def equations(explanation):
    return [EQUATION.match(line).groupdict() for line in explanation.to_latex().split("\n")]


def balanced(tex):
    depth = 0
    for char in tex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and tex.count(r"\left(") == tex.count(r"\right)")


def test_document_network_gives_the_document_deltas():
    ag.manual_seed(0)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    loss = F.mse_loss(model(ag.Tensor([[1.0, 2.0, 3.0]])), ag.Tensor([[0.0, 1.0, 0.0]]),
                      reduction="half_sum")
    lines = {(e["lhs"], e["rhs"]) for e in equations(
        ag.explain(loss, names=document_names(model, loss)))}
    d = r"\frac{\partial E}{\partial %s}"
    assert (r"\delta_{1}", r"\left(W_{2}^\top \delta_{2}\right) \odot \sigma'(u_{1})") in lines
    assert (r"\delta_{2}", d % "(y_{2} - t)" + r" \odot \sigma'(u_{2})") in lines  # S14
    assert (d % "y_{1}", r"W_{2}^\top \delta_{2}") in lines  # S15's back-propagated sum
    for l, previous in ((1, "x"), (2, "y_{1}")):  # S16
        assert (d % f"W_{{{l}}}", rf"\delta_{{{l}}}\, {previous}^\top") in lines
        assert (d % f"b_{{{l}}}", rf"\delta_{{{l}}}") in lines


def test_a_fan_out_is_written_as_its_parts():
    x = ag.Tensor(2.0, requires_grad=True, name="x")
    found = [(e["rel"], e["rhs"], e["step"]) for e in equations(ag.explain((x + x) * x))
             if e["lhs"] == r"\frac{\partial E}{\partial x}"]
    # E = (x + x)·x: mul sends x + x (= t1) to x, then add sends its incoming (x) twice: 2x + x + x
    assert found == [("=", "t_{1}", "1"), (r"\mathrel{+}=", "x", "2"),
                     (r"\mathrel{+}=", "x", "2")]


@given(expressions())
def test_one_renderable_equation_per_gradient_sent(program):
    _, out = build(*program)
    explanation = ag.explain(out)
    lines = explanation.to_latex().split("\n")
    assert len(lines) == sum(len(s.sends) for s in explanation.steps)
    for line in lines:
        assert EQUATION.match(line), line
        assert balanced(line), line
        assert set(re.findall(r"\\[A-Za-z]+|\\[,_]", line)) <= ALLOWED, line


def test_jupyter_shows_the_table_then_the_math():
    x = ag.Tensor(np.array([0.5, -1.0]), requires_grad=True, name="x")
    explanation = ag.explain(x.tanh().sum())
    bundle = explanation._repr_mimebundle_()
    markdown = bundle["text/markdown"]
    assert markdown.index("| step |") < markdown.index("$$")
    assert r"\tanh'(x)" in markdown and bundle["text/plain"] == str(explanation)
