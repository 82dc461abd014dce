"""The Chinese notebooks (notebooks/zh/) are twins of the English ones.

A twin has the same file name as its original and the same code cells, in the same
order, character for character: only the prose is written anew for a Chinese reader. A
code cell that exists only to show Chinese output carries the cell tag ``zh-only`` and is
left out of the comparison. (That each twin runs is checked with the originals, in
tests/test_notebooks.py.)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
ORIGINALS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TWINS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
ZH_ONLY = "zh-only"


def code_cells(nb) -> list[str]:
    """The sources of a notebook's code cells, in order, cells tagged zh-only left out."""
    return [cell.source for cell in nb.cells if cell.cell_type == "code"
            and ZH_ONLY not in cell.get("metadata", {}).get("tags", [])]


def first_difference(original: list[str], twin: list[str]) -> str | None:
    """Where two lists of code cells first differ, in words; None when they are equal."""
    for index, (ours, theirs) in enumerate(zip(original, twin, strict=False), start=1):
        if ours != theirs:
            return (f"code cell {index} differs (zh-only cells not counted);\n"
                    f"--- original ---\n{ours}\n--- twin ---\n{theirs}")
    if len(original) != len(twin):
        return f"the original has {len(original)} code cells, the twin {len(twin)}"
    return None


def test_every_notebook_has_a_twin_and_every_twin_an_original():
    assert [path.name for path in TWINS] == [path.name for path in ORIGINALS]


@pytest.mark.parametrize("original", ORIGINALS, ids=[path.stem for path in ORIGINALS])
def test_twin_has_the_originals_code(original: Path) -> None:
    twin = ROOT / "notebooks" / "zh" / original.name
    if not twin.exists():
        pytest.fail(f"{original.name} has no Chinese twin in notebooks/zh/")
    difference = first_difference(code_cells(nbformat.read(original, as_version=4)),
                                  code_cells(nbformat.read(twin, as_version=4)))
    assert difference is None, f"notebooks/zh/{original.name}: {difference}"


@pytest.mark.parametrize("original", ORIGINALS, ids=[path.stem for path in ORIGINALS])
def test_twin_is_stored_executed_as_its_original_is(original: Path) -> None:
    """The site shows stored outputs: a twin keeps them where its original does."""
    twin = ROOT / "notebooks" / "zh" / original.name
    if not twin.exists():
        pytest.fail(f"{original.name} has no Chinese twin in notebooks/zh/")

    def shown(path: Path) -> list[tuple[bool, set[str]]]:
        nb = nbformat.read(path, as_version=4)
        return [(cell.execution_count is not None,
                 {key for output in cell.outputs for key in output.get("data", {})})
                for cell in nb.cells if cell.cell_type == "code"
                and ZH_ONLY not in cell.get("metadata", {}).get("tags", [])]

    assert shown(twin) == shown(original), "executed cells or output kinds differ"


@pytest.mark.parametrize("twin", TWINS, ids=[path.stem for path in TWINS])
def test_twin_prose_is_chinese_and_tagged_cells_are_code(twin: Path) -> None:
    nb = nbformat.read(twin, as_version=4)
    prose = "".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    han = sum("\u4e00" <= char <= "\u9fff" for char in prose)
    assert han > len(prose) / 5, f"{twin.name}: its prose is mostly not Chinese"
    for cell in nb.cells:
        if ZH_ONLY in cell.get("metadata", {}).get("tags", []):
            assert cell.cell_type == "code", f"{twin.name}: only code cells are tagged zh-only"


def _cell(source: str, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def test_comparison_ignores_zh_only_cells_and_prose_and_nothing_else():
    original = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Prose"), _cell("x = 1"), _cell("print(x)")])
    twin = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("正文"), _cell("x = 1"),
        _cell("print('中文')", tags=(ZH_ONLY,)), _cell("print(x)")])
    assert first_difference(code_cells(original), code_cells(twin)) is None

    changed = nbformat.v4.new_notebook(cells=[_cell("x = 2"), _cell("print(x)")])
    assert "code cell 1 differs" in first_difference(code_cells(original), code_cells(changed))
    shorter = nbformat.v4.new_notebook(cells=[_cell("x = 1")])
    assert "2 code cells, the twin 1" in first_difference(code_cells(original),
                                                          code_cells(shorter))
    # a tag other than zh-only does not hide a cell
    extra = nbformat.v4.new_notebook(cells=[_cell("x = 1"), _cell("y = 0", tags=("other",)),
                                            _cell("print(x)")])
    assert first_difference(code_cells(original), code_cells(extra)) is not None
