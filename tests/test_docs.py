"""The documentation site (docs/): its API reference reaches every public name, and its
helpers do what their docstrings say. Building the site itself (``sphinx-build -W``) is
a step of ``.ci/run``; these checks need neither Sphinx nor a build."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

import nn

DOCS = Path(__file__).resolve().parents[1] / "docs"
sys.path.insert(0, str(DOCS / "_ext"))


def documented_modules() -> set[str]:
    text = "\n".join(page.read_text() for page in (DOCS / "api").glob("*.md"))
    return set(re.findall(r"automodule:: ([\w.]+)", text))


def test_every_public_module_has_a_place_in_the_api_reference():
    # autograd and nn themselves are documented through their __all__, submodules apart
    public = {"autograd", "autograd.ops", "nn"} | {
        module.__name__ for module in vars(nn).values()
        if isinstance(module, types.ModuleType) and module.__name__.split(".")[-1] in nn.__all__}
    assert public - documented_modules() == set()


def test_prose_after_a_parameter_list_becomes_notes():
    docstrings = pytest.importorskip("docstrings", reason="docs/_ext is not importable")
    lines = ["Summary.", "", "Parameters", "----------", "x : int", "    The x.", "",
             "Initialisation: each weight is drawn", "from a uniform distribution."]
    assert docstrings.notes_after_lists(lines) == [*lines[:7], "Notes", "-----", *lines[7:]]
    entries = ["Parameters", "----------", "x : int", "    The x.", "", "y, z : float",
               "    More."]
    assert docstrings.notes_after_lists(entries) == entries


def test_bars_are_escaped_outside_literals_only():
    docstrings = pytest.importorskip("docstrings", reason="docs/_ext is not importable")
    assert docstrings.escape_bars("largest |a − b| and ``|x|``") == \
        "largest \\|a − b\\| and ``|x|``"


def test_repository_links_become_site_links_or_text():
    repo_links = pytest.importorskip("repo_links", reason="Sphinx is not installed (docs extra)")
    page = DOCS / "formulas.md"
    source = ("[03](../notebooks/03_x.ipynb#top) [`nn.Linear`](../nn/layers.py) "
              "[web](https://example.org) [here](guarantees.md) ![img](../a.png) [up](#s1)")
    assert repo_links.rewrite(source, page, page, DOCS) == (
        "[03](notebooks/03_x.ipynb#top) `nn.Linear` [web](https://example.org) "
        "[here](guarantees.md) ![img](../a.png) [up](#s1)")
    # a notebook, written in notebooks/ and shown from its copy in docs/notebooks/
    written, shown = DOCS.parent / "notebooks" / "01.ipynb", DOCS / "notebooks" / "01.ipynb"
    source = "[S1](../docs/formulas.md#s1) [02](02_y.ipynb) [tests](../tests/test_x.py)"
    assert repo_links.rewrite(source, written, shown, DOCS) == (
        "[S1](../formulas.md#s1) [02](02_y.ipynb) tests")


def test_the_offline_check_names_every_address_a_page_would_fetch():
    pytest.importorskip("sphinx", reason="Sphinx is not installed (docs extra)")
    import offline
    page = """<html><head>
      <script defer src="https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js"></script>
      <script src="_static/mathjax/tex-chtml.js"></script>
      <link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">
      <link rel="preload" as="font" href="http://example.org/f.woff2">
      <link rel="stylesheet" href="_static/pygments.css">
      <link rel="canonical" href="https://example.org/page.html">
      <style>@import "https://example.org/a.css";
             @font-face { src: url('https://example.org/b.woff') }
             .x { background: url(_static/file.png) }</style>
    </head><body><a href="https://example.org">a link is followed, not fetched</a>
      <span style="background: url( http://example.org/c.png )">x</span></body></html>"""
    assert offline.remote_loads(page) == [
        "script https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js",
        "link rel=stylesheet //fonts.googleapis.com/css?family=Lato",
        "link rel=preload http://example.org/f.woff2",
        "CSS url https://example.org/a.css",
        "CSS url https://example.org/b.woff",
        "CSS url http://example.org/c.png",
    ]
    assert offline.remote_loads('<script src="mathjax/tex-chtml.js"></script>') == []

def test_every_page_links_its_twin_in_the_other_language():
    switch = pytest.importorskip("language_switch", reason="Sphinx is not installed (docs extra)")
    found = {"index", "formulas", "api/nn", "notebooks/01_a", "zh/index", "zh/formulas",
             "zh/glossary", "zh/notebooks/01_a"}
    assert switch.twin("formulas", found) == "zh/formulas"
    assert switch.twin("zh/formulas", found) == "formulas"
    assert switch.twin("notebooks/01_a", found) == "zh/notebooks/01_a"
    assert switch.twin("zh/notebooks/01_a", found) == "notebooks/01_a"
    assert switch.twin("api/nn", found) == "zh/index"        # no Chinese page: its front page
    assert switch.twin("zh/glossary", found) == "index"
    assert 'href="zh/formulas.html"' in switch.switch("formulas", "zh/formulas.html")
    assert 'lang="zh-CN">中文</span>' in switch.switch("zh/formulas", "../formulas.html")


def test_every_english_page_with_a_chinese_twin_keeps_its_name():
    """docs/zh/ holds only twins of English pages, or the glossary, Chinese only."""
    chinese = {path.name for path in (DOCS / "zh").glob("*.md")} - {"glossary.md"}
    assert chinese and chinese <= {path.name for path in DOCS.glob("*.md")}
