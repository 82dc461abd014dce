"""Cross-entropy of softmax(logits) against integer labels, fused into one node.

Four graph nodes (log-softmax, pick the label's entry, negate, mean) become one whose
backward is S10's shortcut: for E = −(1/n) Σᵢ log softmax(zᵢ)[cᵢ], ∂E/∂z = (softmax(z) −
onehot(c)) / n — the output layer's δ = y − t. The formula string says what it is made
of, so ``ag.explain`` and ``ag.draw`` show the pieces the node stands for.
"""

from __future__ import annotations

import numpy as np

from autograd.function import Function
from autograd.ops.activations import Softmax, _shifted
from autograd.tensor import Tensor


class CrossEntropy(Function):
    name = "cross_entropy"
    formula = ("E = −Σᵢ log softmax(zᵢ)[cᵢ] (÷ n for the mean): softmax, log, pick the "
               "label, sum or mean in one node;  ∂E/∂z = softmax(z) − onehot(c) (÷ n)   (S10)")

    def forward(self, logits, labels, reduction):
        if np.minimum.reduce(labels) < 0 or np.maximum.reduce(labels) >= logits.shape[1]:
            # nn's cross_entropy checked them; a replayed trace (ag.trace) did not, and a
            # negative label would silently pick from the end of the row
            raise ValueError(f"cross_entropy: labels must lie in [0, {logits.shape[1] - 1}], "
                             f"got {sorted(set(np.asarray(labels).tolist()))[:10]} (rows "
                             "to skip with ignore_index are not replayed by ag.trace)")
        shifted = _shifted(logits, 1)  # z − max z: same softmax, no overflow
        e = np.exp(shifted)
        total = np.add.reduce(e, axis=1, keepdims=True)
        self.saved = (e / total,)  # softmax(z), for the backward of a plain pass
        # Σᵢ −log softmax(zᵢ)[cᵢ] = Σᵢ log Σₖ e^zᵢₖ − Σᵢ zᵢcᵢ (on the shifted z)
        picked = shifted[np.arange(len(labels)), labels]
        loss = np.add.reduce(np.log(total), axis=None) - np.add.reduce(picked)
        return loss / len(labels) if reduction == "mean" else loss

    def backward(self, grad, logits, labels, reduction):
        # softmax(z) as saved, or recomputed as a graph op when the gradient must itself
        # be differentiable (create_graph passes Tensors).
        p = Softmax.apply(logits, 1) if isinstance(logits, Tensor) else self.saved[0]
        onehot = np.zeros(p.shape, dtype=p.dtype)
        onehot[np.arange(len(labels)), labels] = 1
        scale = grad / len(labels) if reduction == "mean" else grad
        return (p - onehot) * scale, None, None


def cross_entropy(logits, labels, reduction="mean"):
    """Mean (or sum) cross-entropy of (n, C) logits against n integer labels in [0, C),
    which the caller has checked."""
    return CrossEntropy.apply(logits, labels, reduction)
