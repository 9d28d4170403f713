"""What assignment 00's visible checks tell a learner, run in-process on the released notebook.

Issue 25: every autograded question of 00 used to accept a wrong value. Now the visible checks
pin all three answers exactly, by a fingerprint (a sha256 digest of the value, so that the cell
does not show it), and name the typical wrong routes the same way. The trial of 00 (a manager
new to Python) found the second-busiest half-hour passing in the notebook, messages that blamed
the wrong thing (a mean of calls told to "round up agents", a division the wrong way round told
"do not multiply by 100", a right answer rounded to 4 decimals told its method was wrong), and
no hint that %m is the month: each has its own test below. No message may state a right answer.

As in modules 06 and 07, a visible test cell holds no answer code: the routes that compute an
answer (and the data's sums) live in the hidden tests only, and the fingerprints the visible
cells compare with are recomputed here from the data (test_the_fingerprints_are_the_routes_they_name).

The released notebook's own cells run here, in one namespace: its setup cell, then for each
answer the question's visible test cell (the release holds no hidden test).
"""

from __future__ import annotations

import hashlib
import re

import nbformat
import pytest

from course_helpers import (
    REPO, answer_code_shown, assert_gives_nothing_away, mistakes_of, release_cells,
    visible_code, visible_message,
)

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
        run = dict(space)
        exec(m.code, run)  # noqa: S102 - the course's own typical mistake
        name = next(iter(right[m.question]))
        message = said(notebook, m.question, {name: run[name]})
        if m.hint is None:
            assert message == "", f"{m.id} should pass the visible checks (hidden-only)"
        else:
            assert m.hint in message, (m.id, message)
        assert_gives_nothing_away(message, numbers(right), texts=[right["busiest_interval"]["busiest_interval"]])


@pytest.mark.parametrize("offset", [-1, 1, 24])
def test_total_calls_off_by_a_little_is_refused(notebook, offset):
    _, _, right = notebook
    wrong = right["total_calls"]["total_calls"] + offset
    message = said(notebook, "total_calls", {"total_calls": wrong})
    assert "is not the day's calls offered" in message


def test_a_mean_of_calls_is_told_about_calls_not_agents(notebook):
    """Trial of 00: day["calls_offered"].mean() was told "Agents come in whole people: round up
    with math.ceil", which blames agents and suggests a fix that is still wrong."""
    _, space, _ = notebook
    for value in (space["day"]["calls_offered"].mean(), 3362.5):
        message = said(notebook, "total_calls", {"total_calls": value})
        assert "Calls come whole" in message and ".sum()" in message
        assert "Agents" not in message and "math.ceil" not in message


@pytest.mark.parametrize("wrong", [lambda x: round(x, 4), lambda x: x + 1e-4, lambda x: x - 0.01,
                                   lambda x: 0.8, lambda x: (x + 1) / 2])
def test_service_level_near_misses_are_refused(notebook, wrong):
    _, _, right = notebook
    value = wrong(right["service_level_day"]["service_level_day"])
    message = said(notebook, "service_level_day", {"service_level_day": value})
    assert message, f"{value} passed the visible checks"
    assert_gives_nothing_away(message, numbers(right))


@pytest.mark.parametrize("decimals", [2, 3, 4, 5])
def test_a_right_answer_rounded_is_told_it_is_rounded(notebook, decimals):
    """Trial of 00: 0.9474 (the right answer to 4 decimals) was told its method was wrong."""
    _, _, right = notebook
    value = round(right["service_level_day"]["service_level_day"], decimals)
    assert "as if typed in from a rounded result" in said(notebook, "service_level_day", {"service_level_day": value})


def test_more_than_1_is_called_a_percentage_only_when_it_is_one(notebook):
    """Trial of 00: 1.056 (offered over answered within 20 s) was told "do not multiply by 100"."""
    _, space, right = notebook
    day = space["day"]
    x = right["service_level_day"]["service_level_day"]
    for percentage in (100 * x, x * 100, 100 * (day["answered_within_20s"] / day["calls_offered"]).mean()):
        assert "looks like a percentage" in said(notebook, "service_level_day", {"service_level_day": percentage})
    for other in (1 / x, 1.5, 22.8, 50.0):
        message = said(notebook, "service_level_day", {"service_level_day": other})
        assert message and "percentage" not in message, (other, message)
    assert "wrong way round" in said(notebook, "service_level_day", {"service_level_day": 1 / x})


def test_a_column_of_rates_is_not_told_to_add_them_up(notebook):
    """Trial of 00: a Series of rates was told "add them up with .sum()", which gives 22.8."""
    _, space, _ = notebook
    day = space["day"]
    message = said(notebook, "service_level_day",
                   {"service_level_day": day["answered_within_20s"] / day["calls_offered"]})
    assert "one value for each half-hour" in message and "add them up with .sum()" not in message


def test_only_the_busiest_half_hour_passes(notebook):
    """Trial of 00: "10:00", the second busiest, passed every visible check in the notebook."""
    _, space, right = notebook
    times = list(space["day"]["interval_start"].dt.strftime("%H:%M"))
    passing = [t for t in times if said(notebook, "busiest_interval", {"busiest_interval": t}) == ""]
    assert passing == [right["busiest_interval"]["busiest_interval"]]
    top3 = list(space["day"].nlargest(3, "calls_offered")["interval_start"].dt.strftime("%H:%M"))
    for close in top3[1:]:
        message = said(notebook, "busiest_interval", {"busiest_interval": close})
        assert "not the busiest" in message
        assert_gives_nothing_away(message, [], texts=top3)


def test_a_time_in_the_wrong_form_is_told_what_form(notebook):
    _, space, right = notebook
    stamp = space["day"].loc[space["day"]["calls_offered"].idxmax(), "interval_start"]
    for wrong in (stamp, 5):
        message = said(notebook, "busiest_interval", {"busiest_interval": wrong})
        assert "like \"14:00\", with the quotes" in message
    for text in ("10:30:00", "1030", str(stamp)):
        message = said(notebook, "busiest_interval", {"busiest_interval": text})
        assert "hours and minutes only, like \"14:00\"" in message and "with the quotes" not in message
    message = said(notebook, "busiest_interval", {"busiest_interval": stamp.strftime("%H:%m")})
    assert "%m (small m) is the month" in message


def test_the_chart_check_names_what_is_missing(notebook):
    """Question 4's ungraded cell under the chart: a gentle reminder, printed, never an error."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nb = nbformat.read(REPO / "exercises" / SLUG / f"{SLUG}.ipynb", 4)
    check = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "plot_day_check")
    fig, ax = plt.subplots()
    outputs = []
    for title, xlabel, ylabel in (("", "", ""), ("Calls", "time", ""), ("Calls", "time", "calls")):
        ax.set_title(title), ax.set_xlabel(xlabel), ax.set_ylabel(ylabel)
        space = {"ax": ax, "print": outputs.append}
        exec(check, space)  # noqa: S102 - the course's own released cell
    plt.close(fig)
    exec(check, {"print": outputs.append})  # noqa: S102 - no chart drawn yet
    assert outputs == ["Your chart still needs a title and a label on the horizontal axis and a label on the vertical axis.",
                       "Your chart still needs a label on the vertical axis.",
                       "Your chart has a title and both axis labels.",
                       "Draw your chart on ax in the cell above, then run this cell again."]


# The answers' own routes: a visible check that recomputes the right value with them hands the
# learner the answer's code. Visible checks compare with fingerprints (or literals that give
# nothing away) instead.
ANSWER_CODE = ["idxmax(", "nlargest(", ".sum()", ".mean()", "day[", "strftime(", "_check"]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE)
    assert len(shown) == 3 and not any(shown.values()), shown


def test_the_guard_would_catch_answer_code():
    """The fragment list finds the routes the checks used to hold (or the guard is moot)."""
    old = ('_calls = dict(zip(_times, day["calls_offered"]))\n'
           'assert _calls[busiest_interval] >= day["calls_offered"].nlargest(3).min(), (\n'
           '    "busiest_interval is not among the day\'s three busiest half-hours")')
    assert {"nlargest(", "day["} <= {f for f in ANSWER_CODE if f in visible_code(old)}


def digest(name, value):
    text = value if isinstance(value, str) else f"{float(value):.6g}"
    return hashlib.sha256(f"{name} {text}".encode()).hexdigest()[:16]


def test_the_fingerprints_are_the_routes_they_name(notebook):
    """Each fingerprint a visible check compares with is the digest of the route its message
    names, recomputed from the data: a change to the data or a typo in a digest fails here."""
    cells, space, right = notebook
    day = space["day"]
    o, a, w = (day[c].sum() for c in ("calls_offered", "calls_answered", "answered_within_20s"))
    rates = day["answered_within_20s"] / day["calls_offered"]
    expected = {
        "total_calls_tests": {digest("total_calls", v) for v in (o, a, w, day["calls_offered"].max())},
        "busiest_interval_tests": {digest("busiest_interval", t) for t in
                                   day.nlargest(3, "calls_offered")["interval_start"].dt.strftime("%H:%M")},
        "service_level_day_tests": {digest("service_level_day", v) for v in
                                    (w / o, rates.mean(), rates.sum(), o / w, w / a, a / o)},
    }
    for test, digests in expected.items():
        assert set(re.findall(r'"([0-9a-f]{16})"', cells[test])) == digests, test
    # the literals the busiest-interval checks use: first row, quietest, most abandoned
    times = day["interval_start"].dt.strftime("%H:%M")
    assert times.iloc[0] == "08:00" and times.iloc[-1] == "19:30" and len(times) == 24
    assert times[day["calls_offered"].idxmin()] == "18:30"
    assert times[day["calls_abandoned"].idxmax()] == "12:30"
    assert right["busiest_interval"]["busiest_interval"] not in ("08:00", "18:30", "12:30")


def test_no_message_holds_another_mistake_s_hint(notebook):
    """opsfirst check and the cohort report name a mistake by its hint: one message, one mistake
    (the soundness test checks this across questions too, with nbgrader; this is its fast twin)."""
    _, space, right = notebook
    hints = {m.id: m.hint for m in mistakes_of(SLUG) if m.hint}
    for m in mistakes_of(SLUG):
        run = dict(space)
        exec(m.code, run)  # noqa: S102 - the course's own typical mistake
        name = next(iter(right[m.question]))
        message = said(notebook, m.question, {name: run[name]})
        assert not [other for other, hint in hints.items() if other != m.id and hint in message], (m.id, message)
