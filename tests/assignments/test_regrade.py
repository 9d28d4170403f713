"""``opsfirst grade`` grades again what needs it, and only that.

One small cohort of ``00-welcome`` in a scratch course: ada hands in the solution, ben the
release. After the first run the coach marks ada's written answer by hand. Then:

1. nothing changes, the command runs again: nobody is graded again (no notebook re-executed);
2. the coach fixes a hidden test in the assignment's source (here: one that the solution now
   fails), runs again: both are graded again without ``--regrade``, ada's score on that
   question changes, and her hand-given mark and comment survive;
3. ``--regrade`` grades both again although nothing changed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from opsfirst.assignments import grade as g
from opsfirst.assignments.course import scratch_course
from opsfirst.assignments.notebooks import fill, grade_id

KIT = Path(__file__).resolve().parents[2]
WELCOME = "00-welcome"
pytestmark = pytest.mark.slow


def rows(run) -> dict[str, dict]:
    with open(run.csv_path) as f:
        return {r["student"]: r for r in csv.DictReader(f)}


def run_grade(course, subs, **kw):
    return g.grade(WELCOME, subs, course_root=course, jobs=2, progress=False,
                   report=lambda line: None, **kw)


def test_a_fixed_hidden_test_reaches_every_submission_and_hand_marks_survive(tmp_path):
    course = scratch_course(tmp_path / "course", [WELCOME])
    source_path = course / "solutions" / WELCOME / f"{WELCOME}.ipynb"
    source = nbformat.read(source_path, 4)
    release = nbformat.read(KIT / "exercises" / WELCOME / f"{WELCOME}.ipynb", 4)
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(fill(release, source), subs / f"ada_{WELCOME}.ipynb")
    nbformat.write(release, subs / f"ben_{WELCOME}.ipynb")

    first = run_grade(course, subs)
    assert sorted(first.graded) == ["ada", "ben"] and not first.regraded
    before = rows(first)
    assert before["ada"]["total_calls"] == "1"

    from nbgrader.api import Gradebook

    db = f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}"
    with Gradebook(db) as gb:  # the coach marks ada's written answer, with a comment
        gb.find_grade("explain_day", WELCOME, WELCOME, "ada").manual_score = 2
        gb.find_comment("explain_day", WELCOME, WELCOME, "ada").manual_comment = "Clear, thank you."
        gb.db.commit()
    autograded = course / ".nbgrader" / "autograded" / "ada" / WELCOME / f"{WELCOME}.ipynb"
    stamp = autograded.stat().st_mtime_ns

    again = run_grade(course, subs)
    assert again.graded == [] and sorted(again.unchanged) == ["ada", "ben"]
    assert autograded.stat().st_mtime_ns == stamp, "an unchanged submission was graded again"
    assert "2 unchanged" in g.format_summary(again)

    # the coach fixes a hidden test: one that the solution's total_calls now fails
    cell = next(c for c in source.cells if grade_id(c) == "total_calls_tests")
    assert "### END HIDDEN TESTS" in cell.source
    cell.source = cell.source.replace("### END HIDDEN TESTS",
                                      "assert total_calls < 0, 'fixed'\n### END HIDDEN TESTS")
    nbformat.write(source, source_path)
    fixed = run_grade(course, subs)
    assert sorted(fixed.regraded) == ["ada", "ben"] and sorted(fixed.graded) == ["ada", "ben"]
    summary = g.format_summary(fixed)
    assert "2 graded again (the assignment's source" in summary, summary
    after = rows(fixed)
    assert after["ada"]["total_calls"] == "0"
    assert float(after["ada"]["autograded_score"]) == float(before["ada"]["autograded_score"]) - 1
    with Gradebook(db) as gb:
        assert gb.find_grade("explain_day", WELCOME, WELCOME, "ada").manual_score == 2
        assert gb.find_comment("explain_day", WELCOME, WELCOME, "ada").manual_comment == "Clear, thank you."

    stamp = autograded.stat().st_mtime_ns
    forced = run_grade(course, subs, regrade=True)
    assert sorted(forced.regraded) == ["ada", "ben"] and forced.regrade_reason == "--regrade"
    assert autograded.stat().st_mtime_ns != stamp
    assert "2 graded again (--regrade)" in g.format_summary(forced)


def test_grading_inputs_follow_the_source_the_code_and_the_data(tmp_path):
    """Check the digests: the source's changes with the source, the code's with the course's
    nbgrader configuration, and nothing changes them otherwise."""
    from opsfirst.assignments.course import Course

    one = Course.load(scratch_course(tmp_path / "one", [WELCOME]))
    first = g.grading_inputs(one, WELCOME)
    assert first == g.grading_inputs(one, WELCOME)
    source = one.source(WELCOME)
    source.write_text(source.read_text().replace("Calls offered", "Calls offered (fixed)", 1))
    second = g.grading_inputs(one, WELCOME)
    assert second["source"] != first["source"] and second["code"] == first["code"]
    config = one.root / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.Execute.timeout = 30\n")
    third = g.grading_inputs(one, WELCOME)
    assert third["code"] != second["code"] and third["source"] == second["source"]
    assert third["data"] == second["data"] == first["data"]
