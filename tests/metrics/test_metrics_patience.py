"""Check average_patience against what it should agree with: scipy's maximum likelihood, seeded
simulations whose patience is known, and the shipped data's generating parameter.

The estimate total waiting time / abandoned calls has a standard error of about
theta / sqrt(abandoned). Each check asks for the estimate within 3 standard errors of the true
patience (a 99.7% interval), and shows that the abandoners' mean wait, the typical mistake, lies
far outside it. Seeds are fixed before the first run and not tuned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsfirst import datasets, metrics, simulation
from opsfirst.datasets.builders import interval_history as generator


def _by_interval(records: pd.DataFrame) -> pd.DataFrame:
    """Per-call records of the simulator added up per interval, as an ACD's interval report."""
    abandoned = ~records["answered"]
    return pd.DataFrame({
        "abandoned": abandoned.groupby(records["interval"]).sum(),
        "total_wait": records["wait"].groupby(records["interval"]).sum(),
        "abandoned_wait": records["wait"].where(abandoned, 0.0).groupby(records["interval"]).sum(),
    })


def test_patience_is_scipys_maximum_likelihood_for_censored_waits():
    """Check the closed form against scipy: exponential patience fitted to the abandoners' waits
    (seen in full) and the answered callers' waits (right-censored: their patience was longer)."""
    run = simulation.simulate_queue(calls=100, aht=180, agents=10, patience=150, intervals=200,
                                    seed=2026, records=True).records
    table = _by_interval(run)
    gave_up = ~run["answered"]
    data = stats.CensoredData(uncensored=run["wait"][gave_up].to_numpy(),
                              right=run["wait"][~gave_up].to_numpy())
    _, scale = stats.expon.fit(data, floc=0)
    got = metrics.average_patience(abandoned=table["abandoned"], total_wait_seconds=table["total_wait"])
    assert got == pytest.approx(scale, rel=1e-5)


@pytest.mark.parametrize("calls,aht,agents,patience,seed", [
    (100, 180, 10, 150, 1),      # busy: a tenth of the callers hang up
    (100, 180, 13, 150, 2),      # staffed for 80/20: few hang up
    (300, 300, 48, 240, 3),      # a big team, patient callers
    (60, 240, 7, 45, 4),         # impatient callers
])
def test_patience_recovers_the_simulated_patience_and_the_abandoners_wait_does_not(
        calls, aht, agents, patience, seed):
    """Check, on seeded simulations with exponential patience, that the estimate is within 3
    standard errors (patience / sqrt(abandoned)) of the truth, and the abandoners' mean wait is
    far below it (the waits of the callers who gave up are cut short by the answers)."""
    run = simulation.simulate_queue(calls=calls, aht=aht, agents=agents, patience=patience,
                                    intervals=480, seed=seed, records=True).records
    table = _by_interval(run)
    abandoned = int(table["abandoned"].sum())
    assert abandoned >= 300, "too few abandons for a sharp check: simulate more intervals"
    error = patience / np.sqrt(abandoned)
    right = metrics.average_patience(abandoned=table["abandoned"], total_wait_seconds=table["total_wait"])
    wrong = metrics.average_patience(abandoned=table["abandoned"],
                                     total_wait_seconds=table["abandoned_wait"])
    assert abs(right - patience) < 3 * error, (right, patience, error)
    assert wrong < patience - 10 * error, (wrong, patience, error)


def test_the_check_would_catch_a_wrong_patience():
    """Negative control: the same check rejects a patience 15% off the truth."""
    run = simulation.simulate_queue(calls=100, aht=180, agents=10, patience=150, intervals=480,
                                    seed=1, records=True).records
    table = _by_interval(run)
    error = 150 / np.sqrt(table["abandoned"].sum())
    right = metrics.average_patience(abandoned=table["abandoned"], total_wait_seconds=table["total_wait"])
    assert abs(right - 150 * 1.15) > 3 * error


@pytest.fixture(scope="module")
def history():
    """interval_history with its waiting times (interval_waits), joined on interval_start."""
    history = datasets.load("interval_history")
    waits = datasets.load("interval_waits")
    assert history["interval_start"].equals(waits["interval_start"])
    return history.merge(waits, on="interval_start", validate="one_to_one")


def test_interval_waits_belongs_to_interval_history(history):
    """Check the waiting-time report against the counts: short abandons are some of the
    abandons, no answer wait without answered calls, and abandon waits exactly where there are
    abandons."""
    assert (history["abandoned_within_5s"] <= history["calls_abandoned"]).all()
    assert (history.loc[history["calls_answered"] == 0, "answered_wait_seconds"] == 0).all()
    assert (history.loc[history["calls_abandoned"] == 0, "abandoned_wait_seconds"] == 0).all()
    # an abandon wait rounds to 0.0 s only when every abandoner hung up at once
    zero = (history["calls_abandoned"] > 0) & (history["abandoned_wait_seconds"] == 0)
    assert (history.loc[zero, "abandoned_within_5s"] == history.loc[zero, "calls_abandoned"]).all()


def test_the_shipped_data_gives_back_the_dictionarys_patience(history):
    """Check the data dictionary's patience (150 s, exponential) against the whole history: the
    estimate is within 3 standard errors, the abandoners' mean wait is not (far below)."""
    truth = generator.PATIENCE
    assert truth == 150
    abandoned = history["calls_abandoned"]
    total = history["answered_wait_seconds"] + history["abandoned_wait_seconds"]
    right = metrics.average_patience(abandoned=abandoned, total_wait_seconds=total)
    wrong = metrics.average_patience(abandoned=abandoned,
                                     total_wait_seconds=history["abandoned_wait_seconds"])
    error = truth / np.sqrt(abandoned.sum())
    assert abs(right - truth) < 3 * error, (right, error)
    assert abs(wrong - truth) > 3 * error and wrong < truth / 5, wrong


def test_every_month_gives_back_the_dictionarys_patience(history):
    """Check each month on its own (3,100 to 6,500 abandons each): within 3 standard errors."""
    month = history["interval_start"].dt.strftime("%Y-%m")
    for name, rows in history.groupby(month):
        total = rows["answered_wait_seconds"] + rows["abandoned_wait_seconds"]
        right = metrics.average_patience(abandoned=rows["calls_abandoned"], total_wait_seconds=total)
        error = 150 / np.sqrt(rows["calls_abandoned"].sum())
        assert abs(right - 150) < 3 * error, (name, right, error)
