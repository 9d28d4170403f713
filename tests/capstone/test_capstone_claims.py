"""The numbers that lesson 07 and assignment 07 (prompts, model answer, rubric and its marked
examples) state about the shipped data, recomputed.

Where a plain recomputation exists it is written here in pandas, independent of the library:
the weeks' calls, the agents' tick, repeat-contact FCR (sorted and shifted by customer and
reason), failure demand by reason (contact_number above 1), the outbound abandoned-call rate,
cost per resolution, the geometric model's calls avoided, and regression to the mean (a
least-squares line through two months of QA averages). The default forecast, Erlang C, the
cheapest cover and the channel shift have no shortcut here (their own tests check them against
independent references): their figures are read from the library, so that a change to the data
or the library that moves a figure makes this fail and the text cannot go stale. Each figure,
written as the text writes it, must be in the text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_helpers import markdown
from opsfirst import channels, datasets, forecasting, metrics, scheduling, staffing

REPO = Path(__file__).resolve().parents[2]
SLUG = "07-back-to-the-floor"
LONDON = "Europe/London"




def pct(x, digits=1):
    return f"{100 * x:.{digits}f}%"


def assert_in(text, *figures):
    missing = [f for f in figures if f not in text]
    assert not missing, f"not in the text: {missing}"


@pytest.fixture(scope="module")
def lesson():
    return markdown(REPO / "course" / f"{SLUG}.ipynb", keep_quotes=False)


@pytest.fixture(scope="module")
def assignment():
    return markdown(REPO / "solutions" / SLUG / f"{SLUG}.ipynb", keep_quotes=False)


@pytest.fixture(scope="module")
def data():
    return {name: datasets.load(name) for name in
            ("interval_history", "contacts", "qa_scores", "coaching_log", "outbound", "channel_costs",
             "schedule")}


def plan_week(calls, monday):
    """Forecast, AHT, requirement and cheapest cover of one week, as lesson and assignment do."""
    start = pd.Timestamp(monday, tz=LONDON)
    history = calls[calls["interval_start"] < start]
    week = calls[(calls["interval_start"] >= start) & (calls["interval_start"] < start + pd.Timedelta(days=7))]
    recent = history[history["interval_start"] >= start - pd.Timedelta(days=28)]
    # AHT weighted by calls answered, in plain pandas
    aht = (recent["aht_seconds"] * recent["calls_answered"]).sum() / recent["calls_answered"].sum()
    assert np.isclose(aht, metrics.average_handle_time(recent["aht_seconds"], recent["calls_answered"]))
    forecast = forecasting.forecast(history, week["interval_start"])
    required = pd.Series(staffing.agents_required(calls=forecast, aht=aht), index=week["interval_start"])
    plan = scheduling.cover(required, scheduling.shift_options(first_start="08:00", last_start="16:00"))
    actual = week["calls_offered"].to_numpy()
    return dict(week=week, aht=aht, forecast=forecast, required=required, plan=plan,
                wape=np.abs(actual - forecast).sum() / actual.sum())


def week_contacts(contacts, monday):
    start = pd.Timestamp(monday, tz=LONDON)
    return contacts["start"].between(start, start + pd.Timedelta(days=7), inclusive="left")


def repeat_fcr(contacts, in_week, window_days=7):
    """Repeat-contact FCR of the marked contacts, repeats looked for in all: plain pandas."""
    d = contacts.assign(in_week=in_week).sort_values(["customer_id", "reason", "start"], kind="stable")
    gap = d.groupby(["customer_id", "reason"], observed=True)["start"].shift(-1) - d["start"]
    window = pd.Timedelta(days=window_days)
    censored = d["start"] + window > d["start"].max()
    resolved = ~censored & ~(gap <= window)
    return (resolved & d["in_week"]).sum() / (~censored & d["in_week"]).sum(), (censored & d["in_week"]).sum()


def failure(contacts, in_week):
    w = contacts[in_week]
    repeat = w["contact_number"] >= 2
    return w, repeat, repeat.groupby(w["reason"].astype(str)).mean()


def regression(qa, first, second, agents):
    """Change, expected change and the part beyond it, from a least-squares line (numpy)."""
    month = qa["date"].dt.strftime("%Y-%m")
    m = qa.assign(month=month).groupby(["agent", "month"], observed=True)["score"].mean().unstack()
    x, y = m[first], m[second]
    slope, intercept = np.polyfit(x, y, 1)
    sel = x.index.isin(set(agents.astype(str)))
    expected = intercept + slope * x[sel]
    return y[sel].mean() - x[sel].mean(), expected.mean() - x[sel].mean(), y[sel].mean() - expected.mean()


def coached(coaching, month):
    review = coaching[coaching["month_reviewed"] == month]
    return review.loc[review["action"] == "coached", "agent"]


def geometric_saving(forecast, aht, fcr_now, gain=0.05, shrinkage=0.30, cost=27.0):
    """Calls avoided and money saved by the geometric model, Erlang C per half-hour."""
    new = forecast * fcr_now / (fcr_now + gain)
    hours = (staffing.agents_required(calls=forecast, aht=aht).sum()
             - staffing.agents_required(calls=new, aht=aht).sum()) / 2
    return forecast.sum() - new.sum(), hours / (1 - shrinkage), hours / (1 - shrinkage) * cost


# ------------------------------------------------------------------ the lesson: week of 10 November

def test_lesson_plan(lesson, data):
    p = plan_week(data["interval_history"], "2025-11-10")
    week = p["week"]
    assert len(week) == 136
    assert_in(lesson, f"136 half-hours and {week['calls_offered'].sum():,} calls",
              f"missed by {pct(p['wape'])}", f"leave {pct(forecasting.poisson_floor(p['forecast']))}",
              f"Calls took {p['aht']:.1f} seconds", f"needs {p['required'].sum() / 2:,.0f} agent-hours",
              f"{p['plan'].paid_hours:,.0f} paid hours on the phones",
              f"{p['plan'].paid_hours - p['required'].sum() / 2:.0f} more than the requirement",
              f"{p['plan'].paid_hours / 0.7 / 37.5:.1f} full-time people")
    assert round(week["calls_offered"].mean(), -1) == 120  # "about 120 calls a half-hour"
    assert p["plan"].optimal


def test_lesson_fcr_and_failure_demand(lesson, data):
    contacts = data["contacts"]
    in_week = week_contacts(contacts, "2025-11-10")
    fcr_week, censored = repeat_fcr(contacts, in_week)
    assert censored == 0  # "None is censored"
    w, repeat, by_reason = failure(contacts, in_week)
    tick = w["resolved_by_agent"].mean()
    assert round(100 * (tick - fcr_week)) == 22  # "about 22 points"
    others = by_reason.drop(["complaint", "fraud"])
    assert_in(lesson, f"{pct(fcr_week)} of the week's {len(w):,} contacts", f"{pct(tick)}: about 22 points",
              f"complaint contacts ({pct(by_reason['complaint'])})", f"{pct(by_reason['fraud'])} of the fraud",
              f"run at {100 * others.min():.0f}% to {100 * others.max():.0f}%",
              f"{pct(repeat.mean())} of the week's contacts, {repeat.sum():,} of {len(w):,}",
              f"would say {pct(by_reason.mean())}",
              f"the {(w['reason'] == 'complaint').sum()} complaint contacts the weight of the "
              f"{(w['reason'] == 'billing').sum():,} billing ones")
    assert by_reason.idxmax() == "complaint" and round(by_reason["complaint"], 1) == 0.5  # "Half of"
    # the case rounds them
    assert_in(lesson, f"Only {pct(fcr_week)} of our contacts", f"ticked {pct(tick)}",
              f"{100 * by_reason['complaint']:.0f}% of our complaint contacts",
              f"{100 * by_reason['fraud']:.0f}% of our fraud")
    # the try-it solution: FCR of the week by team
    # a contact is judged by its own team; its repeats are looked for among all the contacts
    teams = {t: repeat_fcr(contacts, in_week & (contacts["team"] == t))[0] for t in "ABCD"}
    assert_in(lesson, f"Teams B ({pct(teams['B'])}) and D ({pct(teams['D'])}) trail A ({pct(teams['A'])}) "
                      f"and C ({pct(teams['C'])})")
    assert min(teams["A"], teams["C"]) > max(teams["B"], teams["D"])


def test_lesson_coaching_check(lesson, data):
    change, expected, beyond = regression(data["qa_scores"], "2025-09", "2025-10",
                                          coached(data["coaching_log"], "2025-09"))
    assert change > 8  # "more than eight points"
    assert_in(lesson, f"rose {change:.2f} points", f"expected to rise {expected:.2f}",
              f"The other {beyond:.2f}", f"rose {change:.2f} points in a month")
    assert 0.4 < expected / change < 0.6  # "about half"


def test_lesson_channels(lesson, data):
    t = data["channel_costs"].set_index("channel")
    per_resolution = t["cost_per_contact"] / t["first_contact_resolution"]
    assert per_resolution.idxmin() == "chat" and t["cost_per_contact"].idxmin() == "chat"
    assert_in(lesson, f"£{t.loc['chat', 'cost_per_contact']:.2f} a contact, £{per_resolution['chat']:.2f} a resolved",
              f"£{t.loc['email', 'cost_per_contact']:.2f} a contact but £{per_resolution['email']:.2f}",
              f"only {t.loc['email', 'first_contact_resolution']:.0%} of the time")
    s = channels.channel_shift(data["contacts"], data["channel_costs"], reason="complaint",
                               from_channel="voice", to_channel="chat", share=0.5)
    more = s.loc["total", "contacts_after"] - s.loc["total", "contacts_before"]
    assert_in(lesson, f"£{-s.loc['total', 'cost_change']:.2f} a week less in all, for {more:.2f} more contacts",
              f"save only £{-s.loc['total', 'cost_change']:.0f} a week")


def test_lesson_value_and_case(lesson, data):
    contacts = data["contacts"]
    fcr_week, _ = repeat_fcr(contacts, week_contacts(contacts, "2025-11-10"))
    assert round(fcr_week, 2) == 0.68  # FCR_NOW
    p = plan_week(data["interval_history"], "2025-11-10")
    avoided, paid_hours, money = geometric_saving(p["forecast"], p["aht"], 0.68)
    fte = paid_hours / 37.5
    people = 3 * 37.5 * 27
    assert_in(lesson, f"About {avoided:,.0f} fewer calls a week, {paid_hours:.1f} paid hours, {fte:.1f} full-time "
                      f"agents and £{money:,.1f} a week",
              f"£{people:,.2f} a week at £27", f"took {p['week']['calls_offered'].sum():,} calls",
              f"took {p['required'].sum() / 2:,.0f} agent-hours", f"{p['plan'].paid_hours:,.0f} paid hours of shifts",
              f"and {p['plan'].paid_hours / 0.7 / 37.5:.0f} full-time people",
              f"avoid about {round(avoided, -1):,.0f} calls a week, {fte:.1f} full-time agents and £{money:,.0f} a week",
              f"£{money - people:,.0f} a week more", f"about £{round((money - people) * 52, -3):,.0f} a year",
              f"About {round(avoided, -1):,.0f} calls a week that customers", f"the cost (£{people:,.2f})",
              f"the saving (£{money:,.0f})", f"forecast's {pct(p['wape'])}")


# ------------------------------------------------------------------ the assignment: week of 17 November

def test_assignment_setup_reading(assignment, data):
    calls, contacts = data["interval_history"], data["contacts"]
    p = plan_week(calls, "2025-11-17")
    in_week = week_contacts(contacts, "2025-11-17")
    assert_in(assignment, f"{len(p['week'])} half-hours", f"{in_week.sum():,} contacts with the servicing teams",
              f"{p['aht']:.1f} seconds on average")
    days = p["week"]["interval_start"].dt.day_name().value_counts()
    assert days.drop("Saturday").eq(24).all() and days["Saturday"] == 16  # 08:00-20:00, 09:00-17:00
    assert round(len(contacts) / 13, -2) == 4400  # "about 4,400 contacts a week"
    for monday in ("2025-11-10", "2025-11-17"):  # "about 17,000 calls a week"
        assert 16_500 < plan_week(calls, monday)["week"]["calls_offered"].sum() < 17_500


def test_assignment_scheme_numbers(assignment, data):
    calls, contacts = data["interval_history"], data["contacts"]
    p = plan_week(calls, "2025-11-17")
    in_week = week_contacts(contacts, "2025-11-17")
    fcr_week, censored = repeat_fcr(contacts, in_week)
    w, repeat, by_reason = failure(contacts, in_week)
    avoided, paid_hours, money = geometric_saving(p["forecast"], p["aht"], round(fcr_week, 2))
    change, expected, beyond = regression(data["qa_scores"], "2025-10", "2025-11",
                                          coached(data["coaching_log"], "2025-10"))
    out = data["outbound"]
    ret = out[(out["campaign"] == "retention") & (out["dialled_at"] >= pd.Timestamp("2025-09-29", tz=LONDON))]
    live = ret["outcome"].isin(["live_answer", "right_party_contact", "abandoned"]).sum()
    abandoned = (ret["outcome"] == "abandoned").sum() / live
    t = data["channel_costs"].set_index("channel")
    gap = (t["cost_per_contact"] / t["first_contact_resolution"]).pipe(lambda s: s["email"] - s["chat"])
    s = channels.channel_shift(contacts, data["channel_costs"], reason="complaint", from_channel="email",
                               to_channel="chat", share=0.5)
    assert_in(assignment,
              f"took {p['week']['calls_offered'].sum():,} calls in the week", f"forecast WAPE {pct(p['wape'])}",
              f"requirement {p['required'].sum() / 2:,.0f} agent-hours", f"cover {p['plan'].paid_hours:,.0f} paid hours",
              f"{p['plan'].paid_hours / 0.7 / 37.5:.1f} FTE at 30% shrinkage",
              f"FCR of the week {pct(fcr_week)}", f"{censored} contacts censored", f"tick {pct(w['resolved_by_agent'].mean())}",
              f"failure demand {pct(repeat.mean())} of the week's contacts ({repeat.sum():,} of {len(w):,})",
              f"complaints {pct(by_reason['complaint'])} and fraud {pct(by_reason['fraud'])}",
              f"billing {pct(by_reason['billing'])}, card {pct(by_reason['card'])}, payment {pct(by_reason['payment'])}, "
              f"account {pct(by_reason['account'])}",
              f"save {avoided:,.0f} calls, {paid_hours / 37.5:.1f} FTE and £{money:,.0f} a week (£{money * 52:,.0f} a year)",
              f"rose {change:.2f} QA points, {expected:.2f} expected", f"{beyond:.2f} beyond it",
              f"abandons {pct(abandoned)} of live answers", f"costs £{gap:.2f} more by email",
              f"by −£{-s.loc['total', 'cost_change']:.2f} a week")
    band = regression_band(data)
    assert_in(assignment, f"up to {band:.2f}")
    assert change > band  # "just above the range"
    assert round(fcr_week, 2) == 0.68  # FCR_NOW in the setup of question 7
    assert round(change) == 10 and change < 10  # "rose almost ten points"


def regression_band(data):
    """The top of the range six agents reach with no coaching 95% of the time (from the library;
    its interval is checked in tests/bias)."""
    from opsfirst import bias

    qa = data["qa_scores"].assign(month=data["qa_scores"]["date"].dt.strftime("%Y-%m"))
    monthly = qa.pivot_table(index="agent", columns="month", values="score", aggfunc="mean", observed=True)
    check = bias.regression_to_the_mean(monthly["2025-10"], monthly["2025-11"],
                                        selected=coached(data["coaching_log"], "2025-10"))
    return check.groups.loc["selected", "expected_high"]


def test_assignment_model_case_and_examples(assignment, data):
    calls, contacts = data["interval_history"], data["contacts"]
    p = plan_week(calls, "2025-11-17")
    in_week = week_contacts(contacts, "2025-11-17")
    fcr_week, _ = repeat_fcr(contacts, in_week)
    w, repeat, by_reason = failure(contacts, in_week)
    tick = w["resolved_by_agent"].mean()
    avoided, paid_hours, money = geometric_saving(p["forecast"], p["aht"], round(fcr_week, 2))
    people = 3 * 37.5 * 27
    change, expected, _ = regression(data["qa_scores"], "2025-10", "2025-11", coached(data["coaching_log"], "2025-10"))
    t = data["channel_costs"].set_index("channel")
    gap = (t["cost_per_contact"] / t["first_contact_resolution"]).pipe(lambda s: s["email"] - s["chat"])
    s = channels.channel_shift(contacts, data["channel_costs"], reason="complaint", from_channel="email",
                               to_channel="chat", share=0.5)
    out = data["outbound"]
    ret = out[(out["campaign"] == "retention") & (out["dialled_at"] >= pd.Timestamp("2025-09-29", tz=LONDON))]
    abandoned = (ret["outcome"] == "abandoned").sum() / ret["outcome"].isin(
        ["live_answer", "right_party_contact", "abandoned"]).sum()
    assert_in(assignment,
              f"(£{people:,.0f} a week at our loaded cost", f"the voice line took {p['week']['calls_offered'].sum():,}",
              f"({pct(p['wape'])} off", f"{p['required'].sum() / 2:,.0f} agent-hours on the phones",
              f"({p['plan'].paid_hours:,.0f} paid hours)", f"and {p['plan'].paid_hours / 0.7 / 37.5:.0f} full-time people",
              f"Only {pct(fcr_week)} of the week's contacts", f"ticked {pct(tick)} as resolved",
              f"{100 * repeat.mean():.0f}% of all our contacts", f"avoid about {round(avoided, -1):,.0f} calls a week",
              f"{paid_hours / 37.5:.1f} full-time agents and £{money:,.0f} a week",
              f"£{money - people:,.0f} a week more", f"about £{round((money - people) * 52, -3):,.0f} a year",
              f"About {round(avoided, -1):,.0f} fewer calls", f"£{-s.loc['total', 'cost_change']:.0f} a week cheaper",
              f"costs £{gap:.2f} more by email", f"{100 * by_reason['complaint']:.0f}% of our complaint contacts",
              f"{100 * by_reason['fraud']:.0f}% of our fraud", f"abandons {pct(abandoned)} of the calls",
              f"rose {change:.1f} points, but {expected:.1f} of that",
              # the rubric's marked examples
              f"within 7 days is {100 * fcr_week:.0f}%", f"tick {100 * tick:.0f}% of contacts",
              f"({100 * repeat.mean():.0f}%) were repeats", f"save {paid_hours / 37.5:.1f} FTE and £{money:,.0f} a week",
              f"about {round(avoided, -2):,.0f} calls a week", f"resolved {100 * tick:.0f}% of calls")
    assert round(change) == 10  # "almost ten points", "by ten points"


def test_complaints_resolve_less_often_by_chat_than_by_phone(lesson, data):
    """Lesson section 5: "complaints resolve a little less often by chat than by phone"."""
    contacts = data["contacts"]
    complaint = contacts["reason"] == "complaint"
    by_channel = {ch: repeat_fcr(contacts, complaint & (contacts["channel"] == ch))[0] for ch in ("voice", "chat")}
    assert by_channel["chat"] < by_channel["voice"] < by_channel["chat"] + 0.05
    assert "complaints resolve a little less often by chat than by phone" in lesson


def test_assignment_week_has_censored_contacts(assignment, data):
    """Question 5: "this week has censored contacts: the contact log ends on Friday 28 November, so
    the week's Saturday contacts (22 November) have not had their 7 days yet"."""
    contacts = data["contacts"]
    end = contacts["start"].max()
    assert end.strftime("%A %d %B") == "Friday 28 November"
    assert "the contact log ends on Friday 28 November" in assignment.replace("\n", " ")
    first_censored = contacts.loc[contacts["start"] + pd.Timedelta(days=7) > end, "start"].min()
    assert first_censored.strftime("%A %d %B") == "Saturday 22 November"
    in_week = week_contacts(contacts, "2025-11-17")
    censored = repeat_fcr(contacts, in_week)[1]
    saturday = (in_week & (contacts["start"].dt.tz_convert(LONDON).dt.day_name() == "Saturday")).sum()
    assert censored == saturday > 0
