"""Contacts that do not resolve come back: the repeat-contact process.

A customer with an issue contacts the centre. If the contact truly resolves the issue, that is
the end of it; if not, the customer comes back some hours later, and again, until the issue is
resolved or they give up. First contact resolution (FCR) is the share of issues resolved at the
first contact, and every point of it missed is work the centre makes for itself ("failure
demand"): with a constant chance ``p`` of resolving, an issue takes ``1 / p`` contacts on
average (fewer when the customer gives up after ``max_contacts``).

Units: return delays in hours (they are days rather than seconds apart); times are pandas
timestamps, time-zone aware or not.

How it works. The contacts are resolved round by round: all first contacts, then all second
contacts, and so on. A contact resolves with probability ``resolve_probability[reason]`` times
its ``resolve_factor`` (1 unless given: lower it for a rushed or transferred call). An unresolved
contact, unless it was the last one allowed, brings the customer back after a lognormal delay
counted from the end of the contact; a return that falls outside the opening hours moves to the
next opening, at a random moment in its first hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from .. import _inputs

__all__ = ["simulate_repeat_contacts", "CENTRE_OPENING_HOURS"]

CENTRE_OPENING_HOURS = {0: (8, 20), 1: (8, 20), 2: (8, 20), 3: (8, 20), 4: (8, 20), 5: (9, 17)}
"""Opening hours of the course's centre: weekday (Monday 0) -> (opening hour, closing hour)."""


def _probabilities(resolve_probability, reasons) -> np.ndarray:
    """The chance of resolving each contact from its reason, checked."""
    if isinstance(resolve_probability, Mapping):
        missing = sorted(set(reasons) - set(resolve_probability), key=str)
        if missing:
            raise ValueError(f"resolve_probability has no value for the reason(s) {missing}; "
                             "give one probability per reason in first_contacts['reason']")
        names = list(resolve_probability)
        values = _inputs.number("resolve_probability", [resolve_probability[n] for n in names],
                                low=0, low_open=True, high=1,
                                allowed="a chance above 0 and at most 1 for every reason")
        lookup = dict(zip(names, values))
        return np.array([lookup[r] for r in reasons], dtype=float)
    value = _inputs.number("resolve_probability", resolve_probability, low=0, low_open=True, high=1,
                           allowed="a chance above 0 and at most 1 (or a dict reason -> chance)")
    if value.ndim:
        raise ValueError("resolve_probability must be one number or a dict reason -> chance; "
                         "for a chance per contact use a resolve_factor column")
    return np.full(len(reasons), float(value))


def _next_opening(local, opening_hours, closed_dates, rng):
    """Move naive local times that fall outside opening hours to the next opening.

    A moved time lands at a random moment in the first hour of that opening (or of the whole
    opening, if it is shorter than an hour).
    """
    import pandas as pd

    local = pd.Series(local).reset_index(drop=True)
    days = local.dt.normalize()
    hour = (local - days) / pd.Timedelta(hours=1)
    out = local.copy()
    pending = np.ones(len(local), dtype=bool)
    day = days.copy()
    for step in range(15):  # a closed stretch of up to two weeks is crossed
        weekday = day.dt.day_of_week.to_numpy()
        is_closed = day.dt.date.isin(list(closed_dates)).to_numpy()
        first = np.array([opening_hours.get(w, (np.nan, np.nan))[0] for w in weekday])
        last = np.array([opening_hours.get(w, (np.nan, np.nan))[1] for w in weekday])
        open_day = ~np.isnan(first) & ~is_closed
        if step == 0:
            inside = open_day & (hour >= first).to_numpy() & (hour < last).to_numpy()
            pending &= ~inside
            early = pending & open_day & (hour < first).to_numpy()  # before today's opening
        else:
            early = pending & open_day
        if early.any():
            length = np.minimum(last[early] - first[early], 1.0)
            moved = day[early] + pd.to_timedelta(first[early] + rng.random(early.sum()) * length,
                                                 unit="h")
            out[early] = moved.dt.floor("s")
            pending &= ~early
        if not pending.any():
            return out
        day = day + pd.Timedelta(days=1)
    raise ValueError("opening_hours leave the centre closed for more than two weeks; "
                     "give at least one opening a week")


def simulate_repeat_contacts(first_contacts, resolve_probability, *, return_median_hours=24.0,
                             return_spread=1.0, max_contacts=5, opening_hours=CENTRE_OPENING_HOURS,
                             closed_dates: Iterable[dt.date] = (),
                             assign: Callable | None = None, seed=None):
    """Follow each customer issue from its first contact to resolution: the repeat contacts.

    Parameters
    ----------
    first_contacts : pandas.DataFrame
        One row per issue: its first contact. Needs a ``start`` column (timestamps) and a
        ``reason`` column; may have ``issue_id`` (else the row number is used), ``end``
        (return delays count from it; else from ``start``) and ``resolve_factor``; these two
        belong to one contact and are not carried to the next (``assign`` may set them). Every
        other column (customer, channel ...) is carried to the issue's later contacts.
    resolve_probability : float or dict
        The chance that a contact truly resolves the issue, above 0 and at most 1: one number,
        or one per reason, e.g. ``{"card": 0.8, "complaint": 0.45}``.
    return_median_hours : float, default 24
        Median delay before an unresolved customer comes back, hours, counted from the end of
        the contact (before moving into opening hours).
    return_spread : float, default 1.0
        Spread of the lognormal delay: the standard deviation of its natural logarithm.
        With 1.0, one customer in six comes back 2.7 times sooner than the median or sooner,
        and one in six 2.7 times later or later.
    max_contacts : int, default 5
        The most contacts one issue gets: after the last one the customer gives up, resolved
        or not.
    opening_hours : dict or None
        Weekday (Monday 0 ... Sunday 6) -> (opening hour, closing hour) in local time, e.g.
        ``{0: (8, 20), ..., 5: (9, 17)}``; a day left out is closed. Default: the course's
        centre. None: open around the clock.
    closed_dates : iterable of datetime.date
        Dates the centre is closed although the weekday is open (bank holidays).
    assign : callable, optional
        Called with each round's new contacts (a DataFrame with the carried columns,
        ``issue_id``, ``contact_number`` and ``start``) before they are resolved; returns it
        with columns added or changed -- e.g. the agent who takes each contact, its ``end``,
        or a ``resolve_factor`` (from 0 to 1, multiplying the reason's chance: a rushed call
        resolves less often).
    seed : int or numpy.random.Generator, optional
        Seed for the random numbers; the same seed gives the same contacts.

    Returns
    -------
    pandas.DataFrame
        Every contact, in order of ``start``: the columns of ``first_contacts`` (and those
        ``assign`` added), ``issue_id``, ``contact_number`` (1 for the first contact of the
        issue) and ``resolved`` (True when that contact truly resolved the issue). Return delays
        are whole seconds.

    Examples
    --------
    A thousand card issues, each contact resolving with chance 0.7: about 1 / 0.7 = 1.43
    contacts per issue (1.47 by chance here); an issue that is still open after the fifth
    contact is given up.

    >>> import pandas as pd
    >>> first = pd.DataFrame({"start": pd.Timestamp("2025-09-01 09:00"), "reason": ["card"] * 1000})
    >>> contacts = simulate_repeat_contacts(first, {"card": 0.7}, seed=2026)
    >>> len(contacts), round(len(contacts) / 1000, 2)
    (1467, 1.47)
    >>> contacts["contact_number"].value_counts().sort_index().tolist()
    [1000, 326, 96, 33, 12]
    >>> contacts["start"].dt.hour.between(8, 19).all()  # returns only in opening hours
    np.True_
    """
    import pandas as pd

    if not isinstance(first_contacts, pd.DataFrame):
        raise ValueError("first_contacts must be a pandas DataFrame with columns 'start' and "
                         f"'reason'; got {type(first_contacts).__name__}")
    missing = [c for c in ("start", "reason") if c not in first_contacts.columns]
    if missing:
        raise ValueError(f"first_contacts needs the column(s) {missing}: when each first contact "
                         "started and its reason")
    median = float(_inputs.number("return_median_hours", return_median_hours, low=0, low_open=True,
                                  allowed="the median hours before an unresolved customer "
                                  "comes back, more than 0"))
    spread = float(_inputs.number("return_spread", return_spread, low=0,
                                  allowed="the standard deviation of the log delay, 0 or more, "
                                  "e.g. 1.0"))
    cap = int(_inputs.number("max_contacts", max_contacts, low=1, whole=True,
                             allowed="a whole number of contacts per issue, 1 or more"))
    if opening_hours is not None:
        if not isinstance(opening_hours, Mapping) or not opening_hours:
            raise ValueError("opening_hours must be a dict weekday -> (opening hour, closing hour), "
                             f"or None for always open; got {opening_hours!r}")
        for day, hours in opening_hours.items():
            ok = (day in range(7) and len(hours) == 2 and 0 <= hours[0] < hours[1] <= 24)
            if not ok:
                raise ValueError(f"opening_hours must map weekdays 0-6 (Monday 0) to (opening hour, "
                                 f"closing hour) with 0 <= opening < closing <= 24; got {day!r}: "
                                 f"{hours!r}")
    closed = set(closed_dates)
    _probabilities(resolve_probability, first_contacts["reason"].unique())  # fail early
    rng = np.random.default_rng(seed)

    current = first_contacts.reset_index(drop=True).copy()
    if "issue_id" not in current.columns:
        current["issue_id"] = np.arange(len(current))
    current["contact_number"] = 1
    rounds = []
    for number in range(1, cap + 1):
        if assign is not None:
            current = assign(current)
        p = _probabilities(resolve_probability, current["reason"])
        if "resolve_factor" in current.columns:
            p = p * _inputs.number("resolve_factor", current["resolve_factor"].to_numpy(), low=0,
                                   high=1, allowed="a factor from 0 to 1 for every contact")
        current["resolved"] = rng.random(len(current)) < p
        rounds.append(current)
        back = current[~current["resolved"]]
        if number == cap or back.empty:
            break
        # The customers who were not resolved come back after a lognormal delay.
        ended = back["end"] if "end" in back.columns else back["start"]
        hours = median * np.exp(spread * rng.standard_normal(len(back)))
        returns = ended + pd.to_timedelta(np.round(hours * 3600), unit="s")
        if opening_hours is not None:  # opening hours are local (wall-clock) times
            zone = returns.dt.tz
            local = returns.dt.tz_localize(None) if zone else returns
            local = _next_opening(local, opening_hours, closed, rng)
            returns = local.dt.tz_localize(zone, ambiguous=np.zeros(len(local), dtype=bool),
                                           nonexistent="shift_forward") if zone else local
        drop = [c for c in back.columns if c in ("end", "resolve_factor", "resolved")]
        current = back.drop(columns=drop).reset_index(drop=True)
        current["start"] = returns.to_numpy()
        current["contact_number"] = number + 1
    out = pd.concat(rounds, ignore_index=True)
    return out.sort_values(["start", "issue_id"], kind="stable").reset_index(drop=True)
