"""Grades into the LMS: rosters as Canvas and Moodle export them, files as they import them.

The published layouts the files are checked against (the first columns of each LMS's own
gradebook export, which its import reads back):

- Canvas, *Grades > Export*: ``Student,ID,SIS User ID,SIS Login ID,Section``, then one column per
  assignment, and a second row ``Points Possible``;
- Moodle, *Grades > Export > Plain text file*: ``First name,Last name,ID number,Institution,
  Department,Email address``, then one column per grade item (and ``Last downloaded from this
  course``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import nbformat
import pytest

from opsfirst.assignments import grade as g
from opsfirst.assignments import lms
from opsfirst.assignments.course import Course, scratch_course
from opsfirst.assignments.notebooks import fill
from opsfirst.cli import main

KIT = Path(__file__).resolve().parents[2]
WELCOME = "00-welcome"
CANVAS_PUBLISHED = "Student,ID,SIS User ID,SIS Login ID,Section"
MOODLE_PUBLISHED = "First name,Last name,ID number,Institution,Department,Email address"

CANVAS_ROSTER = f"""{CANVAS_PUBLISHED},00-welcome (101),Current Score
    Points Possible,,,,,9,
"Doe, Jane",1234,S001,jdoe,Cohort A,,
"Smith, Bob",1235,S002,bsmith,Cohort A,,
"O'Brien-Smith, Zoë",1236,S003,zobrien,Cohort B,,
"Student, Test",9999,,,Cohort A,,
"""
MOODLE_ROSTER = f"""{MOODLE_PUBLISHED},Last downloaded from this course
Jane,Doe,S001,,Cohort A,jane.doe@example.org,1767225600
Zoë,O'Brien,S003,,Cohort B,zoe.obrien@example.org,1767225600
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_a_canvas_roster_gives_logins_and_every_spelling_of_a_name(tmp_path):
    """Check the Canvas export: Points Possible and the test student skipped; the SIS login is
    the id; Canvas's download prefix (doejane), the name either way round are aliases."""
    roster = lms.read_roster(write(tmp_path, "canvas.csv", CANVAS_ROSTER))
    assert roster.source == "canvas"
    assert [(x.id, x.first_name, x.last_name, x.lms_id, x.sis_id, x.section) for x in roster.learners] == [
        ("jdoe", "Jane", "Doe", "1234", "S001", "Cohort A"),
        ("bsmith", "Bob", "Smith", "1235", "S002", "Cohort A"),
        ("zobrien", "Zoë", "O'Brien-Smith", "1236", "S003", "Cohort B")]
    alias = roster.by_alias()
    for spelling, learner in [("jane_doe", "jdoe"), ("doe_jane", "jdoe"), ("doejane", "jdoe"),
                              ("zoe_obrien_smith", "zobrien"), ("obriensmithzoe", "zobrien")]:
        assert alias[spelling] == learner, spelling


def test_a_moodle_roster_uses_the_email_when_there_is_no_login(tmp_path):
    roster = lms.read_roster(write(tmp_path, "moodle.csv", MOODLE_ROSTER))
    assert roster.source == "moodle"
    assert [(x.id, x.email, x.lms_id) for x in roster.learners] == [
        ("jane_doe", "jane.doe@example.org", "S001"), ("zoe_obrien", "zoe.obrien@example.org", "S003")]


def test_a_roster_that_is_not_one_is_refused_in_one_line(tmp_path, capsys):
    course = scratch_course(tmp_path / "c", [WELCOME])
    bad = write(tmp_path, "names.csv", "name;mark\nJane;7\n")
    assert main(["roster", "import", str(bad), "--course-root", str(course)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "is not a roster opsfirst knows" in err
    twice = write(tmp_path, "twice.csv", MOODLE_ROSTER + "Jane,Doe,S009,,Cohort C,jane.doe@example.org,1\n")
    assert main(["roster", "import", str(twice), "--course-root", str(course)]) == 2
    assert "rows 2 and 4" in capsys.readouterr().err


def test_exports_have_each_lms_layout_and_leave_ungraded_work_empty(tmp_path, capsys):
    """Check the Canvas and Moodle files against the published first columns; a total waiting
    for hand marking, a failed grading and no submission are empty cells, never 0; and each
    file reads back as that LMS's roster (the same learners)."""
    course_root = scratch_course(tmp_path / "c", [WELCOME])
    assert main(["export", WELCOME, "--format", "canvas", "--course-root", str(course_root)]) == 2
    assert "roster import" in capsys.readouterr().err
    course = Course.load(course_root)
    lms.import_roster(course, write(tmp_path, "canvas.csv", CANVAS_ROSTER))
    rows = [{"student": "jdoe", "status": "graded", "total_score": 7.5, "total_max": 9},
            {"student": "bsmith", "status": "graded", "total_score": g.NEEDS_MANUAL, "total_max": 9},
            {"student": "zobrien", "status": "failed: its kernel died", "total_score": "", "total_max": ""}]
    canvas = read_csv(lms.export(course, WELCOME, "canvas", rows=rows))
    assert ",".join(canvas[0][:5]) == CANVAS_PUBLISHED and canvas[0][5] == WELCOME
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "9"
    assert [r[5] for r in canvas[2:]] == ["7.5", "", ""]
    assert [r[:4] for r in canvas[2:]] == [["Doe, Jane", "1234", "S001", "jdoe"],
                                           ["Smith, Bob", "1235", "S002", "bsmith"],
                                           ["O'Brien-Smith, Zoë", "1236", "S003", "zobrien"]]
    again = lms.read_roster(lms.export(course, WELCOME, "canvas", rows=rows))
    assert [x.id for x in again.learners] == ["jdoe", "bsmith", "zobrien"]

    lms.import_roster(course, write(tmp_path, "moodle.csv", MOODLE_ROSTER))
    moodle = read_csv(lms.export(course, WELCOME, "moodle", rows=[
        {"student": "jane_doe", "status": "graded", "total_score": 0, "total_max": 9}]))
    assert ",".join(moodle[0][:6]) == MOODLE_PUBLISHED and moodle[0][6] == WELCOME
    assert moodle[1] == ["Jane", "Doe", "S001", "", "Cohort A", "jane.doe@example.org", "0"]
    assert moodle[2][6] == ""  # Zoë handed nothing in: empty, not 0
    assert [x.id for x in lms.read_roster(course.state_dir / f"moodle-{WELCOME}.csv").learners] == [
        "jane_doe", "zoe_obrien"]


@pytest.mark.slow
def test_grading_with_a_roster_files_work_under_each_learner_and_names_the_gaps(tmp_path):
    """Check a run with Canvas's roster: jane.doe's file is filed under jdoe (her name in
    nbgrader's students table), zed is graded but reported as not on the roster, Bob and Zoë
    as on it with nothing handed in, and the Canvas file has jdoe's total."""
    course_root = scratch_course(tmp_path / "course", [WELCOME])
    assert main(["roster", "import", str(write(tmp_path, "canvas.csv", CANVAS_ROSTER)),
                 "--course-root", str(course_root)]) == 0
    answered = fill(nbformat.read(KIT / "exercises" / WELCOME / f"{WELCOME}.ipynb", 4),
                    nbformat.read(KIT / "solutions" / WELCOME / f"{WELCOME}.ipynb", 4))
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(answered, subs / f"jane.doe_{WELCOME}.ipynb")
    nbformat.write(answered, subs / f"zed_{WELCOME}.ipynb")
    run = g.grade(WELCOME, subs, course_root=course_root, jobs=2, progress=False,
                  report=lambda _: None, export="canvas")
    assert sorted(run.graded) == ["jdoe", "zed"] and run.not_on_roster == ["zed"]
    assert run.missing == ["Bob Smith (bsmith)", "Zoë O'Brien-Smith (zobrien)"]
    summary = g.format_summary(run)
    assert "not on the roster: 1" in summary and "nothing handed in: 2" in summary
    canvas = read_csv(run.export_path)
    assert canvas[2][3] == "jdoe" and canvas[2][5] == ""  # her written answers wait: empty
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_root / '.nbgrader' / 'gradebook.db'}") as gb:
        jane = gb.find_student("jdoe")
        assert (jane.first_name, jane.last_name, jane.lms_user_id) == ("Jane", "Doe", "1234")
