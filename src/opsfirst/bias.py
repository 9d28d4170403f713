"""Checks a manager runs before acting on a number: what you see is not all there is.

"What you see is all there is" (WYSIATI, Daniel Kahneman): we decide on the evidence in front
of us as if nothing else existed. Each function here is a small check for one trap, returns
numbers a learner can read, and explains the trap in its docstring:

* :func:`proportion_interval` -- how sure is a rate from a few cases? (Wilson or exact);
* :func:`mean_interval` -- how sure is an average from a few values? (Student t);
* :func:`regression_to_the_mean` -- how much of a selected group's change would have happened
  with no intervention at all?
* :func:`simpsons_paradox` -- does a comparison of groups survive a look inside each segment?
* :func:`nonresponse` -- who answered the survey, and what re-weighting can and cannot fix;
* :func:`tail_summary` -- the mean beside the percentiles that the mean hides;
* :func:`funnel_limits` -- the limits chance alone puts around a league table (a funnel plot);
* :func:`simulate_league_table` and :func:`league_table_slider` -- a QA league table built from
  a few calls per agent, against the agents' true quality, and a slider for the calls.

Units: rates and shares are fractions between 0 and 1, never percent; confidence levels too
(0.95 for 95%). Scores, times and counts keep the unit of the data given.
Every function checks its input first and raises a ``ValueError`` that names the argument,
the value, the row and what is allowed. Nothing here prints or warns.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import _inputs

__all__ = [
    "proportion_interval",
    "mean_interval",
    "regression_to_the_mean",
    "RegressionToTheMean",
    "simpsons_paradox",
    "SimpsonsParadox",
    "nonresponse",
    "NonResponse",
    "tail_summary",
    "funnel_limits",
    "simulate_league_table",
    "league_table_slider",
    "LeagueTableSlider",
]

_CONFIDENCE = "a fraction above 0 and below 1, e.g. 0.95 for 95%"


# --------------------------------------------------------------------------- small checks


def _confidence(value: Any, name: str = "confidence") -> float:
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must be one number, {_CONFIDENCE}; got {value!r}")
    return float(_inputs.number(name, value, allowed=_CONFIDENCE, low=0, low_open=True, high=1,
                                high_open=True))


def _plain(label: Any) -> Any:
    """A numpy scalar as the Python value it holds (so messages say 1, not np.int64(1))."""
    return label.item() if isinstance(label, np.generic) else label


def _label(index: pd.Index | None, position: int) -> str:
    """Where a value sits: its label for a pandas object with a meaningful index, else its row."""
    if isinstance(index, pd.RangeIndex) or index is None:
        return f"row {position}"
    return f"{_plain(index[position])!r} (row {position})"


def _values(name: str, values: Any, *, minimum: int,
            allowed: str) -> tuple[np.ndarray, pd.Index | None]:
    """A 1-D float array of finite numbers, and the pandas index the values came with (or None)."""
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"{name} must be one column of numbers ({allowed}); got a table with "
                         f"columns {[str(c) for c in values.columns]}: pick one column, e.g. "
                         "table['score']")
    if isinstance(values, pd.Series):
        series, index = values, values.index
    else:
        try:
            array = np.asarray(values)
        except Exception as error:  # a ragged list, say
            raise ValueError(f"{name} must be a list or column of numbers ({allowed}); got "
                             f"{values!r}") from error
        if array.ndim != 1:
            shape = "one number" if array.ndim == 0 else f"an array of shape {array.shape}"
            raise ValueError(f"{name} must be a list or column of numbers ({allowed}); got {shape}")
        series, index = pd.Series(array, dtype=object if array.dtype.kind == "O" else None), None
    if series.dtype.kind == "b" or str(series.dtype) == "boolean":
        raise ValueError(f"{name} must be numbers ({allowed}); got True/False values")
    try:
        numeric = pd.to_numeric(series.astype(object), errors="coerce")
    except (TypeError, ValueError):
        numeric = pd.Series(np.nan, index=series.index)
    array = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        i = int(bad[0])
        where = _label(index, i) if index is not None else f"row {i}"
        raw = series.iloc[i]
        shown = repr(raw) if isinstance(raw, str) or raw is None or isinstance(raw, bool) \
            else _inputs.show(array[i]) if not pd.isna(raw) else "an empty value"
        raise ValueError(f"{name} has no usable number at {where}: got {shown}. Every value must "
                         "be a finite number: fill the gap, or leave that row out on purpose "
                         "before calling")
    if array.size < minimum:
        raise ValueError(f"{name} needs at least {minimum} values ({allowed}); got {array.size}")
    return array, index


def _column(frame: pd.DataFrame, name: str, argument: str) -> pd.Series:
    if not isinstance(name, str):
        raise ValueError(f"{argument} must be the name of a column of the table, as text; got {name!r}")
    if name not in frame.columns:
        raise ValueError(f"{argument}={name!r} is not a column of the table; its columns are "
                         f"{[str(c) for c in frame.columns]}")
    return frame[name]


def _no_missing(series: pd.Series, argument: str) -> None:
    missing = np.flatnonzero(series.isna().to_numpy())
    if missing.size:
        row = int(missing[0])
        raise ValueError(f"{argument} column {series.name!r} is empty at row {row} (index "
                         f"{_plain(series.index[row])!r}): every row needs a value; fill it or leave "
                         "the row out on purpose before calling")


def _frame(frame: Any) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame (a table with named columns); got "
                         f"{type(frame).__name__}")
    if len(frame) == 0:
        raise ValueError("frame is empty: it has no rows to compare")
    return frame


# --------------------------------------------------------------------------- intervals


def proportion_interval(successes, n, *, confidence=0.95, method="wilson"):
    """Confidence interval for a rate seen in ``successes`` out of ``n`` cases.

    **The trap.** A rate from a few cases (4 of 5 calls passed QA, 7 of 9 customers satisfied)
    looks as exact as one from thousands. The interval says which true rates could easily have
    given it. The textbook "normal approximation", rate +- 1.96 x sqrt(rate (1 - rate) / n),
    fails at small n: for 5 of 5 it gives a width of 0, and for 4 of 5 an upper limit above 1.
    It is deliberately not offered here.

    Parameters
    ----------
    successes : int or array_like
        Cases with the outcome (calls passed, customers satisfied), a whole number from 0 to n.
    n : int or array_like
        Cases in all, a whole number, 1 or more.
    confidence : float, default 0.95
        Confidence level, a fraction above 0 and below 1.
    method : {"wilson", "exact"}, default "wilson"
        ``"wilson"``: the Wilson score interval, good at every n (its coverage is close to the
        confidence level on average). ``"exact"``: the Clopper-Pearson interval from the
        binomial distribution, which never covers less than the confidence level and is
        therefore wider.

    Returns
    -------
    (low, high)
        Fractions between 0 and 1: plain floats for single numbers, numpy arrays for arrays.

    Examples
    --------
    An agent passes 4 of 5 scored calls: the true pass rate could be anywhere from 38% to 96%.

    >>> low, high = proportion_interval(4, 5)
    >>> round(low, 3), round(high, 3)
    (0.376, 0.964)
    >>> [round(x, 3) for x in proportion_interval(4, 5, method="exact")]
    [0.284, 0.995]

    Five of five is not "always":

    >>> [round(x, 3) for x in proportion_interval(5, 5)]
    [0.566, 1.0]
    """
    if method not in ("wilson", "exact"):
        hint = (" The normal approximation is left out on purpose: at small n it gives limits "
                "below 0, above 1 or of zero width." if str(method).lower() in
                ("normal", "wald", "asymptotic") else "")
        raise ValueError(f"method must be 'wilson' or 'exact'; got {method!r}.{hint}")
    level = _confidence(confidence)
    x = _inputs.number("successes", successes, low=0, whole=True,
                       allowed="a whole number of cases with the outcome, 0 or more")
    total = _inputs.number("n", n, low=1, whole=True, allowed="a whole number of cases, 1 or more")
    x, total = _inputs.broadcast(successes=x, n=total)
    over = np.flatnonzero((x > total).ravel())
    if over.size:
        i = int(over[0])
        where = f" (row {i})" if x.ndim else ""
        raise ValueError(f"successes must be at most n; got successes = {_inputs.show(x.ravel()[i])} "
                         f"with n = {_inputs.show(total.ravel()[i])}{where}: a rate cannot exceed "
                         "100%. Check that the two numbers are the right way round")
    alpha = 1.0 - level
    if method == "wilson":
        z = stats.norm.ppf(1.0 - alpha / 2.0)
        z2 = z * z
        centre = (x + z2 / 2.0) / (total + z2)
        half = z / (total + z2) * np.sqrt(x * (total - x) / total + z2 / 4.0)
        low = np.where(x == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(x == total, 1.0, np.clip(centre + half, 0.0, 1.0))
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            low = np.where(x == 0, 0.0, stats.beta.ppf(alpha / 2.0, np.maximum(x, 1), total - x + 1))
            high = np.where(x == total, 1.0,
                            stats.beta.ppf(1.0 - alpha / 2.0, x + 1, np.maximum(total - x, 1)))
    scalar = _inputs.is_scalar(successes, n)
    return _inputs.plain(low, scalar), _inputs.plain(high, scalar)


def mean_interval(values, *, confidence=0.95):
    """Confidence interval for the true average behind a few values (Student t).

    **The trap.** An average of a few values (four scored calls, six weeks of handle time)
    moves a lot by chance. The interval mean +- t x s / sqrt(n) says which true averages could
    easily have given it; t comes from Student's t distribution with n - 1 degrees of freedom,
    which is wider than the normal 1.96 when n is small (2.78 for 5 values, 12.7 for 2).

    Parameters
    ----------
    values : array_like or pandas Series
        The values, at least 2, all finite numbers (in their own unit: QA points, seconds...).
    confidence : float, default 0.95
        Confidence level, a fraction above 0 and below 1.

    Returns
    -------
    (low, high)
        Floats, in the unit of ``values``.

    Examples
    --------
    Four scored calls of one agent:

    >>> low, high = mean_interval([70, 85, 64, 81])
    >>> round(low, 1), round(high, 1)
    (59.6, 90.4)
    """
    level = _confidence(confidence)
    array, _ = _values("values", values, minimum=2, allowed="at least 2 finite numbers")
    n = array.size
    mean = float(array.mean())
    half = float(stats.t.ppf(0.5 + level / 2.0, n - 1) * array.std(ddof=1) / math.sqrt(n))
    return mean - half, mean + half


# --------------------------------------------------------------------------- regression to the mean


@dataclass(frozen=True, repr=False)
class RegressionToTheMean:
    """What regression to the mean predicts for two measurements of the same people.

    Attributes
    ----------
    correlation : Pearson correlation of ``first`` and ``second`` (1: the second repeats the
        first exactly; 0: the first says nothing about the second).
    slope : correlation x sd_second / sd_first, the slope of the line ``expected_second``.
    mean_first, mean_second, sd_first, sd_second : averages and standard deviations (n - 1).
    expected_second : for each person, mean_second + slope x (first - mean_first): the second
        value expected with no intervention at all. A pandas Series with the index of
        ``first`` when ``first`` was a Series, else a numpy array.
    groups : a DataFrame, one row per group looked at ("top 10%" and "bottom 10%" of
        ``first``, or "selected"), with columns ``n`` (people), ``mean_first``,
        ``mean_second``, ``change`` (mean second - mean first, as observed),
        ``expected_change`` (mean expected_second - mean first: the change expected with no
        intervention at all), ``expected_low`` and ``expected_high`` (the range in which the
        group's change falls, at the confidence level, when nothing was done: from the spread
        of all the pairs around the line, a normal linear model with the group among the
        pairs) and ``beyond_expected`` (change - expected_change).
    selected : boolean array, True for the people in the "selected" group (all False when
        the groups are the top and bottom shares).
    """

    correlation: float
    slope: float
    mean_first: float
    mean_second: float
    sd_first: float
    sd_second: float
    expected_second: Any
    groups: pd.DataFrame
    selected: np.ndarray

    def __repr__(self) -> str:
        return (f"RegressionToTheMean(correlation={self.correlation:.3f}, "
                f"slope={self.slope:.3f}, pairs={len(self.selected)}, "
                f"groups={list(self.groups.index)})")

    @property
    def change(self) -> pd.Series:
        """The observed change of each group (``groups["change"]``)."""
        return self.groups["change"]

    @property
    def expected_change(self) -> pd.Series:
        """The change expected with no intervention, for each group (``groups["expected_change"]``)."""
        return self.groups["expected_change"]

    def plot(self, first, second, ax=None):
        """Scatter of second against first, the no-change diagonal and the expected line.

        The groups of :attr:`groups` are drawn in colour. Returns the matplotlib Axes.
        """
        import matplotlib.pyplot as plt

        x, _ = _values("first", first, minimum=3, allowed="numbers")
        y, _ = _values("second", second, minimum=3, allowed="numbers")
        if ax is None:
            _, ax = plt.subplots()
        ax.scatter(x, y, color="tab:gray", alpha=0.6, label="everyone")
        colours = {"top": "tab:orange", "bottom": "tab:blue", "selected": "tab:red"}
        for name in self.groups.index:
            mask = self._mask(name, x)
            colour = next((c for key, c in colours.items() if name.startswith(key)), "tab:red")
            ax.scatter(x[mask], y[mask], color=colour, label=name)
        line = np.array([x.min(), x.max()])
        ax.plot(line, line, color="black", linestyle=":", label="no change")
        ax.plot(line, self.mean_second + self.slope * (line - self.mean_first), color="tab:green",
                label="expected with no intervention")
        ax.legend(loc="upper left", fontsize=8)
        return ax

    def _mask(self, name: str, x: np.ndarray) -> np.ndarray:
        if name == "selected":
            return self.selected
        k = int(self.groups.loc[name, "n"])
        order = np.argsort(-x, kind="stable")
        mask = np.zeros(x.size, dtype=bool)
        mask[order[:k] if name.startswith("top") else order[-k:]] = True
        return mask


def _selection(selected: Any, index: pd.Index | None, size: int) -> np.ndarray:
    """``selected`` as a boolean mask over the pairs."""
    if isinstance(selected, (pd.Series, np.ndarray, list, tuple, pd.Index)) and len(selected) == size \
            and np.asarray(selected).dtype.kind == "b":
        mask = np.asarray(selected, dtype=bool)
    elif isinstance(selected, (list, tuple, pd.Index, pd.Series, np.ndarray, set)):
        labels = list(selected.tolist() if hasattr(selected, "tolist") else selected)
        if index is None:
            raise ValueError("selected must be a list of True/False, one per pair, when first "
                             "and second are plain lists or arrays; names of people need first "
                             "to be a pandas Series indexed by them")
        keys = [str(k) for k in index]
        missing = [label for label in labels if str(label) not in keys]
        if missing:
            raise ValueError(f"selected names {missing[0]!r}, which is not in the index of first "
                             f"(e.g. {keys[:3]}): select people by the labels of first")
        wanted = {str(label) for label in labels}
        mask = np.array([k in wanted for k in keys])
    else:
        raise ValueError(f"selected must be a list of True/False (one per pair) or a list of "
                         f"labels of first; got {type(selected).__name__}")
    if not mask.any():
        raise ValueError("selected picks nobody: give at least one person")
    return mask


def regression_to_the_mean(first, second, *, selected=None, share=0.1, confidence=0.95):
    """How much of a selected group's change would have happened with no intervention at all.

    **The trap.** Pick agents for an extreme month -- the bottom of the QA table, the worst
    week's handle time -- and next month they move back towards the average, whatever you
    do. A score is part skill, part luck; the agents at the bottom were, more often than not,
    ordinary agents with an unlucky month, and their luck does not repeat. Coach the bottom
    and praise the top, and the coached "improve" and the praised "slip": it looks like
    coaching works and praise spoils people, when neither did anything.

    The check compares the group's change with the change expected with no intervention at
    all. For each person, the second value expected from the first is the straight line of
    a bivariate normal, mean_second + r x (sd_second / sd_first) x (first - mean_first),
    with r the correlation between the two measurements; the less the first predicts the
    second (the smaller r), the further back towards the mean the expected second value.
    A change beyond the expected range is not yet proof of an effect: where the data has it,
    look at the group's scores *before* the month that picked them (near the average then
    means the extreme month was luck), or compare with a similar group left alone.

    Parameters
    ----------
    first, second : array_like or pandas Series
        Two measurements of the same people (or teams, or days), e.g. each agent's QA average
        in September and in October; at least 3 pairs, finite numbers. Two Series are matched
        by their index (each label of ``first`` must be in ``second``); plain lists by position.
    selected : optional
        The group to look at: a list of True/False (one per pair), or labels of ``first``
        (e.g. the agents coached). Left out: the top and the bottom ``share`` of ``first``.
    share : float, default 0.1
        With no ``selected``: the share of people at each end, above 0 and at most 0.5;
        round(share x pairs) people each (at least 1), ties broken by order in ``first``.
    confidence : float, default 0.95
        Confidence level of ``expected_low`` and ``expected_high``.

    Returns
    -------
    RegressionToTheMean
        ``correlation``, ``slope``, ``expected_second`` (for each first), and ``groups``: for
        each group the observed ``change``, the ``expected_change`` with no intervention, its
        range ``expected_low`` to ``expected_high``, and ``beyond_expected``.

    Examples
    --------
    Ten agents' QA averages in two months; nothing was done in between.

    >>> september = [62, 68, 72, 75, 77, 79, 81, 84, 87, 92]
    >>> october = [74, 70, 79, 73, 81, 76, 78, 85, 80, 84]
    >>> r = regression_to_the_mean(september, october, share=0.2)
    >>> round(r.correlation, 3), round(r.slope, 3)
    (0.752, 0.403)
    >>> r.groups[["n", "change", "expected_change"]].round(2)
                n  change  expected_change
    top 20%     2    -7.5            -6.74
    bottom 20%  2     7.0             7.88

    The bottom two "improved" by 7 points and the top two "fell" by 7.5: about what the
    line expects with no intervention at all.
    """
    x, index = _values("first", first, minimum=3, allowed="at least 3 finite numbers")
    if isinstance(first, pd.Series) and isinstance(second, pd.Series):
        missing = [label for label in first.index if label not in second.index]
        if missing:
            raise ValueError(f"second has no value for {missing[0]!r}, which is in first: give "
                             "both measurements for the same people (or leave that person out of "
                             "both on purpose)")
        if not second.index.is_unique:
            raise ValueError("second has an index label more than once: one value per person")
        second = second.reindex(first.index)
    y, _ = _values("second", second, minimum=3, allowed="at least 3 finite numbers")
    if x.size != y.size:
        raise ValueError(f"first and second must have one value per person each; got {x.size} "
                         f"values in first and {y.size} in second")
    level = _confidence(confidence)
    n = x.size
    sd_x, sd_y = float(x.std(ddof=1)), float(y.std(ddof=1))
    for name, sd in (("first", sd_x), ("second", sd_y)):
        if sd == 0:
            raise ValueError(f"{name} has the same value for everybody: with no spread there is "
                             "nothing to regress")
    mean_x, mean_y = float(x.mean()), float(y.mean())
    r = float(np.corrcoef(x, y)[0, 1])
    slope = r * sd_y / sd_x
    fitted = mean_y + slope * (x - mean_x)
    residual_sd = math.sqrt(float(((y - fitted) ** 2).sum()) / (n - 2)) if n > 2 else float("nan")
    sxx = float(((x - mean_x) ** 2).sum())
    t = float(stats.t.ppf(0.5 + level / 2.0, n - 2))

    if selected is None:
        if np.ndim(share) != 0:
            raise ValueError(f"share must be one number above 0 and at most 0.5; got {share!r}")
        share = float(_inputs.number("share", share, low=0, low_open=True, high=0.5,
                                     allowed="a fraction above 0 and at most 0.5, e.g. 0.1 for "
                                     "the top and bottom 10%"))
        k = max(1, int(round(share * n)))
        order = np.argsort(-x, kind="stable")
        masks = {}
        for name, picks in ((f"top {share:.0%}", order[:k]), (f"bottom {share:.0%}", order[-k:])):
            mask = np.zeros(n, dtype=bool)
            mask[picks] = True
            masks[name] = mask
        chosen = np.zeros(n, dtype=bool)
    else:
        chosen = _selection(selected, index, n)
        masks = {"selected": chosen}

    rows = {}
    for name, mask in masks.items():
        k = int(mask.sum())
        mx = float(x[mask].mean())
        expected = float((fitted[mask] - x[mask]).mean())
        # the group's mean distance from the fitted line: its variance when nothing was done
        # (normal linear model, the group among the pairs the line was fitted to)
        se = residual_sd * math.sqrt(max(0.0, 1.0 / k - 1.0 / n - (mx - mean_x) ** 2 / sxx))
        change = float((y[mask] - x[mask]).mean())
        rows[name] = dict(n=k, mean_first=mx, mean_second=float(y[mask].mean()), change=change,
                          expected_change=expected, expected_low=expected - t * se,
                          expected_high=expected + t * se, beyond_expected=change - expected)
    groups = pd.DataFrame.from_dict(rows, orient="index")
    groups["n"] = groups["n"].astype(np.int64)
    expected_second = pd.Series(fitted, index=index, name="expected_second") if index is not None \
        else fitted
    return RegressionToTheMean(correlation=r, slope=slope, mean_first=mean_x, mean_second=mean_y,
                               sd_first=sd_x, sd_second=sd_y, expected_second=expected_second,
                               groups=groups, selected=chosen)


# --------------------------------------------------------------------------- Simpson's paradox


@dataclass(frozen=True, repr=False)
class SimpsonsParadox:
    """A comparison of groups overall and within each segment.

    Attributes
    ----------
    overall : rate per group over all its cases (a Series indexed by group).
    by_segment : rate per group within each segment (a DataFrame: segments as rows, groups as
        columns).
    reversed : True when the overall comparison points the other way from every segment
        (for some pair of groups): Simpson's paradox.
    reversed_pairs : the pairs (better overall, better in every segment) that reverse.
    standardised : rate per group had every group the same mix of segments (the mix of all
        cases together): the like-for-like comparison.
    table : tidy DataFrame for plotting, one row per segment and group: the two columns named
        as given, ``successes``, ``total``, ``rate`` and ``share_of_group`` (the share of the
        group's cases in that segment: its mix).
    """

    overall: pd.Series
    by_segment: pd.DataFrame
    reversed: bool
    reversed_pairs: list
    standardised: pd.Series
    table: pd.DataFrame

    def __repr__(self) -> str:
        overall = ", ".join(f"{g}: {v:.3f}" for g, v in self.overall.items())
        return f"SimpsonsParadox(overall={{{overall}}}, reversed={self.reversed})"

    def plot(self, ax=None):
        """Bars of the rate of each group within each segment and overall. Returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        rates = self.by_segment.copy()
        rates.index = [str(i) for i in rates.index]
        rates.loc["all (overall)"] = self.overall
        groups = list(rates.columns)
        width = 0.8 / len(groups)
        positions = np.arange(len(rates))
        for i, group in enumerate(groups):
            bars = ax.bar(positions + (i - (len(groups) - 1) / 2) * width, rates[group] * 100,
                          width, label=str(group))
            ax.bar_label(bars, fmt="%.1f", fontsize=8)
        ax.set_xticks(positions, rates.index)
        ax.set_ylabel("rate (%)")
        ax.legend(title=self.overall.index.name, fontsize=8)
        return ax


def _binary(series: pd.Series, argument: str) -> pd.Series:
    """A 0/1 or True/False column as floats, or a ValueError naming the first other value."""
    _no_missing(series, argument)
    if series.dtype.kind == "b" or str(series.dtype) == "boolean":
        return series.astype(np.float64)
    numeric = pd.to_numeric(series, errors="coerce") if series.dtype.kind not in "iuf" else series
    values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero(~np.isin(values, (0.0, 1.0)))
    if bad.size:
        row = int(bad[0])
        raw = series.iloc[row]
        shown = _inputs.show(float(raw)) if isinstance(raw, (int, float, np.number)) else repr(raw)
        raise ValueError(f"{argument} column {series.name!r} must be 0/1 or True/False (one case "
                         f"each: 1 = the outcome happened); got {shown} at row {row} "
                         f"(index {_plain(series.index[row])!r}). For counts give successes= and totals= "
                         "instead; for a score, make it 0/1 first, e.g. csat >= 4")
    return pd.Series(values, index=series.index)


def simpsons_paradox(frame, *, outcome=None, group, segment, successes=None, totals=None):
    """Compare groups overall and within each segment: does the comparison survive?

    **The trap.** Two teams, shifts or channels are compared on one rate (first-contact
    resolution, satisfied customers, conversions). If they handle different mixes of work --
    one takes more complaints, or more repeat callers -- the overall rates compare the mixes
    as much as the groups. Within each segment (each reason, each kind of contact) the
    comparison can shrink, vanish, or point the other way in every segment at once:
    Simpson's paradox. The fair comparison is within segments, or with every group given the
    same mix (``standardised``).

    Parameters
    ----------
    frame : pandas DataFrame
        One row per case (with ``outcome``) or one row per group and segment (with
        ``successes`` and ``totals``).
    outcome : str, optional
        Column of 0/1 or True/False: 1 when the case had the outcome (resolved, satisfied).
    group : str
        Column of the groups to compare (team, shift, channel); two or more groups.
    segment : str
        Column of the segments to look within (reason, first or repeat contact).
    successes, totals : str, optional
        Instead of ``outcome``: columns of counts, cases with the outcome and cases in all.

    Returns
    -------
    SimpsonsParadox
        ``overall`` rate per group, ``by_segment`` rates, ``reversed``, ``reversed_pairs``,
        ``standardised`` rates (same mix for every group) and a tidy ``table``. Its ``plot()``
        draws the rates side by side.

    Raises
    ------
    ValueError
        A missing column, an outcome that is not 0/1, counts that do not fit (successes above
        totals), fewer than two groups, or a group with no cases in a segment (the comparison
        there is empty: merge the segment with another or leave it out).

    Examples
    --------
    The published kidney-stone study (Charig et al., BMJ 1986): open surgery succeeded more
    often for small stones and for large stones, yet less often overall, because it was given
    most of the large, harder stones.

    >>> stones = pd.DataFrame({
    ...     "treatment": ["open", "open", "keyhole", "keyhole"],
    ...     "stone": ["small", "large", "small", "large"],
    ...     "successes": [81, 192, 234, 55], "totals": [87, 263, 270, 80]})
    >>> result = simpsons_paradox(stones, group="treatment", segment="stone",
    ...                           successes="successes", totals="totals")
    >>> result.overall.round(3)
    treatment
    keyhole    0.826
    open       0.780
    Name: rate, dtype: float64
    >>> result.by_segment.round(3)
    treatment  keyhole   open
    stone
    large        0.688  0.730
    small        0.867  0.931
    >>> result.reversed
    True
    """
    frame = _frame(frame)
    groups = _column(frame, group, "group")
    segments = _column(frame, segment, "segment")
    _no_missing(groups, "group")
    _no_missing(segments, "segment")
    if outcome is not None and (successes is not None or totals is not None):
        raise ValueError("give either outcome= (one row per case) or successes= and totals= "
                         "(counts), not both")
    if outcome is not None:
        hits = _binary(_column(frame, outcome, "outcome"), "outcome")
        cases = pd.Series(1.0, index=frame.index)
    elif successes is not None and totals is not None:
        hits_col = _column(frame, successes, "successes")
        cases_col = _column(frame, totals, "totals")
        hits = pd.Series(_inputs.number(f"successes column {successes!r}", hits_col.to_numpy(dtype=object),
                                        low=0, whole=True, allowed="whole numbers, 0 or more"),
                         index=frame.index)
        cases = pd.Series(_inputs.number(f"totals column {totals!r}", cases_col.to_numpy(dtype=object),
                                         low=0, whole=True, allowed="whole numbers, 0 or more"),
                          index=frame.index)
        over = np.flatnonzero((hits > cases).to_numpy())
        if over.size:
            row = int(over[0])
            raise ValueError(f"successes must be at most totals; got {_inputs.show(hits.iloc[row])} "
                             f"successes of {_inputs.show(cases.iloc[row])} at row {row}: check that "
                             "the two columns are the right way round")
    else:
        raise ValueError("give outcome= (a 0/1 column, one row per case), or both successes= and "
                         "totals= (columns of counts)")
    work = pd.DataFrame({"group": groups.to_numpy(), "segment": segments.to_numpy(),
                         "successes": hits.to_numpy(), "total": cases.to_numpy()})
    counts = work.groupby(["segment", "group"], observed=True, sort=True)[["successes", "total"]].sum()
    names = sorted(work["group"].unique().tolist(), key=str)
    if len(names) < 2:
        raise ValueError(f"group column {group!r} has only one group ({names[0]!r}): a comparison "
                         "needs two or more")
    segment_names = sorted(work["segment"].unique().tolist(), key=str)
    for s in segment_names:
        for g in names:
            if (s, g) not in counts.index or counts.loc[(s, g), "total"] == 0:
                raise ValueError(f"group {g!r} has no cases in segment {s!r} ({segment}): the "
                                 "comparison within that segment is empty. Merge the segment "
                                 "with another, or leave it out on purpose before calling")
    counts = counts.reindex(pd.MultiIndex.from_product([segment_names, names],
                                                       names=["segment", "group"]))
    rate = counts["successes"] / counts["total"]
    by_segment = rate.unstack("group")[names]
    by_segment.index.name, by_segment.columns.name = segment, group
    totals_by_group = counts.groupby(level="group", sort=False).sum().reindex(names)
    overall = totals_by_group["successes"] / totals_by_group["total"]
    overall.index.name, overall.name = group, "rate"
    mix = counts["total"].groupby(level="segment", sort=False).sum().reindex(segment_names)
    weights = mix / mix.sum()
    standardised = by_segment.mul(weights.to_numpy(), axis=0).sum()
    standardised.index.name, standardised.name = group, "standardised rate"
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            overall_sign = np.sign(overall[a] - overall[b])
            signs = np.sign(by_segment[a] - by_segment[b])
            if overall_sign != 0 and (signs == -overall_sign).all():
                pairs.append((a, b) if overall_sign > 0 else (b, a))
    table = counts.reset_index()
    for column in ("successes", "total"):
        if (table[column] == np.floor(table[column])).all():
            table[column] = table[column].astype(np.int64)
    table["rate"] = rate.to_numpy()
    group_totals = counts["total"].groupby(level="group").transform("sum")
    table["share_of_group"] = (counts["total"] / group_totals).to_numpy()
    table = table.rename(columns={"segment": segment, "group": group})
    return SimpsonsParadox(overall=overall, by_segment=by_segment, reversed=bool(pairs),
                           reversed_pairs=pairs, standardised=standardised, table=table)


# --------------------------------------------------------------------------- non-response


_NONRESPONSE_STATEMENT = (
    "Re-weighting on {by} moves the estimate from {before} to {after}. It corrects only for "
    "differences in who answered that {by} explains. No re-weighting fixes non-response driven "
    "by the answer itself: when very happy and very unhappy customers answer more often than "
    "the lukewarm middle, the respondents differ from everyone in exactly what was asked. "
    "Raise the response rate, or follow up a random sample of those who did not answer.")


@dataclass(frozen=True, repr=False)
class NonResponse:
    """Who answered a survey, and what the answers say with and without re-weighting.

    Attributes
    ----------
    invited, responded : people invited and people who answered.
    overall_response_rate : responded / invited.
    response_rate : the response rate by ``by`` (a Series).
    table : one row per value of ``by``: ``invited``, ``responded``, ``response_rate``,
        ``share_of_invited``, ``share_of_respondents`` and ``respondents_mean`` (the mean
        answer of those who answered; for a True/False answer, the share of True).
    respondents_estimate : the mean answer of all respondents, as a dashboard shows it.
    reweighted_estimate : each group's respondents' mean weighted by the group's share of
        everyone invited (post-stratification on ``by``).
    statement : what re-weighting can and cannot fix, in plain words.
    """

    invited: int
    responded: int
    overall_response_rate: float
    response_rate: pd.Series
    table: pd.DataFrame
    respondents_estimate: float
    reweighted_estimate: float
    statement: str

    def __repr__(self) -> str:
        return (f"NonResponse(invited={self.invited}, responded={self.responded}, "
                f"respondents_estimate={self.respondents_estimate:.4g}, "
                f"reweighted_estimate={self.reweighted_estimate:.4g})")


def nonresponse(invited, *, responded, answer, by):
    """Response rates by a known attribute, and the survey's answer before and after re-weighting.

    **The trap.** A survey dashboard shows the answers of those who answered, often one
    customer in seven, as if they spoke for every customer. If some kinds of customer answer
    more often (after a chat, after a complaint), re-weighting each kind to its share of
    everyone invited corrects that part. But when the answer itself drives who answers --
    delighted and furious customers reply, the lukewarm middle does not -- no re-weighting
    on what you know about customers can fix it: the respondents differ from everyone in
    exactly what you asked.

    Parameters
    ----------
    invited : pandas DataFrame
        One row per person invited, those who did not answer included.
    responded : str
        Column of True/False (or 0/1): True when the person answered.
    answer : str
        Column of the answer: numbers (a 1-5 score) or True/False (satisfied or not). It may be
        empty for those who did not answer, and must not be for those who did.
    by : str or list of str
        Column(s) known for everyone invited (channel, reason, team), to re-weight on.

    Returns
    -------
    NonResponse
        ``response_rate`` by ``by``, ``respondents_estimate``, ``reweighted_estimate``,
        ``table`` and a plain ``statement``.

    Raises
    ------
    ValueError
        A missing column; ``responded`` not True/False; an empty answer from someone who
        responded; a ``by`` group in which nobody answered (nothing to weight up: merge it with
        another group).

    Examples
    --------
    Ten customers invited, four answered. Chat customers answered more often:

    >>> survey = pd.DataFrame({
    ...     "channel": ["chat"] * 4 + ["voice"] * 6,
    ...     "responded": [True, True, True, False, True, False, False, False, False, False],
    ...     "csat": [5, 4, 5, None, 2, None, None, None, None, None]})
    >>> check = nonresponse(survey, responded="responded", answer="csat", by="channel")
    >>> check.response_rate.round(3).to_dict()
    {'chat': 0.75, 'voice': 0.167}
    >>> check.respondents_estimate, round(check.reweighted_estimate, 2)
    (4.0, 3.07)
    """
    invited = _frame(invited)
    said = _column(invited, responded, "responded")
    said = _binary(said, "responded").astype(bool)
    by_columns = [by] if isinstance(by, str) else list(by) if isinstance(by, (list, tuple)) else None
    if not by_columns:
        raise ValueError(f"by must be a column name or a list of column names; got {by!r}")
    work = pd.DataFrame({"responded": said.to_numpy()}, index=invited.index)
    for name in by_columns:
        column = _column(invited, name, "by")
        _no_missing(column, "by")
        work[f"by {name}"] = column.to_numpy()
    keys = [f"by {name}" for name in by_columns]
    values = _column(invited, answer, "answer")
    chosen = values[said.to_numpy()]
    empty = np.flatnonzero(chosen.isna().to_numpy())
    if empty.size:
        label = _plain(chosen.index[int(empty[0])])
        raise ValueError(f"answer column {answer!r} is empty at index {label!r}, where "
                         f"{responded!r} is True: a respondent needs an answer. Fix the row, or "
                         "mark it as not responded")
    if chosen.dtype.kind == "b" or str(chosen.dtype) == "boolean":
        numbers = chosen.astype(np.float64)
    else:
        numbers = pd.to_numeric(chosen, errors="coerce")
        bad = np.flatnonzero(numbers.isna().to_numpy())
        if bad.size:
            label = chosen.index[int(bad[0])]
            raise ValueError(f"answer column {answer!r} must hold numbers or True/False; got "
                             f"{chosen.loc[label]!r} at index {_plain(label)!r}")
        numbers = numbers.astype(np.float64)
    grouped = work.groupby(keys if len(keys) > 1 else keys[0], observed=True, sort=True)
    table = pd.DataFrame({"invited": grouped.size(), "responded": grouped["responded"].sum()})
    table["responded"] = table["responded"].astype(np.int64)
    nobody = np.flatnonzero(table["responded"].to_numpy() == 0)
    if nobody.size:
        where = table.index[int(nobody[0])]
        where = tuple(_plain(v) for v in where) if isinstance(where, tuple) else _plain(where)
        raise ValueError(f"nobody answered in {by!r} = {where!r} "
                         f"({int(table['invited'].iloc[int(nobody[0])])} invited): there is no "
                         "answer to weight up. Merge that group with a similar one, or re-weight "
                         "on another column")
    answers = work[said.to_numpy()].assign(answer=numbers.to_numpy())
    table["respondents_mean"] = answers.groupby(keys if len(keys) > 1 else keys[0],
                                                observed=True, sort=True)["answer"].mean()
    table["response_rate"] = table["responded"] / table["invited"]
    table["share_of_invited"] = table["invited"] / table["invited"].sum()
    table["share_of_respondents"] = table["responded"] / table["responded"].sum()
    table = table[["invited", "responded", "response_rate", "share_of_invited",
                   "share_of_respondents", "respondents_mean"]]
    table.index.names = by_columns
    label = ", ".join(by_columns)
    before = float(answers["answer"].mean())
    after = float((table["share_of_invited"] * table["respondents_mean"]).sum())
    statement = _NONRESPONSE_STATEMENT.format(by=label, before=f"{before:.4g}",
                                              after=f"{after:.4g}")
    rate = table["response_rate"].copy()
    rate.name = "response_rate"
    return NonResponse(invited=int(len(invited)), responded=int(said.sum()),
                       overall_response_rate=float(said.mean()), response_rate=rate, table=table,
                       respondents_estimate=before, reweighted_estimate=after, statement=statement)


# --------------------------------------------------------------------------- tails


def tail_summary(values, *, percentiles=(50, 90, 95, 99)):
    """The mean beside the percentiles: what an average hides.

    **The trap.** An average (of handle times, waits, half-hours' service levels) is one
    number for a whole spread. A centre that meets 80% within 20 s on the day can miss it
    every lunchtime; an AHT of five minutes can hide one call in ten over ten minutes. The
    percentiles say what the worst share of cases looks like: the 90th percentile is the
    value 90% of cases stay at or below. For a measure where low is bad (service level) ask
    for low percentiles too, e.g. ``percentiles=(50, 10, 5)``.

    Parameters
    ----------
    values : array_like or pandas Series
        At least one finite number, in its own unit (seconds, a fraction...).
    percentiles : sequence of float, default (50, 90, 95, 99)
        Percentiles between 0 and 100, computed with numpy's default (linear interpolation
        between the two nearest values).

    Returns
    -------
    pandas Series
        ``mean`` first, then ``p50``, ``p90``, ... in the order given, in the unit of
        ``values``.

    Examples
    --------
    Ten waits in seconds: the mean is 19 s, but one caller in ten waited over a minute.

    >>> tail_summary([0, 0, 2, 5, 8, 10, 15, 20, 60, 70], percentiles=(50, 90))
    mean    19.0
    p50      9.0
    p90     61.0
    dtype: float64
    """
    array, index = _values("values", values, minimum=1, allowed="at least one finite number")
    qs = np.atleast_1d(np.asarray(percentiles, dtype=object))
    if qs.ndim != 1 or qs.size == 0:
        raise ValueError(f"percentiles must be a list of numbers from 0 to 100; got {percentiles!r}")
    qs = _inputs.number("percentiles", list(qs), low=0, high=100,
                        allowed="numbers from 0 to 100, e.g. (50, 90, 95, 99)")
    labels = ["mean"] + [f"p{_inputs.show(q)}" for q in qs]
    if len(set(labels)) != len(labels):
        raise ValueError(f"percentiles lists a percentile twice; got {percentiles!r}")
    result = pd.Series([float(array.mean())] + [float(v) for v in np.percentile(array, qs)],
                       index=labels)
    if isinstance(values, pd.Series) and values.name is not None:
        result.name = values.name
    return result


# --------------------------------------------------------------------------- funnel plots


def _binomial_limit(n: np.ndarray, p: float, q: float) -> np.ndarray:
    """The q-quantile of Binomial(n, p), as a rate: the smallest r / n with P(R <= r) >= q."""
    r = stats.binom.ppf(q, n, p)
    # ppf is computed in floating point: make sure r is the smallest count with F(r) >= q
    r = np.where(stats.binom.cdf(r, n, p) < q, r + 1, r)
    r = np.where((r > 0) & (stats.binom.cdf(r - 1, n, p) >= q), r - 1, r)
    return r / n


def funnel_limits(n, *, p=None, confidence=(0.95, 0.998), mean=None, sd=None):
    """Limits that chance alone puts around a rate or an average from n cases: a funnel plot.

    **The trap.** A league table ranks agents (or teams, or sites) by a rate or an average,
    as if every difference were real. With few cases each -- five scored calls, forty
    surveys -- most of the order is luck. A funnel plot draws, against the number of cases,
    the band in which a value would fall by chance alone if everyone were truly at the
    overall rate: wide for few cases, narrow for many. Only those outside the band (usually
    the 99.8% band, about 3 standard errors) are worth a look; inside, ranking is noise.

    Parameters
    ----------
    n : int or array_like
        Numbers of cases (calls scored, surveys), whole numbers, 1 or more: the horizontal axis.
    p : float, optional
        For a rate: the overall (target) rate, above 0 and below 1. The limits are exact
        binomial quantiles, as rates: a rate strictly below ``lower_95`` (or strictly above
        ``upper_95``) is one that chance alone, at rate ``p``, gives less than 2.5% of the
        time on that side. They step, because counts are whole numbers.
    confidence : sequence of float, default (0.95, 0.998)
        Confidence levels of the bands (95% about 2 standard errors, 99.8% about 3).
    mean, sd : float, optional
        For an average instead of a rate: the overall mean and the standard deviation of one
        case (one call's score), more than 0; the limits are mean +- z x sd / sqrt(n).

    Returns
    -------
    pandas DataFrame
        Indexed by ``n``; for each confidence level a column ``lower_95`` and ``upper_95``
        (``lower_99.8``, ``upper_99.8``, ...).

    Examples
    --------
    A pass rate of 50%: with 5 calls anything from 0 to 5 passes is within chance at 95%;
    with 20 calls, 6 to 14 passes (30% to 70%).

    >>> funnel_limits([5, 20, 100], p=0.5, confidence=(0.95,))
         lower_95  upper_95
    n
    5         0.0       1.0
    20        0.3       0.7
    100       0.4       0.6

    QA averages with a mean of 77 points and 11 points from call to call:

    >>> funnel_limits([4, 12], mean=77, sd=11).round(1)
        lower_95  upper_95  lower_99.8  upper_99.8
    n
    4       66.2      87.8        60.0        94.0
    12      70.8      83.2        67.2        86.8
    """
    cases = _inputs.number("n", n, low=1, whole=True, allowed="whole numbers of cases, 1 or more")
    cases = np.atleast_1d(cases).ravel()
    levels = np.atleast_1d(np.asarray(confidence, dtype=object)).ravel()
    if levels.size == 0:
        raise ValueError("confidence must list at least one level, e.g. (0.95, 0.998)")
    levels = [_confidence(level) for level in levels]
    if p is not None and (mean is not None or sd is not None):
        raise ValueError("give p= for a rate, or mean= and sd= for an average, not both")
    columns = {}
    if p is not None:
        if np.ndim(p) != 0:
            raise ValueError(f"p must be one rate, a fraction above 0 and below 1; got {p!r}")
        rate = float(_inputs.number("p", p, low=0, low_open=True, high=1, high_open=True,
                                    allowed="the overall rate, a fraction above 0 and below 1 "
                                    "(0.7 for 70%)"))
        for level in levels:
            tail = (1.0 - level) / 2.0
            label = _inputs.show(round(level * 100, 10))
            columns[f"lower_{label}"] = _binomial_limit(cases, rate, tail)
            columns[f"upper_{label}"] = _binomial_limit(cases, rate, 1.0 - tail)
    elif mean is not None and sd is not None:
        for name, value in (("mean", mean), ("sd", sd)):
            if np.ndim(value) != 0:
                raise ValueError(f"{name} must be one number; got {value!r}")
        centre = float(_inputs.number("mean", mean, allowed="the overall average, a finite number"))
        spread = float(_inputs.number("sd", sd, low=0, low_open=True,
                                      allowed="the standard deviation of one case, more than 0"))
        for level in levels:
            z = stats.norm.ppf(0.5 + level / 2.0)
            label = _inputs.show(round(level * 100, 10))
            half = z * spread / np.sqrt(cases)
            columns[f"lower_{label}"] = centre - half
            columns[f"upper_{label}"] = centre + half
    else:
        raise ValueError("give p= (the overall rate) for a funnel of rates, or mean= and sd= "
                         "for a funnel of averages")
    if len(columns) != 2 * len(levels):
        raise ValueError(f"confidence lists a level twice; got {confidence!r}")
    return pd.DataFrame(columns, index=pd.Index(cases.astype(np.int64), name="n"))


# --------------------------------------------------------------------------- league tables


def simulate_league_table(calls, *, agents=56, mean=78.0, agent_sd=5.0, call_sd=10.0, seed=2026):
    """A QA league table from ``calls`` scored calls per agent, beside the agents' true quality.

    Each agent has a true quality (normal: ``mean``, ``agent_sd``); each scored call is that
    quality plus call-to-call noise (normal, ``call_sd``), rounded and kept within 0-100, as
    in the course's ``qa_scores`` data. The agents and their calls come from ``seed``: the
    same agents for any number of calls, and the first calls stay the same when more are
    scored, so a table from 10 calls extends the one from 5.

    Parameters
    ----------
    calls : int
        Calls scored per agent, 1 to 1000.
    agents : int, default 56
        Agents in the table, 2 or more.
    mean, agent_sd, call_sd : float, default 78, 5, 10
        Mean true quality, its spread across agents, and the spread of one call's score around
        its agent's quality, in QA points (the data dictionary's figures for ``qa_scores``).
    seed : int, default 2026
        Seed of the random numbers.

    Returns
    -------
    pandas DataFrame
        One row per agent (``agent`` 1, 2, ...): ``true_quality``, ``average`` (of the scored
        calls), ``true_rank`` and ``table_rank`` (1 = best; ties by agent number).

    Examples
    --------
    >>> table = simulate_league_table(5)
    >>> len(table), list(table.columns)
    (56, ['agent', 'true_quality', 'average', 'true_rank', 'table_rank'])
    """
    k = _single_whole("calls", calls, 1, 1000, "a whole number of calls per agent, 1 to 1000")
    m = _single_whole("agents", agents, 2, 100_000, "a whole number of agents, 2 or more")
    for name, value in (("mean", mean), ("agent_sd", agent_sd), ("call_sd", call_sd)):
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be one number; got {value!r}")
    centre = float(_inputs.number("mean", mean, low=0, high=100, allowed="QA points, 0 to 100"))
    spread = float(_inputs.number("agent_sd", agent_sd, low=0,
                                  allowed="QA points, 0 or more (the spread of true quality)"))
    noise = float(_inputs.number("call_sd", call_sd, low=0,
                                 allowed="QA points, 0 or more (the spread from call to call)"))
    s = _single_whole("seed", seed, 0, 2**63 - 1, "a whole number, 0 or more")
    quality_rng, call_rng = (np.random.default_rng(child) for child in np.random.SeedSequence(s).spawn(2))
    quality = quality_rng.normal(centre, spread, m)
    scores = np.clip(np.round(quality[None, :] + call_rng.normal(0.0, noise, (k, m))), 0, 100)
    table = pd.DataFrame({"agent": np.arange(1, m + 1), "true_quality": quality,
                          "average": scores.mean(axis=0)})
    for column, rank in (("true_quality", "true_rank"), ("average", "table_rank")):
        order = np.argsort(-table[column].to_numpy(), kind="stable")
        ranks = np.empty(m, dtype=np.int64)
        ranks[order] = np.arange(1, m + 1)
        table[rank] = ranks
    return table


def _single_whole(name: str, value: Any, low: int, high: int, allowed: str) -> int:
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must be one number, {allowed}; got {value!r}")
    return int(_inputs.number(name, value, low=low, high=high, whole=True, allowed=allowed))


@functools.cache
def _slider_class():
    """The widget class, defined on first use: ipywidgets and matplotlib load only for the lesson
    (assignment notebooks import this module too, and every graded kernel pays for imports)."""
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    class LeagueTableSlider(widgets.VBox):
        """A slider of calls scored per agent, a readout and a plot of the league table against the
        truth. Build it with :func:`league_table_slider`; its parts are ``slider``, ``readout``
        (an ``ipywidgets.HTML``) and ``plot`` (an ``ipywidgets.Image``, PNG)."""

        def __init__(self, calls: int, agents: int, mean: float, agent_sd: float, call_sd: float,
                     seed: int, share: float, max_calls: int):
            self.agents, self.mean, self.agent_sd, self.call_sd = agents, mean, agent_sd, call_sd
            self.seed, self.share = seed, share
            self.top = max(1, int(round(share * agents)))
            self.slider = widgets.IntSlider(value=calls, min=1, max=max_calls, step=1,
                                            description="calls", continuous_update=True,
                                            layout=widgets.Layout(width="500px"))
            self.readout = widgets.HTML()
            self.plot = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
            super().__init__(children=[self.slider, self.readout, self.plot])
            self.slider.observe(self._on_change, names="value")
            self._show(calls)

        def __repr__(self) -> str:
            # Short and stable: notebooks are tested on their text output (nbval).
            return (f"LeagueTableSlider(calls={self.slider.value}, agents={self.agents}, "
                    f"mean={self.mean:g}, agent_sd={self.agent_sd:g}, call_sd={self.call_sd:g}, "
                    f"seed={self.seed})")

        def summary(self, calls: int) -> dict[str, float]:
            """The readout's numbers for ``calls`` calls per agent."""
            table = simulate_league_table(calls, agents=self.agents, mean=self.mean,
                                          agent_sd=self.agent_sd, call_sd=self.call_sd, seed=self.seed)
            praised = table["table_rank"] <= self.top
            coached = table["table_rank"] > self.agents - self.top
            return dict(
                table=table,
                rank_correlation=float(stats.spearmanr(table["average"], table["true_quality"])[0]),
                top_right=int((praised & (table["true_rank"] <= self.top)).sum()),
                bottom_right=int((coached & (table["true_rank"] > self.agents - self.top)).sum()),
                praised=praised.to_numpy(), coached=coached.to_numpy())

        def _draw(self, calls: int, s: dict) -> bytes:
            table = s["table"]
            fig = Figure(figsize=(6.4, 4.0), dpi=100)
            fig.subplots_adjust(left=0.11, right=0.98, bottom=0.13, top=0.9)
            ax = fig.add_subplot()
            x, y = table["true_quality"], table["average"]
            middle = ~(s["praised"] | s["coached"])
            ax.scatter(x[middle], y[middle], color="tab:gray", alpha=0.6, s=20, label="the rest")
            ax.scatter(x[s["praised"]], y[s["praised"]], color="tab:orange", s=30,
                       label=f"top {self.top} of the table (praised)")
            ax.scatter(x[s["coached"]], y[s["coached"]], color="tab:blue", s=30,
                       label=f"bottom {self.top} of the table (coached)")
            low = self.mean - 3.5 * self.agent_sd
            high = self.mean + 3.5 * self.agent_sd
            ax.set_xlim(low, high)
            ax.set_ylim(max(0, self.mean - 4 * math.hypot(self.agent_sd, self.call_sd)),
                        min(100, self.mean + 4 * math.hypot(self.agent_sd, self.call_sd)))
            ax.plot([low, high], [low, high], color="black", linestyle=":", linewidth=1,
                    label="table = truth")
            ax.set_xlabel("true quality of the agent (QA points; unknown in real life)")
            ax.set_ylabel(f"average of {calls} scored call{'s' if calls > 1 else ''} (QA points)")
            ax.set_title(f"{calls} call{'s' if calls > 1 else ''} per agent: {s['top_right']} of the "
                         f"{self.top} praised are truly among the best {self.top}", fontsize=10)
            ax.legend(loc="upper left", fontsize=8)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", metadata={"Software": None})
            return buffer.getvalue()

        def _show(self, calls: int) -> None:
            s = self.summary(calls)
            self.readout.value = (
                f"<b>{calls} call{'s' if calls > 1 else ''} scored per agent</b> &nbsp;|&nbsp; "
                f"rank correlation of table and truth "
                f'<span class="opsfirst-rank-correlation" data-value="{s["rank_correlation"]!r}">'
                f'{s["rank_correlation"]:.2f}</span> &nbsp;|&nbsp; '
                f'<span class="opsfirst-top-right" data-value="{s["top_right"]}">{s["top_right"]}</span>'
                f" of the top {self.top} and "
                f'<span class="opsfirst-bottom-right" data-value="{s["bottom_right"]}">'
                f'{s["bottom_right"]}</span> of the bottom {self.top} are truly there')
            self.plot.value = self._draw(calls, s)

        def _on_change(self, change: dict) -> None:
            self._show(int(change["new"]))

    return LeagueTableSlider


def __getattr__(name: str):
    # LeagueTableSlider is defined on first use (see _slider_class)
    if name == "LeagueTableSlider":
        return _slider_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def league_table_slider(calls=5, *, agents=56, mean=78.0, agent_sd=5.0, call_sd=10.0,
                        seed=2026, share=0.1, max_calls=60):
    """A slider of calls scored per agent: watch the QA league table reshuffle.

    The agents of :func:`simulate_league_table` (true quality known, as it never is in real
    life). Move the slider and the table is rebuilt from that many calls per agent: the
    readout gives the rank correlation between the table and the truth (1 = the same order)
    and how many of the top and bottom ``share`` of the table truly belong there; the plot
    shows each agent's average against their true quality, the table's top in orange and its
    bottom in blue.

    Parameters
    ----------
    calls : int, default 5
        Calls per agent at the start, 1 to ``max_calls``.
    agents, mean, agent_sd, call_sd, seed
        As for :func:`simulate_league_table`.
    share : float, default 0.1
        The top and bottom share acted on (praised and coached), above 0 and at most 0.5.
    max_calls : int, default 60
        The slider's largest value.

    Returns
    -------
    LeagueTableSlider
        An ``ipywidgets.VBox`` with ``slider``, ``readout`` and ``plot``.

    Examples
    --------
    >>> w = league_table_slider(calls=5)
    >>> w.slider.value, w.slider.min, w.slider.max
    (5, 1, 60)
    """
    top = _single_whole("max_calls", max_calls, 1, 1000, "a whole number of calls, 1 to 1000")
    k = _single_whole("calls", calls, 1, top, f"a whole number of calls from 1 to max_calls ({top})")
    if np.ndim(share) != 0:
        raise ValueError(f"share must be one number above 0 and at most 0.5; got {share!r}")
    part = float(_inputs.number("share", share, low=0, low_open=True, high=0.5,
                                allowed="a fraction above 0 and at most 0.5, e.g. 0.1"))
    simulate_league_table(k, agents=agents, mean=mean, agent_sd=agent_sd, call_sd=call_sd,
                          seed=seed)  # checks every argument once, with its own messages
    return _slider_class()(k, int(agents), float(mean), float(agent_sd), float(call_sd),
                           int(seed), part, top)
