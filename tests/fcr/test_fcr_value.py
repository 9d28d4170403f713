"""fcr_value: the geometric model against a seeded simulation, staffing against Erlang C
computed here, and the arithmetic of hours and money by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from opsfirst import fcr, staffing


@pytest.mark.parametrize("p", [0.55, 0.72, 0.9])
def test_one_over_fcr_is_what_customers_who_keep_trying_make(p):
    """Check 1 / FCR against 200,000 simulated issues, each contact resolving with chance p
    (geometric), within a 99.9% confidence interval of the simulated mean."""
    rng = np.random.default_rng(2026)
    contacts = rng.geometric(p, size=200_000)
    mean, sem = contacts.mean(), contacts.std(ddof=1) / np.sqrt(contacts.size)
    z = stats.norm.ppf(0.9995)
    model = fcr.fcr_value(calls=1000, aht=300, fcr_now=p, fcr_new=p, cost_per_agent_hour=1)
    assert abs(model.contacts_per_issue_now - mean) < z * sem


def test_one_plus_one_minus_fcr_holds_when_a_repeat_always_resolves():
    """Check the 'one_repeat' model: first contact resolves with chance p, a second always."""
    rng = np.random.default_rng(2026)
    p = 0.7
    contacts = np.where(rng.random(200_000) < p, 1, 2)
    value = fcr.fcr_value(calls=1000, aht=300, fcr_now=p, fcr_new=p, cost_per_agent_hour=1,
                          model="one_repeat")
    sem = contacts.std(ddof=1) / np.sqrt(contacts.size)
    assert value.contacts_per_issue_now == pytest.approx(1.3)
    assert abs(value.contacts_per_issue_now - contacts.mean()) < 4 * sem


def test_contacts_issues_and_money_by_hand():
    """Check a weekly total by hand: 2,720 contacts over 68 h (136 half-hours), 300 s, FCR
    0.68 -> 0.80, GBP 20 an hour, 20% shrinkage, 40-hour FTE.

    | quantity              | now                      | new                           |
    |-----------------------|--------------------------|-------------------------------|
    | issues                | 2720 x 0.68 = 1849.6     | same                          |
    | contacts              | 2720                     | 1849.6 / 0.80 = 2312          |
    | calls per half-hour   | 20                       | 17                            |
    | agents (Erlang C)     | smallest n with SL >= 0.8 at 20 s, below                 |
    | paid hours            | n x 68 / 0.8             |                               |
    """
    value = fcr.fcr_value(calls=2720, aht=300, fcr_now=0.68, fcr_new=0.80, cost_per_agent_hour=20,
                          shrinkage=0.2, hours_per_fte=40)
    assert value.issues == pytest.approx(1849.6)
    assert value.contacts_new == pytest.approx(2312)
    assert value.contacts_avoided == pytest.approx(408)

    def erlang_c_agents(calls):  # written out here: smallest n meeting 80/20
        a = calls * 300 / 1800
        n = int(a) + 1
        while True:
            b = 1.0
            for k in range(1, n + 1):
                b = a * b / (k + a * b)
            c = n * b / (n - a * (1 - b))
            if 1 - c * np.exp(-(n - a) * 20 / 300) >= 0.8:
                return n
            n += 1

    assert (value.agents_now, value.agents_new) == (erlang_c_agents(20), erlang_c_agents(17))
    assert value.paid_hours_now == pytest.approx(value.agents_now * 68 / 0.8)
    assert value.paid_hours_saved == pytest.approx((value.agents_now - value.agents_new) * 68 / 0.8)
    assert value.cost_saved == pytest.approx(value.paid_hours_saved * 20)
    assert value.fte_saved == pytest.approx(value.paid_hours_saved / 40)


def test_a_profile_of_intervals_is_staffed_interval_by_interval():
    profile = np.array([10.0, 40.0, 80.0, 40.0, 10.0])
    value = fcr.fcr_value(calls=profile, aht=300, fcr_now=0.7, fcr_new=0.75, cost_per_agent_hour=27)
    now = staffing.agents_required(calls=profile, aht=300)
    new = staffing.agents_required(calls=profile * 0.7 / 0.75, aht=300)
    assert (value.agents_now == now).all() and (value.agents_new == new).all()
    assert value.paid_hours_saved == pytest.approx((now.sum() - new.sum()) * 0.5)
    assert value.contacts_now == pytest.approx(profile.sum())


def test_a_longer_handle_time_eats_the_saving():
    profile = np.linspace(5.0, 90.0, 136)  # quiet to busy half-hours
    kept = fcr.fcr_value(calls=profile, aht=300, fcr_now=0.7, fcr_new=0.75, cost_per_agent_hour=27)
    slower = fcr.fcr_value(calls=profile, aht=300, aht_new=330, fcr_now=0.7, fcr_new=0.75,
                           cost_per_agent_hour=27)
    assert kept.paid_hours_saved > 0 > slower.paid_hours_saved
    table = slower.to_frame()
    assert list(table.columns) == ["now", "new", "saved"]
    assert table.loc["cost a week", "saved"] == pytest.approx(slower.cost_saved)


@pytest.mark.parametrize("kwargs,words", [
    (dict(fcr_new=72), ["fcr_new", "not 72", "got 72"]),
    (dict(fcr_now=0), ["fcr_now", "above 0"]),
    (dict(model="1+(1-FCR)"), ["model must be", "geometric"]),
    (dict(aht=-5), ["aht", "more than 0"]),
    (dict(cost_per_agent_hour=-1), ["cost_per_agent_hour"]),
    (dict(shrinkage=1.3), ["shrinkage"]),
    (dict(calls=[[1, 2], [3, 4]]), ["calls must be one number"]),
])
def test_bad_arguments_are_named(kwargs, words):
    settings = dict(calls=3000, aht=300, fcr_now=0.7, fcr_new=0.75, cost_per_agent_hour=27)
    with pytest.raises(ValueError) as error:
        fcr.fcr_value(**{**settings, **kwargs})
    for word in words:
        assert word in str(error.value)


def test_the_slider_reads_out_fcr_value():
    import re

    w = fcr.fcr_slider(calls=np.linspace(5.0, 90.0, 136), aht=300, fcr_now=0.70, cost_per_agent_hour=27,
                       shrinkage=0.35)
    assert (w.fcr.value, w.aht.value) == (0.7, 300) and w.value.cost_saved == 0
    w.fcr.value = 0.75
    want = fcr.fcr_value(calls=np.linspace(5.0, 90.0, 136), aht=300, fcr_now=0.70, fcr_new=0.75,
                         cost_per_agent_hour=27, shrinkage=0.35)
    assert w.value.cost_new == pytest.approx(want.cost_new)
    shown = dict(re.findall(r'opsfirst-(\w+)" data-value="([^"]+)"', w.readout.value))
    assert float(shown["cost"]) == pytest.approx(want.cost_new)
    assert float(shown["contacts"]) == pytest.approx(want.contacts_new)
    w.aht.value = 330
    assert w.value.cost_new > want.cost_new
    assert w.plot.value[:4] == b"\x89PNG"
    assert repr(w) == "FCRSlider(fcr_now=0.7, fcr=0.75, aht_now=300, aht=330)"
    with pytest.raises(ValueError, match="fcr_new is what the slider sets"):
        fcr.fcr_slider(calls=3000, aht=300, fcr_now=0.7, cost_per_agent_hour=27, fcr_new=0.8)


def test_weekly_profile_by_hand():
    """Check: Mondays 1 and 8 Sep and Saturday 6 Sep in the data.

    | interval        | contacts | days of that weekday | average |
    |-----------------|----------|----------------------|---------|
    | Monday 10:00    | 3        | 2                    | 1.5     |
    | Monday 10:30    | 1        | 2                    | 0.5     |
    | Saturday 09:00  | 2        | 1                    | 2.0     |
    """
    import pandas as pd

    starts = ["2025-09-01 10:05", "2025-09-01 10:29", "2025-09-08 10:00", "2025-09-08 10:45",
              "2025-09-06 09:10", "2025-09-06 09:20"]
    contacts = pd.DataFrame({"start": pd.to_datetime(starts).tz_localize("Europe/London")})
    profile = fcr.weekly_profile(contacts)
    assert profile.to_dict() == {("Monday", "10:00"): 1.5, ("Monday", "10:30"): 0.5,
                                 ("Saturday", "09:00"): 2.0}
    with pytest.raises(ValueError, match="must hold dates and times"):
        fcr.weekly_profile(pd.DataFrame({"start": starts}))
    with pytest.raises(ValueError, match="interval must divide a day"):
        fcr.weekly_profile(contacts, interval=7 * 60)
