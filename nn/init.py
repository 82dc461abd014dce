"""Initial values for weights, drawn in place from the library-wide generator.

Each function fills ``tensor.data`` in place (so a Parameter keeps its identity) and
returns the tensor. Random draws come from ``rng`` when given, else from
``autograd.get_generator()``, which ``ag.manual_seed`` reseeds. For a weight matrix W_l
of shape (units in l, units in l−1) (S11), fan_in is the number of columns (inputs per
unit) and fan_out the number of rows.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor, get_generator


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    """Write ``values`` into ``tensor`` in place; a graph built from its old values then
    refuses to backward (``mark_changed``) instead of using the new ones."""
    tensor.data[...] = values
    tensor.mark_changed()
    return tensor


def _fans(tensor: Tensor, name: str) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in)."""
    if tensor.ndim != 2:
        raise ValueError(f"{name}: needs a 2-D weight of shape (out, in), got shape {tensor.shape}")
    fan_out, fan_in = tensor.shape
    if fan_in == 0 or fan_out == 0:
        raise ValueError(f"{name}: weight of shape {tensor.shape} has no fan")
    return fan_in, fan_out


def zeros(tensor: Tensor) -> Tensor:
    """Fill with 0 (biases; the perceptron's starting point, S4)."""
    return _fill(tensor, 0)


def uniform(tensor: Tensor, low: float = 0.0, high: float = 1.0,
            rng: np.random.Generator | None = None) -> Tensor:
    """Fill with samples of U(low, high) — e.g. Linear's default W_l and b_l (S11) from
    U(−1/√fan_in, 1/√fan_in).

    Parameters
    ----------
    tensor : Tensor
        Filled in place.
    low, high : float
        The interval.
    rng : numpy.random.Generator, optional
        Defaults to the library-wide generator.
    """
    rng = rng or get_generator()
    return _fill(tensor, rng.uniform(low, high, tensor.shape))


def normal(tensor: Tensor, std: float = 1.0, rng: np.random.Generator | None = None) -> Tensor:
    """Fill with samples of N(0, std²) (weights W_l, S11)."""
    rng = rng or get_generator()
    return _fill(tensor, std * rng.standard_normal(tensor.shape))


def xavier_uniform(tensor: Tensor, gain: float = 1.0,
                   rng: np.random.Generator | None = None) -> Tensor:
    """Glorot & Bengio (2010), for sigmoid and tanh layers (S9, S10):
    U(−a, a) with a = gain · √(6 / (fan_in + fan_out)), so that the variance of the signal
    (forward) and of the gradient (backward, S15) stays roughly constant across layers.
    """
    fan_in, fan_out = _fans(tensor, "xavier_uniform")
    bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
    return uniform(tensor, -bound, bound, rng)


def xavier_normal(tensor: Tensor, gain: float = 1.0,
                  rng: np.random.Generator | None = None) -> Tensor:
    """Glorot normal: N(0, σ²) with σ = gain · √(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor, "xavier_normal")
    return normal(tensor, gain * np.sqrt(2.0 / (fan_in + fan_out)), rng)


def kaiming_uniform(tensor: Tensor, rng: np.random.Generator | None = None) -> Tensor:
    """He et al. (2015), for ReLU layers (S19): U(−a, a) with a = √(6 / fan_in), i.e.
    variance 2 / fan_in, which makes up for ReLU zeroing half of its inputs."""
    fan_in, _ = _fans(tensor, "kaiming_uniform")
    bound = np.sqrt(6.0 / fan_in)
    return uniform(tensor, -bound, bound, rng)


def kaiming_normal(tensor: Tensor, rng: np.random.Generator | None = None) -> Tensor:
    """He normal: N(0, σ²) with σ = √(2 / fan_in) (ReLU layers, S19)."""
    fan_in, _ = _fans(tensor, "kaiming_normal")
    return normal(tensor, np.sqrt(2.0 / fan_in), rng)
