"""Calls arriving at random, answered first come first served: the queue simulator.

The formulas in :mod:`opsfirst.staffing` describe a queue that has run for ever at one rate.
A real half-hour starts with an empty queue, calls bunch by chance, handling times are not
exponential, and the number of agents changes through the day. This module simulates calls one
by one so that a learner can see all of that, and check a formula.

Units as everywhere in opsfirst: ``calls`` offered per interval, times in seconds, ``interval``
1800 s unless given.

How it works. Calls arrive as a Poisson process (at ``calls`` per interval, which may change from
one interval to the next) and are answered first come, first served. A caller is answered by the
agent who becomes free first; a caller whose wait would exceed their patience hangs up and never
takes an agent's time. For first-come-first-served queues this is exact, and it lets the
simulation follow one caller after another instead of keeping an event calendar: 200,000 calls
take a few hundredths of a second (``make bench`` compares it with ciw).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _inputs
from .._inputs import INTERVAL
from ._common import busy_seconds, handle_times

__all__ = ["simulate_queue", "QueueResult", "simulate_intervals"]


# ------------------------------------------------------------------------------ the engine


def _serve(arrivals: list[float], handle: list[float], patience: list[float] | None,
           agents: int) -> list[float]:
    """Answer times of callers (``inf`` for those who hang up) with a fixed team.

    ``free`` is a heap of the times at which each agent next becomes free.
    """
    inf = math.inf
    if agents == 0:
        return [inf] * len(arrivals)
    free = [0.0] * agents
    answer = [0.0] * len(arrivals)
    replace = heapq.heapreplace
    if patience is None:
        for i, t in enumerate(arrivals):
            f = free[0]
            start = t if f <= t else f
            replace(free, start + handle[i])
            answer[i] = start
        return answer
    for i, t in enumerate(arrivals):
        f = free[0]
        if f <= t:
            start = t
        elif f - t > patience[i]:
            answer[i] = inf  # hangs up; no agent's time is used
            continue
        else:
            start = f
        replace(free, start + handle[i])
        answer[i] = start
    return answer


def _serve_changing(arrivals: list[float], handle: list[float], patience: list[float] | None,
                    change_times: list[float], team: list[int]
                    ) -> tuple[list[float], list[tuple[float, float]]]:
    """Answer times when the team changes size: ``team[k]`` agents from ``change_times[k]``.

    When the team grows, the new agents are free at the change. When it shrinks, the agents who
    become free first leave; one still on a call finishes it first, and that stretch, from the
    change to the end of the call, is returned too (it is logged-in time). A change applies to
    a caller when it happens before that caller would be answered.
    """
    inf = math.inf
    free: list[float] = []
    size = 0
    k = 0  # next change
    answer = [0.0] * len(arrivals)
    overtime: list[tuple[float, float]] = []
    push, pop = heapq.heappush, heapq.heappop
    for i, t in enumerate(arrivals):
        while True:
            start = max(t, free[0]) if free else inf
            if k < len(change_times) and change_times[k] <= start:
                when, target = change_times[k], team[k]
                while size < target:
                    push(free, when)
                    size += 1
                while size > target:
                    busy_until = pop(free)
                    if busy_until > when:
                        overtime.append((when, busy_until))
                    size -= 1
                k += 1
                continue
            break
        if patience is not None and start - t > patience[i]:
            answer[i] = inf
            continue
        if start < inf:
            heapq.heapreplace(free, start + handle[i])
        answer[i] = start
    return answer, overtime


def _arrivals(rng: np.random.Generator, calls: np.ndarray, interval: float) -> tuple[np.ndarray, np.ndarray]:
    """Poisson arrivals at ``calls[k]`` per interval in interval k: times, and each one's interval."""
    counts = rng.poisson(calls)
    which = np.repeat(np.arange(calls.size), counts)
    times = (which + rng.random(which.size)) * interval
    order = np.argsort(times, kind="stable")
    return times[order], which[order]


def _single_numbers(advice: str, **named: Any) -> dict[str, float]:
    """Check settings that must be one number each (None means "not given" and is left out)."""
    given = {name: value for name, value in named.items() if value is not None}
    for name, value in given.items():
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number; got an array. {advice}")
    checked, _ = _inputs.check(**given)
    return {name: float(x) for name, x in zip(given, checked)}


def _draw(rng: np.random.Generator, calls: np.ndarray, aht: np.ndarray, settings: dict[str, float]):
    """The random calls of a run: arrival times, interval of each, handling times, patience."""
    times, which = _arrivals(rng, calls, settings["interval"])
    handle = handle_times(rng, aht[which], settings.get("handle_cv"))
    patience = rng.exponential(settings["patience"], times.size) if "patience" in settings else None
    return times, which, handle, patience


# ------------------------------------------------------------------------------ public API


@dataclass(frozen=True)
class QueueResult:
    """What a simulated queue did, over the calls offered in the simulated intervals.

    Attributes
    ----------
    service_level : calls answered within ``target_time`` / calls *offered* (abandoned calls
        count as missed) -- the definition of :func:`opsfirst.staffing.erlang_a`.
    average_speed_of_answer : mean wait of the *answered* calls, seconds (as ``erlang_a``; with
        nobody hanging up every call is answered and this is Erlang C's ASA). ``inf`` if none
        was answered.
    p_abandon : share of offered calls that hung up before an answer.
    occupancy : agent time spent handling / agent time logged in, over the simulated intervals.
    calls_offered, calls_answered, calls_abandoned, answered_within_target : counts.
    p_wait : share of offered calls that did not find a free agent.
    average_wait_all_calls : mean wait over all offered calls, abandoned ones until they hung up.
    service_level_of_answered : answered within target / answered.
    service_level_excluding_abandons_within_target : answered within target / (offered minus
        calls abandoned within the target time) -- some centres do not count a caller who
        gave up quickly.
    service_level_excluding_short_abandons : answered within target / (offered minus calls
        abandoned within ``short_abandon`` seconds).
    records : per-call table (arrival, wait, answered, handle_time, answer, end, interval) when
        asked for with ``records=True``, else None.
    """

    service_level: float
    average_speed_of_answer: float
    p_abandon: float
    occupancy: float
    calls_offered: int
    calls_answered: int
    calls_abandoned: int
    answered_within_target: int
    p_wait: float
    average_wait_all_calls: float
    service_level_of_answered: float
    service_level_excluding_abandons_within_target: float
    service_level_excluding_short_abandons: float
    records: Any = None


def _ratio(numerator: float, denominator: float, empty: float) -> float:
    return float(numerator / denominator) if denominator else empty


def simulate_queue(calls, aht, agents, *, interval=INTERVAL, target_time=20, patience=None,
                   intervals=1, seed=None, warm_up=0, handle_cv=None, short_abandon=5,
                   records=False) -> QueueResult:
    """Simulate one queue: Poisson calls, one team, first come first served.

    The queue starts empty at time 0; calls arrive at ``calls`` per interval for ``intervals``
    consecutive intervals, and every one of them is followed until it is answered or hangs up
    (the agents stay until the queue is empty). The measures are over the calls that arrive
    after ``warm_up`` seconds. This is the queue of :func:`opsfirst.staffing.erlang_c` (or of
    :func:`opsfirst.staffing.erlang_a` with ``patience``), but a real stretch of time, not the
    long-run average: a short run starts emptier and varies by chance from one seed to the next.

    Parameters
    ----------
    calls : float
        Calls offered per interval (the Poisson rate).
    aht : float
        Average handling time, seconds.
    agents : int
        Agents taking calls.
    interval : float, default 1800
        Interval length, seconds.
    target_time : float, default 20
        Answer-time target for the service level, seconds.
    patience : float, optional
        Mean time callers wait before they hang up (exponential), seconds; None: nobody hangs up.
    intervals : int, default 1
        How many consecutive intervals to simulate.
    seed : int, optional
        Seed for the random numbers; the same seed gives the same result.
    warm_up : float, default 0
        Seconds at the start whose calls are simulated but not measured (to approach the
        long-run average of the formulas).
    handle_cv : float, optional
        Coefficient of variation of handling times: None for exponential times (as the
        formulas assume), or e.g. 0.6 for lognormal times, closer to real calls.
    short_abandon : float, default 5
        Seconds within which a hang-up counts as a "short abandon".
    records : bool, default False
        Also return the per-call table (a pandas DataFrame) in ``.records``.

    Returns
    -------
    QueueResult
        ``service_level`` is answered within ``target_time`` / *offered* calls, the definition
        of ``opsfirst.staffing.erlang_a``; other definitions are given by name.

    Examples
    --------
    Ten Erlangs on 14 agents, where Erlang C says 0.888. One simulated day (48 half-hours) lands
    some way off by chance; ten days come close:

    >>> r = simulate_queue(calls=100, aht=180, agents=14, intervals=48, seed=2026)
    >>> r.calls_offered, round(r.service_level, 3)
    (4864, 0.838)
    >>> r = simulate_queue(calls=100, aht=180, agents=14, intervals=480, seed=2026)
    >>> r.calls_offered, round(r.service_level, 3)
    (48398, 0.892)
    """
    v = _single_numbers("To simulate intervals that differ, use simulate_intervals.",
                        calls=calls, aht=aht, agents=agents, interval=interval,
                        target_time=target_time, intervals=intervals, warm_up=warm_up,
                        short_abandon=short_abandon, patience=patience, handle_cv=handle_cv)
    horizon = v["intervals"] * v["interval"]
    if v["warm_up"] >= horizon:
        raise ValueError(f"warm_up must be shorter than the simulated time ({horizon:g} s); "
                         f"got {v['warm_up']:g}")
    count = int(v["intervals"])
    times, which, handle, patience_times = _draw(
        np.random.default_rng(seed), np.full(count, v["calls"]), np.full(count, v["aht"]), v)
    answer = np.array(_serve(times.tolist(), handle.tolist(),
                             None if patience_times is None else patience_times.tolist(),
                             int(v["agents"])))
    answered = np.isfinite(answer)
    wait = np.where(answered, answer - times, np.inf)
    if patience_times is not None:
        gave_up = np.where(answered, 0.0, patience_times)
    else:
        gave_up = np.zeros(times.size)
    measured = times >= v["warm_up"]
    window = np.array([v["warm_up"], horizon])
    busy = busy_seconds(answer[answered], answer[answered] + handle[answered], window)[0]
    result = _summarise(measured, answered, wait, gave_up, v["target_time"], v["short_abandon"])
    occupancy = _ratio(busy, v["agents"] * (horizon - v["warm_up"]), 0.0)
    table = None
    if records:
        import pandas as pd

        table = pd.DataFrame({
            "arrival": times, "interval": which, "answered": answered,
            "wait": np.where(answered, wait, gave_up), "handle_time": np.where(answered, handle, 0.0),
            "answer": answer, "end": np.where(answered, answer + handle, times + gave_up),
        })
    return QueueResult(occupancy=occupancy, records=table, **result)


def _summarise(measured, answered, wait, gave_up, target_time, short_abandon) -> dict[str, Any]:
    """The QueueResult measures over the calls selected by ``measured``.

    ``wait`` is the wait of answered calls (inf for the others); ``gave_up`` is how long an
    abandoning caller waited before hanging up (0 for answered calls).
    """
    offered = int(measured.sum())
    ans = measured & answered
    lost = measured & ~answered
    n_answered, n_abandoned = int(ans.sum()), int(lost.sum())
    within = int((ans & (wait <= target_time)).sum())
    answered_at_once = int((ans & (wait == 0)).sum())
    quick = int((lost & (gave_up <= target_time)).sum())
    short = int((lost & (gave_up <= short_abandon)).sum())
    waits = np.where(answered, wait, gave_up)[measured]
    nothing = 0.0 if offered == 0 else math.inf  # no call answered: no finite average
    return dict(
        service_level=_ratio(within, offered, 1.0),
        average_speed_of_answer=_ratio(wait[ans].sum(), n_answered, nothing),
        p_abandon=_ratio(n_abandoned, offered, 0.0),
        calls_offered=offered,
        calls_answered=n_answered,
        calls_abandoned=n_abandoned,
        answered_within_target=within,
        p_wait=_ratio(offered - answered_at_once, offered, 0.0),
        average_wait_all_calls=_ratio(waits.sum(), offered, 0.0),
        service_level_of_answered=_ratio(within, n_answered, 1.0),
        service_level_excluding_abandons_within_target=_ratio(within, offered - quick, 1.0),
        service_level_excluding_short_abandons=_ratio(within, offered - short, 1.0),
    )


def simulate_intervals(calls, aht, agents, *, interval=INTERVAL, target_time=20, patience=None,
                       seed=None, handle_cv=None, records=False):
    """Simulate a run of consecutive intervals whose calls, AHT and agents change.

    The queue starts empty at the start of the first interval. Interval k offers ``calls[k]``
    Poisson calls with mean handling time ``aht[k]``, answered by ``agents[k]`` agents; when the
    team shrinks, the agents who become free first log off (nobody drops a call; an agent who
    finishes a call after logging off counts as logged in until then). After the last interval
    its agents stay until every caller is answered or has hung up; if it has no agents, callers
    still waiting are never answered and count as abandoned.

    Parameters
    ----------
    calls, aht, agents : array_like
        One value per interval (single numbers are repeated to the length of the others).
    interval, target_time, patience, seed, handle_cv
        As in :func:`simulate_queue`.
    records : bool, default False
        Also return the per-call table.

    Returns
    -------
    pandas.DataFrame, or (DataFrame, DataFrame) with ``records=True``
        One row per interval: ``calls_offered``, ``calls_answered``, ``calls_abandoned``,
        ``answered_within_target``, ``aht_seconds`` (mean handling time of the calls answered;
        NaN where none was), ``agents``, ``service_level`` (answered within target / offered),
        ``average_speed_of_answer`` (answered calls, seconds) and ``occupancy`` (handling time /
        logged-in time in the interval). Calls belong
        to the interval in which they arrive.

    Examples
    --------
    >>> day = simulate_intervals(calls=[60, 120, 90], aht=240, agents=[10, 14, 12], seed=1)
    >>> day[["calls_offered", "calls_answered", "agents"]].values.tolist()
    [[60, 60, 10], [107, 107, 14], [85, 85, 12]]
    """
    import pandas as pd

    s = _single_numbers("It is one setting for the whole run.", interval=interval,
                        target_time=target_time, patience=patience, handle_cv=handle_cv)
    (calls_k, aht_k, team), _ = _inputs.check(calls=np.atleast_1d(calls), aht=np.atleast_1d(aht),
                                               agents=np.atleast_1d(agents))
    team = team.astype(int)
    length = s["interval"]
    times, which, handle, patience_times = _draw(np.random.default_rng(seed), calls_k, aht_k, s)
    answer, overtime = _serve_changing(
        times.tolist(), handle.tolist(), None if patience_times is None else patience_times.tolist(),
        (np.arange(team.size) * length).tolist(), team.tolist())
    answer = np.array(answer)
    answered = np.isfinite(answer)
    wait = np.where(answered, answer - times, np.inf)
    n = calls_k.size
    offered = np.bincount(which, minlength=n)
    n_answered = np.bincount(which[answered], minlength=n)
    within = np.bincount(which[answered & (wait <= s["target_time"])], minlength=n)
    handled = np.bincount(which[answered], weights=handle[answered], minlength=n)
    waited = np.bincount(which[answered], weights=wait[answered], minlength=n)
    edges = np.arange(n + 1) * length
    busy = busy_seconds(answer[answered], answer[answered] + handle[answered], edges)
    logged_in = team * length
    if overtime:
        stay = np.array(overtime)
        logged_in = logged_in + busy_seconds(stay[:, 0], stay[:, 1], edges)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({
            "calls_offered": offered,
            "calls_answered": n_answered,
            "calls_abandoned": offered - n_answered,
            "answered_within_target": within,
            "aht_seconds": np.where(n_answered > 0, handled / n_answered, np.nan),
            "agents": team,
            "service_level": np.where(offered > 0, within / offered, 1.0),
            "average_speed_of_answer": np.where(n_answered > 0, waited / n_answered,
                                                np.where(offered > 0, np.inf, 0.0)),
            "occupancy": np.where(logged_in > 0, np.minimum(busy / logged_in, 1.0), 0.0),
        })
    if not records:
        return table
    per_call = pd.DataFrame({
        "arrival": times, "interval": which, "answered": answered,
        "wait": np.where(answered, wait, patience_times if patience_times is not None else np.inf),
        "handle_time": np.where(answered, handle, 0.0), "answer": answer,
    })
    return table, per_call
