"""Where the kit's own folders are.

The kit runs from its repository (an editable install: ``pip install -e .``), so what ships
beside the package -- ``datasets/`` and, for tests and benchmarks, the assignment sources in
``solutions/`` -- is found from the package's own path. This is the one place that knows it.

A *course* (the folder a coach grades in, the one holding ``nbgrader_config.py``) is not found
here: :func:`opsfirst.assignments.course.find_root` finds it from where a command runs.
"""

from pathlib import Path

KIT = Path(__file__).resolve().parents[2]
"""The kit's repository: the folder holding ``src/opsfirst``, ``datasets/``, ``solutions/`` ..."""

DATASETS = KIT / "datasets"
"""The shipped CSV files and their data dictionary."""
