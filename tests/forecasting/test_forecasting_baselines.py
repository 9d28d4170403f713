"""Check the two baselines, WAPE and the Poisson floor against hand-worked numbers.

The hand-worked history (calls; two half-hours a day, Mondays and Tuesdays only):

    week of    Mon 09:00  Mon 09:30  Tue 09:00  Tue 09:30
    3 Mar         10         20         30         40
    10 Mar        12         22         32         42
    17 Mar        14         24       (closed)   (closed)
    24 Mar        16         26         36         46
    31 Mar     (closed)   (closed)      38         48

Forecast for the week of 7 April (Mon 7, Tue 8):

* seasonal naive, Monday: a week earlier (31 Mar) was closed, so the latest earlier Monday,
  24 Mar: 16 and 26. Tuesday: 1 April, a week earlier: 38 and 48.
* mean of 4 weeks, Monday: the 4 latest Mondays (24, 17, 10, 3 Mar):
  (16 + 14 + 12 + 10) / 4 = 13 and (26 + 24 + 22 + 20) / 4 = 23.
  Tuesday: the 4 latest Tuesdays (1 Apr, 25, 11, 4 Mar; 18 Mar was closed):
  (38 + 36 + 32 + 30) / 4 = 34 and (48 + 46 + 42 + 40) / 4 = 44.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsfirst import forecasting


def table() -> pd.DataFrame:
    rows = []
    mondays = {"2003-03-03": (10, 20), "2003-03-10": (12, 22), "2003-03-17": (14, 24),
               "2003-03-24": (16, 26)}
    tuesdays = {"2003-03-04": (30, 40), "2003-03-11": (32, 42), "2003-03-25": (36, 46),
                "2003-04-01": (38, 48)}
    for day, (first, second) in {**mondays, **tuesdays}.items():
        rows.append((pd.Timestamp(f"{day} 09:00"), first))
        rows.append((pd.Timestamp(f"{day} 09:30"), second))
    return pd.DataFrame(rows, columns=["interval_start", "calls"]).sort_values("interval_start")


WEEK = pd.to_datetime(["2003-04-07 09:00", "2003-04-07 09:30", "2003-04-08 09:00",
                       "2003-04-08 09:30"])


def test_seasonal_naive_takes_the_latest_same_weekday_when_a_week_ago_was_closed():
    """Check the hand-worked seasonal naive forecast (closed 31 March -> 24 March)."""
    got = forecasting.forecast(table(), WEEK, method="seasonal_naive")
    assert got.tolist() == [16, 26, 38, 48]


def test_mean_4_weeks_skips_a_closed_day_and_goes_one_week_further_back():
    """Check the hand-worked mean of the 4 latest same weekday and half-hour."""
    got = forecasting.forecast(table(), WEEK, method="mean_4_weeks")
    assert got.tolist() == [13, 23, 34, 44]


def test_a_forecast_two_weeks_ahead_uses_the_latest_weeks():
    """Check that a forecast further ahead still uses the latest weeks of the history."""
    ahead = pd.to_datetime(["2003-04-14 09:00", "2003-04-15 09:30"])
    assert forecasting.forecast(table(), ahead, method="seasonal_naive").tolist() == [16, 48]
    assert forecasting.forecast(table(), ahead, method="mean_4_weeks").tolist() == [13, 44]


def test_mean_4_weeks_with_a_shorter_history_averages_what_there_is():
    """Check that two Mondays give the mean of two: (10 + 12) / 2 = 11."""
    short = table()[table()["interval_start"] < "2003-03-12"]
    got = forecasting.forecast(short, pd.to_datetime(["2003-03-17 09:00"]), method="mean_4_weeks")
    assert got.tolist() == [11]


def test_history_on_or_after_the_first_interval_is_ignored():
    """Check that forecasting Tue 1 April uses 25 March, not 1 April itself (in the table)."""
    got = forecasting.forecast(table(), pd.to_datetime(["2003-04-01 09:00"]),
                               method="seasonal_naive")
    assert got.tolist() == [36]


def test_history_may_be_a_series_and_in_any_order():
    """Check that a Series indexed by time, shuffled, gives the same forecast."""
    frame = table().sample(frac=1.0, random_state=2026)
    series = frame.set_index("interval_start")["calls"]
    for method in forecasting.METHODS:
        assert np.allclose(forecasting.forecast(series, WEEK, method=method),
                           forecasting.forecast(table(), WEEK, method=method))


def test_column_picks_another_count_column():
    """Check that column= forecasts the named column, not calls."""
    frame = table().assign(answered=lambda t: t["calls"] * 2)
    got = forecasting.forecast(frame, WEEK, method="seasonal_naive", column="answered")
    assert got.tolist() == [32, 52, 76, 96]


def test_forecast_returns_one_float_array_value_per_interval_in_their_order():
    """Check the type, shape and order of the result (intervals given out of order)."""
    shuffled = WEEK[[3, 0, 2, 1]]
    got = forecasting.forecast(table(), shuffled, method="seasonal_naive")
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (4,)
    assert got.tolist() == [48, 16, 38, 26]


def test_wape_against_a_hand_computation():
    """Check WAPE = (|100-120| + |300-270| + |50-50|) / (100+300+50) = 50/450.

    MAPE would be (20% + 10% + 0%) / 3 = 10%: a different number, so mixing them up shows.
    """
    got = forecasting.wape([100, 300, 50], [120, 270, 50])
    assert type(got) is float
    assert got == pytest.approx(50 / 450, rel=1e-15)
    assert got != pytest.approx(0.1)


def test_wape_accepts_pandas_columns_by_position():
    """Check that two Series with different index labels are paired by position."""
    actual = pd.Series([100, 300], index=[7, 8])
    assert forecasting.wape(actual, pd.Series([120.0, 270.0])) == pytest.approx(50 / 400)


@pytest.mark.parametrize("mean", [0.3, 1.0, 4.5, 37.2, 150.0, 1160.0])
def test_poisson_floor_matches_a_direct_sum_over_the_distribution(mean):
    """Check 2 m P(X = floor m) against sum_k |k - m| P(X = k), summed with scipy."""
    k = np.arange(0, int(mean + 40 * np.sqrt(mean) + 60))
    direct = float(np.sum(np.abs(k - mean) * stats.poisson.pmf(k, mean)))
    assert forecasting.poisson_floor([mean]) == pytest.approx(direct / mean, rel=1e-9)


def test_poisson_floor_matches_a_seeded_simulation():
    """Check the floor of a day of means against simulated Poisson counts (99.9% interval)."""
    rng = np.random.default_rng(2026)
    means = np.array([12.0, 80.5, 150.0, 410.0, 1160.0, 990.0])
    draws = rng.poisson(means, size=(20_000, means.size))
    per_draw = np.abs(draws - means).sum(axis=1) / means.sum()
    centre, spread = per_draw.mean(), 3.3 * per_draw.std(ddof=1) / np.sqrt(len(per_draw))
    assert abs(forecasting.poisson_floor(means) - centre) < spread


def test_poisson_floor_with_zero_mean_half_hours_counts_them_as_no_error():
    """Check that a half-hour with mean 0 adds nothing (X = 0 surely)."""
    assert forecasting.poisson_floor([0.0, 1.0]) == pytest.approx(2 * np.exp(-1))


def test_a_dataframe_indexed_by_time_is_read_like_one_with_the_column():
    """Check calls.set_index("interval_start") gives the same forecast as the plain table."""
    indexed = table().set_index("interval_start")
    for method in forecasting.METHODS:
        assert np.array_equal(forecasting.forecast(indexed, WEEK, method=method),
                              forecasting.forecast(table(), WEEK, method=method))
