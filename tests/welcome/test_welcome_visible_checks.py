"""What assignment 00's visible checks tell a learner, run in-process on the released notebook.

Issue 25: every autograded question of 00 used to accept a wrong value. Now the visible checks
pin total_calls and service_level_day exactly (by a property of the data, not by printing the
value), and refuse any busiest_interval outside the day's three busiest half-hours; the
second-busiest is left to the hidden test on purpose (the soundness tests need one mistake that
only a hidden test catches). No message may state a right answer.

The released notebook's own cells run here, in one namespace: its setup cell, then for each
answer the question's visible test cell (the release holds no hidden test).
"""

from __future__ import annotations

import pytest

from course_helpers import assert_gives_nothing_away, mistakes_of, release_cells, visible_message

SLUG = "00-welcome"


@pytest.fixture(scope="module")
def notebook():
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    day = space["day"]
    right = {
        "total_calls": {"total_calls": day["calls_offered"].sum()},
        "busiest_interval": {"busiest_interval": day.loc[day["calls_offered"].idxmax(), "interval_start"].strftime("%H:%M")},
        "service_level_day": {"service_level_day": day["answered_within_20s"].sum() / day["calls_offered"].sum()},
    }
    return cells, space, right


def said(notebook, question, answers):
    cells, space, _ = notebook
    return visible_message(cells, dict(space), question, answers)


def numbers(right):
    return [v for answers in right.values() for v in answers.values() if not isinstance(v, str)]


def test_the_right_answers_pass(notebook):
    _, _, right = notebook
    for question, answers in right.items():
        assert said(notebook, question, answers) == "", question


def test_every_typical_mistake_gets_its_own_hint_and_none_gives_the_answer(notebook):
    """The fast twin of the soundness test: each mistake of mistakes.py, its hint, no value."""
    _, space, right = notebook
    for m in mistakes_of(SLUG):
        answers: dict = {}
        run = dict(space)
        exec(m.code, run)  # noqa: S102 - the course's own typical mistake
        name = next(iter(right[m.question]))
        message = said(notebook, m.question, {name: run[name]})
        if m.hint is None:
            assert message == "", f"{m.id} should pass the visible checks (hidden-only)"
        else:
            assert m.hint in message, (m.id, message)
        assert_gives_nothing_away(message, numbers(right), texts=[right["busiest_interval"]["busiest_interval"]])
        del answers


@pytest.mark.parametrize("offset", [-1, 1, 24])
def test_total_calls_off_by_a_little_is_refused(notebook, offset):
    _, _, right = notebook
    wrong = right["total_calls"]["total_calls"] + offset
    message = said(notebook, "total_calls", {"total_calls": wrong})
    assert "is not the day's calls offered" in message


@pytest.mark.parametrize("wrong", [lambda x: round(x, 4), lambda x: x + 1e-4, lambda x: x - 0.01,
                                   lambda x: 0.8, lambda x: (x + 1) / 2])
def test_service_level_near_misses_are_refused(notebook, wrong):
    _, _, right = notebook
    value = wrong(right["service_level_day"]["service_level_day"])
    message = said(notebook, "service_level_day", {"service_level_day": value})
    assert message, f"{value} passed the visible checks"
    assert_gives_nothing_away(message, numbers(right))


def test_only_the_three_busiest_half_hours_pass_and_only_the_busiest_is_right(notebook):
    _, space, right = notebook
    day = space["day"]
    times = list(day["interval_start"].dt.strftime("%H:%M"))
    passing = [t for t in times if said(notebook, "busiest_interval", {"busiest_interval": t}) == ""]
    top3 = list(day.nlargest(3, "calls_offered")["interval_start"].dt.strftime("%H:%M"))
    assert sorted(passing) == sorted(top3)
    assert right["busiest_interval"]["busiest_interval"] in passing
    for wrong in ("10:30:00", "1030", 5):
        message = said(notebook, "busiest_interval", {"busiest_interval": wrong})
        assert "like \"14:00\"" in message
        assert_gives_nothing_away(message, [], texts=top3)  # the example is not a busy half-hour
