"""Speed and exactness benchmarks of opsfirst's Erlang C staffing (``make bench``).

Each workload is solved by ``opsfirst.staffing.agents_required`` in ONE vectorised call and
by per-interval Python loops for comparison (target 80/20 unless said otherwise):

* a week of 336 half-hours with a realistic intraday curve (peak about 60 Erlangs);
* 10 half-hours of a 25,000-call centre (about 4,000 Erlangs each);
* one half-hour at 100,000 Erlangs (600,000 calls of 300 s);
* the same week with an 80%-within-1800-s target: a probe for pyworkforce's known bug, which
  an 80/20 target cannot trigger (see README.md).

Baselines:

* pyworkforce's ``ErlangC(...).required_positions`` -- a published package, installed only in
  a separate venv (.bench/venv) that this script creates on its first run and then re-runs
  itself in. If pyworkforce cannot be installed, its rows are left out and said so.
* a textbook loop, always: for N = floor(A)+1, floor(A)+2, ... compute Erlang B by the full
  recursion from 0 agents, then Erlang C and the service level, and stop at the first N that
  meets the target.

Every answer is checked against an independent exact reference: the same walk in 30-digit
mpmath arithmetic. opsfirst must match it on every interval, or the script exits 1. Times are
best-of-N ``time.perf_counter`` wall times of this one run; the ratios are printed, never
asserted (this is not a timed test).

Options: ``--here`` runs in the current interpreter without the bench venv (pyworkforce is
then used only if it is importable).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_venv import BenchVenv

BENCH = BenchVenv("venv")  # pyworkforce (and its ortools, pandas, joblib) never enters .venv

SEED = 2026
INTERVAL = 1800  # seconds in a half-hour
TARGET_SL = 0.8  # 80% of calls ...
TARGET_TIME = 20  # ... answered within 20 s
REPEATS_OPSFIRST = 5
REPEATS_BASELINE = 3
BASELINE_TIMEOUT = 60.0  # seconds one baseline run may take before it is reported as "> 60 s"
MPMATH_DIGITS = 30


# ---------------------------------------------------------------------------------------------
# Everything below runs inside the bench venv (or under --here).
# ---------------------------------------------------------------------------------------------


def load_pyworkforce():
    """pyworkforce's ErlangC class and version, or (None, None) when it is not installed."""
    try:
        from importlib import metadata

        from pyworkforce.queuing import ErlangC
    except ImportError:
        return None, None
    return ErlangC, metadata.version("pyworkforce")


# --- workloads --------------------------------------------------------------------------------


@dataclass
class Workload:
    """Intervals to staff: calls and AHT (seconds) per interval, and the answer-time target."""

    label: str
    calls: Any  # numpy arrays, one entry per interval
    aht: Any
    target_time: float = TARGET_TIME
    isolate: bool = False  # run the baselines in a child process that a timeout can kill


def week(rng):
    """336 half-hours, Monday 00:00 to Sunday 23:30: (calls, aht seconds) as float arrays.

    Weekdays have a morning peak at 10:00 and an afternoon peak at 14:00 with a lunchtime dip,
    and a trickle of 1-4 calls a half-hour overnight (kept above 0: pyworkforce refuses 0
    calls). Weekday peaks are 300-345 calls a half-hour (up to 60 Erlangs, about 4,000 calls
    a day); Saturday and Sunday run at 55% and 40% of a Tuesday. Calls carry +-5% noise and
    are forecasts, so fractional (one decimal); AHT is 275-330 s, longest mid-afternoon.
    """
    import numpy as np

    hours = (np.arange(48) + 0.5) * INTERVAL / 3600  # the middle of each half-hour, 0.25..23.75
    opening = 1 / (1 + np.exp(-(hours - 7.5) / 0.6)) / (1 + np.exp(-(21 - hours) / 0.8))
    peaks = (np.exp(-0.5 * ((hours - 10) / 1.3) ** 2)
             + 0.85 * np.exp(-0.5 * ((hours - 14) / 1.5) ** 2))
    shape = 0.01 + opening * peaks
    shape /= shape.max()
    day_factor = np.array([1.08, 1.00, 0.97, 0.95, 0.90, 0.55, 0.40])  # Mon..Sun
    calls = 320 * np.outer(day_factor, shape).ravel() * (1 + 0.05 * rng.standard_normal(336))
    calls = np.round(np.maximum(calls, 0.5), 1)
    aht = 300 + 15 * np.sin(2 * np.pi * (np.tile(hours, 7) - 9) / 24) + 4 * rng.standard_normal(336)
    return calls, np.round(aht, 1)


def big_centre(rng):
    """10 half-hours of a 25,000-call centre: 24,000-26,000 calls, AHT 290-310 s (~4,000 E)."""
    import numpy as np

    calls = np.round(rng.uniform(24_000, 26_000, 10), 1)
    aht = np.round(rng.uniform(290, 310, 10), 1)
    return calls, aht


def largest_centre():
    """One half-hour at 100,000 Erlangs: 600,000 calls of 300 s."""
    import numpy as np

    return np.array([600_000.0]), np.array([300.0])


# --- the engines under test -------------------------------------------------------------------


def opsfirst_agents(calls, aht, target_time=TARGET_TIME):
    """opsfirst: the whole array in one call."""
    from opsfirst import staffing

    return staffing.agents_required(calls=calls, aht=aht, target_service_level=TARGET_SL,
                                    target_time=target_time, interval=INTERVAL)


def pyworkforce_agents(calls, aht, target_time=TARGET_TIME):
    """pyworkforce, one interval at a time. It works in MINUTES: aht, asa (its name for the
    answer-time target) and interval. ``raw_positions`` is the agent count before shrinkage."""
    ErlangC, _ = load_pyworkforce()
    return [ErlangC(transactions=float(c), aht=float(h) / 60, asa=target_time / 60,
                    interval=INTERVAL / 60).required_positions(service_level=TARGET_SL)
            ["raw_positions"] for c, h in zip(calls, aht)]


def textbook_agents(calls, aht, target_time=TARGET_TIME):
    """The textbook loop: per interval, per candidate N from floor(A)+1 up, Erlang B by the
    full recursion B(k) = A B(k-1) / (k + A B(k-1)) from B(0) = 1, then Erlang C and the
    service level 1 - C exp(-(N - A) t / aht). No factorials, no shortcuts."""
    from math import exp, floor

    answers = []
    for c, h in zip(calls, aht):
        a = float(c) * float(h) / INTERVAL
        if a == 0:
            answers.append(0)
            continue
        n = floor(a) + 1
        while True:
            b = 1.0
            for k in range(1, n + 1):
                b = a * b / (k + a * b)
            erlang_c = n * b / (n - a * (1 - b))
            if 1 - erlang_c * exp(-(n - a) * target_time / h) >= TARGET_SL:
                break
            n += 1
        answers.append(n)
    return answers


BASELINES = {"pyworkforce": pyworkforce_agents, "textbook": textbook_agents}


# --- the exact reference ----------------------------------------------------------------------


def exact_agents(calls, aht, target_time=TARGET_TIME):
    """Smallest N with Erlang C service level >= 0.8, in 30-digit mpmath arithmetic.

    A = calls * aht / interval is taken from the float inputs exactly. One upward walk of the
    Erlang B recursion from B(0) = 1; from the first N > A on, each N's service level is
    computed, and the first to reach the target is the answer -- so SL(N) >= 0.8 and
    SL(N-1) < 0.8 (N-1 <= A has no steady state: SL 0). Returns (N, SL(N), SL(N-1)).
    """
    import mpmath

    with mpmath.workdps(MPMATH_DIGITS):
        target = mpmath.mpf(TARGET_SL)  # the float 0.8, as opsfirst compares against it
        h = mpmath.mpf(float(aht))
        a = mpmath.mpf(float(calls)) * h / INTERVAL
        if a == 0:
            return 0, mpmath.mpf(1), mpmath.mpf(0)
        b, n, previous = mpmath.mpf(1), 0, mpmath.mpf(0)
        while True:
            n += 1
            b = a * b / (n + a * b)
            if n > a:
                erlang_c = n * b / (n - a * (1 - b))
                sl = 1 - erlang_c * mpmath.exp(-(n - a) * target_time / h)
                if sl >= target:
                    return n, sl, previous
                previous = sl


# --- timing -----------------------------------------------------------------------------------


def best_of(repeats, fn, *args, budget=None):
    """(best wall time in seconds, result of the last run). With ``budget``, stop repeating
    once another run would likely take the total past it. Garbage collection is paused."""
    import gc
    from time import perf_counter

    times, result = [], None
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            start = perf_counter()
            result = fn(*args)
            times.append(perf_counter() - start)
            if budget is not None and sum(times) + times[-1] > budget:
                break
    finally:
        if gc_was_on:
            gc.enable()
    return min(times), result


def baseline_in_subprocess(engine, workload):
    """Time a possibly slow baseline in a child process, killed if it overruns the timeout.

    Returns (best seconds, answers), or (None, None) if not even one run finished in time.
    """
    job = json.dumps({"engine": engine, "calls": [float(c) for c in workload.calls],
                      "aht": [float(h) for h in workload.aht],
                      "target_time": workload.target_time})
    try:
        # The child stops repeating within BASELINE_TIMEOUT by itself; the extra 30 s cover
        # its start-up (importing pyworkforce loads ortools).
        done = subprocess.run([sys.executable, __file__, "--baseline-worker"], input=job,
                              capture_output=True, text=True, check=True,
                              timeout=BASELINE_TIMEOUT + 30)
    except subprocess.TimeoutExpired:
        return None, None
    out = json.loads(done.stdout)
    return out["best"], out["answers"]


def baseline_worker() -> None:
    """Child side of baseline_in_subprocess: read a job on stdin, print the result as JSON."""
    job = json.loads(sys.stdin.read())
    best, answers = best_of(REPEATS_BASELINE, BASELINES[job["engine"]], job["calls"], job["aht"],
                            job["target_time"], budget=BASELINE_TIMEOUT)
    print(json.dumps({"best": best, "answers": [int(n) for n in answers]}))


# --- checking and reporting -------------------------------------------------------------------


def explain_pyworkforce(workload, answers, exact):
    """Sort pyworkforce's wrong answers into its known bug and anything else (two index lists).

    pyworkforce starts its search at round(A + 1). When the fractional part of A is above .5
    (or exactly .5 and Python's round-half-to-even goes up) that is floor(A) + 2, so where
    the exact answer is floor(A) + 1 it over-staffs by one.
    """
    known, other = [], []
    for i, (got, want) in enumerate(zip(answers, exact)):
        if got == want:
            continue
        # A as pyworkforce computes it: (transactions / interval) * aht, in minutes.
        a = (float(workload.calls[i]) / (INTERVAL / 60)) * (float(workload.aht[i]) / 60)
        (known if got == round(a + 1) == want + 1 else other).append(i)
    return known, other


def seconds(t):
    if t is None:
        return f"> {BASELINE_TIMEOUT:.0f} s"
    return f"{t * 1000:.2f} ms" if t < 1 else f"{t:.2f} s"


def span(values, fmt):
    """'lo-hi' of some values, or the one value when they are all the same."""
    lo, hi = format(min(values), fmt), format(max(values), fmt)
    return lo if lo == hi else f"{lo}-{hi}"


def ratio(baseline, ours):
    if baseline is None:
        return f"> {BASELINE_TIMEOUT / ours:.0f}x"
    return f"{baseline / ours:.1f}x"


def table(rows) -> str:
    header = ("benchmark", "opsfirst", "baseline", "ratio", "exact (vs mpmath)")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:4], widths[1:4])]
        lines.append("  ".join([*cells, row[4]]))
    return "\n".join(lines)


def main() -> int:
    import numpy as np
    import scipy

    import opsfirst

    ErlangC, pyworkforce_version = load_pyworkforce()
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"opsfirst {opsfirst.__version__} from {Path(opsfirst.__file__).parent}")
    if ErlangC is None:
        print("pyworkforce: NOT AVAILABLE -- its rows are left out; the textbook loop is the "
              "only baseline.")
    else:
        print(f"Baselines: pyworkforce {pyworkforce_version} ErlangC.required_positions and the "
              "textbook loop, one interval at a time.")
    print(f"Target {TARGET_SL:.0%} within {TARGET_TIME} s, {INTERVAL // 60}-minute intervals, "
          f"seed {SEED}; best of {REPEATS_OPSFIRST} runs (opsfirst) / {REPEATS_BASELINE} "
          "(baselines).\n", flush=True)

    rng = np.random.default_rng(SEED)
    week_calls, week_aht = week(rng)
    workloads = [
        Workload("week 336 intervals", week_calls, week_aht),
        Workload("25k-call centre, 10 intervals", *big_centre(rng), isolate=True),
        Workload("100,000 Erlangs, 1 interval", *largest_centre(), isolate=True),
        # Not the 80/20 target: the same week answered 80% within 30 minutes (a callback
        # queue, say). Only a target time many times the AHT lets floor(A)+1 agents suffice,
        # which is where pyworkforce's search start goes wrong; the 80/20 rows cannot show it.
        Workload("week, 80% in 1800 s (bug probe)", week_calls, week_aht, target_time=1800),
    ]
    engines = ["textbook"] if ErlangC is None else ["pyworkforce", "textbook"]

    rows, notes, ratios, opsfirst_times, inexact = [], [], {}, {}, False
    for w in workloads:
        reference = [exact_agents(c, h, w.target_time) for c, h in zip(w.calls, w.aht)]
        exact = [n for n, _, _ in reference]
        # How close any interval's service level comes to the target at N (above) or N-1
        # (below). Far above float64 round-off: no answer here is a coin toss for float64.
        closest = min(min(sl - TARGET_SL, TARGET_SL - below) for _, sl, below in reference)
        traffic = w.calls * w.aht / INTERVAL
        notes.append(f"{w.label}: {span(traffic, ',.1f')} Erlangs, {span(exact, ',')} agents; "
                     f"service level at N or N-1 never closer than {float(closest):.1e} to "
                     f"{TARGET_SL}")

        ours_time, ours = best_of(REPEATS_OPSFIRST, opsfirst_agents, w.calls, w.aht,
                                  w.target_time)
        opsfirst_times[w.label] = ours_time
        wrong = [i for i, (got, want) in enumerate(zip(ours, exact)) if got != want]
        if wrong:
            inexact = True
            notes.append(f"OPSFIRST INEXACT on {w.label}: " + ", ".join(
                f"interval {i} gave {ours[i]}, exact {exact[i]}" for i in wrong[:10]))
        ours_note = f"{len(exact) - len(wrong)}/{len(exact)}"

        for engine in engines:
            if w.isolate:
                base_time, base = baseline_in_subprocess(engine, w)
            else:
                base_time, base = best_of(REPEATS_BASELINE, BASELINES[engine], w.calls, w.aht,
                                          w.target_time)
            if base is None:
                exact_note = f"{ours_note} ({engine} timed out)"
            else:
                base_wrong = [i for i, (got, want) in enumerate(zip(base, exact)) if got != want]
                exact_note = f"{ours_note} ({engine} {len(base_wrong)} wrong)"
                if engine == "pyworkforce" and base_wrong:
                    known, other = explain_pyworkforce(w, base, exact)
                    notes.append(
                        f"{w.label}: pyworkforce over-staffs by one on {len(known)} intervals, "
                        "all with fractional traffic > .5 and exact answer floor(A)+1: its "
                        "search starts at round(A+1) = floor(A)+2"
                        + (f"; {len(other)} OTHER wrong: {other[:10]}" if other else ""))
                elif base_wrong:
                    notes.append(f"{w.label}: {engine} wrong on intervals {base_wrong[:10]}")
            ratios[w.label, engine] = ratio(base_time, ours_time)
            rows.append((f"{w.label} vs {engine}", seconds(ours_time), seconds(base_time),
                         ratios[w.label, engine], exact_note))

    print(table(rows) + "\n")
    for note in notes:
        print("- " + note)
    if ErlangC is not None:
        print(f"- target: opsfirst >= 10x pyworkforce on the week: "
              f"{ratios['week 336 intervals', 'pyworkforce']}")
    print(f"- target: 25k-call centre, 10 intervals in one opsfirst call < 1 s: "
          f"{seconds(opsfirst_times['25k-call centre, 10 intervals'])}")
    if inexact:
        print("\nFAILED: opsfirst disagrees with the exact answer (see above).")
        return 1
    print("\nopsfirst matched the exact answer on every interval.")
    return 0

if __name__ == "__main__":
    if "--baseline-worker" in sys.argv:
        baseline_worker()
        sys.exit(0)
    BENCH.run_inside(__file__, BENCH.pinned("pyworkforce", "mpmath"), optional="pyworkforce")
    sys.exit(main())
