"""Forecasting half-hour call volumes, and judging a forecast on weeks it has not seen.

A planner's week starts with a forecast: how many calls will come in each half-hour the centre
is open. This module makes that forecast from the centre's own history and judges it the honest
way, on weeks the forecast did not see.

* :func:`forecast` -- one forecast per half-hour asked for, from the history strictly before
  the first of them, by one of three methods (:data:`METHODS`):
  ``"seasonal_naive"`` (the same half-hour one week earlier), ``"mean_4_weeks"`` (the mean of
  the same weekday and half-hour over the last 4 weeks, the spreadsheet planner's method) and
  ``"default"``, a transparent model of levels, shapes and calendar effects (see
  :func:`forecast`'s Notes for how it works and how well);
* :func:`wape` -- the weighted absolute percentage error, sum |actual - forecast| / sum actual:
  the share of the calls the forecast got wrong, where a busy half-hour counts for more than a
  quiet one (MAPE, the mean of each half-hour's percentage error, lets a quiet evening
  half-hour weigh as much as the morning peak);
* :func:`backtest` -- a rolling weekly test: every Monday, forecast the coming week from
  everything before it, then score each week and all of them together;
* :func:`poisson_floor` -- the WAPE even a perfect forecast of the *mean* would still have,
  because calls arrive at random.

Units and rules, the same in every function:

* counts are calls in a half-hour (1800 s); a forecast may be fractional; WAPE is a fraction
  (0.05 is 5%), never percent;
* times are the starts of half-hours (hh:00 or hh:30), naive or time-zone-aware. "The same
  half-hour" means the same local wall-clock time: 09:00 on a Monday in GMT is forecast from
  09:00 on earlier Mondays in BST, not from the half-hour exactly 168 hours earlier (which
  was 10:00 BST). A week is therefore not always the same number of rows: the shipped
  ``interval_history`` closes at night, so its weeks keep their 136 half-hours across a clock
  change, but a centre open round the clock has 334 half-hours in the week the clocks go
  forward and 338 in the week they go back. On the night the clocks go back, the wall-clock
  hour that happens twice is averaged when it is the history, and both of its half-hours
  get the same forecast;
* a day with no rows is a day the centre was closed (a bank holiday, or the four weekdays
  ``bank_calls`` lacks), not a gap; a missing half-hour *inside* an open day is a gap and is
  refused;
* bad input (no history before the intervals, a gap, a time twice, a negative count, times
  that are not dates and times, a missing column, a method that does not exist) raises a
  ``ValueError`` naming what is wrong and where (the row counted from 0, and the time).

Examples
--------
Two Mondays of two half-hours, then the third Monday forecast:

>>> import pandas as pd
>>> history = pd.DataFrame({
...     "interval_start": pd.to_datetime(["2003-03-03 09:00", "2003-03-03 09:30",
...                                       "2003-03-10 09:00", "2003-03-10 09:30"]),
...     "calls": [100, 120, 110, 130]})
>>> monday = pd.to_datetime(["2003-03-17 09:00", "2003-03-17 09:30"])
>>> forecast(history, monday, method="seasonal_naive")
array([110., 130.])
>>> forecast(history, monday, method="mean_4_weeks")
array([105., 125.])
>>> wape([100, 140], [110., 130.])
0.08333333333333333
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import _inputs

__all__ = ["METHODS", "forecast", "wape", "backtest", "poisson_floor", "forecast_miss",
           "forecast_miss_slider"]

METHODS = ("seasonal_naive", "mean_4_weeks", "default")
"""The methods :func:`forecast` and :func:`backtest` know."""

_STEP = pd.Timedelta(seconds=_inputs.INTERVAL)
_COUNT_COLUMNS = ("calls", "calls_offered")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# --------------------------------------------------------------------------- checking input


def _when(time: pd.Timestamp) -> str:
    """A time as a planner reads it: 2003-03-03 09:30 (with its UTC offset when it has one)."""
    text = time.strftime("%Y-%m-%d %H:%M")
    return text + time.strftime("%z")[:3] + ":" + time.strftime("%z")[3:] if time.tzinfo else text


def _row(position: int, index: Any = None) -> str:
    """``row 5``, with the pandas index label when it is not the row number."""
    if index is not None and len(index) > position:
        label = index[position]
        if isinstance(label, np.generic):
            label = label.item()
        if not (isinstance(label, int) and label == position):
            return f"row {position}, index {label!r}"
    return f"row {position}"


def _times(name: str, values: Any, index: Any = None) -> pd.DatetimeIndex:
    """Dates and times as a DatetimeIndex, or a ValueError naming ``name`` and the row."""
    dtype = getattr(values, "dtype", None)
    if dtype is not None and not isinstance(values, (list, tuple)):
        if not pd.api.types.is_datetime64_any_dtype(dtype):
            raise ValueError(f"{name} must be dates and times; got {dtype} values: convert "
                             "them with pandas.to_datetime first")
        times = pd.DatetimeIndex(values)
    else:
        values = list(values)
        for row, value in enumerate(values):
            if isinstance(value, (bool, int, float, np.number)) and not pd.isna(value):
                raise ValueError(f"{name} must be dates and times, e.g. "
                                 f"pd.Timestamp('2003-09-01 07:00'); got the number {value!r} "
                                 f"({_row(row)})")
        try:
            times = pd.DatetimeIndex(pd.to_datetime(pd.Series(values, dtype=object)))
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name} must be dates and times, e.g. "
                             f"pd.Timestamp('2003-09-01 07:00'); got {values!r}") from error
    missing = np.flatnonzero(times.isna())
    if missing.size:
        raise ValueError(f"{name} must not be empty; got an empty time "
                         f"({_row(int(missing[0]), index)})")
    off_grid = np.flatnonzero((times.minute % 30 != 0) | (times.second != 0)
                              | (times.microsecond != 0) | (times.nanosecond != 0))
    if off_grid.size:
        first = int(off_grid[0])
        raise ValueError(f"{name} must be the starts of half-hours (hh:00 or hh:30); got "
                         f"{_when(times[first])} ({_row(first, index)})")
    return times


@dataclass
class _History:
    """A checked history: times in order (as given, naive or tz-aware) and their counts."""

    times: pd.DatetimeIndex
    values: np.ndarray
    column: str

    @property
    def tz(self):
        return self.times.tz


def _read_history(history: Any, column: str | None) -> _History:
    """Check ``history`` at the door (see :func:`forecast`) and put it in time order."""
    if isinstance(history, pd.Series):
        if column is not None:
            raise ValueError(f"column={column!r} picks a column of a DataFrame; history is a "
                             "Series (its values are the counts): leave column out")
        if not isinstance(history.index, pd.DatetimeIndex):
            raise ValueError("history as a Series must be indexed by time (a DatetimeIndex of "
                             f"half-hour starts); its index holds {history.index.dtype} values: "
                             "use series.set_axis(pd.to_datetime(...)) or pass the DataFrame")
        raw_times, raw_values, name = history.index, history, str(history.name or "the series")
        where = "history's index"
    elif isinstance(history, pd.DataFrame):
        columns = ", ".join(map(repr, map(str, history.columns))) or "none"
        by_index = "interval_start" not in history.columns and isinstance(history.index,
                                                                          pd.DatetimeIndex)
        if "interval_start" not in history.columns and not by_index:
            raise ValueError("history has no column 'interval_start' (the half-hour start "
                             f"times); its columns are {columns}")
        if column is None:
            found = [c for c in _COUNT_COLUMNS if c in history.columns]
            if not found:
                raise ValueError("history has no count column 'calls' or 'calls_offered'; its "
                                 f"columns are {columns}: name the one to forecast with column=")
            column = found[0]
        elif column not in history.columns:
            raise ValueError(f"history has no column {column!r} (column={column!r}); its "
                             f"columns are {columns}")
        if column == "interval_start":
            raise ValueError("column='interval_start' holds the times: name a column of counts")
        if by_index:  # e.g. calls.set_index("interval_start")
            raw_times, where = history.index, "history's index"
        else:
            raw_times, where = history["interval_start"], "history's interval_start"
        raw_values, name = history[column], column
    else:
        raise ValueError("history must be a pandas DataFrame with an 'interval_start' column "
                         "and a column of counts, or a Series of counts indexed by time; got "
                         f"{type(history).__name__}")
    if len(raw_times) == 0:
        raise ValueError("history is empty: give at least one week of half-hours")
    index = history.index if isinstance(history, pd.DataFrame) else None  # a Series: its time
    times = _times(where, raw_times, index)
    dtype = raw_values.dtype
    if not (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)):
        raise ValueError(f"history's {name} must be numbers (calls in each half-hour); got "
                         f"{dtype} values")
    values = raw_values.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        first = int(bad[0])
        shown = "an empty value (NaN)" if np.isnan(values[first]) else _inputs.show(values[first])
        raise ValueError(f"history's {name} must be a count of calls, 0 or more, in every "
                         f"half-hour; got {shown} at {_when(times[first])} ({_row(first, index)})")
    order = np.argsort(times.asi8, kind="stable")
    times, values = times[order], values[order]
    same = np.flatnonzero(times.asi8[1:] == times.asi8[:-1])
    if same.size:
        rows = sorted((int(order[same[0]]), int(order[same[0] + 1])))
        raise ValueError(f"history has the half-hour {_when(times[same[0]])} twice (rows "
                         f"{rows[0]} and {rows[1]}): keep one row per half-hour")
    _check_gaps(times)
    return _History(times, values, name)


def _wall(times: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Local wall-clock times without a time zone (naive times as they are)."""
    return times.tz_localize(None) if times.tz is not None else times


def _check_gaps(times: pd.DatetimeIndex) -> None:
    """Within each open day the half-hours must follow each other (a closed day is no gap)."""
    if len(times) < 2:
        return
    dates = _wall(times).normalize()
    step = times[1:] - times[:-1]  # absolute time: a clock change does not open a gap
    same_day = dates[1:] == dates[:-1]
    holes = np.flatnonzero(same_day & np.asarray(step > _STEP))
    if holes.size:
        first = int(holes[0])
        before, after = times[first], times[first + 1]
        missing = int((after - before) / _STEP) - 1
        raise ValueError(
            f"history has a gap on {before:%Y-%m-%d}: no row for the {missing} half-hour"
            f"{'s' if missing > 1 else ''} between {before:%H:%M} and {after:%H:%M}; every "
            "half-hour the centre was open needs a row (0 calls if none came). A day the "
            "centre was closed is left out whole")


def _read_intervals(intervals: Any, history: _History) -> pd.DatetimeIndex:
    """The half-hours to forecast, checked, in the history's time zone."""
    if isinstance(intervals, pd.DataFrame):
        raise ValueError("intervals must be the half-hour start times (e.g. "
                         "df['interval_start']), not a whole DataFrame")
    if isinstance(intervals, (str, pd.Timestamp, np.datetime64)) or np.ndim(intervals) == 0:
        intervals = [intervals]
    times = _times("intervals", intervals,
                   intervals.index if isinstance(intervals, pd.Series) else None)
    if len(times) == 0:
        raise ValueError("intervals is empty: give the half-hour start times to forecast")
    if history.tz is None and times.tz is not None:
        raise ValueError(f"intervals have a time zone ({times.tz}) but history's times have "
                         "none: give both with a time zone or both without (e.g. "
                         "intervals.tz_localize(None))")
    if history.tz is not None and times.tz is None:
        raise ValueError(f"intervals have no time zone but history's times are in "
                         f"{history.tz}: give intervals in that time zone too (e.g. "
                         f"intervals.tz_localize('{history.tz}'))")
    if history.tz is not None:
        times = times.tz_convert(history.tz)
    return times


def _grid(times: pd.DatetimeIndex, values: np.ndarray) -> pd.DataFrame:
    """Counts as a table: one row per day (local date), one column per half-hour of the clock.

    The column is the local wall-clock time in minutes after midnight (540 is 09:00). The
    night the clocks go back has one wall-clock hour twice: its two counts are averaged.
    """
    wall = _wall(times)
    dates, row = np.unique(np.asarray(wall.normalize()), return_inverse=True)
    slots, column = np.unique(np.asarray(wall.hour * 60 + wall.minute), return_inverse=True)
    total = np.zeros((dates.size, slots.size))
    count = np.zeros((dates.size, slots.size))
    np.add.at(total, (row, column), values)
    np.add.at(count, (row, column), 1)
    with np.errstate(invalid="ignore"):
        table = total / count  # NaN where the day has no such half-hour
    return pd.DataFrame(table, index=pd.DatetimeIndex(dates), columns=slots)


def _slot_name(slot: int) -> str:
    return f"{slot // 60:02d}:{slot % 60:02d}"


def _lookup(table: pd.DataFrame, weekdays: np.ndarray, slots: np.ndarray,
            intervals: pd.DatetimeIndex) -> np.ndarray:
    """table.loc[weekday, slot] for every interval, or a ValueError naming the first missing."""
    rows = table.reindex(index=range(7))
    cols = pd.Index(table.columns)
    position = cols.get_indexer(slots)
    out = np.full(len(slots), np.nan)
    found = position >= 0
    out[found] = rows.to_numpy()[weekdays[found], position[found]]
    missing = np.flatnonzero(np.isnan(out))
    if missing.size:
        first = int(missing[0])
        raise ValueError(
            f"history before {_when(intervals.min())} has no {_DAY_NAMES[weekdays[first]]} "
            f"{_slot_name(int(slots[first]))} half-hour, so intervals' {_when(intervals[first])} "
            f"(row {first}) cannot be forecast: give history that covers that weekday and time")
    return out


def _seasonal_naive(grid: pd.DataFrame) -> pd.DataFrame:
    """Weekday x half-hour: the latest count of that weekday and half-hour."""
    return grid.groupby(grid.index.day_of_week).last()


def _mean_4_weeks(grid: pd.DataFrame) -> pd.DataFrame:
    """Weekday x half-hour: the mean of the 4 latest counts of that weekday and half-hour."""
    values = grid.to_numpy()
    weekday = np.asarray(grid.index.day_of_week)
    table = np.full((7, values.shape[1]), np.nan)
    for w in np.unique(weekday):
        block = values[weekday == w]
        seen = ~np.isnan(block)
        from_the_end = np.cumsum(seen[::-1], axis=0)[::-1]  # 1 on the latest count, 2 ...
        taken = seen & (from_the_end <= 4)
        with np.errstate(invalid="ignore"):
            table[w] = np.where(taken, block, 0.0).sum(axis=0) / taken.sum(axis=0)
    return pd.DataFrame(table, index=range(7), columns=grid.columns)


# --------------------------------------------------------------------------- the default method


@dataclass(frozen=True)
class _Design:
    """The default method's settings, chosen on the earlier weeks (see :func:`forecast`)."""

    profile_days: int = 8     # intraday shape: the last 8 ordinary days of each weekday
    factor_days: int = 8      # day-of-week factors: the last 8 ordinary days of each weekday
    level_days: int = 10      # the recent level: the last 10 open days ...
    long_days: int = 40       # ... averaged half and half with the last 40 open days
    long_weight: float = 0.5
    level: str = "trimmed"    # "trimmed" (10% off each end), "mean" or "median"
    calendar: tuple = ("first_of_month", "second_of_month", "third_of_month", "last_of_month",
                       "after_closure", "before_closure")
    neighbour_days: int = 14  # a special day is compared with ordinary days this near it
    prior_days: float = 1.0   # a calendar effect seen n times counts n / (n + prior_days)


_DESIGN = _Design()
_FLAGS = ("first_of_month", "second_of_month", "third_of_month", "last_of_month",
          "after_closure", "before_closure")


def _calendar(dates: pd.DatetimeIndex, open_dates: set, known: list, weekdays: set) -> pd.DataFrame:
    """Calendar flags a planner knows, for each of ``dates`` (local midnights).

    A *closed* day is a weekday the centre normally opens (one in ``weekdays``) inside a known
    stretch of days (the history's, or the forecast's) with no half-hour in them. A day's place
    in its month counts the open days before it (a day outside the known stretches counts as
    open: the centre's usual weekdays).
    """
    one = datetime.timedelta(days=1)
    opened = {day.date() for day in open_dates}
    stretches = [(start.date(), end.date()) for start, end in known]

    def closed(day):
        return (day.weekday() in weekdays and day not in opened
                and any(start <= day <= end for start, end in stretches))

    def neighbour(day, step):
        day = day + step
        while day.weekday() not in weekdays:
            day = day + step
        return day

    def open_days_to_edge(day, step):
        count, other = 0, day + step
        while other.month == day.month:
            if other.weekday() in weekdays and not closed(other):
                count += 1
            other = other + step
        return count

    rows = []
    for day in (d.date() for d in dates):
        before, after = open_days_to_edge(day, -one), open_days_to_edge(day, one)
        rows.append((before == 0, before == 1, before == 2, after == 0,
                     closed(neighbour(day, -one)), closed(neighbour(day, one))))
    return pd.DataFrame(rows, index=dates, columns=list(_FLAGS), dtype=bool)


def _shares(grid: pd.DataFrame, weekday: np.ndarray, ordinary: np.ndarray,
            days: int) -> pd.DataFrame:
    """Weekday x half-hour: each half-hour's share of the day's calls (a weekday's shares sum to 1).

    From the last ``days`` ordinary days of each weekday whose every usual half-hour has a row;
    the share is calls in that half-hour / calls in those days (a ratio of sums).
    """
    values = grid.to_numpy()
    table = np.full((7, values.shape[1]), np.nan)
    for w in range(7):
        rows = np.flatnonzero((weekday == w) & ordinary)[-days:]
        if rows.size == 0:
            rows = np.flatnonzero(weekday == w)[-days:]
        if rows.size == 0:
            continue
        block = values[rows]
        usual = ~np.isnan(block).all(axis=0)
        full = ~np.isnan(block[:, usual]).any(axis=1)
        block = block[full] if full.any() else np.nan_to_num(block)
        sums = np.nansum(block, axis=0)
        total = sums[usual].sum()
        if total > 0:
            table[w, usual] = sums[usual] / total
        else:  # no calls at all: a flat shape
            table[w, usual] = 1.0 / usual.sum()
    return pd.DataFrame(table, index=range(7), columns=grid.columns)


def _day_levels(grid: pd.DataFrame, shares: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """Each day's calls as a whole-day total: its calls / the share of the day its rows cover."""
    values = grid.to_numpy()
    share = shares[weekday]
    seen = ~np.isnan(values) & ~np.isnan(share)
    covered = np.where(seen, share, 0.0).sum(axis=1)
    calls = np.where(seen, values, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(covered > 0, calls / covered, np.nan)


def _summary(values: np.ndarray, how: str) -> float:
    if how == "median":
        return float(np.median(values))
    if how == "trimmed":  # as scipy.stats.trim_mean(values, 0.1)
        cut = int(0.1 * values.size)
        return float(np.mean(np.sort(values)[cut: values.size - cut]))
    return float(np.mean(values))


def _default(grid: pd.DataFrame, target_dates: pd.DatetimeIndex, design: _Design | None = None):
    """The default method: whole-day forecasts for ``target_dates``, and how it got them.

    Returns a :class:`_Fit`. The steps are those of :func:`forecast`'s Notes.
    """
    design = design or _DESIGN
    dates = grid.index
    weekday = np.asarray(dates.day_of_week)
    weekdays = set(weekday.tolist())
    open_dates = set(dates) | set(target_dates)
    known = [(dates[0], dates[-1]), (target_dates.min(), target_dates.max())]
    names = [f for f in _FLAGS if f in design.calendar]
    flags = _calendar(dates, open_dates, known, weekdays)[names].to_numpy()
    target_dates = target_dates.unique()
    target_flags = _calendar(target_dates, open_dates, known, weekdays)[names].to_numpy()
    ordinary = ~flags.any(axis=1)

    # 1. the shape of each weekday, and each past day's calls as a whole-day total
    shares = _shares(grid, weekday, ordinary, design.profile_days)
    levels = _day_levels(grid, shares.to_numpy(), weekday)
    usable = ordinary & np.isfinite(levels)
    if not usable.any():
        usable = np.isfinite(levels)

    # 2. day-of-week factors (their mean is 1), and each day with its weekday taken out
    factor = np.full(7, np.nan)
    for w in weekdays:
        rows = np.flatnonzero(usable & (weekday == w))[-design.factor_days:]
        if rows.size == 0:
            rows = np.flatnonzero(np.isfinite(levels) & (weekday == w))[-design.factor_days:]
        if rows.size:
            factor[w] = _summary(levels[rows], design.level)
    mean_factor = np.nanmean(factor)
    factor = factor / mean_factor if mean_factor > 0 else np.where(np.isnan(factor), np.nan, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        flat = levels / factor[weekday]

    # 3. calendar effects, each from its past occurrences against nearby ordinary days
    ok = np.flatnonzero(usable & np.isfinite(flat))
    day_numbers = (dates - dates[0]).days.to_numpy()
    effect = np.ones(len(names))
    for j in range(len(names)):
        ratios = []
        for row in np.flatnonzero(flags[:, j] & np.isfinite(flat)):
            near = ok[np.abs(day_numbers[ok] - day_numbers[row]) <= design.neighbour_days]
            if near.size and np.median(flat[near]) > 0:
                ratios.append(flat[row] / np.median(flat[near]))
        if ratios:
            n = len(ratios)
            effect[j] = 1.0 + n / (n + design.prior_days) * (np.median(ratios) - 1.0)

    # 4. the level: recent days with their weekday and calendar effects taken out
    with np.errstate(invalid="ignore", divide="ignore"):
        adjusted = flat / np.prod(np.where(flags, effect, 1.0), axis=1)
    pool = np.flatnonzero(np.isfinite(adjusted))
    level = ((1 - design.long_weight) * _summary(adjusted[pool[-design.level_days:]], design.level)
             + design.long_weight * _summary(adjusted[pool[-design.long_days:]], design.level))

    # 5. each target day: level x its weekday's factor x its calendar effects
    days = np.asarray(target_dates.day_of_week)
    total = level * factor[days] * np.prod(np.where(target_flags, effect, 1.0), axis=1)
    return _Fit(pd.Series(total, index=target_dates), shares,
                pd.Series(factor, index=_DAY_NAMES).dropna(),
                {name: float(e) for name, e in zip(names, effect)}, float(level))


@dataclass
class _Fit:
    """What the default method found: kept apart so tests can check the Notes' figures."""

    days: pd.Series     # calls forecast for each target day
    shares: pd.DataFrame  # weekday (0 = Monday) x wall-clock minute: share of the day's calls
    factors: pd.Series  # day-of-week factors, by day name (their mean is 1)
    effects: dict       # calendar effect multipliers, by flag name
    level: float        # calls on an average open day, weekday and calendar taken out


# --------------------------------------------------------------------------- the public API


def _check_method(method: Any) -> str:
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    return method


def _predict(history: _History, intervals: pd.DatetimeIndex, method: str,
             design: _Design | None = None) -> np.ndarray:
    """Forecasts for checked ``intervals`` from the checked history strictly before them."""
    first = intervals.min()
    before = history.times < first
    if not before.any():
        raise ValueError(f"history has no half-hour before the first of intervals "
                         f"({_when(first)}); its first half-hour is {_when(history.times[0])}: "
                         "a forecast is made from what came before")
    grid = _grid(history.times[before], history.values[before])
    wall = _wall(intervals)
    weekdays = np.asarray(wall.day_of_week)
    slots = np.asarray(wall.hour * 60 + wall.minute)
    if method == "seasonal_naive":
        return _lookup(_seasonal_naive(grid), weekdays, slots, intervals)
    if method == "mean_4_weeks":
        return _lookup(_mean_4_weeks(grid), weekdays, slots, intervals)
    dates = wall.normalize()
    fit = _default(grid, dates, design)
    share = _lookup(fit.shares, weekdays, slots, intervals)
    return fit.days.reindex(dates).to_numpy() * share


def forecast(history, intervals, *, method="default", column=None):
    """Forecast the calls in each of the given half-hours from the history before them.

    Parameters
    ----------
    history : pandas.DataFrame or pandas.Series
        The centre's past half-hours: a DataFrame with a column ``interval_start`` (dates and
        times, naive or time-zone-aware; or indexed by them) and a column of counts --
        ``calls`` (as in ``bank_calls``), else ``calls_offered`` (as in ``interval_history``),
        or the one named by ``column`` -- or a Series of counts indexed by time. One row per
        half-hour the centre was open, in any order; a closed day simply has no rows. Only the
        rows strictly before the first of ``intervals`` are used: what comes after (the week
        being forecast, say) is ignored, so a backtest cannot peek.
    intervals : sequence of datetimes
        The starts of the half-hours to forecast (a ``DatetimeIndex``, a column such as
        ``week["interval_start"]``, or a list), any time after the history: the caller says
        which half-hours the centre will be open (leave out a bank holiday; a short day simply
        has fewer half-hours). Give them in the history's time zone, or without one if the
        history has none.
    method : {"default", "seasonal_naive", "mean_4_weeks"}, keyword only
        ``"seasonal_naive"``: the same weekday and half-hour one week earlier; when that
        half-hour is not in the history (the centre was closed that day, or the forecast is
        more than a week ahead), the latest earlier week that has it. ``"mean_4_weeks"``: the
        mean of the latest 4 counts of the same weekday and half-hour (a closed day is skipped,
        so the week before takes its place; fewer than 4 when the history is shorter).
        ``"default"``: the method of the Notes below.
    column : str, optional, keyword only
        The count column of a DataFrame history, when it is not ``calls`` or
        ``calls_offered`` (e.g. ``"calls_answered"``).

    Returns
    -------
    numpy.ndarray
        One forecast per half-hour of ``intervals``, in their order: calls (float, may be
        fractional).

    Raises
    ------
    ValueError
        When history or intervals are not what is described above: no history before the
        first interval, a gap inside an open day, a half-hour twice, a negative or empty count,
        times that are not dates and times or not on the half-hour, a missing column (the
        message lists the columns there are), time zones that do not match, a weekday and
        half-hour that the history never had (nothing to forecast it from), or an unknown
        method.

    Notes
    -----
    **The default method** is a planner's model written down. A day's calls are forecast
    first, then shared out over its half-hours:

    1. *Intraday shape*: each weekday's share of the day's calls in each half-hour, from its
       last 8 ordinary days (the calls in that half-hour over those days / all their calls).
    2. *Day-of-week factors*: the mean whole-day calls of each weekday's last 8 ordinary days,
       relative to their average (from the whole of ``bank_calls``: Monday 1.12, Thursday
       0.94).
    3. *Calendar effects a planner knows*: the first, second and third open day of a month, its
       last open day, the day after a closed weekday (a bank holiday) and the day before one.
       Each effect is the median, over its past occurrences, of that day's calls against the
       median of the ordinary days within two weeks of it (weekday taken out), shrunk towards
       no effect by n / (n + 1) when seen n times. From the whole of ``bank_calls``: the first
       open day of a month 7.5% above an ordinary day, the second 4.2%, the third 5.3%, the
       last 8.6%, the day after a closed weekday 5.5% and the day before one 5.3%.
    4. *Level*: half the trimmed mean (10% cut from each end) of the last 10 open days and half
       that of the last 40, each day divided by its weekday factor and calendar effects first,
       so that the month's busy first days do not lift the next week.
    5. A target day's calls = level x its weekday factor x its calendar effects; each
       half-hour gets its share of them. A day counts as *closed* when it is one of the
       centre's usual weekdays and has no rows, inside the history or inside the forecast's
       own span of days; calendar positions beyond that span assume the usual weekdays open.

    **Backtest on bank_calls** (:func:`backtest`, rolling weekly origin; WAPE over all the
    weeks, sum |actual - forecast| / sum actual). The design (which effects, how many days,
    trimmed mean against median) was chosen on the *earlier* 8 weeks, 12 May to 4 July 2003,
    before the last 8 were looked at; both are reported, and a test recomputes every figure
    of this table from the shipped data:

    ==================  ========================  ==========================
    method              last 8 weeks              8 weeks before
                        (7 Jul - 29 Aug 2003)     (12 May - 4 Jul 2003)
    ==================  ========================  ==========================
    seasonal_naive      6.9%                      9.1%
    mean_4_weeks        5.7%                      7.3%
    default             5.0%                      5.8%
    Poisson floor       2.3%                      2.3%
    ==================  ========================  ==========================

    The Poisson floor is :func:`poisson_floor` of the actual counts (each half-hour's count
    standing in for its mean): the WAPE a forecast that knew every half-hour's true mean would
    still have at these volumes (about 1,160 calls a half-hour). What the default cannot see is
    the week-to-week swing of the level (a whole week 5% above the one before) and each day's
    own shape: given each day's true total, the shapes alone would still miss by 3.6%. On the
    earlier weeks, leaving the calendar effects out gave 6.6%, a median level instead of the
    trimmed mean 6.0%, the 10 recent days alone without the 40-day half 6.1%.

    The design was not tuned on ``interval_history`` (simulated, about 126 calls a half-hour,
    open six days a week): over its last 8 weeks (10 November - 31 December 2025, Christmas
    included) the default gets 9.9% against 12.6% for seasonal naive and 10.6% for the mean of
    4 weeks, with a Poisson floor of 6.8% at those volumes.

    Examples
    --------
    Forecast the last shipped week of the bank's calls from the 25 weeks before it:

    >>> from opsfirst.datasets import load
    >>> calls = load("bank_calls")
    >>> history = calls[calls["interval_start"] < "2003-08-25"]
    >>> week = calls[calls["interval_start"] >= "2003-08-25"]
    >>> predicted = forecast(history, week["interval_start"])
    >>> predicted.shape
    (140,)
    >>> round(wape(week["calls"], predicted), 3)
    0.038
    """
    method = _check_method(method)
    checked = _read_history(history, column)
    times = _read_intervals(intervals, checked)
    return _predict(checked, times, method)


def wape(actual, forecast):
    """Weighted absolute percentage error: sum |actual - forecast| / sum actual.

    The share of the calls the forecast got wrong, each half-hour weighted by its calls: a
    miss of 20 calls at the 10:00 peak counts as much as a miss of 20 calls at 07:00, not as
    its percentage. (MAPE, the mean of each half-hour's |error| / actual, makes a quiet
    half-hour count as much as a busy one, and is undefined when one had no calls.)

    Parameters
    ----------
    actual : array_like
        Calls in each half-hour, 0 or more (a list, an array, a pandas column).
    forecast : array_like
        The forecast calls for the same half-hours, in the same order (same length).

    Returns
    -------
    float
        The WAPE as a fraction: 0.05 is 5% of the calls.

    Raises
    ------
    ValueError
        Lengths that differ, a value that is not a number (or is NaN or infinite), a negative
        actual count, or no actual calls at all (the WAPE is then undefined).

    Examples
    --------
    Two half-hours, 100 and 300 calls; the forecast is 20 high, then 30 low:

    >>> wape([100, 300], [120, 270])
    0.125

    The mean of the two percentage errors (MAPE) would say 15%: (20% + 10%) / 2.
    """
    actual = _numbers("actual", actual, allowed="calls in each half-hour, 0 or more",
                      low=0)
    predicted = _numbers("forecast", forecast, allowed="a forecast of calls for each half-hour "
                         "(a finite number)")
    if actual.size != predicted.size:
        raise ValueError(f"actual and forecast must have one value per half-hour each; got "
                         f"{actual.size} actual and {predicted.size} forecast values")
    if actual.size == 0:
        raise ValueError("actual and forecast are empty: give at least one half-hour")
    total = actual.sum()
    if total <= 0:
        raise ValueError("actual has no calls at all, so WAPE (sum |actual - forecast| / sum "
                         "actual) is not defined: judge the forecast on half-hours with calls")
    return float(np.abs(actual - predicted).sum() / total)


def _numbers(name: str, value: Any, *, allowed: str, low: float | None = None) -> np.ndarray:
    """A flat float array, or a ValueError naming ``name``, the row and the rule."""
    if isinstance(value, str):
        raise ValueError(f"{name} must be {allowed}; got the text {value!r}")
    index = getattr(value, "index", None) if isinstance(value, pd.Series) else None
    try:
        if isinstance(value, (pd.Series, pd.Index)):
            dtype = value.dtype
            if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
                raise TypeError
            array = value.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            array = np.asarray(value)
            if array.dtype.kind not in "iuf":
                raise TypeError
            array = array.astype(np.float64).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {allowed}; got values that are not all numbers "
                         f"({getattr(value, 'dtype', type(value).__name__)})") from None
    bad = ~np.isfinite(array)
    if low is not None:
        bad |= array < low
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        shown = "an empty value (NaN)" if np.isnan(array[first]) else _inputs.show(array[first])
        raise ValueError(f"{name} must be {allowed}; got {shown} ({_row(first, index)})")
    return array


def backtest(history, *, method="default", weeks=8, column=None):
    """Rolling weekly backtest: every Monday, forecast the coming week from all before it.

    For each of the last ``weeks`` weeks of the history (Monday to Sunday, local time), the
    half-hours of that week that are in the history are forecast with :func:`forecast` from
    the history strictly before that Monday 00:00, and scored against what happened. No
    week is ever forecast with itself (or anything later) in its history.

    Parameters
    ----------
    history : pandas.DataFrame or pandas.Series
        As for :func:`forecast`: ``interval_start`` and a count column, or a Series indexed by
        time. It needs at least ``weeks + 1`` weeks with data: one to forecast from, then each
        week tested.
    method : {"default", "seasonal_naive", "mean_4_weeks"}, keyword only
        As for :func:`forecast`.
    weeks : int, default 8, keyword only
        How many of the history's last weeks are tested.
    column : str, optional, keyword only
        As for :func:`forecast`.

    Returns
    -------
    pandas.DataFrame
        One row per week tested, oldest first, with the columns:

        * ``week_start`` -- that Monday at 00:00 (the forecast origin; in the history's time
          zone if it has one);
        * ``intervals`` -- the half-hours of the week forecast (140 for a ``bank_calls`` week
          of five open days; fewer in a week with a closed day);
        * ``actual`` -- calls that came that week;
        * ``forecast`` -- calls forecast for the week;
        * ``abs_error`` -- sum over the week's half-hours of |actual - forecast|, calls;
        * ``wape`` -- that week's WAPE, ``abs_error / actual`` (a fraction).

        **The overall WAPE** over all the weeks is ``result.attrs["wape"]``, which equals
        ``result["abs_error"].sum() / result["actual"].sum()`` -- sum over sum, not the mean
        of the weekly WAPEs. ``result.attrs["method"]`` names the method.

    Raises
    ------
    ValueError
        Bad history (see :func:`forecast`), an unknown method, ``weeks`` not a whole number
        of 1 or more, or too few weeks in the history.

    Examples
    --------
    >>> from opsfirst.datasets import load
    >>> table = backtest(load("bank_calls"), method="seasonal_naive", weeks=8)
    >>> len(table), str(table["week_start"].iloc[0].date())
    (8, '2003-07-07')
    >>> round(table.attrs["wape"], 3)
    0.069
    >>> round(float(table["abs_error"].sum() / table["actual"].sum()), 3)
    0.069
    """
    method = _check_method(method)
    weeks = _whole_weeks(weeks)
    checked = _read_history(history, column)
    wall = _wall(checked.times)
    monday = (wall.normalize() - pd.to_timedelta(wall.day_of_week, unit="D"))
    starts = monday.unique().sort_values()
    if len(starts) < weeks + 1:
        raise ValueError(f"history holds {len(starts)} week{'s' * (len(starts) != 1)} "
                         f"(Monday to Sunday); a backtest of weeks={weeks} needs at least "
                         f"{weeks + 1}: one to forecast from, then each week tested")
    rows = []
    for start in starts[-weeks:]:
        inside = np.asarray(monday == start)
        times = checked.times[inside]
        predicted = _predict(checked, times, method)
        actual = checked.values[inside]
        error = np.abs(actual - predicted).sum()
        origin = start if checked.tz is None else start.tz_localize(
            checked.tz, ambiguous=True, nonexistent="shift_forward")  # midnight, local time
        rows.append((origin, int(inside.sum()), actual.sum(), predicted.sum(), error,
                     error / actual.sum() if actual.sum() > 0 else np.nan))
    table = pd.DataFrame(rows, columns=["week_start", "intervals", "actual", "forecast",
                                        "abs_error", "wape"])
    if np.array_equal(checked.values, np.round(checked.values)):
        table["actual"] = table["actual"].round().astype(np.int64)  # counts stay whole numbers
    calls = float(table["actual"].sum())
    table.attrs["wape"] = float(table["abs_error"].sum()) / calls if calls > 0 else float("nan")
    table.attrs["method"] = method
    return table


def _whole_weeks(weeks: Any) -> int:
    if isinstance(weeks, bool) or not isinstance(weeks, (int, np.integer)) or weeks < 1:
        raise ValueError(f"weeks must be a whole number of weeks, 1 or more (8 tests the last "
                         f"8 weeks); got {weeks!r}")
    return int(weeks)


def poisson_floor(mean):
    """The WAPE a perfect forecast of the mean would still have when calls arrive at random.

    If the calls in a half-hour are Poisson with mean m, even the forecast m misses by
    E|X - m| on average, which for a Poisson count is 2 m P(X = floor(m)) (its mean absolute
    deviation). Summed over the half-hours and divided by the calls expected, this is the
    floor no forecast can beat on average: sum_i E|X_i - m_i| / sum_i m_i. It falls as
    volumes grow, roughly as 0.8 / sqrt(m): about 2.3% at 1,160 calls a half-hour (the
    bank's average), about 6.5% at 150.

    Parameters
    ----------
    mean : array_like
        The expected calls in each half-hour, 0 or more: a forecast's values, or the actual
        counts standing in for their means (say which when you report it).

    Returns
    -------
    float
        The floor as a fraction (0.023 is 2.3%).

    Raises
    ------
    ValueError
        A value that is not a number, negative, or no calls expected at all.

    Examples
    --------
    One half-hour with a mean of 1 call: X is 0 with probability e^-1 and so on, and
    E|X - 1| = 2 e^-1 = 0.7358 calls, 73.6% of the mean:

    >>> round(poisson_floor([1.0]), 4)
    0.7358
    >>> round(poisson_floor([1160.0] * 28), 3)
    0.023
    """
    m = _numbers("mean", mean, allowed="the expected calls in each half-hour, 0 or more", low=0)
    if m.sum() <= 0:
        raise ValueError("mean has no calls at all: the floor is sum E|X - m| / sum m")
    deviation = 2.0 * m * stats.poisson.pmf(np.floor(m), m)
    return float(deviation.sum() / m.sum())


# ------------------------------------------------------------------------- a forecast that misses


def forecast_miss(forecast, agents, aht, *, error, patience=None, target_time=20,
                  interval=_inputs.INTERVAL, seed=None):
    """What a forecast miss does to service: the planned agents, the calls ``error`` off.

    The day (or any run of consecutive intervals) is simulated with
    :func:`opsfirst.simulation.simulate_intervals`: interval k offers ``forecast[k] x (1 +
    error)`` calls on average (Poisson) to ``agents[k]`` agents, who were planned for
    ``forecast[k]``. A positive ``error`` means more calls came than forecast.

    Parameters
    ----------
    forecast : array_like
        Calls forecast per interval (what the agents were planned for); 0 or more.
    agents : array_like
        Agents on the phones per interval, whole numbers (e.g. a schedule's coverage).
    aht : float or array_like
        Average handle time, seconds.
    error : float, keyword only
        The miss as a fraction of the forecast: 0.1 for 10% more calls, -0.1 for 10% fewer;
        more than -1.
    patience : float, optional, keyword only
        Callers' mean patience, seconds (None: nobody hangs up).
    target_time : float, default 20, keyword only
        Seconds within which an answer counts for the service level.
    interval : float, default 1800, keyword only
        Interval length, seconds.
    seed : int, optional, keyword only
        Seed of the simulation (the same seed and inputs give the same run).

    Returns
    -------
    pandas.DataFrame
        One row per interval, as :func:`opsfirst.simulation.simulate_intervals` gives it
        (``calls_offered``, ``calls_abandoned``, ``answered_within_target``,
        ``service_level``, ...).

    Examples
    --------
    Two half-hours planned for 100 calls of 300 s with 21 agents each; 10% more calls came:

    >>> run = forecast_miss([100, 100], [21, 21], 300, error=0.1, patience=150, seed=1)
    >>> run["calls_offered"].tolist()
    [110, 104]
    """
    from . import simulation

    calls = np.atleast_1d(np.asarray(_numbers("forecast", forecast, allowed="calls forecast per "
                                              "interval, 0 or more", low=0), dtype=float))
    if isinstance(error, (bool, np.bool_)) or not isinstance(error, (int, float, np.number)) \
            or not np.isfinite(error) or error <= -1:
        raise ValueError(f"error must be a number above -1 (0.1 for 10% more calls than "
                         f"forecast, -0.1 for 10% fewer); got {error!r}")
    return simulation.simulate_intervals(calls=calls * (1 + float(error)), aht=aht, agents=agents,
                                         interval=interval, target_time=target_time,
                                         patience=patience, seed=seed)


def forecast_miss_slider(forecast, agents, aht, *, labels=None, patience=None, target_time=20,
                         interval=_inputs.INTERVAL, seed=None, error=0.1):
    """A slider for the forecast's miss, in percent, and each interval's simulated service level.

    Moving the slider re-runs :func:`forecast_miss` with the same seed (so the change you see
    is the miss, not a new draw of luck) and redraws a bar per interval: grey where the
    service level is below 80%.

    Parameters
    ----------
    forecast, agents, aht, patience, target_time, interval, seed
        As for :func:`forecast_miss`.
    labels : list of str, optional, keyword only
        A label per interval for the x axis (e.g. ``"09:00"``); default 1, 2, 3, ...
    error : float, default 0.1, keyword only
        The miss shown first, as a fraction (the slider runs from -20% to +20% of the forecast).

    Returns
    -------
    ForecastMissSlider
        An ``ipywidgets.VBox`` with ``slider`` (an IntSlider, percent), ``plot`` (an Image)
        and ``run`` (the :func:`forecast_miss` table on show).

    Examples
    --------
    >>> w = forecast_miss_slider([100, 100], [21, 21], 300, patience=150, seed=1)
    >>> w.slider.value = 0
    >>> w.run["calls_offered"].tolist()
    [100, 94]
    """
    settings = dict(forecast=forecast, agents=agents, aht=aht, patience=patience,
                    target_time=target_time, interval=interval, seed=seed)
    first = forecast_miss(error=error, **settings)  # checks every argument
    if labels is None:
        labels = [str(k + 1) for k in range(len(first))]
    labels = [str(label) for label in labels]
    if len(labels) != len(first):
        raise ValueError(f"labels has {len(labels)} labels for {len(first)} intervals: give one "
                         "per interval")
    if not -0.2 <= error <= 0.2:
        raise ValueError(f"error must be between -0.2 and 0.2 for the slider; got {error!r}")
    return _miss_slider_class()(settings, labels, first, int(round(error * 100)))


def _miss_slider_class():
    """The widget's class, built on first use: importing opsfirst.forecasting needs no ipywidgets."""
    import io

    import ipywidgets as widgets
    from matplotlib.figure import Figure

    class ForecastMissSlider(widgets.VBox):
        def __init__(self, settings, labels, first, percent):
            self.settings, self.labels, self.run = settings, labels, first
            self.slider = widgets.IntSlider(
                value=percent, min=-20, max=20, description="calls vs forecast (%)",
                continuous_update=False, style={"description_width": "initial"},
                layout=widgets.Layout(width="500px"))
            self.plot = widgets.Image(format="png")
            super().__init__(children=[self.slider, self.plot])
            self.slider.observe(self._on_change, names="value")
            self._draw()

        def __repr__(self) -> str:
            return f"ForecastMissSlider(error={self.slider.value:+d}%)"

        def _on_change(self, change) -> None:
            self.run = forecast_miss(error=change["new"] / 100, **self.settings)
            self._draw()

        def _draw(self) -> None:
            level = self.run["service_level"].to_numpy() * 100
            missed = int((level < 80).sum())
            fig = Figure(figsize=(10, 3))
            ax = fig.subplots()
            ax.bar(self.labels, level, color=np.where(level >= 80, "tab:blue", "tab:gray"))
            ax.axhline(80, color="black", linestyle="--")
            ax.tick_params(axis="x", labelrotation=90)
            ax.set(ylim=(0, 100),
                   ylabel=f"answered within {self.settings['target_time']:g} s (%)",
                   title=f"Calls {self.slider.value:+d}% against the forecast: {missed} of "
                         f"{len(level)} half-hours (grey) miss 80%")
            png = io.BytesIO()
            fig.savefig(png, format="png", bbox_inches="tight")
            self.plot.value = png.getvalue()

    return ForecastMissSlider
