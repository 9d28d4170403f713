"""Check the rolling weekly backtest: its origins, its sums, and that nothing leaks.

A forecast is judged honestly only if the week it forecasts (and everything after) played no
part in it. Each test here changes or removes the data after an origin and checks that the
forecast made at that origin does not move.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsfirst import forecasting
from opsfirst.datasets import load


@pytest.fixture(scope="module")
def bank() -> pd.DataFrame:
    return load("bank_calls")


def test_each_row_is_a_monday_origin_and_the_weeks_follow_each_other(bank):
    """Check week_start: Mondays at 00:00, a week apart, the last one the last shipped week."""
    table = forecasting.backtest(bank, method="seasonal_naive", weeks=16)
    assert list(table.columns) == ["week_start", "intervals", "actual", "forecast",
                                   "abs_error", "wape"]
    assert len(table) == 16
    starts = pd.DatetimeIndex(table["week_start"])
    assert (starts.day_of_week == 0).all() and (starts == starts.normalize()).all()
    assert (np.diff(starts.asi8) == np.diff(starts.asi8)[0]).all()
    assert starts[-1] == pd.Timestamp("2003-08-25") and starts[0] == pd.Timestamp("2003-05-12")


def test_a_week_with_a_closed_day_has_fewer_half_hours(bank):
    """Check the intervals column: 5 x 28 half-hours, 4 x 28 in the weeks of 26 May and 4 July."""
    table = forecasting.backtest(bank, method="seasonal_naive", weeks=16).set_index("week_start")
    assert table.loc["2003-05-26", "intervals"] == 112
    assert table.loc["2003-06-30", "intervals"] == 112
    assert (table.drop(index=[pd.Timestamp("2003-05-26"), pd.Timestamp("2003-06-30")])
            ["intervals"] == 140).all()


@pytest.mark.parametrize("method", forecasting.METHODS)
def test_each_week_is_forecast_from_the_history_before_its_monday(bank, method):
    """Check a row against forecast() called by hand with the history cut at that Monday."""
    table = forecasting.backtest(bank, method=method, weeks=3)
    for row in table.itertuples():
        week = bank[(bank["interval_start"] >= row.week_start)
                    & (bank["interval_start"] < row.week_start + pd.Timedelta(days=7))]
        before = bank[bank["interval_start"] < row.week_start]
        predicted = forecasting.forecast(before, week["interval_start"], method=method)
        assert row.intervals == len(week)
        assert row.actual == week["calls"].sum()
        assert row.forecast == pytest.approx(predicted.sum())
        assert row.abs_error == pytest.approx(np.abs(week["calls"] - predicted).sum())
        assert row.wape == pytest.approx(forecasting.wape(week["calls"], predicted))


def test_the_overall_wape_is_the_sum_of_errors_over_the_sum_of_calls(bank):
    """Check attrs['wape'] = sum abs_error / sum actual, not the mean of the weekly WAPEs."""
    table = forecasting.backtest(bank, method="seasonal_naive", weeks=8)
    overall = table["abs_error"].sum() / table["actual"].sum()
    assert table.attrs["wape"] == pytest.approx(overall, rel=1e-12)
    assert type(table.attrs["wape"]) is float
    assert table.attrs["method"] == "seasonal_naive"
    assert abs(table["wape"].mean() - overall) > 1e-6  # the two do differ here


@pytest.mark.parametrize("method", forecasting.METHODS)
def test_changing_the_data_after_the_origin_leaves_the_forecast_unchanged(bank, method):
    """Check no leakage: tripling or deleting everything from the origin on changes nothing."""
    origin = pd.Timestamp("2003-08-11")
    week = bank[(bank["interval_start"] >= origin)
                & (bank["interval_start"] < origin + pd.Timedelta(days=7))]["interval_start"]
    base = forecasting.forecast(bank, week, method=method)
    after = bank["interval_start"] >= origin
    tripled = bank.assign(calls=np.where(after, bank["calls"] * 3, bank["calls"]))
    assert np.array_equal(forecasting.forecast(tripled, week, method=method), base)
    assert np.array_equal(forecasting.forecast(bank[~after], week, method=method), base)


def test_changing_the_last_week_leaves_the_earlier_backtest_weeks_unchanged(bank):
    """Check that the backtest's earlier rows do not see a later week."""
    last = bank["interval_start"] >= "2003-08-25"
    changed = bank.assign(calls=np.where(last, 0, bank["calls"]))
    before = forecasting.backtest(bank, weeks=4)
    after = forecasting.backtest(changed, weeks=4)
    pd.testing.assert_frame_equal(before.iloc[:3], after.iloc[:3])
    assert after["actual"].iloc[3] == 0 and after["forecast"].iloc[3] == before["forecast"].iloc[3]


def test_the_actual_column_stays_in_whole_calls(bank):
    """Check that counts of whole calls are given back as whole numbers."""
    table = forecasting.backtest(bank, method="seasonal_naive", weeks=2)
    assert table["actual"].dtype == np.int64
