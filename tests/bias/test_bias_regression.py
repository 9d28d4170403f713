"""Check opsfirst.bias.regression_to_the_mean against a hand-worked example, the closed form for
a bivariate normal, and a seeded simulation of a QA team in which nothing is done.

The closed form. For (X, Y) bivariate normal with means mu_x, mu_y, standard deviations s_x, s_y
and correlation rho, the top share q of X (X above its 1 - q quantile, z = Phi^-1(1 - q)) has

    E[X | top] = mu_x + s_x phi(z) / q,        E[Y | top] = mu_y + rho s_y phi(z) / q,

so its expected change is mu_y - mu_x + (rho s_y - s_x) phi(z) / q, with no intervention at all
(and the mirror image for the bottom share). For q = 0.1, phi(z) / q = 1.754983.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsfirst.bias import regression_to_the_mean


def test_hand_worked_five_pairs():
    """Check every number of a five-person example worked by hand.

    first = 1, 2, 3, 4, 5; second = 2, 1, 4, 3, 5. Means 3 and 3; deviations -2..2 and
    -1, -2, 1, 0, 2; sum of products 8, sums of squares 10 and 10: r = 0.8, slope 0.8.
    Expected second = 3 + 0.8 (first - 3) = 1.4, 2.2, 3.0, 3.8, 4.6. With share 0.2 (one person
    each end): top (5 -> 5) change 0, expected 4.6 - 5 = -0.4; bottom (1 -> 2) change +1,
    expected 1.4 - 1 = +0.4. Residuals 0.6, -1.2, 1.0, -0.8, 0.4: SSE 3.6, s^2 = 3.6 / 3 = 1.2.
    The top's mean residual (the group is among the fitted pairs) has variance
    s^2 (1/k - 1/n - (5 - 3)^2 / Sxx) = 1.2 x (1 - 0.2 - 0.4) = 0.48: se = 0.692820;
    t(3; 0.975) = 3.182446; range -0.4 -+ 2.204863 = (-2.604863, 1.804863).
    """
    r = regression_to_the_mean([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], share=0.2)
    assert r.correlation == pytest.approx(0.8) and r.slope == pytest.approx(0.8)
    assert np.allclose(r.expected_second, [1.4, 2.2, 3.0, 3.8, 4.6])
    top, bottom = r.groups.loc["top 20%"], r.groups.loc["bottom 20%"]
    assert (top["n"], top["change"], bottom["change"]) == (1, 0.0, 1.0)
    assert top["expected_change"] == pytest.approx(-0.4) and bottom["expected_change"] == pytest.approx(0.4)
    assert top["expected_low"] == pytest.approx(-2.604863, abs=1e-6)
    assert top["expected_high"] == pytest.approx(1.804863, abs=1e-6)
    assert top["beyond_expected"] == pytest.approx(0.4)
    assert r.change.to_dict() == {"top 20%": 0.0, "bottom 20%": 1.0}
    assert r.expected_change.round(6).to_dict() == {"top 20%": -0.4, "bottom 20%": 0.4}


def test_expected_second_is_the_least_squares_line():
    """Check expected_second against numpy's least-squares fit (an independent computation)."""
    rng = np.random.default_rng(7)
    x = rng.normal(78, 7, 40)
    y = 0.5 * x + rng.normal(39, 6, 40)
    slope, intercept = np.polyfit(x, y, 1)
    r = regression_to_the_mean(x, y)
    assert np.allclose(r.expected_second, intercept + slope * x, rtol=1e-12)
    assert r.correlation == pytest.approx(stats.pearsonr(x, y)[0], rel=1e-12)


def closed_form_change(q, rho, mx, my, sx, sy, top=True):
    z = stats.norm.ppf(1 - q)
    shift = stats.norm.pdf(z) / q
    if top:
        return my - mx + (rho * sy - sx) * shift
    return my - mx - (rho * sy - sx) * shift


def test_matches_the_bivariate_normal_closed_form():
    """Check correlation and the top/bottom 10% changes on 400,000 seeded pairs against the closed
    form (standard errors about 0.002 for r and 0.05 points for the changes)."""
    rng = np.random.default_rng(2026)
    n, rho, mx, my, sx, sy = 400_000, 0.5, 77.0, 78.0, 7.0, 8.0
    z1, z2 = rng.standard_normal((2, n))
    x = mx + sx * z1
    y = my + sy * (rho * z1 + math.sqrt(1 - rho**2) * z2)
    r = regression_to_the_mean(x, y)
    assert r.correlation == pytest.approx(rho, abs=0.006)
    assert r.slope == pytest.approx(rho * sy / sx, abs=0.01)
    for name, top in (("top 10%", True), ("bottom 10%", False)):
        expected = closed_form_change(0.1, rho, mx, my, sx, sy, top)
        assert r.groups.loc[name, "expected_change"] == pytest.approx(expected, abs=0.15), name
        assert r.groups.loc[name, "change"] == pytest.approx(expected, abs=0.25), name
    # and the numbers themselves: with rho 0.5 the top tenth of X falls 7.04 points, the bottom
    # rises 9.04 (mu_y - mu_x = 1 shifts both up)
    assert closed_form_change(0.1, rho, mx, my, sx, sy, True) == pytest.approx(1 + (4 - 7) * 1.754983, abs=1e-5)


def simulate_team(rng, agents=56, calls=4, effect=0.0):
    """Two months of a QA team (true quality N(78, 5), calls N(0, 10)); ``effect`` added to the
    bottom 10% of month one in month two (0: nothing is done)."""
    quality = rng.normal(78, 5, agents)
    first = quality + rng.normal(0, 10, (calls, agents)).mean(axis=0)
    second = quality + rng.normal(0, 10, (calls, agents)).mean(axis=0)
    bottom = np.argsort(first, kind="stable")[: round(0.1 * agents)]
    second[bottom] += effect
    return first, second


@pytest.mark.slow
def test_simulation_no_intervention_is_what_it_expects_and_a_real_effect_is_seen():
    """Check, over 2,000 seeded teams in which nothing is done, that the bottom tenth's change
    beyond the expected averages zero (99% interval) and that the 95% range holds the change
    94% to 97.5% of the time (binomial sd 0.5 points); and that a real +8-point coaching effect
    leaves the range far more often."""
    rng = np.random.default_rng(20260523)
    beyond, inside, caught = [], [], []
    for _ in range(2000):
        first, second = simulate_team(rng)
        row = regression_to_the_mean(first, second).groups.loc["bottom 10%"]
        beyond.append(row["beyond_expected"])
        inside.append(row["expected_low"] <= row["change"] <= row["expected_high"])
        first, second = simulate_team(rng, effect=8.0)
        row = regression_to_the_mean(first, second).groups.loc["bottom 10%"]
        caught.append(not row["expected_low"] <= row["change"] <= row["expected_high"])
    beyond = np.array(beyond)
    half = stats.t.ppf(0.995, beyond.size - 1) * beyond.std(ddof=1) / math.sqrt(beyond.size)
    assert abs(beyond.mean()) < half, (beyond.mean(), half)
    assert 0.94 <= np.mean(inside) <= 0.975, np.mean(inside)
    assert np.mean(caught) > 0.5, np.mean(caught)


def test_the_coached_rise_of_a_team_where_nothing_is_done():
    """Check the lesson's trap on one seeded team: the bottom tenth rises, the top falls, with
    nothing done, and the expected changes have the right signs."""
    first, second = simulate_team(np.random.default_rng(11))
    groups = regression_to_the_mean(first, second).groups
    assert groups.loc["bottom 10%", "change"] > 0 and groups.loc["bottom 10%", "expected_change"] > 0
    assert groups.loc["top 10%", "change"] < 0 and groups.loc["top 10%", "expected_change"] < 0


def test_series_are_matched_by_label_and_keep_their_index():
    """Check that two Series in different orders are paired by agent, not by position."""
    first = pd.Series([60.0, 70, 80, 90, 75], index=["A", "B", "C", "D", "E"])
    second = pd.Series([85.0, 72, 78, 65, 80], index=["D", "B", "C", "A", "E"])
    r = regression_to_the_mean(first, second, selected=["A"])
    plain = regression_to_the_mean([60, 70, 80, 90, 75], [65, 72, 78, 85, 80],
                                   selected=[True, False, False, False, False])
    assert r.correlation == pytest.approx(plain.correlation)
    assert list(r.expected_second.index) == ["A", "B", "C", "D", "E"]
    assert r.groups.loc["selected", "change"] == pytest.approx(5.0)
    assert r.groups.equals(plain.groups)
    assert r.selected.tolist() == [True, False, False, False, False]


def test_top_and_bottom_break_ties_by_order_like_the_coaching_log():
    """Check that k = round(share x n) people are taken each end, ties broken by position."""
    r = regression_to_the_mean([5, 5, 5, 1, 9, 5], [1, 2, 3, 4, 5, 6], share=0.34)
    assert r.groups["n"].tolist() == [2, 2]
    assert r._mask("top 34%", np.array([5.0, 5, 5, 1, 9, 5])).tolist() == [True, False, False, False, True, False]
    assert r._mask("bottom 34%", np.array([5.0, 5, 5, 1, 9, 5])).tolist() == [False, False, False, True, False, True]


@pytest.mark.parametrize("kwargs,words", [
    (dict(first=[1, 2], second=[1, 2]), ["first needs at least 3"]),
    (dict(first=[1, 2, 3, 4], second=[1, 2, 3]), ["4 values in first and 3 in second"]),
    (dict(first=[1, 2, float("nan")], second=[1, 2, 3]), ["first", "row 2"]),
    (dict(first=[4, 4, 4], second=[1, 2, 3]), ["first has the same value for everybody"]),
    (dict(first=[1, 2, 3], second=[1, 2, 3], share=0.6), ["share must be", "0.6"]),
    (dict(first=[1, 2, 3], second=[1, 2, 3], share=0), ["share must be"]),
    (dict(first=[1, 2, 3], second=[1, 2, 3], selected=[False, False, False]), ["selected picks nobody"]),
    (dict(first=[1, 2, 3], second=[1, 2, 3], selected=["B04"]), ["selected must be a list of True/False"]),
    (dict(first=[1, 2, 3], second=[1, 2, 3], confidence=95), ["confidence must be"]),
    (dict(first=[1, 2, 3], second=[1, 2, 3], selected=5), ["selected must be"]),
])
def test_refuses_meaningless_input(kwargs, words):
    """Check that each bad input gets a ValueError that says what is wrong."""
    with pytest.raises(ValueError) as error:
        regression_to_the_mean(**kwargs)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_series_errors_name_the_agent():
    """Check that a missing or empty second value is reported by its agent."""
    first = pd.Series([60.0, 70, 80], index=["A01", "B04", "C02"])
    with pytest.raises(ValueError, match="second has no value for 'C02'"):
        regression_to_the_mean(first, pd.Series([61.0, 72], index=["A01", "B04"]))
    with pytest.raises(ValueError, match=r"second has no usable number at 'B04' \(row 1\)"):
        regression_to_the_mean(first, pd.Series([61.0, None, 79], index=["A01", "B04", "C02"]))
    with pytest.raises(ValueError, match="selected names 'Z99'"):
        regression_to_the_mean(first, first + 1, selected=["Z99"])
