"""Repeat-contact FCR against hand-worked tables, an independent pandas reference, and bad data.

Each small test's docstring holds its table: which contacts are repeats, which are censored,
and the counts that follow. The reference on the shipped data is the textbook pandas way
(sort, then ``groupby(...).shift(-1)``), written here without opsfirst.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from opsfirst import datasets, fcr

DAY = pd.Timedelta(days=1)


def frame(rows, tz=None):
    """contacts from (customer, reason, start, channel) rows."""
    out = pd.DataFrame(rows, columns=["customer_id", "reason", "start", "channel"])
    out["start"] = pd.to_datetime(out["start"])
    if tz:
        out["start"] = out["start"].dt.tz_localize(tz)
    return out


def counts(result):
    return result.resolved, result.counted, result.censored


def test_a_repeat_through_another_channel_is_a_repeat():
    """Check the hand-worked table below (data end 30 Sep, 7-day window, same reason).

    | # | customer | reason | start       | channel | next same-reason contact | status   |
    |---|----------|--------|-------------|---------|--------------------------|----------|
    | 0 | 1        | card   | 01 Sep 9:00 | voice   | #1, 2 days later         | repeated |
    | 1 | 1        | card   | 03 Sep 9:00 | chat    | none                     | resolved |
    | 2 | 2        | card   | 02 Sep 9:00 | email   | none                     | resolved |
    | 3 | 3        | card   | 30 Sep 9:00 | voice   | (window runs past end)   | censored |

    resolved 2, counted 3, censored 1: FCR 2/3.
    """
    contacts = frame([(1, "card", "2025-09-01 09:00", "voice"), (1, "card", "2025-09-03 09:00", "chat"),
                      (2, "card", "2025-09-02 09:00", "email"), (3, "card", "2025-09-30 09:00", "voice")])
    result = fcr.repeat_contact_fcr(contacts)
    assert counts(result) == (2, 3, 1)
    assert result.fcr == pytest.approx(2 / 3)
    assert fcr.repeat_status(contacts).tolist() == ["repeated", "resolved", "resolved", "censored"]


def test_a_different_reason_is_not_a_repeat_unless_asked():
    """Check (end 30 Sep, 7 days):

    | # | customer | reason  | start  | same_reason=True | same_reason=False |
    |---|----------|---------|--------|------------------|-------------------|
    | 0 | 1        | card    | 01 Sep | resolved         | repeated (#1)     |
    | 1 | 1        | billing | 04 Sep | resolved         | resolved          |
    | 2 | 9        | card    | 30 Sep | censored         | censored          |

    same_reason=True: 2 resolved of 2; False: 1 of 2.
    """
    contacts = frame([(1, "card", "2025-09-01", "voice"), (1, "billing", "2025-09-04", "voice"),
                      (9, "card", "2025-09-30", "voice")])
    assert counts(fcr.repeat_contact_fcr(contacts)) == (2, 2, 1)
    assert counts(fcr.repeat_contact_fcr(contacts, same_reason=False)) == (1, 2, 1)


def test_the_window_boundary_is_inclusive():
    """Check (end 30 Sep 12:00, window 7 days = 168 h):

    | # | customer | start              | gap to next       | status   |
    |---|----------|--------------------|-------------------|----------|
    | 0 | 1        | 01 Sep 12:00:00    | exactly 7 days    | repeated |
    | 1 | 1        | 08 Sep 12:00:00    | none              | resolved |
    | 2 | 2        | 01 Sep 12:00:00    | 7 days and 1 s    | resolved |
    | 3 | 2        | 08 Sep 12:00:01    | none              | resolved |
    | 4 | 3        | 23 Sep 12:00:00    | (ends exactly at end: counted) | resolved |
    | 5 | 4        | 23 Sep 12:00:01    | (1 s past end)    | censored |
    | 6 | 5        | 30 Sep 12:00:00    | (last start)      | censored |

    resolved 4, counted 5, censored 2.
    """
    contacts = frame([(1, "card", "2025-09-01 12:00:00", "voice"), (1, "card", "2025-09-08 12:00:00", "voice"),
                      (2, "card", "2025-09-01 12:00:00", "voice"), (2, "card", "2025-09-08 12:00:01", "voice"),
                      (3, "card", "2025-09-23 12:00:00", "voice"), (4, "card", "2025-09-23 12:00:01", "voice"),
                      (5, "card", "2025-09-30 12:00:00", "voice")])
    assert counts(fcr.repeat_contact_fcr(contacts)) == (4, 5, 2)
    assert fcr.repeat_status(contacts).tolist() == [
        "repeated", "resolved", "resolved", "resolved", "resolved", "censored", "censored"]


def test_censoring_at_an_earlier_end():
    """Check ``end`` given (data stop 10 Sep 00:00; window 3 days):

    | # | customer | start  | next     | status                          |
    |---|----------|--------|----------|---------------------------------|
    | 0 | 1        | 01 Sep | 02 Sep   | repeated                        |
    | 1 | 1        | 02 Sep | none     | resolved                        |
    | 2 | 2        | 07 Sep | none     | resolved (window ends 10 Sep)   |
    | 3 | 3        | 08 Sep | none     | censored (window ends 11 Sep)   |

    resolved 2, counted 3, censored 1 -- and with the default end (8 Sep, the last start)
    contacts 2 and 3 are both censored: resolved 1, counted 2, censored 2.
    """
    contacts = frame([(1, "card", "2025-09-01", "voice"), (1, "card", "2025-09-02", "voice"),
                      (2, "card", "2025-09-07", "voice"), (3, "card", "2025-09-08", "voice")])
    assert counts(fcr.repeat_contact_fcr(contacts, window_days=3, end="2025-09-10")) == (2, 3, 1)
    assert counts(fcr.repeat_contact_fcr(contacts, window_days=3)) == (1, 2, 2)


def test_a_day_is_24_hours_across_the_clock_change():
    """Check UK times over 26 October 2025 (clocks go back: that week has 169 hours).

    | # | customer | start (local)    | elapsed to next | 7-day window |
    |---|----------|------------------|-----------------|--------------|
    | 0 | 1        | Mon 20 Oct 10:00 | 7 days + 1 h    | resolved     |
    | 1 | 1        | Mon 27 Oct 10:00 | none            | resolved     |
    | 2 | 2        | Mon 20 Oct 10:30 | 7 days          | repeated     |
    | 3 | 2        | Mon 27 Oct 09:30 | none            | resolved     |

    end given 30 Nov: nothing censored; resolved 3 of 4.
    """
    contacts = frame([(1, "card", "2025-10-20 10:00", "voice"), (1, "card", "2025-10-27 10:00", "voice"),
                      (2, "card", "2025-10-20 10:30", "voice"), (2, "card", "2025-10-27 09:30", "voice")],
                     tz="Europe/London")
    assert counts(fcr.repeat_contact_fcr(contacts, end="2025-11-30")) == (3, 4, 0)


def test_contacts_out_of_time_order_are_sorted_not_mislinked():
    """Check that shuffling the rows changes nothing, per contact as well as in the counts.

    | customer | starts (given order)  | linked in time order          |
    |----------|-----------------------|-------------------------------|
    | 1        | 10 Sep, 01 Sep, 05 Sep | 01->05 (4 d), 05->10 (5 d)   |

    7 days: 01 and 05 Sep repeated, 10 Sep resolved (end given 30 Sep). Linking in the
    given order would pair 10 Sep with 01 Sep (a negative gap) and miss the 05 Sep repeat.
    """
    contacts = frame([(1, "card", "2025-09-10", "voice"), (1, "card", "2025-09-01", "voice"),
                      (1, "card", "2025-09-05", "voice")])
    status = fcr.repeat_status(contacts, end="2025-09-30")
    assert status.tolist() == ["resolved", "repeated", "repeated"]


def reference(contacts, window_days=7, same_reason=True, end=None):
    """Textbook pandas: sort, shift within customer (and reason), compare. No opsfirst."""
    keys = ["customer_id", "reason"] if same_reason else ["customer_id"]
    ordered = contacts.sort_values(keys + ["start"], kind="stable")
    following = ordered.groupby(keys, observed=True)["start"].shift(-1)
    window = pd.Timedelta(days=window_days)
    repeated = (following - ordered["start"]) <= window
    stop = ordered["start"].max() if end is None else end
    censored = ordered["start"] + window > stop
    table = pd.DataFrame({"team": ordered["team"], "resolved": ~censored & ~repeated,
                          "counted": ~censored, "censored": censored})
    return table


@pytest.fixture(scope="module")
def shipped():
    return datasets.load("contacts")


@pytest.mark.parametrize("window_days,same_reason", [(1, True), (7, True), (7, False), (30, True)])
def test_matches_the_pandas_reference_on_the_shipped_contacts(shipped, window_days, same_reason):
    """Check overall and per-team counts against groupby-shift, for four settings."""
    want = reference(shipped, window_days, same_reason)
    got = fcr.repeat_contact_fcr(shipped, window_days=window_days, same_reason=same_reason)
    assert counts(got) == tuple(int(want[c].sum()) for c in ("resolved", "counted", "censored"))
    by_team = fcr.repeat_contact_fcr(shipped, window_days=window_days, same_reason=same_reason,
                                     by="team")
    want_team = want.groupby("team", observed=True)[["resolved", "counted", "censored"]].sum()
    pd.testing.assert_frame_equal(by_team[["resolved", "counted", "censored"]], want_team,
                                  check_dtype=False, check_index_type=False)


def test_every_sorting_path_agrees(shipped):
    """Check the four ways of linking (rows in time order; shuffled with whole-second, with
    microsecond times; a key too wide to pack) give the same counts as the reference."""
    base = shipped[["customer_id", "reason", "team", "start"]].copy()
    want = reference(base)
    expected = tuple(int(want[c].sum()) for c in ("resolved", "counted", "censored"))
    shuffled = base.sample(frac=1.0, random_state=7)
    micro = shuffled.copy()
    micro["start"] = micro["start"] + pd.to_timedelta(np.arange(len(micro)) % 997, unit="us")
    wide = shuffled.copy()
    wide["customer_id"] = wide["customer_id"] * 10**12  # ids far apart: no room to pack
    for variant in (base, shuffled, wide):
        assert counts(fcr.repeat_contact_fcr(variant)) == expected
        got = fcr.repeat_contact_fcr(variant, by="team")["resolved"].to_numpy()
        assert (got == want.groupby("team", observed=True)["resolved"].sum().to_numpy()).all()
    micro_want = reference(micro)
    assert counts(fcr.repeat_contact_fcr(micro)) == tuple(
        int(micro_want[c].sum()) for c in ("resolved", "counted", "censored"))
    status = fcr.repeat_status(shuffled)
    assert (status == "resolved").sum() == expected[0]


@pytest.mark.parametrize("cores", [2, 3])
def test_the_sort_on_several_cores_agrees(shipped, monkeypatch, cores):
    """Check the large-export sort (a slice of values per core, sorted in threads) on the
    shipped contacts, made to take that path: the same counts as the reference, overall and
    by team, and the same sorted keys as numpy's own sort, ties included."""
    monkeypatch.setattr(fcr, "_PARALLEL_SORT_FROM", 0)
    monkeypatch.setattr(fcr, "_cores", lambda: cores)
    base = shipped[["customer_id", "reason", "team", "start"]].copy()
    want = reference(base)
    for variant in (base, base.sample(frac=1.0, random_state=11)):
        r = fcr.repeat_contact_fcr(variant)
        assert counts(r) == tuple(int(want[c].sum()) for c in ("resolved", "counted", "censored"))
        got = fcr.repeat_contact_fcr(variant, by="team")[["resolved", "counted", "censored"]]
        expected = want.groupby("team", observed=True)[["resolved", "counted", "censored"]].sum()
        assert (got.to_numpy() == expected.to_numpy()).all()
    key = np.random.default_rng(5).integers(0, 50, 10_001)  # many ties
    assert (fcr._sort(key.copy()) == np.sort(key)).all()


def test_grouping_by_a_list_of_columns(shipped):
    """Check by=["team", "reason"]: one row per pair present, summing to the overall counts."""
    table = fcr.repeat_contact_fcr(shipped, by=["team", "reason"])
    assert table.index.names == ["team", "reason"] and len(table) == 24
    overall = fcr.repeat_contact_fcr(shipped)
    assert (table["resolved"].sum(), table["counted"].sum(), table["censored"].sum()) == counts(overall)
    assert list(table.columns) == ["fcr", "resolved", "counted", "censored", "ci_low", "ci_high"]


@pytest.mark.parametrize("k,n", [(0, 1), (7, 10), (36876, 52859), (10, 10), (1, 3)])
def test_the_interval_is_wilsons(k, n):
    """Check wilson_interval against scipy.stats.binomtest(...).proportion_ci(method='wilson')."""
    low, high = fcr.wilson_interval(k, n)
    want = binomtest(k, n).proportion_ci(method="wilson")
    assert low == pytest.approx(want.low, abs=1e-12) and high == pytest.approx(want.high, abs=1e-12)


def test_result_interval_is_wilsons_too(shipped):
    r = fcr.repeat_contact_fcr(shipped)
    want = binomtest(r.resolved, r.counted).proportion_ci(method="wilson")
    assert (r.ci_low, r.ci_high) == pytest.approx((want.low, want.high), abs=1e-12)


# ----------------------------------------------------------------------------- bad data

GOOD = frame([(1, "card", "2025-09-01", "voice"), (2, "card", "2025-09-02", "voice")])


@pytest.mark.parametrize("change,words", [
    (lambda d: d.drop(columns="customer_id"), ["no column 'customer_id'", "rename"]),
    (lambda d: d.assign(customer_id=[1, None]), ["'customer_id'", "empty at row index 1"]),
    (lambda d: d.assign(start=["2025-09-01T08:00:00", "yesterday"]),
     ["'start'", "row index 1", "'yesterday'", "not a date and time", "ISO 8601"]),
    (lambda d: d.assign(end=d["start"] - DAY), ["'end'", "row index 0", "before its start"]),
    (lambda d: d.drop(columns="reason"), ["no column 'reason'", "same_reason=False"]),
    (lambda d: d.iloc[:0], ["no rows"]),
])
def test_bad_data_is_named_by_column_and_row(change, words):
    with pytest.raises(ValueError) as error:
        fcr.repeat_contact_fcr(change(GOOD.copy()))
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("kwargs,words", [
    (dict(window_days=0), ["window_days", "more than 0", "got 0"]),
    (dict(window_days="7"), ["window_days", "not a number"]),
    (dict(same_reason="yes"), ["same_reason must be True or False"]),
    (dict(by="team"), ["no column 'team'"]),
    (dict(end="2025-08-01"), ["before the first contact"]),
    (dict(end="not a date"), ["end must be a date and time"]),
    (dict(window_days=60), ["every contact is censored"]),
])
def test_bad_arguments_are_named(kwargs, words):
    with pytest.raises(ValueError) as error:
        fcr.repeat_contact_fcr(GOOD, **kwargs)
    for word in words:
        assert word in str(error.value)


def test_iso_text_times_are_read_and_mixed_offsets_kept_apart():
    """Check text times: 2025-10-26T01:30+01:00 and +00:00 are an hour apart (clocks go back)."""
    contacts = pd.DataFrame({"customer_id": [1, 1], "reason": ["card", "card"],
                             "start": ["2025-10-26T01:30:00+01:00", "2025-10-26T01:30:00+00:00"]})
    status = fcr.repeat_status(contacts, window_days=1 / 24, end="2025-10-27T00:00:00+00:00")
    assert status.tolist() == ["repeated", "resolved"]
    assert fcr.repeat_status(contacts, window_days=0.5 / 24, end="2025-10-27T00:00:00+00:00").tolist() == [
        "resolved", "resolved"]


def test_a_not_a_dataframe_is_refused():
    with pytest.raises(ValueError, match="contacts must be a pandas DataFrame"):
        fcr.repeat_contact_fcr([1, 2, 3])
