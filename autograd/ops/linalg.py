"""Matrix product, with NumPy's rules for 1-D operands and batch dimensions."""

from __future__ import annotations

import numpy as np

from autograd.function import Function


def _swap_last(t):
    """Transpose of the last two axes (the matrix transpose of a batch of matrices)."""
    axes = list(range(t.ndim))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return t.transpose(axes)


class MatMul(Function):
    name = "matmul"
    formula = "∂(A·B)/∂A = G·Bᵀ,  ∂(A·B)/∂B = Aᵀ·G   (G = ∂E/∂(A·B))"

    def forward(self, a, b):
        a, b = np.asarray(a), np.asarray(b)
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(f"matmul: operands must be at least 1-D, got shapes {a.shape} and "
                             f"{b.shape} (use * for scalars)")
        inner_a, inner_b = a.shape[-1], b.shape[0] if b.ndim == 1 else b.shape[-2]
        if inner_a != inner_b:
            raise ValueError(f"matmul: cannot multiply {a.shape} by {b.shape} — inner "
                             f"dimensions {inner_a} and {inner_b} differ")
        return np.matmul(a, b)

    def shape_error(self, arrays, error):
        a, b = (np.shape(x) for x in arrays)
        return f"matmul: cannot multiply {a} by {b} — batch dimensions do not broadcast"

    def backward(self, grad, a, b):
        # A 1-D operand is a matrix with a unit axis added (a row on the left, a column
        # on the right) and removed from the result; do the same to the gradient.
        # b first: for vector · vector the 0-d gradient becomes (1,) and then (1, 1).
        a_vector, b_vector = a.ndim == 1, b.ndim == 1
        if b_vector:
            b, grad = np.expand_dims(b, -1), np.expand_dims(grad, -1)
        if a_vector:
            a, grad = np.expand_dims(a, 0), np.expand_dims(grad, -2)
        need_a, need_b = self.needs_input_grad
        grad_a = grad @ _swap_last(b) if need_a else None
        grad_b = _swap_last(a) @ grad if need_b else None
        if a_vector and grad_a is not None:
            grad_a = np.squeeze(grad_a, -2)
        if b_vector and grad_b is not None:
            grad_b = np.squeeze(grad_b, -1)
        return grad_a, grad_b


def matmul(a, b): return MatMul.apply(a, b)


def mm(a, b):
    """The product of two matrices (PyTorch's ``mm``: 2-D only; ``matmul`` broadcasts)."""
    if np.ndim(a) != 2 or np.ndim(b) != 2:
        raise ValueError(f"mm: expects two matrices, got shapes {np.shape(a)} and "
                         f"{np.shape(b)}; use matmul for other shapes")
    return MatMul.apply(a, b)


class Linear(Function):
    """The affine map of a layer, u = x Wᵀ + b: the document's u_l = W_l y_{l−1} + b_l
    (S11) with samples as rows, in one node instead of transpose, matmul and add."""

    name = "linear"
    formula = "u = x·Wᵀ + b:  ∂/∂x = G·W,  ∂/∂W = Gᵀ·x,  ∂/∂b = Σ_rows G   (G = ∂E/∂u, S16)"

    def forward(self, x, weight, bias):
        x, weight = np.asarray(x), np.asarray(weight)
        if weight.ndim != 2 or x.ndim == 0 or x.shape[-1] != weight.shape[1]:
            raise ValueError(f"linear: cannot apply a weight of shape {weight.shape} to inputs "
                             f"of shape {x.shape} — the weight must be (out, in) with in = "
                             "the inputs' last dimension")
        u = x @ weight.T
        if bias is not None:
            u += bias
        return u

    def backward(self, grad, x, weight, bias):
        need_x, need_weight, need_bias = self.needs_input_grad
        # Rows of every sample, however many batch axes x has: G is (n, out), x is (n, in).
        rows = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
        grad_x = grad @ weight if need_x else None
        grad_weight = None
        if need_weight:
            x_rows = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
            grad_weight = rows.T @ x_rows
        grad_bias = rows.sum(axis=0) if need_bias else None
        return grad_x, grad_weight, grad_bias


def linear(x, weight, bias=None): return Linear.apply(x, weight, bias)
