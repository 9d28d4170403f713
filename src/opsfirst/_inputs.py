"""Checking arguments at the door.

Every public function in opsfirst checks its input here first, so that a manager who types a
wrong number gets a ``ValueError`` naming the argument, the value, where it sits in an array,
and what is allowed, instead of a NaN or a traceback from deep inside numpy. The default
interval length, :data:`INTERVAL`, is defined here once for every module.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

INTERVAL = 1800
"""Seconds in an interval: half an hour (the default ``interval`` everywhere in opsfirst)."""


def show(value: float) -> str:
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
            f"{name} must be {allowed}; got {show(array.ravel()[first])}{_where(array.shape, first)}"
        )
    return array


# What each argument of the library may be, in the words of the error message. Shared by every
# module, so an argument means the same thing (and is refused the same way) everywhere.
RULES = {
    "agents": dict(low=0, whole=True, allowed="a whole number of agents, 0 or more "
                   "(round a fractional requirement up with math.ceil)"),
    "calls": dict(low=0, allowed="the number of calls offered in the interval, 0 or more"),
    "aht": dict(low=0, low_open=True, allowed="the average handling time in seconds, more than 0 "
                "(talk + hold + after-call work; 180 for three minutes)"),
    "traffic": dict(low=0, allowed="the offered load in Erlangs, 0 or more "
                    "(calls x AHT / interval)"),
    "target_time": dict(low=0, allowed="the answer-time target in seconds, 0 or more "
                        "(20 for an 80/20 target)"),
    "interval": dict(low=0, low_open=True, allowed="the interval length in seconds, more than 0 "
                     "(1800 for half an hour)"),
    "target_service_level": dict(low=0, low_open=True, high=1, high_open=True,
                                 allowed="a fraction above 0 and below 1, e.g. 0.8 for 80% "
                                 "(100% cannot be reached when calls arrive at random)"),
    "max_occupancy": dict(low=0, low_open=True, high=1,
                          allowed="a fraction above 0 and at most 1, e.g. 0.85 for 85%"),
    "shrinkage": dict(low=0, high=1, high_open=True,
                      allowed="a fraction from 0 up to but not including 1, e.g. 0.3 for 30%"),
    "patience": dict(low=0, low_open=True, allowed="the average time callers wait before they "
                     "hang up, in seconds, more than 0 and finite"),
    "intervals": dict(low=1, whole=True, allowed="a whole number of intervals, 1 or more"),
    "warm_up": dict(low=0, allowed="seconds at the start that are simulated but not measured, 0 or "
                    "more"),
    "short_abandon": dict(low=0, allowed="seconds within which a hang-up counts as a short "
                          "abandon, 0 or more"),
    "handle_cv": dict(low=0, low_open=True, allowed="the coefficient of variation of handling "
                      "times (standard deviation / mean), more than 0, e.g. 0.6"),
    "max_abandon": dict(low=0, low_open=True, high=1, high_open=True,
                        allowed="a fraction above 0 and below 1, e.g. 0.05 for 5% of calls "
                        "abandoned"),
    "concurrency": dict(low=1, whole=True, allowed="a whole number of chats one agent may hold at "
                        "once, 1 or more (typically 2 to 4)"),
    "slowdown": dict(low=0, allowed="the extra handling time per extra chat held, as a fraction, 0 "
                     "or more (0.25: each chat takes 25% longer for every other chat held)"),
    "chats": dict(low=0, allowed="the number of chats offered in the interval, 0 or more"),
    "emails": dict(low=0, allowed="the number of emails arriving in the interval, 0 or more"),
    "pacing": dict(low=1, allowed="the calls dialled per free agent, 1 or more (1 is progressive "
                   "dialling: never more calls than free agents)"),
}


def check(**named: Any) -> tuple[list[np.ndarray], bool]:
    """Check each named argument against its rule, broadcast them, flag single-number input."""
    arrays = {name: number(name, value, **RULES[name]) for name, value in named.items()}
    return broadcast(**arrays), is_scalar(*named.values())


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
