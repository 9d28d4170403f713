"""Check the shipped interval_history shows what it is calibrated to (regeneration: test_datasets_regenerate).

The CSV is read with plain pandas here, so these checks do not depend on the loader.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opsfirst.datasets.builders import interval_history as spec

CSV = Path(__file__).resolve().parents[2] / "datasets" / "interval_history.csv"


@pytest.fixture(scope="module")
def shipped():
    table = pd.read_csv(CSV)
    table["interval_start"] = pd.to_datetime(table["interval_start"], utc=True).dt.tz_convert(spec.TIME_ZONE)
    return table


def test_open_hours_holidays_and_the_clock_change(shipped):
    """Check the calendar: no Sundays or bank holidays, opening hours, UTC offset before/after 26 October."""
    local = shipped["interval_start"]
    days = set(local.dt.date)
    assert days == set(spec.open_days())
    assert not days & spec.BANK_HOLIDAYS and all(d.weekday() != 6 for d in days)
    weekday = local.dt.day_of_week
    hours = local.dt.hour + local.dt.minute / 60
    assert hours[weekday < 5].min() == 8 and hours[weekday < 5].max() == 19.5
    assert hours[weekday == 5].min() == 9 and hours[weekday == 5].max() == 16.5
    offsets = local.map(lambda t: t.utcoffset())
    change = local.dt.date >= dt.date(2025, 10, 26)
    assert (offsets[~change] == dt.timedelta(hours=1)).all() and (offsets[change] == dt.timedelta(0)).all()
    assert local.is_unique and local.is_monotonic_increasing


def test_counts_keep_their_books(shipped):
    """Check answered + abandoned = offered, answered within 20 s <= answered, AHT only where answered."""
    t = shipped
    assert (t["calls_answered"] + t["calls_abandoned"] == t["calls_offered"]).all()
    assert (t["answered_within_20s"] <= t["calls_answered"]).all()
    assert t["aht_seconds"].isna().equals(t["calls_answered"] == 0)


def test_handling_time_matches_its_assumed_mean(shipped):
    """Check the mean handling time against the assumed 300 s (324 s after 17:00), within 4 standard errors."""
    t = shipped.dropna(subset=["aht_seconds"])
    evening = t["interval_start"].dt.hour >= 17
    expected = np.where(evening, spec.AHT * spec.AHT_EVENING, spec.AHT)
    answered = t["calls_answered"]
    observed = (t["aht_seconds"] * answered).sum() / answered.sum()
    target = (expected * answered).sum() / answered.sum()
    standard_error = target * spec.HANDLE_CV / np.sqrt(answered.sum())
    assert abs(observed - target) < 4 * standard_error + 0.05  # + rounding to 0.1 s


def test_weekly_shape_and_the_campaign_are_in_the_data(shipped):
    """Check Monday is the busiest weekday, Saturday the quietest, and 6 October's mailing lifts calls."""
    t = shipped.assign(day=shipped["interval_start"].dt.date)
    daily = t.groupby("day")["calls_offered"].sum()
    weekday = pd.Series([d.weekday() for d in daily.index], index=daily.index)
    before = daily[[d < spec.CAMPAIGN_START for d in daily.index]]
    by_day = before.groupby(weekday[before.index]).mean()
    assert by_day.idxmax() == 0 and by_day.idxmin() == 5
    monday_ratio = by_day[0] / by_day[[0, 1, 2, 3, 4]].mean()
    shape = spec.DAY_SHAPE
    assert monday_ratio == pytest.approx(shape[0] / np.mean([shape[d] for d in range(5)]), rel=0.05)
    usual_monday = before[weekday[before.index] == 0].tail(4).mean()
    assert daily[spec.CAMPAIGN_START] > (1 + spec.CAMPAIGN_LIFT / 2) * usual_monday


def test_service_falls_where_staff_are_short(shipped):
    """Check cause and effect: intervals with fewer agents per Erlang answer fewer calls within 20 s."""
    t = shipped[shipped["calls_offered"] > 0]
    erlangs = t["calls_offered"] * t["aht_seconds"].fillna(spec.AHT) / 1800
    slack = t["agents"] / erlangs
    service = t["answered_within_20s"] / t["calls_offered"]
    short, ample = service[slack < slack.quantile(0.2)], service[slack > slack.quantile(0.8)]
    assert short.mean() < ample.mean() - 0.1
    overall = t["answered_within_20s"].sum() / t["calls_offered"].sum()
    assert 0.75 < overall < 0.85  # planned to 80/20, then absence, lunch and a campaign
