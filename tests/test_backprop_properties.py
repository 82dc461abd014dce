"""The centrepiece: on generated networks, the generic autograd engine and the document's
hand derivation (nn.backprop, S11–S17) give the same numbers — and where the document's
element-wise softmax rule (S10) is wrong, hypothesis finds a network that shows it.

The autograd side below is written independently of nn.backprop: the same network, in
the same column orientation, built from autograd Tensors; ∂E/∂u_l comes from
``retain_grad`` on every pre-activation u_l."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import find, given, settings
from hypothesis import strategies as st
from strategies import Net, close, networks

import autograd as ag
from nn import backprop as bp
from nn import functional as F

TOL = 1e-10
AUTOGRAD_F = {"sigmoid": ag.sigmoid, "tanh": ag.tanh, "relu": ag.relu,
              "identity": lambda u: u, "softmax": lambda u: F.softmax(u, axis=0)}


def autograd_gradients(net: Net, loss: str = "half_sum"):
    """(∂E/∂u_l, ∂E/∂W_l, ∂E/∂b_l) per layer from one backward pass of autograd.

    half_sum: E = ½ Σ (t − y_L)²; cross_entropy: E = −Σ t ∘ log_softmax(u_L)."""
    W = [ag.Tensor(w, requires_grad=True) for w in net.W[1:]]
    b = [ag.Tensor(c, requires_grad=True) for c in net.b[1:]]
    y, u = ag.Tensor(net.x), []
    for W_l, b_l, f_l in zip(W, b, net.f[1:], strict=True):
        u_l = W_l @ y + b_l
        u_l.retain_grad()
        u.append(u_l)
        y = AUTOGRAD_F[f_l](u_l)
    if loss == "half_sum":
        E = 0.5 * ((net.t - y) ** 2).sum()
    else:
        E = -(net.t * F.log_softmax(u[-1], axis=0)).sum()
    E.backward()
    return ([None] + [v.grad.numpy() for v in u], [None] + [v.grad.numpy() for v in W],
            [None] + [v.grad.numpy() for v in b])


def formula_gradients(net: Net, loss: str = "half_sum"):
    u, y = bp.forward(net.W, net.b, net.f, net.x)
    delta = bp.deltas(net.W, net.f, u, y, net.t, loss)
    dW, db = bp.gradients(delta, y)
    return delta, dW, db


def assert_same_gradients(net: Net, loss: str = "half_sum") -> None:
    for name, ours, theirs in zip(("δ", "∂E/∂W", "∂E/∂b"), formula_gradients(net, loss),
                                  autograd_gradients(net, loss), strict=True):
        assert ours[0] is None
        for l in range(1, len(net.W)):
            assert close(ours[l], theirs[l], TOL), (name, l, ours[l], theirs[l])


@given(networks())
def test_autograd_equals_the_formulas_on_generated_networks(net):
    """S13–S16 with half-sum E (S12), per-layer activations from {sigmoid, tanh, relu,
    identity}, depth 1–5, widths 1–8, batch 1–6: ∂E/∂u_l, ∂E/∂W_l, ∂E/∂b_l agree to 1e-10."""
    assert_same_gradients(net)


@given(networks(output="softmax"))
def test_softmax_output_with_mse_uses_the_full_jacobian(net):
    """S14 for softmax + ½ Σ (t − y)²: δ_k = J_kᵀ (y_k − t), J_k = diag(y_k) − y_k y_kᵀ."""
    assert_same_gradients(net)


@given(networks(output="softmax", loss="cross_entropy"))
def test_softmax_output_with_cross_entropy_has_delta_y_minus_t(net):
    """δ_k = y_k − t for softmax + cross-entropy (S10's remark), and S15/S16 below it."""
    assert_same_gradients(net, "cross_entropy")


def elementwise_rule_output_delta(net: Net) -> np.ndarray:
    """The document's S14 with its element-wise softmax rule: (y_k − t) ∘ (y_k − y_k²)."""
    _, y = bp.forward(net.W, net.b, net.f, net.x)
    return (y[-1] - net.t) * bp.softmax_jacobian_diagonal(y[-1])


def autograd_softmax_jacobian_diagonal(net: Net) -> np.ndarray:
    """∂y_k^(j)/∂u_k^(j) for every output j and sample s, one autograd pass per output."""
    u, _ = bp.forward(net.W, net.b, net.f, net.x)
    u_k = ag.Tensor(u[-1], requires_grad=True)
    y_k = F.softmax(u_k, axis=0)
    rows = [ag.grad(y_k[j].sum(), u_k, retain_graph=True)[0].numpy()[j]
            for j in range(u_k.shape[0])]
    return np.stack(rows)  # per-sample Jacobians are independent, so row j, column s is J_jj


def test_hypothesis_finds_a_network_where_the_elementwise_softmax_rule_is_wrong():
    """S10: the document's f' = y − y² gives a δ_k that autograd refutes — and that rule is
    exactly the diagonal of the true Jacobian, so the missing part is the off-diagonal."""

    def disagrees(net: Net) -> bool:
        truth = autograd_gradients(net)[0][-1]
        return not close(elementwise_rule_output_delta(net), truth, TOL)

    net = find(networks(output="softmax", min_outputs=2), disagrees,
               settings=settings(max_examples=200, database=None))
    truth = autograd_gradients(net)[0][-1]
    assert np.max(np.abs(elementwise_rule_output_delta(net) - truth)) > TOL
    np.testing.assert_allclose(bp.softmax_jacobian_diagonal(bp.forward(*net[:4])[1][-1]),
                               autograd_softmax_jacobian_diagonal(net), rtol=1e-12, atol=1e-15)
    assert_same_gradients(net)  # while the full-Jacobian formula agrees on the same network


@given(networks(output="softmax"))
def test_elementwise_softmax_rule_is_the_diagonal_of_the_autograd_jacobian(net):
    _, y = bp.forward(net.W, net.b, net.f, net.x)
    np.testing.assert_allclose(bp.softmax_jacobian_diagonal(y[-1]),
                               autograd_softmax_jacobian_diagonal(net), rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------ S9 / S10 identities

def exact_derivative(name: str, x: np.ndarray) -> np.ndarray:
    """Closed forms in e = e^(−|x|) ≤ 1 (no overflow): S'(x) = e / (1 + e)², and
    tanh'(x) = sech² x = 4e² / (1 + e²)²."""
    e = np.exp(-np.abs(x))
    return e / (1 + e) ** 2 if name == "sigmoid" else 4 * e**2 / (1 + e**2) ** 2


@given(st.sampled_from(["sigmoid", "tanh"]),
       st.lists(st.floats(-1000, 1000), min_size=1, max_size=20))
def test_derivative_from_the_output_equals_autograd_for_large_inputs(name, xs):
    """S9: sigmoid' = y(1 − y); S10: tanh' = 1 − y² — equal to autograd and to the closed
    form, finite and without a warning for |x| up to 1000."""
    x = np.array(xs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = bp.activate(name, x)
        ours = bp.derivative(name, x, y)
        x_t = ag.Tensor(x, requires_grad=True)
        AUTOGRAD_F[name](x_t).sum().backward()
        exact = exact_derivative(name, x)
    assert np.all(np.isfinite(ours)) and np.all(np.isfinite(x_t.grad.numpy()))
    np.testing.assert_allclose(ours, x_t.grad.numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours, exact, rtol=1e-9, atol=1e-15)
