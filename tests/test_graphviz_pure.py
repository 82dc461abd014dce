"""Drawings without system Graphviz: graphviz-pure (Graphviz's ``dot`` rebuilt in Rust, a
pip dependency) renders them when ``dot`` is not on PATH, and where system ``dot`` exists
both programs draw the same nodes, edges, boxes and texts."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest
from dot_source import nodes

import autograd as ag
import nn
from autograd.show.rendering import _graphviz_pure, dot_program
from nn import functional as F
from nn.cli import main
from nn.drawing import draw_graph, draw_model, loss_graph

SVG = {"s": "http://www.w3.org/2000/svg"}
PURE = _graphviz_pure()
needs_pure = pytest.mark.skipif(PURE is None, reason="graphviz-pure is not installed")
needs_both = pytest.mark.skipif(PURE is None or shutil.which("dot") is None,
                                reason="comparing needs system 'dot' and graphviz-pure")


def fan_out(backward=True):
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="x")
    y = ((x + x) * x).sum()
    if backward:
        y.backward()
    return y


def svg_parts(svg: bytes) -> dict[str, Counter]:
    """Per kind (node, edge, cluster): each group's title with its texts and their colours."""
    root = ET.fromstring(svg)
    return {kind: Counter((group.find("s:title", SVG).text,
                           tuple(sorted((t.text or "", t.get("fill", ""))
                                        for t in group.iterfind(".//s:text", SVG))))
                          for group in root.iterfind(f".//s:g[@class='{kind}']", SVG))
            for kind in ("node", "edge", "cluster")}


def laid_out(program: str, source: str) -> bytes:
    return subprocess.run([program, "-Tsvg"], input=source.encode(), capture_output=True,
                          check=True).stdout


@needs_pure
def test_without_dot_on_path_graphviz_pure_renders_svg_and_png(monkeypatch, tmp_path, capfd):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` there
    assert dot_program() == PURE
    drawing = ag.draw(fan_out())
    svg = drawing.render(tmp_path / "g", format="svg")
    png = drawing.pipe(format="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    titles = {g.find("s:title", SVG).text
              for g in ET.parse(svg).getroot().iterfind(".//s:g[@class='node']", SVG)}
    assert titles == set(nodes(drawing.source))
    assert "image/svg+xml" in drawing._repr_mimebundle_()
    assert capfd.readouterr().err == ""  # its guessed-width warnings stay quiet


@needs_pure
def test_without_dot_on_path_the_player_is_drawn(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    frames = ag.animate(fan_out(backward=False)).save_frames(tmp_path / "frames")
    assert len(frames) > 2 and all(ET.parse(f).getroot().get("class") == "ag-graph"
                                   for f in frames)


@needs_pure
def test_the_graph_command_ends_in_one_line_for_a_format_graphviz_pure_lacks(monkeypatch,
                                                                            tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    status = main(["graph", "--out", str(tmp_path / "g.pdf")])
    err = capsys.readouterr().err
    if status == 0:  # a graphviz-pure that writes PDF
        assert (tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"
    else:
        assert status == 2 and "graphviz-pure cannot write g.pdf" in err
        assert len(err.strip().splitlines()) == 1 and "pdf" in err


def drawings():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    x, labels = np.random.default_rng(0).random((2, 4)), np.array([0, 1])
    return {"ag.draw, fan-out": ag.draw(fan_out()),
            "loss_graph 3-3-3 with formulas": loss_graph(show_formula=True),
            "draw_graph with cross-entropy": draw_graph(model, x, F.cross_entropy, labels),
            "draw_model": draw_model(model, x)}


@needs_both
@pytest.mark.parametrize("name", list(drawings()))
def test_system_dot_and_graphviz_pure_draw_the_same_parts(name):
    source = drawings()[name].source
    by_dot = svg_parts(laid_out(shutil.which("dot"), source))
    assert sum(map(len, by_dot.values())) > 2
    assert svg_parts(laid_out(PURE, source)) == by_dot


def frame_parts(path) -> list[tuple]:
    """Each node or edge of a player frame: its name, state classes and gradient lines."""
    return sorted((g.get("data-id"), g.get("class"),
                   tuple(t.text for t in g.iterfind(".//{*}text[@class='grad-line']")))
                  for g in ET.parse(path).getroot().iter("{*}g") if g.get("data-id"))


@needs_both
def test_player_frames_are_the_same_with_either_program(monkeypatch, tmp_path):
    ag.manual_seed(0)
    model = nn.MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    loss = F.mse_loss(model(ag.Tensor([[0.5, -1.0, 2.0]])), ag.Tensor([[0.0, 1.0, 0.0]]),
                      reduction="half_sum")
    by_dot = ag.animate(loss).save_frames(tmp_path / "dot")
    monkeypatch.setenv("PATH", str(tmp_path))
    by_pure = ag.animate(loss).save_frames(tmp_path / "pure")
    assert len(by_dot) == len(by_pure) > 10
    for a, b in zip(by_dot, by_pure):
        assert frame_parts(a) == frame_parts(b), a.name
