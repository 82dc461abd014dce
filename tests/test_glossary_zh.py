"""One glossary behind every Chinese term.

docs/zh/glossary.md is a table: term, English, where the term comes from, and the
synonyms the project does not use. Checked here, over the Chinese pages (docs/zh/*.md,
the glossary itself aside) and the prose of the Chinese notebooks (notebooks/zh/):

- every term of the glossary is used somewhere (titles aside), and no avoided synonym is
  used anywhere;
- each page and each notebook gives a term's English once, in brackets right after the
  term's first use there, so that a reader who opens any one of them meets it;
- the Chinese terms the English formulas page puts in brackets are glossary terms (or
  the document's section titles, which its "Document:" lines name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "zh" / "glossary.md"
PAGES = sorted(path for path in (ROOT / "docs" / "zh").glob("*.md") if path != GLOSSARY)
TWINS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
HAN = "\u4e00-\u9fff"
TITLE = re.compile(r"^# .*$", re.MULTILINE)
FENCE = re.compile(r"^(```|:::).*?^\1\s*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Term:
    chinese: str
    english: str
    source: str
    avoided: tuple[str, ...]


def glossary() -> list[Term]:
    """The rows of the glossary's table."""
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or cells[0] in ("术语", "---"):
            continue
        avoided = tuple(word for word in re.split(r"[、,，]", cells[3]) if word.strip())
        terms.append(Term(cells[0], cells[1], cells[2], avoided))
    return terms


def prose(path: Path) -> str:
    """What a reader reads as text: a page without its code blocks, a notebook's Markdown;
    the title (the one ``# `` heading) left out, since the English follows in the text."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        text = "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    else:
        text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return TITLE.sub("", text)


def first_use_without_english(text: str, term: Term, terms: list[Term]) -> bool:
    """True when the term's first use (not as part of a longer term) has no English after
    it: ``净输入（net input）``, ``**净输入** (Net Input, …)`` or ``“净输入”（net input）``."""
    for longer in terms:
        if term.chinese in longer.chinese and longer.chinese != term.chinese:
            text = text.replace(longer.chinese, "□" * len(longer.chinese))
    at = text.find(term.chinese)
    if at < 0:
        return False
    after = text[at + len(term.chinese):]
    return not re.match(rf"[*”」]*\s*[（(][^）)]*?{re.escape(term.english)}", after,
                        re.IGNORECASE)


TERMS = glossary()
READ = [*PAGES, *TWINS]


def test_the_glossary_is_a_table_of_distinct_terms():
    assert len(TERMS) > 50
    chinese = [term.chinese for term in TERMS]
    assert len(set(chinese)) == len(chinese)
    avoided = {word for term in TERMS for word in term.avoided}
    assert avoided.isdisjoint(chinese), "a word is both a term and avoided"
    assert all(term.english and term.source for term in TERMS)


def test_every_term_is_used():
    text = "\n".join(prose(path) for path in READ)
    assert [term.chinese for term in TERMS if term.chinese not in text] == []


@pytest.mark.parametrize("path", READ, ids=[path.relative_to(ROOT).as_posix() for path in READ])
def test_no_avoided_synonym(path: Path) -> None:
    text = prose(path)
    used = [(word, term.chinese) for term in TERMS for word in term.avoided if word in text]
    assert used == [], f"{path.name} uses a synonym the glossary avoids: (used, term) {used}"


@pytest.mark.parametrize("path", READ, ids=[path.relative_to(ROOT).as_posix() for path in READ])
def test_english_is_given_beside_each_terms_first_use(path: Path) -> None:
    text = prose(path)
    missing = [f"{term.chinese}（{term.english}）" for term in TERMS
               if first_use_without_english(text, term, TERMS)]
    assert missing == [], f"{path.name}: first use without its English, expected {missing}"


def test_first_use_check_reads_brackets_and_skips_longer_terms():
    net = Term("净输入", "net input", "文档", ())
    gradient = Term("梯度", "gradient", "文档", ())
    descent = Term("梯度下降", "gradient descent", "文档", ())
    terms = [net, gradient, descent]
    assert not first_use_without_english("神经元的净输入（net input）z，净输入", net, terms)
    assert not first_use_without_english("**净输入** (Net Input, 式 4.1)", net, terms)
    assert not first_use_without_english("“净输入”（net input）", net, terms)
    assert first_use_without_english("净输入 z，然后净输入（net input）", net, terms)
    # 梯度 inside 梯度下降 is not its first use; the English is due where 梯度 stands alone
    assert not first_use_without_english("梯度下降（gradient descent）沿梯度（gradient）", gradient,
                                         terms)
    assert first_use_without_english("梯度下降（gradient descent）沿梯度走", gradient, terms)
    assert not first_use_without_english("没有用到", gradient, terms)


def test_chinese_terms_of_the_english_formulas_page_are_glossary_terms():
    lines = (ROOT / "docs" / "formulas.md").read_text(encoding="utf-8").splitlines()
    sections = " ".join(line for line in lines if line.startswith("- Document:"))
    text = "\n".join(line for line in lines if not line.startswith("- Document:"))
    bracketed = re.findall(rf"\(([{HAN}][^,)/]*?)\s*[,)/]", text)
    words = {word.strip() for item in bracketed for word in item.split(" + ")}
    assert len(words) > 30
    assert {word for word in words - {term.chinese for term in TERMS}
            if word not in sections} == set()
