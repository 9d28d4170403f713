"""What the nbgrader tests share: reading an assignment's source and making student notebooks.

tests/assignments/test_assignments.py, test_report.py and tests/deploy/test_hub.py grade
notebooks made with ``fill`` (``opsfirst.assignments.notebooks``) and ``mistakes_of``
(``opsfirst.assignments.course``, which the benchmark uses too, beside ``scratch_course``) and
check feedback and pages against the source with what is here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from opsfirst.assignments.course import mistakes_of  # noqa: F401  (re-exported for the tests)
from opsfirst.assignments.notebooks import SOLUTION, fill, grade_id  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
MARK_SCHEME = re.compile(r"### BEGIN MARK SCHEME\n(.*?)### END MARK SCHEME", re.S)
TAG = re.compile(r"<[^>]+>")


def page_text(page):
    """The text a learner reads on a feedback page (tracebacks there are split into coloured spans)."""
    return html.unescape(TAG.sub("", page))
