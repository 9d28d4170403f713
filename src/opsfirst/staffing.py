"""Staffing maths for one queue of calls: Erlang B, Erlang C and Erlang A.

Units, the same in every function:

* ``calls`` -- calls offered in one interval (a forecast may be fractional);
* ``aht``, ``target_time``, ``patience``, ``interval`` -- seconds; ``interval`` defaults to
  1800 s (half an hour);
* ``agents`` -- agents logged in and taking calls (whole numbers);
* fractions (service level, occupancy, shrinkage) -- between 0 and 1, never percent.

Every function accepts single numbers or arrays (a week of intervals in one call) and
broadcasts them. A single-number call returns a plain Python ``int`` or ``float``; an array
call returns a numpy array.

The numbers are exact to float64 round-off for any size of centre: Erlang B comes from its
stable recursion (no factorials, no powers that overflow). The recursion does not start from
0 agents: at the load it starts from B computed directly, and below the load a safe distance
down, so staffing a 100,000-agent interval takes about 25 steps, not 100,000.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import special

from . import _inputs
from ._inputs import INTERVAL  # re-exported: opsfirst.staffing.INTERVAL

__all__ = [
    "INTERVAL",
    "traffic_intensity",
    "erlang_b",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "occupancy",
    "agents_required",
    "staffing_plan",
    "StaffingPlan",
    "erlang_a",
    "ErlangAResult",
    "scheduled_staff",
]

# Below the offered load A the Erlang B recursion starts 12 sqrt(A) agents early: it shrinks
# any relative error in its starting value by the factor prod(1 - B(k)) over the steps it
# takes, and over 12 sqrt(A) steps below A that product is below exp(-72), so a starting
# value that is only roughly right (the fluid value 1 - k/A, within 1% there) leaves no trace.
# At and above the load it starts at floor(A), from B computed directly (see _erlang_b_direct).
_WINDOW = 12.0
_BLOCK = 256  # terms summed at once in the Erlang A series
_TINY = 1e-17  # relative size of the last series term that is still added

# --------------------------------------------------------------------------------------------
# The engine: float64 arrays in, float64 arrays out, no checking (the public functions check).
# --------------------------------------------------------------------------------------------


def _stirling_error(n: np.ndarray) -> np.ndarray:
    """log(n!) - log(sqrt(2 pi n) (n/e)^n), for n >= 1 (small n directly, else its series)."""
    out = np.empty_like(n)
    small = n < 15
    ns = n[small]
    out[small] = special.gammaln(ns + 1) - (ns + 0.5) * np.log(ns) + ns - 0.5 * math.log(2 * math.pi)
    nb = n[~small]
    inv2 = 1.0 / (nb * nb)
    out[~small] = (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) / nb
    return out


def _erlang_b_direct(k: np.ndarray, a: np.ndarray) -> np.ndarray:
    """B(k, a) = P(Poisson(a) = k) / P(Poisson(a) <= k), for whole k with |k - a| < 1, k >= 1.

    The probability comes from Loader's saddle-point form (as in R's dpois), which keeps full
    precision for any size of load; the distribution function from scipy's pdtr. Both are
    accurate to a few units of round-off here, where k is within one agent of the load.
    """
    x = (k - a) / a
    deviance = a * ((1 + x) * np.log1p(x) - x)  # k log(k/a) + a - k, without cancellation
    log_pmf = -_stirling_error(k) - deviance - 0.5 * np.log(2 * math.pi * k)
    return np.exp(log_pmf) / special.pdtr(k, a)


def _recursion_start(stop: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the Erlang B recursion starts on its way to ``stop`` agents, and B there."""
    k0 = np.floor(a)
    up = (stop >= k0) & (k0 >= 1)  # walk up from the load
    start = np.where(up, k0, np.maximum(0.0, np.floor(np.minimum(stop, a) - _WINDOW * np.sqrt(a))))
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.where(start == 0, 1.0, (a - start) / np.where(a > 0, a, 1.0))
    if up.any():
        b[up] = _erlang_b_direct(k0[up], a[up])
    return start, b


def _erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Erlang B, B(n, a), by the recursion B(k) = a B(k-1) / (k + a B(k-1))."""
    k, b = _recursion_start(n, a)
    todo = np.flatnonzero((k < n) & (b > 0))
    while todo.size:
        k_next = k[todo] + 1.0
        ab = a[todo] * b[todo]
        b_next = ab / (k_next + ab)
        k[todo] = k_next
        b[todo] = b_next
        # Once B underflows to 0 it stays 0: the answer is below 1e-308.
        todo = todo[(k_next < n[todo]) & (b_next > 0)]
    return b


def _erlang_c_from_b(n: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P(wait) from Erlang B; 1 where there is no steady state, 0 where there are no calls."""
    with np.errstate(divide="ignore", invalid="ignore"):
        # n b / (n - a (1 - b)), written so that it cannot exceed 1 in floating point.
        c = n * b / (n * b + (n - a) * (1.0 - b))
    c = np.where(n > a, c, 1.0)
    return np.where(a == 0, 0.0, c)


def _service_level_c(n, a, aht, t, c):
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - c * np.exp(-(n - a) * t / aht)
    sl = np.where(n > a, sl, 0.0)
    return np.where(a == 0, 1.0, sl)


def _asa_c(n, a, aht, c):
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = c * aht / (n - a)
    asa = np.where(n > a, asa, np.inf)
    return np.where(a == 0, 0.0, asa)


def _occupancy(n, carried):
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.minimum(carried / n, 1.0)
    return np.where(n > 0, occ, np.where(carried > 0, 1.0, 0.0))


def _agents_for_occupancy(a: np.ndarray, max_occupancy: np.ndarray) -> np.ndarray:
    """Smallest n with a / n <= max_occupancy, as the occupancy function computes it."""
    n = np.ceil(a / max_occupancy)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.where((n > 1) & (a / (n - 1) <= max_occupancy), n - 1, n)
        n = np.where((n > 0) & (a / n > max_occupancy), n + 1, n)
    return n


def _agents_erlang_c(a, aht, t, target):
    """Smallest n > a whose Erlang C service level reaches ``target`` (a > 0).

    One upward walk of the Erlang B recursion per interval, from floor(a): each candidate
    costs one step, and every candidate is above the load, so no limits are needed here.
    """
    k, b = _recursion_start(a, a)
    answer = np.zeros_like(a)
    todo = np.arange(a.size)
    while todo.size:
        a_t = a[todo]
        k_next = k[todo] + 1.0
        ab = a_t * b[todo]
        b_next = ab / (k_next + ab)
        k[todo] = k_next
        b[todo] = b_next
        spare = k_next - a_t
        p_wait = k_next * b_next / (k_next * b_next + spare * (1.0 - b_next))
        met = 1.0 - p_wait * np.exp(-spare * t[todo] / aht[todo]) >= target[todo]
        answer[todo[met]] = k_next[met]
        todo = todo[~met]
    return answer


def _scheduled(agents: np.ndarray, shrinkage: np.ndarray) -> np.ndarray:
    """ceil(agents / (1 - shrinkage)), exactly.

    In floating point 21 / (1 - 0.3) is 30.000000000000004 and a plain ceiling says 31. The
    shrinkage is read as the decimal a person typed (its shortest repr: 0.3 is 3/10). Floats
    decide where the quotient is clearly between two whole numbers; the few that land within
    round-off of a whole number are settled with exact fractions.
    """
    quotient = agents / (1.0 - shrinkage)
    staff = np.array(np.ceil(quotient), dtype=np.float64)  # an array even for one number
    unsure = np.flatnonzero((shrinkage > 0) & (np.abs(quotient - np.round(quotient)) < 1e-6))
    for i in unsure:
        kept = 1 - Fraction(repr(float(shrinkage.flat[i])))
        staff.flat[i] = math.ceil(Fraction(int(agents.flat[i])) / kept)
    return staff


# ---------------------------------------------------------------- Erlang A (M/M/n+M) engine
#
# With x = n * patience / aht and y = arrival rate * patience, the queue states n + j carry
# weight t_j = y^j / ((x+1)(x+2)...(x+j)) relative to "all agents busy, nobody waiting", and
# the states below carry 1/B(n, A) in all (Erlang B). Every measure then needs the one sum
#     M = sum_j y^j / ((x+1)(x+2)...(x+1+j)) = e^y y^-(x+1) lower_gamma(x+1, y),
# because  sum_j t_j = 1 + y M  and the abandoning share of the queue is 1 + (y - x) M.
# Answered within t: integrating the virtual wait gives
#     G(t) = x [M(y) - u^(x+1) e^(y (1-u)) M(y u)],  u = exp(-t / patience).


def _log_scaled_gamma(a: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log(Gamma(a) e^z z^-a) without cancelling large numbers (Stirling for a >= 10)."""
    out = np.empty_like(a)
    big = a >= 10
    s = ~big
    out[s] = special.gammaln(a[s]) + z[s] - a[s] * np.log(z[s])
    ab, d = a[big], z[big] - a[big]
    inv = 1.0 / ab
    inv2 = inv * inv
    stirling = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    out[big] = (d - ab * np.log1p(d / ab) - 0.5 * np.log(ab) + 0.5 * math.log(2 * math.pi)
                + stirling)
    return out


def _queue_sums(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log M and log(1 + (y - x) M) for M = M(x+1, y) as defined above (x >= 0, y >= 0)."""
    a = x + 1.0
    log_m = np.empty_like(x)
    log_ab = np.empty_like(x)
    series = y <= a
    # Series: terms s_j = prod_{i<=j} y / (a + i) fall from the first; M = sum s_j / a and
    # 1 + (y - x) M = sum (j + 1) s_j / a, both sums of positive terms.
    idx = np.flatnonzero(series)
    if idx.size:
        aa, yy = a[idx], y[idx]
        total0 = np.ones(idx.size)
        total1 = np.ones(idx.size)
        last = np.zeros(idx.size)  # log of the latest term
        j0 = 0
        active = np.arange(idx.size)
        steps = np.arange(1, _BLOCK + 1, dtype=np.float64)
        while active.size:
            j = j0 + steps
            with np.errstate(divide="ignore"):
                logs = np.log(yy[active, None]) - np.log(aa[active, None] + j)
            logs = last[active, None] + np.cumsum(logs, axis=1)
            terms = np.exp(logs)
            total0[active] += terms.sum(axis=1)
            total1[active] += (terms * (j + 1)).sum(axis=1)
            last[active] = logs[:, -1]
            ratio = yy[active] / (aa[active] + j[-1] + 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                tail = np.exp(logs[:, -1]) * (j[-1] + 2) / (1.0 - ratio) ** 2
            active = active[tail > _TINY * total0[active]]
            j0 += _BLOCK
        log_m[idx] = np.log(total0) - np.log(aa)
        log_ab[idx] = np.log(total1) - np.log(aa)
    idx = np.flatnonzero(~series)
    if idx.size:
        aa, yy, xx = a[idx], y[idx], x[idx]
        lm = _log_scaled_gamma(aa, yy) + np.log(special.gammainc(aa, yy))
        log_m[idx] = lm
        log_ab[idx] = np.logaddexp(0.0, np.log(yy - xx) + lm)
    return log_m, log_ab


def _erlang_a(n, a, lam, aht, patience, t, want_asa=True):
    """Erlang A measures for float arrays with a > 0 and n > 0 (the callers handle the rest)."""
    x = n * patience / aht
    y = lam * patience
    b = _erlang_b(n, a)
    log_b = np.log(b)  # b > 0 unless it underflowed: the caller masks those out
    log_r1 = np.log1p(-b) - log_b  # log(1/B - 1): states with a free agent
    log_m, log_ab = _queue_sums(x, y)
    log_y = np.log(y)
    log_z = np.logaddexp(-log_b, log_y + log_m)  # normaliser, relative to "n busy, none waiting"
    p_wait = np.exp(np.logaddexp(0.0, log_y + log_m) - log_z)
    p_abandon = np.exp(log_ab - log_z)
    p_free = np.exp(log_r1 - log_z)
    answered_from_queue = x * np.exp(log_m - log_z)
    p_answered = p_free + answered_from_queue
    log_u = -t / patience
    log_m_u, _ = _queue_sums(x, y * np.exp(log_u))
    log_ratio = (x + 1) * log_u - y * np.expm1(log_u) + log_m_u - log_m
    service = p_free + answered_from_queue * -np.expm1(log_ratio)
    result = dict(
        p_wait=np.minimum(p_wait, 1.0),
        p_abandon=np.minimum(p_abandon, 1.0),
        service_level=np.clip(service, 0.0, 1.0),
        occupancy=np.minimum(a * p_answered / n, 1.0),
        # Mean wait over all offered calls, abandoners included (Little's law):
        # P(abandon) = E[time in queue] / patience.
        average_wait_all_calls=p_abandon * patience,
    )
    if want_asa:
        result["average_speed_of_answer"] = _erlang_a_asa(x, y, log_z, patience) / p_answered
    return result


def _erlang_a_asa(x, y, log_z, patience):
    """E[wait; answered] = patience x sum_j s_j H_j / Z, s_j = y^j / ((x+1)...(x+1+j)),
    H_j = sum_{i=1}^{j+1} 1 / (x + i): a caller who finds j waiting is answered with
    probability x / (x + j + 1) after a mean wait (patience) H_j."""
    total = np.zeros_like(x)
    last = -np.log(x + 1.0) - log_z  # log of s_0 / Z
    harmonic = np.zeros_like(x)  # H_{j-1}
    active = np.arange(x.size)
    total_first = np.exp(last) * (1.0 / (x + 1.0))
    total += total_first
    harmonic += 1.0 / (x + 1.0)
    j0 = 0
    steps = np.arange(1, _BLOCK + 1, dtype=np.float64)
    while active.size:
        j = j0 + steps
        xa = x[active, None]
        logs = last[active, None] + np.cumsum(np.log(y[active, None]) - np.log(xa + 1.0 + j), axis=1)
        h = harmonic[active, None] + np.cumsum(1.0 / (xa + 1.0 + j), axis=1)
        terms = np.exp(logs) * h
        total[active] += terms.sum(axis=1)
        last[active] = logs[:, -1]
        harmonic[active] = h[:, -1]
        ratio = y[active] / (x[active] + 2.0 + j[-1])
        past_peak = ratio < 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            tail = 2.0 * terms[:, -1] / (1.0 - ratio) ** 2
        done = past_peak & ((tail <= _TINY * total[active]) | (terms[:, -1] < 1e-300))
        active = active[~done]
        j0 += _BLOCK
    return patience * x * total


# --------------------------------------------------------------------------------------------
# The public API
# --------------------------------------------------------------------------------------------


def traffic_intensity(calls, aht, interval=INTERVAL):
    """Offered load in Erlangs: the number of agents that would be busy all interval long.

    Parameters
    ----------
    calls : float or array_like
        Calls offered in the interval.
    aht : float or array_like
        Average handling time, seconds.
    interval : float or array_like, default 1800
        Interval length, seconds.

    Returns
    -------
    float or numpy.ndarray
        ``calls * aht / interval``, in Erlangs.

    Examples
    --------
    100 calls of three minutes in half an hour keep ten agents busy:

    >>> traffic_intensity(calls=100, aht=180)
    10.0
    """
    (calls, aht, interval), scalar = _inputs.check(calls=calls, aht=aht, interval=interval)
    return _inputs.plain(calls * aht / interval, scalar)


def erlang_b(agents, traffic):
    """Blocking probability with ``agents`` lines and no queue (Erlang B).

    The share of calls that find every line busy and are lost. Used for trunks and lines;
    for agents with a queue use :func:`erlang_c`.

    Parameters
    ----------
    agents : int or array_like
        Lines (or agents), a whole number, 0 or more.
    traffic : float or array_like
        Offered load, Erlangs (see :func:`traffic_intensity`).

    Returns
    -------
    float or numpy.ndarray
        Probability between 0 and 1. With 0 lines every call is lost (1.0).

    Examples
    --------
    45 people making 4 calls a day of 2.5 minutes in an 8-hour day offer 0.9375 Erlangs;
    five lines lose fewer than 1 call in 100:

    >>> round(erlang_b(agents=5, traffic=0.9375), 6)
    0.002364
    """
    (agents, traffic), scalar = _inputs.check(agents=agents, traffic=traffic)
    shape = agents.shape
    result = _erlang_b(agents.ravel().copy(), traffic.ravel().copy()).reshape(shape)
    return _inputs.plain(result, scalar)


def erlang_c(agents, traffic):
    """Probability that an arriving call has to wait (Erlang C).

    Parameters
    ----------
    agents : int or array_like
        Agents taking calls, a whole number, 0 or more.
    traffic : float or array_like
        Offered load, Erlangs (see :func:`traffic_intensity`).

    Returns
    -------
    float or numpy.ndarray
        Probability between 0 and 1.

    Notes
    -----
    Where ``agents <= traffic`` the agents cannot keep up and there is no steady state: the
    queue grows for as long as calls keep coming. The function then returns the limit, 1.0
    (every call waits). In a real half-hour the queue starts empty and builds up, so the
    first calls may still be answered at once; a simulation (``opsfirst.simulation``) shows
    how far it builds. With no traffic at all nobody waits (0.0).

    Examples
    --------
    Ten Erlangs on 14 agents: about 17% of callers wait.

    >>> round(erlang_c(agents=14, traffic=10), 4)
    0.1741
    >>> erlang_c(agents=10, traffic=10)
    1.0
    """
    (agents, traffic), scalar = _inputs.check(agents=agents, traffic=traffic)
    n, a = agents.ravel().copy(), traffic.ravel().copy()
    result = _erlang_c_from_b(n, a, _erlang_b(n, a)).reshape(agents.shape)
    return _inputs.plain(result, scalar)


def _c_measures(agents, calls, aht, interval):
    n, calls, aht, interval = (v.ravel().copy() for v in (agents, calls, aht, interval))
    a = calls * aht / interval
    c = _erlang_c_from_b(n, a, _erlang_b(n, a))
    return n, a, aht, c


def service_level(agents, calls, aht, target_time, interval=INTERVAL):
    """Share of calls answered within ``target_time`` seconds (Erlang C).

    Service level = 1 - P(wait) exp(-(agents - traffic) target_time / aht): the share of all
    offered calls answered within the target time. Erlang C assumes nobody hangs up; for
    abandonment use :func:`erlang_a`.

    Parameters
    ----------
    agents : int or array_like
        Agents taking calls, a whole number, 0 or more.
    calls : float or array_like
        Calls offered in the interval.
    aht : float or array_like
        Average handling time, seconds.
    target_time : float or array_like
        Answer-time target, seconds (20 for an "80/20" target).
    interval : float or array_like, default 1800
        Interval length, seconds.

    Returns
    -------
    float or numpy.ndarray
        Fraction between 0 and 1.

    Notes
    -----
    Where ``agents <= traffic`` there is no steady state and the limit, 0.0, is returned:
    the queue grows all interval, so in the long run almost nobody is answered within the
    target. A real half-hour starts with an empty queue and does a little better early on;
    ``opsfirst.simulation`` shows how much. With no calls the service level is 1.0.

    Examples
    --------
    100 calls of 180 s in half an hour: 13 agents miss 80/20, 14 make it.

    >>> round(service_level(agents=13, calls=100, aht=180, target_time=20), 3)
    0.796
    >>> round(service_level(agents=14, calls=100, aht=180, target_time=20), 3)
    0.888
    """
    (agents, calls, aht, target_time, interval), scalar = _inputs.check(
        agents=agents, calls=calls, aht=aht, target_time=target_time, interval=interval)
    shape = agents.shape
    n, a, aht_, c = _c_measures(agents, calls, aht, interval)
    result = _service_level_c(n, a, aht_, target_time.ravel(), c).reshape(shape)
    return _inputs.plain(result, scalar)


def average_speed_of_answer(agents, calls, aht, interval=INTERVAL):
    """Average speed of answer (ASA): the mean wait in seconds over *all* calls (Erlang C).

    Calls answered at once count as 0 s, so ASA = P(wait) x aht / (agents - traffic).

    Parameters
    ----------
    agents : int or array_like
        Agents taking calls, a whole number, 0 or more.
    calls : float or array_like
        Calls offered in the interval.
    aht : float or array_like
        Average handling time, seconds.
    interval : float or array_like, default 1800
        Interval length, seconds.

    Returns
    -------
    float or numpy.ndarray
        Seconds.

    Notes
    -----
    Where ``agents <= traffic`` there is no steady state: the queue, and so the wait, grows
    without end, and ``inf`` is returned. In a real half-hour the wait grows through the
    interval; ``opsfirst.simulation`` shows how long it gets. With no calls ASA is 0.

    Examples
    --------
    >>> round(average_speed_of_answer(agents=14, calls=100, aht=180), 2)
    7.84
    >>> average_speed_of_answer(agents=10, calls=100, aht=180)
    inf
    """
    (agents, calls, aht, interval), scalar = _inputs.check(
        agents=agents, calls=calls, aht=aht, interval=interval)
    shape = agents.shape
    n, a, aht_, c = _c_measures(agents, calls, aht, interval)
    return _inputs.plain(_asa_c(n, a, aht_, c).reshape(shape), scalar)


def occupancy(agents, calls, aht, interval=INTERVAL):
    """Share of the agents' logged-in time spent handling calls: traffic / agents, at most 1.

    Parameters
    ----------
    agents : int or array_like
        Agents taking calls, a whole number, 0 or more.
    calls : float or array_like
        Calls offered in the interval.
    aht : float or array_like
        Average handling time, seconds.
    interval : float or array_like, default 1800
        Interval length, seconds.

    Returns
    -------
    float or numpy.ndarray
        Fraction between 0 and 1. Where the load is more than the agents can take it is
        capped at 1 (they are busy all the time and the queue grows). With no agents it is
        1 if there are calls and 0 if there are none.

    Examples
    --------
    >>> round(occupancy(agents=14, calls=100, aht=180), 4)
    0.7143
    """
    (agents, calls, aht, interval), scalar = _inputs.check(
        agents=agents, calls=calls, aht=aht, interval=interval)
    return _inputs.plain(_occupancy(agents, calls * aht / interval), scalar)


@dataclass(frozen=True)
class StaffingPlan:
    """What one interval (or each interval of an array) needs, and what it then gets.

    Attributes
    ----------
    traffic : offered load, Erlangs.
    agents : agents on the phones, the smallest number meeting every target.
    scheduled_staff : agents to schedule so that ``agents`` are on the phones after
        shrinkage: ceil(agents / (1 - shrinkage)).
    service_level : share of calls answered within the target time with ``agents``.
    average_speed_of_answer : seconds; Erlang C: over all calls; Erlang A: over answered calls.
    occupancy : share of the agents' time spent on calls.
    p_wait : share of callers who wait at all.
    p_abandon : share of callers who hang up before an answer (0 with Erlang C).
    """

    traffic: Any
    agents: Any
    scheduled_staff: Any
    service_level: Any
    average_speed_of_answer: Any
    occupancy: Any
    p_wait: Any
    p_abandon: Any

    def to_dict(self) -> dict[str, Any]:
        """The plan as a plain dictionary."""
        return asdict(self)

    def to_frame(self):
        """The plan as a pandas DataFrame, one row per interval."""
        import pandas as pd

        data = {k: np.atleast_1d(v) for k, v in self.to_dict().items()}
        return pd.DataFrame(data)


def _plan(calls, aht, target_service_level, target_time, interval, max_occupancy, shrinkage,
          patience, max_abandon, measures=True) -> tuple[dict[str, np.ndarray], bool]:
    """Agents and scheduled staff for each interval, and (if asked) the service they give."""
    named = dict(calls=calls, aht=aht, target_service_level=target_service_level,
                 target_time=target_time, interval=interval, max_occupancy=max_occupancy,
                 shrinkage=shrinkage)
    if patience is not None:
        named["patience"] = patience
    if max_abandon is not None:
        if patience is None:
            raise ValueError("max_abandon needs patience: abandonment is modelled only with "
                             "Erlang A; give patience (seconds callers wait before hanging up)")
        named["max_abandon"] = max_abandon
    arrays, scalar = _inputs.check(**named)
    shape = arrays[0].shape
    v = {name: x.ravel() for name, x in zip(named, arrays)}
    a = v["calls"] * v["aht"] / v["interval"]
    n = np.zeros_like(a)
    busy = np.flatnonzero(a > 0)  # no calls need no agents
    pick = {name: x[busy] for name, x in v.items()}
    if patience is None:
        n[busy] = np.maximum(
            _agents_erlang_c(a[busy], pick["aht"], pick["target_time"],
                             pick["target_service_level"]),
            _agents_for_occupancy(a[busy], pick["max_occupancy"]))
    else:
        n[busy] = _agents_erlang_a(
            a[busy], pick["calls"] / pick["interval"], pick["aht"], pick["patience"],
            pick["target_time"], pick["target_service_level"], pick["max_occupancy"],
            pick.get("max_abandon", np.ones(busy.size)))
    out = dict(traffic=a, agents=n, scheduled_staff=_scheduled(n, v["shrinkage"]))
    if measures and patience is None:
        c = _erlang_c_from_b(n, a, _erlang_b(n, a))
        out.update(
            service_level=_service_level_c(n, a, v["aht"], v["target_time"], c),
            average_speed_of_answer=_asa_c(n, a, v["aht"], c),
            occupancy=_occupancy(n, a),
            p_wait=c,
            p_abandon=np.zeros_like(a),
        )
    elif measures:
        m = _erlang_a_measures(n, v["calls"], v["aht"], v["patience"], v["target_time"],
                               v["interval"])
        out.update((k, m[k]) for k in ("service_level", "average_speed_of_answer", "occupancy",
                                       "p_wait", "p_abandon"))
    return {k: x.reshape(shape) for k, x in out.items()}, scalar


def agents_required(calls, aht, target_service_level=0.8, target_time=20, interval=INTERVAL,
                    max_occupancy=1.0, shrinkage=0.0, *, patience=None, max_abandon=None):
    """Smallest number of agents that meets the service-level target (and occupancy cap).

    Finds the smallest N with service level >= ``target_service_level`` within
    ``target_time`` and occupancy <= ``max_occupancy``. With ``shrinkage`` > 0 it returns
    the staff to *schedule*, ceil(N / (1 - shrinkage)), computed exactly (shrinkage
    divides: 14 on the phones with 30% shrinkage is 14 / 0.7 = 20, not 14 x 1.3). For the
    agents on the phones and the service they give, use :func:`staffing_plan`.

    Parameters
    ----------
    calls : float or array_like
        Calls offered in the interval. No calls need no agents.
    aht : float or array_like
        Average handling time, seconds.
    target_service_level : float or array_like, default 0.8
        Share of calls to answer within ``target_time``, above 0 and below 1.
    target_time : float or array_like, default 20
        Answer-time target, seconds.
    interval : float or array_like, default 1800
        Interval length, seconds.
    max_occupancy : float or array_like, default 1.0
        Highest acceptable occupancy, above 0 and at most 1 (1 means no cap).
    shrinkage : float or array_like, default 0.0
        Share of paid time not available for calls (breaks, training, absence), 0 up to 1.
    patience : float or array_like, optional, keyword only
        Mean time callers wait before hanging up, seconds. Given, the model is Erlang A
        (callers abandon; service level = answered within target / offered). Left out, the
        model is Erlang C (nobody hangs up).
    max_abandon : float or array_like, optional, keyword only
        With ``patience``: highest acceptable share of calls abandoned.

    Returns
    -------
    int or numpy.ndarray
        Agents (scheduled staff when ``shrinkage`` > 0).

    Examples
    --------
    >>> agents_required(calls=100, aht=180, target_service_level=0.8, target_time=20)
    14
    >>> agents_required(calls=100, aht=180, shrinkage=0.3)
    20
    >>> agents_required(calls=100, aht=180, patience=300)
    13
    >>> agents_required(calls=[0, 100, 200], aht=180)
    array([ 0, 14, 24])
    """
    plan, scalar = _plan(calls, aht, target_service_level, target_time, interval,
                         max_occupancy, shrinkage, patience, max_abandon, measures=False)
    return _inputs.plain(plan["scheduled_staff"], scalar, int)


def staffing_plan(calls, aht, target_service_level=0.8, target_time=20, interval=INTERVAL,
                  max_occupancy=1.0, shrinkage=0.0, *, patience=None, max_abandon=None):
    """The whole staffing answer: agents on the phones, staff to schedule, and the service.

    Takes the same arguments as :func:`agents_required` and returns a :class:`StaffingPlan`
    with ``traffic``, ``agents`` (on the phones), ``scheduled_staff`` (after shrinkage),
    ``service_level``, ``average_speed_of_answer``, ``occupancy``, ``p_wait`` and
    ``p_abandon`` for that number of agents. Use ``.to_frame()`` for a table.

    Examples
    --------
    >>> plan = staffing_plan(calls=100, aht=180, shrinkage=0.3)
    >>> plan.agents, plan.scheduled_staff
    (14, 20)
    >>> round(plan.service_level, 3), round(plan.average_speed_of_answer, 1)
    (0.888, 7.8)
    """
    plan, scalar = _plan(calls, aht, target_service_level, target_time, interval,
                         max_occupancy, shrinkage, patience, max_abandon)
    kinds = dict(agents=int, scheduled_staff=int)
    return StaffingPlan(**{k: _inputs.plain(v, scalar, kinds.get(k, float))
                           for k, v in plan.items()})


def scheduled_staff(agents, shrinkage):
    """Staff to schedule so that ``agents`` are on the phones: ceil(agents / (1 - shrinkage)).

    Computed in exact decimal arithmetic, so 21 agents at 30% shrinkage is 30 (in floating
    point 21 / 0.7 is 30.000000000000004 and a plain ceiling says 31).

    Examples
    --------
    >>> scheduled_staff(agents=21, shrinkage=0.3)
    30
    >>> scheduled_staff(agents=14, shrinkage=0.3)
    20
    """
    (agents, shrinkage), scalar = _inputs.check(agents=agents, shrinkage=shrinkage)
    return _inputs.plain(_scheduled(agents, shrinkage), scalar, int)


# ---------------------------------------------------------------------------- Erlang A


@dataclass(frozen=True)
class ErlangAResult:
    """Erlang A (M/M/n+M): a queue in which callers hang up after an exponential patience.

    Attributes
    ----------
    p_wait : share of callers who find every agent busy.
    p_abandon : share of callers who hang up before an answer.
    service_level : calls answered within ``target_time`` / calls *offered* (abandoned calls
        count as missed).
    average_speed_of_answer : mean wait of the *answered* calls, seconds.
    occupancy : share of the agents' time spent on calls (answered calls only).
    average_wait_all_calls : mean wait over all offered calls, abandoned ones included,
        seconds (some tools call this ASA).
    """

    p_wait: Any
    p_abandon: Any
    service_level: Any
    average_speed_of_answer: Any
    occupancy: Any
    average_wait_all_calls: Any

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dictionary."""
        return asdict(self)


def _erlang_a_measures(n, calls, aht, patience, t, interval, want_asa=True):
    """Erlang A for checked, flat float arrays, edge cases included."""
    lam = calls / interval
    a = calls * aht / interval
    out = {k: np.empty_like(a) for k in ("p_wait", "p_abandon", "service_level", "occupancy",
                                         "average_wait_all_calls")}
    if want_asa:
        out["average_speed_of_answer"] = np.empty_like(a)
    # No calls: nobody waits. No agents: everybody waits and, in the end, hangs up.
    edge = {
        "none": (a == 0, dict(p_wait=0.0, p_abandon=0.0, service_level=1.0, occupancy=0.0,
                              average_wait_all_calls=0.0, average_speed_of_answer=0.0)),
        "no agents": ((a > 0) & (n == 0), dict(p_wait=1.0, p_abandon=1.0, service_level=0.0,
                                               occupancy=1.0, average_speed_of_answer=np.inf)),
    }
    for mask, values in edge.values():
        for k, value in values.items():
            if k in out:
                out[k][mask] = value
    no_agents = edge["no agents"][0]
    out["average_wait_all_calls"][no_agents] = patience[no_agents]
    rest = np.flatnonzero((a > 0) & (n > 0))
    if rest.size:
        b = _erlang_b(n[rest], a[rest])
        # B underflows to 0 only when agents far exceed the load: nobody waits then.
        plenty = rest[b == 0]
        for k, value in dict(p_wait=0.0, p_abandon=0.0, service_level=1.0,
                             average_wait_all_calls=0.0, average_speed_of_answer=0.0).items():
            if k in out:
                out[k][plenty] = value
        out["occupancy"][plenty] = a[plenty] / n[plenty]
        rest = rest[b > 0]
        if rest.size:
            res = _erlang_a(n[rest], a[rest], lam[rest], aht[rest], patience[rest], t[rest],
                            want_asa=want_asa)
            for k, value in res.items():
                out[k][rest] = value
    return out


def _agents_erlang_a(a, lam, aht, patience, t, target, max_occupancy, max_abandon):
    """Smallest n meeting the Erlang A targets, by bisection (every measure is monotone in n)."""
    calls, interval = lam, np.ones_like(lam)  # rates per second, as one-second "intervals"

    def ok(n):
        m = _erlang_a_measures(n, calls, aht, patience, t, interval, want_asa=False)
        return ((m["service_level"] >= target) & (m["occupancy"] <= max_occupancy)
                & (m["p_abandon"] <= max_abandon))

    lo = np.zeros_like(a)  # never enough: 0 agents answer nobody
    hi = np.ceil(a + 5 * np.sqrt(a) + 5)
    good = ok(hi)
    while not good.all():
        lo = np.where(good, lo, hi)
        hi = np.where(good, hi, hi * 2)
        good = ok(hi)
    while True:
        gap = hi - lo > 1
        if not gap.any():
            return hi
        mid = np.where(gap, np.floor((lo + hi) / 2), hi)
        good = ok(mid)
        hi = np.where(gap & good, mid, hi)
        lo = np.where(gap & ~good, mid, lo)


def erlang_a(agents, calls, aht, patience, target_time=20, interval=INTERVAL):
    """Queue measures when callers hang up if they wait too long (Erlang A, M/M/n+M).

    Like Erlang C, but each waiting caller hangs up after an exponentially distributed
    patience with mean ``patience`` seconds. Unlike Erlang C there is always a steady state,
    even with fewer agents than the traffic: the callers who give up keep the queue finite.

    Parameters
    ----------
    agents : int or array_like
        Agents taking calls, a whole number, 0 or more.
    calls : float or array_like
        Calls offered in the interval.
    aht : float or array_like
        Average handling time, seconds.
    patience : float or array_like
        Mean time a caller waits before hanging up, seconds (more than 0, finite).
    target_time : float or array_like, default 20
        Answer-time target, seconds.
    interval : float or array_like, default 1800
        Interval length, seconds.

    Returns
    -------
    ErlangAResult
        ``p_wait``, ``p_abandon``, ``service_level`` (answered within ``target_time`` divided
        by *offered* calls, so abandoned calls count as missed: the same definition as
        :func:`opsfirst.simulation.simulate_queue`, which can check it), ``average_speed_of_answer``
        (mean wait of the *answered* calls, seconds), ``occupancy`` and
        ``average_wait_all_calls`` (seconds, abandoned callers included). Plain floats for
        single-number input, numpy arrays for arrays. With no agents nothing is answered:
        service level 0, everybody abandons, and the ASA of answered calls is ``inf``.

    Examples
    --------
    100 calls of 180 s in half an hour, callers patient for 300 s on average, 13 agents:

    >>> r = erlang_a(agents=13, calls=100, aht=180, patience=300, target_time=20)
    >>> round(r.service_level, 3), round(r.p_abandon, 3), round(r.average_speed_of_answer, 2)
    (0.858, 0.025, 6.91)
    """
    (agents, calls, aht, patience, target_time, interval), scalar = _inputs.check(
        agents=agents, calls=calls, aht=aht, patience=patience, target_time=target_time,
        interval=interval)
    shape = agents.shape
    flat = (v.ravel().copy() for v in (agents, calls, aht, patience, target_time, interval))
    m = _erlang_a_measures(*flat)
    return ErlangAResult(**{k: _inputs.plain(v.reshape(shape), scalar) for k, v in m.items()})
