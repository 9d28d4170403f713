"""Check opsfirst.staffing against an independent simulator, ciw.

Each scenario is simulated by ciw (a discrete-event simulation library with no code in
common with opsfirst) in R independent replications, each with its own fixed seed. A
replication is one long run that starts with an empty queue; the calls arriving during the
warm-up are discarded, and the measures are taken over the calls arriving from ``WARM_UP``
to the end of the run. The run then carries on with arrivals (``DRAIN`` seconds) so that
every measured call has been answered or has hung up: ciw records a call only once it has
left, and cutting the run off at the end would drop the long waits.

The R per-replication values of each measure are independent and identically distributed,
so a Student t interval across them is an honest confidence interval for the steady-state
value. The tests check that the value opsfirst computes lies inside the 99% interval, and
(the negative control) that a 5% error in the handling time lies outside it.

The seeds are fixed, so the outcome is deterministic. With 99% intervals on many measures
one of them would miss now and then for some other choice of seeds; these seed bases were
fixed before the first run and not tuned.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ciw
import numpy as np
import pytest
from scipy import stats

from opsfirst import staffing

pytestmark = pytest.mark.slow

INTERVAL = 1800.0  # seconds: calls are given per half hour, as in opsfirst
TARGET_TIME = 20.0  # seconds: the service-level target ("answered within 20 s")
WARM_UP = 10_000.0  # seconds: calls arriving before this are discarded
DRAIN = 20_000.0  # seconds simulated after the measured arrivals, so all of them finish
CONFIDENCE = 0.99


@dataclass(frozen=True)
class Scenario:
    """One queue to simulate: calls per half hour, AHT (s), agents, patience (s) or None."""

    calls: float
    aht: float
    agents: int
    patience: float | None = None
    replications: int = 20
    end: float = 200_000.0  # seconds: calls arriving from WARM_UP up to here are measured
    seed_base: int = 0


# Erlang C: 10 Erlangs on 14 agents. More and longer replications than the others, so that
# the interval is narrow enough for the negative control to see a 5% AHT error.
ERLANG_C = Scenario(calls=100, aht=180, agents=14, replications=30, end=300_000.0,
                    seed_base=10_000)
# Erlang A: the same calls with patient callers (300 s) on 13 agents.
ERLANG_A = Scenario(calls=100, aht=180, agents=13, patience=300, seed_base=20_000)
# Erlang A overloaded: 9 agents for 10 Erlangs. Erlang C has no steady state here; Erlang A
# has one, because the callers who hang up keep the queue finite.
ERLANG_A_OVERLOADED = Scenario(calls=100, aht=180, agents=9, patience=300, seed_base=30_000)


def simulate_once(scenario: Scenario, seed: int) -> dict[str, float]:
    """One ciw replication of ``scenario``; the queue measures over the measured calls.

    Returns the share of calls that wait at all (``p_wait``), that hang up (``p_abandon``),
    that are answered within ``TARGET_TIME`` (``service_level``, out of all calls offered),
    the mean wait over all calls (``wait_all_calls``) and over answered calls only
    (``wait_answered``), and the share of the agents' time spent on calls (``occupancy``).
    """
    extra = {}
    if scenario.patience is not None:
        extra["reneging_time_distributions"] = [ciw.dists.Exponential(1 / scenario.patience)]
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(scenario.calls / INTERVAL)],
        service_distributions=[ciw.dists.Exponential(1 / scenario.aht)],
        number_of_servers=[scenario.agents],
        **extra,
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(scenario.end + DRAIN)

    still_in = [ind.arrival_date for ind in sim.nodes[1].all_individuals]
    assert all(t >= scenario.end for t in still_in), (
        "a measured call had not left when the run stopped: make DRAIN longer")
    records = sim.get_all_records()
    assert {r.record_type for r in records} <= {"service", "renege"}

    arrival = np.array([r.arrival_date for r in records])
    wait = np.array([r.waiting_time for r in records])
    answered = np.array([r.record_type == "service" for r in records])
    start = np.array([r.service_start_date for r in records])[answered]
    finish = np.array([r.service_end_date for r in records])[answered]

    measured = (arrival >= WARM_UP) & (arrival < scenario.end)
    wait, answered = wait[measured], answered[measured]
    # Agents' busy time inside [WARM_UP, end), from every call served in that window (calls
    # that arrived in the warm-up but were still being served count for their overlap).
    busy = np.clip(np.minimum(finish, scenario.end) - np.maximum(start, WARM_UP), 0.0, None)
    return {
        "p_wait": float(np.mean(wait > 0)),
        "p_abandon": float(np.mean(~answered)),
        "service_level": float(np.mean(answered & (wait <= TARGET_TIME))),
        "wait_all_calls": float(np.mean(wait)),
        "wait_answered": float(np.mean(wait[answered])),
        "occupancy": float(busy.sum() / (scenario.agents * (scenario.end - WARM_UP))),
    }


@functools.lru_cache(maxsize=None)
def replications(scenario: Scenario) -> dict[str, np.ndarray]:
    """Every measure of ``scenario`` over its R replications (cached: several tests share)."""
    runs = [simulate_once(scenario, scenario.seed_base + i) for i in range(scenario.replications)]
    return {k: np.array([run[k] for run in runs]) for k in runs[0]}


@dataclass(frozen=True)
class Interval:
    """A two-sided Student t confidence interval for a mean, from independent replications."""

    mean: float
    std_error: float
    half_width: float

    def contains(self, value: float) -> bool:
        return abs(value - self.mean) <= self.half_width

    def t(self, value: float) -> float:
        """How many standard errors the simulated mean lies from ``value``."""
        return (self.mean - value) / self.std_error


def t_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> Interval:
    n = len(values)
    std_error = float(np.std(values, ddof=1) / np.sqrt(n))
    half_width = float(stats.t.ppf(0.5 + confidence / 2, df=n - 1) * std_error)
    return Interval(float(np.mean(values)), std_error, half_width)


def assert_inside_intervals(scenario: Scenario, expected: dict[str, float]) -> None:
    """Fail, listing every measure, unless each expected value is inside its interval."""
    sims = replications(scenario)
    lines, missed = [], []
    for measure, value in expected.items():
        iv = t_interval(sims[measure])
        ok = iv.contains(value)
        lines.append(f"{measure:15} opsfirst {value:10.5f}  ciw {iv.mean:10.5f} "
                     f"+/- {iv.half_width:.5f}  t = {iv.t(value):+.2f}{'' if ok else '  MISS'}")
        if not ok:
            missed.append(measure)
    assert not missed, (f"{scenario}: opsfirst outside the {CONFIDENCE:.0%} simulation "
                        f"interval for {missed}\n" + "\n".join(lines))


def test_erlang_c_matches_ciw_within_99pct_ci():
    """Check that Erlang C P(wait), service level, ASA and occupancy for 14 agents on 10
    Erlangs each lie inside the 99% interval of a ciw M/M/14 simulation."""
    s = ERLANG_C
    assert_inside_intervals(s, {
        "p_wait": staffing.erlang_c(s.agents, staffing.traffic_intensity(s.calls, s.aht)),
        "service_level": staffing.service_level(s.agents, s.calls, s.aht, TARGET_TIME),
        "wait_all_calls": staffing.average_speed_of_answer(s.agents, s.calls, s.aht),
        "occupancy": staffing.occupancy(s.agents, s.calls, s.aht),
    })


@pytest.mark.parametrize("scenario", [ERLANG_A, ERLANG_A_OVERLOADED],
                         ids=["13_agents", "9_agents_overloaded"])
def test_erlang_a_matches_ciw_within_99pct_ci(scenario):
    """Check that every Erlang A measure (P(wait), P(abandon), service level out of all
    offered calls, ASA of answered calls, occupancy, mean wait of all calls) lies inside the
    99% interval of a ciw M/M/n+M simulation with exponential patience, with enough agents
    and with fewer agents than the traffic."""
    s = scenario
    r = staffing.erlang_a(agents=s.agents, calls=s.calls, aht=s.aht, patience=s.patience,
                          target_time=TARGET_TIME)
    assert_inside_intervals(s, {
        "p_wait": r.p_wait,
        "p_abandon": r.p_abandon,
        "service_level": r.service_level,
        "wait_answered": r.average_speed_of_answer,
        "occupancy": r.occupancy,
        "wait_all_calls": r.average_wait_all_calls,
    })


def test_five_percent_aht_error_is_detected():
    """Check that the Erlang C simulation can fail: the service level and ASA opsfirst gives
    for an AHT 5% too long (189 s instead of 180 s) lie outside the 99% interval of the
    simulation at 180 s, and the interval is narrow enough to make that no accident."""
    s = ERLANG_C
    wrong_aht = s.aht * 1.05
    sims = replications(s)
    for measure, formula in [
        ("service_level", lambda aht: staffing.service_level(s.agents, s.calls, aht, TARGET_TIME)),
        ("wait_all_calls", lambda aht: staffing.average_speed_of_answer(s.agents, s.calls, aht)),
    ]:
        iv = t_interval(sims[measure])
        right, wrong = formula(s.aht), formula(wrong_aht)
        # Power: the error is at least three half-widths, so a correct formula sits well
        # inside and a 5% error well outside.
        assert iv.half_width < abs(wrong - right) / 3, (measure, iv, right, wrong)
        assert not iv.contains(wrong), (
            f"{measure}: AHT {wrong_aht:g} s gives {wrong:.5f}, inside the simulated "
            f"{iv.mean:.5f} +/- {iv.half_width:.5f} at AHT {s.aht:g} s")
