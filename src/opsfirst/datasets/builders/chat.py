"""Build ``chat``: four weeks of web-chat sessions at the bank's servicing centre.

The centre of ``interval_history`` also answers web chat, Monday to Friday 08:00-20:00 and
Saturday 09:00-17:00, from Monday 15 September to Saturday 11 October 2025. Every open day is
simulated chat by chat with :func:`opsfirst.simulation.simulate_chat`:

1. the expected chats of each half-hour come from a daily level (Monday busiest), the same
   intraday curve as the voice line (peaks mid-morning and mid-afternoon) and a day-to-day
   wobble;
2. the planners staff each half-hour for 80% of chats picked up within 60 s, on Erlang C
   over chat *slots* (agents x 3 chats) with the base handling time: they forget that chats
   slow down when an agent holds several, so service falls short of the target when busy;
3. agents hold up to 3 chats at once; a chat's handling time is its base time x
   (1 + 0.25 x (chats held - 1)) when it is picked up; customers leave if they wait longer
   than their patience.

Every figure below is an assumption of this kit (labelled "assumed" in the data dictionary).
The limit of 3 chats per agent sits in the published range of 2 to 4 (Koole, "Staffing chat
sessions", 2013: agents are limited to 3 or 4 chats; Call Centre Helper, "What is the Formula
for Concurrency In Chat Support?": 15 chats over 5 agents is a concurrency of 3).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SEED = 2026
STREAM = 11  # this builder's random stream
FIRST_DAY, LAST_DAY = dt.date(2025, 9, 15), dt.date(2025, 10, 11)
TIME_ZONE = "Europe/London"
OPENING = {0: (8, 20), 1: (8, 20), 2: (8, 20), 3: (8, 20), 4: (8, 20), 5: (9, 17)}

# Assumed figures (the data dictionary lists them).
WEEKDAY_CHATS = 330  # chats on an average Monday-Friday
DAY_SHAPE = {0: 1.18, 1: 1.05, 2: 1.0, 3: 0.97, 4: 0.90, 5: 0.50}
DAY_WOBBLE = 0.08
AHT = 420.0  # seconds: base handling time of a chat held alone
HANDLE_CV = 0.7
CONCURRENCY = 3
SLOWDOWN = 0.25  # each other chat held makes a chat 25% slower
PATIENCE = 240.0  # seconds, exponential
TARGET_SERVICE_LEVEL, TARGET_TIME = 0.8, 60
PLANNED_HELD = 1  # planners use the base handling time: they forget the slowdown


def open_days() -> list[dt.date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() in OPENING:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def planned_agents(expected_chats: np.ndarray) -> np.ndarray:
    """Chat agents per half-hour: Erlang C on slots, then slots / concurrency rounded up."""
    from opsfirst import staffing

    aht = AHT * (1 + SLOWDOWN * (PLANNED_HELD - 1))
    slots = staffing.agents_required(calls=expected_chats, aht=aht,
                                     target_service_level=TARGET_SERVICE_LEVEL,
                                     target_time=TARGET_TIME)
    return np.maximum(np.ceil(slots / CONCURRENCY), 1).astype(int)


def build():
    """The table: one row per chat (see the module docstring)."""
    import pandas as pd

    from opsfirst import simulation
    from opsfirst.datasets.builders.interval_history import intraday

    days = open_days()
    streams = np.random.SeedSequence(SEED, spawn_key=(STREAM,)).spawn(len(days))
    frames = []
    for day, stream in zip(days, streams):
        rng = np.random.default_rng(stream)
        first, last = OPENING[day.weekday()]
        hours = np.arange(first, last, 0.5)
        shape = intraday(hours + 0.25)
        expected = WEEKDAY_CHATS * DAY_SHAPE[day.weekday()] * shape / shape.sum()
        chats = expected * rng.lognormal(-DAY_WOBBLE**2 / 2, DAY_WOBBLE)
        result = simulation.simulate_chat(
            chats=chats, aht=AHT, agents=planned_agents(expected), concurrency=CONCURRENCY,
            slowdown=SLOWDOWN, patience=PATIENCE, handle_cv=HANDLE_CV, target_time=TARGET_TIME,
            seed=int(rng.integers(2**32)), records=True)
        t = result.records
        opening = pd.Timestamp(dt.datetime.combine(day, dt.time(first)))

        def clock(seconds):
            return (opening + pd.to_timedelta(np.floor(seconds), unit="s")).dt.tz_localize(TIME_ZONE)

        arrival, first_response, end = clock(t["arrival"]), clock(t["first_response"]), clock(t["end"])
        frames.append(pd.DataFrame({
            "arrival": arrival,
            "first_response": first_response,
            "end": end,
            "agent": t["agent"].map(lambda a: f"C{a + 1:02d}", na_action="ignore"),
            "concurrency_at_pickup": t["concurrency_at_pickup"],
            "handle_seconds": pd.array((end - first_response).dt.total_seconds(), dtype="Int64"),
            "abandoned": t["abandoned"],
        }))
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "session_id", np.arange(1, len(table) + 1))
    return table
