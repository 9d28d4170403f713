"""Soundness of every assignment in solutions/, checked the way a coach grades it: with nbgrader.

Generic: every folder ``solutions/NN-slug/`` holding ``NN-slug.ipynb`` is checked without being
named here. For each assignment one nbgrader run, in a temporary course that uses the
repository's ``nbgrader_config.py`` (``opsfirst.assignments.course.scratch_course``):

1. ``generate_assignment`` makes the release, which must equal the committed ``exercises/``;
2. the variants are submitted as students: the full solution, the unmodified release, the
   typical mistakes of ``mistakes.py`` (the solution with the mistakes' answers replaced), and
   "liars" whose every answer claims to equal anything. Mistakes share a notebook when they are
   on different questions that do not read each other's variables, directly or through other
   questions (``course_helpers.rounds``); a mistake only the hidden tests catch runs alone;
3. one ``autograde`` run grades them all, then ``generate_feedback`` writes their feedback;
4. the checks: the solution earns every autograded point; the release earns none; each
   mistake loses points on its own question and shows its own hint there and no other mistake's,
   while every question with no mistake in that notebook keeps its marks; liars earn
   nothing; and no
   feedback shows a hidden test's source, the line or message of a hidden assert that failed,
   or a mark scheme.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_helpers import (HIDDEN, MARK_SCHEME, SOLUTION, fill, grade_id, mistakes_of,
                            page_text, rounds)
from opsfirst.assignments.course import scratch_course
from opsfirst.assignments.feedback import HIDDEN_FAILED
from opsfirst.assignments.notebooks import is_test, strip_escapes

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir()
                     if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def autograded_tests(nb):
    """grade_ids of the autograder test cells (graded, not answers)."""
    return [grade_id(c) for c in nb.cells if is_test(c)]


ASSIGNED = re.compile(r"^([A-Za-z_]\w*)\s*=(?!=)", re.M)
# Answers that claim to equal anything: a plain object, and subclasses of the types answers have.
LIARS = {
    kind: (f"class _Liar({base}):\n"
           "    def __eq__(self, other): return True\n"
           "    def __ne__(self, other): return False\n"
           "    __hash__ = object.__hash__\n")
    for kind, base in {"object": "object", "int": "int", "float": "float", "str": "str"}.items()
}
LIAR_VALUE = {"object": "_Liar()", "int": "_Liar(1)", "float": "_Liar(0.5)", "str": '_Liar("10:00")'}


def liar(release, source, kind):
    """The release with every autograded answer set to a liar of ``kind``."""
    replace = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            names = ASSIGNED.findall("".join(SOLUTION.findall(cell.source)))
            replace[grade_id(cell)] = LIARS[kind] + "".join(f"{n} = {LIAR_VALUE[kind]}\n" for n in dict.fromkeys(names))
    return fill(release, source, replace)


def run(*args, cwd):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([Path(sys.executable).parent / "nbgrader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done


def messages(cells):
    """What the learner is told: error messages and printed text (a traceback's quoted source
    lines are left out: they show every assert of the cell, fired or not)."""
    parts = []
    for cell in cells:
        for o in cell.get("outputs", []):
            parts += [o.get("evalue", ""), o.get("text", "")]
            parts += [str(v) for k, v in o.get("data", {}).items() if k.startswith("text/")]
    return strip_escapes("\n".join(parts))


def grade_variants(name, tmp_path_factory):
    """One nbgrader run of an assignment with all its variants; what the checks need."""
    course = scratch_course(tmp_path_factory.mktemp(f"course-{name}"), [name], generate=True)
    source = nbformat.read(REPO / "solutions" / name / f"{name}.ipynb", 4)
    release = nbformat.read(course / "exercises" / name / f"{name}.ipynb", 4)
    mistakes = mistakes_of(name)
    variants = {"solution": fill(release, source), "release": release}
    batches = rounds(mistakes, source, alone=lambda m: m.hint is None)
    for k, batch in enumerate(batches):
        variants[f"mistakes_{k + 1}"] = fill(release, source,
                                             {q: m.code for q, m in batch.items()})
    for kind in LIARS:
        variants[f"liar_{kind}"] = liar(release, source, kind)
    for student, nb in variants.items():
        folder = course / ".nbgrader" / "submitted" / student / name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{name}.ipynb")
    run("autograde", name, "--create", cwd=course)
    run("generate_feedback", name, cwd=course)

    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gradebook:
        for student in variants:
            notebook = gradebook.find_submission_notebook(name, name, student)
            scores[student] = {g.name: (g.auto_score, g.max_score) for g in notebook.grades}
    autograded = {student: nbformat.read(course / ".nbgrader" / "autograded" / student / name / f"{name}.ipynb", 4)
                  for student in variants}
    feedback = {student: (course / ".nbgrader" / "feedback" / student / name / f"{name}.html").read_text()
                for student in variants}
    return dict(name=name, course=course, source=source, release=release, mistakes=mistakes,
                batches=batches, scores=scores, autograded=autograded, feedback=feedback,
                tests=autograded_tests(source))


@pytest.fixture(scope="class")
def graded(request, tmp_path_factory):
    """The graded variants of the test class's assignment, once per class."""
    return grade_variants(request.cls.name, tmp_path_factory)


class Soundness:
    """Every check, for one assignment (``name``). A class per assignment is made below, so that
    pytest-xdist (``--dist loadscope``, as ``make test`` runs it) grades different assignments on
    different workers instead of one after another."""

    name = ""

    def test_release_is_the_committed_exercises(self, graded):
        """Check that exercises/ is what `make release` makes from solutions/ now (not stale)."""
        name = graded["name"]
        committed = REPO / "exercises" / name / f"{name}.ipynb"
        assert committed.exists(), f"exercises/{name} is missing: run `make release` and commit it"
        fresh = json.loads((graded["course"] / "exercises" / name / f"{name}.ipynb").read_text())
        assert json.loads(committed.read_text()) == fresh, (
            f"exercises/{name} is out of date with solutions/{name}: run `make release` and commit it")


    def test_solution_earns_every_autograded_point(self, graded):
        """Check that the model solution passes every visible and hidden test."""
        scores = graded["scores"]["solution"]
        short = {t: scores[t] for t in graded["tests"] if scores[t][0] != scores[t][1]}
        assert not short, f"{graded['name']}: the solution loses points on {short}"


    def test_release_earns_nothing(self, graded):
        """Check that the unmodified release scores 0 on every autograded question."""
        scores = graded["scores"]["release"]
        assert sum(scores[t][0] for t in graded["tests"]) == 0, scores


    def test_answers_that_merely_compare_equal_earn_nothing(self, graded):
        """Check that objects claiming to equal anything (plain, or int/float/str subclasses) score 0."""
        earned = {student: sum(scores[t][0] for t in graded["tests"])
                  for student, scores in graded["scores"].items() if student.startswith("liar_")}
        assert earned and not any(earned.values()), f"{graded['name']}: liars earned points: {earned}"


    def test_each_mistake_is_caught_by_its_own_hint_on_its_own_question(self, graded):
        """Check every typical mistake: less than full marks on its question, its hint there and
        no other mistake's; every question without a mistake in the same notebook keeps its marks."""
        problems = []
        hints = {m.id: m.hint for m in graded["mistakes"] if m.hint}
        assert graded["mistakes"], f"{graded['name']} has no typical mistakes in mistakes.py"
        assert any(m.hint is None for m in graded["mistakes"]), (
            f"{graded['name']}: add one mistake that only the hidden tests catch (hint=None), "
            "so that the feedback's hiding of hidden tests is checked")
        for k, batch in enumerate(graded["batches"]):
            student = f"mistakes_{k + 1}"
            scores = graded["scores"][student]
            nb = graded["autograded"][student]
            mistaken = {f"{q}_tests" for q in batch}
            for m in batch.values():
                question = f"{m.question}_tests"
                if question not in scores:
                    problems.append(f"{m.id}: no test cell {question}")
                    continue
                if scores[question][0] >= scores[question][1]:
                    problems.append(f"{m.id}: earns full marks on {m.question}")
                said = messages([c for c in nb.cells if grade_id(c) == question])
                if m.hint and m.hint not in said:
                    problems.append(f"{m.id}: its hint {m.hint!r} is not what {question} says: "
                                    f"{said[-300:]!r}")
                fired = [other for other, hint in hints.items() if other != m.id and hint in said]
                if fired:
                    problems.append(f"{m.id}: {question} also shows the hints of {fired}")
                if m.hint is None and HIDDEN_FAILED not in page_text(graded["feedback"][student]):
                    problems.append(f"{m.id}: its feedback does not say that a hidden test failed")
            others = {t: scores[t] for t in graded["tests"]
                      if t not in mistaken and scores[t][0] != scores[t][1]}
            if others:
                problems.append(f"{', '.join(m.id for m in batch.values())}: also lose points "
                                f"on {others}")
            unmistaken = [c for c in nb.cells if grade_id(c) not in mistaken]
            stray = [i for i, hint in hints.items() if hint in messages(unmistaken)]
            if stray:
                problems.append(f"{', '.join(m.id for m in batch.values())}: questions without a "
                                f"mistake show the hints of {stray}")
        assert not problems, f"{graded['name']}:\n" + "\n".join(problems)


    def test_feedback_shows_no_hidden_test(self, graded):
        """Check that no feedback contains a hidden test's source or a failing hidden assert's text."""
        release_text = json.dumps(graded["release"].cells)
        hidden = [line.strip() for cell in graded["source"].cells for block in HIDDEN.findall(cell.source)
                  for line in block.splitlines()]
        # lines that also appear in the release (e.g. a type check repeated) are not secrets
        hidden = [line for line in hidden if len(line) > 8 and line not in release_text]
        assert hidden, f"{graded['name']} has no hidden tests"
        leaks = []
        for student, page in graded["feedback"].items():
            text = page_text(page)
            leaks += [(student, line) for line in hidden if line in text]
        assert not leaks, f"hidden tests in feedback: {leaks[:5]}"


    def test_feedback_shows_no_mark_scheme(self, graded):
        """Check that the coach's mark schemes never reach a learner's feedback."""
        scheme = [line.strip() for cell in graded["source"].cells for block in MARK_SCHEME.findall(cell.source)
                  for line in block.splitlines() if len(line.strip()) > 8]
        leaks = [(student, line) for student, page in graded["feedback"].items()
                 for line in scheme if line in page_text(page)]
        assert not leaks, f"mark scheme in feedback: {leaks[:3]}"


for _name in ASSIGNMENTS:  # TestSoundness_00_welcome, TestSoundness_02_staff_an_interval, ...
    _cls = f"TestSoundness_{_name.replace('-', '_')}"
    globals()[_cls] = type(_cls, (Soundness,), {"name": _name, "__doc__": f"The checks, for {_name}."})
