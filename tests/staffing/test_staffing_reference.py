"""Check opsfirst.staffing against published worked examples (tests/reference/).

Each example carries the inputs a source printed, the values it printed, and exact values
recomputed at 60 digits by tests/reference/compute.py. The kit must reproduce every exact
value; where a printed value matches the exact one, the kit must reproduce it at the printed
precision too; where a source is wrong, the kit must *not* reproduce its figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from opsfirst import staffing

EXAMPLES = json.loads((Path(__file__).parents[1] / "reference" / "worked_examples.json").read_text())
RTOL = 1e-12  # the kit is exact to float64 round-off; the references carry 32 digits


def examples(*calcs):
    chosen = [e for e in EXAMPLES if e["calc"] in calcs]
    assert chosen, f"no worked examples of kind {calcs}"
    return pytest.mark.parametrize("ex", chosen, ids=lambda e: e["id"])


def exact(ex, key):
    value = ex["exact"][key]
    return value if isinstance(value, int) else float(value)


def check(got, ex, key, rtol=RTOL):
    want = exact(ex, key)
    assert got == pytest.approx(want, rel=rtol, abs=1e-300), f"{ex['id']}: {key}"
    published = ex.get("published", {}).get(key)
    if published and "value" in published and ex["match"].get(key):
        assert abs(got - published["value"]) <= published["tol"], f"{ex['id']}: printed {key}"


@examples("erlang_c_staffing")
def test_one_interval_staffing_matches_worked_examples(ex):
    """Check that traffic, P(wait), service level, ASA, occupancy, agents and staff match."""
    i = ex["inputs"]
    common = dict(calls=i["calls_per_interval"], aht=i["aht_seconds"], interval=i["interval_seconds"])
    n = staffing.agents_required(target_service_level=i["target_service_level"],
                                 target_time=i["target_time_seconds"], **common)
    assert n == ex["exact"]["agents_required"]
    assert isinstance(n, int)
    check(staffing.traffic_intensity(**common), ex, "traffic_erlangs")
    check(staffing.erlang_c(n, staffing.traffic_intensity(**common)), ex, "p_wait")
    check(staffing.service_level(n, target_time=i["target_time_seconds"], **common), ex, "service_level")
    check(staffing.average_speed_of_answer(n, **common), ex, "asa_seconds")
    check(staffing.occupancy(n, **common), ex, "occupancy")
    plan = staffing.staffing_plan(target_service_level=i["target_service_level"],
                                  target_time=i["target_time_seconds"],
                                  shrinkage=i["shrinkage_fraction"], **common)
    assert (plan.agents, plan.scheduled_staff) == (n, ex["exact"]["scheduled_staff"])
    for m in i.get("table_agents", []):
        check(staffing.erlang_c(m, staffing.traffic_intensity(**common)), ex, f"p_wait_n{m}")
        check(staffing.service_level(m, target_time=i["target_time_seconds"], **common), ex,
              f"service_level_n{m}")


@examples("erlang_c_targets")
def test_several_targets_at_once(ex):
    """Check that one vectorised call staffs every target of the pyworkforce grid."""
    i = ex["inputs"]
    targets = np.array(i["target_service_levels"])
    plan = staffing.staffing_plan(calls=i["calls_per_interval"], aht=i["aht_seconds"],
                                  target_service_level=targets, target_time=i["target_time_seconds"],
                                  max_occupancy=i["max_occupancy"], shrinkage=i["shrinkage_fraction"])
    for k, target in enumerate(targets):
        tag = f"sl{round(target * 100):03d}"
        assert plan.agents[k] == ex["exact"][f"agents_required_{tag}"]
        assert plan.scheduled_staff[k] == ex["exact"][f"scheduled_staff_{tag}"]
        check(plan.service_level[k], ex, f"service_level_{tag}")
        check(plan.occupancy[k], ex, f"occupancy_{tag}")


@examples("erlang_uplift")
def test_hourly_staffing_and_uplift(ex):
    """Check the 250 calls/hour, 330 s, 80/30 example: 28 agents, 22% above the workload."""
    i = ex["inputs"]
    calls = i["calls_per_week"] / i["open_hours_per_week"]
    common = dict(calls=calls, aht=i["aht_seconds"], interval=3600)
    n = staffing.agents_required(target_service_level=i["target_service_level"],
                                 target_time=i["target_time_seconds"], **common)
    assert n == ex["exact"]["agents_required"]
    check(staffing.traffic_intensity(**common), ex, "traffic_erlangs")
    for m in (27, 28):
        check(staffing.service_level(m, target_time=i["target_time_seconds"], **common), ex,
              f"service_level_n{m}")
    check(n / staffing.traffic_intensity(**common) - 1, ex, "uplift_fraction")


@examples("erlang_c_table")
def test_tables_of_agents(ex):
    """Check the 'power of one' tables: P(wait), ASA, service level, occupancy per agent count."""
    i = ex["inputs"]
    common = dict(calls=i["calls_per_interval"], aht=i["aht_seconds"], interval=i["interval_seconds"])
    agents = np.array(i["agents"])
    a = staffing.traffic_intensity(**common)
    check(a, ex, "traffic_erlangs")
    p_wait = staffing.erlang_c(agents, a)
    asa = staffing.average_speed_of_answer(agents, **common)
    occ = staffing.occupancy(agents, **common)
    for k, m in enumerate(agents):
        check(p_wait[k], ex, f"p_wait_n{m}")
        check(asa[k], ex, f"asa_seconds_n{m}")
        check(occ[k], ex, f"occupancy_n{m}")
        if "target_time_seconds" in i:
            sl = staffing.service_level(m, target_time=i["target_time_seconds"], **common)
            check(sl, ex, f"service_level_n{m}")


@examples("erlang_c_table")
def test_wrong_published_tables_are_not_reproduced(ex):
    """Check that where a source printed a wrong P(wait), the kit gives the exact one instead."""
    i = ex["inputs"]
    a = staffing.traffic_intensity(i["calls_per_interval"], i["aht_seconds"], i["interval_seconds"])
    for m in i["agents"]:
        key = f"p_wait_n{m}"
        published = ex["published"].get(key)
        if published and "value" in published and not ex["match"][key]:
            assert abs(staffing.erlang_c(m, a) - published["value"]) > published["tol"]


@examples("erlang_c_values")
def test_p_wait_cases_including_a_wrong_expected_value(ex):
    """Check C(50, 48), C(100, 96), C(500, 487); the 0.45269 someone expected is wrong."""
    for case in ex["inputs"]["cases"]:
        n, a = case["agents"], case["traffic_erlangs"]
        key = f"p_wait_n{n}_a{a}"
        check(staffing.erlang_c(n, a), ex, key)
        if not ex["match"][key]:
            assert abs(staffing.erlang_c(n, a) - ex["published"][key]["value"]) > 1e-3


@examples("erlang_b_lines")
def test_erlang_b_lines_for_a_small_office(ex):
    """Check blocking with 1-7 lines and the lines needed for 1% and 3% blocking."""
    i = ex["inputs"]
    a = i["people"] * i["calls_per_person_per_day"] * i["minutes_per_call"] / i["busy_minutes_per_day"]
    check(a, ex, "traffic_erlangs")
    lines = np.arange(1, 8)
    blocking = staffing.erlang_b(lines, a)
    for k, m in enumerate(lines):
        check(blocking[k], ex, f"blocking_n{m}")
    for target, key in zip(i["blocking_targets"], ("lines_for_blocking_1pct", "lines_for_blocking_3pct")):
        assert lines[np.argmax(blocking <= target)] == ex["exact"][key]


@examples("square_root_table")
def test_tijms_table_least_agents_for_a_wait_probability(ex):
    """Check Tijms' table: least agents with P(wait) <= alpha, for loads 1 to 1000 Erlangs."""
    for load in ex["inputs"]["loads_erlangs"]:
        agents = np.arange(load + 1, 2 * load + 20)
        p_wait = staffing.erlang_c(agents, load)
        for alpha in ex["inputs"]["alphas"]:
            key = f"c_exact_r{load}_alpha{round(alpha * 100):03d}"
            assert agents[np.argmax(p_wait <= alpha)] == ex["exact"][key], key


@examples("asa_cases")
def test_asa_cases_for_the_square_root_rule(ex):
    """Check Koole's ASA cases (AHT 2 minutes) and the agents closest to a 6 s ASA."""
    aht = ex["inputs"]["aht_seconds"]
    for case in ex["inputs"]["cases"]:
        s, lam = case["agents"], case["arrivals_per_minute"]
        asa = staffing.average_speed_of_answer(s, calls=lam, aht=aht, interval=60)
        check(asa, ex, f"asa_seconds_s{s}_lam{lam}")
    goal = ex["inputs"]["closest_to"][0]
    agents = np.arange(57, 80)
    asa = staffing.average_speed_of_answer(agents, calls=goal["arrivals_per_minute"], aht=aht, interval=60)
    closest = agents[np.argmin(np.abs(asa - goal["target_asa_seconds"]))]
    assert closest == ex["exact"]["agents_closest_to_6s_lam28"]


@examples("delay_facts")
def test_one_hundred_agents_at_95_percent(ex):
    """Check Tijms: 100 agents, 95 Erlangs: half the callers wait, on average AHT / 5."""
    i = ex["inputs"]
    n, a = i["agents"], i["traffic_erlangs"]
    check(staffing.erlang_c(n, a), ex, "p_wait")
    aht = 300.0
    calls = a * 1800 / aht
    check(staffing.occupancy(n, calls, aht), ex, "occupancy")
    asa_delayed = staffing.average_speed_of_answer(n, calls, aht) / staffing.erlang_c(n, a)
    check(asa_delayed / aht, ex, "mean_wait_of_delayed_in_aht_units")
    t = i["wait_threshold_in_aht_units"] * aht
    beyond = (1 - staffing.service_level(n, calls, aht, target_time=t)) / staffing.erlang_c(n, a)
    check(beyond, ex, "p_wait_exceeds_threshold_given_delayed")


@examples("fte_shrinkage_factor")
def test_monthly_fte_with_a_shrinkage_factor(ex):
    """Check the month-by-month agents (80/30, flat over 24 hours) in one vectorised call."""
    i = ex["inputs"]
    months = i["months"]
    calls_per_hour = np.array([m["calls"] / (m["days"] * i["hours_per_day"]) for m in months])
    agents = staffing.agents_required(calls=calls_per_hour, aht=i["aht_seconds"], interval=3600,
                                      target_service_level=i["target_service_level"],
                                      target_time=i["target_time_seconds"])
    assert isinstance(agents, np.ndarray) and agents.dtype.kind == "i"
    for m, n in zip(months, agents):
        assert n == ex["exact"][f"agents_{m['month']}"], m["month"]
    week = staffing.agents_required(calls=i["week"]["calls"] / i["week"]["hours"], aht=i["aht_seconds"],
                                    interval=3600, target_service_level=i["target_service_level"],
                                    target_time=i["target_time_seconds"])
    assert week == ex["exact"]["agents_week"]


@examples("erlang_a_staffing")
def test_erlang_a_staffing_matches_pyworkforce_docs(ex):
    """Check Erlang A staffing with patience, occupancy cap, abandonment cap and shrinkage."""
    i = ex["inputs"]
    args = dict(calls=i["calls_per_interval"], aht=i["aht_seconds"], interval=i["interval_seconds"],
                target_service_level=i["target_service_level"], target_time=i["target_time_seconds"],
                max_occupancy=i["max_occupancy"], shrinkage=i["shrinkage_fraction"])
    plan = staffing.staffing_plan(patience=i["patience_seconds"], max_abandon=i["max_abandonment"], **args)
    assert plan.agents == ex["exact"]["agents_required"]
    assert plan.scheduled_staff == ex["exact"]["scheduled_staff"]
    check(plan.service_level, ex, "service_level")
    check(plan.occupancy, ex, "occupancy")
    check(plan.p_abandon, ex, "p_abandon")
    check(plan.p_wait, ex, "p_wait")
    check(plan.average_speed_of_answer, ex, "mean_wait_answered_callers_seconds")
    below = staffing.erlang_a(plan.agents - 1, i["calls_per_interval"], i["aht_seconds"],
                              i["patience_seconds"], i["target_time_seconds"], i["interval_seconds"])
    check(below.service_level, ex, "service_level_n12")
    result = staffing.erlang_a(plan.agents, i["calls_per_interval"], i["aht_seconds"],
                               i["patience_seconds"], i["target_time_seconds"], i["interval_seconds"])
    check(result.average_wait_all_calls, ex, "mean_wait_all_callers_seconds")
    check(result.average_wait_all_calls / 60, ex, "mean_wait_all_callers_minutes")
    erlang_c_agents = staffing.agents_required(**{k: v for k, v in args.items() if k != "shrinkage"})
    assert erlang_c_agents == ex["exact"]["erlang_c_agents_required_same_target"]


@examples("erlang_a_metrics")
def test_erlang_a_48_calls_a_minute_on_50_agents(ex):
    """Check the Garnett-Mandelbaum-Reiman example: about 3% abandon where Erlang C says 69% wait."""
    i = ex["inputs"]
    r = staffing.erlang_a(agents=i["agents"], calls=i["calls_per_interval"], aht=i["aht_seconds"],
                          patience=i["patience_seconds"], target_time=i["target_time_seconds"],
                          interval=i["interval_seconds"])
    check(r.p_wait, ex, "p_wait")
    check(r.p_abandon, ex, "p_abandon")
    check(r.service_level, ex, "answered_within_t_fraction_of_offered")
    check(r.average_speed_of_answer, ex, "mean_wait_answered_callers_seconds")
    check(r.average_wait_all_calls, ex, "mean_wait_all_callers_seconds")
    check(r.occupancy, ex, "occupancy")
    c_args = dict(calls=i["calls_per_interval"], aht=i["aht_seconds"], interval=i["interval_seconds"])
    a = staffing.traffic_intensity(**c_args)
    check(staffing.erlang_c(i["agents"], a), ex, "erlang_c_p_wait")
    check(staffing.average_speed_of_answer(i["agents"], **c_args), ex, "erlang_c_asa_seconds")
    check(staffing.service_level(i["agents"], target_time=i["target_time_seconds"], **c_args), ex,
          "erlang_c_service_level")
