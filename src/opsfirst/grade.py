"""``opsfirst grade``: grade a cohort's notebooks with nbgrader in one command.

A coach gives the assignment and a folder or a ``.zip`` of notebooks as the learners returned
them. The command

1. **finds the students** in the file names (or folder names), see *Names* below, and checks
   every file: a readable notebook, made from this assignment's release (its nbgrader
   ``grade_id``\\ s are compared with every assignment's), one file per student. Each file that
   fails is reported on one line and left out; the rest of the cohort is graded;
2. **collects** each student's notebook into nbgrader's layout,
   ``<course-root>/.nbgrader/submitted/<student>/<assignment>/<assignment>.ipynb``;
3. **backs up the gradebook** (``gradebook.db`` → ``gradebook.db.before-grade``); if the run
   fails (an error of the command itself, Ctrl+C) the gradebook is put back as it was;
4. **autogrades** the new and changed submissions in ``--jobs`` worker processes (default: one
   per core), with a progress bar, then **generates each student's feedback** (the course's
   config hides hidden tests and mark schemes). One student's failure (a kernel that died, a
   broken notebook) is reported on its line and does not stop the others;
5. writes **a grades CSV** (one row per student: autograded score and maximum, each question's
   score, and "needs manual grading" instead of 0 while a written answer waits for the coach),
   and prints where the manual grading queue is and a one-screen cohort summary.

Re-running after more submissions arrive grades only what changed: a SHA-256 of every collected
notebook is kept in ``opsfirst-grade-<assignment>.json`` next to the gradebook; a student whose
file has not changed and who was graded before is not graded again (the summary says so).

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
or not made from the release.

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
(``generate_assignment`` into a scratch release folder, so ``exercises/`` is not touched) and the
students are added. The workers' writes are short transactions; they open the gradebook with a
30 s busy timeout (``?timeout=30`` on the SQLite URL) and a student whose grading still fails with
"database is locked" is graded again (up to 3 times). Measured on 2 cores (16 submissions of
00-welcome, ~5 s of nbgrader work each): 1, 2, 3 and 4 concurrent workers wrote the gradebook
with no "database is locked" at all and the same scores as one sequential ``nbgrader
autograde``; 2 workers graded *and* made feedback 1.6x as fast as sequential ``nbgrader
autograde`` alone (23 against 14.5 submissions a minute); 3 or 4 workers on 2 cores are no faster.

Hardening
---------
Each worker runs nbgrader with :mod:`opsfirst.hardening` (see there): deleted or edited test
cells are put back from the source before grading (:func:`opsfirst.check.restore`); a kernel
that dies costs the cells from the crash on, not the marks before it; stderr from student code
does not zero a test; hidden canary cells detect tampering (input transformers, patched builtins
or test helpers), and a submission that tampered gets 0 autograded marks. Both findings are
reported on the student's line, in the summary and in the CSV's ``warnings`` column. An endless
loop is stopped by the course's cell timeout (``c.Execute.timeout``). Not done: kernels run as
the grader's user, so student code can read the gradebook and solutions; the summary says so.

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
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
import warnings
import zipfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["GradeError", "Problem", "Run", "grade", "student_id", "name_tokens", "name_file",
           "file_name_student",
           "format_summary"]

#: Seconds one student's grading (autograde and feedback) may take before it is stopped.
STUDENT_TIMEOUT = 15 * 60
#: How often a student's grading is tried again when SQLite says "database is locked".
LOCKED_RETRIES = 3
NEEDS_MANUAL = "needs manual grading"
MANUAL_QUEUE = "JupyterLab (make lab) → Nbgrader → Formgrader → Manual Grading"

LMS_WORDS = {"assignsubmission", "file", "onlinetext", "submission", "submissions", "attempt",
             "late", "copy", "of", "final", "resubmit", "ipynb", "notebook"}
_SPLIT = re.compile(r"[\s_.\-()\[\]{},;+&]+")
_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o",
                          "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                          "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i"})
_APOSTROPHES = re.compile(r"['’‘`´]")
_NBGRADER_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")  # a folder nbgrader collect made


class GradeError(Exception):
    """Bad input for the whole run (no such assignment, no such folder): one line, exit 2."""


@dataclass
class Problem:
    """A file (or student) left out of the run, or a student whose grading failed."""

    what: str  #: the file as given (relative to SUBMISSIONS) or the student id
    message: str

    def __str__(self) -> str:
        return f"{self.what}: {self.message}"


@dataclass
class Submission:
    student: str
    path: Path  #: where the file is now (in SUBMISSIONS or the unpacked zip)
    label: str  #: the file as the coach sees it, relative to SUBMISSIONS
    sha256: str


@dataclass
class Run:
    """What :func:`grade` did; :func:`format_summary` prints it."""

    assignment: str
    course_root: Path
    csv_path: Path | None = None
    graded: list[str] = field(default_factory=list)  #: graded in this run
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
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
    sandbox: bool = False  #: kernels ran in opsfirst.sandbox
    isolation: str = ""  #: what the summary says about it

    @property
    def exit_code(self) -> int:
        """0 if anything was graded (or nothing needed grading); 2 if nothing could be."""
        if self.graded:
            return 0
        needed = self.new or self.changed or self.failed or self.problems
        return 2 if needed and not self.unchanged else 0


# --------------------------------------------------------------------------- names (pure)

def _pattern(assignment: str) -> re.Pattern:
    parts = [re.escape(p) for p in re.split(r"[-_\s]+", assignment) if p]
    return re.compile(r"[-_\s]*".join(parts), re.I)


def name_tokens(text: str, assignments: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The words of ``text`` that name a person: assignment names, digits and LMS words out.

    >>> name_tokens("Jane Doe - 02-staff-an-interval", ["02-staff-an-interval"])
    ['Jane', 'Doe']
    >>> name_tokens("doejane_LATE_1234_5678_02-staff-an-interval-1", ["02-staff-an-interval"])
    ['doejane']
    >>> name_tokens("02_Staff_An_Interval (1)", ["02-staff-an-interval"])
    []
    """
    text = unicodedata.normalize("NFC", text)
    for assignment in sorted(assignments, key=len, reverse=True):
        text = _pattern(assignment).sub(" ", text)
    words = [w for w in _SPLIT.split(text) if w]
    return [w for w in words if not w.isdigit() and w.lower() not in LMS_WORDS]


def student_id(tokens: list[str] | str) -> str | None:
    """The nbgrader student id for a name: ASCII lower-case words joined by ``_``.

    ``None`` if the name has no letters or digits, or letters that have no a–z spelling.

    >>> student_id(["Jane", "Doe"]), student_id("jane.doe"), student_id("JANE  DOE")
    ('jane_doe', 'jane_doe', 'jane_doe')
    >>> student_id("Zoë O'Brien-Smith"), student_id("Jürgen Groß"), student_id("Søren")
    ('zoe_obrien_smith', 'jurgen_gross', 'soren')
    >>> student_id("Иван") is None, student_id("...") is None
    (True, True)
    """
    text = " ".join(tokens) if isinstance(tokens, list) else tokens
    text = _APOSTROPHES.sub("", text.translate(_SPECIAL))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if any(unicodedata.category(c).startswith("L") and not c.isascii() for c in text):
        return None
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "_".join(words) or None


def file_name_student(relative: str | PurePosixPath, assignments) -> str | None:
    """The student named by the file name alone, if it contains an assignment's name."""
    stem = PurePosixPath(relative).stem
    if not any(_pattern(a).search(stem) for a in assignments):
        return None
    tokens = name_tokens(stem, assignments)
    return student_id(tokens) if tokens else None


def name_file(relative: str | PurePosixPath, assignments: list[str] | tuple[str, ...],
              assignment: str, shared_folders: set[str] | frozenset = frozenset()
              ) -> tuple[str | None, str]:
    """The student a submitted file belongs to, from its path relative to SUBMISSIONS.

    Returns ``(student_id, "")``, or ``(None, why)`` when no id can be made. A folder in
    ``shared_folders`` (one that holds files named for several students, such as an LMS
    download's wrapper folder) never names a student.

    >>> name_file("jane.doe_02-staff-an-interval.ipynb", ["02-staff-an-interval"], "02-staff-an-interval")
    ('jane_doe', '')
    >>> name_file("jane.doe/02-staff-an-interval.ipynb", ["02-staff-an-interval"], "02-staff-an-interval")
    ('jane_doe', '')
    >>> name_file("02-staff-an-interval.ipynb", ["02-staff-an-interval"], "02-staff-an-interval")[0] is None
    True

    nbgrader's own layout (``nbgrader collect`` makes it: STUDENT/ASSIGNMENT/ASSIGNMENT.ipynb)
    takes the student id from the folder as it is — digits, ``-`` and ``.`` included — since
    nbgrader already knows the learner by it (a hub's user name, e.g. ``jupyter-amira``):

    >>> name_file("student_01/00-welcome/00-welcome.ipynb", ["00-welcome"], "00-welcome")
    ('student_01', '')
    >>> name_file("jupyter-amira.k/00-welcome/00-welcome.ipynb", ["00-welcome"], "00-welcome")
    ('jupyter-amira.k', '')
    """
    path = PurePosixPath(relative)
    stem = path.stem
    if len(path.parts) >= 3 and path.parent.name == stem and stem in assignments:
        folder = path.parts[-3]
        if _NBGRADER_ID.fullmatch(folder):
            return folder, ""
    in_folder = len(path.parts) > 1
    has_assignment = any(_pattern(a).search(stem) for a in assignments)
    tokens = name_tokens(stem, assignments)
    source = stem
    if in_folder and path.parent.as_posix() not in shared_folders and (not tokens or not has_assignment):
        folder_tokens = name_tokens(path.parent.name, assignments)
        if folder_tokens:
            tokens, source = folder_tokens, path.parent.name
    if not tokens:
        return None, (f"no student name in the file name (name it like "
                      f"jane.doe_{assignment}.ipynb, or put it in a folder named for the student)")
    sid = student_id(tokens)
    if sid is None:
        return None, (f"the name {' '.join(tokens)!r} (from {source!r}) has letters nbgrader "
                      "cannot use in a student id: rename the file with a Latin spelling, "
                      f"e.g. ivan.petrov_{assignment}.ipynb")
    return sid, ""


# --------------------------------------------------------------------------- the course

@dataclass
class _Course:
    root: Path
    config: object  # traitlets Config
    coursedir: object  # nbgrader CourseDirectory

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def db_path(self) -> Path | None:
        url = self.db_url
        return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None

    @property
    def state_dir(self) -> Path:
        return self.db_path.parent if self.db_path else self.root / ".nbgrader"

    def folder(self, kind: str, *parts: str) -> Path:
        return Path(self.coursedir.format_path(getattr(self.coursedir, f"{kind}_directory"), *parts))

    def assignments(self) -> list[str]:
        source = Path(self.coursedir.root) / self.coursedir.source_directory
        if not source.is_dir():
            return []
        return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())

    def source(self, assignment: str) -> Path:
        return Path(self.coursedir.root) / self.coursedir.source_directory / assignment / f"{assignment}.ipynb"


def _quiet() -> None:
    # nbgrader 0.9.6 with SQLAlchemy 2.1 warns "... not in session" on every gradebook update
    # and "checksum ... has changed" for hidden tests; the grades are right (measured).
    warnings.filterwarnings("ignore", message=".*not in session.*")
    warnings.filterwarnings("ignore")


def _load_course(root: Path, db_timeout: int | None = None) -> _Course:
    _quiet()
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    if not (root / "nbgrader_config.py").is_file():
        raise GradeError(f"{root} is not a course: it has no nbgrader_config.py")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    if "root" not in config.CourseDirectory:
        config.CourseDirectory.root = str(root)
    coursedir = CourseDirectory(config=config)
    if db_timeout and coursedir.db_url.startswith("sqlite:///") and "?" not in coursedir.db_url:
        config.CourseDirectory.db_url = f"{coursedir.db_url}?timeout={db_timeout}"
        coursedir = CourseDirectory(config=config)
    return _Course(Path(coursedir.root), config, coursedir)


def _with_venv_on_path() -> None:
    """nbgrader runs ``alembic`` by name when it creates a gradebook: the venv's bin first."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


# --------------------------------------------------------------------------- notebooks

def _nbgrader(cell) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def _grade_ids(nb) -> set[str]:
    return {_nbgrader(c)["grade_id"] for c in nb.get("cells", []) if _nbgrader(c).get("grade_id")}


@dataclass
class _Layout:
    """The graded cells of an assignment's source: what is autograded, what is hand-graded."""

    ids: set[str]
    answers: set[str]
    tests: list[str]  #: autograded test cells (grade, not solution, code), in order
    manual: list[str]  #: hand-graded cells with points (grade and solution, or a task)
    points: dict[str, float]


def _layout(nb) -> _Layout:
    tests, manual, points, answers = [], [], {}, set()
    for cell in nb.cells:
        meta = _nbgrader(cell)
        gid = meta.get("grade_id")
        if not gid:
            continue
        if meta.get("solution"):
            answers.add(gid)
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            tests.append(gid)
        elif (meta.get("grade") and meta.get("solution")) or meta.get("task"):
            if float(meta.get("points") or 0) > 0:
                manual.append(gid)
        points[gid] = float(meta.get("points") or 0)
    return _Layout(_grade_ids(nb), answers, tests, manual, points)


def question_name(grade_id: str) -> str:
    """A test cell's question, as the coach reads it: ``total_calls_tests`` -> ``total_calls``."""
    return grade_id[: -len("_tests")] if grade_id.endswith("_tests") else grade_id


def _read(path: Path):
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbformat.read(str(path), as_version=4)
    if not isinstance(nb.get("cells"), list):
        raise ValueError("no cells")
    return nb


def _which_assignment(nb, layouts: dict[str, _Layout], assignment: str) -> str | None:
    """None if ``nb`` is made from ``assignment``'s release; else why not (one line)."""
    ids = _grade_ids(nb)
    share = {name: len(ids & lay.ids) / max(len(lay.ids), 1) for name, lay in layouts.items()}
    best = max(share, key=lambda n: (share[n], n == assignment))
    if best != assignment and share[best] > share.get(assignment, 0):
        return f"is a notebook of {best} (by its nbgrader cells), not of {assignment}"
    if not ids & layouts[assignment].answers:
        return (f"has none of {assignment}'s answer cells: not made from its release "
                "(a new notebook, or a lesson?)")
    return None


# --------------------------------------------------------------------------- input

_JUNK = ("__MACOSX", ".ipynb_checkpoints", "timestamp.txt")  # the last: nbgrader collect's


def _files(submissions: Path, scratch: Path) -> tuple[Path, list[Path]]:
    """(the folder the files are in, every file under it), unpacking a zip into ``scratch``."""
    if not submissions.exists():
        raise GradeError(f"no such folder or zip: {submissions}")
    if submissions.is_file():
        if not zipfile.is_zipfile(submissions):
            raise GradeError(f"{submissions} is neither a folder nor a zip of notebooks")
        base = scratch / "unzipped"
        try:
            with zipfile.ZipFile(submissions) as archive:
                for member in archive.infolist():
                    parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                    if member.is_dir() or not parts or parts[0] == "/" or ".." in parts:
                        continue
                    target = base.joinpath(*parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst)
        except (zipfile.BadZipFile, OSError, RuntimeError) as error:
            raise GradeError(f"{submissions} cannot be unpacked: {error}") from None
        submissions = base
        if not base.exists():
            base.mkdir(parents=True)
    files = []
    for path in sorted(submissions.rglob("*")):
        relative = path.relative_to(submissions)
        if not path.is_file() or any(p in _JUNK or p.startswith(".") for p in relative.parts):
            continue
        files.append(path)
    return submissions, files


def _sort_out(base: Path, files: list[Path], assignment: str, layouts: dict[str, _Layout]):
    """The submissions to grade, one per student, and the problems (one per file or student)."""
    problems: list[Problem] = []
    found: dict[str, list[Submission]] = {}
    names = list(layouts)
    named_in: dict[str, set] = {}  # folder -> students its files' names give
    for path in files:
        relative = PurePosixPath(path.relative_to(base).as_posix())
        sid = file_name_student(relative, names)
        if sid and len(relative.parts) > 1:
            named_in.setdefault(relative.parent.as_posix(), set()).add(sid)
    shared = {folder for folder, sids in named_in.items()
              if len(sids) > 1 or sids != {student_id(name_tokens(PurePosixPath(folder).name, names))}}
    for path in files:
        label = path.relative_to(base).as_posix()
        if path.suffix.lower() != ".ipynb":
            problems.append(Problem(label, f"not a notebook ({path.suffix or 'no extension'}): skipped"))
            continue
        sid, why = name_file(label, names, assignment, shared)
        if sid is None:
            problems.append(Problem(label, why))
            continue
        try:
            data = path.read_bytes()
            nb = _read(path)
        except Exception as error:  # noqa: BLE001 - whatever it is, it is not a notebook
            reason = str(error).splitlines()[0][:80] if str(error) else type(error).__name__
            problems.append(Problem(label, f"not a readable notebook ({reason}): not graded"))
            continue
        wrong = _which_assignment(nb, layouts, assignment)
        if wrong:
            problems.append(Problem(label, f"{wrong}: not graded"))
            continue
        found.setdefault(sid, []).append(
            Submission(sid, path, label, hashlib.sha256(data).hexdigest()))
    chosen = {}
    for sid, subs in sorted(found.items()):
        if len({s.sha256 for s in subs}) > 1:
            problems.append(Problem(sid, f"{len(subs)} different files for one student "
                                         f"({', '.join(s.label for s in subs)}): keep one and "
                                         "run again; not graded"))
            continue
        chosen[sid] = subs[0]
    return chosen, problems


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


# --------------------------------------------------------------------------- workers

def _worker(root: str, assignment: str, conn, log_path: str, sandbox: bool = False) -> None:
    """A grading process: loads nbgrader once, then grades the students it is sent."""
    log = open(log_path, "a", buffering=1)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    _with_venv_on_path()
    course = _load_course(Path(root), db_timeout=30)
    from nbgrader.apps import NbGraderAPI

    from opsfirst.hardening import configure

    configure(course.config, course.source(assignment), sandbox=sandbox)
    api = NbGraderAPI(config=course.config)
    conn.send("ready")
    while True:
        student = conn.recv()
        if student is None:
            break
        result = _grade_one(api, assignment, student)
        if result["ok"]:
            result["findings"] = _findings(course, assignment, student)
        conn.send(result)


def _findings(course: _Course, assignment: str, student: str) -> dict:
    """What the hardening found in a student's autograded notebook (tampering, a dead kernel)."""
    from opsfirst.hardening import META

    try:
        nb = _read(course.folder("autograded", student, assignment) / f"{assignment}.ipynb")
        return dict(nb.metadata.get(META) or {})
    except Exception:  # noqa: BLE001 - no findings is not a reason to fail the student
        return {}


def _grade_one(api, assignment: str, student: str) -> dict:
    start, retries = time.perf_counter(), 0
    while True:
        result = api.autograde(assignment, student, force=True, create=True)
        text = (result.get("error") or "") + (result.get("log") or "")
        if result["success"] or "database is locked" not in text or retries >= LOCKED_RETRIES:
            break
        retries += 1
        time.sleep(0.5 * retries)
    log = result.get("log") or ""
    if result["success"]:
        feedback = api.generate_feedback(assignment, student, force=True)
        log += feedback.get("log") or ""
        if not feedback["success"]:
            return dict(student=student, ok=False, retries=retries, log=log,
                        seconds=time.perf_counter() - start,
                        message="graded, but its feedback could not be made: "
                                + _first_error(feedback.get("log"), feedback.get("error")))
    return dict(student=student, ok=result["success"], retries=retries, log=log,
                seconds=time.perf_counter() - start,
                message="" if result["success"] else _first_error(log, result.get("error")))


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


_KNOWN_ERRORS = [
    ("DeadKernelError", "its kernel died while the notebook ran (a crash, or os._exit in its code); "
                        "nbgrader keeps no marks for it"),
    ("CellTimeoutError", "a cell ran longer than the course's cell timeout"),
    ("NotJSONError", "the notebook cannot be read"),
]


def _first_error(log: str | None, error: str | None) -> str:
    """One line that says why nbgrader failed on a submission."""
    text = (log or "") + (error or "")
    for marker, message in _KNOWN_ERRORS:
        if marker in text:
            return message
    lines = [_ANSI.sub("", line).strip() for line in (log or "").splitlines()]
    wanted = ("DeadKernelError", "Kernel died", "CellTimeoutError", "timed out", "NotJSONError",
              "ValidationError", "not valid", "Error")
    for word in wanted:
        for line in lines:
            if word in line and "Please see the error message" not in line:
                return line.removeprefix("[ERROR] ")[:160]
    tail = [line for line in (error or "").strip().splitlines() if line.strip()]
    return (tail[-1].strip() if tail else "nbgrader failed (see the log)")[:160]


def _run_pool(course: _Course, assignment: str, students: list[str], jobs: int, log_path: Path,
              on_done, prepare=None, sandbox: bool = False) -> dict[str, dict]:
    """Grade ``students`` in ``jobs`` spawned workers; ``on_done(result)`` after each one.

    ``prepare()`` runs in this process while the workers start (each loads nbgrader, ~3 s),
    before any student is handed out.
    """
    import multiprocessing as mp
    from multiprocessing.connection import wait

    ctx = mp.get_context("spawn")
    queue, results = deque(students), {}

    class Worker:
        def __init__(self):
            self.conn, child = ctx.Pipe()
            self.proc = ctx.Process(target=_worker, daemon=True,
                                    args=(str(course.root), assignment, child, str(log_path), sandbox))
            self.proc.start()
            child.close()
            self.student, self.started, self.ready = None, 0.0, False

        def stop(self, kill=False):
            if kill:
                _kill_tree(self.proc.pid)
            else:
                try:
                    self.conn.send(None)
                except OSError:
                    pass
                self.proc.join(timeout=1)  # idle: nothing is lost if it has to be stopped
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join(timeout=2)
            if self.proc.is_alive():
                _kill_tree(self.proc.pid)
                self.proc.join(timeout=5)

    def failed(student, message, seconds=0.0):
        return dict(student=student, ok=False, retries=0, log="", seconds=seconds, message=message)

    workers = [Worker() for _ in range(max(1, min(jobs, len(students))))]
    try:
        if prepare is not None:
            prepare()
        while queue or any(w.student for w in workers):
            for w in workers:
                if w.ready and w.student is None and queue:
                    w.student, w.started = queue.popleft(), time.monotonic()
                    w.conn.send(w.student)
            signalled = wait([w.conn for w in workers] + [w.proc.sentinel for w in workers],
                             timeout=1.0)
            for i, w in enumerate(workers):
                if w.conn in signalled or w.proc.sentinel in signalled:
                    try:
                        message = w.conn.recv() if w.conn.poll() else None
                    except (EOFError, OSError):
                        message = None
                    if message == "ready":
                        w.ready = True
                        continue
                    if message is None:
                        if w.proc.is_alive():
                            continue
                        if not w.ready:
                            raise GradeError(f"a grading process could not start (exit code "
                                             f"{w.proc.exitcode}); see {log_path}")
                        workers[i] = Worker()
                        if not w.student:
                            continue
                        message = failed(w.student, f"its grading process died (exit code "
                                                    f"{w.proc.exitcode}); the others went on")
                elif w.student and time.monotonic() - w.started > STUDENT_TIMEOUT:
                    w.stop(kill=True)
                    workers[i] = Worker()
                    message = failed(w.student, f"stopped after {STUDENT_TIMEOUT} s",
                                     STUDENT_TIMEOUT)
                else:
                    continue
                results[message["student"]] = message
                w.student = None
                on_done(message)
    finally:
        for w in workers:
            w.stop(kill=bool(w.student))
    return results


def _kill_tree(pid: int) -> None:
    """Kill a worker and what it started (its kernel), so nothing keeps running."""
    try:
        import psutil

        parent = psutil.Process(pid)
        for child in parent.children(recursive=True):
            child.kill()
        parent.kill()
    except Exception:  # noqa: BLE001 - already gone, or psutil missing
        try:
            os.kill(pid, 9)
        except OSError:
            pass


# --------------------------------------------------------------------------- grades

def _state_path(course: _Course, assignment: str) -> Path:
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


def _rows(course: _Course, assignment: str, layout: _Layout, state: dict) -> list[dict]:
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
                row["total_score"] = (NEEDS_MANUAL if waiting else
                                      _number(row["autograded_score"] + (row["manual_score"] or 0)))
                row["total_max"] = _number(row["autograded_max"] + (row["manual_max"] or 0))
                for t in layout.tests:
                    row[question_name(t)] = _number(grades[t].score) if t in grades else ""
                for m in layout.manual:
                    g = grades.get(m)
                    row[m] = ("" if g is None else NEEDS_MANUAL if g in waiting else _number(g.score))
            rows.append(row)
    return rows


def _write_csv(path: Path, rows: list[dict], layout: _Layout) -> None:
    columns = (["student", "status", "autograded_score", "autograded_max", "manual_grading",
                "manual_score", "manual_max", "total_score", "total_max"]
               + [question_name(t) for t in layout.tests] + layout.manual + ["warnings", "file"])
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="") as out:
        writer = csv.DictWriter(out, columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- the command

def grade(assignment: str, submissions: str | os.PathLike, course_root: str | os.PathLike | None = None,
          jobs: int | None = None, progress: bool = True, report=None, sandbox: bool | None = None,
          _fail_after_grading=None) -> Run:
    """Grade ``submissions`` (a folder or zip of notebooks) for ``assignment``; see the module doc.

    ``sandbox``: run each student's kernel in :mod:`opsfirst.sandbox` — ``None`` (the default)
    when this machine allows it, ``True`` to insist (GradeError if it cannot), ``False`` not to.

    ``report(line)`` is called with each problem as it is found (default: print to stderr).
    Raises :class:`GradeError` for bad input that stops the whole run.

    The workers are ``spawn``-ed: a script that calls this must do so under
    ``if __name__ == "__main__":`` (each worker imports the caller's main module).
    """
    from opsfirst.check import repo_root

    started = time.perf_counter()
    report = report or (lambda line: print(f"opsfirst grade: {line}", file=sys.stderr, flush=True))
    root = Path(course_root).resolve() if course_root else repo_root()
    _with_venv_on_path()
    course = _load_course(root)
    known = course.assignments()
    if assignment not in known:
        raise GradeError(f"no assignment {assignment!r} in {root / course.coursedir.source_directory}; "
                         f"known: {', '.join(known) or 'none'}")
    layouts = {name: _layout(_read(course.source(name))) for name in known}
    layout = layouts[assignment]
    run = Run(assignment, root, jobs=jobs or _cores())
    run.sandbox, run.isolation = _isolation(sandbox)

    with tempfile.TemporaryDirectory(prefix="opsfirst-grade-") as scratch:
        base, files = _files(Path(submissions), Path(scratch))
        chosen, problems = _sort_out(base, files, assignment, layouts)
        for problem in problems:
            report(str(problem))
        run.problems += problems

        state_path = _state_path(course, assignment)
        course.state_dir.mkdir(parents=True, exist_ok=True)
        state = _load_state(state_path)
        in_gradebook = _submitted_students(course, assignment)
        todo = []
        for sid, sub in chosen.items():
            before = state.get(sid)
            if before and before.get("sha256") == sub.sha256 and before.get("status") == "graded" \
                    and sid in in_gradebook:
                run.unchanged.append(sid)
            else:
                (run.changed if before else run.new).append(sid)
                todo.append(sid)

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

                results = _grade_students(course, assignment, todo, run, progress, report, prepare)
            for sid in todo:
                result = results[sid]
                entry = {"sha256": chosen[sid].sha256, "file": chosen[sid].label,
                         "graded_at": time.strftime("%Y-%m-%d %H:%M:%S")}
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
            run.csv_path = root / ".nbgrader" / f"grades-{assignment}.csv"
            run.csv_path.parent.mkdir(parents=True, exist_ok=True)
            if _fail_after_grading:  # tests force a failure here, after the gradebook was written
                _fail_after_grading()
            _write_csv(run.csv_path, run.rows, layout)
            _save_state(state_path, assignment, state)
        except BaseException:
            _restore(db, run.backup)
            _give_back(course, assignment)
            raise
    _give_back(course, assignment)
    run.questions = [question_name(t) for t in layout.tests]
    run.manual_questions = list(layout.manual)
    run.question_max = {question_name(t): _number(layout.points[t]) for t in layout.tests}
    run.feedback_dir = course.folder("feedback", "{student}", assignment)
    run.seconds = time.perf_counter() - started
    return run


TAMPERING = "tampering suspected: a hidden check cell did not fail as it must; autograded marks set to 0"
#: What the summary says about the protection kernels do not have.
NOT_ISOLATED = ("not isolated: student code can read files the grader can read (the gradebook "
                "with its hidden tests, the solutions, other students' work)")
ISOLATED = ("isolated: each student's kernel runs as its own unprivileged user in a private, "
            "read-only view of the system (no gradebook, solutions, .git, submissions or other "
            "students' work), with memory and process limits")


def _isolation(wanted: bool | None) -> tuple[bool, str]:
    """(use the sandbox?, the summary's line about it)."""
    if wanted is False:
        return False, f"{NOT_ISOLATED} — the sandbox was turned off (--no-sandbox)"
    from opsfirst.sandbox import status

    found = status()
    if found.available:
        return True, ISOLATED
    if wanted:
        raise GradeError(f"kernels cannot be sandboxed here: {found.reason}")
    return False, f"{NOT_ISOLATED} — {found.reason}"


def _give_back(course: _Course, assignment: str) -> None:
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
    """One line for the coach from :mod:`opsfirst.hardening`'s findings ('' if none)."""
    said = []
    if findings.get("tampering"):
        said.append(TAMPERING)
    if findings.get("kernel_died"):
        what = ("its kernel could not be interrupted after the cell timeout" if
                findings.get("kernel_stuck") else "its kernel died")
        said.append(f"{what} in {findings['kernel_died']}: that cell and the later ones "
                    "score 0, the earlier questions keep their marks")
    return "; ".join(said)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _submitted_students(course: _Course, assignment: str) -> set[str]:
    if course.db_path is not None and not course.db_path.exists():
        return set()
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, course.coursedir.course_id) as gb:
        try:
            return {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return set()


def _prepare_gradebook(course: _Course, assignment: str, students: list[str], scratch: Path) -> None:
    """What must not race, before the workers start: the gradebook, its cells, the students.

    The assignment's cells (with the hidden tests autograding puts back) are loaded from the
    source by ``generate_assignment``, into a scratch release folder so ``exercises/`` is not
    touched.
    """
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI

    config = course.config.copy() if hasattr(course.config, "copy") else course.config
    config.CourseDirectory.release_directory = str(scratch / "release")
    api = NbGraderAPI(config=config)
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise GradeError(f"could not load {assignment} into the gradebook: "
                         + _first_error(result.get("log"), result.get("error")))
    with Gradebook(course.db_url, course.coursedir.course_id) as gb:
        for sid in students:
            gb.update_or_create_student(sid)


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
        return _run_pool(course, assignment, todo, run.jobs, log_path, on_done, prepare,
                         sandbox=run.sandbox)
    finally:
        bar.close()


def format_summary(run: Run) -> str:
    """The one-screen cohort summary printed after a run."""
    lines = []
    seen = len(run.new) + len(run.changed) + len(run.unchanged)
    lines.append(f"{run.assignment}: {seen} student(s) in the submissions — {len(run.new)} new, "
                 f"{len(run.changed)} changed, {len(run.unchanged)} unchanged "
                 f"(not graded again)")
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
    if run.csv_path:
        lines.append(f"grades:   {run.csv_path}")
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
