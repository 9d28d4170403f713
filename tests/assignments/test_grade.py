"""``opsfirst grade``: names, bad input, a small cohort graded in a temporary course, re-runs.

The fast tests check the pure parts (how a file name becomes a student id) and the sorting out
of a submissions folder or zip (no nbgrader run). The slow ones grade a small cohort of
``00-welcome`` in a temporary course that uses the repository's ``nbgrader_config.py``
(``opsfirst.assignments.course.scratch_course``, as in tests/assignments/test_assignments.py;
the repository's own ``.nbgrader/`` is never written to): the solution, a typical mistake from ``mistakes.py``, the
unmodified release, a kernel that dies, a notebook that kills the process grading it,
a file that is not a notebook, two different files for one student and a notebook of another
assignment. Then a re-run with one changed and one new submission, and a run that fails after
grading, which must leave the gradebook as it was.
"""

from __future__ import annotations

import copy
import csv
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from opsfirst import cli
from opsfirst.assignments import grade as g
from opsfirst.assignments import notebooks as nbm
from opsfirst.assignments.course import Course, mistakes_of, scratch_course
from opsfirst.assignments.grade import names
from opsfirst.assignments.notebooks import fill

REPO = Path(__file__).resolve().parents[2]
WELCOME = "00-welcome"
STAFF = "02-staff-an-interval"
NAMES = [WELCOME, STAFF]


# --------------------------------------------------------------------------- names (fast)

@pytest.mark.parametrize("path, expected", [
    ("jane.doe_02-staff-an-interval.ipynb", "jane_doe"),
    ("Jane Doe - 02-staff-an-interval.ipynb", "jane_doe"),
    ("02-staff-an-interval (Jane Doe).ipynb", "jane_doe"),
    ("02-staff-an-interval - Jane Doe (1).ipynb", "jane_doe"),
    ("jane.doe/02-staff-an-interval.ipynb", "jane_doe"),
    ("Jane Doe/my work.ipynb", "jane_doe"),
    ("cohort/jane.doe_02-staff-an-interval.ipynb", "jane_doe"),
    ("JANE_DOE_02_staff_an_interval.ipynb", "jane_doe"),
    ("Jane Doe_12345_assignsubmission_file_/02-staff-an-interval.ipynb", "jane_doe"),
    ("Jane Doe_12345_assignsubmission_file_02-staff-an-interval.ipynb", "jane_doe"),
    ("doejane_LATE_1234_5678_02-staff-an-interval-1.ipynb", "doejane"),
    ("02-staff-an-interval_jdoe_attempt_2024-03-01-10-22-33_02-staff-an-interval.ipynb", "jdoe"),
    ("Copy of 02-staff-an-interval - Jane Doe.ipynb", "jane_doe"),
    ("Zoë O'Brien-Smith - 02_staff_an_interval.ipynb", "zoe_obrien_smith"),
    ("Jürgen Groß_02-staff-an-interval.ipynb", "jurgen_gross"),
    ("Søren Kierkegaard 02 staff an interval.ipynb", "soren_kierkegaard"),
    ("jane.doe_00-welcome.ipynb", "jane_doe"),  # another assignment's name: the content decides
    ("jane.doe.ipynb", "jane_doe"),
])
def test_file_names_give_the_student(path, expected):
    """Check the documented naming patterns: each file name maps to the same kind of id."""
    assert g.name_file(path, NAMES, STAFF) == (expected, "")


@pytest.mark.parametrize("path, why", [
    ("02-staff-an-interval.ipynb", "no student name"),
    ("02-staff-an-interval (1).ipynb", "no student name"),
    ("12345_02-staff-an-interval.ipynb", "no student name"),
    ("Иван Петров - 02-staff-an-interval.ipynb", "Latin spelling"),
    ("李雷/02-staff-an-interval.ipynb", "Latin spelling"),
])
def test_files_without_a_usable_name_are_explained(path, why):
    """Check that a file with no name part, or a non-Latin name, gets no id and a reason."""
    sid, message = g.name_file(path, NAMES, STAFF)
    assert sid is None and why in message


def test_student_ids_are_what_nbgrader_accepts():
    """Check the mapping: lower-case ASCII words joined by one '_', same person same id."""
    names = ["Jane Doe", "jane.doe", " JANE--DOE ", "Jane_Doe", "jane . doe"]
    assert {g.student_id(n) for n in names} == {"jane_doe"}
    assert g.student_id("Ana-María Núñez") == "ana_maria_nunez"
    assert g.student_id("d'Artagnan") == "dartagnan"
    for name in ["Ana-María Núñez", "d'Artagnan", "Łukasz Żółć", "Ægir Þórsson"]:
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", g.student_id(name)), name


# --------------------------------------------------------------------------- a course

def mistakes(name):
    return {m.id: m for m in mistakes_of(name)}


def release(name=WELCOME):
    return nbformat.read(REPO / "exercises" / name / f"{name}.ipynb", 4)


def answered(replace=None):
    """The 00-welcome release with the solution's answers (``replace[grade_id]`` instead)."""
    return fill(release(), nbformat.read(REPO / "solutions" / WELCOME / f"{WELCOME}.ipynb", 4), replace)


def mistake(mistake_id):
    m = mistakes(WELCOME)[mistake_id]
    return answered({m.question: m.code})


def write(folder: Path, name: str, nb) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, (str, bytes)):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode())
    else:
        nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------- bad input (fast)

def test_bad_input_is_sorted_out_one_line_each(tmp_path):
    """Check each kind of bad file gets its own line and the good ones are kept, without grading."""
    course = Course.load(scratch_course(tmp_path / "course", NAMES))
    layouts = {n: nbm.layout(nbm.read(course.source(n))) for n in course.assignments()}
    subs = tmp_path / "subs"
    write(subs, "jane.doe_00-welcome.ipynb", answered())
    write(subs, "Jane Doe - 00-welcome (1).ipynb", answered())  # the same file again: one
    write(subs, "bob_00-welcome.ipynb", release())
    write(subs, "Bob - 00-welcome.ipynb", mistake("counted_rows"))  # a different one: ambiguous
    write(subs, "carl_00-welcome.ipynb", release(STAFF))
    write(subs, "dan_00-welcome.ipynb", "{not json")
    write(subs, "notes.pdf", b"%PDF-1.4")
    write(subs, "00-welcome.ipynb", release())
    write(subs, "Иван_00-welcome.ipynb", release())
    write(subs, "erin_00-welcome.ipynb", nbformat.v4.new_notebook())
    write(subs, "__MACOSX/._jane.doe_00-welcome.ipynb", b"junk")
    write(subs, ".ipynb_checkpoints/jane.doe_00-welcome-checkpoint.ipynb", answered())
    base, files, refused = names.collect_files(subs, tmp_path / "scratch")
    chosen, problems = names.sort_out(base, files, WELCOME, layouts)
    assert sorted(chosen) == ["jane_doe"]
    said = {p.what: p.message for p in problems}
    assert set(said) == {"bob", "carl_00-welcome.ipynb", "dan_00-welcome.ipynb", "notes.pdf",
                         "00-welcome.ipynb", "Иван_00-welcome.ipynb", "erin_00-welcome.ipynb"}
    assert "2 different files for one student" in said["bob"]
    assert "notebook of 02-staff-an-interval" in said["carl_00-welcome.ipynb"]
    assert "not a readable notebook" in said["dan_00-welcome.ipynb"]
    assert "not a notebook (.pdf)" in said["notes.pdf"]
    assert "no student name" in said["00-welcome.ipynb"]
    assert "Latin spelling" in said["Иван_00-welcome.ipynb"]
    assert "not made from its release" in said["erin_00-welcome.ipynb"]
    assert all("\n" not in str(p) for p in problems)


def test_a_zip_with_a_wrapper_folder_and_a_folder_per_student(tmp_path):
    """Check a zip: its wrapper folder is not a student, folders per student are."""
    course = Course.load(scratch_course(tmp_path / "course", NAMES))
    layouts = {n: nbm.layout(nbm.read(course.source(n))) for n in course.assignments()}
    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("cohort-a/jane.doe_00-welcome.ipynb", nbformat.writes(answered()))
        z.writestr("cohort-a/Bob Smith_991_assignsubmission_file_/00-welcome.ipynb",
                   nbformat.writes(release()))
        z.writestr("../evil_00-welcome.ipynb", nbformat.writes(release()))
        z.writestr("cohort-a/00-welcome (1).ipynb", nbformat.writes(release()))
        z.writestr("cohort-a/Zoë Brown/00-welcome.ipynb", nbformat.writes(release()))
        z.writestr("cohort-a/Zoë Brown/zoe.brown_00-welcome.ipynb", nbformat.writes(release()))
    base, files, refused = names.collect_files(archive, tmp_path / "scratch")
    chosen, problems = names.sort_out(base, files, WELCOME, layouts)
    assert sorted(chosen) == ["bob_smith", "jane_doe", "zoe_brown"]
    assert [(p.what, "no student name" in p.message) for p in problems] == [
        ("cohort-a/00-welcome (1).ipynb", True)]  # the wrapper folder is nobody
    assert not (tmp_path / "evil_00-welcome.ipynb").exists()


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    """Check no such assignment, and no such submissions folder: one line on stderr, exit 2."""
    course = scratch_course(tmp_path / "course", NAMES)
    assert cli.main(["grade", "09-nothing", str(tmp_path), "--course-root", str(course)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "no assignment '09-nothing'" in err
    assert "known: 00-welcome, 02-staff-an-interval" in err
    assert cli.main(["grade", WELCOME, str(tmp_path / "missing"), "--course-root", str(course)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "no such folder or zip" in err
    assert not (course / ".nbgrader" / "gradebook.db").exists()


def test_nothing_gradable_is_exit_2(tmp_path, capsys):
    """Check that a folder of nothing but bad files grades nobody and exits 2, one line each."""
    course = scratch_course(tmp_path / "course", NAMES)
    subs = tmp_path / "subs"
    write(subs, "dan_00-welcome.ipynb", "{not json")
    write(subs, "00-welcome.ipynb", release())
    assert cli.main(["grade", WELCOME, str(subs), "--course-root", str(course)]) == 2
    captured = capsys.readouterr()
    assert len([line for line in captured.err.splitlines() if line.startswith("opsfirst grade:")]) == 2
    assert "graded now: 0" in captured.out


def test_metadata_checks_with_one_validator_reject_what_jsonschema_rejects():
    """Check nbgrader's cell-metadata check, with the validator built once per schema (grading
    workers), accepts and rejects what jsonschema.validate does, with the same message."""
    import jsonschema
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError, common

    from opsfirst.assignments.grade import hardening

    good = {"grade": True, "grade_id": "q1", "locked": True, "points": 2, "solution": False,
            "schema_version": 3}
    bad = [dict(good, points="two"), dict(good, grade="yes"), {**good, "grade_id": 7}]
    schema = MetadataValidator().schema
    expected = []
    for meta in bad:
        with pytest.raises(jsonschema.ValidationError) as error:
            jsonschema.validate(meta, schema)
        expected.append(error.value.message)
    original = common.jsonschema
    try:
        hardening._check_metadata_with_one_validator()
        assert common.jsonschema is not original
        for meta, message in zip(bad, expected):
            cell = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": meta})
            with pytest.raises(ValidationError) as error:
                MetadataValidator().validate_nb(nbformat.v4.new_notebook(cells=[cell]))
            assert error.value.message == message
        MetadataValidator().validate_nb(nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("pass", metadata={"nbgrader": good})]))
    finally:
        common.jsonschema = original


# --------------------------------------------------------------------------- a cohort (slow)

def scores(course: Path, student: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook(WELCOME, WELCOME, student)
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


def read_csv(path: Path) -> dict:
    with open(path, newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


def content(db: Path) -> list[str]:
    """Everything the gradebook holds, as SQL (a restored copy need not be the same bytes)."""
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


DIES = "import os\nos._exit(1)"
KILLS_GRADER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"  # the kernel's parent


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A small cohort of 00-welcome graded once; what the checks need."""
    tmp = tmp_path_factory.mktemp("grade")
    course = scratch_course(tmp / "course", NAMES)
    subs = tmp / "subs"
    write(subs, "Jane Doe - 00-welcome.ipynb", answered())
    write(subs, "bob.smith_00-welcome.ipynb", mistake("counted_rows"))
    write(subs, "carl/00-welcome.ipynb", release())
    write(subs, "dora_00-welcome.ipynb", answered({"total_calls": DIES}))
    write(subs, "erin_00-welcome.ipynb", "this is not a notebook")
    write(subs, "fred_00-welcome.ipynb", answered())
    write(subs, "Fred - 00-welcome.ipynb", release())
    write(subs, "gina_00-welcome.ipynb", release(STAFF))
    write(subs, "kurt_00-welcome.ipynb", answered({"total_calls": KILLS_GRADER}))
    lines = []
    # without the sandbox, so kurt's kernel can kill the process grading it (with it, it cannot:
    # see test_a_sandboxed_kernel_cannot_kill_the_grader)
    run = g.grade(WELCOME, subs, course_root=course, jobs=2, progress=False, report=lines.append,
                  sandbox=False)
    return dict(course=course, subs=subs, run=run, lines=lines)


@pytest.mark.slow
def test_cohort_is_graded_and_bad_files_reported(cohort):
    """Check who was graded, and one line for each bad file and for the dead kernel."""
    run = cohort["run"]
    assert sorted(run.graded) == ["bob_smith", "carl", "dora", "jane_doe"]
    assert sorted(run.failed) == ["kurt"] and run.exit_code == 0
    text = "\n".join(cohort["lines"])
    assert "erin_00-welcome.ipynb: not a readable notebook" in text
    assert "fred: 2 different files for one student" in text
    assert "gina_00-welcome.ipynb: is a notebook of 02-staff-an-interval" in text
    assert "dora: its kernel died in total_calls" in text, text  # graded up to the crash
    assert "kurt: grading failed: its grading process died" in text, text
    assert len(cohort["lines"]) == 5


@pytest.mark.slow
def test_scores_match_the_gradebook_and_manual_work_says_so(cohort):
    """Check the CSV against the gradebook: right scores, 'needs manual grading' never 0."""
    course, run = cohort["course"], cohort["run"]
    rows = read_csv(run.csv_path)
    assert run.csv_path == course / ".nbgrader" / "grades-00-welcome.csv"
    assert set(rows) == {"bob_smith", "carl", "jane_doe", "dora", "kurt"}
    tests = ["total_calls_tests", "busiest_interval_tests", "service_level_day_tests"]
    expected = {"jane_doe": 6, "bob_smith": 5, "carl": 0}
    for student, total in expected.items():
        book = scores(course, student)
        row = rows[student]
        assert float(row["autograded_score"]) == total == sum(book[t][0] for t in tests)
        assert float(row["autograded_max"]) == 6
        for t in tests:
            assert float(row[nbm.question_name(t)]) == book[t][0], (student, t)
    assert float(rows["bob_smith"]["total_calls"]) == 0
    for student in ["jane_doe", "bob_smith"]:  # written answers, not graded by hand yet
        assert rows[student]["manual_grading"] == g.NEEDS_MANUAL
        assert rows[student]["manual_score"] == rows[student]["total_score"] == g.NEEDS_MANUAL
        assert rows[student]["explain_day"] == g.NEEDS_MANUAL
    # the release: nbgrader scores unchanged answer cells 0 itself, nothing waits
    assert rows["carl"]["manual_grading"] == "done" and float(rows["carl"]["total_score"]) == 0
    assert rows["dora"]["status"] == "graded" and float(rows["dora"]["autograded_score"]) == 0
    assert "kernel died in total_calls" in rows["dora"]["warnings"]
    assert rows["kurt"]["status"].startswith("failed") and rows["kurt"]["autograded_score"] == ""
    # task cells (the prompts, 0 points) are no questions
    assert not any(name.endswith("_prompt") for name in next(iter(rows.values())))
    summary = g.format_summary(run)
    # dora's kernel died in her first answer: her written answer still waits for the coach
    assert "Manual Grading" in summary and "needs manual grading: 3 of 4" in summary
    assert "total_calls" in summary and "2/4" in summary


@pytest.mark.slow
def test_feedback_is_made_for_the_graded(cohort):
    """Check each graded student got a feedback page, made with the course's config."""
    course = cohort["course"]
    for student in ["jane_doe", "bob_smith", "carl"]:
        page = course / ".nbgrader" / "feedback" / student / WELCOME / f"{WELCOME}.html"
        assert page.is_file(), student
        assert "### BEGIN HIDDEN TESTS" not in page.read_text()


@pytest.mark.slow
def test_rerun_grades_only_what_changed(cohort, capsys):
    """Check a re-run: a changed file and a new student are graded; the others are not."""
    course, subs = cohort["course"], cohort["subs"]
    autograded = course / ".nbgrader" / "autograded"
    before = {s: (autograded / s / WELCOME / f"{WELCOME}.ipynb").stat().st_mtime_ns
              for s in ["jane_doe", "carl"]}
    write(subs, "bob.smith_00-welcome.ipynb", answered())  # bob fixed his mistake
    write(subs, "hana_00-welcome.ipynb", mistake("percentage"))  # a late submission
    (subs / "erin_00-welcome.ipynb").unlink()
    (subs / "dora_00-welcome.ipynb").unlink()
    (subs / "kurt_00-welcome.ipynb").unlink()
    code = cli.main(["grade", WELCOME, str(subs), "--course-root", str(course), "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "1 new, 1 changed, 2 unchanged (not graded again)" in out
    assert "graded now: 2" in out
    for student, stamp in before.items():
        assert (autograded / student / WELCOME / f"{WELCOME}.ipynb").stat().st_mtime_ns == stamp
    rows = read_csv(course / ".nbgrader" / "grades-00-welcome.csv")
    assert float(rows["bob_smith"]["autograded_score"]) == 6
    assert float(rows["hana"]["autograded_score"]) == 3
    assert float(rows["jane_doe"]["autograded_score"]) == 6
    assert rows["jane_doe"]["status"] == "graded"
    assert "grades:   " in out and "Formgrader → Manual Grading" in out


@pytest.mark.slow
def test_a_failed_run_leaves_the_gradebook_as_it_was(cohort):
    """Check the backup: a run that fails after grading puts the gradebook and state back."""
    course, subs = cohort["course"], cohort["subs"]
    db = course / ".nbgrader" / "gradebook.db"
    state = course / ".nbgrader" / "opsfirst-grade-00-welcome.json"
    before = content(db), state.read_text()
    write(subs, "ivan_00-welcome.ipynb", answered())

    def fail():
        assert content(db) != before[0], "ivan should be in the gradebook when the run fails"
        raise RuntimeError("forced failure")

    with pytest.raises(RuntimeError, match="forced failure"):
        g.grade(WELCOME, subs, course_root=course, jobs=1, progress=False, report=lambda _: None,
                _fail_after_grading=fail)
    assert (content(db), state.read_text()) == before
    assert (course / ".nbgrader" / "gradebook.db.before-grade").is_file()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        assert "ivan" not in {s.student.id for s in gb.find_assignment(WELCOME).submissions}


# --------------------------------------------------------------------------- hostile notebooks (slow)

SOLUTIONS = {  # 00-welcome's answers, as code a hostile notebook can build on
    "total_calls": 'total_calls = day["calls_offered"].sum()',
    "busiest_interval": None,
    "service_level_day": 'day["answered_within_20s"].sum() / day["calls_offered"].sum()',
}
ENDLESS = "while True:\n    pass"
UNINTERRUPTIBLE = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n" + ENDLESS
STDERR_NOISE = (  # a thread that keeps writing to stderr while the later cells run
    SOLUTIONS["total_calls"] + "\nimport sys, threading, time\n"
    "def _noise():\n    for _ in range(3000):\n        print('noise', file=sys.stderr, flush=True)\n"
    "        time.sleep(0.005)\n"
    "threading.Thread(target=_noise, daemon=True).start()\nprint('and now', file=sys.stderr)")
WARNS_IN_TEST = (  # a correct value whose comparisons warn: the test cell writes to stderr
    "import warnings\nclass _Fraction(float):\n    def __ge__(self, other):\n"
    "        warnings.warn('comparing a service level')\n        return float.__ge__(self, other)\n"
    f"service_level_day = _Fraction({SOLUTIONS['service_level_day']})")
TRANSFORMER = (  # every later cell that checks anything becomes `pass`: wrong answers "pass"
    "total_calls = 1\nget_ipython().input_transformers_post.append(\n"
    "    lambda lines: ['pass\\n'] if any('assert' in l or 'expect' in l for l in lines) else lines)")
PATCHED_BUILTIN = (SOLUTIONS["total_calls"] + "\nimport builtins\n"
                   "builtins.AssertionError = type('X', (Exception,), {})")
REDEFINED_HELPER = "total_calls = 'lots'\nexpect_whole_number = expect_number = lambda *a, **k: None"


def snooping(course: Path) -> dict:
    """Answers copied from what a student's kernel must not read: the solutions (question 1),
    another student's submission (question 2), the gradebook (question 3)."""
    def cell_of(path, grade_id):
        return (f"import json\n_nb = json.load(open({str(path)!r}))\n"
                f"exec(next(''.join(c['source']) for c in _nb['cells'] "
                f"if c['metadata'].get('nbgrader', {{}}).get('grade_id') == {grade_id!r}))")
    db = course / ".nbgrader" / "gradebook.db"
    return {
        "total_calls": cell_of(course / "solutions" / WELCOME / f"{WELCOME}.ipynb", "total_calls"),
        "busiest_interval": cell_of(course / ".nbgrader" / "submitted" / "normal" / WELCOME /
                                    f"{WELCOME}.ipynb", "busiest_interval"),
        "service_level_day": (f"open({str(db)!r}, 'rb').read(16)  # the gradebook: sqlite, hidden tests\n"
                              + SOLUTIONS["service_level_day"]),
    }


def without_tests(nb, deleted=(), edited=()):
    """``nb`` with the test cells ``deleted`` taken out and those ``edited`` made ``pass``."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in deleted]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in edited:
            cell.source = "pass"
    return nb


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One cohort of 00-welcome: a normal student and one hostile notebook per protection."""
    tmp = tmp_path_factory.mktemp("hostile")
    # an endless loop costs 15 s here, not 60 (5 s is too short for the setup cell on a
    # loaded machine: it imports pandas and matplotlib)
    course = scratch_course(tmp / "course", NAMES, extra_config="c.Execute.timeout = 15\n")
    subs = tmp / "subs"
    write(subs, "normal_00-welcome.ipynb", answered())
    # a wrong answer with its test edited to `pass`, a right one with its test deleted
    write(subs, "deleter_00-welcome.ipynb", without_tests(
        answered({"service_level_day": "service_level_day = 0.5"}),
        deleted=["busiest_interval_tests"], edited=["service_level_day_tests"]))
    write(subs, "wrong_00-welcome.ipynb", answered({"service_level_day": "service_level_day = 0.5"}))
    write(subs, "looper_00-welcome.ipynb", answered({"busiest_interval": ENDLESS}))
    write(subs, "crasher_00-welcome.ipynb", answered({"service_level_day": DIES}))
    write(subs, "stuck_00-welcome.ipynb", answered({"busiest_interval": UNINTERRUPTIBLE}))
    write(subs, "noisy_00-welcome.ipynb", answered({"total_calls": STDERR_NOISE}))
    write(subs, "warner_00-welcome.ipynb", answered({"service_level_day": WARNS_IN_TEST}))
    write(subs, "transformer_00-welcome.ipynb", answered({
        "total_calls": TRANSFORMER, "busiest_interval": "busiest_interval = 'x'",
        "service_level_day": "service_level_day = 42"}))
    write(subs, "patcher_00-welcome.ipynb", answered({"total_calls": PATCHED_BUILTIN}))
    write(subs, "helper_00-welcome.ipynb", answered({"total_calls": REDEFINED_HELPER}))
    write(subs, "snooper_00-welcome.ipynb", answered(snooping(course)))
    write(subs, "killer_00-welcome.ipynb", answered({"total_calls": KILLS_GRADER}))
    lines = []
    run = g.grade(WELCOME, subs, course_root=course, jobs=2, progress=False, report=lines.append)
    return dict(course=course, run=run, lines=lines, rows=read_csv(run.csv_path))


def marks(hostile, student):
    row = hostile["rows"][student]
    assert row["status"] == "graded", row
    return {q: float(row[q]) for q in ["total_calls", "busiest_interval", "service_level_day"]}


@pytest.mark.slow
def test_hostile_students_do_not_disturb_a_normal_one(hostile):
    """Check the normal student of a hostile cohort gets full marks and no warning."""
    assert marks(hostile, "normal") == {"total_calls": 1, "busiest_interval": 2, "service_level_day": 3}
    assert hostile["rows"]["normal"]["warnings"] == ""
    run = hostile["run"]
    killed = [] if run.sandbox else ["killer"]  # without the sandbox it kills its grading process
    assert run.failed == killed and sorted(run.graded + killed) == sorted(hostile["rows"])


@pytest.mark.slow
def test_a_failed_check_keeps_its_full_traceback_after_the_canaries(hostile):
    """Check a wrong answer's failed test, run after two canaries (whose own errors are shown in
    IPython's Minimal mode, to save time), still has the full traceback a learner reads: the
    cell and line that failed, not just the message."""
    assert marks(hostile, "wrong") == {"total_calls": 1, "busiest_interval": 2, "service_level_day": 0}
    nb = nbformat.read(hostile["course"] / ".nbgrader" / "autograded" / "wrong" / WELCOME /
                       f"{WELCOME}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") ==
                "service_level_day_tests")
    error = next(o for o in cell.outputs if o.output_type == "error")
    text = nbm.strip_escapes("\n".join(error.traceback))
    assert error.ename == "AssertionError" and len(error.traceback) > 1
    assert "Traceback (most recent call last)" in text and "Cell In[" in text, text
    assert not any("canary" in str(o) for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_deleted_and_edited_test_cells_are_restored_and_run(hostile):
    """Check a deleted test cell is put back (its right answer scores) and an edited one runs."""
    assert marks(hostile, "deleter") == {"total_calls": 1, "busiest_interval": 2, "service_level_day": 0}
    assert hostile["rows"]["deleter"]["manual_grading"] == g.NEEDS_MANUAL  # only the written answer


@pytest.mark.slow
def test_an_endless_loop_costs_only_its_cell(hostile):
    """Check `while True: pass` in one answer loses that question only (15 s cell timeout)."""
    assert marks(hostile, "looper") == {"total_calls": 1, "busiest_interval": 0, "service_level_day": 3}


@pytest.mark.slow
def test_an_uninterruptible_loop_costs_only_the_cells_from_it_on(hostile):
    """Check a loop that ignores SIGINT: question 1 kept, the rest 0, the coach told."""
    assert marks(hostile, "stuck") == {"total_calls": 1, "busiest_interval": 0, "service_level_day": 0}
    assert "could not be interrupted after the cell timeout in busiest_interval" in \
        hostile["rows"]["stuck"]["warnings"]


@pytest.mark.slow
def test_a_dead_kernel_costs_only_the_cells_from_the_crash_on(hostile):
    """Check os._exit in question 3's answer keeps questions 1-2's marks, and the coach is told."""
    assert marks(hostile, "crasher") == {"total_calls": 1, "busiest_interval": 2, "service_level_day": 0}
    said = hostile["rows"]["crasher"]["warnings"]
    assert "kernel died in service_level_day" in said and "tampering" not in said
    assert any(line.startswith("crasher: its kernel died") for line in hostile["lines"])


@pytest.mark.slow
@pytest.mark.parametrize("student", ["noisy", "warner"])
def test_stderr_from_student_code_costs_nothing(hostile, student):
    """Check stderr written by an answer (noisy), a warning during a passing test (warner): no 0."""
    assert marks(hostile, student) == {"total_calls": 1, "busiest_interval": 2, "service_level_day": 3}
    assert hostile["rows"][student]["warnings"] == ""


@pytest.mark.slow
@pytest.mark.parametrize("student", ["transformer", "patcher", "helper"])
def test_tampering_earns_nothing_and_is_reported(hostile, student):
    """Check an input transformer, a patched builtin, a redefined test helper: 0 and a warning."""
    assert marks(hostile, student) == {"total_calls": 0, "busiest_interval": 0, "service_level_day": 0}
    assert "tampering suspected" in hostile["rows"][student]["warnings"]
    assert any(line.startswith(f"{student}: tampering suspected") for line in hostile["lines"])
    summary = g.format_summary(hostile["run"])
    assert f"{student}: tampering suspected" in summary
    assert f"kernels: {hostile['run'].isolation}" in summary


@pytest.mark.slow
def test_a_sandboxed_kernel_cannot_kill_the_grader(hostile):
    """Check killer, whose first answer SIGKILLs its kernel's parent (the grading process): in the
    sandbox the kernel has a process namespace of its own, its parent is outside it (getppid()
    is 0, so the kill reaches only the kernel's own group, where the kernel is the namespace's
    first process and ignores it), the grader and the kernel live on and only that question is
    lost; without the sandbox the grading process dies and the run reports it (the cohort test
    checks that)."""
    from opsfirst.assignments.grade import sandbox

    if not sandbox.status().available:
        assert "killer" in hostile["run"].failed
        return
    assert marks(hostile, "killer") == {"total_calls": 0, "busiest_interval": 2, "service_level_day": 3}
    nb = nbformat.read(hostile["course"] / ".nbgrader" / "autograded" / "killer" / WELCOME /
                       f"{WELCOME}.ipynb", 4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "total_calls")
    assert [o.ename for o in answer.outputs if o.output_type == "error"] == []
    assert "killer" in hostile["run"].graded and not hostile["rows"]["killer"]["warnings"]


@pytest.mark.slow
def test_student_code_cannot_read_solutions_gradebook_or_other_students(hostile):
    """Check the snooper, whose answers are copied from the solutions, another student's
    submission and the gradebook: with the sandbox (root on Linux, as in CI) it earns nothing and
    its cells say the files do not exist; without it the summary says kernels are not isolated
    (and the snooper's copying works, which is why that line is there)."""
    from opsfirst.assignments.grade import sandbox

    run = hostile["run"]
    summary = g.format_summary(run)
    nb = nbformat.read(hostile["course"] / ".nbgrader" / "autograded" / "snooper" / WELCOME /
                       f"{WELCOME}.ipynb", 4)
    errors = {c.metadata["nbgrader"]["grade_id"]: [o.ename for o in c.outputs if o.output_type == "error"]
              for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
              and c.metadata["nbgrader"]["grade_id"] in SOLUTIONS}
    if sandbox.status().available:
        assert run.sandbox and f"kernels: {g.ISOLATED}" in summary
        assert marks(hostile, "snooper") == {"total_calls": 0, "busiest_interval": 0, "service_level_day": 0}
        assert errors == {"total_calls": ["FileNotFoundError"], "busiest_interval": ["FileNotFoundError"],
                          "service_level_day": ["FileNotFoundError"]}
    else:
        assert not run.sandbox and f"kernels: {g.NOT_ISOLATED}" in summary
        assert sandbox.status().reason in summary
        assert marks(hostile, "snooper") == {"total_calls": 1, "busiest_interval": 2, "service_level_day": 3}


# --------------------------------------------------------------------------- limits (fast)

def test_a_zip_bomb_is_refused_in_one_line_and_the_rest_graded(tmp_path, monkeypatch):
    """Check the unpacking limits on a zip: a member that unpacks past the per-file cap (its
    header is not trusted: the copy stops at the cap), more files than allowed, more bytes than
    allowed in all -- one line each, nothing left on disk, the good files kept. The control: the
    same bomb unpacks whole without the cap."""
    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("jane.doe_00-welcome.ipynb", nbformat.writes(answered()))
        z.writestr("bomb_00-welcome.ipynb", b"\0" * (5 * 2**20))  # 5 MB of zeros, ~5 kB zipped
    assert archive.stat().st_size < 64 * 2**10
    base, files, refused = names.collect_files(archive, tmp_path / "control")
    assert not refused and (base / "bomb_00-welcome.ipynb").stat().st_size == 5 * 2**20

    monkeypatch.setattr(names, "MAX_FILE_BYTES", 2**20)
    base, files, refused = names.collect_files(archive, tmp_path / "capped")
    assert [f.name for f in files] == ["jane.doe_00-welcome.ipynb"]
    assert [str(p) for p in refused] == [
        "bomb_00-welcome.ipynb: unpacks to more than 1 MB: refused (not a notebook a learner wrote)"]
    assert not (base / "bomb_00-welcome.ipynb").exists()

    monkeypatch.setattr(names, "MAX_FILE_BYTES", 50 * 2**20)
    monkeypatch.setattr(names, "MAX_TOTAL_BYTES", 3 * 2**20)  # the bomb does not fit after jane
    base, files, refused = names.collect_files(archive, tmp_path / "total")
    assert [f.name for f in files] == ["jane.doe_00-welcome.ipynb"]
    assert len(refused) == 1 and "unpacks to more than 3 MB: stopped at bomb_00-welcome.ipynb" in str(refused[0])

    monkeypatch.setattr(names, "MAX_FILES", 1)
    base, files, refused = names.collect_files(archive, tmp_path / "count")
    assert [f.name for f in files] == ["jane.doe_00-welcome.ipynb"]
    assert [p.message for p in refused] == ["holds more than 1 files: unpacked the first 1, refused the rest"]


def test_a_folder_over_the_limits_is_refused_file_by_file(tmp_path, monkeypatch):
    """Check the same limits on a folder, and that a link is reported, not followed."""
    subs = tmp_path / "subs"
    write(subs, "jane.doe_00-welcome.ipynb", answered())
    write(subs, "huge_00-welcome.ipynb", b"x" * (2 * 2**20))
    (subs / "link_00-welcome.ipynb").symlink_to("/etc/passwd")
    monkeypatch.setattr(names, "MAX_FILE_BYTES", 2**20)
    base, files, refused = names.collect_files(subs, tmp_path / "scratch")
    assert [f.name for f in files] == ["jane.doe_00-welcome.ipynb"]
    said = {p.what: p.message for p in refused}
    assert said["huge_00-welcome.ipynb"].startswith("is larger than 1 MB: refused")
    assert said["link_00-welcome.ipynb"].startswith("is a link or a special file")
