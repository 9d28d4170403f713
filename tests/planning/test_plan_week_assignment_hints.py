"""What assignment 03's visible checks tell a learner who hands in answers of the wrong shape.

Answers of the wrong type are not in ``mistakes.py`` (each of those must pass the type checks);
their messages are checked here: each must name the way out, and none may give the right value.
Earlier modules' learners tripped on rounding, on a whole result object where a number was
asked, and on values the lesson never showed how to get: these are those cases for module 03.

The released notebook's own cells run here, in one namespace: its setup cell, then for each
answer the question's visible test cell (the release holds no hidden test).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from course_helpers import assert_gives_nothing_away, release_cells, visible_message

SLUG = "03-plan-the-week"


@pytest.fixture(scope="module")
def notebook():
    """The release's test cells by grade_id, a namespace after its setup cell, and the answers."""
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    forecasting, scheduling, staffing = space["forecasting"], space["scheduling"], space["staffing"]
    history, week, tuesday = space["history"], space["week"], space["tuesday"]
    naive = forecasting.forecast(history, week["interval_start"], method="seasonal_naive")
    four = forecasting.forecast(history, week["interval_start"], method="mean_4_weeks")
    better = forecasting.forecast(history, week["interval_start"])  # question 4 plans with the default
    required = pd.Series(staffing.agents_required(calls=better, aht=300), index=week["interval_start"])
    paid = scheduling.cover(required).paid_hours
    short = staffing.agents_required(calls=tuesday["calls_offered"], aht=tuesday["aht_seconds"]) - tuesday["agents"]
    right = dict(
        naive_forecast=dict(naive_forecast=naive),
        naive_wape=dict(naive_forecast=naive, naive_wape=forecasting.wape(week["calls"], naive)),
        four_week_wape=dict(four_week_wape=forecasting.wape(week["calls"], four)),
        required_week=dict(required_week=required),
        paid_hours=dict(required_week=required, paid_hours=paid),
        fte_needed=dict(paid_hours=paid, fte_needed=paid / 0.7 / 37.5),
        worst_covered=dict(worst_half_hour=short.idxmax().strftime("%H:%M")),
    )
    return cells, space, right


def said(notebook, question, answers):
    cells, space, right = notebook
    given = {**right[question], **answers}
    return visible_message(cells, space, question, given)


def secrets(notebook):
    _, _, right = notebook
    values = []
    for answers in right.values():
        for value in answers.values():
            if isinstance(value, (int, float, np.number)):
                values.append(float(value))
    return values


def test_the_right_answers_pass_the_visible_checks(notebook):
    _, _, right = notebook
    for question in right:
        assert said(notebook, question, {}) == "", question


@pytest.mark.parametrize("question, answers, way_out", [
    ("naive_forecast", {"naive_forecast": [1.0, 2.0]}, "forecasting.forecast returns"),
    ("naive_forecast", {"naive_forecast": np.zeros(28)}, "give one per half-hour of the week (140)"),
    ("naive_wape", {"naive_wape": 4.96}, "do not multiply by 100"),
    ("four_week_wape", {"four_week_wape": "0.05"}, "remove the quotes"),
    ("required_week", {"required_week": np.ones(140, dtype=int)}, "index=week['interval_start']"),
    ("required_week", {"required_week": pd.Series(np.ones(28, dtype=int))}, "one value per half-hour of the week (140)"),
    ("paid_hours", {"paid_hours": None}, "one number"),
    ("worst_covered", {"worst_half_hour": pd.Timestamp("2025-11-18 12:00")}, 'strftime("%H:%M")'),
    ("worst_covered", {"worst_half_hour": "12:00:00"}, "two digits each"),
    ("worst_covered", {"worst_half_hour": "21:00"}, "not a half-hour the line was open"),
])
def test_a_wrong_shape_is_told_the_way_out(notebook, question, answers, way_out):
    message = said(notebook, question, answers)
    assert way_out in message, message
    assert_gives_nothing_away(message, secrets(notebook))


def test_the_whole_schedule_for_paid_hours_is_told_to_take_its_paid_hours(notebook):
    cells, space, right = notebook
    plan = space["scheduling"].cover(right["paid_hours"]["required_week"])
    message = said(notebook, "paid_hours", {"paid_hours": plan})
    assert ".paid_hours" in message
    assert_gives_nothing_away(message, secrets(notebook))


def test_a_rounded_fte_is_told_not_to_round(notebook):
    _, _, right = notebook
    exact = right["fte_needed"]["fte_needed"]
    # this week's FTE happens to be a whole number (14,490 / 0.7 / 37.5): rounding it is harmless,
    # rounding it the wrong way is not
    for rounded in {math.ceil(exact), math.floor(exact), float(round(exact))}:
        message = said(notebook, "fte_needed", {"fte_needed": rounded})
        if math.isclose(rounded, exact):
            assert message == ""
        else:
            assert "did you round it?" in message
            assert_gives_nothing_away(message, secrets(notebook))
    message = said(notebook, "fte_needed", {"fte_needed": float(math.ceil(exact) + 1)})
    assert "did you round it?" in message


@pytest.mark.parametrize("question, name", [("naive_wape", "naive_wape"), ("four_week_wape", "four_week_wape")])
def test_a_rounded_wape_is_told_not_to_round(notebook, question, name):
    _, _, right = notebook
    exact = right[question][name]
    for digits in (2, 3, 4, 5, 6):  # (to 1 digit it is 0.0: told it is 0)
        message = said(notebook, question, {name: round(exact, digits)})
        assert "did you round it?" in message, (digits, message)
        assert_gives_nothing_away(message, secrets(notebook))
    # a percentage rounded and divided back (4.96 / 100) is caught too
    message = said(notebook, question, {name: round(100 * exact, 2) / 100})
    assert "did you round it?" in message


def test_question_4_says_which_forecast(notebook):
    """Staffing the seasonal naive or the four-week forecast is told "which forecast?", not that the
    agents are below the workload; shrinkage in the requirement is told it has no place here."""
    _, space, _ = notebook
    forecasting, staffing, history, week = (space[k] for k in ("forecasting", "staffing", "history", "week"))
    for method in ("seasonal_naive", "mean_4_weeks"):
        other = forecasting.forecast(history, week["interval_start"], method=method)
        required = pd.Series(staffing.agents_required(calls=other, aht=300), index=week["interval_start"])
        message = said(notebook, "required_week", {"required_week": required})
        assert "Which forecast?" in message and "nobody would be answered" not in message, message
        assert_gives_nothing_away(message, secrets(notebook))
    better = forecasting.forecast(history, week["interval_start"])
    for shrunk in (staffing.agents_required(calls=better, aht=300, shrinkage=0.3),
                   np.ceil(staffing.agents_required(calls=better, aht=300) / 0.7).astype(int)):
        message = said(notebook, "required_week", {"required_week": pd.Series(shrunk, index=week["interval_start"])})
        assert "No shrinkage here" in message, message


def test_a_leaky_forecast_is_caught_whatever_it_is_built_with(notebook):
    """A four-week mean over the last four weeks of the whole data (the test week among them),
    computed in pandas as a spreadsheet user would, gets the leak hint."""
    _, space, _ = notebook
    calls, week, forecasting = space["calls"], space["week"], space["forecasting"]
    t = calls["interval_start"]
    window = calls[(t >= "2003-08-04")]
    means = window.groupby(t[window.index].dt.strftime("%a %H:%M"))["calls"].mean()
    leaky = means[week["interval_start"].dt.strftime("%a %H:%M")].to_numpy()
    message = said(notebook, "four_week_wape", {"four_week_wape": forecasting.wape(week["calls"], leaky)})
    assert "the test week is in the history" in message


def test_fte_on_a_whole_schedule_points_back_to_question_5(notebook):
    cells, space, right = notebook
    plan = space["scheduling"].cover(right["paid_hours"]["required_week"])
    message = said(notebook, "fte_needed", {"paid_hours": plan, "fte_needed": 600.5})
    assert "fix question 5 first" in message
    assert_gives_nothing_away(message, secrets(notebook))
