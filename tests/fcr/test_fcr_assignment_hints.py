"""What assignment 04's visible checks tell a learner who gives the wrong answers a trial learner gave.

A learner who had not seen the solution handed in: the whole FCRResult for a number (``.fcr``
forgotten), one column selected from the team table, window 1 from ``idxmax()`` without
``axis=1``, the lesson's cell with its 35% shrinkage, and values rounded or typed from a table.
Answers of the wrong type are not in ``mistakes.py`` (each of those must pass the type checks);
their messages are checked here: each must name the way out, and none may give the right value.

The released notebook's own cells run here, in one namespace: its setup cell, then for each
answer the question's visible test cell (the release holds no hidden test).

As in modules 06 and 07, a visible test cell holds no answer code (no opsfirst maths, no pandas
recomputation): it compares the answer with the typical wrong routes' values as fixed literals,
or as sha256 digests where a number would give a right value away, and pins the right value by a
digest; the recomputations live in the hidden tests. The tests at the end recompute every literal
and digest from the shipped data, run each mistake of mistakes.py against its own hint, and fail
when a visible cell holds answer code.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from course_helpers import (
    answer_code_shown, assert_gives_nothing_away, assert_own_hint, mistakes_of, release_cells,
    visible_code, visible_message,
)

SLUG = "04-first-contact-resolution"


@pytest.fixture(scope="module")
def notebook():
    """The release's test cells by grade_id, a namespace after its setup cell, and the answers."""
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    fcr = space["fcr"]
    contacts, survey = space["contacts"], space["survey"]
    said = fcr.survey_fcr(survey)
    value = fcr.fcr_value(calls=space["VOICE_PROFILE"], aht=space["VOICE_AHT"],
                          fcr_now=space["VOICE_FCR"], fcr_new=space["VOICE_FCR"] + 0.05,
                          cost_per_agent_hour=space["COST_PER_HOUR"], shrinkage=space["SHRINKAGE"],
                          hours_per_fte=space["HOURS_PER_FTE"])
    complaints = contacts[contacts["reason"] == "complaint"]
    right = dict(
        fcr_overall=dict(fcr_7_days=fcr.repeat_contact_fcr(contacts).fcr),
        fcr_by_team_channel=dict(fcr_by_team_channel=fcr.repeat_contact_fcr(contacts, by=["team", "channel"])),
        survey_measure=dict(survey_fcr_value=said.fcr, response_rate=said.response_rate),
        invited_said_no=dict(invited_said_no=(said.counted - said.resolved) / said.invited),
        ranking_window=dict(window_that_flips=26),
        contacts_per_issue=dict(contacts_per_complaint=fcr.contacts_per_issue(complaints)),
        value_of_five_points=dict(fte_saved=value.fte_saved, money_saved=value.cost_saved),
    )
    return cells, space, right


def said(notebook, question, answers):
    """The message of the question's visible checks for these answers ('' when they pass)."""
    cells, space, _ = notebook
    return visible_message(cells, space, question, answers)


def gives_nothing_away(message, right):
    assert_gives_nothing_away(message, [v for v in right.values() if not hasattr(v, "columns")])


def test_the_right_answers_pass_the_visible_checks(notebook):
    _, _, right = notebook
    for question, answers in right.items():
        assert said(notebook, question, answers) == "", question


def test_fcr_forgotten_says_take_its_fcr(notebook):
    """Report point 1: the whole FCRResult, not a number; the message used to print its value."""
    _, space, right = notebook
    result = space["fcr"].repeat_contact_fcr(space["contacts"], window_days=7)
    message = said(notebook, "fcr_overall", {"fcr_7_days": result})
    assert "take its .fcr" in message
    gives_nothing_away(message, right["fcr_overall"])
    assert "FCRResult(" not in message


def test_survey_result_forgotten_says_which_attribute(notebook):
    _, space, right = notebook
    answer = space["fcr"].survey_fcr(space["survey"])
    message = said(notebook, "survey_measure", {"survey_fcr_value": answer, "response_rate": 0.147})
    assert "take its .fcr" in message
    message = said(notebook, "survey_measure", {"survey_fcr_value": answer.fcr, "response_rate": answer})
    assert "take its .response_rate" in message
    gives_nothing_away(message, right["survey_measure"])


@pytest.mark.parametrize("by", ["team", ["team", "channel"]])
def test_one_column_selected_says_keep_the_whole_table(notebook, by):
    """Report point 2: ["fcr"] selected, as lesson section 5 does, gave a Series; the message
    blamed the by argument."""
    _, space, _ = notebook
    column = space["fcr"].repeat_contact_fcr(space["contacts"], by=by)["fcr"]
    message = said(notebook, "fcr_by_team_channel", {"fcr_by_team_channel": column})
    assert "you selected one column" in message and "Keep the whole table" in message


def test_other_shapes_of_the_team_table(notebook):
    _, space, _ = notebook
    fcr, contacts = space["fcr"], space["contacts"]
    cases = {
        "give repeat_contact_fcr the argument by": fcr.repeat_contact_fcr(contacts),
        "not unstacked": fcr.repeat_contact_fcr(contacts, by=["team", "channel"])["fcr"].unstack(),
        "one row per team only": fcr.repeat_contact_fcr(contacts, by="team"),
    }
    for hint, answer in cases.items():
        assert hint in said(notebook, "fcr_by_team_channel", {"fcr_by_team_channel": answer})
    # the two levels in the other order are the same table
    swapped = fcr.repeat_contact_fcr(contacts, by=["channel", "team"])
    assert said(notebook, "fcr_by_team_channel", {"fcr_by_team_channel": swapped}) == ""


def test_survey_questions_do_not_give_each_others_method_away(notebook):
    """Report point 3: question 3's hint was question 4's method, and question 4's test spelt out
    question 3's formula. Every message of either now speaks of its own question only."""
    _, space, right = notebook
    answer = space["fcr"].survey_fcr(space["survey"])
    survey = space["survey"]["resolved_said"]
    three = [said(notebook, "survey_measure", {"survey_fcr_value": v, "response_rate": answer.response_rate})
             for v in (answer.resolved / answer.invited, 73.0, answer)]
    four = [said(notebook, "invited_said_no", {"invited_said_no": v})
            for v in (1 - answer.fcr, answer.resolved / answer.invited,
                      1 - answer.resolved / answer.invited, (survey == "no").sum() / survey.notna().sum(),
                      answer)]
    assert all(three) and all(four)
    for message in three:
        assert "invited_said_no" not in message and "every invitation" not in message
        assert "divide" not in message.lower()
        gives_nothing_away(message, {**right["survey_measure"], **right["invited_said_no"]})
    for message in four:
        assert "survey_fcr_value" not in message and "survey's FCR" not in message
        assert "divide" not in message.lower()
        gives_nothing_away(message, {**right["survey_measure"], **right["invited_said_no"]})
    source = release_cells(SLUG)["invited_said_no_tests"]
    assert "_yes / " not in source and '== "yes").sum() /' not in source  # question 3's formula


def test_window_one_from_idxmax_down_the_columns(notebook):
    """Report point 4: idxmax() without axis=1 gives 1 day, which passed."""
    _, space, _ = notebook
    table = space["fcr"].window_sensitivity(space["contacts"], windows=range(1, 31), by="team")
    best = table.pivot(index="window_days", columns="team", values="fcr").idxmax()
    message = said(notebook, "ranking_window", {"window_that_flips": int(best.min())})
    assert "idxmax(axis=1)" in message and "read across each row" in message


def test_no_other_wrong_window_passes(notebook):
    """The visible check pins the answer to a window where another team leads: only 26 (right)
    and 27 (the longest such window, left to the hidden test) pass; no message names them."""
    passed = []
    for days in range(1, 31):
        message = said(notebook, "ranking_window", {"window_that_flips": days})
        if not message:
            passed.append(days)
        assert not re.search(r"\b2[67]\b", message), message
    assert passed == [26, 27]


def test_the_lessons_cell_with_35_percent_shrinkage(notebook):
    """Report point 5: the lesson's cell, copied (its shrinkage 0.35 and its FCR unrounded)."""
    _, space, right = notebook
    fcr, contacts = space["fcr"], space["contacts"]
    voice = contacts[contacts["channel"] == "voice"]
    profile = fcr.weekly_profile(voice)
    aht = voice["handle_seconds"].mean()
    fcr_now = fcr.repeat_contact_fcr(contacts, by="channel").loc["voice", "fcr"]
    plus_five = fcr.fcr_value(calls=profile.to_numpy(), aht=aht, fcr_now=fcr_now, fcr_new=fcr_now + 0.05,
                              cost_per_agent_hour=27, shrinkage=0.35)
    for fte, money in ((plus_five.fte_saved, plus_five.cost_saved), (0.90, 913.85)):
        message = said(notebook, "value_of_five_points", {"fte_saved": fte, "money_saved": money})
        assert "uses 35% shrinkage" in message and "SHRINKAGE is 0.30" in message
        gives_nothing_away(message, right["value_of_five_points"])


def test_rounded_values_are_told_not_to_round(notebook):
    """Report point 5: 0.84 and 848.57 typed from the table were told the two answers 'do not fit
    together'; rounding is what is wrong."""
    _, _, right = notebook
    value = right["value_of_five_points"]
    for fte, money in ((0.84, 848.57), (round(value["fte_saved"], 3), round(value["money_saved"]))):
        message = said(notebook, "value_of_five_points", {"fte_saved": fte, "money_saved": money})
        assert "looks rounded" in message and "do not fit together" not in message
        gives_nothing_away(message, right["value_of_five_points"])


def test_fcr_value_forgotten_says_take_the_saving(notebook):
    _, space, right = notebook
    fcr = space["fcr"]
    value = fcr.fcr_value(calls=space["VOICE_PROFILE"], aht=space["VOICE_AHT"], fcr_now=0.705,
                          fcr_new=0.755, cost_per_agent_hour=27, shrinkage=0.3)
    message = said(notebook, "value_of_five_points", {"fte_saved": value, "money_saved": value})
    assert "take the saving from it" in message
    gives_nothing_away(message, right["value_of_five_points"])


# ------------------------------------- no answer code in the visible checks (the rule of 06 and 07)


@pytest.mark.parametrize("mistake", mistakes_of(SLUG), ids=lambda m: m.id)
def test_each_mistake_gets_its_own_hint_and_no_value(notebook, mistake):
    """The fast twin of the soundness test: each typical mistake of mistakes.py, run where the
    learner would run it, meets its own hint (and no other) in its question's visible checks."""
    cells, space, right = notebook
    run = dict(space)
    exec(mistake.code, run)  # noqa: S102 - the course's own typical mistake
    answers = {name: run[name] for name in right[mistake.question]}
    message = visible_message(cells, dict(space), mistake.question, answers)
    assert_own_hint(message, mistake, mistakes_of(SLUG))
    gives_nothing_away(message, right[mistake.question])


def _digest(value, form=".6g"):
    return hashlib.sha256(f"{float(value):{form}}".encode()).hexdigest()[:16]


def _fingerprint(shares):
    """The twelve FCRs by team and channel, rounded to 4 decimals, in one order."""
    shares = shares.astype(float)
    shares.index = shares.index.map(lambda key: tuple(str(k) for k in key))
    return hashlib.sha256(" ".join(f"{v:.4f}" for v in shares.sort_index()).encode()).hexdigest()[:16]


def test_the_literals_and_fingerprints_are_the_routes_they_name(notebook):
    """Every number and fingerprint a visible cell compares with is recomputed here from the shipped
    data: the wrong routes' values (literals to 9 decimals, or digests where the number would give
    a right value away) and the right values' fingerprints. A change of data or a typo fails here."""
    cells, space, right = notebook
    fcr, contacts, survey = space["fcr"], space["contacts"], space["survey"]

    def literals(question):
        return {float(x) for x in re.findall(r"(?<![\w.])(\d+\.\d{9})\b", cells[f"{question}_tests"])}

    def digests(question):
        return set(re.findall(r'"([0-9a-f]{16})"', cells[f"{question}_tests"]))

    # 1. the tick, and the two ways of counting censored contacts as resolved
    status = fcr.repeat_status(contacts, window_days=7)
    assert literals("fcr_overall") == {round(float(v), 9) for v in (
        contacts["resolved_by_agent"].mean(), (status != "repeated").mean(),
        fcr.repeat_contact_fcr(contacts, window_days=7, end="2026-01-01").fcr)}
    assert digests("fcr_overall") == {_digest(right["fcr_overall"]["fcr_7_days"])}
    # 2. four wrong tables and the right one, by team and channel
    both = ["team", "channel"]
    assert digests("fcr_by_team_channel") == {_fingerprint(t) for t in (
        fcr.agent_fcr(contacts, by=both)["fcr"],
        (status != "repeated").groupby([contacts["team"], contacts["channel"]], observed=True).mean(),
        fcr.repeat_contact_fcr(contacts, by=both, end="2026-01-01")["fcr"],
        fcr.repeat_contact_fcr(contacts, by=both, same_reason=False)["fcr"],
        right["fcr_by_team_channel"]["fcr_by_team_channel"]["fcr"])}
    # 3 and 4. the survey's counts: digests where a value and another answer give the right one
    said = survey["resolved_said"]
    yes, no, invited = (said == "yes").sum(), (said == "no").sum(), len(survey)
    assert literals("survey_measure") == {round(float((yes + no) / len(contacts)), 9)}
    assert digests("survey_measure") == {_digest(yes / invited), _digest(yes / (yes + no)),
                                         _digest((yes + no) / invited)}
    assert digests("invited_said_no") == {_digest(no / (yes + no)), _digest(yes / invited),
                                          _digest(1 - yes / invited), _digest(no / invited)}
    # 5. the leader of every window, with and without same_reason
    def leaders(**kw):
        table = fcr.window_sensitivity(contacts, windows=range(1, 31), by="team", **kw)
        return table.pivot(index="window_days", columns="team", values="fcr").idxmax(axis=1)

    top, any_reason = leaders(), leaders(same_reason=False)
    another = [int(d) for d in top.index if top[d] != top[7]]
    assert another[0] == right["ranking_window"]["window_that_flips"]
    assert digests("ranking_window") == {_digest(d) for d in another}
    source = cells["ranking_window_tests"]
    assert f"!= {int(any_reason[any_reason != any_reason[7]].index.min())}, (" in source
    # 6. contacts per issue of every reason, per customer, and the geometric model's
    complaints = contacts[contacts["reason"] == "complaint"]
    assert literals("contacts_per_issue") == {round(float(v), 9) for v in (
        fcr.contacts_per_issue(contacts), len(complaints) / complaints["customer_id"].nunique(),
        1 / fcr.repeat_contact_fcr(contacts, by="reason").loc["complaint", "fcr"])}
    assert digests("contacts_per_issue") == {_digest(len(complaints) / complaints["issue_id"].nunique())}
    # 7. fcr_value's wrong settings (without shrinkage, or the lesson's: a digest, as the right
    # value is that one times a known ratio) and the right savings
    settings = dict(calls=space["VOICE_PROFILE"], aht=space["VOICE_AHT"], fcr_now=space["VOICE_FCR"],
                    cost_per_agent_hour=space["COST_PER_HOUR"], hours_per_fte=space["HOURS_PER_FTE"])
    new = space["VOICE_FCR"] + 0.05
    assert literals("value_of_five_points") == {round(float(v), 9) for v in (
        fcr.fcr_value(**settings, fcr_new=new, shrinkage=0.3, model="one_repeat").fte_saved,
        fcr.fcr_value(**settings, fcr_new=space["VOICE_FCR"] * 1.05, shrinkage=0.3).fte_saved)}
    value = right["value_of_five_points"]
    assert digests("value_of_five_points") == {
        _digest(fcr.fcr_value(**settings, fcr_new=new, shrinkage=s).fte_saved, ".2f") for s in (0.0, 0.35)} | {
        _digest(value["fte_saved"]), _digest(value["money_saved"])}


# The answers' own routes (the solution cells' calls and selections): a visible check that recomputes
# the right value, or a wrong route, with them hands the learner the answer's code. The values the
# visible checks compare with are fixed literals, or digests where a literal would give the answer away.
ANSWER_CODE = ["fcr.repeat", "repeat_contact_fcr(", "repeat_status(", "agent_fcr(", "survey_fcr(",
               "window_sensitivity(", "contacts_per_issue(", "fcr_value(", "staffing.", "idxmax(",
               ".pivot(", "groupby(", "nunique(", ".mean()", ".sum()", 'contacts["', 'survey["',
               ".counted", ".resolved", ".invited", ".response_rate", ".fte_saved", ".cost_saved",
               "VOICE_PROFILE", "VOICE_AHT", "VOICE_FCR", "COST_PER_HOUR", "SHRINKAGE", "HOURS_PER_FTE",
               "same_reason=", "end="]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE)
    assert len(shown) == 7 and not any(shown.values()), shown


def test_the_guard_would_catch_answer_code():
    """The fragments find what the visible cells used to hold (or the guard is moot)."""
    old = ('_status = fcr.repeat_status(contacts, window_days=7)\n'
           '_leader = fcr.repeat_contact_fcr(contacts, window_days=int(window_that_flips), by="team")["fcr"].idxmax()\n'
           '_one_repeat = fcr.fcr_value(fcr_new=VOICE_FCR + 0.05, model="one_repeat", **_settings)\n'
           'assert invited_said_no < survey["resolved_said"].notna().mean()\n')
    assert {"repeat_status(", "repeat_contact_fcr(", "idxmax(", "fcr_value(", "VOICE_FCR", 'survey["',
            ".mean()"} <= {f for f in ANSWER_CODE if f in visible_code(old)}
