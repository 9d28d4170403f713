"""Check opsfirst.bias.simpsons_paradox against two published examples, with their own numbers.

1. Kidney stones: Charig, Webb, Payne & Wickham (1986), "Comparison of treatment of renal calculi
   by open surgery, percutaneous nephrolithotomy, and extracorporeal shockwave lithotripsy",
   BMJ 292: 879-882 (the Simpson example of Julious & Mullee, BMJ 1994):

   ==============  ==============  ==============  ===============
   treatment       small stones    large stones    all
   ==============  ==============  ==============  ===============
   open surgery    81/87 = 93.1%   192/263 = 73.0% 273/350 = 78.0%
   PCNL (keyhole)  234/270 = 86.7% 55/80 = 68.8%   289/350 = 82.6%
   ==============  ==============  ==============  ===============

   Open surgery is better for small and for large stones, worse overall: reversed.

2. UC Berkeley graduate admissions, autumn 1973, the six largest departments: Bickel, Hammel &
   O'Connell (1975), "Sex bias in graduate admissions: data from Berkeley", Science 187: 398-404
   (R's ``UCBAdmissions``): admitted / applied

   ====  ========  ========
   dept  men       women
   ====  ========  ========
   A     512/825   89/108
   B     353/560   17/25
   C     120/325   202/593
   D     138/417   131/375
   E     53/191    94/393
   F     22/373    24/341
   all   1198/2691 557/1835
   ====  ========  ========

   Men 44.5% overall, women 30.4%; women higher in A, B, D and F, lower in C and E: not reversed
   in *every* department, so ``reversed`` is False. Standardised to the departments' combined
   mix (weights 933, 585, 918, 792, 584, 714 of 4526 applicants), worked out by hand:
   men 0.2061 x 0.6206 + 0.1293 x 0.6304 + 0.2028 x 0.3692 + 0.1750 x 0.3309 + 0.1290 x 0.2775
   + 0.1578 x 0.0590 = 0.3873; women likewise 0.4300. Like for like, women were admitted more often.
"""

from __future__ import annotations

import pandas as pd
import pytest

from opsfirst.bias import simpsons_paradox

STONES = pd.DataFrame({
    "treatment": ["open", "open", "keyhole", "keyhole"],
    "stone": ["small", "large", "small", "large"],
    "successes": [81, 192, 234, 55],
    "totals": [87, 263, 270, 80],
})

BERKELEY = pd.DataFrame(
    [(d, "men", a, n) for d, (a, n) in dict(A=(512, 825), B=(353, 560), C=(120, 325),
                                              D=(138, 417), E=(53, 191), F=(22, 373)).items()]
    + [(d, "women", a, n) for d, (a, n) in dict(A=(89, 108), B=(17, 25), C=(202, 593),
                                                  D=(131, 375), E=(94, 393), F=(24, 341)).items()],
    columns=["dept", "sex", "admitted", "applied"])


def test_kidney_stones_reverse():
    """Check the kidney-stone table: every published rate, and the reversal."""
    r = simpsons_paradox(STONES, group="treatment", segment="stone", successes="successes",
                         totals="totals")
    assert round(r.overall["open"], 3) == 0.780 and round(r.overall["keyhole"], 3) == 0.826
    assert round(r.by_segment.loc["small", "open"], 3) == 0.931
    assert round(r.by_segment.loc["large", "open"], 3) == 0.730
    assert round(r.by_segment.loc["small", "keyhole"], 3) == 0.867
    assert round(r.by_segment.loc["large", "keyhole"], 4) == 0.6875
    assert r.reversed is True and r.reversed_pairs == [("keyhole", "open")]
    # like for like (700 stones: 357 small, 343 large), open surgery is better
    assert r.standardised["open"] > r.standardised["keyhole"]
    assert r.standardised["open"] == pytest.approx(357 / 700 * 81 / 87 + 343 / 700 * 192 / 263)


def test_berkeley_is_not_reversed_everywhere_but_standardised_favours_women():
    """Check the Berkeley table: 44.5% vs 30.4% overall, mixed within, 38.7% vs 43.0% like for like."""
    r = simpsons_paradox(BERKELEY, group="sex", segment="dept", successes="admitted", totals="applied")
    assert round(r.overall["men"], 3) == 0.445 and round(r.overall["women"], 3) == 0.304
    higher = (r.by_segment["women"] > r.by_segment["men"])
    assert higher[higher].index.tolist() == ["A", "B", "D", "F"]
    assert r.reversed is False and r.reversed_pairs == []
    assert round(r.standardised["men"], 4) == 0.3873 and round(r.standardised["women"], 4) == 0.4300


def test_one_row_per_case_gives_the_same_answer_as_counts():
    """Check outcome= on 700 rows of 0/1 against successes=/totals= on the four counts."""
    rows = []
    for t in STONES.itertuples():
        rows += [(t.treatment, t.stone, 1)] * t.successes + [(t.treatment, t.stone, 0)] * (t.totals - t.successes)
    cases = pd.DataFrame(rows, columns=["treatment", "stone", "cured"]).sample(frac=1, random_state=1)
    a = simpsons_paradox(cases, outcome="cured", group="treatment", segment="stone")
    b = simpsons_paradox(STONES, group="treatment", segment="stone", successes="successes", totals="totals")
    pd.testing.assert_series_equal(a.overall, b.overall)
    pd.testing.assert_frame_equal(a.by_segment, b.by_segment)
    assert a.reversed == b.reversed
    # booleans and the nullable boolean dtype work too
    cases["cured"] = cases["cured"].astype(bool)
    assert simpsons_paradox(cases, outcome="cured", group="treatment", segment="stone").reversed
    cases["cured"] = cases["cured"].astype("boolean")
    assert simpsons_paradox(cases, outcome="cured", group="treatment", segment="stone").reversed


def test_tidy_table_holds_counts_rates_and_mix():
    """Check the plotting table: one row per segment and group, with the group's mix."""
    r = simpsons_paradox(STONES, group="treatment", segment="stone", successes="successes", totals="totals")
    table = r.table
    assert list(table.columns) == ["stone", "treatment", "successes", "total", "rate", "share_of_group"]
    row = table[(table["stone"] == "large") & (table["treatment"] == "open")].iloc[0]
    assert (row["successes"], row["total"]) == (192, 263)
    assert row["share_of_group"] == pytest.approx(263 / 350)
    assert table.groupby("treatment")["share_of_group"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_three_groups_report_the_pair_that_reverses():
    """Check a third group: only the pair that reverses is reported."""
    third = pd.DataFrame({"treatment": ["shock", "shock"], "stone": ["small", "large"],
                          "successes": [10, 5], "totals": [100, 100]})
    r = simpsons_paradox(pd.concat([STONES, third]), group="treatment", segment="stone",
                         successes="successes", totals="totals")
    assert r.reversed and r.reversed_pairs == [("keyhole", "open")]
    assert list(r.overall.index) == ["keyhole", "open", "shock"]


def test_plot_draws_each_group_within_each_segment_and_overall():
    """Check the plot: (segments + 1) bars per group."""
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    r = simpsons_paradox(STONES, group="treatment", segment="stone", successes="successes", totals="totals")
    r.plot(ax=ax)
    assert len(ax.patches) == 2 * 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["large", "small", "all (overall)"]


@pytest.mark.parametrize("change,kwargs,words", [
    (None, dict(outcome="cured"), ["outcome='cured' is not a column", "treatment"]),
    (None, dict(successes="successes"), ["give outcome="]),
    (None, dict(outcome="stone", successes="successes", totals="totals"), ["not both"]),
    ("over", dict(successes="successes", totals="totals"), ["successes must be at most totals", "row 0"]),
    ("negative", dict(successes="successes", totals="totals"), ["successes column 'successes' must be", "-1"]),
    ("one group", dict(successes="successes", totals="totals"), ["only one group"]),
    ("empty cell", dict(successes="successes", totals="totals"), ["group 'open' has no cases in segment 'large'"]),
    ("missing group", dict(successes="successes", totals="totals"), ["group column 'treatment' is empty at row 1"]),
])
def test_refuses_meaningless_input(change, kwargs, words):
    """Check that each bad table gets a ValueError naming the column, row, group or segment."""
    frame = STONES.copy()
    if change == "over":
        frame.loc[0, "successes"] = 90
    elif change == "negative":
        frame.loc[2, "successes"] = -1
    elif change == "one group":
        frame["treatment"] = "open"
    elif change == "empty cell":
        frame = frame.drop(index=1)
    elif change == "missing group":
        frame["treatment"] = frame["treatment"].astype(object)
        frame.loc[1, "treatment"] = None
    with pytest.raises(ValueError) as error:
        simpsons_paradox(frame, group="treatment", segment="stone", **kwargs)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_a_non_binary_outcome_is_refused_with_its_row():
    """Check that a score where 0/1 is expected names the value, the row and the way out."""
    cases = pd.DataFrame({"team": ["A", "B", "A", "B"], "reason": ["x", "x", "y", "y"],
                          "csat": [1, 0, 4, 1]})
    with pytest.raises(ValueError, match=r"must be 0/1 or True/False .*got 4 at row 2 .*csat >= 4"):
        simpsons_paradox(cases, outcome="csat", group="team", segment="reason")
    with pytest.raises(ValueError, match="frame must be a pandas DataFrame"):
        simpsons_paradox([1, 2], outcome="csat", group="team", segment="reason")
