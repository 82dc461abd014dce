"""ag.draw, the module recorder and nn.drawing: structure asserted on the DOT source,
real rendering with the `dot` program, and drawing never changing a graph or gradient."""

import re
import xml.etree.ElementTree as ET

import graphviz
import numpy as np
import pytest
from dot_source import clusters, edges, label, node_named, nodes, shown
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd as ag
import nn
from autograd import hooks
from autograd.record import retain_grads
from autograd.scopes import active_recorder, record_modules
from autograd.show import rendering
from autograd.show.draw import GraphvizNotFound
from autograd.show.rendering import dot_program


def reachable(outputs):
    """Independent count of a graph: distinct ops, tensors, and (tensor, op) uses."""
    ops, tensors, uses = {}, set(), set()
    stack = [t.grad_fn for t in outputs if t.grad_fn is not None]
    tensors.update(id(t.grad_fn) if t.grad_fn else id(t) for t in outputs)
    while stack:
        op = stack.pop()
        if id(op) in ops:
            continue
        ops[id(op)] = op
        for x in op.inputs:  # a node that made the input, or a leaf tensor
            if isinstance(x, ag.Tensor | ag.Function):
                tensors.add(id(x))
                uses.add((id(x), id(op)))
                if isinstance(x, ag.Function):
                    stack.append(x)
    return len(ops), len(tensors), len(uses)


def test_x_plus_x_times_x_has_one_x_node_with_two_out_edges():
    x = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="x")
    y = (x + x) * x
    source = ag.draw(y).source
    x_id = node_named(source, "x")
    out = [(head, attrs) for tail, head, attrs in edges(source) if tail == x_id]
    assert len(out) == 2  # one edge per consumer op: into add (taken twice) and into mul
    assert sorted("×2" in attrs for _, attrs in out) == [False, True]
    ops = [n for n in nodes(source) if n.startswith("op")]
    assert len(ops) == 2 and len(nodes(source)) == 2 + 3  # add, mul; x, x + x, y
    assert len(edges(source)) == 5  # x→add, add→(x+x), (x+x)→mul, x→mul, mul→y


def test_labels_show_names_shapes_data_formulas_and_every_gradient_after_backward():
    x = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="x")
    s = x + x
    y = (s * x).sum()
    retain_grads(y)
    y.backward()
    source = ag.draw(y, names={"s": s, "E": y}, show_formula=True).source
    labels = nodes(source)
    x_label, s_label = labels[node_named(source, "x")], labels[node_named(source, "s")]
    assert "(2, 2)</FONT>" in x_label and "float64" not in label(x_label)  # dtype on request
    assert "(2, 2) float64</FONT>" in ag.draw(y, show_dtype=True).source
    np.testing.assert_array_equal(shown(x_label, "data"), x.data)
    # ∂E/∂x = 4x, ∂E/∂s = x (E = Σ s·x with s = 2x), ∂E/∂E = 1
    np.testing.assert_array_equal(shown(x_label, "grad"), 4 * x.data)
    np.testing.assert_array_equal(shown(s_label, "grad"), x.data)
    e_label = labels[node_named(source, "E")]
    assert 'grad</FONT> </TD><TD ALIGN="LEFT" BALIGN="LEFT"><FONT COLOR="#b71c1c">1<' in e_label
    assert 'data </TD><TD ALIGN="LEFT" BALIGN="LEFT">60<' in e_label
    for name, formula in [("add", "∂(a+b)/∂a = 1"), ("mul", "∂(a·b)/∂a = b")]:
        assert any(f"<B>{name}</B>" in label(attrs) and formula in label(attrs)
                   for attrs in labels.values())
    plain = ag.draw(y)  # formulas are off by default (they stay in the op's tooltip)
    assert not any("∂(a+b)" in label(attrs) for attrs in nodes(plain.source).values())
    assert "grad" not in ag.draw(y, show_grad=False).source
    assert "data" not in ag.draw(y, show_data=False).source
    assert "rankdir=TB" in plain.source  # top to bottom unless asked


def test_large_tensors_are_summarised_and_constants_named_in_the_op():
    a = ag.Tensor(np.arange(100.0).reshape(10, 10), requires_grad=True, name="a")
    source = ag.draw(a * 2.0).source
    assert "min 0  max 99<BR/>mean 49.5" in label(nodes(source)[node_named(source, "a")])
    assert "<B>mul(·, 2.0)</B>" in source


def test_roles_are_visually_distinct():
    w = nn.Parameter(np.ones(2))
    w.name = "w"
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="x")
    c = ag.Tensor([5.0, 6.0], name="c")
    y = ((w * x + c).sum())
    y.name = "y"
    source = ag.draw(y).source
    attrs = {n: nodes(source)[node_named(source, n)] for n in "wxcy"}
    fills = {n: re.search(r'fillcolor="([^"]+)"', a).group(1) for n, a in attrs.items()}
    assert len(set(fills.values())) == 4
    assert "<I>parameter</I>" in attrs["w"] and "<I>leaf</I>" in attrs["x"]
    assert "<I>constant</I>" in attrs["c"] and 'fontcolor="#777777"' in attrs["c"]
    assert "<I>output</I>" in attrs["y"] and "penwidth=2" in attrs["y"]


@st.composite
def expressions(draw):
    """A random expression program over 1–3 leaves of broadcastable shapes, with reuse:
    ``(arrays, steps)``; ``build`` turns it into a fresh graph each time."""
    shapes = draw(st.lists(st.sampled_from([(2, 3), (3,), ()]), min_size=1, max_size=3))
    values = [draw(arrays(np.float64, s, elements=st.floats(-2, 2))) for s in shapes]
    steps = []
    for i in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["add", "sub", "mul", "tanh", "sigmoid", "neg", "scale"]))
        available = len(values) + i
        steps.append((op, draw(st.integers(0, available - 1)),
                      draw(st.integers(0, available - 1))))
    return values, steps


OPS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "tanh": lambda a, b: a.tanh(), "sigmoid": lambda a, b: a.sigmoid(),
    "neg": lambda a, b: -a, "scale": lambda a, b: a * 0.5,
}


def build(values, steps):
    leaves = [ag.Tensor(v, requires_grad=True, name=f"x{i}") for i, v in enumerate(values)]
    pool = list(leaves)
    for op, i, j in steps:
        pool.append(OPS[op](pool[i], pool[j]))
    return leaves, pool[-1].sum()


@given(expressions())
def test_node_and_edge_counts_equal_the_graphs(program):
    _, out = build(*program)
    n_ops, n_tensors, n_uses = reachable([out])
    source = ag.draw(out).source
    drawn = nodes(source)
    assert sum(n.startswith("op") for n in drawn) == n_ops
    assert sum(n.startswith("tensor") for n in drawn) == n_tensors
    assert len(edges(source)) == n_uses + n_ops  # every use, and every op → its result


def snapshot(leaves, out):
    """Everything drawing could disturb: each node's inputs and saved values, grads."""
    stack, seen, state = [out.grad_fn], set(), []
    while stack:
        op = stack.pop()
        if op is None or id(op) in seen:
            continue
        seen.add(id(op))
        state.append((id(op), tuple(map(id, op.inputs)), id(op.saved), op.retains_grad,
                      op.scope))
        stack.extend(x for x in op.inputs if isinstance(x, ag.Function))
    grads = [None if t.grad is None else t.grad.data.copy() for t in leaves]
    return state, grads


@given(expressions())
def test_drawing_changes_neither_the_graph_nor_any_gradient(program):
    leaves, out = build(*program)
    out.backward(retain_graph=True)
    expected = [t.grad.data.copy() for t in leaves if t.grad is not None]
    before = snapshot(leaves, out)
    ag.draw(out)
    after = snapshot(leaves, out)
    assert before[0] == after[0]
    for b, a in zip(before[1], after[1], strict=True):
        assert (b is None and a is None) or np.array_equal(b, a)
    # drawing before backward does not change what backward computes either
    leaves2, out2 = build(*program)
    ag.draw(out2, show_formula=True)
    out2.backward()
    got = [t.grad.data for t in leaves2 if t.grad is not None]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_array_equal(g, e)


def test_a_100000_op_graph_is_capped_with_a_note_and_deep_graphs_draw_in_full():
    x = ag.Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(100_000):
        y = y * 1.0
    source = ag.draw(y).source  # default max_ops=500
    assert sum(n.startswith("op") for n in nodes(source)) == 500
    assert "99,500 more ops not drawn" in source
    cut = [head for tail, head, _ in edges(source) if tail == "cut"]
    assert len(cut) == 1  # the one tensor whose producer was left out
    z = x
    for _ in range(3_000):  # far past Python's recursion limit
        z = z.tanh()
    full = ag.draw(z, max_ops=None).source
    assert sum(n.startswith("op") for n in nodes(full)) == 3_000 and "cut" not in full


def test_draw_rejects_non_tensors_and_points_to_draw_model():
    with pytest.raises(TypeError, match="draw_model"):
        ag.draw(nn.Linear(2, 3))
    with pytest.raises(ValueError, match="max_ops"):
        ag.draw(ag.Tensor(1.0), max_ops=-1)


def test_module_clusters_nest_and_hold_their_ops_and_parameters():
    ag.manual_seed(0)
    model = nn.MLP([2, 3, 1], activation="tanh")
    x = ag.Tensor([[0.5, -1.0]], name="x")
    with record_modules(model):
        y = model(x)
    assert hooks.scope_recorder is None
    loss = (y * y).sum()
    source = ag.draw(loss).source
    boxes = clusters(source)
    # A box per call that owns parameters or makes two ops or more: a lone tanh names
    # itself, the linear output's Identity makes no op, and the model's own box (which
    # would hold everything) is left out.
    assert set(boxes) == {"layers.0: Linear(2→3)", "layers.1: Linear(3→1)"}
    layer0 = boxes["layers.0: Linear(2→3)"]
    labels = nodes(source)
    ops0 = sorted(re.search(r"<B>(\w+)", labels[n]).group(1) for n in layer0
                  if n.startswith("op"))
    assert ops0 == ["linear"]  # u = x Wᵀ + b in one node
    # the recorded MLP names its graph as the document does (issue 21), no names= needed
    assert {node_named(source, "W1"), node_named(source, "b1")} <= set(layer0)
    outside = [n for n in labels if not any(n in b for b in boxes.values())]
    assert {node_named(source, "x")} < set(outside)  # the input and the loss are outside

    class TwoOps(nn.Module):  # no parameters, two ops: boxed, inside the Sequential's box
        def forward(self, x):
            return (x * 2.0).tanh()

    outer = nn.Sequential(nn.Linear(2, 2), TwoOps())
    with record_modules(nn.Sequential(outer)):
        z = outer(ag.Tensor([[1.0, 2.0]])).sum()
    boxes = clusters(ag.draw(z).source)
    assert set(boxes) == {"0: Sequential", "0.0: Linear(2→2)", "0.1: TwoOps"}
    assert set(boxes["0.1: TwoOps"]) < set(boxes["0: Sequential"])


def test_recorder_is_reset_after_an_error_and_restores_the_previous_one():
    model = nn.Linear(2, 3)
    with pytest.raises(ValueError), record_modules(model):
        model(ag.Tensor([1.0, 2.0, 3.0]))  # wrong width
    assert hooks.scope_recorder is None
    with record_modules() as outer:
        with record_modules(model):
            pass
        assert active_recorder() is outer


@pytest.mark.skipif(dot_program() is None,
                    reason="rendering needs Graphviz's 'dot' program or graphviz-pure")
def test_svg_and_png_are_rendered_and_the_svg_has_the_node_titles(tmp_path):
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="x")
    y = ((x + x) * x).sum()
    drawing = ag.draw(y)
    svg = drawing.render(tmp_path / "g", format="svg")
    png = drawing.render(tmp_path / "g", format="png")
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.endswith("png")
    ns = {"svg": "http://www.w3.org/2000/svg"}
    root = ET.parse(svg).getroot()
    titles = {g.find("svg:title", ns).text for g in root.iterfind(".//svg:g[@class='node']", ns)}
    assert titles == set(nodes(drawing.source))
    assert "image/svg+xml" in drawing._repr_mimebundle_()


def test_without_dot_the_source_remains_and_rendering_says_how_to_install(monkeypatch, tmp_path):
    drawing = ag.draw(ag.Tensor([1.0], requires_grad=True) * 2)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` there
    monkeypatch.setattr(rendering, "_graphviz_pure", lambda: None)  # nor graphviz-pure
    assert drawing.source.startswith('digraph "computation graph"')
    with pytest.raises(GraphvizNotFound, match="pip install graphviz-pure") as error:
        drawing.render(tmp_path / "g", format="svg")
    assert isinstance(error.value, graphviz.ExecutableNotFound)
    with pytest.raises(GraphvizNotFound):
        drawing.pipe(format="png")
    shown = drawing._repr_mimebundle_()
    assert "apt-get install graphviz" in shown["text/plain"] and "digraph" in shown["text/plain"]


def test_two_calls_of_modules_outside_a_named_model_get_a_box_each():
    first, second = nn.Linear(2, 2), nn.Linear(2, 2)
    with record_modules():  # no model: modules are named by their class
        y = second(first(ag.Tensor([[1.0, 2.0]]))).sum()
    source = ag.draw(y).source
    assert source.count("subgraph cluster") == 2
    assert source.count('label="Linear(2→2)"') == 2


def test_op_labels_show_constant_arguments_but_not_trailing_defaults():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    source = ag.draw([(x * 2).sum(), x.sum(0, True)]).source
    assert "<B>sum</B>" in source          # sum(·, None, False): all defaults
    assert "<B>sum(·, 0, True)</B>" in source
    assert "<B>mul(·, 2)</B>" in source


@pytest.mark.parametrize("options, error, words", [
    ({"rankdir": "sideways"}, ValueError, r"draw: rankdir must be one of TB, LR, BT, RL"),
    ({"rankdir": 3}, ValueError, r"draw: rankdir"),
    ({"collapse": True}, TypeError, r"draw: collapse must be a dict"),
    ({"collapse": {"E": 3}}, TypeError, r"draw: collapse must map a label"),
])
def test_bad_layout_options_are_refused_naming_draw(options, error, words):
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(error, match=words):
        ag.draw((x * x).sum(), **options)


def test_a_bad_rankdir_is_refused_naming_animate():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"animate: rankdir must be one of"):
        ag.animate((x * x).sum(), rankdir="up")
