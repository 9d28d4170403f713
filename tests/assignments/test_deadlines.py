"""Due dates, extensions and late work: what the course config says reaches nbgrader and the CSV.

One scratch course of ``00-welcome`` due on 10 December 2026 at 17:00 London time (17:00 UTC in
winter), four learners who all hand in the solution:

| learner | handed in (UTC)         | extension | late?                              |
|---------|-------------------------|-----------|------------------------------------|
| ada     | 16:00 (nbgrader stamp)  | --        | no                                 |
| ben     | 19:05 (nbgrader stamp)  | --        | yes, 2 h 5 min                     |
| cleo    | 19:05 (nbgrader stamp)  | 3 hours   | no (due 20:00 for her)             |
| dan     | no stamp, Canvas _LATE_ | --        | yes (the LMS marked it late)       |

Then the course turns on nbgrader's own penalty (``penalty_method = "zero"``): the config
changed, so everyone is graded again, and ben's total becomes 0 with the penalty in its column.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from opsfirst.assignments import grade as g
from opsfirst.assignments.course import scratch_course
from opsfirst.assignments.errors import GradeError
from opsfirst.assignments.grade.deadlines import deadlines, parse_due
from opsfirst.assignments.notebooks import fill

KIT = Path(__file__).resolve().parents[2]
WELCOME = "00-welcome"
CONFIG = ('c.OpsfirstDeadlines.due = {"00-welcome": "2026-12-10 17:00"}\n'
          'c.OpsfirstDeadlines.timezone = "Europe/London"\n'
          'c.OpsfirstDeadlines.extensions = {"cleo": {"00-welcome": 3}}\n')


def rows(run):
    with open(run.csv_path) as f:
        return {r["student"]: r for r in csv.DictReader(f)}


@pytest.mark.slow
def test_late_work_is_measured_against_each_learners_due_date(tmp_path):
    course = scratch_course(tmp_path / "course", [WELCOME], extra_config=CONFIG)
    answered = fill(nbformat.read(KIT / "exercises" / WELCOME / f"{WELCOME}.ipynb", 4),
                    nbformat.read(KIT / "solutions" / WELCOME / f"{WELCOME}.ipynb", 4))
    subs = tmp_path / "subs"
    for student, stamp in (("ada", "2026-12-10 16:00:00.000000 UTC"),
                           ("ben", "2026-12-10 19:05:00.000000 UTC"),
                           ("cleo", "2026-12-10 19:05:00.000000 UTC")):
        folder = subs / student / WELCOME
        folder.mkdir(parents=True)
        nbformat.write(answered, folder / f"{WELCOME}.ipynb")
        (folder / "timestamp.txt").write_text(stamp)
    nbformat.write(answered, subs / f"dandoe_LATE_1234_5678_{WELCOME}.ipynb")

    run = g.grade(WELCOME, subs, course_root=course, jobs=2, progress=False, report=lambda _: None)
    got = rows(run)
    assert sorted(got) == ["ada", "ben", "cleo", "dandoe"]
    assert {s: got[s]["late"] for s in got} == {
        "ada": "no", "ben": "yes, 2 h 5 min late", "cleo": "no",
        "dandoe": "yes (the LMS marked it late)"}
    assert got["ada"]["submitted_at"] == "2026-12-10 16:00 UTC"
    assert got["ada"]["due"] == "2026-12-10 17:00 UTC" and got["cleo"]["due"] == "2026-12-10 20:00 UTC"
    assert got["dandoe"]["submitted_at"] == ""
    assert got["ben"]["late_penalty"] == "" and got["ben"]["autograded_score"] == got["ada"]["autograded_score"]
    assert "late: 2 (ben, dandoe)" in g.format_summary(run)

    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + 'c.LateSubmissionPlugin.penalty_method = "zero"\n')
    again = g.grade(WELCOME, subs, course_root=course, jobs=2, progress=False, report=lambda _: None)
    assert sorted(again.regraded) == ["ada", "ben", "cleo", "dandoe"]
    got = rows(again)
    assert float(got["ben"]["late_penalty"]) == float(got["ben"]["autograded_score"]) > 0
    assert got["ben"]["total_score"] == g.NEEDS_MANUAL  # the written answers still wait
    assert got["ben"]["total_max"] == got["ada"]["total_max"]
    assert got["ada"]["late_penalty"] == "" and got["cleo"]["late_penalty"] == ""

    from nbgrader.api import Gradebook  # the coach marks ben's written answers: 1 + 2 points

    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gb:
        gb.find_grade("plot_day", WELCOME, WELCOME, "ben").manual_score = 1
        gb.find_grade("explain_day", WELCOME, WELCOME, "ben").manual_score = 2
        gb.db.commit()
    marked = rows(g.grade(WELCOME, subs, course_root=course, jobs=2, progress=False,
                          report=lambda _: None))["ben"]
    assert marked["manual_score"] == "3" and marked["total_score"] == "3"  # 6 + 3 - 6


def test_due_dates_are_read_in_the_courses_time_zone_and_checked():
    """Check the parsing: London winter and summer time, an explicit offset, and one line for
    a date, a time zone or an extension that is not one."""
    from traitlets.config import Config

    assert str(parse_due("2026-12-10 17:00", "Europe/London")) == "2026-12-10 17:00:00"
    assert str(parse_due("2026-07-10 17:00", "Europe/London")) == "2026-07-10 16:00:00"
    assert str(parse_due("2026-07-10T17:00+02:00")) == "2026-07-10 15:00:00"
    c = Config()
    c.OpsfirstDeadlines.due = {WELCOME: "2026-12-10 17:00"}
    c.OpsfirstDeadlines.extensions = {"cleo": {WELCOME: 3}, "ben": {"other": 9}}
    found = deadlines(c, WELCOME)
    assert str(found.due) == "2026-12-10 17:00:00" and list(found.extensions) == ["cleo"]
    assert deadlines(Config(), WELCOME).due is None
    for bad, words in (({"due": {WELCOME: "next Friday"}}, "is not a date"),
                       ({"due": {WELCOME: "2026-12-10 17:00"}, "timezone": "Mars/Olympus"},
                        "is not a time zone"),
                       ({"extensions": {"cleo": {WELCOME: "two days"}}}, "not a number of hours")):
        c = Config({"OpsfirstDeadlines": bad})
        with pytest.raises(GradeError, match=words):
            deadlines(c, WELCOME)
