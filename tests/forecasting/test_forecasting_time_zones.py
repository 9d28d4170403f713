"""Check that "the same half-hour a week earlier" is the same wall-clock time across clock changes.

``interval_history`` (Europe/London) closes at night, so its weeks keep 136 half-hours when the
clocks change (26 October 2025): what changes is the UTC offset, and a forecast that stepped
back a fixed 168 hours would read 10:00 BST for 09:00 GMT. A centre open round the clock also
loses or gains rows: its week has 334 half-hours when the clocks go forward (30 March 2025)
and 338 when they go back. Both are checked here, the second on a synthetic 24-hour centre
whose calls depend only on the weekday and the wall-clock time, so every method that matches
by wall-clock time must forecast it exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsfirst import forecasting
from opsfirst.datasets import load

LONDON = "Europe/London"


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return load("interval_history")


def week_of(frame: pd.DataFrame, monday: str) -> pd.DataFrame:
    start = pd.Timestamp(monday, tz=LONDON)
    times = frame["interval_start"]
    return frame[(times >= start) & (times < start + pd.DateOffset(days=7))]


def test_interval_history_keeps_136_half_hours_in_the_week_the_clocks_go_back(history):
    """Check the data this module is tested on: the same rows, a different UTC offset."""
    before, after = week_of(history, "2025-10-20"), week_of(history, "2025-10-27")
    assert len(before) == len(after) == 136
    assert {t.utcoffset() for t in before["interval_start"]} == {pd.Timedelta(hours=1)}
    assert {t.utcoffset() for t in after["interval_start"]} == {pd.Timedelta(0)}


def test_seasonal_naive_after_the_clock_change_reads_the_same_wall_clock_time(history):
    """Check each half-hour of 27 Oct - 1 Nov 2025 against the week before, matched as text."""
    before, after = week_of(history, "2025-10-20"), week_of(history, "2025-10-27")
    got = forecasting.forecast(history, after["interval_start"], method="seasonal_naive")
    by_clock = dict(zip(before["interval_start"].dt.strftime("%a %H:%M"), before["calls_offered"]))
    expected = [by_clock[t.strftime("%a %H:%M")] for t in after["interval_start"]]
    assert got.tolist() == expected
    # the fixed-offset mistake: 09:00 GMT on the 27th is 10:00 BST on the 20th, 168 hours back
    nine = after["interval_start"].dt.strftime("%a %H:%M").tolist().index("Mon 09:00")
    hours_back = after["interval_start"].iloc[nine] - pd.Timedelta(hours=168)
    wrong = before.loc[before["interval_start"] == hours_back, "calls_offered"].item()
    assert hours_back.strftime("%H:%M") == "10:00"
    assert got[nine] != wrong


def test_intervals_in_another_time_zone_are_read_in_the_historys(history):
    """Check that the same half-hours given in UTC get the same forecasts."""
    after = week_of(history, "2025-10-27")["interval_start"]
    local = forecasting.forecast(history, after, method="mean_4_weeks")
    utc = forecasting.forecast(history, after.dt.tz_convert("UTC"), method="mean_4_weeks")
    assert np.array_equal(local, utc)


def round_the_clock(start: str, end: str) -> pd.Series:
    """A 24-hour centre in London whose calls depend on the weekday and wall-clock time only."""
    times = pd.date_range(pd.Timestamp(start, tz=LONDON), pd.Timestamp(end, tz=LONDON),
                          freq="30min", inclusive="left")
    calls = 100 + 2 * times.hour + times.minute // 30 + 10 * times.day_of_week
    return pd.Series(calls.to_numpy(dtype=np.int64), index=times, name="calls")


@pytest.mark.parametrize("start, end, changed_week, rows", [
    ("2025-02-03", "2025-04-14", "2025-03-24", 334),  # clocks forward on Sunday 30 March
    ("2025-09-01", "2025-11-10", "2025-10-20", 338),  # clocks back on Sunday 26 October
])
@pytest.mark.parametrize("method", forecasting.METHODS)
def test_a_round_the_clock_centre_is_forecast_exactly_across_a_clock_change(
        start, end, changed_week, rows, method):
    """Check 334/338-row weeks: a pattern fixed by wall-clock time is forecast exactly."""
    series = round_the_clock(start, end)
    table = forecasting.backtest(series, method=method, weeks=3).set_index("week_start")
    monday = pd.Timestamp(changed_week, tz=LONDON)
    assert table.loc[monday, "intervals"] == rows
    assert set(table["intervals"]) <= {336, rows}
    assert table["abs_error"].max() < 1e-6 * table["actual"].min()


def test_a_fixed_336_row_offset_would_be_wrong_after_a_clock_change():
    """Check that a fixed 336-row shift would be wrong here (so the test above can fail)."""
    series = round_the_clock("2025-03-03", "2025-04-14")
    week = series[series.index >= pd.Timestamp("2025-03-31", tz=LONDON)]
    shifted = series.shift(336)[week.index]
    got = forecasting.forecast(series, week.index, method="seasonal_naive")
    assert np.array_equal(got, week.to_numpy())
    assert not np.array_equal(shifted.to_numpy(), week.to_numpy())


def test_the_hour_that_happens_twice_is_averaged_and_both_its_half_hours_forecast_alike():
    """Check the module's rule for the night the clocks go back (26 October 2025).

    History: Sundays 00:00-02:30 local. On the 26th the wall-clock 01:00 and 01:30 happen twice:
    the first time (BST) with 10 calls, the second (GMT) with 30; every other half-hour has 5.
    The next Sunday's 01:00 is forecast from the 26th: (10 + 30) / 2 = 20. Forecasting the
    26th itself from the Sunday before, both of its 01:00 half-hours get that Sunday's 01:00.
    """
    times = pd.date_range(pd.Timestamp("2025-10-19 00:00", tz=LONDON),
                          pd.Timestamp("2025-10-19 03:00", tz=LONDON), freq="30min",
                          inclusive="left")
    changed = pd.date_range(pd.Timestamp("2025-10-26 00:00", tz=LONDON),
                            pd.Timestamp("2025-10-26 03:00", tz=LONDON), freq="30min",
                            inclusive="left")
    assert len(times) == 6 and len(changed) == 8  # 01:00 and 01:30 twice
    calls = [5, 5, 7, 5, 5, 5] + [5, 5, 10, 10, 30, 30, 5, 5]
    series = pd.Series(calls, index=times.append(changed), name="calls")
    next_sunday = pd.DatetimeIndex([pd.Timestamp("2025-11-02 01:00", tz=LONDON)])
    assert forecasting.forecast(series, next_sunday, method="seasonal_naive").tolist() == [20]
    got = forecasting.forecast(series.iloc[:6], changed, method="seasonal_naive")
    assert got.tolist() == [5, 5, 7, 5, 7, 5, 5, 5]
