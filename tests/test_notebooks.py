"""Every notebook in notebooks/ and its Chinese twin in notebooks/zh/ runs top to bottom
without an error.

Each is executed in a fresh ``python3`` kernel with the repository on ``PYTHONPATH`` and a
temporary working directory (files a notebook saves land there), and a line that carries
its conclusion must appear in the new outputs — the claim it demonstrates still holds. A
twin runs the same code (tests/test_notebooks_zh.py), so it prints the same line.
Notebooks are slow compared with unit tests (a few seconds to half a minute each):
``pytest -k "not notebook"`` leaves them out.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TWINS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))

# A line of output per notebook that states what it demonstrates (S-numbers: docs/formulas.md).
KEY_OUTPUTS = {
    "01_neurons_and_perceptron": "every run within the bound: True",            # S5
    "02_xor_and_the_linear_limit": "MCP units computing XOR: 0",                  # S6
    "03_forward_and_backward_by_hand": "formulas agree with autograd: True",      # S13–S16
    "04_vanishing_gradients": "sigmoid first/last layer gradient ratio",          # S18
    "05_building_models": "loaded model gives identical outputs: True",
    "06_watch_backprop": "the player's δ's equal the document's formulas: True",   # S15
    "07_graduating_to_pytorch": "PyTorch computes what we compute: True",       # S11, S16
    "08_learning_settings": "each class has its own cluster: True",               # S20
}

# Notebooks that need an optional extra; without it they are skipped, saying which.
NEEDS = {"07_graduating_to_pytorch": ("torch", "onnx", "onnxruntime")}


def _text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for k, v in output.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


def test_every_notebook_is_listed():
    assert {path.stem for path in NOTEBOOKS} == set(KEY_OUTPUTS)
    assert {path.stem for path in TWINS} == set(KEY_OUTPUTS)


@pytest.mark.parametrize("path", NOTEBOOKS + TWINS,
                         ids=[path.relative_to(ROOT / "notebooks").with_suffix("").as_posix()
                              for path in NOTEBOOKS + TWINS])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    missing = [name for name in NEEDS.get(path.stem, ()) if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"{path.stem} needs {', '.join(missing)}: pip install "
                    f"'backprop-primer[export]'")
    nb = nbformat.read(path, as_version=4)
    # iopub_timeout: on a busy machine a cell's last outputs can arrive seconds after it
    # finished; nbclient's default (4 s) then drops them, and the key line with them.
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=120, iopub_timeout=60,
                                     resources={"metadata": {"path": str(tmp_path)}})
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    client.execute(env={**os.environ, "PYTHONPATH": pythonpath})  # raises on a cell error
    assert KEY_OUTPUTS[path.stem] in _text(nb)
