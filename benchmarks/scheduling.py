"""Least-cost shifts and weekly rosters: opsfirst.scheduling against pyworkforce (``make bench``).

The workload is the shipped data: the requirement for the week of Monday 17 November 2025 in
``interval_history`` (the week the ``schedule`` dataset covers), agents required at 80/20 by
Erlang C (``opsfirst.staffing.agents_required``) on each half-hour's calls offered and handle
time (300 s where no call was answered): 136 open half-hours, Monday to Friday 08:00-20:00 and
Saturday 09:00-17:00, 1 to 42 agents. The shifts are ``opsfirst.scheduling.shift_options()``'s
defaults: starts every 30 minutes from 07:00 to 14:00, 4, 6 or 8 hours, cost = paid hours.

* **Daily cover** -- the same integer program solved two ways:

  - opsfirst: ``scheduling.cover(required)``, HiGHS through ``scipy.optimize.milp`` (one
    thread); its time includes the second stage that, at the least cost, minimises surplus in
    closed half-hours (pyworkforce has no such tie-break).
  - pyworkforce 0.5.1: ``MinRequiredResources`` (OR-Tools CP-SAT), set up to be the same
    problem: one day per open date (6), 48 half-hour periods a day, the same 45 shifts as 0/1
    coverage arrays, the requirement 0 outside opening hours, cost = paid half-hours (it
    needs whole-number costs: twice the paid hours), ``max_shift_concurrency`` = the peak
    requirement (the bound opsfirst also uses: more of one shift than the peak is never
    needed) and ``max_period_concurrency`` = the week's total requirement (never binding).
    CP-SAT runs with pyworkforce's default of 2 search workers (2 threads: both cores) and
    a 120 s limit.

  Both answers are re-checked here: coverage recounted shift by shift on the 6 x 48 grid,
  cost, surplus (agent-half-hours above the requirement) and the part of it in closed
  half-hours. The script exits 1 if either leaves a half-hour short or if the two proven
  optima differ.

* **Weekly rosters** (pyworkforce has none): ``scheduling.rosters(required)`` -- 5 days a week
  with the 2 days off together, 5 days with any days off, 6 days -- each timed and reported
  with HiGHS's verdict (proven optimal or stopped at the time limit).

Times are best-of-N ``time.perf_counter`` wall times of this one run; ratios are printed,
never asserted. pyworkforce lives only in ``.bench/venv`` (made by ``benchmarks/run.py`` or
by this script on its first run, with the same requirements); ``--here`` runs in the current
interpreter, without pyworkforce if it is not importable.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench_venv import ROOT, BenchVenv

BENCH = BenchVenv("venv")  # the same venv as run.py: pyworkforce, ortools, mpmath

WEEK_START = "2025-11-17"  # a Monday
FOUR_WEEKS = "2025-11-03"  # a Monday: 3-30 November 2025, 24 open days, no clock change
REPEATS_OPSFIRST = 5
REPEATS_BASELINE = 3
CP_SAT_LIMIT = 120.0  # seconds
CP_SAT_WORKERS = 2  # pyworkforce's default
PERIODS = 48  # half-hours in a day


def shipped_week(first=WEEK_START, days=7):
    """The requirement (agents, a Series indexed by Europe/London half-hour starts)."""
    import pandas as pd

    from opsfirst import staffing

    # read directly: the bench venv has opsfirst without its dataset checker's dependencies
    table = pd.read_csv(ROOT / "datasets" / "interval_history.csv")
    times = pd.to_datetime(table["interval_start"], utc=True).dt.tz_convert("Europe/London")
    start = pd.Timestamp(first, tz="Europe/London")
    week = (times >= start) & (times < start + pd.Timedelta(days=days))
    agents = staffing.agents_required(calls=table.loc[week, "calls_offered"].to_numpy(),
                                      aht=table.loc[week, "aht_seconds"].fillna(300).to_numpy())
    return pd.Series(agents, index=pd.DatetimeIndex(times[week]), name="agents")


def grid(required):
    """The requirement as days x 48 half-hours of local time (0 where closed), and the dates."""
    import numpy as np

    local = required.index.tz_localize(None)
    dates = sorted(set(local.date))
    need = np.zeros((len(dates), PERIODS), dtype=int)
    for when, agents in zip(local, required.to_numpy()):
        need[dates.index(when.date()), when.hour * 2 + when.minute // 30] = agents
    return need, dates


def shift_arrays(options):
    """Each shift as pyworkforce wants it: name -> 48 zeros and ones."""
    arrays = {}
    for row in options.itertuples():
        first = row.start.hour * 2 + row.start.minute // 30
        cover = [0] * PERIODS
        for p in range(first, min(first + int(row.hours * 2), PERIODS)):
            cover[p] = 1
        arrays[f"{row.start:%H:%M}+{row.hours:g}h"] = cover
    return arrays


def check(counts, arrays, need, options):
    """Recount coverage from counts[day][shift name]; cost (paid hours) and surpluses."""
    import numpy as np

    coverage = np.zeros_like(need)
    hours = dict(zip(arrays, options["hours"]))
    paid, worked = 0.0, 0
    for d, by_shift in enumerate(counts):
        for name, agents in by_shift.items():
            coverage[d] += agents * np.array(arrays[name])
            paid += agents * hours[name]
            worked += int(agents * hours[name] * 2)
    short = int((coverage < need).sum())
    # half-hours after midnight are impossible with these shifts: every half-hour is on the grid
    surplus = int(worked - need.sum())
    closed = int(coverage[need == 0].sum())
    return dict(paid=paid, surplus=surplus, closed=closed, short=short)


def best_of(repeats, function):
    best, result = None, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def run_opsfirst(required, options):
    from opsfirst import scheduling

    return scheduling.cover(required, options)


def run_pyworkforce(need, arrays, options):
    from pyworkforce.scheduling import MinRequiredResources

    cost = {name: int(round(h * 2)) for name, h in zip(arrays, options["hours"])}
    model = MinRequiredResources(
        num_days=len(need), periods=PERIODS, shifts_coverage=arrays,
        required_resources=need.tolist(), max_period_concurrency=int(need.sum()),
        max_shift_concurrency=int(need.max()), cost_dict=cost,
        max_search_time=CP_SAT_LIMIT, num_search_workers=CP_SAT_WORKERS)
    return model.solve()


def seconds(t):
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def table(header, rows) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(row[0]).ljust(widths[0])]
        cells += [str(c).rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def main() -> int:
    import numpy as np
    import scipy

    import opsfirst
    from opsfirst import scheduling

    try:
        from importlib import metadata

        import pyworkforce.scheduling  # noqa: F401

        versions = f"pyworkforce {metadata.version('pyworkforce')}, ortools " \
                   f"{metadata.version('ortools')}"
    except ImportError:
        versions = None
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"opsfirst {opsfirst.__version__} from {Path(opsfirst.__file__).parent}")
    print(f"Baseline: {versions or 'pyworkforce NOT AVAILABLE: its rows are left out'}")
    print(f"Best of {REPEATS_OPSFIRST} runs (opsfirst) / {REPEATS_BASELINE} (pyworkforce); "
          "rosters once.\n")

    options = scheduling.shift_options()
    arrays = shift_arrays(options)
    failed, rows, notes = False, [], []
    for label, first, days in ((f"the week of {WEEK_START}", WEEK_START, 7),
                               (f"4 weeks from {FOUR_WEEKS}", FOUR_WEEKS, 28)):
        required = shipped_week(first, days)
        need, dates = grid(required)
        print(f"Workload {label} (interval_history): {len(required)} open half-hours on "
              f"{len(dates)} days, {int(required.min())}-{int(required.max())} agents, "
              f"{int(required.sum()):,} agent-half-hours; {len(options)} shifts "
              "(shift_options() defaults).", flush=True)
        ours_time, schedule = best_of(REPEATS_OPSFIRST, lambda: run_opsfirst(required, options))
        ours_counts = [dict() for _ in dates]
        for row in schedule.shifts.itertuples():
            day = ours_counts[dates.index(row.date)]
            key = f"{row.start:%H:%M}+{row.hours:g}h"
            day[key] = day.get(key, 0) + row.agents
        ours = check(ours_counts, arrays, need, options)
        rows.append((f"{label}: opsfirst cover (HiGHS)",
                     "proven optimal" if schedule.optimal else schedule.status,
                     f"{ours['paid']:,.1f}", ours["surplus"], ours["closed"], ours["short"],
                     seconds(ours_time), ""))
        failed |= ours["short"] > 0 or ours["paid"] != schedule.paid_hours
        if not versions:
            continue
        base_time, solution = best_of(REPEATS_BASELINE,
                                      lambda: run_pyworkforce(need, arrays, options))
        base_counts = [dict() for _ in dates]
        for item in solution["resources_shifts"]:
            if item["resources"] > 0:
                base_counts[item["day"]][item["shift"]] = item["resources"]
        base = check(base_counts, arrays, need, options)
        ratio = f"{base_time / ours_time:.1f}x"
        rows.append((f"{label}: pyworkforce (CP-SAT, {CP_SAT_WORKERS} workers)",
                     solution["status"].lower(), f"{base['paid']:,.1f}", base["surplus"],
                     base["closed"], base["short"], seconds(base_time), ratio))
        failed |= base["short"] > 0
        same = base["paid"] == ours["paid"]
        if solution["status"] == "OPTIMAL" and schedule.optimal and not same:
            failed = True
        notes.append(f"{label}: same optimum: {'yes' if same else 'NO'} ({ours['paid']:,.1f} vs "
                     f"{base['paid']:,.1f} paid hours); opsfirst {ratio} faster; surplus in "
                     f"closed half-hours {ours['closed']} (opsfirst) vs {base['closed']} "
                     "(pyworkforce, which has no tie-break)")
        if label.startswith("the week"):
            week_required, week_schedule = required, schedule
    header = ("daily cover", "verdict", "paid hours", "surplus", "in closed", "short",
              "time", "pyworkforce / opsfirst")
    print("\n" + table(header, rows) + "\n")
    print("- surplus: agent-half-hours on shift above the requirement; 'in closed': the part "
          "of it in half-hours needing nobody; short: half-hours below the requirement "
          "(all recounted here, shift by shift).")
    for note in notes:
        print("- " + note)
    if not versions:
        week_required = shipped_week()
        week_schedule = scheduling.cover(week_required, options)
    required, schedule = week_required, week_schedule

    print()
    roster_rows = []
    for days, together in ((5, True), (5, False), (6, True)):
        t, roster = best_of(1, lambda: scheduling.rosters(required, days_per_week=days,
                                                          consecutive_days_off=together))
        short = int((roster.coverage < required).sum())
        failed |= short > 0
        roster_rows.append((f"{days} days a week, days off {'together' if together else 'any'}",
                            "proven optimal" if roster.optimal else roster.status,
                            len(roster.agents), f"{roster.paid_hours:,.1f}",
                            f"{roster.paid_hours / schedule.paid_hours - 1:+.1%}",
                            roster.surplus, roster.closed_surplus, seconds(t)))
    print(f"Weekly rosters of the week of {WEEK_START}, compared with its daily cover "
          f"({schedule.paid_hours:,.1f} paid hours):")
    print(table(("weekly rosters (opsfirst)", "verdict", "agents", "paid hours",
                 "vs daily cover", "surplus", "in closed", "time"), roster_rows))
    print("- pyworkforce offers no weekly rosters; target: proven optimal in seconds.")
    if failed:
        print("\nFAILED: a cover left a half-hour short, or two proven optima differ (above).")
        return 1
    return 0


if __name__ == "__main__":
    BENCH.run_inside(__file__, BENCH.pinned("pyworkforce", "mpmath"), optional="pyworkforce")
    sys.exit(main())
