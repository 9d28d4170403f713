"""Build ``interval_history``: seven months of half-hours of one simulated voice queue.

The centre is a UK service line (think of a retail bank's customer helpline), open Monday to
Friday 08:00-20:00 and Saturday 09:00-17:00, closed on Sundays and on bank holidays in England
and Wales. Every day is simulated call by call with :func:`opsfirst.simulation.simulate_intervals`:

1. the *expected* calls of each half-hour come from a daily level (weekday pattern, a gentle
   growth, a summer lull and a pre-Christmas rise), an intraday curve with a morning and an
   afternoon peak, and a random day-to-day wobble;
2. the planners staff every half-hour to 80/20 from their *forecast*, which knows the pattern
   but not the wobble and not the marketing mailing of 6 October 2025 (calls up by a third,
   fading over two weeks), and which under-covers lunch;
3. some planned agents do not turn up (unplanned absence);
4. the calls then arrive at random, take lognormal handling times, and callers hang up when
   their patience runs out.

Every figure below is an assumption of this kit (labelled "assumed" in the data dictionary)
except the calendar: bank holidays (GOV.UK, "UK bank holidays") and the clock change on
26 October 2025 (GOV.UK, "When do the clocks change?").
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

SEED = 2026
FIRST_DAY = dt.date(2025, 6, 2)  # a Monday
LAST_DAY = dt.date(2025, 12, 31)
TIME_ZONE = "Europe/London"

# Bank holidays in England and Wales within the period (GOV.UK).
BANK_HOLIDAYS = {dt.date(2025, 8, 25), dt.date(2025, 12, 25), dt.date(2025, 12, 26)}
OPENING = {0: (8, 20), 1: (8, 20), 2: (8, 20), 3: (8, 20), 4: (8, 20), 5: (9, 17)}  # weekday: hours

# Assumed figures (the data dictionary lists them).
WEEKDAY_CALLS = 3_000  # calls on an average Monday-Friday at the start of the period
DAY_SHAPE = {0: 1.22, 1: 1.05, 2: 0.98, 3: 0.95, 4: 0.90, 5: 0.45}  # Monday busiest
GROWTH_PER_MONTH = 0.006
SUMMER_LULL = (dt.date(2025, 7, 28), dt.date(2025, 8, 29), 0.90)
CHRISTMAS = (dt.date(2025, 12, 1), dt.date(2025, 12, 23), 1.08)
DAY_WOBBLE = 0.06  # day-to-day standard deviation of the level, lognormal
CAMPAIGN_START, CAMPAIGN_LIFT, CAMPAIGN_HALF_LIFE = dt.date(2025, 10, 6), 0.35, 4.0  # days
AHT = 300.0  # seconds
AHT_EVENING = 1.08  # calls after 17:00 take longer
HANDLE_CV = 0.6
PATIENCE = 150.0  # seconds, exponential
ABSENCE = 0.06  # planned agents who do not turn up
LUNCH_COVER = 0.90  # share of the requirement scheduled 12:00-14:00
TARGET_SERVICE_LEVEL, TARGET_TIME = 0.8, 20
SHORT_ABANDON = 5  # seconds: a caller who hangs up this soon is a "short abandon" (interval_waits)


def intraday(hours: np.ndarray) -> np.ndarray:
    """Relative call rate by time of day: peaks at 10:00 and 14:30, quieter at lunch and late."""
    return (np.exp(-0.5 * ((hours - 10.25) / 1.6) ** 2)
            + 0.85 * np.exp(-0.5 * ((hours - 14.5) / 1.8) ** 2)
            + 0.25 * np.exp(-0.5 * ((hours - 18.5) / 1.5) ** 2) + 0.12)


def daily_level(day: dt.date) -> float:
    """Expected calls on a day, before the wobble and the campaign."""
    months = (day - FIRST_DAY).days / 30.44
    level = WEEKDAY_CALLS * DAY_SHAPE[day.weekday()] * (1 + GROWTH_PER_MONTH) ** months
    for start, end, factor in (SUMMER_LULL, CHRISTMAS):
        if start <= day <= end:
            level *= factor
    return level


def _campaign(day: dt.date) -> float:
    days = (day - CAMPAIGN_START).days
    return 1.0 if days < 0 else 1.0 + CAMPAIGN_LIFT * 0.5 ** (days / CAMPAIGN_HALF_LIFE)


def open_days() -> list[dt.date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() in OPENING and day not in BANK_HOLIDAYS:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@functools.cache
def simulate():
    """Both tables of the simulated line, from one run: (interval_history, interval_waits).

    The simulation keeps every call's wait, so the same run gives the half-hour counts of
    ``interval_history`` and the waiting times of ``interval_waits``. Cached: do not modify the
    tables (build() returns copies).
    """
    import pandas as pd

    from opsfirst import simulation, staffing

    streams = np.random.SeedSequence(SEED)
    days = open_days()
    frames, waits = [], []
    for day, stream in zip(days, streams.spawn(len(days))):
        rng = np.random.default_rng(stream)
        first, last = OPENING[day.weekday()]
        hours = np.arange(first, last, 0.5)
        shape = intraday(hours + 0.25)  # the middle of each half-hour
        shape /= shape.sum()
        planned_calls = daily_level(day) * shape  # what the planners forecast
        calls = planned_calls * rng.lognormal(-DAY_WOBBLE**2 / 2, DAY_WOBBLE) * _campaign(day)
        aht = np.where(hours >= 17, AHT * AHT_EVENING, AHT)
        need = staffing.agents_required(calls=planned_calls, aht=aht,
                                        target_service_level=TARGET_SERVICE_LEVEL,
                                        target_time=TARGET_TIME)
        lunch = (hours >= 12) & (hours < 14)
        planned = np.where(lunch, np.floor(need * LUNCH_COVER), need).astype(int)
        agents = rng.binomial(planned, 1 - ABSENCE)
        table, per_call = simulation.simulate_intervals(
            calls=calls, aht=aht, agents=agents, patience=PATIENCE, handle_cv=HANDLE_CV,
            target_time=TARGET_TIME, seed=rng.integers(2**32), records=True)
        starts = pd.DatetimeIndex([dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=h)
                                   for h in hours]).tz_localize(TIME_ZONE)
        frames.append(pd.DataFrame({
            "interval_start": starts,
            "calls_offered": table["calls_offered"],
            "calls_answered": table["calls_answered"],
            "calls_abandoned": table["calls_abandoned"],
            "answered_within_20s": table["answered_within_target"],
            "aht_seconds": table["aht_seconds"].round(1),
            "agents": table["agents"],
        }))
        # Each call's wait: until answered, or until the caller hung up.
        which = per_call["interval"].to_numpy()
        answered = per_call["answered"].to_numpy()
        wait = per_call["wait"].to_numpy()
        n = hours.size
        waits.append(pd.DataFrame({
            "interval_start": starts,
            "answered_wait_seconds": np.bincount(which[answered], weights=wait[answered],
                                                 minlength=n).round(1),
            "abandoned_wait_seconds": np.bincount(which[~answered], weights=wait[~answered],
                                                  minlength=n).round(1),
            "abandoned_within_5s": np.bincount(which[~answered & (wait <= SHORT_ABANDON)],
                                               minlength=n),
        }))
    return pd.concat(frames, ignore_index=True), pd.concat(waits, ignore_index=True)


def build():
    """The table: one row per open half-hour (see the module docstring)."""
    return simulate()[0].copy()
