"""Learning with and without labels, S20.

The rest of ``nn`` is supervised learning: every sample comes with its label, and ``fit``
minimises a loss against it (classification, mostly). The document names two more
settings, and this module gives each a small, real algorithm:

- **unsupervised** — no labels at all; group the samples by similarity (clustering):
  ``KMeans``, Lloyd's algorithm with k-means++ starts;
- **semi-supervised** — a few labelled samples and many unlabelled ones, used together:
  ``self_train``, which trains any ``nn`` classifier on the labelled set, labels the
  unlabelled samples it is confident about (pseudo-labels), and trains again on both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from nn import functional as F
from nn.data import Seed, as_generator
from nn.module import Module
from nn.train import LossFn, fit


def _samples(X: Any, where: str, n_features: int | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or (n_features is not None and X.shape[1] != n_features):
        width = "n_features" if n_features is None else n_features
        raise ValueError(f"{where}: X must be (n_samples, {width}); got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"{where}: X has a NaN or infinite value in row "
                         f"{int(np.argwhere(~np.isfinite(X))[0, 0])}")
    return X


def _squared_distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """‖x_i − c_k‖² for every sample i and centre k: (n_samples, n_clusters)."""
    return ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)


class KMeans:
    """k-means clustering (unsupervised, S20): find k centres c_k minimising the inertia
    Σ_i min_k ‖x_i − c_k‖², the squared distance of each sample to its nearest centre.

    Lloyd's algorithm alternates two steps that can only lower the inertia — assign each
    sample to its nearest centre, move each centre to the mean of its samples — until no
    assignment changes. Starts are k-means++ (each new centre drawn with probability
    ∝ its squared distance to the nearest centre so far); the best of ``n_init`` runs is
    kept. A centre left without samples stays where it is.

    After ``fit(X)``: ``centers_`` (k, d), ``labels_`` (n,), ``inertia_``, ``n_iter_`` and
    ``inertia_history_`` (the inertia after each iteration of the kept run, never rising).
    ``predict(X)`` gives the nearest centre of new samples. ``seed`` as in ``nn.data``.
    """

    def __init__(self, n_clusters: int, n_init: int = 4, max_iter: int = 100,
                 seed: Seed = None) -> None:
        for name, value in (("n_clusters", n_clusters), ("n_init", n_init),
                            ("max_iter", max_iter)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise ValueError(f"KMeans: {name} must be an integer >= 1, got {value!r}")
        self.n_clusters, self.n_init, self.max_iter = int(n_clusters), int(n_init), int(max_iter)
        self.seed = seed

    def _start(self, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        centers = [X[rng.integers(len(X))]]
        for _ in range(1, self.n_clusters):
            nearest = _squared_distances(X, np.array(centers)).min(axis=1)
            total = nearest.sum()
            chosen = rng.choice(len(X), p=nearest / total) if total > 0 else rng.integers(len(X))
            centers.append(X[chosen])
        return np.array(centers)

    def _lloyd(self, X: np.ndarray, centers: np.ndarray):
        labels, history = None, []
        for _ in range(self.max_iter):
            distances = _squared_distances(X, centers)
            new_labels = distances.argmin(axis=1)
            history.append(float(distances[np.arange(len(X)), new_labels].sum()))
            if labels is not None and np.array_equal(new_labels, labels):
                break
            labels = new_labels
            for k in range(self.n_clusters):
                if np.any(labels == k):
                    centers[k] = X[labels == k].mean(axis=0)
        return centers, labels, history

    def fit(self, X: Any) -> KMeans:
        """Cluster the rows of X (n_samples ≥ n_clusters, n_features); returns self."""
        X = _samples(X, "KMeans.fit")
        if len(X) < self.n_clusters:
            raise ValueError(f"KMeans.fit: {len(X)} samples cannot make {self.n_clusters} "
                             f"clusters")
        rng = as_generator(self.seed)
        runs = [self._lloyd(X, self._start(X, rng)) for _ in range(self.n_init)]
        self.centers_, self.labels_, self.inertia_history_ = min(runs, key=lambda r: r[2][-1])
        self.inertia_ = self.inertia_history_[-1]
        self.n_iter_ = len(self.inertia_history_)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The index of the nearest centre for each row of X."""
        if not hasattr(self, "centers_"):
            raise RuntimeError("KMeans.predict: not fitted yet; call fit(X) first")
        X = _samples(X, "KMeans.predict", self.centers_.shape[1])
        return _squared_distances(X, self.centers_).argmin(axis=1)


def self_train(model: Module, loss_fn: LossFn, optimizer: Any, X_labelled: Any,
               y_labelled: Any, X_unlabelled: Any, per_round: int = 10,
               threshold: float = 0.9, rounds: int = 10, epochs: int = 50,
               batch_size: int | None = None, seed: Seed = None) -> dict[str, list]:
    """Semi-supervised self-training (S20) of a classifier ``model`` whose outputs are
    logits (one per class, as ``F.cross_entropy`` takes them).

    Round 0 trains on the labelled samples alone (``nn.fit`` with ``loss_fn`` and
    ``optimizer``, ``epochs`` each round, full batch unless ``batch_size`` is given).
    After each round the model scores the samples still unlabelled and, for each class,
    the ``per_round`` samples it is most sure belong to that class — softmax probability
    ≥ ``threshold`` — join the training set with that class as their (pseudo-)label; the
    next round trains on labelled + pseudo-labelled samples. Taking a few per class at a
    time, most confident first, lets labels spread outwards from the labelled samples
    (all at once, a network fitted to a handful of points would label everything with
    the confidence of an over-fitted model). It stops after ``rounds`` rounds or when no
    sample is confident enough.

    Returns the history: ``"added"`` (pseudo-labels added after each round), ``"labels"``
    (the pseudo-label given to each unlabelled sample, −1 where none was) and ``"loss"``
    (the last epoch's training loss of each round). The model is trained in place."""
    X_lab = _samples(X_labelled, "self_train")
    X_unl = _samples(X_unlabelled, "self_train", X_lab.shape[1])
    y_lab = np.asarray(y_labelled)
    if y_lab.shape != (len(X_lab),) or y_lab.dtype.kind not in "iu":
        raise ValueError(f"self_train: y_labelled must be {len(X_lab)} integer labels; got "
                         f"shape {y_lab.shape}, dtype {y_lab.dtype}")
    if not 0 < threshold <= 1:
        raise ValueError(f"self_train: threshold must be in (0, 1], got {threshold!r}")
    pseudo = np.full(len(X_unl), -1)
    history: dict[str, list] = {"added": [], "loss": [], "labels": pseudo}
    for _ in range(rounds + 1):
        taken = pseudo >= 0
        X_train = np.concatenate([X_lab, X_unl[taken]])
        y_train = np.concatenate([y_lab, pseudo[taken]])
        losses = fit(model, loss_fn, optimizer, X_train, y_train, epochs=epochs,
                     batch_size=batch_size or len(X_train), progress=False, seed=seed)["loss"]
        history["loss"].append(losses[-1])
        if taken.all() or len(history["loss"]) > rounds:
            break
        model.eval()
        with ag.no_grad():
            probabilities = F.softmax(model(X_unl[~taken]), axis=-1).numpy()
        model.train()
        waiting, added = np.flatnonzero(~taken), 0
        for k in range(probabilities.shape[1]):
            sure = np.flatnonzero((probabilities.argmax(axis=1) == k)
                                  & (probabilities[:, k] >= threshold))
            surest = sure[np.argsort(-probabilities[sure, k], kind="stable")[:per_round]]
            pseudo[waiting[surest]] = k
            added += len(surest)
        history["added"].append(added)
        if added == 0:
            break
    return history
