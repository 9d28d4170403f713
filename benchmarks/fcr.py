"""Repeat-contact FCR at scale: opsfirst.fcr against DuckDB's window query (``make bench``).

Five million synthetic contacts -- a year of a large centre's export -- and the repeat-contact
FCR of issue 22 (a contact is resolved when the same customer makes no further contact about
the same reason within 7 days; a contact whose 7 days run past the last start is censored),
computed two ways from the same pandas DataFrame:

* ``opsfirst.fcr.repeat_contact_fcr``: one sort of a packed customer/reason/time key (on
  both cores for an export this size), then each contact compared with the next (no Python
  loop per contact);
* DuckDB: ``LEAD(start) OVER (PARTITION BY customer_id, reason ORDER BY start)``, reading
  the same DataFrame in place, with 2 threads (the machine's cores).

Three workloads: the whole export in time order (as exports come), the same by team, and the
same rows shuffled (out of time order: opsfirst sorts by time first). The counts (counted,
resolved, censored, overall and per team) must be equal, or the script exits 1. Times are the
best of 3 wall-clock runs of this one run; the ratio (DuckDB time / opsfirst time, above 1
when opsfirst is faster) is printed, never asserted: this is not a timed test.

DuckDB lives only in the benchmark's own venv, ``.bench/fcr-venv``, which this script makes
on its first run (duckdb, and numpy, scipy and pandas pinned to the versions of the Python
that launched it, so opsfirst is timed on the stack its users have; opsfirst itself from this
checkout with ``--no-deps``) and then re-runs itself in. ``--here`` runs in the current
interpreter instead (DuckDB must then be importable).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench_venv import BenchVenv

BENCH = BenchVenv("fcr-venv")  # DuckDB never enters the project's .venv

SEED = 2026
CONTACTS = 5_000_000
CUSTOMERS = 1_500_000
WINDOW_DAYS = 7
REPEATS = 5
THREADS = 2
REASONS = ["billing", "card", "payment", "account", "fraud", "complaint"]
TEAMS = ["A", "B", "C", "D"]


# ---------------------------------------------------------------------------------------------
# The benchmark (inside the bench venv, or --here).
# ---------------------------------------------------------------------------------------------


def synthetic_contacts(n: int = CONTACTS, seed: int = SEED):
    """``n`` contacts over one year, in time order: customer_id, reason, team, start.

    Issues arrive at random over the year, in whole seconds as exports give them; each takes 1-5 contacts (geometric with FCR 70%, capped at 5), the repeats after a
    lognormal delay with a median of a day; each issue has one of 1.5 million customers and
    one of six reasons, and each contact one of four teams. Contacts after the year's end
    are not in the export, so the last week is censored, as in a real one.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    year = 365 * 86_400  # seconds
    issues = int(n / 1.35)
    first = rng.integers(0, year, issues)
    per_issue = np.minimum(rng.geometric(0.7, issues), 5)
    issue = np.repeat(np.arange(issues), per_issue)
    begins = np.cumsum(per_issue) - per_issue
    nth = np.arange(issue.size) - np.repeat(begins, per_issue)
    delay = np.where(nth > 0, rng.lognormal(np.log(86_400), 1.0, issue.size), 0).astype(np.int64)
    elapsed = np.cumsum(delay)
    elapsed -= np.repeat(elapsed[begins] - delay[begins], per_issue)
    start = first[issue] + elapsed
    keep = np.flatnonzero(start < year)
    take = np.sort(rng.choice(keep, n, replace=False))
    order = take[np.argsort(start[take], kind="stable")]
    return pd.DataFrame({
        "customer_id": rng.integers(1, CUSTOMERS + 1, issues)[issue[order]],
        "reason": pd.Categorical.from_codes(rng.integers(0, len(REASONS), issues)[issue[order]],
                                            REASONS),
        "team": pd.Categorical.from_codes(rng.integers(0, len(TEAMS), n), TEAMS),
        "start": pd.to_datetime(np.datetime64("2025-01-01", "us")
                                + start[order].astype("timedelta64[s]")),
    })


QUERY = f"""
WITH flagged AS (
    SELECT team,
           start + INTERVAL {WINDOW_DAYS} DAY > (SELECT max(start) FROM contacts) AS censored,
           LEAD(start) OVER (PARTITION BY customer_id, reason ORDER BY start) - start
               <= INTERVAL {WINDOW_DAYS} DAY AS repeated
    FROM contacts)
SELECT {{group}}
       count(*) FILTER (WHERE NOT censored) AS counted,
       count(*) FILTER (WHERE NOT censored AND repeated IS NOT TRUE) AS resolved,
       count(*) FILTER (WHERE censored) AS censored
FROM flagged
{{tail}}
"""


def duckdb_counts(con, by_team: bool):
    if by_team:
        sql = QUERY.format(group="team,", tail="GROUP BY team ORDER BY team")
    else:
        sql = QUERY.format(group="", tail="")
    return [tuple(int(x) if not isinstance(x, str) else x for x in row)
            for row in con.execute(sql).fetchall()]


def opsfirst_counts(contacts, by_team: bool):
    from opsfirst import fcr

    if by_team:
        table = fcr.repeat_contact_fcr(contacts, window_days=WINDOW_DAYS, by="team")
        return [(str(team), int(r.counted), int(r.resolved), int(r.censored))
                for team, r in table.iterrows()]
    r = fcr.repeat_contact_fcr(contacts, window_days=WINDOW_DAYS)
    return [(r.counted, r.resolved, r.censored)]


def best_of(repeats: int, function, *args):
    times, result = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> int:
    import duckdb
    import numpy as np
    import pandas as pd

    import opsfirst

    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"duckdb {duckdb.__version__} ({THREADS} threads), opsfirst {opsfirst.__version__} "
          f"from {Path(opsfirst.__file__).parent}")
    began = time.perf_counter()
    contacts = synthetic_contacts()
    print(f"{len(contacts):,} synthetic contacts of {contacts['customer_id'].nunique():,} "
          f"customers over one year (seed {SEED}), made in {time.perf_counter() - began:.1f} s; "
          f"repeat window {WINDOW_DAYS} days, same reason; best of {REPEATS} runs.\n",
          flush=True)
    shuffled = contacts.sample(frac=1.0, random_state=SEED).reset_index(drop=True)

    con = duckdb.connect()
    con.execute(f"SET threads TO {THREADS}")
    workloads = [
        ("5M contacts, in time order", contacts, False),
        ("5M contacts, by team", contacts, True),
        ("5M contacts, shuffled rows", shuffled, False),
    ]
    rows, unequal = [], []
    for label, frame, by_team in workloads:
        con.register("contacts", frame)
        ours_time, ours = best_of(REPEATS, opsfirst_counts, frame, by_team)
        duck_time, duck = best_of(REPEATS, duckdb_counts, con, by_team)
        con.unregister("contacts")
        equal = ours == duck
        if not equal:
            unequal.append(f"{label}: opsfirst {ours} but DuckDB {duck}")
        rows.append((label, ours_time, duck_time, equal, ours))

    print(f"{'benchmark':32s} {'opsfirst':>9s} {'DuckDB':>9s} {'ratio':>7s}  counts equal")
    for label, ours_time, duck_time, equal, _ in rows:
        print(f"{label:32s} {ours_time:8.2f}s {duck_time:8.2f}s {duck_time / ours_time:6.2f}x  "
              f"{'yes' if equal else 'NO'}")
    counted, resolved, censored = rows[0][4][0]
    print(f"\nFCR {resolved / counted:.1%}: {resolved:,} resolved of {counted:,} counted, "
          f"{censored:,} censored (the last {WINDOW_DAYS} days). Ratio = DuckDB time / opsfirst "
          "time (above 1: opsfirst faster). Times are one run's; other load on the cores moves "
          "them.")
    if unequal:
        print("\nCOUNTS DIFFER:\n" + "\n".join(unequal))
        return 1
    return 0


if __name__ == "__main__":
    BENCH.run_inside(__file__, BENCH.pinned("duckdb>=1.1", pins=("numpy", "scipy", "pandas")))
    sys.exit(main())
