"""What assignment 01's visible checks tell a learner who gives the wrong answers a trial learner gave.

A learner who had not seen the solution tried: daily_summary's columns for question 4 (one-row
Series indexed by date), ``[0]`` on them (KeyError: 0), the service level typed in from the
table (0.270833, or rounder), a ratio per half-hour for the patience (infinite: some half-hours
have no abandoned calls), per-half-hour service levels without adding up, and ``channel=None``.
Answers of the wrong type are not in ``mistakes.py`` (each of those must pass the type checks);
their messages are checked here: each must name the way out, and none may give the right value.

The released notebook's own cells run here, in one namespace: its setup cell, then for each
answer the question's visible test cell (the release holds no hidden test).

As in modules 06 and 07, a visible test cell holds no answer code (no opsfirst maths, no pandas
recomputation): it compares the answer with the typical wrong routes' values as fixed literals,
or as sha256 digests where a number would give the right value away, and pins the right value by
a digest of its rounding; the recomputations live in the hidden tests. The tests at the end
recompute every literal and digest from the shipped data, run each mistake of mistakes.py against
its own hint, and fail when a visible cell holds answer code.
"""

from __future__ import annotations

import hashlib
import re
import sys

import numpy as np
import pytest

from course_helpers import (
    answer_code_shown, assert_gives_nothing_away, assert_own_hint, mistakes_of, release_cells,
    visible_code, visible_message,
)

SLUG = "01-operations-first"
CHANGE = "2025-10-13"


@pytest.fixture(scope="module")
def notebook():
    """The release's cells by grade_id, a namespace after its setup cell, and the right answers."""
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    metrics, autumn, september, day, billing = (space[k] for k in ("metrics", "autumn", "september",
                                                                    "day", "billing"))
    waits = september["answered_wait_seconds"] + september["abandoned_wait_seconds"]
    summary = metrics.daily_summary(day).iloc[0]
    table = metrics.before_after(billing, change=CHANGE)
    right = dict(
        autumn_service_level=dict(autumn_service_level=metrics.service_level(
            answered_within=autumn["answered_within_20s"], offered=autumn["calls_offered"])),
        sl_by_definition=dict(sl_by_definition={
            d: metrics.service_level(answered_within=day["answered_within_20s"],
                                     offered=day["calls_offered"], abandoned=day["calls_abandoned"],
                                     abandoned_within=day["abandoned_within_5s"], definition=d)
            for d in metrics.DEFINITIONS}),
        patience_seconds=dict(patience_seconds=metrics.average_patience(
            abandoned=september["calls_abandoned"], total_wait_seconds=waits)),
        worst_half_hour=dict(worst_time=summary["worst_half_hour"],
                             worst_service_level=summary["worst_service_level"]),
        effect_by_team=dict(effect_by_team=space["pd"].DataFrame({
            "transfer_change": table["transfer_rate_after"] - table["transfer_rate_before"],
            "repeat_change": table["repeat_rate_after"] - table["repeat_rate_before"]})),
        repeat_effect=dict(repeat_effect=metrics.target_effect(
            billing, change=CHANGE, treated=["B", "D"]).loc["repeat_rate", "effect"]),
    )
    return cells, space, right


def said(notebook, question, answers, missing=()):
    """The message of the question's visible checks for these answers ('' when they pass);
    the names in ``missing`` are left unset, as after an answer cell that stopped."""
    cells, space, _ = notebook
    return visible_message(cells, space, question, answers, missing)


def values(right):
    for value in right.values():
        if isinstance(value, dict):
            yield from value.values()
        elif hasattr(value, "columns"):
            yield from value.to_numpy().ravel()
        elif not isinstance(value, str):
            yield value


def gives_nothing_away(message, right):
    assert_gives_nothing_away(message, values(right),
                              [v for v in right.values() if isinstance(v, str)])


def test_the_right_answers_pass_the_visible_checks(notebook):
    _, _, right = notebook
    for question, answers in right.items():
        assert said(notebook, question, answers) == "", question


# ----------------------------------------------------------------- question 4, report point 1


def test_daily_summary_columns_say_take_the_value_out_with_iloc(notebook):
    """The natural first try gave one-row Series; the check blamed worst_time's text."""
    _, space, right = notebook
    summary = space["metrics"].daily_summary(space["day"])
    both = said(notebook, "worst_half_hour", {"worst_time": summary["worst_half_hour"],
                                              "worst_service_level": summary["worst_service_level"]})
    assert "worst_time and worst_service_level are still inside" in both
    assert ".iloc[0]" in both and "labelled by date" in both and "written as text" not in both
    one = said(notebook, "worst_half_hour", {"worst_time": right["worst_half_hour"]["worst_time"],
                                             "worst_service_level": summary["worst_service_level"]})
    assert one.startswith("worst_service_level is still inside") and ".iloc[0]" in one
    table = said(notebook, "worst_half_hour", {"worst_time": summary[["worst_half_hour"]],
                                               "worst_service_level": summary[["worst_service_level"]]})
    assert ".iloc[0]" in table
    for message in (both, one, table):
        gives_nothing_away(message, right["worst_half_hour"])


def test_key_error_zero_says_iloc(notebook):
    """summary["worst_service_level"][0] stops the answer cell with KeyError: 0."""
    _, _, right = notebook
    before = getattr(sys, "last_value", None)
    try:
        sys.last_value = KeyError(0)
        message = said(notebook, "worst_half_hour", {}, missing=("worst_time", "worst_service_level"))
    finally:
        sys.last_value = before
    assert "KeyError: 0" in message and ".iloc[0]" in message
    gives_nothing_away(message, right["worst_half_hour"])
    # any other failure of the answer cell is left as it is (a NameError)
    sys.last_value = NotImplementedError()
    try:
        with pytest.raises(NameError):
            said(notebook, "worst_half_hour", {}, missing=("worst_time", "worst_service_level"))
    finally:
        sys.last_value = before


def test_a_typed_number_passes_with_four_decimals_and_is_told_to_keep_them(notebook):
    """0.270833, copied from daily_summary's table, failed with 'is not the service level of the
    half-hour at worst_time': rounding was the matter, not the half-hour."""
    _, _, right = notebook
    answers = right["worst_half_hour"]
    level = float(answers["worst_service_level"])
    for typed in (round(level, 6), round(level, 4)):
        assert said(notebook, "worst_half_hour", {**answers, "worst_service_level": typed}) == ""
    for typed in (round(level, 3), round(level, 2)):
        message = said(notebook, "worst_half_hour", {**answers, "worst_service_level": typed})
        assert "rounded" in message and "four decimals" in message
        assert "is not the service level" not in message
        gives_nothing_away(message, answers)


# ------------------------------------------------------ questions 1, 2 and 3: report points 3, 5


def test_half_hours_not_added_up_say_add_up_then_divide(notebook):
    """Report point 5: a column of per-half-hour service levels was told '.sum()' alone, which
    gives a sum of percentages."""
    _, space, right = notebook
    day, autumn = space["day"], space["autumn"]
    answers = dict(right["sl_by_definition"]["sl_by_definition"])
    answers["offered"] = day["answered_within_20s"] / day["calls_offered"]
    message = said(notebook, "sl_by_definition", {"sl_by_definition": answers})
    assert "one service level per half-hour" in message and "then divide once" in message
    answers["offered"] = (day["answered_within_20s"] / day["calls_offered"]).sum()
    message = said(notebook, "sl_by_definition", {"sl_by_definition": answers})
    assert "added up the half-hours' service levels, add up the calls instead" in message
    column = autumn["answered_within_20s"] / autumn["calls_offered"]
    for answer in (column, column.sum()):
        message = said(notebook, "autumn_service_level", {"autumn_service_level": answer})
        assert "add up" in message.lower() and "divide once" in message
        gives_nothing_away(message, right["autumn_service_level"])


def test_infinite_patience_says_some_half_hours_lost_no_caller(notebook):
    """Report point 3: the mean of per-half-hour ratios is infinite; the specific hint was never
    reached."""
    _, space, right = notebook
    september = space["september"]
    waits = september["answered_wait_seconds"] + september["abandoned_wait_seconds"]
    ratio = waits / september["calls_abandoned"]
    none_lost = int((september["calls_abandoned"] == 0).sum())
    assert none_lost > 0
    for answer in (ratio.mean(), ratio.to_numpy().mean(), float("nan")):
        message = said(notebook, "patience_seconds", {"patience_seconds": answer})
        assert f"{none_lost} of September's {len(september)} half-hours have no abandoned calls" in message
        assert "add up the whole month" in message.lower()
        gives_nothing_away(message, right["patience_seconds"])
    message = said(notebook, "patience_seconds", {"patience_seconds": ratio})
    assert "whole column" in message and "then divide once" in message


def test_the_lessons_month_table_averaged_is_named(notebook):
    """The lesson prints each month's service level; their average, exact or from the printed
    three decimals, is the same mistake one level up."""
    _, space, right = notebook
    autumn = space["autumn"]
    sums = autumn.groupby(autumn["interval_start"].dt.month)[["answered_within_20s", "calls_offered"]].sum()
    months = sums["answered_within_20s"] / sums["calls_offered"]
    for answer in (months.mean(), sum(round(m, 3) for m in months) / 3):
        message = said(notebook, "autumn_service_level", {"autumn_service_level": answer})
        assert "average of the three months' service levels" in message
        gives_nothing_away(message, right["autumn_service_level"])


@pytest.mark.parametrize("question, name, decimals", [
    ("autumn_service_level", "autumn_service_level", 3),
    ("patience_seconds", "patience_seconds", 1),
    ("repeat_effect", "repeat_effect", 3),
])
def test_numbers_typed_from_a_rounded_table_are_told_to_keep_their_decimals(notebook, question, name,
                                                                             decimals):
    _, _, right = notebook
    value = float(right[question][name])
    message = said(notebook, question, {name: round(value, decimals)})
    assert "as if typed in from a rounded" in message
    gives_nothing_away(message, right[question])
    # one decimal more (four for a fraction, two for seconds) is within the checks' tolerance:
    # it passes, unless its last digit is a 0 (then it is the rounder number, refused above)
    more = round(value, decimals + 1)
    assert abs(more - value) < (1e-4 if decimals == 3 else 0.01)
    assert said(notebook, question, {name: more}) == ("" if more != round(value, decimals) else message)


# ------------------------------------------------- questions 5 and 6: report points 2 and 6


def test_the_lessons_own_computation_is_named(notebook):
    """Report point 2: questions 5 and 6 were the lesson's computation; they now ask about
    billing calls, and the lesson's numbers are told apart."""
    _, space, right = notebook
    metrics, contacts, pd = space["metrics"], space["contacts"], space["pd"]
    table = metrics.before_after(contacts, change=CHANGE)
    lessons = pd.DataFrame({"transfer_change": table["transfer_rate_after"] - table["transfer_rate_before"],
                            "repeat_change": table["repeat_rate_after"] - table["repeat_rate_before"]})
    message = said(notebook, "effect_by_team", {"effect_by_team": lessons})
    assert "every reason" in message and "billing" in message
    effect = metrics.target_effect(contacts, change=CHANGE, treated=["B", "D"])
    for answer in (effect.loc["repeat_rate", "effect"], round(effect.loc["repeat_rate", "effect"], 4)):
        message = said(notebook, "repeat_effect", {"repeat_effect": answer})
        assert "the lesson's number" in message and "billing" in message
        gives_nothing_away(message, right["repeat_effect"])


def test_every_channel_is_named_in_question_6(notebook):
    """Report point 6: channel=None passed question 6's visible checks."""
    _, space, right = notebook
    metrics = space["metrics"]
    for contacts in (space["billing"], space["contacts"]):
        answer = metrics.target_effect(contacts, change=CHANGE, treated=["B", "D"], channel=None)
        message = said(notebook, "repeat_effect", {"repeat_effect": answer.loc["repeat_rate", "effect"]})
        assert "every channel" in message or "every reason" in message
        gives_nothing_away(message, right["repeat_effect"])
    answer = metrics.target_effect(space["billing"], change=CHANGE, treated=["B", "D"], channel=None)
    message = said(notebook, "repeat_effect", {"repeat_effect": answer.loc["repeat_rate", "effect"]})
    assert "every channel (channel=None)" in message and "voice only" in message


def test_a_row_of_the_effect_table_says_loc(notebook):
    _, space, right = notebook
    effect = space["metrics"].target_effect(space["billing"], change=CHANGE, treated=["B", "D"])
    for answer in (effect.loc["repeat_rate"], effect["effect"], effect):
        message = said(notebook, "repeat_effect", {"repeat_effect": answer})
        assert ".loc[row, column]" in message and ".sum()" not in message
        gives_nothing_away(message, right["repeat_effect"])


def test_no_visible_message_states_a_right_value(notebook):
    """Every message of the test cells' source, as written, names no right value."""
    cells, _, right = notebook
    for question, answers in right.items():
        source = cells[f"{question}_tests"]
        for message in re.findall(r'"([^"\n]{20,})"', source):
            gives_nothing_away(message, answers)


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


def _fingerprint(column):
    text = " ".join(f"{float(v):.4f}" for v in column.sort_index())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _changes(table):
    return {"transfer_change": table["transfer_rate_after"] - table["transfer_rate_before"],
            "repeat_change": table["repeat_rate_after"] - table["repeat_rate_before"]}


def test_the_literals_and_fingerprints_are_the_routes_they_name(notebook):
    """Every number and fingerprint a visible cell compares with is recomputed here from the shipped
    data: the wrong routes' values (literals to 9 decimals, or digests where the number would give
    the right value away) and the right values' fingerprints. A change of data or a typo fails here."""
    cells, space, right = notebook
    metrics, contacts, billing = space["metrics"], space["contacts"], space["billing"]
    autumn, september, day = space["autumn"], space["september"], space["day"]

    def literals(question):
        return {float(x) for x in re.findall(r"abs\(\w+ - (\d+\.\d{9})\) > ", cells[f"{question}_tests"])}

    def digests(question):
        return set(re.findall(r'"([0-9a-f]{16})"', cells[f"{question}_tests"]))

    # 1. the wrong routes' values as literals, the right value's rounding as a digest
    a = autumn
    months = a.groupby(a["interval_start"].dt.month)[["answered_within_20s", "calls_offered"]].sum()
    wrong = [(a["answered_within_20s"] / a["calls_offered"]).mean(),
             metrics.daily_summary(a)["service_level"].mean(),
             (months["answered_within_20s"] / months["calls_offered"]).mean(),
             a["answered_within_20s"].sum() / a["calls_answered"].sum()]
    assert literals("autumn_service_level") == {round(float(v), 9) for v in wrong}
    level = a["answered_within_20s"].sum() / a["calls_offered"].sum()
    assert digests("autumn_service_level") == {_digest(level, ".3f")}
    # 2. the two wrong divisions to 4 decimals, the three right ones to 3
    w, o = day["answered_within_20s"].sum(), day["calls_offered"].sum()
    gone, short = day["calls_abandoned"].sum(), day["abandoned_within_5s"].sum()
    assert digests("sl_by_definition") == {_digest(w / o, ".4f"), _digest(w / (o - gone), ".4f"),
                                           _digest(w / o, ".3f"), _digest(w / (o - gone), ".3f"),
                                           _digest(w / (o - short), ".3f")}
    # 3. patience: the answered callers' wait alone is a digest (with the abandoners' wait, a
    # literal, it would add up to the right value)
    waits = september["answered_wait_seconds"] + september["abandoned_wait_seconds"]
    lost = september["calls_abandoned"] > 0
    assert literals("patience_seconds") == {round(float(v), 9) for v in (
        september["abandoned_wait_seconds"].sum() / september["calls_abandoned"].sum(),
        waits.sum() / september["calls_offered"].sum(),
        (waits[lost] / september["calls_abandoned"][lost]).mean())}
    answered_only = september["answered_wait_seconds"].sum() / september["calls_abandoned"].sum()
    assert digests("patience_seconds") == {_digest(answered_only, ".1f")}
    none_lost = int((september["calls_abandoned"] == 0).sum())
    assert f"{none_lost} of September's {len(september)} " in cells["patience_seconds_tests"]
    # 4. the day's half-hours, the two wrong half-hours as text, the right one and its level
    times = list(day["interval_start"].dt.strftime("%H:%M"))
    source = cells["worst_half_hour_tests"]
    assert f"run from {times[0]} to {times[-1]} " in source
    assert f"range({int(times[0][:2])}, {int(times[-1][:2]) + 1})" in source
    assert times == [f"{h:02d}:{m}" for h in range(int(times[0][:2]), int(times[-1][:2]) + 1) for m in ("00", "30")]
    assert set(re.findall(r'worst_time != "(\d\d:\d\d)"', source)) == {
        times[int(np.argmin(day["answered_within_20s"]))], times[int(np.argmax(day["calls_offered"]))]}
    levels = (day["answered_within_20s"] / day["calls_offered"]).to_numpy()
    worst = times[int(np.argmin(levels))]
    assert worst == right["worst_half_hour"]["worst_time"]
    assert digests("worst_half_hour") == {hashlib.sha256(worst.encode()).hexdigest()[:16],
                                          _digest(round(levels.min(), 2)), _digest(round(levels.min(), 3)),
                                          *(_digest(levels.min() + k * 1e-4, ".4f") for k in (-1, 0, 1))}
    # 5. each wrong table's columns, and the right ones, as fingerprints
    pd = space["pd"]
    by_reason = [_changes(metrics.before_after(contacts, change=CHANGE, channel=c)) for c in ("voice", None)]
    ticks = metrics.before_after(billing, change=CHANGE)
    mine = _changes(ticks)
    assert digests("effect_by_team") == {
        *(_fingerprint(t[k]) for t in by_reason for k in t),
        _fingerprint(_changes(metrics.before_after(billing, change=CHANGE, channel=None))["transfer_change"]),
        _fingerprint(-(ticks["resolved_tick_rate_after"] - ticks["resolved_tick_rate_before"])),
        _fingerprint(mine["transfer_change"]), _fingerprint(mine["repeat_change"])}
    assert isinstance(ticks, pd.DataFrame)
    # 6. the wrong routes' effects as literals, the right one's rounding as a digest
    effect = metrics.target_effect(billing, change=CHANGE, treated=["B", "D"]).loc["repeat_rate"]
    assert literals("repeat_effect") == {round(float(v), 9) for v in (
        effect["treated_change"], effect["treated_after"] - effect["comparison_after"],
        metrics.target_effect(contacts, change=CHANGE, treated=["B", "D"]).loc["repeat_rate", "effect"],
        metrics.target_effect(contacts, change=CHANGE, treated=["B", "D"], channel=None).loc["repeat_rate", "effect"],
        metrics.target_effect(billing, change=CHANGE, treated=["B", "D"], channel=None).loc["repeat_rate", "effect"])}
    assert digests("repeat_effect") == {_digest(effect["effect"], ".3f")}


def test_the_pins_keep_the_checks_tolerance(notebook):
    """A pin compares a rounding of the answer: every answer within the checks' tolerance (0.0001 in
    a fraction) of the right value still passes the visible checks, as the assignment promises."""
    _, _, right = notebook
    for step in (-9e-5, 9e-5):
        for question, name in (("autumn_service_level", "autumn_service_level"), ("repeat_effect", "repeat_effect")):
            assert said(notebook, question, {name: float(right[question][name]) + step}) == "", (question, step)
        levels = right["sl_by_definition"]["sl_by_definition"]
        for key in levels:
            moved = {**levels, key: float(levels[key]) + step}
            assert said(notebook, "sl_by_definition", {"sl_by_definition": moved}) == "", (key, step)
        worst = right["worst_half_hour"]
        moved = {**worst, "worst_service_level": float(worst["worst_service_level"]) + step}
        assert said(notebook, "worst_half_hour", moved) == "", step


# The answers' own routes (the solution cells' calls and selections): a visible check that recomputes
# the right value, or a wrong route, with them hands the learner the answer's code. The values the
# visible checks compare with are fixed literals, or digests where a literal would give the answer away.
ANSWER_CODE = ["metrics.", "service_level(", "average_patience(", "daily_summary(", "before_after(",
               "target_effect(", "groupby(", ".sum()", ".mean()", "argmin(", "argmax(", "idxmin(",
               "idxmax(", 'autumn["', 'day["', 'september["', 'billing["', 'contacts["', "definition=",
               '["worst_half_hour"]', '["worst_service_level"]', "_rate_after", "_rate_before",
               '"repeat_rate"', '"effect"]', "answered_within_20s", "calls_offered", "wait_seconds"]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE)
    assert len(shown) == 6 and not any(shown.values()), shown


def test_the_guard_would_catch_answer_code():
    """The fragments find what the visible cells used to hold (or the guard is moot)."""
    old = ('_e = metrics.target_effect(billing, change="2025-10-13", treated=["B", "D"]).loc["repeat_rate"]\n'
           '_levels = list(day["answered_within_20s"] / day["calls_offered"])\n'
           '_abandoned = september["calls_abandoned"].sum()\n')
    assert {"metrics.", "target_effect(", 'day["', 'september["', ".sum()"} <= {
        f for f in ANSWER_CODE if f in visible_code(old)}
