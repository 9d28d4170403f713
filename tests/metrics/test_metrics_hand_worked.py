"""Check opsfirst.metrics against tables worked out by hand (each test's docstring shows the sums).

Nothing here is checked against the library itself: every expected number is written out as
the arithmetic a manager would do on paper, from the rows of the table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opsfirst import metrics, staffing

# Four half-hours of a morning (a quiet start, two busy half-hours, a recovery).
#
#   row  offered  answered  abandoned  within 20 s  abandoned within 5 s  AHT (s)
#   0       40       40         0          40              0               390
#   1      300      270        30         150              6               300
#   2      260      250        10         200              4               310
#   3      100       98         2          95              1               280
#   sum    700      658        42         485             11
OFFERED = [40, 300, 260, 100]
ANSWERED = [40, 270, 250, 98]
ABANDONED = [0, 30, 10, 2]
WITHIN = [40, 150, 200, 95]
SHORT = [0, 6, 4, 1]
AHT = [390.0, 300.0, 310.0, 280.0]


def test_service_level_three_definitions_by_hand():
    """Check the three definitions on the four half-hours.

    offered:                   485 / 700          = 0.692857...
    answered:                  485 / (700 - 42)   = 485 / 658 = 0.737082...
    excluding short abandons:  485 / (700 - 11)   = 485 / 689 = 0.703918...
    """
    assert metrics.service_level(answered_within=WITHIN, offered=OFFERED) == pytest.approx(485 / 700)
    assert metrics.service_level(answered_within=WITHIN, offered=OFFERED, abandoned=ABANDONED,
                                 definition="answered") == pytest.approx(485 / 658)
    assert metrics.service_level(answered_within=WITHIN, offered=OFFERED, abandoned_within=SHORT,
                                 definition="excluding_short_abandons") == pytest.approx(485 / 689)


def test_service_level_is_not_the_mean_of_the_half_hours():
    """Check that the quiet half-hour does not weigh as much as a busy one.

    The half-hours' service levels are 40/40 = 1.0, 150/300 = 0.5, 200/260 = 0.769231 and
    95/100 = 0.95; their mean is 3.219231 / 4 = 0.804808, above an 80% target, while the calls
    say 485 / 700 = 0.692857, 11.2 points below it.
    """
    mean_of_percentages = (1.0 + 0.5 + 200 / 260 + 0.95) / 4
    assert mean_of_percentages == pytest.approx(0.8048077, abs=1e-7)
    weighted = metrics.service_level(answered_within=WITHIN, offered=OFFERED)
    assert weighted == pytest.approx(0.6928571, abs=1e-7)
    assert mean_of_percentages - weighted == pytest.approx(0.1119505, abs=1e-7)


def test_the_answered_definition_is_never_below_the_offered_one():
    """Check, on 200 random tables, that dividing by fewer calls can only raise the number:
    offered >= offered - abandoned_within >= offered - abandoned."""
    rng = np.random.default_rng(2026)
    for _ in range(200):
        offered = rng.integers(1, 300, size=6)
        abandoned = rng.binomial(offered, 0.1)
        short = rng.binomial(abandoned, 0.3)
        within = rng.binomial(offered - abandoned, 0.8)
        a = metrics.service_level(within, offered)
        b = metrics.service_level(within, offered, abandoned_within=short,
                                  definition="excluding_short_abandons")
        c = metrics.service_level(within, offered, abandoned=abandoned, definition="answered")
        assert a <= b <= c


def test_abandonment_rate_by_hand():
    """Check abandonment with and without the short abandons.

    all abandons:         42 / 700               = 0.06
    short ones removed:   (42 - 11) / (700 - 11) = 31 / 689 = 0.044993...
    """
    assert metrics.abandonment_rate(abandoned=ABANDONED, offered=OFFERED) == pytest.approx(0.06)
    assert metrics.abandonment_rate(abandoned=ABANDONED, offered=OFFERED,
                                    abandoned_within=SHORT) == pytest.approx(31 / 689)


def test_average_handle_time_is_weighted_by_calls_answered():
    """Check AHT = sum(AHT x answered) / sum(answered).

    40 x 390 + 270 x 300 + 250 x 310 + 98 x 280 = 15,600 + 81,000 + 77,500 + 27,440 = 201,540
    seconds over 658 calls = 306.2918 s; the mean of the four AHTs is 1,280 / 4 = 320 s.
    """
    assert metrics.average_handle_time(aht=AHT, answered=ANSWERED) == pytest.approx(201_540 / 658)
    assert np.mean(AHT) == 320


def test_an_interval_without_answered_calls_has_no_aht_and_weighs_nothing():
    """Check that an empty AHT is allowed where no call was answered (as in interval_history).

    (200 x 300 + 100 x 330) / 300 = 93,000 / 300 = 310 s.
    """
    got = metrics.average_handle_time(aht=[300.0, np.nan, 330.0], answered=[200, 0, 100])
    assert got == pytest.approx(310.0)
    series = pd.Series([300.0, None, 330.0])
    assert metrics.average_handle_time(aht=series, answered=[200, 0, 100]) == pytest.approx(310.0)


def test_average_speed_of_answer_by_hand():
    """Check ASA = total answer wait / calls answered: (120 + 2,400 + 900) / (60 + 150 + 90) =
    3,420 / 300 = 11.4 s."""
    got = metrics.average_speed_of_answer(answered_wait_seconds=[120, 2400, 900],
                                          answered=[60, 150, 90])
    assert got == pytest.approx(11.4)


def test_patience_divides_every_callers_wait_by_the_abandoned():
    """Check patience = waiting time of all callers / abandoned calls, and the mistake.

    half-hour  answered waited (s)  abandoned waited (s)  abandoned
    0                 300                 100                 2
    1                 900                 300                 7
    2                 300                 100                 3
    sum             1,500                 500                12
    patience = (1,500 + 500) / 12 = 166.67 s; the abandoners' mean wait is 500 / 12 = 41.67 s.
    """
    total = [300 + 100, 900 + 300, 300 + 100]
    assert metrics.average_patience(abandoned=[2, 7, 3], total_wait_seconds=total) == pytest.approx(2000 / 12)
    assert metrics.average_patience(abandoned=[2, 7, 3], total_wait_seconds=[100, 300, 100]) == pytest.approx(500 / 12)


def test_occupancy_and_shrinkage_by_hand():
    """Check occupancy = handling / logged-in time and shrinkage = 1 - available / paid.

    Two half-hours: 14 agents handled 18,000 s, 30 agents 45,000 s: 63,000 / (44 x 1,800 =
    79,200) = 0.795455. An 8-hour paid shift (28,800 s) with 30 minutes of paid breaks and an
    hour of training is available 6.5 h = 23,400 s: shrinkage 1 - 23,400 / 28,800 = 0.1875.
    """
    assert metrics.occupancy(handle_seconds=[18_000, 45_000],
                             available_seconds=[14 * 1800, 30 * 1800]) == pytest.approx(63_000 / 79_200)
    assert metrics.shrinkage(available_seconds=23_400, paid_seconds=28_800) == pytest.approx(0.1875)


def test_shrinkage_divides_into_the_staff_to_schedule():
    """Check the link to staffing: 14 agents on the phones at the shrinkage of the shift above
    (18.75%) are 14 / 0.8125 = 17.23 -> 18 people, the same as staffing.scheduled_staff."""
    s = metrics.shrinkage(available_seconds=23_400, paid_seconds=28_800)
    assert math.ceil(14 / (1 - s)) == 18 == staffing.scheduled_staff(agents=14, shrinkage=s)


def _two_days():
    """Two days across the clock change (26 October 2025): the second day's first half-hour,
    00:30 local time (BST, +01:00), is still the 25th in UTC. It must count for the 26th."""
    starts = pd.to_datetime(["2025-10-25T09:00:00+01:00", "2025-10-25T09:30:00+01:00",
                             "2025-10-26T00:30:00+01:00", "2025-10-26T09:00:00+00:00",
                             "2025-10-26T09:30:00+00:00"], utc=True).tz_convert("Europe/London")
    return pd.DataFrame({
        "interval_start": starts,
        "calls_offered": [40, 300, 0, 100, 120],
        "calls_answered": [40, 280, 0, 95, 120],
        "calls_abandoned": [0, 20, 0, 5, 0],
        "answered_within_20s": [40, 150, 0, 70, 114],
        "aht_seconds": [390.0, 300.0, np.nan, 310.0, 290.0],
        "agents": [10, 30, 1, 20, 20],
    })


def test_daily_summary_by_hand():
    """Check one row per local day, with the measures worked out by hand.

    25 Oct: offered 340, answered 320, abandoned 20; within 20 s 190 -> 190/340 = 0.558824;
    abandonment 20/340 = 0.058824; AHT (40 x 390 + 280 x 300) / 320 = 99,600 / 320 = 311.25 s;
    half-hours 1.0 and 0.5: worst 0.5 at 09:30, 1 under 80%.
    26 Oct: the 00:30 half-hour (no calls) belongs to the 26th and is left out of the worst;
    offered 220, answered 215, abandoned 5; within 184 -> 184/220 = 0.836364; abandonment
    5/220 = 0.022727; AHT (95 x 310 + 120 x 290) / 215 = 64,250 / 215 = 298.837 s; half-hours
    70/100 = 0.7 and 114/120 = 0.95: worst 0.7 at 09:00, 1 under 80%; 3 rows.
    """
    table = metrics.daily_summary(_two_days())
    assert [str(d) for d in table.index] == ["2025-10-25", "2025-10-26"]
    first, second = table.iloc[0], table.iloc[1]
    assert (first["calls_offered"], first["calls_answered"], first["calls_abandoned"]) == (340, 320, 20)
    assert first["service_level"] == pytest.approx(190 / 340)
    assert first["abandonment_rate"] == pytest.approx(20 / 340)
    assert first["aht_seconds"] == pytest.approx(311.25)
    assert first["worst_service_level"] == pytest.approx(0.5)
    assert first["worst_half_hour"] == "09:30"
    assert (first["half_hours_under_target"], first["half_hours"]) == (1, 2)
    assert (second["calls_offered"], second["calls_answered"], second["calls_abandoned"]) == (220, 215, 5)
    assert second["service_level"] == pytest.approx(184 / 220)
    assert second["abandonment_rate"] == pytest.approx(5 / 220)
    assert second["aht_seconds"] == pytest.approx(64_250 / 215)
    assert second["worst_service_level"] == pytest.approx(0.7)
    assert second["worst_half_hour"] == "09:00"
    assert (second["half_hours_under_target"], second["half_hours"]) == (1, 3)


def test_daily_summary_target_is_a_setting():
    """Check the target: at 90% the 25th's half-hours (1.0, 0.5) have one under and the 26th's
    (0.7, 0.95) one under; at 96% the 26th's 0.95 is under too."""
    assert metrics.daily_summary(_two_days(), target_service_level=0.9)["half_hours_under_target"].tolist() == [1, 1]
    assert metrics.daily_summary(_two_days(), target_service_level=0.96)["half_hours_under_target"].tolist() == [1, 2]


def contact_log():
    """A tiny contact log worked out by hand: teams A (comparison) and B (a target from 13
    October), voice only, data ending 30 November.

    issue  contact  team  start             end (+handle)   transferred  next contact starts
    1      1        A     1 Oct 09:00       +300 s          no           -
    2      1        B     1 Oct 10:00       +300 s          no           2 Oct 10:00 (1 day: repeat)
    2      2        A     2 Oct 10:00       +360 s          no           -
    3      1        B     20 Oct 09:00      +200 s          yes          21 Oct 09:00 (repeat)
    3      2        B     21 Oct 09:00      +220 s          no           -
    4      1        A     20 Oct 11:00      +320 s          no           -
    5      1        B     27 Nov 09:00      +200 s          no           - (ends < 7 days before
                                                                           the data end: not judged)
    6      1        A     30 Nov 09:00      +300 s          no           - (the last contact)
    7      1        B     3 Oct 09:00       +320 s          no           20 Oct 09:00 (17 days:
                                                                           not within 7)
    7      2        B     20 Oct 09:00      +240 s          yes          -
    """
    rows = [
        (1, 1, "A", "2025-10-01 09:00", 300, False), (2, 1, "B", "2025-10-01 10:00", 300, False),
        (2, 2, "A", "2025-10-02 10:00", 360, False), (3, 1, "B", "2025-10-20 09:00", 200, True),
        (3, 2, "B", "2025-10-21 09:00", 220, False), (4, 1, "A", "2025-10-20 11:00", 320, False),
        (5, 1, "B", "2025-11-27 09:00", 200, False), (6, 1, "A", "2025-11-30 09:00", 300, False),
        (7, 1, "B", "2025-10-03 09:00", 320, False), (7, 2, "B", "2025-10-20 09:00", 240, True),
    ]
    frame = pd.DataFrame(rows, columns=["issue_id", "contact_number", "team", "start",
                                        "handle_seconds", "transferred"])
    frame["start"] = pd.to_datetime(frame["start"]).dt.tz_localize("Europe/London")
    frame["end"] = frame["start"] + pd.to_timedelta(frame["handle_seconds"], unit="s")
    frame["channel"] = "voice"
    frame["resolved_by_agent"] = [True, True, True, False, True, True, True, True, True, True]
    return frame


def test_before_after_by_hand():
    """Check each team's measures before and after 13 October (7-day repeat window).

    A before: issues 1 (300 s) and 2's second contact (360 s): AHT 330, no transfer, no repeat.
    A after: issues 4 (320 s) and 6 (300 s): AHT 310; issue 6 ends on 30 Nov, after the data
      end minus 7 days, so only issue 4 is judged: repeat rate 0 / 1.
    B before: issue 2 (300 s, repeated next day) and issue 7 (320 s, came back after 17 days):
      AHT 310, transfers 0, repeat 1 / 2 = 0.5.
    B after: issues 3 (200 s, transferred, repeated), 3 again (220 s), 5 (200 s, not judged),
      7 again (240 s, transferred): AHT 860 / 4 = 215, transfers 2 / 4 = 0.5, repeat 1 / 3.
    """
    table = metrics.before_after(contact_log(), "2025-10-13")
    a, b = table.loc["A"], table.loc["B"]
    assert (a["contacts_before"], a["contacts_after"], b["contacts_before"], b["contacts_after"]) == (2, 2, 2, 4)
    assert (a["aht_before"], a["aht_after"], b["aht_before"], b["aht_after"]) == (330, 310, 310, 215)
    assert (a["transfer_rate_before"], a["transfer_rate_after"]) == (0, 0)
    assert (b["transfer_rate_before"], b["transfer_rate_after"]) == (0, 0.5)
    assert (a["repeat_rate_before"], a["repeat_rate_after"]) == (0, 0)
    assert b["repeat_rate_before"] == pytest.approx(0.5)
    assert b["repeat_rate_after"] == pytest.approx(1 / 3)
    assert b["resolved_tick_rate_after"] == pytest.approx(3 / 4)


def test_target_effect_is_the_difference_in_differences_by_hand():
    """Check the effect net of the comparison team, from the table above.

    AHT: B 310 -> 215 (-95 s), A 330 -> 310 (-20 s): effect -95 - (-20) = -75 s.
    Transfers: B 0 -> 0.5, A 0 -> 0: effect +0.5.
    Repeats: B 0.5 -> 1/3 (-1/6), A 0 -> 0: effect -1/6.
    """
    effect = metrics.target_effect(contact_log(), "2025-10-13", treated=["B"])
    assert effect.loc["aht", "effect"] == pytest.approx(-75)
    assert effect.loc["aht", "treated_change"] == pytest.approx(-95)
    assert effect.loc["aht", "comparison_change"] == pytest.approx(-20)
    assert effect.loc["transfer_rate", "effect"] == pytest.approx(0.5)
    assert effect.loc["repeat_rate", "effect"] == pytest.approx(-1 / 6)


def test_a_longer_window_catches_the_late_return():
    """Check the window: with 20 days, issue 7's return after 17 days is a repeat (B before:
    2 / 2), and fewer contacts are judged (the data end minus 20 days is 10 November)."""
    table = metrics.before_after(contact_log(), "2025-10-13", repeat_window_days=20)
    assert table.loc["B", "repeat_rate_before"] == 1.0


def test_aht_target_scenario_by_hand():
    """Check the scenario's arithmetic on a hand-made effect table.

    AHT ratio net of the comparison: (240 / 300) / (330 / 330) = 0.8.
    Comparison after: transfers t0 = 0.05, repeats q0 = 0.25; effects +0.08 and +0.10.
    pressure 0: AHT 300, calls 250, transfers 0.05, repeats 0.25.
    pressure 1: AHT 300 x 0.8 = 240 s; transfers 0.13; repeats 0.35; contacts per issue
      1 / 0.65 = 1.538; calls 250 x 0.75 / 0.65 = 288.46; transfers 288.46 x 0.13 = 37.5.
    pressure 0.5: AHT 300 x 0.8 ** 0.5 = 268.33 s; repeats 0.30.
    Agents: staffing.agents_required on those calls and AHT (Erlang C, 80/20).
    """
    effect = pd.DataFrame({
        "treated_before": [300.0, 0.05, 0.25], "treated_after": [240.0, 0.13, 0.35],
        "comparison_before": [330.0, 0.05, 0.25], "comparison_after": [330.0, 0.05, 0.25],
        "treated_change": [-60.0, 0.08, 0.10], "comparison_change": [0.0, 0.0, 0.0],
        "effect": [-60.0, 0.08, 0.10],
    }, index=pd.Index(["aht", "transfer_rate", "repeat_rate"], name="measure"))
    table = metrics.aht_target_scenario(effect, pressure=[0, 0.5, 1], calls=250, aht=300)
    assert table["aht_seconds"].tolist() == pytest.approx([300, 300 * 0.8 ** 0.5, 240])
    assert table["repeat_rate"].tolist() == pytest.approx([0.25, 0.30, 0.35])
    assert table["transfer_rate"].tolist() == pytest.approx([0.05, 0.09, 0.13])
    assert table.loc[2, "calls"] == pytest.approx(250 * 0.75 / 0.65)
    assert table.loc[2, "contacts_per_issue"] == pytest.approx(1 / 0.65)
    assert table.loc[2, "transfers"] == pytest.approx(250 * 0.75 / 0.65 * 0.13)
    assert table.loc[2, "workload_erlangs"] == pytest.approx(250 * 0.75 / 0.65 * 240 / 1800)
    assert table["agents"].tolist() == [staffing.agents_required(calls=c, aht=a) for c, a in
                                        zip(table["calls"], table["aht_seconds"])]
    assert table.loc[0, "agents"] == staffing.agents_required(calls=250, aht=300) == 48
