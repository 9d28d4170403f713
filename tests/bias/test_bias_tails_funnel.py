"""Check opsfirst.bias.tail_summary and funnel_limits against hand-worked tables, scipy and the
normal approximation they should approach.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsfirst.bias import funnel_limits, tail_summary


def test_tail_summary_hand_worked():
    """Check ten waits worked by hand (numpy's linear rule: position q/100 x (n - 1)).

    Waits 0, 0, 2, 5, 8, 10, 15, 20, 60, 70 s: mean 190 / 10 = 19; p50 at position 4.5, half
    way from 8 to 10 = 9; p90 at 8.1, 60 + 0.1 x 10 = 61; p95 at 8.55, 60 + 0.55 x 10 = 65.5;
    p99 at 8.91, 69.1.
    """
    summary = tail_summary([0, 0, 2, 5, 8, 10, 15, 20, 60, 70])
    assert summary.index.tolist() == ["mean", "p50", "p90", "p95", "p99"]
    assert summary.tolist() == pytest.approx([19.0, 9.0, 61.0, 65.5, 69.1])


def test_tail_summary_matches_scipy_and_keeps_the_order_and_the_name():
    """Check percentiles against scipy.stats.scoreatpercentile, low percentiles and the Series name."""
    rng = np.random.default_rng(3)
    waits = pd.Series(rng.exponential(30, 1001), name="wait_seconds")
    summary = tail_summary(waits, percentiles=(50, 10, 5, 99.5))
    assert summary.name == "wait_seconds"
    assert summary.index.tolist() == ["mean", "p50", "p10", "p5", "p99.5"]
    for label, q in (("p50", 50), ("p10", 10), ("p5", 5), ("p99.5", 99.5)):
        assert summary[label] == pytest.approx(stats.scoreatpercentile(waits, q), rel=1e-12)
    assert summary["mean"] == pytest.approx(waits.mean())


@pytest.mark.parametrize("kwargs,words", [
    (dict(values=[]), ["at least 1"]),
    (dict(values=[1, None]), ["row 1"]),
    (dict(values=[1, 2], percentiles=(50, 101)), ["percentiles must be", "101"]),
    (dict(values=[1, 2], percentiles=(0.5, 0.9)), []),  # allowed: percentiles near 0
    (dict(values=[1, 2], percentiles=(50, 50)), ["twice"]),
    (dict(values=[1, 2], percentiles=()), ["percentiles must be"]),
])
def test_tail_summary_input(kwargs, words):
    """Check that bad values and percentiles are refused by name (and small percentiles are not)."""
    if not words:
        tail_summary(**kwargs)
        return
    with pytest.raises(ValueError) as error:
        tail_summary(**kwargs)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_funnel_for_rates_hand_worked_binomial_tables():
    """Check exact limits worked from the binomial distribution function by hand.

    n = 5, p = 0.5: P(R <= r) = 1/32, 6/32, 16/32, 26/32, 31/32, 1 for r = 0..5. At 95% the
    lower limit is the smallest r with P(R <= r) >= 0.025, r = 0; the upper the smallest with
    P(R <= r) >= 0.975, r = 5: (0, 1), nothing is outside. At 80% (0.1 and 0.9): r = 1 and
    r = 4: (0.2, 0.8).
    n = 20, p = 0.5: P(R <= 5) = 0.0207, P(R <= 6) = 0.0577, P(R <= 13) = 0.9423,
    P(R <= 14) = 0.9793: at 95%, (6/20, 14/20) = (0.3, 0.7).
    """
    limits = funnel_limits([5, 20], p=0.5, confidence=(0.95, 0.8))
    assert list(limits.columns) == ["lower_95", "upper_95", "lower_80", "upper_80"]
    assert limits.loc[5].tolist() == [0.0, 1.0, 0.2, 0.8]
    assert limits.loc[20, ["lower_95", "upper_95"]].tolist() == [0.3, 0.7]


def test_funnel_for_rates_keeps_chance_outside_at_most_the_tail_on_each_side():
    """Check the meaning of the limits for n = 1..200 and three rates, from binomial sums: a count
    strictly outside happens by chance at most 2.5% on each side, and moving the limit one
    count inwards would exceed 2.5% (the limits are as tight as possible)."""
    n = np.arange(1, 201)
    for p in (0.1, 0.43, 0.8):
        limits = funnel_limits(n, p=p, confidence=(0.95,))
        low = np.round(limits["lower_95"].to_numpy() * n).astype(int)
        high = np.round(limits["upper_95"].to_numpy() * n).astype(int)
        below = stats.binom.cdf(low - 1, n, p)  # P(R < low)
        above = stats.binom.sf(high, n, p)  # P(R > high)
        assert (below <= 0.025 + 1e-12).all() and (above <= 0.025 + 1e-12).all()
        assert (stats.binom.cdf(low, n, p) >= 0.025).all()
        assert (stats.binom.sf(high - 1, n, p) > 0.025).all()


def test_funnel_for_rates_approaches_the_normal_limits_for_many_cases():
    """Check that at n = 10,000 the exact limits are the normal ones, p +- z sqrt(p(1-p)/n), to
    within a count or two."""
    n, p = 10_000, 0.7
    limits = funnel_limits(n, p=p)
    for level, label in ((0.95, "95"), (0.998, "99.8")):
        half = stats.norm.ppf(0.5 + level / 2) * math.sqrt(p * (1 - p) / n)
        assert limits.loc[n, f"lower_{label}"] == pytest.approx(p - half, abs=2.5 / n)
        assert limits.loc[n, f"upper_{label}"] == pytest.approx(p + half, abs=2.5 / n)


def test_funnel_for_averages_hand_worked():
    """Check the funnel of QA averages worked by hand: mean 77, 11 points per call, 4 calls.

    Standard error 11 / sqrt(4) = 5.5. At 95%, z = 1.959964: 77 -+ 10.779802 = (66.220198,
    87.779802). At 99.8%, z = 3.090232: 77 -+ 16.996277 = (60.003723, 93.996277).
    """
    limits = funnel_limits(4, mean=77, sd=11)
    assert limits.loc[4].tolist() == pytest.approx([66.220198, 87.779802, 60.003723, 93.996277], abs=1e-6)


def test_funnel_for_averages_holds_95_percent_of_equal_agents():
    """Check by a seeded simulation: 20,000 agents of equal quality, 3 to 5 calls each, and about
    5% of them outside the 95% band (within 4.4% to 5.6%, 4 binomial sd)."""
    rng = np.random.default_rng(2026)
    calls = rng.integers(3, 6, 20_000)
    averages = np.array([rng.normal(77, 11, k).mean() for k in calls])
    limits = funnel_limits(calls, mean=77, sd=11)
    outside = (averages < limits["lower_95"].to_numpy()) | (averages > limits["upper_95"].to_numpy())
    assert 0.044 < outside.mean() < 0.056


@pytest.mark.parametrize("kwargs,words", [
    (dict(n=5), ["give p="]),
    (dict(n=5, p=0.5, mean=70, sd=10), ["not both"]),
    (dict(n=0, p=0.5), ["n must be", "got 0"]),
    (dict(n=[5, 2.5], p=0.5), ["n must be", "(row 1)"]),
    (dict(n=5, p=1), ["p must be", "got 1"]),
    (dict(n=5, p=70), ["p must be", "0.7 for 70%"]),
    (dict(n=5, mean=70, sd=0), ["sd must be"]),
    (dict(n=5, p=0.5, confidence=(95,)), ["confidence must be"]),
    (dict(n=5, p=0.5, confidence=()), ["at least one level"]),
    (dict(n=5, p=0.5, confidence=(0.95, 0.95)), ["twice"]),
])
def test_funnel_refuses_meaningless_input(kwargs, words):
    """Check that each bad argument is refused by name."""
    with pytest.raises(ValueError) as error:
        funnel_limits(**kwargs)
    for word in words:
        assert word in str(error.value), str(error.value)
