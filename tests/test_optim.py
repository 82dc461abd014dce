"""SGD (S17, with momentum, Nesterov and weight decay) and Adam against their published
update equations (as PyTorch's documentation states them), written out here in NumPy."""

from __future__ import annotations

import os
import tempfile

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
    (lambda p: optim.Adam([p * 2]), "non-leaf"),
])
def test_bad_hyperparameters_raise(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make(nn.Parameter([1.0]))


@pytest.mark.parametrize("make, error, pattern", [
    (lambda p: optim.SGD([p], lr="0.1"), TypeError, r"SGD: lr must be a finite number >= 0, "
                                                    r"got '0\.1' \(str\)"),
    (lambda p: optim.SGD([p], lr=float("inf")), ValueError, "SGD: lr .* got inf"),
    (lambda p: optim.Adam([p], lr=float("nan")), ValueError, "Adam: lr .* got nan"),
    (lambda p: optim.Adam([p], betas=(0.9, 0.99, 0.9)), ValueError, r"betas must be a pair"),
    (lambda p: optim.SGD([p], lr=0.1, momentum=0.9, nesterov="yes"), TypeError, "nesterov"),
    (lambda p: optim.SGD([p, 3.0], lr=0.1), TypeError, r"Tensors, got 3\.0"),
])
def test_options_of_the_wrong_type_or_not_finite_are_named(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make(nn.Parameter([1.0]))


# ----------------------------------------------------------------- nothing changes on failure
@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: optim.Adam(ps, lr=0.1)])
@pytest.mark.parametrize("bad_grad, pattern", [
    (np.ones(1), r"parameter 1 \(b\) has shape \(1,\), the parameter \(3,\)"),   # broadcasts
    (np.ones((3, 1)), r"shape \(3, 1\)"),
    (np.array(["x", "y", "z"]), "dtype <U1"),
])
def test_a_bad_gradient_changes_no_parameter_and_no_moment(make, bad_grad, pattern):
    a, b = nn.Parameter([1.0, 2.0]), nn.Parameter([1.0, 2.0, 3.0])
    b.name = "b"
    optimizer = make([a, b])
    a.grad, b.grad = ag.Tensor([0.5, 0.5]), ag.Tensor([0.1, 0.2, 0.3])
    optimizer.step()                       # builds momentum buffers / moments
    before = [p.data.copy() for p in (a, b)], optimizer.state_dict()
    b.grad = ag.Tensor._make(bad_grad)  # wrapped as is: Tensor() refuses text data
    with pytest.raises(ValueError, match=pattern):
        optimizer.step()
    for p, saved in zip((a, b), before[0]):
        np.testing.assert_array_equal(p.data, saved)
    after = optimizer.state_dict()
    assert list(after) == list(before[1])
    for key in after:
        np.testing.assert_array_equal(after[key], before[1][key], err_msg=key)


def test_frozen_parameters_are_accepted_and_skipped():
    # Fine-tuning: freeze the first layer, train the second (as PyTorch allows).
    ag.manual_seed(0)
    model = nn.MLP([2, 3, 1])
    for p in model.layers[0].parameters():
        p.requires_grad = False
    frozen = [p.data.copy() for p in model.layers[0].parameters()]
    trained = [p.data.copy() for p in model.layers[1].parameters()]
    optimizer = optim.SGD(model.parameters(), lr=0.5)
    model.layers[0].weight.grad = ag.Tensor(np.ones((3, 2)))   # even a stale gradient
    nn.functional.mse_loss(model(np.ones((4, 2))), np.zeros((4, 1))).backward()
    optimizer.step()
    for p, saved in zip(model.layers[0].parameters(), frozen):
        np.testing.assert_array_equal(p.data, saved)
    assert all(not np.array_equal(p.data, saved)
               for p, saved in zip(model.layers[1].parameters(), trained))


# ----------------------------------------------------------------- parameter groups
def test_each_parameter_group_steps_with_its_own_options():
    # Two groups in one optimizer = two optimizers, one per group, with those options.
    rng = np.random.default_rng(0)
    start = [rng.normal(size=3), rng.normal(size=2)]
    grads = [[rng.normal(size=3), rng.normal(size=2)] for _ in range(4)]
    together = [nn.Parameter(x) for x in start]
    apart = [nn.Parameter(x) for x in start]
    grouped = optim.Adam([{"params": [together[0]]},
                          {"params": [together[1]], "lr": 0.1, "betas": (0.5, 0.9)}], lr=0.01)
    single = [optim.Adam([apart[0]], lr=0.01), optim.Adam([apart[1]], lr=0.1, betas=(0.5, 0.9))]
    for step_grads in grads:
        for p, q, g in zip(together, apart, step_grads):
            p.grad, q.grad = ag.Tensor(g), ag.Tensor(g)
        grouped.step()
        for optimizer in single:
            optimizer.step()
    for p, q in zip(together, apart):
        np.testing.assert_array_equal(p.data, q.data)
    assert [group["lr"] for group in grouped.param_groups] == [0.01, 0.1]
    with pytest.raises(AttributeError, match="different learning rates"):
        _ = grouped.lr


@pytest.mark.parametrize("groups, error, pattern", [
    (lambda a, b: [{"params": [a]}, {"params": [a, b]}], ValueError, "another parameter group"),
    (lambda a, b: [{"params": [a], "momentun": 0.9}], ValueError, "unknown options momentun"),
    (lambda a, b: [{"params": [a]}, {"params": [b], "lr": -1.0}], ValueError,
     r"param group 1\): lr must be"),
    (lambda a, b: [{"params": [a]}, [b]], TypeError, "'params' entry"),
])
def test_bad_parameter_groups_are_refused(groups, error, pattern):
    with pytest.raises(error, match=pattern):
        optim.SGD(groups(nn.Parameter([1.0]), nn.Parameter([2.0])), lr=0.1)


# ----------------------------------------------------------------- state dict: exact resume
OPTIMIZERS = {
    "sgd": lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "adam": lambda ps: optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=0.01),
}


def train_steps(model, optimizer, batches):
    for x, t in batches:
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), t).backward()
        optimizer.step()


@given(st.integers(0, 2**31), st.sampled_from(sorted(OPTIMIZERS)), st.integers(1, 5))
def test_saving_and_loading_model_and_optimizer_resumes_training_exactly(seed, name, split):
    rng = np.random.default_rng(seed)
    batches = [(rng.normal(size=(4, 3)), rng.normal(size=(4, 2))) for _ in range(6)]
    ag.manual_seed(seed)
    reference = nn.MLP([3, 5, 2], activation="tanh")
    train_steps(reference, OPTIMIZERS[name](reference.parameters()), batches)

    # The same run stopped after `split` steps, saved, and resumed in fresh objects.
    ag.manual_seed(seed)
    run = nn.MLP([3, 5, 2], activation="tanh")
    run_optimizer = OPTIMIZERS[name](run.parameters())
    train_steps(run, run_optimizer, batches[:split])
    with tempfile.TemporaryDirectory() as folder:
        nn.save(run, os.path.join(folder, "model.npz"))
        nn.save(run_optimizer, os.path.join(folder, "optimizer.npz"))
        with np.load(os.path.join(folder, "optimizer.npz"), allow_pickle=False) as archive:
            assert "param_groups.0.lr" in archive.files
        ag.manual_seed(seed + 1)
        resumed = nn.MLP([3, 5, 2], activation="tanh")      # other initial weights
        resumed_optimizer = OPTIMIZERS[name](resumed.parameters())
        resumed_optimizer.lr = 0.5                           # restored from the file
        nn.load(resumed, os.path.join(folder, "model.npz"))
        nn.load(resumed_optimizer, os.path.join(folder, "optimizer.npz"))
    train_steps(resumed, resumed_optimizer, batches[split:])
    for (key, got), expected in zip(resumed.named_parameters(), reference.parameters()):
        np.testing.assert_array_equal(got.data, expected.data, err_msg=key)


def _adam_after_one_step():
    p = nn.Parameter(np.ones(3, np.float32))
    optimizer = optim.Adam([p], lr=0.1)
    p.grad = ag.Tensor(np.ones(3, np.float32))
    optimizer.step()
    return optimizer


@pytest.mark.parametrize("edit, pattern", [
    (lambda s: s.update({"state.0.exp_avg": np.ones(4)}), r"exp_avg has shape \(4,\)"),
    (lambda s: s.update({"state.0.exp_avg_sq": np.full(3, 1e300)}),
     "overflows float32"),
    (lambda s: s.update({"state.0.step": np.array(0)}), "step must be an integer >= 1"),
    (lambda s: s.pop("state.0.exp_avg"), "needs all of step, exp_avg, exp_avg_sq"),
    (lambda s: s.update({"param_groups.0.params": np.arange(2)}), "has 2 parameters"),
    (lambda s: s.update({"param_groups.0.lr": np.array("fast")}), "lr must be"),
    (lambda s: s.update({"param_groups.0.betas": np.array([0.9, 1.5])}), r"betas\[1\]"),
    (lambda s: s.pop("param_groups.0.eps"), "missing: param_groups.0.eps"),
    (lambda s: s.update({"state.7.step": np.array(1)}), "unexpected: state.7.step"),
])
def test_a_bad_optimizer_state_is_refused_and_changes_nothing(edit, pattern):
    optimizer = _adam_after_one_step()
    before = optimizer.state_dict()
    state = optimizer.state_dict()
    edit(state)
    with pytest.raises(ValueError, match=pattern):
        optimizer.load_state_dict(state)
    after = optimizer.state_dict()
    assert list(after) == list(before)
    for key in after:
        np.testing.assert_array_equal(after[key], before[key], err_msg=key)


def test_an_option_edited_to_a_bad_value_fails_the_step_before_any_change():
    a, b = nn.Parameter([1.0]), nn.Parameter([2.0])
    optimizer = optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1)
    a.grad, b.grad = ag.Tensor([1.0]), ag.Tensor([1.0])
    optimizer.param_groups[1]["lr"] = "0.1"
    with pytest.raises(TypeError, match=r"SGD.step \(param group 1\): lr must be"):
        optimizer.step()
    assert a.data[0] == 1.0 and b.data[0] == 2.0
