"""``opsfirst report``: the coach's cohort page says what the gradebook says, and nothing hidden.

One nbgrader run of ``00-welcome`` in a temporary course that uses the repository's
``nbgrader_config.py`` (``opsfirst.assignments.course.scratch_course``, as in
tests/assignments/test_assignments.py),
with five students:

- ada: the solution;
- ben: counts the rows instead of the calls (mistake ``counted_rows``);
- cleo: averages the half-hours' service levels (mistake ``average_of_ratios``);
- dev: hands the release back unchanged;
- eli: ben's mistake, plus a service level rounded to 6 decimals that only the hidden test catches.

Then the coach marks one written answer (ada's ``explain_day``) and the report is written. Its
numbers are checked against the gradebook read with nbgrader's own API, and the page against
the source notebook's hidden tests and mark schemes. Bad input needs no nbgrader run.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_helpers import HIDDEN, MARK_SCHEME, fill, mistakes_of, page_text
from opsfirst.assignments.course import scratch_course
from opsfirst.cli import main
from opsfirst.assignments.report import HIDDEN_ONLY, NOT_ANSWERED, QUOTES_HIDDEN

REPO = Path(__file__).resolve().parents[2]
NAME = "00-welcome"
MISTAKEN = {"ben": ["counted_rows"], "cleo": ["average_of_ratios"],
            "eli": ["counted_rows", "rounded_to_six_decimals"]}
STUDENTS = ["ada", "ben", "cleo", "dev", "eli"]
DATA = re.compile(r"<(\w+)\s([^>]*\bdata-[^>]*)>")
ATTR = re.compile(r"data-([\w-]+)='([^']*)'")


def nbgrader(*args, cwd):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([Path(sys.executable).parent / "nbgrader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-4000:]}"


def tagged(page: str) -> list[dict]:
    """Every element with data- attributes, as {attribute: value} plus its tag."""
    return [dict(ATTR.findall(attrs), tag=tag) for tag, attrs in DATA.findall(page)]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = scratch_course(tmp_path_factory.mktemp("report") / "course", [NAME], generate=True)
    source = nbformat.read(REPO / "solutions" / NAME / f"{NAME}.ipynb", 4)
    release = nbformat.read(course / "exercises" / NAME / f"{NAME}.ipynb", 4)
    mistakes = {m.id: m for m in mistakes_of(NAME)}
    for student in STUDENTS:
        if student == "dev":
            nb = release
        else:
            nb = fill(release, source, {mistakes[i].question: mistakes[i].code
                                        for i in MISTAKEN.get(student, [])})
        folder = course / ".nbgrader" / "submitted" / student / NAME
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NAME}.ipynb")
    nbgrader("autograde", NAME, "--create", cwd=course)

    from nbgrader.api import Gradebook

    db = f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}"
    with Gradebook(db) as gradebook:  # the coach marks one written answer
        grade = gradebook.find_grade("explain_day", NAME, NAME, "ada")
        grade.manual_score = 2.0
        gradebook.db.commit()
    with Gradebook(db) as gradebook:
        notebook = gradebook.find_notebook(NAME, NAME)
        cells = {c.name: (c.cell_type, c.max_score) for c in notebook.grade_cells + notebook.task_cells}
        grades = {}
        for student in STUDENTS:
            notebook = gradebook.find_submission_notebook(NAME, NAME, student)
            grades[student] = {g.name: (g.auto_score, g.manual_score, g.max_score) for g in notebook.grades}
    answers = {c.metadata["nbgrader"]["grade_id"] for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    tests = [name for name, (kind, _) in cells.items() if kind == "code" and name not in answers]
    manual = [name for name, (_, top) in cells.items() if name not in tests and top > 0]

    before = hashlib.sha256((course / ".nbgrader" / "gradebook.db").read_bytes()).hexdigest()
    output = course / "report.html"
    done = subprocess.run([Path(sys.executable).parent / "opsfirst", "report", NAME,
                           "--course-root", str(course), "--output", str(output)],
                          capture_output=True, text=True, timeout=120)
    after = hashlib.sha256((course / ".nbgrader" / "gradebook.db").read_bytes()).hexdigest()
    return dict(course=course, source=source, release=release, grades=grades, tests=tests,
                manual=manual, done=done, page=output.read_text() if output.exists() else "",
                output=output, gradebook_unchanged=before == after)


@pytest.mark.slow
def test_report_command_prints_the_page_path_and_leaves_the_gradebook_alone(graded):
    """Check that `opsfirst report` exits 0, prints where the page is, and changes no grade."""
    done = graded["done"]
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(graded["output"])
    assert graded["gradebook_unchanged"]


@pytest.mark.slow
def test_pass_rates_equal_the_gradebook(graded):
    """Check that full marks / partial / zero per question are what nbgrader recorded."""
    rows = {t["question"]: t for t in tagged(graded["page"]) if "question" in t}
    assert set(rows) == set(graded["tests"])
    for test in graded["tests"]:
        kinds = {"full": 0, "partial": 0, "zero": 0}
        for student in STUDENTS:
            auto, _, top = graded["grades"][student][test]
            kinds["full" if auto == top else "partial" if auto else "zero"] += 1
        assert {k: int(rows[test][k]) for k in kinds} == kinds, test
    # as designed: the release and both counted_rows students miss total_calls
    assert rows["total_calls_tests"]["full"] == "2"


@pytest.mark.slow
def test_score_summary_equals_the_gradebook(graded):
    """Check the number of students, mean and median of the autograded points."""
    totals = [sum(graded["grades"][s][t][0] for t in graded["tests"]) for s in STUDENTS]
    summary = next(t for t in tagged(graded["page"]) if t.get("tag") == "p" and "students" in t)
    assert int(summary["students"]) == len(STUDENTS)
    assert float(summary["mean"]) == pytest.approx(statistics.fmean(totals), abs=1e-4)
    assert float(summary["median"]) == statistics.median(totals)
    scores = {t["student"]: float(t["score"]) for t in tagged(graded["page"]) if "score" in t}
    assert scores == dict(zip(STUDENTS, totals))


@pytest.mark.slow
def test_each_hint_is_counted_once_per_student_who_made_the_mistake(graded):
    """Check the hint counts: counted_rows by ben and eli, average_of_ratios by cleo, no other."""
    fired = {t["mistake"]: int(t["students"]) for t in tagged(graded["page"]) if "mistake" in t}
    assert fired == {"counted_rows": 2, "average_of_ratios": 1}
    # and the gradebook agrees that those students lost the points of that question
    assert graded["grades"]["ben"]["total_calls_tests"][0] == 0
    assert graded["grades"]["eli"]["total_calls_tests"][0] == 0
    assert graded["grades"]["cleo"]["service_level_day_tests"][0] == 0


@pytest.mark.slow
def test_failures_without_a_hint_are_reported_by_kind(graded):
    """Check 'other' failures: dev answered nothing, eli's rounded service level fails a hidden test."""
    other = [t for t in tagged(graded["page"]) if "other" in t]
    assert {t["other"] for t in other} == {"total_calls_tests", "busiest_interval_tests",
                                           "service_level_day_tests"}
    text = page_text(graded["page"])
    assert NOT_ANSWERED in text and HIDDEN_ONLY in text
    assert sum(int(t["students"]) for t in other) == 4  # dev three times, eli once


@pytest.mark.slow
def test_written_answers_waiting_are_those_without_a_manual_score(graded):
    """Check the waiting list: worth points, no manual score, not already scored blank."""
    statuses = {}
    rows = re.findall(r"<tr data-student='(\w+)'>(.*?)</tr>", graded["page"], re.S)
    for student, cells in rows:
        for cell, status in re.findall(r"data-cell='(\w+)' data-status='(\w+)'", cells):
            statuses[(student, cell)] = status
    assert {cell for _, cell in statuses} == set(graded["manual"]) == {"plot_day", "explain_day"}
    for (student, cell), status in statuses.items():
        auto, manual, _ = graded["grades"][student][cell]
        expected = "graded" if manual is not None else "waiting" if auto is None else "blank"
        assert status == expected, (student, cell)
    written = next(t for t in tagged(graded["page"]) if "waiting" in t)
    assert int(written["waiting"]) == 7  # 5 students x 2 cells, minus ada's marked one, dev's 2 blanks
    assert int(written["blank"]) == 2


@pytest.mark.slow
def test_page_is_self_contained(graded):
    """Check that the page loads nothing: no scripts, no links, plots as embedded PNG."""
    page = graded["page"]
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page
    sources = re.findall(r"src='([^']*)'", page)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)


@pytest.mark.slow
def test_page_shows_no_hidden_test_and_no_mark_scheme(graded):
    """Check the page against every hidden-test line and mark-scheme line of the source."""
    release_text = json.dumps(graded["release"].cells)
    cells = graded["source"].cells
    hidden = [line.strip() for c in cells for block in HIDDEN.findall(c.source) for line in block.splitlines()]
    hidden = [line for line in hidden if len(line) > 8 and line not in release_text]
    scheme = [line.strip() for c in cells for block in MARK_SCHEME.findall(c.source)
              for line in block.splitlines() if len(line.strip()) > 8]
    assert hidden and scheme
    text = page_text(graded["page"])
    shown = [line for line in hidden + scheme if line in text or html.escape(line) in graded["page"]]
    assert not shown, shown


@pytest.mark.slow
def test_a_message_that_quotes_a_hidden_test_is_not_shown(graded, tmp_path):
    """Check that a test-cell message quoting a hidden line (a student could print one) is withheld."""
    course = tmp_path / "course"
    shutil.copytree(graded["course"], course)
    config = course / "nbgrader_config.py"  # the copy's paths point at the copy, not the original
    config.write_text(config.read_text().replace(str(graded["course"]), str(course)))
    path = course / ".nbgrader" / "autograded" / "ben" / NAME / f"{NAME}.ipynb"
    path.chmod(0o644)
    nb = nbformat.read(path, 4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "total_calls_tests")
    secret = HIDDEN.findall(cell.source)[0].strip().splitlines()[-1].strip()
    error = next(o for o in cell.outputs if o.output_type == "error")
    error.evalue += " " + secret
    nbformat.write(nb, path)
    assert main(["report", NAME, "--course-root", str(course), "--output", str(tmp_path / "r.html")]) == 0
    page = (tmp_path / "r.html").read_text()
    assert secret not in page_text(page) and QUOTES_HIDDEN in page_text(page)


# --------------------------------------------------------------------------- bad input

def bad(capsys, *argv):
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_unknown_assignment_is_one_line_naming_the_known_ones(capsys, tmp_path):
    err = bad(capsys, "99-nothing", "--course-root", str(scratch_course(tmp_path / "c", [NAME])))
    assert "no such assignment: '99-nothing'" in err and NAME in err


def test_no_gradebook_yet_says_to_grade_first(capsys, tmp_path):
    course = scratch_course(tmp_path / "c", [NAME])
    err = bad(capsys, NAME, "--course-root", str(course))
    assert "no gradebook yet" in err and "opsfirst grade" in err
    assert not (course / ".nbgrader" / "gradebook.db").exists()


def test_no_graded_students_says_to_grade_first(capsys, tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    # a new gradebook runs `alembic` by name: the venv's bin first on PATH, as `make test` does
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    course = scratch_course(tmp_path / "c", [NAME])
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gradebook:
        gradebook.update_or_create_assignment(NAME)
    err = bad(capsys, NAME, "--course-root", str(course))
    assert "no graded students for 00-welcome" in err


def test_a_file_that_is_not_a_gradebook_is_one_line(capsys, tmp_path):
    course = scratch_course(tmp_path / "c", [NAME])
    (course / ".nbgrader" / "gradebook.db").write_text("not a database")
    err = bad(capsys, NAME, "--course-root", str(course))
    assert "cannot read the gradebook" in err
