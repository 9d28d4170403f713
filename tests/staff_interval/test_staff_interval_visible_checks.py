"""What assignment 02's visible checks tell a learner, run in-process on the released notebook.

Issue 25: in 8 of 02's 12 autograded questions a wrong value passed the visible checks. Now:

- pinned exactly, by a property the right answer has (no value printed): traffic, agents for
  80/20, people to schedule, the occupancy cap, two separate teams, one pooled team;
- narrowed, where pinning would give the answer away: P(wait), service level and ASA with 40
  agents, the cost of one agent less and the abandonment rate refuse a value typed from a
  rounded result, the Erlang A value where Erlang C is asked (and the reverse), and anything
  outside a range; the simulation must land within 4 points of Erlang C.

Each typical mistake of mistakes.py gets its own hint (the fast twin of the soundness test), and
no message states a right value.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_helpers import assert_gives_nothing_away, mistakes_of, release_cells, visible_message

SLUG = "02-staff-an-interval"
PINNED = ["traffic_erlangs", "agents_needed", "agents_with_shrinkage", "agents_with_occupancy_cap",
          "separate_agents", "pooled_agents"]
NARROWED = ["p_wait", "service_level_n", "asa_n", "cost_of_one_agent_less", "abandon_rate"]


@pytest.fixture(scope="module")
def notebook():
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    s = space["staffing"]
    kw = dict(calls=240, aht=270)
    n = s.agents_required(**kw, target_time=20)
    right = {
        "traffic_erlangs": {"traffic": 240 * 270 / 1800},
        "p_wait": {"p_wait": s.erlang_c(agents=40, traffic=36.0)},
        "service_level_n": {"service_level_40": s.service_level(agents=40, **kw, target_time=20)},
        "asa_n": {"asa_40": s.average_speed_of_answer(agents=40, **kw)},
        "agents_needed": {"agents_needed": n},
        "agents_with_shrinkage": {"scheduled": s.scheduled_staff(agents=n, shrinkage=0.32)},
        "agents_with_occupancy_cap": {"agents_capped": s.agents_required(**kw, target_time=20, max_occupancy=0.85)},
        "cost_of_one_agent_less": {"sl_drop": s.service_level(agents=n, **kw, target_time=20)
                                   - s.service_level(agents=n - 1, **kw, target_time=20)},
        "separate_agents": {"separate_agents": 2 * s.agents_required(calls=120, aht=270, target_time=20)},
        "pooled_agents": {"pooled_agents": s.agents_required(**kw, target_time=20)},
        "abandon_rate": {"abandon_rate": s.erlang_a(agents=n, **kw, patience=90).p_abandon},
    }
    return cells, space, right


def said(notebook, question, answers):
    cells, space, _ = notebook
    return visible_message(cells, dict(space), question, answers)


def numbers(right):
    return [v for answers in right.values() for v in answers.values()]


def test_the_right_answers_pass(notebook):
    _, _, right = notebook
    for question, answers in right.items():
        assert said(notebook, question, answers) == "", question


def test_every_typical_mistake_gets_its_own_hint_and_none_gives_the_answer(notebook):
    _, space, right = notebook
    right_all = dict(right, simulated_service_level={"simulated_sl": None})
    for m in mistakes_of(SLUG):
        if m.question == "simulated_service_level":
            continue  # a 480-half-hour simulation each: the soundness test runs these
        run = dict(space)
        exec(m.code, run)  # noqa: S102 - the course's own typical mistake
        name = next(iter(right_all[m.question]))
        message = said(notebook, m.question, {name: run[name]})
        assert (m.hint in message) if m.hint else message == "", (m.id, message)
        # the right values, except small whole numbers a message may say for another reason
        assert_gives_nothing_away(message, [v for v in numbers(right) if not (isinstance(v, (int, np.integer)) and v < 50)])


@pytest.mark.parametrize("question", PINNED)
@pytest.mark.parametrize("change", [-1, 1])
def test_pinned_questions_refuse_any_other_value(notebook, question, change):
    """Whole numbers one off, traffic 1% off: every pinned question refuses them."""
    _, _, right = notebook
    (name, value), = right[question].items()
    wrong = value * (1 + change / 100) if question == "traffic_erlangs" else value + change
    assert said(notebook, question, {name: wrong}), f"{question}: {wrong} passed"


@pytest.mark.parametrize("question", NARROWED)
def test_narrowed_questions_refuse_typed_values_and_the_other_model(notebook, question):
    _, space, right = notebook
    (name, value), = right[question].items()
    s = space["staffing"]
    message = said(notebook, question, {name: round(value, 3)})
    assert "three decimals or fewer" in message
    assert_gives_nothing_away(message, numbers(right))
    for far in (value / 2, value * 2):
        assert said(notebook, question, {name: far}), f"{question}: {far} passed"
    erlang_a = {"p_wait": s.erlang_a(agents=40, calls=240, aht=270, patience=90).p_wait,
                "service_level_n": s.erlang_a(agents=40, calls=240, aht=270, patience=90).service_level,
                "asa_n": s.erlang_a(agents=40, calls=240, aht=270, patience=90).average_speed_of_answer}
    if question in erlang_a:
        assert "Erlang A" in said(notebook, question, {name: erlang_a[question]})


def test_the_cost_of_one_agent_less_in_erlang_a_is_refused_with_its_own_message(notebook):
    """The number question 12 now asks about is not the answer to question 8."""
    _, space, _ = notebook
    s = space["staffing"]
    a = s.erlang_a(agents=np.array([41, 42]), calls=240, aht=270, patience=90).service_level
    message = said(notebook, "cost_of_one_agent_less", {"sl_drop": a[1] - a[0]})
    assert "fall when callers hang up" in message and math.isclose(a[1] - a[0], 0.0168, abs_tol=5e-4)
