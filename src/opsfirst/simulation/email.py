"""Email: deferred work, which arrives around the clock and is answered in working hours.

A seeded simulator, :func:`simulate_email`, in the units used everywhere in opsfirst (times in
seconds, emails per interval, ``interval`` 1800 s unless given): email arrives around the clock
but is worked only while email agents are on shift, so the backlog builds overnight and is
cleared in the morning.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _inputs
from .._inputs import INTERVAL
from ._common import handle_times, per_interval, poisson_arrivals, single_settings

__all__ = ["EmailResult", "simulate_email"]

INF = math.inf


def _duty(team: np.ndarray, length: float, agent: int) -> tuple[list[float], list[float], list[float]]:
    """Agent ``agent``'s shifts: block starts, block ends and duty seconds before each block."""
    on = np.concatenate([[False], team > agent, [False]])
    starts = np.flatnonzero(on[1:] & ~on[:-1]) * length
    ends = np.flatnonzero(on[:-1] & ~on[1:]) * length
    before = np.concatenate([[0.0], np.cumsum(ends - starts)[:-1]])
    return starts.tolist(), ends.tolist(), before.tolist()


def _serve_emails(arrivals: list[float], handle: list[float], team: np.ndarray, length: float):
    """Reply times and agents of emails worked first in, first out, only while agents are on.

    Email k goes to the agent who can start it first; work on it pauses when the agent's
    shift ends and resumes at their next shift. Emails not finished when the last shift ends
    are open (``inf``, agent -1).
    """
    n_agents = int(team.max()) if team.size else 0
    duty = [_duty(team, length, a) for a in range(n_agents)]
    duty_end = [[b + (e - s) for s, e, b in zip(*d)] for d in duty]  # duty seconds by block end
    free = [0.0] * n_agents
    reply = [INF] * len(arrivals)
    who = [-1] * len(arrivals)
    for k, t in enumerate(arrivals):
        best, best_agent, best_block = INF, -1, -1
        for a in range(n_agents):
            starts, ends, _ = duty[a]
            ready = t if t > free[a] else free[a]
            j = bisect_right(ends, ready)
            if j == len(ends):
                continue
            start = ready if ready > starts[j] else starts[j]
            if start < best:
                best, best_agent, best_block = start, a, j
        if best_agent < 0:
            continue
        starts, ends, before = duty[best_agent]
        position = before[best_block] + (best - starts[best_block]) + handle[k]
        m = bisect_left(duty_end[best_agent], position)
        if m == len(ends):
            free[best_agent] = INF  # still on it when the data ends
            continue
        finish = starts[m] + (position - before[m])
        free[best_agent] = finish
        reply[k], who[k] = finish, best_agent
    return reply, who


@dataclass(frozen=True)
class EmailResult:
    """What a simulated email team did.

    Attributes
    ----------
    emails_arrived, emails_answered, emails_open : counts (open: not answered when the
        simulated time ends).
    median_response_time, p90_response_time : response times (arrival to reply) of the
        emails answered, seconds.
    service_level : emails answered within ``target_time`` / emails whose target fell inside
        the simulated time (those arriving at least ``target_time`` before its end).
    records : per-email table: ``arrival``, ``first_response`` (the reply, NaN while open),
        ``agent`` (empty while open), ``handle_time`` (seconds), ``response_time``
        (seconds, NaN while open), ``interval``.
    backlog : per-interval table: ``emails_arrived``, ``emails_answered`` (replies sent in
        the interval), ``backlog`` (arrived so far minus answered so far, at the end of the
        interval) and ``agents``.
    """

    emails_arrived: int
    emails_answered: int
    emails_open: int
    median_response_time: float
    p90_response_time: float
    service_level: float
    records: Any
    backlog: Any


def simulate_email(emails, aht, agents, *, interval=INTERVAL, target_time=86_400, seed=None,
                   handle_cv=None) -> EmailResult:
    """Simulate email as deferred work: it arrives any time, it is answered in working hours.

    Emails arrive at random (Poisson) at ``emails[k]`` in interval k, around the clock, and
    wait first in, first out. Agents ``0 .. agents[k] - 1`` work in interval k; an agent on
    shift takes the oldest email waiting and replies when it is done (the first response is
    the reply). An email still in hand when the agent's shift ends waits for that agent's next
    shift. Nothing is worked in an interval with no agents, so the backlog builds overnight.

    Parameters
    ----------
    emails : array_like
        Emails arriving per interval, one value per interval.
    aht : float or array_like
        Mean handling time of one email, seconds (one value, or one per interval of arrival).
    agents : array_like
        Email agents working in each interval (0 when nobody works email).
    interval : float, default 1800
        Interval length, seconds.
    target_time : float, default 86400
        Response-time target, seconds (86400 for "within 24 hours").
    seed : int, optional
        Seed for the random numbers.
    handle_cv : float, optional
        Coefficient of variation of handling times (lognormal); None: exponential.

    Returns
    -------
    EmailResult

    Examples
    --------
    Twelve emails an hour day and night, two agents 08:00-20:00, two days:

    >>> day = [6] * 48
    >>> team = [0] * 16 + [2] * 24 + [0] * 8
    >>> r = simulate_email(emails=day * 2, aht=300, agents=team * 2, seed=1)
    >>> r.emails_arrived, r.emails_open, int(r.backlog["backlog"].max())
    (574, 55, 136)
    >>> round(r.median_response_time / 3600, 1)
    4.2
    """
    s = single_settings(dict(interval=interval, target_time=target_time,
                     **({"handle_cv": handle_cv} if handle_cv is not None else {})),
                "; give one value for the whole run")
    rate, aht_k, team = per_interval(None, emails=emails, aht=aht, agents=agents)
    if rate.size != team.size:
        raise ValueError(f"emails and agents must give one value per interval each; got "
                         f"{rate.size} and {team.size} values")
    rate, aht_k, team = _inputs.broadcast(emails=rate, aht=aht_k, agents=team)
    team = team.astype(int)
    length = s["interval"]
    rng = np.random.default_rng(seed)
    times = poisson_arrivals(rng, rate, length)
    which = (times // length).astype(np.int64)
    handle = handle_times(rng, aht_k[which], s.get("handle_cv"))
    reply, who = _serve_emails(times.tolist(), handle.tolist(), team, length)
    reply = np.array(reply)
    answered = np.isfinite(reply)
    response = np.where(answered, reply - times, np.nan)
    import pandas as pd

    records = pd.DataFrame({
        "arrival": times,
        "first_response": np.where(answered, reply, np.nan),
        "agent": pd.array(np.where(answered, who, 0), dtype="Int64"),
        "handle_time": handle,
        "response_time": response,
        "interval": which,
    })
    records.loc[~answered, "agent"] = pd.NA
    edges = np.arange(team.size + 1) * length
    arrived = np.bincount(which, minlength=team.size)
    replied = np.histogram(reply[answered], bins=edges)[0] if answered.any() else np.zeros(team.size, int)
    backlog = pd.DataFrame({"emails_arrived": arrived, "emails_answered": replied,
                            "backlog": np.cumsum(arrived) - np.cumsum(replied), "agents": team})
    due = times + s["target_time"] <= team.size * length
    on_time = answered & due & (response <= s["target_time"])
    done = response[answered]
    return EmailResult(
        emails_arrived=int(times.size), emails_answered=int(answered.sum()),
        emails_open=int((~answered).sum()),
        median_response_time=float(np.median(done)) if done.size else math.nan,
        p90_response_time=float(np.quantile(done, 0.9)) if done.size else math.nan,
        service_level=float(on_time.sum() / due.sum()) if due.any() else math.nan,
        records=records, backlog=backlog,
    )
