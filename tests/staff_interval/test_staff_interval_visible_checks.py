"""What assignment 02's visible checks tell a learner, run in-process on the released notebook.

Issue 25: in 8 of 02's 12 autograded questions a wrong value passed the visible checks. The
trial of 02 (a manager new to Python) then found the visible cells showing question 5's exact
call, narrow answer ranges and question 10's whole recipe. Now, as in modules 06 and 07, a
visible test cell holds no answer code (no opsfirst maths at all): it compares the answer and
its typical wrong routes with fingerprints (sha256 digests, so that no value shows), and the
recomputations with the library live in the hidden tests. Every question but the simulation is
pinned exactly that way; the simulation refuses the recognised wrong runs and leaves the rest
to its hidden test. P(wait), service level, ASA, the cost of one agent less and the
abandonment rate refuse a value typed from a rounded result, and the Erlang A value where
Erlang C is asked (and the reverse).

Each typical mistake of mistakes.py gets its own hint (the fast twin of the soundness test), and
no message states a right value. A check's last, catch-all message is no mistake's hint (so
``opsfirst check`` never calls it "a common mistake"), and it says to fix the earlier question
first where the answer uses one.
"""

from __future__ import annotations

import hashlib
import math
import re

import numpy as np
import pytest

from course_helpers import (
    REPO, answer_code_shown, assert_gives_nothing_away, markdown, mistakes_of, release_cells,
    visible_code, visible_message,
)

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
        "agents_with_shrinkage": {"scheduled": s.scheduled_staff(agents=n, shrinkage=0.28)},
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
    assert "five decimals or fewer" in message
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


def test_rounding_to_the_nearest_person_is_refused_with_the_way_out(notebook):
    """Trial of 02: round(42 / (1 - 0.32)) = round(61.76) passed by luck. With 28% shrinkage
    42 / 0.72 = 58.33: round() and int() give 58, one person short, and are told to round up."""
    _, _, right = notebook
    scheduled = right["agents_with_shrinkage"]["scheduled"]
    assert 42 / (1 - 0.28) % 1 < 0.5 and round(42 / (1 - 0.28)) == int(42 / (1 - 0.28)) == scheduled - 1
    message = said(notebook, "agents_with_shrinkage", {"scheduled": round(42 / (1 - 0.28))})
    assert "Round up: staffing.scheduled_staff (as in the lesson) or math.ceil" in message
    message = said(notebook, "agents_with_shrinkage", {"scheduled": 42 / (1 - 0.28)})
    assert "round up, with staffing.scheduled_staff (as in the lesson) or math.ceil" in message
    assert "Agents come in whole people" not in message


def test_an_earlier_wrong_answer_is_named_as_the_one_to_fix(notebook):
    """Trial of 02: question 1's traffic per hour made p_wait fail with a message that blamed
    p_wait ("a common mistake: ... use Erlang C with the traffic of question 1")."""
    _, space, right = notebook
    s = space["staffing"]
    p_wait = s.erlang_c(agents=40, traffic=240 * 270 / 3600)
    message = said(notebook, "p_wait", {"p_wait": p_wait})
    assert "If question 1 is not yet right, fix it first" in message
    hints = [m.hint for m in mistakes_of(SLUG) if m.hint]
    assert not [h for h in hints if h in message], "a catch-all message must not read as a known mistake"
    for question, also in (("agents_with_shrinkage", 45), ("cost_of_one_agent_less", 0.05113217),
                           ("abandon_rate", 0.03112345)):
        (name, _), = right[question].items()
        message = said(notebook, question, {name: also})
        assert "If question 5 is not yet right, fix it first" in message, (question, message)


@pytest.mark.parametrize("question", PINNED + NARROWED)
def test_a_catch_all_message_is_no_known_mistake(notebook, question):
    """opsfirst check says "a common mistake:" when a message holds a mistake's hint: a value
    no route explains must get the check's last message, which holds none."""
    _, _, right = notebook
    (name, value), = right[question].items()
    odd = value + 6 if isinstance(value, (int, np.integer)) else value * 1.0371
    message = said(notebook, question, {name: odd})
    assert "not yet" in message, (question, message)
    assert not [m.hint for m in mistakes_of(SLUG) if m.hint and m.hint in message], (question, message)


def test_every_known_mistake_message_starts_in_lower_case(notebook):
    """opsfirst check prints "a common mistake: <the message's line>": no capital after the colon."""
    _, space, right = notebook
    right_all = dict(right, simulated_service_level={"simulated_sl": None})
    for m in mistakes_of(SLUG):
        if m.hint is None or m.question == "simulated_service_level":
            continue
        run = dict(space)
        exec(m.code, run)  # noqa: S102 - the course's own typical mistake
        name = next(iter(right_all[m.question]))
        line = next(line for line in said(notebook, m.question, {name: run[name]}).splitlines() if m.hint in line)
        assert line[0].islower(), (m.id, line)


def test_the_prompts_say_what_the_trial_missed():
    text = markdown(REPO / "solutions" / SLUG / f"{SLUG}.ipynb")
    assert "There is **no occupancy cap** here: question 7's 85% cap does not apply." in text
    assert "leave `patience` out (without it, nobody hangs up)" in text
    assert "the **+** button in the toolbar" in text
    assert "patient = staffing.erlang_a(agents=np.array([agents_needed, agents_needed - 1])" in text


def test_the_two_lines_of_question_12_give_the_numbers_of_its_scheme(notebook):
    """The cell question 12 gives to copy runs, and gives the Erlang A rows of the mark scheme."""
    _, space, _ = notebook
    run = dict(space, agents_needed=42)
    exec("patient = staffing.erlang_a(agents=np.array([agents_needed, agents_needed - 1]), calls=CALLS, "
         "aht=AHT, patience=PATIENCE)\nrows = patient.service_level, patient.p_abandon", run)  # noqa: S102
    levels, abandoned = run["rows"]
    assert [f"{x:.1%}" for x in levels] == ["94.3%", "92.7%"]
    assert [f"{x:.1%}" for x in abandoned] == ["2.3%", "3.0%"]


# The answers' own routes: a visible check that runs the library's maths hands the learner the
# answer's code (the trial of 02 found question 5's call in four visible cells). Visible checks
# compare with fingerprints instead; the recomputations are hidden.
ANSWER_CODE = ["staffing.", "simulation.", "agents_required(", "erlang_c(", "erlang_a(", "erlang_b(",
               "service_level(", "average_speed_of_answer(", "scheduled_staff(", "simulate_queue(",
               "traffic_intensity(", "/ INTERVAL", "INTERVAL /", "* AHT", "_check"]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE)
    assert len(shown) == 12 and not any(shown.values()), shown


def test_the_guard_would_catch_answer_code():
    """The fragments find what the visible cells used to hold (or the guard is moot)."""
    old = ("_on_phones = staffing.agents_required(calls=CALLS, aht=AHT, target_service_level=TARGET_SL,\n"
           "                                      target_time=TARGET_TIME)\n"
           "assert 0.015 < abandon_rate < 0.035, (\n"
           "    \"abandon_rate is far from what Erlang A gives\")")
    assert {"staffing.", "agents_required("} <= {f for f in ANSWER_CODE if f in visible_code(old)}


def digest(name, value):
    return hashlib.sha256(f"{name} {float(value):.6g}".encode()).hexdigest()[:16]


def test_the_fingerprints_are_the_routes_they_name(notebook):
    """Every fingerprint in a visible cell is the digest of a route recomputed here with the
    library, the right answer's among them: a typo or a change of numbers fails here."""
    cells, space, right = notebook
    s = space["staffing"]
    kw = dict(calls=240, aht=270)
    n = right["agents_needed"]["agents_needed"]
    a40 = s.erlang_a(agents=40, **kw, patience=90)
    an = s.erlang_a(agents=n, **kw, patience=90)
    lv = s.service_level(agents=np.array([n - 1, n, n + 1]), **kw, target_time=20)
    pa = s.erlang_a(agents=np.array([n - 1, n]), **kw, patience=90).service_level
    one = s.agents_required(calls=120, aht=270, target_time=20)
    sim = space["simulation"].simulate_queue
    routes = {
        "traffic_erlangs": ("traffic", [240 * 270, 240 * 4.5 / 1800, 240 * 270 / 3600]),
        "p_wait": ("p_wait", [s.erlang_b(agents=40, traffic=36.0), 36 / 40,
                              1 - s.erlang_c(agents=40, traffic=36.0), a40.p_wait]),
        "service_level_n": ("service_level_40", [1 - s.erlang_c(agents=40, traffic=36.0), a40.service_level]),
        "asa_n": ("asa_40", [270 / 4, a40.average_speed_of_answer, a40.average_wait_all_calls]),
        "agents_needed": ("agents_needed", [36, s.agents_required(**kw, patience=90), n - 1]),
        "agents_with_shrinkage": ("scheduled", [53, 54, 58, n]),
        "agents_with_occupancy_cap": ("agents_capped", [n]),
        "cost_of_one_agent_less": ("sl_drop", [lv[2] - lv[1], (lv[1] - lv[0]) / lv[1], pa[1] - pa[0]]),
        "separate_agents": ("separate_agents", [one, 2 * n]),
        "pooled_agents": ("pooled_agents", [2 * one, one, s.agents_required(calls=240, aht=270, target_time=20,
                                                                               max_occupancy=0.85)]),
        "abandon_rate": ("abandon_rate", [an.p_wait, a40.p_abandon,
                                          s.erlang_a(agents=n, **kw, patience=1.5).p_abandon]),
        "simulated_service_level": ("simulated_sl", [
            sim(**kw, agents=n, intervals=480, warm_up=1800, seed=2026, patience=90).service_level,
            sim(**kw, agents=40, intervals=480, warm_up=1800, seed=2026).service_level]),
    }
    assert (42 * 1.28 // 1, -(-42 * 1.28 // 1)) == (53, 54)
    for question, (name, wrong) in routes.items():
        values = wrong + [v for v in right.get(question, {}).values()]
        expected = {digest(name, v) for v in values}
        assert set(re.findall(r'"([0-9a-f]{16})"', cells[f"{question}_tests"])) == expected, question


def test_no_message_holds_another_mistake_s_hint(notebook):
    """opsfirst check and the cohort report name a mistake by its hint: one message, one mistake."""
    _, space, right = notebook
    right_all = dict(right, simulated_service_level={"simulated_sl": None})
    hints = {m.id: m.hint for m in mistakes_of(SLUG) if m.hint}
    for m in mistakes_of(SLUG):
        if m.question == "simulated_service_level":
            continue  # a 480-half-hour simulation each: the soundness test runs these
        run = dict(space)
        exec(m.code, run)  # noqa: S102 - the course's own typical mistake
        name = next(iter(right_all[m.question]))
        message = said(notebook, m.question, {name: run[name]})
        assert not [other for other, hint in hints.items() if other != m.id and hint in message], (m.id, message)
