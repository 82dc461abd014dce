"""The losses as modules, with PyTorch's names and arguments: ``loss_fn =
nn.CrossEntropyLoss()`` then ``loss = loss_fn(logits, labels)``. Each calls its
``nn.functional`` twin (``nn.losses``), whose docstring states the formula."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class Loss(Module):
    """A parameter-free module holding a loss's options; ``forward(input, target)``."""

    def __init__(self, reduction: str = "mean", weight: Any = None) -> None:
        super().__init__()
        if weight is not None:
            raise NotImplementedError(f"{type(self).__name__}: per-class weight= is not "
                                      "supported; weight the per-entry losses of "
                                      "reduction='none' yourself")
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(Loss):
    """Squared error (y − t)², reduced: ``F.mse_loss`` (S12 is ``reduction="half_sum"``)."""

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.mse_loss(input, target, self.reduction)


class L1Loss(Loss):
    """Absolute error |y − t|, reduced: ``F.l1_loss``."""

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.l1_loss(input, target, self.reduction)


class CrossEntropyLoss(Loss):
    """Cross-entropy of softmax(logits) against class labels or probabilities:
    ``F.cross_entropy`` (its gradient is softmax − onehot, S10's δ = y − t)."""

    def __init__(self, weight: Any = None, *, ignore_index: int = -100,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction, weight)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.cross_entropy(input, target, self.reduction, ignore_index=self.ignore_index,
                               label_smoothing=self.label_smoothing)


class NLLLoss(Loss):
    """Negative log-likelihood of class labels from log-probabilities: ``F.nll_loss``
    (after ``nn.LogSoftmax(dim=1)`` it is the cross-entropy)."""

    def __init__(self, weight: Any = None, *, ignore_index: int = -100,
                 reduction: str = "mean") -> None:
        super().__init__(reduction, weight)
        self.ignore_index = ignore_index

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.nll_loss(input, target, self.reduction, ignore_index=self.ignore_index)


class BCELoss(Loss):
    """Binary cross-entropy of probabilities: ``F.binary_cross_entropy`` (S7)."""

    def __init__(self, weight: Any = None, *, reduction: str = "mean") -> None:
        super().__init__(reduction, weight)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy(input, target, self.reduction)


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy of sigmoid(logits), computed from the logits:
    ``F.binary_cross_entropy_with_logits`` (gradient S(z) − t, S9)."""

    def __init__(self, weight: Any = None, *, reduction: str = "mean",
                 pos_weight: Any = None) -> None:
        super().__init__(reduction, weight)
        if pos_weight is not None:
            raise NotImplementedError("BCEWithLogitsLoss: pos_weight= is not supported")

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, self.reduction)
