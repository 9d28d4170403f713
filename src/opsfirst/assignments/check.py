"""``opsfirst check``: tell a self-study learner which answers are right, without the answers.

The learner's notebook is matched to its assignment by the ``grade_id`` of its nbgrader cells
(the file name is not trusted), against the course's released notebooks (``exercises/NN-slug/``
in the kit). The course is found as every command finds it (:func:`.course.find_root`): the
folder the learner runs in or above it, else the notebook's own folder or above it. Every
read-only cell the autograder would restore (the setup cell, every test cell) is put back as
released, deleted ones are re-inserted, and the notebook runs top to bottom in a fresh kernel,
in its own folder.

**Hidden tests.** Where the course also holds the assignment's source
(:meth:`.course.Course.source`, ``solutions/NN-slug/NN-slug.ipynb``: a self-study learner's
clone of the kit), the hidden tests run too, as the coach's autograder runs them: each test cell
that has some is followed by one more cell holding them (:func:`hidden_code`), run in the same
kernel right after the visible checks. Nothing that cell says -- its error, traceback, printed
values, warnings -- is ever read into the report: only *whether* it passed. Where the course has
no sources (a cohort's server), the report says once, plainly, that "right" means "passes the
visible checks".

Each question then gets the verdict of :func:`.notebooks.diagnose` on its visible checks -- the
same one the coach's report gives -- and, if that is right, the verdict of its hidden tests:

- **right**: its visible checks pass, and its hidden tests too where they ran;
- **not yet**: a visible check fails: the hint of a recognised mistake (``Mistake.hint`` from the
  assignment's ``mistakes.py``), or else the first line of the visible check's message, written
  to teach; or only a hidden test fails: the hint of the question's known mistake whose hint the
  hidden test's message holds (the hint's own words, from ``mistakes.py``, and only if every
  number in it is already in the release), else :data:`HIDDEN_NOT_YET`;
- **not attempted**: the answer cell still holds the release stub.

Written (manually graded) answers are left to the coach. Every line of the report is checked
once more against the hidden tests (:func:`.notebooks.quotes_hidden`) before it is shown. The
learner's file is never written.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import notebooks as nbm
from .course import Course
from .errors import CheckError
from .notebooks import NOT_ATTEMPTED, NOT_CHECKED, NOT_YET, RIGHT

__all__ = ["CheckError", "Question", "Report", "check", "format_report", "hidden_code",
           "add_hidden_tests", "find_source",
           "RIGHT", "NOT_YET", "NOT_ATTEMPTED", "NOT_CHECKED", "WRITTEN", "HIDDEN_NOT_YET",
           "HIDDEN_RAN_NOTE", "VISIBLE_ONLY_NOTE"]

#: Seconds a cell may run before it is stopped (as the coach's autograder does).
CELL_TIMEOUT = 60
#: Seconds a kernel may take to start.
STARTUP_TIMEOUT = 60
WRITTEN = "written"

#: What a learner reads when only a hidden test fails and no known mistake explains it.
HIDDEN_NOT_YET = ("it passes the visible checks, but your value does not match the one the hidden "
                  "checks work out: re-read the question (what it counts, over which rows, in "
                  "which units) and check how you worked it out.")

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
    hidden: bool = False  #: the verdict is the hidden tests' (their text is never shown)


@dataclass
class Report:
    """The result of :func:`check`: the assignment, one :class:`Question` each, and notes.

    ``hidden`` says whether the assignment's hidden tests ran (the course holds its source).
    """

    assignment: str
    notebook: Path
    questions: list[Question]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    hidden: bool = False

    @property
    def all_right(self) -> bool:
        """Every question checked here (not the written ones) is right: ``--strict``'s test."""
        return all(q.status == RIGHT for q in self.questions if not q.written)


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
    source: object = None  #: the assignment's source notebook, if the course holds it


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
    return Assignment(name, release, course.mistakes(name), find_source(course, name, release))


def find_source(course: Course, name: str, release):
    """The assignment's source notebook (hidden tests included), or None where the course has
    none that fits the release (a cohort's server has no ``solutions/``)."""
    path = course.source(name)
    try:
        if not path.is_file():
            return None
    except OSError:  # a coach's folder the learner may not read
        return None
    try:
        source = nbm.read(path)
    except nbm.NotANotebook:
        return None
    tests = {nbm.grade_id(c) for c in release.cells if nbm.is_test(c)}
    if not tests & {nbm.grade_id(c) for c in source.cells if nbm.is_test(c)}:
        return None  # the source of another assignment under the same name
    return source


# --------------------------------------------------------------------------- hidden tests

_BEGIN, _END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def hidden_code(source: str) -> str | None:
    """The hidden tests of a test cell's source, as code to run after its visible checks.

    The lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, indentation
    kept; if they do not make a program on their own (a block inside an ``if``), the whole cell
    (visible checks again, then the hidden ones). None when the cell has no hidden test.

    >>> hidden_code("assert x > 0\\n### BEGIN HIDDEN TESTS\\nassert x == 2\\n### END HIDDEN TESTS")
    'assert x == 2'
    >>> hidden_code("assert x > 0") is None
    True
    """
    lines, inside, found = [], False, False
    for line in source.splitlines():
        marker = line.strip()
        if marker == _BEGIN:
            inside = found = True
        elif marker == _END:
            inside = False
        elif inside:
            lines.append(line)
    code = "\n".join(lines).strip("\n")
    if not found or not code.strip():
        return None
    try:
        compile(code, "<hidden tests>", "exec")
    except SyntaxError:
        return source
    return code


def add_hidden_tests(ran, source) -> dict[str, object]:
    """Put a cell holding each test cell's hidden tests right after it in ``ran`` (in place).

    Returns test ``grade_id`` -> that cell. The cells have no nbgrader metadata (nothing reads
    them as questions) and exist only in memory.
    """
    hidden = {}
    for cell in source.cells:
        code = hidden_code(cell.source) if nbm.is_test(cell) else None
        if code:
            hidden[nbm.grade_id(cell)] = code
    added, cells = {}, []
    for cell in ran.cells:
        cells.append(cell)
        gid = nbm.grade_id(cell)
        if gid in hidden and nbm.is_test(cell) and gid not in added:
            made = nbm.fresh(cell)  # a code cell, then neither its source nor its metadata
            made.source = hidden[gid]
            made.metadata.clear()
            added[gid] = made
            cells.append(made)
    ran.cells = cells
    return added


def _secret_texts(source) -> list[str]:
    """Every hidden test's source, for :func:`_withheld`."""
    return [c.source for c in source.cells if nbm.is_test(c) and nbm.hidden_lines(c.source)] \
        if source is not None else []


def _withheld(text: str, secrets: list[str]) -> bool:
    """Does ``text`` quote a hidden test (a line of one, or an assert's message)?"""
    return any(nbm.quotes_hidden(text, secret) for secret in secrets)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _hidden_hint(question: str, cell, mistakes, release_text: str) -> str | None:
    """The hint of the question's known mistake that a failed hidden test recognised.

    A hidden test recognises a mistake when its error message holds that mistake's hint. The
    hint is shown in its own words (from ``mistakes.py``), never the hidden message around it,
    and only when every number in it is already in the release.
    """
    found = nbm.error(cell)
    if found is None or found[0] != "AssertionError":
        return None
    said = found[1]
    for mistake in mistakes:
        hint = getattr(mistake, "hint", None)
        if getattr(mistake, "question", None) != question or not hint or hint not in said:
            continue
        if set(_NUMBER.findall(hint)) <= set(_NUMBER.findall(release_text)):
            return f"a common mistake: {hint.strip().rstrip('.')}."
    return None


def _hidden_verdict(question: str, cell, mistakes, release_text: str) -> str | None:
    """None if the hidden tests of one question passed, else the one line to say."""
    if nbm.error_output(cell) is None and nbm.stderr(cell) is None:
        return None  # passed (a hidden test that writes to stderr scores 0 in nbgrader)
    return _hidden_hint(question, cell, mistakes, release_text) or HIDDEN_NOT_YET


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

def assess(ran, release, original, mistakes, died_at=None, timeout=CELL_TIMEOUT, *,
           hidden: dict | None = None) -> list[Question]:
    """One :class:`Question` per answer cell of the release, in the release's order.

    ``ran`` is the restored notebook after it ran, ``original`` the learner's notebook as read
    (to tell an untouched stub), ``mistakes`` the assignment's ``MISTAKES``, ``hidden`` the
    cells :func:`add_hidden_tests` put in ``ran`` (test ``grade_id`` -> cell), if any.
    """
    hidden = hidden or {}
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
    release_text = "\n".join(c.source for c in release.cells)
    names = nbm.answer_names(release)

    questions = []
    for name, stub in stubs.items():
        mine = learner.get(name)
        attempted = mine is None or nbm.normal(mine.get("source", "")) != nbm.normal(stub.source)
        if nbm.is_marked_by_hand(stub):  # the coach reads it
            message = ""
            answer = answers.get(name)
            if attempted and answer is not None and answer.cell_type == "code" and nbm.error(answer):
                message = nbm.answer_error(nbm.error(answer), timeout, who="it", question=name,
                                           names=names)
            questions.append(Question(name, WRITTEN if attempted else NOT_ATTEMPTED, message,
                                      written=True, code=stub.cell_type == "code"))
            continue
        cells = tests.get(name, [])
        extra = [hidden[nbm.grade_id(c)] for c in cells if nbm.grade_id(c) in hidden]
        stopped = died_at is not None and any(position[id(c)] >= died_at for c in cells + extra)
        verdict = nbm.diagnose(name, answers.get(name), cells, stub=stub.source,
                               mistakes=mistakes, timeout=timeout, stopped=stopped, names=names)
        if verdict.status == RIGHT:
            said = next((line for line in (_hidden_verdict(name, c, mistakes, release_text)
                                           for c in extra) if line), None)
            if said is not None:
                questions.append(Question(name, NOT_YET, said, hidden=True))
                continue
        questions.append(Question(name, verdict.status, verdict.message))
    return questions


# --------------------------------------------------------------------------- check

def check(notebook: str | os.PathLike, root: str | os.PathLike | None = None, *,
          kernel_name: str | None = None, timeout: int = CELL_TIMEOUT,
          on_start=None, hidden: bool = True) -> Report:
    """Check a learner's notebook against its assignment's visible tests, and its hidden tests
    where the course holds the assignment's source.

    Parameters
    ----------
    notebook : path of the learner's ``.ipynb``.
    root : the course (see :func:`.course.find_root`); default: found from the current folder,
        else from the notebook's folder.
    kernel_name : Jupyter kernel to run it in; default the release's kernel, else ``python3``.
    timeout : seconds each cell may run before it is stopped.
    on_start : called with the assignment's name once the input is known good, just before the
        notebook runs (the command prints progress with it).
    hidden : run the hidden tests where the course holds the source (False: the visible checks
        only, as on a cohort's server).

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
    source = assignment.source if hidden else None
    kernel_name = (kernel_name or release.metadata.get("kernelspec", {}).get("name") or "python3")
    ran = nbm.restore(nb, release)
    added = add_hidden_tests(ran, source) if source is not None else {}
    if on_start is not None:
        on_start(assignment.name)
    start = time.monotonic()
    died_at = run(ran, path.resolve().parent, kernel_name, timeout)
    seconds = time.monotonic() - start
    notes = []
    if died_at is not None:
        where = nbm.grade_id(ran.cells[died_at])
        if where is None:
            where = next((f"{gid} (its hidden tests)" for gid, cell in added.items()
                          if cell is ran.cells[died_at]), f"number {died_at + 1}")
        notes.append(f"Python stopped for good in cell {where} (something in the notebook ended "
                     "it, such as exit() or os._exit()); the questions after it were not checked.")
    for cell in ran.cells:
        if nbm.is_locked(cell) and not nbm.is_test(cell) and cell.cell_type == "code" \
                and nbm.error(cell):
            ename, evalue = nbm.error(cell)
            notes.append(f"The read-only cell {nbm.grade_id(cell)} stopped with an error "
                         f"({nbm.explain(ename, evalue, timeout)}); checks after it may fail "
                         "because of it. Does a cell above it change something it uses?")
    questions = assess(ran, release, nb, assignment.mistakes, died_at, timeout, hidden=added)
    # the last guard: no line of the report quotes a hidden test
    secrets = _secret_texts(source)
    for q in questions:
        if q.message and _withheld(q.message, secrets):
            q.message = HIDDEN_NOT_YET if q.status == NOT_YET else ""
    notes = [note for note in notes if not _withheld(note, secrets)]
    return Report(assignment.name, path, questions, notes, seconds, hidden=source is not None)


# --------------------------------------------------------------------------- report

HIDDEN_RAN_NOTE = ('"right" here means your answer passes the visible checks and the hidden '
                   "tests, as your coach's autograder runs them (this copy of the course holds "
                   "the assignment's source). Where a hidden test fails you are told \"not "
                   'yet", never what it checks.')
VISIBLE_ONLY_NOTE = ('"right" here means "passes the visible checks": this copy of the course '
                     "has no assignment sources, so the hidden tests your coach's autograder "
                     "runs could not run here. They check more (other numbers, more precisely), "
                     "so an answer that is right here can still lose points there.")


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
    note = HIDDEN_RAN_NOTE if report.hidden else VISIBLE_ONLY_NOTE
    lines += [""] + textwrap.wrap(note, width, break_on_hyphens=False)
    return "\n".join(lines)
