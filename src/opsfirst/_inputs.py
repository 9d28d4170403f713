"""Checking arguments at the door.

Every public function in opsfirst checks its input here first, so that a manager who types a
wrong number gets a ``ValueError`` naming the argument, the value, where it sits in an array,
and what is allowed, instead of a NaN or a traceback from deep inside numpy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _show(value: float) -> str:
    """A value as a person would type it: 14 not 14.0, nan, inf."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _where(shape: tuple[int, ...], flat_index: int) -> str:
    if not shape:
        return ""
    position = np.unravel_index(flat_index, shape)
    if len(shape) == 1:
        return f" (row {int(position[0])})"
    return f" (at position {tuple(int(p) for p in position)})"


def number(
    name: str,
    value: Any,
    *,
    allowed: str,
    low: float | None = None,
    low_open: bool = False,
    high: float | None = None,
    high_open: bool = False,
    whole: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float64 array, or raise ValueError naming ``name``.

    ``allowed`` says in plain words what the argument may be; it ends the message.
    NaN and infinity are always refused.
    """
    try:
        array = np.asarray(value)
    except Exception as error:  # a ragged list, say
        raise ValueError(f"{name} must be {allowed}; got {value!r}") from error
    if array.dtype.kind == "b" or array.dtype.kind not in "iufO":
        raise ValueError(f"{name} must be {allowed}; got {value!r}, which is not a number")
    try:
        array = array.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be {allowed}; got {value!r}, which is not a number") from error
    bad = ~np.isfinite(array)
    with np.errstate(invalid="ignore"):
        if low is not None:
            bad |= (array <= low) if low_open else (array < low)
        if high is not None:
            bad |= (array >= high) if high_open else (array > high)
        if whole:
            bad |= array != np.floor(array)
    if bad.any():
        first = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(
            f"{name} must be {allowed}; got {_show(array.ravel()[first])}{_where(array.shape, first)}"
        )
    return array


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast named arrays together, or say which ones do not fit."""
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {np.shape(a)}" for name, a in arrays.items() if np.ndim(a))
        raise ValueError(
            f"these arguments have shapes that do not fit together: {shapes}; "
            "give single numbers or arrays of the same length"
        ) from None


def is_scalar(*values: Any) -> bool:
    """True when every input is a single number, so the answer should be one too."""
    return all(np.ndim(v) == 0 for v in values)


def plain(result: np.ndarray, scalar: bool, kind: type = float) -> Any:
    """A plain Python int/float for scalar input, a numpy array otherwise."""
    if scalar:
        return kind(np.asarray(result).reshape(()))
    if kind is int:
        return np.asarray(result).astype(np.int64)
    return np.asarray(result, dtype=np.float64)
