"""Assignment 03's visible checks hold no answer code, and their literals are true of the data.

Learner trials (modules 06 and 07) showed that a visible test cell that recomputes the right value,
or a wrong route, with the library or pandas hands the learner the answer's code. As in 06 and 07,
03's visible cells now recognise each typical mistake by a fixed literal (a wrong route's value,
where the number gives nothing away) or a fingerprint (a sha256 digest, where it would), and pin
the right value by a digest or a range; the recomputations with the library live in the hidden
tests. Here: no visible cell holds the answers' code, every literal and digest is recomputed from
the shipped data (a change of data or library cannot leave one wrong), and each typical mistake of
``mistakes.py`` meets its own hint in-process (the fast twin of the soundness tests).
"""

from __future__ import annotations

import hashlib
import math
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from course_helpers import (
    HIDDEN, REPO, answer_code_shown, assert_gives_nothing_away, assert_own_hint, mistakes_of,
    release_cells, visible_code, visible_message,
)

SLUG = "03-plan-the-week"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
QUESTIONS = ["naive_forecast", "naive_wape", "four_week_wape", "required_week", "paid_hours", "fte_needed",
             "worst_covered"]


def _solutions() -> dict[str, str]:
    nb = nbformat.read(REPO / "solutions" / SLUG / f"{SLUG}.ipynb", 4)
    return {c.metadata["nbgrader"]["grade_id"]: SOLUTION.search(c.source).group(1)
            for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


@pytest.fixture(scope="module")
def notebook():
    """The release's cells, a namespace after the setup and every right answer."""
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    for code in _solutions().values():
        exec(code, space)  # noqa: S102 - the assignment's own solution
    return cells, space


# The answers' own routes (the solution cells' calls and selections): a visible check that
# recomputes a value with them hands the learner the answer's code.
ANSWER_CODE = ["forecasting.", "forecast(", "method=", "wape(", "staffing.", "agents_required(", "scheduling.",
               "cover(", "1 - SHRINKAGE", "/ (1 -", "idxmax(", "argmax(", "argmin(", "strftime(", "groupby(",
               "calls[", '"2003-', 'tuesday["', "tuesday.index", "- tuesday"]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE)
    assert len(shown) == 7 and not any(shown.values()), shown
    assert not any("BEGIN HIDDEN" in source for source in release_cells(SLUG).values())


def test_the_guard_would_catch_answer_code():
    """The fragments find what the visible cells used to hold (or the guard is moot)."""
    old = ('_last_week = calls[(calls["interval_start"] >= "2003-08-18") & (calls["interval_start"] < "2003-08-23")]\n'
           '_default = forecasting.wape(week["calls"], forecasting.forecast(history, week["interval_start"]))\n'
           'assert (_yours == staffing.agents_required(calls=_default, aht=AHT)).all(), (\n'
           '    "required_week is not the agents 80/20 needs")\n'
           'assert math.isclose(fte_needed, paid_hours / (1 - SHRINKAGE) / HOURS_PER_FTE)\n'
           '_times = tuesday.index.strftime("%H:%M")\n')
    found = {f for f in ANSWER_CODE if f in visible_code(old)}
    assert {"calls[", "forecast(", "wape(", "agents_required(", "1 - SHRINKAGE", "strftime("} <= found
    assert "required_week is not" not in visible_code(old)  # messages are not code


def _digest(value) -> str:
    return hashlib.sha256(f"{float(value):.6g}".encode()).hexdigest()[:16]


def _array_digest(values) -> str:
    return hashlib.sha256(",".join(str(int(v)) for v in values).encode()).hexdigest()[:16]


def _digests(source: str) -> set[str]:
    return set(re.findall(r'"([0-9a-f]{16})"', visible_code(source)))


def _literal(source: str, value: float, rel_tol: float = 1e-9) -> None:
    """The cell compares with ``value``, written as a literal within ``rel_tol`` of it (well within
    the tolerance the cell compares with), or the test is moot."""
    written = [float(x) for x in re.findall(r"(?<![\w.])\d+\.\d+", visible_code(source))]
    assert any(math.isclose(x, value, rel_tol=rel_tol) for x in written), (value, written)


def test_every_literal_and_fingerprint_is_recomputed_from_the_data(notebook):
    """Each number and digest in a visible cell is a route recomputed here from the shipped data
    with the library: the right answer's digest and each wrong route's literal or digest."""
    cells, space = notebook
    forecasting, staffing, scheduling = space["forecasting"], space["staffing"], space["scheduling"]
    history, week, tuesday = space["history"], space["week"], space["tuesday"]
    calls = week["calls"].to_numpy(dtype=float)
    naive = forecasting.forecast(history, week["interval_start"], method="seasonal_naive")
    four = forecasting.forecast(history, week["interval_start"], method="mean_4_weeks")
    default = forecasting.forecast(history, week["interval_start"])
    t = space["calls"]["interval_start"]
    with_week = space["calls"][t >= "2003-08-04"]
    leaky = (with_week.groupby(t[with_week.index].dt.strftime("%a %H:%M"))["calls"].mean()
             [week["interval_start"].dt.strftime("%a %H:%M")].to_numpy())

    # 2. naive_wape: the MAPE of the seasonal naive forecast
    mape = np.mean(np.abs(calls - naive) / calls)
    _literal(cells["naive_wape_tests"], mape)
    assert 0.01 < forecasting.wape(week["calls"], naive) < 0.2  # the range pins the right value
    assert not _digests(cells["naive_wape_tests"])

    # 3. four_week_wape: the leaky four-week mean and the default method; the right value's digest
    cell = cells["four_week_wape_tests"]
    _literal(cell, forecasting.wape(week["calls"], leaky))
    _literal(cell, forecasting.wape(week["calls"], default))
    assert _digests(cell) == {_digest(forecasting.wape(week["calls"], four))}
    assert math.isclose(forecasting.wape(week["calls"], four), space["four_week_wape"], rel_tol=1e-12)

    # 4. required_week: staffed for the actual calls, naive, four-week; the right requirement;
    # the default forecast's workload (shrinkage makes the requirement > 1.3 x it)
    cell = cells["required_week_tests"]
    need = staffing.agents_required(calls=default, aht=300, target_service_level=0.8, target_time=20)
    assert _digests(cell) == {_array_digest(staffing.agents_required(calls=c, aht=300))
                              for c in (week["calls"], naive, four)} | {_array_digest(need)}
    assert np.array_equal(need, space["required_week"].to_numpy())
    workload = float((default * 300 / 1800).sum())
    _literal(cell, workload, rel_tol=1e-6)  # against 1.3 x it and 1 x it
    assert need.sum() > workload and need.sum() < 1.3 * workload
    shrunk = staffing.agents_required(calls=default, aht=300, shrinkage=0.3)
    assert shrunk.sum() > 1.3 * workload and np.ceil(need / 0.7).sum() > 1.3 * workload

    # 6. fte_needed: paid hours of people per hour on the phones, right and with 40-hour weeks
    cell = cells["fte_needed_tests"]
    paid = scheduling.cover(pd.Series(need, index=week["interval_start"])).paid_hours
    fte = space["fte_needed"]
    assert math.isclose(fte, paid / 0.7 / 37.5, rel_tol=1e-12)
    _literal(cell, paid / 0.7 / 40 * 37.5 / paid)
    assert _digests(cell) == {_digest(fte * 37.5 / paid)}

    # 7. worst_covered: the fewest agents' half-hour, the open half-hours; the right one's digest
    cell = cells["worst_covered_tests"]
    times = tuesday.index.strftime("%H:%M")
    assert f'"{times[tuesday["agents"].to_numpy().argmin()]}"' in visible_code(cell)
    assert list(times) == [f"{h:02d}:{m}" for h in range(8, 20) for m in ("00", "30")]
    short = staffing.agents_required(calls=tuesday["calls_offered"], aht=tuesday["aht_seconds"]) - tuesday["agents"]
    worst = short.idxmax().strftime("%H:%M")
    assert worst == space["worst_half_hour"]
    assert _digests(cell) == {hashlib.sha256(worst.encode()).hexdigest()[:16]}


def test_the_hidden_tests_recompute_with_the_library():
    """What left the visible cells is checked in the hidden ones, for every question."""
    nb = nbformat.read(REPO / "solutions" / SLUG / f"{SLUG}.ipynb", 4)
    hidden = {c.metadata["nbgrader"]["grade_id"]: HIDDEN.search(c.source).group(1)
              for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_tests")}
    assert set(hidden) == {f"{q}_tests" for q in QUESTIONS}
    for gid in ("four_week_wape_tests", "required_week_tests", "worst_covered_tests"):
        assert "staffing." in hidden[gid] or "groupby(" in hidden[gid], gid


@pytest.mark.parametrize("mistake", [m for m in mistakes_of(SLUG)], ids=lambda m: m.id)
def test_each_mistake_gets_its_own_hint_and_no_value(notebook, mistake):
    """The fast twin of the soundness tests: each typical mistake, run where the learner would
    run it, meets its own hint (and no other's) in its question's visible checks, or passes them
    when only the hidden test can see it; no message shows a right value."""
    cells, space = notebook
    space = dict(space)
    exec(mistake.code, space)  # noqa: S102 - the course's own typical mistake
    message = visible_message(cells, space, mistake.question, {})
    assert_own_hint(message, mistake, mistakes_of(SLUG))
    _, right = notebook
    numbers = [float(right[n]) for n in ("naive_wape", "four_week_wape", "paid_hours", "fte_needed")]
    assert_gives_nothing_away(message, numbers, texts=(right["worst_half_hour"],))


@pytest.mark.parametrize("question, name, wrong, says", [
    ("four_week_wape", "four_week_wape", 0.0612345678, "not yet the WAPE of the four-week mean"),
    ("worst_covered", "worst_half_hour", "09:30", "not yet the half-hour furthest short"),
    ("naive_wape", "naive_wape", 0.3123456789, "outside the range"),
    ("fte_needed", "fte_needed", 500.123, "does not yet turn paid_hours into people"),
])
def test_a_wrong_value_no_mistake_names_gets_the_catch_all(notebook, question, name, wrong, says):
    """An answer no typical mistake explains is told to look again, without the value; the
    catch-all is no mistake's hint (opsfirst check must not call it a common mistake)."""
    cells, space = notebook
    message = visible_message(cells, dict(space), question, {name: wrong})
    assert says in message, message
    assert not [m.id for m in mistakes_of(SLUG) if m.hint and m.hint in message], message
    right = space
    numbers = [float(right[n]) for n in ("naive_wape", "four_week_wape", "paid_hours", "fte_needed")]
    assert_gives_nothing_away(message, numbers, texts=(right["worst_half_hour"],))


def test_question_2_follows_question_1_through():
    """A learner whose question 1 is wrong in a way only the hidden test sees (two weeks back)
    still passes question 2's visible checks with the WAPE of their own forecast."""
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102
    (two_weeks,) = [m for m in mistakes_of(SLUG) if m.id == "naive_two_weeks_back"]
    exec(two_weeks.code, space)  # noqa: S102
    exec(_solutions()["naive_wape"], space)  # noqa: S102
    assert visible_message(cells, space, "naive_wape", {}) == ""
