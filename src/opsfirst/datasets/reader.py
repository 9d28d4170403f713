"""Finding, reading, parsing and checking a dataset's CSV: the work of ``datasets.load()``.

* finding the file -- :func:`resolve` says which file ``load()``'s arguments mean and which
  catalogue entry it must fit (:func:`lookup`); the shipped CSVs are in ``datasets/``, or in
  the folder the environment variable ``OPSFIRST_DATASETS`` names (:func:`shipped_names`);
* reading the text -- :func:`read` gives the file as a table of stripped strings, its rows
  numbered as in a spreadsheet;
* from text to values -- each column parsed as its kind says, into the dtype it loads as
  (:func:`loaded_dtype`);
* the schemas -- :func:`schema`, a dataset's pandera schema, built from the catalogue;
* checking -- :func:`check` parses and validates the text, and turns every problem into a
  line naming the column and the row; together they make one :class:`DatasetError`.

The public functions of :mod:`opsfirst.datasets` call these. The data dictionary
(:mod:`opsfirst.datasets.dictionary`) describes the allowed values with the same words and
dtypes (:func:`step_words`, :func:`loaded_dtype`, ``UNIT``, ``EXAMPLE_TIME``).
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

from opsfirst._inputs import show
from opsfirst._paths import DATASETS as DATASETS_FOLDER

from .catalogue import CATALOGUE, DATASETS, Column, Dataset, Rule

ENVIRONMENT_VARIABLE = "OPSFIRST_DATASETS"
"""Environment variable naming the folder of the dataset CSVs (default: ``datasets/``)."""

UNIT = "us"  # datetime resolution of every loaded time column (pandas 3's default for text)
_SHOWN = 3  # problems shown per column or rule before "and N more"
_EMPTY = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "#N/A", "null", "NULL"})
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                   r"(?:Z|[+-]\d{2}(?::?\d{2})?)?")
_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?)$"
EXAMPLE_TIME = pd.Timestamp("2025-06-02 09:00")  # the time examples in messages show
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

    __module__ = "opsfirst.datasets"  # its public name, as tracebacks and pickle give it


# --------------------------------------------------------------------- finding the file


def _folder() -> Path:
    """The folder of the shipped CSVs, or a DatasetError saying where it looked."""
    setting = os.environ.get(ENVIRONMENT_VARIABLE)
    if setting:
        folder, how = Path(setting).expanduser(), f"set by {ENVIRONMENT_VARIABLE}"
    else:
        folder = DATASETS_FOLDER
        how = f"the repository's datasets folder; {ENVIRONMENT_VARIABLE} is not set"
    if not folder.is_dir():
        raise DatasetError(
            f"The datasets folder is not there: looked in {folder} ({how}). Set the "
            f"environment variable {ENVIRONMENT_VARIABLE} to the folder that holds the "
            "dataset CSV files, or build them with `python -m opsfirst.datasets.builders`.")
    return folder


def shipped_names() -> list[str]:
    """The catalogue's datasets whose CSV is in the datasets folder, by name, sorted."""
    folder = _folder()
    return sorted(p.stem for p in folder.glob("*.csv") if p.stem in CATALOGUE and p.is_file())


def lookup(kind: Any) -> Dataset:
    """The catalogue entry of the dataset kind ``kind``, or a DatasetError naming the kinds."""
    if isinstance(kind, str) and kind in CATALOGUE:
        return CATALOGUE[kind]
    close = difflib.get_close_matches(str(kind), CATALOGUE, n=1)
    maybe = f' Did you mean "{close[0]}"?' if close else ""
    raise DatasetError(f"There is no dataset kind called {kind!r}.{maybe} The kinds are: "
                       f"{', '.join(CATALOGUE)}.")


def resolve(name_or_path: Any, kind: str | None) -> tuple[Dataset, Path, str]:
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
                shipped = shipped_names()
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
                f"it with `python -m opsfirst.datasets.builders {text}`, or set "
                f"{ENVIRONMENT_VARIABLE} to the folder that holds {text}.csv.")
        return CATALOGUE[text], path, path.name
    if kind is None:
        raise DatasetError(
            f'To check your own file {text}, say which kind of data it holds, e.g. '
            f'load("{text}", kind="interval_history"). The kinds are: {", ".join(CATALOGUE)} '
            '(describe(kind) lists the columns each needs).')
    dataset = lookup(kind)
    path = Path(text).expanduser()
    if not path.is_file():
        why = "is a folder, not a file" if path.is_dir() else "is not there"
        hint = ""
        if path.stem in CATALOGUE and not path.parent.name:
            hint = f' To load the dataset shipped with the course, write load("{path.stem}").'
        raise DatasetError(f"{text} {why}: looked for {path.absolute()}.{hint}")
    return dataset, path, text


# ------------------------------------------------------------------------ reading the text


def read(path: Path, shown: str) -> tuple[pd.DataFrame, str]:
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
    naive = naive.astype(f"datetime64[{UNIT}]")
    zone = dataset.time_zone
    if zone is None:
        return naive, naive.notna(), {}
    aware = pd.to_datetime(text.where(offset), format="ISO8601", utc=True, errors="coerce")
    aware = aware.dt.tz_convert(zone).dt.as_unit(UNIT)
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


def loaded_dtype(column: Column, dataset: Dataset):
    """The pandas dtype a loaded column has."""
    if column.kind == "datetime":
        if dataset.time_zone is None:
            return np.dtype(f"datetime64[{UNIT}]")
        return pd.DatetimeTZDtype(UNIT, dataset.time_zone)
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
    dtype = loaded_dtype(column, dataset)
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


def schema(dataset: Dataset, present: set[str] | None = None) -> pa.DataFrameSchema:
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
        columns[column.name] = pa.Column(loaded_dtype(column, dataset), checks,
                                         nullable=column.nullable)
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
            words += f", more than {show(low)}"
        elif low is not None and high is not None:
            words += f", from {show(low)} to {show(high)}"
        elif low is not None:
            words += f", {show(low)} or more"
        if high is not None and (low is None or column.above_minimum):
            words += f", at most {show(high)}"
    elif kind == "datetime":
        if dataset.time_zone:
            example = EXAMPLE_TIME.tz_localize(dataset.time_zone).isoformat()
            words = f"a date and time written year first, such as {example}"
        else:
            words = (f"a date and time written year first, such as {EXAMPLE_TIME}, without "
                     "a UTC offset")
        if column.step_minutes:
            words += f", {step_words(column.step_minutes)}"
    elif kind == "category":
        words = ("one of " + ", ".join(column.categories) if column.categories
                 else "a label (not empty)")
    elif kind == "bool":
        words = "true or false"
    else:
        words = "some text (not empty)"
    return words + (", or an empty cell" if column.nullable else "")


def step_words(minutes: int) -> str:
    """Where on the clock a time on a step of ``minutes`` falls, in words."""
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


def check(raw: pd.DataFrame, dataset: Dataset, shown: str, decimal_comma: bool) -> pd.DataFrame:
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
        schema(dataset, set(present)).validate(frame, lazy=True)
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
        else:  # not expected from a frame built by check(); said plainly all the same
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
