"""``python -m nn``: the command line (demo, train, eval, graph, animate).

A saved model is two files: ``model.npz``, the state dict written by ``nn.save``, and
``model.npz.json`` beside it, which records what the weights cannot say — the layer
sizes, the activation, the data set and its split seed — so that ``eval`` rebuilds the
same network without flags (flags given to ``eval`` override the sidecar).

Errors from bad arguments or from the library (``ValueError``, ``OSError``,
``ImportError``, a NaN loss's ``FloatingPointError``) print one line on stderr and exit
with status 2; every check that can be made before training or the demo runs is made
first (flags, the sidecar, that ``--out`` and ``--save`` can be written).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

import autograd as ag
from autograd.saving import open_regular
from autograd.words import TABLES
from nn import data
from nn import functional as F
from nn.mlp import MLP
from nn.optim import SGD, Adam
from nn.serialization import load, save
from nn.train import evaluate, fit

TEST_SIZE = 0.25
#: Limits that keep a typing slip (--sizes 64,1280000,10) from exhausting memory.
MAX_LAYERS = 100
MAX_WEIGHTS = 10**7


# (loader(data_seed) → (X, y), default sizes) for every --data choice
DATASETS: dict[str, tuple[Callable[[int], tuple[np.ndarray, np.ndarray]], list[int]]] = {
    "digits": (lambda seed: data.load_digits(), [64, 128, 10]),
    "xor": (lambda seed: data.xor(400, noise=0.15, seed=seed), [2, 8, 2]),
    "moons": (lambda seed: data.moons(500, noise=0.15, seed=seed), [2, 16, 16, 2]),
    "circles": (lambda seed: data.circles(500, noise=0.08, seed=seed), [2, 16, 2]),
    "spirals": (lambda seed: data.spirals(600, 3, noise=0.2, seed=seed), [2, 64, 64, 3]),
}
ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")
LANGUAGES = tuple(TABLES)  # the words tables: en, zh
DEFAULT_LR = {"sgd": 0.1, "adam": 0.01}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (no usage block) and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def parse_sizes(text: str) -> list[int]:
    """``"64,128,10"`` → ``[64, 128, 10]``: at least an input and an output size, each ≥ 1."""
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"sizes must be comma-separated integers such as 64,128,10, got {text!r}") from None
    try:
        return check_sizes(sizes)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, got {text!r}") from None


def check_sizes(sizes: Any) -> list[int]:
    """``sizes`` if it is a list of at least two layer sizes, each at least 1, within
    ``MAX_LAYERS`` layers and ``MAX_WEIGHTS`` weights; else ``ValueError`` saying which."""
    if not isinstance(sizes, list) or not all(
            isinstance(size, int) and not isinstance(size, bool) for size in sizes):
        raise ValueError("sizes must be a list of integers such as [64, 128, 10]")
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError("sizes need at least two layers, each of at least 1 unit")
    weights = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    if len(sizes) > MAX_LAYERS or weights > MAX_WEIGHTS:
        raise ValueError(f"sizes allow at most {MAX_LAYERS} layers and {MAX_WEIGHTS:,} "
                         f"weights; these make {len(sizes)} layers and {weights:,} weights")
    return sizes


def load_split(name: str, data_seed: int):
    """The data set ``name`` split 75/25 with ``data_seed``: (X_train, X_test, y_train, y_test)."""
    loader, _ = DATASETS[name]
    X, y = loader(data_seed)
    return data.train_test_split(X, y, TEST_SIZE, seed=data_seed)


def build_model(sizes: list[int], activation: str, X: np.ndarray, y: np.ndarray) -> MLP:
    """An MLP with linear (logit) outputs for cross-entropy, checked against the data."""
    n_classes = int(y.max()) + 1
    if sizes[0] != X.shape[1] or sizes[-1] != n_classes:
        raise ValueError(f"sizes {','.join(map(str, sizes))} do not fit the data: it has "
                         f"{X.shape[1]} inputs and {n_classes} classes")
    return MLP(sizes, activation=activation, output_activation=None)


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _report(split: str, loss: float, accuracy: float) -> str:
    return f"{split}: loss {loss:.4f}, accuracy {accuracy:.2%}"


def writable_folder(folder: Path, flag: str) -> None:
    """Create ``folder`` if needed and prove a file can be written in it, or raise
    ``OSError`` naming ``flag`` — before any slow work whose result would be lost."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise OSError(f"{flag} {folder}: cannot write there ({error.strerror or error})"
                      ) from None


def writable_file(text: str, flag: str) -> None:
    """``text`` names a file (not a folder: no trailing separator, which ``Path`` would
    drop) in a folder that can be written."""
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.is_dir():
        raise OSError(f"{flag} {text}: is a folder; give a file path such as "
                      f"{path / 'model.npz'}")
    writable_folder(path.parent, flag)


def cmd_train(args: argparse.Namespace) -> None:
    if args.save:  # fail before training, not after
        writable_file(args.save, "--save")
    X_train, X_test, y_train, y_test = load_split(args.data, args.data_seed)
    sizes = args.sizes or DATASETS[args.data][1]
    ag.manual_seed(args.seed)
    model = build_model(sizes, args.activation, X_train, y_train)
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]
    if args.optimizer == "adam":
        optimizer = Adam(model.parameters(), lr=lr)
    else:
        optimizer = SGD(model.parameters(), lr=lr, momentum=args.momentum)
    print(f"{args.data}: {len(X_train)} training and {len(X_test)} test samples; "
          f"MLP {'-'.join(map(str, sizes))} ({args.activation}), cross-entropy, "
          f"{args.optimizer} lr={lr:g}, {args.epochs} epochs of batches of {args.batch_size}")
    history = fit(model, F.cross_entropy, optimizer, X_train, y_train, epochs=args.epochs,
                  batch_size=args.batch_size, validation_data=(X_test, y_test),
                  progress=not args.quiet, seed=args.seed)
    if args.epochs:
        print(_report("train", history["loss"][-1], history["accuracy"][-1]))
    print(_report("test", *evaluate(model, F.cross_entropy, X_test, y_test)))
    if args.save:
        path = Path(args.save)
        save(model, path)
        meta = {"sizes": sizes, "activation": args.activation, "data": args.data,
                "data_seed": args.data_seed}
        sidecar(path).write_text(json.dumps(meta, indent=2) + "\n")
        print(f"saved {path} and {sidecar(path)}")


#: Each sidecar field's JSON type, as Python reads it (an int is a JSON number without a
#: fraction; a bool, though an int in Python, is not one).
SIDECAR_TYPES = {"sizes": list, "activation": str, "data": str, "data_seed": int}


def _saved_meta(path: Path) -> dict[str, Any]:
    """The sidecar of ``path`` checked entry by entry ({} when there is none): each field
    of its JSON type first, then of its allowed values. Only a regular file is read."""
    if not path.exists():
        raise OSError(f"no model file {path}")
    try:
        with open_regular("eval", str(sidecar(path))) as file:
            meta = json.loads(file.read().decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{sidecar(path)} is not valid JSON: {error}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{sidecar(path)}: expected a JSON object with sizes, activation, "
                         f"data and data_seed, got {type(meta).__name__}")
    problems = [f"{key} must be {_JSON_NAMES[kind]}, got {meta[key]!r}"
                for key, kind in SIDECAR_TYPES.items()
                if key in meta and (not isinstance(meta[key], kind)
                                    or isinstance(meta[key], bool))]
    if problems:
        raise ValueError(f"{sidecar(path)}: " + "; ".join(problems))
    if "sizes" in meta:
        try:
            check_sizes(meta["sizes"])
        except ValueError as error:
            problems.append(f"{error}, got {meta['sizes']!r}")
    for key, valid in (("data", DATASETS), ("activation", ACTIVATIONS)):
        if key in meta and meta[key] not in valid:
            problems.append(f"{key} must be one of {', '.join(valid)}, got {meta[key]!r}")
    if meta.get("data_seed", 0) < 0:
        problems.append(f"data_seed must be an integer >= 0, got {meta['data_seed']!r}")
    if problems:
        raise ValueError(f"{sidecar(path)}: " + "; ".join(problems))
    return meta


_JSON_NAMES = {list: "a list (JSON array)", str: "a string", int: "an integer"}


def cmd_eval(args: argparse.Namespace) -> None:
    path = Path(args.load)
    meta = _saved_meta(path)
    name = args.data or meta.get("data")
    sizes = args.sizes or meta.get("sizes")
    activation = args.activation or meta.get("activation")
    missing = [flag for flag, value in (("--data", name), ("--sizes", sizes),
                                        ("--activation", activation)) if value is None]
    if missing:
        raise ValueError(f"{path} has no sidecar {sidecar(path).name}; give "
                         f"{', '.join(missing)}")
    data_seed = args.data_seed if args.data_seed is not None else meta.get("data_seed", 0)
    _, X_test, _, y_test = load_split(name, data_seed)
    model = build_model(list(sizes), activation, X_test, y_test)
    load(model, path)
    print(f"{path}: MLP {'-'.join(map(str, sizes))} ({activation}) on {name}")
    print(_report(f"test ({len(X_test)} samples)",
                  *evaluate(model, F.cross_entropy, X_test, y_test)))


def cmd_graph(args: argparse.Namespace) -> None:
    import graphviz

    from autograd.show.rendering import dot_program
    from nn.drawing import loss_graph

    out = Path(args.out)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in ("svg", "png", "pdf", "dot", "gv"):
        raise ValueError(f"--out {out}: the extension must be .svg, .png, .pdf, .dot or .gv")
    writable_file(args.out, "--out")
    graph = loss_graph(args.sizes, args.activation, args.seed, rankdir=args.rankdir,
                       show_formula=args.formula, lang=args.lang)
    if fmt in ("dot", "gv"):
        out.write_text(graph.source)
    elif fmt == "pdf" and Path(dot_program() or "dot").stem == "graphviz-pure":
        # refused before starting it: it would exit while the DOT text is still being
        # written to it, and the broken pipe would hide its message
        raise OSError(f"graphviz-pure cannot write {out.name}: it writes svg and png; "
                      "install Graphviz ('dot') for pdf")
    else:
        try:
            out.write_bytes(graph.pipe(format=fmt))
        except graphviz.ExecutableNotFound as error:
            raise OSError(f"{error}; .dot/.gv output works without either") from None
        except graphviz.CalledProcessError as error:  # graphviz-pure writes no PDF
            raise OSError(f"{error.cmd[0]} cannot write {out.name}: "
                          f"{error.stderr.decode(errors='replace').strip()}") from None
    print(f"wrote {out}")


def cmd_animate(args: argparse.Namespace) -> None:
    """The document's network (f at the output too), one random sample, E = ½Σ(t − y)²
    (S12): its forward and backward pass as a step-through page (``ag.animate``)."""
    from autograd.scopes import record_modules

    out = Path(args.out)
    if not out.parent.is_dir():
        raise OSError(f"--out {out}: folder {out.parent} does not exist")
    ag.manual_seed(args.seed)
    model = MLP(args.sizes, activation=args.activation, output_activation=args.activation)
    generator = ag.get_generator()
    x = ag.Tensor(generator.standard_normal((1, args.sizes[0])))
    t = ag.Tensor(generator.random((1, args.sizes[-1])))
    with record_modules(model):
        loss = F.mse_loss(model(x), t, reduction="half_sum")
    animation = ag.animate(loss, quiz=args.quiz, lang=args.lang)  # the MLP names its graph
    animation.save(out)
    print(f"wrote {out}: {len(animation)} steps; open it in a browser (← → step, space plays)")


def cmd_demo(args: argparse.Namespace) -> None:
    from nn.demo import run

    writable_folder(Path(args.out), "--out")  # before the demo's seconds of work
    run(Path(args.out), seed=args.seed, progress=not args.quiet, lang=args.lang)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m nn", description=(
        "From the McCulloch-Pitts neuron to trained MLPs. `demo` tells the whole story in "
        "under a minute; `train`/`eval` fit and measure an MLP on a data set; `graph` draws "
        "a small MLP's loss graph with its gradients."))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="MCP gates, perceptron, XOR, backprop, digits")
    demo.add_argument("--out", default="out", help="folder for the loss-curve PNG (out/)")
    demo.add_argument("--seed", type=_nonnegative, default=0, help="random seed (0)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.add_argument("--lang", choices=LANGUAGES, default="en",
                      help="the language of the story: en (English) or zh (中文)")
    demo.set_defaults(run=cmd_demo)

    for name, helptext in (("train", "train an MLP and report its test accuracy"),
                           ("eval", "measure a saved MLP on its data set's test split")):
        sub = commands.add_parser(name, help=helptext, description=(
            f"{helptext}. Data is split 75/25 with --data-seed; the model uses "
            "cross-entropy on linear outputs. Default sizes: " + "; ".join(
                f"{key} {','.join(map(str, value[1]))}" for key, value in DATASETS.items())))
        sub.add_argument("--data", choices=DATASETS, required=name == "train",
                         help="data set" + (" (default: from the sidecar)" * (name == "eval")))
        sub.add_argument("--sizes", type=parse_sizes, help="layer sizes, e.g. 64,128,10")
        sub.add_argument("--activation", choices=ACTIVATIONS,
                         default="relu" if name == "train" else None,
                         help="hidden activation" + (" (relu)" if name == "train" else ""))
        sub.add_argument("--data-seed", type=_nonnegative,
                         default=0 if name == "train" else None,
                         help="seed of the toy data and of the split (0)")
        sub.set_defaults(run=cmd_train if name == "train" else cmd_eval)
    train, evaluate_ = commands.choices["train"], commands.choices["eval"]
    train.add_argument("--epochs", type=_nonnegative, default=30, help="passes (30)")
    train.add_argument("--lr", type=_positive_float,
                       help="learning rate (sgd 0.1, adam 0.01)")
    train.add_argument("--optimizer", choices=("sgd", "adam"), default="adam",
                       help="optimizer (adam)")
    train.add_argument("--momentum", type=_nonnegative_float, default=0.0,
                       help="SGD momentum (0)")
    train.add_argument("--batch-size", type=_positive, default=32, help="batch size (32)")
    train.add_argument("--seed", type=_nonnegative, default=0,
                       help="seed of initialisation and shuffling (0)")
    train.add_argument("--save", metavar="PATH", help="write the model to PATH (.npz) "
                       "and its sizes to PATH.json")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    evaluate_.add_argument("--load", metavar="PATH", required=True, help="model .npz")

    graph = commands.add_parser("graph", help="draw a small MLP's loss graph after backward")
    graph.add_argument("--sizes", type=parse_sizes, default=[3, 3, 3],
                       help="layer sizes (3,3,3: the document's network)")
    graph.add_argument("--activation", choices=ACTIVATIONS, default="sigmoid",
                       help="activation (sigmoid)")
    graph.add_argument("--seed", type=_nonnegative, default=0, help="seed of the weights (0)")
    graph.add_argument("--out", default="graph.svg",
                       help="output file; format from the extension: svg, png, pdf, dot")
    graph.add_argument("--rankdir", choices=("TB", "LR", "BT", "RL"), default="TB",
                       help="direction from input to loss (TB: top to bottom)")
    graph.add_argument("--formula", action="store_true", help="write each op's local "
                       "derivative (the layers' in the document's column notation)")
    graph.add_argument("--lang", choices=LANGUAGES, default="en",
                       help="the language of the drawing's words: en or zh (中文)")
    graph.set_defaults(run=cmd_graph)

    animate = commands.add_parser("animate", help="step through a small MLP's backward pass "
                                  "in the browser (one self-contained HTML file)")
    animate.add_argument("--sizes", type=parse_sizes, default=[3, 3, 3],
                         help="layer sizes (3,3,3: the document's network)")
    animate.add_argument("--activation", choices=ACTIVATIONS, default="sigmoid",
                         help="activation, also at the output (sigmoid)")
    animate.add_argument("--seed", type=_nonnegative, default=0,
                         help="seed of weights and sample (0)")
    animate.add_argument("--quiz", action="store_true",
                         help="practice mode: type each gradient before it is shown")
    animate.add_argument("--out", default="backprop.html", help="the page (backprop.html)")
    animate.add_argument("--lang", choices=LANGUAGES, default="en",
                         help="the language of the page: en or zh (中文)")
    animate.set_defaults(run=cmd_animate)
    return parser


def _number(kind: type, lowest: float, strict: bool):
    """An argparse type: ``kind`` (int or float) above ``lowest`` (or at least, if not
    ``strict``), finite, with one clear line when the text is anything else."""
    bound = f"> {lowest}" if strict else f">= {lowest}"
    noun = "an integer" if kind is int else "a finite number"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or not (
                value > lowest if strict else value >= lowest):
            raise argparse.ArgumentTypeError(f"expected {noun} {bound}, got {text!r}")
        return value
    return parse


_positive = _number(int, 1, strict=False)
_nonnegative = _number(int, 0, strict=False)
_positive_float = _number(float, 0, strict=True)
_nonnegative_float = _number(float, 0, strict=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 after a one-line error)."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            args.run(args)  # NumPy's warnings would break the one-line report of a NaN loss
    except (ValueError, OSError, ImportError, FloatingPointError) as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
    return 0
