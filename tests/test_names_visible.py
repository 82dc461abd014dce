"""Tensor names with control characters, NUL, lone surrogates or U+FFFE are drawn, animated
and explained with those characters written visibly (as Python writes them: ``\\x00``),
never passed raw to Graphviz (which refuses them) or a terminal (which acts on them)."""

from __future__ import annotations

import html
import os
import shutil
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.text import visible


def raw_hazards(text):
    """The characters of ``text`` that Graphviz's XML labels or a terminal cannot take raw."""
    return [c for c in text
            if unicodedata.category(c) in ("Cc", "Cs") or c in "\ufffe\uffff"]


def small_graph(name):
    x = ag.Tensor([1.0, -2.0], requires_grad=True, name=name)
    loss = (x * 3.0).sum()
    ag.retain_grads(loss)
    loss.backward()
    return loss


@given(st.text(min_size=1, max_size=12))
def test_visible_hides_no_character_and_leaves_printable_text_alone(text):
    shown = visible(text)
    assert raw_hazards(shown) == []
    if not raw_hazards(text):
        assert shown == text
    else:
        for character in set(raw_hazards(text)):
            assert repr(character)[1:-1] in shown   # \x00, \n, \ud800 as Python writes them


@given(st.text(min_size=1, max_size=12))
def test_draw_and_explain_carry_no_raw_control_character(name):
    loss = small_graph(name)
    source, explained = ag.draw(loss).source, str(ag.explain(loss))
    assert set(raw_hazards(source)) <= {"\n", "\t"}   # the DOT text's own lines and indents
    assert set(raw_hazards(explained)) <= {"\n"}
    assert f"<B>{html.escape(visible(name))}</B>" in source
    assert f"{visible(name)}.grad += " in explained


@pytest.fixture
def dot_program(tmp_path, monkeypatch):
    """A ``dot`` on PATH: Graphviz's own, else the ``graphviz-pure`` executable installed
    beside this Python (the package's fallback renderer)."""
    if shutil.which("dot") is None:
        pure = shutil.which("graphviz-pure") or shutil.which(
            "graphviz-pure", path=os.path.dirname(sys.executable))
        if pure is None:
            pytest.skip("needs Graphviz's dot or graphviz-pure")
        (tmp_path / "bin").mkdir()
        (tmp_path / "bin" / "dot").symlink_to(pure)
        monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize("name", ["a\x00b", "esc\x1b[31m", "tab\there", "v\x0btab",
                                  "del\x7f", "c1\x85", "lone\ud800", "non\ufffe"])
def test_a_name_with_a_control_character_renders_and_animates(name, tmp_path, dot_program):
    loss = small_graph(name)
    svg = ag.draw(loss).pipe(format="svg").decode("utf-8")
    assert visible(name) in svg
    animation = ag.animate(loss)
    page = animation.save(tmp_path / "pass.html").read_text(encoding="utf-8")
    assert raw_hazards(page.replace("\n", "").replace("\t", "")) == []
    assert all(raw_hazards(animation.frame_svg(k).replace("\n", "")) == []
               for k in range(len(animation.frames)))
