"""Outbound: a predictive dialler, and the calls it abandons.

A seeded simulator, :func:`simulate_dialler`, in the units used everywhere in opsfirst (times
in seconds; a dialling session is ``interval`` seconds, an hour unless given): a predictive
dialler places more calls than there are free agents, and a person who answers and finds no
agent within 2 seconds is an *abandoned* call.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _inputs
from ._common import single_settings

__all__ = ["DiallerResult", "simulate_dialler", "OUTCOMES", "DIALLER_OUTCOME_SHARES"]

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
    s = single_settings(settings)
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
