"""Chat, email and outbound: the channels that do not queue like a phone call.

Three seeded simulators, one per channel, in the units used everywhere in opsfirst (times in
seconds, volumes per interval, ``interval`` 1800 s unless given):

* :func:`simulate_chat` -- each agent holds up to ``concurrency`` chats at once, and every chat
  is slower the more chats its agent already holds;
* :func:`simulate_email` -- email arrives around the clock but is worked only while email
  agents are on shift: the backlog builds overnight and is cleared in the morning;
* :func:`simulate_dialler` -- a predictive dialler places more calls than there are free
  agents; a person who answers and finds no agent within 2 seconds is an *abandoned* call.

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
from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _inputs
from .queue import _busy_seconds, _handle_times

__all__ = ["ChatResult", "simulate_chat", "EmailResult", "simulate_email", "DiallerResult",
           "simulate_dialler", "OUTCOMES", "DIALLER_OUTCOME_SHARES"]

INTERVAL = 1800
INF = math.inf


def _single(named: dict[str, Any], hint: str = "") -> dict[str, float]:
    """Check single-number settings and return them as floats."""
    for name, value in named.items():
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number; got an array{hint}")
    arrays, _ = _inputs.check(**named)
    return {name: float(a) for name, a in zip(named, arrays)}


def _per_interval(hint_length: int | None = None, **named: Any) -> list[np.ndarray]:
    """Check per-interval arrays (single numbers are repeated) and give them one length."""
    arrays, _ = _inputs.check(**{k: np.atleast_1d(v) for k, v in named.items()})
    if hint_length is not None:
        arrays = [np.broadcast_to(a, (max(hint_length, a.size),)) if a.size == 1 else a
                  for a in arrays]
        arrays = _inputs.broadcast(**dict(zip(named, arrays)))
    return [np.ascontiguousarray(a) for a in arrays]


def _poisson_arrivals(rng: np.random.Generator, rate: np.ndarray, interval: float) -> np.ndarray:
    """Sorted Poisson arrival times at ``rate[k]`` per interval in interval k."""
    counts = rng.poisson(rate)
    which = np.repeat(np.arange(rate.size), counts)
    return np.sort((which + rng.random(which.size)) * interval)


# ====================================================================================== chat


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
    s = _single(settings, "; give one value for the whole run")
    rate, team = _per_interval(int(s["intervals"]), chats=chats, agents=agents)
    team = team.astype(int)
    length = s["interval"]
    horizon = rate.size * length
    if s["warm_up"] >= horizon:
        raise ValueError(f"warm_up must be shorter than the simulated time ({horizon:g} s); "
                         f"got {s['warm_up']:g}")
    rng = np.random.default_rng(seed)
    times = _poisson_arrivals(rng, rate, length)
    base = _handle_times(rng, np.full(times.size, s["aht"]), s.get("handle_cv"))
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
    busy = _busy_seconds(pickup[answered], end[answered], np.array([s["warm_up"], horizon]))[0]
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


# ===================================================================================== email


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
    s = _single(dict(interval=interval, target_time=target_time,
                     **({"handle_cv": handle_cv} if handle_cv is not None else {})),
                "; give one value for the whole run")
    rate, aht_k, team = _per_interval(None, emails=emails, aht=aht, agents=agents)
    if rate.size != team.size:
        raise ValueError(f"emails and agents must give one value per interval each; got "
                         f"{rate.size} and {team.size} values")
    rate, aht_k, team = _inputs.broadcast(emails=rate, aht=aht_k, agents=team)
    team = team.astype(int)
    length = s["interval"]
    rng = np.random.default_rng(seed)
    times = _poisson_arrivals(rng, rate, length)
    which = (times // length).astype(np.int64)
    handle = _handle_times(rng, aht_k[which], s.get("handle_cv"))
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


# ================================================================================== outbound

OUTCOMES = ("no_answer", "busy", "machine", "live_answer", "right_party_contact", "abandoned")
"""Outcomes of a dialled attempt, in the order used by :func:`simulate_dialler`."""

DIALLER_OUTCOME_SHARES = {"no_answer": 0.45, "busy": 0.05, "machine": 0.20, "live": 0.30}
"""Default shares of what happens when a number is dialled (**assumed**, not published).

``live`` is a person answering; the dialler then connects them to an agent (a right-party
contact or another person: ``right_party_share``) or, with no agent free within 2 seconds,
abandons the call.
"""

CONNECT_WITHIN = 2.0
"""Seconds within which a person who answers must reach an agent (or hear a recorded message);
later, the call counts as abandoned (Ofcom's "two-second" rule, see the catalogue entry)."""
RING_LIMIT = 20.0
"""Seconds an unanswered number rings before the dialler gives up (assumed; Ofcom's guidance
asks for at least 15 seconds)."""


@dataclass(frozen=True)
class DiallerResult:
    """What a simulated predictive-dialler session did.

    Attributes
    ----------
    attempts : numbers dialled.
    counts : dict outcome -> attempts, for every outcome in :data:`OUTCOMES`.
    live_calls : attempts a person answered: live_answer + right_party_contact + abandoned.
    abandoned_rate : abandoned / live calls -- the rate Ofcom asks to keep at or below 3% per
        campaign per 24 hours (live answers hung up as machines count as abandoned).
    right_party_per_agent_hour : right-party contacts per agent per hour of the session.
    utilisation : agent time on calls (talk and wrap) / agent time in the session.
    records : per-attempt table with ``records=True``: ``dialled_at``, ``resolved_at`` (when the
        outcome was known), ``outcome``, ``agent`` (empty if not connected), ``talk_seconds``
        (0 if not connected).
    """

    attempts: int
    counts: dict
    live_calls: int
    abandoned_rate: float
    right_party_per_agent_hour: float
    utilisation: float
    records: Any = None


def simulate_dialler(agents, pacing, *, interval=3600, aht=240, wrap_time=30, right_party_share=0.6,
                     wrong_party_talk=40, amd_false_positive=0.0, outcome_shares=None, seed=None,
                     handle_cv=None, records=False) -> DiallerResult:
    """Simulate a predictive dialler: more numbers dialled than there are free agents.

    Whenever something happens, the dialler dials until the calls ringing reach ``pacing`` x
    the free agents (a fractional pacing such as 1.3 gives each agent who becomes free 2 lines
    with probability 0.3 and 1 line otherwise). Each number dialled rings and then is not answered (after 20 s), busy,
    an answering machine (detected and dropped), or a person. A person goes to a free agent;
    with none free, they wait up to 2 seconds for one, and otherwise the call is *abandoned*
    (in the UK: a recorded message, and it counts against Ofcom's limit). With
    ``pacing=1`` (progressive dialling) there are never more calls ringing than free agents,
    so no call is abandoned; higher pacing keeps agents busier and abandons more.

    Parameters
    ----------
    agents : int
        Agents on the campaign.
    pacing : float
        Calls ringing per free agent, 1 or more.
    interval : float, default 3600
        Length of the dialling session, seconds (calls still ringing at the end finish).
    aht : float, default 240
        Mean talk time of a right-party contact, seconds.
    wrap_time : float, default 30
        After-call work per connected call, seconds (fixed).
    right_party_share : float, default 0.6
        Share of connected people who are the person the campaign wants (assumed).
    wrong_party_talk : float, default 40
        Mean talk time with anybody else, seconds (assumed).
    amd_false_positive : float, default 0
        Share of people the answering-machine detection takes for a machine and drops: they
        count as abandoned calls.
    outcome_shares : dict, optional
        Shares of ``no_answer``, ``busy``, ``machine`` and ``live`` (summing to 1); default
        :data:`DIALLER_OUTCOME_SHARES` (assumed).
    seed : int, optional
        Seed for the random numbers.
    handle_cv : float, optional
        Coefficient of variation of talk times (lognormal); None: exponential.
    records : bool, default False
        Also return the per-attempt table.

    Returns
    -------
    DiallerResult

    Examples
    --------
    Ten agents for four hours: progressive dialling abandons nothing; pacing 2 abandons more
    than twice Ofcom's 3% of live calls, for one more right-party contact per agent-hour:

    >>> r = simulate_dialler(agents=10, pacing=1, interval=4 * 3600, seed=3)
    >>> r.attempts, r.counts["abandoned"], round(r.right_party_per_agent_hour, 1)
    (2069, 0, 9.8)
    >>> r = simulate_dialler(agents=10, pacing=2, interval=4 * 3600, seed=3)
    >>> r.attempts, round(r.abandoned_rate, 3), round(r.right_party_per_agent_hour, 1)
    (2480, 0.068, 10.6)
    """
    settings = dict(agents=agents, pacing=pacing, interval=interval, aht=aht)
    if handle_cv is not None:
        settings["handle_cv"] = handle_cv
    s = _single(settings)
    for name, value, allowed in (("wrap_time", wrap_time, "seconds of after-call work, 0 or more"),
                                 ("wrong_party_talk", wrong_party_talk, "seconds, more than 0")):
        _inputs.number(name, value, allowed=allowed, low=0, low_open=name != "wrap_time")
    for name, value in (("right_party_share", right_party_share),
                        ("amd_false_positive", amd_false_positive)):
        _inputs.number(name, value, allowed="a fraction from 0 to 1", low=0, high=1)
    shares = dict(DIALLER_OUTCOME_SHARES if outcome_shares is None else outcome_shares)
    if set(shares) != set(DIALLER_OUTCOME_SHARES):
        raise ValueError("outcome_shares must give exactly no_answer, busy, machine and live; "
                         f"got {sorted(shares)}")
    p = np.array([float(_inputs.number("outcome_shares", shares[k], low=0, high=1,
                                       allowed="fractions from 0 to 1 that add up to 1"))
                  for k in ("no_answer", "busy", "machine", "live")])
    if abs(p.sum() - 1) > 1e-9:
        raise ValueError(f"outcome_shares must add up to 1; got {p.sum():g}")
    n_agents, end_dialling = int(s["agents"]), s["interval"]
    rng = np.random.default_rng(seed)
    sigma2 = math.log1p(s["handle_cv"] ** 2) if handle_cv is not None else None

    def talk(mean: float) -> float:
        if sigma2 is None:
            return float(rng.exponential(mean))
        return float(rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2)))

    dialled, resolved, outcome, agent_of, talked = [], [], [], [], []
    events: list[tuple[float, int, int, int]] = []  # (time, order, kind, who)
    RESOLVE, FREE, DEADLINE = 0, 1, 2
    idle = list(range(n_agents))  # a heap of free agents: the lowest number answers first
    heapq.heapify(idle)
    whole, fraction = int(s["pacing"]), s["pacing"] - int(s["pacing"])
    lines = [whole + (rng.random() < fraction) for _ in range(n_agents)]  # calls per free agent
    idle_lines = sum(lines)
    waiting: deque[int] = deque()
    in_flight = 0
    order = 0
    busy_seconds = 0.0
    kinds = {0: "no_answer", 1: "busy", 2: "machine", 3: "live"}

    def dial(now: float) -> None:
        nonlocal in_flight, order
        while now < end_dialling and in_flight < idle_lines:
            kind = kinds[int(rng.choice(4, p=p))]
            if kind == "no_answer":
                ring = RING_LIMIT
            elif kind == "busy":
                ring = 3.0
            else:
                ring = float(rng.uniform(4.0, 15.0))  # a person or a machine picks up
                if kind == "machine":
                    ring += 3.0  # answering-machine detection listens for about 3 s (assumed)
            attempt = len(dialled)
            dialled.append(now)
            resolved.append(now + ring)
            outcome.append(kind)
            agent_of.append(-1)
            talked.append(0.0)
            in_flight += 1
            heapq.heappush(events, (now + ring, order, RESOLVE, attempt))
            order += 1

    def connect(attempt: int, a: int, now: float) -> None:
        nonlocal order, busy_seconds
        right = rng.random() < right_party_share
        seconds = talk(s["aht"] if right else wrong_party_talk)
        outcome[attempt] = "right_party_contact" if right else "live_answer"
        agent_of[attempt], talked[attempt] = a, seconds
        busy_seconds += seconds + wrap_time
        heapq.heappush(events, (now + seconds + wrap_time, order, FREE, a))
        order += 1

    dial(0.0)
    while events:
        now, _, kind, who = heapq.heappop(events)
        if kind == RESOLVE:
            in_flight -= 1
            if outcome[who] == "live":
                if amd_false_positive and rng.random() < amd_false_positive:
                    outcome[who] = "abandoned"  # taken for a machine and dropped
                elif idle:
                    a = heapq.heappop(idle)
                    idle_lines -= lines[a]
                    connect(who, a, now)
                else:
                    waiting.append(who)
                    heapq.heappush(events, (now + CONNECT_WITHIN, order, DEADLINE, who))
                    order += 1
        elif kind == FREE:
            while waiting and outcome[waiting[0]] != "live":
                waiting.popleft()
            if waiting:
                connect(waiting.popleft(), who, now)
            else:
                lines[who] = whole + (rng.random() < fraction)
                idle_lines += lines[who]
                heapq.heappush(idle, who)
        elif outcome[who] == "live":  # DEADLINE: nobody came within 2 s
            outcome[who] = "abandoned"
            resolved[who] = now
        dial(now)
    import collections

    tally = collections.Counter(outcome)
    counts = {k: int(tally.get(k, 0)) for k in OUTCOMES}
    live = counts["live_answer"] + counts["right_party_contact"] + counts["abandoned"]
    hours = n_agents * end_dialling / 3600
    table = None
    if records:
        import pandas as pd

        table = pd.DataFrame({
            "dialled_at": dialled, "resolved_at": resolved,
            "outcome": pd.Categorical(outcome, categories=OUTCOMES),
            "agent": pd.array([a if a >= 0 else None for a in agent_of], dtype="Int64"),
            "talk_seconds": talked,
        })
    return DiallerResult(
        attempts=len(dialled), counts=counts, live_calls=live,
        abandoned_rate=counts["abandoned"] / live if live else 0.0,
        right_party_per_agent_hour=counts["right_party_contact"] / hours if hours else 0.0,
        utilisation=busy_seconds / (n_agents * end_dialling) if n_agents else 0.0,
        records=table,
    )
