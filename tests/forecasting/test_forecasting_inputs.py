"""Check that bad input is refused at the door with a ValueError naming what and where.

Each case breaks one thing in otherwise good input and checks the message names the thing
(the argument or column), the place (the row, the time or the date) and, where there is one,
the way out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsfirst import forecasting
from opsfirst.datasets import load

BANK = load("bank_calls")
NEXT = pd.to_datetime(["2003-09-01 07:00", "2003-09-01 07:30"])


def changed(**columns) -> pd.DataFrame:
    return BANK.assign(**columns)


def with_value(row: int, value) -> pd.DataFrame:
    calls = BANK["calls"].astype(float).to_numpy().copy()
    calls[row] = value
    return changed(calls=calls)


CASES = {
    "no history before the intervals": (
        lambda: forecasting.forecast(BANK, ["2003-03-03 07:00"]),
        r"no half-hour before the first of intervals \(2003-03-03 07:00\); its first "
        r"half-hour is 2003-03-03 07:00"),
    "a gap inside an open day": (
        lambda: forecasting.forecast(BANK.drop(index=[5, 6]), NEXT),
        r"gap on 2003-03-03: no row for the 2 half-hours between 09:00 and 10:30"),
    "a time twice": (
        lambda: forecasting.forecast(pd.concat([BANK, BANK.iloc[[7]]]), NEXT),
        r"the half-hour 2003-03-03 10:30 twice \(rows 7 and 3528\)"),
    "a negative count": (
        lambda: forecasting.forecast(with_value(9, -3), NEXT),
        r"calls must be a count of calls, 0 or more.*got -3 at 2003-03-03 11:30 \(row 9\)"),
    "an empty count": (
        lambda: forecasting.forecast(with_value(12, np.nan), NEXT),
        r"calls must be .* got an empty value \(NaN\) at 2003-03-03 13:00 \(row 12\)"),
    "counts that are text": (
        lambda: forecasting.forecast(changed(calls=BANK["calls"].astype(str)), NEXT),
        r"history's calls must be numbers .*got str values"),
    "times that are text": (
        lambda: forecasting.forecast(changed(interval_start=BANK["interval_start"].astype(str)),
                                     NEXT),
        r"history's interval_start must be dates and times; got str values.*pandas.to_datetime"),
    "times off the half-hour": (
        lambda: forecasting.forecast(
            changed(interval_start=BANK["interval_start"].where(
                BANK.index != 4, pd.Timestamp("2003-03-03 09:10"))), NEXT),
        r"interval_start must be the starts of half-hours \(hh:00 or hh:30\); got "
        r"2003-03-03 09:10 \(row 4\)"),
    "no interval_start column": (
        lambda: forecasting.forecast(BANK.rename(columns={"interval_start": "time"}), NEXT),
        r"no column 'interval_start' .*its columns are 'time', 'calls'"),
    "no count column": (
        lambda: forecasting.forecast(BANK.rename(columns={"calls": "volume"}), NEXT),
        r"no count column 'calls' or 'calls_offered'; its columns are 'interval_start', "
        r"'volume': name the one to forecast with column="),
    "a column that is not there": (
        lambda: forecasting.forecast(BANK, NEXT, column="offered"),
        r"no column 'offered' \(column='offered'\); its columns are 'interval_start', 'calls'"),
    "a Series not indexed by time": (
        lambda: forecasting.forecast(BANK["calls"], NEXT),
        r"a Series must be indexed by time .*its index holds int64 values"),
    "not a table at all": (
        lambda: forecasting.forecast([1, 2, 3], NEXT),
        r"history must be a pandas DataFrame .*got list"),
    "empty history": (
        lambda: forecasting.forecast(BANK.iloc[:0], NEXT),
        r"history is empty"),
    "an interval off the half-hour": (
        lambda: forecasting.forecast(BANK, ["2003-09-01 07:00", "2003-09-01 07:15"]),
        r"intervals must be the starts of half-hours \(hh:00 or hh:30\); got "
        r"2003-09-01 07:15 \(row 1\)"),
    "an interval that is a number": (
        lambda: forecasting.forecast(BANK, [3, 4]),
        r"intervals must be dates and times.*got the number 3 \(row 0\)"),
    "an empty interval": (
        lambda: forecasting.forecast(BANK, ["2003-09-01 07:00", None]),
        r"intervals must not be empty; got an empty time \(row 1\)"),
    "no intervals": (
        lambda: forecasting.forecast(BANK, NEXT[:0]),
        r"intervals is empty"),
    "a half-hour the history never had": (
        lambda: forecasting.forecast(BANK, ["2003-09-06 09:00"]),
        r"no Saturday 09:00 half-hour, so intervals' 2003-09-06 09:00 \(row 0\) cannot be "
        r"forecast"),
    "intervals with a time zone, history without": (
        lambda: forecasting.forecast(BANK, NEXT.tz_localize("America/New_York")),
        r"intervals have a time zone \(America/New_York\) but history's times have none"),
    "intervals without a time zone, history with": (
        lambda: forecasting.forecast(load("interval_history"), NEXT),
        r"intervals have no time zone but history's times are in Europe/London.*"
        r"tz_localize\('Europe/London'\)"),
    "an unknown method": (
        lambda: forecasting.forecast(BANK, NEXT, method="ets"),
        r"method must be one of 'seasonal_naive', 'mean_4_weeks', 'default'; got 'ets'"),
    "too few weeks to backtest": (
        lambda: forecasting.backtest(BANK, weeks=26),
        r"history holds 26 weeks .*weeks=26 needs at least 27"),
    "weeks not a whole number": (
        lambda: forecasting.backtest(BANK, weeks=2.5),
        r"weeks must be a whole number of weeks, 1 or more .*got 2.5"),
    "wape lengths that differ": (
        lambda: forecasting.wape([1, 2], [1]),
        r"got 2 actual and 1 forecast values"),
    "wape with no actual calls": (
        lambda: forecasting.wape([0, 0], [1, 1]),
        r"actual has no calls at all"),
    "wape with a negative actual": (
        lambda: forecasting.wape([5, -2], [1, 1]),
        r"actual must be calls in each half-hour, 0 or more; got -2 \(row 1\)"),
    "wape with an empty forecast value": (
        lambda: forecasting.wape([5, 2], [1, np.nan]),
        r"forecast must be .*got an empty value \(NaN\) \(row 1\)"),
    "wape with text": (
        lambda: forecasting.wape("100", [1]),
        r"actual must be .*got the text '100'"),
    "a negative mean for the floor": (
        lambda: forecasting.poisson_floor([3, -1]),
        r"mean must be the expected calls in each half-hour, 0 or more; got -1 \(row 1\)"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_names_what_and_where(case):
    """Check the ValueError and its message for each kind of bad input."""
    call, message = CASES[case]
    with pytest.raises(ValueError, match=message):
        call()


def test_a_closed_weekday_is_not_a_gap():
    """Check that a whole missing weekday (4 July 2003) is accepted: it is a holiday."""
    assert not (BANK["interval_start"].dt.normalize() == pd.Timestamp("2003-07-04")).any()
    assert forecasting.forecast(BANK, NEXT).shape == (2,)


def test_a_short_day_is_not_a_gap():
    """Check that a day that closes early (its last half-hours absent) is accepted and used."""
    short = BANK[~((BANK["interval_start"].dt.normalize() == pd.Timestamp("2003-08-29"))
                   & (BANK["interval_start"].dt.hour >= 17))]
    assert np.isfinite(forecasting.forecast(short, NEXT)).all()


def test_row_numbers_count_from_zero_and_show_an_index_label():
    """Check that a DataFrame with its own index gets the row and its label named."""
    frame = with_value(9, -1).set_axis([f"r{i}" for i in range(len(BANK))])
    with pytest.raises(ValueError, match=r"\(row 9, index 'r9'\)"):
        forecasting.forecast(frame, NEXT)
