"""Linear (S11), activation modules, Dropout (S19), initialisers and the MLP."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
from nn import functional as F
from nn import init

sizes = st.integers(1, 5)


@given(sizes, sizes, st.integers(1, 4), st.booleans(), st.integers(0, 2**31))
def test_linear_is_x_times_w_transposed_plus_b(n_in, n_out, batch, bias, seed):
    layer = nn.Linear(n_in, n_out, bias=bias)
    assert layer.weight.shape == (n_out, n_in)                 # the document's W_l, S11
    x = np.random.default_rng(seed).normal(size=(batch, n_in))
    expected = x @ layer.weight.data.T + (layer.bias.data if bias else 0)
    np.testing.assert_allclose(layer(x).data, expected, rtol=1e-12, atol=1e-12)
    # one column sample, as the document writes it: u = W y + b
    column = x[0][:, None]
    u = layer.weight.data @ column + (layer.bias.data[:, None] if bias else 0)
    np.testing.assert_allclose(layer(x[0]).data, u[:, 0], rtol=1e-12, atol=1e-12)


@given(st.integers(0, 2**31))
def test_linear_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    layer = nn.Linear(3, 2)
    x = ag.Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: x @ w.T + b, [x, layer.weight, layer.bias])


def test_linear_default_init_is_uniform_within_one_over_sqrt_fan_in():
    ag.manual_seed(0)
    layer = nn.Linear(16, 400)
    bound = 1 / np.sqrt(16)
    for p in (layer.weight.data, layer.bias.data):
        assert np.all(np.abs(p) <= bound)
        assert p.max() > 0.9 * bound and p.min() < -0.9 * bound   # fills the interval


def test_manual_seed_makes_initialisation_reproducible():
    ag.manual_seed(42)
    first = nn.MLP([3, 5, 2]).state_dict()
    ag.manual_seed(42)
    second = nn.MLP([3, 5, 2]).state_dict()
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])


def test_linear_rejects_bad_sizes_and_inputs():
    with pytest.raises(ValueError, match="in_features"):
        nn.Linear(0, 3)
    with pytest.raises(ValueError, match=r"last dimension 3.*\(2, 4\)"):
        nn.Linear(3, 1)(np.ones((2, 4)))


@pytest.mark.parametrize("fill, bound", [
    (init.xavier_uniform, np.sqrt(6 / (30 + 50))),
    (init.kaiming_uniform, np.sqrt(6 / 30)),
])
def test_uniform_initialisers_fill_their_interval(fill, bound):
    w = nn.Parameter(np.zeros((50, 30)))
    assert fill(w, rng=np.random.default_rng(0)) is w
    assert np.all(np.abs(w.data) <= bound) and np.abs(w.data).max() > 0.95 * bound


@pytest.mark.parametrize("fill, variance", [
    (init.xavier_normal, 2 / (300 + 200)),
    (init.kaiming_normal, 2 / 300),
])
def test_normal_initialisers_have_their_variance(fill, variance):
    w = fill(nn.Parameter(np.zeros((200, 300))), rng=np.random.default_rng(1))
    assert abs(w.data.mean()) < 0.01 * np.sqrt(variance) * 10
    assert w.data.var() == pytest.approx(variance, rel=0.03)   # 60,000 samples


def test_fan_initialisers_need_a_matrix():
    with pytest.raises(ValueError, match=r"\(4,\)"):
        init.xavier_uniform(nn.Parameter(np.zeros(4)))


@pytest.mark.parametrize("module, function", [
    (nn.Sigmoid(), F.sigmoid), (nn.Tanh(), F.tanh), (nn.ReLU(), F.relu),
    (nn.Sign(), F.sign), (nn.Step(), F.step), (nn.Identity(), F.identity),
    (nn.Softmax(), F.softmax),
])
def test_activation_modules_apply_their_function(module, function):
    x = np.array([[-2.0, 0.0, 0.5], [3.0, -0.1, 0.0]])
    np.testing.assert_array_equal(module(x).data, function(x).data)


def test_softmax_module_axis():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(nn.Softmax(axis=0)(x).data.sum(axis=0), 1.0)


def test_dropout_rejects_p_outside_zero_one():
    for p in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match="Dropout"):
            nn.Dropout(p)


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3), elements=st.floats(-5, 5)),
       st.floats(0.0, 0.9))
def test_dropout_is_the_identity_in_eval_mode(x, p):
    out = nn.Dropout(p).eval()(x)
    np.testing.assert_array_equal(out.data, x)


@given(st.floats(0.05, 0.9), st.integers(0, 2**31))
def test_dropout_zeroes_or_scales_and_keeps_the_mean(p, seed):
    ag.manual_seed(seed)
    x = np.full(20_000, 2.0)
    out = nn.Dropout(p)(x).data
    kept = out != 0
    np.testing.assert_allclose(out[kept], 2.0 / (1 - p))           # inverted scaling
    # E[out] = x: the kept fraction is Binomial(n, 1 − p); allow 5 standard deviations
    sd = np.sqrt(p * (1 - p) / x.size) * 2.0 / (1 - p)
    assert abs(out.mean() - 2.0) < 5 * sd


def test_dropout_gradient_is_the_same_mask_and_scale():
    ag.manual_seed(3)
    x = ag.Tensor(np.ones((4, 5)), requires_grad=True)
    out = nn.Dropout(0.5)(x)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, out.data)   # out = mask · 2 · 1


def test_dropout_masks_come_from_the_library_generator():
    ag.manual_seed(7)
    a = nn.Dropout(0.5)(np.ones(50)).data
    ag.manual_seed(7)
    b = nn.Dropout(0.5)(np.ones(50)).data
    np.testing.assert_array_equal(a, b)


def test_mlp_forward_is_the_composition_of_s11():
    ag.manual_seed(0)
    model = nn.MLP([3, 4, 2], activation="tanh", output_activation="sigmoid")
    x = np.random.default_rng(0).normal(size=(5, 3))
    (W1, b1), (W2, b2) = [(layer.weight.data, layer.bias.data) for layer in model.layers]
    y1 = np.tanh(x @ W1.T + b1)
    y2 = 1 / (1 + np.exp(-(y1 @ W2.T + b2)))
    np.testing.assert_allclose(model(x).data, y2, rtol=1e-12)


def test_mlp_output_is_linear_by_default_and_accepts_modules():
    model = nn.MLP([2, 3, 3, 1], activation=nn.ReLU())
    assert [type(f).__name__ for f in model.activations] == ["ReLU", "ReLU", "Identity"]
    assert [f.name for f in model.activations] == ["relu", "relu", "identity"]
    assert len(model.layers) == 3


def test_mlp_initialisation_depends_on_the_activation():
    ag.manual_seed(0)
    model = nn.MLP([100, 100, 100], activation="relu")
    hidden, output = model.layers
    assert np.abs(hidden.weight.data).max() <= np.sqrt(6 / 100)      # He
    assert np.abs(hidden.weight.data).max() > np.sqrt(6 / 200)
    assert np.abs(output.weight.data).max() <= np.sqrt(6 / 200)      # Glorot
    assert all(np.all(layer.bias.data == 0) for layer in model.layers)


def test_mlp_rejects_unknown_activations_listing_the_valid_ones():
    with pytest.raises(ValueError, match="sigmoid, tanh, relu, identity, softmax, sign, step"):
        nn.MLP([2, 2], activation="swish")
    with pytest.raises(ValueError, match="output_activation"):
        nn.MLP([2, 2], output_activation="relu6")
    with pytest.raises(ValueError, match="sizes"):
        nn.MLP([3])


@pytest.mark.parametrize("make, error, pattern", [
    (lambda: nn.Linear(True, 2), TypeError,
     "Linear: in_features must be an integer >= 1, got True"),
    (lambda: nn.Linear(2, 2.0), TypeError, r"out_features must be an integer >= 1, got 2\.0"),
    (lambda: nn.Linear(2, 2, bias="no"), TypeError, "bias must be True or False"),
    (lambda: nn.Dropout("0.5"), TypeError, r"Dropout: p must be a finite number >= 0 and < 1, "
                                           r"got '0\.5' \(str\)"),
    (lambda: nn.Dropout(np.nan), ValueError, "Dropout: p .* got nan"),
    (lambda: nn.Softmax(axis=1.0), TypeError, "Softmax: axis must be an integer"),
])
def test_layer_arguments_of_the_wrong_type_are_named(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()
