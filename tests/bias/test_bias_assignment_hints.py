"""Check the assignment 05-wysiati's test cells in-process, in seconds, without nbgrader.

tests/assignments/test_assignments.py grades the assignment with nbgrader: the authority, but one
notebook per mistake costs seconds each, so solutions/05-wysiati/mistakes.py lists only the most
instructive mistakes. Here every typical mistake -- those and the ones the test cells also catch
(``MORE``) -- runs against the visible tests of its question straight from the source notebook:
each must fail with its own hint and no other mistake's, the solution must pass visible and hidden
tests, and the unanswered template must fail.

``TRIAL`` holds the wrong answers a learner tried in a trial of the assignment (report of
2026-12, 45 answers; those the checks now catch), as that learner typed them: rounded traps,
the wrong month, a sign the wrong way round. Each must get its hint. Two more checks follow from
that trial: no message names the right value, and the right value rounded (as the lesson rounds
to print) is refused with "looks rounded", never with a trap's hint.
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
_LIMITS = ('limits = bias.funnel_limits(table["calls"], mean=november["score"].mean(),\n'
           '                            sd=november["score"].std()).set_axis(table.index)\n')
_RTM = 'check = bias.regression_to_the_mean(monthly["2025-09"], monthly["2025-10"], selected=coached)\n'
_SAID = 'answered["said_resolved"] = answered["resolved_said"] == "yes"\n'
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
    # after the learner's trial: the wrong month, scope and direction, other columns, units
    Mistake("coached_change_to_november", "coached_change",
            'coached_change = (monthly.loc[coached, "2025-11"] - monthly.loc[coached, "2025-09"]).mean()',
            "coached_change uses November"),
    Mistake("expected_change_observed", "expected_change",
            _RTM + 'expected_change = check.groups.loc["selected", "change"]',
            "the change the six actually made"),
    Mistake("expected_change_high_end", "expected_change",
            _RTM + 'expected_change = check.groups.loc["selected", "expected_high"]',
            "an end of the range"),
    Mistake("expected_change_beyond", "expected_change",
            _RTM + 'expected_change = check.groups.loc["selected", "beyond_expected"]',
            "expected_change is beyond_expected"),
    Mistake("expected_change_october_to_november", "expected_change",
            'check = bias.regression_to_the_mean(monthly["2025-10"], monthly["2025-11"], selected=coached)\n'
            'expected_change = check.groups.loc["selected", "expected_change"]',
            "expected_change uses November"),
    Mistake("pass_interval_october", "pass_interval",
            'c02 = qa[(qa["month"] == "2025-10") & (qa["agent"] == "C02")]\n'
            'pass_interval = bias.proportion_interval(int((c02["score"] >= PASS_MARK).sum()), len(c02))',
            "C02's interval for October"),
    Mistake("pass_interval_all_months", "pass_interval",
            'c02 = qa[qa["agent"] == "C02"]\n'
            'pass_interval = bias.proportion_interval(int((c02["score"] >= PASS_MARK).sum()), len(c02))',
            "uses all C02's scored calls"),
    Mistake("pass_interval_exact", "pass_interval",
            _C02 + 'pass_interval = bias.proportion_interval(int((c02["score"] >= PASS_MARK).sum()), len(c02), method="exact")',
            "the exact (Clopper-Pearson) interval"),
    Mistake("pass_interval_at_90", "pass_interval",
            _C02 + 'pass_interval = bias.proportion_interval(int((c02["score"] >= PASS_MARK).sum()), len(c02), confidence=0.9)',
            "at another confidence level"),
    Mistake("satisfied_over_invited", "satisfied_all",
            'weights = 1 / answered["csat"].astype(int).map(RESPONSE_BY_CSAT)\n'
            'satisfied_all = weights[answered["csat"] >= 4].sum() / len(invited)',
            "by the number of customers invited"),
    Mistake("satisfied_fives_only", "satisfied_all",
            'satisfied_all = np.average(answered["csat"] == 5, weights=1 / answered["csat"].astype(int).map(RESPONSE_BY_CSAT))',
            "counts only the 5s"),
    Mistake("gap_rest_minus_early", "gap_same_mix",
            _SAID + 'check = bias.simpsons_paradox(answered, outcome="said_resolved", group="shift", segment="contact")\n'
            'gap_same_mix = check.standardised["10-20"] - check.standardised["08-10"]',
            "the rest of the day minus the early shift"),
    Mistake("gap_of_satisfied", "gap_same_mix",
            'answered["satisfied"] = answered["csat"] >= 4\n'
            'check = bias.simpsons_paradox(answered, outcome="satisfied", group="shift", segment="contact")\n'
            'gap_same_mix = check.standardised["08-10"] - check.standardised["10-20"]',
            "the lesson's outcome"),
    Mistake("funnel_inside", "outside_funnel",
            _NOV + _LIMITS + 'outside_funnel = int(((table["average"] >= limits["lower_99.8"]) & (table["average"] <= limits["upper_99.8"])).sum())',
            "like the agents inside the limits"),
    Mistake("funnel_above_only", "outside_funnel",
            _NOV + _LIMITS + 'outside_funnel = int((table["average"] > limits["upper_99.8"]).sum())',
            "counts only the agents above upper_99.8"),
    Mistake("funnel_of_october", "outside_funnel",
            _NOV.replace("2025-11", "2025-10") + _LIMITS
            + 'outside_funnel = int(((table["average"] < limits["lower_99.8"]) | (table["average"] > limits["upper_99.8"])).sum())',
            "counts October's table, the lesson's month"),
    Mistake("funnel_of_the_quarter", "outside_funnel",
            _NOV.replace('qa[qa["month"] == "2025-11"]', "qa") + _LIMITS
            + 'outside_funnel = int(((table["average"] < limits["lower_99.8"]) | (table["average"] > limits["upper_99.8"])).sum())',
            "uses the calls of all three months"),
    Mistake("lunch_on_the_lessons_day", "lunch_service_level",
            'day = history[history["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-28"]\n'
            'lunch = day[day["interval_start"].dt.hour.isin([12, 13])]\n'
            'lunch_service_level = lunch["answered_within_20s"].sum() / lunch["calls_offered"].sum()',
            "28 October's, the lesson's day"),
    Mistake("traffic_aht_in_minutes", "true_traffic",
            "traffic = staffing.traffic_intensity(calls=400, aht=965 / 120, interval=1800)",
            "uses the AHT in minutes"),
    # the right answer rounded, as the lesson rounds to print: the coach's checks refuse it
    *(Mistake(f"{question}_rounded", question, f"{name} = {rounded}", f"{name} looks rounded")
      for question, name, rounded in (
          ("coached_change", "coached_change", "8.5"),
          ("expected_change", "expected_change", "4.44"),
          ("pass_interval", "pass_interval", "(0.231, 0.882)"),
          ("satisfied_all", "satisfied_all", "0.589"),
          ("gap_same_mix", "gap_same_mix", "-0.006"),
          ("lunch_service_level", "lunch_service_level", "0.597"),
          ("true_traffic", "traffic", "107.22"))),
]
# The wrong answers of the learner's trial that passed the checks before, as typed (rounded where
# the learner rounded), with the hint each must now get. The rounded right value 107.2 is also
# 400 x 482.4 / 1800 exactly: its message must name both ways of getting there.
TRIAL = [
    ("gap_overall_rounded", "gap_same_mix", "gap_same_mix = -0.042", "the comparison without the segments"),
    ("gap_reversed_as_typed", "gap_same_mix", "gap_same_mix = 0.0062", "the rest of the day minus the early shift"),
    ("lunch_whole_day_rounded", "lunch_service_level", "lunch_service_level = 0.817", "the whole day's service level"),
    ("lunch_mean_rounded", "lunch_service_level", "lunch_service_level = 0.599", "average of the four half-hours' service levels"),
    ("lunch_over_answered_rounded", "lunch_service_level", "lunch_service_level = 0.686", "divides by the calls answered"),
    ("expected_change_swapped_rounded", "expected_change", "expected_change = 1.7", "months the wrong way round"),
    ("expected_change_copied_change", "expected_change", "expected_change = 8.45", "the change the six actually made"),
    ("expected_change_november_rounded", "expected_change", "expected_change = 1.44", "expected_change uses November"),
    ("expected_change_high_rounded", "expected_change", "expected_change = 8.38", "an end of the range"),
    ("traffic_right_but_rounded", "true_traffic", "traffic = 107.2", "or it was rounded"),
    ("traffic_aht_in_minutes_rounded", "true_traffic", "traffic = 1.79", "uses the AHT in minutes"),
    ("traffic_articles_figure_rounded", "true_traffic", "traffic = 106.1", "multiplies the article's rounded steps"),
    ("coached_change_november_rounded", "coached_change", "coached_change = 5.41", "coached_change uses November"),
    ("satisfied_over_invited_rounded", "satisfied_all", "satisfied_all = 0.594", "by the number of customers invited"),
    ("satisfied_fives_rounded", "satisfied_all", "satisfied_all = 0.27", "counts only the 5s"),
    ("satisfied_respondents_rounded", "satisfied_all", "satisfied_all = 0.661",
     "the share among those who answered: the dashboard's number"),
    ("funnel_inside_as_typed", "outside_funnel", "outside_funnel = 55", "like the agents inside the limits"),
    ("funnel_above_only_as_typed", "outside_funnel", "outside_funnel = 0", "counts only the agents above upper_99.8"),
]
# Answers that are, to the last bit, the value of another mistake: the message names both.
SAME_VALUE = {"traffic_right_but_rounded": {"traffic_with_the_articles_aht"}}
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


NAMES = {"true_traffic": "traffic"}  # the variable each question sets, where it is not its grade_id


@pytest.fixture(scope="module")
def right(after_setup):
    """The right answer of each question, from the solution."""
    namespace = {k: v.copy() if isinstance(v, (pd.DataFrame, pd.Series)) else v for k, v in after_setup.items()}
    found = {}
    for question in QUESTIONS:
        exec(answer(question), namespace)
        found[question] = namespace[NAMES.get(question, question)]
    return found


def shown(value) -> list[str]:
    """How a right value could be written in a message: 2 and 3 decimals, 1 for values of 1 or
    more, as a percentage for fractions (whole numbers, such as a count, are not looked for)."""
    if isinstance(value, (tuple, list)):
        return [text for v in value for text in shown(v)]
    if float(value).is_integer():
        return []
    v = abs(float(value))
    texts = [f"{v:.2f}", f"{v:.3f}"] + ([f"{v:.1f}"] if v >= 1 else [f"{v:.1%}", f"{v * 100:.1f}"])
    return [t for t in texts if t not in ("0.00", "0.000", "0.0%", "0.0")]


def assert_not_shown(said: str, value) -> None:
    for text in shown(value):
        assert not re.search(rf"(?<![\d.]){re.escape(text)}(?!\d)", said), (text, said)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.id)
def test_no_message_names_the_right_value(mistake, fresh, right):
    """Check that what a mistake is told never states the right answer, rounded or not."""
    exec(answer(mistake.question, mistake.code), fresh)
    try:
        exec(visible(mistake.question), fresh)
    except AssertionError as error:
        assert_not_shown(str(error), right[mistake.question])


@pytest.mark.parametrize("case", TRIAL, ids=lambda t: t[0])
def test_the_trials_wrong_answers_get_their_hint(case, fresh, right):
    """Check each wrong answer of the learner's trial, as typed: its hint, no other, no right value."""
    _, question, code, hint = case
    exec(answer(question, code), fresh)
    with pytest.raises(AssertionError) as error:
        exec(visible(question), fresh)
    said = str(error.value)
    assert hint in said, said
    others = [other for other, h in HINTS.items()
              if h != hint and h in said and other not in SAME_VALUE.get(case[0], ())]
    assert not others, (others, said)
    assert_not_shown(said, right[question])


# Fractions rounded to 1 to 5 decimals; QA points and Erlangs to 0 to 5 (outside_funnel is a count).
FRACTIONS = {"pass_interval", "satisfied_all", "gap_same_mix", "lunch_service_level"}
ROUNDED = [(q, d) for q in QUESTIONS if q != "outside_funnel" for d in range(q in FRACTIONS, 6)]


@pytest.mark.parametrize(("question", "digits"), ROUNDED, ids=[f"{q}-{d}" for q, d in ROUNDED])
def test_the_right_value_rounded_is_refused_as_rounded(question, digits, fresh, right):
    """Check the right answer rounded to 5 decimals or fewer: refused as rounded, never blamed on a trap
    (the one exception: traffic to one decimal is also 400 x 482.4 / 1800, and says both)."""
    value = right[question]
    rounded = tuple(round(v, digits) for v in value) if isinstance(value, tuple) else round(value, digits)
    if rounded == value:
        pytest.skip("the right value has no more decimals than that")  # 8.45 is exact
    name = NAMES.get(question, question)
    fresh[name] = rounded
    with pytest.raises(AssertionError) as error:
        exec(visible(question), fresh)
    said = str(error.value)
    if (question, digits) == ("true_traffic", 1):
        assert "or it was rounded" in said, said
        return
    assert f"{name} looks rounded" in said, said
