"""Check opsfirst.bias.proportion_interval and mean_interval against published and independent values.

References:

* Newcombe, R. G. (1998). "Two-sided confidence intervals for the single proportion: comparison
  of seven methods". Statistics in Medicine 17: 857-872. Its table of illustrative intervals
  (score method = Wilson, exact = Clopper-Pearson), to 4 decimals:

  ======  ===============  ===============
  x / n   Wilson (score)   exact (C-P)
  ======  ===============  ===============
  81/263  0.2553  0.3662   0.2527  0.3676
  15/148  0.0624  0.1605   0.0578  0.1617
  0/20    0.0000  0.1611   0.0000  0.1684
  1/29    0.0061  0.1718   0.0009  0.1776
  29/29   0.8830  1.0000   0.8806  1.0000
  ======  ===============  ===============

* scipy.stats.binomtest(x, n).proportion_ci(method="wilson" / "exact"), a separate implementation.
* The Wilson interval's closed form, worked by hand for 4 of 5 at 95% (z = 1.959964,
  z^2 = 3.841459): centre = (4 + z^2/2) / (5 + z^2) = 5.920729 / 8.841459 = 0.669655;
  half-width = z / (5 + z^2) x sqrt(4 x 1 / 5 + z^2 / 4) = 0.221679 x 1.326787 = 0.294121;
  interval (0.375535, 0.963776).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from opsfirst.bias import mean_interval, proportion_interval

NEWCOMBE = {
    # (x, n): ((wilson low, high), (exact low, high))
    (81, 263): ((0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148): ((0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20): ((0.0000, 0.1611), (0.0000, 0.1684)),
    (1, 29): ((0.0061, 0.1718), (0.0009, 0.1776)),
    (29, 29): ((0.8830, 1.0000), (0.8806, 1.0000)),
}


@pytest.mark.parametrize("x,n", NEWCOMBE)
def test_intervals_match_newcombes_published_table(x, n):
    """Check the Wilson and exact intervals against Newcombe (1998), to the 4 decimals printed."""
    wilson, exact = NEWCOMBE[(x, n)]
    assert np.round(proportion_interval(x, n), 4).tolist() == list(wilson)
    assert np.round(proportion_interval(x, n, method="exact"), 4).tolist() == list(exact)


def test_intervals_match_scipy_binomtest_everywhere():
    """Check every x of n = 1..20, 33 and 60 at two confidence levels against scipy's binomtest."""
    for n in [*range(1, 21), 33, 60]:
        x = np.arange(n + 1)
        for level in (0.95, 0.998):
            for method in ("wilson", "exact"):
                low, high = proportion_interval(x, n, confidence=level, method=method)
                ref = [stats.binomtest(int(k), n).proportion_ci(level, method=method) for k in x]
                assert np.allclose(low, [r.low for r in ref], atol=1e-10), (n, level, method)
                assert np.allclose(high, [r.high for r in ref], atol=1e-10), (n, level, method)


def test_wilson_closed_form_by_hand():
    """Check 4 of 5 at 95% against the Wilson formula written out here, not the library's."""
    z = stats.norm.ppf(0.975)
    centre = (4 + z**2 / 2) / (5 + z**2)
    half = z / (5 + z**2) * math.sqrt(4 * 1 / 5 + z**2 / 4)
    low, high = proportion_interval(4, 5)
    assert low == pytest.approx(centre - half, abs=1e-14) and high == pytest.approx(centre + half, abs=1e-14)
    assert (round(low, 6), round(high, 6)) == (0.375535, 0.963776)


def test_exact_interval_never_covers_less_than_its_level():
    """Check Clopper-Pearson's guarantee: for every true rate, coverage (a binomial sum) >= 95%."""
    for n in (5, 12, 40):
        x = np.arange(n + 1)
        low, high = proportion_interval(x, n, method="exact")
        for p in np.linspace(0.005, 0.995, 199):
            covered = (low <= p) & (p <= high)
            assert stats.binom.pmf(x, n, p)[covered].sum() >= 0.95 - 1e-12, (n, p)


def test_wilson_coverage_is_close_to_its_level_on_average_where_normal_fails():
    """Check the trap the docstring names: at n = 5 the normal approximation covers far less than
    95% on average over true rates, Wilson about 95% (exact binomial sums, no simulation)."""
    n, x = 5, np.arange(6)
    rates = np.linspace(0.01, 0.99, 99)
    z = stats.norm.ppf(0.975)
    phat = x / n
    wald = (phat - z * np.sqrt(phat * (1 - phat) / n), phat + z * np.sqrt(phat * (1 - phat) / n))
    wilson = proportion_interval(x, n)

    def coverage(interval):
        return np.mean([stats.binom.pmf(x, n, p)[(interval[0] <= p) & (p <= interval[1])].sum()
                        for p in rates])

    assert coverage(wilson) > 0.93
    assert coverage(wald) < 0.85
    # and the normal approximation's impossible answers: zero width at 5/5, above 1 at 4/5
    assert wald[0][5] == wald[1][5] == 1.0 and wald[1][4] > 1
    assert proportion_interval(5, 5)[0] < 0.6 and proportion_interval(4, 5)[1] < 1


def test_scalar_and_array_results():
    """Check that one rate gives two plain floats and arrays give two arrays of their shape."""
    low, high = proportion_interval(3, 10)
    assert type(low) is float and type(high) is float and low < 0.3 < high
    lows, highs = proportion_interval([0, 3, 10], 10)
    assert lows.shape == highs.shape == (3,) and lows[0] == 0 and highs[2] == 1
    a, b = proportion_interval(np.int64(2), np.int64(4))
    assert type(a) is float


@pytest.mark.parametrize("kwargs,words", [
    (dict(successes=6, n=5), ["successes must be at most n", "successes = 6", "n = 5"]),
    (dict(successes=[1, 7], n=5), ["successes must be at most n", "(row 1)"]),
    (dict(successes=-1, n=5), ["successes must be", "got -1"]),
    (dict(successes=2.5, n=5), ["successes must be", "whole", "2.5"]),
    (dict(successes=2, n=0), ["n must be", "got 0"]),
    (dict(successes=2, n=5, confidence=95), ["confidence must be", "0.95 for 95%", "95"]),
    (dict(successes=2, n=5, confidence=1), ["confidence must be"]),
    (dict(successes=2, n=5, method="normal"), ["method must be", "normal approximation is left out"]),
    (dict(successes=2, n=5, method="Wilson score"), ["method must be 'wilson' or 'exact'"]),
    (dict(successes="4", n=5), ["successes must be", "not a number"]),
    (dict(successes=True, n=5), ["successes must be"]),
])
def test_proportion_interval_refuses_meaningless_input(kwargs, words):
    """Check that each bad input gets a ValueError naming the argument, the value and the rule."""
    with pytest.raises(ValueError) as error:
        proportion_interval(**kwargs)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_mean_interval_matches_scipy_t_and_a_hand_worked_example():
    """Check the Student t interval: scipy's t.interval, and 4 calls worked by hand.

    Calls scored 70, 85, 64, 81: mean 75, deviations -5, 10, -11, 6, squares 25 + 100 + 121 + 36
    = 282, s = sqrt(282 / 3) = 9.69536, s / sqrt(4) = 4.84768, t(3; 0.975) = 3.182446,
    half-width 15.42735: (59.573, 90.427).
    """
    low, high = mean_interval([70, 85, 64, 81])
    assert (round(low, 3), round(high, 3)) == (59.573, 90.427)
    rng = np.random.default_rng(2026)
    for n in (2, 3, 5, 30):
        values = rng.normal(300, 60, n)
        for level in (0.9, 0.95, 0.99):
            ref = stats.t.interval(level, n - 1, loc=values.mean(), scale=stats.sem(values))
            assert np.allclose(mean_interval(values, confidence=level), ref, rtol=1e-12)


def test_mean_interval_is_wider_than_the_normal_one_for_few_values():
    """Check the trap: with 5 values the t interval is 2.78/1.96 = 1.42 times the normal one."""
    values = np.array([70.0, 85, 64, 81, 77])
    low, high = mean_interval(values)
    normal_half = 1.959964 * values.std(ddof=1) / math.sqrt(5)
    assert (high - low) / 2 / normal_half == pytest.approx(stats.t.ppf(0.975, 4) / 1.959964, rel=1e-6)


@pytest.mark.parametrize("values,words", [
    ([70], ["at least 2"]),
    ([70, float("nan"), 80], ["row 1", "no usable number"]),
    ([70, None], ["row 1", "None"]),
    ([70, "high"], ["row 1", "'high'"]),
    ([[1, 2], [3, 4]], ["shape (2, 2)"]),
    (75, ["one number"]),
    ([True, False], ["True/False"]),
])
def test_mean_interval_refuses_meaningless_input(values, words):
    """Check that gaps, text and single numbers get a ValueError naming the row."""
    with pytest.raises(ValueError) as error:
        mean_interval(values)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_mean_interval_names_the_label_of_a_gap_in_a_series():
    """Check that a gap in a Series indexed by agent names the agent."""
    import pandas as pd

    with pytest.raises(ValueError, match=r"'B04' \(row 1\)"):
        mean_interval(pd.Series([70.0, None, 80.0], index=["A01", "B04", "C02"]))
