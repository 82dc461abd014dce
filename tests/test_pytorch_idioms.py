"""Idioms from the PyTorch tutorials ("Learning PyTorch with Examples", "Automatic
differentiation with torch.autograd", the Quickstart, "Tensors"), with only the imports
changed: ``import autograd as torch``, ``import nn``, ``from nn import functional as F,
optim``. Where PyTorch is installed, the polynomial fit run by PyTorch itself gives the
same numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd as torch
import nn
from nn import functional as F
from nn import optim


def polynomial_fit(torch, steps=200):
    """"PyTorch: Tensors and autograd": fit a cubic to sin(x) with manual SGD."""
    x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)
    y = torch.sin(x)
    a, b, c, d = (torch.full((), value, dtype=torch.float64, requires_grad=True)
                  for value in (0.1, -0.2, 0.05, 0.3))
    learning_rate = 1e-5
    for _ in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    return loss.item(), [v.item() for v in (a, b, c, d)]


def test_polynomial_fit_with_manual_updates():
    first, _ = polynomial_fit(torch, steps=1)
    last, coefficients = polynomial_fit(torch)
    assert last < first / 5
    torch_module = pytest.importorskip("torch", reason="PyTorch is not installed")
    expected_loss, expected = polynomial_fit(torch_module)
    np.testing.assert_allclose(coefficients, expected, rtol=1e-9)
    np.testing.assert_allclose(last, expected_loss, rtol=1e-9)


def test_autograd_tutorial():
    x = torch.ones(5)
    y = torch.zeros(3)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = F.binary_cross_entropy_with_logits(z, y)
    loss.backward()
    assert w.grad.shape == (5, 3) and b.grad.shape == (3,)
    with torch.no_grad():
        z = torch.matmul(x, w) + b
    assert not z.requires_grad
    assert not (torch.matmul(x, w) + b).detach().requires_grad

    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(torch.ones_like(out), retain_graph=True)
    first = inp.grad.numpy().copy()
    out.backward(torch.ones_like(out), retain_graph=True)
    np.testing.assert_array_equal(inp.grad.numpy(), 2 * first)  # gradients accumulate
    inp.grad.zero_()
    out.backward(torch.ones_like(out), retain_graph=True)
    np.testing.assert_array_equal(inp.grad.numpy(), first)
    np.testing.assert_array_equal(first, 2 * (np.eye(4, 5) + 1))


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.GELU(), nn.Linear(16, 3))

    def forward(self, x):
        return self.linear_relu_stack(x)


def test_quickstart_training_loop():
    torch.manual_seed(0)
    X = torch.randn(64, 8)
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 1).astype(np.int64)
    model = NeuralNetwork()
    optimizer = optim.SGD(model.parameters(), lr=0.5)
    losses = []
    for _ in range(60):
        model.train()
        pred = model(X)
        loss = F.cross_entropy(pred, y, label_smoothing=0.05)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        pred = model(X)
        correct = (pred.argmax(1) == y).sum().item()
        probabilities = F.softmax(pred, axis=1)
    assert losses[-1] < losses[0] / 2 and correct >= 56
    np.testing.assert_allclose(probabilities.sum(axis=1).numpy(), np.ones(64))
    assert len(model.linear_relu_stack) == 5
    assert isinstance(model.linear_relu_stack[-1], nn.Linear)
    head = model.linear_relu_stack[:2]
    assert head(X).shape == (64, 16)


def test_tensor_idioms():
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    x_ones = torch.ones_like(x_data)
    assert x_ones.dtype == np.int64 and x_ones.numpy().tolist() == [[1, 1], [1, 1]]
    shape = (2, 3)
    assert torch.rand(shape).shape == torch.ones(shape).shape == torch.zeros(shape).shape
    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    assert tensor.sum().item() == 12.0
    assert np.array_equal((tensor @ tensor.T).numpy(), tensor.matmul(tensor.t()).numpy())
    assert (tensor * tensor).sum().item() == 12.0
    t = torch.arange(6.0).reshape(2, 3)
    assert t.permute(1, 0).shape == (3, 2) and t.unsqueeze(0).expand(4, -1, -1).shape == (4, 2, 3)
    assert t.square().sum().item() == 55.0 and torch.isfinite(t.reciprocal()).sum().item() == 5
    mask = (t > 1) & ~(t > 4)
    assert t[mask].numpy().tolist() == [2.0, 3.0, 4.0]
    assert t.cumsum(1)[:, -1].numpy().tolist() == t.sum(1).numpy().tolist()
    assert torch.logsumexp(t, axis=1).shape == (2,) and t.norm().item() == pytest.approx(
        math.sqrt(55.0))
