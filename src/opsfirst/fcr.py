"""First contact resolution (FCR): three ways to measure it, and what a point of it is worth.

A contact centre measures FCR in one of three ways, and gets three different numbers:

* :func:`repeat_contact_fcr` -- from the contacts themselves: a contact resolved the issue when
  the same customer does not come back (about the same reason) within a window of days;
* :func:`survey_fcr` -- from the customer's answer to "was your issue resolved?", over those
  who answered the survey (with the response rate beside it);
* :func:`agent_fcr` -- from the agent's "resolved" tick, which cannot see the customer come
  back and so says "resolved" far more often than issues are.

Each returns an :class:`FCRResult` (``fcr``, ``resolved``, ``counted``, ``censored``,
``ci_low``, ``ci_high``: a 95% Wilson interval), or with ``by`` a DataFrame with those columns
and one row per group. :func:`repeat_status` gives the repeat-contact verdict contact by
contact; :func:`window_sensitivity` shows how the repeat-contact number moves with the window;
:func:`contacts_per_issue` measures how many contacts an issue takes; :func:`weekly_profile`
counts the contacts of an average week, interval by interval; and :func:`fcr_value` says what a
change of FCR is worth in contacts, agents, paid hours and money a week (agents from
:mod:`opsfirst.staffing`). :func:`fcr_slider` is the lesson's what-if widget (ipywidgets is
imported only when it is called).

Units: windows in days (a day is 24 hours of elapsed time, also across a clock change); times
are pandas datetimes (time-zone aware or not); handling times in seconds; FCR and every other
share a fraction between 0 and 1, never percent; money in the currency of
``cost_per_agent_hour`` (GBP in the course's data).

Scale: a real centre exports millions of contacts a year. Every function here is vectorised:
the contacts are sorted once (one numpy sort of a packed customer/reason/time key, on every
core for a large export) and each is compared with the next contact of the same customer; there
is no Python loop per contact. ``benchmarks/fcr.py`` times 5 million contacts against DuckDB's
window query on 2 cores (1.1x DuckDB's speed by team, 1.4-1.5x overall).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from . import _inputs, staffing
from ._inputs import INTERVAL

__all__ = [
    "FCRResult",
    "SurveyFCRResult",
    "FCRValue",
    "repeat_contact_fcr",
    "repeat_status",
    "agent_fcr",
    "survey_fcr",
    "window_sensitivity",
    "contacts_per_issue",
    "weekly_profile",
    "fcr_value",
    "wilson_interval",
    "fcr_slider",
]

_MICROSECONDS_PER_DAY = 86_400_000_000
_NO_NEXT = np.iinfo(np.int64).max  # "no further contact": a gap longer than any window
_Z95 = float(special.ndtri(0.975))  # 1.959963984540054
_COLUMNS = ["fcr", "resolved", "counted", "censored", "ci_low", "ci_high"]

# --------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FCRResult:
    """An FCR figure with its counts and its 95% confidence interval.

    Attributes
    ----------
    fcr : share of the counted contacts that were resolved, a fraction between 0 and 1.
    resolved : contacts counted as resolved at first contact.
    counted : contacts counted: the denominator of ``fcr``.
    censored : contacts left out of both counts because their window runs past the end of the
        data (repeat-contact FCR only; 0 for the other measures).
    ci_low, ci_high : the 95% Wilson interval of ``fcr``: where the true rate plausibly lies,
        given how many contacts were counted.
    """

    fcr: float
    resolved: int
    counted: int
    censored: int
    ci_low: float
    ci_high: float

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dictionary."""
        return asdict(self)

    def __repr__(self) -> str:
        # Shares to 4 decimals: readable in a notebook, and stable text for nbval.
        parts = (f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v!r}"
                 for k, v in self.to_dict().items())
        return f"{type(self).__name__}({', '.join(parts)})"


@dataclass(frozen=True)
class SurveyFCRResult(FCRResult):
    """Survey FCR: an :class:`FCRResult` over the respondents, and how many responded.

    Attributes
    ----------
    response_rate : share of the invitations whose "was your issue resolved?" was answered
        (``counted / invited``). ``fcr`` is a share of *these* respondents, not of all
        customers invited.
    invited : survey invitations sent.
    """

    response_rate: float
    invited: int


# ------------------------------------------------------------------------ checking input


def _frame(value: Any, name: str) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame with one row per {name[:-1]}, e.g. "
                         f"datasets.load({name!r}); got {type(value).__name__}")
    return value


def _column(frame: pd.DataFrame, name: str, column: str, why: str) -> pd.Series:
    if column not in frame.columns:
        raise ValueError(f"{name} has no column {column!r}: {why}. Its columns are "
                         f"{', '.join(map(str, frame.columns))}; rename yours to {column!r}")
    series = frame[column]
    missing = series.isna().to_numpy()
    if missing.any():
        row = frame.index[int(np.flatnonzero(missing)[0])]
        raise ValueError(f"{name}[{column!r}] is empty at row index {row!r}: {why}, so every "
                         f"row needs one. Fill it in, or leave such rows out before measuring")
    return series


def _micros(frame: pd.DataFrame, name: str, column: str, why: str) -> tuple[np.ndarray, Any]:
    """A column of times as int64 microseconds (UTC when time-zone aware), and its time zone."""
    series = _column(frame, name, column, why)
    if not isinstance(series.dtype, pd.DatetimeTZDtype) and series.dtype.kind != "M":
        parsed = pd.to_datetime(series, errors="coerce", format="ISO8601", utc=True)
        bad = parsed.isna().to_numpy()
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{name}[{column!r}] at row index {frame.index[first]!r} is "
                f"{series.iloc[first]!r}, which is not a date and time: write times as ISO 8601 "
                f"(2025-09-01T08:00:00+01:00), or convert the column first with "
                f"pd.to_datetime({name}[{column!r}], dayfirst=True)")
        series = parsed
    tz = getattr(series.dtype, "tz", None)
    values = series.to_numpy(dtype="datetime64[us]") if tz is None else (
        series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]"))
    return values.view(np.int64), tz


def _end_micros(end: Any, tz: Any, first: int) -> int:
    try:
        stamp = pd.Timestamp(end)
    except (TypeError, ValueError) as error:
        raise ValueError(f"end must be a date and time, e.g. '2025-11-28 20:00'; got {end!r}") from error
    if pd.isna(stamp):
        raise ValueError(f"end must be a date and time, e.g. '2025-11-28 20:00'; got {end!r}")
    if tz is not None and stamp.tzinfo is None:
        stamp = stamp.tz_localize(tz)
    elif tz is None and stamp.tzinfo is not None:
        raise ValueError(f"end {end!r} has a time zone but the contacts' times have none: give "
                         "end without one, as the data is")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    value = int(np.datetime64(stamp.to_datetime64(), "us").view(np.int64))
    if value < first:
        raise ValueError(f"end {end!r} is before the first contact starts: end is when the data "
                         "stop (default: the latest contact start)")
    return value


def _window(value: Any, name: str = "window_days") -> int:
    days = _inputs.number(name, value, low=0, low_open=True,
                          allowed="a number of days, more than 0, e.g. 7")
    if days.ndim:
        raise ValueError(f"{name} must be one number of days, e.g. 7; for several windows use "
                         "window_sensitivity(contacts, windows=[...])")
    return int(round(float(days) * _MICROSECONDS_PER_DAY))


def _labels(by: Any, frame: pd.DataFrame, name: str) -> list:
    columns = [by] if isinstance(by, str) or not isinstance(by, Iterable) else list(by)
    if not columns:
        raise ValueError("by must name a column (or a list of columns) to group by; got an "
                         "empty list")
    for column in columns:
        _column(frame, name, column, f"by={column!r} groups the {name} by it")
    return columns


def _codes(series: pd.Series) -> tuple[np.ndarray, int]:
    """Whole-number codes 0..k-1 of a column's values, and k."""
    if series.dtype.kind in "iu":
        values = series.to_numpy()
        low, high = int(values.min()), int(values.max())
        if high - low < 2 ** 40:
            return (values - low).astype(np.int64), high - low + 1
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy().astype(np.int64), len(series.cat.categories)
    codes, uniques = pd.factorize(series, sort=False)
    return codes.astype(np.int64), len(uniques)


# ------------------------------------------------------------------------- the engine


@dataclass(frozen=True)
class _Links:
    """The contacts sorted by customer (and reason), then start: each linked to the next.

    ``start`` (µs) and ``gap`` (µs to the same customer's next contact about the same reason,
    ``_NO_NEXT`` when there is none) are in that sorted order; ``row`` gives each one's
    position in the caller's DataFrame (None when not asked for); ``tz`` is the time zone of the start times.
    """

    start: np.ndarray
    gap: np.ndarray
    row: np.ndarray | None
    tz: Any


_PARALLEL_SORT_FROM = 1 << 20  # rows; below this one thread sorts as fast


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _sort(key: np.ndarray) -> np.ndarray:
    """``key`` sorted (in place where it can), on every core for a large export.

    numpy sorts on one core and lets go of the GIL while it does, so a large key is cut into
    one slice of values per core at quantiles of a sample (one pass), each slice is sorted in a
    thread, and the slices are laid end to end: no merge is needed. Not stable, so only for
    keys whose equal values need no order among them.
    """
    parts = min(_cores(), 8)
    if parts < 2 or len(key) < _PARALLEL_SORT_FROM:
        key.sort()
        return key
    sample = np.sort(key[:: max(1, len(key) // (1000 * parts))])
    cuts = sample[(np.arange(1, parts) * len(sample)) // parts]
    if parts == 2:
        high = key >= cuts[0]
        slices = [key[~high], key[high]]
    else:
        where = np.searchsorted(cuts, key, side="right")
        slices = [key[where == i] for i in range(parts)]
    with ThreadPoolExecutor(parts) as pool:
        list(pool.map(np.ndarray.sort, slices))
    return np.concatenate(slices)


def _ticks(start: np.ndarray) -> tuple[np.ndarray, int]:
    """Times as whole ticks from the earliest, in the coarsest exact unit (s, ms or µs)."""
    offset = start - start.min()
    for unit in (1_000_000, 1_000):
        if not np.any(offset % unit):
            return offset // unit, unit
    return offset, 1


def _link(contacts: pd.DataFrame, same_reason: bool, rows: bool = True) -> _Links:
    """Sort the contacts once and link each to the same customer's next contact.

    One numpy sort of a packed int64 key puts each customer's contacts together in time order:

    * rows wanted (to group the results by a column) and contacts already in time order (as
      exports come): customer (and reason) in the high bits, the row number in the low bits
      -- the sort gives the rows too;
    * otherwise, customer (and reason) in the high bits and the time in the low bits, in
      whole seconds or milliseconds where the data allow; ``rows=False`` (only counts wanted)
      then needs no more than that sort (the times come out of the key), else a stable
      argsort of the same key;
    * a key that would not fit in 63 bits falls back to ``np.lexsort``.

    A large key is sorted on every core (``_sort``). Ties in time keep the rows' order
    (``rows=True``).
    """
    why = "repeat-contact FCR links each contact to the same customer's next contact"
    customers = _column(contacts, "contacts", "customer_id", why)
    if len(contacts) == 0:
        raise ValueError("contacts has no rows: there is nothing to measure FCR on")
    start, tz = _micros(contacts, "contacts", "start", "every contact needs its start time")
    n = len(start)
    if "end" in contacts.columns:
        finish, _ = _micros(contacts, "contacts", "end", "a contact's end follows its start")
        backwards = finish < start
        if backwards.any():
            row = contacts.index[int(np.flatnonzero(backwards)[0])]
            raise ValueError(f"contacts['end'] at row index {row!r} is before its start: a "
                             "contact ends after it starts. Check the two times of that row")
    group, groups = _codes(customers)
    if same_reason:
        reason = _column(contacts, "contacts", "reason",
                         "same_reason=True links only contacts about the same reason "
                         "(give same_reason=False to link any further contact)")
        reason_codes, reasons = _codes(reason)
        group = group * reasons + reason_codes
        groups *= reasons
    if n < 2:
        return _Links(start, np.full(n, _NO_NEXT, dtype=np.int64), np.arange(n), tz)
    group_bits = int(groups - 1).bit_length()
    row_bits = int(n - 1).bit_length()
    row = None
    if rows and group_bits + row_bits <= 62 and bool(np.all(start[1:] >= start[:-1])):
        key = _sort((group << row_bits) | np.arange(n, dtype=np.int64))
        row = key & ((1 << row_bits) - 1)
        key >>= row_bits
        times = start[row]
    else:
        ticks, unit = _ticks(start)
        tick_bits = int(ticks.max()).bit_length()
        if group_bits + tick_bits <= 62:
            key = (group << tick_bits) | ticks
            if rows:
                row = np.argsort(key, kind="stable")
                key = key[row]
            else:
                key = _sort(key)
            times = (key & ((1 << tick_bits) - 1)) * unit + start.min()
            key >>= tick_bits
        else:  # too wide to pack: sort on two keys
            row = np.lexsort((start, group))
            key = group[row]
            times = start[row]
    gap = np.full(n, _NO_NEXT, dtype=np.int64)
    np.subtract(times[1:], times[:-1], out=gap[:-1], where=key[1:] == key[:-1])
    return _Links(times, gap, row, tz)


def _stop(links: _Links, end: Any) -> int:
    if end is None:
        return int(links.start.max())
    return _end_micros(end, links.tz, int(links.start.min()))


def _flags(links: _Links, window: int, stop: int) -> dict[str, np.ndarray]:
    """resolved / counted / censored for every contact, in the links' sorted order."""
    censored = links.start > stop - window
    counted = ~censored
    return dict(resolved=counted & (links.gap > window), counted=counted, censored=censored)


def wilson_interval(resolved, counted, confidence=0.95):
    """The Wilson score interval of a share ``resolved / counted``.

    Better than the textbook "p ± 1.96 sqrt(p(1 - p)/n)" for shares near 0 or 1 and for small
    counts: it never leaves 0..1 and is not zero-width at 0 or 1.

    Parameters
    ----------
    resolved : int or array_like
        Successes, 0 up to ``counted``.
    counted : int or array_like
        Trials, more than 0.
    confidence : float, default 0.95
        Confidence level, above 0 and below 1.

    Returns
    -------
    (low, high) : floats, or numpy arrays for arrays

    Examples
    --------
    Wilson's interval for 7 out of 10:

    >>> low, high = wilson_interval(7, 10)
    >>> round(low, 4), round(high, 4)
    (0.3968, 0.8922)
    """
    k = _inputs.number("resolved", resolved, low=0, whole=True,
                       allowed="a whole number of contacts, 0 or more")
    n = _inputs.number("counted", counted, low=0, low_open=True, whole=True,
                       allowed="a whole number of contacts, more than 0")
    level = _inputs.number("confidence", confidence, low=0, low_open=True, high=1,
                           high_open=True, allowed="a fraction above 0 and below 1, e.g. 0.95")
    k, n = _inputs.broadcast(resolved=k, counted=n)
    if (k > n).any():
        raise ValueError("resolved cannot be more than counted")
    low, high = _wilson(k, n, float(special.ndtri(0.5 + float(level) / 2)))
    scalar = _inputs.is_scalar(resolved, counted)
    return _inputs.plain(low, scalar), _inputs.plain(high, scalar)


def _wilson(k: np.ndarray, n: np.ndarray, z: float = _Z95) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z * np.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    return centre - half, centre + half


def _summary(counts: pd.DataFrame) -> pd.DataFrame:
    """fcr and the Wilson interval from the resolved/counted/censored counts."""
    k = counts["resolved"].to_numpy(dtype=float)
    n = counts["counted"].to_numpy(dtype=float)
    low, high = _wilson(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = k / n
    out = counts[["resolved", "counted", "censored"]].astype(np.int64)
    out.insert(0, "fcr", share)
    out["ci_low"], out["ci_high"] = low, high
    if "invited" in counts.columns:  # survey FCR
        invited = counts["invited"].to_numpy(dtype=np.int64)
        out["response_rate"] = counts["counted"].to_numpy(dtype=float) / invited
        out["invited"] = invited
    return out


def _one(counts: pd.DataFrame, what: str) -> dict[str, Any]:
    row = _summary(counts).iloc[0]
    if row["counted"] == 0:
        raise ValueError(f"no contact could be counted for {what}: there is nothing to "
                         "measure FCR on")
    return dict(fcr=float(row["fcr"]), resolved=int(row["resolved"]),
                counted=int(row["counted"]), censored=int(row["censored"]),
                ci_low=float(row["ci_low"]), ci_high=float(row["ci_high"]))


def _grouped(flags: dict[str, np.ndarray], frame: pd.DataFrame, by: Any, name: str,
             row: np.ndarray | None = None) -> pd.DataFrame:
    """Sum each flag by the ``by`` groups of ``frame``: one row per group present.

    ``row`` maps flags given in another order (the links' sort) back to the frame's rows.
    """
    columns = _labels(by, frame, name)
    codes = np.zeros(len(frame), dtype=np.int64)
    levels, size = [], 1
    for column in columns:
        column_codes, uniques = pd.factorize(frame[column], sort=True)
        codes = codes * len(uniques) + column_codes
        size *= len(uniques)
        levels.append(uniques)
    if size >= 2 ** 62:
        raise ValueError(f"by={by!r} makes too many groups to count; group by fewer columns")
    if row is not None:  # put the flags back in the frame's order: a byte per row moves
        bits = np.zeros(len(row), dtype=np.uint8)
        for i, flag in enumerate(flags.values()):
            bits |= np.asarray(flag, dtype=bool).view(np.uint8) << i
        back = np.empty_like(bits)
        back[row] = bits
        flags = {k: ((back >> i) & 1).view(bool) for i, k in enumerate(flags)}
    if size <= 4 * len(codes) + 1024:  # a count per possible group
        used = np.flatnonzero(np.bincount(codes, minlength=size))
        dense = np.full(size, -1, dtype=np.int64)
        dense[used] = np.arange(len(used))
        inverse = dense[codes]
    else:  # many possible groups (e.g. by customer and agent): count the ones present
        used, inverse = np.unique(codes, return_inverse=True)
    counts = {k: np.bincount(inverse[np.asarray(v, dtype=bool)], minlength=len(used))
              for k, v in flags.items()}
    where = np.unravel_index(used, [len(level) for level in levels])
    arrays = [level.take(at) for level, at in zip(levels, where)]
    index = (pd.Index(arrays[0], name=columns[0]) if len(columns) == 1
             else pd.MultiIndex.from_arrays(arrays, names=columns))
    return _summary(pd.DataFrame(counts, index=index))


def _boolean(frame: pd.DataFrame, name: str, column: str, why: str) -> np.ndarray:
    series = _column(frame, name, column, why)
    if series.dtype == bool or str(series.dtype) == "boolean":
        return series.to_numpy(dtype=bool)
    ok = series.isin([True, False, 0, 1]).to_numpy()
    if not ok.all():
        first = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"{name}[{column!r}] at row index {frame.index[first]!r} is "
                         f"{series.iloc[first]!r}: {why}, so it must be True or False")
    return series.astype(bool).to_numpy()


# ------------------------------------------------------------------------- the measures


def repeat_contact_fcr(contacts, *, window_days=7, same_reason=True, by=None, end=None):
    """FCR by repeat contacts: the share of contacts after which the customer did not come back.

    A contact counts as **resolved at first contact** when the same customer (``customer_id``)
    makes no further contact -- about the same ``reason`` when ``same_reason`` -- within
    ``window_days`` after its start: a further contact whose start is at most ``window_days``
    x 24 hours after this one's start is a repeat, and this contact was not resolved. Every
    contact is judged, repeats too. A repeat may come through any channel.

    A contact whose window runs past ``end`` (start + window later than ``end``) is
    **censored**: nobody can yet tell whether its customer will come back, so it is left out
    of both counts and counted in ``censored``. Counting it as resolved would flatter the last
    days of the data.

    Contacts may come in any order: they are sorted by customer, reason and start (never
    linked in the order given). Rows with the same start keep their order.

    Parameters
    ----------
    contacts : pandas.DataFrame
        One row per contact, with ``customer_id``, ``start`` (datetimes, or ISO 8601 text),
        ``reason`` when ``same_reason``, and the ``by`` columns. An ``end`` column, if there
        is one, is checked not to be before ``start``.
    window_days : float, default 7
        Days after a contact's start within which a further contact is a repeat.
    same_reason : bool, default True
        Only a further contact about the same reason is a repeat. False: any further contact
        of the customer is (a new, unrelated issue then looks like a repeat).
    by : str or list of str, optional
        Column(s) to group by, e.g. ``"team"`` or ``["team", "reason"]``: the team of the
        contact being judged, not of its repeat.
    end : datetime or str, optional
        When the data stop. Default: the latest contact start in ``contacts``.

    Returns
    -------
    FCRResult, or pandas.DataFrame with ``by``
        ``fcr``, ``resolved``, ``counted``, ``censored``, ``ci_low``, ``ci_high`` (95% Wilson
        interval); with ``by`` a DataFrame with these columns and one row per group (indexed
        by the group; a group whose contacts are all censored has ``fcr`` NaN).

    Raises
    ------
    ValueError
        A missing column, an empty ``customer_id`` / ``start`` / ``reason`` / ``by`` value, a
        start that is not a date and time, an ``end`` before its ``start``, a window that is
        not a positive number of days, or nothing left to count: the message names the
        column and the row.

    Examples
    --------
    Customer 1 calls twice, two days apart, about a card; customer 2 once. The data end on
    30 September, so the window of 7 days fits after the first three contacts only:

    >>> import pandas as pd
    >>> contacts = pd.DataFrame({
    ...     "customer_id": [1, 1, 2, 3],
    ...     "reason": ["card", "card", "billing", "card"],
    ...     "start": pd.to_datetime(["2025-09-01 09:00", "2025-09-03 10:00",
    ...                              "2025-09-02 11:00", "2025-09-30 12:00"]),
    ... })
    >>> r = repeat_contact_fcr(contacts)
    >>> r.resolved, r.counted, r.censored, round(r.fcr, 3)
    (2, 3, 1, 0.667)

    The first contact came back; the second and customer 2's did not; customer 3's is
    censored.
    """
    contacts = _frame(contacts, "contacts")
    window = _window(window_days)
    links = _link(contacts, _flag(same_reason, "same_reason"), rows=by is not None)
    if len(links.start) == 0:
        raise ValueError("contacts has no rows: there is nothing to measure FCR on")
    flags = _flags(links, window, _stop(links, end))
    if by is not None:
        return _grouped(flags, contacts, by, "contacts", links.row)
    counts = pd.DataFrame({k: [int(v.sum())] for k, v in flags.items()})
    return FCRResult(**_one(counts, f"a window of {window_days} days (every contact is "
                                    "censored: the window is longer than the data)"))


def repeat_status(contacts, *, window_days=7, same_reason=True, end=None):
    """What :func:`repeat_contact_fcr` decided for each contact: resolved, repeated or censored.

    Takes the same arguments and the same definitions; returns them contact by contact, to
    compare with other columns (the agent's tick, the team, ...).

    Returns
    -------
    pandas.Series
        A categorical Series aligned with ``contacts`` (same index), named ``repeat_status``:
        ``"resolved"`` (no repeat within the window), ``"repeated"`` (the customer came back
        within the window) or ``"censored"`` (the window runs past the end of the data).

    Examples
    --------
    >>> import pandas as pd
    >>> contacts = pd.DataFrame({
    ...     "customer_id": [1, 1, 2],
    ...     "reason": ["card", "card", "card"],
    ...     "start": pd.to_datetime(["2025-09-01", "2025-09-03", "2025-09-30"]),
    ... })
    >>> repeat_status(contacts).tolist()
    ['repeated', 'resolved', 'censored']
    """
    contacts = _frame(contacts, "contacts")
    window = _window(window_days)
    links = _link(contacts, _flag(same_reason, "same_reason"))
    status = np.zeros(len(links.start), dtype=np.int8)  # resolved
    if len(status):
        flags = _flags(links, window, _stop(links, end))
        sorted_status = np.where(flags["censored"], 2, np.where(flags["resolved"], 0, 1))
        status[links.row] = sorted_status
    labels = pd.Categorical.from_codes(status, ["resolved", "repeated", "censored"])
    return pd.Series(labels, index=contacts.index, name="repeat_status")


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def agent_fcr(contacts, *, by=None):
    """FCR by the agent's tick: the share of contacts the agent recorded as resolved.

    The agent ticks "resolved" when the contact ends and cannot see the customer come back,
    so this measure runs far above the others (and it is the easiest to game).

    Parameters
    ----------
    contacts : pandas.DataFrame
        One row per contact with ``resolved_by_agent`` (True or False) and the ``by`` columns.
    by : str or list of str, optional
        Column(s) to group by, e.g. ``"team"``.

    Returns
    -------
    FCRResult, or pandas.DataFrame with ``by``
        As :func:`repeat_contact_fcr`; ``censored`` is always 0.

    Examples
    --------
    >>> import pandas as pd
    >>> r = agent_fcr(pd.DataFrame({"resolved_by_agent": [True, True, True, False]}))
    >>> r.fcr, r.resolved, r.counted
    (0.75, 3, 4)
    """
    contacts = _frame(contacts, "contacts")
    ticked = _boolean(contacts, "contacts", "resolved_by_agent",
                      "it is the agent's 'resolved' tick")
    flags = dict(resolved=ticked, counted=np.ones(len(ticked), dtype=bool),
                 censored=np.zeros(len(ticked), dtype=bool))
    if by is not None:
        return _grouped(flags, contacts, by, "contacts")
    counts = pd.DataFrame({k: [int(v.sum())] for k, v in flags.items()})
    return FCRResult(**_one(counts, "agent_fcr (contacts has no rows)"))


def survey_fcr(survey, *, by=None, contacts=None):
    """FCR by the customer survey: the share of respondents who said their issue was resolved.

    Counted are the invitations whose "was your issue resolved?" was answered ('yes' or
    'no'); the others did not respond and are left out, so ``fcr`` is a share of
    *respondents*, not of the customers invited. ``response_rate`` says how many that is.

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per invitation with ``resolved_said`` ('yes', 'no', or empty when the customer
        did not answer); ``contact_id`` to link to ``contacts``.
    by : str or list of str, optional
        Column(s) to group by: of ``survey``, or of ``contacts`` when ``contacts`` is given
        (e.g. ``"team"``, ``"channel"``), linked by ``contact_id``.
    contacts : pandas.DataFrame, optional
        The contacts the survey is about, one row per ``contact_id``; needed only to group by
        one of their columns.

    Returns
    -------
    SurveyFCRResult, or pandas.DataFrame with ``by``
        As :func:`repeat_contact_fcr` (``counted`` = respondents, ``censored`` = 0), plus
        ``response_rate`` (respondents / invitations) and ``invited``.

    Examples
    --------
    Five invitations, two answers:

    >>> import pandas as pd
    >>> survey = pd.DataFrame({"contact_id": [1, 2, 3, 4, 5],
    ...                        "resolved_said": ["yes", None, "no", None, None]})
    >>> r = survey_fcr(survey)
    >>> r.fcr, r.counted, r.invited, r.response_rate
    (0.5, 2, 5, 0.4)
    """
    survey = _frame(survey, "survey")
    if "resolved_said" not in survey.columns:
        raise ValueError("survey has no column 'resolved_said': the customer's answer to 'was "
                         "your issue resolved?' ('yes', 'no', or empty). Its columns are "
                         f"{', '.join(map(str, survey.columns))}")
    said = survey["resolved_said"]
    text = said.astype("string").str.strip().str.lower()
    answered = said.notna().to_numpy()
    ok = ~answered | text.isin(["yes", "no"]).fillna(False).to_numpy(dtype=bool)
    if not ok.all():
        first = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"survey['resolved_said'] at row index {survey.index[first]!r} is "
                         f"{said.iloc[first]!r}: the answer must be 'yes', 'no', or empty when "
                         "the customer did not answer")
    yes = answered & (text == "yes").fillna(False).to_numpy(dtype=bool)
    flags = dict(resolved=yes, counted=answered, censored=np.zeros(len(said), dtype=bool),
                 invited=np.ones(len(said), dtype=bool))
    if by is not None:
        frame = _survey_groups(survey, by, contacts)
        return _grouped(flags, frame, by, "survey")
    if not answered.any():
        raise ValueError("no invitation in survey was answered: survey FCR needs respondents")
    counts = pd.DataFrame({k: [int(v.sum())] for k, v in flags.items()})
    invited = len(said)
    return SurveyFCRResult(**_one(counts, "survey_fcr"), response_rate=int(answered.sum()) / invited,
                           invited=invited)


def _survey_groups(survey: pd.DataFrame, by: Any, contacts: Any) -> pd.DataFrame:
    """survey with the ``by`` columns, taken from ``contacts`` where survey lacks them."""
    columns = [by] if isinstance(by, str) else list(by)
    missing = [c for c in columns if c not in survey.columns]
    if not missing:
        return survey
    if contacts is None:
        raise ValueError(f"survey has no column {missing[0]!r} to group by: give contacts=... "
                         "to group by a column of the contacts the survey is about")
    contacts = _frame(contacts, "contacts")
    ids = _column(survey, "survey", "contact_id", "it links each invitation to its contact")
    contact_ids = _column(contacts, "contacts", "contact_id", "it links the survey to contacts")
    repeated = contact_ids.duplicated().to_numpy()
    if repeated.any():
        row = contacts.index[int(np.flatnonzero(repeated)[0])]
        raise ValueError(f"contacts['contact_id'] repeats {contact_ids.loc[row]!r} at row index "
                         f"{row!r}: each contact must be there once to link the survey to it")
    for column in missing:
        _column(contacts, "contacts", column, f"by={column!r} groups the survey by it")
    lookup = contacts.set_index(contact_ids.to_numpy())[missing]
    where = lookup.index.get_indexer(ids.to_numpy())
    if (where < 0).any():
        first = int(np.flatnonzero(where < 0)[0])
        raise ValueError(f"survey['contact_id'] at row index {survey.index[first]!r} is "
                         f"{ids.iloc[first]!r}, which is not in contacts: give the contacts the "
                         "survey is about (no invitation is dropped)")
    frame = survey.copy()
    for column in missing:
        frame[column] = lookup[column].iloc[where].to_numpy()
        if isinstance(contacts[column].dtype, pd.CategoricalDtype):
            frame[column] = pd.Categorical(frame[column], categories=contacts[column].cat.categories)
    return frame


def window_sensitivity(contacts, *, windows=range(1, 31), same_reason=True, by=None, end=None):
    """Repeat-contact FCR for each window length: how much the answer depends on the window.

    The contacts are sorted and linked once; each window is then a count. A short window
    misses repeats that come later (FCR looks better); a long one counts unrelated new
    contacts as repeats and censors more of the end of the data.

    Parameters
    ----------
    contacts : pandas.DataFrame
        As for :func:`repeat_contact_fcr`.
    windows : iterable of float, default range(1, 31)
        Window lengths in days, each more than 0.
    same_reason : bool, default True
        As for :func:`repeat_contact_fcr`.
    by : str or list of str, optional
        Column(s) to group by: one row per window and group.
    end : datetime or str, optional
        When the data stop; default the latest contact start.

    Returns
    -------
    pandas.DataFrame
        One row per window (and group): ``window_days``, the ``by`` columns, ``fcr``,
        ``censored``, ``resolved``, ``counted``, ``ci_low``, ``ci_high``. Each row equals
        :func:`repeat_contact_fcr` with that window.

    Examples
    --------
    >>> import pandas as pd
    >>> contacts = pd.DataFrame({
    ...     "customer_id": [1, 1, 2],
    ...     "reason": ["card", "card", "card"],
    ...     "start": pd.to_datetime(["2025-09-01", "2025-09-04", "2025-09-30"]),
    ... })
    >>> window_sensitivity(contacts, windows=[2, 3])[["window_days", "fcr", "censored"]]
       window_days  fcr  censored
    0            2  1.0         1
    1            3  0.5         1
    """
    contacts = _frame(contacts, "contacts")
    same_reason = _flag(same_reason, "same_reason")
    days = list(windows) if isinstance(windows, Iterable) else [windows]
    if not days:
        raise ValueError("windows must hold at least one number of days, e.g. range(1, 31)")
    micros = [_window(d, "windows") for d in days]
    links = _link(contacts, same_reason, rows=by is not None)
    if len(links.start) == 0:
        raise ValueError("contacts has no rows: there is nothing to measure FCR on")
    stop = _stop(links, end)
    rows = []
    for d, window in zip(days, micros):
        flags = _flags(links, window, stop)
        if by is None:
            table = _summary(pd.DataFrame({k: [int(v.sum())] for k, v in flags.items()}))
        else:
            table = _grouped(flags, contacts, by, "contacts", links.row).reset_index()
        table.insert(0, "window_days", d)
        rows.append(table)
    out = pd.concat(rows, ignore_index=True)
    front = ["window_days"] + ([] if by is None else _labels(by, contacts, "contacts"))
    return out[front + ["fcr", "censored", "resolved", "counted", "ci_low", "ci_high"]]


def contacts_per_issue(contacts, *, method=None, window_days=7, same_reason=True):
    """Contacts the average issue takes: 1 when every issue is resolved at the first contact.

    Measured, not modelled: from ``issue_id`` where the data has it (contacts / distinct
    issues), else by linking repeats into chains: a contact starts a new issue unless the same
    customer contacted (about the same reason) within ``window_days`` before it.

    Issues still open when the data end have not had all their contacts yet, so the measure
    runs slightly low near the end of an export; compare it with 1 / FCR, the geometric model
    (see :func:`fcr_value`).

    Parameters
    ----------
    contacts : pandas.DataFrame
        One row per contact; ``issue_id``, or for chains ``customer_id``, ``start`` (and
        ``reason`` when ``same_reason``).
    method : {"issue_id", "chains"}, optional
        Force one way; default ``"issue_id"`` when the column exists, else ``"chains"``.
    window_days : float, default 7
        For chains: the longest gap, in days, that links a contact to the one before.
    same_reason : bool, default True
        For chains: link only contacts about the same reason.

    Returns
    -------
    float
        Contacts per issue, 1 or more.

    Examples
    --------
    >>> import pandas as pd
    >>> contacts_per_issue(pd.DataFrame({"issue_id": [1, 1, 2, 3]}))
    1.3333333333333333
    >>> contacts = pd.DataFrame({"customer_id": [1, 1, 1], "reason": ["card"] * 3,
    ...     "start": pd.to_datetime(["2025-09-01", "2025-09-03", "2025-09-20"])})
    >>> contacts_per_issue(contacts)
    1.5
    """
    contacts = _frame(contacts, "contacts")
    if method is None:
        method = "issue_id" if "issue_id" in contacts.columns else "chains"
    if method not in ("issue_id", "chains"):
        raise ValueError(f"method must be 'issue_id' or 'chains'; got {method!r}")
    if len(contacts) == 0:
        raise ValueError("contacts has no rows: there is nothing to count")
    if method == "issue_id":
        issues = _column(contacts, "contacts", "issue_id", "it says which issue a contact is "
                         "about (give method='chains' to link repeats instead)")
        return len(contacts) / int(issues.nunique())
    window = _window(window_days)
    links = _link(contacts, _flag(same_reason, "same_reason"), rows=False)
    repeats = int((links.gap <= window).sum())  # each one links a later contact to an earlier one
    return len(contacts) / (len(contacts) - repeats)


def weekly_profile(contacts, *, interval=INTERVAL):
    """Contacts in each interval of an average week: the ``calls`` that :func:`fcr_value` takes.

    Counts the contacts by the day of the week and the interval they start in (local clock
    time), and divides each count by the number of those days in the data (13 Mondays, 12
    Saturdays ...): the average contacts of, say, Monday 10:00-10:30.

    Parameters
    ----------
    contacts : pandas.DataFrame
        One row per contact, with ``start``.
    interval : float, default 1800
        Interval length, seconds; divides a day (1800 for half-hours, 900, 3600 ...).

    Returns
    -------
    pandas.Series
        Average contacts, indexed by ``day`` (Monday ...) and ``time`` (the interval's start,
        "10:00"), in week order; only intervals with a contact in the data are listed.

    Examples
    --------
    >>> import pandas as pd
    >>> contacts = pd.DataFrame({"start": pd.to_datetime(
    ...     ["2025-09-01 10:05", "2025-09-01 10:20", "2025-09-08 10:10", "2025-09-08 11:00"])})
    >>> weekly_profile(contacts)
    day     time
    Monday  10:00    1.5
            11:00    0.5
    Name: contacts, dtype: float64
    """
    contacts = _frame(contacts, "contacts")
    (seconds,), _ = _inputs.check(interval=interval)
    seconds = float(seconds)
    if 86_400 % seconds:
        raise ValueError(f"interval must divide a day into whole intervals (1800, 900, 3600 "
                         f"...); got {_inputs.show(seconds)}")
    start = _column(contacts, "contacts", "start", "every contact needs its start time")
    if not (isinstance(start.dtype, pd.DatetimeTZDtype) or start.dtype.kind == "M"):
        raise ValueError("contacts['start'] must hold dates and times (datetime64) to find each "
                         f"contact's day and interval; it holds {start.dtype}. Convert it first: "
                         "contacts['start'] = pd.to_datetime(contacts['start'])")
    local = start.dt.tz_localize(None) if getattr(start.dtype, "tz", None) is not None else start
    slot = local.dt.floor(pd.Timedelta(seconds=seconds))
    weekday = slot.dt.day_of_week
    days_seen = slot.dt.normalize().groupby(weekday).nunique()
    counts = slot.groupby([weekday, slot.dt.strftime("%H:%M")]).size()
    average = counts / days_seen.reindex(counts.index.get_level_values(0)).to_numpy()
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    average.index = pd.MultiIndex.from_arrays(
        [pd.Categorical([names[d] for d in average.index.get_level_values(0)], categories=names,
                        ordered=True), average.index.get_level_values(1)], names=["day", "time"])
    return average.rename("contacts").astype(float)


# ------------------------------------------------------------------------ what it is worth


@dataclass(frozen=True)
class FCRValue:
    """What a change of FCR is worth per week. Money in the currency of cost_per_agent_hour.

    Attributes
    ----------
    issues : customer issues a week (the same before and after: the change is in how many
        contacts each takes).
    contacts_per_issue_now, contacts_per_issue_new : contacts an issue takes.
    contacts_now, contacts_new, contacts_avoided : contacts a week.
    agents_now, agents_new : agents on the phones the service-level target needs, per
        interval (int for a weekly total spread evenly, array for a profile of intervals).
    paid_hours_now, paid_hours_new, paid_hours_saved : paid hours a week, shrinkage included.
    fte_now, fte_new, fte_saved : those paid hours in full-time people
        (paid hours / hours_per_fte).
    cost_now, cost_new, cost_saved : paid hours x cost_per_agent_hour, a week.
    """

    issues: float
    contacts_per_issue_now: float
    contacts_per_issue_new: float
    contacts_now: float
    contacts_new: float
    contacts_avoided: float
    agents_now: Any
    agents_new: Any
    paid_hours_now: float
    paid_hours_new: float
    paid_hours_saved: float
    fte_now: float
    fte_new: float
    fte_saved: float
    cost_now: float
    cost_new: float
    cost_saved: float

    def to_dict(self) -> dict[str, Any]:
        """The value as a plain dictionary."""
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """A table to read: now, new and the difference for each weekly measure."""
        rows = {
            "contacts per issue": ("contacts_per_issue_now", "contacts_per_issue_new"),
            "contacts a week": ("contacts_now", "contacts_new"),
            "paid hours a week": ("paid_hours_now", "paid_hours_new"),
            "full-time agents (FTE)": ("fte_now", "fte_new"),
            "cost a week": ("cost_now", "cost_new"),
        }
        data = {name: (getattr(self, a), getattr(self, b)) for name, (a, b) in rows.items()}
        table = pd.DataFrame(data, index=["now", "new"]).T
        table["saved"] = table["now"] - table["new"]
        return table


_MODELS = ("geometric", "one_repeat")


def _contacts_per_issue_model(fcr: np.ndarray, model: str) -> np.ndarray:
    return 1.0 / fcr if model == "geometric" else 2.0 - fcr


def fcr_value(*, calls, aht, fcr_now, fcr_new, cost_per_agent_hour, aht_new=None,
              target_service_level=0.8, target_time=20, interval=INTERVAL, open_hours=68.0,
              max_occupancy=1.0, shrinkage=0.0, hours_per_fte=37.5, model="geometric"):
    """What moving FCR from ``fcr_now`` to ``fcr_new`` is worth: contacts, agents, hours, money.

    The issues customers bring stay the same; what changes is how many contacts each takes.
    **The geometric model** (``model="geometric"``, the default): every contact -- first or
    repeat -- resolves the issue with the same chance FCR, independently, and a customer whose
    issue is not resolved comes back until it is. An issue then takes 1 + (1 - FCR) +
    (1 - FCR)^2 + ... = **1 / FCR** contacts on average (1.43 at 70%), so::

        issues = calls x fcr_now        contacts_new = issues / fcr_new

    It assumes one chance for every contact and customers who never give up. Where hard
    issues come back more often than the average (fraud, complaints), the real number is
    higher; where customers give up after a few tries, lower.

    **One repeat at most** (``model="one_repeat"``): an issue not resolved at the first
    contact is always resolved at the second, so it takes **1 + (1 - FCR)** contacts (1.3 at
    70%). That is right only when a repeat never fails -- say, every repeat goes to a
    specialist team that always resolves it. Used without saying so, it understates the
    contacts that unresolved issues cause.

    Contacts become agents with Erlang C (:func:`opsfirst.staffing.agents_required`), per
    interval, for the service-level target; paid hours = agents x hours / (1 - shrinkage);
    cost = paid hours x ``cost_per_agent_hour``. A better FCR usually costs handling time
    (``aht_new``): the saving is then net of it.

    Parameters
    ----------
    calls : float or array_like
        Contacts offered now. One number: contacts a week, spread evenly over ``open_hours``.
        An array: contacts in each interval of one week (e.g. 136 half-hours).
    aht : float
        Average handling time now, seconds.
    fcr_now, fcr_new : float
        FCR now and after the change, fractions above 0 and at most 1 (0.72, not 72).
    cost_per_agent_hour : float
        Loaded cost of one paid agent-hour (pay, employer costs, seat, systems), 0 or more.
    aht_new : float, optional
        Average handling time after the change, seconds; default ``aht``.
    target_service_level, target_time, interval, max_occupancy, shrinkage
        As for :func:`opsfirst.staffing.agents_required` (80/20, 1800-s intervals, no cap,
        no shrinkage by default).
    open_hours : float, default 68
        Hours open a week, for a weekly total (the course's centre: 12 h Monday to Friday and
        8 h on Saturday).
    hours_per_fte : float, default 37.5
        Paid hours of one full-time agent a week.
    model : {"geometric", "one_repeat"}, default "geometric"
        How contacts per issue follow from FCR (above).

    Returns
    -------
    FCRValue
        Weekly figures now and after, and the differences (``.to_frame()`` for a table).

    Examples
    --------
    3,000 contacts a week of 300 s, FCR from 70% to 75%, GBP 27 an hour, 35% shrinkage:

    >>> v = fcr_value(calls=3000, aht=300, fcr_now=0.70, fcr_new=0.75,
    ...               cost_per_agent_hour=27, shrinkage=0.35)
    >>> round(v.contacts_new), round(v.contacts_avoided)
    (2800, 200)
    >>> v.agents_now, v.agents_new
    (6, 6)

    Evenly spread, 200 fewer contacts a week do not free an agent in any half-hour: agents
    come whole. The same change over a profile of busier and quieter half-hours does (pass the
    contacts of each interval as an array).
    """
    if model not in _MODELS:
        raise ValueError(f"model must be 'geometric' (contacts per issue = 1 / FCR) or "
                         f"'one_repeat' (1 + (1 - FCR)); got {model!r}")
    shares = {}
    for name, value in (("fcr_now", fcr_now), ("fcr_new", fcr_new)):
        share = _inputs.number(name, value, low=0, low_open=True, high=1,
                               allowed="a fraction above 0 and at most 1, e.g. 0.72 for 72% "
                               "(not 72)")
        if share.ndim:
            raise ValueError(f"{name} must be one number, e.g. 0.72")
        shares[name] = float(share)
    money = {}
    for name, value, rule in (
            ("cost_per_agent_hour", cost_per_agent_hour,
             dict(low=0, allowed="the cost of one paid agent-hour, 0 or more, e.g. 27")),
            ("open_hours", open_hours,
             dict(low=0, low_open=True, high=168, allowed="the hours open a week, more than 0 "
                  "and at most 168, e.g. 68")),
            ("hours_per_fte", hours_per_fte,
             dict(low=0, low_open=True, allowed="paid hours of a full-time agent a week, more "
                  "than 0, e.g. 37.5"))):
        number = _inputs.number(name, value, **rule)
        if number.ndim:
            raise ValueError(f"{name} must be one number")
        money[name] = float(number)
    (aht_now_v,), _ = _inputs.check(aht=aht)
    (aht_new_v,), _ = _inputs.check(aht=aht if aht_new is None else aht_new)
    if aht_now_v.ndim or aht_new_v.ndim:
        raise ValueError("aht and aht_new must each be one number of seconds")
    (calls_v,), scalar = _inputs.check(calls=calls)
    if calls_v.ndim > 1:
        raise ValueError("calls must be one number (contacts a week) or a list of contacts per "
                         "interval over one week")
    (interval_v, shrinkage_v), _ = _inputs.check(interval=interval, shrinkage=shrinkage)
    hours_each = float(interval_v) / 3600
    if scalar:
        slots = money["open_hours"] / hours_each
        per_interval = np.array([float(calls_v) / slots])
        weight = slots
    else:
        per_interval = calls_v.astype(float)
        weight = 1.0
    now, new = shares["fcr_now"], shares["fcr_new"]
    cpi_now = float(_contacts_per_issue_model(np.float64(now), model))
    cpi_new = float(_contacts_per_issue_model(np.float64(new), model))
    ratio = cpi_new / cpi_now
    common = dict(target_service_level=target_service_level, target_time=target_time,
                  interval=interval, max_occupancy=max_occupancy)
    agents_now = np.atleast_1d(staffing.agents_required(calls=per_interval, aht=float(aht_now_v),
                                                        **common))
    agents_new = np.atleast_1d(staffing.agents_required(calls=per_interval * ratio,
                                                        aht=float(aht_new_v), **common))
    kept = 1.0 - float(shrinkage_v)
    paid_now = float(agents_now.sum()) * weight * hours_each / kept
    paid_new = float(agents_new.sum()) * weight * hours_each / kept
    contacts_now = float(per_interval.sum()) * weight
    contacts_new = contacts_now * ratio
    cost = money["cost_per_agent_hour"]
    fte = money["hours_per_fte"]
    shape = (lambda a: int(a[0])) if scalar else (lambda a: a.astype(np.int64))
    return FCRValue(
        issues=contacts_now / cpi_now,
        contacts_per_issue_now=cpi_now, contacts_per_issue_new=cpi_new,
        contacts_now=contacts_now, contacts_new=contacts_new,
        contacts_avoided=contacts_now - contacts_new,
        agents_now=shape(agents_now), agents_new=shape(agents_new),
        paid_hours_now=paid_now, paid_hours_new=paid_new, paid_hours_saved=paid_now - paid_new,
        fte_now=paid_now / fte, fte_new=paid_new / fte, fte_saved=(paid_now - paid_new) / fte,
        cost_now=paid_now * cost, cost_new=paid_new * cost, cost_saved=(paid_now - paid_new) * cost,
    )


# --------------------------------------------------------------------------- the widget


def _slider_class():
    """The widget's class, built on first use so that importing opsfirst.fcr needs no ipywidgets."""
    import io

    import ipywidgets as widgets
    from matplotlib.figure import Figure

    class _FCRSlider(widgets.VBox):
        """The FCR what-if: sliders for FCR and AHT, a readout and a plot, in a VBox.

        Parts: ``fcr`` (a FloatSlider, the new FCR), ``aht`` (an IntSlider, the new AHT in
        seconds), ``readout`` (an ``ipywidgets.HTML``) and ``plot`` (an ``ipywidgets.Image``).
        ``value`` is the :class:`FCRValue` on show.
        """

        def __init__(self, settings: dict[str, Any], fcr_now: float, aht: float):
            self.settings, self.fcr_now, self.aht_now = settings, fcr_now, aht
            low = max(0.3, math.floor((fcr_now - 0.15) * 100) / 100)
            high = min(1.0, math.ceil((fcr_now + 0.2) * 100) / 100)
            self.fcr = widgets.FloatSlider(
                value=fcr_now, min=low, max=high, step=0.01, description="FCR",
                readout_format=".0%", continuous_update=True,
                layout=widgets.Layout(width="500px"))
            self.aht = widgets.IntSlider(
                value=int(round(aht)), min=int(round(aht * 0.8)), max=int(round(aht * 1.3)),
                step=5, description="AHT (s)", continuous_update=True,
                layout=widgets.Layout(width="500px"))
            self.readout = widgets.HTML()
            self.plot = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
            grid = np.round(np.arange(low, high + 1e-9, 0.01), 2)
            self._grid = grid
            self._build_figure()
            super().__init__(children=[self.fcr, self.aht, self.readout, self.plot])
            self.fcr.observe(self._on_change, names="value")
            self.aht.observe(self._on_change, names="value")
            self._show()

        def __repr__(self) -> str:
            return (f"FCRSlider(fcr_now={self.fcr_now:g}, fcr={self.fcr.value:g}, "
                    f"aht_now={self.aht_now:g}, aht={self.aht.value:g})")

        def _value(self, fcr_new: float, aht_new: float) -> FCRValue:
            return fcr_value(fcr_now=self.fcr_now, fcr_new=fcr_new, aht=self.aht_now,
                             aht_new=aht_new, **self.settings)

        def _build_figure(self) -> None:
            fig = Figure(figsize=(6.4, 3.2), dpi=100)
            fig.subplots_adjust(left=0.12, right=0.97, bottom=0.16, top=0.88)
            ax = fig.add_subplot()
            ax.set_xlabel("FCR (%)")
            ax.set_ylabel("cost a week")
            self._line, = ax.plot([], [], color="tab:blue",
                                  label="at this AHT")
            self._now, = ax.plot([], [], "o", color="tab:gray", label="today")
            self._here, = ax.plot([], [], "o", color="tab:orange", label="your choice")
            ax.legend(loc="upper right", fontsize=8)
            self._figure, self._axes = fig, ax

        def _draw(self, value: FCRValue) -> bytes:
            aht_new = float(self.aht.value)
            costs = [self._value(f, aht_new).cost_new for f in self._grid]
            today = self._value(self.fcr_now, self.aht_now).cost_now
            self._line.set_data(self._grid * 100, costs)
            self._now.set_data([self.fcr_now * 100], [today])
            self._here.set_data([self.fcr.value * 100], [value.cost_new])
            self._axes.relim()
            self._axes.autoscale_view()
            verb = "saves" if value.cost_saved >= 0 else "costs"
            self._axes.set_title(f"FCR {self.fcr.value:.0%} at {aht_new:g} s {verb} "
                                 f"{abs(value.cost_saved):,.0f} a week", fontsize=10)
            buffer = io.BytesIO()
            self._figure.savefig(buffer, format="png", metadata={"Software": None})
            return buffer.getvalue()

        def _show(self) -> None:
            value = self._value(float(self.fcr.value), float(self.aht.value))
            self.value = value

            def span(kind, number, text):
                return (f'<span class="opsfirst-{kind}" data-value="{float(number)!r}">'
                        f'{text}</span>')

            self.readout.value = (
                f"<b>FCR {self.fcr.value:.0%}</b> (today {self.fcr_now:.0%}), AHT "
                f"{self.aht.value:g} s (today {self.aht_now:g} s) &nbsp;|&nbsp; contacts a week "
                f"{span('contacts', value.contacts_new, f'{value.contacts_new:,.0f}')} "
                f"({value.contacts_avoided:+,.0f} avoided) &nbsp;|&nbsp; agents "
                f"{span('fte', value.fte_new, f'{value.fte_new:.1f}')} FTE "
                f"({value.fte_saved:+.1f}) &nbsp;|&nbsp; cost a week "
                f"{span('cost', value.cost_new, f'{value.cost_new:,.0f}')} "
                f"({value.cost_saved:+,.0f} saved)")
            self.plot.value = self._draw(value)

        def _on_change(self, change: dict) -> None:
            self._show()

    _FCRSlider.__name__ = _FCRSlider.__qualname__ = "FCRSlider"
    return _FCRSlider


def fcr_slider(*, calls, aht, fcr_now, cost_per_agent_hour, **settings):
    """An FCR what-if: move FCR (and AHT) and read weekly contacts, agents and cost.

    Two sliders -- the new FCR (from about 15 points below today to 20 above) and the new
    average handling time (80% to 130% of today's) -- and a readout of what
    :func:`fcr_value` says: contacts a week, full-time agents (FTE) and cost a week, each with
    the change from today; the plot shows the weekly cost against FCR at the chosen AHT.

    Parameters
    ----------
    calls, aht, fcr_now, cost_per_agent_hour
        As for :func:`fcr_value`: today's contacts (a week, or per interval), AHT (seconds),
        FCR and the cost of a paid agent-hour.
    **settings
        Any other argument of :func:`fcr_value` (``shrinkage``, ``open_hours``, ...).

    Returns
    -------
    FCRSlider
        An ``ipywidgets.VBox`` (class ``FCRSlider``) with ``fcr``, ``aht``, ``readout``, ``plot`` and ``value``
        (the :class:`FCRValue` on show).

    Examples
    --------
    >>> w = fcr_slider(calls=3000, aht=300, fcr_now=0.7, cost_per_agent_hour=27)
    >>> w.fcr.value = 0.75
    >>> round(w.value.contacts_avoided)
    200
    """
    for name in ("fcr_new", "aht_new"):
        if name in settings:
            raise ValueError(f"{name} is what the slider sets: leave it out")
    settings = dict(settings, calls=calls, cost_per_agent_hour=cost_per_agent_hour)
    fcr_value(aht=aht, fcr_now=fcr_now, fcr_new=fcr_now, **settings)  # checks every argument
    return _slider_class()(settings, float(fcr_now), float(aht))
