"""Build ``contacts``: thirteen weeks of contacts at the centre, one row per contact.

The centre is the servicing centre of a UK retail bank (the same fictional organisation as
``interval_history``), open Monday to Friday 08:00-20:00 and Saturday 09:00-17:00, from Monday
1 September to Friday 28 November 2025 (no bank holidays in England fall in it). Four teams
(A-D) of 14 agents answer voice, chat and email.

1. Customers bring *issues*: each issue's first contact gets a day (Monday busiest), a time of
   day (morning and afternoon peaks), a channel (voice 70%, chat 20%, email 10%), a reason and
   a customer (from 120,000 customers, so a few also bring an unrelated issue within a week).
2. Each contact goes to a random team and agent, takes a lognormal handle time (by reason and
   channel) and may be transferred.
3. :func:`opsfirst.simulation.simulate_repeat_contacts` decides whether the contact truly
   resolves the issue -- a chance by reason, lowered by channel, by the agent's skill, by a
   transfer and by rushing -- and brings unresolved customers back (median 24 hours later,
   in opening hours, at most 5 contacts per issue).
4. The agent ticks "resolved" much more often than the issue really is: they cannot see the
   customer come back.

**The dated change.** From Monday 13 October 2025 Teams B and D have an AHT target of 240 s
for voice. Their voice calls get shorter, they transfer more, fewer calls truly resolve (so
customers come back more), while their "resolved" ticks barely move. Teams A and C carry on
as before: the comparison.

Contacts after Friday 28 November are not in the table, so the last week's issues look better
resolved than they are (their repeats fall outside the data). Every figure below is "assumed"
(listed in the data dictionary) except the calibration of first contact resolution to about
70% (SQM Group benchmarks; see the catalogue).
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

SEED = 2026
STREAM = 0  # this builder's random stream (survey and qa_scores use others)
FIRST_DAY, LAST_DAY = dt.date(2025, 9, 1), dt.date(2025, 11, 28)
TIME_ZONE = "Europe/London"
OPENING = {0: (8, 20), 1: (8, 20), 2: (8, 20), 3: (8, 20), 4: (8, 20), 5: (9, 17)}

# Assumed figures (the data dictionary lists them).
FIRST_CONTACTS_PER_DAY = 560  # new issues on an average Monday-Friday
DAY_SHAPE = {0: 1.22, 1: 1.05, 2: 0.98, 3: 0.95, 4: 0.90, 5: 0.45}
CUSTOMERS = 120_000
CHANNELS = {"voice": 0.70, "chat": 0.20, "email": 0.10}
# reason: (share of issues, chance a contact truly resolves it, voice handle time in seconds)
REASONS = {
    "billing": (0.25, 0.86, 300), "card": (0.22, 0.90, 240), "payment": (0.20, 0.82, 270),
    "account": (0.15, 0.88, 330), "fraud": (0.10, 0.62, 480), "complaint": (0.08, 0.50, 540),
}
CHANNEL_RESOLVE = {"voice": 1.0, "chat": 0.95, "email": 0.88}  # x the reason's chance
CHANNEL_HANDLE = {"voice": 1.0, "chat": 1.8, "email": 1.4}  # x the reason's voice handle time
HANDLE_CV = 0.6
TRANSFER = {"voice": 0.05, "chat": 0.04, "email": 0.02}
TRANSFER_RESOLVE = 0.85  # a transferred contact resolves less often
TEAMS, AGENTS_PER_TEAM = ("A", "B", "C", "D"), 14
QUALITY_MEAN, QUALITY_SD = 78.0, 5.0  # an agent's true quality (QA points, 0-100)
RETURN_MEDIAN_HOURS, RETURN_SPREAD, MAX_CONTACTS = 24.0, 1.0, 5
FLAG_IF_RESOLVED, FLAG_IF_NOT = 0.97, 0.70  # chance the agent ticks "resolved"

# The dated change: an AHT target for voice in Teams B and D.
CHANGE_DAY, TARGET_TEAMS, AHT_TARGET = dt.date(2025, 10, 13), ("B", "D"), 240
RUSHED_HANDLE = 0.78  # x handle time
RUSHED_TRANSFER = 0.13  # chance of a transfer
RUSHED_RESOLVE = 0.86  # x the chance of resolving
RUSHED_FLAG_IF_NOT = 0.74  # they tick "resolved" a little more often to close the call

COLUMNS = ["contact_id", "customer_id", "issue_id", "contact_number", "channel", "reason", "team",
           "agent", "start", "end", "handle_seconds", "transferred", "resolved_by_agent"]


def open_days() -> list[dt.date]:
    days = [FIRST_DAY + dt.timedelta(days=k) for k in range((LAST_DAY - FIRST_DAY).days + 1)]
    return [d for d in days if d.weekday() in OPENING]


def agents():
    """The 56 agents: id ("B07"), team and true quality (what QA tries to measure).

    An agent's quality also raises the chance that their contacts truly resolve (a little).
    """
    import pandas as pd

    rng = np.random.default_rng(np.random.SeedSequence(SEED, spawn_key=(STREAM, 0)))
    ids = [f"{t}{k:02d}" for t in TEAMS for k in range(1, AGENTS_PER_TEAM + 1)]
    quality = rng.normal(QUALITY_MEAN, QUALITY_SD, len(ids)).round(1)
    skill = np.clip(0.93 + 0.006 * (quality - QUALITY_MEAN), 0.80, 1.0)
    return pd.DataFrame({"agent": ids, "team": [a[0] for a in ids], "quality": quality,
                         "skill": skill})


def _intraday(hours: np.ndarray) -> np.ndarray:
    """Relative contact rate by time of day: peaks mid-morning and mid-afternoon."""
    return (np.exp(-0.5 * ((hours - 10.25) / 1.6) ** 2)
            + 0.85 * np.exp(-0.5 * ((hours - 14.5) / 1.8) ** 2)
            + 0.25 * np.exp(-0.5 * ((hours - 18.5) / 1.5) ** 2) + 0.12)


def _first_contacts(rng):
    """One row per issue: its first contact's start, customer, channel and reason."""
    import pandas as pd

    days = open_days()
    counts = rng.poisson([FIRST_CONTACTS_PER_DAY * DAY_SHAPE[d.weekday()] for d in days])
    day = np.repeat(np.array(days, dtype="datetime64[D]"), counts)
    weekday = np.repeat([d.weekday() for d in days], counts)
    seconds = np.empty(day.size)
    for saturday in (False, True):  # draw the second of the day from the intraday curve
        first, last = OPENING[5] if saturday else OPENING[0]
        grid = np.arange(first * 3600, last * 3600, 60)
        cdf = np.cumsum(_intraday(grid / 3600 + 1 / 120))
        pick = (weekday == 5) == saturday
        minute = np.searchsorted(cdf / cdf[-1], rng.random(pick.sum()))
        seconds[pick] = grid[minute] + rng.integers(0, 60, pick.sum())
    start = (pd.to_datetime(day) + pd.to_timedelta(seconds, unit="s")).tz_localize(TIME_ZONE)
    shares = np.array([r[0] for r in REASONS.values()])
    table = pd.DataFrame({
        "start": start,
        "customer_id": rng.integers(100_001, 100_001 + CUSTOMERS, day.size),
        "channel": rng.choice(list(CHANNELS), day.size, p=list(CHANNELS.values())),
        "reason": rng.choice(list(REASONS), day.size, p=shares / shares.sum()),
    }).sort_values("start", kind="stable", ignore_index=True)
    table.insert(0, "issue_id", np.arange(1, len(table) + 1))
    return table


def _assigner(rng, staff):
    """The function that gives each contact its agent, handle time and transfer (see step 2)."""
    import pandas as pd

    skill = staff.set_index("agent")["skill"]
    change = pd.Timestamp(CHANGE_DAY, tz=TIME_ZONE)
    aht = {reason: r[2] for reason, r in REASONS.items()}

    def assign(contacts):
        n = len(contacts)
        team = np.array(TEAMS)[rng.integers(0, len(TEAMS), n)]
        agent = pd.Series(team).str.cat(pd.Series(rng.integers(1, AGENTS_PER_TEAM + 1, n))
                                        .map("{:02d}".format))
        channel = contacts["channel"].to_numpy()
        rushed = (np.isin(team, TARGET_TEAMS) & (channel == "voice")
                  & (contacts["start"] >= change).to_numpy())
        mean = (contacts["reason"].map(aht).to_numpy() * pd.Series(channel).map(CHANNEL_HANDLE)
                .to_numpy() * np.where(rushed, RUSHED_HANDLE, 1.0))
        sigma2 = np.log1p(HANDLE_CV**2)
        handle = np.maximum(20, np.round(rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2))))
        transferred = rng.random(n) < np.where(rushed, RUSHED_TRANSFER,
                                               pd.Series(channel).map(TRANSFER).to_numpy())
        factor = (pd.Series(channel).map(CHANNEL_RESOLVE).to_numpy() * skill[agent].to_numpy()
                  * np.where(transferred, TRANSFER_RESOLVE, 1.0)
                  * np.where(rushed, RUSHED_RESOLVE, 1.0))
        return contacts.assign(
            team=team, agent=agent.to_numpy(), handle_seconds=handle.astype(np.int64),
            end=contacts["start"] + pd.to_timedelta(handle, unit="s"),
            transferred=transferred, rushed=rushed, resolve_factor=factor)

    return assign


@functools.cache
def simulate():
    """Every contact with the hidden truth: ``resolved`` (truly), ``rushed``, ``resolve_factor``.

    Cached: survey and qa_scores build on the same contacts. Returns a DataFrame; do not
    modify it (copy-on-write pandas makes that safe anyway).
    """
    import pandas as pd

    from opsfirst.simulation import simulate_repeat_contacts

    first, sim, work, flag = (np.random.default_rng(s) for s in
                              np.random.SeedSequence(SEED, spawn_key=(STREAM, 1)).spawn(4))
    resolve = {reason: r[1] for reason, r in REASONS.items()}
    table = simulate_repeat_contacts(
        _first_contacts(first), resolve, return_median_hours=RETURN_MEDIAN_HOURS,
        return_spread=RETURN_SPREAD, max_contacts=MAX_CONTACTS, opening_hours=OPENING,
        assign=_assigner(work, agents()), seed=sim)
    closing = pd.Timestamp(dt.datetime.combine(LAST_DAY, dt.time(OPENING[4][1])), tz=TIME_ZONE)
    table = table[table["start"] < closing].reset_index(drop=True)  # the data ends on 28 November
    table["contact_id"] = np.arange(1, len(table) + 1)
    if_not = np.where(table["rushed"], RUSHED_FLAG_IF_NOT, FLAG_IF_NOT)
    table["resolved_by_agent"] = flag.random(len(table)) < np.where(table["resolved"],
                                                                     FLAG_IF_RESOLVED, if_not)
    return table


def build():
    """The table: one row per contact (see the module docstring)."""
    return simulate()[COLUMNS].copy()
