"""Our layers beside ``torch.nn``'s: the one table ``to_torch`` reads for a Sequential
and ``from_torch`` reads the other way.

Each row is our class, the ``torch.nn`` class's name, the options as ``(our attribute,
PyTorch's)`` pairs, and the settings of PyTorch's a layer must have for the two to
compute the same thing (PyTorch's GELU also offers a tanh approximation; ours is exact).
Linear, whose weights are copied, is handled beside the table.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from nn.activations import (
    ELU,
    GELU,
    Flatten,
    Hardtanh,
    Identity,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from nn.layers import Dropout, Linear
from nn.module import Module


class Layer(NamedTuple):
    ours: type
    torch_name: str
    options: tuple[tuple[str, str], ...] = ()
    required: tuple[tuple[str, Any], ...] = ()


LAYERS = (
    Layer(Identity, "Identity"), Layer(Sigmoid, "Sigmoid"), Layer(Tanh, "Tanh"),
    Layer(ReLU, "ReLU"), Layer(SiLU, "SiLU"), Layer(LogSigmoid, "LogSigmoid"),
    Layer(GELU, "GELU", required=(("approximate", "none"),)),
    Layer(Softmax, "Softmax", (("axis", "dim"),)),
    Layer(LogSoftmax, "LogSoftmax", (("axis", "dim"),)),
    Layer(Dropout, "Dropout", (("p", "p"),)),
    Layer(LeakyReLU, "LeakyReLU", (("negative_slope", "negative_slope"),)),
    Layer(ELU, "ELU", (("alpha", "alpha"),)),
    Layer(Softplus, "Softplus", (("beta", "beta"), ("threshold", "threshold"))),
    Layer(Hardtanh, "Hardtanh", (("min_val", "min_val"), ("max_val", "max_val"))),
    Layer(Flatten, "Flatten", (("start_dim", "start_dim"), ("end_dim", "end_dim"))),
)

#: The layers a Sequential is copied from, one to one (exact types: a subclass may
#: compute something else in its ``forward``).
LEAVES = (Linear, *(layer.ours for layer in LAYERS))


def layer_to_torch(torch: Any, module: Module) -> Any:
    """The ``torch.nn`` module computing what ``module`` (a type in ``LEAVES``) does;
    Linear's W (out, in — PyTorch's layout too, S11) and b copied, dtype included."""
    if type(module) is Linear:
        weight = torch.from_numpy(module.weight.data.copy())
        linear = torch.nn.Linear(module.in_features, module.out_features,
                                 bias=module.bias is not None, dtype=weight.dtype)
        with torch.no_grad():
            linear.weight.copy_(weight)
            if module.bias is not None:
                linear.bias.copy_(torch.from_numpy(module.bias.data.copy()))
        return linear
    (layer,) = (layer for layer in LAYERS if layer.ours is type(module))
    return getattr(torch.nn, layer.torch_name)(
        **{theirs: getattr(module, ours) for ours, theirs in layer.options})


def layer_from_torch(torch: Any, module: Any, path: str) -> Module:
    """Our layer computing what the ``torch.nn`` ``module`` at ``path`` does, or a
    ValueError naming it and what we translate."""
    if type(module) is torch.nn.Linear:
        ours = Linear(module.in_features, module.out_features, bias=module.bias is not None)
        ours.weight.data = module.weight.detach().numpy().copy()
        if module.bias is not None:
            ours.bias.data = module.bias.detach().numpy().copy()
        return ours
    for layer in LAYERS:
        if type(module) is getattr(torch.nn, layer.torch_name):
            wrong = [f"{name}={getattr(module, name)!r}" for name, value in layer.required
                     if getattr(module, name) != value]
            options = {ours: getattr(module, theirs) for ours, theirs in layer.options}
            if wrong or None in options.values():
                raise ValueError(f"from_torch: {layer.torch_name} at {path!r} has "
                                 f"{', '.join(wrong) or options}, which "
                                 f"nn.{layer.ours.__name__} does not compute")
            return layer.ours(**options)
    names = ", ".join(["Linear", *(layer.torch_name for layer in LAYERS)])
    raise ValueError(f"from_torch: cannot translate {type(module).__name__} at {path!r}; "
                     f"supported torch.nn layers: {names}")
