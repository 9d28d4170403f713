"""What assignment 01's visible checks tell a learner who gives the wrong answers a trial learner gave.

A learner who had not seen the solution tried: daily_summary's columns for question 4 (one-row
Series indexed by date), ``[0]`` on them (KeyError: 0), the service level typed in from the
table (0.270833, or rounder), a ratio per half-hour for the patience (infinite: some half-hours
have no abandoned calls), per-half-hour service levels without adding up, and ``channel=None``.
Answers of the wrong type are not in ``mistakes.py`` (each of those must pass the type checks);
their messages are checked here: each must name the way out, and none may give the right value.

The released notebook's own cells run here, in one namespace: its setup cell, then for each
answer the question's visible test cell (the release holds no hidden test).
"""

from __future__ import annotations

import re
import sys

import pytest

from course_helpers import assert_gives_nothing_away, release_cells, visible_message

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
