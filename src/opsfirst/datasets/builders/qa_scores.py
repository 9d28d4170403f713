"""Build ``qa_scores``: quality checks of recorded calls, a few per agent per month.

Each month (September, October, November 2025) a quality evaluator listens to 3-5 of each
agent's voice calls from ``contacts`` and scores each one 0-100, on a weekday 1-3 days after
the call. A score is the agent's stable true quality (``contacts.agents()``: mean 78, standard
deviation 5 across agents) plus a large call-to-call variation (standard deviation 10): a
month's average of four calls therefore says little about the agent -- the calls vary more
than the agents do. Nothing changes an agent's true quality during the period: not the AHT
target, and not coaching (``coaching_log``). All figures are "assumed".
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

SEED = 2026
STREAM = 2  # contacts uses stream 0, survey stream 1
MONTHS = ((2025, 9), (2025, 10), (2025, 11))
CALLS_PER_MONTH = (3, 5)  # scored calls per agent per month, at least and at most
CALL_NOISE = 10.0  # QA points, standard deviation from one call to the next
DAYS_TO_SCORE = (1, 3)  # days between the call and its evaluation (weekdays only)

COLUMNS = ["date", "agent", "team", "contact_id", "score"]


def _next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


@functools.cache
def simulate():
    """The scored calls with each agent's true quality (``quality``), which QA tries to measure."""
    import pandas as pd

    from . import contacts

    rng = np.random.default_rng(np.random.SeedSequence(SEED, spawn_key=(STREAM,)))
    staff = contacts.agents().set_index("agent")
    calls = contacts.simulate()
    calls = calls[calls["channel"] == "voice"]
    day = calls["start"].dt.date
    rows = []
    for year, month in MONTHS:
        # calls late enough in the month to be scored before it ends
        last = dt.date(year, month + 1, 1) - dt.timedelta(days=1 + DAYS_TO_SCORE[1] + 2)
        pool = calls[(day >= dt.date(year, month, 1)) & (day <= last)]
        by_agent = pool.groupby("agent")["contact_id"]
        for agent in staff.index:
            ids = by_agent.get_group(agent).to_numpy()
            k = rng.integers(CALLS_PER_MONTH[0], CALLS_PER_MONTH[1] + 1)
            rows.append(pd.DataFrame({"agent": agent, "contact_id": np.sort(rng.choice(ids, k, replace=False))}))
    table = pd.concat(rows, ignore_index=True)
    call_day = table["contact_id"].map(calls.set_index("contact_id")["start"]).dt.date
    lag = rng.integers(DAYS_TO_SCORE[0], DAYS_TO_SCORE[1] + 1, len(table))
    table["date"] = [_next_weekday(d + dt.timedelta(days=int(g))) for d, g in zip(call_day, lag)]
    table["date"] = pd.to_datetime(table["date"])
    table["team"] = table["agent"].map(staff["team"])
    table["quality"] = table["agent"].map(staff["quality"])
    noise = rng.normal(0, CALL_NOISE, len(table))
    table["score"] = np.clip(np.round(table["quality"] + noise), 0, 100).astype(np.int64)
    return table.sort_values(["date", "agent", "contact_id"], ignore_index=True)


def build():
    """The table: one row per scored call (dates at midnight, as the loader reads dates)."""
    return simulate()[COLUMNS].copy()
