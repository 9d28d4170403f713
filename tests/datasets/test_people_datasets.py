"""Check the four people datasets: contacts, survey, qa_scores, coaching_log.

Each regenerates to the shipped values; the figures they are calibrated to are recomputed from
the CSVs (read with plain pandas, so these checks do not depend on the loader); and the story
the lessons tell is really in the data: the AHT target's side effects (module 04), survey
non-response and regression to the mean (module 05).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opsfirst.datasets.builders import coaching_log as log_spec
from opsfirst.datasets.builders import contacts as spec
from opsfirst.datasets.builders import qa_scores as qa_spec
from opsfirst.datasets.builders import survey as survey_spec

ROOT = Path(__file__).resolve().parents[2]
ZONE = spec.TIME_ZONE
CHANGE = pd.Timestamp(spec.CHANGE_DAY, tz=ZONE)
WINDOW = pd.Timedelta(days=7)  # a repeat = the same customer again within 7 days


def read(name, times=(), dates=()):
    table = pd.read_csv(ROOT / "datasets" / f"{name}.csv")
    for column in times:
        table[column] = pd.to_datetime(table[column], utc=True).dt.tz_convert(ZONE)
    for column in dates:
        table[column] = pd.to_datetime(table[column])
    return table


@pytest.fixture(scope="module")
def contacts():
    table = read("contacts", times=("start", "end"))
    # the repeat measure: does the same customer contact again within 7 days?
    by_customer = table.sort_values(["customer_id", "start"])
    gap = by_customer.groupby("customer_id")["start"].shift(-1) - by_customer["start"]
    table["repeat"] = (gap <= WINDOW).reindex(table.index)
    # the truth, from the issue ids: a contact resolved its issue when no later contact followed
    last = table.groupby("issue_id")["contact_number"].transform("max")
    table["truly_resolved"] = table["contact_number"] == last
    table["after"] = table["start"] >= CHANGE
    table["target_team"] = table["team"].isin(spec.TARGET_TEAMS)
    # judge only contacts whose 7-day window (and most repeats) fall inside the data
    table["judged"] = table["start"] < pd.Timestamp(spec.LAST_DAY - dt.timedelta(days=7), tz=ZONE)
    return table


@pytest.fixture(scope="module")
def survey():
    return read("survey", times=("invited_at", "responded_at"))


@pytest.fixture(scope="module")
def qa():
    return read("qa_scores", dates=("date",))


@pytest.fixture(scope="module")
def coaching():
    return read("coaching_log", dates=("date",))


@pytest.fixture(scope="module")
def worked_examples():
    examples = json.loads((ROOT / "tests" / "reference" / "worked_examples.json").read_text())
    return {e["id"]: e for e in examples}


# ------------------------------------------------------------------------------ contacts


def test_contacts_keep_the_calendar_and_their_books(contacts):
    """Check opening hours, the period, end = start + handle, numbering and one customer per issue."""
    c = contacts
    local = c["start"]
    assert local.dt.date.min() == spec.FIRST_DAY and local.dt.date.max() == spec.LAST_DAY
    hours = local.dt.hour + local.dt.minute / 60
    weekday = local.dt.day_of_week
    assert (weekday < 6).all()
    assert hours[weekday < 5].between(8, 20, inclusive="left").all()
    assert hours[weekday == 5].between(9, 17, inclusive="left").all()
    assert ((c["end"] - c["start"]).dt.total_seconds() == c["handle_seconds"]).all()
    assert c["contact_id"].is_unique and c["start"].is_monotonic_increasing
    numbers = c.sort_values("start").groupby("issue_id")["contact_number"]
    assert (numbers.cumcount() + 1 == c.sort_values("start")["contact_number"]).all()
    assert (c.groupby("issue_id")["customer_id"].nunique() == 1).all()
    assert c.groupby("agent")["team"].nunique().eq(1).all() and c["agent"].nunique() == 56
    assert set(c["channel"]) == {"voice", "chat", "email"}
    assert set(c["reason"]) == set(spec.REASONS)


def test_volume_and_channel_mix(contacts):
    """Check ~800 contacts an open day (about 950 on Mondays) and first contacts 70/20/10 by channel."""
    daily = contacts.groupby(contacts["start"].dt.date).size()
    assert 700 < daily.mean() < 900 and daily.max() < 1300
    mix = contacts[contacts["contact_number"] == 1]["channel"].value_counts(normalize=True)
    for channel, share in spec.CHANNELS.items():
        assert mix[channel] == pytest.approx(share, abs=0.01)


def test_fcr_is_about_seventy_percent_before_the_change(contacts, worked_examples):
    """Check FCR by repeat contacts and by issue truth against SQM's ~70% (67-72%), and 1/FCR contacts per issue."""
    before = contacts[contacts["judged"] & ~contacts["after"]]
    by_repeats = 1 - before["repeat"].mean()
    first = before[before["contact_number"] == 1]
    true_fcr = first["truly_resolved"].mean()
    assert 0.67 <= by_repeats <= 0.73 and 0.67 <= true_fcr <= 0.75
    # SQM: contacts per issue = 1 / FCR (1.5 at 67%, 1.2 at 80%); here, issues opened before the change
    assert worked_examples["sqm_fcr_contacts_per_issue"]["exact"]["contacts_per_issue_fcr67"].startswith("1.49")
    issues = contacts[contacts["issue_id"].isin(first["issue_id"])]
    per_issue = len(issues) / first["issue_id"].nunique()
    assert per_issue == pytest.approx(1 / true_fcr, rel=0.03)  # a little under: 5 contacts at most


def test_agents_tick_resolved_far_more_often_than_issues_are_resolved(contacts):
    """Check the agent's flag says ~89% resolved where ~70% truly are (they cannot see the repeat)."""
    judged = contacts[contacts["judged"] & ~contacts["after"]]
    flag, truth = judged["resolved_by_agent"].mean(), judged["truly_resolved"].mean()
    assert flag > truth + 0.15
    # ... and a flagged contact is followed by a repeat almost as often as an unflagged one is not
    repeat_if_flagged = judged[judged["resolved_by_agent"]]["repeat"].mean()
    assert repeat_if_flagged > 0.2


def _before_after(contacts, measure, channel="voice"):
    """measure by (target teams?, after the change?) for one channel's judged contacts."""
    c = contacts[contacts["judged"] & (contacts["channel"] == channel)]
    return c.groupby(["target_team", "after"])[measure].mean()


def test_the_aht_target_cuts_handle_time_and_raises_transfers_in_teams_b_and_d(contacts):
    """Check difference-in-differences on voice: B/D handle time falls ~20%, transfers rise ~8 points; A/C flat."""
    aht = _before_after(contacts, "handle_seconds")
    assert aht[True, True] / aht[True, False] < 0.85
    assert aht[False, True] / aht[False, False] == pytest.approx(1, abs=0.03)
    transfers = _before_after(contacts, "transferred")
    assert transfers[True, True] - transfers[True, False] > 0.06
    assert abs(transfers[False, True] - transfers[False, False]) < 0.01


def test_the_aht_target_lowers_fcr_while_the_agents_flag_barely_moves(contacts):
    """Check B/D voice FCR by repeats falls ~10 points vs A/C, but their 'resolved' ticks move under 2."""
    norepeat = 1 - _before_after(contacts, "repeat")
    fcr_change = (norepeat[True, True] - norepeat[True, False]) - (norepeat[False, True] - norepeat[False, False])
    assert fcr_change < -0.06
    flag = _before_after(contacts, "resolved_by_agent")
    flag_change = (flag[True, True] - flag[True, False]) - (flag[False, True] - flag[False, False])
    assert abs(flag_change) < 0.02
    for channel in ("chat", "email"):  # the target is for voice only
        other = 1 - _before_after(contacts, "repeat", channel)
        assert abs(other[True, True] - other[True, False]) < 0.03


# ------------------------------------------------------------------------------ survey


def test_every_voice_and_chat_contact_is_invited_once(contacts, survey):
    """Check one invitation per voice/chat contact (none for email), after the contact ends."""
    surveyed = contacts[contacts["channel"].isin(survey_spec.SURVEYED)]
    assert survey["contact_id"].is_unique
    assert set(survey["contact_id"]) == set(surveyed["contact_id"])
    end = survey["contact_id"].map(contacts.set_index("contact_id")["end"])
    assert (survey["invited_at"] >= end).all()


def test_non_respondents_stay_with_empty_answers(survey):
    """Check rows of non-respondents are kept with empty answers; answers come after the invitation."""
    answered = survey["responded"]
    for column in ("responded_at", "csat", "resolved_said"):
        assert survey[column].notna().equals(answered)
    assert (survey.loc[answered, "responded_at"] > survey.loc[answered, "invited_at"]).all()
    assert set(survey["csat"].dropna()) == {1, 2, 3, 4, 5}
    assert set(survey["resolved_said"].dropna()) == {"yes", "no"}
    assert 0.10 <= answered.mean() <= 0.20  # assumed response rate


def test_satisfaction_follows_resolution_transfer_and_repeats(contacts, survey):
    """Check respondents' CSAT is higher when truly resolved, lower after a transfer and on repeats."""
    s = survey[survey["responded"]].join(contacts.set_index("contact_id"), on="contact_id")
    by = s.groupby("truly_resolved")["csat"].mean()
    assert by[True] > by[False] + 1
    assert s.groupby("transferred")["csat"].mean().diff().iloc[-1] < -0.3
    assert s[s["contact_number"] == 1]["csat"].mean() > s[s["contact_number"] > 1]["csat"].mean()
    said = s[s["judged"] & (s["contact_number"] == 1)]
    fcr_said = (said["resolved_said"] == "yes").mean()
    assert 0.70 <= fcr_said <= 0.80  # SQM's survey method: 70-79% is "good"


def test_respondents_are_not_the_customers_non_response_bias():
    """Check the U-shaped response: respondents' mean CSAT and top-box share differ from all invited.

    The answers of those who did not respond come from the builder's own simulation
    (``survey.simulate()``: every invited customer's answer), the truth a centre never sees.
    """
    every = survey_spec.simulate()
    shipped = read("survey")
    assert (every["responded"].to_numpy() == shipped["responded"].to_numpy()).all()
    assert (every.loc[every["responded"], "csat_if_asked"].to_numpy()
            == shipped["csat"].dropna().to_numpy()).all()
    rate = every.groupby("csat_if_asked")["responded"].mean()
    assert rate[1] > rate[3] < rate[5]  # the U shape
    all_mean = every["csat_if_asked"].mean()
    respondents_mean = shipped["csat"].mean()
    n = shipped["csat"].notna().sum()
    standard_error = shipped["csat"].std() / np.sqrt(n)
    assert respondents_mean - all_mean > 5 * standard_error  # a bias, not chance: ~+0.16
    top_all = (every["csat_if_asked"] == 5).mean()
    top_respondents = (shipped["csat"] == 5).mean() / shipped["responded"].mean()
    assert top_respondents > top_all + 0.1


# ------------------------------------------------------------------------------ qa and coaching


def test_qa_scores_are_real_voice_calls_of_the_agent(contacts, qa):
    """Check each scored call is a voice contact of that agent, scored 1-3 days later on a weekday, same month."""
    calls = contacts.set_index("contact_id")
    scored = calls.loc[qa["contact_id"]]
    assert (scored["channel"] == "voice").all()
    assert (scored["agent"].to_numpy() == qa["agent"].to_numpy()).all()
    assert (scored["team"].to_numpy() == qa["team"].to_numpy()).all()
    call_day = pd.to_datetime(scored["start"].dt.date.to_numpy())
    lag = (qa["date"].to_numpy() - call_day) / pd.Timedelta(days=1)
    assert ((lag >= 1) & (lag <= 5)).all() and (qa["date"].dt.day_of_week < 5).all()
    assert (qa["date"].dt.month.to_numpy() == call_day.month).all()
    per_month = qa.groupby(["agent", qa["date"].dt.month]).size()
    assert per_month.between(3, 5).all() and len(per_month) == 56 * 3
    assert qa["score"].between(0, 100).all()


def test_a_few_calls_say_little_about_an_agent(qa):
    """Check the calls vary more than the agents: within-agent sd ~10 vs between-agent sd ~5 (assumed)."""
    within = qa.groupby("agent")["score"].std().mean()
    means = qa.groupby("agent")["score"].agg(["mean", "size"])
    between = np.sqrt(means["mean"].var() - within**2 / means["size"].mean())
    assert 8 < within < 12 and 2 < between < 8 and between < within
    monthly = qa.groupby(["agent", qa["date"].dt.month])["score"].mean().unstack()
    # month to month, the agents' averages correlate only about 0.5 (= 25 / (25 + 100 / 4)):
    # half of the spread in one month's ranking is the luck of the calls drawn
    assert 0.3 < monthly.corr().to_numpy()[np.triu_indices(3, 1)].mean() < 0.7


def test_the_log_acts_on_each_months_top_and_bottom_ten_percent(qa, coaching):
    """Check the log's averages are recomputed from qa_scores, and it picks the top and bottom 6 of 56."""
    monthly = qa.groupby([qa["date"].dt.strftime("%Y-%m"), "agent"])["score"].agg(["mean", "size"])
    for (month, action), rows in coaching.groupby(["month_reviewed", "action"]):
        assert len(rows) == round(log_spec.SHARE * 56)
        expected = monthly.loc[month].loc[rows["agent"]]
        assert np.allclose(rows["qa_average"], expected["mean"].round(2), atol=0, rtol=0)
        assert (rows["calls_scored"].to_numpy() == expected["size"].to_numpy()).all()
        others = monthly.loc[month].drop(rows["agent"])["mean"]
        if action == "praised":
            assert rows["qa_average"].min() >= others.max() - 0.005
        else:
            assert rows["qa_average"].max() <= others.min() + 0.005


def test_regression_to_the_mean_though_coaching_does_nothing(qa, coaching):
    """Check next month the praised fall and the coached rise on average, and by no more than their true quality explains."""
    qa = qa.assign(month=qa["date"].dt.strftime("%Y-%m"))
    monthly = qa.groupby(["agent", "month"])["score"].mean()
    following = {"2025-09": "2025-10", "2025-10": "2025-11"}
    change = {}
    for action in ("praised", "coached"):
        rows = coaching[coaching["action"] == action]
        before = np.array([monthly[a, m] for a, m in zip(rows["agent"], rows["month_reviewed"])])
        after = np.array([monthly[a, following[m]] for a, m in zip(rows["agent"], rows["month_reviewed"])])
        change[action] = (after - before).mean()
        # no effect: next month's scores sit on the agents' true quality (the hidden truth)
        quality = rows["agent"].map(spec.agents().set_index("agent")["quality"]).to_numpy()
        next_scores = pd.concat([qa[(qa["agent"] == a) & (qa["month"] == following[m])]["score"]
                                 for a, m in zip(rows["agent"], rows["month_reviewed"])])
        gap = next_scores.mean() - quality.mean()
        assert abs(gap) < 3 * qa_spec.CALL_NOISE / np.sqrt(len(next_scores))
    assert change["praised"] < -2 and change["coached"] > 4
