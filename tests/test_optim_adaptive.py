"""RMSprop and AdamW against their update equations (as PyTorch's documentation states
them), written out here in NumPy, and against torch.optim itself where it is installed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
from nn import optim

STEPS = 6


def run(make, theta0, gradients):
    p = nn.Parameter(theta0.copy())
    optimizer = make([p])
    for g in gradients:
        optimizer.zero_grad()
        p.grad = ag.Tensor(g)
        optimizer.step()
    return p.data


def sequences(seed, shape=(3, 2)):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), [rng.normal(size=shape) for _ in range(STEPS)]


@given(st.integers(0, 2**31), st.floats(1e-4, 0.1), st.floats(0.5, 0.99),
       st.sampled_from([1e-8, 1e-3]), st.sampled_from([0.0, 0.1]),
       st.sampled_from([0.0, 0.9]), st.booleans())
def test_rmsprop_follows_its_equations(seed, lr, alpha, eps, weight_decay, momentum, centered):
    theta, grads = sequences(seed)
    got = run(lambda ps: optim.RMSprop(ps, lr, alpha, eps, weight_decay, momentum, centered),
              theta, grads)
    # g = ∇ + λθ; v = αv + (1−α)g²; ḡ = αḡ + (1−α)g; d = g/(√(v − ḡ²) + ε) (centered)
    # or g/(√v + ε); b = μb + d; θ = θ − η b (or η d without momentum)
    v = m = b = np.zeros_like(theta)
    for gradient in grads:
        g = gradient + weight_decay * theta
        v = alpha * v + (1 - alpha) * g ** 2
        m = alpha * m + (1 - alpha) * g
        d = g / (np.sqrt(v - m ** 2 if centered else v) + eps)
        b = momentum * b + d
        theta = theta - lr * (b if momentum else d)
    np.testing.assert_allclose(got, theta, rtol=1e-10, atol=1e-12)


@given(st.integers(0, 2**31), st.floats(1e-4, 0.5), st.floats(0.0, 0.95),
       st.floats(0.5, 0.9999), st.sampled_from([1e-8, 1e-3]), st.sampled_from([0.0, 0.1]))
def test_adamw_follows_its_equations(seed, lr, beta1, beta2, eps, weight_decay):
    theta, grads = sequences(seed)
    got = run(lambda ps: optim.AdamW(ps, lr, (beta1, beta2), eps, weight_decay), theta, grads)
    # θ = θ − ηλθ − η (m_t/(1−β₁ᵗ)) / (√(v_t/(1−β₂ᵗ)) + ε), m and v from ∇ alone
    m = v = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        theta = (theta - lr * weight_decay * theta
                 - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps))
    np.testing.assert_allclose(got, theta, rtol=1e-10, atol=1e-12)


def test_adamw_decays_where_adam_adds_l2():
    """The one difference: with a zero gradient Adam's L2 term still moves θ by about η
    per coordinate (its step is normalised), AdamW's decay by ηλθ."""
    theta, zero = np.full((2,), 4.0), [np.zeros(2)]
    adamw = run(lambda ps: optim.AdamW(ps, lr=0.1, weight_decay=0.5), theta, zero)
    adam = run(lambda ps: optim.Adam(ps, lr=0.1, weight_decay=0.5), theta, zero)
    np.testing.assert_allclose(adamw, 4.0 - 0.1 * 0.5 * 4.0)
    np.testing.assert_allclose(adam, 4.0 - 0.1, rtol=1e-6)


@pytest.mark.parametrize("name, options", [
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1)),
    ("AdamW", dict(lr=0.05, weight_decay=0.1)),
    ("AdamW", dict()),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.1, momentum=0.5, centered=True)),
])
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_same_steps_as_torch_optim(name, options, seed):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    theta, grads = sequences(seed)
    ours = run(lambda ps: getattr(optim, name)(ps, **options), theta, grads)
    p = torch.nn.Parameter(torch.tensor(theta))
    optimizer = getattr(torch.optim, name)([p], **options)
    for g in grads:
        optimizer.zero_grad()
        p.grad = torch.tensor(g)
        optimizer.step()
    np.testing.assert_allclose(ours, p.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("make", [lambda ps: optim.RMSprop(ps, momentum=0.9, centered=True),
                                  lambda ps: optim.AdamW(ps)])
def test_saved_and_loaded_state_resumes_exactly(make, tmp_path):
    theta, grads = sequences(0)
    straight = run(make, theta, grads)
    p = nn.Parameter(theta.copy())
    first = make([p])
    for g in grads[:3]:
        p.grad = ag.Tensor(g)
        first.step()
    nn.save(first, tmp_path / "state.npz")
    q = nn.Parameter(p.data.copy())
    second = nn.load(make([q]), tmp_path / "state.npz")
    for g in grads[3:]:
        q.grad = ag.Tensor(g)
        second.step()
    np.testing.assert_array_equal(q.data, straight)


@pytest.mark.parametrize("make, pattern", [
    (lambda ps: optim.RMSprop(ps, alpha=1.0), "alpha"),
    (lambda ps: optim.RMSprop(ps, momentum=-1), "momentum"),
    (lambda ps: optim.AdamW(ps, weight_decay=-0.1), "weight_decay"),
])
def test_bad_options_are_named(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make([nn.Parameter(np.zeros(2))])
