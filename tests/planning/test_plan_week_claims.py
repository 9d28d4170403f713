"""The numbers that lesson 03 and assignment 03 state about the shipped data, recomputed.

Where a simple recomputation exists it is independent of the library: the seasonal naive and
four-week forecasts and their WAPE and MAPE in plain pandas, the Poisson floor from scipy's
Poisson distribution, the cheapest cover by our own integer program (scipy.optimize.milp on a
formulation written here). The default forecast, the rosters and the seeded simulation have
no independent shortcut: their figures are read from the library, so that a change to the
data or to the library that moves a figure makes this fail and the text cannot go stale.
Each figure, written as the text writes it, must be in the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from course_helpers import markdown
from opsfirst import datasets, forecasting, scheduling, simulation, staffing

REPO = Path(__file__).resolve().parents[2]
SLUG = "03-plan-the-week"
AHT, PATIENCE, SEED = 300, 150, 2026




def pct(x, digits=1):
    return f"{100 * x:.{digits}f}%"


def thousands(x):
    return f"{x:,.0f}"


@pytest.fixture(scope="module")
def lesson():
    return markdown(REPO / "course" / f"{SLUG}.ipynb")


@pytest.fixture(scope="module")
def assignment():
    return markdown(REPO / "solutions" / SLUG / f"{SLUG}.ipynb")


@pytest.fixture(scope="module")
def calls():
    return datasets.load("bank_calls")


def split(calls, monday):
    start = pd.Timestamp(monday)
    t = calls["interval_start"]
    return calls[t < start], calls[(t >= start) & (t < start + pd.Timedelta(days=7))]


def slot(times):
    return times.dt.strftime("%a %H:%M")


def naive_by_hand(calls, week):
    """Seasonal naive in pandas: the same weekday and half-hour, seven days earlier."""
    earlier = calls.set_index("interval_start")["calls"]
    return earlier.reindex(week["interval_start"] - pd.Timedelta(days=7)).to_numpy(dtype=float)


def mean_4_by_hand(history, week):
    """The mean of the four latest counts of each weekday and half-hour before the week."""
    last = history.groupby(slot(history["interval_start"]))["calls"].apply(lambda s: s.iloc[-4:].mean())
    return last[slot(week["interval_start"])].to_numpy()


def wape_by_hand(actual, forecast):
    actual = np.asarray(actual, dtype=float)
    return np.abs(actual - forecast).sum() / actual.sum()


def cheapest_cover(required, lengths=(4, 6, 8)):
    """Least paid hours covering every half-hour: an integer program written independently."""
    times = pd.DatetimeIndex(required.index)
    columns, cost = [], []
    for day in times.normalize().unique():
        for start in pd.date_range(day + pd.Timedelta(hours=7), day + pd.Timedelta(hours=14), freq="30min"):
            for hours in lengths:
                columns.append((times >= start) & (times < start + pd.Timedelta(hours=hours)))
                cost.append(float(hours))
    best = optimize.milp(np.array(cost), integrality=np.ones(len(cost)),
                         constraints=optimize.LinearConstraint(np.array(columns, float).T,
                                                               lb=required.to_numpy(float)))
    assert best.status == 0
    return best.fun


def poisson_floor_by_hand(means):
    """sum E|X - m| / sum m for X ~ Poisson(m), by summing the distribution."""
    total = 0.0
    for m in means:
        k = np.arange(0, int(m + 20 * np.sqrt(m) + 50))
        total += (np.abs(k - m) * stats.poisson.pmf(k, m)).sum()
    return total / np.sum(means)


# --------------------------------------------------------------------------- the lesson

@pytest.fixture(scope="module")
def lesson_week(calls):
    history, week = split(calls, "2003-08-18")
    better = forecasting.forecast(history, week["interval_start"])
    required = pd.Series(staffing.agents_required(calls=better, aht=AHT), index=week["interval_start"])
    return history, week, better, required


def test_the_lesson_week_is_the_one_described(calls, lesson_week):
    history, week, _, _ = lesson_week
    assert len(week) == 140 and len(history) == 3248
    assert len(calls) == 3528 and calls["interval_start"].dt.date.nunique() == 126


def test_the_lesson_states_the_weekly_and_daily_pattern(calls, lesson):
    days = calls.groupby(calls["interval_start"].dt.date)["calls"].sum()
    by_weekday = days.groupby(pd.to_datetime(days.index).day_name()).mean()
    assert by_weekday.idxmax() == "Monday"
    assert by_weekday.drop("Monday").max() < 0.9 * by_weekday["Monday"]  # "by far"
    for claim in (thousands(by_weekday["Monday"]), thousands(by_weekday["Wednesday"]),
                  pct(by_weekday["Monday"] / by_weekday["Wednesday"] - 1, 0)):
        assert claim in lesson
    profile = calls.groupby(calls["interval_start"].dt.strftime("%H:%M"))["calls"].mean()
    assert profile.idxmax() == "10:00"
    assert profile["09:30"] / profile["08:00"] > 2  # "the calls double"
    assert (profile.loc["16:00":].diff().dropna() < 0).all()  # falls off after 16:00
    for claim in (thousands(profile.max()), thousands(profile["07:00"]), thousands(profile["20:30"])):
        assert claim in lesson
    assert "about 450 calls" in lesson and round(profile["20:30"], -1) == 450
    assert "about 1,700" in lesson and round(profile["10:00"], -2) == 1700
    assert "counts as 11%, at 10:00 as 3%" in lesson
    assert round(100 * 50 / profile["20:30"]) == 11 and round(100 * 50 / profile["10:00"]) == 3


def test_the_lesson_states_its_forecast_errors(calls, lesson_week, lesson):
    history, week, better, _ = lesson_week
    actual = week["calls"].to_numpy(dtype=float)
    naive = naive_by_hand(calls, week)
    assert np.array_equal(naive, forecasting.forecast(history, week["interval_start"], method="seasonal_naive"))
    four = mean_4_by_hand(history, week)
    claims = {
        "naive WAPE": pct(wape_by_hand(actual, naive)),
        "naive MAPE": pct(np.mean(np.abs(actual - naive) / actual)),
        "four-week WAPE": pct(wape_by_hand(actual, four)),
        "default WAPE": pct(wape_by_hand(actual, better)),
        "Poisson floor": pct(poisson_floor_by_hand(better)),
    }
    missing = {what: text for what, text in claims.items() if text not in lesson}
    assert not missing, f"the lesson does not state what the data says: {missing}"
    assert np.isclose(forecasting.poisson_floor(better), poisson_floor_by_hand(better), rtol=1e-9)


def test_the_lesson_states_the_backtest(calls, lesson):
    overall = {}
    for method in forecasting.METHODS:
        table = forecasting.backtest(calls, method=method, weeks=8)
        # the overall WAPE is all errors over all calls, recomputed from the weekly rows
        assert np.isclose(table.attrs["wape"], table["abs_error"].sum() / table["actual"].sum())
        overall[method] = table.attrs["wape"]
        assert pct(overall[method]) in lesson
        if method == "default":
            assert pct(table["wape"].min()) in lesson and pct(table["wape"].max()) in lesson
    # the text's ranking: default best, then the four-week mean, then seasonal naive
    assert overall["default"] < overall["mean_4_weeks"] < overall["seasonal_naive"]
    gap = round(100 * (overall["seasonal_naive"] - overall["default"]))
    assert f"about {gap} points more" in lesson
    four = {m: forecasting.backtest(calls, method=m, weeks=4).attrs["wape"] for m in forecasting.METHODS}
    for value in four.values():
        assert pct(value) in lesson
    same = sorted(four, key=four.get) == sorted(overall, key=overall.get)
    assert ("The order is the same." in lesson) == same


def test_the_lesson_states_the_requirement_and_the_cheapest_shifts(lesson_week, lesson):
    _, _, _, required = lesson_week
    agent_hours = required.sum() / 2
    plan = scheduling.cover(required)
    assert plan.optimal
    assert plan.paid_hours == cheapest_cover(required)
    assert (plan.coverage >= required).all()
    only_8 = cheapest_cover(required, lengths=(8,))
    claims = [thousands(required.min()), thousands(required.max()), thousands(agent_hours),
              thousands(plan.paid_hours), thousands(plan.paid_hours - agent_hours),
              pct(plan.paid_hours / agent_hours - 1), thousands(plan.surplus),
              thousands(only_8), thousands(only_8 - plan.paid_hours),
              pct(only_8 / plan.paid_hours - 1), f"{required.idxmax():%A %H:%M}",
              f"{required.min()} agents on the phones ({required.idxmin():%A %H:%M})"]
    missing = [c for c in claims if c not in lesson]
    assert not missing, f"the lesson does not state what the data says: {missing}"


def test_the_lesson_states_the_rosters_and_the_fte(lesson_week, lesson):
    _, _, _, required = lesson_week
    plan = scheduling.cover(required)
    roster = scheduling.rosters(required)
    assert roster.optimal and (roster.coverage >= required).all()
    assert roster.paid_hours >= plan.paid_hours  # a roster is one of the daily covers
    by_day = required.groupby(required.index.day_name()).sum()
    assert by_day.idxmax() == "Monday" and "Monday needs more agents than any other day" in lesson
    fte = plan.paid_hours / 0.65 / 37.5
    multiplied = plan.paid_hours * 1.35 / 37.5
    claims = [thousands(len(roster.agents)), thousands(roster.paid_hours),
              thousands(roster.paid_hours - plan.paid_hours), pct(roster.paid_hours / plan.paid_hours - 1),
              f"{fte:,.1f}", f"{multiplied:,.1f}", thousands(fte - multiplied),
              f"{roster.paid_hours / 0.65 / 37.5:,.1f}", f"{roster.paid_hours / 0.65 / 37.5 - fte:,.1f}"]
    missing = [c for c in claims if c not in lesson]
    assert not missing, f"the lesson does not state what the data says: {missing}"
    assert "about 6% of today's staff" in lesson and round(100 * (1 - 0.97 ** 2)) == 6


def test_the_lesson_states_what_a_ten_percent_miss_does(lesson_week, lesson):
    _, week, better, required = lesson_week
    plan = scheduling.cover(required)
    monday = (week["interval_start"].dt.day_name() == "Monday").to_numpy()
    runs = {k: simulation.simulate_intervals(calls=better[monday] * k, aht=AHT,
                                             agents=plan.coverage[monday].to_numpy(),
                                             patience=PATIENCE, seed=SEED)
            for k in (1.0, 1.1, 0.9)}
    sl = {k: r["answered_within_target"].sum() / r["calls_offered"].sum() for k, r in runs.items()}
    ab = {k: r["calls_abandoned"].sum() / r["calls_offered"].sum() for k, r in runs.items()}
    below = {k: int((r["service_level"] < 0.8).sum()) for k, r in runs.items()}
    assert sl[1.1] < sl[1.0] < sl[0.9] and ab[1.1] > ab[1.0]
    # "Without hang-ups it would be far worse: a queue that never clears."
    nobody_hangs_up = simulation.simulate_intervals(calls=better[monday] * 1.1, aht=AHT, seed=SEED,
                                                    agents=plan.coverage[monday].to_numpy())
    assert nobody_hangs_up["answered_within_target"].sum() / nobody_hangs_up["calls_offered"].sum() < sl[1.1] / 2
    assert "Without hang-ups it would be far worse" in lesson
    erlang_a = staffing.erlang_a(agents=plan.coverage[monday].to_numpy(), calls=better[monday] * 1.1,
                                 aht=AHT, patience=PATIENCE)
    assert f"puts {int((erlang_a.service_level < 0.8).sum())} of the 28 half-hours below 80%" in lesson
    claims = [pct(sl[1.0]), pct(sl[1.1]), pct(sl[0.9]), pct(ab[1.0]), pct(ab[1.1]),
              f"{ab[1.1] / ab[1.0]:.1f} times as many",
              f"As planned, {below[1.0]} of the 28 half-hours fall below 80%; with 10% more calls, {below[1.1]}"]
    missing = [c for c in claims if c not in lesson]
    assert not missing, f"the lesson does not state what the data says: {missing}"


def test_the_lesson_states_what_really_happened(lesson_week, lesson):
    _, week, _, required = lesson_week
    plan = scheduling.cover(required)
    needed = staffing.agents_required(calls=week["calls"].to_numpy(), aht=AHT)
    short = pd.Series(needed - plan.coverage.to_numpy(), index=week["interval_start"].to_numpy())
    assert (short == short.max()).sum() == 1  # one worst half-hour, not a tie
    fewest = plan.coverage.idxmin()
    assert short[fewest] < short.max()
    claims = [f"{short.idxmax():%A %H:%M}, {short.max()} agents short", f"In {(short > 0).sum()} of the 140",
              f"fewest agents on shift ({fewest:%A %H:%M})"]
    missing = [c for c in claims if c not in lesson]
    assert not missing, f"the lesson does not state what the data says: {missing}"


# --------------------------------------------------------------------------- the assignment

def test_the_assignment_states_what_the_data_says(calls, assignment):
    history, week = split(calls, "2003-08-25")
    assert len(history) == 3388 and len(week) == 140 and "3,388 half-hours of history and 140" in assignment
    assert week["interval_start"].dt.date.nunique() == 5
    actual = week["calls"].to_numpy(dtype=float)
    four = mean_4_by_hand(history, week)
    naive = naive_by_hand(calls, week)
    # question 4: "On this week the four-week mean ... did *worse* than seasonal naive, the
    # opposite of the lesson's week of 18 August"
    assert wape_by_hand(actual, four) > wape_by_hand(actual, naive)
    assert "did *worse* than seasonal naive, the opposite of the lesson's week of 18 August" in assignment
    lesson_history, lesson_week = split(calls, "2003-08-18")
    assert (wape_by_hand(lesson_week["calls"], mean_4_by_hand(lesson_history, lesson_week))
            < wape_by_hand(lesson_week["calls"], naive_by_hand(calls, lesson_week)))
    # question 4 plans with the default forecast: its WAPE on the week, the 8-week backtest
    better = forecasting.forecast(history, week["interval_start"])
    backtest = {m: forecasting.backtest(calls, method=m, weeks=8).attrs["wape"] for m in forecasting.METHODS}
    assert backtest["default"] < backtest["mean_4_weeks"] < backtest["seasonal_naive"]
    claims = [f"seasonal naive {pct(backtest['seasonal_naive'])}, the four-week mean "
              f"{pct(backtest['mean_4_weeks'])}, opsfirst's default {pct(backtest['default'])}",
              f"on this week its WAPE is {pct(wape_by_hand(actual, better))}",
              f"{pct(backtest['default'])} over 8 weeks for the default; {pct(wape_by_hand(actual, better))} on this week"]
    missing = [c for c in claims if c not in assignment]
    assert not missing, f"the assignment does not state what the data says: {missing}"
    # "the forecast's usual error is about 5%" (the backtest)
    assert round(100 * backtest["default"]) == 5
    required = staffing.agents_required(calls=better, aht=AHT)
    peak = int(np.argmax(required))
    higher = staffing.agents_required(calls=1.1 * better[peak], aht=AHT)
    assert f"{required.max()} agents for the forecast, {higher} for 10% more calls" in assignment
    assert f"needed {required.max()} agents for the forecast and needs {higher} for 10% more calls, {higher - required.max()} more" in assignment
    # question 8 is a what-if: "that Monday morning came in about 5% *below* the forecast"
    monday = (week["interval_start"].dt.day_name() == "Monday").to_numpy()
    morning = monday & (week["interval_start"].dt.strftime("%H:%M") < "10:00").to_numpy()
    assert morning.sum() == 6  # 07:00 to 09:30: what was in by 10:15
    below = 1 - actual[morning].sum() / better[morning].sum()
    assert f"that Monday morning came in about {round(100 * below)}% *below* the forecast" in assignment
    assert (actual[morning] < better[morning]).all()  # every half-hour of it below, not just the sum


def test_the_written_answers_state_the_tuesday_shortfall(assignment):
    line = datasets.load("interval_history")
    tuesday = line[line["interval_start"].dt.strftime("%Y-%m-%d") == "2025-11-18"]
    assert len(tuesday) == 24
    hhmm = tuesday["interval_start"].dt.strftime("%H:%M")
    assert hhmm.min() == "08:00" and hhmm.max() == "19:30"  # "08:00 to 19:30" in question 7
    needed = staffing.agents_required(calls=tuesday["calls_offered"], aht=tuesday["aht_seconds"])
    short = pd.Series(needed - tuesday["agents"].to_numpy(), index=hhmm.to_numpy())
    positive = short.clip(lower=0)
    lunch = positive[(positive.index >= "12:00") & (positive.index < "14:00")].sum()
    assert short.idxmax() == "12:00" and (short == short.max()).sum() == 1
    assert short.idxmin() != tuesday.loc[tuesday["agents"].idxmin(), "interval_start"].strftime("%H:%M")
    claims = [f"short in {int((short > 0).sum())} of its 24 half-hours, {int(positive.sum())} agent-half-hours",
              f"the worst was 12:00, {int(short.max())} agents short",
              f"{int(lunch)} of the {int(positive.sum())} fall in the four lunchtime half-hours"]
    missing = [c for c in claims if c not in assignment]
    assert not missing, f"the assignment does not state what the data says: {missing}"
    assert 2 * lunch >= positive.sum() - 1  # "half of it in four half-hours"
    assert tuesday["agents"].idxmin() == tuesday.index[hhmm.to_numpy() == "19:30"][0]  # fewest at 19:30


def test_the_assignment_prompts_name_the_right_things(assignment):
    assert "Monday 25 to Friday 29 August 2003" in assignment
    assert "14 autograded + 5 marked by your coach" in assignment
    assert re.search(r"Time:\*\* 75–90 minutes", assignment)
