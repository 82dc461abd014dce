"""Data sets to train on: toy generators, the 8×8 digits, splitting and minibatches, and
the input scaling a trained model is used with (``Standardizer``, S8).

Every generator is NumPy only and takes ``seed``: an int (its own generator, so the same
seed gives the same data), a ``np.random.Generator``, or ``None`` for the library-wide
generator that ``autograd.manual_seed`` reseeds. Features come back as arrays of the
default float dtype (``autograd.get_default_dtype()``), labels as integer arrays: class
indices 0…K−1 for the classification sets (what ``F.cross_entropy`` takes), and ±1 for
the linearly separable set (the perceptron's labels, S3).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

import autograd as ag

Seed = int | np.random.Generator | None


def as_generator(seed: Seed) -> np.random.Generator:
    """The generator a ``seed`` argument stands for (see the module docstring)."""
    if seed is None:
        return ag.get_generator()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed: expected an int, a np.random.Generator or None, got {seed!r}")
    return np.random.default_rng(int(seed))


def _features(X: np.ndarray) -> np.ndarray:
    return X.astype(ag.get_default_dtype(), copy=False)


def _check_count(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value!r}")


def _check_nonnegative(name: str, value: float) -> None:
    if not value >= 0:  # also rejects NaN
        raise ValueError(f"{name}: expected a number >= 0, got {value!r}")


def _balanced_labels(n_samples: int, n_classes: int, rng: np.random.Generator) -> np.ndarray:
    """Class indices as equal as n allows (every class present when n ≥ K), shuffled."""
    return rng.permutation(np.arange(n_samples) % n_classes)


# ----------------------------------------------------------------- separable data (S3–S6)
class Separator(NamedTuple):
    """The hyperplane w·x + b = 0 that generated a separable set, ‖w‖ = 1, and the set's
    geometric margin min_i y_i (w·x_i + b) with respect to it."""

    w: np.ndarray
    b: float
    margin: float


def linearly_separable(n_samples: int = 100, n_features: int = 2, margin: float = 0.5,
                       seed: Seed = None, return_separator: bool = False):
    """Two Gaussian blobs labelled ±1 with a gap of at least ``margin`` around a random
    hyperplane w·x + b = 0 (‖w‖ = 1, |b| ≤ 0.5).

    Each sample's distance to the plane is margin + |N(0, 1)| on its own side, and its
    components along the plane are N(0, 1), so y_i (w·x_i + b) ≥ margin for every i: the
    data is linearly separable (S5), the perceptron converges on it. Classes are balanced.

    Returns ``(X, y)`` with X of shape (n_samples, n_features) and y in {−1, +1}; with
    ``return_separator=True``, ``(X, y, Separator(w, b, margin))`` where ``margin`` is the
    margin actually reached (≥ the one requested).
    """
    _check_count("linearly_separable: n_samples", n_samples, 1)
    _check_count("linearly_separable: n_features", n_features, 1)
    _check_nonnegative("linearly_separable: margin", margin)
    rng = as_generator(seed)
    w = rng.standard_normal(n_features)
    w /= np.linalg.norm(w)
    b = float(rng.uniform(-0.5, 0.5))
    y = 2 * _balanced_labels(n_samples, 2, rng) - 1
    along = y * (margin + np.abs(rng.standard_normal(n_samples)))  # = w·x + b
    Z = rng.standard_normal((n_samples, n_features))
    Z -= np.outer(Z @ w, w)  # keep only the part parallel to the plane
    X = Z + np.outer(along - b, w)
    if not return_separator:
        return _features(X), y
    reached = float(np.min(y * (X @ w + b)))
    return _features(X), y, Separator(w, b, reached)


def margin(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Geometric margin of (X, y) for the hyperplane w·x + b = 0: min_i y_i (w·x_i + b)/‖w‖.
    Negative when some sample is on the wrong side."""
    X, y, w = np.asarray(X, dtype=float), np.asarray(y), np.asarray(w, dtype=float)
    if X.ndim != 2 or y.shape != (len(X),) or w.shape != (X.shape[1],):
        raise ValueError(f"margin: expected X (n, d), y (n,), w (d,), got X {X.shape}, "
                         f"y {y.shape}, w {w.shape}")
    return float(np.min(y * (X @ w + b)) / np.linalg.norm(w))


def novikoff_bound(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Novikoff's bound on perceptron updates, S5: (R/γ)² with the bias folded into the
    weights, x̂ = (x, 1), ŵ = (w, b): R = max ‖x̂_i‖ and γ = min_i y_i ŵ·x̂_i / ‖ŵ‖ for any
    separating (w, b). Raises ``ValueError`` if (w, b) does not separate the data."""
    X = np.asarray(X, dtype=float)
    folded = np.hstack([X, np.ones((len(X), 1))])
    gamma = margin(folded, y, np.append(np.asarray(w, dtype=float), b), 0.0)
    if gamma <= 0:
        raise ValueError(f"novikoff_bound: (w, b) does not separate the data (margin {gamma:.3g})")
    R = float(np.max(np.linalg.norm(folded, axis=1)))
    return (R / gamma) ** 2


# ----------------------------------------------------------------- non-linear toy sets
def xor(n_samples: int | None = None, noise: float = 0.1, seed: Seed = None):
    """XOR, the set no single linear unit classifies (S6). Labels are x₁ XOR x₂ in {0, 1}.

    ``n_samples=None`` gives the four corners of the unit square exactly, in truth-table
    order (0,0), (0,1), (1,0), (1,1) with y = 0, 1, 1, 0. Otherwise n points at random
    corners (balanced) plus N(0, noise²) jitter."""
    if n_samples is None:
        X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
        return _features(X), np.array([0, 1, 1, 0])
    _check_count("xor: n_samples", n_samples, 1)
    _check_nonnegative("xor: noise", noise)
    rng = as_generator(seed)
    corner = _balanced_labels(n_samples, 4, rng)
    bits = np.stack([corner // 2, corner % 2], axis=1)
    X = bits + noise * rng.standard_normal((n_samples, 2))
    return _features(X), bits[:, 0] ^ bits[:, 1]


def moons(n_samples: int = 100, noise: float = 0.1, seed: Seed = None):
    """Two interleaving half circles: class 0 on (cos θ, sin θ), class 1 on
    (1 − cos θ, ½ − sin θ), θ uniform in [0, π], plus N(0, noise²) jitter."""
    _check_count("moons: n_samples", n_samples, 1)
    _check_nonnegative("moons: noise", noise)
    rng = as_generator(seed)
    y = _balanced_labels(n_samples, 2, rng)
    theta = rng.uniform(0.0, np.pi, n_samples)
    X = np.where(y[:, None] == 0,
                 np.stack([np.cos(theta), np.sin(theta)], axis=1),
                 np.stack([1 - np.cos(theta), 0.5 - np.sin(theta)], axis=1))
    return _features(X + noise * rng.standard_normal((n_samples, 2))), y


def circles(n_samples: int = 100, noise: float = 0.05, factor: float = 0.5, seed: Seed = None):
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor`` (0 < factor
    < 1), angles uniform, plus N(0, noise²) jitter."""
    _check_count("circles: n_samples", n_samples, 1)
    _check_nonnegative("circles: noise", noise)
    if not 0 < factor < 1:
        raise ValueError(f"circles: factor must be in (0, 1), got {factor!r}")
    rng = as_generator(seed)
    y = _balanced_labels(n_samples, 2, rng)
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return _features(X + noise * rng.standard_normal((n_samples, 2))), y


def spirals(n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, seed: Seed = None):
    """K interleaved spiral arms: arm k has radius r uniform in [0, 1] and angle
    4r + 2πk/K radians (two-thirds of a turn), the angle jittered by N(0, noise²)."""
    _check_count("spirals: n_samples", n_samples, 1)
    _check_count("spirals: n_classes", n_classes, 2)
    _check_nonnegative("spirals: noise", noise)
    rng = as_generator(seed)
    y = _balanced_labels(n_samples, n_classes, rng)
    r = rng.uniform(0.0, 1.0, n_samples)
    angle = 4 * r + 2 * np.pi * y / n_classes + noise * rng.standard_normal(n_samples)
    X = r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return _features(X), y


def blobs(n_samples: int = 100, centers=((0.0, 0.0), (3.0, 3.0)), std: float = 1.0,
          seed: Seed = None):
    """Gaussian clusters: class k is N(centers[k], std² I), classes balanced.

    ``centers`` is (K, d); the data is (n_samples, d), labels 0…K−1. A few centres in the
    plane make clusters to find without labels (S20); two centres that differ in 2 of 30
    coordinates make a set where most inputs are noise, easy to over-fit (S19)."""
    _check_count("blobs: n_samples", n_samples, 1)
    _check_nonnegative("blobs: std", std)
    centers = np.asarray(centers, dtype=float)
    if centers.ndim != 2 or len(centers) < 1:
        raise ValueError(f"blobs: centers must be (K, d), one row per class; got shape "
                         f"{centers.shape}")
    rng = as_generator(seed)
    y = _balanced_labels(n_samples, len(centers), rng)
    X = centers[y] + std * rng.standard_normal((n_samples, centers.shape[1]))
    return _features(X), y


def load_digits():
    """The 8×8 handwritten digits bundled with scikit-learn: 1,797 images of 0…9.

    Returns ``(X, y)``: X of shape (1797, 64), the pixels row by row scaled from 0…16 to
    [0, 1]; y the digit, integers 0…9. Needs scikit-learn (the optional ``data`` extra)."""
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError:
        raise ImportError("load_digits needs scikit-learn: pip install 'backprop-primer[data]'"
                          ) from None
    bunch = sklearn_digits()
    return _features(bunch.data / 16.0), bunch.target.astype(np.int64)


# ----------------------------------------------------------------- splitting and batching
def _check_xy(where: str, X, y) -> tuple[np.ndarray, np.ndarray | None]:
    X = np.asarray(X)
    if X.ndim == 0:
        raise ValueError(f"{where}: X must have a sample axis, got shape {X.shape}")
    if y is None:
        return X, None
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(f"{where}: X and y must have the same number of samples, "
                         f"got shapes {X.shape} and {y.shape}")
    return X, y


def train_test_split(X, y, test_size: float | int = 0.25, seed: Seed = 0):
    """Shuffle the samples with ``seed`` and split them: returns
    ``(X_train, X_test, y_train, y_test)``.

    ``test_size`` is a fraction in (0, 1) — the test set gets ⌈test_size · n⌉ samples — or
    a count. The default ``seed=0`` makes the split fixed; both parts are non-empty."""
    X, y = _check_xy("train_test_split", X, y)
    n = len(X)
    if isinstance(test_size, float):
        if not 0 < test_size < 1:
            raise ValueError(f"train_test_split: test_size fraction must be in (0, 1), "
                             f"got {test_size}")
        n_test = math.ceil(test_size * n)
    else:
        n_test = test_size
    if isinstance(n_test, bool) or not isinstance(n_test, int | np.integer) \
            or not 0 < n_test < n:
        raise ValueError(f"train_test_split: test_size {test_size!r} leaves no train or no "
                         f"test sample out of {n}")
    order = as_generator(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


class Minibatches:
    """Iterate over (X, y) in minibatches of ``batch_size`` samples: ``(X_batch, y_batch)``
    pairs, or X batches alone when ``y`` is None.

    With ``shuffle=True`` every pass draws a new order from the generator that ``seed``
    stands for (an int seeds it once, so the sequence of epochs is reproducible). The last
    batch is smaller when ``batch_size`` does not divide the sample count, or is dropped
    with ``drop_last=True``. ``len()`` is the number of batches per pass."""

    def __init__(self, X, y=None, batch_size: int = 32, shuffle: bool = True,
                 seed: Seed = None, drop_last: bool = False) -> None:
        self.X, self.y = _check_xy("Minibatches", X, y)
        _check_count("Minibatches: batch_size", batch_size, 1)
        if drop_last and batch_size > len(self.X):
            raise ValueError(f"Minibatches: batch_size {batch_size} with drop_last=True "
                             f"leaves no batch of {len(self.X)} samples")
        self.batch_size, self.shuffle, self.drop_last = int(batch_size), shuffle, drop_last
        # None stays None: each pass then reads the library generator as it is by then.
        self.rng = None if seed is None else as_generator(seed)

    def __len__(self) -> int:
        n, size = len(self.X), self.batch_size
        return n // size if self.drop_last else -(-n // size)

    def __iter__(self) -> Iterator:
        n = len(self.X)
        rng = self.rng if self.rng is not None else ag.get_generator()
        order = rng.permutation(n) if self.shuffle else None
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            picked = slice(start, start + self.batch_size)
            if order is not None:
                picked = order[picked]
            yield self.X[picked] if self.y is None else (self.X[picked], self.y[picked])


# ----------------------------------------------------------------- scaling new data (S8)
class Standardizer:
    """Input scaling fitted once, on the training data, and applied to every sample the
    model ever sees — the "outside system" of S8 that maps raw data into the range the
    model was trained on.

    ``fit(X_train)`` stores each feature's mean μ and standard deviation σ (``mean_``,
    ``scale_``; a feature constant in training — σ ≤ 10⁻¹² max |x| — gets σ = 1, so it is
    only centred);
    ``transform(X)`` returns (X − μ) / σ with the *training* μ and σ, for a batch (n, d)
    or one sample (d,); ``inverse_transform`` undoes it. Fitting again on new data would
    move the inputs under a trained model: don't."""

    def __init__(self) -> None:
        self.mean_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None

    def fit(self, X) -> Standardizer:
        """Learn μ and σ per feature from X (n_samples ≥ 1, n_features), finite."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"Standardizer.fit: X must be (n_samples ≥ 1, n_features); "
                             f"got shape {X.shape}")
        if not np.isfinite(X).all():
            row = int(np.argwhere(~np.isfinite(X))[0, 0])
            raise ValueError(f"Standardizer.fit: X has a NaN or infinite value in row {row}")
        spread = X.std(axis=0)
        constant = spread <= 1e-12 * np.abs(X).max(axis=0)   # σ of a constant: rounding only
        self.mean_, self.scale_ = X.mean(axis=0), np.where(constant, 1.0, spread)
        return self

    def _checked(self, X, op: str) -> np.ndarray:
        if self.mean_ is None:
            raise RuntimeError(f"Standardizer.{op}: not fitted yet; call fit(X_train) first")
        X = np.asarray(X, dtype=float)
        if X.ndim not in (1, 2) or X.shape[-1] != len(self.mean_):
            raise ValueError(f"Standardizer.{op}: X must be ({len(self.mean_)},) or "
                             f"(n, {len(self.mean_)}) like the training data; got shape "
                             f"{X.shape}")
        return X

    def transform(self, X) -> np.ndarray:
        """(X − μ) / σ with the training μ and σ."""
        return _features((self._checked(X, "transform") - self.mean_) / self.scale_)

    def fit_transform(self, X) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``: the training data, scaled."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z) -> np.ndarray:
        """Back to raw units: Z σ + μ."""
        return _features(self._checked(Z, "inverse_transform") * self.scale_ + self.mean_)

    def __repr__(self) -> str:
        if self.mean_ is None:
            return "Standardizer(not fitted)"
        return (f"Standardizer(mean={np.round(self.mean_, 4).tolist()}, "
                f"scale={np.round(self.scale_, 4).tolist()})")
