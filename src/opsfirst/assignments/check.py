"""``opsfirst check``: tell a self-study learner which answers are right, without the answers.

The learner's notebook is matched to its assignment by the ``grade_id`` of its nbgrader cells
(the file name is not trusted), against the course's released notebooks (``exercises/NN-slug/``
in the kit). The course is found as every command finds it (:func:`.course.find_root`): the
folder the learner runs in or above it, else the notebook's own folder or above it. Every
read-only cell the autograder would restore (the setup cell, every test cell) is put back as
released, deleted ones are re-inserted, and the notebook runs top to bottom in a fresh kernel,
in its own folder. Each question then gets the verdict of :func:`.notebooks.diagnose` -- the
same one the coach's report gives:

- **right**: its visible tests pass (hidden tests, run by the coach's autograder, check more);
- **not yet**: they fail; the message is the hint of a recognised mistake (``Mistake.hint``
  from the assignment's ``mistakes.py``), or else the first line of the visible test's message,
  written to teach;
- **not attempted**: the answer cell still holds the release stub.

Written (manually graded) answers are left to the coach. Only the release and ``mistakes.py``
are read: the release holds no solution and no hidden test, so none can be printed. The
learner's file is never written.
"""

from __future__ import annotations

import logging
import os
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import notebooks as nbm
from .course import Course
from .errors import CheckError
from .notebooks import NOT_ATTEMPTED, NOT_CHECKED, NOT_YET, RIGHT

__all__ = ["CheckError", "Question", "Report", "check", "format_report", "RIGHT", "NOT_YET",
           "NOT_ATTEMPTED", "NOT_CHECKED", "WRITTEN"]

#: Seconds a cell may run before it is stopped (as the coach's autograder does).
CELL_TIMEOUT = 60
#: Seconds a kernel may take to start.
STARTUP_TIMEOUT = 60
WRITTEN = "written"

_log = logging.getLogger("opsfirst.check")
_log.addHandler(logging.NullHandler())
_log.propagate = False


@dataclass
class Question:
    """What the check found for one question (``name`` is the answer cell's ``grade_id``)."""

    name: str
    status: str
    message: str = ""
    written: bool = False  #: manually graded: a written answer, or code such as a plot
    code: bool = False


@dataclass
class Report:
    """The result of :func:`check`: the assignment, one :class:`Question` each, and notes."""

    assignment: str
    notebook: Path
    questions: list[Question]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --------------------------------------------------------------------------- input

def read_notebook(path: str | os.PathLike):
    """Read a notebook, or raise :class:`CheckError` saying plainly why it is not one."""
    path = Path(path)
    if not path.exists():
        raise CheckError(f"no such file: {path}")
    if path.is_dir():
        raise CheckError(f"{path} is a folder, not a notebook: give the .ipynb file")
    try:
        return nbm.read(path)
    except nbm.NotANotebook:
        raise CheckError(f"{path} is not a Jupyter notebook (.ipynb) that can be read; "
                         "give the notebook of your assignment") from None


@dataclass
class Assignment:
    name: str
    release: object
    mistakes: list


def identify(nb, course: Course, path: Path = Path("this notebook")) -> Assignment:
    """The released assignment whose graded cells the notebook shares most."""
    ids = nbm.grade_ids(nb)
    best, best_key = None, (0,)
    for name in course.assignments("release"):
        try:
            release = nbm.read(course.release(name))
        except nbm.NotANotebook:
            continue
        questions = nbm.layout(release).questions
        shared = len(ids & questions)
        key = (shared, shared / max(len(questions), 1))
        if shared and key > best_key:
            best, best_key = (name, release), key
    if best is None:
        raise CheckError(f"{path.name} is not from any assignment of the course in {course.root} "
                         "(none of its graded cells match the release); open your copy of the "
                         "assignment")
    name, release = best
    return Assignment(name, release, course.mistakes(name))


# --------------------------------------------------------------------------- run

def run(nb, folder: Path, kernel_name: str, timeout: int = CELL_TIMEOUT):
    """Run ``nb`` top to bottom in a fresh kernel started in ``folder``; errors are recorded.

    Returns the index of the cell during which the kernel died, or None.
    Raises :class:`CheckError` when the kernel cannot start.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    client = NotebookClient(nb, timeout=timeout, startup_timeout=STARTUP_TIMEOUT,
                            kernel_name=kernel_name, allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False, log=_log,
                            resources={"metadata": {"path": str(folder)}})
    # The kernel process's own stderr (start-up chatter) goes to a file, not the learner's
    # terminal; what the notebook prints still reaches the cells' outputs.
    kernel_stderr = tempfile.TemporaryFile()
    try:
        client.km = client.create_kernel_manager()
        client.start_new_kernel(cwd=str(folder), stderr=kernel_stderr)
        client.start_new_kernel_client()
    except Exception as error:  # noqa: BLE001 - any failure here is "the kernel cannot start"
        try:
            if client.km is not None:
                client._cleanup_kernel()
        except Exception:  # noqa: BLE001
            pass
        kernel_stderr.seek(0)
        said = [line for line in kernel_stderr.read().decode(errors="replace").splitlines()
                if line.strip()]
        kernel_stderr.close()
        reason = nbm.first_line(str(error)) or type(error).__name__
        if said:
            reason += f"; it said: {said[-1].strip()}"
        raise CheckError(f"the Python kernel {kernel_name!r} could not start ({reason}); "
                         "try `opsfirst check --kernel python3 NOTEBOOK`") from None
    died_at = None
    try:
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                died_at = index
                break
    finally:
        try:
            client._cleanup_kernel()
        except Exception:  # noqa: BLE001
            pass
        kernel_stderr.close()
    return died_at


# --------------------------------------------------------------------------- assess

def assess(ran, release, original, mistakes, died_at=None,
           timeout=CELL_TIMEOUT) -> list[Question]:
    """One :class:`Question` per answer cell of the release, in the release's order.

    ``ran`` is the restored notebook after it ran, ``original`` the learner's notebook as read
    (to tell an untouched stub), ``mistakes`` the assignment's ``MISTAKES``.
    """
    stubs = {nbm.grade_id(c): c for c in release.cells if nbm.is_answer(c) and nbm.grade_id(c)}
    learner = {}
    for cell in original.cells:
        gid = nbm.grade_id(cell)
        if gid in stubs and gid not in learner:
            learner[gid] = cell
    position = {id(c): i for i, c in enumerate(ran.cells)}
    answers, tests = {}, {}
    for cell in ran.cells:
        gid = nbm.grade_id(cell)
        if gid in stubs and gid not in answers:
            answers[gid] = cell
    owner = nbm.owners(ran, set(stubs))
    for cell in ran.cells:
        if nbm.grade_id(cell) in owner:
            tests.setdefault(owner[nbm.grade_id(cell)], []).append(cell)

    questions = []
    for name, stub in stubs.items():
        mine = learner.get(name)
        attempted = mine is None or nbm.normal(mine.get("source", "")) != nbm.normal(stub.source)
        if nbm.is_marked_by_hand(stub):  # the coach reads it
            message = ""
            answer = answers.get(name)
            if attempted and answer is not None and answer.cell_type == "code" and nbm.error(answer):
                message = nbm.answer_error(nbm.error(answer), timeout, who="it")
            questions.append(Question(name, WRITTEN if attempted else NOT_ATTEMPTED, message,
                                      written=True, code=stub.cell_type == "code"))
            continue
        cells = tests.get(name, [])
        stopped = died_at is not None and any(position[id(c)] >= died_at for c in cells)
        verdict = nbm.diagnose(name, answers.get(name), cells, stub=stub.source,
                               mistakes=mistakes, timeout=timeout, stopped=stopped)
        questions.append(Question(name, verdict.status, verdict.message))
    return questions


# --------------------------------------------------------------------------- check

def check(notebook: str | os.PathLike, root: str | os.PathLike | None = None, *,
          kernel_name: str | None = None, timeout: int = CELL_TIMEOUT,
          on_start=None) -> Report:
    """Check a learner's notebook against its assignment's visible tests.

    Parameters
    ----------
    notebook : path of the learner's ``.ipynb``.
    root : the course (see :func:`.course.find_root`); default: found from the current folder,
        else from the notebook's folder.
    kernel_name : Jupyter kernel to run it in; default the release's kernel, else ``python3``.
    timeout : seconds each cell may run before it is stopped.
    on_start : called with the assignment's name once the input is known good, just before the
        notebook runs (the command prints progress with it).

    Raises
    ------
    CheckError : the file is missing, is not a notebook, belongs to no known assignment, or the
        kernel cannot start. CourseError : no course found.
    """
    path = Path(notebook)
    nb = read_notebook(path)
    course = Course.load(root, also=[path.absolute().parent])
    assignment = identify(nb, course, path)
    release = assignment.release
    kernel_name = (kernel_name or release.metadata.get("kernelspec", {}).get("name") or "python3")
    ran = nbm.restore(nb, release)
    if on_start is not None:
        on_start(assignment.name)
    start = time.monotonic()
    died_at = run(ran, path.resolve().parent, kernel_name, timeout)
    seconds = time.monotonic() - start
    notes = []
    if died_at is not None:
        where = nbm.grade_id(ran.cells[died_at]) or f"number {died_at + 1}"
        notes.append(f"Python stopped for good in cell {where} (something in the notebook ended "
                     "it, such as exit() or os._exit()); the questions after it were not checked.")
    for cell in ran.cells:
        if nbm.is_locked(cell) and not nbm.is_test(cell) and cell.cell_type == "code" \
                and nbm.error(cell):
            ename, evalue = nbm.error(cell)
            notes.append(f"The read-only cell {nbm.grade_id(cell)} stopped with an error "
                         f"({nbm.explain(ename, evalue, timeout)}); checks after it may fail "
                         "because of it. Does a cell above it change something it uses?")
    questions = assess(ran, release, nb, assignment.mistakes, died_at, timeout)
    return Report(assignment.name, path, questions, notes, seconds)


# --------------------------------------------------------------------------- report

HIDDEN_NOTE = ('"right" here means your answer passes the visible checks. The hidden tests, '
               "run by your coach's autograder, check more (other numbers, more precisely), so "
               "a right answer here can still lose points there.")


def format_report(report: Report, width: int = 79) -> str:
    """The report as plain text for a terminal."""
    qs = report.questions
    auto = [q for q in qs if not q.written]
    written = [q for q in qs if q.written]
    lines = [f"Assignment {report.assignment}: {report.notebook.name} "
             f"({len(auto)} questions checked here, {len(written)} for your coach)", ""]
    for note in report.notes:
        lines += textwrap.wrap(note, width, break_on_hyphens=False, initial_indent="! ",
                               subsequent_indent="  ") + [""]
    name_width = min(max((len(q.name) for q in qs), default=0), 32)
    indent = " " * (2 + name_width + 2)
    for q in qs:
        status = q.status
        if q.written:
            if q.status == WRITTEN:
                status = "marked by your coach" if q.code else "written: your coach reads this"
            else:
                status = f"{q.status} ({'marked by your coach' if q.code else 'written answer'})"
        lines.append(f"  {q.name:<{name_width}}  {status}")
        if q.message:
            lines += textwrap.wrap(q.message, width, break_on_hyphens=False,
                                   initial_indent=indent + "- ", subsequent_indent=indent + "  ")
    count = {s: sum(q.status == s for q in auto)
             for s in (RIGHT, NOT_YET, NOT_ATTEMPTED, NOT_CHECKED)}
    summary = (f"{count[RIGHT]} of {len(auto)} questions right, {count[NOT_YET]} not yet, "
               f"{count[NOT_ATTEMPTED]} not attempted")
    if count[NOT_CHECKED]:
        summary += f", {count[NOT_CHECKED]} not checked"
    lines += ["", summary + "."]
    if written:
        left = sum(q.status == NOT_ATTEMPTED for q in written)
        lines.append(f"{len(written)} answer{'s' if len(written) != 1 else ''} for your coach to "
                     "mark" + (f", {left} of them not attempted yet." if left else "."))
    lines += [""] + textwrap.wrap(HIDDEN_NOTE, width)
    return "\n".join(lines)
