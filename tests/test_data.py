"""nn.data: generators (shapes, labels, seeds, the separable set's margin), digits,
train_test_split and Minibatches."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn.data as data

seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 60)

TOY_SETS = [  # (generator, number of classes)
    (lambda n, seed: data.xor(n, seed=seed), 2),
    (lambda n, seed: data.moons(n, seed=seed), 2),
    (lambda n, seed: data.circles(n, seed=seed), 2),
    (lambda n, seed: data.spirals(n, n_classes=3, seed=seed), 3),
]


@pytest.mark.parametrize(("generate", "n_classes"), TOY_SETS)
@given(n=sizes, seed=seeds)
def test_toy_sets_shapes_labels_and_seeds(generate, n_classes, n, seed):
    X, y = generate(n, seed)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == ag.get_default_dtype() and y.dtype.kind == "i"
    assert np.all(np.isfinite(X))
    counts = np.bincount(y, minlength=n_classes)
    assert len(counts) == n_classes and counts.max() - counts.min() <= 1  # balanced
    X2, y2 = generate(n, seed)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


@given(n=sizes, d=st.integers(1, 6), gap=st.floats(0.0, 3.0), seed=seeds)
def test_separable_margin_is_at_least_the_requested_one(n, d, gap, seed):
    X, y, sep = data.linearly_separable(n, d, margin=gap, seed=seed, return_separator=True)
    assert X.shape == (n, d) and set(np.unique(y)) <= {-1, 1}
    assert np.isclose(np.linalg.norm(sep.w), 1.0)
    # The generating hyperplane, checked sample by sample: y_i (w·x_i + b) ≥ γ (S5).
    distances = y * (X @ sep.w + sep.b)
    assert np.all(distances >= gap - 1e-9)
    assert np.isclose(sep.margin, distances.min())
    assert np.isclose(data.margin(X, y, 3.0 * sep.w, 3.0 * sep.b), distances.min())
    X2, y2 = data.linearly_separable(n, d, margin=gap, seed=seed)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_separable_has_both_classes():
    _, y = data.linearly_separable(2, seed=0)
    assert sorted(y) == [-1, 1]


def test_novikoff_bound_written_out():
    X = np.array([[3.0, 0.0], [-1.0, 0.0]])
    y = np.array([1, -1])
    w, b = np.array([1.0, 0.0]), -1.0
    # x̂ = (3, 0, 1), (−1, 0, 1); ŵ = (1, 0, −1): margins 2/√2 and 2/√2; R = √10.
    assert np.isclose(data.novikoff_bound(X, y, w, b), 10 / 2)
    with pytest.raises(ValueError, match="does not separate"):
        data.novikoff_bound(X, -y, w, b)


def test_xor_truth_table():
    X, y = data.xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


@given(seed=seeds)
def test_noisy_xor_labels_follow_the_nearest_corner(seed):
    X, y = data.xor(40, noise=0.05, seed=seed)
    corner = np.rint(np.clip(X, 0, 1)).astype(int)
    np.testing.assert_array_equal(y, corner[:, 0] ^ corner[:, 1])


def test_circles_radii_without_noise():
    X, y = data.circles(50, noise=0.0, factor=0.3, seed=1)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), np.where(y == 0, 1.0, 0.3))


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = data.moons(60, noise=0.0, seed=2)
    centre = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    np.testing.assert_allclose(np.linalg.norm(X - centre, axis=1), 1.0)
    assert np.all(X[y == 0, 1] >= -1e-12) and np.all(X[y == 1, 1] <= 0.5 + 1e-12)


def test_library_generator_is_used_without_seed():
    ag.manual_seed(5)
    first = data.moons(10)
    ag.manual_seed(5)
    second = data.moons(10)
    np.testing.assert_array_equal(first[0], second[0])


def test_default_dtype_is_followed():
    ag.set_default_dtype(np.float32)
    try:
        assert data.spirals(9, seed=0)[0].dtype == np.float32
    finally:
        ag.set_default_dtype(np.float64)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: data.moons(0), "n_samples"),
    (lambda: data.xor(5, noise=-1.0), "noise"),
    (lambda: data.circles(5, factor=1.5), "factor"),
    (lambda: data.spirals(5, n_classes=1), "n_classes"),
    (lambda: data.linearly_separable(5, margin=float("nan")), "margin"),
    (lambda: data.margin(np.zeros((3, 2)), np.ones(4), np.ones(2), 0.0), r"y \(4,\)"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_seed_type():
    with pytest.raises(TypeError, match="seed"):
        data.moons(5, seed=1.5)


def test_load_digits():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(np.unique(y), np.arange(10))


def test_load_digits_without_sklearn(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(ImportError, match=r"pip install 'backprop-primer\[data\]'"):
        data.load_digits()


@given(n=st.integers(2, 80), fraction=st.floats(0.01, 0.99), seed=seeds)
def test_train_test_split_partitions_the_samples(n, fraction, seed):
    X = np.arange(n * 2).reshape(n, 2)
    y = np.arange(n)
    n_test = int(np.ceil(fraction * n))
    if not 0 < n_test < n:
        with pytest.raises(ValueError, match="test_size"):
            data.train_test_split(X, y, fraction, seed=seed)
        return
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, fraction, seed=seed)
    assert len(y_test) == n_test and len(y_train) == n - n_test
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])), y)
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)  # rows stay paired
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
    again = data.train_test_split(X, y, fraction, seed=seed)
    np.testing.assert_array_equal(again[3], y_test)


def test_train_test_split_errors():
    with pytest.raises(ValueError, match=r"\(5, 2\) and \(4,\)"):
        data.train_test_split(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="test_size"):
        data.train_test_split(np.zeros((5, 2)), np.zeros(5), test_size=5)


@given(n=st.integers(1, 50), batch_size=st.integers(1, 20), shuffle=st.booleans(),
       drop_last=st.booleans(), seed=seeds)
def test_minibatches_cover_the_data(n, batch_size, shuffle, drop_last, seed):
    X = np.arange(n)[:, None] * np.ones((1, 3))
    y = np.arange(n)
    if drop_last and batch_size > n:
        with pytest.raises(ValueError, match="drop_last"):
            data.Minibatches(X, y, batch_size, shuffle, seed, drop_last)
        return
    batches = data.Minibatches(X, y, batch_size, shuffle=shuffle, seed=seed,
                               drop_last=drop_last)
    seen = list(batches)
    assert len(seen) == len(batches)
    expected_sizes = [batch_size] * (n // batch_size)
    if not drop_last and n % batch_size:
        expected_sizes.append(n % batch_size)
    assert [len(yb) for _, yb in seen] == expected_sizes
    labels = np.concatenate([yb for _, yb in seen])
    for Xb, yb in seen:
        np.testing.assert_array_equal(Xb[:, 0], yb)  # pairs stay together
    assert len(set(labels)) == len(labels)  # no sample twice in one pass
    if not drop_last:
        np.testing.assert_array_equal(np.sort(labels), y)
    if not shuffle:
        np.testing.assert_array_equal(labels, y[: len(labels)])


def test_minibatches_are_reproducible_and_reshuffle_each_pass():
    y = np.arange(100)
    first = data.Minibatches(y, batch_size=100, seed=3)
    second = data.Minibatches(y, batch_size=100, seed=3)
    pass_1, pass_2 = next(iter(first)), next(iter(first))
    np.testing.assert_array_equal(pass_1, next(iter(second)))
    np.testing.assert_array_equal(pass_2, next(iter(second)))
    assert not np.array_equal(pass_1, pass_2)


def test_minibatches_errors():
    with pytest.raises(ValueError, match="batch_size"):
        data.Minibatches(np.zeros((4, 2)), batch_size=0)
    with pytest.raises(ValueError, match=r"\(4, 2\) and \(3,\)"):
        data.Minibatches(np.zeros((4, 2)), np.zeros(3))
