"""Check opsfirst.datasets: what load() gives back, and how it refuses a file that does not fit.

Every bad-data test writes a tiny CSV to a temporary folder and checks that the one
DatasetError names the file, the column, the row as a spreadsheet counts it (the column
names are row 1) and what was expected.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opsfirst import datasets
from opsfirst.datasets import DatasetError
from opsfirst.datasets.catalogue import CATALOGUE, Column, Dataset, Rule

REPO = Path(__file__).resolve().parents[2]
HEADER = ("interval_start,calls_offered,calls_answered,calls_abandoned,answered_within_20s,"
          "aht_seconds,agents")


def sample_rows(seed: int = 2026) -> list[str]:
    """Two open days of a valid interval_history: Friday 24 and Saturday 25 October 2025."""
    rng = np.random.default_rng(seed)
    rows = []
    for day, (opens, closes) in (("2025-10-24", (8, 20)), ("2025-10-25", (9, 17))):
        for start in pd.date_range(f"{day} {opens:02d}:00", f"{day} {closes - 1:02d}:30",
                                   freq="30min", tz="Europe/London"):
            offered = int(rng.integers(20, 120))
            abandoned = int(rng.integers(0, 6))
            answered = offered - abandoned
            within = int(rng.integers(0, answered + 1))
            aht = round(float(rng.uniform(200, 400)), 1)
            rows.append(f"{start.isoformat()},{offered},{answered},{abandoned},{within},{aht},"
                        f"{int(rng.integers(5, 25))}")
    # The last half-hour of Saturday: nobody called, so there is no handle time.
    rows[-1] = rows[-1].split(",")[0] + ",0,0,0,0,,3"
    return rows


def write(folder: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    path = folder / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def replace_row(rows: list[str], spreadsheet_row: int, **values: str) -> list[str]:
    """A copy of rows with some cells of one row changed (row 2 is rows[0])."""
    names = HEADER.split(",")
    rows = list(rows)
    cells = rows[spreadsheet_row - 2].split(",")
    for name, value in values.items():
        cells[names.index(name)] = value
    rows[spreadsheet_row - 2] = ",".join(cells)
    return rows


def error_of(path: Path, kind: str = "interval_history") -> str:
    with pytest.raises(DatasetError) as caught:
        datasets.load(path, kind=kind)
    return str(caught.value)


def assert_names(message: str, *parts: str) -> None:
    for part in parts:
        assert part in message, f"{part!r} is not in the message:\n{message}"


@pytest.fixture
def rows() -> list[str]:
    return sample_rows()


# ------------------------------------------------------------------------ valid files


def test_valid_file_keeps_every_row_in_order(tmp_path, rows):
    """Check that no row is dropped: rows in == rows out, in file order, values unchanged."""
    frame = datasets.load(write(tmp_path, "export.csv", rows), kind="interval_history")
    assert len(frame) == len(rows) == 40
    assert list(frame.index) == list(range(len(rows)))
    first = rows[0].split(",")
    assert frame["interval_start"].iloc[0] == pd.Timestamp(first[0])
    assert frame["calls_offered"].iloc[0] == int(first[1])
    assert frame["interval_start"].is_monotonic_increasing


def test_valid_file_gets_the_dictionary_dtypes(tmp_path, rows):
    """Check that times are tz-aware Europe/London, counts int64 and handle times float64."""
    frame = datasets.load(write(tmp_path, "export.csv", rows), kind="interval_history")
    assert isinstance(frame["interval_start"].dtype, pd.DatetimeTZDtype)
    assert str(frame["interval_start"].dt.tz) == "Europe/London"
    for name in ("calls_offered", "calls_answered", "calls_abandoned", "answered_within_20s",
                 "agents"):
        assert frame[name].dtype == np.int64, name
    assert frame["aht_seconds"].dtype == np.float64
    assert np.isnan(frame["aht_seconds"].iloc[-1])  # no calls answered, no handle time


def test_loaded_frame_passes_the_public_schema(tmp_path, rows):
    """Check that schema(kind) accepts what load() returns, and refuses a broken copy."""
    frame = datasets.load(write(tmp_path, "export.csv", rows), kind="interval_history")
    datasets.schema("interval_history").validate(frame, lazy=True)
    broken = frame.assign(calls_answered=frame["calls_answered"] + 1)
    with pytest.raises(Exception, match="calls_offered"):
        datasets.schema("interval_history").validate(broken, lazy=True)


def test_times_without_offset_are_read_as_uk_local_time(tmp_path, rows):
    """Check that a learner's file without UTC offsets gets BST in summer and GMT in winter."""
    naive = [re.sub(r"\+0[01]:00", "", r) for r in rows]
    summer = replace_row(naive, 2, interval_start="2025-06-02 09:00")
    winter = replace_row(summer, 3, interval_start="2025-12-01 09:00")
    frame = datasets.load(write(tmp_path, "naive.csv", winter), kind="interval_history")
    assert frame["interval_start"].iloc[0].isoformat() == "2025-06-02T09:00:00+01:00"
    assert frame["interval_start"].iloc[1].isoformat() == "2025-12-01T09:00:00+00:00"


def test_fall_back_hour_with_offsets_is_not_a_duplicate(tmp_path, rows):
    """Check that 01:30+01:00 and 01:30+00:00 on 26 October 2025 load as two half-hours."""
    night = [f"2025-10-26T{t},10,10,0,9,300.0,3" for t in (
        "00:30:00+01:00", "01:00:00+01:00", "01:30:00+01:00",
        "01:00:00+00:00", "01:30:00+00:00", "02:00:00+00:00")]
    frame = datasets.load(write(tmp_path, "night.csv", rows + night), kind="interval_history")
    assert len(frame) == len(rows) + 6
    times = frame["interval_start"].iloc[-6:]
    assert times.is_unique
    assert (times.diff().dropna() == pd.Timedelta(minutes=30)).all()  # one real half-hour apart


def test_extra_columns_are_kept_without_comment(tmp_path, rows):
    """Check that a manager's extra columns stay, numbers as numbers, text as text."""
    extended = [r + f",{i},Team {'AB'[i % 2]}" for i, r in enumerate(rows)]
    path = write(tmp_path, "wider.csv", extended, header=HEADER + ",queue_id,team")
    frame = datasets.load(path, kind="interval_history")
    assert list(frame.columns) == HEADER.split(",") + ["queue_id", "team"]
    assert frame["queue_id"].dtype == np.int64
    assert frame["team"].iloc[:2].tolist() == ["Team A", "Team B"]


def test_empty_rows_are_skipped_but_still_counted(tmp_path, rows):
    """Check that ',,,,' and blank lines are not data, and later row numbers still match."""
    padded = rows[:3] + [",,,,,,", ""] + rows[3:]
    path = write(tmp_path, "gaps.csv", padded)
    assert len(datasets.load(path, kind="interval_history")) == len(rows)
    bad = replace_row(padded, 8, calls_offered="twelve")  # rows 5 and 6 are the empty ones
    assert_names(error_of(write(tmp_path, "gaps.csv", bad)), "row 8:", '"twelve"')


def test_semicolons_and_decimal_commas_are_read(tmp_path, rows):
    """Check that a continental Excel export (; between values, 301,5) loads the same."""
    continental = [r.replace(",", ";") for r in rows]
    continental = [re.sub(r";(\d+)\.(\d);", r";\1,\2;", r) for r in continental]
    path = write(tmp_path, "semi.csv", continental, header=HEADER.replace(",", ";"))
    semi = datasets.load(path, kind="interval_history")
    plain = datasets.load(write(tmp_path, "plain.csv", rows), kind="interval_history")
    pd.testing.assert_frame_equal(semi, plain)


def test_loading_writes_nothing_to_stderr(tmp_path, rows):
    """Check that a load raises no warning: nbgrader gives 0 to a cell that writes to stderr."""
    path = write(tmp_path, "export.csv", rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        datasets.load(path, kind="interval_history")
        with pytest.raises(DatasetError):
            datasets.load(write(tmp_path, "bad.csv", replace_row(rows, 4, calls_offered="x")),
                          kind="interval_history")


# --------------------------------------------------------------------------- bad data


def test_text_in_a_number_column_names_file_column_row_and_expectation(tmp_path, rows):
    """Check the exact message for "twelve" in calls_offered, row 7."""
    path = write(tmp_path, "my_export.csv", replace_row(rows, 7, calls_offered="twelve"))
    assert error_of(path) == (
        f"{path}, column calls_offered, row 7: expected a whole number of calls, 0 or more; "
        'found "twelve". Fix the value in the file and load it again.')


def test_missing_column_says_which_columns_are_expected(tmp_path, rows):
    """Check that a missing column is named, with the full list of columns a file needs."""
    header = HEADER.replace("calls_abandoned", "Abandoned")
    message = error_of(write(tmp_path, "short.csv", rows, header=header))
    assert_names(message, "short.csv", "no column called calls_abandoned",
                 "needs the columns " + ", ".join(HEADER.split(",")), "Abandoned")


def test_misspelt_column_gets_a_rename_hint(tmp_path, rows):
    """Check that "Calls Offered" is recognised as calls_offered spelt differently."""
    header = HEADER.replace("calls_offered", "Calls Offered")
    message = error_of(write(tmp_path, "spelt.csv", rows, header=header))
    assert_names(message, 'Is "Calls Offered" the column calls_offered? Rename it')


def test_negative_count(tmp_path, rows):
    """Check that a negative count names the column, row and the 0-or-more rule."""
    bad = replace_row(rows, 5, calls_answered="-3", calls_abandoned=str(
        int(rows[3].split(",")[1]) + 3), answered_within_20s="0")
    message = error_of(write(tmp_path, "negative.csv", bad))
    assert message.startswith(f"{tmp_path / 'negative.csv'}, column calls_answered, row 5: ")
    assert_names(message, "expected a whole number of calls, 0 or more", 'found "-3"')


def test_fraction_of_a_call(tmp_path, rows):
    """Check that 12.5 calls is refused with a word on why."""
    message = error_of(write(tmp_path, "half.csv", replace_row(rows, 3, agents="12.5")))
    assert_names(message, "column agents, row 3", "a whole number of agents", '"12.5"',
                 "has no fraction")


def test_unparseable_time(tmp_path, rows):
    """Check that a time that is not a time names the row and shows the format expected."""
    message = error_of(write(tmp_path, "times.csv",
                             replace_row(rows, 4, interval_start="half past nine")))
    assert_names(message, "times.csv, column interval_start, row 4",
                 "expected a date and time written year first, such as "
                 "2025-06-02T09:00:00+01:00", '"half past nine"')


def test_day_first_date_gets_a_year_first_hint(tmp_path, rows):
    """Check that 24/10/2025 09:00 is refused with the reason (2 June vs 6 February)."""
    message = error_of(write(tmp_path, "uk.csv",
                             replace_row(rows, 2, interval_start="24/10/2025 09:00")))
    assert_names(message, "column interval_start, row 2", "write dates year first")


def test_time_off_the_half_hour(tmp_path, rows):
    """Check that 09:15 in a half-hour dataset is refused."""
    message = error_of(write(tmp_path, "quarter.csv",
                             replace_row(rows, 4, interval_start="2025-10-24T09:15:00+01:00")))
    assert_names(message, "column interval_start, row 4", "at the start of a half-hour")


def test_duplicated_interval(tmp_path, rows):
    """Check that two rows with the same interval_start are both named."""
    bad = replace_row(rows, 9, interval_start=rows[4].split(",")[0])
    message = error_of(write(tmp_path, "twice.csv", bad))
    assert_names(message, "twice.csv, column interval_start, rows 6 and 9",
                 "expected each interval_start only once", f'"{rows[4].split(",")[0]}" twice')
    assert "UTC offset" not in message  # an ordinary day: nothing about clocks


def test_duplicate_in_the_fall_back_hour_explains_utc_offsets(tmp_path, rows):
    """Check that a repeated 01:30+01:00 on 26 October says how to write the second 01:30."""
    night = [f"2025-10-26T{t},10,10,0,9,300.0,3" for t in (
        "01:00:00+01:00", "01:30:00+01:00", "01:00:00+00:00", "01:30:00+01:00")]
    message = error_of(write(tmp_path, "night.csv", rows + night))
    first = len(rows) + 3  # row of the first 01:30
    assert_names(message, f"column interval_start, rows {first} and {first + 2}",
                 "clocks went back", "UTC offset", "2025-10-26T01:30:00+01:00",
                 "2025-10-26T01:30:00+00:00")


def test_naive_time_in_the_fall_back_hour_asks_for_the_offset(tmp_path, rows):
    """Check that 01:30 without offset on 26 October is refused: it happened twice."""
    night = ["2025-10-26 01:30,10,10,0,9,300.0,3", "2025-10-26 01:30,12,12,0,9,300.0,3"]
    message = error_of(write(tmp_path, "naive_night.csv", rows + night))
    row = len(rows) + 2
    assert_names(message, f"column interval_start, row {row}", "happened twice",
                 "UTC offset", "2025-10-26T01:30:00+01:00", "2025-10-26T01:30:00+00:00")


def test_time_skipped_by_the_spring_clock_change(tmp_path, rows):
    """Check that 01:30 on 30 March 2025 (clocks went forward) is refused."""
    message = error_of(write(tmp_path, "spring.csv",
                             replace_row(rows, 2, interval_start="2025-03-30 01:30")))
    assert_names(message, "column interval_start, row 2", "never happened", "clocks went forward")


def test_answered_more_than_offered_breaks_the_rule(tmp_path, rows):
    """Check that calls_answered > calls_offered names the row, the columns and the values."""
    offered = int(rows[5].split(",")[1])
    bad = replace_row(rows, 7, calls_answered=str(offered + 4), answered_within_20s="0")
    message = error_of(write(tmp_path, "rule.csv", bad))
    assert_names(message, "rule.csv, row 7, columns calls_answered, calls_abandoned and "
                 "calls_offered", "expected calls_answered + calls_abandoned = calls_offered",
                 f"calls_answered {offered + 4}", f"calls_offered {offered}")


def test_answered_within_20s_above_answered_breaks_the_rule(tmp_path, rows):
    """Check the second rule: answered within 20 s cannot exceed answered."""
    answered = int(rows[2].split(",")[2])
    bad = replace_row(rows, 4, answered_within_20s=str(answered + 1))
    message = error_of(write(tmp_path, "within.csv", bad))
    assert_names(message, "row 4, columns answered_within_20s and calls_answered",
                 "expected answered_within_20s <= calls_answered")


def test_handle_time_empty_only_when_nothing_answered(tmp_path, rows):
    """Check that an empty aht_seconds is refused where calls were answered."""
    message = error_of(write(tmp_path, "aht.csv", replace_row(rows, 3, aht_seconds="")))
    assert_names(message, "row 3, columns calls_answered and aht_seconds", "aht_seconds empty")


def test_several_problems_in_one_message(tmp_path, rows):
    """Check that every problem is listed, the first three of a column then "and N more"."""
    bad = rows
    for row in (3, 4, 5, 6, 7):
        bad = replace_row(bad, row, agents="many")
    bad = replace_row(bad, 9, interval_start="soon")
    message = error_of(write(tmp_path, "messy.csv", bad))
    assert_names(message, "messy.csv has 6 problems", "the column names are row 1",
                 "column agents, row 3", "column agents, row 5", "and 2 more like these",
                 "column interval_start, row 9")
    assert "row 6:" not in message


def test_empty_file(tmp_path):
    """Check that an empty file (or one of blank lines) says it is empty."""
    for text in ("", "\n\n  \n"):
        path = tmp_path / "nothing.csv"
        path.write_text(text)
        assert_names(error_of(path), "nothing.csv is empty")


def test_column_names_but_no_rows(tmp_path):
    """Check that a file with only the column names says there are no rows."""
    message = error_of(write(tmp_path, "header.csv", []))
    assert_names(message, "header.csv has column names but no rows of data")


def no_chained_traceback(error: BaseException) -> bool:
    """True when Python prints only this error, no "During handling..." pandas traceback."""
    return error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, what", [
    ("calls.xlsx", xlsx_bytes(), "an Excel workbook"),
    ("calls.csv", xlsx_bytes(), "an Excel workbook"),  # renamed
    ("chart.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a PNG image"),
    ("binary.csv", b"\x00\x01\x02garbage" * 50, "not text"),
])
def test_not_a_csv_is_one_line_not_a_traceback(tmp_path, name, content, what):
    """Check that a workbook or an image gives one line saying what it is and how to fix it."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DatasetError) as caught:
        datasets.load(path, kind="interval_history")
    message = str(caught.value)
    assert "\n" not in message
    assert_names(message, name, "is not a CSV file", what, "CSV UTF-8")
    assert no_chained_traceback(caught.value)


def test_row_with_too_many_values(tmp_path, rows):
    """Check that an unquoted comma inside a value is a one-line error naming the row."""
    bad = list(rows)
    bad[2] += ",oops"
    with pytest.raises(DatasetError) as caught:
        datasets.load(write(tmp_path, "ragged.csv", bad), kind="interval_history")
    assert_names(str(caught.value), "ragged.csv, row 4", "expected 7 values", "found 8")
    assert no_chained_traceback(caught.value)


def test_bank_calls_times_stay_naive_and_refuse_offsets(tmp_path):
    """Check that bank_calls keeps the bank's clock without time zone."""
    good = write(tmp_path, "bank.csv", ["2003-03-03 07:00:00,560", "2003-03-03 07:30:00,609"],
                 header="interval_start,calls")
    frame = datasets.load(good, kind="bank_calls")
    assert frame["interval_start"].dt.tz is None
    assert frame["calls"].dtype == np.int64
    bad = write(tmp_path, "bank.csv", ["2003-03-03T07:00:00+00:00,560"],
                header="interval_start,calls")
    assert_names(error_of(bad, "bank_calls"), "column interval_start, row 2",
                 "without a UTC offset")


def test_category_text_and_bool_columns(tmp_path, monkeypatch):
    """Check the kinds no shipped dataset uses yet: categories, text and true/false."""
    entry = Dataset(
        name="contacts_example", title="t", description="d", source="s", licence="l",
        time_zone=None,
        columns=(
            Column("channel", "category", unit="channel", meaning="m", generated="g",
                   calibrated_to="assumed", categories=("voice", "chat", "email")),
            Column("team", "category", unit="team", meaning="m", generated="g",
                   calibrated_to="assumed"),
            Column("note", "text", unit="text", meaning="m", generated="g",
                   calibrated_to="assumed", nullable=True),
            Column("resolved", "bool", unit="yes/no", meaning="m", generated="g",
                   calibrated_to="assumed"),
        ))
    monkeypatch.setitem(CATALOGUE, entry.name, entry)
    header = "channel,team,note,resolved"
    frame = datasets.load(write(tmp_path, "c.csv", ["chat,B,,yes", "voice,A,call back,FALSE"],
                                header=header), kind=entry.name)
    assert frame["channel"].dtype == pd.CategoricalDtype(["voice", "chat", "email"])
    assert list(frame["team"].cat.categories) == ["A", "B"]
    assert frame["resolved"].tolist() == [True, False] and frame["resolved"].dtype == bool
    assert pd.isna(frame["note"].iloc[0])
    message = error_of(write(tmp_path, "c.csv", ["fax,A,,maybe"], header=header), entry.name)
    assert_names(message, "column channel, row 2: expected one of voice, chat, email",
                 "column resolved, row 2: expected true or false")


# ------------------------------------------------------------------- names and folders


def test_names_lists_shipped_files_with_a_catalogue_entry(tmp_path, monkeypatch, rows):
    """Check that names() lists the catalogue's CSVs in OPSFIRST_DATASETS, and load finds them."""
    write(tmp_path, "interval_history.csv", rows)
    write(tmp_path, "notes.csv", ["1"], header="a")
    monkeypatch.setenv(datasets.ENVIRONMENT_VARIABLE, str(tmp_path))
    assert datasets.names() == ["interval_history"]
    assert len(datasets.load("interval_history")) == len(rows)


def test_missing_folder_says_where_it_looked(tmp_path, monkeypatch):
    """Check that a missing datasets folder is named, with the environment variable."""
    monkeypatch.setenv(datasets.ENVIRONMENT_VARIABLE, str(tmp_path / "nowhere"))
    for call in (datasets.names, lambda: datasets.load("interval_history")):
        with pytest.raises(DatasetError) as caught:
            call()
        assert_names(str(caught.value), str(tmp_path / "nowhere"), "OPSFIRST_DATASETS")


def test_known_name_whose_file_is_missing(tmp_path, monkeypatch):
    """Check that a catalogue dataset missing from the folder says where it looked."""
    monkeypatch.setenv(datasets.ENVIRONMENT_VARIABLE, str(tmp_path))
    with pytest.raises(DatasetError, match="looked for .*bank_calls.csv"):
        datasets.load("bank_calls")


def test_unknown_name_lists_the_names(tmp_path, monkeypatch, rows):
    """Check that a typo gets the list of datasets and a suggestion."""
    write(tmp_path, "interval_history.csv", rows)
    monkeypatch.setenv(datasets.ENVIRONMENT_VARIABLE, str(tmp_path))
    with pytest.raises(DatasetError) as caught:
        datasets.load("interval_histroy")
    assert_names(str(caught.value), 'no dataset called "interval_histroy"',
                 'Did you mean "interval_history"?', "The datasets are: interval_history.")


def test_path_without_kind_asks_for_kind(tmp_path, rows):
    """Check that a learner's file without kind= gets asked for it, with the kinds listed."""
    path = write(tmp_path, "my_export.csv", rows)
    with pytest.raises(DatasetError) as caught:
        datasets.load(path)
    assert_names(str(caught.value), "my_export.csv", "kind=", "interval_history", "bank_calls")


def test_unknown_kind_lists_the_kinds(tmp_path, rows):
    """Check that kind="intervals" is refused with the kinds listed."""
    with pytest.raises(DatasetError) as caught:
        datasets.load(write(tmp_path, "my_export.csv", rows), kind="intervals")
    assert_names(str(caught.value), "'intervals'", "interval_history, bank_calls")


def test_missing_file_says_where_it_looked(tmp_path):
    """Check that a path that is not there is named with its absolute location."""
    with pytest.raises(DatasetError) as caught:
        datasets.load(tmp_path / "gone.csv", kind="interval_history")
    assert_names(str(caught.value), str(tmp_path / "gone.csv"), "is not there")


def test_dataset_error_is_a_value_error():
    """Check that DatasetError can be caught as the ValueError the house style raises."""
    assert issubclass(DatasetError, ValueError)


# ---------------------------------------------------------------- the data dictionary


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_describe_gives_the_entry_with_every_column(name):
    """Check that describe() is the dictionary entry and mentions every column and rule."""
    text = datasets.describe(name)
    assert text.startswith(f"## {name}: ")
    for column in CATALOGUE[name].columns:
        assert f"| `{column.name}` |" in text
        assert column.meaning in text
    for rule in CATALOGUE[name].rules:
        assert rule.meaning in text
    assert text in datasets.dictionary_markdown()
    assert text._repr_markdown_() == text  # shown formatted in JupyterLab


def test_describe_unknown_name():
    """Check that describe() of an unknown name lists the kinds."""
    with pytest.raises(DatasetError, match="interval_history, bank_calls"):
        datasets.describe("calls")


def test_dictionary_states_the_conventions():
    """Check that the time-zone convention and the bank_calls hold-out are written down."""
    text = datasets.dictionary_markdown()
    assert_names(text, "2025-10-26T01:30:00+01:00", "2025-10-26T01:30:00+00:00", "Europe/London",
                 "with their UTC offset")
    assert_names(datasets.describe("bank_calls"), "no handling times", "29 August 2003",
                 "held back for out-of-sample evaluation", "deliberately not shipped",
                 "To confirm")


def test_committed_dictionary_matches_the_catalogue():
    """Check that datasets/README.md is exactly dictionary_markdown(): it never drifts."""
    committed = (REPO / "datasets" / "README.md").read_text()
    assert committed == datasets.dictionary_markdown(), (
        "datasets/README.md differs from the catalogue: regenerate it with "
        "`python -m opsfirst.datasets.builders` (make datasets)")


def test_every_column_says_what_it_is_calibrated_to():
    """Check that simulated columns are calibrated to a source or labelled "assumed"."""
    for entry in CATALOGUE.values():
        for column in entry.columns:
            assert column.calibrated_to.strip(), (entry.name, column.name)
    for column in CATALOGUE["interval_history"].columns:
        assert column.calibrated_to.startswith("assumed"), column.name


def test_catalogue_refuses_a_rule_on_an_unknown_column():
    """Check that a typo in a rule fails when the entry is written, not in a notebook."""
    column = Column("calls", "int", unit="calls", meaning="m", generated="g",
                    calibrated_to="assumed", minimum=0)
    with pytest.raises(ValueError, match="callz"):
        Dataset(name="x", title="t", description="d", source="s", licence="l", time_zone=None,
                columns=(column,), rules=(Rule("callz >= 0", "m"),))


# ------------------------------------------------------------------- the shipped files


def test_shipped_datasets_load_with_every_row():
    """Check that each shipped CSV fits its entry and loads with as many rows as it has lines."""
    folder = REPO / "datasets"
    shipped = [p for p in folder.glob("*.csv") if p.stem in CATALOGUE]
    if not shipped:
        pytest.skip("no shipped datasets in datasets/ yet")
    for path in shipped:
        lines = path.read_text().splitlines()
        frame = datasets.load(path, kind=path.stem)
        assert len(frame) == len(lines) - 1, path.name


def test_utf16_and_windows_encodings_are_read(tmp_path, rows):
    """Check that Excel's "Unicode text" (UTF-16, tabs) and a cp1252 export load."""
    plain = datasets.load(write(tmp_path, "plain.csv", rows), kind="interval_history")
    tabbed = "\n".join([HEADER] + rows).replace(",", "\t") + "\n"
    (tmp_path / "unicode.txt").write_bytes(tabbed.encode("utf-16"))
    pd.testing.assert_frame_equal(datasets.load(tmp_path / "unicode.txt",
                                                kind="interval_history"), plain)
    extended = [r + ",Cr\u00e8me" for r in rows]  # è is one byte in cp1252, not UTF-8
    (tmp_path / "windows.csv").write_bytes(
        "\n".join([HEADER + ",team"] + extended).encode("cp1252"))
    frame = datasets.load(tmp_path / "windows.csv", kind="interval_history")
    assert frame["team"].iloc[0] == "Cr\u00e8me"


def test_extra_codes_keep_their_leading_zeros(tmp_path, rows):
    """Check that an extra column of codes like 007 stays text."""
    coded = [r + f",00{i % 10}" for i, r in enumerate(rows)]
    frame = datasets.load(write(tmp_path, "codes.csv", coded, header=HEADER + ",agent_id"),
                          kind="interval_history")
    assert frame["agent_id"].iloc[7] == "007"
