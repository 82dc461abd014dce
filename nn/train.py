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
from nn.data import Minibatches, Seed
from nn.module import Module

LossFn = Callable[[ag.Tensor, Any], ag.Tensor]


def accuracy(output: Any, y: Any) -> float:
    """Fraction of samples whose prediction equals the target, read from ``output``:

    - several outputs per sample, shape (n, K), K ≥ 2: the class is the argmax (logits or
      probabilities alike); targets are integer labels (n,) or rows (n, K) — one-hot or
      the document's target vectors t — compared by their argmax;
    - one output per sample, shape (n,) or (n, 1), targets ±1: the perceptron's reading,
      +1 where output ≥ 0 (S3; 0 counts as +1, as ``nn.Perceptron.predict``);
    - one output per sample, targets in {0, 1}: a probability, class 1 where
      output ≥ 0.5 (S7; a sigmoid output, or an MSE fit of 0/1 targets).

    Anything else (real-valued regression targets) has no accuracy: NaN.
    """
    out, y = np.asarray(output), np.asarray(y)
    if out.ndim == 0 or len(out) != len(y):
        raise ValueError(f"accuracy: output {out.shape} and targets {y.shape} must have the "
                         f"same number of samples")
    if len(y) == 0:
        return math.nan
    if out.ndim == 2 and out.shape[1] >= 2:
        if y.ndim == 2:
            y = y.argmax(axis=1)
        return float(np.mean(out.argmax(axis=1) == y))
    out, y = out.reshape(len(out)), y.reshape(len(y))
    labels = set(np.unique(y).tolist())
    if labels <= {-1, 1} and -1 in labels:
        return float(np.mean(np.where(out >= 0, 1, -1) == y))
    if labels <= {0, 1}:
        return float(np.mean((out >= 0.5) == y))
    return math.nan


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
             batch_size: int | None = None) -> tuple[float, float]:
    """``(loss, accuracy)`` of ``model`` on (X, y), in evaluation mode (Dropout off) and
    without recording a graph. The loss is the sample-weighted mean of the batch losses,
    which is the loss over the whole set when ``loss_fn`` averages (reduction "mean");
    ``batch_size=None`` evaluates in one batch. The model's mode is restored afterwards."""
    X = _inputs(model, X)
    batches = Minibatches(X, y, batch_size or max(len(X), 1), shuffle=False)
    was_training = model.training
    model.eval()
    total, outputs = 0.0, []
    try:
        with ag.no_grad():
            for Xb, yb in batches:
                output = model(ag.Tensor(Xb))
                total += float(loss_fn(output, yb).item()) * len(Xb)
                outputs.append(np.asarray(output))
    finally:
        model.train(was_training)
    return total / len(X), accuracy(np.concatenate(outputs), y)


def fit(model: Module, loss_fn: LossFn, optimizer: Any, X: Any, y: Any, epochs: int = 10,
        batch_size: int = 32, validation_data: tuple[Any, Any] | None = None,
        progress: bool = True, seed: Seed = None, shuffle: bool = True
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
    outputs, read as ``accuracy`` documents; NaN for regression targets), plus
    ``"val_loss"`` and ``"val_accuracy"`` measured by ``evaluate`` after each epoch when
    ``validation_data=(X_val, y_val)`` is given.

    A tqdm progress bar on stderr shows the epoch, the running loss and accuracy, and the
    last validation figures; it stays quiet when ``progress=False`` or when stderr is
    neither a terminal nor a Jupyter kernel's (a log file, a pipe, CI). Arguments are
    checked before the model changes.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
        raise ValueError(f"fit: epochs must be an integer >= 0, got {epochs!r}")
    X = _inputs(model, X)
    batches = Minibatches(X, y, batch_size, shuffle=shuffle, seed=seed)
    if validation_data is not None:
        if len(validation_data) != 2:
            raise ValueError("fit: validation_data must be a pair (X_val, y_val)")
        X_val, y_val = _inputs(model, validation_data[0]), np.asarray(validation_data[1])
        if X_val.ndim == 0 or y_val.ndim == 0 or len(X_val) != len(y_val):
            raise ValueError(f"fit: validation X and y must have the same number of samples,"
                             f" got shapes {X_val.shape} and {y_val.shape}")
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    if validation_data is not None:
        history.update(val_loss=[], val_accuracy=[])
    quiet = not progress or not _interactive()
    model.train()
    with tqdm(total=epochs * len(batches), disable=quiet, unit="batch", file=sys.stderr,
              dynamic_ncols=True) as bar:
        for epoch in range(epochs):
            bar.set_description(f"epoch {epoch + 1}/{epochs}")
            seen, total_loss, correct = 0, 0.0, 0.0
            for Xb, yb in batches:
                optimizer.zero_grad()
                output = model(ag.Tensor(Xb))
                loss = loss_fn(output, yb)
                loss.backward()
                optimizer.step()
                seen += len(Xb)
                total_loss += float(loss.item()) * len(Xb)
                correct += accuracy(output.data, yb) * len(Xb)
                bar.set_postfix(loss=f"{total_loss / seen:.4f}", acc=f"{correct / seen:.3f}",
                                refresh=False)
                bar.update()
            history["loss"].append(total_loss / seen)
            history["accuracy"].append(correct / seen)
            if validation_data is not None:
                val_loss, val_accuracy = evaluate(model, loss_fn, X_val, y_val)
                history["val_loss"].append(val_loss)
                history["val_accuracy"].append(val_accuracy)
                bar.set_postfix(loss=f"{total_loss / seen:.4f}", acc=f"{correct / seen:.3f}",
                                val_loss=f"{val_loss:.4f}", val_acc=f"{val_accuracy:.3f}")
    return history
