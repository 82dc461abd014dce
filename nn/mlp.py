"""The multilayer perceptron of S11: Linear layers, each followed by an activation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from autograd import Tensor
from nn import init
from nn.activations import ACTIVATIONS, Identity, ReLU
from nn.layers import Linear
from nn.module import Module, ModuleList


def activation_factory(spec: str | Module, role: str) -> Callable[[], Module]:
    """What makes the activation ``spec``: its class, for a name; for a Module instance,
    a function returning that instance. Unknown names raise at once."""
    if isinstance(spec, Module):
        return lambda: spec
    if isinstance(spec, str) and spec in ACTIVATIONS:
        return ACTIVATIONS[spec]
    raise ValueError(f"MLP: unknown {role} {spec!r}; valid names: "
                     f"{', '.join(ACTIVATIONS)} (or a Module instance)")


class MLP(Module):
    """A fully connected network, S11: y_0 = x, u_l = W_l y_{l−1} + b_l, y_l = f_l(u_l).

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first: ``[3, 3, 3]`` is 3 inputs, one hidden layer of 3
        units, 3 outputs (at least two entries).
    activation : str or Module
        f of the hidden layers, by name (``"sigmoid"``, ``"tanh"``, ``"relu"``,
        ``"identity"``, ``"softmax"``, ``"sign"``, ``"step"``) or a Module instance (the
        same instance is then applied after every hidden layer).
    output_activation : str, Module or None
        f of the output layer; None keeps it linear (logits, for ``cross_entropy``). The
        document's network, which applies f at the output too, is
        ``output_activation="sigmoid"``.

    Attributes
    ----------
    layers : ModuleList of Linear
        ``layers[l − 1]`` holds W_l and b_l; parameters are named ``layers.0.weight`` ….
    activations : ModuleList
        The f after each Linear (``Identity`` for a linear output); built-in ones carry
        their name in ``.name``.

    Initialisation: each weight matrix is drawn for the activation that follows it — He
    uniform (``init.kaiming_uniform``) before ReLU, Glorot uniform
    (``init.xavier_uniform``) before anything else — and every bias starts at 0.
    """

    def __init__(self, sizes: Sequence[int], activation: str | Module = "sigmoid",
                 output_activation: str | Module | None = None) -> None:
        super().__init__()
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(n, int | np.integer) and n > 0 for n in sizes):
            raise ValueError(f"MLP: sizes must list at least two positive integers (inputs, "
                             f"…, outputs), got {sizes!r}")
        make_hidden = activation_factory(activation, "activation")
        output = (Identity() if output_activation is None
                  else activation_factory(output_activation, "output_activation")())
        self.sizes = [int(n) for n in sizes]
        self.layers = ModuleList(Linear(n_in, n_out) for n_in, n_out in pairwise(sizes))
        self.activations = ModuleList([*(make_hidden() for _ in sizes[2:]), output])
        for layer, f in zip(self.layers, self.activations, strict=True):
            if isinstance(f, ReLU):
                init.kaiming_uniform(layer.weight)
            else:
                init.xavier_uniform(layer.weight)
            init.zeros(layer.bias)

    def forward(self, x: Any) -> Tensor:
        for layer, f in zip(self.layers, self.activations, strict=True):
            x = f(layer(x))
        return x

    def notation(self, output: Tensor) -> dict[str, Any]:
        """The document's notation for the graph behind ``output`` (S11, S12), which
        ``ag.draw``, ``ag.explain`` and ``ag.animate`` read when the forward ran inside
        ``ag.record_modules(model)``: ``names`` (x, W1, b1, u1, y1, …, t, E), the column
        ``formulas`` of each layer's ops, and ``loss``, the title of the loss's node."""
        from nn.naming import document_names, layer_formulas, loss_title

        names = document_names(self, output)
        return {"names": names, "formulas": layer_formulas(names),
                "loss": loss_title(output, names)}
