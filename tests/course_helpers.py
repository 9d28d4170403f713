"""What the nbgrader tests share: reading an assignment's source and making student notebooks.

tests/test_assignments.py, tests/test_report.py and tests/test_hub.py grade notebooks made with
``fill`` and ``mistakes_of`` (from ``opsfirst._course``, which the benchmark uses too, beside
``scratch_course``) and check feedback and pages against the source with what is here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from opsfirst._course import SOLUTION, fill, mistakes_of  # noqa: F401  (re-exported for the tests)

REPO = Path(__file__).resolve().parents[1]
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
MARK_SCHEME = re.compile(r"### BEGIN MARK SCHEME\n(.*?)### END MARK SCHEME", re.S)
TAG = re.compile(r"<[^>]+>")


def page_text(page):
    """The text a learner reads on a feedback page (tracebacks there are split into coloured spans)."""
    return html.unescape(TAG.sub("", page))


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")

