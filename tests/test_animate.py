"""ag.animate without a browser: the frames against the engine's own backward pass, the
page's promises (self-contained, no network address, accessible controls), the frames
for slides, the cap, and bad arguments. The browser tests are in test_animate_browser.py."""

import base64
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given
from test_viz import build, expressions

import autograd as ag
import nn
from autograd.show.rendering import dot_program
from nn import functional as F
from nn.naming import document_names

needs_dot = pytest.mark.skipif(
    dot_program() is None, reason="needs Graphviz's 'dot' program or graphviz-pure")
pytestmark = needs_dot


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" class="ag-data">(.*?)</script>',
                      html, re.S)
    return json.loads(found.group(1))


def document_network(seed=0):
    """The document's 3-3-3 network (f at the output too) and E = ½ Σ (t − y)² (S11, S12)."""
    ag.manual_seed(seed)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    x = ag.Tensor([[0.5, -1.0, 2.0]])
    t = ag.Tensor([[0.0, 1.0, 0.0]])
    loss = F.mse_loss(model(x), t, reduction="half_sum")
    return model, loss


def grad_lines(svg: str) -> dict[str, str]:
    """Tooltip label of each tensor node → the gradient text drawn in it (if any)."""
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    shown = {}
    for group in root.iterfind(".//s:g[@class]", ns):
        lines = [t.text or "" for t in group.iterfind(".//s:text[@class='grad-line']", ns)]
        if "".join(lines) and group.get("data-id", "").startswith("tensor"):
            shown[group.find("s:title", ns).text] = " ".join(" ".join(lines).split())
    return shown


def one_line(values) -> str:
    """A gradient as a node shows it: one text per grid cell, 4 significant digits."""
    return " ".join(f"{v:.4g}" for v in np.ravel(values))


@given(expressions())
def test_last_frame_shows_what_backward_puts_in_every_leaf_grad(program):
    leaves, out = build(*program)
    animation = ag.animate(out)
    out.backward()  # the engine's own pass, after the dry run animate read
    shown = grad_lines(animation.frame_svg(len(animation)))
    for leaf in leaves:
        if leaf.grad is None:
            assert leaf.name not in shown
        else:
            assert shown[leaf.name] == "grad " + one_line(leaf.grad.data)


def test_frames_follow_the_recorded_pass_of_the_document_network():
    model, loss = document_network()
    names = document_names(model, loss)
    ag.retain_grads(loss)  # keeps every δ and the record of the pass
    loss.backward()
    animation = ag.animate(loss, names=names)
    explanation = ag.explain(loss, names=names)
    backward = [f for f in animation.frames if f.phase == "backward"]
    forward = [f for f in animation.frames if f.phase == "forward"]
    assert len(backward) == len(forward) == len(explanation.steps) == len(animation) // 2
    for frame, step in zip(backward, explanation.steps, strict=True):
        cells = {cell[0]: cell[1] for cell in frame.cells}
        assert cells["op"] == step.op and cells["local derivative"] == step.formula
        name = f"({step.output})" if " " in step.output else step.output  # ∂E/∂(y2 − t)
        incoming = next(v for k, v in cells.items() if k.startswith(f"incoming ∂E/∂{name}"))
        shown = re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", incoming)
        assert np.allclose(np.array(shown, dtype=float), np.ravel(step.incoming), rtol=1e-3)
    # the δ's of S13–S15 are the gradients of the u's, shown under their names
    shown = grad_lines(animation.frame_svg(len(animation)))
    for l in (1, 2):
        assert shown[f"u{l}"] == f"δ{l} " + one_line(names[f"u{l}"].grad.data)
        assert shown[f"W{l}"] == "grad " + one_line(names[f"W{l}"].grad.data)
    assert [f.title.split(":")[0] for f in forward] == [f"forward {k} of 8" for k in range(1, 9)]


def test_a_fan_out_gradient_arrives_in_parts_that_add_up():
    x = ag.Tensor(2.0, requires_grad=True, name="x")
    y = (x + x) * x  # x reaches mul directly (x + x = 4) and add twice (x = 2 each)
    animation = ag.animate(y, forward=False)
    texts = [grad_lines(animation.frame_svg(k)).get("x") for k in range(len(animation) + 1)]
    assert texts == [None, "grad (1 of 3) 4", "grad 8"]  # mul's 4 first, then add's 2 + 2
    y.backward()
    assert x.grad.item() == 8


def test_the_page_is_self_contained_and_accessible(tmp_path):
    _, loss = document_network()
    path = ag.animate(loss).save(tmp_path / "backprop.html")
    html = path.read_text()
    assert not re.search(r"https?://", html)  # no address to fetch anything from
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=", html)  # no fallback needed here
    for label in ("Next", "Previous", "Play"):
        assert f'aria-label="{label}"' in html
    assert 'role="status"' in html
    assert "function paint(" in html and ".ag-controls" in html  # player.js, player.css inlined
    data = page_data(html)
    assert len(data["frames"]) == 17 and data["quiz"] is False
    assert all(f["quiz"] == [] for f in data["frames"])  # answers only in quiz mode


def test_quiz_answers_are_the_recorded_gradients():
    a = ag.Tensor([1.0, -2.0], requires_grad=True, name="a")
    b = ag.Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True, name="b")
    out = (a * 3.0).sum() + b.sum()
    data = page_data(ag.animate(out, quiz=True)._repr_html_())
    questions = {q["name"]: q for f in data["frames"] for q in f["quiz"]}
    assert [e[1] for e in questions["∂E/∂a"]["entries"]] == [3.0, 3.0]
    assert [e[0] for e in questions["∂E/∂a"]["entries"]] == ["[0]", "[1]"]
    assert not questions["∂E/∂a"]["first_only"]
    # a large tensor: its first entry only
    assert questions["∂E/∂b"]["entries"] == [["[0, 0]", 1.0]] and questions["∂E/∂b"]["first_only"]


def test_save_frames_writes_one_standalone_svg_per_step(tmp_path):
    _, loss = document_network()
    animation = ag.animate(loss, forward=False)
    paths = animation.save_frames(tmp_path / "slides")
    assert [p.name for p in paths] == [f"step_{k:03d}.svg" for k in range(len(animation) + 1)]
    for k, path in enumerate(paths):
        root = ET.fromstring(path.read_text())  # well-formed, SVG namespace, own styles
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}style") is not None
        current = [g for g in root.iter("{http://www.w3.org/2000/svg}g")
                   if "current" in g.get("class", "").split()]
        assert len(current) == (0 if k == 0 else 2)  # the op and the tensor it made


def test_notebook_output_falls_back_to_the_final_picture():
    _, loss = document_network()
    bundle = ag.animate(loss)._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    found = re.search(r'<div class="ag-fallback"><p>[^<]*run this cell[^<]*</p><img alt="[^"]*" '
                      r'style="width: 100%[^"]*" src="data:image/svg\+xml;base64,([^"]+)">',
                      bundle["text/html"])
    picture = base64.b64decode(found.group(1)).decode()
    # every tensor that needs a gradient: E, Σ(y2 − t)², (y2 − t)², y2 − t, y2, u2, y1, u1,
    # W1, b1, W2, b2 (x and t are constants)
    assert len(grad_lines(picture)) == 12
    # the player stays hidden, and its SVG inside a script, unless its script runs
    assert '<div class="ag-player" hidden style="display: none">' in bundle["text/html"]
    assert '<script type="image/svg+xml" class="ag-svg"><svg' in bundle["text/html"]


def test_graphs_beyond_max_ops_are_capped_with_a_note():
    x = ag.Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(30):
        y = y * 1.01
    animation = ag.animate(y, max_ops=10)
    assert len([f for f in animation.frames if f.phase == "backward"]) == 10
    assert "30 ops; the 10 nearest the output" in animation.note
    assert animation.note in animation._repr_html_()
    assert ag.animate(y).note == ""


def test_a_vector_output_starts_from_the_given_gradient():
    x = ag.Tensor([1.0, -2.0], requires_grad=True, name="x")
    y = x * 3.0
    animation = ag.animate(y, gradient=[10.0, 100.0])
    y.backward([10.0, 100.0])
    assert grad_lines(animation.frame_svg(len(animation)))["x"] == "grad " + one_line(
        x.grad.data)


def test_after_a_plain_backward_it_asks_for_retain_grads():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()  # frees the values the pass used
    with pytest.raises(RuntimeError, match="retain_grads"):
        ag.animate(y)


def test_bad_arguments_are_named():
    x = ag.Tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match="animate: output must be a Tensor"):
        ag.animate([x])
    with pytest.raises(ValueError, match="animate: max_ops"):
        ag.animate(x * 2, max_ops=0)
    with pytest.raises(OSError, match="does not exist"):
        ag.animate(x * 2).save("/no/such/folder/page.html")


def test_command_line_writes_the_document_network_page(tmp_path, capsys):
    from nn.cli import main

    out = tmp_path / "backprop.html"
    assert main(["animate", "--sizes", "3,3,3", "--out", str(out)]) == 0
    data = page_data(out.read_text())
    # frame 0, then 5 forward and 5 backward steps: 2 linear, 2 sigmoid, the loss as one
    assert len(data["frames"]) == 11
    assert "δ1" in out.read_text() and "wrote" in capsys.readouterr().out
    assert main(["animate", "--out", str(tmp_path / "no" / "page.html")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_every_word_of_the_player_comes_from_the_words_table(monkeypatch, tmp_path):
    """Issue 24 translates the player by adding a table: with every English text replaced,
    no English word of the player is left in the page (maths and names stay)."""
    from autograd.words import TABLES

    marked = {key: f"«{n}»" + " ".join(f"{{{name}}}" for name in re.findall(r"\{(\w+)\}", text))
              for n, (key, text) in enumerate(TABLES["en"]["player"].items())}
    monkeypatch.setitem(TABLES["en"], "player", marked)
    _, loss = document_network()
    page = ag.animate(loss, quiz=True).save(tmp_path / "marked.html").read_text()
    data = page_data(page)
    shown = " ".join([f["title"] for f in data["frames"]] + [
        str(c[0]) + " " + str(c[1]) for f in data["frames"] for c in f["cells"]])
    visible = re.sub(r"<script.*?</script>|<style>.*?</style>|<pre>.*?</pre>", "", page,
                     flags=re.S)
    for english in ("step", "backward", "forward", "sends", "incoming", "derivative", "graph",
                    "Next", "Previous", "Play", "Zoom", "Fit", "Layer", "whole pass"):
        assert english not in shown, english
        assert english not in re.sub(r"<[^>]+>", " ", visible), english
    assert data["words"] == marked  # the player's own words (buttons, quiz, hint) too


def test_a_recorded_mlps_layer_ops_carry_the_documents_formula_as_their_tooltip(tmp_path):
    # the graph, the side panel and ag.explain all write a layer as S11's u_l = W_l y_{l−1} + b_l
    ag.manual_seed(0)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    with ag.record_modules(model):
        loss = F.mse_loss(model(ag.Tensor([[0.5, -1.0, 2.0]])), ag.Tensor([[0.0, 1.0, 0.0]]),
                          reduction="half_sum")
    (path,) = ag.animate(loss, forward=False).save_frames(tmp_path / "slides")[:1]
    titles = [a.get("{http://www.w3.org/1999/xlink}title", "")
              for a in ET.fromstring(path.read_text()).iter("{http://www.w3.org/2000/svg}a")]
    layers = sorted(t.splitlines()[0].replace("\xa0", " ") for t in titles if "(S11)" in t)
    assert layers == ["u1 = W1 x + b1   (S11)", "u2 = W2 y1 + b2   (S11)"]
    assert not any("x·Wᵀ" in t for t in titles)  # not the batch-row formula of the op
