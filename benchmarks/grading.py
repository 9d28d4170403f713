"""Speed of ``opsfirst grade`` against plain sequential ``nbgrader autograde`` (``make bench``).

A synthetic cohort of 40 submissions of 02-staff-an-interval: the solution and each typical
mistake of ``solutions/02-staff-an-interval/mistakes.py`` (the solution with that one answer
replaced, as tests/test_assignments.py makes them), cycled to 40 students named ``student01`` to
``student40``, as a folder of files ``student01_02-staff-an-interval.ipynb`` and so on.
(``student_01`` would not do: ``opsfirst grade`` drops digit-only words from file names as
student numbers, so every file would name the student ``student``.)

Temporary courses (``opsfirst.assignments.course.scratch_course``), each with the repository's
``nbgrader_config.py`` and the assignment's source (nothing is written to the repository's own
``.nbgrader/``), graded in this one run, each side twice, in the order nbgrader, opsfirst,
opsfirst, nbgrader, each round on a fresh course (this machine's speed drifts by 10-20% over
minutes; in this order a drift weighs on both sides alike):

* **nbgrader**: the assignment is put into the gradebook with ``nbgrader generate_assignment``
  (not timed), the submissions are collected into nbgrader's layout
  (``.nbgrader/submitted/<student>/<assignment>/``), then ``nbgrader autograde ASSIGNMENT
  --create`` is timed, and after it ``nbgrader generate_feedback ASSIGNMENT``, timed separately.
* **opsfirst**: ``opsfirst.assignments.grade.grade(ASSIGNMENT, folder)`` (what ``opsfirst grade`` runs) with
  the default workers, one per core. Its time covers everything the command does: sorting out
  the files, loading the assignment into the gradebook, autograding, feedback, the CSV.

Both gradebooks must hold the same autograded score for every test cell of every student, and
the solution must earn every point while each mistake loses some, so a fast wrong answer shows:
the script exits 1 otherwise. Times are wall times of this one run, the mean of each side's two
rounds; the ratios are printed, never asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from opsfirst.assignments.course import mistakes_of, scratch_course
from opsfirst.assignments.notebooks import fill

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "02-staff-an-interval"
STUDENTS = 40
TARGET = 1.9  # issue 26: with every protection on
BIN = Path(sys.executable).parent


def cohort() -> dict[str, tuple[str, object]]:
    """``{student: (variant, notebook)}``: the solution and every mistake, cycled to 40."""
    source = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    variants = [("solution", fill(release, source))]
    variants += [(m.id, fill(release, source, {m.question: m.code})) for m in mistakes_of(ASSIGNMENT)]
    return {f"student{i + 1:02d}": variants[i % len(variants)] for i in range(STUDENTS)}


def nbgrader(*args, cwd: Path) -> float:
    """Run the nbgrader CLI in ``cwd``; its wall time in seconds (exit 1 if it fails)."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return seconds


def autograded_scores(course: Path) -> dict[str, dict[str, float]]:
    """``{student: {test cell: autograded score}}`` from a course's gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment(ASSIGNMENT).submissions:
            notebook = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, submission.student.id)
            scores[submission.student.id] = {g.name: g.auto_score for g in notebook.grades
                                             if g.auto_score is not None}
            scores[submission.student.id]["_max"] = sum(
                g.max_score for g in notebook.grades if g.auto_score is not None)
    return scores


def grade_with_nbgrader(tmp: Path, students, label: str) -> tuple[float, float, dict]:
    """Plain nbgrader on a fresh course: generated (not timed), the submissions collected into
    its layout, one sequential autograde, then feedback; (autograde s, feedback s, scores)."""
    plain = scratch_course(tmp / f"nbgrader-{label}", [ASSIGNMENT], generate=True)
    for student, (_, nb) in students.items():
        dest = plain / ".nbgrader" / "submitted" / student / ASSIGNMENT
        dest.mkdir(parents=True)
        nbformat.write(nb, dest / f"{ASSIGNMENT}.ipynb")
    t_auto = nbgrader("autograde", ASSIGNMENT, "--create", cwd=plain)
    t_feedback = nbgrader("generate_feedback", ASSIGNMENT, cwd=plain)
    print(f"  nbgrader, round {label}: autograde {t_auto:.0f} s, generate_feedback {t_feedback:.0f} s",
          flush=True)
    return t_auto, t_feedback, autograded_scores(plain)


def grade_with_opsfirst(tmp: Path, folder: Path, label: str, wrong: list):
    """``opsfirst grade`` (what the command runs) on a fresh course; (seconds, run, scores)."""
    from opsfirst.assignments import grade as g

    ours = scratch_course(tmp / f"opsfirst-{label}", [ASSIGNMENT])
    problems = []
    start = time.perf_counter()
    run = g.grade(ASSIGNMENT, folder, course_root=ours, progress=False, report=problems.append)
    seconds = time.perf_counter() - start
    print(f"  opsfirst grade, round {label}: {seconds:.0f} s on {run.jobs} worker(s)", flush=True)
    wrong += [f"opsfirst grade: {p}" for p in problems]
    if len(run.graded) != STUDENTS:
        wrong.append(f"opsfirst graded {len(run.graded)} of {STUDENTS} (failed: {run.failed})")
    return seconds, run, autograded_scores(ours)


def main() -> int:
    import warnings

    warnings.filterwarnings("ignore")
    from opsfirst.assignments import grade as g

    started = time.perf_counter()
    cores = g.cores()
    students = cohort()
    variants = len({v for v, _ in students.values()})
    print(f"{STUDENTS} submissions of {ASSIGNMENT} ({variants} variants: the solution and "
          f"{variants - 1} typical mistakes, cycled) on {cores} core(s); each side graded twice, "
          "in the order nbgrader, opsfirst, opsfirst, nbgrader, each on a fresh course\n",
          flush=True)

    wrong: list[str] = []
    with tempfile.TemporaryDirectory(prefix="opsfirst-bench-grading-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "returned"
        folder.mkdir()
        for student, (_, nb) in students.items():
            nbformat.write(nb, folder / f"{student}_{ASSIGNMENT}.ipynb")
        # ABBA: a machine that speeds up or slows down during the run weighs on both sides alike
        a1, f1, theirs = grade_with_nbgrader(tmp, students, "1")
        o1, run, mine = grade_with_opsfirst(tmp, folder, "1", wrong)
        o2, _, mine2 = grade_with_opsfirst(tmp, folder, "2", wrong)
        a2, f2, theirs2 = grade_with_nbgrader(tmp, students, "2")
        print()

        # the same autograded scores on both sides, and scores that tell the variants apart
        for label, scores in (("nbgrader round 2", theirs2), ("opsfirst round 2", mine2)):
            if scores != theirs:
                wrong.append(f"{label}: scores differ from nbgrader round 1's")
        for student, (variant, _) in students.items():
            a, b = theirs.get(student), mine.get(student)
            if a is None or b is None:
                wrong.append(f"{student}: missing from the {'nbgrader' if a is None else 'opsfirst'} gradebook")
            elif a != b:
                diff = {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
                wrong.append(f"{student} ({variant}): nbgrader / opsfirst differ: {diff}")
            else:
                total = sum(v for k, v in a.items() if k != "_max")
                if (total == a["_max"]) != (variant == "solution"):
                    wrong.append(f"{student} ({variant}): {total:g} of {a['_max']:g} on both sides")
        same = sum(1 for s in students if s in theirs and theirs[s] == mine.get(s))
        totals = sorted(sum(v for k, v in mine[s].items() if k != "_max") for s in mine)
        top = next(iter(mine.values()))["_max"] if mine else 0

    def rate(seconds):
        return STUDENTS / seconds * 60

    t_auto, t_feedback, t_ours = (a1 + a2) / 2, (f1 + f2) / 2, (o1 + o2) / 2
    print(f"{'grading ' + str(STUDENTS) + ' submissions (mean of 2 rounds)':52} {'time':>7} "
          f"{'per minute':>11} {'vs autograde':>13}")
    rows = [("nbgrader autograde (sequential)", t_auto),
            ("nbgrader autograde + generate_feedback", t_auto + t_feedback),
            (f"opsfirst grade ({run.jobs} workers, with feedback)", t_ours)]
    for name, seconds in rows:
        print(f"{name:52} {seconds:6.0f}s {rate(seconds):11.1f} {t_auto / seconds:12.2f}x")
    print(f"\n- same autograded scores for {same} of {STUDENTS} students (every test cell); "
          f"totals out of {top:g}: min {totals[0]:g}, median {totals[len(totals) // 2]:g}, "
          f"max {totals[-1]:g}" if totals else "")
    print(f"- each round's ratio: {a1 / o1:.2f}x (nbgrader round 1 / opsfirst round 1), "
          f"{a2 / o2:.2f}x (round 2 / round 2)")
    print(f"- target: opsfirst grade >= {TARGET}x sequential nbgrader autograde on 2 cores: "
          f"{t_auto / t_ours:.2f}x on {cores} core(s) "
          f"({(t_auto + t_feedback) / t_ours:.2f}x against autograde + generate_feedback)")
    print(f"- total run time of this benchmark: {time.perf_counter() - started:.0f} s")
    for line in wrong:
        print(f"WRONG: {line}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
