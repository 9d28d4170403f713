"""Check what opsfirst.scheduling gives back (names, columns, units) and how it refuses input."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from opsfirst import scheduling

LONDON = "Europe/London"


def day(values, start="2025-11-17 08:00", tz=LONDON):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="30min",
                                                 tz=tz))


def test_the_documented_keyword_calls_work():
    """Check each function with its documented keywords, and the results' names and columns."""
    options = scheduling.shift_options(first_start="07:00", last_start="14:00", every="30min",
                                       lengths=(4, 6, 8))
    assert list(options.columns) == ["start", "hours", "cost"]
    assert len(options) == 15 * 3
    assert options["start"].iloc[0] == dt.time(7, 0) and options["start"].iloc[-1] == dt.time(14)
    assert (options["cost"] == options["hours"]).all()
    required = day([2] * 16)
    schedule = scheduling.cover(required, options, interval=1800)
    assert list(schedule.shifts.columns) == ["date", "start", "hours", "agents"]
    assert isinstance(schedule.shifts["date"].iloc[0], dt.date)
    assert schedule.coverage.index.equals(required.index)
    assert type(schedule.paid_hours) is float and type(schedule.surplus) is int
    assert type(schedule.optimal) is bool
    assert schedule.paid_hours == 16.0 and schedule.surplus == 0  # 2 x 8 h from 08:00
    roster = scheduling.rosters(required, options, days_per_week=5, consecutive_days_off=True)
    assert list(roster.agents.columns) == ["agent", "start", "hours", "days_off"]
    assert list(roster.patterns.columns) == ["start", "hours", "days_off", "agents"]
    assert roster.coverage.index.equals(required.index)
    assert type(roster.paid_hours) is float and type(roster.optimal) is bool
    assert roster.paid_hours == 2 * 8 * 5  # two agents, 8 h, 5 days
    # defaults: shift_options() when shifts is None
    assert scheduling.cover(required).cost == schedule.cost


def test_unsorted_naive_and_aware_requirements_give_the_same_plan():
    """Check that order does not matter and that naive times work like local ones."""
    values = [1, 1, 2, 2, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1]
    aware = day(values)
    naive = day(values, tz=None)
    shuffled = aware.sample(frac=1, random_state=2026)
    a, b, c = (scheduling.cover(r) for r in (aware, naive, shuffled))
    assert a.cost == b.cost == c.cost
    assert (c.coverage.reindex(aware.index) == a.coverage).all()
    assert c.coverage.index.equals(shuffled.index)  # aligned with required, in its order


def test_a_shift_lasts_its_hours_across_the_clock_change():
    """Check a night across 26 October 2025 (clocks back at 02:00 BST): 8 h are 8 h elapsed.

    A shift starting 00:00 on 26 October for 8 hours ends at 07:00 GMT, not 08:00: the hour
    01:00-02:00 happens twice and both times are covered.
    """
    night = day([1] * 16, start="2025-10-26 00:00")  # 16 half-hours = 8 h elapsed
    assert night.index[-1] == pd.Timestamp("2025-10-26 06:30", tz=LONDON)
    options = pd.DataFrame({"start": [dt.time(0, 0)], "hours": [8.0], "cost": [8.0]})
    schedule = scheduling.cover(night, options)
    assert schedule.shifts["agents"].tolist() == [1]
    assert schedule.coverage.tolist() == [1] * 16
    assert schedule.surplus == 0


def test_repr_reads_as_a_sentence():
    """Check that the results print a readable, deterministic summary."""
    schedule = scheduling.cover(day([2] * 16))
    assert repr(schedule) == ("Schedule: 2 shifts on 1 day(s), 16 paid hours (cost 16), surplus "
                              "0 agent-half-hours (0 in closed hours); proven optimal")
    quarter_hours = pd.Series(2, index=pd.date_range("2025-11-17 08:00", periods=16,
                                                     freq="15min", tz=LONDON))  # 4 h
    quarters = scheduling.cover(quarter_hours, interval=900)
    assert "8 paid hours (cost 8), surplus 0 agent-intervals of 900 s" in repr(quarters)
    roster = scheduling.rosters(day([2] * 16))
    # 2 agents x 8 h or 4 agents x 4 h: both 80 h in the week, both leave the same surplus
    assert repr(roster) == (f"Roster: {len(roster.agents)} agents working 5 days a week, days "
                            "off together, 80 paid hours (cost 80), surplus 128 "
                            "agent-half-hours (128 in closed hours); proven optimal")


def test_nothing_required_costs_nothing():
    """Check that a day with no requirement gives no shifts and is still proven optimal."""
    schedule = scheduling.cover(day([0] * 6))
    assert schedule.shifts.empty and schedule.paid_hours == 0 and schedule.optimal
    assert schedule.coverage.tolist() == [0] * 6


def test_a_solver_stopped_by_its_time_limit_is_reported_not_optimal(monkeypatch):
    """Check that when HiGHS stops at the time limit (status 1), .optimal is False."""
    real = scheduling.optimize.milp

    def stopped(*args, **kwargs):
        result = real(*args, **kwargs)
        result.status = 1
        result.message = "Time limit reached. (HiGHS Status 13: model_status is Time limit)"
        return result

    monkeypatch.setattr(scheduling.optimize, "milp", stopped)
    schedule = scheduling.cover(day([1, 1, 2, 2, 2, 2, 1, 1]), time_limit=5)
    assert schedule.optimal is False
    assert schedule.time_limit == 5.0
    assert "time limit" in repr(schedule)
    assert (schedule.coverage >= 1).all()


# ---------------------------------------------------------------------------- errors

GOOD = day([1, 1, 2, 2])


def bad_requirements():
    index = GOOD.index
    return [
        (GOOD.to_frame("agents"), "got a DataFrame"),
        ([1, 2, 3], "got list"),
        (pd.Series([1, 2]), "DatetimeIndex"),
        (GOOD.iloc[:0], "required is empty"),
        (pd.Series([1, 2], index=pd.DatetimeIndex([index[0], pd.NaT])), "missing time"),
        (pd.Series([1, 2], index=[index[0], index[0]]), "twice (row 1)"),
        (pd.Series([1, -2, 1, 1], index=index), "got -2 at 2025-11-17 08:30:00+00:00 (row 1): "
         "a requirement cannot be below 0"),
        (pd.Series([1, 2, math.nan, 1], index=index), "got a missing value at 2025-11-17 "
         "09:00:00+00:00 (row 2): a missing value is a gap"),
        (pd.Series([1, 2, None, 1], index=index, dtype="Int64"), "got a missing value at"),
        (pd.Series([1, 2, math.inf, 1], index=index), "got inf at"),
        (pd.Series([1, 2, 3.5, 1], index=index), "got 3.5 at"),
        (pd.Series([1, 2, 3.5, 1], index=index), "numpy.ceil"),
        (pd.Series([1, "two", 1, 1], index=index), "got 'two' at"),
        (pd.Series([1, 2], index=index[:2] + pd.Timedelta(minutes=10)), "08:10:00+00:00 (row 0)"),
    ]


@pytest.mark.parametrize("function", ["cover", "rosters"])
@pytest.mark.parametrize("required, words", bad_requirements())
def test_bad_requirements_are_refused_by_name(function, required, words):
    """Check that each bad requirement gets a ValueError naming the value, row and fix."""
    with pytest.raises(ValueError, match="required") as error:
        getattr(scheduling, function)(required)
    assert words in str(error.value)


@pytest.mark.parametrize("function", ["cover", "rosters"])
def test_half_hours_no_shift_reaches_are_named(function):
    """Check that demand outside every shift (06:00, 22:30) is refused, naming the half-hours."""
    required = pd.concat([day([1, 1], start="2025-11-17 06:00"), GOOD,
                          day([1], start="2025-11-17 22:30")])
    with pytest.raises(ValueError) as error:
        getattr(scheduling, function)(required)
    message = str(error.value)
    assert "3 half-hour(s) that no shift covers" in message
    assert "2025-11-17 06:00:00+00:00, 2025-11-17 06:30:00+00:00, 2025-11-17 22:30:00+00:00" \
        in message
    assert "shift_options(" in message
    # the same half-hours with requirement 0 are simply closed
    required[required.index.hour < 8] = 0
    required.iloc[-1] = 0
    getattr(scheduling, function)(required)


def test_the_many_uncoverable_half_hours_are_counted():
    """Check that a long list of uncovered half-hours is cut short and counted."""
    night = day([1] * 12, start="2025-11-17 00:00")
    with pytest.raises(ValueError, match=r"12 half-hour\(s\).* and 4 more"):
        scheduling.cover(night)


def good_options():
    return scheduling.shift_options(first_start="08:00", last_start="08:00", lengths=(2,))


@pytest.mark.parametrize("shifts, words", [
    ([("08:00", 2)], "shifts must be a DataFrame"),
    (pd.DataFrame({"begin": ["08:00"], "hours": [2]}), "needs the column(s) start"),
    (good_options().iloc[:0], "shifts is empty"),
    (pd.DataFrame({"start": ["8am"], "hours": [2]}), "shifts start (row 0) must be a time of day"),
    (pd.DataFrame({"start": ["08:10"], "hours": [2]}), "got 08:10:00 (row 0)"),
    (pd.DataFrame({"start": ["08:00", "08:00"], "hours": [2, 0]}), "got 0 (row 1)"),
    (pd.DataFrame({"start": ["08:00"], "hours": [2.25]}), "whole number of intervals"),
    (pd.DataFrame({"start": ["08:00"], "hours": [2], "cost": [-1]}), "shifts cost"),
    (pd.DataFrame({"start": ["08:00"], "hours": [math.nan]}), "shifts hours"),
])
def test_bad_shift_tables_are_refused_by_name(shifts, words):
    """Check that each bad shift table gets a ValueError naming the column, row and value."""
    with pytest.raises(ValueError) as error:
        scheduling.cover(GOOD, shifts)
    assert words in str(error.value)


def test_a_shift_table_without_cost_pays_hours():
    """Check that a table of start and hours alone prices shifts at their paid hours."""
    shifts = pd.DataFrame({"start": ["08:00"], "hours": [2]})
    assert scheduling.cover(GOOD, shifts).cost == 4.0  # 2 agents x 2 h


@pytest.mark.parametrize("keywords, words", [
    (dict(first_start="7am"), "first_start must be a time of day"),
    (dict(first_start="14:00", last_start="07:00"), "last_start must not be before"),
    (dict(every="soon"), "every must be a duration"),
    (dict(every="0min"), "more than 0"),
    (dict(lengths=()), "lengths must be a list"),
    (dict(lengths=(4, -6)), "got -6 (row 1)"),
    (dict(lengths=(4, 25)), "at most 24"),
])
def test_bad_shift_options_are_refused_by_name(keywords, words):
    """Check shift_options' messages."""
    with pytest.raises(ValueError) as error:
        scheduling.shift_options(**keywords)
    assert words in str(error.value)


@pytest.mark.parametrize("keywords, words", [
    (dict(interval=0), "interval must be"),
    (dict(interval=7), "divides a day"),
    (dict(time_limit=0), "time_limit must be"),
])
def test_bad_solver_settings_are_refused_by_name(keywords, words):
    """Check interval and time_limit messages, for cover and rosters alike."""
    for function in (scheduling.cover, scheduling.rosters):
        with pytest.raises(ValueError, match=words):
            function(GOOD, **keywords)


@pytest.mark.parametrize("keywords, words", [
    (dict(days_per_week=0), "days_per_week must be a whole number of days from 1 to 7"),
    (dict(days_per_week=8), "got 8"),
    (dict(days_per_week=4.5), "got 4.5"),
    (dict(consecutive_days_off="yes"), "consecutive_days_off must be True or False"),
])
def test_bad_roster_settings_are_refused_by_name(keywords, words):
    """Check rosters' own arguments."""
    with pytest.raises(ValueError, match=words):
        scheduling.rosters(GOOD, **keywords)


def test_rosters_refuse_more_than_a_week():
    """Check that rosters plans one week, and says how to cut a longer requirement."""
    fortnight = pd.concat([GOOD, GOOD.set_axis(GOOD.index + pd.Timedelta(days=7))])
    with pytest.raises(ValueError, match="rosters plans one week: required runs from "
                       "2025-11-17 to 2025-11-24, 8 days"):
        scheduling.rosters(fortnight)
    assert scheduling.cover(fortnight).cost == 2 * scheduling.cover(GOOD).cost


def test_every_day_off_pattern_is_allowed_once():
    """Check the rosters offered: 7 with days off together, C(7, k) without, 1 for 7 days."""
    assert scheduling.rosters(GOOD, days_per_week=7).agents["days_off"].tolist() == [(), ()]
    roster = scheduling.rosters(day([1] * 4), days_per_week=5)
    # the cheapest: off on days with no requirement (Tuesday onwards are closed here)
    assert len(roster.agents) == 1
    off = roster.agents["days_off"].iloc[0]
    assert len(off) == 2 and "Monday" not in off
    assert np.all(roster.coverage.to_numpy() == 1)


def test_a_tie_break_stopped_by_the_time_limit_is_reported(monkeypatch):
    """Check that when only the closed-hours stage stops at the limit, .optimal is False too.

    The only shift (08:00, 2 h) must also work 08:00-09:00, where nobody is needed: the
    cheapest cover has closed surplus, so the second stage runs; here it is told it stopped,
    and the least cost is still kept.
    """
    real = scheduling.optimize.milp
    calls = []

    def second_stopped(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(result.status)
        if len(calls) == 2:
            result.status = 1
        return result

    monkeypatch.setattr(scheduling.optimize, "milp", second_stopped)
    options = pd.DataFrame({"start": ["08:00"], "hours": [2]})
    schedule = scheduling.cover(day([0, 0, 1, 1]), options)
    assert len(calls) == 2
    assert schedule.optimal is False and schedule.cost == 2.0
    assert schedule.closed_surplus == 2
    assert "tie-break stopped at the time limit" in schedule.status


def test_no_cover_within_the_time_limit_is_an_error_that_says_so(monkeypatch):
    """Check that a solver stopped before finding any cover raises, asking for more time."""
    real = scheduling.optimize.milp

    def nothing(*args, **kwargs):
        result = real(*args, **kwargs)
        result.status, result.x = 1, None
        return result

    monkeypatch.setattr(scheduling.optimize, "milp", nothing)
    with pytest.raises(RuntimeError, match="no cover within time_limit=2 s"):
        scheduling.cover(GOOD, time_limit=2)
