"""Check opsfirst.simulation against queueing theory, against ciw, and against itself.

Theory and ciw are compared with 99% Student t intervals over independent replications (each
its own seed, each a long run whose first hour is discarded), never with a fixed tolerance.
The negative control shows the comparison can fail: a 5% error in the handling time is seen.
"""

from __future__ import annotations

import math

import ciw
import numpy as np
import pytest
from scipy import stats

from opsfirst import simulation, staffing
from opsfirst.simulation import queue

CONFIDENCE = 0.99
WARM_UP = 3600.0


def replicate(replications=30, seed_base=0, **scenario):
    """Measures of ``replications`` independent runs: {measure: array of per-run values}."""
    runs = [simulation.simulate_queue(seed=seed_base + r, warm_up=WARM_UP, **scenario)
            for r in range(replications)]
    keys = ("service_level", "average_speed_of_answer", "p_wait", "occupancy", "p_abandon",
            "average_wait_all_calls")
    return {k: np.array([getattr(run, k) for run in runs]) for k in keys}


def interval(values):
    """Mean and 99% t half-width of independent replications."""
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
    return values.mean(), half


def assert_inside(values, expected, name):
    mean, half = interval(values)
    assert abs(mean - expected) <= half, f"{name}: theory {expected:.5g}, simulated {mean:.5g} ± {half:.2g}"


ERLANG_C = dict(calls=100, aht=180, agents=14, intervals=200)  # 10 Erlangs, 100 hours a run
ERLANG_A = dict(calls=100, aht=180, agents=13, patience=300, intervals=200)
OVERLOADED = dict(calls=100, aht=180, agents=9, patience=120, intervals=200)


def test_matches_erlang_c_within_99pct_ci():
    """Check service level, ASA, P(wait) and occupancy against Erlang C."""
    runs = replicate(**ERLANG_C)
    assert_inside(runs["service_level"], staffing.service_level(14, 100, 180, 20), "service level")
    assert_inside(runs["average_speed_of_answer"], staffing.average_speed_of_answer(14, 100, 180), "ASA")
    assert_inside(runs["p_wait"], staffing.erlang_c(14, 10), "P(wait)")
    assert_inside(runs["occupancy"], staffing.occupancy(14, 100, 180), "occupancy")
    assert np.all(runs["p_abandon"] == 0)


@pytest.mark.parametrize("scenario", [ERLANG_A, OVERLOADED], ids=["13 agents", "9 agents for 10 Erlangs"])
def test_matches_erlang_a_within_99pct_ci(scenario):
    """Check every Erlang A measure, also with fewer agents than Erlangs (a steady state exists)."""
    runs = replicate(seed_base=1000, **scenario)
    theory = staffing.erlang_a(scenario["agents"], scenario["calls"], scenario["aht"], scenario["patience"])
    for key in runs:
        assert_inside(runs[key], getattr(theory, key), key)


def test_five_percent_aht_error_is_detected():
    """Check that a simulation at AHT 189 s is told apart from Erlang C at 180 s (and agrees at 189 s)."""
    runs = replicate(seed_base=2000, **dict(ERLANG_C, aht=189))
    mean, half = interval(runs["service_level"])
    right, wrong = staffing.service_level(14, 100, 189, 20), staffing.service_level(14, 100, 180, 20)
    assert abs(mean - right) <= half
    assert abs(mean - wrong) > 2 * half, "the interval is too wide to see a 5% AHT error"
    asa_mean, asa_half = interval(runs["average_speed_of_answer"])
    assert abs(asa_mean - staffing.average_speed_of_answer(14, 100, 180)) > asa_half


def ciw_replication(seed, calls, aht, agents, patience=None, end=100_000.0):
    """One ciw run of the same queue: service level and P(abandon) of calls after the warm-up."""
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(calls / 1800)],
        service_distributions=[ciw.dists.Exponential(1 / aht)],
        number_of_servers=[agents],
        **({"reneging_time_distributions": [ciw.dists.Exponential(1 / patience)]} if patience else {}),
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(end + 20_000)  # let the measured calls finish
    rows = [r for r in sim.get_all_records() if WARM_UP <= r.arrival_date < end]
    served = [r for r in rows if r.record_type == "service"]
    within = sum(r.waiting_time <= 20 for r in served)
    return within / len(rows), 1 - len(served) / len(rows)


@pytest.mark.slow
def test_agrees_with_ciw_on_the_same_queue():
    """Check service level and P(abandon) against ciw: the two 99% intervals' difference covers 0."""
    scenario = dict(calls=100, aht=180, agents=13, patience=300)
    ours = replicate(replications=20, seed_base=3000, intervals=56, **scenario)  # 100,800 s
    theirs = np.array([ciw_replication(4000 + r, **scenario) for r in range(12)])
    for k, key in enumerate(["service_level", "p_abandon"]):
        a, b = ours[key], theirs[:, k]
        test = stats.ttest_ind(a, b, equal_var=False)
        assert test.pvalue > 1 - CONFIDENCE, f"{key}: opsfirst {a.mean():.4f}, ciw {b.mean():.4f}"


def test_same_seed_same_result_and_seeds_differ():
    """Check that a seed makes a run repeatable and another seed gives another run."""
    a = simulation.simulate_queue(calls=100, aht=180, agents=14, seed=7)
    b = simulation.simulate_queue(calls=100, aht=180, agents=14, seed=7)
    c = simulation.simulate_queue(calls=100, aht=180, agents=14, seed=8)
    assert a == b and (a.calls_offered, a.service_level) != (c.calls_offered, c.service_level)


def test_both_engines_give_identical_answers_for_a_fixed_team():
    """Check that the changing-team engine equals the fixed-team engine when the team does not change."""
    rng = np.random.default_rng(2026)
    arrivals = np.sort(rng.uniform(0, 36_000, 2_000)).tolist()
    handle = rng.exponential(180, 2_000).tolist()
    patience = rng.exponential(120, 2_000).tolist()
    for p in (None, patience):
        fixed = queue._serve(arrivals, handle, p, 11)
        changing, overtime = queue._serve_changing(arrivals, handle, p, [0.0, 18_000.0], [11, 11])
        assert fixed == changing and overtime == []


def test_service_level_definitions_recomputed_from_the_call_records():
    """Check each named service-level definition against the per-call table."""
    r = simulation.simulate_queue(calls=120, aht=180, agents=11, patience=60, intervals=20,
                                  seed=3, short_abandon=5, records=True)
    calls = r.records
    answered = calls[calls["answered"]]
    lost = calls[~calls["answered"]]
    within = int((answered["wait"] <= 20).sum())
    assert r.calls_offered == len(calls) == r.calls_answered + r.calls_abandoned
    assert r.answered_within_target == within
    assert r.service_level == within / len(calls)
    assert r.service_level_of_answered == within / len(answered)
    assert r.service_level_excluding_abandons_within_target == within / (len(calls) - (lost["wait"] <= 20).sum())
    assert r.service_level_excluding_short_abandons == within / (len(calls) - (lost["wait"] <= 5).sum())
    assert r.average_speed_of_answer == pytest.approx(answered["wait"].mean())
    assert r.average_wait_all_calls == pytest.approx(calls["wait"].mean())
    assert r.p_abandon == len(lost) / len(calls) > 0
    # FCFS: callers are answered in the order they arrive
    assert answered["answer"].is_monotonic_increasing


def test_lognormal_handling_times_have_the_asked_mean_and_spread():
    """Check handle_cv: mean handling time near aht and coefficient of variation near the value."""
    r = simulation.simulate_queue(calls=400, aht=300, agents=80, handle_cv=0.6, intervals=100,
                                  seed=5, records=True)
    handle = r.records["handle_time"]
    assert handle.mean() == pytest.approx(300, rel=0.02)
    assert handle.std() / handle.mean() == pytest.approx(0.6, rel=0.05)


def test_intervals_with_changing_staff_keep_their_books():
    """Check per-interval counts add up, occupancy stays within [0, 1], and an unstaffed interval waits."""
    day = simulation.simulate_intervals(calls=[40, 120, 120, 60], aht=240, agents=[6, 18, 0, 10],
                                        patience=180, seed=11)
    assert (day["calls_answered"] + day["calls_abandoned"] == day["calls_offered"]).all()
    assert (day["answered_within_target"] <= day["calls_answered"]).all()
    assert ((day["occupancy"] >= 0) & (day["occupancy"] <= 1)).all()
    assert day.loc[2, "service_level"] < 0.1 < day.loc[1, "service_level"]
    # Nobody is logged in for interval 2, except the agents of interval 1 finishing their calls:
    # all of their logged-in time is handling.
    assert day.loc[2, "occupancy"] == pytest.approx(1.0)
    # The same run, arrival for arrival, as simulate_queue for a fixed team:
    fixed = simulation.simulate_intervals(calls=[100] * 48, aht=180, agents=14, seed=2026)
    whole = simulation.simulate_queue(calls=100, aht=180, agents=14, intervals=48, seed=2026)
    assert fixed["calls_offered"].sum() == whole.calls_offered
    assert fixed["answered_within_target"].sum() == whole.answered_within_target


@pytest.mark.parametrize("kwargs,word", [
    (dict(calls=-5), "calls"), (dict(aht=0), "aht"), (dict(agents=3.5), "agents"),
    (dict(patience=0), "patience"), (dict(intervals=0), "intervals"), (dict(target_time=-1), "target_time"),
    (dict(handle_cv=0), "handle_cv"), (dict(calls=[100, 120]), "calls"), (dict(warm_up=1800), "warm_up"),
])
def test_bad_input_names_the_argument(kwargs, word):
    """Check that meaningless input gets a ValueError that names the argument."""
    args = dict(dict(calls=100, aht=180, agents=14), **kwargs)
    with pytest.raises(ValueError, match=rf"^{word} must"):
        simulation.simulate_queue(**args)
