"""The command line: train/save/eval roundtrip, one-line errors with status 2, graph, demo."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from nn.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(argv, capsys):
    """main(argv) → (status, stdout, stderr); argparse's exits count as a status."""
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def _line(out, prefix):
    return next(line for line in out.splitlines() if line.startswith(prefix))


def test_train_save_eval_roundtrip_on_xor(tmp_path, capsys):
    path = tmp_path / "models" / "xor.npz"
    status, out, err = run(["train", "--data", "xor", "--epochs", "15", "--seed", "1",
                            "--save", str(path)], capsys)
    assert status == 0 and err == ""
    trained = _line(out, "test:")
    assert float(trained.split("accuracy ")[1].rstrip("%")) >= 90.0  # noisy XOR is learnable
    with np.load(path, allow_pickle=False) as saved:
        assert saved["layers.0.weight"].shape == (8, 2)
    meta = json.loads(path.with_name("xor.npz.json").read_text())
    assert meta == {"sizes": [2, 8, 2], "activation": "relu", "data": "xor", "data_seed": 0}

    status, out, err = run(["eval", "--load", str(path)], capsys)
    assert status == 0 and err == ""
    assert _line(out, "test (100 samples):").split(": ", 1)[1] == trained.split(": ", 1)[1]

    path.with_name("xor.npz.json").unlink()  # without the sidecar the flags are needed
    status, out, err = run(["eval", "--load", str(path)], capsys)
    assert status == 2 and "--data, --sizes, --activation" in err
    status, out, _ = run(["eval", "--load", str(path), "--data", "xor", "--sizes", "2,8,2",
                          "--activation", "relu"], capsys)
    assert status == 0 and _line(out, "test (100 samples):").endswith(trained.split(", ")[-1])


@pytest.mark.parametrize("argv", [
    [],
    ["train"],
    ["train", "--data", "mnist"],
    ["train", "--data", "xor", "--sizes", "2,x,2"],
    ["train", "--data", "xor", "--sizes", "2"],
    ["train", "--data", "xor", "--epochs", "-1"],
    ["train", "--data", "xor", "--lr", "0"],
    ["train", "--data", "xor", "--sizes", "3,4,2"],       # the library's ValueError
    ["train", "--data", "spirals", "--sizes", "2,8,2"],   # 3 classes, 2 outputs
    ["eval", "--load", "missing.npz"],
    ["graph", "--out", "graph.txt"],
])
def test_bad_arguments_give_one_line_and_status_2(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(argv, capsys)
    assert status == 2
    assert len(err.splitlines()) == 1 and "error:" in err and "Traceback" not in err


def test_bad_arguments_as_a_process():
    result = subprocess.run([sys.executable, "-m", "nn", "train", "--data", "xor",
                             "--batch-size", "0"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "python -m nn train: error: argument --batch-size: expected an integer >= 1, "
        "got '0' (see --help)"]


def test_help_lists_the_commands(capsys):
    status, out, _ = run(["--help"], capsys)
    assert status == 0
    assert all(command in out for command in ("demo", "train", "eval", "graph"))


@pytest.mark.parametrize("suffix", ["svg", "dot"])
def test_graph_writes_a_drawing(tmp_path, capsys, suffix):
    out = tmp_path / f"graph.{suffix}"
    status, printed, err = run(["graph", "--sizes", "2,3,1", "--activation", "sigmoid",
                                "--out", str(out)], capsys)
    assert status == 0 and err == "" and str(out) in printed
    if suffix == "svg":
        root = ET.parse(out).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        titles = [element.text for element in root.iter("{http://www.w3.org/2000/svg}title")]
        assert len(titles) > 10  # the loss graph of a 2-3-1 MLP has many nodes
    else:
        assert out.read_text().lstrip().startswith(("digraph", "strict digraph"))


def test_demo_tells_the_story(tmp_path, capsys):
    status, out, err = run(["demo", "--out", str(tmp_path), "--quiet"], capsys)
    assert status == 0 and err == ""
    for section in ("McCulloch-Pitts", "XOR by 0", "Novikoff", "Converged: False",
                    "solves XOR", "against autograd", "digits", "test accuracy"):
        assert section in out, section
    accuracy = float(out.split("test accuracy ")[1].split("%")[0])
    assert accuracy >= 97.0
    png = tmp_path / "digits_loss.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(png.resolve()) in out
