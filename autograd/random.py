"""The one library-wide random generator: ``randn``, parameter initialisation, Dropout and
data shuffling all draw from it, so ``manual_seed`` makes a whole run reproducible."""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the library-wide generator and return it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def get_generator() -> np.random.Generator:
    """The library-wide generator (reseeded by ``manual_seed``)."""
    return _generator
