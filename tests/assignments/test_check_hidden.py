"""``opsfirst check`` on the kit's own assignments, hidden tests included: "right" means right.

Generic: every ``solutions/NN-slug/NN-slug.ipynb`` is checked without being named here. The kit
holds the sources, as a self-study learner's clone does, so the check runs the hidden tests.
For each assignment, learner notebooks made from its release (``course_helpers.fill``) are
checked as a learner would, with :func:`opsfirst.assignments.check.check` on the kit:

- the model solution: every autograded question right;
- every typical mistake of its ``mistakes.py``: its question not right -- "not yet", with the
  mistake's own hint where it has one -- and never a hidden test's source line, assert message
  or number in the report.

A notebook run costs seconds, so mistakes are batched: each run holds mistakes on different
questions at once (each mistake touches only its own question: the soundness tests in
test_assignments.py check it, and every run here checks that the questions without a mistake in
it stay right), kept apart when one's question reads what another's question sets
(``course_helpers.rounds``). An assignment needs one run for the solution and, mostly, one per mistake of
its most-mistaken question. One class per assignment, so that ``make test`` (``--dist loadscope``)
spreads them over its workers.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from course_helpers import (HIDDEN, REPO, assert_gives_nothing_away, fill,
                            mistakes_of, rounds)
from opsfirst.assignments.check import HIDDEN_NOT_YET, NOT_YET, RIGHT, check, format_report
from opsfirst.assignments.notebooks import is_answer, is_marked_by_hand

pytestmark = pytest.mark.slow

ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir()
                     if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def secrets(source, release) -> tuple[list[str], list[float]]:
    """What a learner must never read: each hidden test's lines and assert messages, and the
    numbers written in them, less what the release shows anyway (a type check repeated, a
    date in the prompt)."""
    public = "\n".join(c.source for c in release.cells)
    lines, numbers = [], []
    for cell in source.cells:
        for block in HIDDEN.findall(cell.source):
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) > 8]
            try:
                tree = ast.parse(block)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Assert) and node.msg is not None:
                    lines += [n.value for n in ast.walk(node.msg) if isinstance(n, ast.Constant)
                              and isinstance(n.value, str) and len(n.value.strip()) > 8]
                if isinstance(node, ast.Constant) and type(node.value) in (int, float) \
                        and not re.search(rf"(?<![\d.]){re.escape(repr(node.value))}(?!\d)", public):
                    numbers.append(node.value)
    return [line for line in lines if line not in public], numbers


def run_variants(name: str, folder: Path) -> dict:
    """Check the solution and every round of mistakes of one assignment; what the tests need."""
    source = nbformat.read(REPO / "solutions" / name / f"{name}.ipynb", 4)
    release = nbformat.read(REPO / "exercises" / name / f"{name}.ipynb", 4)
    mistakes = mistakes_of(name)
    autograded = [c.metadata["nbgrader"]["grade_id"] for c in source.cells
                  if is_answer(c) and not is_marked_by_hand(c)]
    variants = {"solution": {}} | {f"round{r + 1}": batch
                                   for r, batch in enumerate(rounds(mistakes, source))}
    reports = {}
    for variant, batch in variants.items():
        path = folder / variant / f"{name}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(fill(release, source, {q: m.code for q, m in batch.items()}), path)
        reports[variant] = check(path, root=REPO)
    return dict(name=name, source=source, release=release, mistakes=mistakes,
                autograded=autograded, variants=variants, reports=reports,
                texts={v: format_report(r) for v, r in reports.items()})


@pytest.fixture(scope="class")
def checked(request, tmp_path_factory):
    return run_variants(request.cls.name, tmp_path_factory.mktemp(f"check-{request.cls.name}"))


def verdicts(report) -> dict:
    return {q.name: q for q in report.questions}


class Checks:
    """The checks, for one assignment (``name``); a class per assignment is made below."""

    name = ""

    def test_the_solution_is_right_everywhere(self, checked):
        report = checked["reports"]["solution"]
        assert report.hidden, "the kit holds the sources: the hidden tests must run"
        wrong = {q.name: (q.status, q.message) for q in report.questions
                 if not q.written and q.status != RIGHT}
        assert not wrong, f"{checked['name']}: the model solution is not right on {wrong}"
        assert report.all_right
        assert set(checked["autograded"]) <= set(verdicts(report))

    def test_no_typical_mistake_is_called_right(self, checked):
        assert checked["mistakes"], f"{checked['name']} has no mistakes.py"
        problems = []
        for variant, batch in checked["variants"].items():
            found = verdicts(checked["reports"][variant])
            for question, mistake in batch.items():
                q = found[question]
                if q.status != NOT_YET:
                    problems.append(f"{mistake.id}: {question} is {q.status!r}")
                elif mistake.hint and mistake.hint not in q.message:
                    problems.append(f"{mistake.id}: {question} says {q.message!r}, "
                                    f"not its hint {mistake.hint!r}")
                elif mistake.hint is None and not q.hidden:
                    problems.append(f"{mistake.id}: only a hidden test catches it, yet "
                                    f"{question} says {q.message!r}")
        assert not problems, f"{checked['name']}:\n" + "\n".join(problems)

    def test_questions_without_a_mistake_stay_right(self, checked):
        """The batching's premise: a mistake touches its own question only."""
        problems = []
        for variant, batch in checked["variants"].items():
            for q in checked["reports"][variant].questions:
                if q.name in checked["autograded"] and q.name not in batch and q.status != RIGHT:
                    problems.append(f"{variant} ({', '.join(m.id for m in batch.values())}): "
                                    f"{q.name} is {q.status!r}: {q.message}")
        assert not problems, f"{checked['name']}:\n" + "\n".join(problems)

    def test_a_hidden_failure_gives_nothing_away(self, checked):
        lines, numbers = secrets(checked["source"], checked["release"])
        assert lines, f"{checked['name']} has no hidden tests"
        caught = [v for v, r in checked["reports"].items() if any(q.hidden for q in r.questions)]
        assert caught, f"{checked['name']}: no mistake fails only a hidden test"
        for variant, text in checked["texts"].items():
            assert_gives_nothing_away(text, numbers, lines)
        for variant in caught:
            for q in checked["reports"][variant].questions:
                if q.hidden:
                    assert q.message == HIDDEN_NOT_YET or q.message.startswith("a common mistake: ")


for _name in ASSIGNMENTS:  # TestCheck_00_welcome, TestCheck_02_staff_an_interval, ...
    _cls = f"TestCheck_{_name.replace('-', '_')}"
    globals()[_cls] = type(_cls, (Checks,), {"name": _name, "__doc__": f"The checks, for {_name}."})
