"""Check opsfirst.simulation.contacts against the theory of repeat contacts.

With a constant chance p of resolving, the contacts an issue takes are geometric, capped at
``max_contacts``: mean (1 - (1 - p)^m) / p, which is 1 / p without the cap. Return delays are
lognormal with the median asked. Both are checked with 99.9% intervals, not fixed tolerances.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsfirst.simulation import CENTRE_OPENING_HOURS, simulate_repeat_contacts

Z = stats.norm.ppf(0.9995)  # 99.9% two-sided


def first(n, start="2025-09-01 09:00", reason="card", **columns):
    """n first contacts spread over a week, every 7 minutes from ``start``."""
    times = pd.Timestamp(start) + pd.to_timedelta(np.arange(n) * 7, unit="min")
    return pd.DataFrame({"start": times, "reason": reason, **columns})


def per_issue(contacts):
    return contacts.groupby("issue_id").size()


@pytest.mark.parametrize("p, cap", [(0.7, 50), (0.5, 4), (0.9, 2)])
def test_mean_contacts_per_issue_is_one_over_p_capped(p, cap):
    """Check that contacts per issue average (1 - (1-p)^cap) / p, i.e. 1/p when the cap is far."""
    n = 20_000
    counts = per_issue(simulate_repeat_contacts(first(n), p, max_contacts=cap, opening_hours=None,
                                                seed=11))
    expected = (1 - (1 - p) ** cap) / p
    half = Z * counts.std(ddof=1) / math.sqrt(n)
    assert abs(counts.mean() - expected) < half
    assert counts.max() <= cap and counts.min() == 1
    if cap == 50:
        assert abs(counts.mean() - 1 / p) < half


def test_share_reaching_each_contact_is_geometric():
    """Check that the share of issues with a k-th contact is (1 - p)^(k - 1), within 99.9% intervals."""
    n, p = 20_000, 0.6
    contacts = simulate_repeat_contacts(first(n), {"card": p}, opening_hours=None, seed=3)
    reached = contacts["contact_number"].value_counts().sort_index() / n
    for k in (2, 3, 4):
        q = (1 - p) ** (k - 1)
        assert abs(reached[k] - q) < Z * math.sqrt(q * (1 - q) / n)


def test_resolved_flags_the_last_contact_and_repeats_are_numbered_in_time():
    """Check each issue's contacts are numbered 1, 2, ... in time and only the last can be resolved."""
    contacts = simulate_repeat_contacts(first(3000), 0.5, seed=5)
    for _, issue in contacts.groupby("issue_id"):
        assert issue["contact_number"].tolist() == list(range(1, len(issue) + 1))
        assert issue["start"].is_monotonic_increasing
        assert not issue["resolved"].iloc[:-1].any()


def test_the_reason_sets_the_chance_and_a_factor_lowers_it():
    """Check per-reason chances, and that a resolve_factor of 0.5 halves the chance of resolving."""
    n = 20_000
    table = first(n, reason=np.where(np.arange(n) % 2, "fraud", "card"),
                  resolve_factor=np.where(np.arange(n) % 4 < 2, 1.0, 0.5))
    contacts = simulate_repeat_contacts(table, {"card": 0.9, "fraud": 0.6}, max_contacts=1,
                                        opening_hours=None, seed=8)
    rate = contacts.groupby(["reason", "resolve_factor"])["resolved"].mean()
    for (reason, factor), observed in rate.items():
        p = {"card": 0.9, "fraud": 0.6}[reason] * factor
        assert abs(observed - p) < Z * math.sqrt(p * (1 - p) / (n / 4))


def test_return_delays_have_the_median_and_spread_asked():
    """Check return delays (always open): the median asked, and log-delays with the spread asked."""
    contacts = simulate_repeat_contacts(first(20_000), 0.5, return_median_hours=30, return_spread=0.8,
                                        max_contacts=2, opening_hours=None, seed=21)
    pair = contacts.pivot(index="issue_id", columns="contact_number", values="start").dropna()
    hours = ((pair[2] - pair[1]) / pd.Timedelta(hours=1)).to_numpy()
    n = hours.size
    below = (hours <= 30).sum()  # Binomial(n, 1/2) if 30 h is the median
    assert abs(below - n / 2) < Z * math.sqrt(n / 4)
    sd = np.log(hours).std(ddof=1)
    low, high = (math.sqrt(stats.chi2.ppf(q, n - 1) / (n - 1)) for q in (0.0005, 0.9995))
    assert 0.8 * low < sd < 0.8 * high + 1e-3  # + rounding delays to the second


def test_delays_count_from_the_end_of_the_contact():
    """Check that with an ``end`` column, the customer comes back after the end, not the start."""
    table = first(2000)
    table["end"] = table["start"] + pd.Timedelta(hours=5)
    contacts = simulate_repeat_contacts(table, 0.5, return_median_hours=0.5, return_spread=0.1,
                                        max_contacts=2, opening_hours=None, seed=2)
    pair = contacts.pivot(index="issue_id", columns="contact_number", values="start").dropna()
    assert ((pair[2] - pair[1]) > pd.Timedelta(hours=5)).all()


def test_no_return_falls_outside_opening_hours_across_the_clock_change():
    """Check returns land only in opening hours, local time, not on closed days, around 26 October."""
    closed = {dt.date(2025, 10, 27)}
    table = first(5000, start="2025-10-20 08:00")
    table["start"] = table["start"].dt.tz_localize("UTC").dt.tz_convert("Europe/London")
    contacts = simulate_repeat_contacts(table, 0.3, return_median_hours=20, return_spread=1.5,
                                        closed_dates=closed, seed=9)
    back = contacts[contacts["contact_number"] > 1]["start"]
    assert str(back.dt.tz) == "Europe/London" and len(back) > 5000
    hours = back.dt.hour + back.dt.minute / 60
    opening = back.dt.day_of_week.map(lambda d: CENTRE_OPENING_HOURS.get(d, (np.nan, np.nan)))
    first_hour = opening.map(lambda h: h[0])
    last_hour = opening.map(lambda h: h[1])
    assert ((hours >= first_hour) & (hours < last_hour)).all()  # NaN (Sunday) fails
    assert not back.dt.date.isin(list(closed)).any()
    assert (back.dt.date == dt.date(2025, 10, 28)).sum() > 0  # the day after the closed Monday


def test_assign_is_called_for_every_round():
    """Check that ``assign`` sees each round's contacts and its columns reach the result."""
    seen = []

    def assign(contacts):
        seen.append(int(contacts["contact_number"].iloc[0]))
        return contacts.assign(agent=[f"X{k}" for k in contacts["contact_number"]])

    contacts = simulate_repeat_contacts(first(500), 0.5, max_contacts=3, seed=4, assign=assign)
    assert seen == [1, 2, 3]
    assert (contacts["agent"] == "X" + contacts["contact_number"].astype(str)).all()


def test_the_same_seed_gives_the_same_contacts():
    """Check that a seed reproduces the contacts exactly."""
    a = simulate_repeat_contacts(first(1000), 0.6, seed=7)
    b = simulate_repeat_contacts(first(1000), 0.6, seed=7)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("arguments, named", [
    (dict(resolve_probability=1.5), "resolve_probability"),
    (dict(resolve_probability=0), "resolve_probability"),
    (dict(resolve_probability={"fraud": 0.5}), "resolve_probability"),
    (dict(resolve_probability={"card": float("nan")}), "resolve_probability"),
    (dict(return_median_hours=0), "return_median_hours"),
    (dict(return_spread=-1), "return_spread"),
    (dict(max_contacts=0), "max_contacts"),
    (dict(max_contacts=2.5), "max_contacts"),
    (dict(opening_hours={7: (8, 20)}), "opening_hours"),
    (dict(opening_hours={0: (20, 8)}), "opening_hours"),
    (dict(opening_hours={}), "opening_hours"),
    (dict(first_contacts=[1, 2]), "first_contacts"),
    (dict(first_contacts=pd.DataFrame({"start": [pd.Timestamp("2025-09-01")]})), "first_contacts"),
    (dict(first_contacts=first(3, resolve_factor=1.2)), "resolve_factor"),
])
def test_bad_input_names_the_argument(arguments, named):
    """Check that a wrong argument raises a ValueError that names it."""
    call = dict(first_contacts=first(3), resolve_probability=0.7) | arguments
    with pytest.raises(ValueError, match=named):
        simulate_repeat_contacts(**call)
