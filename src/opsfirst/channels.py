"""Channels: chat with concurrency, email as deferred work, outbound, and cost per resolution.

Voice, chat, email and outbound differ in how work arrives (now or deferred), how much of an
agent one contact takes at once, how often a contact resolves the issue, and so in what an
issue costs. This module gives the arithmetic; :mod:`opsfirst.simulation` (``simulate_chat``,
``simulate_email``, ``simulate_dialler``) gives the seeded simulators it is checked against.

* :func:`chat_agents_required` -- agents for a chat queue where each agent holds several chats,
  each slower the more they hold;
* :func:`email_arrivals`, :func:`email_backlog` and :func:`email_agents_required` -- email as
  deferred work: emails arriving per interval, the backlog interval by interval, and the
  fewest agents that answer every email within a response-time target;
* :func:`dialler_funnel` and :func:`abandoned_call_rate` -- an outbound campaign from attempts
  to right-party contacts, and the abandoned-call rate with the right denominator;
* :func:`cost_per_resolution`, :func:`channel_cost_table`, :func:`channel_mix` and
  :func:`channel_shift` -- what a contact and a resolved issue cost per channel, and what
  moving a reason's contacts between channels does to cost and to staff;
* :func:`channel_mix_slider` -- the lesson's what-if widget (ipywidgets is imported only when it
  is called).

Units, as everywhere in opsfirst: times in seconds (``aht``, ``target_time``,
``response_target``, ``interval``, 1800 s unless given); contacts per interval; fractions
between 0 and 1, never percent; money in the currency of the costs (GBP in the course's data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _inputs, fcr, staffing
from ._inputs import INTERVAL

__all__ = [
    "CHAT_SLOWDOWN",
    "OFCOM_ABANDONED_CALL_LIMIT",
    "FTC_ABANDONED_CALL_LIMIT",
    "chat_agents_required",
    "email_arrivals",
    "email_backlog",
    "email_agents_required",
    "dialler_funnel",
    "abandoned_call_rate",
    "cost_per_resolution",
    "channel_cost_table",
    "channel_mix",
    "channel_shift",
    "channel_mix_slider",
]

CHAT_SLOWDOWN = 0.25
"""Extra handling time per extra chat held, the default of :func:`chat_agents_required`.

The factor documented in :mod:`opsfirst.simulation.chat` (handling time = base time x
(1 + 0.25 x (chats held - 1))) and used to build the ``chat`` dataset. **Assumed**: no
published source gives a slowdown; published practice sets the number of chats (3 or 4).
"""

OFCOM_ABANDONED_CALL_LIMIT = 0.03
"""UK: abandoned calls at most 3% of live calls, per campaign per 24 hours.

Ofcom, *Revised statement of policy on the persistent misuse of an electronic communications
network or service* (2008, revised 2010): a call a person answers that is not connected to an
agent within 2 seconds is abandoned; live calls that answering-machine detection wrongly drops
count as abandoned. Ofcom's current statement (Persistent Misuse, 20 December 2016, in force
from 1 March 2017) keeps an annex on calculating the rate; whether it still states 3% as a
fixed limit could not be checked here: confirm before relying on it.
"""

FTC_ABANDONED_CALL_LIMIT = 0.03
"""US: the Telemarketing Sales Rule's safe harbour, 16 CFR 310.4(b)(4)(i).

Abandonment of no more than 3% of all calls answered by a live person, measured over the
duration of a single calling campaign if it is shorter than 30 days, or separately over each
successive 30-day period (Federal Trade Commission). A call is abandoned when a person answers
and no sales representative is connected within 2 seconds of their completed greeting.
"""

_CHANNELS = ("voice", "chat", "email")
_OUTCOMES = ("no_answer", "busy", "machine", "live_answer", "right_party_contact", "abandoned")


# ------------------------------------------------------------------------------- helpers


def _one_number(name: str, value: Any, **rule: Any) -> float:
    array = _inputs.number(name, value, **rule)
    if array.ndim:
        raise ValueError(f"{name} must be one number; got an array of {array.size} values")
    return float(array)


def _series(name: str, value: Any, rule: str) -> tuple[np.ndarray, Any]:
    """A one-dimensional array checked against ``_inputs.RULES[rule]``, and its index if any."""
    index = value.index if isinstance(value, pd.Series) else None
    array = _inputs.number(name, np.asarray(value) if index is not None else value,
                           **_inputs.RULES[rule])
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a list (or Series) with one value per interval; got "
                         + ("one number" if array.ndim == 0
                            else f"an array of shape {array.shape}"))
    return array, index


def _frame(value: Any, name: str, what: str) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame with one row per {what}, e.g. "
                         f"datasets.load({name!r}); got {type(value).__name__}")
    return value


def _column(frame: pd.DataFrame, name: str, column: str, why: str) -> pd.Series:
    if column not in frame.columns:
        raise ValueError(f"{name} has no column {column!r}: {why}. Its columns are "
                         f"{', '.join(map(str, frame.columns))}; rename yours to {column!r}")
    series = frame[column]
    missing = series.isna().to_numpy()
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise ValueError(f"{name}[{column!r}] is empty at row {i} (index {frame.index[i]!r}): "
                         f"{why}, so every row needs one. Fill it in or leave that row out")
    return series


# ---------------------------------------------------------------------------------- chat


def chat_agents_required(chats, aht, *, concurrency=3, slowdown=None, target_service_level=0.8,
                         target_time=60, interval=INTERVAL):
    """Smallest number of chat agents that meets a first-response target.

    An agent holds up to ``concurrency`` chats at once, and each chat is slower the more chats
    its agent holds: handling time = ``aht`` x (1 + ``slowdown`` x (chats held - 1)), the
    factor of :func:`opsfirst.simulation.simulate_chat`.

    **The approximation.** Each agent is ``concurrency`` *slots*; every chat is taken to be
    picked up by a full agent, so its handling time is stretched to
    ``aht`` x (1 + ``slowdown`` x (``concurrency`` - 1)); Erlang C over the slots
    (:func:`opsfirst.staffing.agents_required` with that handling time) gives the slots
    needed, and agents = ceil(slots / ``concurrency``). With ``concurrency=1`` it *is*
    :func:`opsfirst.staffing.agents_required` (the tests check this exactly over a grid).
    Dividing a voice answer by the concurrency ("3 chats = 3 agents") forgets the slowdown
    and under-staffs.

    **Where the simulator disagrees.** In :func:`opsfirst.simulation.simulate_chat` a chat
    picked up by an agent holding fewer chats is faster, so the full-agent stretch is
    pessimistic: at the agents this returns, chats are picked up with 1.8-2.6 chats held on
    average at concurrency 3, not 3. Measured (``tests/channels/test_channels_chat.py``: AHT
    420 s, slowdown 0.25, 80% within 60 s; 20, 60, 120 and 240 chats a half-hour at
    concurrency 2 and 3; 10 seeds of 30 simulated hours each): at the agents returned the
    simulated service level was 87-99%, its 99% interval above 80% in every case; with one
    agent fewer it was 70-87%, clearly enough in 2 of the 8 cases (two more within a point of
    80%); with two fewer, at most 65%. So the answer is never short and at most **one agent
    over**. Nobody leaves in Erlang C: customers who give up (the ``chat`` dataset's
    patience) only make the answer safer still.

    Parameters
    ----------
    chats : float or array_like
        Chats offered in the interval (a forecast may be fractional).
    aht : float or array_like
        Base handling time of one chat held alone, seconds.
    concurrency : int or array_like, default 3
        Most chats one agent holds at once, a whole number, 1 or more.
    slowdown : float or array_like, optional
        Extra handling time per extra chat held, a fraction (0.25: 25% longer for every other
        chat held). Default :data:`CHAT_SLOWDOWN` (0.25, assumed); 0 for none.
    target_service_level : float or array_like, default 0.8
        Share of chats to pick up within ``target_time``, above 0 and below 1.
    target_time : float or array_like, default 60
        First-response target, seconds.
    interval : float or array_like, default 1800
        Interval length, seconds.

    Returns
    -------
    int or numpy.ndarray
        Agents on chat (whole numbers); an array for array input.

    Examples
    --------
    120 chats of 420 s in half an hour, 3 chats at a time, slowdown 0.25:

    >>> chat_agents_required(chats=120, aht=420)
    16

    Without the slowdown the same chats would need 11: the slowdown is worth 5 agents.

    >>> chat_agents_required(chats=120, aht=420, slowdown=0)
    11

    One chat at a time is a voice queue:

    >>> chat_agents_required(chats=[60, 120], aht=420, concurrency=1, target_time=20)
    array([18, 34])
    """
    if slowdown is None:
        slowdown = CHAT_SLOWDOWN
    (chats, aht, k, s, _sl, _tt, _iv), scalar = _inputs.check(
        chats=chats, aht=aht, concurrency=concurrency, slowdown=slowdown,
        target_service_level=target_service_level, target_time=target_time, interval=interval)
    stretched = aht * (1.0 + s * (k - 1.0))
    slots = np.asarray(staffing.agents_required(
        calls=chats, aht=stretched, target_service_level=_sl, target_time=_tt, interval=_iv),
        dtype=np.int64)
    agents = -(-slots // k.astype(np.int64))  # ceil(slots / concurrency) in whole numbers
    return _inputs.plain(agents, scalar, int)


# --------------------------------------------------------------------------------- email


def _email_inputs(arrivals, aht, interval):
    emails, index = _series("arrivals", arrivals, "emails")
    aht_v = _one_number("aht", aht, **_inputs.RULES["aht"])
    length = _one_number("interval", interval, **_inputs.RULES["interval"])
    return emails, index, aht_v, length


def _fluid(emails: np.ndarray, capacity: np.ndarray, aht: float) -> np.ndarray:
    """Work (seconds) still waiting at the end of each interval: first in, first out, fluid."""
    queue = np.empty_like(emails)
    left = 0.0
    for i, (work, cap) in enumerate(zip(emails * aht, capacity)):
        left = max(0.0, left + work - cap)
        queue[i] = left
    return queue


def email_arrivals(email, *, interval=INTERVAL):
    """Emails arriving in each interval, every interval of every day in the data, from 00:00.

    The ``arrivals`` that :func:`email_backlog` and :func:`email_agents_required` take, from
    one row per email: counts per interval (0 where none arrived), from midnight of the first
    day to midnight after the last, on the data's own clock (a day the clocks change has 46 or
    50 half-hours).

    Parameters
    ----------
    email : pandas.DataFrame
        One row per email with ``arrival`` (datetimes), e.g. ``datasets.load("email")``.
    interval : float, default 1800
        Interval length, seconds; divides an hour (1800, 900, 3600).

    Returns
    -------
    pandas.Series
        Emails arriving, indexed by the start of each interval (named ``interval``).

    Examples
    --------
    >>> import pandas as pd
    >>> email = pd.DataFrame({"arrival": pd.to_datetime(["2025-09-15 00:10", "2025-09-15 00:20",
    ...                                                   "2025-09-15 09:05"])})
    >>> counts = email_arrivals(email)
    >>> len(counts), int(counts.sum()), counts.iloc[:2].tolist(), int(counts["2025-09-15 09:00"])
    (48, 3, [2, 0], 1)
    """
    frame = _frame(email, "email", "email")
    arrival = _column(frame, "email", "arrival", "every email needs its arrival time")
    if not (isinstance(arrival.dtype, pd.DatetimeTZDtype) or arrival.dtype.kind == "M"):
        raise ValueError(f"email['arrival'] must hold dates and times (datetime64); it holds "
                         f"{arrival.dtype}. Convert it first: "
                         f"email['arrival'] = pd.to_datetime(email['arrival'])")
    length = _one_number("interval", interval, **_inputs.RULES["interval"])
    if 3600 % length:
        raise ValueError(f"interval must divide an hour into whole intervals (1800, 900, 3600); "
                         f"got {_inputs.show(length)}")
    tz = getattr(arrival.dtype, "tz", None)
    step = pd.Timedelta(seconds=length)
    # whole hours of UTC offset: intervals that divide an hour start at the same moments in
    # UTC and on the local clock, so floor in UTC (no ambiguous times when clocks go back)
    utc = arrival.dt.tz_convert("UTC") if tz is not None else arrival
    slots = utc.dt.floor(step)
    local = arrival.dt.tz_localize(None) if tz is not None else arrival
    first, last = local.min().normalize(), local.max().normalize() + pd.Timedelta(days=1)
    edges = pd.date_range(first, last, freq=step, inclusive="left", tz=tz, ambiguous="infer",
                          nonexistent="shift_forward", name="interval") if tz is not None else \
        pd.date_range(first, last, freq=step, inclusive="left", name="interval")
    if tz is not None:
        edges = pd.DatetimeIndex(pd.Series(edges).dt.tz_convert("UTC").drop_duplicates()) \
            .tz_convert(tz).rename("interval")
        keys = slots
        index_utc = edges.tz_convert("UTC")
        counts = keys.value_counts().reindex(index_utc, fill_value=0)
        counts.index = edges
    else:
        counts = slots.value_counts().reindex(edges, fill_value=0)
    return counts.astype(np.int64).rename("emails")


def email_backlog(arrivals, agents, aht, *, interval=INTERVAL):
    """Emails arrived, answered and waiting, interval by interval (first in, first out).

    Email is deferred work: it can wait. Each interval the agents present have
    ``agents`` x ``interval`` seconds to work; they work the oldest email first; emails
    arriving in an interval can be worked in it; nothing is worked in an interval with no
    agents, so the backlog builds overnight and is cleared in the morning.

    **Fractional work carries over.** The agents' time is pooled: the work of the emails is
    done in order, second by second. An email partly worked when an interval ends stays in the
    backlog (counted whole), its remaining work is done first in the next interval with agents,
    and it counts as handled in the interval in which its work is finished. No agent time is
    lost at the end of an interval and none is counted twice. With whole numbers of emails the
    counts are whole; with a fractional forecast (5.3 emails) they are fractional.

    Against :func:`opsfirst.simulation.simulate_email` (one agent per email, random arrivals
    and handling times; the ``email`` dataset's expected mail and team, 20 seeds): while the
    weekend's pile is worked off on a Monday morning (about 160 emails at 08:30) the model's
    backlog is within 3% of the simulated mean. Once the team keeps up, the model empties the
    backlog while the simulation still holds a few emails: random arrivals bunch, and an
    email cannot be shared between agents.

    Parameters
    ----------
    arrivals : array_like or pandas.Series
        Emails arriving in each interval (a Series keeps its index, e.g. the times).
    agents : int or array_like
        Agents working email in each interval (one number for all), whole numbers.
    aht : float
        Handling time of one email, seconds.
    interval : float, default 1800
        Interval length, seconds.

    Returns
    -------
    pandas.DataFrame
        One row per interval: ``arrived``, ``handled`` (emails whose work was finished in the
        interval), ``backlog`` (emails arrived and not yet handled, at the end of the
        interval) and ``agents``.

    Examples
    --------
    Ten emails overnight, two agents of 600-s emails from the third half-hour:

    >>> email_backlog([6, 4, 0, 2, 0], agents=[0, 0, 2, 2, 2], aht=600)
       arrived  handled  backlog  agents
    0        6        0        6       0
    1        4        0       10       0
    2        0        6        4       2
    3        2        6        0       2
    4        0        0        0       2
    """
    emails, index, aht_v, length = _email_inputs(arrivals, aht, interval)
    team = _inputs.number("agents", agents, **_inputs.RULES["agents"])
    if team.ndim > 1 or (team.ndim == 1 and team.size not in (1, emails.size)):
        raise ValueError(f"agents must be one number or one value per interval ({emails.size} "
                         f"values, like arrivals); got {team.size} values")
    team = np.broadcast_to(team.reshape(-1) if team.ndim else team, emails.shape).astype(float)
    queue = _fluid(emails, team * length, aht_v)
    arrived = np.cumsum(emails)
    finished = arrived - queue / aht_v
    whole = bool(np.all(emails == np.floor(emails)))
    if whole:
        # an email is handled once all of its work is done; 1e-9 absorbs round-off
        finished = np.floor(finished + 1e-9)
    handled = np.diff(np.concatenate([[0.0], finished]))
    kind = np.int64 if whole else np.float64
    table = pd.DataFrame({
        "arrived": emails.astype(kind), "handled": handled.astype(kind),
        "backlog": (arrived - finished).astype(kind), "agents": team.astype(np.int64)})
    if index is not None:
        table.index = index
    return table


def _finish_times(emails, opened, agents, aht, length):
    """When the last email of each interval is answered (seconds from the start), fluid FIFO.

    Emails are taken to arrive at the start of their interval. The work waiting at the start
    of interval k (earlier backlog + this interval's emails) is done at the moment the
    capacity from then on adds up to it. ``inf`` when that is after the end of the data.
    """
    capacity = agents * length * opened
    queue_before = np.concatenate([[0.0], _fluid(emails, capacity, aht)[:-1]])
    cum = np.concatenate([[0.0], np.cumsum(capacity)])
    need = cum[:-1] + queue_before + emails * aht
    j = np.searchsorted(cum, need, side="left")  # first edge with cum >= need
    finish = np.full(emails.shape, np.inf)
    ok = j < cum.size
    jj = j[ok]
    # inside interval jj - 1, which has capacity > 0 (cum rises there)
    prev = np.maximum(jj - 1, 0)
    rate = np.where(capacity[prev] > 0, capacity[prev], 1.0) / length
    finish[ok] = np.where(jj == 0, 0.0, prev * length + (need[ok] - cum[prev]) / rate)
    return finish


def email_agents_required(arrivals, aht, *, open, response_target=86_400, interval=INTERVAL):
    """Fewest email agents, the same in every open interval, to answer every email in time.

    Every email must be answered within ``response_target`` seconds of arriving; emails that
    arrive while the team is off (at night, on Sundays) wait for the next open interval.
    The same model as :func:`email_backlog`: first in, first out, the agents' time pooled,
    an email's work may run over into the next open interval.

    Each email is taken to arrive at the **start** of its interval, so its response time is
    counted from there: the answer is on the safe side by up to one interval. Emails whose
    target falls after the end of the data are checked only as far as the data go (as in
    :func:`opsfirst.simulation.simulate_email`'s service level): to staff a typical week with
    its weekend mail, give two weeks of arrivals.

    Checked against :func:`opsfirst.simulation.simulate_email`, where each email has one agent
    and arrivals and handling times are random (``tests/channels/test_channels_email.py``:
    four times the ``email`` dataset's Monday-Friday mail, 4,600 emails of 480 s on average,
    worked 08:00-20:00, 20 seeds). With the agents returned, 99.99% of emails were answered
    within a 13-hour target (11 agents) and 100% within 16 hours (10 agents); one agent fewer
    answered 93% and 75% in time. Random arrivals bunch, so "every email" in the model is
    "nearly every email" in the simulation: a plan, not a guarantee.

    Parameters
    ----------
    arrivals : array_like or pandas.Series
        Emails arriving in each interval, around the clock.
    aht : float
        Handling time of one email, seconds.
    open : array_like of bool
        True (or 1) for each interval in which the email team works, False (0) otherwise;
        one value per interval, like ``arrivals``. Keyword only.
    response_target : float, default 86400
        Longest time from arrival to reply, seconds (86400: within 24 hours).
    interval : float, default 1800
        Interval length, seconds.

    Returns
    -------
    int
        Agents in every open interval.

    Examples
    --------
    A day of half-hours: 40 emails of 600 s arrive overnight, the team works 08:00-10:00
    (four half-hours), and every email must be answered within 10 hours (36000 s):

    >>> arrivals = [40] + [0] * 47
    >>> is_open = [False] * 16 + [True] * 4 + [False] * 28
    >>> email_agents_required(arrivals, aht=600, open=is_open, response_target=36_000)
    4

    Within 9 hours it must all be done by 09:00 -- 40 emails in one hour:

    >>> email_agents_required(arrivals, aht=600, open=is_open, response_target=32_400)
    7
    """
    emails, index, aht_v, length = _email_inputs(arrivals, aht, interval)
    target = _one_number("response_target", response_target, low=0, low_open=True,
                         allowed="the longest time from arrival to reply in seconds, more than "
                         "0 (86400 for 24 hours)")
    flags = np.asarray(open)
    if flags.shape != emails.shape:
        raise ValueError(f"open must give one True/False per interval, like arrivals "
                         f"({emails.size} values); got shape {flags.shape}")
    if flags.dtype.kind != "b":
        numbers = _inputs.number("open", flags, low=0, high=1, whole=True,
                                 allowed="True or False (or 1 or 0) for each interval")
        flags = numbers.astype(bool)
    opened = flags.astype(float)
    starts = np.arange(emails.size) * length
    horizon = emails.size * length
    due = (emails > 0) & (starts + target <= horizon)
    if not due.any():
        return 0
    # Impossible whatever the team: no open time between arrival and the deadline.
    positions = np.where(flags, np.arange(emails.size), emails.size)
    next_open = np.minimum.accumulate(positions[::-1])[::-1]  # first open interval from k on
    first_open = np.where(next_open < emails.size, next_open * length, np.inf)
    never = due & (first_open >= starts + target)
    if never.any():
        i = int(np.flatnonzero(never)[0])
        label = f", {index[i]}" if index is not None else ""
        raise ValueError(f"open: no open interval within response_target "
                         f"({_inputs.show(target)} s) of the emails arriving in interval {i} "
                         f"(row {i}{label}): no number of agents can answer them in time. Open "
                         f"the team earlier, or give a longer response_target")

    def meets(n: float) -> bool:
        finish = _finish_times(emails, opened, n, aht_v, length)
        return bool(np.all(finish[due] - starts[due] <= target + 1e-6))

    high = max(1.0, math.ceil(emails.sum() * aht_v / max(opened.sum() * length, length)))
    while not meets(high):
        high *= 2
        if high > 1e9:  # cannot happen once the check above has passed; never loop for ever
            raise ValueError("email_agents_required found no number of agents below a billion "
                             "that answers every email in time: check arrivals and open")
    low = 0.0  # 0 agents never answer an email that is due
    while high - low > 1:
        mid = math.floor((low + high) / 2)
        if meets(mid):
            high = mid
        else:
            low = mid
    return int(high)


# ------------------------------------------------------------------------------- outbound


def abandoned_call_rate(abandoned, live_answers, *, amd_false_positives=0):
    """Abandoned calls as a share of the calls a live person answered.

    The denominator is every call a person answered -- connected to an agent *or* abandoned
    -- not every number dialled: most attempts reach nobody (no answer, busy, a machine), so
    dividing by attempts understates the rate 3 to 10 times. A person whom the
    answering-machine detection takes for a machine and drops is an abandoned call too: give
    such calls in ``amd_false_positives`` when your dialler logs them as machines (they are
    then added to both counts); in the course's ``outbound`` data they are already marked
    ``abandoned``.

    Regulations differ by country, and so do the limit and the period it is measured over;
    compare with a limit you can cite: e.g. :data:`OFCOM_ABANDONED_CALL_LIMIT` (UK, 3% per
    campaign per 24 hours) or :data:`FTC_ABANDONED_CALL_LIMIT` (US, 3% per campaign per 30
    days).

    Parameters
    ----------
    abandoned : int or array_like
        Calls a person answered and no agent took in time (whole numbers, 0 or more).
    live_answers : int or array_like
        Calls a person answered, the abandoned ones included (whole numbers, 0 or more).
    amd_false_positives : int or array_like, default 0
        People dropped as machines and counted neither as abandoned nor as live answers.

    Returns
    -------
    float or numpy.ndarray
        The abandoned-call rate, a fraction (0 when nobody answered).

    Examples
    --------
    9 abandoned out of 300 calls a person answered (from 1,200 attempts):

    >>> abandoned_call_rate(abandoned=9, live_answers=300)
    0.03
    >>> 9 / 1200  # the wrong denominator: attempts
    0.0075
    """
    rule = dict(low=0, whole=True)
    a = _inputs.number("abandoned", abandoned, allowed="a whole number of calls, 0 or more", **rule)
    live = _inputs.number("live_answers", live_answers, allowed="a whole number of calls a person "
                          "answered (abandoned ones included), 0 or more", **rule)
    fp = _inputs.number("amd_false_positives", amd_false_positives,
                        allowed="a whole number of people dropped as machines, 0 or more", **rule)
    a, live, fp = _inputs.broadcast(abandoned=a, live_answers=live, amd_false_positives=fp)
    short = a > live
    if short.any():
        i = int(np.flatnonzero(short.ravel())[0])
        where = f" (row {i})" if a.ndim else ""
        raise ValueError(
            f"live_answers must count every call a person answered, the abandoned ones "
            f"included, so it cannot be less than abandoned; got abandoned "
            f"{_inputs.show(a.ravel()[i])} and live_answers {_inputs.show(live.ravel()[i])}"
            f"{where}. If you counted only calls connected to an agent, add the abandoned ones")
    num, den = a + fp, live + fp
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    return _inputs.plain(rate, _inputs.is_scalar(abandoned, live_answers, amd_false_positives))


def dialler_funnel(outbound, *, by="campaign", limit=None):
    """An outbound funnel: attempts, connects, live answers, right-party contacts, abandoned.

    Counts each outcome of the ``outbound`` data and the rates between the stages:

    * ``attempts`` -- numbers dialled (rows);
    * ``connects`` -- attempts that something answered: a machine or a person;
    * ``live_answers`` -- attempts a person answered: ``live_answer`` + ``right_party_contact``
      + ``abandoned`` (abandoned calls *are* live answers);
    * ``right_party_contacts`` -- the person the campaign wanted, connected to an agent;
    * ``answering_machines`` -- machines detected and dropped;
    * ``abandoned`` -- a person answered and no agent took the call within 2 seconds, or the
      machine detection dropped a person (the ``outbound`` data marks those ``abandoned``);

    and the rates ``connect_rate`` (connects / attempts), ``machine_rate`` (answering
    machines / connects), ``live_answer_rate`` (live answers / connects),
    ``right_party_rate`` (right-party contacts / live answers), ``abandoned_rate`` (abandoned /
    live answers: the regulators' rate, see :func:`abandoned_call_rate`),
    ``abandoned_per_attempt`` (abandoned / attempts: the *wrong* denominator, shown so that
    the two can be compared) and ``right_party_per_attempt``.

    Parameters
    ----------
    outbound : pandas.DataFrame
        One row per attempt, with ``outcome`` (``no_answer``, ``busy``, ``machine``,
        ``live_answer``, ``right_party_contact`` or ``abandoned``), e.g.
        ``datasets.load("outbound")``.
    by : str, list or pandas.Series, optional, default "campaign"
        Column(s) (or a Series of labels, such as the day) to group by; None for one row over
        every attempt. Keyword only.
    limit : float, optional
        An abandoned-rate limit to compare with (a fraction, e.g.
        :data:`OFCOM_ABANDONED_CALL_LIMIT`); given, an ``over_limit`` column says which rows
        break it. Which limit applies, and over what period, depends on the country.

    Returns
    -------
    pandas.DataFrame
        One row per group (one row, ``all``, with ``by=None``); counts as whole numbers, rates
        as fractions (0 where a denominator is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> calls = pd.DataFrame({"campaign": ["a"] * 6 + ["b"] * 4, "outcome": [
    ...     "no_answer", "machine", "right_party_contact", "live_answer", "abandoned", "busy",
    ...     "right_party_contact", "right_party_contact", "no_answer", "abandoned"]})
    >>> f = dialler_funnel(calls)
    >>> f[["attempts", "connects", "live_answers", "right_party_contacts", "abandoned"]]
              attempts  connects  live_answers  right_party_contacts  abandoned
    campaign
    a                6         4             3                     1          1
    b                4         3             3                     2          1
    >>> f["abandoned_rate"].round(3).tolist(), f["abandoned_per_attempt"].round(3).tolist()
    ([0.333, 0.333], [0.167, 0.25])
    """
    outbound = _frame(outbound, "outbound", "dialled number")
    outcome = _column(outbound, "outbound", "outcome", "every attempt needs its outcome")
    values = outcome.astype("string").to_numpy(dtype=object)
    bad = ~np.isin(values, _OUTCOMES)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"outbound['outcome'] has {values[i]!r} at row {i} (index "
                         f"{outbound.index[i]!r}); allowed: {', '.join(_OUTCOMES)}")
    if limit is not None:
        limit = _one_number("limit", limit, low=0, low_open=True, high=1, high_open=True,
                            allowed="an abandoned-call limit as a fraction, e.g. 0.03 for 3%")
    dummies = pd.DataFrame({k: (values == k).astype(np.int64) for k in _OUTCOMES},
                           index=outbound.index)
    if by is None:
        counts = dummies.sum().to_frame("all").T
    else:
        keys = [by] if isinstance(by, (str, pd.Series)) else list(by)
        for key in keys:
            if isinstance(key, str):
                _column(outbound, "outbound", key, f"it is the grouping asked for with by={by!r}")
        keys = [outbound[k] if isinstance(k, str) else k for k in keys]
        counts = dummies.groupby(keys if len(keys) > 1 else keys[0], observed=True).sum()
    live = counts["live_answer"] + counts["right_party_contact"] + counts["abandoned"]
    table = pd.DataFrame({
        "attempts": counts.sum(axis=1),
        "connects": counts["machine"] + live,
        "live_answers": live,
        "right_party_contacts": counts["right_party_contact"],
        "answering_machines": counts["machine"],
        "abandoned": counts["abandoned"],
    })

    def ratio(a, b):
        return (a / b.where(b > 0, 1)).where(b > 0, 0.0).astype(float)

    table["connect_rate"] = ratio(table["connects"], table["attempts"])
    table["machine_rate"] = ratio(table["answering_machines"], table["connects"])
    table["live_answer_rate"] = ratio(table["live_answers"], table["connects"])
    table["right_party_rate"] = ratio(table["right_party_contacts"], table["live_answers"])
    table["abandoned_rate"] = ratio(table["abandoned"], table["live_answers"])
    table["abandoned_per_attempt"] = ratio(table["abandoned"], table["attempts"])
    table["right_party_per_attempt"] = ratio(table["right_party_contacts"], table["attempts"])
    if limit is not None:
        table["over_limit"] = table["abandoned_rate"] > limit
    return table


# ---------------------------------------------------------------------------------- cost


def cost_per_resolution(cost_per_contact, fcr):
    """What one resolved issue costs: cost per contact / first-contact resolution.

    The geometric model of :func:`opsfirst.fcr.fcr_value`: every contact resolves the issue
    with the same chance ``fcr``, and a customer whose issue is not resolved comes back, so an
    issue takes 1 / FCR contacts on average (1.43 at 70%) and costs cost per contact / FCR.
    A channel that is cheap per contact can be dear per resolved issue.

    Parameters
    ----------
    cost_per_contact : float or array_like
        Cost of one contact, 0 or more (GBP in the course's data).
    fcr : float or array_like
        First-contact resolution, a fraction above 0 and at most 1 (0.72, not 72).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Cost per resolved issue, in the currency of ``cost_per_contact``; a Series with the
        same index when either input is a Series (e.g. indexed by channel).

    Examples
    --------
    >>> round(cost_per_resolution(cost_per_contact=2.14, fcr=0.65), 2)
    3.29
    >>> cost_per_resolution(cost_per_contact=[2.65, 3.70], fcr=[0.72, 0.55]).round(2)
    array([3.68, 6.73])
    >>> import pandas as pd
    >>> cost = pd.Series({"voice": 2.65, "email": 3.70})
    >>> cost_per_resolution(cost, pd.Series({"voice": 0.72, "email": 0.55})).round(2).to_dict()
    {'voice': 3.68, 'email': 6.73}
    """
    series = [s for s in (cost_per_contact, fcr) if isinstance(s, pd.Series)]
    if len(series) == 2 and not series[0].index.equals(series[1].index):
        raise ValueError("cost_per_contact and fcr are Series with different indexes "
                         f"({list(series[0].index)} and {list(series[1].index)}): give them the "
                         "same rows in the same order, e.g. both indexed by channel")
    cost = _inputs.number("cost_per_contact", cost_per_contact, low=0,
                          allowed="the cost of one contact, 0 or more, e.g. 2.65")
    share = _inputs.number("fcr", fcr, low=0, low_open=True, high=1,
                           allowed="a fraction above 0 and at most 1, e.g. 0.72 for 72% (not 72)")
    cost, share = _inputs.broadcast(cost_per_contact=cost, fcr=share)
    result = _inputs.plain(cost / share, _inputs.is_scalar(cost_per_contact, fcr))
    if series:
        return pd.Series(np.broadcast_to(result, len(series[0])), index=series[0].index,
                         name="cost_per_resolution")
    return result


_COST_COLUMNS = ("cost_per_agent_hour", "agent_seconds_per_contact", "first_contact_resolution")


def _costs(channel_costs) -> pd.DataFrame:
    frame = _frame(channel_costs, "channel_costs", "channel")
    channel = _column(frame, "channel_costs", "channel", "each row is a channel").astype(str)
    if channel.duplicated().any():
        i = int(np.flatnonzero(channel.duplicated().to_numpy())[0])
        raise ValueError(f"channel_costs['channel'] has {channel.iloc[i]!r} twice (row {i}): "
                         f"give one row per channel")
    out = {}
    rules = {"cost_per_agent_hour": dict(low=0, allowed="a cost per agent-hour, 0 or more"),
             "agent_seconds_per_contact": dict(low=0, low_open=True, allowed="paid agent "
                                               "seconds per contact, more than 0"),
             "first_contact_resolution": dict(low=0, low_open=True, high=1, allowed="a fraction "
                                              "above 0 and at most 1 (0.72, not 72)")}
    for column in _COST_COLUMNS:
        values = _column(frame, "channel_costs", column, "it sets the cost").to_numpy()
        out[column] = _inputs.number(f"channel_costs[{column!r}]", values, **rules[column])
    return pd.DataFrame(out, index=pd.Index(channel.to_numpy(), name="channel"))


def channel_cost_table(channel_costs):
    """Cost per contact and per resolved issue, channel by channel, ranked both ways.

    From each channel's cost per agent-hour, paid agent-seconds per contact (idle time and
    concurrency included) and first-contact resolution:
    cost per contact = cost per agent-hour x agent-seconds / 3600, contacts per resolution =
    1 / FCR, cost per resolution = :func:`cost_per_resolution` (the geometric model).

    Parameters
    ----------
    channel_costs : pandas.DataFrame
        One row per channel with ``channel``, ``cost_per_agent_hour``,
        ``agent_seconds_per_contact`` and ``first_contact_resolution``, e.g.
        ``datasets.load("channel_costs")``.

    Returns
    -------
    pandas.DataFrame
        Indexed by channel: ``cost_per_contact``, ``first_contact_resolution``,
        ``contacts_per_resolution``, ``cost_per_resolution``, ``rank_per_contact`` and
        ``rank_per_resolution`` (1 = cheapest).

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"channel": ["voice", "chat"], "cost_per_agent_hour": [27, 27],
    ...                       "agent_seconds_per_contact": [360, 288],
    ...                       "first_contact_resolution": [0.75, 0.5]})
    >>> table = channel_cost_table(costs)
    >>> table[["cost_per_contact", "cost_per_resolution"]]
             cost_per_contact  cost_per_resolution
    channel
    voice                2.70                 3.60
    chat                 2.16                 4.32
    >>> table["rank_per_contact"].tolist(), table["rank_per_resolution"].tolist()
    ([2, 1], [1, 2])
    """
    c = _costs(channel_costs)
    table = pd.DataFrame(index=c.index)
    table["cost_per_contact"] = c["cost_per_agent_hour"] * c["agent_seconds_per_contact"] / 3600
    table["first_contact_resolution"] = c["first_contact_resolution"]
    table["contacts_per_resolution"] = 1 / c["first_contact_resolution"]
    table["cost_per_resolution"] = cost_per_resolution(table["cost_per_contact"].to_numpy(),
                                                       c["first_contact_resolution"].to_numpy())
    table["rank_per_contact"] = table["cost_per_contact"].rank(method="min").astype(np.int64)
    table["rank_per_resolution"] = table["cost_per_resolution"].rank(method="min").astype(np.int64)
    return table


# ----------------------------------------------------------------------- the channel mix


@dataclass(frozen=True)
class _MixData:
    """What channel_mix needs from the contacts, computed once (the slider reuses it)."""

    reason: str
    profiles: pd.DataFrame  # contacts per interval of an average week, by (part, channel)
    handle: dict  # (part, channel) -> mean handle seconds; part "reason" or "other"
    per_issue: dict  # channel -> contacts per issue of the reason (nan: none in the data)
    costs: pd.DataFrame
    issues_now: dict  # channel -> issues of the reason a week, now
    settings: dict


def _mix_data(contacts, channel_costs, reason, settings) -> _MixData:
    frame = _frame(contacts, "contacts", "contact")
    for column, why in (("channel", "each contact's channel is needed"),
                        ("reason", "each contact's reason is needed"),
                        ("handle_seconds", "the handling times set the agents"),
                        ("start", "the start times give each interval's contacts")):
        _column(frame, "contacts", column, why)
    channel = frame["channel"].astype(str).to_numpy()
    reasons = frame["reason"].astype(str).to_numpy()
    if not isinstance(reason, str) or reason not in set(reasons):
        raise ValueError(f"reason must be one of the reasons in contacts "
                         f"({', '.join(sorted(set(reasons)))}); got {reason!r}")
    unknown = ~np.isin(channel, _CHANNELS)
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise ValueError(f"contacts['channel'] has {channel[i]!r} at row {i}; allowed: "
                         f"{', '.join(_CHANNELS)}")
    costs = _costs(channel_costs)
    missing = [c for c in _CHANNELS if c not in costs.index]
    if missing:
        raise ValueError(f"channel_costs has no row for {', '.join(missing)}: every channel of "
                         f"the contacts needs its cost and FCR")
    handle = _inputs.number("contacts['handle_seconds']", frame["handle_seconds"].to_numpy(),
                            low=0, low_open=True, allowed="seconds, more than 0")
    interval = settings["interval"]
    profiles, means = {}, {}
    mine = reasons == reason
    for part, rows in (("other", ~mine), ("reason", mine)):
        for c in _CHANNELS:
            sel = rows & (channel == c)
            if sel.any():
                profiles[(part, c)] = fcr.weekly_profile(frame.loc[sel], interval=interval)
                means[(part, c)] = float(handle[sel].mean())
            else:
                means[(part, c)] = math.nan
    # the reason's timing, whatever its channel: moved contacts keep it
    profiles[("reason", "all")] = fcr.weekly_profile(frame.loc[mine], interval=interval)
    table = pd.DataFrame(profiles).fillna(0.0)
    number = _column(frame, "contacts", "contact_number", "first contacts (1) count the issues")
    first = number.to_numpy() == 1
    issues, per_issue = {}, {}
    for c in _CHANNELS:
        sel = mine & (channel == c)
        n_first = int((sel & first).sum())
        per_issue[c] = int(sel.sum()) / n_first if n_first else math.nan
        week = float(table[("reason", c)].sum()) if ("reason", c) in table else 0.0
        issues[c] = week / per_issue[c] if n_first else 0.0
    return _MixData(reason, table, means, per_issue, costs, issues, settings)


def _mix_settings(interval, voice_target_service_level, voice_target_time,
                  chat_target_service_level, chat_target_time, chat_concurrency, chat_slowdown,
                  email_occupancy):
    def rule(name, value, kind):
        return _one_number(name, value, **_inputs.RULES[kind])

    chat_slowdown = CHAT_SLOWDOWN if chat_slowdown is None else chat_slowdown
    return dict(interval=rule("interval", interval, "interval"),
                voice=(rule("voice_target_service_level", voice_target_service_level,
                            "target_service_level"),
                       rule("voice_target_time", voice_target_time, "target_time")),
                chat=(rule("chat_target_service_level", chat_target_service_level,
                           "target_service_level"),
                      rule("chat_target_time", chat_target_time, "target_time"),
                      rule("chat_concurrency", chat_concurrency, "concurrency"),
                      rule("chat_slowdown", chat_slowdown, "slowdown")),
                email_occupancy=_one_number("email_occupancy", email_occupancy, low=0,
                                            low_open=True, high=1,
                                            allowed="a fraction above 0 and at most 1, e.g. 0.9"))


def _mix_table(data: _MixData, mix: dict) -> pd.DataFrame:
    shares = _shares(mix)
    p, costs, s = data.profiles, data.costs, data.settings
    total_issues = sum(data.issues_now.values())
    shape = p[("reason", "all")] / p[("reason", "all")].sum()
    hours = s["interval"] / 3600
    rows = {}
    for c in _CHANNELS:
        other = p[("other", c)] if ("other", c) in p else pd.Series(0.0, index=p.index)
        aht_r = data.handle[("reason", c)]
        per_issue = data.per_issue[c]
        if shares[c] > 0 and (math.isnan(aht_r) or math.isnan(per_issue)):
            raise ValueError(f"mix sends {data.reason} contacts to {c}, but contacts has no "
                             f"{data.reason} issue in {c} to take its handling time and "
                             f"contacts per issue from")
        # the reason's contacts a week in channel c: its issues there x contacts per issue
        moved = total_issues * shares[c] * (0.0 if shares[c] == 0 else per_issue)
        calls = other + moved * shape
        aht_other = data.handle[("other", c)]
        work = (other * (0.0 if math.isnan(aht_other) else aht_other)
                + moved * shape * (0.0 if math.isnan(aht_r) else aht_r))
        aht = np.where(calls > 0, work / np.where(calls > 0, calls, 1.0), 1.0)
        if c == "voice":
            sl, tt = s["voice"]
            agents = np.asarray(staffing.agents_required(
                calls=calls.to_numpy(), aht=aht, target_service_level=sl, target_time=tt,
                interval=s["interval"]))
            service = f"{sl:.0%} answered within {tt:g} s"
        elif c == "chat":
            sl, tt, k, slow = s["chat"]
            agents = np.asarray(chat_agents_required(
                calls.to_numpy(), aht, concurrency=k, slowdown=slow, target_service_level=sl,
                target_time=tt, interval=s["interval"]))
            service = f"{sl:.0%} picked up within {tt:g} s"
        else:
            agents = None
            service = f"worked as deferred work at {s['email_occupancy']:.0%} occupancy"
        agent_hours = (float(agents.sum()) * hours if agents is not None
                       else float(work.sum()) / 3600 / s["email_occupancy"])
        contacts = float(calls.sum())
        per_contact = float(costs.loc[c, "cost_per_agent_hour"]
                            * costs.loc[c, "agent_seconds_per_contact"] / 3600)
        rows[c] = dict(contacts=contacts, reason_contacts=moved,
                       reason_issues=total_issues * shares[c], agent_hours=agent_hours,
                       peak_agents=int(agents.max()) if agents is not None else math.nan,
                       cost=contacts * per_contact, service=service)
    table = pd.DataFrame(rows).T
    table.index.name = "channel"
    numbers = ["contacts", "reason_contacts", "reason_issues", "agent_hours", "peak_agents", "cost"]
    table[numbers] = table[numbers].astype(float)
    total = table[numbers].sum()
    total["peak_agents"] = math.nan
    table.loc["total"] = list(total.to_numpy()) + [""]
    table[numbers] = table[numbers].astype(float)
    return table


def _shares(mix: Any) -> dict:
    if not isinstance(mix, dict):
        raise ValueError(f"mix must be a dict of shares by channel, e.g. {{'voice': 0.5, 'chat': "
                         f"0.3, 'email': 0.2}}; got {type(mix).__name__}")
    extra = sorted(set(mix) - set(_CHANNELS))
    if extra:
        raise ValueError(f"mix has {', '.join(map(repr, extra))}: its channels can be "
                         f"{', '.join(_CHANNELS)}")
    shares = {c: _one_number(f"mix[{c!r}]", mix.get(c, 0.0), low=0, high=1,
                             allowed="a share from 0 to 1") for c in _CHANNELS}
    if abs(sum(shares.values()) - 1) > 1e-9:
        raise ValueError(f"mix shares must add up to 1; got {sum(shares.values()):g}")
    return shares


def _current_mix(data: _MixData) -> dict:
    total = sum(data.issues_now.values())
    return {c: data.issues_now[c] / total for c in _CHANNELS}


def channel_mix(contacts, channel_costs, *, reason, mix=None, interval=INTERVAL,
                voice_target_service_level=0.8, voice_target_time=20,
                chat_target_service_level=0.8, chat_target_time=60, chat_concurrency=3,
                chat_slowdown=None, email_occupancy=0.9):
    """Contacts, staff and cost a week per channel, for a mix of one reason's issues.

    The issues of ``reason`` (say complaints) are shared between voice, chat and email as
    ``mix`` says; every other contact stays where it is. Per channel, for an average week of
    ``contacts``:

    * **contacts**: the other reasons' contacts, plus the reason's issues in the channel x
      the contacts one of its issues takes there, *measured* in ``contacts`` (all contacts /
      first contacts, ``contact_number`` 1, of that reason in that channel): a channel that
      resolves less brings more repeat contacts. Issues = first contacts. The reason's
      contacts keep its timing through the week and take its handling time in that channel
      (both from ``contacts``). The last weeks' repeats fall after the data end, so contacts
      per issue are a little low everywhere;
    * **agent_hours** a week: voice by Erlang C (:func:`opsfirst.staffing.agents_required`,
      80% in 20 s), chat by :func:`chat_agents_required` (80% in 60 s, 3 chats, slowdown),
      interval by interval (a chat's ``handle_seconds`` in ``contacts`` is taken as its base
      time, one chat held alone); email as deferred work: hours of work / ``email_occupancy``.
      ``peak_agents``: the most agents in one interval (voice and chat);
    * **cost** a week: contacts x the channel's cost per contact from ``channel_costs``
      (every contact in a channel costs the channel's average).

    Parameters
    ----------
    contacts : pandas.DataFrame
        One row per contact with ``channel`` (voice, chat, email), ``reason``,
        ``contact_number`` (1 for an issue's first contact), ``handle_seconds`` and
        ``start``, e.g. ``datasets.load("contacts")``.
    channel_costs : pandas.DataFrame
        Costs and FCR per channel, e.g. ``datasets.load("channel_costs")``.
    reason : str
        The reason whose issues are shared out, e.g. ``"complaint"``. Keyword only.
    mix : dict, optional
        Share of the reason's issues per channel, e.g. ``{"voice": 0.6, "chat": 0.2,
        "email": 0.2}``; shares from 0 to 1 adding up to 1, channels left out get 0. Default:
        the mix in the data now.
    interval, voice_target_service_level, voice_target_time, chat_target_service_level,
    chat_target_time, chat_concurrency, chat_slowdown, email_occupancy
        The service targets and settings above (seconds and fractions).

    Returns
    -------
    pandas.DataFrame
        Rows ``voice``, ``chat``, ``email`` and ``total``; columns ``contacts``,
        ``reason_contacts``, ``reason_issues``, ``agent_hours``, ``peak_agents``, ``cost``
        (each a week) and ``service`` (the target the staff are planned for).

    Examples
    --------
    >>> from opsfirst import datasets
    >>> contacts, costs = datasets.load("contacts"), datasets.load("channel_costs")
    >>> now = channel_mix(contacts, costs, reason="complaint")
    >>> now["reason_issues"].round(1).tolist()
    [173.9, 49.9, 24.8, 248.7]
    """
    settings = _mix_settings(interval, voice_target_service_level, voice_target_time,
                             chat_target_service_level, chat_target_time, chat_concurrency,
                             chat_slowdown, email_occupancy)
    data = _mix_data(contacts, channel_costs, reason, settings)
    return _mix_table(data, _current_mix(data) if mix is None else mix)


def channel_shift(contacts, channel_costs, *, reason, from_channel, to_channel, share, **settings):
    """What moving a share of one reason's contacts to another channel does to cost and staff.

    Moves ``share`` of the issues of ``reason`` that now come through ``from_channel`` to
    ``to_channel`` and compares the week before and after with :func:`channel_mix`: the moved
    issues take as many contacts each as that reason's issues take in their new channel
    (fewer if it resolves more often), each contact costs the new channel's cost per contact,
    and the voice queue's agents come from Erlang C (:mod:`opsfirst.staffing`) interval by
    interval.

    Parameters
    ----------
    contacts, channel_costs
        As for :func:`channel_mix`.
    reason : str
        The reason whose contacts move, e.g. ``"complaint"``.
    from_channel, to_channel : {"voice", "chat", "email"}
        Where they come from and go to.
    share : float
        Share of ``from_channel``'s issues of that reason that move, from 0 to 1.
    **settings
        Any setting of :func:`channel_mix` (targets, concurrency, ...).

    Returns
    -------
    pandas.DataFrame
        Rows ``voice``, ``chat``, ``email`` and ``total``; columns ``contacts_before``,
        ``contacts_after``, ``agent_hours_before``, ``agent_hours_after``,
        ``agent_hours_change``, ``cost_before``, ``cost_after`` and ``cost_change`` (a week).

    Examples
    --------
    Half of the complaints that now come by email move to voice:

    >>> from opsfirst import datasets
    >>> contacts, costs = datasets.load("contacts"), datasets.load("channel_costs")
    >>> s = channel_shift(contacts, costs, reason="complaint", from_channel="email",
    ...                   to_channel="voice", share=0.5)
    >>> s.loc["total", ["cost_change", "agent_hours_change"]].round(2).tolist()
    [-34.73, -4.36]
    >>> float(s.loc["voice", "agent_hours_change"])
    2.0
    """
    for name, value in (("from_channel", from_channel), ("to_channel", to_channel)):
        if value not in _CHANNELS:
            raise ValueError(f"{name} must be one of {', '.join(_CHANNELS)}; got {value!r}")
    if from_channel == to_channel:
        raise ValueError(f"from_channel and to_channel are both {from_channel!r}: choose two "
                         f"different channels")
    moved = _one_number("share", share, low=0, high=1,
                        allowed="a share from 0 to 1 of the reason's issues in from_channel "
                        "(0.5 for half)")
    defaults = dict(interval=INTERVAL, voice_target_service_level=0.8, voice_target_time=20,
                    chat_target_service_level=0.8, chat_target_time=60, chat_concurrency=3,
                    chat_slowdown=None, email_occupancy=0.9)
    unknown = sorted(set(settings) - set(defaults))
    if unknown:
        raise ValueError(f"channel_shift has no setting {', '.join(unknown)}; the settings are "
                         f"{', '.join(defaults)}")
    data = _mix_data(contacts, channel_costs, reason, _mix_settings(**{**defaults, **settings}))
    before = _current_mix(data)
    after = dict(before)
    after[from_channel] -= before[from_channel] * moved
    after[to_channel] += before[from_channel] * moved
    b, a = _mix_table(data, before), _mix_table(data, after)
    out = pd.DataFrame({"contacts_before": b["contacts"], "contacts_after": a["contacts"],
                        "agent_hours_before": b["agent_hours"],
                        "agent_hours_after": a["agent_hours"],
                        "agent_hours_change": a["agent_hours"] - b["agent_hours"],
                        "cost_before": b["cost"], "cost_after": a["cost"],
                        "cost_change": a["cost"] - b["cost"]})
    return out.astype(float)


# ----------------------------------------------------------------------------- the widget


def _mix_slider_class():
    """The widget's class, built on first use so that importing opsfirst.channels needs no
    ipywidgets."""
    import io

    import ipywidgets as widgets
    from matplotlib.figure import Figure

    class _ChannelMixSlider(widgets.VBox):
        """Choose a channel mix for one reason's issues; read contacts, staff, cost, service.

        Parts: ``voice`` and ``chat`` (FloatSliders: the shares of the reason's issues; email
        takes the rest), ``readout`` (an ``ipywidgets.HTML`` table) and ``plot`` (an
        ``ipywidgets.Image``). ``table`` is the :func:`channel_mix` table on show, ``today``
        the table for the mix in the data.
        """

        def __init__(self, data: _MixData):
            self.data = data
            now = _current_mix(data)
            self.today = _mix_table(data, now)
            slider = dict(min=0.0, max=1.0, step=0.05, readout_format=".0%",
                          continuous_update=False, layout=widgets.Layout(width="500px"))
            self.voice = widgets.FloatSlider(value=round(now["voice"], 2), description="voice",
                                             **slider)
            self.chat = widgets.FloatSlider(value=round(now["chat"], 2), description="chat",
                                            **slider)
            self.readout = widgets.HTML()
            self.plot = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
            fig = Figure(figsize=(6.4, 3.0), dpi=100)
            fig.subplots_adjust(left=0.12, right=0.97, bottom=0.16, top=0.86)
            self._axes = fig.add_subplot()
            self._figure = fig
            super().__init__(children=[self.voice, self.chat, self.readout, self.plot])
            self.voice.observe(self._on_change, names="value")
            self.chat.observe(self._on_change, names="value")
            self._show()

        def __repr__(self) -> str:
            return (f"ChannelMixSlider(reason={self.data.reason!r}, voice={self.voice.value:g}, "
                    f"chat={self.chat.value:g}, email={self.mix['email']:g})")

        @property
        def mix(self) -> dict:
            voice = float(self.voice.value)
            chat = min(float(self.chat.value), round(1.0 - voice, 10))
            return {"voice": voice, "chat": chat, "email": max(0.0, round(1.0 - voice - chat, 10))}

        def _draw(self, table: pd.DataFrame) -> bytes:
            ax = self._axes
            ax.clear()
            x = np.arange(len(_CHANNELS))
            ax.bar(x - 0.2, self.today.loc[list(_CHANNELS), "cost"], 0.4, color="tab:gray",
                   label="today's mix")
            ax.bar(x + 0.2, table.loc[list(_CHANNELS), "cost"], 0.4, color="tab:orange",
                   label="your mix")
            ax.set_xticks(x, _CHANNELS)
            ax.set_ylabel("cost a week")
            ax.legend(loc="upper right", fontsize=8)
            change = table.loc["total", "cost"] - self.today.loc["total", "cost"]
            verb = "saves" if change <= 0 else "costs"
            ax.set_title(f"This mix of {self.data.reason} issues {verb} "
                         f"{abs(change):,.0f} a week", fontsize=10)
            buffer = io.BytesIO()
            self._figure.savefig(buffer, format="png", metadata={"Software": None})
            return buffer.getvalue()

        def _show(self) -> None:
            mix = self.mix
            table = _mix_table(self.data, mix)
            self.table = table
            rows = "".join(
                f"<tr><td>{c}</td><td>{mix[c]:.0%}</td><td>{table.loc[c, 'contacts']:,.0f}</td>"
                f"<td>{table.loc[c, 'agent_hours']:,.1f}</td><td>{table.loc[c, 'cost']:,.0f}</td>"
                f"<td>{table.loc[c, 'service']}</td></tr>" for c in _CHANNELS)
            total = table.loc["total"]
            self.readout.value = (
                f"<table><tr><th>channel</th><th>{self.data.reason} issues</th>"
                f"<th>contacts a week</th><th>agent-hours a week</th><th>cost a week</th>"
                f"<th>staffed for</th></tr>{rows}<tr><td><b>total</b></td><td></td>"
                f"<td>{total['contacts']:,.0f}</td><td>{total['agent_hours']:,.1f}</td>"
                f'<td><b><span class="opsfirst-cost" data-value="{float(total["cost"])!r}">'
                f"{total['cost']:,.0f}</span></b></td><td></td></tr></table>")
            self.plot.value = self._draw(table)

        def _on_change(self, change: dict) -> None:
            self._show()

    _ChannelMixSlider.__name__ = _ChannelMixSlider.__qualname__ = "ChannelMixSlider"
    return _ChannelMixSlider


def channel_mix_slider(contacts, channel_costs, *, reason="complaint", **settings):
    """A what-if: choose a channel mix for one reason's issues, see staff, cost and service.

    Two sliders -- the share of the reason's issues sent to voice and to chat (email takes the
    rest; chat is cut back if the two pass 100%) -- and a table of what :func:`channel_mix`
    says for each channel: contacts, agent-hours and cost a week, and the service target the
    staff are planned for; the plot compares each channel's weekly cost with today's mix.

    Parameters
    ----------
    contacts, channel_costs
        As for :func:`channel_mix`.
    reason : str, default "complaint"
        The reason whose issues are shared out.
    **settings
        Any setting of :func:`channel_mix` (targets, ``chat_concurrency``, ...).

    Returns
    -------
    ChannelMixSlider
        An ``ipywidgets.VBox`` with ``voice``, ``chat``, ``readout``, ``plot``, ``mix`` (the
        shares on show), ``table`` (the :func:`channel_mix` table on show) and ``today``.

    Examples
    --------
    >>> from opsfirst import datasets
    >>> contacts, costs = datasets.load("contacts"), datasets.load("channel_costs")
    >>> w = channel_mix_slider(contacts, costs, reason="complaint")
    >>> w.voice.value, w.chat.value
    (0.7, 0.2)
    >>> w.voice.value, w.chat.value = 0.9, 0.1
    >>> w.mix
    {'voice': 0.9, 'chat': 0.1, 'email': 0.0}
    """
    defaults = dict(interval=INTERVAL, voice_target_service_level=0.8, voice_target_time=20,
                    chat_target_service_level=0.8, chat_target_time=60, chat_concurrency=3,
                    chat_slowdown=None, email_occupancy=0.9)
    unknown = sorted(set(settings) - set(defaults))
    if unknown:
        raise ValueError(f"channel_mix_slider has no setting {', '.join(unknown)}; the "
                         f"settings are {', '.join(defaults)}")
    data = _mix_data(contacts, channel_costs, reason, _mix_settings(**{**defaults, **settings}))
    return _mix_slider_class()(data)
