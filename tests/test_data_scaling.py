"""Using a trained model on new data (S8): ``nn.data.Standardizer`` is fitted on the
training data and applies *those* statistics to every new sample; and ``nn.data.blobs``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from nn import data
from tests.strategies import arrays


@given(st.integers(2, 30).flatmap(lambda n: arrays((n, 3), lo=-50, hi=50)),
       arrays((4, 3), lo=-100, hi=100))
def test_new_data_is_scaled_with_the_training_mean_and_spread(X_train, X_new):
    X_train = np.round(X_train, 6)      # measurements, not subnormal floats whose σ² underflows
    scaler = data.Standardizer().fit(X_train)
    spread = np.array([np.sqrt(np.mean((c - np.mean(c)) ** 2)) for c in X_train.T])
    spread[spread <= 1e-12 * np.abs(X_train).max(axis=0)] = 1.0   # constant: only centred
    expected = (X_new - X_train.sum(axis=0) / len(X_train)) / spread
    np.testing.assert_allclose(scaler.transform(X_new), expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaler.transform(X_new[0]), expected[0], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X_new)), X_new,
                               rtol=1e-9, atol=1e-7)


@given(st.integers(2, 30).flatmap(lambda n: arrays((n, 4), lo=-1e3, hi=1e3)))
def test_the_training_data_comes_out_centred_with_unit_spread(X):
    X = np.round(X, 6)
    Z = data.Standardizer().fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-9)
    varying = np.ptp(X, axis=0) > 1e-6 * np.abs(X).max()
    np.testing.assert_allclose(Z.std(axis=0)[varying], 1, rtol=1e-6)


def test_a_constant_feature_is_centred_not_divided_by_zero():
    scaler = data.Standardizer().fit([[1.0, 5.0], [3.0, 5.0]])
    np.testing.assert_array_equal(scaler.scale_, [1.0, 1.0])
    np.testing.assert_array_equal(scaler.transform([[2.0, 7.0]]), [[0.0, 2.0]])
    assert repr(scaler) == "Standardizer(mean=[2.0, 5.0], scale=[1.0, 1.0])"


@pytest.mark.parametrize("call, error, message", [
    (lambda s: s.transform([[1.0, 2.0]]), RuntimeError, "transform: not fitted yet"),
    (lambda s: s.fit(np.ones(3)), ValueError, r"fit: X must be .* got shape \(3,\)"),
    (lambda s: s.fit(np.ones((0, 2))), ValueError, r"got shape \(0, 2\)"),
    (lambda s: s.fit([[1.0, 2.0], [np.nan, 1.0]]), ValueError, "NaN or infinite value in row 1"),
    (lambda s: s.fit(np.ones((3, 2))).transform(np.ones((3, 3))), ValueError,
     r"\(2,\) or \(n, 2\) like the training data; got shape \(3, 3\)"),
])
def test_bad_input_is_named_before_anything_changes(call, error, message):
    scaler = data.Standardizer()
    with pytest.raises(error, match=message):
        call(scaler)


@pytest.mark.parametrize("seed", range(4))
def test_a_trained_perceptron_needs_its_scaler_on_new_data(seed):
    """S8: the model only answers correctly in the range it was trained in — raw data on
    wildly different scales, scaled by the training statistics, is classified right;
    the same raw data fed straight in is not."""
    X, y = data.linearly_separable(300, margin=0.3, seed=seed)
    raw = X * [40.0, 0.05] + [170.0, 3.0]             # e.g. centimetres and tonnes
    X_train, X_new, y_train, y_new = data.train_test_split(raw, y, test_size=100, seed=seed)
    scaler = data.Standardizer().fit(X_train)
    perceptron = nn.Perceptron(2).fit(scaler.transform(X_train), y_train)
    through_scaler = np.mean(perceptron.predict(scaler.transform(X_new)).numpy() == y_new)
    raw_in = np.mean(perceptron.predict(X_new).numpy() == y_new)
    assert perceptron.converged_
    assert through_scaler >= 0.9
    assert raw_in <= 0.75


@given(st.integers(1, 60), st.integers(1, 4), st.integers(1, 5), st.integers(0, 2**16))
def test_blobs_shapes_balanced_labels_and_seeds(n, k, d, seed):
    centers = np.arange(k * d, dtype=float).reshape(k, d)
    X, y = data.blobs(n, centers, std=0.5, seed=seed)
    assert X.shape == (n, d) and y.shape == (n,)
    counts = np.bincount(y, minlength=k)
    assert counts.max() - counts.min() <= 1
    np.testing.assert_array_equal(data.blobs(n, centers, std=0.5, seed=seed)[0], X)


def test_blobs_are_centred_on_their_centres():
    centers = np.array([[0.0, 0.0], [10.0, -5.0], [-4.0, 8.0]])
    X, y = data.blobs(3000, centers, std=1.0, seed=1)
    for k, center in enumerate(centers):
        np.testing.assert_allclose(X[y == k].mean(axis=0), center, atol=0.15)
        np.testing.assert_allclose(X[y == k].std(axis=0), 1.0, atol=0.1)


def test_blobs_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"centers must be \(K, d\)"):
        data.blobs(10, [1.0, 2.0])
    with pytest.raises(ValueError, match="blobs: std"):
        data.blobs(10, [[0.0]], std=-1)
