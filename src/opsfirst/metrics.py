"""The measures a contact-centre manager reads, computed right, and how they pull on each other.

Service level, abandonment, handle time, speed of answer, patience, occupancy and shrinkage
from interval reports; a day-by-day dashboard; and the before/after of a target in the contact
log, with a comparison group.

Units and rules, the same in every function:

* counts (calls offered, answered, abandoned) are whole numbers; times are in seconds;
  fractions (service level, rates, occupancy) are between 0 and 1, never percent;
* every argument is a single number or an array (a list, a numpy array, a pandas column) with
  one value per interval, and every array of one call has the same length;
* every ratio is over **all** the intervals given, weighted by calls: the sum of the numerators
  over the sum of the denominators, never the mean of the intervals' percentages. A quiet
  half-hour of 40 calls, all answered within 20 s, and a busy one of 300 calls, 150 of them
  within 20 s: their percentages (100% and 50%) average to 75%, but 190 of the 340 callers,
  55.9%, were answered within 20 s;
* bad input (a negative count, more calls answered within the target than offered, arrays of
  different lengths, a definition without the counts it needs, no calls at all) raises a
  ``ValueError`` that names the argument, the row (counted from 0, with the pandas index label
  when it is not the row number) and what is allowed.

Examples
--------
Two half-hours, the quiet one met its target and the busy one did not:

>>> service_level(answered_within=[40, 150], offered=[40, 300])
0.5588235294117647
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _inputs, staffing

__all__ = [
    "DEFINITIONS",
    "service_level",
    "abandonment_rate",
    "average_handle_time",
    "average_speed_of_answer",
    "average_patience",
    "occupancy",
    "shrinkage",
    "daily_summary",
    "before_after",
    "target_effect",
    "aht_target_scenario",
]

DEFINITIONS = ("offered", "answered", "excluding_short_abandons")
"""The service-level definitions :func:`service_level` knows, by the denominator they use."""

# --------------------------------------------------------------------------- checking input


def _label(value: Any, position: int) -> str:
    """Where a bad value sits: the row number, and the pandas index label when it differs."""
    index = getattr(value, "index", None) if hasattr(value, "iloc") else None  # pandas only
    if index is not None and len(index) > position:
        label = index[position]
        if isinstance(label, np.generic):
            label = label.item()
        if not (isinstance(label, int) and label == position):
            shown = repr(label) if isinstance(label, str) else str(label)
            return f" (row {position}, index {shown})"
    return f" (row {position})"


def _values(name: str, value: Any, *, allowed: str, whole: bool = False, positive: bool = False,
            missing_ok: bool = False) -> np.ndarray:
    """``value`` as a flat float64 array, or a ValueError naming ``name``, the row and the rule.

    NaN (an empty cell, or pandas' <NA>) is refused unless ``missing_ok``; infinity always.
    """
    if isinstance(value, str):
        raise ValueError(f"{name} must be {allowed}; got the text {value!r}")
    dtype = getattr(value, "dtype", None)
    try:
        if dtype is not None and hasattr(value, "to_numpy") and getattr(dtype, "kind", "") in "iuf":
            array = value.to_numpy(dtype=np.float64, na_value=np.nan)  # nullable Int64 too
        else:
            array = np.asarray(value)
    except Exception as error:  # a ragged list, say
        raise ValueError(f"{name} must be {allowed}; got {value!r}") from error
    if array.dtype.kind == "b":
        raise ValueError(f"{name} must be {allowed}; got true/false values, not numbers")
    flat = array.ravel()
    if array.dtype.kind in "US":  # some text: numpy made every cell text; keep the cells as given
        given = isinstance(value, (list, tuple))
        flat = np.array(value, dtype=object).ravel() if given else flat.astype(object)
    elif array.dtype.kind not in "iufO":
        raise ValueError(f"{name} must be {allowed}; got {array.dtype} values, not numbers")
    if flat.dtype.kind == "O":  # find the first cell that is not a number, to name its row
        import pandas as pd

        converted = np.empty(flat.size)
        for row, cell in enumerate(flat):
            if cell is None or cell is pd.NA:
                converted[row] = np.nan
                continue
            if isinstance(cell, (str, bool, np.bool_)):
                shown = f"the text {cell!r}" if isinstance(cell, str) else "a true/false value"
                raise ValueError(f"{name} must be {allowed}; got {shown}{_label(value, row)}")
            try:
                converted[row] = float(cell)
            except (TypeError, ValueError):
                raise ValueError(f"{name} must be {allowed}; got {cell!r}, which is not a "
                                 f"number{_label(value, row)}") from None
        flat = converted
    array = flat.astype(np.float64)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(array) | (array <= 0 if positive else array < 0)
        if whole:
            bad |= np.isfinite(array) & (array != np.floor(array))
    if not missing_ok:
        bad |= np.isnan(array)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        shown = "an empty value (NaN)" if np.isnan(array[first]) else _inputs.show(array[first])
        raise ValueError(f"{name} must be {allowed}; got {shown}{_label(value, first)}")
    return array


_COUNT = "a whole number of calls, 0 or more, for each interval"
_SECONDS = "a number of seconds, 0 or more, for each interval"


def _counts(**named: Any) -> dict[str, np.ndarray]:
    return {name: _values(name, value, allowed=_COUNT, whole=True) for name, value in named.items()}


def _same_length(values: dict[str, np.ndarray]) -> None:
    """Every array of one call holds one value per interval: the same number of values."""
    sizes = {name: array.size for name, array in values.items()}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name} {size}" for name, size in sizes.items())
        raise ValueError(f"give one value per interval for every argument; the lengths differ: "
                         f"{listed}")
    if not next(iter(sizes.values())):
        raise ValueError(f"no intervals given: {', '.join(sizes)} are empty")


def _at_most(small: str, big: str, values: dict[str, np.ndarray], raw: dict[str, Any],
             why: str, big_values: np.ndarray | None = None, big_name: str | None = None) -> None:
    """Refuse the first interval where ``small`` exceeds ``big``, naming both values."""
    limit = values[big] if big_values is None else big_values
    over = values[small] > limit
    if over.any():
        row = int(np.flatnonzero(over)[0])
        shown = big_name or big
        raise ValueError(
            f"{small} must be at most {shown} in every interval ({why}); got {small} "
            f"{_inputs.show(values[small][row])} and {shown} {_inputs.show(limit[row])}"
            f"{_label(raw[small], row)}")


def _ratio(numerator: float, denominator: float, nothing: str) -> float:
    if denominator <= 0:
        raise ValueError(nothing)
    return float(numerator / denominator)


# ------------------------------------------------------------------------ interval measures


def service_level(answered_within, offered, *, abandoned=None, abandoned_within=None,
                  definition="offered"):
    """Share of calls answered within the target time, over all the intervals given.

    Service level has three definitions in common use, and reports rarely say which one they
    used; they differ in what they divide by:

    ========================== ==================================================
    ``definition``             service level =
    ========================== ==================================================
    ``"offered"`` (default)    answered_within / offered
    ``"answered"``             answered_within / (offered - abandoned)
    ``"excluding_short_abandons"`` answered_within / (offered - abandoned_within)
    ========================== ==================================================

    ``"offered"`` counts every caller who hung up as a miss: it is what the customers lived
    through, and what :mod:`opsfirst.staffing` (Erlang A) and :mod:`opsfirst.simulation`
    compute. ``"answered"`` leaves every abandoned call out, however long the caller waited,
    so it is always the highest: a report that meets its target only this way hides the
    callers who gave up. ``"excluding_short_abandons"`` leaves out only the callers who hung
    up within a few seconds (a wrong number, a caller put off by the greeting).

    The ratio is over all the intervals: sums, not the mean of the intervals' percentages.

    Parameters
    ----------
    answered_within : int or array_like
        Calls answered within the target time (e.g. 20 s), per interval.
    offered : int or array_like
        Calls offered (answered + abandoned), per interval.
    abandoned : int or array_like, optional, keyword only
        Calls abandoned, per interval; needed for ``definition="answered"``.
    abandoned_within : int or array_like, optional, keyword only
        Calls abandoned within the short-abandon threshold (e.g. 5 s), per interval; needed
        for ``definition="excluding_short_abandons"``.
    definition : {"offered", "answered", "excluding_short_abandons"}, keyword only

    Returns
    -------
    float
        A fraction between 0 and 1.

    Raises
    ------
    ValueError
        A count that is negative, fractional or empty; ``answered_within`` above ``offered``
        (or above the calls answered); ``abandoned_within`` above ``abandoned``; arrays of
        different lengths; an unknown definition or one without its counts; no calls in the
        denominator.

    Examples
    --------
    One half-hour: 100 calls offered, 10 abandoned (3 of them within 5 s), 72 answered within
    20 s. The same half-hour, three service levels:

    >>> service_level(answered_within=72, offered=100)
    0.72
    >>> service_level(answered_within=72, offered=100, abandoned=10, definition="answered")
    0.8
    >>> round(service_level(answered_within=72, offered=100, abandoned_within=3,
    ...                     definition="excluding_short_abandons"), 4)
    0.7423
    """
    if definition not in DEFINITIONS:
        raise ValueError(f"definition must be one of {', '.join(map(repr, DEFINITIONS))}; got "
                         f"{definition!r}")
    needs = {"answered": ("abandoned", abandoned), "excluding_short_abandons":
             ("abandoned_within", abandoned_within)}
    if definition in needs and needs[definition][1] is None:
        name = needs[definition][0]
        if definition == "answered":
            what, formula = "abandoned", "answered_within / (offered - abandoned)"
        else:
            what = "abandoned within the short-abandon threshold"
            formula = "answered_within / (offered - abandoned_within)"
        raise ValueError(f"definition={definition!r} needs {name}, the calls {what} in each "
                         f"interval: this service level is {formula}")
    raw = dict(answered_within=answered_within, offered=offered)
    if abandoned is not None:
        raw["abandoned"] = abandoned
    if abandoned_within is not None:
        raw["abandoned_within"] = abandoned_within
    v = _counts(**raw)
    _same_length(v)
    why = "calls answered within the target time are some of the calls offered"
    _at_most("answered_within", "offered", v, raw, why)
    if "abandoned" in v:
        _at_most("abandoned", "offered", v, raw, "abandoned calls are some of the calls offered")
        _at_most("answered_within", "offered", v, raw,
                 "calls answered within the target time are some of the calls answered",
                 big_values=v["offered"] - v["abandoned"], big_name="offered - abandoned")
    if "abandoned_within" in v:
        _at_most("abandoned_within", "offered", v, raw,
                 "short abandons are some of the calls offered")
        if "abandoned" in v:
            _at_most("abandoned_within", "abandoned", v, raw,
                     "short abandons are some of the calls abandoned")
    within = v["answered_within"].sum()
    if definition == "offered":
        return _ratio(within, v["offered"].sum(),
                      "no calls offered in the intervals given: service level is 0 of 0, "
                      "undefined (give intervals with calls)")
    if definition == "answered":
        return _ratio(within, (v["offered"] - v["abandoned"]).sum(),
                      "no calls answered in the intervals given (offered - abandoned is 0): "
                      "service level of answered calls is undefined")
    return _ratio(within, (v["offered"] - v["abandoned_within"]).sum(),
                  "no calls left once the short abandons are removed (offered - "
                  "abandoned_within is 0): service level is undefined")


def abandonment_rate(abandoned, offered, *, abandoned_within=None):
    """Share of calls offered whose caller hung up before an answer, over all the intervals.

    With ``abandoned_within``, the short abandons (callers who hung up within a few seconds)
    are removed from both counts: (abandoned - abandoned_within) / (offered - abandoned_within).

    Parameters
    ----------
    abandoned : int or array_like
        Calls abandoned, per interval.
    offered : int or array_like
        Calls offered, per interval.
    abandoned_within : int or array_like, optional, keyword only
        Calls abandoned within the short-abandon threshold, per interval.

    Returns
    -------
    float
        A fraction between 0 and 1.

    Examples
    --------
    >>> abandonment_rate(abandoned=[2, 30], offered=[60, 240])
    0.10666666666666667
    >>> abandonment_rate(abandoned=10, offered=100, abandoned_within=3)
    0.07216494845360824
    """
    raw = dict(abandoned=abandoned, offered=offered)
    if abandoned_within is not None:
        raw["abandoned_within"] = abandoned_within
    v = _counts(**raw)
    _same_length(v)
    _at_most("abandoned", "offered", v, raw, "abandoned calls are some of the calls offered")
    short = np.zeros_like(v["offered"])
    if "abandoned_within" in v:
        _at_most("abandoned_within", "abandoned", v, raw,
                 "short abandons are some of the calls abandoned")
        short = v["abandoned_within"]
    return _ratio((v["abandoned"] - short).sum(), (v["offered"] - short).sum(),
                  "no calls offered in the intervals given (once short abandons are removed): "
                  "the abandonment rate is 0 of 0, undefined")


def average_handle_time(aht, answered):
    """Average handle time over all the intervals, weighted by the calls answered, in seconds.

    The mean of the intervals' AHTs gives a quiet half-hour as much weight as a busy one; the
    AHT of the calls is sum(aht x answered) / sum(answered). An interval with no call answered
    has no AHT: its ``aht`` may be empty (NaN) and counts for nothing.

    Parameters
    ----------
    aht : float or array_like
        Average handle time of the calls answered in each interval, seconds (talk + hold +
        after-call work); more than 0 where calls were answered, may be empty where none were.
    answered : int or array_like
        Calls answered, per interval.

    Returns
    -------
    float
        Seconds.

    Examples
    --------
    A quiet evening half-hour of 20 long calls and a busy one of 180 shorter calls: 309 s, not
    the 345 s the two AHTs average to.

    >>> average_handle_time(aht=[390, 300], answered=[20, 180])
    309.0
    """
    v = dict(aht=_values("aht", aht, allowed="the average handle time in seconds, more than 0, "
                         "for each interval with calls answered", positive=True, missing_ok=True),
             answered=_counts(answered=answered)["answered"])
    _same_length(v)
    empty = np.isnan(v["aht"]) & (v["answered"] > 0)
    if empty.any():
        row = int(np.flatnonzero(empty)[0])
        answered_there = _inputs.show(v["answered"][row])
        raise ValueError("aht must be a number of seconds, more than 0, where calls were "
                         f"answered; got an empty value (NaN) with {answered_there} calls "
                         f"answered{_label(aht, row)}")
    weights = np.where(v["answered"] > 0, v["aht"], 0.0) * v["answered"]
    return _ratio(weights.sum(), v["answered"].sum(),
                  "no calls answered in the intervals given: the average handle time is "
                  "undefined")


def average_speed_of_answer(answered_wait_seconds, answered):
    """Average speed of answer (ASA): the mean wait of the answered calls, in seconds.

    sum(answered_wait_seconds) / sum(answered), over all the intervals (a call answered at
    once counts as 0 s). It leaves out the callers who hung up, however long they waited:
    read it beside the abandonment rate.

    Parameters
    ----------
    answered_wait_seconds : float or array_like
        Total seconds the answered calls of each interval waited before an agent answered
        (``interval_waits``' column of that name; an ACD's "total answer delay").
    answered : int or array_like
        Calls answered, per interval.

    Returns
    -------
    float
        Seconds.

    Examples
    --------
    >>> average_speed_of_answer(answered_wait_seconds=[120, 2400], answered=[60, 150])
    12.0
    """
    v = dict(answered_wait_seconds=_values("answered_wait_seconds", answered_wait_seconds,
                                           allowed=_SECONDS),
             answered=_counts(answered=answered)["answered"])
    _same_length(v)
    return _ratio(v["answered_wait_seconds"].sum(), v["answered"].sum(),
                  "no calls answered in the intervals given: the average speed of answer is "
                  "undefined")


def average_patience(abandoned, total_wait_seconds):
    """Callers' average patience, in seconds: total waiting time of ALL callers / abandoned.

    Parameters
    ----------
    abandoned : int or array_like
        Calls abandoned, per interval.
    total_wait_seconds : float or array_like
        Total seconds waited by **all** the callers of each interval: the answered ones until
        an agent answered, the abandoned ones until they hung up (with ``interval_waits``:
        answered_wait_seconds + abandoned_wait_seconds).

    Returns
    -------
    float
        Seconds: the estimate of the mean patience.

    Notes
    -----
    Why not the mean wait of the callers who hung up? Because it answers another question.
    Every caller has a patience, but we only see it for those who ran out of it: a caller
    answered after 30 s would have waited longer (we only know their patience was more than
    30 s), and the most patient callers are the ones who get answered. So the abandoners'
    waits are the *short* patiences, cut off by the answers, and their mean is far below the
    callers' patience (on ``interval_history``: about 24 s against the 150 s the data was made
    with).

    What counts instead is the exposure: each second a caller spends waiting is a second in
    which they may hang up. If patience is exponential with mean theta (a constant chance of
    hanging up per second, the assumption of Erlang A), callers hang up at 1 / theta per
    second waited, so the abandoned calls are about total waiting time / theta, and

        theta = total waiting time of all callers / number who abandoned.

    This is the maximum-likelihood estimate for exponential patience from waits cut off by an
    answer (censored data); its standard error is about theta / sqrt(abandoned): with 100
    abandoned calls an estimate of 150 s is good to about +-15 s, with 10,000 to +-1.5 s. It
    cannot be computed without at least one abandoned call.

    Examples
    --------
    Three half-hours: 12 callers abandoned after waiting 300 s between them, and the answered
    callers waited 1,500 s. Patience is 1,800 / 12 = 150 s, not 300 / 12 = 25 s:

    >>> average_patience(abandoned=[2, 7, 3], total_wait_seconds=[200, 1200, 400])
    150.0
    """
    v = dict(abandoned=_counts(abandoned=abandoned)["abandoned"],
             total_wait_seconds=_values("total_wait_seconds", total_wait_seconds,
                                        allowed=_SECONDS))
    _same_length(v)
    return _ratio(v["total_wait_seconds"].sum(), v["abandoned"].sum(),
                  "no caller abandoned in the intervals given: patience cannot be estimated "
                  "(it is longer than the waits seen); use more intervals")


def occupancy(handle_seconds, available_seconds):
    """Occupancy: the share of the agents' logged-in time spent handling calls.

    sum(handle_seconds) / sum(available_seconds), over all the intervals. The denominator is
    time *on the phones* (logged in, available or busy), not paid time: time off the phones
    (breaks, training, absence) is shrinkage, see :func:`shrinkage`.

    Parameters
    ----------
    handle_seconds : float or array_like
        Seconds of handling (talk + hold + after-call work), per interval; with
        ``interval_history``: aht_seconds x calls_answered.
    available_seconds : float or array_like
        Agents' logged-in seconds, per interval; with ``interval_history``: agents x 1800.

    Returns
    -------
    float
        A fraction, normally between 0 and 1. One half-hour can show a little over 1 when its
        calls were counted by arrival but handled partly in the next half-hour; over a day it
        evens out.

    Examples
    --------
    14 agents handled 18,000 s of calls in one half-hour, 30 agents 45,000 s in the next:

    >>> occupancy(handle_seconds=[18000, 45000], available_seconds=[14 * 1800, 30 * 1800])
    0.7954545454545454
    """
    v = dict(handle_seconds=_values("handle_seconds", handle_seconds, allowed=_SECONDS),
             available_seconds=_values("available_seconds", available_seconds, allowed=_SECONDS))
    _same_length(v)
    return _ratio(v["handle_seconds"].sum(), v["available_seconds"].sum(),
                  "no agent time in the intervals given (available_seconds adds up to 0): "
                  "occupancy is undefined")


def shrinkage(available_seconds, paid_seconds):
    """Shrinkage: the share of paid time that is not available for calls.

    1 - sum(available_seconds) / sum(paid_seconds): paid breaks, training, meetings, coaching,
    sickness and holidays. Staffing divides by (1 - shrinkage) to turn agents on the phones into
    people to schedule (:func:`opsfirst.staffing.scheduled_staff`).

    Parameters
    ----------
    available_seconds : float or array_like
        Seconds the people were logged in and available for calls, per row (an interval, a
        shift or a person).
    paid_seconds : float or array_like
        Paid seconds, per row; at least ``available_seconds``.

    Returns
    -------
    float
        A fraction from 0 up to 1.

    Examples
    --------
    An 8-hour paid shift with two paid 15-minute breaks and an hour of training:

    >>> shrinkage(available_seconds=6.5 * 3600, paid_seconds=8 * 3600)
    0.1875
    """
    raw = dict(available_seconds=available_seconds, paid_seconds=paid_seconds)
    v = {name: _values(name, value, allowed=_SECONDS) for name, value in raw.items()}
    _same_length(v)
    _at_most("available_seconds", "paid_seconds", v, raw,
             "available time is part of the paid time")
    return 1.0 - _ratio(v["available_seconds"].sum(), v["paid_seconds"].sum(),
                        "no paid time in the rows given (paid_seconds adds up to 0): shrinkage "
                        "is undefined")


# ------------------------------------------------------------------------------ the dashboard

_INTERVAL_COLUMNS = ("interval_start", "calls_offered", "calls_answered", "calls_abandoned",
                     "answered_within_20s", "aht_seconds")


def _need_columns(frame, columns, what: str) -> None:
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column {', '.join(map(repr, missing))}; it needs "
                         f"{', '.join(columns)}")


def daily_summary(frame, *, target_service_level=0.8):
    """One row a day from half-hour data: the day's measures and its worst half-hour.

    Parameters
    ----------
    frame : pandas.DataFrame
        Half-hours shaped like ``interval_history`` (the shipped data or a learner's own file
        loaded with ``opsfirst.datasets.load(path, kind="interval_history")``): the columns
        ``interval_start`` (dates and times), ``calls_offered``, ``calls_answered``,
        ``calls_abandoned``, ``answered_within_20s`` and ``aht_seconds``.
    target_service_level : float, default 0.8, keyword only
        The service-level target (answered within 20 s / offered) a half-hour is held to.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``date`` (the local calendar day of ``interval_start``), in date order, with
        the columns ``calls_offered``, ``calls_answered``, ``calls_abandoned`` (sums),
        ``service_level`` (answered within 20 s / offered, the day's sums),
        ``abandonment_rate`` (abandoned / offered), ``aht_seconds`` (weighted by calls
        answered), ``worst_service_level`` and ``worst_half_hour`` (the lowest half-hour's
        service level and its start time as text, ``"14:30"``; half-hours with no calls are
        left out; the first of equals),
        ``half_hours_under_target`` (half-hours below ``target_service_level``) and
        ``half_hours`` (rows that day).

    Raises
    ------
    ValueError
        A missing column; ``interval_start`` that is not dates and times; a count that is not
        a whole number of calls, 0 or more; answered, abandoned or answered within 20 s above
        offered; an empty handle time where calls were answered; a day with no calls.

    Examples
    --------
    >>> import pandas as pd
    >>> day = pd.DataFrame({
    ...     "interval_start": pd.to_datetime(["2025-11-17 09:00", "2025-11-17 09:30"]),
    ...     "calls_offered": [40, 300], "calls_answered": [40, 280],
    ...     "calls_abandoned": [0, 20], "answered_within_20s": [40, 150],
    ...     "aht_seconds": [390.0, 300.0]})
    >>> row = daily_summary(day).iloc[0]
    >>> round(float(row["service_level"]), 4), row["worst_half_hour"]
    (0.5588, '09:30')
    >>> int(row["half_hours_under_target"]), int(row["half_hours"])
    (1, 2)
    """
    import pandas as pd

    _need_columns(frame, _INTERVAL_COLUMNS, "frame")
    target = _inputs.number("target_service_level", target_service_level,
                            **_inputs.RULES["target_service_level"])
    if np.ndim(target):
        raise ValueError("target_service_level must be a single number, e.g. 0.8")
    target = float(target)
    start = frame["interval_start"]
    if not pd.api.types.is_datetime64_any_dtype(start):
        raise ValueError("frame's interval_start must be dates and times; got "
                         f"{start.dtype} values. Load the file with opsfirst.datasets.load(path, "
                         "kind=\"interval_history\"), which reads them")
    if start.isna().any():
        row = int(np.flatnonzero(start.isna().to_numpy())[0])
        raise ValueError(f"frame's interval_start must not be empty; got an empty value"
                         f"{_label(start, row)}")
    raw = {column: frame[column] for column in ("calls_offered", "calls_answered",
                                                "calls_abandoned", "answered_within_20s")}
    v = _counts(**raw)
    for name, why in (("calls_answered", "answered calls are some of the calls offered"),
                      ("calls_abandoned", "abandoned calls are some of the calls offered"),
                      ("answered_within_20s", "calls answered within 20 s are some of the "
                                              "calls offered")):
        _at_most(name, "calls_offered", v, raw, why)
    aht = _values("aht_seconds", frame["aht_seconds"], allowed="the average handle time in "
                  "seconds, more than 0, where calls were answered", positive=True,
                  missing_ok=True)
    empty = np.isnan(aht) & (v["calls_answered"] > 0)
    if empty.any():
        row = int(np.flatnonzero(empty)[0])
        raise ValueError("aht_seconds must be a number of seconds, more than 0, where calls "
                         "were answered; got an empty value (NaN)"
                         f"{_label(frame['aht_seconds'], row)}")
    with np.errstate(divide="ignore", invalid="ignore"):
        half_hour = np.where(v["calls_offered"] > 0,
                             v["answered_within_20s"] / v["calls_offered"], np.nan)
    work = pd.DataFrame({
        "date": start.dt.date.to_numpy(),
        "time": start.dt.strftime("%H:%M").to_numpy(),
        "calls_offered": v["calls_offered"],
        "calls_answered": v["calls_answered"],
        "calls_abandoned": v["calls_abandoned"],
        "answered_within_20s": v["answered_within_20s"],
        "handle": np.where(v["calls_answered"] > 0, aht, 0.0) * v["calls_answered"],
        "half_hour": half_hour,
    })
    days = work.groupby("date", sort=True)
    sums = days[["calls_offered", "calls_answered", "calls_abandoned", "answered_within_20s",
                 "handle"]].sum()
    for date, row in sums.iterrows():
        if row["calls_offered"] == 0:
            raise ValueError(f"no calls offered on {date}: the day's service level is "
                             "undefined; leave that day out")
        if row["calls_answered"] == 0:
            raise ValueError(f"no calls answered on {date}: the day's handle time is "
                             "undefined; leave that day out")
    worst = work.loc[days["half_hour"].idxmin().to_numpy()].set_index("date")
    out = pd.DataFrame({
        "calls_offered": sums["calls_offered"].astype(np.int64),
        "calls_answered": sums["calls_answered"].astype(np.int64),
        "calls_abandoned": sums["calls_abandoned"].astype(np.int64),
        "service_level": sums["answered_within_20s"] / sums["calls_offered"],
        "abandonment_rate": sums["calls_abandoned"] / sums["calls_offered"],
        "aht_seconds": sums["handle"] / sums["calls_answered"],
        "worst_service_level": worst["half_hour"],
        "worst_half_hour": worst["time"],
        "half_hours_under_target": days["half_hour"].apply(
            lambda s: int((s < target).sum())).astype(np.int64),
        "half_hours": days.size().astype(np.int64),
    })
    out.index.name = "date"
    return out


# ------------------------------------------------------------- a target, before and after

_CONTACT_COLUMNS = ("issue_id", "contact_number", "channel", "team", "start", "end",
                    "handle_seconds", "transferred")


def _timestamp(name: str, value: Any, tz):
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a date, e.g. \"2025-10-13\"; got {value!r}") from error
    if stamp is pd.NaT:
        raise ValueError(f"{name} must be a date, e.g. \"2025-10-13\"; got {value!r}")
    if tz is not None and stamp.tz is None:
        stamp = stamp.tz_localize(tz)
    elif tz is None and stamp.tz is not None:
        raise ValueError(f"{name} has a time zone but the contacts' times have none; give a "
                         "date without one")
    return stamp


def _flags(name: str, column) -> np.ndarray:
    """A true/false column as a float array (1.0/0.0), or a ValueError naming the first bad row."""
    import pandas as pd

    values = column.to_numpy(dtype=object)
    for row, cell in enumerate(values):
        if isinstance(cell, (bool, np.bool_)):
            continue
        if isinstance(cell, (int, np.integer)) and cell in (0, 1):
            continue
        shown = "an empty value" if pd.isna(cell) else repr(cell)
        raise ValueError(f"contacts' {name} must be true or false for every contact; got "
                         f"{shown}{_label(column, row)}")
    return values.astype(np.float64)


def _measured(contacts, groups, change, channel, repeat_window_days):
    """Per (group, period): contacts, AHT, transfer rate, repeat rate and the agents' tick."""
    import pandas as pd

    _need_columns(contacts, _CONTACT_COLUMNS, "contacts")
    days = _inputs.number("repeat_window_days", repeat_window_days, low=0, low_open=True,
                          allowed="a number of days, more than 0, e.g. 7")
    if np.ndim(days):
        raise ValueError("repeat_window_days must be a single number, e.g. 7")
    start, end = contacts["start"], contacts["end"]
    for name, column in (("start", start), ("end", end)):
        if not pd.api.types.is_datetime64_any_dtype(column):
            raise ValueError(f"contacts' {name} must be dates and times; got {column.dtype} "
                             "values. Load the file with opsfirst.datasets.load(path, "
                             "kind=\"contacts\")")
        if column.isna().any():
            row = int(np.flatnonzero(column.isna().to_numpy())[0])
            raise ValueError(f"contacts' {name} must not be empty; got an empty value"
                             f"{_label(column, row)}")
    handle = _values("handle_seconds", contacts["handle_seconds"],
                     allowed="the contact's handling time in seconds, more than 0", positive=True)
    for name in ("issue_id", "contact_number"):
        _values(name, contacts[name], allowed="a whole number, 1 or more", whole=True,
                positive=True)
    transferred = _flags("transferred", contacts["transferred"])
    ticked = (_flags("resolved_by_agent", contacts["resolved_by_agent"])
              if "resolved_by_agent" in contacts.columns else np.full(len(contacts), np.nan))
    when = _timestamp("change", change, start.dt.tz)
    if not start.min() < when <= start.max():
        raise ValueError(f"change must fall inside the contacts' dates ({start.min():%Y-%m-%d} to "
                         f"{start.max():%Y-%m-%d}), so that there is a before and an after; got "
                         f"{when:%Y-%m-%d}")
    # A contact is followed by a repeat when the next contact starts within the window
    # after it ends. Only contacts that end a full window before the data end can be judged:
    # the repeats of later ones may fall after the data. (Positions, not index labels: a
    # learner's frame may repeat labels.)
    ids = pd.DataFrame({"issue": contacts["issue_id"].to_numpy(),
                        "number": contacts["contact_number"].to_numpy(),
                        "start": start.to_numpy() if start.dt.tz is None else start.array})
    order = ids.sort_values(["issue", "number"], kind="stable")
    following = order.groupby("issue", sort=False)["start"].shift(-1).sort_index()
    window = pd.Timedelta(days=float(days))
    gap = following.reset_index(drop=True) - pd.Series(end.array)
    repeat = (gap <= window).to_numpy()  # no next contact: NaT, never a repeat
    judged = (end <= start.max() - window).to_numpy()
    keep = np.ones(len(contacts), dtype=bool)
    if channel is not None:
        known = set(contacts["channel"].astype(str))
        if channel not in known:
            raise ValueError(f"channel must be one of {', '.join(sorted(known))}, or None for "
                             f"every channel; got {channel!r}")
        keep = (contacts["channel"].astype(str) == channel).to_numpy()
    work = pd.DataFrame({
        "group": np.asarray(groups),
        "period": np.where((start >= when).to_numpy(), "after", "before"),
        "handle": handle,
        "transferred": transferred,
        "repeat": np.where(judged, repeat, np.nan),
        "judged": judged.astype(float),
        "ticked": ticked,
    })[keep]
    grouped = work.groupby(["group", "period"], sort=True)
    sums = grouped[["handle", "transferred", "judged"]].sum()
    counts = grouped.size()
    table = pd.DataFrame({
        "contacts": counts.astype(np.int64),
        "aht": sums["handle"] / counts,
        "transfer_rate": sums["transferred"] / counts,
        "repeat_rate": grouped["repeat"].sum() / sums["judged"].where(sums["judged"] > 0),
        "resolved_tick_rate": grouped["ticked"].mean(),
    })
    for group in sorted(set(work["group"])):
        for period in ("before", "after"):
            if (group, period) not in table.index:
                raise ValueError(f"{group} has no contacts {period} the change"
                                 f"{'' if channel is None else f' on {channel}'}: there is "
                                 "nothing to compare")
            if np.isnan(table.loc[(group, period), "repeat_rate"]):
                raise ValueError(
                    f"none of {group}'s contacts {period} the change ends "
                    f"{_inputs.show(float(days))} days before the data end, so their repeats "
                    "cannot be judged: use a shorter repeat_window_days or a change further from "
                    "the end")
    return table


_MEASURES = ("contacts", "aht", "transfer_rate", "repeat_rate", "resolved_tick_rate")


def before_after(contacts, change, *, by="team", channel="voice", repeat_window_days=7):
    """Each group's measures before and after a dated change (a new target, say).

    Parameters
    ----------
    contacts : pandas.DataFrame
        A contact log shaped like ``contacts``: ``issue_id``, ``contact_number``, ``channel``,
        ``team``, ``start``, ``end``, ``handle_seconds``, ``transferred`` and, if there,
        ``resolved_by_agent``.
    change : str or pandas.Timestamp
        The first day of the change, e.g. ``"2025-10-13"``: contacts that start from then on
        are "after".
    by : str, default "team", keyword only
        The column whose values make the groups (one row each).
    channel : str or None, default "voice", keyword only
        The channel to measure (the AHT target of ``contacts`` is for voice), or None for all.
    repeat_window_days : float, default 7, keyword only
        A contact counts as repeated when the customer's next contact on the same issue starts
        within this many days after it ends. Only contacts that end a full window before the
        data end are judged (their repeats could fall after the data).

    Returns
    -------
    pandas.DataFrame
        One row per group, with ``contacts_before``, ``contacts_after``, ``aht_before``,
        ``aht_after`` (mean handle seconds), ``transfer_rate_before``, ``transfer_rate_after``,
        ``repeat_rate_before``, ``repeat_rate_after`` (fractions of contacts followed by a
        repeat within the window) and ``resolved_tick_rate_before``, ``..._after`` (the share
        the agents ticked "resolved"; empty without ``resolved_by_agent``).

    Examples
    --------
    >>> from opsfirst import datasets
    >>> table = before_after(datasets.load("contacts"), "2025-10-13")
    >>> table[["aht_before", "aht_after"]].round(0).astype(int).loc[["A", "B"]]
          aht_before  aht_after
    team
    A            334        339
    B            330        263
    """
    import pandas as pd

    _need_columns(contacts, (by,), "contacts")
    table = _measured(contacts, contacts[by].astype(str).to_numpy(), change, channel,
                      repeat_window_days)
    wide = table.unstack("period")
    out = pd.DataFrame({f"{m}_{p}": wide[(m, p)] for m in _MEASURES for p in ("before", "after")})
    for column in ("contacts_before", "contacts_after"):
        out[column] = out[column].fillna(0).astype(np.int64)
    out.index.name = by
    return out


def target_effect(contacts, change, treated, *, channel="voice", repeat_window_days=7):
    """The effect of a change on the groups it applied to, net of a comparison group.

    The teams under the change (``treated``) and the others (the comparison) are each pooled,
    weighted by contacts, and measured before and after (:func:`before_after`). A before/after
    on the treated teams alone mixes the change with everything else that moved at the same
    time (the season, the mix of reasons, the repeats the change itself sent to other teams);
    the comparison teams moved with all of that but not with the change. The effect is the
    *difference in differences*: (treated after - treated before) - (comparison after -
    comparison before).

    Parameters
    ----------
    contacts : pandas.DataFrame
        A contact log shaped like ``contacts`` (see :func:`before_after`).
    change : str or pandas.Timestamp
        The first day of the change.
    treated : list of str
        The teams the change applied to, e.g. ``["B", "D"]``; every other team is the
        comparison.
    channel : str or None, default "voice", keyword only
    repeat_window_days : float, default 7, keyword only
        As in :func:`before_after`.

    Returns
    -------
    pandas.DataFrame
        One row per measure: ``aht`` (seconds), ``transfer_rate``, ``repeat_rate`` and
        ``resolved_tick_rate`` (fractions); columns ``treated_before``, ``treated_after``,
        ``comparison_before``, ``comparison_after``, ``treated_change``,
        ``comparison_change`` (after - before) and ``effect`` (the difference in
        differences, in seconds for ``aht`` and in fractions for the rates: 0.09 is 9
        percentage points).

    Examples
    --------
    >>> from opsfirst import datasets
    >>> effect = target_effect(datasets.load("contacts"), "2025-10-13", treated=["B", "D"])
    >>> effect.loc["transfer_rate", ["treated_before", "treated_after", "effect"]].round(3)
    treated_before    0.051
    treated_after     0.133
    effect            0.080
    Name: transfer_rate, dtype: float64
    """
    import pandas as pd

    _need_columns(contacts, ("team",), "contacts")
    if isinstance(treated, str):
        treated = [treated]
    treated = [str(t) for t in treated]
    teams = set(contacts["team"].astype(str))
    unknown = [t for t in treated if t not in teams]
    if unknown or not treated:
        listed = ", ".join(sorted(teams))
        raise ValueError(f"treated must be a list of teams in the contacts ({listed}); got "
                         f"{treated!r}")
    if set(treated) == teams:
        raise ValueError("treated names every team: keep at least one team out as the comparison")
    groups = np.where(contacts["team"].astype(str).isin(treated), "treated", "comparison")
    table = _measured(contacts, groups, change, channel, repeat_window_days)
    rows = {}
    for measure in _MEASURES[1:]:
        t_b, t_a = (table.loc[("treated", period), measure] for period in ("before", "after"))
        c_b, c_a = (table.loc[("comparison", period), measure] for period in ("before", "after"))
        rows[measure] = dict(treated_before=t_b, treated_after=t_a, comparison_before=c_b,
                             comparison_after=c_a, treated_change=t_a - t_b,
                             comparison_change=c_a - c_b, effect=(t_a - t_b) - (c_a - c_b))
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "measure"
    return out


def aht_target_scenario(effect, pressure, *, calls, aht, target_service_level=0.8,
                        target_time=20, interval=staffing.INTERVAL):
    """What an AHT target does to one half-hour, at a chosen pressure, from measured effects.

    The target's effects come from a contact log (:func:`target_effect`): how much shorter the
    calls got, and how many more were transferred and came back. ``pressure`` scales them: 0 is
    no target, 1 the target as the treated teams felt it, 0.5 half as hard; above 1 is an
    extrapolation beyond what the data saw. At pressure ``p``:

    * handle time = ``aht`` x r^p, with r the AHT ratio net of the comparison group
      ((treated after / before) / (comparison after / before));
    * transfer rate = t0 + p x (the transfer effect), repeat rate = q0 + p x (the repeat
      effect), from the comparison group's rates after the change (t0, q0: the line without a
      target);
    * a contact is repeated with chance q, so an issue takes about 1 / (1 - q) contacts, and
      the half-hour's calls become ``calls`` x (1 - q0) / (1 - q);
    * the agents for the service-level target: :func:`opsfirst.staffing.agents_required`
      (Erlang C) on those calls and that handle time.

    Transferred callers also take time in the team that receives them; the contact log does not
    record it, so it is not in the agents (the ``transfers`` column counts those callers).

    Parameters
    ----------
    effect : pandas.DataFrame
        The result of :func:`target_effect`.
    pressure : float or array_like
        0 (no target) or more; 1 is the measured target.
    calls : float, keyword only
        Calls offered in the half-hour today (their repeats included).
    aht : float, keyword only
        Average handle time today, seconds.
    target_service_level, target_time, interval : keyword only
        As in :func:`opsfirst.staffing.agents_required` (80% within 20 s, 1800 s).

    Returns
    -------
    pandas.DataFrame
        One row per pressure: ``pressure``, ``aht_seconds``, ``transfer_rate``,
        ``repeat_rate``, ``contacts_per_issue``, ``calls``, ``transfers`` (calls x transfer
        rate), ``workload_erlangs`` (calls x AHT / interval) and ``agents`` (on the phones for
        the target).

    Examples
    --------
    >>> from opsfirst import datasets
    >>> effect = target_effect(datasets.load("contacts"), "2025-10-13", treated=["B", "D"])
    >>> table = aht_target_scenario(effect, pressure=[0, 1], calls=250, aht=300)
    >>> table[["pressure", "aht_seconds", "calls", "agents"]].round(1)
       pressure  aht_seconds  calls  agents
    0       0.0        300.0  250.0      48
    1       1.0        233.0  287.3      43
    """
    import pandas as pd

    if not isinstance(effect, pd.DataFrame) or "effect" not in effect.columns or not {
            "aht", "transfer_rate", "repeat_rate"} <= set(effect.index):
        raise ValueError("effect must be the table of metrics.target_effect(contacts, change, "
                         "treated), with the rows aht, transfer_rate and repeat_rate")
    p = _values("pressure", pressure, allowed="a pressure of 0 (no target) or more; 1 is the "
                "target as measured")
    (calls_v, aht_v, tsl, tt, length), _ = _inputs.check(
        calls=calls, aht=aht, target_service_level=target_service_level,
        target_time=target_time, interval=interval)
    for name, value in (("calls", calls_v), ("aht", aht_v), ("target_service_level", tsl),
                        ("target_time", tt), ("interval", length)):
        if np.ndim(value):
            raise ValueError(f"{name} must be a single number: the scenario is one half-hour")
    e = effect
    ratio = ((e.loc["aht", "treated_after"] / e.loc["aht", "treated_before"])
             / (e.loc["aht", "comparison_after"] / e.loc["aht", "comparison_before"]))
    t0, q0 = e.loc["transfer_rate", "comparison_after"], e.loc["repeat_rate", "comparison_after"]
    transfer = t0 + p * e.loc["transfer_rate", "effect"]
    repeat = q0 + p * e.loc["repeat_rate", "effect"]
    for name, rate in (("transfer", transfer), ("repeat", repeat)):
        if ((rate < 0) | (rate >= 1)).any():
            row = int(np.flatnonzero((rate < 0) | (rate >= 1))[0])
            raise ValueError(f"pressure {_inputs.show(p[row])} takes the {name} rate to "
                             f"{rate[row]:.2f}, outside 0 to 1: the measured effects cannot be "
                             "stretched that far; use a smaller pressure")
    handle = float(aht_v) * ratio ** p
    offered = float(calls_v) * (1 - q0) / (1 - repeat)
    agents = staffing.agents_required(calls=offered, aht=handle,
                                      target_service_level=float(tsl), target_time=float(tt),
                                      interval=float(length))
    return pd.DataFrame({
        "pressure": p,
        "aht_seconds": handle,
        "transfer_rate": transfer,
        "repeat_rate": repeat,
        "contacts_per_issue": 1 / (1 - repeat),
        "calls": offered,
        "transfers": offered * transfer,
        "workload_erlangs": offered * handle / float(length),
        "agents": np.atleast_1d(agents).astype(np.int64),
    })

