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

The checks are pandera schemas built from the catalogue (:mod:`opsfirst.datasets.catalogue`);
:func:`schema` gives the one of a dataset, for checking a DataFrame built in code.

The parts of the package: :mod:`.catalogue` is the data dictionary in code; :mod:`.reader`
finds a file, reads and parses its text and checks it (the messages of every error);
:mod:`.dictionary` writes the dictionary's markdown; :mod:`.builders` makes the shipped CSVs
(``python -m opsfirst.datasets.builders``).
"""

from __future__ import annotations

import os

import pandas as pd
import pandera.pandas as pa

from . import dictionary, reader
from .reader import ENVIRONMENT_VARIABLE, DatasetError

__all__ = ["names", "load", "describe", "schema", "dictionary_markdown", "DatasetError",
           "ENVIRONMENT_VARIABLE"]


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
    return reader.shipped_names()


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
    dataset, path, shown = reader.resolve(name_or_path, kind)
    raw, separator = reader.read(path, shown)
    return reader.check(raw, dataset, shown, decimal_comma=separator == ";")


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
    return dictionary.Markdown(dictionary.entry(reader.lookup(name)))


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
    return reader.schema(reader.lookup(kind))


def dictionary_markdown() -> str:
    """The whole data dictionary as markdown: the text of ``datasets/README.md``.

    Made from the catalogue (:mod:`opsfirst.datasets.catalogue`): the conventions every
    dataset follows (rows, missing values, units, time zones), then one :func:`describe`
    entry per dataset. The build writes it to ``datasets/README.md``; a test checks that the
    committed file is exactly this text.

    Examples
    --------
    >>> text = dictionary_markdown()
    >>> text.splitlines()[0]
    '# Datasets: the data dictionary'
    >>> describe("interval_history") in text
    True
    """
    return dictionary.document()
