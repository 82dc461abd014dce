"""Learning without labels and with few labels (S20): ``nn.paradigms.KMeans`` and
``nn.paradigms.self_train``."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import data, optim, paradigms, train
from nn import functional as F
from tests.strategies import arrays

# ----------------------------------------------------------------- k-means (unsupervised)

@given(st.integers(3, 40).flatmap(lambda n: arrays((n, 2), lo=-5, hi=5)),
       st.integers(1, 3), st.integers(0, 2**16))
def test_kmeans_ends_at_a_fixed_point_of_lloyds_two_steps(X, k, seed):
    km = paradigms.KMeans(k, seed=seed).fit(X)
    distances = ((X[:, None, :] - km.centers_[None]) ** 2).sum(axis=2)
    # every sample is as close to its own centre as to any other …
    assert np.all(distances[np.arange(len(X)), km.labels_] <= distances.min(axis=1) + 1e-9)
    # … and every centre with samples is their mean
    for j in np.unique(km.labels_):
        np.testing.assert_allclose(km.centers_[j], X[km.labels_ == j].mean(axis=0), atol=1e-9)
    assert km.inertia_ == pytest.approx(distances.min(axis=1).sum(), rel=1e-9, abs=1e-9)
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(km.inertia_history_))
    np.testing.assert_array_equal(km.predict(X), km.labels_)


@pytest.mark.parametrize("seed", range(5))
def test_kmeans_finds_well_separated_clusters_without_their_labels(seed):
    centers = np.array([[0.0, 0.0], [8.0, 0.0], [4.0, 7.0]])
    X, y = data.blobs(150, centers, std=0.8, seed=seed)
    found = paradigms.KMeans(3, seed=seed).fit(X).labels_
    # the same partition up to renaming: each true cluster maps to one found cluster
    pairs = set(zip(y.tolist(), found.tolist(), strict=True))
    assert len(pairs) == 3 and len({f for _, f in pairs}) == 3


def test_kmeans_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_clusters must be an integer >= 1"):
        paradigms.KMeans(0)
    with pytest.raises(ValueError, match="2 samples cannot make 3 clusters"):
        paradigms.KMeans(3).fit(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"NaN or infinite value in row 1"):
        paradigms.KMeans(1).fit([[0.0], [np.inf]])
    with pytest.raises(RuntimeError, match="not fitted yet"):
        paradigms.KMeans(2).predict(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"predict: X must be \(n_samples, 2\)"):
        paradigms.KMeans(1, seed=0).fit(np.zeros((3, 2))).predict(np.zeros((3, 3)))


# ----------------------------------------------------------------- self-training (semi)

def two_blobs(seed: int):
    """Two overlapping Gaussian classes; ONE labelled sample per class, 148 unlabelled,
    and 200 test samples."""
    X, y = data.blobs(350, [[0.0, 0.0], [2.5, 0.0]], std=1.0, seed=seed)
    labelled = np.array([np.flatnonzero(y[:150] == k)[0] for k in (0, 1)])
    unlabelled = np.setdiff1d(np.arange(150), labelled)
    return X[labelled], y[labelled], X[unlabelled], y[unlabelled], X[150:], y[150:]


def fresh_classifier(seed: int) -> nn.MLP:
    ag.manual_seed(seed)
    return nn.MLP([2, 16, 2], activation="tanh")


def test_self_training_adds_few_per_class_and_keeps_the_labelled_set():
    X_lab, y_lab, X_unl, _, _, _ = two_blobs(0)
    model = fresh_classifier(0)
    history = paradigms.self_train(model, F.cross_entropy, optim.Adam(model.parameters(), 0.01),
                                   X_lab, y_lab, X_unl, per_round=5, rounds=4, epochs=20)
    assert all(0 < added <= 2 * 5 for added in history["added"])
    labels = history["labels"]
    assert labels.shape == (len(X_unl),) and set(labels.tolist()) <= {-1, 0, 1}
    assert np.sum(labels >= 0) == sum(history["added"]) and len(history["loss"]) == 5


def test_self_training_beats_the_labelled_samples_alone():
    """S20's semi-supervised claim: the unlabelled samples help. With one label per class,
    the boundary learned from two points alone is wherever they happen to put it; the
    unlabelled ones pull it into the gap between the classes."""
    alone, together = [], []
    for seed in range(5):
        X_lab, y_lab, X_unl, _, X_test, y_test = two_blobs(seed)
        supervised = fresh_classifier(seed)
        train.fit(supervised, F.cross_entropy, optim.Adam(supervised.parameters(), 0.01),
                  X_lab, y_lab, epochs=100, batch_size=2, progress=False)
        semi = fresh_classifier(seed)
        paradigms.self_train(semi, F.cross_entropy, optim.Adam(semi.parameters(), 0.01),
                             X_lab, y_lab, X_unl, per_round=10, rounds=8, epochs=30)
        alone.append(train.evaluate(supervised, F.cross_entropy, X_test, y_test)[1])
        together.append(train.evaluate(semi, F.cross_entropy, X_test, y_test)[1])
    alone, together = np.array(alone), np.array(together)
    assert together.mean() > alone.mean() + 0.02, (alone, together)
    assert np.sum(together >= alone) >= 4, (alone, together)


def test_self_training_rejects_bad_arguments():
    model = fresh_classifier(0)
    adam = optim.Adam(model.parameters())
    with pytest.raises(ValueError, match="y_labelled must be 2 integer labels"):
        paradigms.self_train(model, F.cross_entropy, adam, np.zeros((2, 2)), [0.0, 1.0],
                             np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"X must be \(n_samples, 2\); got shape \(3, 3\)"):
        paradigms.self_train(model, F.cross_entropy, adam, np.zeros((2, 2)), [0, 1],
                             np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\]"):
        paradigms.self_train(model, F.cross_entropy, adam, np.zeros((2, 2)), [0, 1],
                             np.zeros((3, 2)), threshold=0)
