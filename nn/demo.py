"""``python -m nn demo``: the document's story, from the 1943 neuron to an MLP on digits.

Each step prints what it shows and the S-number it demonstrates (see FORMULAS.md):
threshold gates and XOR (S1, S6), the perceptron on separable data against Novikoff's
bound (S3–S5), the perceptron on XOR (S6), an MLP that solves XOR (S11, S12, S17), the
hand-derived δ formulas against autograd (S13–S16), and an MLP trained on the 8×8 digits
whose loss curve is written as a PNG. Every sentence is the words table's ``demo``
section (``autograd.words``), so ``run(..., lang="zh")`` tells the story in Chinese.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

import autograd as ag
from autograd.words import get_language, language, say
from nn import backprop, data, logic
from nn import functional as F
from nn.mlp import MLP
from nn.neurons import MCPNeuron, Perceptron
from nn.optim import SGD, Adam
from nn.train import fit

BITS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def _title(key: str) -> None:
    print(f"\n== {_say(key)}")


def _say(key: str, **values: object) -> str:
    return say("demo", key, **values)


def _yes(value: bool) -> str:
    return _say("true" if value else "false")


def mcp_gates() -> None:
    """S1: AND, OR, NOT as threshold units; S6: no single unit computes XOR."""
    _title("mcp")
    gates = {"AND": MCPNeuron([1, 1], 2), "OR": MCPNeuron([1, 1], 1)}
    print("   x1 x2 | " + " ".join(f"{name:>3}" for name in gates) + " | XOR")
    for x in BITS:
        outputs = " ".join(f"{int(gate(x).item()):>3}" for gate in gates.values())
        print(f"    {x[0]}  {x[1]} | {outputs} | {x[0] ^ x[1]:>3}")
    neuron_not = MCPNeuron([-1], 0)
    print(_say("not", zero=int(neuron_not(np.array([0])).item()),
               one=int(neuron_not(np.array([1])).item())))
    print(_say("and_or"))
    counts = {name: len(logic.search_mcp_units(logic.TRUTH_TABLES[name]))
              for name in ("AND", "OR", "XOR")}
    print(_say("search", and_=counts["AND"], or_=counts["OR"], xor=counts["XOR"]))
    print(_say("no_xor"))


def perceptron_story(seed: int) -> None:
    """S3–S5 on separable data, S6 on XOR."""
    _title("perceptron")
    X, y, separator = data.linearly_separable(100, 2, margin=0.3, seed=seed,
                                              return_separator=True)
    model = Perceptron(2).fit(X, y)
    bound = data.novikoff_bound(X, y, separator.w, separator.b)
    print(_say("separable", converged=_yes(model.converged_), epochs=model.n_epochs_,
               updates=model.n_updates_, mistakes=model.mistakes_))
    print(_say("novikoff", bound=bound, updates=model.n_updates_))

    _title("xor")
    X, labels = data.xor()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Perceptron(2).fit(X, 2 * labels - 1, max_epochs=100)
    print(_say("xor_result", converged=_yes(model.converged_), epochs=model.n_epochs_,
               updates=model.n_updates_, mistakes=model.mistakes_[-5:]))


def mlp_xor(seed: int) -> None:
    """S11, S12, S17: one hidden layer solves XOR with plain gradient descent."""
    _title("mlp")
    ag.manual_seed(seed)
    X, labels = data.xor()
    t = labels[:, None].astype(float)
    model = MLP([2, 4, 1], activation="tanh", output_activation="sigmoid")
    optimizer = SGD(model.parameters(), lr=0.5)
    history = fit(model, lambda y, t: F.mse_loss(y, t, reduction="half_sum"), optimizer,
                  X, t, epochs=2000, batch_size=4, shuffle=False, progress=False)
    with ag.no_grad():
        y = model(ag.Tensor(X)).data[:, 0]
    print(_say("mlp_loss", start=history["loss"][0], end=history["loss"][-1]))
    for x, output, target in zip(BITS, y, labels):
        print(_say("mlp_row", x1=x[0], x2=x[1], y=output, t=target))


def backprop_check(seed: int) -> None:
    """S13–S16: the document's δ formulas against autograd on its 3-3-3 network."""
    _title("backprop")
    ag.manual_seed(seed)
    model = MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((4, 3)), rng.uniform(size=(4, 3))
    print(backprop.compare(model, x, t, loss="half_sum"))


def digits(out: Path, seed: int, progress: bool) -> None:
    """An MLP 64-128-10 on the 8×8 digits, with a loss-curve PNG."""
    _title("digits")
    X_train, X_test, y_train, y_test = data.train_test_split(*data.load_digits(), 0.25, seed=0)
    ag.manual_seed(seed)
    ag.set_default_dtype(np.float32)  # single precision is plenty here, and twice as fast
    try:
        model = MLP([64, 128, 10], activation="relu")
    finally:
        ag.set_default_dtype(np.float64)
    optimizer = Adam(model.parameters(), lr=1e-3)
    start = time.perf_counter()
    history = fit(model, F.cross_entropy, optimizer, X_train, y_train, epochs=40,
                  batch_size=32, validation_data=(X_test, y_test), progress=progress,
                  seed=seed)
    print(_say("digits_result", train=len(X_train), test=len(X_test),
               seconds=time.perf_counter() - start, accuracy=history["val_accuracy"][-1]))
    path = loss_curve(history, out / "digits_loss.png")
    print(_say("curve", path=path))


#: Chinese fonts matplotlib may find (macOS, Windows, Linux), for a plot in Chinese.
CJK_FONTS = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
             "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Micro Hei")


def _chinese_fonts(font_manager: Any) -> list[str]:
    """The fonts of ``CJK_FONTS`` matplotlib can use; a font installed after matplotlib
    cached its list is added from the system's font files."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    if not installed.intersection(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if re.search(r"cjk|sourcehan|yahei|msyh|pingfang|hiragino|wqy", Path(path).name,
                         re.IGNORECASE):
                font_manager.fontManager.addfont(path)
        installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed]


def loss_curve(history: dict[str, list[float]], path: Path) -> Path:
    """Plot training (and validation) loss per epoch into a PNG; returns its path. Its
    labels are in the current language when matplotlib has a font for it (else English,
    saying which font to install)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    lang, fonts = get_language(), []
    if lang != "en":
        fonts = _chinese_fonts(font_manager)
        if not fonts:
            print(_say("no_font"))
            lang = "en"
    path.parent.mkdir(parents=True, exist_ok=True)
    chinese = {"font.sans-serif": [*fonts, *plt.rcParams["font.sans-serif"]]} if fonts else {}
    with language(lang), plt.rc_context(chinese):
        figure, axes = plt.subplots(figsize=(6, 4))
        epochs = np.arange(1, len(history["loss"]) + 1)
        axes.plot(epochs, history["loss"], label=_say("training_loss"))
        if "val_loss" in history:
            axes.plot(epochs, history["val_loss"], label=_say("test_loss"))
        axes.set(xlabel=_say("epoch"), ylabel=_say("cross_entropy"), yscale="log",
                 title=_say("curve_title"))
        axes.legend()
        figure.tight_layout()
        figure.savefig(path, dpi=100)
    plt.close(figure)
    return path.resolve()


def run(out: Path, seed: int = 0, progress: bool = True, lang: str | None = None) -> None:
    """The whole demo, in ``lang`` ("en", "zh"; None: ``ag.set_language``'s); the loss
    curve goes into the folder ``out``."""
    start = time.perf_counter()
    with language(lang):
        mcp_gates()
        perceptron_story(seed)
        mlp_xor(seed)
        backprop_check(seed)
        digits(out, seed, progress)
        print(_say("done", seconds=time.perf_counter() - start))
