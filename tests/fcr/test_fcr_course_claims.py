"""The numbers that lesson 04 and assignment 04 state about the shipped data, recomputed.

Each claim is recomputed from the data (with opsfirst.fcr, whose own tests check it against
independent references) and its figure, written as the text writes it, must be in the text.
A change to the data that moved a claim makes this fail, so the text cannot silently go wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opsfirst import datasets, fcr

REPO = Path(__file__).resolve().parents[2]
SLUG = "04-first-contact-resolution"


def markdown(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def lesson():
    return " ".join(markdown(REPO / "course" / f"{SLUG}.ipynb").split())


@pytest.fixture(scope="module")
def assignment():
    return " ".join(markdown(REPO / "solutions" / SLUG / f"{SLUG}.ipynb").split())


@pytest.fixture(scope="module")
def data():
    contacts = datasets.load("contacts")
    survey = datasets.load("survey")
    return contacts, survey


def pct(x, digits=1):
    return f"{100 * x:.{digits}f}%"


def thousands(x):
    return f"{int(round(x)):,}"


def claims(data):
    """(what, the text as written) for every number the two notebooks state about the data."""
    contacts, survey = data
    tick = fcr.agent_fcr(contacts)
    said = fcr.survey_fcr(survey)
    repeat = fcr.repeat_contact_fcr(contacts)
    status = fcr.repeat_status(contacts)
    came_back = status == "repeated"
    truth = (contacts.groupby("issue_id").size() == 1).mean()
    out = [
        ("tick", pct(tick.fcr)), ("ticked", thousands(tick.resolved)), ("contacts", thousands(len(contacts))),
        ("survey", pct(said.fcr)), ("respondents", thousands(said.counted)),
        ("invitations", thousands(said.invited)), ("response rate", pct(said.response_rate)),
        ("repeat", pct(repeat.fcr)), ("resolved", thousands(repeat.resolved)),
        ("counted", thousands(repeat.counted)), ("censored", thousands(repeat.censored)),
        ("truth", pct(truth)), ("came back", thousands(came_back.sum())),
        ("came back ticked", thousands((came_back & contacts["resolved_by_agent"]).sum())),
        ("share ticked", pct((came_back & contacts["resolved_by_agent"]).sum() / came_back.sum())),
        ("invited said yes", pct(said.resolved / said.invited)),
        ("censored as resolved", pct((repeat.resolved + repeat.censored) / (repeat.counted + repeat.censored))),
        ("any reason", pct(fcr.repeat_contact_fcr(contacts, same_reason=False).fcr)),
    ]
    return out


def test_the_lesson_states_what_the_data_says(data, lesson):
    contacts, survey = data
    found = claims(data)
    windows = fcr.window_sensitivity(contacts).set_index("window_days")
    found += [("1 day", pct(windows.loc[1, "fcr"])), ("30 days", pct(windows.loc[30, "fcr"])),
              ("3 days", pct(windows.loc[3, "fcr"])),
              ("30-day censored", thousands(windows.loc[30, "censored"]))]
    assert windows.loc[30, "censored"] > len(contacts) / 3  # "more than a third"
    teams = fcr.repeat_contact_fcr(contacts, by="team")["fcr"]
    found += [(f"team {t}", pct(teams[t])) for t in "ABCD"]
    reasons = fcr.repeat_contact_fcr(contacts, by="reason")["fcr"]
    found += [(r, pct(reasons[r])) for r in ("complaint", "fraud", "card")]
    assert reasons.idxmin() == "complaint" and reasons.idxmax() == "card"
    repeats = contacts["contact_number"] > 1
    found += [("failure demand", thousands(repeats.sum())), ("failure share", pct(repeats.mean())),
              ("naive", pct(1 - contacts["customer_id"].nunique() / len(contacts))),
              ("contacts per issue", f"{fcr.contacts_per_issue(contacts):.3f}")]
    missing = [(what, text) for what, text in found if text not in lesson]
    assert not missing, f"the lesson does not say: {missing}"


def test_the_ranking_of_teams_flips_only_between_a_and_c(data, lesson):
    """B and D are below A and C at every window from 1 to 30 days; C leads first at 26."""
    contacts, _ = data
    table = fcr.window_sensitivity(contacts, by="team").pivot(index="window_days", columns="team",
                                                              values="fcr")
    assert (table[["B", "D"]].max(axis=1) < table[["A", "C"]].min(axis=1)).all()
    leader = table.idxmax(axis=1)
    assert leader.loc[7] == "A" and int(leader[leader != "A"].index.min()) == 26
    assert "with 26 days C is ahead of A" in lesson


def test_the_aht_target_numbers(data, lesson):
    contacts, _ = data
    period = np.where(contacts["start"] >= pd.Timestamp("2025-10-13", tz="Europe/London"), "after", "before")
    frame = contacts.assign(period=period)
    repeat = fcr.repeat_contact_fcr(frame, by=["team", "period"])["fcr"]
    ticks = fcr.agent_fcr(frame, by=["team", "period"])["fcr"]
    for team in "BD":
        text = f"from {pct(repeat[(team, 'before')])} to {pct(repeat[(team, 'after')])}"
        assert text in lesson, text
        assert f"{team} {pct(ticks[(team, 'before')])} to {pct(ticks[(team, 'after')])}" in lesson
    before = repeat.xs("before", level="period")
    assert f"({pct(before.min())} to {pct(before.max())})" in lesson
    for team in "AC":
        assert abs(repeat[(team, "after")] - repeat[(team, "before")]) < 0.01  # "within a point"
    drops = [repeat[(t, "before")] - repeat[(t, "after")] for t in "BD"]
    assert 0.06 <= min(drops) and round(max(drops), 2) <= 0.07  # "6 to 7 points"


def voice_line(contacts):
    voice = contacts[contacts["channel"] == "voice"]
    profile = fcr.weekly_profile(voice).to_numpy()
    aht = voice["handle_seconds"].mean()
    now = fcr.repeat_contact_fcr(contacts, by="channel").loc["voice", "fcr"]
    return profile, aht, now


def test_what_five_points_are_worth_in_the_lesson(data, lesson):
    contacts, _ = data
    profile, aht, now = voice_line(contacts)
    settings = dict(calls=profile, aht=aht, fcr_now=now, cost_per_agent_hour=27, shrinkage=0.35)
    plus = fcr.fcr_value(fcr_new=now + 0.05, **settings)
    slower = fcr.fcr_value(fcr_new=now + 0.05, aht_new=aht + 20, **settings)
    bit_slower = fcr.fcr_value(fcr_new=now + 0.05, aht_new=aht + 10, **settings)
    minus = fcr.fcr_value(fcr_new=now - 0.06, **settings)
    found = [thousands(profile.sum()), f"{aht:.1f} seconds", pct(now), thousands(plus.contacts_avoided),
             f"{plus.paid_hours_saved:.1f} fewer paid hours", f"{plus.fte_saved:.1f} of a full-time",
             f"£{plus.cost_saved:,.0f} a week", f"£{round(plus.cost_saved * 52, -2):,.0f} a year",
             f"{slower.fte_saved:.2f} of an agent and £{slower.cost_saved:.0f} a week",
             f"{-minus.contacts_avoided:.0f} more calls", f"£{-minus.cost_saved:,.0f} a week"]
    missing = [text for text in found if text not in lesson]
    assert not missing, missing
    assert 0.4 < bit_slower.cost_saved / plus.cost_saved < 0.6  # "would still save about half"
    assert float(datasets.load("channel_costs").set_index("channel").loc["voice", "cost_per_agent_hour"]) == 27


def test_the_slider_suggestions_in_the_lesson(data):
    contacts, _ = data
    profile, aht, now = voice_line(contacts)
    w = fcr.fcr_slider(calls=profile, aht=round(aht), fcr_now=round(float(now), 2),
                       cost_per_agent_hour=27, shrinkage=0.35)
    w.fcr.value = 0.76
    assert round(w.value.fte_saved, 1) == 0.9  # "about 0.9 FTE saved"
    w.aht.value = 335
    assert abs(w.value.cost_saved) < 1  # "the saving is gone"


def test_the_assignment_states_what_the_data_says(data, assignment):
    contacts, survey = data
    found = claims(data)
    keep = {"tick", "survey", "response rate", "repeat", "censored", "invited said yes", "contacts",
            "invitations"}
    found = [(what, text) for what, text in found if what in keep]
    teams = fcr.repeat_contact_fcr(contacts, by="team")["fcr"]
    found += [(f"team {t}", f"{t} {pct(teams[t])}") for t in "ABCD"]
    ticks = fcr.agent_fcr(contacts, by="team")["fcr"]
    found += [("ticks", f"{pct(ticks.min())[:-1]}–{pct(ticks.max())}")]
    missing = [(what, text) for what, text in found if text not in assignment]
    assert not missing, f"the assignment does not say: {missing}"


def test_the_assignments_fixed_numbers_are_the_datas(data):
    """The setup's VOICE_FCR (0.705) and the hidden tests' constants (5,507 yes of 51,329
    invitations; 57,432 contacts) are the shipped data's."""
    contacts, survey = data
    _, _, now = voice_line(contacts)
    assert round(float(now), 3) == 0.705
    said = fcr.survey_fcr(survey)
    assert (said.resolved, said.invited, len(contacts)) == (5507, 51329, 57432)
    source = (REPO / "solutions" / SLUG / f"{SLUG}.ipynb").read_text()
    assert "VOICE_FCR = 0.705" in source and "5507 / 51329" in source and "57432 /" in source
