"""The training loop: ``fit`` runs minibatch gradient descent (S17 with any optimizer) and
shows its progress; ``evaluate`` measures a model; ``accuracy`` says how outputs are read.

``fit`` is a function, not a ``Trainer`` class: everything a run needs is in its arguments
and everything it learns is in the model, the optimizer and the returned history.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
from tqdm import tqdm

import autograd as ag
from autograd.errors import (
    check_bool,
    check_choice,
    check_finite_rows,
    check_integer,
    check_real,
)
from nn.activations import ELU, GELU, Identity, LeakyReLU, ReLU, Sigmoid, SiLU, Softmax, Tanh
from nn.data import Minibatches, Seed
from nn.layers import Dropout, Linear
from nn.losses import binary_cross_entropy_with_logits, cross_entropy, hinge_loss, mse_loss
from nn.mlp import MLP
from nn.module import Module, ModuleList, Sequential

LossFn = Callable[[ag.Tensor, Any], ag.Tensor]


def accuracy(output: Any, y: Any, threshold: float | None = None) -> float:
    """Fraction of samples whose prediction equals the target, read from ``output``:

    - several outputs per sample, shape (n, K), K ≥ 2: the class is the argmax (logits or
      probabilities alike); targets are integer labels (n,) or rows (n, K) — one-hot or
      the document's target vectors t — compared by their argmax;
    - one output per sample, shape (n,) or (n, 1), with 0/1 or ±1 targets: the class is
      the upper one (1, or +1) where output ≥ ``threshold``. Give the threshold for
      what the output means: 0 for a logit or a perceptron's score (S3; 0 counts as +1,
      as ``nn.Perceptron.predict``), 0.5 for a probability (a sigmoid output, S7).
      ``threshold=None`` guesses from the targets: 0 for ±1, 0.5 for 0/1 — wrong for
      logits, so ``fit`` and ``evaluate`` pass 0 when the loss is
      ``binary_cross_entropy_with_logits`` (see ``decision_threshold``).

    Anything else (real-valued regression targets) has no accuracy: NaN.
    """
    out, y = np.asarray(output), np.asarray(y)
    if out.ndim == 0 or len(out) != len(y):
        raise ValueError(f"accuracy: output {out.shape} and targets {y.shape} must have the "
                         f"same number of samples")
    if threshold is not None:
        threshold = check_real("accuracy", "threshold", threshold)
    if len(y) == 0:
        return math.nan
    if out.ndim == 2 and out.shape[1] >= 2:
        if threshold is not None:
            raise ValueError(f"accuracy: threshold applies to one output per sample, got "
                             f"output {out.shape} (read by its argmax)")
        if y.ndim == 2:
            y = y.argmax(axis=1)
        return float(np.mean(out.argmax(axis=1) == y))
    out, y = out.reshape(len(out)), y.reshape(len(y))
    labels = set(np.unique(y).tolist())
    if labels <= {-1, 1} and -1 in labels:
        upper = out >= (0.0 if threshold is None else threshold)
        return float(np.mean(np.where(upper, 1, -1) == y))
    if labels <= {0, 1}:
        return float(np.mean((out >= (0.5 if threshold is None else threshold)) == y))
    return math.nan


def decision_threshold(loss_fn: LossFn) -> float | None:
    """The threshold at which ``loss_fn``'s single outputs change class: 0 for losses of
    logits or scores (``binary_cross_entropy_with_logits``, ``hinge_loss``), None (let
    ``accuracy`` read the targets) for any other."""
    return 0.0 if loss_fn in (binary_cross_entropy_with_logits, hinge_loss) else None


def _inputs(model: Module, X: Any) -> np.ndarray:
    """X as an array of the model's parameter dtype (float64 data meets float32 weights
    without promoting the whole network to float64)."""
    X = np.asarray(X)
    parameter = next(iter(model.parameters()), None)
    if parameter is not None and X.dtype.kind in "fiub":
        X = X.astype(parameter.dtype, copy=False)
    return X


def _interactive() -> bool:
    """Whether someone watches stderr: a terminal, or a notebook (this process is a
    Jupyter kernel, whose IPython shell is a ``ZMQInteractiveShell``)."""
    if sys.stderr.isatty():
        return True
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def evaluate(model: Module, loss_fn: LossFn, X: Any, y: Any,
             batch_size: int | None = None, threshold: float | None = None
             ) -> tuple[float, float]:
    """``(loss, accuracy)`` of ``model`` on (X, y), in evaluation mode (Dropout off) and
    without recording a graph. The loss is the sample-weighted mean of the batch losses,
    which is the loss over the whole set when ``loss_fn`` averages (reduction "mean");
    ``batch_size=None`` evaluates in one batch. ``threshold`` is ``accuracy``'s (by
    default ``decision_threshold(loss_fn)``). The model's mode is restored afterwards."""
    X = _inputs(model, X)
    batches = Minibatches(X, y, batch_size or max(len(X), 1), shuffle=False)
    if len(X) == 0:
        raise ValueError(f"evaluate: X and y hold no samples (shapes {X.shape}, "
                         f"{np.shape(y)})")
    if threshold is None:
        threshold = decision_threshold(loss_fn)
    modes = _modes(model)
    model.eval()
    total, outputs = 0.0, []
    try:
        with ag.no_grad():
            for Xb, yb in batches:
                output = model(ag.Tensor(Xb))
                total += float(loss_fn(output, yb).item()) * len(Xb)
                outputs.append(np.asarray(output))
    finally:
        _restore(modes)
    return total / len(X), accuracy(np.concatenate(outputs), y, threshold)


def _modes(model: Module) -> list[tuple[Module, bool]]:
    """Every module's train/eval mode, to be put back by ``_restore``."""
    return [(module, module.training) for module in model.modules()]


def _restore(modes: list[tuple[Module, bool]]) -> None:
    for module, training in modes:
        object.__setattr__(module, "training", training)


#: Samples per forward pass when ``fit`` checks its data before training.
CHECK_BATCH = 1024

#: nn's modules whose forward is ops alone, with Python that looks at shapes and settings
#: but never at values: a step built of them replays exactly (``ag.trace``).
REPLAYABLE_MODULES = frozenset({Sequential, ModuleList, MLP, Linear, Identity, Sigmoid,
                                Tanh, ReLU, LeakyReLU, ELU, GELU, SiLU, Softmax, Dropout})
#: Losses whose Python looks at values only to check the targets, which ``fit`` checks on
#: all of the data before training (``binary_cross_entropy`` also checks the model's
#: output, which a replay would not, so it is not among them).
REPLAYABLE_LOSSES = (cross_entropy, mse_loss, binary_cross_entropy_with_logits, hinge_loss)


def _replayed_step(model: Module, loss_fn: LossFn, y: np.ndarray) -> Callable:
    """``fit``'s forward and backward as one ``ag.trace`` step ``(X, y) → (loss, output)``,
    when a replay is sure to give what the plain step gives (the same gradients, bit for
    bit): the model is built of ``REPLAYABLE_MODULES`` only (exactly those classes, not
    subclasses), the loss is one of ``REPLAYABLE_LOSSES``, and no label is one that
    ``cross_entropy`` ignores (negative), whose rows a replay does not handle. Otherwise
    ``ValueError`` saying which, before anything changes."""
    others = sorted({type(m).__name__ for m in model.modules()
                     if type(m) not in REPLAYABLE_MODULES})
    if others:
        raise ValueError(f"fit: trace=True replays only models built of nn's own layers; "
                         f"{', '.join(others)} may run Python that a replay would skip "
                         "(train with trace=False)")
    if loss_fn not in REPLAYABLE_LOSSES:
        raise ValueError(f"fit: trace=True replays only nn's losses "
                         f"({', '.join(f.__name__ for f in REPLAYABLE_LOSSES)}); got "
                         f"{getattr(loss_fn, '__name__', type(loss_fn).__name__)} (train "
                         "with trace=False)")
    if loss_fn is cross_entropy and y.dtype.kind == "i" and (y < 0).any():
        raise ValueError("fit: trace=True cannot replay labels that cross_entropy ignores "
                         "(negative ones); train with trace=False")

    def forward(X: np.ndarray, t: np.ndarray) -> tuple[ag.Tensor, ag.Tensor]:
        output = model(X)
        return loss_fn(output, t), output

    return ag.trace(forward)


def _checked_data(model: Module, X: Any, y: Any, which: str) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) as arrays after the checks that need no model call: some samples, as many
    targets as samples, and only finite numbers (naming the first bad row)."""
    X, y = _inputs(model, X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"fit: {which}X and y must have the same number of samples, "
                         f"got shapes {X.shape} and {y.shape}")
    if len(X) == 0:
        raise ValueError(f"fit: {which}X and y hold no samples (shapes {X.shape}, {y.shape})")
    check_finite_rows("fit", f"{which}X", X)
    check_finite_rows("fit", f"{which}y", y)
    return X, y


def fit(model: Module, loss_fn: LossFn, optimizer: Any, X: Any, y: Any, epochs: int = 10,
        batch_size: int = 32, validation_data: tuple[Any, Any] | None = None,
        progress: bool = True, seed: Seed = None, shuffle: bool = True,
        threshold: float | None = None, on_nonfinite: str = "raise", trace: bool = False
        ) -> dict[str, list[float]]:
    """Train ``model`` by minibatch gradient descent and return its history.

    Each epoch visits (X, y) in minibatches (reshuffled every epoch from ``seed``: an int,
    a ``np.random.Generator`` or None for the library generator); for each batch it runs
    ``optimizer.zero_grad()``, ``loss = loss_fn(model(X_batch), y_batch)``,
    ``loss.backward()`` and ``optimizer.step()`` — the update W ← W − η ∂E/∂W of S17 when
    the optimizer is plain SGD. ``y`` is passed to ``loss_fn`` as a NumPy array (integer
    labels for ``F.cross_entropy``, targets for ``F.mse_loss``).

    Returns a dict of per-epoch lists: ``"loss"`` (the sample-weighted mean of the epoch's
    batch losses, each taken before its step) and ``"accuracy"`` (on the same batch
    outputs, read as ``accuracy`` documents with ``threshold``, by default
    ``decision_threshold(loss_fn)``; NaN for regression targets), plus ``"val_loss"`` and
    ``"val_accuracy"`` measured by ``evaluate`` after each epoch when
    ``validation_data=(X_val, y_val)`` is given.

    Every step goes through the modules' ``forward`` and the engine's backward pass, so
    a print or a breakpoint in a layer or in ``autograd.engine`` fires at every batch.
    ``trace=True`` is the opt-in fast path: each step is an ``ag.trace`` replay, the
    same gradients and history bit for bit, in less time (``bench/bench_nn.py``); the
    layers' Python then runs only while a step is traced (a print in a layer fires once
    per batch shape), and the engine not at all. It needs a model built of nn's own layers
    and one of nn's losses (``REPLAYABLE_MODULES``, ``REPLAYABLE_LOSSES``); anything else
    is a ``ValueError`` before training starts.

    Nothing changes unless everything can run: the arguments, and the training and
    validation data (no samples, NaN or ±inf values: ``ValueError`` naming the first bad
    row), are checked first, and the loss is evaluated once on all of the data (no graph,
    evaluation mode), so a label the loss refuses in a late batch raises before the first
    step. A batch whose loss is NaN or ±inf stops training with ``FloatingPointError``
    naming the epoch and batch, before that batch's step (``on_nonfinite="continue"``
    trains on, as a plain PyTorch loop would). Whether it returns or raises (including
    ``KeyboardInterrupt``), ``fit`` leaves every module's train/eval mode as it found it.

    A tqdm progress bar on stderr shows the epoch, the running loss and accuracy, and the
    last validation figures; it stays quiet when ``progress=False`` or when stderr is
    neither a terminal nor a Jupyter kernel's (a log file, a pipe, CI).
    """
    epochs = check_integer("fit", "epochs", epochs, low=0)
    batch_size = check_integer("fit", "batch_size", batch_size, low=1)
    check_bool("fit", "progress", progress)
    check_bool("fit", "shuffle", shuffle)
    check_choice("fit", "on_nonfinite", on_nonfinite, ("raise", "continue"))
    threshold = decision_threshold(loss_fn) if threshold is None else check_real(
        "fit", "threshold", threshold)
    X, y = _checked_data(model, X, y, "")
    batches = Minibatches(X, y, batch_size, shuffle=shuffle, seed=seed)
    if validation_data is not None:
        if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
            raise ValueError("fit: validation_data must be a pair (X_val, y_val)")
        X_val, y_val = _checked_data(model, *validation_data, "validation ")
    checks = [(X, y)] + ([(X_val, y_val)] if validation_data is not None else [])
    for X_check, y_check in checks:  # a label the loss refuses raises now, not mid-training
        evaluate(model, loss_fn, X_check, y_check, batch_size=CHECK_BATCH, threshold=threshold)
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    if validation_data is not None:
        history.update(val_loss=[], val_accuracy=[])
    check_bool("fit", "trace", trace)
    replayed = _replayed_step(model, loss_fn, y) if trace else None
    quiet = not progress or not _interactive()
    modes = _modes(model)
    model.train()
    try:
        with tqdm(total=epochs * len(batches), disable=quiet, unit="batch", file=sys.stderr,
                  dynamic_ncols=True) as bar:
            for epoch in range(epochs):
                bar.set_description(f"epoch {epoch + 1}/{epochs}")
                seen, total_loss, correct = 0, 0.0, 0.0
                for batch, (Xb, yb) in enumerate(batches):
                    optimizer.zero_grad()
                    if replayed is None:
                        output = model(ag.Tensor(Xb))
                        loss = loss_fn(output, yb)
                    else:  # forward and backward, replayed
                        loss, output = replayed(Xb, yb)
                    value = float(loss.item())
                    if not math.isfinite(value) and on_nonfinite == "raise":
                        raise FloatingPointError(
                            f"fit: the loss is {value} at epoch {epoch + 1}, batch {batch + 1} "
                            f"of {len(batches)}; stopped before this batch's step (lower the "
                            "learning rate, or pass on_nonfinite='continue')")
                    if replayed is None:
                        loss.backward()
                    optimizer.step()
                    seen += len(Xb)
                    total_loss += value * len(Xb)
                    correct += accuracy(output.data, yb, threshold) * len(Xb)
                    bar.set_postfix(loss=f"{total_loss / seen:.4f}",
                                    acc=f"{correct / seen:.3f}", refresh=False)
                    bar.update()
                history["loss"].append(total_loss / seen)
                history["accuracy"].append(correct / seen)
                if validation_data is not None:
                    val_loss, val_accuracy = evaluate(model, loss_fn, X_val, y_val,
                                                      threshold=threshold)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    bar.set_postfix(loss=f"{total_loss / seen:.4f}",
                                    acc=f"{correct / seen:.3f}", val_loss=f"{val_loss:.4f}",
                                    val_acc=f"{val_accuracy:.3f}")
    finally:
        _restore(modes)
    return history
