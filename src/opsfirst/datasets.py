"""The course's datasets: load one by name, or check your own CSV against one.

* :func:`names` -- the datasets shipped in the ``datasets/`` folder;
* :func:`load` -- a dataset as a pandas DataFrame, parsed (datetimes, categories, whole
  numbers) and checked against its entry in the data dictionary;
* :func:`describe` -- that entry: what every column means, its unit, how it was made;
* :func:`dictionary_markdown` -- the whole data dictionary, ``datasets/README.md``.

A file that does not fit raises :class:`DatasetError`, one message naming the file, the
column, the row (counted as a spreadsheet counts it: the column names are row 1, so the
first row of data is row 2), what was expected and how to fix it. The loader never drops a
row of data: a DataFrame comes back with every row of the file, or there is an error.

Times, the same in every dataset: the simulated centre is in the UK, and its times are
written in ISO 8601 *with their UTC offset* (``2025-10-26T01:30:00+01:00`` and
``2025-10-26T01:30:00+00:00`` are two different half-hours, on the night the clocks go
back); they load as time-zone-aware ``Europe/London`` datetimes. ``bank_calls`` keeps the
bank's own clock times, without time zone.

The checks are pandera schemas built from the catalogue (:mod:`opsfirst._catalogue`);
:func:`schema` gives the one of a dataset, for checking a DataFrame built in code.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa


from . import _paths
from ._catalogue import CATALOGUE, DATASETS, Column, Dataset, Rule
from ._inputs import _show

__all__ = ["names", "load", "describe", "schema", "dictionary_markdown", "DatasetError",
           "ENVIRONMENT_VARIABLE"]

ENVIRONMENT_VARIABLE = "OPSFIRST_DATASETS"
"""Environment variable naming the folder of the dataset CSVs (default: ``datasets/``)."""

_UNIT = "us"  # datetime resolution of every loaded time column (pandas 3's default for text)
_SHOWN = 3  # problems shown per column or rule before "and N more"
_EMPTY = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "#N/A", "null", "NULL"})
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                   r"(?:Z|[+-]\d{2}(?::?\d{2})?)?")
_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_EXAMPLE_TIME = pd.Timestamp("2025-06-02 09:00")
# The first bytes of files people rename to .csv, and what they are.
_NOT_TEXT = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls) or another Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
)


class DatasetError(ValueError):
    """A dataset that cannot be found, or a file that does not fit its kind.

    The message names the file, the column and the row (the column names are row 1) and
    says what was expected and how to fix it.
    """


# ------------------------------------------------------------------------------ public API


def names() -> list[str]:
    """The datasets shipped with the course, by name, sorted.

    A name is listed when ``datasets/<name>.csv`` is in the datasets folder and the data
    dictionary has an entry for it. The folder is ``datasets/`` at the top of the
    repository, or the one the environment variable ``OPSFIRST_DATASETS`` names.

    Returns
    -------
    list of str
        Names to give to :func:`load` and :func:`describe`.

    Examples
    --------
    >>> names()  # doctest: +SKIP
    ['bank_calls', 'interval_history']
    """
    folder = _folder()
    return sorted(p.stem for p in folder.glob("*.csv") if p.stem in CATALOGUE and p.is_file())


def load(name_or_path: str | os.PathLike, kind: str | None = None) -> pd.DataFrame:
    """A dataset as a DataFrame, parsed and checked against the data dictionary.

    Parameters
    ----------
    name_or_path : str or path
        The name of a shipped dataset (``"interval_history"``, see :func:`names`), or the
        path of your own CSV file (``"my_export.csv"``), which then needs ``kind``.
    kind : str, optional
        For your own file: which dataset it should look like, e.g. ``"interval_history"``.
        The file must have that dataset's columns (extra columns are kept) and keep its
        rules; :func:`describe` lists them.

    Returns
    -------
    pandas.DataFrame
        Every row of the file, in file order, with a fresh 0, 1, 2, ... index. Times are
        datetimes (time-zone-aware ``Europe/London`` for the simulated centre), counts are
        ``int64``, seconds and fractions ``float64``, labels ``category``. The dictionary's
        columns come first, in its order, then any extra columns of the file (numbers as
        numbers, anything else as text).

    Raises
    ------
    DatasetError
        When the dataset or file cannot be found, or the file does not fit: a missing
        column, a value that is not what the column holds, a repeated row, a rule between
        columns broken. The message names the file, the column and the row.

    Examples
    --------
    >>> calls = load("interval_history")  # doctest: +SKIP

    Your own export, checked against the same columns and rules:

    >>> import tempfile, pathlib
    >>> export = pathlib.Path(tempfile.mkdtemp()) / "my_export.csv"
    >>> _ = export.write_text(
    ...     "interval_start,calls_offered,calls_answered,calls_abandoned,"
    ...     "answered_within_20s,aht_seconds,agents\\n"
    ...     "2025-06-02T09:00:00+01:00,52,50,2,41,301.5,9\\n"
    ...     "2025-06-02T09:30:00+01:00,61,58,3,44,296.0,10\\n")
    >>> mine = load(export, kind="interval_history")
    >>> mine.dtypes
    interval_start         datetime64[us, Europe/London]
    calls_offered                                  int64
    calls_answered                                 int64
    calls_abandoned                                int64
    answered_within_20s                            int64
    aht_seconds                                  float64
    agents                                         int64
    dtype: object

    A value that does not fit is named by column and row (the column names are row 1):

    >>> _ = export.write_text(
    ...     "interval_start,calls_offered,calls_answered,calls_abandoned,"
    ...     "answered_within_20s,aht_seconds,agents\\n"
    ...     "2025-06-02T09:00:00+01:00,twelve,50,2,41,301.5,9\\n")
    >>> load(export, kind="interval_history")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    opsfirst.datasets.DatasetError: ...my_export.csv, column calls_offered, row 2: expected a
    whole number of calls, 0 or more; found "twelve". Fix the value in the file and load it again.
    """
    dataset, path, shown = _resolve(name_or_path, kind)
    raw, separator = _read(path, shown)
    return _check(raw, dataset, shown, decimal_comma=separator == ";")


def describe(name: str) -> str:
    """The data-dictionary entry of a dataset, as markdown text.

    The same text as the dataset's section of ``datasets/README.md``: what one row is,
    where the data comes from, and for every column its type, unit, allowed values,
    meaning, how it was made and what it is calibrated to. In JupyterLab the returned text
    shows as formatted markdown; ``print()`` it to read it as plain text.

    Parameters
    ----------
    name : str
        A dataset name, e.g. ``"interval_history"``.

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> print(describe("bank_calls").splitlines()[0])
    ## bank_calls: half-hour call volumes of a North American bank (real data)
    >>> "no handling times" in describe("bank_calls")
    True
    """
    return _Markdown(_entry_markdown(_dataset(name)))


def schema(kind: str) -> pa.DataFrameSchema:
    """The pandera schema of a loaded dataset: dtypes, allowed values, unique rows, rules.

    :func:`load` parses a file's text into these dtypes and validates it with this schema.
    Use it to check a DataFrame built in code, e.g. by a dataset builder:
    ``schema("interval_history").validate(frame, lazy=True)``.

    Parameters
    ----------
    kind : str
        A dataset name, e.g. ``"interval_history"``.

    Returns
    -------
    pandera.pandas.DataFrameSchema

    Examples
    --------
    >>> list(schema("bank_calls").columns)
    ['interval_start', 'calls']
    """
    return _schema(_dataset(kind))


def dictionary_markdown() -> str:
    """The whole data dictionary as markdown: the text of ``datasets/README.md``.

    Made from the catalogue (:mod:`opsfirst._catalogue`): the conventions every dataset
    follows (rows, missing values, units, time zones), then one :func:`describe` entry per
    dataset. The build writes it to ``datasets/README.md``; a test checks that the committed
    file is exactly this text.

    Examples
    --------
    >>> text = dictionary_markdown()
    >>> text.splitlines()[0]
    '# Datasets: the data dictionary'
    >>> describe("interval_history") in text
    True
    """
    index = "\n".join(f"| `{d.name}` | {d.title} |" for d in DATASETS)
    parts = [_PREAMBLE.format(index=index).strip()]
    parts += [_entry_markdown(d) for d in DATASETS]
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------- finding the file


def _folder() -> Path:
    """The folder of the shipped CSVs, or a DatasetError saying where it looked."""
    setting = os.environ.get(ENVIRONMENT_VARIABLE)
    if setting:
        folder, how = Path(setting).expanduser(), f"set by {ENVIRONMENT_VARIABLE}"
    else:
        folder = _paths.DATASETS
        how = f"the repository's datasets folder; {ENVIRONMENT_VARIABLE} is not set"
    if not folder.is_dir():
        raise DatasetError(
            f"The datasets folder is not there: looked in {folder} ({how}). Set the "
            f"environment variable {ENVIRONMENT_VARIABLE} to the folder that holds the "
            "dataset CSV files, or build them with `python -m opsfirst._datagen`.")
    return folder


def _dataset(kind: Any) -> Dataset:
    if isinstance(kind, str) and kind in CATALOGUE:
        return CATALOGUE[kind]
    close = difflib.get_close_matches(str(kind), CATALOGUE, n=1)
    maybe = f' Did you mean "{close[0]}"?' if close else ""
    raise DatasetError(f"There is no dataset kind called {kind!r}.{maybe} The kinds are: "
                       f"{', '.join(CATALOGUE)}.")


def _resolve(name_or_path: Any, kind: str | None) -> tuple[Dataset, Path, str]:
    """(catalogue entry, path, how to name the file in messages) for load()'s arguments."""
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise DatasetError(
            'load() takes the name of a dataset, like "interval_history", or the path of a '
            f"CSV file; got {name_or_path!r}.")
    text = os.fspath(name_or_path)
    is_name = (isinstance(name_or_path, str) and not Path(text).suffix
               and os.sep not in text and "/" not in text and not Path(text).is_file())
    if is_name:
        if text not in CATALOGUE:
            try:
                shipped = names()
            except DatasetError:
                shipped = list(CATALOGUE)
            close = difflib.get_close_matches(text, shipped, n=1)
            maybe = f' Did you mean "{close[0]}"?' if close else ""
            raise DatasetError(
                f'There is no dataset called "{text}".{maybe} The datasets are: '
                f'{", ".join(shipped) or "none yet"}. To check a file of your own, give its '
                'path and its kind: load("my_export.csv", kind="interval_history").')
        if kind is not None and kind != text:
            raise DatasetError(f'"{text}" is a dataset of its own kind; leave out kind= '
                               f'(kind="{kind}" is for checking a file of your own).')
        path = _folder() / f"{text}.csv"
        if not path.is_file():
            raise DatasetError(
                f"The dataset {text} is not in the datasets folder: looked for {path}. Build "
                f"it with `python -m opsfirst._datagen {text}`, or set "
                f"{ENVIRONMENT_VARIABLE} to the folder that holds {text}.csv.")
        return CATALOGUE[text], path, path.name
    if kind is None:
        raise DatasetError(
            f'To check your own file {text}, say which kind of data it holds, e.g. '
            f'load("{text}", kind="interval_history"). The kinds are: {", ".join(CATALOGUE)} '
            '(describe(kind) lists the columns each needs).')
    dataset = _dataset(kind)
    path = Path(text).expanduser()
    if not path.is_file():
        why = "is a folder, not a file" if path.is_dir() else "is not there"
        hint = ""
        if path.stem in CATALOGUE and not path.parent.name:
            hint = f' To load the dataset shipped with the course, write load("{path.stem}").'
        raise DatasetError(f"{text} {why}: looked for {path.absolute()}.{hint}")
    return dataset, path, text


# ------------------------------------------------------------------------ reading the text


def _read(path: Path, shown: str) -> tuple[pd.DataFrame, str]:
    """The file as a table of stripped strings, indexed by spreadsheet row; and its separator."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DatasetError(f"{shown} cannot be read: {error.strerror or error}.") from None
    save_as = ("Open it in Excel (or another spreadsheet), save it with File > Save As > "
               "CSV UTF-8, and load the .csv file.")
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise DatasetError(f"{shown} is not a CSV file: it is {what}. {save_as}")
    # Excel's "Unicode text" is UTF-16 (with a byte-order mark); Windows exports are often
    # cp1252 rather than UTF-8. Anything else with NUL bytes is not text.
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:4096] and not utf16:
        raise DatasetError(f"{shown} is not a CSV file: it is not text. {save_as}")
    text = None
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise DatasetError(f"{shown} is not a CSV file: its text is in an encoding opsfirst "
                           f"cannot read. {save_as}")
    if not text.strip():
        raise DatasetError(f"{shown} is empty: it has no column names and no rows. Export the "
                           "data again, with the column names in the first row.")
    top = len(text) - len(text.lstrip("\r\n"))
    skipped = text[:top].count("\n") or top  # blank lines above the column names
    text = text[top:]
    if text.lstrip().startswith("<"):
        raise DatasetError(f"{shown} is not a CSV file: it looks like a web page (HTML or XML). "
                           f"{save_as}")
    first_line = text.splitlines()[0]
    separator = ","
    if "," not in first_line:
        separator = next((s for s in (";", "\t") if s in first_line), ",")
    header = [name.strip() for name in next(csv.reader(io.StringIO(first_line),
                                                       delimiter=separator))]
    repeated = sorted({n for n in header if header.count(n) > 1 and n})
    if repeated:
        raise DatasetError(f"{shown}: the column name {repeated[0]} appears more than once in "
                           "the first row. Keep one of them and load the file again.")
    try:
        raw = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
                          na_filter=False, skip_blank_lines=False)
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if found:
            expected, line, saw = found.groups()
            raise DatasetError(
                f"{shown}, row {int(line) + skipped}: expected {expected} values, one per "
                f"column name; found "
                f"{saw}. A value with a comma in it must be in double quotes "
                f'("1,234"); fix the row and load the file again.') from None
        first = str(error).strip().splitlines()[0]
        raise DatasetError(f"{shown} cannot be read as CSV: {first}.") from None
    except pd.errors.EmptyDataError:
        raise DatasetError(f"{shown} is empty: it has no column names and no rows.") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    raw = raw.apply(lambda s: s.str.strip())
    raw.index = pd.RangeIndex(2 + skipped, 2 + skipped + len(raw))
    # A row with nothing in any cell is not data (a blank line, or ",,,," from a spreadsheet).
    raw = raw[(raw != "").any(axis=1)]
    if raw.empty:
        raise DatasetError(f"{shown} has column names but no rows of data. Export the data "
                           "again, or add the rows under the column names.")
    return raw, separator


# ------------------------------------------------------------------ from text to values


@dataclass
class _Parsed:
    """One column read from text: its values (missing where empty or unreadable)."""

    values: pd.Series
    bad: pd.Series  # True where the text is not a value this column can hold
    notes: dict[int, str] = field(default_factory=dict)  # row -> a message of its own


def _parse(column: Column, text: pd.Series, dataset: Dataset, decimal_comma: bool) -> _Parsed:
    kind = column.kind
    empty = (text == "") if kind in ("text", "category") else text.isin(_EMPTY)
    notes: dict[int, str] = {}
    if kind in ("int", "float"):
        if kind == "float" and decimal_comma:
            text = text.str.replace(",", ".", regex=False)
        number = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
        ok = pd.Series(np.isfinite(number.to_numpy()), index=text.index)
        if kind == "int":
            ok &= number == np.floor(number)
        values = number.where(ok)
    elif kind == "bool":
        lower = text.str.lower()
        ok = lower.isin(_TRUE) | lower.isin(_FALSE)
        values = lower.isin(_TRUE).astype("boolean").where(ok)
    elif kind == "category" and column.categories is not None:
        ok = text.isin(column.categories)
        values = text.where(ok)
    elif kind in ("category", "text"):
        ok = ~empty
        values = text.where(ok)
    else:
        values, ok, notes = _parse_times(column, text, dataset)
    bad = ~ok & ~(empty & column.nullable)
    return _Parsed(values, bad, notes)


def _parse_times(column: Column, text: pd.Series, dataset: Dataset):
    """Datetimes from ISO 8601 text; with the dataset's time zone, offsets optional."""
    shaped = text.str.fullmatch(_TIME)
    offset = shaped & text.str.contains(_OFFSET, regex=True)
    naive = pd.to_datetime(text.where(shaped & ~offset), format="ISO8601", errors="coerce")
    naive = naive.astype(f"datetime64[{_UNIT}]")
    zone = dataset.time_zone
    if zone is None:
        return naive, naive.notna(), {}
    aware = pd.to_datetime(text.where(offset), format="ISO8601", utc=True, errors="coerce")
    aware = aware.dt.tz_convert(zone).dt.as_unit(_UNIT)
    local = naive.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    values = aware.where(offset, local)
    notes = {}
    clock = naive.notna() & local.isna()
    if clock.any():
        summer = naive.dt.tz_localize(zone, ambiguous=np.ones(len(naive), dtype=bool),
                                      nonexistent="NaT")
        for row in clock[clock].index:
            notes[row] = _clock_note(column, row, text[row], naive[row], zone,
                                     skipped=pd.isna(summer[row]))
    return values, values.notna(), notes


def _place(zone: str) -> str:
    return "UK" if zone == "Europe/London" else zone


def _clock_note(column: Column, row: int, raw: str, wall: pd.Timestamp, zone: str,
                skipped: bool) -> str:
    where = f'column {column.name}, row {row}: "{raw}"'
    if skipped:
        return (f"{where} never happened in {_place(zone)} time: the clocks went forward an "
                "hour that night and skipped it. Check the time; if it was written in UTC "
                "(GMT), add +00:00 to it.")
    first, second = (wall.tz_localize(zone, ambiguous=a) for a in (True, False))
    return (f"{where} happened twice in {_place(zone)} time: the clocks went back an hour that "
            f"night, so {wall:%H}:00-{wall:%H}:59 came round twice. Write each time with its "
            f"UTC offset: {first.isoformat()} the first time (summer time), "
            f"{second.isoformat()} the second time.")


def _dtype(column: Column, dataset: Dataset):
    """The pandas dtype a loaded column has."""
    if column.kind == "datetime":
        if dataset.time_zone is None:
            return np.dtype(f"datetime64[{_UNIT}]")
        return pd.DatetimeTZDtype(_UNIT, dataset.time_zone)
    if column.kind == "category":
        return pd.CategoricalDtype(column.categories) if column.categories else "category"
    nullable = {"int": "Int64", "bool": "boolean"}
    plain = {"int": "int64", "float": "float64", "bool": "bool", "text": "str"}
    return nullable.get(column.kind, plain[column.kind]) if column.nullable else plain[column.kind]


def _typed(column: Column, values: pd.Series, every_value: pd.Series, dataset: Dataset):
    """``values`` (a column's readable rows) in the column's dtype."""
    if column.kind == "category":
        labels = column.categories or sorted(every_value.dropna().unique())
        return pd.Series(pd.Categorical(values, categories=labels), index=values.index)
    if column.kind == "datetime":
        return values
    dtype = _dtype(column, dataset)
    return values.astype(dtype)


def _extra(text: pd.Series) -> pd.Series:
    """An extra column of the file: numbers when every cell is one, otherwise text.

    Codes with a leading zero (an agent id ``007``) stay text: as numbers they would lose it.
    """
    empty = text.isin(_EMPTY)
    number = pd.to_numeric(text.where(~empty), errors="coerce")
    coded = text.str.match(r"-?0\d").any()
    if (number.notna() | empty).all() and not empty.all() and not coded:
        whole = not empty.any() and bool((number == np.floor(number)).all())
        return number.astype("int64") if whole else number.astype("float64")
    return text.where(text != "")


# ------------------------------------------------------------------------ the schemas


def _schema(dataset: Dataset, present: set[str] | None = None) -> pa.DataFrameSchema:
    """The dataset's pandera schema, limited to the ``present`` columns when given."""
    present = {c.name for c in dataset.columns} if present is None else present
    columns = {}
    for column in dataset.columns:
        if column.name not in present:
            continue
        checks = []
        if column.minimum is not None:
            low = pa.Check.gt if column.above_minimum else pa.Check.ge
            checks.append(low(column.minimum))
        if column.maximum is not None:
            checks.append(pa.Check.le(column.maximum))
        if column.step_minutes:
            checks.append(pa.Check(_on_step(column.step_minutes),
                                   error=f"every {column.step_minutes} minutes"))
        columns[column.name] = pa.Column(_dtype(column, dataset), checks, nullable=column.nullable)
    rules = [pa.Check(_rule_test(rule), error=rule.expression, ignore_na=False)
             for rule in dataset.rules if set(rule.columns) <= present]
    unique = list(dataset.unique) if set(dataset.unique) <= present and dataset.unique else None
    return pa.DataFrameSchema(columns, checks=rules, unique=unique, strict=False,
                              name=dataset.name)


def _on_step(minutes: int):
    def on_step(times: pd.Series) -> pd.Series:
        return ((times.dt.minute % minutes == 0) & (times.dt.second == 0)
                & (times.dt.microsecond == 0))
    return on_step


def _rule_test(rule: Rule):
    def test(frame: pd.DataFrame) -> pd.Series:
        kept = pd.Series(frame.eval(rule.expression, engine="python"), index=frame.index)
        return kept.fillna(False).astype(bool)  # an empty cell (nullable ints) breaks a rule
    return test


# --------------------------------------------------------------------------- checking


@dataclass
class _Problems:
    """Everything wrong with one file, gathered, then said in one message.

    Each problem is a line (``column calls_offered, row 7: expected ...; found ...``) and
    the sentence that tells how to fix it, shown when it is the only problem.
    """

    shown: str
    file: list[tuple[str, str]] = field(default_factory=list)  # about the file as a whole
    cells: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)  # column, row
    repeats: list[tuple[str, str]] = field(default_factory=list)
    rules: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)  # rule, row

    def cell(self, column: str, row: int, line: str, fix: str) -> None:
        self.cells.setdefault(column, {}).setdefault(row, (line, fix))

    def rule(self, expression: str, row: int, line: str, fix: str) -> None:
        self.rules.setdefault(expression, {}).setdefault(row, (line, fix))

    def raise_if_any(self) -> None:
        groups = [self.file]
        groups += [[rows[r] for r in sorted(rows)] for rows in self.cells.values()]
        groups += [self.repeats]
        groups += [[rows[r] for r in sorted(rows)] for rows in self.rules.values()]
        count = sum(len(g) for g in groups)
        if count == 0:
            return
        if count == 1:
            line, fix = next(problem for g in groups for problem in g)
            joint = ": " if self.file else ", "  # "f.csv: no column ..." / "f.csv, column ..."
            raise DatasetError(f"{self.shown}{joint}{line} {fix}")
        shown = []
        for group in groups:
            shown += [line for line, _ in group[:_SHOWN]]
            if len(group) > _SHOWN:
                shown.append(f"... and {len(group) - _SHOWN} more like these.")
        raise DatasetError(
            f"{self.shown} has {count} problems (rows are numbered as in a spreadsheet: the "
            "column names are row 1):\n" + "\n".join(f"- {line}" for line in shown)
            + "\nFix these in the file and load it again.")


def _expected(column: Column, dataset: Dataset) -> str:
    """What a value of ``column`` must be, in plain words, for error messages."""
    if column.expected:
        return column.expected
    kind = column.kind
    if kind in ("int", "float"):
        words = f"{'a whole number' if kind == 'int' else 'a number'} of {column.unit}"
        low, high = column.minimum, column.maximum
        if low is not None and column.above_minimum:
            words += f", more than {_show(low)}"
        elif low is not None and high is not None:
            words += f", from {_show(low)} to {_show(high)}"
        elif low is not None:
            words += f", {_show(low)} or more"
        if high is not None and (low is None or column.above_minimum):
            words += f", at most {_show(high)}"
    elif kind == "datetime":
        if dataset.time_zone:
            example = _EXAMPLE_TIME.tz_localize(dataset.time_zone).isoformat()
            words = f"a date and time written year first, such as {example}"
        else:
            words = (f"a date and time written year first, such as {_EXAMPLE_TIME}, without "
                     "a UTC offset")
        if column.step_minutes:
            words += f", {_step_words(column.step_minutes)}"
    elif kind == "category":
        words = ("one of " + ", ".join(column.categories) if column.categories
                 else "a label (not empty)")
    elif kind == "bool":
        words = "true or false"
    else:
        words = "some text (not empty)"
    return words + (", or an empty cell" if column.nullable else "")


def _step_words(minutes: int) -> str:
    if minutes == 60:
        return "on the hour (hh:00)"
    if minutes == 30:
        return "at the start of a half-hour (hh:00 or hh:30)"
    return f"at a multiple of {minutes} minutes past the hour"


def _hint(column: Column, raw: str, dataset: Dataset) -> str:
    """A word on the likely mistake behind an unreadable value, or nothing."""
    if column.kind in ("int", "float"):
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", raw):
            return " (write numbers without a thousands separator)"
        if raw.endswith("%"):
            return " (write a share as a fraction: 0.85, not 85%)"
        if column.unit == "seconds" and re.fullmatch(r"\d+:\d{2}", raw):
            minutes, seconds = raw.split(":")
            return f" (write the time in seconds: {raw} is {int(minutes) * 60 + int(seconds)})"
        number = pd.to_numeric(pd.Series([raw]), errors="coerce")[0]
        if column.kind == "int" and np.isfinite(number) and number != np.floor(number):
            return f" (a count of {column.unit} has no fraction)"
    if column.kind == "datetime":
        if re.match(r"\d{1,2}/\d{1,2}/\d{2,4}", raw):
            return (" (write dates year first, 2025-06-02 rather than 02/06/2025, so that 2 June "
                    "cannot be read as 6 February)")
        if dataset.time_zone is None and re.search(_OFFSET, raw):
            return " (the times in this dataset have no UTC offset: leave it out)"
    return ""


def _found(raw: str) -> str:
    return "an empty cell" if raw == "" else f'"{raw}"'


def _check(raw: pd.DataFrame, dataset: Dataset, shown: str, decimal_comma: bool) -> pd.DataFrame:
    """Parse and validate the text of a file; the loaded DataFrame, or one DatasetError."""
    problems = _Problems(shown)
    wanted = [c.name for c in dataset.columns]
    present = [n for n in wanted if n in raw.columns]
    if len(present) < len(wanted):
        problems.file.append((_missing_line(dataset, list(raw.columns)),
                              "Add the missing columns, named exactly like that, and load the "
                              "file again."))
    parsed: dict[str, _Parsed] = {}
    for name in present:
        column = dataset.column(name)
        parsed[name] = result = _parse(column, raw[name], dataset, decimal_comma)
        expected = _expected(column, dataset)
        for row in result.bad[result.bad].index:
            if row in result.notes:
                problems.cell(name, row, result.notes[row],
                              "Fix the time in the file and load it again.")
                continue
            text = raw.at[row, name]
            problems.cell(name, row, f"column {name}, row {row}: expected {expected}; found "
                                     f"{_found(text)}{_hint(column, text, dataset)}.",
                          "Fix the value in the file and load it again.")

    # Rows whose every value could be read are checked against the schema (so a value that
    # could not be read does not also break a rule); if any could not, nothing is returned.
    readable = pd.Series(True, index=raw.index)
    for result in parsed.values():
        readable &= ~result.bad
    rows = readable[readable].index
    frame = pd.DataFrame(
        {name: _typed(dataset.column(name), parsed[name].values.loc[rows], parsed[name].values,
                      dataset) for name in present}, index=rows)
    try:
        _schema(dataset, set(present)).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        _explain(error.failure_cases, dataset, raw, frame, problems)
    problems.raise_if_any()

    extra = [n for n in raw.columns if n not in wanted]
    for name in extra:
        frame[name] = _extra(raw[name])
    return frame.reset_index(drop=True)


def _missing_line(dataset: Dataset, header: list[str]) -> str:
    wanted = [c.name for c in dataset.columns]
    missing = [n for n in wanted if n not in header]
    which = ("no column called " + missing[0] if len(missing) == 1
             else "no columns called " + ", ".join(missing[:-1]) + " or " + missing[-1])
    line = (f"{which}. A file of kind {dataset.name} needs the columns {', '.join(wanted)} "
            f"(other columns may follow); its first row has: {', '.join(header) or 'nothing'}.")
    squash = {re.sub(r"[^a-z0-9]+", "_", h.lower()).strip("_"): h for h in header}
    for name in missing:
        like = squash.get(name) or next(iter(difflib.get_close_matches(name, header, n=1,
                                                                       cutoff=0.8)), None)
        if like:
            line += f' Is "{like}" the column {name}? Rename it to {name}.'
    fits = [d.name for d in DATASETS
            if d is not dataset and all(c.name in header for c in d.columns)]
    if fits:
        line += f' Its columns fit kind="{fits[0]}": is that what the file holds?'
    return line


def _explain(cases: pd.DataFrame, dataset: Dataset, raw: pd.DataFrame, frame: pd.DataFrame,
             problems: _Problems) -> None:
    """Turn pandera's failure cases into lines naming the column, the row and the value."""
    rules = {rule.expression: rule for rule in dataset.rules}
    repeated: set[int] = set()
    for case in cases.to_dict("records"):
        check, name = case["check"], case["column"]
        row = None if pd.isna(case["index"]) else int(case["index"])
        if check in rules:
            if row is not None:
                problems.rule(check, row, _rule_line(rules[check], row, raw),
                              "Correct the numbers in that row and load the file again.")
        elif check in ("multiple_fields_uniqueness", "field_uniqueness"):
            if row is not None:
                repeated.add(row)
        elif row is not None and name in frame.columns:
            column = dataset.column(name)
            text = raw.at[row, name]
            problems.cell(name, row, f"column {name}, row {row}: expected "
                          f"{_expected(column, dataset)}; found {_found(text)}"
                          f"{_hint(column, text, dataset)}.",
                          "Fix the value in the file and load it again.")
        else:  # not expected from a frame built by _check; said plainly all the same
            where = f"column {name}" if isinstance(name, str) else "the file"
            at = "" if row is None else f" at row {row}"
            problems.file.append((f"{where}: failed the check {check}{at}.",
                                  "Fix the file and load it again."))
    if repeated:
        _explain_repeats(sorted(repeated), dataset, raw, frame, problems)
    # A row with a bad value in a rule's column breaks the rule because of that value: the
    # value is reported, the rule is checked again once it is fixed.
    for expression, rows in problems.rules.items():
        for row in list(rows):
            if any(row in problems.cells.get(c, {}) for c in rules[expression].columns):
                del rows[row]


def _rule_line(rule: Rule, row: int, raw: pd.DataFrame) -> str:
    columns = rule.columns
    named = ", ".join(columns[:-1]) + " and " + columns[-1] if len(columns) > 1 else columns[0]
    values = ", ".join(f"{c} {raw.at[row, c] or 'empty'}" for c in columns)
    pretty = rule.expression.replace("==", "=")
    return (f"row {row}, columns {named}: expected {pretty} ({rule.meaning}); "
            f"found {values}.")


def _explain_repeats(rows: list[int], dataset: Dataset, raw: pd.DataFrame, frame: pd.DataFrame,
                     problems: _Problems) -> None:
    keys = list(dataset.unique)
    groups: dict[tuple, list[int]] = {}
    for row in rows:  # by hand: groupby(...).groups warns in pandas 3 for one key in a list
        groups.setdefault(tuple(frame.loc[row, keys]), []).append(row)
    for members in groups.values():
        listed = ", ".join(map(str, members[:-1])) + f" and {members[-1]}"
        texts = {tuple(raw.loc[m, keys]) for m in members}
        if len(texts) == 1:
            value = " and ".join(f'"{t}"' for t in next(iter(texts)))
            times = "twice" if len(members) == 2 else f"{len(members)} times"
            found = f"found {value} {times}"
        else:
            found = "found the same value written as " + "; ".join(
                " and ".join(f'"{t}"' for t in raw.loc[m, keys]) + f" (row {m})" for m in members)
        line = (f"column{'s' if len(keys) > 1 else ''} {', '.join(keys)}, rows {listed}: "
                f"expected each {' and '.join(keys)} only once; {found}.")
        line += _fall_back_note(frame.loc[members[0], keys], dataset)
        problems.repeats.append((line, "Delete the extra row, or correct it, and load the "
                                       "file again."))


def _fall_back_note(key: pd.Series, dataset: Dataset) -> str:
    """Why a repeated time in the hour the clocks go back needs its UTC offset."""
    for value in key:
        if not isinstance(value, pd.Timestamp) or value.tz is None:
            continue
        wall = value.tz_localize(None)
        first, second = (wall.tz_localize(value.tz, ambiguous=a) for a in (True, False))
        if first != second:
            return (f" The clocks went back an hour that night, so {wall:%H}:00-{wall:%H}:59 "
                    f"came round twice in {_place(dataset.time_zone)} time: if these rows are "
                    "the two different half-hours, write each time with its UTC offset: "
                    f"{first.isoformat()} for the first (summer time), {second.isoformat()} "
                    "for the second.")
    return ""


# ------------------------------------------------------------------------ the dictionary


class _Markdown(str):
    """Markdown text that JupyterLab shows formatted."""

    def _repr_markdown_(self) -> str:
        return str(self)


_PREAMBLE = """
# Datasets: the data dictionary

<!-- Generated by opsfirst.datasets.dictionary_markdown() from src/opsfirst/_catalogue.py.
Do not edit this file by hand: edit the catalogue and generate it again. -->

The course's data, one CSV file per dataset. In a notebook:

```python
from opsfirst import datasets

calls = datasets.load("interval_history")     # parsed and checked
print(datasets.describe("interval_history"))  # its entry below
```

To check your own export against a dataset's columns and rules, give its path and its kind:
`datasets.load("my_export.csv", kind="interval_history")`. A file that does not fit raises a
`DatasetError` that names the file, the column and the row, says what was expected, and how
to fix it.

| dataset | what it holds |
|---|---|
{index}

## Conventions

- **Rows** are numbered as in a spreadsheet: the column names are row 1, the first row of
  data is row 2. Every row of data is kept; a row in which every cell is empty is not data
  and is skipped (it still counts in the numbering).
- **Columns**: every column of the entry must be there, named exactly as written. Other
  columns may follow and are kept (numbers as numbers, anything else as text).
- **Missing values**: an empty cell (in number and time columns `NA`, `N/A`, `NaN`, `null`
  and `#N/A` also count as empty), allowed only where a column says "may be empty".
- **Units**: counts are whole numbers of calls or agents; durations are in seconds;
  fractions are between 0 and 1, never percent.
- **Time zones**: the simulated centre is in the UK. Its times are local wall-clock time in
  the UK (`Europe/London`), written in ISO 8601 *with their UTC offset*:
  `2025-06-02T09:00:00+01:00` in summer (BST), `2025-12-01T09:00:00+00:00` in winter (GMT).
  The offset keeps the night the clocks go back unambiguous: `2025-10-26T01:30:00+01:00` and
  `2025-10-26T01:30:00+00:00` are two different half-hours, an hour apart. They load as
  time-zone-aware datetimes, `datetime64[us, Europe/London]`. In your own file the offset
  may be left out: times are then read as UK local time, and a time in the hour that happens
  twice (clocks go back) or never (clocks go forward) is an error asking for the offset.
  A real dataset from elsewhere keeps its own clock: its entry says so.
- **Simulated or real**: "calibrated to" gives the published figure a simulated column
  matches, with its source, or starts with "assumed" when no published source backs it.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _allowed(column: Column, dataset: Dataset) -> str:
    parts = []
    low, high = column.minimum, column.maximum
    if low is not None:
        parts.append(f"more than {_show(low)}" if column.above_minimum else f"{_show(low)} or more")
    if high is not None:
        parts.append(f"at most {_show(high)}")
    if column.kind == "int":
        parts.insert(0, "whole numbers")
    if column.step_minutes:
        parts.append(_step_words(column.step_minutes))
    if column.categories:
        parts.append("one of " + ", ".join(f"`{c}`" for c in column.categories))
    if column.kind == "bool":
        parts.append("true or false")
    if dataset.unique == (column.name,):
        parts.append("each value once")
    parts.append("may be empty" if column.nullable else "never empty")
    return "; ".join(parts)


def _time_zone_words(dataset: Dataset) -> str:
    if not any(c.kind == "datetime" for c in dataset.columns):
        return "no times in this dataset."
    if dataset.time_zone is None:
        return ("none: local clock times without a UTC offset, loaded as naive datetimes "
                f"(`datetime64[{_UNIT}]`).")
    example = _EXAMPLE_TIME.tz_localize(dataset.time_zone).isoformat()
    return (f"local time in {dataset.time_zone} with its UTC offset, e.g. `{example}`; loaded "
            f"as `datetime64[{_UNIT}, {dataset.time_zone}]` (see *Time zones* above).")


def _entry_markdown(dataset: Dataset) -> str:
    lines = [
        f"## {dataset.name}: {dataset.title}",
        "",
        dataset.description,
        "",
        f'- **Load**: `load("{dataset.name}")`; your own file: '
        f'`load("my_export.csv", kind="{dataset.name}")`.',
        f"- **Source**: {dataset.source}",
        f"- **Licence**: {dataset.licence}",
        f"- **Time zone**: {_time_zone_words(dataset)}",
    ]
    if dataset.unique:
        lines.append("- **One row per**: " + " and ".join(f"`{n}`" for n in dataset.unique)
                     + " (no value twice).")
    lines += ["", "| column | type | unit | allowed values | meaning |", "|---|---|---|---|---|"]
    for column in dataset.columns:
        dtype = str(pd.Series(dtype=_dtype(column, dataset)).dtype)
        lines.append(f"| `{column.name}` | {column.kind} (`{dtype}`) | {_cell(column.unit)} | "
                     f"{_cell(_allowed(column, dataset))} | {_cell(column.meaning)} |")
    if dataset.rules:
        lines += ["", "Rules every row keeps:", ""]
        lines += [f"- `{r.expression.replace('==', '=')}`: {r.meaning}." for r in dataset.rules]
    lines += ["", "How each column was made, and what it is calibrated to:", ""]
    lines += [f"- `{c.name}`: {c.generated} *Calibrated to*: {c.calibrated_to}"
              for c in dataset.columns]
    return "\n".join(lines)
