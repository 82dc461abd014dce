"""The two historical units: the McCulloch–Pitts threshold neuron (1943, S1) and
Rosenblatt's perceptron (1958, S3–S6), trained with autograd on the perceptron criterion."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import check_finite_rows, check_integer, check_real
from nn import init
from nn.module import Module, new_parameter
from nn.optim import SGD


class ConvergenceWarning(RuntimeWarning):
    """Training stopped at its epoch limit with samples still misclassified."""


def _rows(x: Any, n_features: int, op: str) -> tuple[np.ndarray, bool]:
    """``x`` as a (batch, n_features) array, and whether it was a single sample (n,)."""
    x = np.asarray(x._data if isinstance(x, Tensor) else x)
    if x.ndim not in (1, 2) or x.shape[-1] != n_features:
        raise ValueError(f"{op}: expected inputs of shape ({n_features},) or "
                         f"(batch, {n_features}), got {x.shape}")
    if x.dtype.kind not in "biuf":
        raise ValueError(f"{op}: inputs must be numbers, got dtype {x.dtype}")
    return np.atleast_2d(x), x.ndim == 1


class MCPNeuron(Module):
    """The McCulloch–Pitts threshold unit, S1: output 1 when Σ_i w_i x_i ≥ θ, else 0.

    Weights and threshold are fixed (the 1943 unit does not learn). With unit weights,
    θ = n gives AND, θ = 1 gives OR; one input with weight −1 and θ = 0 gives NOT.

    Parameters
    ----------
    weights : array_like, shape (n,)
        w_i, one per input.
    threshold : float
        θ.

    Calling it on 0/1 inputs of shape (n,) or (batch, n) returns 0/1 integers of shape
    () or (batch,) as a Tensor (constant: the step has no useful derivative).
    """

    def __init__(self, weights: Any, threshold: float) -> None:
        super().__init__()
        weights = np.asarray(weights)
        if weights.ndim != 1 or weights.size == 0 or weights.dtype.kind not in "biuf":
            raise ValueError(f"MCPNeuron: weights must be a non-empty 1-D array of numbers, "
                             f"got shape {weights.shape} and dtype {weights.dtype}")
        check_finite_rows("MCPNeuron", "weights", weights)
        self.weights = weights.copy()
        check_real("MCPNeuron", "threshold", threshold)
        self.threshold = threshold  # as given: an int threshold prints as one

    def forward(self, x: Any) -> Tensor:
        rows, single = _rows(x, self.weights.size, "MCPNeuron")
        bad = rows[(rows != 0) & (rows != 1)]
        if bad.size:
            raise ValueError(
                f"MCPNeuron: inputs must be 0 or 1, got {sorted(set(bad.tolist()))[:10]}")
        fired = (rows @ self.weights >= self.threshold).astype(np.int64)
        return Tensor(fired[0] if single else fired)

    def extra_repr(self) -> str:
        return f"weights={self.weights.tolist()}, threshold={self.threshold}"


class Perceptron(Module):
    """Rosenblatt's perceptron, S3: f(x) = +1 if w·x + b ≥ 0 else −1.

    The value at w·x + b = 0 is chosen as +1 (S3 leaves it open), so the zero-initialised
    perceptron predicts +1 everywhere. ``weight`` (shape (n_features,)) starts at zeros and
    ``bias`` (shape ()) at 0.0.

    Parameters
    ----------
    n_features : int
        Length of each input x.
    lr : float
        The learning rate η > 0 of S4. From zero weights, η only scales w and b, so the
        predictions and mistake counts do not depend on it.
    """

    def __init__(self, n_features: int, lr: float = 1.0) -> None:
        super().__init__()
        self.n_features = check_integer("Perceptron", "n_features", n_features, low=1)
        self.lr = check_real("Perceptron", "lr", lr, low=0, low_open=True)
        self.weight = new_parameter("Perceptron", (self.n_features,))
        self.bias = new_parameter("Perceptron", ())

    def decision_function(self, x: Any) -> Tensor:
        """The net input z = w·x + b (S2) of each sample: shape () or (batch,)."""
        rows, single = _rows(x, self.n_features, "Perceptron")
        z = Tensor(rows.astype(self.weight.dtype)) @ self.weight + self.bias
        return z[0] if single else z

    def predict(self, x: Any) -> Tensor:
        """+1 where w·x + b ≥ 0, else −1 (S3), as integers."""
        return Tensor(np.where(self.decision_function(x)._data >= 0, 1, -1))

    def forward(self, x: Any) -> Tensor:
        return self.predict(x)

    def fit(self, X: Any, y: Any, max_epochs: int = 1000) -> Perceptron:
        """Train from zero weights with the perceptron rule, S4.

        Samples are visited online, in data order. Sample i is a mistake when
        y_i (w·x_i + b) ≤ 0; each mistake is one gradient step, computed by autograd, on
        the perceptron criterion for that sample, L_i = −y_i (w·x_i + b): since
        ∂L_i/∂w = −y_i x_i and ∂L_i/∂b = −y_i, the step is w ← w + η y_i x_i,
        b ← b + η y_i. Training stops after the first epoch without mistakes (that epoch
        counts). On linearly separable data this happens after at most (R/γ)² updates
        (S5); on other data (XOR, S6) it never does, and after ``max_epochs`` a
        ``ConvergenceWarning`` is issued — not an error.

        Parameters
        ----------
        X : array_like, shape (m, n_features)
            Finite numbers (a NaN or ±inf raises ``ValueError`` naming its row).
        y : array_like, shape (m,)
            Labels −1 or +1.
        max_epochs : int
            The most passes over the data.

        Returns
        -------
        self, with ``converged_`` (bool), ``n_epochs_``, ``n_updates_`` and ``mistakes_``
        (the number of mistakes in each epoch).
        """
        X, single = _rows(X, self.n_features, "Perceptron.fit")
        y = np.asarray(y._data if isinstance(y, Tensor) else y)
        if single or y.shape != (len(X),):
            raise ValueError(f"Perceptron.fit: X must have shape (m, {self.n_features}) and y "
                             f"shape (m,), got {X.shape if not single else X.shape[1:]} "
                             f"and {y.shape}")
        bad = y[(y != 1) & (y != -1)]
        if bad.size:
            raise ValueError(f"Perceptron.fit: labels must be -1 or +1, "
                             f"got {sorted(set(bad.tolist()))[:10]}")
        check_integer("Perceptron.fit", "max_epochs", max_epochs, low=1)
        check_finite_rows("Perceptron.fit", "X", X)
        init.zeros(self.weight)
        init.zeros(self.bias)
        optimizer = SGD([self.weight, self.bias], lr=self.lr)
        samples = [Tensor(row) for row in X.astype(self.weight.dtype)]
        self.mistakes_: list[int] = []
        self.n_updates_ = 0
        for _ in range(max_epochs):
            mistakes = 0
            for x_i, y_i in zip(samples, y.tolist(), strict=True):
                criterion = -y_i * (x_i @ self.weight + self.bias)   # L_i, S4
                if criterion.item() >= 0:                            # y_i (w·x_i + b) ≤ 0
                    optimizer.zero_grad()
                    criterion.backward()
                    optimizer.step()
                    mistakes += 1
            self.mistakes_.append(mistakes)
            self.n_updates_ += mistakes
            if mistakes == 0:
                break
        self.n_epochs_ = len(self.mistakes_)
        self.converged_ = self.mistakes_[-1] == 0
        if not self.converged_:
            warnings.warn(
                f"Perceptron.fit: not converged after {self.n_epochs_} epochs "
                f"({self.mistakes_[-1]} mistakes in the last); the data may not be linearly "
                "separable (S6) — raise max_epochs if it is",
                ConvergenceWarning, stacklevel=2,
            )
        return self

    def extra_repr(self) -> str:
        return f"n_features={self.n_features}, lr={self.lr}"
