"""``python -m nn demo``: the document's story, from the 1943 neuron to an MLP on digits.

Each step prints what it shows and the S-number it demonstrates (see FORMULAS.md):
threshold gates and XOR (S1, S6), the perceptron on separable data against Novikoff's
bound (S3–S5), the perceptron on XOR (S6), an MLP that solves XOR (S11, S12, S17), the
hand-derived δ formulas against autograd (S13–S16), and an MLP trained on the 8×8 digits
whose loss curve is written as a PNG.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

import autograd as ag
from nn import backprop, data, logic
from nn import functional as F
from nn.mlp import MLP
from nn.neurons import MCPNeuron, Perceptron
from nn.optim import SGD, Adam
from nn.train import fit

BITS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def _title(text: str) -> None:
    print(f"\n== {text}")


def mcp_gates() -> None:
    """S1: AND, OR, NOT as threshold units; S6: no single unit computes XOR."""
    _title("1. McCulloch-Pitts neurons (1943, S1): output 1 when Σ w_i x_i ≥ θ")
    gates = {"AND": MCPNeuron([1, 1], 2), "OR": MCPNeuron([1, 1], 1)}
    print("   x1 x2 | " + " ".join(f"{name:>3}" for name in gates) + " | XOR")
    for x in BITS:
        outputs = " ".join(f"{int(gate(x).item()):>3}" for gate in gates.values())
        print(f"    {x[0]}  {x[1]} | {outputs} | {x[0] ^ x[1]:>3}")
    neuron_not = MCPNeuron([-1], 0)
    print(f"   NOT (w = −1, θ = 0): 0 → {int(neuron_not(np.array([0])).item())}, "
          f"1 → {int(neuron_not(np.array([1])).item())}")
    print("   AND is w = (1, 1), θ = 2; OR is w = (1, 1), θ = 1.")
    counts = {name: len(logic.search_mcp_units(logic.TRUTH_TABLES[name]))
              for name in ("AND", "OR", "XOR")}
    print(f"   Trying all 7³ = 343 units with integer w1, w2, θ in [−3, 3]:\n   AND is "
          f"computed by {counts['AND']}, OR by {counts['OR']}, XOR by {counts['XOR']}.")
    print("   No weights can do XOR: (0,0) → 0 needs 0 < θ; (1,0), (0,1) → 1 need w1 ≥ θ and "
          "w2 ≥ θ,\n   so w1 + w2 ≥ 2θ > θ, yet (1,1) → 0 needs w1 + w2 < θ. One threshold "
          "unit draws one line (S6).")


def perceptron_story(seed: int) -> None:
    """S3–S5 on separable data, S6 on XOR."""
    _title("2. The perceptron (1958, S3-S5) on linearly separable data")
    X, y, separator = data.linearly_separable(100, 2, margin=0.3, seed=seed,
                                              return_separator=True)
    model = Perceptron(2).fit(X, y)
    bound = data.novikoff_bound(X, y, separator.w, separator.b)
    print(f"   100 points, margin γ ≥ 0.3 around a random line. Converged: {model.converged_},"
          f"\n   after {model.n_epochs_} epochs and {model.n_updates_} updates "
          f"(mistakes per epoch {model.mistakes_}).")
    print(f"   Novikoff (S5): at most (R/γ)² = {bound:.0f} updates for this data, with the "
          f"bias folded in; it made {model.n_updates_}.")

    _title("3. The same perceptron on XOR (S6): no line separates it")
    X, labels = data.xor()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Perceptron(2).fit(X, 2 * labels - 1, max_epochs=100)
    print(f"   Converged: {model.converged_} after {model.n_epochs_} epochs and "
          f"{model.n_updates_} updates;\n   mistakes in the last epochs "
          f"{model.mistakes_[-5:]}: it never settles.")


def mlp_xor(seed: int) -> None:
    """S11, S12, S17: one hidden layer solves XOR with plain gradient descent."""
    _title("4. An MLP 2-4-1 (tanh, sigmoid output) solves XOR")
    ag.manual_seed(seed)
    X, labels = data.xor()
    t = labels[:, None].astype(float)
    model = MLP([2, 4, 1], activation="tanh", output_activation="sigmoid")
    optimizer = SGD(model.parameters(), lr=0.5)
    history = fit(model, lambda y, t: F.mse_loss(y, t, reduction="half_sum"), optimizer,
                  X, t, epochs=2000, batch_size=4, shuffle=False, progress=False)
    with ag.no_grad():
        y = model(ag.Tensor(X)).data[:, 0]
    print(f"   2,000 steps of S17 on E = ½ Σ (t − y)² (S12): E went from "
          f"{history['loss'][0]:.3f} to {history['loss'][-1]:.4f}.")
    for x, output, target in zip(BITS, y, labels):
        print(f"    {x[0]} {x[1]} → y = {output:.3f} (target {target})")


def backprop_check(seed: int) -> None:
    """S13–S16: the document's δ formulas against autograd on its 3-3-3 network."""
    _title("5. Backpropagation by hand (S13-S16) against autograd, MLP 3-3-3 sigmoid")
    ag.manual_seed(seed)
    model = MLP([3, 3, 3], activation="sigmoid", output_activation="sigmoid")
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((4, 3)), rng.uniform(size=(4, 3))
    print(backprop.compare(model, x, t, loss="half_sum"))


def digits(out: Path, seed: int, progress: bool) -> None:
    """An MLP 64-128-10 on the 8×8 digits, with a loss-curve PNG."""
    _title("6. An MLP 64-128-10 (ReLU, cross-entropy, Adam) on 8×8 handwritten digits")
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
    print(f"   {len(X_train)} training images, {len(X_test)} test images, 40 epochs in "
          f"{time.perf_counter() - start:.1f} s: test accuracy "
          f"{history['val_accuracy'][-1]:.2%}.")
    path = loss_curve(history, out / "digits_loss.png")
    print(f"   Loss curve written to {path}")


def loss_curve(history: dict[str, list[float]], path: Path) -> Path:
    """Plot training (and validation) loss per epoch into a PNG; returns its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(6, 4))
    epochs = np.arange(1, len(history["loss"]) + 1)
    axes.plot(epochs, history["loss"], label="training loss")
    if "val_loss" in history:
        axes.plot(epochs, history["val_loss"], label="test loss")
    axes.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="MLP 64-128-10 on digits")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path.resolve()


def run(out: Path, seed: int = 0, progress: bool = True) -> None:
    """The whole demo; the loss curve goes into the folder ``out``."""
    start = time.perf_counter()
    mcp_gates()
    perceptron_story(seed)
    mlp_xor(seed)
    backprop_check(seed)
    digits(out, seed, progress)
    print(f"\nDone in {time.perf_counter() - start:.1f} s.")
