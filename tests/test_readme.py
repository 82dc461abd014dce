"""The README's Python examples run as written, one after another (they build on each
other), so the quick tour stays true; the Chinese README (README.zh.md) is
linked from the first screen and repeats the commands and examples verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

README = Path(__file__).resolve().parents[1] / "README.md"
README_ZH = README.with_name("README.zh.md")


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_readme_python_examples_run(tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # the tour saves a model file
    examples = blocks(README.read_text(encoding="utf-8"), "python")
    assert len(examples) >= 4
    namespace: dict = {}
    for block in examples:
        exec(compile(block, str(README), "exec"), namespace)
    assert (tmp_path / "digits.npz").exists()
    history = namespace["history"]
    assert history["val_accuracy"][-1] > 0.9


def test_chinese_readme_is_linked_first_and_repeats_commands_and_examples():
    english = README.read_text(encoding="utf-8")
    chinese = README_ZH.read_text(encoding="utf-8")
    assert "(README.zh.md)" in "\n".join(english.splitlines()[:8])
    set_up = english.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    commands = blocks(set_up, "bash")
    assert len(commands) == 2
    assert all(command in blocks(chinese, "bash") for command in commands)
    tour = blocks(chinese, "python")
    assert len(tour) >= 4
    # each example is one of the English README's, which the test above runs
    assert [block for block in tour if block not in blocks(english, "python")] == []
