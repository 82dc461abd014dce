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


#: PyTorch's tensor-type names (``t.type()``) for each dtype, and back.
TYPE_NAMES = {np.dtype(np.float16): "HalfTensor", np.dtype(np.float32): "FloatTensor",
              np.dtype(np.float64): "DoubleTensor", np.dtype(np.uint8): "ByteTensor",
              np.dtype(np.int8): "CharTensor", np.dtype(np.int16): "ShortTensor",
              np.dtype(np.int32): "IntTensor", np.dtype(np.int64): "LongTensor",
              np.dtype(np.bool_): "BoolTensor"}
_BY_TYPE_NAME = {name: dtype for dtype, name in TYPE_NAMES.items()}


def type_name(dtype: np.dtype) -> str:
    """``t.type()``: ``"autograd.DoubleTensor"`` for float64, as PyTorch's
    ``"torch.DoubleTensor"``."""
    return "autograd." + TYPE_NAMES.get(np.dtype(dtype), f"{np.dtype(dtype)}Tensor")


def from_type(dtype) -> np.dtype:
    """A dtype given as a NumPy/``ag`` dtype or as a tensor-type name (``"torch.FloatTensor"``,
    ``"autograd.LongTensor"``)."""
    if isinstance(dtype, str) and dtype.rpartition(".")[2] in _BY_TYPE_NAME:
        return _BY_TYPE_NAME[dtype.rpartition(".")[2]]
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(f"type: {dtype!r} is not a dtype or a tensor-type name such as "
                        "'torch.FloatTensor'") from None
