"""``opsfirst grade``: grade a cohort's notebooks with nbgrader in one command.

A coach gives the assignment and a folder or a ``.zip`` of notebooks as the learners returned
them. The command

The course is found as every command finds it (:func:`opsfirst.assignments.course.find_root`:
``--course-root``, ``$OPSFIRST_ROOT``, else the folder the coach runs in or the nearest one above
it holding ``nbgrader_config.py``), and every path below comes from that course's nbgrader
configuration; the kit's own repository is never written unless it is the course.

1. **finds the students** in the file names (or folder names), see *Names* below, and checks
   every file: a readable notebook, made from this assignment's release (its nbgrader
   ``grade_id``\\ s are compared with every assignment's), one file per student. Each file that
   fails is reported on one line and left out; the rest of the cohort is graded;
2. **collects** each student's notebook into nbgrader's layout,
   ``<submitted>/<student>/<assignment>/<assignment>.ipynb`` (``.nbgrader/submitted/`` in the
   kit's configuration);
3. **backs up the gradebook** (``gradebook.db`` → ``gradebook.db.before-grade``); if the run
   fails (an error of the command itself, Ctrl+C) the gradebook is put back as it was;
4. **autogrades** the new and changed submissions in ``--jobs`` worker processes (default: one
   per core), with a progress bar, then **generates each student's feedback** (the course's
   config hides hidden tests and mark schemes). One student's failure (a kernel that died, a
   broken notebook) is reported on its line and does not stop the others;
5. writes **a grades CSV** (one row per student: autograded score and maximum, each question's
   score, and "needs manual grading" instead of 0 while a written answer waits for the coach),
   and prints where the manual grading queue is and a one-screen cohort summary.

Re-running grades only what needs it: a student is graded again when their file changed, or
when what decides the grade changed since they were graded -- the assignment's source (a fixed
hidden test, new points, a mark scheme), the grading code or the course's nbgrader
configuration, the datasets (:func:`grading_inputs`); ``--regrade`` grades everyone again. The
SHA-256 digests are kept per student in ``opsfirst-grade-<assignment>.json`` next to the
gradebook, and the summary says who was graded again and why. Marks and comments the coach gave
by hand survive: autograding again rewrites only the automatic scores (nbgrader keeps a manual
score, and flags it for review when the automatic one changes).

Names
-----
A student is named by the **file name**, with the assignment's name and common LMS additions
taken out, or, when the file name has no name left or does not contain the assignment's name,
by the **folder** the file is in (a folder per student)::

    jane.doe_02-staff-an-interval.ipynb                  -> jane_doe
    Jane Doe - 02-staff-an-interval.ipynb                -> jane_doe
    02-staff-an-interval (Jane Doe).ipynb                -> jane_doe
    jane.doe/02-staff-an-interval.ipynb                  -> jane_doe
    Jane Doe_12345_assignsubmission_file_/anything.ipynb -> jane_doe   (Moodle)
    doejane_LATE_1234_5678_02-staff-an-interval-1.ipynb  -> doejane    (Canvas)
    Zoë O'Brien-Smith - 02_staff_an_interval.ipynb       -> zoe_obrien_smith

The student id is made so nbgrader accepts it and the same person gets the same id however the
file was named: accents are taken off (é → e, ß → ss, ø → o), apostrophes dropped, letters made
lower-case, and every run of spaces, dots, hyphens, underscores or brackets becomes one ``_``.
Taken out of names: every assignment's name (``02-staff-an-interval``, also with ``_`` or spaces),
tokens that are only digits (student numbers, dates, ``(1)`` copy counters), and the LMS words
``assignsubmission file onlinetext submission submissions attempt late copy of final resubmit
ipynb notebook``. A file in a sub-folder whose own name does not contain the assignment's name
is named by its folder (``jane.doe/my work.ipynb`` -> ``jane_doe``). A folder that holds files
named for other students (an LMS download's wrapper folder, ``downloads/jane.doe_….ipynb``)
names nobody: a file in it without a name of its own is reported.

Reported on one line each, and not graded: a file with no name part (``02-staff-an-interval.ipynb``
at the top); a name with letters outside a–z after accents are taken off (``Иван.ipynb``: rename
the file with a Latin spelling); two *different* files for one student (two identical copies
count as one); a file that is not a notebook or cannot be read; a notebook of another assignment
or not made from the release; a link or special file; a file over ``names.MAX_FILE_BYTES``
(50 MB) as unpacked, and whatever lies past ``MAX_FILES`` (5,000) files or ``MAX_TOTAL_BYTES``
(2 GB) in all: a zip's own sizes are not trusted, every member is copied in bounded chunks, so a
zip bomb costs at most the cap.

Parallelism and the gradebook
-----------------------------
Each worker is a ``spawn``-ed process that loads nbgrader once and grades one student at a time
with the nbgrader API (``autograde`` then ``generate_feedback``); the main process hands out the
students one by one, so it always knows whose grading a worker is doing: a worker that dies
costs that student only (the worker is replaced), and a student whose grading runs over
``STUDENT_TIMEOUT`` is stopped. nbgrader's own start-up (~2.5 s) is paid once per worker, not
once per student as ``nbgrader autograde --student S`` subprocesses would.

All workers write to one SQLite gradebook. Everything that must not race is done first, in the
main process: the gradebook is created, the assignment's cells are (re)loaded into it
(``generate_assignment`` into a scratch release folder, so the release is not touched) and the
students are added. The workers' writes are short transactions; they open the gradebook with a
30 s busy timeout (``?timeout=30`` on the SQLite URL) and a student whose grading still fails with
"database is locked" is graded again (up to 3 times). Measured on 2 cores (16 submissions of
00-welcome, ~5 s of nbgrader work each): 1, 2, 3 and 4 concurrent workers wrote the gradebook
with no "database is locked" at all and the same scores as one sequential ``nbgrader
autograde``; 2 workers graded *and* made feedback 1.6x as fast as sequential ``nbgrader
autograde`` alone (23 against 14.5 submissions a minute); 3 or 4 workers on 2 cores are no faster.

Hardening
---------
Each worker (:mod:`.pool`) runs nbgrader with :mod:`.hardening` (see there): deleted or edited
test cells are put back from the source before grading (:func:`.notebooks.restore`); a kernel
that dies costs the cells from the crash on, not the marks before it; stderr from student code
does not zero a test; hidden canary cells detect tampering (input transformers, patched builtins
or test helpers), and a submission that tampered gets 0 autograded marks. Both findings are
reported on the student's line, in the summary and in the CSV's ``warnings`` column. An endless
loop is stopped by the course's cell timeout (``c.Execute.timeout``). Run as root on Linux,
each kernel is sandboxed (:mod:`.sandbox`); elsewhere kernels run as the grader's user, can read
the gradebook and solutions, and the summary says so.

What a failed run leaves: the gradebook and the state file as they were (the backup is copied
back); the notebooks already copied into ``submitted/`` and the autograded and feedback folders
made before the failure stay (the next run grades those students again, as its state says they
were not graded).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import notebooks as nbm
from ..course import Course
from ..errors import GradeError
from .deadlines import deadlines, late_words
from .names import (Problem, file_name_student, name_file, name_tokens, student_id,  # noqa: F401
                    collect_files, sort_out)
from .pool import first_error, quiet, run_pool

__all__ = ["GradeError", "Problem", "Run", "grade", "format_summary", "student_id", "name_tokens",
           "name_file", "file_name_student"]

NEEDS_MANUAL = "needs manual grading"
MANUAL_QUEUE = "JupyterLab (make lab) → Nbgrader → Formgrader → Manual Grading"


@dataclass
class Run:
    """What :func:`grade` did; :func:`format_summary` prints it."""

    assignment: str
    course_root: Path
    csv_path: Path | None = None
    graded: list[str] = field(default_factory=list)  #: graded in this run
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  #: the submission changed
    regraded: list[str] = field(default_factory=list)  #: same submission, the grading changed
    regrade_reason: str = ""  #: what changed for them ("--regrade" when forced)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  #: the CSV's rows
    questions: list[str] = field(default_factory=list)  #: autograded questions
    manual_questions: list[str] = field(default_factory=list)
    question_max: dict[str, float] = field(default_factory=dict)
    backup: Path | None = None
    feedback_dir: Path | None = None
    seconds: float = 0.0
    jobs: int = 1
    retries: int = 0  #: gradings tried again after "database is locked"
    warned: dict[str, str] = field(default_factory=dict)  #: graded, with what the hardening found
    sandbox: bool = False  #: kernels ran in the sandbox (.sandbox)
    not_on_roster: list[str] = field(default_factory=list)  #: graded, but the roster lacks them
    missing: list[str] = field(default_factory=list)  #: on the roster, nothing handed in
    export_path: Path | None = None
    isolation: str = ""  #: what the summary says about it

    @property
    def exit_code(self) -> int:
        """0 if anything was graded (or nothing needed grading); 2 if nothing could be."""
        if self.graded:
            return 0
        needed = self.new or self.changed or self.regraded or self.failed or self.problems
        return 2 if needed and not self.unchanged else 0



# --------------------------------------------------------------------------- gradebook backup

def _backup(db: Path | None) -> Path | None:
    """Copy the gradebook (consistently, with SQLite's backup API) to ``<db>.before-grade``."""
    if db is None or not db.exists():
        return None
    target = db.with_name(db.name + ".before-grade")
    src, dst = sqlite3.connect(str(db)), sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _restore(db: Path | None, backup: Path | None) -> None:
    """Put the gradebook back as it was before the run (remove it if there was none)."""
    if db is None:
        return
    for extra in (db.with_name(db.name + "-journal"), db.with_name(db.name + "-wal")):
        extra.unlink(missing_ok=True)
    if backup is None:
        db.unlink(missing_ok=True)
    else:
        shutil.copyfile(backup, db)


# --------------------------------------------------------------------------- grades

def _state_path(course: Course, assignment: str) -> Path:
    return course.state_dir / f"opsfirst-grade-{assignment}.json"


def _load_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text())["students"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _save_state(path: Path, assignment: str, students: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"assignment": assignment, "students": students}, indent=1,
                              sort_keys=True))
    os.replace(tmp, path)


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(float(x), 2)


def _rows(course: Course, assignment: str, layout: nbm.Layout, state: dict) -> list[dict]:
    """One row per student known to the run or the gradebook, as the CSV has them."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(course.db_url, course.coursedir.course_id) as gb:
        try:
            submissions = {s.student.id: s for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            submissions = {}
        for sid in sorted(set(submissions) | set(state)):
            info = state.get(sid, {})
            row = {"student": sid, "status": info.get("status", "graded"),
                   "file": info.get("file", ""), "warnings": info.get("warnings", "")}
            if sid in submissions:
                sub = submissions[sid]
                row["submitted_at"] = f"{sub.timestamp:%Y-%m-%d %H:%M} UTC" if sub.timestamp else ""
                row["due"] = f"{sub.duedate:%Y-%m-%d %H:%M} UTC" if sub.duedate else ""
                seconds = sub.total_seconds_late if sub.timestamp and sub.duedate else None
                row["late"] = late_words(seconds, info.get("lms_late", False))
            if sid in submissions and not row["status"].startswith("failed"):
                try:
                    notebook = gb.find_submission_notebook(assignment, assignment, sid)
                except MissingEntry:
                    notebook = None
                grades = {g.name: g for g in notebook.grades} if notebook else {}
                auto = [grades[t] for t in layout.tests if t in grades]
                row["autograded_score"] = _number(sum(g.score for g in auto))
                row["autograded_max"] = _number(sum(g.max_score for g in auto))
                manual = [grades[m] for m in layout.manual if m in grades]
                waiting = [g for g in manual if g.max_score > 0 and g.manual_score is None
                           and g.auto_score is None]
                if not manual:
                    row["manual_grading"] = "none"
                    row["manual_score"] = row["manual_max"] = ""
                elif waiting:
                    row["manual_grading"] = row["manual_score"] = NEEDS_MANUAL
                    row["manual_max"] = _number(sum(g.max_score for g in manual))
                else:
                    row["manual_grading"] = "done"
                    row["manual_score"] = _number(sum(g.score for g in manual))
                    row["manual_max"] = _number(sum(g.max_score for g in manual))
                penalty = (notebook.late_submission_penalty or 0) if notebook else 0
                row["late_penalty"] = _number(penalty) if penalty else ""
                row["total_score"] = (NEEDS_MANUAL if waiting else _number(max(
                    0, row["autograded_score"] + (row["manual_score"] or 0) - penalty)))
                row["total_max"] = _number(row["autograded_max"] + (row["manual_max"] or 0))
                for t in layout.tests:
                    row[nbm.question_name(t)] = _number(grades[t].score) if t in grades else ""
                for m in layout.manual:
                    g = grades.get(m)
                    row[m] = ("" if g is None else NEEDS_MANUAL if g in waiting else _number(g.score))
            rows.append(row)
    return rows


def _write_csv(path: Path, rows: list[dict], layout: nbm.Layout) -> None:
    columns = (["student", "status", "autograded_score", "autograded_max", "manual_grading",
                "manual_score", "manual_max", "late_penalty", "total_score", "total_max",
                "submitted_at", "due", "late"]
               + [nbm.question_name(t) for t in layout.tests] + layout.manual + ["warnings", "file"])
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="") as out:
        writer = csv.DictWriter(out, columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- the command

_INPUT_WORDS = {"source": "the assignment's source (tests, points, mark schemes)",
                "code": "the grading code or the course's nbgrader configuration",
                "data": "the course's datasets"}


def grading_inputs(course: Course, assignment: str) -> dict[str, str]:
    """SHA-256 digests of what, besides the submission, decides a grade; a submission graded
    with other digests is graded again.

    - ``source``: the assignment's source notebook (its tests, hidden tests, points, mark
      schemes);
    - ``code``: the kit's grading code (``opsfirst.assignments.grade``, ``notebooks``,
      ``feedback``, ``opsfirst.grading``), the course's ``nbgrader_config.py`` and the versions
      of opsfirst and nbgrader;
    - ``data``: the shipped datasets the notebooks load.
    """
    import nbgrader

    import opsfirst
    from opsfirst._paths import DATASETS

    package = Path(opsfirst.__file__).parent
    code = sorted((package / "assignments" / "grade").glob("*.py")) + [
        package / "assignments" / "notebooks.py", package / "assignments" / "feedback.py",
        package / "grading.py", course.root / "nbgrader_config.py"]
    data = sorted(DATASETS.glob("*.csv"))
    return {"source": _digest([course.source(assignment)]),
            "code": _digest(code, f"opsfirst {opsfirst.__version__} nbgrader {nbgrader.__version__}"),
            "data": _digest(data)}


def _digest(paths, extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes() if path.is_file() else b"(missing)")
    return h.hexdigest()


def _on_roster(roster, chosen: dict, run: Run, problems: list[Problem]) -> dict:
    """The submissions filed under their learners' roster ids; who is not on it is said."""
    alias, placed = roster.by_alias(), {}
    for sid, sub in chosen.items():
        learner = alias.get(sid)
        if learner is None:
            run.not_on_roster.append(sid)
            learner = sid
        if learner in placed and placed[learner].sha256 != sub.sha256:
            problems.append(Problem(learner, f"2 different files for one learner on the roster "
                                    f"({placed[learner].label}, {sub.label}): keep one and run "
                                    "again; not graded"))
            del placed[learner]
            continue
        sub.student = learner
        placed[learner] = sub
    return placed


def grade(assignment: str, submissions: str | os.PathLike, course_root: str | os.PathLike | None = None,
          jobs: int | None = None, progress: bool = True, report=None, sandbox: bool | None = None,
          regrade: bool = False, export: str | None = None, _fail_after_grading=None) -> Run:
    """Grade ``submissions`` (a folder or zip of notebooks) for ``assignment``; see the module doc.

    ``sandbox``: run each student's kernel in :mod:`.sandbox` — ``None`` (the default)
    when this machine allows it, ``True`` to insist (GradeError if it cannot), ``False`` not to.

    ``regrade``: grade every submission again, changed or not (``--regrade``). Without it a
    submission is graded again only when it, the assignment's source or the grading code
    changed since it was last graded (see :func:`grading_inputs`).

    ``export``: also write the grades for an LMS (``canvas``, ``moodle`` or ``csv``, see
    :mod:`opsfirst.assignments.lms`); with a roster imported, each file is filed under its
    learner's roster id and the summary names who is not on it and who handed nothing in.

    ``report(line)`` is called with each problem as it is found (default: print to stderr).
    Raises :class:`GradeError` for bad input that stops the whole run.

    The workers are ``spawn``-ed: a script that calls this must do so under
    ``if __name__ == "__main__":`` (each worker imports the caller's main module).
    """
    started = time.perf_counter()
    report = report or (lambda line: print(f"opsfirst grade: {line}", file=sys.stderr, flush=True))
    quiet()
    course = Course.load(course_root)
    root = course.root
    known = course.assignments()
    if assignment not in known:
        raise GradeError(f"no assignment {assignment!r} in {course.folder('source', '.', 'x').parent}; "
                         f"known: {', '.join(known) or 'none'}")
    layouts = {name: nbm.layout(nbm.read(course.source(name))) for name in known}
    layout = layouts[assignment]
    run = Run(assignment, root, jobs=jobs or cores())
    run.sandbox, run.isolation = _isolation(sandbox)

    with tempfile.TemporaryDirectory(prefix="opsfirst-grade-") as scratch:
        base, files, refused = collect_files(Path(submissions), Path(scratch))
        chosen, problems = sort_out(base, files, assignment, layouts)
        problems = refused + problems
        from opsfirst.assignments.lms import load_roster

        roster = load_roster(course)
        if roster is not None:
            chosen = _on_roster(roster, chosen, run, problems)
        for problem in problems:
            report(str(problem))
        run.problems += problems

        state_path = _state_path(course, assignment)
        course.state_dir.mkdir(parents=True, exist_ok=True)
        state = _load_state(state_path)
        in_gradebook = _submitted_students(course, assignment)
        inputs = grading_inputs(course, assignment)
        todo = []
        for sid, sub in chosen.items():
            before = state.get(sid)
            if not before:
                run.new.append(sid)
            elif before.get("sha256") != sub.sha256 or before.get("status") != "graded" \
                    or sid not in in_gradebook:
                run.changed.append(sid)
            elif regrade or any(before.get(k) != v for k, v in inputs.items()):
                run.regraded.append(sid)
            else:
                run.unchanged.append(sid)
                continue
            todo.append(sid)
        run.regrade_reason = "--regrade" if regrade else ", ".join(
            _INPUT_WORDS[k] for k in inputs
            if any(state[sid].get(k) != inputs[k] for sid in run.regraded))

        db = course.db_path
        run.backup = _backup(db)
        try:
            results = {}
            if todo:
                def prepare():
                    _prepare_gradebook(course, assignment, todo, Path(scratch))
                    for sid in todo:
                        dest = course.folder("submitted", sid, assignment)
                        dest.mkdir(parents=True, exist_ok=True)
                        target = dest / f"{assignment}.ipynb"
                        if target.resolve() != chosen[sid].path.resolve():  # nbgrader collect's
                            shutil.copyfile(chosen[sid].path, target)
                            # when it was handed in goes with it (or an old one goes)
                            stamp = dest / "timestamp.txt"
                            if chosen[sid].timestamp:
                                stamp.write_text(chosen[sid].timestamp)
                            else:
                                stamp.unlink(missing_ok=True)

                results = _grade_students(course, assignment, todo, run, progress, report, prepare)
            for sid in todo:
                result = results[sid]
                entry = {"sha256": chosen[sid].sha256, "file": chosen[sid].label,
                         "graded_at": time.strftime("%Y-%m-%d %H:%M:%S"), **inputs}
                if chosen[sid].lms_late:
                    entry["lms_late"] = True
                if result["ok"]:
                    run.graded.append(sid)
                    entry["status"] = "graded"
                    said = _warnings(result.get("findings") or {})
                    if said:
                        entry["warnings"] = said
                        run.warned[sid] = said
                        report(f"{sid}: {said}")
                else:
                    run.failed.append(sid)
                    entry["status"] = f"failed: {result['message']}"
                state[sid] = entry
            for sid in run.unchanged:
                state[sid]["file"] = chosen[sid].label
            run.rows = _rows(course, assignment, layout, state)
            run.csv_path = course.grades_csv(assignment)
            run.csv_path.parent.mkdir(parents=True, exist_ok=True)
            if _fail_after_grading:  # tests force a failure here, after the gradebook was written
                _fail_after_grading()
            _write_csv(run.csv_path, run.rows, layout)
            _save_state(state_path, assignment, state)
            if roster is not None:
                handed_in = set(chosen) | {sid for sid, e in state.items() if e.get("status") == "graded"}
                run.missing = [f"{x.name} ({x.id})" for x in roster.learners if x.id not in handed_in]
            if export:
                from opsfirst.assignments.lms import export as write_export

                run.export_path = write_export(course, assignment, export, rows=run.rows)
        except BaseException:
            _restore(db, run.backup)
            _give_back(course, assignment)
            raise
    _give_back(course, assignment)
    run.questions = [nbm.question_name(t) for t in layout.tests]
    run.manual_questions = list(layout.manual)
    run.question_max = {nbm.question_name(t): _number(layout.points[t]) for t in layout.tests}
    run.feedback_dir = course.folder("feedback", "{student}", assignment)
    run.seconds = time.perf_counter() - started
    return run


TAMPERING = "tampering suspected: a hidden check cell did not fail as it must; autograded marks set to 0"
#: What the summary says about the protection kernels do not have.
NOT_ISOLATED = ("not isolated: student code can read files the grader can read (the gradebook "
                "with its hidden tests, the solutions, other students' work)")
ISOLATED = ("isolated: each student's kernel runs as its own unprivileged user in a private, "
            "read-only view of the system (no gradebook, solutions, .git, submissions or other "
            "students' work), with no network, only its own processes, and memory, CPU and "
            "process limits")


def _isolation(wanted: bool | None) -> tuple[bool, str]:
    """(use the sandbox?, the summary's line about it)."""
    if wanted is False:
        return False, f"{NOT_ISOLATED} — the sandbox was turned off (--no-sandbox)"
    from .sandbox import status

    found = status()
    if found.available:
        return True, ISOLATED
    if wanted:
        raise GradeError(f"kernels cannot be sandboxed here: {found.reason}")
    return False, f"{NOT_ISOLATED} — {found.reason}"


def _give_back(course: Course, assignment: str) -> None:
    """Grading as root a course folder that belongs to a coach (``sudo opsfirst grade`` on a
    hub, so the kernels can be sandboxed): what the run made goes back to the coach."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    owner = course.root.stat()
    if owner.st_uid == 0:
        return
    places = [course.state_dir] + [course.folder(kind, "x", assignment).parent.parent
                                   for kind in ("submitted", "autograded", "feedback")]
    for place in places:
        if not place.exists() or any(other in place.parents for other in places):
            continue  # missing, or walked already as part of a folder above it (the usual case)
        for folder, dirs, files in os.walk(place):
            for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
                if os.lstat(name).st_uid == 0:
                    os.lchown(name, owner.st_uid, owner.st_gid)


def _warnings(findings: dict) -> str:
    """One line for the coach from :mod:`.hardening`'s findings ('' if none)."""
    said = []
    if findings.get("tampering"):
        said.append(TAMPERING)
    if findings.get("kernel_died"):
        what = ("its kernel could not be interrupted after the cell timeout" if
                findings.get("kernel_stuck") else "its kernel died")
        said.append(f"{what} in {findings['kernel_died']}: that cell and the later ones "
                    "score 0, the earlier questions keep their marks")
    return "; ".join(said)


def cores() -> int:
    """The cores this process may run on (the default number of grading workers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _submitted_students(course: Course, assignment: str) -> set[str]:
    if course.db_path is not None and not course.db_path.exists():
        return set()
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, course.coursedir.course_id) as gb:
        try:
            return {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return set()


def _prepare_gradebook(course: Course, assignment: str, students: list[str], scratch: Path) -> None:
    """What must not race, before the workers start: the gradebook, its cells, the students.

    The assignment's cells (with the hidden tests autograding puts back) are loaded from the
    source by ``generate_assignment``, into a scratch release folder so ``exercises/`` is not
    touched.
    """
    from nbgrader.api import Gradebook

    api = course.api({"CourseDirectory": {"release_directory": str(scratch / "release")}})
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise GradeError(f"could not load {assignment} into the gradebook: "
                         + first_error(result.get("log"), result.get("error")))
    due = deadlines(course.config, assignment)
    with Gradebook(course.db_url, course.coursedir.course_id) as gb:
        if due.due is not None:
            gb.update_or_create_assignment(assignment, duedate=due.due)
        for sid in students:
            gb.update_or_create_student(sid)
            if sid in due.extensions:  # nbgrader adds it to the due date for this learner
                gb.update_or_create_submission(assignment, sid, extension=due.extensions[sid])


def _grade_students(course, assignment, todo, run, progress, report, prepare) -> dict[str, dict]:
    from tqdm import tqdm

    log_path = course.state_dir / f"grade-{assignment}.log"
    log_path.write_text("")
    bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="student", file=sys.stderr,
               disable=not progress, dynamic_ncols=True)

    def on_done(result):
        run.retries += result.get("retries", 0)
        with open(log_path, "a") as log:
            log.write(f"\n===== {result['student']} ({'ok' if result['ok'] else 'FAILED'}, "
                      f"{result['seconds']:.1f} s)\n{result.get('log', '')}\n")
        if not result["ok"]:
            line = f"{result['student']}: grading failed: {result['message']}"
            run.problems.append(Problem(result["student"], f"grading failed: {result['message']}"))
            if progress:
                bar.write(f"opsfirst grade: {line}", file=sys.stderr)
            else:
                report(line)
        bar.set_postfix_str(result["student"], refresh=False)
        bar.update(1)

    try:
        return run_pool(course, assignment, todo, run.jobs, log_path, on_done, prepare,
                         sandbox=run.sandbox)
    finally:
        bar.close()


def format_summary(run: Run) -> str:
    """The one-screen cohort summary printed after a run."""
    lines = []
    seen = len(run.new) + len(run.changed) + len(run.regraded) + len(run.unchanged)
    lines.append(f"{run.assignment}: {seen} student(s) in the submissions — {len(run.new)} new, "
                 f"{len(run.changed)} changed, "
                 + (f"{len(run.regraded)} graded again ({run.regrade_reason} changed), "
                    if run.regraded and run.regrade_reason != "--regrade" else
                    f"{len(run.regraded)} graded again (--regrade), " if run.regraded else "")
                 + f"{len(run.unchanged)} unchanged (not graded again)")
    lines.append(f"graded now: {len(run.graded)}"
                 + (f", failed: {len(run.failed)}" if run.failed else "")
                 + f" in {run.seconds:.0f} s on {run.jobs} worker(s)")
    scored = [r for r in run.rows if "autograded_score" in r and r["status"] == "graded"]
    if scored:
        top = scored[0]["autograded_max"]
        values = [r["autograded_score"] for r in scored]
        lines.append("")
        lines.append(f"Cohort: {len(scored)} student(s) graded; autograded score out of {top}: "
                     f"mean {statistics.mean(values):.1f}, median {statistics.median(values):g}")
        width = max([len(q) for q in run.questions] + [8])
        lines.append(f"  {'question':<{width}}  full marks")
        for q in run.questions:
            full = sum(1 for r in scored if _full(r, q, run))
            lines.append(f"  {q:<{width}}  {full:>3}/{len(scored)}  {100 * full / len(scored):3.0f}%")
        late = [r["student"] for r in run.rows if str(r.get("late", "")).startswith("yes")]
        if late:
            lines.append(f"  late: {len(late)} ({', '.join(late[:8])}{' ...' if len(late) > 8 else ''})"
                         " — the grades CSV says by how much")
        waiting = [r["student"] for r in scored if r.get("manual_grading") == NEEDS_MANUAL]
        if run.manual_questions:
            lines.append(f"  needs manual grading: {len(waiting)} of {len(scored)} "
                         f"({', '.join(run.manual_questions)})")
    lines.append("")
    if run.problems:
        lines.append(f"problems: {len(run.problems)} (one line each above): "
                     + "; ".join(p.what for p in run.problems[:6])
                     + (" ..." if len(run.problems) > 6 else ""))
    else:
        lines.append("problems: none")
    if run.not_on_roster:
        lines.append(f"not on the roster: {len(run.not_on_roster)} (graded under the id their file "
                     f"gives): {', '.join(run.not_on_roster)}")
    if run.missing:
        lines.append(f"on the roster, nothing handed in: {len(run.missing)}: "
                     + ", ".join(run.missing[:12]) + (" ..." if len(run.missing) > 12 else ""))
    if run.csv_path:
        lines.append(f"grades:   {run.csv_path}")
    if run.export_path:
        lines.append(f"for the LMS: {run.export_path}")
    if run.feedback_dir:
        lines.append(f"feedback: {run.feedback_dir}")
    if run.warned:
        lines.append(f"warnings: {len(run.warned)} (one line each above, and in the CSV): "
                     + "; ".join(f"{sid}: {'tampering suspected' if TAMPERING in said else 'kernel died or stuck'}"
                                 for sid, said in sorted(run.warned.items())))
    lines.append(f"manual grading queue: {MANUAL_QUEUE} → {run.assignment}")
    lines.append(f"kernels: {run.isolation}")
    if run.backup:
        lines.append(f"gradebook as it was before this run: {run.backup}")
    return "\n".join(lines)


def _full(row: dict, question: str, run: Run) -> bool:
    """Did this student earn the question's full marks?"""
    return row.get(question) == run.question_max.get(question)
