"""What assignment 07's visible checks tell a learner, run in-process on the released notebook.

The released notebook's own cells run here, in one namespace: its setup cell, then for each
question the solution's answer (so that later questions see right earlier answers), and for
each typical mistake of ``mistakes.py`` the question's visible test cell. Each mistake must be
caught with its own hint, and no message may show the right value in any form a learner could
read. The right answers must pass, and the usual slips (a percentage, a rounded value, the
whole result object) must get a message that names the way out.
"""

from __future__ import annotations

import math
import re

import nbformat
import pytest

from course_helpers import (
    REPO, answer_code_shown, assert_gives_nothing_away, assert_own_hint, mistakes_of,
    release_cells, visible_message,
)
from opsfirst.grading import Mistake

SLUG = "07-back-to-the-floor"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
QUESTIONS = ["forecast_wape", "agent_hours", "cover_paid_hours", "fte_for_cover", "fcr_week",
             "failure_demand", "fcr_gain_value", "coaching_check", "retention_abandoned",
             "resolution_cost_gap", "complaints_to_chat"]
# the variables each question sets, and which of them are single numbers
NUMBERS = {"forecast_wape": ["forecast_wape"], "agent_hours": ["agent_hours"],
           "cover_paid_hours": ["paid_hours"], "fte_for_cover": ["fte"], "fcr_week": ["fcr_week"],
           "failure_demand": ["failure_demand_share"],
           "fcr_gain_value": ["contacts_saved", "money_saved"], "coaching_check": ["beyond_chance"],
           "retention_abandoned": ["retention_abandoned_rate"],
           "resolution_cost_gap": ["email_extra_per_resolution"],
           "complaints_to_chat": ["shift_cost_change"]}


_FORECAST = 'week_forecast = forecasting.forecast(history, week["interval_start"])\n'
_REPEATS = ('repeat = week_contacts["contact_number"] > 1\n'
            'failure_by_reason = repeat.groupby(week_contacts["reason"], observed=True).mean()\n')
# Wrong answers whose messages the visible tests give, checked here only (mistakes.py keeps the
# ones worth a full nbgrader run in the soundness tests).
MORE_MISTAKES = [
    Mistake(id="wape_as_percent", question="forecast_wape",
            code=_FORECAST + 'forecast_wape = 100 * forecasting.wape(week["calls_offered"], week_forecast)',
            hint="not a percentage"),
    Mistake(id="requirement_as_paid_hours", question="cover_paid_hours",
            code="plan = scheduling.cover(required, SHIFTS)\npaid_hours = required.sum() / 2",
            hint="the requirement's agent-hours, not the shifts'"),
    Mistake(id="all_weeks_fcr", question="fcr_week",
            code="fcr_week = fcr.repeat_contact_fcr(contacts, window_days=7).fcr",
            hint="is the FCR of all 13 weeks"),
    Mistake(id="one_minus_fcr", question="failure_demand",
            code=_REPEATS + 'failure_demand_share = 1 - fcr.repeat_contact_fcr(contacts, by="in_week").loc[True, "fcr"]',
            hint="failure_demand_share is 1 - FCR"),
    Mistake(id="before_the_change_too", question="retention_abandoned",
            code=('since = outbound[outbound["campaign"] == "retention"]\n'
                  'counts = since["outcome"].value_counts()\n'
                  'live = counts["live_answer"] + counts["right_party_contact"] + counts["abandoned"]\n'
                  'retention_abandoned_rate = counts["abandoned"] / live'),
            hint="covers all four weeks, before the pacing change too"),
    Mistake(id="all_complaints_moved", question="complaints_to_chat",
            code=('shift = channels.channel_shift(contacts, costs, reason="complaint", from_channel="email",\n'
                  '                               to_channel="chat", share=1.0)\n'
                  'shift_cost_change = shift.loc["total", "cost_change"]'),
            hint="moves all the email complaints"),
]


def _solutions() -> dict[str, str]:
    nb = nbformat.read(REPO / "solutions" / SLUG / f"{SLUG}.ipynb", 4)
    found = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            found[meta["grade_id"]] = SOLUTION.search(cell.source).group(1)
    return found


@pytest.fixture(scope="module")
def notebook():
    """The release's cells, a namespace after the setup and every right answer, the answers."""
    cells = release_cells(SLUG)
    solutions = _solutions()
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    for question in QUESTIONS:
        if question == "fcr_gain_value":
            exec(cells["fcr_now"], space)  # noqa: S102
        exec(solutions[question], space)  # noqa: S102 - the assignment's own solution
    right = {q: {name: space[name] for name in names} for q, names in NUMBERS.items()}
    right["failure_demand"]["failure_by_reason"] = space["failure_by_reason"]
    return cells, space, right


def said(notebook, question, answers):
    cells, space, _ = notebook
    return visible_message(cells, dict(space), question, answers)


def all_numbers(right):
    return [v for answers in right.values() for v in answers.values() if isinstance(v, float | int)
            or hasattr(v, "dtype") and getattr(v, "ndim", 1) == 0]


def test_the_right_answers_pass_the_visible_checks(notebook):
    _, _, right = notebook
    for question, answers in right.items():
        assert said(notebook, question, answers) == "", question


@pytest.mark.parametrize("mistake", [*mistakes_of(SLUG), *MORE_MISTAKES], ids=lambda m: m.id)
def test_each_mistake_gets_its_own_hint_and_no_value(notebook, mistake):
    """The mistake's code, run where the learner would run it, meets its hint in the visible
    checks of its own question; the message shows no right value of any question."""
    cells, space, right = notebook
    space = dict(space)
    exec(mistake.code, space)  # noqa: S102 - the mistake as a learner would write it
    message = visible_message(cells, space, mistake.question, {})
    assert_own_hint(message, mistake, [*mistakes_of(SLUG), *MORE_MISTAKES])
    if mistake.hint is not None:
        assert_gives_nothing_away(message, [float(v) for v in all_numbers(right)])


def test_every_question_has_at_least_one_typical_mistake():
    questions = {m.question for m in mistakes_of(SLUG)}
    assert set(QUESTIONS) <= questions


def test_each_hint_is_its_own():
    """No hint is part of another mistake's message: a learner is told one thing at a time."""
    hints = [m.hint for m in [*mistakes_of(SLUG), *MORE_MISTAKES] if m.hint]
    assert len(set(hints)) == len(hints)


@pytest.mark.parametrize("question", ["forecast_wape", "fcr_week", "retention_abandoned"])
def test_a_percentage_is_told_to_be_a_fraction(notebook, question):
    _, _, right = notebook
    name = NUMBERS[question][0]
    message = said(notebook, question, {name: 100 * float(right[question][name])})
    assert "not a percentage" in message
    assert_gives_nothing_away(message, [float(right[question][name])])


def test_text_where_a_number_is_asked_says_remove_the_quotes(notebook):
    message = said(notebook, "fte_for_cover", {"fte": "70.3"})
    assert "remove the quotes" in message


def test_the_whole_fcr_table_where_one_number_is_asked(notebook):
    """A learner who stops at the table of by="in_week" is told to give one number."""
    _, space, _ = notebook
    table = space["fcr"].repeat_contact_fcr(space["contacts"], by="in_week")
    message = said(notebook, "fcr_week", {"fcr_week": table})
    assert "should be one number" in message


def test_a_wrong_forecast_length_is_named(notebook):
    _, space, right = notebook
    message = said(notebook, "forecast_wape", {"week_forecast": space["week_forecast"][:28],
                                               "forecast_wape": right["forecast_wape"]["forecast_wape"]})
    assert "one number per half-hour" in message


def test_the_seasonal_naive_forecast_is_left_to_the_hidden_test(notebook):
    """Another method's forecast passes the visible checks (its WAPE is in range): only the hidden
    test, which recomputes the default forecast, catches it. The visible range must not be so
    tight that it gives the value away."""
    _, space, _ = notebook
    naive = space["forecasting"].forecast(space["history"], space["week"]["interval_start"],
                                          method="seasonal_naive")
    wape = space["forecasting"].wape(space["week"]["calls_offered"], naive)
    assert not math.isclose(wape, space["forecast_wape"])
    assert said(notebook, "forecast_wape", {"week_forecast": naive, "forecast_wape": wape}) == ""


def _test_cell_with_hidden(grade_id: str) -> str:
    nb = nbformat.read(REPO / "solutions" / SLUG / f"{SLUG}.ipynb", 4)
    (source,) = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return source.replace("### BEGIN HIDDEN TESTS\n", "").replace("### END HIDDEN TESTS\n", "")


@pytest.mark.parametrize("route", [
    'email_extra_per_resolution = (costs.set_index("channel")["cost_per_contact"]\n'
    '    / costs.set_index("channel")["first_contact_resolution"]).pipe(lambda s: s["email"] - s["chat"])',
    't = channels.channel_cost_table(costs)\n'
    'email_extra_per_resolution = t.loc["email", "cost_per_resolution"] - t.loc["chat", "cost_per_resolution"]',
    't = costs.set_index("channel")\n'
    'r = channels.cost_per_resolution(t["cost_per_contact"], t["first_contact_resolution"])\n'
    'email_extra_per_resolution = r["email"] - r["chat"]',
])
def test_both_honest_routes_to_the_resolution_gap_pass_the_hidden_test(notebook, route):
    """Trial of 07: lesson 06's channel_cost_table (cost per contact recomputed unrounded) was
    refused while the stored columns passed. Both routes are right; typed-in pence are not."""
    _, space, _ = notebook
    space = dict(space)
    exec(route, space)  # noqa: S102
    exec(_test_cell_with_hidden("resolution_cost_gap_tests"), space)  # noqa: S102


@pytest.mark.parametrize("typed", [6.73 - 3.29, 3.44])
def test_typed_rounded_pence_fail_the_resolution_gap(notebook, typed):
    _, space, _ = notebook
    space = dict(space, email_extra_per_resolution=typed)
    assert "is rounded to pence" in said(notebook, "resolution_cost_gap", {"email_extra_per_resolution": typed})
    with pytest.raises(AssertionError):
        exec(_test_cell_with_hidden("resolution_cost_gap_tests"), space)  # noqa: S102


# what a visible test cell must not show: the code that answers a question (trial of 07)
ANSWER_CODE = ["month_reviewed", 'set_index("channel")', "channel_shift(", "outbound[", "fcr_value(",
               "repeat_contact_fcr(", "repeat_status(", "cost_per_contact", "/ _actual", "/ _f"]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE, messages=('"',))
    assert not any(shown.values()), shown
