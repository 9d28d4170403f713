"""Check opsfirst.staffing against an independent high-precision implementation (mpmath).

The grid covers tiny loads, long target times, near-saturation and centres of 50,000 to
100,000 agents; see tests/mp_reference.py for how the references are computed.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import mp_reference as ref
from opsfirst import staffing

# (agents, traffic): tiny loads, ordinary, near saturation, 50,000+ agents
GRID = [
    (1, 1e-6), (2, 0.01), (5, 1e-6), (3, 2.5), (14, 10.0), (31, 29.166666666666668),
    (101, 100.9), (1000, 999.5), (1200, 1000.0), (50_000, 49_900.0), (50_001, 50_000.5),
    (50_300, 50_000.0), (100_001, 100_000.25), (100_500, 100_000.0),
]
AHT = 300.0


def rel_err(got, want):
    want = float(want)
    return abs(got - want) / abs(want) if want else abs(got)


def test_erlang_b_and_c_match_high_precision_on_the_grid():
    """Check Erlang B and C to 1e-13 relative over the grid, in one vectorised call each."""
    n = np.array([g[0] for g in GRID])
    a = np.array([g[1] for g in GRID])
    b, c = staffing.erlang_b(n, a), staffing.erlang_c(n, a)
    for k, (agents, load) in enumerate(GRID):
        assert rel_err(b[k], ref.erlang_b(agents, load)) < 1e-13, (agents, load)
        assert rel_err(c[k], ref.erlang_c(agents, load)) < 1e-13, (agents, load)


def test_erlang_b_below_the_load_matches_high_precision():
    """Check Erlang B with fewer lines than Erlangs (lost calls), to 1e-13, up to 100,000 lines."""
    cases = [(0, 3.0), (1, 0.5), (9, 10.0), (90, 100.0), (700, 1000.0), (40_000, 50_000.0),
             (49_500, 50_000.0), (99_999, 100_000.5), (3, 1e6)]
    got = staffing.erlang_b([n for n, _ in cases], [a for _, a in cases])
    for k, (n, a) in enumerate(cases):
        assert rel_err(got[k], ref.erlang_b(n, a)) < 1e-13, (n, a)


def test_erlang_b_at_every_whole_load_matches_high_precision():
    """Check B(n, a) for n from a - 3 to a + 3 at fractional loads from 0.3 to 200,000 Erlangs."""
    rng = np.random.default_rng(2026)
    loads = np.exp(rng.uniform(np.log(0.3), np.log(200_000), size=40))
    for a in loads:
        n = np.arange(max(0, int(a) - 3), int(a) + 4)
        got = staffing.erlang_b(n, a)
        for k, m in enumerate(n):
            assert rel_err(got[k], ref.erlang_b(m, a)) < 1e-13, (m, a)


@pytest.mark.parametrize("target_time", [0, 20, 3600])
def test_service_level_and_asa_match_high_precision(target_time):
    """Check service level and ASA, including a one-hour target time, to 1e-12 relative."""
    n = np.array([g[0] for g in GRID])
    a = np.array([g[1] for g in GRID])
    calls = a * 1800 / AHT
    sl = staffing.service_level(n, calls, AHT, target_time)
    asa = staffing.average_speed_of_answer(n, calls, AHT)
    for k, (agents, load) in enumerate(GRID):
        load = calls[k] * AHT / 1800  # the traffic exactly as the library sees it
        want_sl = ref.service_level(agents, load, AHT, target_time)
        # compare the shortfall 1 - SL too, where SL is within a hair of 1
        assert abs(sl[k] - float(want_sl)) < 1e-14, (agents, load)
        assert rel_err(1 - sl[k], 1 - want_sl) < 1e-9 or 1 - want_sl < 1e-6, (agents, load)
        assert rel_err(asa[k], ref.asa(agents, load, AHT)) < 1e-12, (agents, load)


LOADS = [1e-6, 0.5, 10.0, 10.6, 57.3, 250.0, 1000.7, 50_000.6]


@pytest.mark.parametrize("target_time", [0, 20, 600])
def test_agents_required_matches_exact_search(target_time):
    """Check the smallest agents meeting 50%, 80%, 95% and 99.9% for loads up to 50,000 Erlangs."""
    loads = np.repeat(LOADS, 4)
    targets = np.tile([0.5, 0.8, 0.95, 0.999], len(LOADS))
    calls = loads * 1800 / AHT
    got = staffing.agents_required(calls=calls, aht=AHT, target_service_level=targets,
                                   target_time=target_time)
    for k in range(len(loads)):
        a = calls[k] * AHT / 1800
        assert got[k] == ref.agents_required(a, AHT, target_time, targets[k]), (loads[k], targets[k])


def test_knife_edge_where_floor_of_traffic_plus_one_is_enough():
    """Check the case a popular library gets wrong: traffic 10.6, and 11 agents already suffice.

    Starting the search at round(traffic + 1) = 12 over-staffs by one agent.
    """
    calls, aht, target, t = 10.6 * 1800 / 180, 180, 0.2, 60
    a = staffing.traffic_intensity(calls, aht)
    assert math.floor(a) + 1 == 11 and round(a + 1) == 12
    assert ref.agents_required(a, aht, t, target) == 11
    assert staffing.agents_required(calls=calls, aht=aht, target_service_level=target, target_time=t) == 11


def test_a_week_at_large_scale_is_exact():
    """Check 336 intervals of a 100,000-agent centre against the exact search at a sample."""
    rng = np.random.default_rng(2026)
    loads = rng.uniform(95_000, 100_000, size=336)
    calls = loads * 1800 / AHT
    got = staffing.agents_required(calls=calls, aht=AHT)
    for k in rng.choice(336, size=4, replace=False):
        assert got[k] == ref.agents_required(calls[k] * AHT / 1800, AHT, 20, 0.8)


def test_shrinkage_divides_not_multiplies():
    """Check that 14 on the phones at 30% shrinkage is 20 scheduled (14 / 0.7), not 19 (14 x 1.3)."""
    assert staffing.agents_required(calls=100, aht=180, shrinkage=0.3) == 20
    assert staffing.scheduled_staff(agents=14, shrinkage=0.3) == 20


def test_shrinkage_ceiling_avoids_the_float_trap():
    """Check that 21 agents at 30% is 30 staff: 21 / (1 - 0.3) is 30.000000000000004 in floats."""
    assert 21 / (1 - 0.3) > 30
    assert staffing.scheduled_staff(agents=21, shrinkage=0.3) == 30
    assert staffing.scheduled_staff(agents=9, shrinkage=0.1) == 10
    # Every whole-percent shrinkage, every agent count to 200, against exact fractions.
    from fractions import Fraction

    agents = np.arange(0, 201)
    for pct in range(0, 100):
        got = staffing.scheduled_staff(agents=agents, shrinkage=pct / 100)
        want = [math.ceil(Fraction(int(n)) / (1 - Fraction(pct, 100))) for n in agents]
        assert got.tolist() == want, pct


def test_occupancy_cap_adds_agents_only_when_it_binds():
    """Check the 85% cap: 10 Erlangs need 12 agents for 85% (10/12 = 83%), 14 for 80/20 anyway."""
    assert staffing.agents_required(calls=100, aht=180, max_occupancy=0.85) == 14
    assert staffing.agents_required(calls=100, aht=180, target_service_level=0.2, max_occupancy=0.85) == 12
    assert staffing.agents_required(calls=100, aht=180, target_service_level=0.2) == 11
    # traffic 8.5 at 85%: exactly 10 agents, not 11
    assert staffing.agents_required(calls=85, aht=180, target_service_level=0.1, max_occupancy=0.85) == 10


def test_no_calls_need_no_agents():
    """Check that an interval with no calls needs 0 agents and is perfectly served."""
    assert staffing.agents_required(calls=0, aht=180) == 0
    assert staffing.agents_required(calls=0, aht=180, patience=60) == 0
    plan = staffing.staffing_plan(calls=[0, 100], aht=180, shrinkage=0.3)
    assert plan.agents.tolist() == [0, 14] and plan.scheduled_staff.tolist() == [0, 20]
    assert plan.service_level[0] == 1.0 and plan.average_speed_of_answer[0] == 0.0


@pytest.mark.parametrize("agents,traffic", [(0, 5.0), (9, 10.0), (10, 10.0), (50_000, 50_000.0), (3, 1e6)])
def test_no_steady_state_returns_the_limits(agents, traffic):
    """Check that agents <= traffic gives P(wait) 1, service level 0, ASA inf, occupancy 1."""
    calls = traffic * 1800 / AHT
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert staffing.erlang_c(agents, traffic) == 1.0
        assert staffing.service_level(agents, calls, AHT, 20) == 0.0
        assert staffing.average_speed_of_answer(agents, calls, AHT) == math.inf
        assert staffing.occupancy(agents, calls, AHT) == 1.0
        assert 0.0 <= staffing.erlang_b(agents, traffic) <= 1.0


def test_extreme_but_valid_inputs_stay_in_range():
    """Check values stay within [0, 1] with no NaN and no warning at the edges of the range."""
    n = np.array([0, 1, 1, 100_000, 2, 100_000])
    a = np.array([0.0, 0.0, 1e-300, 10.0, 1e-9, 99_999.999])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for f in (staffing.erlang_b, staffing.erlang_c):
            v = f(n, a)
            assert np.all((v >= 0) & (v <= 1)) and not np.isnan(v).any()
    assert staffing.erlang_b(100_000, 10.0) == 0.0  # 1e-356578 in truth
    assert staffing.erlang_b(0, 0.0) == 1.0


# ------------------------------------------------------------------------------- Erlang A

ERLANG_A_CASES = [
    # agents, calls, aht, patience, target_time, interval
    (13, 100, 180, 300, 20, 1800),    # the pyworkforce example
    (5, 100, 180, 60, 20, 1800),      # half the agents needed: most callers give up
    (20, 100, 180, 30, 0, 1800),      # impatient callers, target time 0
    (30, 100, 180, 1000, 600, 1800),  # patient callers, ten-minute target
    (1, 1, 180, 60, 20, 1800),        # one agent, one call
    (11, 0.01, 180, 120, 20, 1800),   # a tiny load
    (120, 2000, 300, 120, 20, 1800),  # 333 Erlangs on 120 agents
    (50, 2880, 60, 120, 20, 3600),    # Garnett-Mandelbaum-Reiman
]


@pytest.mark.parametrize("case", ERLANG_A_CASES, ids=lambda c: "-".join(map(str, c)))
def test_erlang_a_matches_birth_death_chain(case):
    """Check every Erlang A measure against a truncated birth-death chain at 60 digits.

    Relative 1e-12, or absolute 1e-15 for a probability far below that (333 Erlangs on 120
    agents answer 1.6e-12 of calls within 20 s: that is float64 round-off of 1).
    """
    want = ref.erlang_a_chain(*case)
    got = staffing.erlang_a(*case)
    for key, value in want.items():
        value = getattr(got, key)
        close = rel_err(value, want[key]) < 1e-12 or abs(value - float(want[key])) < 1e-15
        assert close, (key, value, want[key])


def test_erlang_a_arrays_match_single_calls():
    """Check that a vectorised Erlang A call gives the same numbers as one call per case."""
    columns = [np.array(c) for c in zip(*ERLANG_A_CASES)]
    together = staffing.erlang_a(*columns)
    for k, case in enumerate(ERLANG_A_CASES):
        alone = staffing.erlang_a(*case)
        for key, value in alone.to_dict().items():
            assert getattr(together, key)[k] == pytest.approx(value, rel=1e-14)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    """Check that callers who (almost) never hang up give Erlang C's numbers."""
    r = staffing.erlang_a(agents=14, calls=100, aht=180, patience=1e8, target_time=20)
    assert r.p_wait == pytest.approx(staffing.erlang_c(14, 10), rel=1e-5)
    assert r.service_level == pytest.approx(staffing.service_level(14, 100, 180, 20), rel=1e-5)
    assert r.average_speed_of_answer == pytest.approx(
        staffing.average_speed_of_answer(14, 100, 180), rel=1e-4)
    assert r.p_abandon < 1e-5


def test_erlang_a_service_level_rises_with_agents_even_below_the_load():
    """Check that with abandonment there is a steady state below the load, and more agents help."""
    agents = np.arange(0, 41)
    r = staffing.erlang_a(agents, calls=200, aht=180, patience=120, target_time=20)
    assert r.service_level[0] == 0.0 and r.p_abandon[0] == 1.0
    assert r.average_speed_of_answer[0] == math.inf
    assert np.all(np.diff(r.service_level) > 0)
    assert np.all(np.diff(r.p_abandon) < 0)
    assert 0 < r.service_level[15] < 1  # 15 agents for 20 Erlangs: overloaded, still finite


def test_erlang_a_staffing_is_the_smallest_that_meets_the_target():
    """Check Erlang A staffing against an exhaustive scan, for several loads and patiences."""
    calls = np.array([5, 50, 100, 400, 2000, 9000])
    for patience in (30, 180, 900):
        got = staffing.agents_required(calls=calls, aht=240, patience=patience, target_service_level=0.85)
        for c, n in zip(calls, got):
            scan = staffing.erlang_a(np.arange(0, 2 * n + 2), c, 240, patience, 20).service_level
            assert n == int(np.argmax(scan >= 0.85)), (c, patience)


def test_erlang_a_staffing_respects_abandonment_cap():
    """Check that a 2% abandonment cap adds agents where the service target alone would not."""
    base = staffing.staffing_plan(calls=100, aht=180, patience=60, target_service_level=0.5)
    capped = staffing.staffing_plan(calls=100, aht=180, patience=60, target_service_level=0.5,
                                    max_abandon=0.02)
    assert base.p_abandon > 0.02
    assert capped.p_abandon <= 0.02 < staffing.erlang_a(capped.agents - 1, 100, 180, 60).p_abandon


@pytest.mark.parametrize("agents,patience", [(5_000, 120), (5_200, 600), (4_800, 60)])
def test_erlang_a_at_scale_matches_a_log_space_chain(agents, patience):
    """Check P(wait), P(abandon) and occupancy at 5,000 agents against the chain summed in logs."""
    calls, aht = 30_000, 300  # 5,000 Erlangs
    lam, mu, theta = calls / 1800, 1 / aht, 1 / patience
    k = np.arange(1, agents + 20_000)
    death = np.minimum(k, agents) * mu + np.maximum(k - agents, 0) * theta
    log_w = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death))])
    p = np.exp(log_w - np.logaddexp.reduce(log_w))
    assert p[-1] < 1e-300  # the truncation loses nothing
    queue = np.maximum(np.arange(p.size) - agents, 0)
    want = dict(p_wait=p[agents:].sum(), p_abandon=theta * (queue * p).sum() / lam)
    want["occupancy"] = lam * (1 - want["p_abandon"]) / (agents * mu)
    got = staffing.erlang_a(agents, calls, aht, patience)
    for key, value in want.items():
        assert getattr(got, key) == pytest.approx(value, rel=1e-9), key
