"""Check the assignment 05-wysiati's test cells in-process, in seconds, without nbgrader.

tests/assignments/test_assignments.py grades the assignment with nbgrader: the authority, but one
notebook per mistake costs seconds each, so solutions/05-wysiati/mistakes.py lists only the most
instructive mistakes. Here every typical mistake -- those and the ones the test cells also catch
(``MORE``) -- runs against the visible tests of its question straight from the source notebook:
each must fail with its own hint and no other mistake's, the solution must pass visible and hidden
tests, and the unanswered template must fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from opsfirst.assignments.course import mistakes_of
from opsfirst.assignments.notebooks import grade_id
from opsfirst.grading import Mistake

REPO = Path(__file__).resolve().parents[2]
SOURCE = nbformat.read(REPO / "solutions" / "05-wysiati" / "05-wysiati.ipynb", as_version=4)
CELLS = {grade_id(c): c.source for c in SOURCE.cells if grade_id(c)}
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS\n?", re.S)
QUESTIONS = ["coached_change", "expected_change", "pass_interval", "satisfied_all", "gap_same_mix",
             "outside_funnel", "lunch_service_level", "true_traffic"]

_DAY = 'day = history[history["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-22"]\n'
_C02 = 'c02 = qa[(qa["month"] == "2025-11") & (qa["agent"] == "C02")]\n'
_NOV = ('november = qa[qa["month"] == "2025-11"]\n'
        'table = november.groupby("agent", observed=True)["score"].agg(average="mean", calls="size")\n')
# Mistakes the test cells catch beyond those of mistakes.py (kept out of it to keep the nbgrader
# run short), with the hint each must show.
MORE = [
    Mistake("coached_change_reversed", "coached_change",
            'coached_change = (monthly.loc[coached, "2025-09"] - monthly.loc[coached, "2025-10"]).mean()',
            "subtract September from October"),
    Mistake("coached_change_of_everyone", "coached_change",
            'coached_change = (monthly["2025-10"] - monthly["2025-09"]).mean()',
            "average change of every agent"),
    Mistake("expected_change_of_the_top", "expected_change",
            'expected_change = bias.regression_to_the_mean(monthly["2025-09"], monthly["2025-10"])'
            '.groups.loc["top 10%", "expected_change"]',
            "expected for agents picked at the top"),
    Mistake("pass_interval_percent", "pass_interval",
            _C02 + 'low, high = bias.proportion_interval(int((c02["score"] >= PASS_MARK).sum()), len(c02))\n'
            'pass_interval = (100 * low, 100 * high)',
            "pass_interval looks like percentages"),
    Mistake("satisfied_weights_multiplied", "satisfied_all",
            'satisfied_all = np.average(answered["csat"] >= 4, weights=answered["csat"].astype(int).map(RESPONSE_BY_CSAT))',
            "not by its chance"),
    Mistake("satisfied_mean_score", "satisfied_all",
            'satisfied_all = np.average(answered["csat"], weights=1 / answered["csat"].astype(int).map(RESPONSE_BY_CSAT))',
            "not a mean score"),
    Mistake("gap_within_reasons", "gap_same_mix",
            'answered["said_resolved"] = answered["resolved_said"] == "yes"\n'
            'check = bias.simpsons_paradox(answered, outcome="said_resolved", group="shift", segment="reason")\n'
            'gap_same_mix = check.standardised["08-10"] - check.standardised["10-20"]',
            "compares the shifts within reasons"),
    Mistake("gap_in_percentage_points", "gap_same_mix",
            'answered["said_resolved"] = answered["resolved_said"] == "yes"\n'
            'check = bias.simpsons_paradox(answered, outcome="said_resolved", group="shift", segment="contact")\n'
            'gap_same_mix = 100 * (check.standardised["08-10"] - check.standardised["10-20"])',
            "looks like percentage points"),
    Mistake("funnel_sd_of_averages", "outside_funnel",
            _NOV + 'limits = bias.funnel_limits(table["calls"], mean=november["score"].mean(),\n'
            '                            sd=table["average"].std()).set_axis(table.index)\n'
            'outside_funnel = int(((table["average"] < limits["lower_99.8"]) | (table["average"] > limits["upper_99.8"])).sum())',
            "uses the spread of the agents' averages as sd"),
    Mistake("lunch_whole_day", "lunch_service_level",
            _DAY + 'lunch_service_level = day["answered_within_20s"].sum() / day["calls_offered"].sum()',
            "the whole day's service level"),
    Mistake("lunch_over_answered", "lunch_service_level",
            _DAY + 'lunch = day[day["interval_start"].dt.hour.isin([12, 13])]\n'
            'lunch_service_level = lunch["answered_within_20s"].sum() / lunch["calls_answered"].sum()',
            "divides by the calls answered"),
    Mistake("lunch_in_percent", "lunch_service_level",
            _DAY + 'lunch = day[day["interval_start"].dt.hour.isin([12, 13])]\n'
            'lunch_service_level = 100 * lunch["answered_within_20s"].sum() / lunch["calls_offered"].sum()',
            "do not multiply by 100"),
    Mistake("traffic_from_rounded_steps", "true_traffic", "traffic = 0.22 * 482.4",
            "multiplies the article's rounded steps"),
    Mistake("traffic_with_the_articles_aht", "true_traffic",
            "traffic = staffing.traffic_intensity(calls=400, aht=482.4, interval=1800)",
            "uses the article's AHT of 482.4 s"),
]
MISTAKES = mistakes_of("05-wysiati") + MORE
HINTS = {m.id: m.hint for m in MISTAKES if m.hint}


def answer(question: str, code: str | None = None) -> str:
    """The answer cell: the template line, then the solution or ``code`` in its place."""
    source = CELLS[question]
    return source if code is None else SOLUTION.sub(lambda _: code + "\n", source)


def visible(question: str) -> str:
    return HIDDEN.sub("", CELLS[f"{question}_tests"])


def hidden(question: str) -> str:
    return HIDDEN.search(CELLS[f"{question}_tests"]).group(1)


@pytest.fixture(scope="module")
def after_setup():
    namespace: dict = {}
    exec(CELLS["setup"], namespace)
    return namespace


@pytest.fixture
def fresh(after_setup):
    """The setup's variables, tables copied so that no answer leaks into another check."""
    return {k: v.copy() if isinstance(v, (pd.DataFrame, pd.Series)) else v for k, v in after_setup.items()}


def test_the_cells_are_the_ones_checked_here():
    """Check that the assignment's autograded questions are exactly QUESTIONS, each with tests."""
    answers = [g for g in CELLS if f"{g}_tests" in CELLS]
    assert answers == QUESTIONS
    assert {m.question for m in MISTAKES} == set(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_solution_passes_visible_and_hidden_tests(question, fresh):
    """Check that the model answer passes every test of its question."""
    exec(answer(question), fresh)
    exec(visible(question), fresh)
    exec(hidden(question), fresh)


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_unanswered_template_fails(question, fresh):
    """Check that the release's template (name = ...) fails the visible tests with a plain message."""
    exec(CELLS[question].splitlines()[0], fresh)
    with pytest.raises(AssertionError) as error:
        exec(visible(question), fresh)
    assert "should be" in str(error.value)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.id)
def test_each_mistake_shows_its_own_hint_and_no_other(mistake, fresh):
    """Check each typical mistake: the visible tests catch it with its hint, or (no hint) only the
    hidden tests do."""
    exec(answer(mistake.question, mistake.code), fresh)
    if mistake.hint is None:
        exec(visible(mistake.question), fresh)
        with pytest.raises(AssertionError):
            exec(hidden(mistake.question), fresh)
        return
    with pytest.raises(AssertionError) as error:
        exec(visible(mistake.question), fresh)
    said = str(error.value)
    assert mistake.hint in said, said
    others = [other for other, hint in HINTS.items() if other != mistake.id and hint in said]
    assert not others, (others, said)
