"""The numbers lesson 00 and assignment 00 state about the shipped data, recomputed.

Each claim is recomputed from ``interval_history`` with plain pandas (sums, maxima, sorting: no
opsfirst maths is involved) and its figure, written as the text writes it, must be in the text.
A change to the data that moved a claim makes this fail, so the text cannot silently go wrong.

The assignment's day is Monday 17 November 2025; the lesson's section 4 reads Tuesday
11 November 2025 (and its try-it, Wednesday 12 November), so that the lesson shows every move
the assignment asks for without giving its answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_helpers import markdown
from opsfirst import datasets

REPO = Path(__file__).resolve().parents[2]
SLUG = "00-welcome"




@pytest.fixture(scope="module")
def lesson():
    return markdown(REPO / "course" / f"{SLUG}.ipynb")


@pytest.fixture(scope="module")
def assignment():
    return markdown(REPO / "solutions" / SLUG / f"{SLUG}.ipynb")


@pytest.fixture(scope="module")
def history():
    return datasets.load("interval_history")


def one_day(history, date):
    day = history[history["interval_start"].dt.strftime("%Y-%m-%d") == date].reset_index(drop=True)
    return day.assign(time=day["interval_start"].dt.strftime("%H:%M"),
                      service_level=day["answered_within_20s"] / day["calls_offered"])


def pct(x):
    return f"{100 * x:.1f}%"


def at(day, time):
    return day.set_index("time").loc[time]


# --------------------------------------------------------------------------- the assignment's day

def test_question_5_premise_the_day_is_well_above_80_20_and_no_half_hour_below(history, assignment):
    """The rewritten question 5: the day is well above 80/20 (94.7%), no half-hour under 80%."""
    day = one_day(history, "2025-11-17")
    level = day["answered_within_20s"].sum() / day["calls_offered"].sum()
    assert level > 0.9, "question 5 says the day is well above the 80/20 target"
    assert day["service_level"].min() >= 0.8, "the scheme says no half-hour fell below 80%"
    assert f"{pct(level)} of its {day['calls_offered'].sum():,} calls" in assignment
    assert "no half-hour fell below 80%" in assignment
    assert f"The day's {pct(level)} is not what every caller got" in assignment


def test_the_five_lowest_half_hours_as_the_scheme_lists_them(history, assignment):
    day = one_day(history, "2025-11-17")
    lowest = day.nsmallest(5, "service_level")
    listed = ", ".join(f"{t} ({pct(s)})" for t, s in zip(lowest["time"][:4], lowest["service_level"][:4]))
    last = lowest.iloc[4]
    assert f"The five lowest were {listed} and {last['time']} ({pct(last['service_level'])})" in assignment
    # the model answer's reading of them
    assert f"17:30 ({pct(at(day, '17:30')['service_level'])})" in assignment
    lunch = [pct(at(day, t)["service_level"]) for t in ("12:00", "12:30", "13:30")]
    assert f"12:00, 12:30 and 13:30 ({lunch[0]}, {lunch[1]} and {lunch[2]})" in assignment
    assert set(lowest["time"][:4]) == {"17:30", "12:30", "12:00", "13:30"}
    # 13:00, between the lunchtime half-hours named, did much better (it is not named)
    assert at(day, "13:00")["service_level"] > 0.95


def test_the_busiest_half_hour_had_some_of_the_best_service(history, assignment):
    """Its busiest half-hour was not where service suffered: 10:30 answered 99.1%."""
    day = one_day(history, "2025-11-17")
    busiest = day.loc[day["calls_offered"].idxmax()]
    assert busiest["time"] == "10:30"
    assert (f"The busiest half-hour, 10:30 ({busiest['calls_offered']} calls, {busiest['agents']} agents), "
            f"answered {pct(busiest['service_level'])}") in assignment
    assert f"10:30, answered {pct(busiest['service_level'])}" in assignment
    assert busiest["service_level"] > day["service_level"].quantile(0.5)
    assert busiest["time"] not in set(day.nsmallest(5, "service_level")["time"])


def test_lunchtime_agents_calls_and_abandoned_calls(history, assignment):
    day = one_day(history, "2025-11-17")
    noon, half, ten, half_ten = (at(day, t) for t in ("12:00", "12:30", "10:00", "10:30"))
    assert (f"At 12:00 and 12:30, {noon['calls_offered']} and {half['calls_offered']} calls met only "
            f"{noon['agents']} and {half['agents']} agents, against {ten['agents']} and "
            f"{half_ten['agents']} for {ten['calls_offered']} and {half_ten['calls_offered']} calls at "
            "10:00 and 10:30") in assignment
    lunch_abandoned = noon["calls_abandoned"] + half["calls_abandoned"]
    total_abandoned = day["calls_abandoned"].sum()
    assert f"{lunch_abandoned} of the day's {total_abandoned} abandoned calls" in assignment
    # the model answer's ranges
    assert (f"about {noon['calls_offered'] // 10 * 10}-{half['calls_offered']} calls met only "
            f"{noon['agents']}-{half['agents']} agents, against {ten['agents']}-{half_ten['agents']} "
            f"agents for {ten['calls_offered']}-{half_ten['calls_offered']} calls") in assignment
    # the scheme's "29-31 agents for almost as many calls as the morning" at 12:00, 12:30, 13:30
    lunch = day[day["time"].isin(["12:00", "12:30", "13:30"])]
    assert lunch["agents"].min() == 29 and lunch["agents"].max() == 31
    assert "at lunchtime fewer agents on the phones (29-31)" in assignment


def busy_share(day):
    """The table's column, as question 5's locked cell computes it."""
    return day["calls_offered"] * day["aht_seconds"] / (day["agents"] * 1800)


def test_question_5_table_computes_busy_share_as_the_prompt_says(assignment):
    """The prompt's formula is the cell's: calls x handling time / (agents x 1,800 seconds)."""
    cells = json.loads((REPO / "solutions" / SLUG / f"{SLUG}.ipynb").read_text())["cells"]
    table = next("".join(c["source"]) for c in cells
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == "lowest_half_hours")
    assert 'busy_share=day["calls_offered"] * day["aht_seconds"] / (day["agents"] * 1800)' in table
    assert '"aht_seconds"' in table.split("columns =")[1] and '"busy_share"' in table.split("columns =")[1]
    assert ("`busy_share`: the share of the agents' half-hour that its calls would fill (calls × "
            "handling time ÷ (agents × 1,800 seconds))") in assignment


def test_the_busy_share_explains_the_four_lowest_and_17_30(history, assignment):
    """Trial of 00: nothing in the old table explained 17:30 (20 agents for 92 calls): the busy
    share and the handling time do, and "only 20 agents" is not the reason."""
    day = one_day(history, "2025-11-17").assign(busy_share=lambda d: busy_share(d))
    four = day.nsmallest(4, "service_level")
    assert set(four["time"]) == {"17:30", "12:30", "12:00", "13:30"}
    low, high = four["busy_share"].min(), four["busy_share"].max()
    assert (f"the calls would have filled {low:.0%} to {high:.0%} of the agents' time "
            f"(`busy_share` {low:.3f} to {high:.3f}), against about "
            f"{at(day, '10:30')['busy_share']:.2f} at 10:30") in assignment
    assert f"calls filled {low:.0%} to {high:.0%} of the agents' time" in assignment
    assert low > 0.9 and "more than 90% of the agents' time" in assignment
    # 17:30: more agents per call than the busiest half-hour, but the day's longest calls
    late, peak = at(day, "17:30"), at(day, "10:30")
    assert late["agents"] / late["calls_offered"] > peak["agents"] / peak["calls_offered"]
    assert f"17:30 had {late['agents']} agents for {late['calls_offered']} calls, more agents per" in assignment
    assert f"20 agents for 92 calls is more agents per call than 42 for 218" in assignment
    others = day.loc[day["time"] != "17:30", "aht_seconds"]
    assert late["aht_seconds"] == day["aht_seconds"].max() and others.max() <= 331
    assert (f"the day's longest handling time: {late['aht_seconds']} seconds, when no other "
            "half-hour took more than 331") in assignment
    assert round(late["aht_seconds"]) == 359 and "(359 s against about 300)" in assignment
    assert "calls took longer (359 seconds)" in assignment
    aht_day = (day["aht_seconds"] * day["calls_answered"]).sum() / day["calls_answered"].sum()
    assert abs(aht_day - 300) < 10 and abs(others.median() - 300) < 5
    # 12:30 lost the most callers (not answered within 20 s, and hung up) of the five
    lost = day["calls_offered"] - day["answered_within_20s"]
    assert day.loc[lost.idxmax(), "time"] == "12:30" and day.loc[day["calls_abandoned"].idxmax(), "time"] == "12:30"
    assert "naming 12:30 as the half-hour that lost the most callers" in assignment
    # "almost level"
    assert abs(at(day, "17:30")["service_level"] - at(day, "12:30")["service_level"]) < 0.005


def test_the_day_ends_and_starts_where_the_plot_scheme_says(history, assignment):
    day = one_day(history, "2025-11-17")
    assert len(day) == 24 and day["time"].iloc[0] == "08:00" and day["time"].iloc[-1] == "19:30"
    assert "(24 bars, 08:00 to 19:30)" in assignment


def test_the_second_busiest_is_the_hidden_only_mistake(history):
    """mistakes.py's second_busiest ("10:00") must be a wrong answer the visible checks accept:
    second by calls offered, among the day's three busiest."""
    day = one_day(history, "2025-11-17")
    top = day.nlargest(3, "calls_offered")["time"].tolist()
    assert top[1] == "10:00" and top[0] != "10:00"


# --------------------------------------------------------------------------- the lesson's day

def test_lesson_day_total_busiest_and_service_level(history, lesson):
    day = one_day(history, "2025-11-11")
    assert len(day) == 24 and "24 half-hours, 08:00 to 19:30" in lesson
    assert f"{day['calls_offered'].sum():,} calls came that Tuesday" in lesson
    row = day["calls_offered"].idxmax()
    assert f"Row {row}, the fifth row" in lesson and row == 4
    busiest = day.loc[row]
    assert (f"The busiest half-hour started at {busiest['time']} and brought "
            f"{busiest['calls_offered']} calls") in lesson
    second = day.nlargest(2, "calls_offered").iloc[1]
    assert f"{second['time']} came a close second with {second['calls_offered']} calls" in lesson
    level = day["answered_within_20s"].sum() / day["calls_offered"].sum()
    assert f"{level:.3f}: {pct(level)} of the day's calls" in lesson
    assert f"a quiet half-hour with {day['calls_offered'].min()} calls" in lesson
    assert f"a busy one with {busiest['calls_offered']}" in lesson
    assert f"({pct(level)} on 11 November, " in lesson


def test_lesson_plot_reading(history, lesson):
    day = one_day(history, "2025-11-11")
    assert f"Calls climb from {day['calls_offered'].iloc[0]} at 08:00" in lesson
    middle = day[(day["time"] >= "11:00") & (day["time"] <= "16:00")]
    assert (f"stay between {middle['calls_offered'].min()} and {middle['calls_offered'].max()} "
            "from 11:00 to 16:00") in lesson
    afternoon = day[(day["time"] >= "13:00") & (day["time"] <= "16:00")]
    assert afternoon.loc[afternoon["calls_offered"].idxmax(), "time"] == "14:00"
    assert (day.loc[day["time"] >= "16:30", "calls_offered"] < 100).all()
    assert "fall below 100 from 16:30" in lesson
    assert "calls peak at 10:00-10:30, and again at 14:00" in json.dumps(
        json.loads((REPO / "course" / f"{SLUG}.ipynb").read_text()))


def test_lesson_lowest_half_hours_at_lunch(history, lesson):
    day = one_day(history, "2025-11-11")
    worst = day.nsmallest(3, "service_level")
    assert worst["time"].tolist() == ["12:30", "12:00", "13:00"]
    w = worst.iloc[0]
    assert (f"at 12:30 only {pct(w['service_level'])} of {w['calls_offered']} calls were answered "
            f"within 20 seconds and {w['calls_abandoned']} callers hung up") in lesson
    assert (f"{worst['agents'].min()} to {worst['agents'].max()} agents for "
            f"{worst['calls_offered'].min()} to {worst['calls_offered'].max()} calls") in lesson
    peak = day[day["time"].isin(["10:00", "10:30"])]["agents"]
    assert peak.nunique() == 1 and f"had {peak.iloc[0]} agents each" in lesson
    assert f"{pct(w['service_level'])} at 12:30)" in lesson
    assert 0.45 < w["service_level"] < 0.55, "the lesson says 'about an even chance'"


def test_lesson_try_it_day(history, lesson):
    day = one_day(history, "2025-11-12")
    busiest = day.loc[day["calls_offered"].idxmax()]
    assert (f"gives **'{busiest['time']}'**: {busiest['calls_offered']} calls, out of "
            f"{day['calls_offered'].sum():,} that Wednesday") in lesson
