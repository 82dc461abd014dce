"""Shared hypothesis strategies: shapes (0-d and size-1 included), broadcastable pairs,
bounded float64 arrays, reduction arguments, index expressions, and whole networks in the
document's notation for the nn.backprop tests."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nn import backprop as bp

MAX_SIDE = 4


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1,
           max_side: int = MAX_SIDE) -> st.SearchStrategy[tuple[int, ...]]:
    """Array shapes from 0-d up to ``max_dims`` axes; sides of 1 are common."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def arrays(shape, lo: float = -2.0, hi: float = 2.0) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``shape`` (a shape or a strategy of shapes) with entries in [lo, hi]."""
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi))


def positive_arrays(shape, lo: float = 0.2, hi: float = 3.0) -> st.SearchStrategy[np.ndarray]:
    """Entries in [lo, hi]: the domain of log, sqrt and of a base raised to a real power."""
    return arrays(shape, lo, hi)


def nonzero_arrays(shape, lo: float = 0.1, hi: float = 2.0) -> st.SearchStrategy[np.ndarray]:
    """Entries with lo ≤ |x| ≤ hi: away from the kinks of relu and abs, and from 1/0."""
    magnitude = st.floats(lo, hi)
    return hnp.arrays(np.float64, shape,
                      elements=st.one_of(magnitude, magnitude.map(lambda v: -v)))


@st.composite
def distinct_arrays(draw, shape, spacing: float = 0.25) -> np.ndarray:
    """Entries pairwise at least ``spacing`` apart (no ties, so max/min are differentiable
    under a finite-difference step), in random order."""
    shape = draw(shape) if isinstance(shape, st.SearchStrategy) else shape
    size = int(np.prod(shape))
    order = draw(st.permutations(range(size)))
    offset = draw(st.floats(-1.0, 1.0))
    return ((np.array(order, dtype=np.float64) - size / 2) * spacing + offset).reshape(shape)


def broadcast_pairs(min_dims: int = 0, max_dims: int = 3,
                    max_side: int = 3) -> st.SearchStrategy[tuple[tuple, tuple]]:
    """Two shapes that broadcast together, either one possibly the smaller or 0-d."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=min_dims, max_dims=max_dims, max_side=max_side
    ).map(lambda s: s.input_shapes)


@st.composite
def axes(draw, ndim: int):
    """An ``axis`` argument for a reduction over ``ndim`` axes: None, an int (possibly
    negative) or a tuple of distinct axes (possibly empty)."""
    if ndim == 0:
        return draw(st.sampled_from([None, ()]))
    single = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).map(
        lambda picked: tuple(a - ndim if a % 2 else a for a in picked))
    return draw(st.one_of(st.none(), single, several))


@st.composite
def array_and_axis(draw, elements=None, min_side=1):
    """A reduction's arguments: an array (``arrays`` unless ``elements`` is given), an
    ``axis`` for it and a ``keepdims`` flag."""
    shape = draw(shapes(min_side=min_side))
    x = draw(elements(shape) if elements else arrays(shape))
    return x, draw(axes(len(shape))), draw(st.booleans())


@st.composite
def reshape_targets(draw, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape with the same number of entries (possibly with one -1)."""
    size = int(np.prod(shape))
    factors: list[int] = []
    rest = size
    while rest > 1:
        divisor = draw(st.sampled_from([d for d in range(2, rest + 1) if rest % d == 0]))
        factors.append(divisor)
        rest //= divisor
    factors += [1] * draw(st.integers(0, 2))
    target = draw(st.permutations(factors))
    if target and draw(st.booleans()):
        position = draw(st.integers(0, len(target) - 1))
        target = [*target[:position], -1, *target[position + 1:]]
    return tuple(target)


def basic_indices(shape: tuple[int, ...]):
    """Ints, slices (any step), None and Ellipsis: each entry selected at most once."""
    return hnp.basic_indices(shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True)


@st.composite
def repeated_int_indices(draw, shape: tuple[int, ...]) -> np.ndarray:
    """An integer array along the first axis, with repeats and negative positions."""
    n = shape[0]
    positions = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=8))
    return np.array(positions).reshape(draw(st.sampled_from([(-1,), (1, -1)])))


def index_expressions(shape: tuple[int, ...]):
    """Any index this library supports for an array of ``shape``: basic indices, integer
    arrays on every axis or on the first (repeats included), and boolean masks."""
    choices = [basic_indices(shape)]
    if shape and 0 not in shape:
        choices += [
            hnp.integer_array_indices(shape, result_shape=shapes(1, 2, max_side=3)),
            repeated_int_indices(shape),
            hnp.arrays(np.bool_, shape),
            hnp.arrays(np.bool_, shape[:1]),
        ]
    return st.one_of(*choices)


@st.composite
def matmul_shapes(draw) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Operand shapes for ``@``: vector and matrix cases and broadcast batches."""
    n, k, m, b = (draw(st.integers(1, 3)) for _ in range(4))
    return draw(st.sampled_from([
        ((k,), (k,)), ((k,), (k, m)), ((n, k), (k,)), ((n, k), (k, m)),
        ((b, n, k), (k, m)), ((n, k), (b, k, m)), ((b, n, k), (1, k, m)),
        ((k,), (b, k, m)), ((b, n, k), (k,)),
    ]))


class Net(NamedTuple):
    W: list
    b: list
    f: list
    x: np.ndarray
    t: np.ndarray       # target columns (one-hot for cross-entropy)
    labels: np.ndarray  # the integer labels behind a one-hot t (else empty)


@st.composite
def networks(draw, hidden=bp.ELEMENTWISE, output=None, loss="half_sum", min_outputs=1):
    """A random network in the document's lists: depth 1–5, widths 1–8, batch 1–6, one
    activation per layer drawn from ``hidden`` (the last from ``output`` if given), float64,
    with every ReLU pre-activation at least 1e-3 away from the kink at 0."""
    depth = draw(st.integers(1, 5))
    sizes = [draw(st.integers(1, 8)) for _ in range(depth)]
    sizes.append(draw(st.integers(min_outputs, 8)))
    f = [None] + [draw(st.sampled_from(hidden)) for _ in range(depth)]
    if output is not None:
        f[-1] = output
    batch = draw(st.integers(1, 6))
    scale = draw(st.sampled_from([0.3, 1.0, 2.5]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    W = [None] + [scale * rng.standard_normal((sizes[l], sizes[l - 1]))
                  for l in range(1, depth + 1)]
    b = [None] + [rng.standard_normal((sizes[l], 1)) for l in range(1, depth + 1)]
    x = rng.standard_normal((sizes[0], batch))
    u, _ = bp.forward(W, b, f, x)
    assume(all(np.abs(u[l]).min() > 1e-3 for l in range(1, depth + 1) if f[l] == "relu"))
    if loss == "cross_entropy":
        labels = rng.integers(0, sizes[-1], size=batch)
        return Net(W, b, f, x, bp.one_hot(labels, sizes[-1]), labels)
    return Net(W, b, f, x, rng.standard_normal((sizes[-1], batch)), np.array([], dtype=int))


def close(a: np.ndarray, b: np.ndarray, rtol: float) -> bool:
    """max |a − b| ≤ rtol · max(1, max |b|): relative for large arrays, absolute near 0."""
    return a.shape == b.shape and np.max(np.abs(a - b)) <= rtol * max(1.0, np.max(np.abs(b)))
