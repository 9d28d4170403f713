"""Speed of opsfirst's queue simulator against ciw (``make bench``).

One single-queue scenario, about 200,000 arrivals: 100 calls per half-hour (10 Erlangs of
180 s calls) on 14 agents for 2,000 half-hours, with and without abandonment (patience 300 s).
Both simulators run the same queue; each run's service level is printed beside the exact
Erlang C / Erlang A value, so a fast wrong answer would show. Times are best-of-N wall times
of this one run; the ratios are printed, never asserted.

* ``simulate_queue``: the fixed-team path.
* ``simulate_intervals``: the general path (team size may change per interval), timed on the
  same queue with a constant team.

It also times ``simulate_chat`` on 100,000 chats (its own ratio has no peer in ciw, which has no
concurrency; the time is printed for the record).
"""

from __future__ import annotations

import time

import ciw
import numpy as np

from opsfirst import simulation, staffing

CALLS, AHT, AGENTS, PATIENCE = 100, 180, 14, 300
INTERVALS = 2_000  # 2,000 half-hours x 100 calls: about 200,000 arrivals
REPEATS = 5


def best_of(repeats, fn):
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def run_ciw(patience):
    ciw.seed(2026)
    extra = {"reneging_time_distributions": [ciw.dists.Exponential(1 / patience)]} if patience else {}
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(CALLS / 1800)],
        service_distributions=[ciw.dists.Exponential(1 / AHT)],
        number_of_servers=[AGENTS], **extra)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(INTERVALS * 1800)
    records = sim.get_all_records()
    served = [r for r in records if r.record_type == "service"]
    return len(records), sum(r.waiting_time <= 20 for r in served) / len(records)


def main():
    print(f"{INTERVALS} half-hours of {CALLS} calls (AHT {AHT} s) on {AGENTS} agents, seed 2026; "
          f"best of {REPEATS} (opsfirst), 1 (ciw)\n")
    rows = []
    for patience in (None, PATIENCE):
        label = "no abandonment" if patience is None else f"patience {patience} s"
        exact = (staffing.service_level(AGENTS, CALLS, AHT, 20) if patience is None
                 else staffing.erlang_a(AGENTS, CALLS, AHT, patience).service_level)
        t_ciw, (n_ciw, sl_ciw) = best_of(1, lambda: run_ciw(patience))
        t_q, r = best_of(REPEATS, lambda: simulation.simulate_queue(
            CALLS, AHT, AGENTS, patience=patience, intervals=INTERVALS, seed=2026))
        t_i, table = best_of(REPEATS, lambda: simulation.simulate_intervals(
            np.full(INTERVALS, CALLS), AHT, AGENTS, patience=patience, seed=2026))
        sl_i = table["answered_within_target"].sum() / table["calls_offered"].sum()
        rows.append((f"simulate_queue, {label}", t_q, t_ciw, r.calls_offered, r.service_level, sl_ciw, exact))
        rows.append((f"simulate_intervals, {label}", t_i, t_ciw, int(table["calls_offered"].sum()), sl_i,
                     sl_ciw, exact))
        assert n_ciw > 150_000
    print(f"{'benchmark':40} {'opsfirst':>9} {'ciw':>8} {'ratio':>7} {'arrivals':>9}  "
          f"service level: opsfirst / ciw / exact")
    for name, ours, theirs, n, sl, sl_ciw, exact in rows:
        print(f"{name:40} {ours:8.3f}s {theirs:7.2f}s {theirs / ours:6.0f}x {n:9,d}  "
              f"{sl:.4f} / {sl_ciw:.4f} / {exact:.4f}")
    ratio = min(theirs / ours for _, ours, theirs, *_ in rows[::2])
    print(f"\n- target: simulate_queue >= 20x ciw: {ratio:.0f}x")
    t_chat, chat = best_of(3, lambda: simulation.simulate_chat(
        chats=100, aht=180, agents=6, concurrency=3, slowdown=0.2, patience=120, intervals=1000, seed=1))
    print(f"- simulate_chat, {chat.chats_offered:,} chats (3 at once per agent): {t_chat:.2f} s")


if __name__ == "__main__":
    main()
