"""PyTorch programs written the way the official tutorials write them
(``tests/pytorch_programs/*.py``), run here with only their imports changed — ``torch`` →
``autograd``, ``torch.nn`` → ``nn``, ``torch.nn.functional`` → ``nn.functional``,
``torch.optim`` → ``nn.optim`` — and, where PyTorch is installed, compared line by line
with what the same program prints under PyTorch: the words exactly, the numbers to a
relative 1e-6. PyTorch runs them with its default dtype set to float64, ours (its float32
drifts by 5e-4 over the 40 SGD steps of ``training_loop.py``); casts such as ``.float()``
still give float32 on both sides.

The programs print ``tolist()`` and ``item()`` rather than tensors, since the two
libraries format a tensor's repr differently; ``torch.Size([2, 3])`` is read as
``(2, 3)``, the tuple our ``size()`` returns."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = sorted((Path(__file__).parent / "pytorch_programs").glob("*.py"))
ROOT = Path(__file__).parent.parent

#: The only edits made to a program: its import lines.
IMPORTS = {
    "import torch": "import autograd as torch",
    "import torch.nn as nn": "import nn",
    "from torch import nn": "import nn",
    "from torch import nn, optim": "from nn import optim\nimport nn",
    "import torch.nn.functional as F": "from nn import functional as F",
    "import torch.optim as optim": "from nn import optim",
    "from torch import optim": "from nn import optim",
}
NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def with_our_imports(source: str) -> str:
    lines = []
    for line in source.splitlines():
        if "torch" in line and line.startswith(("import ", "from ")):
            assert line in IMPORTS, f"no replacement for the import {line!r}"
            line = IMPORTS[line]
        lines.append(line)
    return "\n".join(lines) + "\n"


UNDER_TORCH = ("import runpy, sys, torch; torch.set_default_dtype(torch.float64); "
               "runpy.run_path(sys.argv[1], run_name='__main__')")


def run(path: Path, *prefix: str) -> str:
    result = subprocess.run([sys.executable, *prefix, str(path)], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 0, f"{path.name} failed:\n{result.stderr}"
    return result.stdout


def torch_size_as_tuple(text: str) -> str:
    """``torch.Size([2, 3])`` → ``(2, 3)``, ``torch.Size([4])`` → ``(4,)``."""
    def tuple_text(match: re.Match) -> str:
        items = match.group(1)
        return f"({items},)" if items and "," not in items else f"({items})"
    return re.sub(r"torch\.Size\(\[([^\]]*)\]\)", tuple_text, text)


def assert_same_output(ours: str, theirs: str) -> None:
    ours_lines, their_lines = ours.splitlines(), torch_size_as_tuple(theirs).splitlines()
    assert len(ours_lines) == len(their_lines), (ours, theirs)
    for mine, expected in zip(ours_lines, their_lines, strict=True):
        assert NUMBER.sub("#", mine) == NUMBER.sub("#", expected), (mine, expected)
        for a, b in zip(NUMBER.findall(mine), NUMBER.findall(expected), strict=True):
            assert math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9), (mine, expected)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_runs_with_only_the_imports_changed(program, tmp_path):
    ours = tmp_path / program.name
    ours.write_text(with_our_imports(program.read_text()))
    output = run(ours)
    assert output.strip()
    pytest.importorskip("torch", reason="PyTorch is not installed: our output is not compared")
    assert_same_output(output, run(program, "-c", UNDER_TORCH))


def test_the_comparison_catches_a_different_number_or_word():
    assert_same_output("loss 0.50000001 (2, 3) (4,)", "loss 0.5 torch.Size([2, 3]) torch.Size([4])")
    with pytest.raises(AssertionError):
        assert_same_output("loss 0.51", "loss 0.5")
    with pytest.raises(AssertionError):
        assert_same_output("True", "False")
