"""Build ``email``: four weeks of customer emails, arriving day and night, answered by day.

Emails to the bank's servicing centre (the centre of ``interval_history``) from Monday
15 September 00:00 to Sunday 12 October 2025 24:00, simulated email by email with
:func:`opsfirst.simulation.simulate_email`, in one run so the backlog carries from one day to
the next:

1. emails arrive at random around the clock, more by day than by night, fewer at weekends;
2. the email team works Monday to Friday 08:00-20:00 (four agents 08:00-16:00, two more
   12:00-20:00) and Saturday 09:00-17:00 (three agents); nobody works email on Sundays;
3. each agent takes the oldest email waiting (first in, first out) and replies when done; the
   reply is the first response. Work still in hand at the end of a shift waits for that
   agent's next shift.

So the backlog builds every evening and night and is cleared in the morning, and the weekend's
mail makes Monday morning the worst of the week. Emails not answered by the end of Sunday
12 October are still open: their ``first_response``, ``agent`` and ``handle_seconds`` are
empty. Every figure below is an assumption of this kit (labelled "assumed" in the data
dictionary).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SEED = 2026
STREAM = 12  # this builder's random stream
FIRST_DAY, DAYS = dt.date(2025, 9, 15), 28  # a Monday; every day, Sundays too
TIME_ZONE = "Europe/London"

# Assumed figures (the data dictionary lists them).
DAILY_EMAILS = {0: 260, 1: 235, 2: 225, 3: 220, 4: 210, 5: 120, 6: 95}  # by weekday
AHT = 480.0  # seconds per email
HANDLE_CV = 0.6
# agents on email by half-hour of the day (0 = 00:00-00:30): weekdays and Saturday
WEEKDAY_TEAM = [0] * 16 + [4] * 8 + [6] * 8 + [2] * 8 + [0] * 8
SATURDAY_TEAM = [0] * 18 + [3] * 16 + [0] * 14
SUNDAY_TEAM = [0] * 48
TARGET_TIME = 86_400  # a reply within 24 hours


def _by_hour(hours: np.ndarray) -> np.ndarray:
    """Relative arrival rate by time of day: low at night, a broad day from 08:00 to 22:00."""
    return 0.15 + np.exp(-0.5 * ((hours - 11.5) / 2.5) ** 2) + 0.8 * np.exp(-0.5 * ((hours - 19.5) / 2.0) ** 2)


def expected_emails() -> np.ndarray:
    """Expected emails in each half-hour of the four weeks."""
    hours = np.arange(48) / 2 + 0.25
    shape = _by_hour(hours) / _by_hour(hours).sum()
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(DAYS)]
    return np.concatenate([DAILY_EMAILS[day.weekday()] * shape for day in days])


def team() -> np.ndarray:
    """Email agents working in each half-hour of the four weeks."""
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(DAYS)]
    plan = {5: SATURDAY_TEAM, 6: SUNDAY_TEAM}
    return np.concatenate([plan.get(day.weekday(), WEEKDAY_TEAM) for day in days])


def build():
    """The table: one row per email (see the module docstring)."""
    import pandas as pd

    from opsfirst import simulation

    rng = np.random.default_rng(np.random.SeedSequence(SEED, spawn_key=(STREAM,)))
    result = simulation.simulate_email(emails=expected_emails(), aht=AHT, agents=team(),
                                       handle_cv=HANDLE_CV, target_time=TARGET_TIME,
                                       seed=int(rng.integers(2**32)))
    t = result.records
    start = pd.Timestamp(dt.datetime.combine(FIRST_DAY, dt.time()))

    def clock(seconds):
        return (start + pd.to_timedelta(np.floor(seconds), unit="s")).dt.tz_localize(TIME_ZONE)

    answered = t["first_response"].notna()
    return pd.DataFrame({
        "email_id": np.arange(1, len(t) + 1),
        "arrival": clock(t["arrival"]),
        "first_response": clock(t["first_response"]),
        "agent": t["agent"].map(lambda a: f"E{a + 1:02d}", na_action="ignore"),
        "handle_seconds": pd.array(np.where(answered, np.round(t["handle_time"]), np.nan), dtype="Int64"),
    })
