"""Where the kit's folders are.

The course runs from its repository (an editable install: ``pip install -e .``), so the
folders beside the package -- ``datasets/``, ``exercises/``, ``solutions/``, the nbgrader
configuration -- are found from the package's own path. This is the one place that knows it.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository: the folder holding ``src/opsfirst``, ``datasets/``, ``exercises/`` ..."""

DATASETS = ROOT / "datasets"
"""The shipped CSV files and their data dictionary."""
