"""Check opsfirst.scheduling's optima against independent formulations.

* brute force: every combination of shifts on a tiny day, and of rosters on a tiny week;
* the LP relaxation, built here with plain loops over timestamps and solved with
  ``scipy.optimize.linprog``: an integer optimum is never below it, and for daily covers it
  equals it (each shift covers consecutive half-hours, so the coverage matrix is an interval
  matrix: totally unimodular, its LP optimum is whole);
* coverage recomputed here from the returned shifts and rosters, on the shipped week.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from opsfirst import datasets, scheduling, staffing

DAY = "2025-11-17"  # a Monday


def tiny_day(values, start="08:00"):
    times = pd.date_range(f"{DAY} {start}", periods=len(values), freq="30min",
                          tz="Europe/London")
    return pd.Series(values, index=times)


@functools.lru_cache(maxsize=1)
def shipped_week() -> pd.Series:
    """Agents required at 80/20 in the week of Monday 17 November 2025 of interval_history.

    Erlang C (opsfirst.staffing.agents_required) on the calls offered and handle time of each
    half-hour the line is open (Monday-Friday 08:00-20:00, Saturday 09:00-17:00); 300 s
    where no call was answered. 136 half-hours, the week the `schedule` dataset covers.
    """
    history = datasets.load("interval_history")
    start = pd.Timestamp("2025-11-17", tz="Europe/London")
    week = history[(history["interval_start"] >= start)
                   & (history["interval_start"] < start + pd.Timedelta(days=7))]
    agents = staffing.agents_required(calls=week["calls_offered"].to_numpy(),
                                      aht=week["aht_seconds"].fillna(300).to_numpy())
    return pd.Series(agents, index=pd.DatetimeIndex(week["interval_start"]), name="agents")


def coverage_from_shifts(required: pd.Series, shifts: pd.DataFrame) -> np.ndarray:
    """Agents on shift in each half-hour of required, counted shift by shift."""
    out = np.zeros(len(required), dtype=int)
    for row in shifts.itertuples():
        begin = pd.Timestamp(dt.datetime.combine(row.date, row.start))
        if required.index.tz is not None:
            begin = begin.tz_localize(required.index.tz)
        end = begin + pd.Timedelta(hours=row.hours)
        out += row.agents * ((required.index >= begin) & (required.index < end))
    return out


def lp_matrix(required: pd.Series, options: pd.DataFrame, dates) -> np.ndarray:
    """Coverage matrix, one column per (date, shift), by plain loops over timestamps."""
    columns = []
    for date in dates:
        for row in options.itertuples():
            begin = pd.Timestamp(dt.datetime.combine(date, row.start)).tz_localize(
                required.index.tz)
            end = begin + pd.Timedelta(hours=row.hours)
            columns.append(((required.index >= begin) & (required.index < end)).astype(float))
    return np.column_stack(columns)


def lp_bound(matrix, cost, need) -> float:
    result = optimize.linprog(cost, A_ub=-matrix, b_ub=-np.asarray(need, float),
                              bounds=(0, None), method="highs")
    assert result.status == 0
    return result.fun


# ------------------------------------------------------------------------ brute force, a day

TINY_SHIFTS = dict(first_start="08:00", last_start="10:00", every="30min", lengths=(1, 2))


@functools.lru_cache(maxsize=2)
def every_combination(variables: int, choices: int) -> np.ndarray:
    """Every vector of ``variables`` whole numbers from 0 to choices - 1, one per row.

    As float32 (exact for these small whole numbers), so the products below run in BLAS.
    """
    grids = np.meshgrid(*[np.arange(choices, dtype=np.float32)] * variables, indexing="ij")
    combos = np.stack([g.ravel() for g in grids], axis=1)
    assert len(combos) == choices ** variables
    return combos


def brute_force_cost(values, options) -> float:
    """The least cost over every combination of 0-3 agents on each shift (4^10 covers)."""
    n = len(values)
    first = dt.time(8, 0)
    matrix = np.zeros((n, len(options)), dtype=np.float32)
    for j, row in enumerate(options.itertuples()):
        b = (row.start.hour * 60 + row.start.minute - (first.hour * 60)) // 30
        matrix[b:min(b + int(row.hours * 2), n), j] = 1
    combos = every_combination(len(options), 4)
    feasible = ((combos @ matrix.T) >= np.asarray(values)).all(axis=1)
    return float((combos[feasible] @ options["cost"].to_numpy()).min())


@pytest.mark.parametrize("values, hand", [
    ([1, 2, 3, 3, 2, 1], 6.0),
    ([1, 3, 1, 1, 3, 1], 6.0),
    ([2, 0, 0, 0, 0, 2], 4.0),
])
def test_cover_cost_equals_brute_force_on_a_tiny_day(values, hand):
    """Check cover's cost against brute force over every combination of shifts.

    The day: 08:00-11:00 (6 half-hours); shifts of 1 h and 2 h starting every 30 minutes
    from 08:00 to 10:00 (10 shifts, cost = paid hours). Worked by hand:

    ===================  ======================================================  =====
    required             cheapest cover                                          hours
    ===================  ======================================================  =====
    1 2 3 3 2 1          2 h at 08:00, 08:30 and 09:00: covers 1 2 3 3 2 1        6
                         exactly (12 agent-half-hours = 6 h, nothing less can)
    1 3 1 1 3 1          the 3 agents at 08:30 each also work 08:00 or 09:00,     6
                         which need 2 between them: 1 surplus; the same at
                         10:00: 1 more. 10 + 2 = 12 agent-half-hours = 6 h
    2 0 0 0 0 2          1 h at 08:00 x 2 and 1 h at 10:00 x 2: no shift is       4
                         shorter than 2 half-hours, so each of the 4 agents
                         works one half-hour nobody needs: 8 agent-half-hours
    ===================  ======================================================  =====
    """
    options = scheduling.shift_options(**TINY_SHIFTS)
    schedule = scheduling.cover(tiny_day(values), options)
    assert schedule.optimal
    assert schedule.cost == pytest.approx(brute_force_cost(values, options))
    assert schedule.cost == hand
    assert schedule.surplus == 2 * hand - sum(values)
    assert (schedule.coverage.to_numpy() >= values).all()


# ------------------------------------------------------------------------ the LP relaxation


def test_cover_equals_the_lp_bound_on_the_shipped_week():
    """Check cover's paid hours on the shipped week against the LP relaxation, built here.

    Each shift covers consecutive half-hours of a day, so the constraint matrix has
    consecutive ones in every column (an interval matrix), which is totally unimodular: the LP
    optimum is already whole, and the integer optimum must equal it -- not only be above it.
    """
    required = shipped_week()
    options = scheduling.shift_options()
    dates = sorted(set(required.index.date))
    matrix = lp_matrix(required, options, dates)
    cost = np.tile(options["cost"].to_numpy(), len(dates))
    bound = lp_bound(matrix, cost, required.to_numpy())
    schedule = scheduling.cover(required)
    assert schedule.optimal
    assert schedule.cost == pytest.approx(bound, abs=1e-6)
    assert schedule.paid_hours == schedule.cost  # cost is paid hours by default


def test_cover_never_below_the_lp_bound_with_odd_costs():
    """Check that with other costs (a late-start premium) the cost is still at the LP bound."""
    required = shipped_week()
    options = scheduling.shift_options()
    late = np.array([s >= dt.time(12, 0) for s in options["start"]])
    options["cost"] = options["hours"] * np.where(late, 1.25, 1.0)
    dates = sorted(set(required.index.date))
    bound = lp_bound(lp_matrix(required, options, dates),
                     np.tile(options["cost"].to_numpy(), len(dates)), required.to_numpy())
    schedule = scheduling.cover(required, options)
    assert schedule.cost >= bound - 1e-6
    assert schedule.cost == pytest.approx(bound, abs=1e-6)  # still an interval matrix


# ------------------------------------------------------------------------ coverage, the week


def test_cover_covers_every_half_hour_of_the_shipped_week():
    """Check coverage >= requirement everywhere, recounting coverage from the shifts here."""
    required = shipped_week()
    schedule = scheduling.cover(required)
    recount = coverage_from_shifts(required, schedule.shifts)
    assert (recount == schedule.coverage.to_numpy()).all()
    assert schedule.coverage.index.equals(required.index)
    assert (recount >= required.to_numpy()).all()
    assert schedule.paid_hours == pytest.approx((schedule.shifts["hours"]
                                                 * schedule.shifts["agents"]).sum())
    # surplus: agent-half-hours worked minus those required (every half-hour worked counts)
    worked = int((schedule.shifts["hours"] * 2 * schedule.shifts["agents"]).sum())
    assert schedule.surplus == worked - int(required.sum())


# ------------------------------------------------------------------------ the tie-break


def test_among_equal_costs_the_least_surplus_in_closed_hours_wins():
    """Check the tie-break on a case with two covers of equal cost, worked by hand.

    Required 08:00-12:00: 1 1 2 2 2 2 1 1 (the line closes at 12:00). Shifts: 4 h at 08:00 or
    at 09:00, 4 paid hours each.

    ==================  ==========================  =====  ============  ==============
    cover               agents on shift 08:00-13:00  hours  open surplus  closed surplus
    ==================  ==========================  =====  ============  ==============
    08:00 x 2           2 2 2 2 2 2 2 2 | 0 0        8      4             0
    08:00 + 09:00       1 1 2 2 2 2 2 2 | 1 1        8      2             2
    ==================  ==========================  =====  ============  ==============

    Both cost 8 h; the second pays for an hour after closing, so 08:00 x 2 wins -- whatever
    the order of the shift table, and whether 12:00-13:00 is missing from required or given
    as 0.
    """
    options = pd.DataFrame({"start": [dt.time(9, 0), dt.time(8, 0)], "hours": [4.0, 4.0],
                            "cost": [4.0, 4.0]})
    required = tiny_day([1, 1, 2, 2, 2, 2, 1, 1])
    with_zeros = tiny_day([1, 1, 2, 2, 2, 2, 1, 1, 0, 0])
    for table in (options, options.iloc[::-1].reset_index(drop=True)):
        for need in (required, with_zeros):
            schedule = scheduling.cover(need, table)
            assert schedule.shifts[["start", "hours", "agents"]].values.tolist() == [
                [dt.time(8, 0), 4.0, 2]]
            assert (schedule.closed_surplus, schedule.surplus, schedule.cost) == (0, 4, 8.0)
    # cost comes first: make the 09:00 shift a little cheaper and it is used despite closing
    options["cost"] = [3.9, 4.0]
    schedule = scheduling.cover(required, options)
    assert schedule.cost == pytest.approx(7.9)
    assert schedule.closed_surplus == 2


# ------------------------------------------------------------------------ rosters


def test_rosters_brute_force_on_a_tiny_week():
    """Check rosters against brute force on a week with one half-hour (10:00) a day.

    Required Monday-Sunday: 3 3 3 3 3 1 1; one shift (10:00, 30 minutes), 5 days a week with
    the 2 days off together: 7 rosters. By hand: 17 agent-days at 5 days per agent need at
    least 4 agents (3.4 rounded up), and 4 suffice: off Saturday-Sunday x 2, Friday-Saturday
    x 1 and Sunday-Monday x 1 put 3 4 4 4 3 1 1 on shift. 4 agents x 5 days x 0.5 h = 10 paid
    hours.
    """
    monday = pd.Timestamp("2025-11-17 10:00", tz="Europe/London")
    need = np.array([3, 3, 3, 3, 3, 1, 1])
    required = pd.Series(need, index=[monday + pd.Timedelta(days=d) for d in range(7)])
    options = pd.DataFrame({"start": [dt.time(10, 0)], "hours": [0.5], "cost": [0.5]})
    roster = scheduling.rosters(required, options)
    # brute force over 0-3 agents on each of the 7 days-off patterns
    works = np.array([[0 if (day - first) % 7 in (0, 1) else 1 for day in range(7)]
                      for first in range(7)])  # pattern x day
    combos = every_combination(7, 4)
    feasible = ((combos @ works) >= need).all(axis=1)
    fewest = combos[feasible].sum(axis=1).min()
    assert fewest == 4
    assert len(roster.agents) == fewest
    assert roster.paid_hours == pytest.approx(fewest * 5 * 0.5)
    assert roster.optimal and (roster.coverage.to_numpy() >= need).all()


def roster_coverage(required: pd.Series, agents: pd.DataFrame, days_per_week: int) -> np.ndarray:
    """Agents on shift in each half-hour of required, counted agent by agent."""
    first = min(required.index.date)
    week = [first + dt.timedelta(days=d) for d in range(7)]
    out = np.zeros(len(required), dtype=int)
    for agent in agents.itertuples():
        worked = [d for d in week if scheduling.DAYS[d.weekday()] not in agent.days_off]
        assert len(worked) == days_per_week
        for date in worked:
            begin = pd.Timestamp(dt.datetime.combine(date, agent.start)).tz_localize(
                required.index.tz)
            end = begin + pd.Timedelta(hours=agent.hours)
            out += (required.index >= begin) & (required.index < end)
    return out


def days_off_together(days_off: tuple[str, ...]) -> bool:
    """Days off form one run of consecutive days, wrapping Sunday -> Monday."""
    numbers = {scheduling.DAYS.index(d) for d in days_off}
    return any(numbers == {(first + k) % 7 for k in range(len(numbers))} for first in range(7))


@pytest.mark.parametrize("days_per_week, consecutive", [(5, True), (5, False), (6, True)])
def test_rosters_on_the_shipped_week(days_per_week, consecutive):
    """Check the week's rosters: days per week, days off together, coverage, cost >= cover.

    A roster is a restriction of free daily shifts (same start and length each day worked,
    fixed days off), so it cannot cost less than cover() on the same requirement. Its cost is
    also never below the LP relaxation of the roster problem, built here by loops.
    """
    required = shipped_week()
    roster = scheduling.rosters(required, days_per_week=days_per_week,
                                consecutive_days_off=consecutive)
    assert roster.optimal
    assert (roster.agents["days_off"].map(len) == 7 - days_per_week).all()
    if consecutive:
        assert roster.agents["days_off"].map(days_off_together).all()
    recount = roster_coverage(required, roster.agents, days_per_week)
    assert (recount == roster.coverage.to_numpy()).all()
    assert (recount >= required.to_numpy()).all()
    assert roster.paid_hours == pytest.approx(days_per_week * roster.agents["hours"].sum())
    assert roster.cost >= scheduling.cover(required).cost - 1e-9
    # the shifts table is the same rosters day by day
    assert (coverage_from_shifts(required, roster.shifts) == recount).all()
    if consecutive and days_per_week == 5:
        options = scheduling.shift_options()
        first = min(required.index.date)
        week = [first + dt.timedelta(days=d) for d in range(7)]
        daily = lp_matrix(required, options, week)  # columns: day-major, then shift
        columns, cost = [], []
        for off_first in range(7):
            works = [(d - off_first) % 7 not in (0, 1) for d in range(7)]
            for j in range(len(options)):
                columns.append(sum(daily[:, d * len(options) + j] for d in range(7) if works[d]))
                cost.append(5 * options["cost"].iloc[j])
        bound = lp_bound(np.column_stack(columns), np.array(cost), required.to_numpy())
        assert roster.cost >= bound - 1e-6
