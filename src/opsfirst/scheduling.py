"""The cheapest shifts, and weekly rosters, that cover a staffing requirement.

A *requirement* is a pandas Series: agents needed in each half-hour, indexed by the half-hour's
start time (as :func:`opsfirst.staffing.agents_required` gives it for a forecast). Times may be
time-zone aware (``Europe/London``, as every opsfirst dataset loads) or naive, over any number
of days. A *shift* starts at a time of day and lasts a whole number of half-hours; it costs
its ``cost`` (paid hours unless you change it).

* :func:`shift_options` -- the table of shifts a planner may use.
* :func:`cover` -- the cheapest set of daily shifts: every day may use any shift.
* :func:`rosters` -- the cheapest weekly rosters: each agent works ``days_per_week`` days of
  the week at the same start and length, with the days off together.

Both are integer programs solved with :func:`scipy.optimize.milp` (the HiGHS solver), so the
answer is the proven minimum, not a heuristic's guess, unless the solver is stopped by
``time_limit`` -- then ``.optimal`` is False and says so.

Units and words, the same in every function:

* ``hours`` -- hours; ``interval``, ``time_limit`` -- seconds (``interval`` defaults to 1800 s,
  half an hour);
* *coverage* -- agents on shift in a half-hour (breaks and absence are not modelled: schedule
  to a requirement that already allows for them, e.g. with ``staffing.scheduled_staff``);
* *surplus* -- agent-half-hours on shift above the requirement, summed over every half-hour
  worked (one agent for one half-hour is one agent-half-hour);
* *closed half-hour* -- a half-hour whose requirement is 0, or which is not in ``required`` at
  all (a shift that runs past closing time pays for half-hours nobody asked for: they count
  as requirement 0).

The cost is minimised first. Among covers of equal cost (to a millionth of an hour) the one
with the least surplus in closed half-hours is chosen: surplus while the centre is open still
answers calls faster, surplus after closing time does nothing. This is a second integer
program, solved after the first has proven the least cost C: it minimises closed surplus
subject to cost <= C (+ that millionth), so it can never trade cost for surplus.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from . import _inputs
from ._inputs import INTERVAL

__all__ = ["shift_options", "cover", "rosters", "Schedule", "Roster", "DAYS"]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""The days of the week, Monday first, as :attr:`Roster.agents` names the days off."""

_TIME_LIMIT = 60.0  # seconds HiGHS may take, both stages together, unless told otherwise
# "Equal cost": within a millionth of a cost unit (a millionth of an hour by default), plus
# round-off on very large costs. Default costs differ by at least half an hour, so only truly
# equal covers take part in the tie-break.
_COST_TOLERANCE = 1e-6
_NS = 1_000_000_000

# ---------------------------------------------------------------------------- reading input


def _time_of_day(name: str, value: Any) -> dt.time:
    """A time of day from "07:00", "7:30", a datetime.time or a pandas Timestamp."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, pd.Timestamp):
        return value.time()
    if isinstance(value, str):
        try:
            parsed = dt.datetime.strptime(value.strip(), "%H:%M")
        except ValueError:
            pass
        else:
            return parsed.time()
    raise ValueError(f"{name} must be a time of day written as 'HH:MM' (e.g. '07:30') or a "
                     f"datetime.time; got {value!r}")


def _seconds_of_day(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _clock(seconds: int) -> dt.time:
    seconds = int(seconds)
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def _interval(interval: Any) -> int:
    value = float(_inputs.number("interval", interval, **_inputs.RULES["interval"]))
    if value != int(value) or 86400 % int(value):
        raise ValueError(f"interval must be a whole number of seconds that divides a day, e.g. "
                         f"1800 for half an hour or 900 for a quarter; got {_inputs.show(value)}")
    return int(value)


def _requirement(required: Any, interval: int) -> tuple[np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """Check ``required``; return its values (int64) and instants (int64 ns), and its index."""
    if isinstance(required, pd.DataFrame):
        raise ValueError("required must be a pandas Series of agents required, indexed by the "
                         "start of each half-hour; got a DataFrame: pick its column, e.g. "
                         "required = table.set_index('interval_start')['agents']")
    if not isinstance(required, pd.Series):
        raise ValueError("required must be a pandas Series of agents required, indexed by the "
                         f"start of each half-hour; got {type(required).__name__}")
    index = required.index
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError("required must be indexed by the start time of each half-hour (a "
                         f"DatetimeIndex); got an index of type {type(index).__name__}. Set the "
                         "times as the index, e.g. required = table.set_index('interval_start')"
                         "['agents']")
    if len(index) == 0:
        raise ValueError("required is empty: give at least one half-hour")
    if index.hasnans:
        row = int(np.flatnonzero(index.isna())[0])
        raise ValueError(f"required has a missing time in its index (row {row}): every "
                         "half-hour needs its start time")
    duplicated = index.duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        raise ValueError(f"required has the half-hour {index[row]} twice (row {row}): give each "
                         "half-hour once")
    raw = required.to_numpy()
    try:
        values = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        values = np.array([_as_float(v) for v in raw])
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(values) | (values < 0) | (values != np.floor(values))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        value, number = raw[row], values[row]
        missing = not isinstance(value, str) and bool(pd.isna(value))
        if isinstance(value, str) or (np.isnan(number) and not missing):
            shown, fix = repr(value), "give a number of agents"
        elif missing:
            shown = "a missing value"
            fix = ("a missing value is a gap in the requirement: fill it (0 if the line is "
                   "closed) before scheduling")
        elif not np.isfinite(number) or number < 0:
            shown, fix = _inputs.show(number), "a requirement cannot be below 0 or infinite"
        else:
            shown, fix = _inputs.show(number), ("round a fractional requirement up with "
                                                "numpy.ceil: required = numpy.ceil(required)")
        raise ValueError(
            f"required must be a whole number of agents, 0 or more, in every half-hour; got "
            f"{shown} at {index[row]} (row {row}): {fix}")
    wall = index.tz_localize(None) if index.tz is not None else index
    offset = (wall - wall.normalize()).to_numpy().astype("timedelta64[ns]").astype(np.int64)
    misaligned = offset % (interval * _NS) != 0
    if misaligned.any():
        row = int(np.flatnonzero(misaligned)[0])
        raise ValueError(f"required's times must start whole intervals of {interval} s from "
                         f"midnight (hh:00 or hh:30 for half-hours); got {index[row]} (row {row})")
    instants = index.as_unit("ns").asi8.copy()
    return values.astype(np.int64), instants, index


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _shift_table(shifts: Any, interval: int) -> pd.DataFrame:
    """Check a shift table; return it with start as datetime.time, hours and cost as floats."""
    if shifts is None:
        shifts = shift_options()
    if not isinstance(shifts, pd.DataFrame):
        raise ValueError("shifts must be a DataFrame with columns start, hours and cost, as "
                         f"shift_options() makes; got {type(shifts).__name__}")
    missing = [c for c in ("start", "hours") if c not in shifts.columns]
    if missing:
        raise ValueError(f"shifts needs the column(s) {', '.join(missing)}; it has "
                         f"{', '.join(map(str, shifts.columns))}. Start from shift_options()")
    if len(shifts) == 0:
        raise ValueError("shifts is empty: give at least one shift")
    starts = [_time_of_day(f"shifts start (row {i})", v) for i, v in enumerate(shifts["start"])]
    hours = _inputs.number("shifts hours", shifts["hours"].to_numpy(), low=0, low_open=True,
                           high=24, allowed="the length of each shift in hours, more than 0 "
                           "and at most 24")
    cost = hours if "cost" not in shifts.columns else _inputs.number(
        "shifts cost", shifts["cost"].to_numpy(), low=0,
        allowed="the cost of each shift, 0 or more (paid hours by default)")
    for row, (start, length) in enumerate(zip(starts, hours)):
        if _seconds_of_day(start) % interval:
            raise ValueError(f"shifts start must be at the start of an interval of {interval} s "
                             f"(hh:00 or hh:30 for half-hours); got {start:%H:%M:%S} (row {row})")
        if not math.isclose(length * 3600 / interval, round(length * 3600 / interval),
                            abs_tol=1e-9):
            raise ValueError(f"shifts hours must be a whole number of intervals of {interval} s "
                             f"(4, 4.5, 5 ... for half-hours); got {_inputs.show(length)} "
                             f"(row {row})")
    return pd.DataFrame({"start": starts, "hours": hours.astype(float),
                         "cost": np.asarray(cost, dtype=float)})


def _time_limit(time_limit: Any) -> float:
    return float(_inputs.number("time_limit", time_limit, low=0, low_open=True,
                                allowed="the seconds the solver may take, more than 0"))


# ---------------------------------------------------------------------------- the columns


@dataclass
class _Columns:
    """Every (day, shift) the solver may use: what it covers and what it costs."""

    matrix: sparse.csc_array  # rows = half-hours of required (sorted), 1 where covered
    cost: np.ndarray
    length: np.ndarray  # intervals worked per column
    closed: np.ndarray  # of those, intervals whose requirement is 0
    day: np.ndarray  # index into dates
    shift: np.ndarray  # row of the shift table
    dates: list[dt.date]


def _daily_columns(values, instants, index, table, interval, dates=None) -> _Columns:
    """Columns for every shift on every date; ``values``/``instants`` sorted by time."""
    tz = index.tz
    wall = index.tz_localize(None) if tz is not None else index
    if dates is None:
        found = sorted(set(wall.normalize().date))
        # a shift past midnight may serve the next day: let it start the day before, too
        if (table["hours"] * 3600 + table["start"].map(_seconds_of_day) > 86400).any():
            found = sorted(set(found) | {d - dt.timedelta(days=1) for d in found})
        dates = found
    starts_s = table["start"].map(_seconds_of_day).to_numpy()
    length = np.rint(table["hours"].to_numpy() * 3600 / interval).astype(np.int64)
    day = np.repeat(np.arange(len(dates)), len(table))
    shift = np.tile(np.arange(len(table)), len(dates))
    local = (pd.DatetimeIndex(pd.to_datetime(np.repeat(np.array(dates, dtype="datetime64[D]"),
                                                       len(table))).as_unit("ns"))
             + pd.to_timedelta(starts_s[shift], unit="s"))
    if tz is not None:
        local = local.tz_localize(tz, ambiguous=np.ones(len(local), bool),
                                  nonexistent="shift_forward")
    begin = local.as_unit("ns").asi8
    end = begin + length[shift] * interval * _NS  # elapsed time: 8 hours are 8 hours
    lo = np.searchsorted(instants, begin, "left")
    hi = np.searchsorted(instants, end, "left")
    positive = np.concatenate([[0], np.cumsum(values > 0)])
    covered_positive = positive[hi] - positive[lo]
    counts = hi - lo
    rows = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi)]) if counts.sum() else \
        np.zeros(0, np.int64)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    matrix = sparse.csc_array((np.ones(len(rows)), rows, indptr),
                              shape=(len(instants), len(begin)))
    cost = table["cost"].to_numpy()[shift]
    closed = length[shift] - covered_positive
    return _Columns(matrix, cost, length[shift], closed, day, shift, list(dates))


def _uncoverable(values, matrix, index_sorted) -> None:
    reach = matrix.sum(axis=1) if matrix.shape[1] else np.zeros(matrix.shape[0])
    lost = np.flatnonzero((values > 0) & (np.asarray(reach).ravel() == 0))
    if lost.size:
        shown = ", ".join(str(index_sorted[i]) for i in lost[:8])
        more = f" and {lost.size - 8} more" if lost.size > 8 else ""
        raise ValueError(
            f"required asks for agents in {lost.size} half-hour(s) that no shift covers: "
            f"{shown}{more}. Add shifts that reach them (shift_options(first_start=..., "
            "last_start=..., lengths=...)) or check those requirements")


# ---------------------------------------------------------------------------- the solver


@dataclass
class _Solved:
    counts: np.ndarray
    optimal: bool
    status: str


def _milp(cost, matrix, need, upper, deadline, extra=None) -> optimize.OptimizeResult:
    constraints = [optimize.LinearConstraint(matrix, lb=need, ub=np.inf)]
    if extra is not None:
        constraints.append(extra)
    left = max(deadline - time.perf_counter(), 0.01)
    return optimize.milp(cost, integrality=np.ones(len(cost)),
                         bounds=optimize.Bounds(0, upper), constraints=constraints,
                         options={"time_limit": left, "mip_rel_gap": 0.0, "presolve": True})


def _solve(cost, closed, matrix, need, time_limit) -> _Solved:
    """Least cost; then, at that cost, least surplus in closed half-hours (two stages)."""
    n = len(cost)
    if n == 0 or not (need > 0).any():
        return _Solved(np.zeros(n, np.int64), True, "nothing to cover")
    deadline = time.perf_counter() + time_limit
    upper = np.full(n, float(need.max()))  # more of one shift than the peak is never needed
    first = _milp(cost, matrix, need, upper, deadline)
    if first.x is None:
        raise RuntimeError(f"HiGHS found no cover within time_limit={time_limit:g} s "
                           f"({first.message}); give it more time")
    counts = np.rint(first.x).astype(np.int64)
    optimal = first.status == 0
    status = "proven optimal" if optimal else "stopped at the time limit"
    best = float(cost @ counts)
    if optimal and closed @ counts > 0:
        cap = best + _COST_TOLERANCE + 1e-12 * abs(best)
        second = _milp(closed.astype(float), matrix, need, upper, deadline,
                       optimize.LinearConstraint(cost[None, :], lb=-np.inf, ub=cap))
        if second.x is not None:
            better = np.rint(second.x).astype(np.int64)
            if (matrix @ better >= need).all() and cost @ better <= cap:
                counts = better
        if second.status != 0:
            optimal = False
            status = "least cost proven; the closed-hours tie-break stopped at the time limit"
    if not (matrix @ counts >= need).all():  # never hand back a cover that does not cover
        raise RuntimeError("the solver's answer leaves a half-hour under-covered; please "
                           "report this with your requirement")
    return _Solved(counts, optimal, status)


# ---------------------------------------------------------------------------- results


def _unit(interval: int) -> str:
    return "agent-half-hours" if interval == 1800 else f"agent-intervals of {interval} s"


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


@dataclass(repr=False)
class Schedule:
    """The cheapest daily shifts for a requirement, as :func:`cover` finds them.

    Attributes
    ----------
    shifts : DataFrame
        One row per shift used on a day: ``date`` (datetime.date), ``start`` (datetime.time,
        local time), ``hours`` (hours), ``agents`` (how many agents work it).
    coverage : Series
        Agents on shift in each half-hour of ``required``, in its order and with its index.
    paid_hours : float
        Hours paid: sum of agents x hours.
    cost : float
        Total cost (equals ``paid_hours`` when cost is paid hours, the default).
    surplus : int
        Agent-half-hours on shift above the requirement, over every half-hour worked.
    closed_surplus : int
        The part of ``surplus`` in closed half-hours (requirement 0 or not in ``required``).
    optimal : bool
        True when HiGHS proved the cost minimal and, at that cost, the closed surplus minimal;
        False when it stopped at ``time_limit`` (the cover is then good but not proven best).
    status : str
        The solver's verdict in words.
    time_limit : float
        Seconds the solver was allowed, both stages together.
    """

    shifts: pd.DataFrame
    coverage: pd.Series
    paid_hours: float
    cost: float
    surplus: int
    closed_surplus: int
    optimal: bool
    status: str
    time_limit: float
    interval: int = field(default=INTERVAL)

    def __repr__(self) -> str:
        days = self.shifts["date"].nunique()
        return (f"Schedule: {int(self.shifts['agents'].sum()):,} shifts on {days} day(s), "
                f"{_number(self.paid_hours)} paid hours (cost {_number(self.cost)}), surplus "
                f"{self.surplus:,} {_unit(self.interval)} "
                f"({self.closed_surplus:,} in closed hours); {self.status}")


@dataclass(repr=False)
class Roster:
    """The cheapest weekly rosters for a one-week requirement, as :func:`rosters` finds them.

    Attributes
    ----------
    agents : DataFrame
        One row per agent: ``agent`` (A001, A002, ...), ``start`` (datetime.time, local time),
        ``hours`` (hours a day), ``days_off`` (tuple of day names, e.g. ('Saturday', 'Sunday')).
    patterns : DataFrame
        The same, grouped: ``start``, ``hours``, ``days_off``, ``agents``.
    shifts : DataFrame
        The daily shifts the rosters make: ``date``, ``start``, ``hours``, ``agents`` (as
        :attr:`Schedule.shifts`), every day of the week.
    coverage : Series
        Agents on shift in each half-hour of ``required``, in its order and with its index.
    paid_hours : float
        Hours paid in the week: sum over agents of hours x days_per_week.
    cost : float
        Total cost of the week (equals ``paid_hours`` by default).
    surplus, closed_surplus : int
        Agent-half-hours above the requirement, in all and in closed half-hours (as
        :class:`Schedule`).
    optimal : bool
        True when HiGHS proved the cost (and, at that cost, the closed surplus) minimal.
    status : str
        The solver's verdict in words.
    days_per_week : int
        Days each agent works.
    consecutive_days_off : bool
        Whether days off were kept together.
    time_limit : float
        Seconds the solver was allowed.
    """

    agents: pd.DataFrame
    patterns: pd.DataFrame
    shifts: pd.DataFrame
    coverage: pd.Series
    paid_hours: float
    cost: float
    surplus: int
    closed_surplus: int
    optimal: bool
    status: str
    days_per_week: int
    consecutive_days_off: bool
    time_limit: float
    interval: int = field(default=INTERVAL)

    def __repr__(self) -> str:
        together = ", days off together" if self.consecutive_days_off else ""
        return (f"Roster: {len(self.agents):,} agents working {self.days_per_week} days a week"
                f"{together}, {_number(self.paid_hours)} paid hours (cost {_number(self.cost)}), "
                f"surplus {self.surplus:,} {_unit(self.interval)} "
                f"({self.closed_surplus:,} in closed hours); {self.status}")


# ---------------------------------------------------------------------------- public API


def shift_options(*, first_start="07:00", last_start="14:00", every="30min", lengths=(4, 6, 8)):
    """Every shift a planner may use: each start time from first to last, each length.

    Parameters
    ----------
    first_start, last_start : str or datetime.time
        Earliest and latest start, local time of day, 'HH:MM' (both included).
    every : str or Timedelta
        Step between start times, a pandas duration such as '30min' or '1h'.
    lengths : sequence of float
        Shift lengths, hours (paid hours: breaks are not taken out).

    Returns
    -------
    DataFrame
        One row per shift, ordered by start then length: ``start`` (datetime.time), ``hours``
        (hours) and ``cost`` (paid hours, = ``hours``; change it to price shifts differently,
        e.g. a premium for late starts).

    Examples
    --------
    >>> options = shift_options(first_start="08:00", last_start="09:00", lengths=(4, 8))
    >>> options
           start  hours  cost
    0   08:00:00    4.0   4.0
    1   08:00:00    8.0   8.0
    2   08:30:00    4.0   4.0
    3   08:30:00    8.0   8.0
    4   09:00:00    4.0   4.0
    5   09:00:00    8.0   8.0
    >>> len(shift_options())  # 15 starts from 07:00 to 14:00, 3 lengths
    45
    """
    first = _seconds_of_day(_time_of_day("first_start", first_start))
    last = _seconds_of_day(_time_of_day("last_start", last_start))
    if last < first:
        raise ValueError(f"last_start must not be before first_start; got first_start="
                         f"{_clock(first):%H:%M}, last_start={_clock(last):%H:%M}")
    try:
        step = pd.Timedelta(every).total_seconds()
    except (TypeError, ValueError) as error:
        raise ValueError(f"every must be a duration such as '30min' or '1h'; got {every!r}") \
            from error
    if not step > 0:
        raise ValueError(f"every must be a duration of more than 0, such as '30min'; got "
                         f"{every!r}")
    hours = _inputs.number("lengths", lengths, low=0, low_open=True, high=24,
                           allowed="shift lengths in hours, each more than 0 and at most 24, "
                           "e.g. (4, 6, 8)")
    hours = np.atleast_1d(hours)
    if hours.ndim != 1 or hours.size == 0:
        raise ValueError(f"lengths must be a list of shift lengths in hours, e.g. (4, 6, 8); "
                         f"got {lengths!r}")
    starts = np.arange(first, last + 1e-9, step)
    rows = [(_clock(s), float(h)) for s in starts for h in hours]
    table = pd.DataFrame(rows, columns=["start", "hours"])
    table["cost"] = table["hours"]
    return table


def cover(required, shifts=None, *, interval=INTERVAL, time_limit=_TIME_LIMIT) -> Schedule:
    """The cheapest daily shifts that put at least the required agents on shift every half-hour.

    Every day may use any shift of ``shifts``, any number of times. An integer program (HiGHS
    through :func:`scipy.optimize.milp`) minimises the total cost so that in every half-hour
    the agents on shift are at least ``required``; among covers of equal cost it takes the one
    with the least surplus in closed half-hours (requirement 0, or not in ``required`` at all).

    Parameters
    ----------
    required : Series
        Agents required (whole numbers, 0 or more), indexed by the start of each half-hour --
        time-zone aware (e.g. Europe/London, as the datasets load) or naive -- over any number
        of days. Half-hours missing from it count as requirement 0. A fractional requirement is
        refused: round it up with ``numpy.ceil`` first.
    shifts : DataFrame, optional
        The shifts allowed: ``start`` (time of day), ``hours`` and ``cost``, as
        :func:`shift_options` makes them (its defaults when None). A shift starting on a day
        runs for its hours of elapsed time, across a clock change too; a start time that
        happens twice that night (clocks back) is its first occurrence, one that does not
        happen (clocks forward) moves to the end of the gap.
    interval : int
        Length of one period of ``required``, seconds (1800: half-hours).
    time_limit : float
        Seconds the solver may take. If it stops there, the best cover found is returned with
        ``optimal`` False.

    Returns
    -------
    Schedule
        ``.shifts`` (date, start, hours, agents), ``.coverage``, ``.paid_hours``, ``.cost``,
        ``.surplus``, ``.closed_surplus``, ``.optimal``.

    Raises
    ------
    ValueError
        When ``required`` has a negative, missing or fractional value, a repeated time, or
        agents in a half-hour that no shift covers (the message names them).

    Examples
    --------
    A morning needing 1 agent from 08:00, 2 from 09:00 to 12:00 and 1 until 13:00, with 3-
    and 4-hour shifts starting on the hour from 08:00 to 10:00:

    >>> import pandas as pd
    >>> times = pd.date_range("2025-11-17 08:00", periods=10, freq="30min", tz="Europe/London")
    >>> required = pd.Series([1, 1, 2, 2, 2, 2, 2, 2, 1, 1], index=times)
    >>> options = shift_options(first_start="08:00", last_start="10:00", every="1h",
    ...                         lengths=(3, 4))
    >>> plan = cover(required, options)
    >>> plan.shifts
             date     start  hours  agents
    0  2025-11-17  08:00:00    4.0       1
    1  2025-11-17  09:00:00    4.0       1
    >>> plan.paid_hours, plan.surplus, plan.optimal
    (8.0, 0, True)
    >>> plan.coverage.tolist()
    [1, 1, 2, 2, 2, 2, 2, 2, 1, 1]
    """
    interval = _interval(interval)
    time_limit = _time_limit(time_limit)
    values, instants, index = _requirement(required, interval)
    table = _shift_table(shifts, interval)
    order = np.argsort(instants, kind="stable")
    values_s, instants_s, index_s = values[order], instants[order], index[order]
    columns = _daily_columns(values_s, instants_s, index_s, table, interval)
    _uncoverable(values_s, columns.matrix, index_s)
    keep = np.flatnonzero(columns.length - columns.closed > 0)  # covers some requirement
    matrix = columns.matrix[:, keep]
    solved = _solve(columns.cost[keep], columns.closed[keep], matrix, values_s, time_limit)
    used = solved.counts > 0
    picked = keep[used]
    shifts_out = pd.DataFrame({
        "date": [columns.dates[d] for d in columns.day[picked]],
        "start": table["start"].to_numpy()[columns.shift[picked]],
        "hours": table["hours"].to_numpy()[columns.shift[picked]],
        "agents": solved.counts[used].astype(np.int64),
    })
    shifts_out = shifts_out.sort_values(["date", "start", "hours"], kind="stable")
    shifts_out = shifts_out.reset_index(drop=True)
    return Schedule(
        shifts=shifts_out,
        coverage=_coverage(matrix, solved.counts, order, index),
        paid_hours=float(table["hours"].to_numpy()[columns.shift[keep]] @ solved.counts),
        cost=float(columns.cost[keep] @ solved.counts),
        surplus=int(columns.length[keep] @ solved.counts - values.sum()),
        closed_surplus=int(columns.closed[keep] @ solved.counts),
        optimal=solved.optimal, status=solved.status, time_limit=time_limit, interval=interval)


def _coverage(matrix, counts, order, index) -> pd.Series:
    sorted_cover = np.rint(matrix @ counts).astype(np.int64) if matrix.shape[1] else \
        np.zeros(len(order), np.int64)
    out = np.empty(len(order), np.int64)
    out[order] = sorted_cover
    return pd.Series(out, index=index, name="coverage")


def _day_off_patterns(days_per_week: int, consecutive: bool) -> list[tuple[int, ...]]:
    """Each allowed set of days off, as positions in the week (0 = its first day)."""
    off = 7 - days_per_week
    if off == 0:
        return [()]
    if consecutive:
        return [tuple((first + k) % 7 for k in range(off)) for first in range(7)]
    return list(itertools.combinations(range(7), off))


def _day_names(off: tuple[int, ...], dates: list[dt.date], together: bool) -> tuple[str, ...]:
    """Days off by name: in the order taken when together (Sunday, Monday when they wrap the
    week), else Monday first."""
    if not together:
        off = tuple(sorted(off, key=lambda d: dates[d].weekday()))
    return tuple(DAYS[dates[d].weekday()] for d in off)


def rosters(required, shifts=None, *, days_per_week=5, consecutive_days_off=True,
            interval=INTERVAL, time_limit=_TIME_LIMIT) -> Roster:
    """The cheapest weekly rosters that put at least the required agents on shift.

    Each agent works ``days_per_week`` days of the week, at the same start and for the same
    hours every day worked; with ``consecutive_days_off`` their days off are together,
    wrapping the week (Sunday and Monday are together). An integer program (HiGHS through
    :func:`scipy.optimize.milp`) chooses how many agents get each start, length and days off,
    minimising the week's cost (each agent costs ``days_per_week`` x the shift's cost) so that
    every half-hour has at least its requirement; among equal-cost answers, the least surplus
    in closed half-hours. A roster is a restriction of :func:`cover`'s free daily shifts, so it
    never costs less than ``cover`` on the same requirement.

    Parameters
    ----------
    required : Series
        Agents required, as for :func:`cover`, within one week: all its dates within 7
        consecutive days. The week is the 7 days from its first date; a day with no half-hours
        in ``required`` (a closed Sunday) is a day of the week like the others: an agent who
        works it is paid for it and covers nothing, so the solver gives days off there.
    shifts : DataFrame, optional
        The shifts allowed, as :func:`shift_options` makes them (its defaults when None).
        A shift past the week's last midnight covers nothing after it.
    days_per_week : int
        Days each agent works in the week, 1 to 7.
    consecutive_days_off : bool
        Keep each agent's days off together (True) or allow any days off (False).
    interval : int
        Length of one period of ``required``, seconds (1800: half-hours).
    time_limit : float
        Seconds the solver may take; if it stops there, ``optimal`` is False. A shipped week
        takes about a second with the days off together; any days off (21 patterns for two
        days off, 35 for three) make a larger program that may need more.

    Returns
    -------
    Roster
        ``.agents`` (one row per agent: agent, start, hours, days_off), ``.patterns``,
        ``.shifts``, ``.coverage``, ``.paid_hours``, ``.cost``, ``.surplus``,
        ``.closed_surplus``, ``.optimal``.

    Examples
    --------
    A week needing one agent 09:00-17:00 Monday to Friday, closed at the weekend:

    >>> import pandas as pd
    >>> times = pd.date_range("2025-11-17 09:00", periods=16, freq="30min")
    >>> week = [times + pd.Timedelta(days=d) for d in range(5)]
    >>> required = pd.Series(1, index=week[0].append(week[1:]))
    >>> plan = rosters(required, shift_options(first_start="09:00", last_start="09:00",
    ...                                        lengths=(8,)))
    >>> plan.agents
      agent     start  hours            days_off
    0  A001  09:00:00    8.0  (Saturday, Sunday)
    >>> plan.paid_hours, plan.optimal
    (40.0, True)
    """
    interval = _interval(interval)
    time_limit = _time_limit(time_limit)
    days = _inputs.number("days_per_week", days_per_week, low=1, high=7, whole=True,
                          allowed="a whole number of days from 1 to 7, e.g. 5")
    days = int(days)
    if not isinstance(consecutive_days_off, (bool, np.bool_)):
        raise ValueError(f"consecutive_days_off must be True or False; got "
                         f"{consecutive_days_off!r}")
    values, instants, index = _requirement(required, interval)
    table = _shift_table(shifts, interval)
    wall = index.tz_localize(None) if index.tz is not None else index
    found = sorted(set(wall.normalize().date))
    first = found[0]
    if (found[-1] - first).days > 6:
        raise ValueError(f"rosters plans one week: required runs from {first} to {found[-1]}, "
                         f"{(found[-1] - first).days + 1} days. Give it 7 days or fewer (e.g. "
                         "required.loc['2025-11-17':'2025-11-23'])")
    dates = [first + dt.timedelta(days=d) for d in range(7)]
    order = np.argsort(instants, kind="stable")
    values_s, instants_s, index_s = values[order], instants[order], index[order]
    daily = _daily_columns(values_s, instants_s, index_s, table, interval, dates=dates)
    _uncoverable(values_s, daily.matrix, index_s)
    patterns = _day_off_patterns(days, bool(consecutive_days_off))
    n_shifts = len(table)
    # roster column (shift j, pattern p) = sum of daily columns (day d, shift j), d worked
    work = np.array([[d not in off for d in range(7)] for off in patterns], dtype=float)
    # daily column number = day * n_shifts + shift (as _daily_columns lays them out)
    combine = sparse.kron(sparse.csc_array(work.T), sparse.identity(n_shifts, format="csc"),
                          format="csc")  # (7 * shifts) x (patterns * shifts)
    matrix = (daily.matrix @ combine).tocsc()
    length = daily.length[:n_shifts]
    positive_rows = sparse.diags_array((values_s > 0).astype(float))
    positive = np.asarray((positive_rows @ matrix).sum(axis=0)).ravel()
    pattern_of = np.repeat(np.arange(len(patterns)), n_shifts)
    shift_of = np.tile(np.arange(n_shifts), len(patterns))
    cost = days * table["cost"].to_numpy()[shift_of]
    closed = days * length[shift_of] - np.rint(positive).astype(np.int64)
    keep = np.flatnonzero(positive > 0)
    solved = _solve(cost[keep], closed[keep], matrix[:, keep], values_s, time_limit)
    used = solved.counts > 0
    picked, counts = keep[used], solved.counts[used]
    names = [_day_names(patterns[p], dates, bool(consecutive_days_off))
             for p in pattern_of[picked]]
    grouped = pd.DataFrame({
        "start": table["start"].to_numpy()[shift_of[picked]],
        "hours": table["hours"].to_numpy()[shift_of[picked]],
        "days_off": names,
        "agents": counts.astype(np.int64),
        "_first_off": [dates[patterns[p][0]].weekday() if patterns[p] else 7
                       for p in pattern_of[picked]],
    }).sort_values(["start", "hours", "_first_off"], kind="stable")
    grouped = grouped.drop(columns="_first_off").reset_index(drop=True)
    agents = grouped.loc[grouped.index.repeat(grouped["agents"]),
                         ["start", "hours", "days_off"]].reset_index(drop=True)
    agents.insert(0, "agent", [f"A{i + 1:03d}" for i in range(len(agents))])
    daily_counts = combine[:, keep] @ solved.counts
    on = np.flatnonzero(np.rint(daily_counts) > 0)
    shifts_out = pd.DataFrame({
        "date": [dates[d] for d in daily.day[on]],
        "start": table["start"].to_numpy()[daily.shift[on]],
        "hours": table["hours"].to_numpy()[daily.shift[on]],
        "agents": np.rint(daily_counts[on]).astype(np.int64),
    }).sort_values(["date", "start", "hours"], kind="stable").reset_index(drop=True)
    paid = float(days * table["hours"].to_numpy()[shift_of[keep]] @ solved.counts)
    return Roster(
        agents=agents, patterns=grouped, shifts=shifts_out,
        coverage=_coverage(matrix[:, keep], solved.counts, order, index),
        paid_hours=paid, cost=float(cost[keep] @ solved.counts),
        surplus=int(days * length[shift_of[keep]] @ solved.counts - values.sum()),
        closed_surplus=int(closed[keep] @ solved.counts),
        optimal=solved.optimal, status=solved.status, days_per_week=days,
        consecutive_days_off=bool(consecutive_days_off), time_limit=time_limit,
        interval=interval)
