"""Check opsfirst.bias.simulate_league_table against the closed form of a league table's
reliability, and the league-table slider against the simulation it reads out.

Closed form. An agent's average of k calls is quality + noise with variance s_call^2 / k, so
(ignoring the rounding of each score and the 0-100 bounds) its correlation with true quality
is sqrt(s_agent^2 / (s_agent^2 + s_call^2 / k)): with the course's 5 and 10 points, 0.447 for
one call, 0.707 for four, 0.913 for twenty.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy import stats

from opsfirst.bias import league_table_slider, simulate_league_table


@pytest.mark.parametrize("calls", [1, 4, 20])
def test_correlation_with_truth_matches_the_closed_form(calls):
    """Check the table's correlation with true quality on 20,000 agents (sd of r about 0.006)."""
    table = simulate_league_table(calls, agents=20_000, seed=calls)
    r = stats.pearsonr(table["average"], table["true_quality"])[0]
    assert r == pytest.approx(math.sqrt(25 / (25 + 100 / calls)), abs=0.02)


def test_same_agents_for_any_number_of_calls_and_more_calls_rank_better():
    """Check that the agents stay the same when calls change, and the table converges to the truth."""
    few, many = simulate_league_table(3), simulate_league_table(300)
    assert few["true_quality"].equals(many["true_quality"])
    assert (few["true_rank"] == many["true_rank"]).all()
    rho = [stats.spearmanr(simulate_league_table(k)["average"], few["true_quality"])[0] for k in (1, 5, 300)]
    assert rho[0] < rho[1] < rho[2] and rho[2] > 0.95


def test_ranks_and_scores_are_well_formed():
    """Check ranks 1..n, 1 for the best, and scores inside 0-100 averaged from whole points."""
    table = simulate_league_table(5)
    assert sorted(table["table_rank"]) == list(range(1, 57)) == sorted(table["true_rank"])
    assert table.loc[table["table_rank"] == 1, "average"].item() == table["average"].max()
    assert table["average"].between(0, 100).all()
    assert np.allclose(table["average"] * 5, np.round(table["average"] * 5))
    # with no call-to-call noise the table is the truth (up to the rounding of scores)
    exact = simulate_league_table(3, call_sd=0)
    assert np.allclose(exact["average"], np.clip(np.round(exact["true_quality"]), 0, 100))


@pytest.mark.parametrize("kwargs,words", [
    (dict(calls=0), ["calls must be", "got 0"]),
    (dict(calls=2.5), ["calls must be"]),
    (dict(calls=[1, 2]), ["calls must be one number"]),
    (dict(calls=5, agents=1), ["agents must be"]),
    (dict(calls=5, call_sd=-1), ["call_sd must be"]),
    (dict(calls=5, mean=120), ["mean must be"]),
])
def test_simulate_league_table_input(kwargs, words):
    """Check that bad arguments are refused by name."""
    with pytest.raises(ValueError) as error:
        simulate_league_table(**kwargs)
    for word in words:
        assert word in str(error.value), str(error.value)


def readout(widget):
    return dict(re.findall(r'class="opsfirst-([a-z-]+)" data-value="([^"]+)"', widget.readout.value))


def test_slider_reads_out_the_simulation_and_follows_the_slider():
    """Check the readout's numbers against the simulation, at the start and after a move."""
    w = league_table_slider(calls=5)
    assert repr(w) == "LeagueTableSlider(calls=5, agents=56, mean=78, agent_sd=5, call_sd=10, seed=2026)"
    for calls in (5, 40):
        w.slider.value = calls
        table = simulate_league_table(calls)
        numbers = readout(w)
        rho = stats.spearmanr(table["average"], table["true_quality"])[0]
        assert float(numbers["rank-correlation"]) == pytest.approx(rho, abs=1e-12)
        praised = set(table.loc[table["table_rank"] <= 6, "agent"])
        best = set(table.loc[table["true_rank"] <= 6, "agent"])
        assert int(numbers["top-right"]) == len(praised & best)
        assert f"<b>{calls} calls scored per agent</b>" in w.readout.value
        assert w.plot.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert repr(w).startswith("LeagueTableSlider(calls=40,")


def test_slider_input():
    """Check that the slider refuses a start outside its range."""
    with pytest.raises(ValueError, match="calls must be"):
        league_table_slider(calls=80)
    with pytest.raises(ValueError, match="share must be"):
        league_table_slider(share=0.9)
