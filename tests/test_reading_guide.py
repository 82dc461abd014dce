"""The reading guide (docs/reading-guide.md, and its Chinese twin docs/zh/reading-guide.md)
walks Tensor → Function → one op → the engine by line ranges; each range must still hold
exactly the definition it names, and the whole path must stay readable in one sitting (at
most 250 lines of code)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "reading-guide.md"
GUIDES = {GUIDE: r"(\d+) lines\s+of code",
          ROOT / "docs" / "zh" / "reading-guide.md": r"共 (\d+) 行"}
CITATION = re.compile(r"`(autograd/[\w/]+\.py)` lines (\d+)–(\d+), `([\w.]+)`")


def definitions(path: Path) -> dict[str, tuple[int, int]]:
    """Top-level classes and functions, and methods as ``Class.method``: first line
    (decorators included) and last line."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ClassDef | ast.FunctionDef):
            continue
        members = [(node.name, node)] + [
            (f"{node.name}.{m.name}", m) for m in getattr(node, "body", [])
            if isinstance(m, ast.FunctionDef) and isinstance(node, ast.ClassDef)]
        for name, item in members:
            first = item.decorator_list[0].lineno if item.decorator_list else item.lineno
            found[name] = (first, item.end_lineno)
    return found


def citations(guide: Path = GUIDE) -> list[tuple[str, int, int, str]]:
    text = " ".join(guide.read_text(encoding="utf-8").split())  # citations may wrap
    return [(path, int(a), int(b), name) for path, a, b, name in CITATION.findall(text)]


@pytest.mark.parametrize("guide", list(GUIDES), ids=["en", "zh"])
def test_every_cited_range_holds_the_definition_it_names(guide):
    cited = citations(guide)
    assert len(cited) >= 10  # the four stops, each with its definitions
    for path, first, last, name in cited:
        spans = definitions(ROOT / path)
        assert name in spans, f"{path} no longer defines {name}"
        assert spans[name] == (first, last), (
            f"{guide.name} cites {path} lines {first}–{last} for {name}, which "
            f"now stands at lines {spans[name][0]}–{spans[name][1]}")


@pytest.mark.parametrize("guide", list(GUIDES), ids=["en", "zh"])
def test_the_path_is_tensor_function_op_engine_in_at_most_250_lines(guide):
    cited = citations(guide)
    assert cited == citations(GUIDE)  # the twin cites what the English guide cites
    files = list(dict.fromkeys(path for path, *_ in cited))
    assert files[0] == "autograd/tensor.py" and files[1] == "autograd/function.py"
    assert files[-1] == "autograd/engine.py"
    assert any(path.startswith("autograd/ops/") for path in files)
    total = sum(last - first + 1 for _, first, last, _ in cited)
    assert total <= 250
    stated = re.search(GUIDES[guide], guide.read_text(encoding="utf-8"))
    assert stated is not None and int(stated.group(1)) == total  # the count it states


def test_the_readme_links_the_guide_on_its_first_screen():
    first_screen = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:40]
    assert any("docs/reading-guide.md" in line for line in first_screen)
