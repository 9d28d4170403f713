"""What the simulators of :mod:`opsfirst.simulation` share: settings, random draws, busy time.

Checking settings that must be one number each (:func:`single_settings`) or one value per
interval (:func:`per_interval`), drawing Poisson arrivals (:func:`poisson_arrivals`) and
handling times (:func:`handle_times`), and adding up the agent time spent handling in each
window (:func:`busy_seconds`). Not part of the public API: the names are public so that the
simulator modules can share them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _inputs


def single_settings(named: dict[str, Any], hint: str = "") -> dict[str, float]:
    """Check single-number settings and return them as floats."""
    for name, value in named.items():
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number; got an array{hint}")
    arrays, _ = _inputs.check(**named)
    return {name: float(a) for name, a in zip(named, arrays)}


def per_interval(hint_length: int | None = None, **named: Any) -> list[np.ndarray]:
    """Check per-interval arrays (single numbers are repeated) and give them one length."""
    arrays, _ = _inputs.check(**{k: np.atleast_1d(v) for k, v in named.items()})
    if hint_length is not None:
        arrays = [np.broadcast_to(a, (max(hint_length, a.size),)) if a.size == 1 else a
                  for a in arrays]
        arrays = _inputs.broadcast(**dict(zip(named, arrays)))
    return [np.ascontiguousarray(a) for a in arrays]


def poisson_arrivals(rng: np.random.Generator, rate: np.ndarray, interval: float) -> np.ndarray:
    """Sorted Poisson arrival times at ``rate[k]`` per interval in interval k."""
    counts = rng.poisson(rate)
    which = np.repeat(np.arange(rate.size), counts)
    return np.sort((which + rng.random(which.size)) * interval)


def handle_times(rng: np.random.Generator, aht: np.ndarray, handle_cv: float | None) -> np.ndarray:
    """Handling times with mean ``aht``: exponential, or lognormal with coefficient of variation."""
    if handle_cv is None:
        return rng.exponential(aht)
    sigma2 = math.log1p(handle_cv**2)
    return rng.lognormal(np.log(aht) - sigma2 / 2, math.sqrt(sigma2))


def busy_seconds(starts: np.ndarray, ends: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Agent-seconds of handling inside each window [edges[k], edges[k+1])."""
    s, e = np.sort(starts), np.sort(ends)
    cs, ce = np.concatenate([[0.0], np.cumsum(s)]), np.concatenate([[0.0], np.cumsum(e)])
    ks, ke = np.searchsorted(s, edges), np.searchsorted(e, edges)
    # busy time before b = sum over started calls of (b - start) - sum over ended calls of (b - end)
    before = (ks * edges - cs[ks]) - (ke * edges - ce[ke])
    return np.diff(before)
