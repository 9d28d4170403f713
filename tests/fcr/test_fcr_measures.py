"""The agent's tick, the survey, window sensitivity and contacts per issue, against hand-worked
tables and independent recomputation on the shipped data."""

from __future__ import annotations

import pandas as pd
import pytest

from opsfirst import datasets, fcr


@pytest.fixture(scope="module")
def contacts():
    return datasets.load("contacts")


@pytest.fixture(scope="module")
def survey():
    return datasets.load("survey")


def test_agent_fcr_by_hand():
    """Check: team A ticks 2 of 3, team B 1 of 1 -> overall 3/4, censored always 0."""
    contacts = pd.DataFrame({"team": ["A", "A", "A", "B"],
                             "resolved_by_agent": [True, False, True, True]})
    overall = fcr.agent_fcr(contacts)
    assert (overall.fcr, overall.resolved, overall.counted, overall.censored) == (0.75, 3, 4, 0)
    table = fcr.agent_fcr(contacts, by="team")
    assert table["resolved"].tolist() == [2, 1] and table["counted"].tolist() == [3, 1]


def test_agent_fcr_on_the_shipped_contacts(contacts):
    assert fcr.agent_fcr(contacts).fcr == contacts["resolved_by_agent"].mean()


def test_survey_fcr_by_hand_is_a_share_of_respondents():
    """Check: 6 invitations; answers yes, no, yes and three silent.

    | contact | team | resolved_said |
    |---------|------|---------------|
    | 1       | A    | yes           |
    | 2       | A    | (none)        |
    | 3       | A    | no            |
    | 4       | B    | yes           |
    | 5       | B    | (none)        |
    | 6       | B    | (none)        |

    FCR 2/3 of respondents, response rate 3/6; team A 1/2 with rate 2/3, B 1/1 with 1/3.
    Only 2 of the 6 customers invited said 'yes': 2/3 is not a share of customers.
    """
    survey = pd.DataFrame({"contact_id": [1, 2, 3, 4, 5, 6],
                           "resolved_said": ["yes", None, "no", "yes", None, None]})
    contacts = pd.DataFrame({"contact_id": [6, 5, 4, 3, 2, 1], "team": list("BBBAAA")})
    r = fcr.survey_fcr(survey)
    assert (r.fcr, r.resolved, r.counted, r.invited, r.response_rate) == (2 / 3, 2, 3, 6, 0.5)
    table = fcr.survey_fcr(survey, by="team", contacts=contacts)
    assert table["fcr"].tolist() == [0.5, 1.0]
    assert table["response_rate"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert table["invited"].tolist() == [3, 3]


def test_survey_fcr_on_the_shipped_data_by_a_contacts_column(contacts, survey):
    """Check survey FCR by team against a plain merge and groupby."""
    merged = survey.merge(contacts[["contact_id", "team"]], on="contact_id", how="left")
    answered = merged[merged["resolved_said"].notna()]
    want = (answered["resolved_said"] == "yes").groupby(answered["team"], observed=True).mean()
    got = fcr.survey_fcr(survey, by="team", contacts=contacts)
    assert got["fcr"].to_numpy() == pytest.approx(want.to_numpy(), abs=1e-15)
    rate = merged["resolved_said"].notna().groupby(merged["team"], observed=True).mean()
    assert got["response_rate"].to_numpy() == pytest.approx(rate.to_numpy(), abs=1e-15)
    assert got["invited"].sum() == len(survey)


@pytest.mark.parametrize("change,kwargs,words", [
    (lambda s: s.drop(columns="resolved_said"), {}, ["no column 'resolved_said'"]),
    (lambda s: s.assign(resolved_said=["yes", "maybe"]), {}, ["row index 1", "'maybe'", "'yes', 'no'"]),
    (lambda s: s, dict(by="team"), ["no column 'team'", "contacts=..."]),
    (lambda s: s, dict(by="team", contacts=pd.DataFrame({"contact_id": [1], "team": ["A"]})),
     ["survey['contact_id'] at row index 1", "not in contacts", "no invitation is dropped"]),
    (lambda s: s.assign(resolved_said=[None, None]), {}, ["no invitation", "answered"]),
])
def test_bad_survey_data_is_named(change, kwargs, words):
    survey = pd.DataFrame({"contact_id": [1, 2], "resolved_said": ["yes", None]})
    with pytest.raises(ValueError) as error:
        fcr.survey_fcr(change(survey), **kwargs)
    for word in words:
        assert word in str(error.value)


def test_agent_tick_must_be_true_or_false():
    with pytest.raises(ValueError, match=r"row index 1 is 'maybe'.*True or False"):
        fcr.agent_fcr(pd.DataFrame({"resolved_by_agent": [True, "maybe"]}))


def test_window_sensitivity_is_repeat_contact_fcr_window_by_window(contacts):
    """Check every row against a separate repeat_contact_fcr call (overall and by team)."""
    windows = [1, 3, 7, 14, 30]
    table = fcr.window_sensitivity(contacts, windows=windows)
    assert table["window_days"].tolist() == windows
    for _, row in table.iterrows():
        one = fcr.repeat_contact_fcr(contacts, window_days=row["window_days"])
        assert (row["fcr"], row["censored"], row["resolved"]) == (one.fcr, one.censored, one.resolved)
    by_team = fcr.window_sensitivity(contacts, windows=[2, 26], by="team")
    assert list(by_team.columns[:3]) == ["window_days", "team", "fcr"]
    for w in (2, 26):
        want = fcr.repeat_contact_fcr(contacts, window_days=w, by="team")["fcr"].to_numpy()
        assert (by_team[by_team["window_days"] == w]["fcr"].to_numpy() == want).all()


def test_a_longer_window_finds_more_repeats_and_censors_more(contacts):
    table = fcr.window_sensitivity(contacts)
    assert table["censored"].is_monotonic_increasing
    assert table["fcr"].iloc[0] > table["fcr"].iloc[6] > table["fcr"].iloc[-1]


def test_contacts_per_issue_by_hand():
    """Check, measured from issue ids: issues 1 (2 contacts), 2, 3 -> 4 / 3.

    Chains (7 days, same reason), customer 1: 01 Sep -> 03 Sep linked (2 days), 20 Sep a new
    chain (17 days later); customer 2: one contact. 4 contacts, 3 chains -> 4 / 3.
    """
    assert fcr.contacts_per_issue(pd.DataFrame({"issue_id": [1, 1, 2, 3]})) == 4 / 3
    contacts = pd.DataFrame({"customer_id": [1, 1, 1, 2], "reason": ["card"] * 4,
                             "start": pd.to_datetime(["2025-09-01", "2025-09-03", "2025-09-20",
                                                      "2025-09-02"])})
    assert fcr.contacts_per_issue(contacts) == 4 / 3
    assert fcr.contacts_per_issue(contacts, window_days=30) == 4 / 2


def test_contacts_per_issue_on_the_shipped_data(contacts):
    """Check the measured ratio and that chains (which cannot see issue ids) land near it."""
    measured = fcr.contacts_per_issue(contacts)
    assert measured == len(contacts) / contacts["issue_id"].nunique()
    chains = fcr.contacts_per_issue(contacts, method="chains")
    assert abs(chains - measured) < 0.02
    with pytest.raises(ValueError, match="method must be"):
        fcr.contacts_per_issue(contacts, method="guess")
