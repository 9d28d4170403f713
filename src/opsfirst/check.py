"""``opsfirst check``: tell a self-study learner which answers are right, without the answers.

The learner's notebook is matched to its assignment by the ``grade_id`` of its nbgrader cells
(the file name is not trusted), against the released notebooks ``exercises/NN-slug/*.ipynb``.
Every read-only cell the autograder would restore (the setup cell, every test cell) is put back
as released, deleted ones are re-inserted, and the notebook runs top to bottom in a fresh
kernel, in its own folder. Each question is then:

- **right**: its visible tests pass (hidden tests, run by the coach's autograder, check more);
- **not yet**: they fail; the message is the hint of a recognised mistake (``Mistake.hint``
  from ``solutions/NN-slug/mistakes.py`` found in the failing test's error message), or else the
  first line of the visible test's message, written to teach;
- **not attempted**: the answer cell still holds the release stub.

Written (manually graded) answers are left to the coach. Only ``exercises/`` and
``mistakes.py`` are read: the release holds no solution and no hidden test, so none can be
printed. The learner's file is never written.

The repository is ``Path(opsfirst.__file__).parents[2]``, or ``$OPSFIRST_ROOT`` when set, or the
``root`` argument of :func:`check`.
"""

from __future__ import annotations

import copy
import importlib.util
import logging
import os
import re
import tempfile
import textwrap
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["CheckError", "Question", "Report", "check", "format_report", "repo_root"]

#: Seconds a cell may run before it is stopped (as the coach's autograder does).
CELL_TIMEOUT = 60
#: Seconds a kernel may take to start.
STARTUP_TIMEOUT = 60

RIGHT, NOT_YET, NOT_ATTEMPTED, WRITTEN, NOT_CHECKED = (
    "right", "not yet", "not attempted", "written", "not checked")

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_log = logging.getLogger("opsfirst.check")
_log.addHandler(logging.NullHandler())
_log.propagate = False


class CheckError(Exception):
    """Bad input: the message is one line for the learner (no traceback)."""


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

def repo_root(root: str | os.PathLike | None = None) -> Path:
    """The repository that holds ``exercises/`` and ``solutions/``.

    ``root`` if given, else ``$OPSFIRST_ROOT`` if set, else the checkout this package runs from.

    >>> repo_root("/srv/opsfirst")
    PosixPath('/srv/opsfirst')
    >>> (repo_root() / "src" / "opsfirst" / "check.py").is_file() or "OPSFIRST_ROOT" in os.environ
    True
    """
    if root is None:
        root = os.environ.get("OPSFIRST_ROOT") or None
    if root is None:
        from ._paths import ROOT

        return ROOT
    return Path(root)


def read_notebook(path: str | os.PathLike) -> nbformat.NotebookNode:
    """Read a notebook, or raise :class:`CheckError` saying plainly why it is not one."""
    path = Path(path)
    if not path.exists():
        raise CheckError(f"no such file: {path}")
    if path.is_dir():
        raise CheckError(f"{path} is a folder, not a notebook: give the .ipynb file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.read(path, as_version=4)
        cells = nb["cells"]
        if not isinstance(cells, list):
            raise ValueError("cells is not a list")
    except Exception:  # noqa: BLE001 - any failure to read means "not a notebook"
        raise CheckError(f"{path} is not a Jupyter notebook (.ipynb) that can be read; "
                         "give the notebook of your assignment") from None
    return nb


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _grade_id(cell) -> str | None:
    return _meta(cell).get("grade_id")


def _is_answer(cell) -> bool:
    return bool(_meta(cell).get("solution"))


def _is_test(cell) -> bool:
    meta = _meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


def _is_locked(cell) -> bool:
    """As nbgrader's autograder: read-only cells and test cells are restored from the release."""
    meta = _meta(cell)
    if not meta or meta.get("solution"):
        return False
    return bool(meta.get("grade") or meta.get("locked"))


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


# --------------------------------------------------------------------------- assignment

@dataclass
class _Assignment:
    name: str
    release: nbformat.NotebookNode
    mistakes: list


def _releases(root: Path) -> list[Path]:
    return sorted(p for p in (root / "exercises").glob("*/*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def _question_ids(nb) -> set[str]:
    return {_grade_id(c) for c in nb.cells if (_is_answer(c) or _is_test(c)) and _grade_id(c)}


def _load_mistakes(path: Path) -> list:
    """``MISTAKES`` of an assignment's ``mistakes.py``; none if it is missing or broken."""
    if not path.is_file():
        return []
    try:
        module_name = f"_opsfirst_mistakes_{path.parent.name}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return list(getattr(module, "MISTAKES", []))
    except Exception:  # noqa: BLE001 - hints are a help, never a reason to fail the check
        return []


def identify(nb, root: Path, path: Path = Path("this notebook")) -> _Assignment:
    """The released assignment whose graded cells the notebook shares most."""
    ids = {_grade_id(c) for c in nb.cells if _grade_id(c)}
    best, best_key = None, (0,)
    for candidate in _releases(root):
        try:
            release = read_notebook(candidate)
        except CheckError:
            continue
        questions = _question_ids(release)
        shared = len(ids & questions)
        key = (shared, shared / max(len(questions), 1))
        if shared and key > best_key:
            best, best_key = (candidate, release), key
    if best is None:
        raise CheckError(f"{path.name} is not from any assignment of the course (none of its "
                         "graded cells match exercises/); open your copy of the assignment")
    found, release = best
    name = found.parent.name
    return _Assignment(name, release, _load_mistakes(root / "solutions" / name / "mistakes.py"))


def restore(nb, release):
    """A copy of the learner's notebook with the release's read-only cells put back.

    Each read-only code or test cell takes the release's source and type (an edited test cell
    cannot fake a pass); a deleted one is re-inserted after the cell that precedes it in the
    release (a test cell after its answer cell). Outputs are cleared.
    """
    nb = copy.deepcopy(nb)
    by_id = {_grade_id(c): c for c in release.cells if _grade_id(c)}
    cells = []
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid in by_id and _is_locked(by_id[gid]):
            cell = _fresh(by_id[gid])
        cells.append(cell)
    present = {_grade_id(c) for c in cells if _grade_id(c)}
    previous = None
    for rcell in release.cells:
        gid = _grade_id(rcell)
        if not gid:
            continue
        if gid not in present and _is_locked(rcell) and rcell.cell_type == "code":
            at = 0
            if previous is not None:
                at = next(i for i, c in enumerate(cells) if _grade_id(c) == previous) + 1
            cells.insert(at, _fresh(rcell))
            present.add(gid)
        if gid in present:
            previous = gid
    nb.cells = cells
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def _fresh(rcell):
    if rcell.cell_type == "code":
        cell = nbformat.v4.new_code_cell(rcell.source)
    else:
        cell = nbformat.v4.new_markdown_cell(rcell.source)
    cell.metadata = copy.deepcopy(rcell.metadata)
    return cell


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
        reason = _first_line(str(error)) or type(error).__name__
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

def _error(cell) -> tuple[str, str] | None:
    """(ename, evalue) of the cell's error output, ANSI codes removed; None if it has none."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", ""), _ANSI.sub("", out.get("evalue", ""))
    return None


def _stderr(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = _ANSI.sub("", "".join(out.get("text", ""))).strip()
            if text:
                return text
    return None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _explain(ename: str, evalue: str, timeout: int) -> str:
    """One line on a failing cell, in the learner's words; the visible message comes first."""
    line = _first_line(evalue)
    if ename == "AssertionError":
        return line or "a check on this question did not pass."
    if ename == "KeyboardInterrupt":
        return (f"a cell ran longer than {timeout} s and was stopped: look for a loop that never "
                "ends.")
    if ename == "NameError":
        return f"{line}. Set it in your answer cell, spelled as the question asks."
    if ename == "NotImplementedError":
        return "it still has `raise NotImplementedError()`: delete that line once your code is in."
    return f"{ename}: {line}" if line else ename


def _answer_error(error: tuple[str, str], timeout: int, who: str = "your answer cell") -> str:
    ename, evalue = error
    if ename == "KeyboardInterrupt":
        return (f"{who} ran longer than {timeout} s and was stopped: look for a loop that never "
                "ends.")
    return f"{who} stopped with an error: {_explain(ename, evalue, timeout)}"


def assess(ran, release, original, mistakes, died_at=None,
           timeout=CELL_TIMEOUT) -> list[Question]:
    """One :class:`Question` per answer cell of the release, in the release's order.

    ``ran`` is the restored notebook after it ran, ``original`` the learner's notebook as read
    (to tell an untouched stub), ``mistakes`` the assignment's ``MISTAKES``.
    """
    stubs = {_grade_id(c): c for c in release.cells if _is_answer(c) and _grade_id(c)}
    learner = {}
    for cell in original.cells:
        gid = _grade_id(cell)
        if gid in stubs and gid not in learner:
            learner[gid] = cell
    position = {id(c): i for i, c in enumerate(ran.cells)}
    answers, tests = {}, {}
    current = None
    for cell in ran.cells:
        gid = _grade_id(cell)
        if gid in stubs and gid not in answers:
            answers[gid] = cell
            current = gid
        elif gid and _is_test(cell):
            named = gid.removesuffix("_tests")  # the convention; else the answer cell above
            owner = named if named != gid and named in stubs else current
            if owner:
                tests.setdefault(owner, []).append(cell)

    questions = []
    for name, stub in stubs.items():
        mine = learner.get(name)
        attempted = mine is None or _normal(mine.get("source", "")) != _normal(stub.source)
        if _meta(stub).get("grade"):  # manually graded: the coach reads it
            message = ""
            answer = answers.get(name)
            if attempted and answer is not None and answer.cell_type == "code" and _error(answer):
                message = _answer_error(_error(answer), timeout, who="it")
            questions.append(Question(name, WRITTEN if attempted else NOT_ATTEMPTED, message,
                                      written=True, code=stub.cell_type == "code"))
            continue
        if not attempted:
            questions.append(Question(name, NOT_ATTEMPTED))
            continue
        cells = tests.get(name, [])
        if not cells:
            questions.append(Question(name, NOT_CHECKED, "this question has no visible check."))
            continue
        if died_at is not None and any(position[id(c)] >= died_at for c in cells):
            questions.append(Question(name, NOT_CHECKED, "the notebook stopped before this "
                                      "question's check could run (see above)."))
            continue
        failures = [(c, _error(c)) for c in cells]
        failures = [(c, e) for c, e in failures if e is not None]
        if not failures:
            warning = next((w for w in map(_stderr, cells) if w), None)
            if warning:
                questions.append(Question(name, NOT_YET, "the check printed a warning, which the "
                                          f"autograder counts as a fail: {_first_line(warning)}"))
            else:
                questions.append(Question(name, RIGHT))
            continue
        ename, evalue = failures[0][1]
        hints = [m for m in mistakes if getattr(m, "question", None) == name
                 and getattr(m, "hint", None)
                 and any(m.hint in e[1] for _, e in failures)]
        if hints:
            hint = hints[0].hint
            line = next((line.strip() for _, e in failures for line in e[1].splitlines()
                         if hint in line), hint)
            questions.append(Question(name, NOT_YET, f"a common mistake: {line}"))
            continue
        answer = answers.get(name)
        own = _error(answer) if answer is not None and answer.cell_type == "code" else None
        if own is not None and ename != "AssertionError":
            questions.append(Question(name, NOT_YET, _answer_error(own, timeout)))
            continue
        questions.append(Question(name, NOT_YET, _explain(ename, evalue, timeout)))
    return questions


# --------------------------------------------------------------------------- check

def check(notebook: str | os.PathLike, root: str | os.PathLike | None = None, *,
          kernel_name: str | None = None, timeout: int = CELL_TIMEOUT,
          on_start=None) -> Report:
    """Check a learner's notebook against its assignment's visible tests.

    Parameters
    ----------
    notebook : path of the learner's ``.ipynb``.
    root : the repository holding ``exercises/`` and ``solutions/`` (see :func:`repo_root`).
    kernel_name : Jupyter kernel to run it in; default the release's kernel, else ``python3``.
    timeout : seconds each cell may run before it is stopped.
    on_start : called with the assignment's name once the input is known good, just before the
        notebook runs (the command prints progress with it).

    Raises
    ------
    CheckError : the file is missing, is not a notebook, belongs to no known assignment, or the
        kernel cannot start.
    """
    path = Path(notebook)
    nb = read_notebook(path)
    assignment = identify(nb, repo_root(root), path)
    release = assignment.release
    kernel_name = (kernel_name or release.metadata.get("kernelspec", {}).get("name") or "python3")
    ran = restore(nb, release)
    if on_start is not None:
        on_start(assignment.name)
    start = time.monotonic()
    died_at = run(ran, path.resolve().parent, kernel_name, timeout)
    seconds = time.monotonic() - start
    notes = []
    if died_at is not None:
        where = _grade_id(ran.cells[died_at]) or f"number {died_at + 1}"
        notes.append(f"Python stopped for good in cell {where} (something in the notebook ended "
                     "it, such as exit() or os._exit()); the questions after it were not checked.")
    for cell in ran.cells:
        if _is_locked(cell) and not _is_test(cell) and cell.cell_type == "code" and _error(cell):
            ename, evalue = _error(cell)
            notes.append(f"The read-only cell {_grade_id(cell)} stopped with an error "
                         f"({_explain(ename, evalue, timeout)}); checks after it may fail because "
                         "of it. Does a cell above it change something it uses?")
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
