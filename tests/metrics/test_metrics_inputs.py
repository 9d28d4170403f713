"""Check what opsfirst.metrics gives back (types) and how it refuses bad input.

Every refusal is a ValueError whose message names the argument, the value or the row, and
what is allowed: never a numpy traceback, a NaN or a row quietly dropped.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opsfirst import metrics

# A valid call of every interval function, by keyword, exactly as the API contract writes it.
CALLS = {
    "service_level": dict(answered_within=[40, 150], offered=[40, 300], abandoned=[0, 20],
                          abandoned_within=[0, 5], definition="offered"),
    "abandonment_rate": dict(abandoned=[0, 20], offered=[40, 300], abandoned_within=[0, 5]),
    "average_handle_time": dict(aht=[390, 300], answered=[40, 280]),
    "average_speed_of_answer": dict(answered_wait_seconds=[20, 3000], answered=[40, 280]),
    "average_patience": dict(abandoned=[0, 20], total_wait_seconds=[20, 3300]),
    "occupancy": dict(handle_seconds=[15600, 84000], available_seconds=[18000, 54000]),
    "shrinkage": dict(available_seconds=[23400], paid_seconds=[28800]),
}


@pytest.mark.parametrize("name", CALLS)
def test_every_documented_keyword_call_gives_one_plain_float(name):
    """Check the keywords of the contract, and that a ratio over intervals is one Python float."""
    result = getattr(metrics, name)(**CALLS[name])
    assert type(result) is float and math.isfinite(result)


@pytest.mark.parametrize("name", CALLS)
def test_single_numbers_numpy_arrays_and_pandas_columns_agree(name):
    """Check that lists, numpy arrays and pandas columns give the same answer, and that one
    interval can be given as single numbers."""
    kwargs = CALLS[name]
    as_numpy = {k: np.asarray(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    as_pandas = {k: pd.Series(v, index=[17, 18]) if isinstance(v, list) and len(v) == 2 else v
                 for k, v in kwargs.items()}
    want = getattr(metrics, name)(**kwargs)
    assert getattr(metrics, name)(**as_numpy) == want
    assert getattr(metrics, name)(**as_pandas) == want
    single = {k: v[-1] if isinstance(v, list) else v for k, v in kwargs.items()}
    assert type(getattr(metrics, name)(**single)) is float


# argument -> (bad value, words the message must contain)
BAD_COUNTS = [(-1, "-1"), (2.5, "2.5"), (math.nan, "empty value (NaN)"), (math.inf, "inf"),
              ("40", "the text '40'"), (True, "true/false")]


@pytest.mark.parametrize("name,arg", [(n, a) for n, kw in CALLS.items() for a in kw
                                      if a not in ("definition", "aht") and "seconds" not in a])
@pytest.mark.parametrize("bad,shown", BAD_COUNTS, ids=str)
def test_a_bad_count_names_the_argument_the_value_and_the_rule(name, arg, bad, shown):
    """Check every count argument against negative, fractional, empty, infinite, text and
    true/false values, in an array (the row is named) or alone."""
    kwargs = dict(CALLS[name])
    value = [kwargs[arg][0], bad] if not isinstance(bad, (str, bool)) else bad
    kwargs[arg] = value
    with pytest.raises(ValueError) as caught:
        getattr(metrics, name)(**kwargs)
    message = str(caught.value)
    assert message.startswith(f"{arg} must be a whole number of calls"), message
    assert shown in message, message
    if isinstance(value, list):
        assert "(row 1)" in message, message


@pytest.mark.parametrize("name,arg", [(n, a) for n, kw in CALLS.items() for a in kw
                                      if "seconds" in a])
@pytest.mark.parametrize("bad,shown", [(-5, "-5"), (math.nan, "empty value (NaN)"), (math.inf, "inf")],
                         ids=str)
def test_a_bad_time_names_the_argument_the_value_and_the_rule(name, arg, bad, shown):
    """Check every seconds argument against negative, empty and infinite values."""
    kwargs = dict(CALLS[name], **{arg: [CALLS[name][arg][0], bad]})
    with pytest.raises(ValueError) as caught:
        getattr(metrics, name)(**kwargs)
    message = str(caught.value)
    assert message.startswith(f"{arg} must be a number of seconds"), message
    assert shown in message and "(row 1)" in message, message


def test_the_row_names_the_pandas_index_label_of_a_filtered_day():
    """Check that a day cut out of interval_history (index 2430, 2431, ...) is reported by row
    number and by the index label a learner sees on the screen."""
    offered = pd.Series([100, 120, 90], index=[2430, 2431, 2432])
    within = pd.Series([80, -3, 70], index=[2430, 2431, 2432])
    with pytest.raises(ValueError, match=r"answered_within must be .*got -3 \(row 1, index 2431\)"):
        metrics.service_level(answered_within=within, offered=offered)


def test_answered_within_above_offered_names_both_values_and_the_row():
    """Check the rule between arguments: more calls answered in 20 s than offered."""
    with pytest.raises(ValueError) as caught:
        metrics.service_level(answered_within=[40, 320], offered=[40, 300])
    message = str(caught.value)
    for part in ("answered_within must be at most offered", "answered_within 320", "offered 300",
                 "(row 1)", "some of the calls offered"):
        assert part in message, message


def test_answered_within_above_the_answered_calls_is_refused():
    """Check that with abandoned given, answered within 20 s cannot exceed offered - abandoned."""
    with pytest.raises(ValueError, match=r"at most offered - abandoned.*got answered_within 290 "
                                         r"and offered - abandoned 280 \(row 1\)"):
        metrics.service_level(answered_within=[40, 290], offered=[40, 300], abandoned=[0, 20],
                              definition="answered")


def test_short_abandons_above_abandons_are_refused():
    """Check abandoned_within <= abandoned, in both functions that take them."""
    with pytest.raises(ValueError, match="abandoned_within must be at most abandoned"):
        metrics.abandonment_rate(abandoned=[0, 20], offered=[40, 300], abandoned_within=[1, 5])
    with pytest.raises(ValueError, match="abandoned_within must be at most abandoned"):
        metrics.service_level(answered_within=[40, 150], offered=[40, 300], abandoned=[0, 20],
                              abandoned_within=[0, 21], definition="excluding_short_abandons")
    with pytest.raises(ValueError, match="abandoned must be at most offered"):
        metrics.abandonment_rate(abandoned=[50, 20], offered=[40, 300])


def test_lengths_that_differ_are_named():
    """Check that arrays of different lengths (or one number against a day) are refused."""
    with pytest.raises(ValueError, match=r"the lengths differ: answered_within 2, offered 3"):
        metrics.service_level(answered_within=[40, 150], offered=[40, 300, 20])
    with pytest.raises(ValueError, match=r"the lengths differ: abandoned 1, total_wait_seconds 2"):
        metrics.average_patience(abandoned=5, total_wait_seconds=[100, 200])
    with pytest.raises(ValueError, match="no intervals given"):
        metrics.occupancy(handle_seconds=[], available_seconds=[])


@pytest.mark.parametrize("definition,needs", [("answered", "needs abandoned"),
                                              ("excluding_short_abandons", "needs abandoned_within")])
def test_a_definition_without_its_counts_says_what_it_needs(definition, needs):
    """Check that each definition asks for the count its denominator uses."""
    with pytest.raises(ValueError, match=f"definition='{definition}' {needs}"):
        metrics.service_level(answered_within=[40, 150], offered=[40, 300], definition=definition)


def test_an_unknown_definition_lists_the_three():
    """Check that a misspelt definition gets the list of definitions."""
    with pytest.raises(ValueError, match="'offered', 'answered', 'excluding_short_abandons'"):
        metrics.service_level(answered_within=72, offered=100, definition="abandoned")


@pytest.mark.parametrize("call,words", [
    (lambda: metrics.service_level(answered_within=[0, 0], offered=[0, 0]), "no calls offered"),
    (lambda: metrics.service_level(answered_within=0, offered=5, abandoned=5, definition="answered"),
     "no calls answered"),
    (lambda: metrics.abandonment_rate(abandoned=0, offered=0), "no calls offered"),
    (lambda: metrics.average_handle_time(aht=[np.nan], answered=[0]), "no calls answered"),
    (lambda: metrics.average_speed_of_answer(answered_wait_seconds=0, answered=0), "no calls answered"),
    (lambda: metrics.average_patience(abandoned=[0, 0], total_wait_seconds=[10, 20]),
     "no caller abandoned"),
    (lambda: metrics.occupancy(handle_seconds=0, available_seconds=0), "no agent time"),
    (lambda: metrics.shrinkage(available_seconds=0, paid_seconds=0), "no paid time"),
])
def test_nothing_to_divide_by_is_an_error_not_a_nan(call, words):
    """Check that a ratio with nothing in its denominator explains itself."""
    with pytest.raises(ValueError, match=words):
        call()


def test_an_empty_aht_where_calls_were_answered_is_refused():
    """Check that a missing AHT is allowed only where no call was answered."""
    with pytest.raises(ValueError, match=r"aht must be .* where calls were answered; got an empty "
                                         r"value \(NaN\) with 280 calls answered \(row 1\)"):
        metrics.average_handle_time(aht=[390, np.nan], answered=[40, 280])
    with pytest.raises(ValueError, match=r"aht must be .*more than 0.*got 0 \(row 0\)"):
        metrics.average_handle_time(aht=[0, 300], answered=[40, 280])


def test_more_available_than_paid_time_is_refused():
    """Check shrinkage's rule: available time is part of paid time."""
    with pytest.raises(ValueError, match="available_seconds must be at most paid_seconds"):
        metrics.shrinkage(available_seconds=[30_000], paid_seconds=[28_800])


def _day():
    start = pd.date_range("2025-11-17 09:00", periods=3, freq="30min", tz="Europe/London")
    return pd.DataFrame({"interval_start": start, "calls_offered": [100, 120, 90],
                         "calls_answered": [95, 110, 90], "calls_abandoned": [5, 10, 0],
                         "answered_within_20s": [80, 70, 85], "aht_seconds": [300.0, 310.0, 290.0]},
                        index=[2430, 2431, 2432])


def test_daily_summary_refuses_a_frame_that_does_not_fit():
    """Check the frame's columns, times and counts: each error names the column and the row."""
    with pytest.raises(ValueError, match="frame has no column 'answered_within_20s'"):
        metrics.daily_summary(_day().drop(columns="answered_within_20s"))
    with pytest.raises(ValueError, match="interval_start must be dates and times"):
        metrics.daily_summary(_day().assign(interval_start=["09:00", "09:30", "10:00"]))
    with pytest.raises(ValueError, match=r"calls_answered must be at most calls_offered .*\(row 1, "
                                         r"index 2431\)"):
        metrics.daily_summary(_day().assign(calls_answered=[95, 130, 90]))
    with pytest.raises(ValueError, match=r"calls_abandoned must be a whole number of calls.*got -2"):
        metrics.daily_summary(_day().assign(calls_abandoned=[5, -2, 0]))
    with pytest.raises(ValueError, match=r"aht_seconds must be .*empty value \(NaN\) \(row 2, index 2432\)"):
        metrics.daily_summary(_day().assign(aht_seconds=[300.0, 310.0, np.nan]))
    with pytest.raises(ValueError, match="target_service_level must be a fraction"):
        metrics.daily_summary(_day(), target_service_level=80)
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        metrics.daily_summary([1, 2, 3])
    with pytest.raises(ValueError, match="no calls offered on 2025-11-17"):
        metrics.daily_summary(_day().assign(calls_offered=0, calls_answered=0, calls_abandoned=0,
                                            answered_within_20s=0, aht_seconds=np.nan))


def test_daily_summary_keeps_every_row_and_its_types():
    """Check that no row is dropped and the counts stay whole numbers."""
    table = metrics.daily_summary(_day())
    assert len(table) == 1 and table["half_hours"].iloc[0] == 3
    assert table["calls_offered"].dtype == np.int64
    assert table["half_hours_under_target"].dtype == np.int64
    assert list(table.columns) == ["calls_offered", "calls_answered", "calls_abandoned",
                                   "service_level", "abandonment_rate", "aht_seconds",
                                   "worst_service_level", "worst_half_hour",
                                   "half_hours_under_target", "half_hours"]


def test_contact_functions_refuse_what_does_not_fit():
    """Check before_after and target_effect: columns, dates, teams, channel, window."""
    from test_metrics_hand_worked import contact_log

    log = contact_log()
    with pytest.raises(ValueError, match="contacts has no column 'transferred'"):
        metrics.before_after(log.drop(columns="transferred"), "2025-10-13")
    with pytest.raises(ValueError, match="change must fall inside the contacts' dates"):
        metrics.before_after(log, "2026-01-05")
    with pytest.raises(ValueError, match=r"change must be a date, e\.g\. \"2025-10-13\"; got 'soon'"):
        metrics.before_after(log, "soon")
    with pytest.raises(ValueError, match="channel must be one of voice"):
        metrics.before_after(log, "2025-10-13", channel="phone")
    with pytest.raises(ValueError, match="repeat_window_days must be a number of days"):
        metrics.before_after(log, "2025-10-13", repeat_window_days=0)
    with pytest.raises(ValueError, match=r"treated must be a list of teams in the contacts \(A, B\)"):
        metrics.target_effect(log, "2025-10-13", treated=["E"])
    with pytest.raises(ValueError, match="keep at least one team out as the comparison"):
        metrics.target_effect(log, "2025-10-13", treated=["A", "B"])


def test_the_scenario_refuses_what_does_not_fit():
    """Check aht_target_scenario: its effect table, the pressure, and rates pushed past 1."""
    from test_metrics_hand_worked import contact_log

    effect = metrics.target_effect(contact_log(), "2025-10-13", treated=["B"])
    with pytest.raises(ValueError, match="effect must be the table of metrics.target_effect"):
        metrics.aht_target_scenario(pd.DataFrame(), pressure=1, calls=100, aht=300)
    with pytest.raises(ValueError, match=r"pressure must be a pressure of 0 .*got -1"):
        metrics.aht_target_scenario(effect, pressure=-1, calls=100, aht=300)
    with pytest.raises(ValueError, match="pressure 3 takes the transfer rate to 1.50"):
        metrics.aht_target_scenario(effect, pressure=3, calls=100, aht=300)
    with pytest.raises(ValueError, match="calls must be a single number"):
        metrics.aht_target_scenario(effect, pressure=1, calls=[100, 200], aht=300)
    with pytest.raises(ValueError, match="aht must be the average handling time"):
        metrics.aht_target_scenario(effect, pressure=1, calls=100, aht=0)


def test_contact_columns_are_checked_row_by_row():
    """Check the contact log's own columns: an empty transfer flag, a handle time of 0, an empty
    start; each error names the column and the row."""
    from test_metrics_hand_worked import contact_log

    log = contact_log()
    flags = log.assign(transferred=log["transferred"].astype(object))
    flags.loc[3, "transferred"] = None
    with pytest.raises(ValueError, match=r"contacts' transferred must be true or false .*got an "
                                         r"empty value \(row 3\)"):
        metrics.before_after(flags, "2025-10-13")
    with pytest.raises(ValueError, match=r"handle_seconds must be .*more than 0; got 0 \(row 4\)"):
        metrics.before_after(log.assign(handle_seconds=[300, 300, 360, 200, 0, 320, 200, 300, 320, 240]),
                             "2025-10-13")
    starts = log["start"].copy()
    starts[2] = pd.NaT
    with pytest.raises(ValueError, match=r"contacts' start must not be empty.*\(row 2\)"):
        metrics.before_after(log.assign(start=starts), "2025-10-13")


def test_a_repeated_index_gives_the_same_answer():
    """Check that contacts glued together with pd.concat (their index labels repeat) are
    measured by position: the same table as with a clean index."""
    from test_metrics_hand_worked import contact_log

    log = contact_log()
    glued = log.set_axis([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
    pd.testing.assert_frame_equal(metrics.before_after(glued, "2025-10-13"),
                                  metrics.before_after(log, "2025-10-13"))


def test_a_window_that_reaches_past_the_data_is_refused_not_nan():
    """Check that when no contact after the change can be judged (the window reaches past the
    end of the data), the error says so instead of giving an empty repeat rate."""
    from test_metrics_hand_worked import contact_log

    with pytest.raises(ValueError, match="cannot be judged: use a shorter repeat_window_days"):
        metrics.before_after(contact_log(), "2025-10-13", repeat_window_days=45)
