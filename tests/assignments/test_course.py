"""The course is the folder you run in: finding it, and what `make lab` / `make release` run there.

A course is a folder holding ``nbgrader_config.py`` (``opsfirst.assignments.course``). These tests
make course folders as a coach makes them -- a copy of the kit's ``nbgrader_config.py``,
``solutions/`` and ``exercises/`` -- and run the installed ``opsfirst`` command in them, so the
kit's own repository (the install) is only ever read.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from opsfirst.assignments.course import CONFIG, Course, find_root, mistakes_of
from opsfirst.assignments.errors import CourseError
from opsfirst.assignments.notebooks import fill
from opsfirst.cli import main

KIT = Path(__file__).resolve().parents[2]
OPSFIRST = Path(sys.executable).with_name("opsfirst")
WELCOME = "00-welcome"


def copy_course(folder: Path) -> Path:
    """A course folder as a coach copies the kit's: config, sources, release; no gradebook yet."""
    folder.mkdir(parents=True)
    for name in ("solutions", "exercises"):
        shutil.copytree(KIT / name, folder / name)
    shutil.copy(KIT / CONFIG, folder / CONFIG)
    return folder


def opsfirst(*argv, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed command, run in ``cwd`` as a coach types it (no OPSFIRST_ROOT set)."""
    environ = {k: v for k, v in os.environ.items() if k != "OPSFIRST_ROOT"}
    environ["PATH"] = f"{OPSFIRST.parent}{os.pathsep}{environ.get('PATH', '')}"
    return subprocess.run([str(OPSFIRST), *argv], cwd=cwd, env={**environ, **(env or {})},
                          capture_output=True, text=True, timeout=900)


def everything(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- finding the course

def test_the_course_is_the_nearest_folder_with_a_config(tmp_path, monkeypatch):
    """Check the order: --course-root, then $OPSFIRST_ROOT, then here or above, then `also`."""
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "cohort-b"
    for folder in (outer, inner):
        folder.mkdir(exist_ok=True)
        (folder / CONFIG).write_text("c = get_config()\n")
    deep = inner / "exercises" / WELCOME
    deep.mkdir(parents=True)
    monkeypatch.delenv("OPSFIRST_ROOT", raising=False)
    monkeypatch.chdir(deep)
    assert find_root() == inner
    assert find_root(outer) == outer
    monkeypatch.setenv("OPSFIRST_ROOT", str(outer))
    assert find_root() == outer
    assert find_root(inner) == inner
    monkeypatch.delenv("OPSFIRST_ROOT")
    monkeypatch.chdir(tmp_path)  # no course here or above: the notebook's folder is next
    assert find_root(also=[deep]) == inner


def test_no_course_is_one_line_saying_how_to_point_at_one(tmp_path, monkeypatch, capsys):
    """Check that a folder with no course above it gives exit 2 and one line that says what to do,
    for every command that needs a course; a --course-root without a config is refused too."""
    monkeypatch.delenv("OPSFIRST_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseError, match="no course here"):
        find_root()
    for argv in (["report", WELCOME], ["grade", WELCOME, str(tmp_path)], ["release"],
                 ["exchange"], ["report", WELCOME, "--course-root", str(tmp_path)]):
        assert main(argv) == 2, argv
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1, (argv, err)
        assert err.startswith(f"opsfirst {argv[0]}: ") and CONFIG in err, err
        assert "--course-root" in err or "is not a course" in err, err


def test_every_path_comes_from_the_course_config(tmp_path):
    """Check that a course whose config moves its folders is read where it says, not .nbgrader/."""
    course = tmp_path / "c"
    course.mkdir()
    (course / CONFIG).write_text(
        "c = get_config()\n"
        "c.CourseDirectory.source_directory = 'src'\n"
        "c.CourseDirectory.release_directory = 'out'\n"
        "c.CourseDirectory.autograded_directory = 'marked'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{tmp_path}/state/book.db'\n")
    (course / "src" / WELCOME).mkdir(parents=True)
    shutil.copy(KIT / "solutions" / WELCOME / f"{WELCOME}.ipynb", course / "src" / WELCOME)
    shutil.copy(KIT / "solutions" / WELCOME / "mistakes.py", course / "src" / WELCOME)
    c = Course.load(course)
    assert c.root == course and c.assignments() == [WELCOME] and c.assignments("release") == []
    assert c.source(WELCOME) == course / "src" / WELCOME / f"{WELCOME}.ipynb"
    assert c.release(WELCOME) == course / "out" / WELCOME / f"{WELCOME}.ipynb"
    assert c.folder("autograded", "ada", WELCOME) == course / "marked" / "ada" / WELCOME
    assert c.db_path == tmp_path / "state" / "book.db"
    assert c.grades_csv(WELCOME) == tmp_path / "state" / f"grades-{WELCOME}.csv"
    assert c.report_path(WELCOME) == tmp_path / "state" / "reports" / f"{WELCOME}-report.html"
    assert [m.id for m in c.mistakes(WELCOME)] == [m.id for m in mistakes_of(WELCOME)]


def test_settings_for_one_nbgrader_call_leave_the_course_as_it_is(tmp_path):
    """Check that an API with changed settings (grade loads the gradebook through a scratch
    release folder) does not change the course's own configuration (a shallow copy would)."""
    course = Course.load(copy_course(tmp_path / "c"))
    api = course.api({"CourseDirectory": {"release_directory": str(tmp_path / "scratch")}})
    assert api.coursedir.release_directory == str(tmp_path / "scratch")
    assert course.config.CourseDirectory.release_directory == "exercises"
    assert course.api().coursedir.release_directory == "exercises"


# --------------------------------------------------------------------------- two courses, one kit

@pytest.mark.slow
def test_grade_and_report_write_into_the_course_they_run_in(tmp_path):
    """Check the fault a coach met: with the kit installed from one folder, `opsfirst grade` run in
    a second course folder graded into the first. Two course folders and one install: grading
    and reporting in the second (from the folder and from a sub-folder of it) leave the first
    and the kit untouched, and the second holds the gradebook, the grades and the report."""
    first, second = copy_course(tmp_path / "cohort-a"), copy_course(tmp_path / "cohort-b")
    source = nbformat.read(KIT / "solutions" / WELCOME / f"{WELCOME}.ipynb", 4)
    release = nbformat.read(KIT / "exercises" / WELCOME / f"{WELCOME}.ipynb", 4)
    returned = tmp_path / "returned"
    returned.mkdir()
    nbformat.write(fill(release, source), returned / f"zed.twofolders_{WELCOME}.ipynb")
    nbformat.write(release, returned / f"yael.twofolders_{WELCOME}.ipynb")
    first_before, kit_state = everything(first), KIT / ".nbgrader"
    kit_before = everything(kit_state) if kit_state.exists() else {}

    graded = opsfirst("grade", WELCOME, str(returned), "--jobs", "2", cwd=second)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    grades = second / ".nbgrader" / f"grades-{WELCOME}.csv"
    assert f"grades:   {grades}" in graded.stdout
    with open(grades) as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"zed_twofolders", "yael_twofolders"}
    assert rows["zed_twofolders"]["autograded_score"] == rows["zed_twofolders"]["autograded_max"]
    assert float(rows["yael_twofolders"]["autograded_score"]) == 0
    assert (second / ".nbgrader" / "gradebook.db").is_file()
    assert (second / ".nbgrader" / "feedback" / "zed_twofolders" / WELCOME / f"{WELCOME}.html").is_file()

    reported = opsfirst("report", WELCOME, cwd=second / "exercises" / WELCOME)
    assert reported.returncode == 0, reported.stderr
    page = second / ".nbgrader" / "reports" / f"{WELCOME}-report.html"
    assert reported.stdout.strip() == str(page) and "zed_twofolders" in page.read_text()

    assert everything(first) == first_before, "the first course was written to"
    kit_after = everything(kit_state) if kit_state.exists() else {}
    assert not [p for p in set(kit_after) - set(kit_before) if "twofolders" in p or WELCOME in p
                and ("grades" in p or "report" in p)], "the kit's own course was written to"
    assert not any(b"twofolders" in data for data in kit_after.values())


@pytest.mark.slow
def test_exchange_on_a_fresh_clone_leaves_a_gradebook_ready_to_autograde(tmp_path):
    """Check that after `make lab`'s exchange step (`opsfirst exchange`, run in the course) every
    assignment can be autograded.

    nbgrader autograde needs the gradebook to know each notebook and its graded cells, which
    only generate_assignment records; exercises/ itself must not change.
    """
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path / "clone")
    before = {p: p.read_bytes() for p in (course / "exercises").rglob("*.ipynb")}
    done = opsfirst("exchange", cwd=course)
    assert done.returncode == 0, done.stderr
    names = Course.load(course).assignments("release")
    assert done.stdout.strip() == f"assignments in the exchange: {', '.join(names)}"
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gradebook:
        for name in names:
            assignment = gradebook.find_assignment(name)
            assert [nb.name for nb in assignment.notebooks] == [name]
            assert assignment.max_score > 0
    outbound = course / ".nbgrader" / "exchange" / "opsfirst" / "outbound"
    assert sorted(p.name for p in outbound.iterdir()) == names
    assert {p: p.read_bytes() for p in (course / "exercises").rglob("*.ipynb")} == before


@pytest.mark.slow
def test_release_regenerates_the_committed_exercises(tmp_path):
    """Check that `opsfirst release` (make release) in a course rewrites its release from the
    sources, as committed, and refuses an unknown assignment in one line."""
    course = copy_course(tmp_path / "clone")
    shutil.rmtree(course / "exercises")
    done = opsfirst("release", WELCOME, cwd=course / "solutions")
    assert done.returncode == 0, done.stderr
    made = nbformat.read(course / "exercises" / WELCOME / f"{WELCOME}.ipynb", 4)
    assert made.cells == nbformat.read(KIT / "exercises" / WELCOME / f"{WELCOME}.ipynb", 4).cells
    wrong = opsfirst("release", "99-nothing", cwd=course)
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1
    assert "no assignment '99-nothing'" in wrong.stderr and WELCOME in wrong.stderr


def test_a_new_gradebook_is_stamped_with_the_revision_alembic_gives(tmp_path):
    """Check the head revision read in this process (Course.load's stand-in for nbgrader's
    get_alembic_version) is the one the `alembic heads` command gives, and a gradebook made
    through a course is stamped with it."""
    import sqlite3

    import nbgrader.api
    from nbgrader.api import Gradebook

    from opsfirst.assignments.course import with_venv_on_path

    course = Course.load(copy_course(tmp_path / "course"))
    ours = nbgrader.api.get_alembic_version
    assert ours.opsfirst
    with_venv_on_path()
    head = ours.by_command()
    assert ours() == head and len(head) == 12
    with Gradebook(course.db_url, course.coursedir.course_id):
        pass
    with sqlite3.connect(course.db_path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
