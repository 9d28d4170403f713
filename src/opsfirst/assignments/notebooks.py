"""The one model of an assignment notebook that every command shares.

nbgrader keeps what a cell is in ``cell.metadata["nbgrader"]``: an *answer* cell (``solution``),
a *test* cell (``grade``, not ``solution``, code), a hand-graded answer (``grade`` and
``solution``, or a ``task``), a read-only cell (``locked``) and its ``grade_id`` and ``points``.
``opsfirst check``, ``opsfirst report``, ``opsfirst grade`` (and its hardening) and the
feedback filter all read cells through the functions here, and all say why a question failed
through one :func:`diagnose`, so the learner's check and the coach's report give the same
verdict for the same notebook.

Examples
--------
>>> import nbformat
>>> answer = nbformat.v4.new_code_cell("agents = 14")
>>> answer.metadata["nbgrader"] = {"grade_id": "agents", "solution": True, "grade": False}
>>> test = nbformat.v4.new_code_cell("assert agents == 14")
>>> test.metadata["nbgrader"] = {"grade_id": "agents_tests", "grade": True, "points": 1}
>>> grade_id(answer), is_answer(answer), is_test(test), points(test)
('agents', True, True, 1.0)
>>> strip_escapes("\\x1b[0;31mAssertionError\\x1b[0m: \\x1b[38;5;196magents\\x1b[K")
'AssertionError: agents'
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = [
    "ESCAPES", "strip_escapes", "meta", "grade_id", "points", "is_answer", "is_test", "is_locked",
    "is_manual", "is_marked_by_hand", "grade_ids", "Layout", "layout", "question_name", "read", "NotANotebook",
    "normal", "restore", "fresh", "fill", "SOLUTION", "hidden_lines", "quotes_hidden",
    "error_output", "error", "stderr", "first_line", "load_mistakes", "titles", "owners",
    "Verdict", "diagnose", "explain", "answer_error", "error_text",
    "RIGHT", "NOT_YET", "NOT_ATTEMPTED", "NOT_CHECKED",
    "KNOWN_MISTAKE", "HIDDEN_ONLY", "ANSWER_ERROR", "CHECK_FAILED", "TEST_ERROR", "WARNING",
    "NO_CHECK", "NOT_RUN", "PASSED",
]

# --------------------------------------------------------------------------- terminal escapes

ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"               # CSI: colours (SGR, 256 and 24-bit), cursor, erase
    r"|\x9b[0-?]*[ -/]*[@-~]"                # the same with the one-byte CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"    # OSC: window titles, hyperlinks (BEL or ST ends)
    r"|\x1b[PX^_][^\x1b]*\x1b\\"             # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]")                     # any other escape: charset, keypad, reset ...
"""Every terminal escape sequence (ECMA-48) IPython or a learner's code can put in an output."""


def strip_escapes(text: str) -> str:
    """``text`` without terminal escape sequences (colours, cursor moves, hyperlinks).

    >>> strip_escapes("\\x1b]8;;file:///x\\x1b\\\\line 3\\x1b]8;;\\x1b\\\\ \\x1b[?25lok")
    'line 3 ok'
    """
    return ESCAPES.sub("", text)


# --------------------------------------------------------------------------- one cell

def meta(cell) -> dict:
    """The cell's nbgrader metadata (an empty dict for a plain cell)."""
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def grade_id(cell) -> str | None:
    return meta(cell).get("grade_id") or None


def points(cell) -> float:
    return float(meta(cell).get("points") or 0)


def is_answer(cell) -> bool:
    """An answer cell: the learner writes in it (nbgrader's ``solution``)."""
    return bool(meta(cell).get("solution"))


def is_test(cell) -> bool:
    """An autograded test cell: graded code that is not an answer."""
    m = meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("grade")) and not m.get("solution")


def is_locked(cell) -> bool:
    """A cell the autograder puts back from the release: read-only cells and test cells."""
    m = meta(cell)
    if not m or m.get("solution"):
        return False
    return bool(m.get("grade") or m.get("locked"))


def is_marked_by_hand(cell) -> bool:
    """An answer the coach marks (graded and an answer): written text, or code such as a plot."""
    m = meta(cell)
    return bool(m.get("grade") and m.get("solution"))


def is_manual(cell) -> bool:
    """A hand-graded cell worth points: an answer the coach marks, or a task."""
    return (is_marked_by_hand(cell) or bool(meta(cell).get("task"))) and points(cell) > 0


def normal(source: str) -> str:
    """A cell's source for comparing: outer blank lines and trailing spaces off."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


# --------------------------------------------------------------------------- a notebook

class NotANotebook(ValueError):
    """The file cannot be read as a Jupyter notebook."""


def read(path) -> nbformat.NotebookNode:
    """Read a notebook (format 4), or raise :class:`NotANotebook` (nbformat's warnings muted)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.read(str(path), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("its cells are not a list")
    except Exception as error:  # noqa: BLE001 - whatever went wrong, it is not a notebook
        raise NotANotebook(first_line(str(error))[:80] or type(error).__name__) from None
    return nb


def grade_ids(nb) -> set[str]:
    return {gid for gid in map(grade_id, nb.get("cells", [])) if gid}


@dataclass
class Layout:
    """The graded cells of an assignment: what is autograded and what the coach marks."""

    ids: set[str]  #: every grade_id
    answers: set[str]  #: answer cells
    tests: list[str]  #: autograded test cells, in order
    manual: list[str]  #: hand-graded cells worth points, in order
    points: dict[str, float]  #: grade_id -> points

    @property
    def questions(self) -> set[str]:
        """Answer and test cells: what tells one assignment's notebook from another's."""
        return self.answers | set(self.tests)


def layout(nb) -> Layout:
    """The :class:`Layout` of a notebook (source or release)."""
    found = Layout(set(), set(), [], [], {})
    for cell in nb.cells:
        gid = grade_id(cell)
        if not gid:
            continue
        found.ids.add(gid)
        found.points[gid] = points(cell)
        if is_answer(cell):
            found.answers.add(gid)
        if is_test(cell):
            found.tests.append(gid)
        elif is_manual(cell):
            found.manual.append(gid)
    return found


def question_name(test_id: str) -> str:
    """A test cell's question as the coach reads it: ``total_calls_tests`` -> ``total_calls``."""
    return test_id.removesuffix("_tests")


def titles(nb) -> dict[str, str]:
    """grade_id -> the heading of the prompt above it (``1. Calls offered that day``)."""
    found, heading = {}, None
    for cell in nb.cells if nb is not None else []:
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "markdown" and first.startswith("#"):
            heading = _POINTS.sub("", first.lstrip("#").strip())
        gid = grade_id(cell)
        if gid and heading:
            found[gid] = heading
    return found


_POINTS = re.compile(r"\s*\((\d+(\.\d+)?\s+points?|[^)]*marked by your coach[^)]*)\)\s*$")


def owners(nb, answers: set[str] | None = None) -> dict[str, str]:
    """test grade_id -> the answer it checks: ``NAME_tests`` checks ``NAME``, else the answer above."""
    answers = {grade_id(c) for c in nb.cells if is_answer(c)} if answers is None else answers
    found, current = {}, None
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in answers:
            current = gid
        elif gid and is_test(cell):
            named = question_name(gid)
            owner = named if named != gid and named in answers else current
            if owner:
                found[gid] = owner
    return found


def fresh(cell):
    """A clean copy of a release cell: its source, type and metadata, no outputs."""
    new = (nbformat.v4.new_code_cell if cell.cell_type == "code" else nbformat.v4.new_markdown_cell)
    made = new(cell.source)
    made.metadata = copy.deepcopy(cell.metadata)
    return made


def restore(nb, release):
    """A copy of a learner's notebook with the release's read-only cells put back.

    Each read-only cell takes the release's source and type (an edited test cell cannot fake a
    pass); a deleted read-only code cell is re-inserted after the cell that precedes it in the
    release (a test cell after its answer cell). Outputs are cleared.
    """
    nb = copy.deepcopy(nb)
    by_id = {grade_id(c): c for c in release.cells if grade_id(c)}
    cells = [fresh(by_id[grade_id(c)]) if grade_id(c) in by_id and is_locked(by_id[grade_id(c)])
             else c for c in nb.cells]
    present = {grade_id(c) for c in cells if grade_id(c)}
    previous = None
    for rcell in release.cells:
        gid = grade_id(rcell)
        if not gid:
            continue
        if gid not in present and is_locked(rcell) and rcell.cell_type == "code":
            at = 0
            if previous is not None:
                at = next(i for i, c in enumerate(cells) if grade_id(c) == previous) + 1
            cells.insert(at, fresh(rcell))
            present.add(gid)
        if gid in present:
            previous = gid
    nb.cells = cells
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
"""A solution block in an assignment source cell (its body is group 1)."""


def fill(release, source, replace: dict[str, str] | None = None):
    """A student notebook: ``release`` with every answer cell holding the ``source``'s solution
    (or ``replace[grade_id]`` in its place), as a learner who answered would hand it in."""
    answers = {grade_id(c): c.source for c in source.cells if is_answer(c)}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in answers:
            text = answers[gid]
            if replace and gid in replace:
                text = SOLUTION.sub(lambda _: replace[gid].rstrip("\n") + "\n", text)
            cell.source = SOLUTION.sub(lambda m: m.group(1), text).rstrip("\n")
    return nb


def load_mistakes(path) -> list:
    """``MISTAKES`` of an assignment's ``mistakes.py``; none if it is missing or broken (hints
    are a help, never a reason for a command to fail)."""
    path = Path(path)
    if not path.is_file():
        return []
    try:
        spec = importlib.util.spec_from_file_location(
            f"_opsfirst_mistakes_{path.parent.name.replace('-', '_')}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return list(getattr(module, "MISTAKES", []))
    except Exception:  # noqa: BLE001
        return []


# --------------------------------------------------------------------------- hidden tests

def hidden_lines(source: str) -> list[str]:
    """The non-empty lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``."""
    lines, inside = [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker == "### BEGIN HIDDEN TESTS":
            inside = True
        elif marker == "### END HIDDEN TESTS":
            inside = False
        elif inside and marker:
            lines.append(marker)
    return lines


def _hidden_messages(lines: list[str]) -> list[str]:
    """The messages of the hidden asserts (the text after the comma), long enough to be telling.

    An error can quote a hidden assert's message without its line (``%xmode Minimal`` in the
    learner's notebook shows only ``AssertionError: message``).
    """
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:  # a hidden block that does not parse alone: its lines still count
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and node.msg is not None:
            parts = [node.msg] if isinstance(node.msg, ast.Constant) else list(ast.walk(node.msg))
            found += [p.value.strip() for p in parts
                      if isinstance(p, ast.Constant) and isinstance(p.value, str)]
    return [m for m in found if len(m) >= 12]


def quotes_hidden(text: str, source: str) -> bool:
    """Does ``text`` (an error's traceback and message) quote a hidden test of the cell ``source``?

    Escapes are stripped first, so a line broken up by colour codes is still recognised.

    >>> cell = "x = 1\\n### BEGIN HIDDEN TESTS\\nassert x == 2, 'x is not twice the calls'\\n### END HIDDEN TESTS"
    >>> quotes_hidden("\\x1b[31mAssertionError\\x1b[0m: x is not twice the calls", cell)
    True
    >>> quotes_hidden("AssertionError: x should be a number", cell)
    False
    """
    hidden = hidden_lines(source)
    if not hidden:
        return False
    plain = strip_escapes(text)
    # a line too short to be telling (a lone ")" closing a call) would match any message
    telling = [line for line in hidden if len(line) >= 6 and any(c.isalnum() for c in line)]
    return any(piece in plain for piece in telling + _hidden_messages(hidden))


# --------------------------------------------------------------------------- outputs

def error_output(cell) -> dict | None:
    """The cell's first error output, if any."""
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def error(cell) -> tuple[str, str] | None:
    """(ename, evalue) of the cell's error, escapes stripped; None if it has none."""
    found = error_output(cell)
    if found is None:
        return None
    return found.get("ename", ""), strip_escapes(found.get("evalue", ""))


def error_text(output: dict) -> str:
    """An error output's traceback and message as one plain text."""
    return strip_escapes("\n".join(output.get("traceback", [])) + "\n" + output.get("evalue", ""))


def stderr(cell) -> str | None:
    """What the cell wrote to stderr (escapes stripped), or None."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = strip_escapes("".join(out.get("text", ""))).strip()
            if text:
                return text
    return None


# --------------------------------------------------------------------------- verdicts

# status: what the learner's check says
RIGHT, NOT_YET, NOT_ATTEMPTED, NOT_CHECKED = "right", "not yet", "not attempted", "not checked"
# kind: why, in the words the coach's report groups failures by
PASSED = "passes every check"
KNOWN_MISTAKE = "a known mistake"
NOT_ATTEMPTED_KIND = "not answered: the answer cell is as released"
HIDDEN_ONLY = "passes the visible checks; only the hidden tests catch it"
ANSWER_ERROR = "the answer cell stops with an error"
CHECK_FAILED = "a visible check failed with a message no known mistake explains"
TEST_ERROR = "the test cell stopped with an error"
WARNING = "the check wrote a warning (nbgrader gives 0 to a test cell that writes to stderr)"
NO_CHECK = "no visible check"
NOT_RUN = "not run: the notebook stopped before this question's check"


@dataclass(frozen=True)
class Verdict:
    """Why a question stands as it does, for the learner (``status``, ``message``) and the coach
    (``kind``, ``detail``, and the ``mistake`` whose hint fired)."""

    status: str  #: RIGHT, NOT_YET, NOT_ATTEMPTED or NOT_CHECKED
    kind: str  #: one of the kinds above
    message: str = ""  #: one line for the learner (never the answer, never a hidden test)
    detail: str = ""  #: the visible check's own message, shortened, for the coach's report
    mistake: object = None  #: the :class:`opsfirst.grading.Mistake` whose hint fired
    ename: str = ""  #: the error's name (of the test cell, or of the answer cell for ANSWER_ERROR)


_ANSWER_NAME = re.compile(r"^([A-Za-z_]\w*)\s*=(?!=)", re.M)
_UNDEFINED = re.compile(r"name '(\w+)' is not defined")


def answer_names(nb) -> dict[str, str]:
    """variable -> the grade_id of the answer cell that sets it (``required_week = ...``).

    Read from each answer cell's top-level assignments, in the release's templates or the
    source's solutions alike; the first question to set a name owns it.
    """
    found: dict[str, str] = {}
    for cell in nb.cells if nb is not None else []:
        if is_answer(cell) and cell.cell_type == "code":
            for name in _ANSWER_NAME.findall(cell.source):
                found.setdefault(name, grade_id(cell))
    return found


def _name_error(line: str, question: str | None, names: dict[str, str] | None) -> str:
    """A NameError in the learner's words: whose name it is decides what to do."""
    match = _UNDEFINED.search(line)
    if names is None or match is None:
        return f"{line}. Set it in your answer cell, spelled as the question asks."
    name = match.group(1)
    owner = names.get(name)
    if owner is None:
        return (f"it uses `{name}`, which nothing in this notebook sets (a name from the lesson, "
                "or a typo?): use the names this assignment's questions and setup cells set, or "
                "set it yourself in your answer cell.")
    if owner != question:
        return (f"it uses `{name}`, the answer to the question `{owner}`, which is not set: fix "
                f"that question first (its cell must run without an error), then run this one "
                "again.")
    return f"{line}. Set it in your answer cell, spelled as the question asks."


def explain(ename: str, evalue: str, timeout: int, *, question: str | None = None,
            names: dict[str, str] | None = None) -> str:
    """One line on a failing cell, in the learner's words; the visible message comes first.

    With ``names`` (:func:`answer_names`) a NameError says whose name is missing: another
    question's answer (fix that one first), this question's own, or a name nothing sets.
    """
    line = first_line(evalue)
    if ename == "AssertionError":
        return line or "a check on this question did not pass."
    if ename in ("KeyboardInterrupt", "CellTimeoutError"):
        return (f"a cell ran longer than {timeout} s and was stopped: look for a loop that never "
                "ends.")
    if ename == "NameError":
        return _name_error(line, question, names)
    if ename == "NotImplementedError":
        return "it still has `raise NotImplementedError()`: delete that line once your code is in."
    return f"{ename}: {line}" if line else ename


def answer_error(found: tuple[str, str], timeout: int, who: str, *, question: str | None = None,
                 names: dict[str, str] | None = None) -> str:
    ename, evalue = found
    if ename in ("KeyboardInterrupt", "CellTimeoutError"):
        return (f"{who} ran longer than {timeout} s and was stopped: look for a loop that never "
                "ends.")
    return (f"{who} stopped with an error: "
            f"{explain(ename, evalue, timeout, question=question, names=names)}")


def _sentences(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def diagnose(question: str, answer, tests: list, *, stub: str | None = None, mistakes=(),
             timeout: int = 60, stopped: bool = False, who: str = "your answer cell",
             names: dict[str, str] | None = None) -> Verdict:
    """Why an autograded question stands as it does, from its cells after they ran.

    Parameters
    ----------
    question : the answer cell's ``grade_id``; only its own mistakes can fire.
    answer : the answer cell as it ran (source and outputs), or None if it is missing.
    tests : its test cells as they ran, visible tests (a learner's check) or with the hidden
        tests put back (a coach's autograded notebook).
    stub : the answer cell's source as released; an answer still equal to it is not attempted.
    mistakes : the assignment's :class:`opsfirst.grading.Mistake` list; a visible check's
        message holding a mistake's ``hint`` names that mistake.
    timeout : the cell timeout in seconds (for the message about a loop that never ends).
    stopped : the notebook stopped (its kernel died) before these tests ran.
    names : variable -> the question whose answer sets it (:func:`answer_names`), so that a
        NameError says whose name is missing.

    In order: not attempted; no visible check; not run; every check passed (or only wrote a
    warning, which nbgrader scores 0); a known mistake; only a hidden test failed; the answer
    cell's own error; the visible check's message.
    """
    if answer is not None and stub is not None and normal(answer.get("source", "")) == normal(stub):
        return Verdict(NOT_ATTEMPTED, NOT_ATTEMPTED_KIND)
    if not tests:
        return Verdict(NOT_CHECKED, NO_CHECK, "this question has no visible check.")
    if stopped:
        return Verdict(NOT_CHECKED, NOT_RUN, "the notebook stopped before this question's check "
                       "could run (see above).")
    failures = [(cell, error_output(cell)) for cell in tests]
    failures = [(cell, out) for cell, out in failures if out is not None]
    if not failures:
        warning = next((w for w in map(stderr, tests) if w), None)
        if warning:
            return Verdict(NOT_YET, WARNING, "the check printed a warning, which the autograder "
                           f"counts as a fail: {first_line(warning)}")
        return Verdict(RIGHT, PASSED)
    # a failure is a hidden test's when its traceback quotes one (the failing line, or only its
    # message under %xmode Minimal); a visible check's message that quotes one is still that
    # check's failure, and is withheld where it is shown
    visible = [(cell, out) for cell, out in failures
               if not quotes_hidden("\n".join(out.get("traceback", [])) or out.get("evalue", ""),
                                    cell.get("source", ""))]
    messages = [strip_escapes(out.get("evalue", "")) for _, out in visible]
    for mistake in mistakes:
        hint = getattr(mistake, "hint", None)
        if getattr(mistake, "question", None) != question or not hint:
            continue
        said = next((m for m in messages if hint in m), None)
        if said is not None:
            line = next((line.strip() for line in said.splitlines() if hint in line), hint)
            return Verdict(NOT_YET, KNOWN_MISTAKE, f"a common mistake: {line}",
                           _sentences(said), mistake, "AssertionError")
    if not visible:
        return Verdict(NOT_YET, HIDDEN_ONLY, "it passes the visible checks, but not the hidden "
                       "ones: look again at how you worked it out.")
    ename, evalue = visible[0][1].get("ename", ""), messages[0]
    own = error(answer) if answer is not None and answer.get("cell_type") == "code" else None
    if own is not None and ename != "AssertionError":
        return Verdict(NOT_YET, ANSWER_ERROR,
                       answer_error(own, timeout, who, question=question, names=names), own[0],
                       ename=own[0])
    if ename == "AssertionError" and evalue.strip():
        return Verdict(NOT_YET, CHECK_FAILED, explain(ename, evalue, timeout), _sentences(evalue),
                       ename=ename)
    return Verdict(NOT_YET, TEST_ERROR,
                   explain(ename, evalue, timeout, question=question, names=names),
                   _sentences(evalue, 160), ename=ename)
