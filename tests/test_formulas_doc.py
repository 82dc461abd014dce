"""docs/formulas.md resolves every S-number the project cites.

A citation is ``S`` and a number, alone or as a range (``S13–S16`` cites S13 … S16),
in the source of ``autograd/``, ``nn/``, ``tests/`` and the cells of ``notebooks/``
(notebook outputs are left out: a base64 picture is full of accidental ``S5``).
An entry of the page is a heading ``### S<n> · …``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "formulas.md"
CITING_FOLDERS = ("autograd", "nn", "tests", "notebooks")

CITATION = re.compile(r"(?<![\w])S(\d{1,2})(?:\s?[–-]\s?S?(\d{1,2}))?(?![\w])")
ENTRY = re.compile(r"^### S(\d+) · ", re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def cited_numbers(text: str) -> set[int]:
    """Every S-number a text cites, ranges expanded."""
    numbers: set[int] = set()
    for match in CITATION.finditer(text):
        first = int(match.group(1))
        last = int(match.group(2) or first)
        numbers.update(range(first, last + 1))
    return numbers


def source_text(path: Path) -> str:
    """What a reader of the file sees as source: a notebook's cells, or the file."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(cell["source"]) for cell in cells)
    return path.read_text(encoding="utf-8")


def citing_files() -> list[Path]:
    return sorted(path for folder in CITING_FOLDERS for path in (ROOT / folder).rglob("*")
                  if path.suffix in (".py", ".ipynb") and ".ipynb_checkpoints" not in path.parts
                  and path != Path(__file__).resolve())


def entries() -> dict[int, str]:
    """S-number → the text of its entry (up to the next heading)."""
    text = PAGE.read_text(encoding="utf-8")
    starts = list(ENTRY.finditer(text))
    ends = [m.start() for m in starts[1:]] + [len(text)]
    return {int(m.group(1)): text[m.start():end] for m, end in zip(starts, ends, strict=True)}


def test_citation_pattern_reads_single_numbers_ranges_and_nothing_else():
    assert cited_numbers("S12: δ; (S13–S16), S3-S5 and S9/S10") == {3, 4, 5, 9, 10, 12, 13,
                                                                    14, 15, 16}
    assert cited_numbers("RS1 S1x x2S3 S123 BS5") == set()


def test_the_page_has_one_entry_per_number_in_order():
    numbers = [int(m.group(1)) for m in ENTRY.finditer(PAGE.read_text(encoding="utf-8"))]
    assert numbers == sorted(set(numbers)), "entries repeat or are out of order"
    assert numbers == list(range(1, 21))


def test_every_cited_number_has_an_entry():
    documented = set(entries())
    missing = {}
    for path in citing_files():
        for number in cited_numbers(source_text(path)) - documented:
            missing.setdefault(f"S{number}", []).append(str(path.relative_to(ROOT)))
    assert not missing, f"cited but not in docs/formulas.md: {missing}"


def test_every_entry_is_cited_in_code_tests_or_notebooks():
    cited = set().union(*(cited_numbers(source_text(path)) for path in citing_files()))
    uncited = sorted(set(entries()) - cited)
    assert not uncited, f"entries cited nowhere in {CITING_FOLDERS}: S{uncited}"


@pytest.mark.parametrize("number", range(1, 21), ids=[f"S{n}" for n in range(1, 21)])
def test_entry_links_code_tests_and_a_notebook_that_exist_and_carry_it(number):
    entry = entries()[number]
    targets = [link.split("#")[0] for link in LINK.findall(entry)]
    paths = [(PAGE.parent / target).resolve() for target in targets]
    absent = [t for t, p in zip(targets, paths, strict=True) if not p.exists()]
    assert not absent, f"S{number} links to files that do not exist: {absent}"
    kinds = {path.relative_to(ROOT).parts[0] for path in paths}
    assert {"tests", "notebooks"} <= kinds and kinds & {"nn", "autograd"}, \
        f"S{number} must link code, a test and a notebook; links: {targets}"
    assert "式" in entry or "unnumbered" in entry, f"S{number} names no place in the document"
    carriers = [p for p in paths if number in cited_numbers(source_text(p))]
    assert carriers, f"none of the files S{number} links cites S{number}: {targets}"
