"""Write the shipped datasets: ``python -m opsfirst.datasets.builders [NAME ...]``.

``make datasets`` runs it for every dataset. Each dataset is built by its seeded builder and
written to ``datasets/NAME.csv``: times in ISO 8601 (with their UTC offset where the dataset
has a time zone), numbers as the builder rounded them, so a regenerated file parses to the
same values. The data dictionary ``datasets/README.md`` is rewritten from the catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from opsfirst._paths import DATASETS

from . import BUILDERS, build

FOLDER = DATASETS


def to_csv(table: pd.DataFrame, path: Path) -> None:
    """Write a built table as the CSV that ships."""
    out = table.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].map(lambda t: t.isoformat(), na_action="ignore")  # NaT: empty
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d %H:%M:%S")
    out.to_csv(path, index=False, lineterminator="\n")


def main(names: list[str]) -> None:
    FOLDER.mkdir(exist_ok=True)
    for name in names or list(BUILDERS):
        path = FOLDER / f"{name}.csv"
        to_csv(build(name), path)
        print(f"wrote {path.relative_to(FOLDER.parent)} ({path.stat().st_size / 1e6:.2f} MB)")
    from opsfirst.datasets import dictionary_markdown

    (FOLDER / "README.md").write_text(dictionary_markdown())
    print("wrote datasets/README.md")


if __name__ == "__main__":
    main(sys.argv[1:])
