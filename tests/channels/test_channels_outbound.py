"""Check dialler_funnel and abandoned_call_rate against rows counted by hand, and the claims
the module makes about the shipped ``outbound`` data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsfirst import channels, datasets

ROWS = pd.DataFrame({
    "campaign": ["a"] * 8 + ["b"] * 5,
    "outcome": ["no_answer", "no_answer", "busy", "machine", "machine", "live_answer",
                "right_party_contact", "abandoned",
                "right_party_contact", "right_party_contact", "abandoned", "abandoned", "machine"],
})


def test_funnel_of_hand_counted_rows():
    """Counted by hand from ROWS:

    ========  ========  ========  ====  ===  =======  =========
    campaign  attempts  connects  live  RPC  machine  abandoned
    ========  ========  ========  ====  ===  =======  =========
    a         8         5         3     1    2        1
    b         5         5         4     2    1        2
    all       13        10        7     3    3        3
    ========  ========  ========  ====  ===  =======  =========

    connects = machines + live answers; live answers = live_answer + right_party_contact +
    abandoned. Abandoned rate a: 1/3, b: 2/4, all 3/7; per attempt (wrong): 1/8, 2/5, 3/13.
    """
    f = channels.dialler_funnel(ROWS)
    assert f.index.tolist() == ["a", "b"]
    want = {"attempts": [8, 5], "connects": [5, 5], "live_answers": [3, 4],
            "right_party_contacts": [1, 2], "answering_machines": [2, 1], "abandoned": [1, 2]}
    for column, values in want.items():
        assert f[column].tolist() == values, column
        assert f[column].dtype == np.int64
    np.testing.assert_allclose(f["abandoned_rate"], [1 / 3, 2 / 4])
    np.testing.assert_allclose(f["abandoned_per_attempt"], [1 / 8, 2 / 5])
    np.testing.assert_allclose(f["connect_rate"], [5 / 8, 5 / 5])
    np.testing.assert_allclose(f["machine_rate"], [2 / 5, 1 / 5])
    np.testing.assert_allclose(f["live_answer_rate"], [3 / 5, 4 / 5])
    np.testing.assert_allclose(f["right_party_rate"], [1 / 3, 2 / 4])
    np.testing.assert_allclose(f["right_party_per_attempt"], [1 / 8, 2 / 5])
    overall = channels.dialler_funnel(ROWS, by=None)
    assert overall.index.tolist() == ["all"]
    assert overall.loc["all", ["attempts", "connects", "live_answers", "abandoned"]].tolist() == [13, 10, 7, 3]
    assert overall.loc["all", "abandoned_rate"] == pytest.approx(3 / 7)


def test_funnel_by_a_series_and_a_limit():
    day = pd.Series(["mon"] * 4 + ["tue"] * 9, name="day")
    f = channels.dialler_funnel(ROWS, by=["campaign", day], limit=0.4)
    assert f.index.tolist() == [("a", "mon"), ("a", "tue"), ("b", "tue")]
    assert f["attempts"].tolist() == [4, 4, 5]
    assert f["over_limit"].tolist() == [False, False, True]  # 0/0 -> 0; 1/3; 2/4 > 0.4


def test_no_live_answer_gives_rate_zero_not_nan():
    f = channels.dialler_funnel(ROWS.iloc[:3])
    assert f.loc["a", "abandoned_rate"] == 0.0 and f.loc["a", "right_party_rate"] == 0.0


def test_abandoned_call_rate_hand_worked():
    assert channels.abandoned_call_rate(9, 300) == pytest.approx(0.03)
    assert isinstance(channels.abandoned_call_rate(9, 300), float)
    # 2 people dropped as machines and logged as machines: (9 + 2) / (300 + 2)
    assert channels.abandoned_call_rate(9, 300, amd_false_positives=2) == pytest.approx(11 / 302)
    np.testing.assert_allclose(channels.abandoned_call_rate([1, 0, 2], [3, 0, 4]), [1 / 3, 0, 0.5])


@pytest.mark.parametrize("args, words", [
    ((5, 4), ["live_answers", "cannot be less than abandoned", "add the abandoned"]),
    (([1, 5], [3, 4]), ["(row 1)", "abandoned 5", "live_answers 4"]),
    ((1.5, 4), ["abandoned", "1.5", "whole number"]),
    ((-1, 4), ["abandoned", "-1"]),
])
def test_abandoned_call_rate_bad_input(args, words):
    with pytest.raises(ValueError) as error:
        channels.abandoned_call_rate(*args)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("frame, by, words", [
    (ROWS.assign(outcome=["voicemail"] + ROWS["outcome"].tolist()[1:]), "campaign",
     ["outcome", "voicemail", "row 0", "right_party_contact"]),
    (ROWS.drop(columns="outcome"), "campaign", ["no column 'outcome'"]),
    (ROWS, "team", ["no column 'team'", "by="]),
])
def test_funnel_bad_input(frame, by, words):
    with pytest.raises(ValueError) as error:
        channels.dialler_funnel(frame, by=by)
    for word in words:
        assert word in str(error.value)


def test_limit_must_be_a_fraction():
    with pytest.raises(ValueError, match="limit.*0.03 for 3%"):
        channels.dialler_funnel(ROWS, limit=3)


# ----------------------------------------------------------- the shipped data's story


@pytest.fixture(scope="module")
def outbound():
    return datasets.load("outbound")


def test_shipped_outbound_claims(outbound):
    """What the data dictionary and the lesson say of ``outbound``, recomputed.

    Retention's pacing rises on Monday 29 September 2025: its abandoned rate goes from about
    2% (1.5%) to about 7% (6.9%); collections stays near 2%; the wrong denominator (attempts)
    understates the rate 3 to 4 times here; abandoned-call limits are 3% in the UK and US.
    """
    after = (outbound["dialled_at"] >= pd.Timestamp("2025-09-29", tz="Europe/London")).rename("after")
    f = channels.dialler_funnel(outbound, by=["campaign", after])
    assert round(f.loc[("retention", False), "abandoned_rate"], 3) == 0.015
    assert round(f.loc[("retention", True), "abandoned_rate"], 3) == 0.069
    assert 0.018 < f.loc[("collections", False), "abandoned_rate"] < 0.025
    whole = channels.dialler_funnel(outbound, limit=channels.OFCOM_ABANDONED_CALL_LIMIT)
    ratio = whole["abandoned_rate"] / whole["abandoned_per_attempt"]
    assert ((ratio > 3) & (ratio < 10)).all()
    assert whole["over_limit"].tolist() == [False, True]  # collections, retention over 4 weeks
    daily = channels.dialler_funnel(outbound, by=["campaign", outbound["dialled_at"].dt.date],
                                    limit=channels.OFCOM_ABANDONED_CALL_LIMIT)
    over = daily.groupby(level=0)["over_limit"].sum()
    assert over["collections"] == 3 and over["retention"] == 12
    # the false positives are already in "abandoned": the rate equals the simulator's definition
    live = outbound["outcome"].isin(["live_answer", "right_party_contact", "abandoned"]).sum()
    assert whole["live_answers"].sum() == live
    assert channels.OFCOM_ABANDONED_CALL_LIMIT == channels.FTC_ABANDONED_CALL_LIMIT == 0.03
