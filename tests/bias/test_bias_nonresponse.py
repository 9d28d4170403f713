"""Check opsfirst.bias.nonresponse: a hand-worked survey, and two seeded simulations in which the
truth (every invited customer's answer) is known -- one where re-weighting fixes the bias, and
one where it cannot, because the answer itself drives who answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsfirst.bias import nonresponse


def small_survey():
    """Ten customers: chat 4 invited, 3 answered (5, 4, 5); voice 6 invited, 1 answered (2)."""
    return pd.DataFrame({
        "channel": ["chat"] * 4 + ["voice"] * 6,
        "responded": [True, True, True, False, True, False, False, False, False, False],
        "csat": [5, 4, 5, None, 2, None, None, None, None, None],
    })


def test_hand_worked_survey():
    """Check every number of the ten-customer survey, worked by hand.

    Response rates: chat 3/4 = 0.75, voice 1/6 = 0.1667; overall 4/10. Respondents' mean
    (5 + 4 + 5 + 2) / 4 = 4.0; by channel 14/3 = 4.6667 and 2. Re-weighted to the invited mix
    (chat 0.4, voice 0.6): 0.4 x 4.6667 + 0.6 x 2 = 3.0667.
    """
    r = nonresponse(small_survey(), responded="responded", answer="csat", by="channel")
    assert (r.invited, r.responded, r.overall_response_rate) == (10, 4, 0.4)
    assert r.response_rate.to_dict() == pytest.approx({"chat": 0.75, "voice": 1 / 6})
    assert r.respondents_estimate == 4.0
    assert r.reweighted_estimate == pytest.approx(0.4 * 14 / 3 + 0.6 * 2)
    assert r.table.loc["chat", "share_of_respondents"] == 0.75
    assert r.table.loc["voice", "respondents_mean"] == 2.0
    assert "No re-weighting fixes non-response driven by the answer itself" in r.statement
    assert "from 4 to 3.067" in r.statement


def simulated_survey(rng, n=200_000, answer_drives_response=False):
    """Customers with a channel and a CSAT 1-5 that depends on the channel; the truth is kept."""
    channel = rng.choice(["voice", "chat", "email"], n, p=[0.6, 0.3, 0.1])
    latent = 3.9 + np.select([channel == "chat", channel == "email"], [-0.4, -0.8], 0) + rng.normal(0, 1.1, n)
    csat = np.clip(np.round(latent), 1, 5).astype(int)
    if answer_drives_response:  # the U shape of the course's survey data
        chance = pd.Series(csat).map({1: 0.35, 2: 0.15, 3: 0.07, 4: 0.09, 5: 0.25}).to_numpy()
    else:  # only the channel drives who answers
        chance = pd.Series(channel).map({"voice": 0.08, "chat": 0.3, "email": 0.2}).to_numpy()
    responded = rng.random(n) < chance
    return pd.DataFrame({"channel": channel, "responded": responded,
                         "csat": pd.Series(csat, dtype="Int64").where(responded)}), csat.mean()


def test_reweighting_fixes_nonresponse_driven_by_a_known_attribute():
    """Check that when only the channel drives who answers, re-weighting on channel recovers the
    mean of all customers (within 0.02; its standard error here is about 0.005) while the
    respondents' mean is off by more than 0.1."""
    survey, truth = simulated_survey(np.random.default_rng(2026))
    r = nonresponse(survey, responded="responded", answer="csat", by="channel")
    assert abs(r.respondents_estimate - truth) > 0.1
    assert r.reweighted_estimate == pytest.approx(truth, abs=0.02)


def test_reweighting_cannot_fix_nonresponse_driven_by_the_answer():
    """Check that when the answer drives who answers, re-weighting on channel leaves the bias."""
    survey, truth = simulated_survey(np.random.default_rng(2027), answer_drives_response=True)
    r = nonresponse(survey, responded="responded", answer="csat", by="channel")
    assert r.respondents_estimate - truth > 0.1
    assert r.reweighted_estimate - truth > 0.1
    # weighting each answer by 1 / its chance of being given -- known only in a simulation --
    # would recover it, which is how the lesson reads the shipped data
    answered = survey[survey["responded"]]
    weights = 1 / answered["csat"].astype(int).map({1: 0.35, 2: 0.15, 3: 0.07, 4: 0.09, 5: 0.25})
    assert np.average(answered["csat"].astype(float), weights=weights) == pytest.approx(truth, abs=0.02)


def test_several_by_columns_and_a_true_false_answer():
    """Check re-weighting on two columns at once, and a satisfied yes/no answer (its share).

    chat/A: 2 invited, 2 answered, both satisfied; chat/B: 2 invited, 1 answered, satisfied;
    voice/A: 3 invited, 1 answered, not satisfied; voice/B: 3 invited, 1 answered, satisfied.
    Respondents: 4 satisfied of 5 = 0.8. Re-weighted: 0.2 x 1 + 0.2 x 1 + 0.3 x 0 + 0.3 x 1 = 0.7.
    """
    survey = pd.DataFrame({
        "channel": ["chat"] * 4 + ["voice"] * 6,
        "team": ["A", "A", "B", "B", "A", "A", "A", "B", "B", "B"],
        "responded": [True, True, True, False, True, False, False, True, False, False],
        "satisfied": [True, True, True, None, False, None, None, True, None, None],
    })
    r = nonresponse(survey, responded="responded", answer="satisfied", by=["channel", "team"])
    assert r.respondents_estimate == 0.8
    assert r.reweighted_estimate == pytest.approx(0.7)
    assert r.table.index.names == ["channel", "team"] and r.table["invited"].sum() == 10
    assert r.response_rate[("chat", "B")] == 0.5
    assert "Re-weighting on channel, team" in r.statement
    survey.loc[7, "responded"] = False
    with pytest.raises(ValueError, match=r"nobody answered in \['channel', 'team'\] = \('voice', 'B'\) \(3 invited\)"):
        nonresponse(survey, responded="responded", answer="satisfied", by=["channel", "team"])


@pytest.mark.parametrize("change,kwargs,words", [
    ("nobody in voice", {}, ["nobody answered in 'channel' = 'voice'", "Merge"]),
    ("empty answer", {}, ["answer column 'csat' is empty at index 1", "responded"]),
    ("text answer", {}, ["answer column 'csat' must hold numbers"]),
    ("responded text", {}, ["responded column 'responded' must be 0/1 or True/False"]),
    ("by empty", {}, ["by column 'channel' is empty at row 2"]),
    (None, dict(answer="score"), ["answer='score' is not a column", "csat"]),
    (None, dict(by=5), ["by must be a column name"]),
])
def test_refuses_meaningless_input(change, kwargs, words):
    """Check that each bad survey gets a ValueError naming the column, the row or the group."""
    survey = small_survey()
    if change == "nobody in voice":
        survey.loc[4, "responded"] = False
    elif change == "empty answer":
        survey.loc[1, "csat"] = None
    elif change == "text answer":
        survey["csat"] = survey["csat"].astype(object)
        survey.loc[0, "csat"] = "very good"
    elif change == "responded text":
        survey["responded"] = np.where(survey["responded"], "yes", "no")
    elif change == "by empty":
        survey["channel"] = survey["channel"].astype(object)
        survey.loc[2, "channel"] = None
    arguments = dict(responded="responded", answer="csat", by="channel") | kwargs
    with pytest.raises(ValueError) as error:
        nonresponse(survey, **arguments)
    for word in words:
        assert word in str(error.value), str(error.value)
