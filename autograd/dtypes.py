"""The default floating dtype for tensors built from Python numbers and lists."""

from __future__ import annotations

import numpy as np

_default_dtype = np.dtype(np.float64)


def set_default_dtype(dtype) -> None:
    """Set the floating dtype used for Python floats and lists (float64 at start)."""
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: only floating dtypes are allowed, got {dtype}")
    _default_dtype = dtype


def get_default_dtype() -> np.dtype:
    """The floating dtype used for Python floats and lists."""
    return _default_dtype
