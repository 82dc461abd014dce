"""SGD (S17, with momentum, Nesterov and weight decay) and Adam against their published
update equations (as PyTorch's documentation states them), written out here in NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import optim

STEPS = 6


def run(optimizer_factory, theta0, gradients):
    """Apply the optimizer to one parameter with the given gradient sequence."""
    p = nn.Parameter(theta0)
    optimizer = optimizer_factory([p])
    data = p.data
    for g in gradients:
        optimizer.zero_grad()
        p.grad = ag.Tensor(g)
        optimizer.step()
    assert p.data is data                     # updated in place
    return p.data


def sequences(seed, shape=(3, 2)):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), [rng.normal(size=shape) for _ in range(STEPS)]


@given(st.integers(0, 2**31), st.floats(0.001, 1.0), st.sampled_from([0.0, 0.5, 0.9]),
       st.booleans(), st.sampled_from([0.0, 0.01]))
def test_sgd_follows_its_equations(seed, lr, momentum, nesterov, weight_decay):
    nesterov = nesterov and momentum > 0
    theta, grads = sequences(seed)
    got = run(lambda ps: optim.SGD(ps, lr, momentum, nesterov, weight_decay), theta, grads)

    # g_t = ∇ + λθ;  b_1 = g_1, b_t = μ b_{t−1} + g_t;  d_t = g_t + μ b_t (Nesterov) or b_t
    # (or g_t without momentum);  θ_t = θ_{t−1} − η d_t
    b = None
    for gradient in grads:
        g = gradient + weight_decay * theta
        if momentum:
            b = g if b is None else momentum * b + g
            d = g + momentum * b if nesterov else b
        else:
            d = g
        theta = theta - lr * d
    np.testing.assert_allclose(got, theta, rtol=1e-12, atol=1e-12)


@given(st.integers(0, 2**31), st.floats(1e-4, 0.5), st.floats(0.0, 0.95),
       st.floats(0.5, 0.9999), st.sampled_from([1e-8, 1e-3]), st.sampled_from([0.0, 0.1]))
def test_adam_follows_its_equations(seed, lr, beta1, beta2, eps, weight_decay):
    theta, grads = sequences(seed)
    got = run(lambda ps: optim.Adam(ps, lr, (beta1, beta2), eps, weight_decay), theta, grads)

    # g_t = ∇ + λθ;  m_t = β₁m + (1−β₁)g;  v_t = β₂v + (1−β₂)g²;
    # θ_t = θ − η (m_t/(1−β₁ᵗ)) / (√(v_t/(1−β₂ᵗ)) + ε)
    m = v = np.zeros_like(theta)
    for t, gradient in enumerate(grads, start=1):
        g = gradient + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        theta = theta - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    np.testing.assert_allclose(got, theta, rtol=1e-10, atol=1e-12)


def test_plain_sgd_is_the_s17_step_on_a_real_loss():
    # E = ½ Σ (W x − t)², one step: W ← W − η (W x − t) xᵀ (S16, S17)
    layer = nn.Linear(3, 2, bias=False)
    W0 = layer.weight.data.copy()
    x, t = np.array([1.0, -2.0, 0.5]), np.array([0.3, -0.1])
    optimizer = optim.SGD(layer.parameters(), lr=0.1)
    nn.functional.mse_loss(layer(x), t, reduction="half_sum").backward()
    optimizer.step()
    np.testing.assert_allclose(layer.weight.data, W0 - 0.1 * np.outer(W0 @ x - t, x))


def test_momentum_with_a_constant_gradient_sums_a_geometric_series():
    # b_t = g (1 + μ + … + μ^(t−1)), so θ_T = θ_0 − η g Σ_t (1 − μᵗ)/(1 − μ)
    g, mu, lr = np.array([2.0]), 0.5, 0.1
    got = run(lambda ps: optim.SGD(ps, lr, momentum=mu), np.zeros(1), [g] * 4)
    expected = -lr * g * sum((1 - mu ** t) / (1 - mu) for t in range(1, 5))
    np.testing.assert_allclose(got, expected)


def test_adams_first_step_has_size_lr_in_every_coordinate():
    # m̂₁ = g and v̂₁ = g², so the first step is η g / (|g| + ε) ≈ η sign(g)
    g = np.array([1e-3, -50.0, 7.0])
    got = run(lambda ps: optim.Adam(ps, lr=0.01, eps=1e-12), np.zeros(3), [g])
    np.testing.assert_allclose(got, -0.01 * np.sign(g), rtol=1e-8)


def test_parameters_without_gradient_are_skipped_and_keep_their_step_count():
    a, b = nn.Parameter([1.0]), nn.Parameter([1.0])
    optimizer = optim.Adam([a, b], lr=0.1)
    a.grad = ag.Tensor([1.0])
    optimizer.step()
    assert b.data[0] == 1.0 and a.data[0] == pytest.approx(0.9)
    b.grad = ag.Tensor([1.0])
    optimizer.step()                      # b's first step: again exactly lr · sign(g)
    assert b.data[0] == pytest.approx(0.9)


def test_zero_grad_and_duplicates():
    p = nn.Parameter([1.0, 2.0])
    optimizer = optim.SGD([p, p], lr=1.0)
    assert len(optimizer.params) == 1
    p.grad = ag.Tensor([1.0, 1.0])
    optimizer.step()
    np.testing.assert_array_equal(p.data, [0.0, 1.0])   # stepped once, not twice
    optimizer.zero_grad()
    assert p.grad is None


def test_float32_parameters_stay_float32():
    p = nn.Parameter(np.ones(2, np.float32))
    p.grad = ag.Tensor(np.ones(2, np.float32))
    optim.Adam([p]).step()
    assert p.dtype == np.float32


def test_lr_can_be_changed_between_steps():
    p = nn.Parameter([0.0])
    optimizer = optim.SGD([p], lr=1.0)
    optimizer.lr = 0.5
    p.grad = ag.Tensor([1.0])
    optimizer.step()
    assert p.data[0] == -0.5


@pytest.mark.parametrize("make, pattern", [
    (lambda p: optim.SGD([], lr=0.1), "empty"),
    (lambda p: optim.SGD([p], lr=-1.0), "lr"),
    (lambda p: optim.SGD([p], lr=0.1, nesterov=True), "nesterov"),
    (lambda p: optim.SGD([p], lr=0.1, momentum=-0.5), "momentum"),
    (lambda p: optim.Adam([p], betas=(1.0, 0.999)), "betas"),
    (lambda p: optim.Adam([p], eps=-1.0), "eps"),
    (lambda p: optim.Adam([ag.Tensor([1.0])]), "requires grad"),
])
def test_bad_hyperparameters_raise(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make(nn.Parameter([1.0]))
