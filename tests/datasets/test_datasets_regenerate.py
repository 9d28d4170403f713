"""Check that every shipped dataset is exactly what its seeded builder makes (`make datasets`).

Generic: it covers every builder in ``opsfirst.datasets.builders.BUILDERS``, so a dataset added
later is checked without a new test. Values are compared after parsing with the loader (not
bytes), so the check is about the data, not about how a float was printed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from opsfirst import datasets
from opsfirst.datasets.builders import BUILDERS, build
from opsfirst.datasets.builders.__main__ import FOLDER, to_csv


def test_every_shipped_dataset_has_a_builder_and_an_entry():
    """Check that the CSV files, the builders and the data dictionary name the same datasets."""
    files = {path.stem for path in FOLDER.glob("*.csv")}
    assert files == set(BUILDERS) == set(datasets.names())


def test_the_folder_stays_small():
    """Check the datasets folder (CSV files and vendored sources) is under 20 MB."""
    size = sum(path.stat().st_size for path in Path(FOLDER).rglob("*") if path.is_file())
    assert size < 20e6, f"datasets/ is {size / 1e6:.1f} MB"


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_fresh_build_equals_the_shipped_file(name, tmp_path):
    """Check that rebuilding the dataset from its seeded code gives the shipped values."""
    path = tmp_path / f"{name}.csv"
    to_csv(build(name), path)
    pd.testing.assert_frame_equal(datasets.load(path, kind=name), datasets.load(name), check_exact=True)
