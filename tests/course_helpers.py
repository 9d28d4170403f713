"""What the nbgrader tests share: reading an assignment's source and making student notebooks.

tests/test_assignments.py and tests/test_report.py both grade notebooks made here (in courses
made by ``opsfirst._course.scratch_course``) and check feedback and pages against the source.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
MARK_SCHEME = re.compile(r"### BEGIN MARK SCHEME\n(.*?)### END MARK SCHEME", re.S)
TAG = re.compile(r"<[^>]+>")


def page_text(page):
    """The text a learner reads on a feedback page (tracebacks there are split into coloured spans)."""
    return html.unescape(TAG.sub("", page))


def mistakes_of(name):
    """The typical mistakes of an assignment: ``MISTAKES`` of ``solutions/<name>/mistakes.py``."""
    path = REPO / "solutions" / name / "mistakes.py"
    spec = importlib.util.spec_from_file_location(f"mistakes_{name.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MISTAKES


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def fill(release, source, replace=None):
    """The release with every answer cell holding the source's solution (or ``replace[grade_id]``)."""
    answers = {grade_id(c): c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in answers:
            text = answers[gid]
            if replace and gid in replace:
                text = SOLUTION.sub(lambda _: replace[gid].rstrip("\n") + "\n", text)
            cell.source = SOLUTION.sub(lambda m: m.group(1), text).rstrip("\n")
    return nb
