"""The command line: train/save/eval roundtrip, one-line errors with status 2, graph, demo."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from autograd.show.rendering import dot_program
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


NEEDS_DOT = pytest.mark.skipif(dot_program() is None,
                               reason="rendering SVG needs Graphviz's 'dot' or graphviz-pure")


@pytest.mark.parametrize("suffix", [pytest.param("svg", marks=NEEDS_DOT), "dot"])
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


# ----------------------------------------------------------------- user errors, one line each
def one_line_error(status, err, *phrases):
    assert status == 2, err
    assert len(err.splitlines()) == 1 and "error:" in err and "Traceback" not in err, err
    for phrase in phrases:
        assert phrase in err, (phrase, err)


@pytest.mark.parametrize("sidecar_text, phrase", [
    ("[64, 128, 10]", "expected a JSON object"),
    ("null", "expected a JSON object"),
    ('{"sizes": 5, "activation": "relu", "data": "xor"}', "sizes must be a list"),
    ('{"sizes": [2, "8", 2], "activation": "relu", "data": "xor"}', "sizes must be a list"),
    ('{"sizes": [2, 8, 2], "activation": "relu", "data": "xor", "data_seed": -3}',
     "data_seed must be an integer >= 0"),
    ('{"sizes": [2, 8, 2], "activation": "swish", "data": "xor"}', "activation must be one of"),
    ('{"sizes": [2, 100000000, 2], "activation": "relu", "data": "xor"}', "at most"),
    ("{not json", "is not valid JSON"),
    ('{"data": ["xor"]}', "data must be a string, got ['xor']"),          # each field's
    ('{"activation": ["relu"]}', "activation must be a string, got ['relu']"),  # JSON type
    ('{"sizes": {"0": 2}}', "sizes must be a list (JSON array), got {'0': 2}"),
    ('{"data_seed": "0"}', "data_seed must be an integer, got '0'"),
    ('{"data_seed": 1.5}', "data_seed must be an integer, got 1.5"),
    ('{"data_seed": true}', "data_seed must be an integer, got True"),
    ('{"data": 7, "activation": null}',
     "activation must be a string, got None; data must be a string, got 7"),
])
def test_a_malformed_sidecar_is_one_line_naming_the_file(tmp_path, capsys, sidecar_text,
                                                          phrase):
    path = tmp_path / "m.npz"
    path.write_bytes(b"")
    (tmp_path / "m.npz.json").write_text(sidecar_text)
    status, _, err = run(["eval", "--load", str(path)], capsys)
    one_line_error(status, err, "m.npz.json", phrase)


@pytest.mark.parametrize("argv, phrases", [
    (["train", "--data", "xor", "--sizes", "2,100000,100000,2"], ["--sizes", "at most"]),
    (["train", "--data", "xor", "--sizes", ",".join(["2"] * 101)], ["--sizes", "100 layers"]),
    (["train", "--data", "xor", "--seed", "-1"], ["--seed", "expected an integer >= 0"]),
    (["train", "--data", "xor", "--data-seed", "-1"], ["--data-seed"]),
    (["graph", "--seed", "-1"], ["--seed"]),
    (["demo", "--seed", "-1"], ["--seed"]),
    (["train", "--data", "xor", "--lr", "inf"], ["--lr", "finite", "'inf'"]),
    (["train", "--data", "xor", "--lr", "nan"], ["--lr"]),
    (["train", "--data", "xor", "--optimizer", "sgd", "--momentum", "-0.5"], ["--momentum"]),
])
def test_bad_flags_are_named_in_one_line(argv, phrases, capsys):
    one_line_error(*run(argv, capsys)[::2], *phrases)


def test_an_unwritable_demo_folder_fails_before_the_demo_runs(tmp_path, capsys, monkeypatch):
    import nn.demo
    ran = []
    monkeypatch.setattr(nn.demo, "run", lambda *args, **kwargs: ran.append(1))
    blocker = tmp_path / "file"
    blocker.write_text("")
    status, _, err = run(["demo", "--out", str(blocker / "pictures"), "--quiet"], capsys)
    one_line_error(status, err, "--out", "cannot write there")
    status, _, err = run(["demo", "--out", str(blocker), "--quiet"], capsys)
    one_line_error(status, err, "--out", "cannot write there")
    assert not ran


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file permissions do not stop root (or non-POSIX systems)")
def test_a_read_only_demo_folder_fails_before_the_demo_runs(tmp_path, capsys):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    status, _, err = run(["demo", "--out", str(folder), "--quiet"], capsys)
    one_line_error(status, err, "--out", "cannot write there")


@pytest.mark.parametrize("make_target", [
    lambda tmp: f"{tmp / 'models'}{os.sep}",     # a trailing separator: meant as a folder
    lambda tmp: str(tmp),                         # an existing folder
])
def test_save_to_a_folder_is_refused_before_training(tmp_path, capsys, make_target):
    target = make_target(tmp_path)
    status, out, err = run(["train", "--data", "xor", "--epochs", "1", "--save", target],
                           capsys)
    one_line_error(status, err, "--save", "is a folder; give a file path")
    assert out == ""                              # refused before training started
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_graph_into_an_unwritable_place_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    status, _, err = run(["graph", "--out", str(blocker / "g.dot")], capsys)
    one_line_error(status, err, "--out", "cannot write there")


def test_a_nonfinite_loss_while_training_is_one_line(capsys):
    status, _, err = run(["train", "--data", "xor", "--optimizer", "sgd", "--lr", "1e300",
                          "--epochs", "3", "--quiet"], capsys)
    one_line_error(status, err, "loss is", "epoch")


#: The command line in a child process whose memory is capped at 4 GB (a regression that
#: reads /dev/zero ends in MemoryError; one that blocks on a FIFO, in the timeout).
CLI_IN_A_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2**32, 2**32))
from nn.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("special", ["model", "sidecar"])
def test_eval_refuses_special_files_in_one_line(tmp_path, special):
    model, side = tmp_path / "m.npz", tmp_path / "m.npz.json"
    if special == "model":
        os.mkfifo(model)
        side.write_text('{"sizes": [2, 8, 2], "activation": "relu", "data": "xor"}')
    else:
        model.write_bytes(b"")
        os.symlink("/dev/zero", side)
    try:
        child = subprocess.run([sys.executable, "-c", CLI_IN_A_CHILD, "eval", "--load",
                                str(model)], capture_output=True, text=True, timeout=60,
                               cwd=ROOT, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"eval with a special {special} file did not return within 60 s")
    kind = "a FIFO (named pipe)" if special == "model" else "a character device"
    one_line_error(child.returncode, child.stderr, f"is {kind}; only a regular file")
