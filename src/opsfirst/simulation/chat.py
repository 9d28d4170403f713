"""Chat: each agent holds several chats at once, and each chat is slower the more they hold.

A seeded simulator, :func:`simulate_chat`, in the units used everywhere in opsfirst (times in
seconds, chats per interval, ``interval`` 1800 s unless given): each agent holds up to
``concurrency`` chats at once, and every chat is slower the more chats its agent already holds.

The concurrency slowdown
------------------------
Typing to three customers at once is slower than typing to one. The simulator models this
with one factor, fixed when a chat is picked up::

    handling time = base handling time x (1 + slowdown x (chats held - 1))

where "chats held" counts the new chat. With ``slowdown=0.25`` a chat picked up as an agent's
third takes 1.5 times its base time. The linear form and any particular value of ``slowdown``
are **assumed**, not taken from a published source. Published practice sets the number of
chats, not the slowdown: agents are usually limited to 3 or 4 chats at a time (G. Koole,
"Staffing chat sessions", WFManagement blog, 10 May 2013), and concurrency is measured as
concurrent chats per agent (15 chats held by 5 agents is a concurrency of 3: Call Centre
Helper, "What is the Formula for Concurrency In Chat Support?"). Both are in
``tests/reference/worked_examples.json`` (topic "channels").

With ``concurrency=1`` and ``slowdown=0`` chat is the Erlang C queue with ``agents`` servers;
with ``concurrency=k`` and ``slowdown=0`` it is the Erlang C queue with ``k x agents``
servers. The tests check both against :mod:`opsfirst.staffing`.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._inputs import INTERVAL
from ._common import busy_seconds, handle_times, per_interval, poisson_arrivals, single_settings

__all__ = ["ChatResult", "simulate_chat"]

INF = math.inf


def _serve_chats(arrivals: list[float], handle: list[float], patience: list[float] | None,
                 change_times: list[float], team: list[int], k: int, slowdown: float):
    """Event loop of the chat queue.

    Returns, per chat: pick-up time (``inf`` if never picked up), end time, agent (-1) and the
    chats its agent held once it was picked up (0). A chat waits first come, first served for
    the first free slot, at the agent holding the fewest chats (ties: the lowest number).
    Agents ``0 .. team[j] - 1`` take new chats from ``change_times[j]``; an agent who logs off
    finishes the chats they hold.
    """
    n = len(arrivals)
    pickup, end, agent, held = [INF] * n, [INF] * n, [-1] * n, [0] * n
    load = [0] * (max(team) if team else 0)
    active = 0
    free: list[tuple[int, int]] = []  # (chats held, agent): lazy entries, checked when used
    done: list[tuple[float, int]] = []  # (end time, agent)
    waiting: deque[int] = deque()
    push, pop = heapq.heappush, heapq.heappop
    i = c = 0
    changes = len(change_times)
    while True:
        t_arrival = arrivals[i] if i < n else INF
        t_done = done[0][0] if done else INF
        t_change = change_times[c] if c < changes else INF
        now = min(t_arrival, t_done, t_change)
        if now == INF:
            break
        if t_done == now:  # a chat ends: its slot frees first
            a = pop(done)[1]
            load[a] -= 1
            if a < active:
                push(free, (load[a], a))
        elif t_change == now:
            size = team[c]
            c += 1
            for a in range(active, size):
                if load[a] < k:
                    push(free, (load[a], a))
            active = size
        else:
            waiting.append(i)
            i += 1
        while waiting:
            while free:
                l, a = free[0]
                if a < active and l == load[a] and l < k:
                    break
                pop(free)
            else:
                break  # no free slot
            j = waiting.popleft()
            if patience is not None and now - arrivals[j] > patience[j]:
                continue  # gave up before this slot freed
            pop(free)
            load[a] += 1
            h = handle[j] * (1.0 + slowdown * (load[a] - 1))
            pickup[j], end[j], agent[j], held[j] = now, now + h, a, load[a]
            push(done, (now + h, a))
            if load[a] < k:
                push(free, (load[a], a))
    return pickup, end, agent, held


@dataclass(frozen=True)
class ChatResult:
    """What a simulated chat queue did, over the chats offered after the warm-up.

    Attributes
    ----------
    service_level : chats picked up within ``target_time`` / chats *offered* (chats that were
        given up count as missed).
    average_first_response : mean wait of the chats picked up, seconds (the chat's ASA).
    p_abandon : share of offered chats given up before an agent picked them up.
    utilisation : mean chats held / (``concurrency`` x agents logged in), over the simulated
        intervals after the warm-up.
    mean_concurrency_at_pickup : mean number of chats the agent held once a chat was picked
        up (this chat included).
    chats_offered, chats_answered, chats_abandoned, answered_within_target : counts.
    records : per-chat table when asked for with ``records=True``: ``arrival``,
        ``first_response`` (pick-up time; NaN if given up), ``end`` (end of the chat, or the
        moment the customer gave up), ``agent`` and ``concurrency_at_pickup`` (empty if given
        up), ``handle_time`` (seconds, after the slowdown), ``abandoned``, ``interval``.
    """

    service_level: float
    average_first_response: float
    p_abandon: float
    utilisation: float
    mean_concurrency_at_pickup: float
    chats_offered: int
    chats_answered: int
    chats_abandoned: int
    answered_within_target: int
    records: Any = None


def simulate_chat(chats, aht, agents, *, concurrency=1, slowdown=0.0, interval=INTERVAL,
                  intervals=1, target_time=60, patience=None, seed=None, warm_up=0,
                  handle_cv=None, records=False) -> ChatResult:
    """Simulate a chat queue where each agent holds up to ``concurrency`` chats at once.

    Chats arrive at random (Poisson) at ``chats`` per interval and wait, first come first
    served, for the first free slot; the chat goes to the agent holding the fewest chats. Its
    handling time is a random base time (mean ``aht``) times
    ``1 + slowdown x (chats held - 1)``, counting the chats held once it is picked up (an
    *assumed* factor: see the module notes). A customer whose wait exceeds their patience
    leaves. The queue starts empty; agents stay until every chat has ended.

    Parameters
    ----------
    chats : float or array_like
        Chats offered per interval (one value, or one per interval).
    aht : float
        Mean base handling time of one chat held alone, seconds.
    agents : int or array_like
        Agents on chat (one value, or one per interval). When the team shrinks, the agents
        with the highest numbers stop taking new chats and finish the ones they hold.
    concurrency : int, default 1
        Most chats one agent holds at once (typically 2 to 4).
    slowdown : float, default 0
        Extra handling time per extra chat held, as a fraction (assumed; 0.25 is 25%).
    interval : float, default 1800
        Interval length, seconds.
    intervals : int, default 1
        Number of intervals when ``chats`` and ``agents`` are single numbers.
    target_time : float, default 60
        First-response target for the service level, seconds.
    patience : float, optional
        Mean time customers wait before leaving (exponential), seconds; None: nobody leaves.
    seed : int, optional
        Seed for the random numbers; the same seed gives the same result.
    warm_up : float, default 0
        Seconds at the start whose chats are simulated but not measured.
    handle_cv : float, optional
        Coefficient of variation of base handling times (lognormal); None: exponential.
    records : bool, default False
        Also return the per-chat table (a pandas DataFrame) in ``.records``.

    Returns
    -------
    ChatResult

    Examples
    --------
    Ten Erlangs of chats on 7 agents holding two chats each, no slowdown: the Erlang C queue
    of 14 agents (0.888 of chats picked up within 20 s in the long run):

    >>> r = simulate_chat(chats=100, aht=180, agents=7, concurrency=2, target_time=20,
    ...                   intervals=480, seed=2026)
    >>> r.chats_offered, round(r.service_level, 3), round(r.utilisation, 2)
    (48398, 0.892, 0.71)

    A slowdown of 25% per extra chat costs service:

    >>> r = simulate_chat(chats=100, aht=180, agents=7, concurrency=2, slowdown=0.25,
    ...                   target_time=20, intervals=480, seed=2026)
    >>> round(r.service_level, 3), round(r.mean_concurrency_at_pickup, 2)
    (0.527, 1.87)
    """
    settings = dict(aht=aht, concurrency=concurrency, slowdown=slowdown, interval=interval,
                    intervals=intervals, target_time=target_time, warm_up=warm_up)
    if patience is not None:
        settings["patience"] = patience
    if handle_cv is not None:
        settings["handle_cv"] = handle_cv
    s = single_settings(settings, "; give one value for the whole run")
    rate, team = per_interval(int(s["intervals"]), chats=chats, agents=agents)
    team = team.astype(int)
    length = s["interval"]
    horizon = rate.size * length
    if s["warm_up"] >= horizon:
        raise ValueError(f"warm_up must be shorter than the simulated time ({horizon:g} s); "
                         f"got {s['warm_up']:g}")
    rng = np.random.default_rng(seed)
    times = poisson_arrivals(rng, rate, length)
    base = handle_times(rng, np.full(times.size, s["aht"]), s.get("handle_cv"))
    waits_allowed = rng.exponential(s["patience"], times.size) if patience is not None else None
    pickup, end, agent, held = _serve_chats(
        times.tolist(), base.tolist(), None if waits_allowed is None else waits_allowed.tolist(),
        (np.arange(team.size) * length).tolist(), team.tolist(), int(s["concurrency"]),
        s["slowdown"])
    pickup, end = np.array(pickup), np.array(end)
    agent, held = np.array(agent, dtype=np.int64), np.array(held, dtype=np.int64)
    answered = np.isfinite(pickup)
    wait = np.where(answered, pickup - times, INF)
    measured = times >= s["warm_up"]
    offered = int(measured.sum())
    ans = measured & answered
    n_answered = int(ans.sum())
    within = int((ans & (wait <= s["target_time"])).sum())
    edges = np.arange(team.size + 1) * length
    busy = busy_seconds(pickup[answered], end[answered], np.array([s["warm_up"], horizon]))[0]
    starts = np.maximum(edges[:-1], s["warm_up"])
    logged_in = float((team * np.clip(edges[1:] - starts, 0, None)).sum())
    capacity = logged_in * s["concurrency"]
    table = None
    if records:
        import pandas as pd

        gave_up_at = times + (waits_allowed if waits_allowed is not None else np.full(times.size, np.nan))
        table = pd.DataFrame({
            "arrival": times,
            "first_response": np.where(answered, pickup, np.nan),
            "end": np.where(answered, end, gave_up_at),
            "agent": pd.array(np.where(answered, agent, 0), dtype="Int64"),
            "concurrency_at_pickup": pd.array(held, dtype="Int64"),
            "handle_time": np.where(answered, end - np.where(answered, pickup, 0.0), np.nan),
            "abandoned": ~answered,
            "interval": (times // length).astype(np.int64),
        })
        table.loc[~answered, ["agent", "concurrency_at_pickup"]] = pd.NA
    return ChatResult(
        service_level=within / offered if offered else 1.0,
        average_first_response=float(wait[ans].mean()) if n_answered else (INF if offered else 0.0),
        p_abandon=(offered - n_answered) / offered if offered else 0.0,
        utilisation=float(busy / capacity) if capacity else 0.0,
        mean_concurrency_at_pickup=float(held[ans].mean()) if n_answered else 0.0,
        chats_offered=offered, chats_answered=n_answered, chats_abandoned=offered - n_answered,
        answered_within_target=within, records=table,
    )
