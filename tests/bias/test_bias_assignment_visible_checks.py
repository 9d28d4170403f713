"""Assignment 05's visible checks hold no answer code, and their literals are true of the data.

Learner trials (modules 06 and 07) showed that a visible test cell that recomputes the right value,
or a wrong route, with the library or pandas hands the learner the answer's code. As in 06 and 07,
05's visible cells now recognise each typical mistake by a fixed literal (a wrong route's value,
where the number gives nothing away) or a fingerprint (a sha256 digest of the value and of its
roundings, where the number would give the answer away: an end of the range around the expected
change, question 1's answer, the rest of the six's change, a value near the right one), and pin
the right value by a digest (lunchtime's service level by a range: a mistake there is left to the
hidden test on purpose). The recomputations with the library live in the hidden tests.

Here: no visible cell holds the answers' code, every literal and digest is recomputed from the
shipped data with the library (a change of data or library cannot leave one wrong), and an answer
no typical mistake explains gets a catch-all that is no mistake's hint and shows no value.
tests/bias/test_bias_assignment_hints.py runs every typical mistake against these cells.
"""

from __future__ import annotations

import hashlib
import math
import re

import numpy as np
import pytest

from course_helpers import answer_code_shown, release_cells, visible_code, visible_message
from opsfirst.grading import Mistake  # noqa: F401  (the hints below are those of mistakes.py and MORE)

from test_bias_assignment_hints import HINTS, NAMES, QUESTIONS, answer, assert_not_shown

SLUG = "05-wysiati"


# The answers' own routes (the solution cells' calls and selections): a visible check that
# recomputes a value with them hands the learner the answer's code.
ANSWER_CODE = ["monthly", "loc[coached", "loc[praised", "selected=coached", "regression_to_the_mean(", ".groups", "proportion_interval(",
               "qa[", "PASS_MARK", "RESPONSE_BY_CSAT", ".map(", "np.average(", "answered[", "invited",
               "simpsons_paradox(", "standardised", "funnel_limits(", "groupby(", ".agg(", "set_axis(",
               "history[", "strftime(", ".dt.", "isin(", "answered_within_20s", "calls_offered",
               "traffic_intensity(", "965 * 60", "bias.", "staffing."]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE)
    assert len(shown) == 8 and not any(shown.values()), shown
    assert not any("BEGIN HIDDEN" in source for source in release_cells(SLUG).values())


def test_the_guard_would_catch_answer_code():
    """The fragments find what the visible cells used to hold (or the guard is moot)."""
    old = ('_praised_change = (monthly.loc[praised, "2025-10"] - monthly.loc[praised, "2025-09"]).mean()\n'
           '_row = bias.regression_to_the_mean(monthly["2025-09"], monthly["2025-10"], selected=coached).groups.loc["selected"]\n'
           '_weights = 1 / answered["csat"].astype(int).map(RESPONSE_BY_CSAT)\n'
           '_day = history[history["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-22"]\n'
           'assert abs(traffic - 400 * (965 / 120) / 1800) > 0.05, (\n'
           '    "traffic uses the AHT in minutes (965 / 120)")\n')
    found = {f for f in ANSWER_CODE if f in visible_code(old)}
    assert {"monthly", "loc[praised", "selected=coached", "regression_to_the_mean(", "RESPONSE_BY_CSAT", "history[", "strftime("} <= found
    assert "traffic uses" not in visible_code(old)  # messages are not code


def _digest(value) -> str:
    return hashlib.sha256(f"{float(value):.6g}".encode()).hexdigest()[:16]


def _interval_digest(interval, form=".6g") -> str:
    return hashlib.sha256(" ".join(format(float(end), form) for end in interval).encode()).hexdigest()[:16]


def _forms(wrong, right) -> set[str]:
    """Digests of a wrong value and of its roundings to 1-6 decimals, less any rounding of the
    right value (a rounded right answer is told it is rounded, never a trap's hint)."""
    rights = {_digest(round(float(right), k)) for k in range(7)} | {_digest(right)}
    return ({_digest(wrong)} | {_digest(round(float(wrong), k)) for k in range(1, 7)}) - rights


def _digests(source: str) -> list[set[str]]:
    """The fingerprints of a visible cell, one set per comparison (a literal set or one digest)."""
    code = visible_code(source)
    found = [set(re.findall(r'"([0-9a-f]{16})"', s)) for s in re.findall(r"\{(\"[0-9a-f]{16}\"(?:, \"[0-9a-f]{16}\")*)\}", code)]
    singles = re.findall(r'[!=]= "([0-9a-f]{16})"', code)
    return found + [{s} for s in singles]


def _literals(source: str) -> list[float]:
    return [float(x) for x in re.findall(r"(?<![\w.\"])-?\d+\.\d+", visible_code(source))]


def _has_literal(source: str, value: float, rel_tol: float = 1e-8) -> None:
    written = _literals(source)
    assert any(math.isclose(x, float(value), rel_tol=rel_tol) for x in written), (value, written)


@pytest.fixture(scope="module")
def routes():
    """The setup's namespace, the right answers, and every route's value, with the library."""
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    right = {}
    for question in QUESTIONS:
        exec(answer(question), space)  # noqa: S102 - the assignment's own solution
        right[question] = space[NAMES.get(question, question)]
    bias, monthly, qa, answered, history = (space[k] for k in ("bias", "monthly", "qa", "answered", "history"))
    coached, praised, invited = space["coached"], space["praised"], space["invited"]
    v: dict = {}
    v["praised"] = (monthly.loc[praised, "2025-10"] - monthly.loc[praised, "2025-09"]).mean()
    v["everyone"] = (monthly["2025-10"] - monthly["2025-09"]).mean()
    v["november"] = [(monthly.loc[coached, "2025-11"] - monthly.loc[coached, m]).mean() for m in ("2025-09", "2025-10")]
    row = bias.regression_to_the_mean(monthly["2025-09"], monthly["2025-10"], selected=coached).groups.loc["selected"]
    v["row"] = row
    v["rtm_november"] = [bias.regression_to_the_mean(monthly[m], monthly["2025-11"], selected=coached)
                         .groups.loc["selected", "expected_change"] for m in ("2025-09", "2025-10")]
    v["rtm_swapped"] = bias.regression_to_the_mean(monthly["2025-10"], monthly["2025-09"], selected=coached
                                                   ).groups.loc["selected", "expected_change"]
    c02 = qa[qa["agent"] == "C02"]

    def interval(calls, **options):
        return bias.proportion_interval(int((calls["score"] >= 80).sum()), len(calls), **options)

    november = c02[c02["month"] == "2025-11"]
    v["pi_october"], v["pi_all"] = interval(c02[c02["month"] == "2025-10"]), interval(c02)
    v["pi_exact"] = interval(november, method="exact")
    v["pi_levels"] = [interval(november, confidence=level) for level in (0.9, 0.99)]
    v["respondents"] = (answered["csat"] >= 4).mean()
    weights = 1 / answered["csat"].astype(int).map(space["RESPONSE_BY_CSAT"])
    v["over_invited"] = weights[answered["csat"] >= 4].sum() / len(invited)
    v["fives"] = np.average(answered["csat"] == 5, weights=weights)
    said = answered["resolved_said"] == "yes"
    v["gap_overall"] = said[answered["shift"] == "08-10"].mean() - said[answered["shift"] == "10-20"].mean()

    def gap(outcome, segment):
        rates = bias.simpsons_paradox(answered.assign(_yes=outcome), outcome="_yes", group="shift",
                                      segment=segment).standardised
        return rates["08-10"] - rates["10-20"]

    v["gap_reason"], v["gap_satisfied"] = gap(said, "reason"), gap(answered["csat"] >= 4, "contact")

    def outside(calls, low="lower_99.8", high="upper_99.8", sd_of_averages=False):
        table = calls.groupby("agent", observed=True)["score"].agg(average="mean", calls="size")
        sd = table["average"].std() if sd_of_averages else calls["score"].std()
        limits = bias.funnel_limits(table["calls"], mean=calls["score"].mean(), sd=sd).set_axis(table.index)
        return (int(((table["average"] < limits[low]) | (table["average"] > limits[high])).sum()),
                int((table["average"] > limits[high]).sum()))

    nov = qa[qa["month"] == "2025-11"]
    v["funnel"] = {"october": outside(qa[qa["month"] == "2025-10"])[0], "quarter": outside(qa)[0],
                   "at_95": outside(nov, "lower_95", "upper_95")[0], "above_only": outside(nov)[1],
                   "sd_of_averages": outside(nov, sd_of_averages=True)[0]}
    day = history[history["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-22"]
    lunch = day[day["interval_start"].dt.hour.isin([12, 13])]
    v["lunch_day"] = day["answered_within_20s"].sum() / day["calls_offered"].sum()
    v["lunch_mean"] = (lunch["answered_within_20s"] / lunch["calls_offered"]).mean()
    v["lunch_answered"] = lunch["answered_within_20s"].sum() / lunch["calls_answered"].sum()
    lesson = history[(history["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-28")
                     & history["interval_start"].dt.hour.isin([12, 13])]
    v["lunch_lesson"] = lesson["answered_within_20s"].sum() / lesson["calls_offered"].sum()
    with_14 = day[day["interval_start"].dt.strftime("%H:%M").between("12:00", "14:00")]
    v["lunch_with_14"] = with_14["answered_within_20s"].sum() / with_14["calls_offered"].sum()
    traffic = space["staffing"].traffic_intensity
    v["traffic_article_aht"] = traffic(calls=400, aht=482.4, interval=1800)
    v["traffic_minutes"] = traffic(calls=400, aht=965 / 120, interval=1800)
    return cells, space, right, v


def _unique(*sets: set[str]) -> list[set[str]]:
    """The sets less the digests two of them share (those say no mistake's name)."""
    shared = {d for s in sets for d in s if sum(d in t for t in sets) > 1}
    return [s - shared for s in sets]


def test_every_literal_and_fingerprint_is_recomputed_from_the_data(routes):
    """Each number and digest in a visible cell is a route recomputed here from the shipped data
    with the library: the right answer's digest and each wrong route's literal or digests."""
    cells, _, right, v = routes

    # 1. coached_change: the praised, every agent, November; the right value's digest
    cell = cells["coached_change_tests"]
    for value in (v["praised"], v["everyone"], *v["november"]):
        _has_literal(cell, value)
    assert _digests(cell) == [{_digest(right["coached_change"])}]

    # 2. expected_change: ends, change, beyond by digests; November and swapped by literals
    cell, e = cells["expected_change_tests"], right["expected_change"]
    row = v["row"]
    assert math.isclose(row["change"], right["coached_change"], rel_tol=1e-12)  # question 1's answer
    ends, change, beyond = _unique(_forms(row["expected_low"], e) | _forms(row["expected_high"], e),
                                   _forms(row["change"], e), _forms(row["beyond_expected"], e))
    assert _digests(cell) == [ends, change, beyond, {_digest(e)}]
    for value in (*v["rtm_november"], v["rtm_swapped"]):
        _has_literal(cell, value)
    assert math.isclose(row["expected_change"], e, rel_tol=1e-12)

    # 3. pass_interval: October, all months by literals; exact, 90% and 99% by digests (to 2 decimals)
    cell = cells["pass_interval_tests"]
    for end in (*v["pi_october"], *v["pi_all"]):
        _has_literal(cell, end) if end != 1.0 else None
    assert "(0.565517535, 1.0)" in visible_code(cell) and v["pi_october"][1] == 1.0
    assert _digests(cell) == [{_interval_digest(i, ".2f") for i in v["pi_levels"]},
                              {_interval_digest(v["pi_exact"], ".2f")}, {_interval_digest(right["pass_interval"])}]

    # 4. satisfied_all: respondents' share and the 5s by literals; over invited by digests
    cell, s = cells["satisfied_all_tests"], right["satisfied_all"]
    _has_literal(cell, v["respondents"])
    _has_literal(cell, v["fives"])
    assert _digests(cell) == [_forms(v["over_invited"], s), {_digest(s)}]

    # 5. gap_same_mix: overall, within reasons, satisfied by literals; the reverse by digests
    cell, g = cells["gap_same_mix_tests"], right["gap_same_mix"]
    for value in (v["gap_overall"], v["gap_reason"], v["gap_satisfied"]):
        _has_literal(cell, abs(value))
    reversed_ = {d for d in _forms(-g, g) if d not in {_digest(0.0), _digest(-0.0)}}
    assert _digests(cell) == [reversed_, {_digest(g)}]

    # 6. outside_funnel: the counts of the wrong routes; the right count's digest
    cell = cells["outside_funnel_tests"]
    written = [int(n) for n in re.findall(r"outside_funnel != (\d+)", visible_code(cell))]
    assert written == [v["funnel"][k] for k in ("october", "quarter", "at_95", "above_only", "sd_of_averages")]
    assert right["outside_funnel"] not in written
    assert _digests(cell) == [{hashlib.sha256(f"{int(right['outside_funnel'])}".encode()).hexdigest()[:16]}]

    # 7. lunch_service_level: the whole day, over answered, the lesson's day by literals; the mean
    # of half-hours by digests; the range that pins it lets the 14:00 slip through to the hidden test
    cell, lunch = cells["lunch_service_level_tests"], right["lunch_service_level"]
    for value in (v["lunch_day"], v["lunch_answered"], v["lunch_lesson"]):
        _has_literal(cell, value)
    assert _digests(cell) == [_forms(v["lunch_mean"], lunch)]
    assert 0.3 < lunch < 0.8 and 0.3 < v["lunch_with_14"] < 0.8

    # 8. traffic: the article's 10.61, its rounded steps, the minutes by literals; its AHT by digest
    cell, t = cells["true_traffic_tests"], right["true_traffic"]
    for value in (10.61, 0.22 * 482.4, v["traffic_minutes"]):
        _has_literal(cell, value)
    assert _digests(cell) == [{_digest(v["traffic_article_aht"])}, {_digest(t)}]


def test_no_literal_is_near_a_right_value(routes):
    """A literal a learner reads is a wrong route's value, never within a few percent of a right
    answer of any question (those are digests)."""
    cells, _, right, _ = routes
    values = [abs(float(x)) for r in right.values() for x in (r if isinstance(r, tuple) else (r,))]
    for question in QUESTIONS:
        for literal in _literals(cells[f"{question}_tests"]):
            if literal in (0.0, 1.0) or literal < 0.01:
                continue
            assert not [r for r in values if r and math.isclose(abs(literal), r, rel_tol=0.005)], (question, literal)


CATCH_ALL = [
    ("coached_change", 7.123456789, "not yet the six coached agents' average change"),
    ("expected_change", 3.123456789, "not yet the coached six's change expected with no coaching"),
    ("pass_interval", (0.3123456789, 0.8123456789), "not yet the 95% Wilson interval"),
    ("satisfied_all", 0.5123456789, "not yet the weighted share of all invited customers"),
    ("gap_same_mix", -0.0123456789, "not yet the early shift's gap at the same mix"),
    ("outside_funnel", 3, "not yet the number of agents outside November's 99.8% limits"),
    ("lunch_service_level", 0.9123456789, "outside the range a lunchtime of this line can have"),
    ("true_traffic", 99.123456789, "not yet the half-hour's traffic"),
]


@pytest.mark.parametrize("question, wrong, says", CATCH_ALL, ids=[c[0] for c in CATCH_ALL])
def test_a_wrong_value_no_mistake_names_gets_the_catch_all(routes, question, wrong, says):
    """An answer no typical mistake explains is told to look again, without the value; the
    catch-all is no mistake's hint (opsfirst check must not call it a common mistake)."""
    cells, space, right, _ = routes
    message = visible_message(cells, dict(space), question, {NAMES.get(question, question): wrong})
    assert says in message, message
    assert not [m for m, hint in HINTS.items() if hint in message], message
    for value in right.values():
        assert_not_shown(message, value)
