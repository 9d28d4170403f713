"""What the nbgrader tests share: reading an assignment's source, making student notebooks, and
running a release's visible checks in-process.

tests/assignments/test_assignments.py, test_report.py and tests/deploy/test_hub.py grade
notebooks made with ``fill`` (``opsfirst.assignments.notebooks``) and ``mistakes_of``
(``opsfirst.assignments.course``, which the benchmark uses too, beside ``scratch_course``) and
check feedback and pages against the source with what is here.
"""

from __future__ import annotations

import ast
import html
import re
from collections import Counter
from pathlib import Path

import nbformat

from opsfirst.assignments.course import mistakes_of  # noqa: F401  (re-exported for the tests)
from opsfirst.assignments.notebooks import SOLUTION, fill, grade_id, is_answer, owners  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
MARK_SCHEME = re.compile(r"### BEGIN MARK SCHEME\n(.*?)### END MARK SCHEME", re.S)
TAG = re.compile(r"<[^>]+>")


def page_text(page):
    """The text a learner reads on a feedback page (tracebacks there are split into coloured spans)."""
    return html.unescape(TAG.sub("", page))


# --------------------------------------------------------------------------- visible checks in-process

def markdown(path, *, keep_quotes: bool = True) -> str:
    """Every markdown cell of a notebook as one text, one space between words (sentences wrap
    across lines), for the claims tests to find the numbers a lesson or prompt states;
    ``keep_quotes=False`` also drops blockquote marks ("> ")."""
    cells = nbformat.read(path, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    if not keep_quotes:
        text = text.replace("> ", " ")
    return " ".join(text.split())


def release_cells(slug: str) -> dict[str, str]:
    """The released notebook's code cells by grade_id: what a learner's copy runs."""
    nb = nbformat.read(REPO / "exercises" / slug / f"{slug}.ipynb", 4)
    return {grade_id(c): c.source for c in nb.cells if c.cell_type == "code" and grade_id(c)}


def visible_code(source: str, messages=('"', 'f"')) -> str:
    """A visible test cell's code without its messages (the lines that open with a quote)."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(messages))


def answer_code_shown(slug: str, fragments, messages=('"', 'f"')) -> dict[str, list[str]]:
    """Each test cell of the release of ``slug``, with the fragments of the answers' own code
    (the solution cells' calls and selections) its visible code holds: a visible check that
    recomputes a value with them hands the learner the answer's route."""
    return {gid: [f for f in fragments if f in visible_code(source, messages)]
            for gid, source in release_cells(slug).items() if gid.endswith("_tests")}


def visible_message(cells: dict[str, str], space: dict, question: str, answers: dict,
                    missing=()) -> str:
    """What a question's visible checks say to these answers ('' when they pass), run in
    ``space`` (the namespace after the release's setup cell); the names in ``missing`` are left
    unset, as after an answer cell that stopped."""
    space.update(answers)
    for name in missing:
        space.pop(name, None)
    try:
        exec(cells[f"{question}_tests"], space)  # noqa: S102 - the course's own released cell
    except AssertionError as error:
        return str(error)
    return ""


def assert_own_hint(message: str, mistake, mistakes) -> None:
    """A typical mistake's visible message: its own hint and no other mistake's, or nothing at
    all for a mistake only the hidden tests see (``hint=None``)."""
    if mistake.hint is None:
        assert message == "", message
        return
    assert mistake.hint in message, message
    others = [m.id for m in mistakes if m.hint and m.id != mistake.id and m.hint in message]
    assert not others, (others, message)


def number_forms(number) -> set[str]:
    """How a learner could see a number written: 0.2708, 0.271, 27.1%, 848.57, 849 ..."""
    number = float(number)
    forms = {repr(number), f"{number:.6f}", f"{number:.4f}", f"{number:.3f}", f"{number:.2f}",
             f"{100 * number:.1f}", f"{number:.1f}", f"{number:,.2f}", f"{number:,.0f}"}
    return {f for f in forms if len(f.strip("0.")) >= 2}


def assert_gives_nothing_away(message: str, numbers, texts=()) -> None:
    """Fail if ``message`` shows any of ``numbers`` in any form a learner could read, or a text."""
    leaked = [form for value in numbers for form in number_forms(value)
              if re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", message)]
    assert not leaked, f"the message gives the value away ({leaked}): {message}"
    for text in texts:
        assert text not in message, f"the message gives {text!r} away: {message}"


# ------------------------------------------------------------------ batches of typical mistakes


def _names(code: str, context) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, context)}


def rounds(mistakes, source, *, alone=lambda mistake: False) -> list[dict]:
    """The mistakes in batches (question -> mistake) for one notebook run each, as few as the
    rules allow, so that each mistake still touches only its own question:

    - two mistakes never share a run when they are on the same question;
    - nor when one's question (its answer, its test cells, or the mistake's own code) reads,
      directly or through other questions, a variable the other's question sets: 03's MAPE
      mistake reads question 1's forecast, and question 5 is judged on question 4's requirement;
    - a mistake for which ``alone(mistake)`` is true runs on its own.

    Greedy, the most-mistaken questions first. A question that no mistake of a run is on keeps
    its marks in that run: the tests that batch check it.
    """
    sets, reads = {}, {}
    test_owner = owners(source)
    for cell in source.cells:
        gid = grade_id(cell)
        if is_answer(cell) and cell.cell_type == "code":
            body = "".join(SOLUTION.findall(cell.source)) or cell.source
            sets[gid] = _names(body, ast.Store)
            reads.setdefault(gid, set()).update(_names(body, ast.Load) - sets[gid])
        elif gid in test_owner:
            reads.setdefault(test_owner[gid], set()).update(_names(cell.source, ast.Load))

    def upstream(names: set[str], seen: set[str]) -> set[str]:
        """The questions whose variables ``names`` reach, directly or through other questions."""
        found = {q for q, stored in sets.items() if names & stored} - seen
        for q in list(found):
            found |= upstream(reads.get(q, set()), seen | found)
        return found

    def depends(mistake) -> set[str]:
        return upstream(reads.get(mistake.question, set())
                        | (_names(mistake.code, ast.Load) - _names(mistake.code, ast.Store)),
                        {mistake.question})

    deps = {id(m): depends(m) for m in mistakes}

    def clash(a, b) -> bool:
        return (a.question == b.question or a.question in deps[id(b)]
                or b.question in deps[id(a)] or alone(a) or alone(b))

    count = Counter(m.question for m in mistakes)
    batches: list[list] = []
    for mistake in sorted(mistakes, key=lambda m: -count[m.question]):
        batch = next((b for b in batches if not any(clash(mistake, o) for o in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(mistake)
    return [{m.question: m for m in batch} for batch in batches]
