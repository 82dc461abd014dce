"""One voice for user errors: "op: what is wrong (the values or shapes at fault)".

Every public entry point that checks its arguments uses these helpers, so that
``SGD(lr="0.1")``, ``Dropout(1.5)`` and ``fit(X=...)`` with a NaN row all read the same
way. A value of the wrong type is a ``TypeError``, a value of the right type that is out of
range (or not finite) a ``ValueError``; both are raised before anything changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np


def shown(value: Any) -> str:
    """``value`` as an error message quotes it: its repr, with the type when that is not
    obvious from the repr (``'0.1' (str)``)."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    if isinstance(value, bool | int | float):
        return text
    return f"{text} ({type(value).__name__})"


def _is_real(value: Any) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool | np.bool_))


def _range_text(low: float | None, high: float | None, low_open: bool, high_open: bool
                ) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    return " and ".join(parts)


def check_real(op: str, name: str, value: Any, *, low: float | None = None,
               high: float | None = None, low_open: bool = False, high_open: bool = False
               ) -> float:
    """``value`` as a float, after checking that it is a real number (not a bool or a
    string), finite, and within the bounds (``low_open``/``high_open`` exclude them)."""
    real = _is_real(value)
    number = float(value) if real else math.nan
    outside = (not math.isfinite(number)
               or (low is not None and (number <= low if low_open else number < low))
               or (high is not None and (number >= high if high_open else number > high)))
    if outside:  # the message is written only when it is needed (optimizers check per step)
        bounds = _range_text(low, high, low_open, high_open)
        wanted = f"a finite number{' ' + bounds if bounds else ''}"
        raise (ValueError if real else TypeError)(
            f"{op}: {name} must be {wanted}, got {shown(value)}")
    return number


def check_integer(op: str, name: str, value: Any, *, low: int | None = None) -> int:
    """``value`` as an int, after checking that it is an integer (not a bool or a float)
    and at least ``low``."""
    wanted = "an integer" + (f" >= {low}" if low is not None else "")
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{op}: {name} must be {wanted}, got {shown(value)}")
    if low is not None and value < low:
        raise ValueError(f"{op}: {name} must be {wanted}, got {shown(value)}")
    return int(value)


def check_bool(op: str, name: str, value: Any) -> bool:
    """``value`` after checking that it is True or False."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{op}: {name} must be True or False, got {shown(value)}")
    return bool(value)


def check_choice(op: str, name: str, value: Any, choices: tuple[str, ...]) -> str:
    """``value`` after checking that it is one of ``choices`` (listed in the message)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{op}: {name} must be one of {', '.join(map(repr, choices))}, "
                         f"got {shown(value)}")
    return value


def check_finite_rows(op: str, name: str, array: np.ndarray) -> None:
    """Raise ``ValueError`` naming the first row (sample) of ``array`` that holds NaN or
    ±inf — its entry for a 1-D array — and the first such value in it; arrays that are
    not floating pass unchecked."""
    if array.dtype.kind not in "fc" or array.size == 0:
        return
    finite = np.isfinite(array)
    if finite.all():
        return
    index = np.unravel_index(int(np.argmin(finite)), array.shape)
    where = {0: "the value", 1: f"entry {index[0]}"}.get(array.ndim, f"row {index[0]}")
    if array.ndim >= 2:
        where += f", column {', '.join(map(str, index[1:]))}"
    raise ValueError(f"{op}: {name} must be finite, but {where} is {array[index].item()!r}")


@contextmanager
def allocating(op: str) -> Iterator[None]:
    """Inside the block, a size no memory holds is a RuntimeError naming ``op`` with
    NumPy's account of it (the bytes, the shape, the dtype), as PyTorch's allocator
    reports it, instead of NumPy's MemoryError."""
    try:
        yield
    except MemoryError as error:
        raise RuntimeError(f"{op}: {error}") from None
