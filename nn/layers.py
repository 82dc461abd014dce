"""Layers: the affine map of S11 (``Linear``) and Dropout. The activations as modules are
in ``nn.activations``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import check_bool, check_integer, check_real
from autograd.ops import linear
from autograd.ops.dropout import dropout
from nn import functional as F
from nn import init
from nn.module import Module, new_parameter


class Linear(Module):
    """Affine layer, S11: u = W y + b for one column sample, i.e. ``x @ W.T + b`` for a
    batch ``x`` whose rows are samples.

    ``weight`` is the document's W_l, shape (out_features, in_features), entry (j, i)
    connecting input i to unit j; ``bias`` is b_l, shape (out_features,).

    Initialisation (PyTorch's default): every entry of W and b from
    U(−1/√in_features, 1/√in_features), drawn from the library-wide generator
    (``ag.manual_seed``). ``nn.MLP`` re-initialises for its activations.

    Parameters
    ----------
    in_features, out_features : int
        Positive sizes.
    bias : bool
        Whether to add b (``bias`` is None otherwise).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.in_features = check_integer("Linear", "in_features", in_features, low=1)
        self.out_features = check_integer("Linear", "out_features", out_features, low=1)
        check_bool("Linear", "bias", bias)
        bound = 1.0 / np.sqrt(self.in_features)
        shape = (self.out_features, self.in_features)
        self.weight = init.uniform(new_parameter("Linear", shape), -bound, bound)
        self.bias = (init.uniform(new_parameter("Linear", shape[:1]), -bound, bound)
                     if bias else None)

    def forward(self, x: Any) -> Tensor:
        x = F.as_tensor(x, "Linear")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"{self!r}: expected inputs with last dimension "
                             f"{self.in_features}, got shape {x.shape}")
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"{self.in_features}→{self.out_features}" + ("" if self.bias is not None
                                                           else ", bias=False")


class Dropout(Module):
    """Dropout, S19: in training, each entry is zeroed with probability p and the
    survivors are scaled by 1/(1 − p) ("inverted" dropout), so E[output] = input and
    evaluation needs no rescaling; after ``eval()`` it is the identity.

    The keep-masks are drawn from the library-wide generator (``ag.manual_seed``).

    Parameters
    ----------
    p : float
        Drop probability, 0 ≤ p < 1.
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = check_real("Dropout", "p", p, low=0, high=1, high_open=True)

    def forward(self, x: Any) -> Tensor:
        x = F.as_tensor(x, "Dropout")
        if not self.training or self.p == 0:
            return x
        return dropout(x, self.p)  # one op: its forward draws the mask (ag.trace replays it)

    def extra_repr(self) -> str:
        return f"p={self.p}"


#: Activation modules by the names ``nn.MLP`` accepts.
