"""Devices as PyTorch names them, for code written with device boilerplate: everything here
runs on the CPU, with NumPy. ``device("cpu")``, ``device=`` on constructors and
``.to(device)`` are accepted; asking for another device raises, naming it."""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from autograd.errors import shown


class device:
    """A device; only ``"cpu"`` (or ``"cpu:0"``) exists. Compares equal to ``"cpu"``."""

    __slots__ = ("index", "type")

    def __init__(self, type: str | device = "cpu", index: int | None = None) -> None:
        name = type.type if isinstance(type, device) else type
        if not isinstance(name, str):
            raise TypeError(f"device: expected a name such as 'cpu', got {shown(type)}")
        kind, _, number = name.partition(":")
        if kind != "cpu" or number not in ("", "0") or index not in (None, 0):
            raise RuntimeError(f"device: {name!r}{'' if index is None else f' {index}'} is not "
                               "available; this library runs on the CPU only "
                               "(ag.cuda.is_available() is False), so use 'cpu'")
        self.type, self.index = "cpu", None

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, device | str) and str(other) == "cpu"

    __hash__ = object.__hash__

    def __str__(self) -> str:
        return "cpu"

    def __repr__(self) -> str:
        return "device(type='cpu')"


CPU = device("cpu")
Device = device  # the class, under a name that a ``device=`` argument does not hide


def check(where: Any, op: str) -> device:
    """The device ``where`` names (None: the CPU), or an error naming it."""
    if where is None or where is CPU:
        return CPU
    try:
        return device(where)
    except RuntimeError as error:
        raise RuntimeError(f"{op}: {error}") from None


def _false(*args: Any) -> bool:
    return False


#: ``ag.cuda.is_available()`` is False (no GPU here), as is ``device_count()`` 0.
cuda = types.SimpleNamespace(is_available=_false, device_count=lambda: 0)
#: ``ag.accelerator.is_available()`` is False (the newer tutorials ask this instead).
accelerator = types.SimpleNamespace(is_available=_false, current_accelerator=lambda: None)
#: ``ag.backends.mps.is_available()`` is False (the older tutorials' Apple-GPU check).
backends = types.SimpleNamespace(mps=types.SimpleNamespace(is_available=_false))


def to(tensor: Any, *args: Any, dtype: Any = None, device: Any = None,
       non_blocking: bool = False, copy: bool = False) -> Any:
    """``t.to(device)``, ``t.to(dtype)``, ``t.to(device, dtype)``, ``t.to(other)`` (other's
    dtype), as PyTorch: ``t`` itself when nothing changes (unless ``copy``), else a cast
    that stays in the graph."""
    from autograd.ops.shape import astype  # the ops build on Tensor, which imports us
    from autograd.tensor import Tensor
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg.dtype
        elif isinstance(arg, str | Device):
            device = arg
        else:
            dtype = arg
    check(device, "to")
    if dtype is None or np.dtype(dtype) == tensor.dtype:
        return tensor.clone() if copy else tensor
    return astype(tensor, dtype)
