"""The ``opsfirst`` command: one program, one subcommand per task.

Wiring only: each subcommand is a function ``_add_<name>(subparsers)`` that declares its
arguments and sets ``func`` to the function that runs it (the work is in
:mod:`opsfirst.assignments`); that function returns the exit code. Bad input is a
:class:`opsfirst.assignments.errors.CommandError`, caught once in :func:`main`: one line on
stderr and exit code 2, never a traceback.

Every command that touches a course finds it the same way: ``--course-root DIR``, else
``$OPSFIRST_ROOT``, else the folder it runs in or the nearest folder above it holding
``nbgrader_config.py`` (:func:`opsfirst.assignments.course.find_root`).

Examples
--------
>>> parser = build_parser()
>>> parser.parse_args(["check", "my.ipynb"]).notebook
'my.ipynb'
"""

from __future__ import annotations

import argparse
import sys

from opsfirst import __version__

EXIT_BAD_INPUT = 2
EXIT_NOT_RIGHT = 1  #: `opsfirst check --strict`: a question checked is not right

DESCRIPTION = "opsfirst: the course kit's command for learners and coaches."
EPILOG = "Run `opsfirst COMMAND --help` for what a command does, e.g. `opsfirst check --help`."

CHECK_DESCRIPTION = """\
Check your answers to an assignment before you hand it in.

Your notebook runs from the top in a fresh Python, with the assignment's own
test cells put back as they were released, and each question is reported as
  right          it passes the checks (below),
  not yet        it does not: with a hint about the likely mistake
                 (never the answer),
  not attempted  the answer cell is still as you received it.
Written answers are left for your coach to read.

Where this copy of the course holds the assignment's source (solutions/, as
a clone of the kit does), the hidden tests (those your coach's autograder
runs) run here too, and "right" means an answer passes the visible checks
and the hidden tests. A hidden test is never shown: not its code, its
message or its numbers; where one fails you are told "not yet" and what to
look at again. Where the course has no sources (a cohort's server), "right"
means "passes the visible checks", and the report says so.
Your notebook file is not changed. Save it (Ctrl+S) before you check."""

CHECK_EPILOG = """\
examples:
  opsfirst check exercises/02-staff-an-interval/02-staff-an-interval.ipynb
  opsfirst check --strict my-00-welcome.ipynb && echo "all right"

exit code: 0 whatever the score; with --strict, 1 when any question checked
here is not right (not yet, not attempted or not checked; written answers,
which your coach marks, do not count); 2 when the file cannot be checked."""


COURSE_HELP = ("the course folder, the one holding nbgrader_config.py (default: this folder or "
               "the nearest one above it that holds one; or $OPSFIRST_ROOT)")


def _add_course_root(parser) -> None:
    parser.add_argument("--course-root", default=None, metavar="DIR", help=COURSE_HELP)


def _add_check(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="check your answers to an assignment (right / not yet / not attempted)",
        description=CHECK_DESCRIPTION, epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", metavar="NOTEBOOK",
                        help="your assignment notebook (.ipynb), e.g. "
                             "exercises/00-welcome/00-welcome.ipynb")
    parser.add_argument("--timeout", type=int, default=60, metavar="SECONDS",
                        help="stop a cell that runs longer than this (default: %(default)s)")
    parser.add_argument("--kernel", default=None, metavar="NAME",
                        help="Jupyter kernel to run the notebook in (default: the assignment's, "
                             "usually python3)")
    parser.add_argument("--strict", action="store_true",
                        help="exit with code 1 unless every question checked here is right "
                             "(for scripts)")
    _add_course_root(parser)
    parser.set_defaults(func=_run_check, command="check")


def _run_check(args) -> int:
    from opsfirst.assignments.check import check, format_report

    def starting(assignment: str) -> None:
        print(f"Checking {args.notebook} ({assignment}) in a fresh Python: up to a minute...",
              flush=True)

    report = check(args.notebook, args.course_root, kernel_name=args.kernel,
                   timeout=args.timeout, on_start=starting)
    print()
    print(format_report(report))
    return EXIT_NOT_RIGHT if args.strict and not report.all_right else 0


REPORT_DESCRIPTION = """\
Write the cohort report of an assignment: one HTML page for the coach.

It reads the course's gradebook and autograded notebooks (where its
nbgrader_config.py puts them), after `opsfirst grade` or `nbgrader autograde`,
and shows:
  - the score distribution of the autograded points,
  - each question's pass rate (full marks / partial / zero),
  - the most common mistakes, by the hint their visible check gave,
  - the written answers still waiting for your marks,
  - what to re-teach: the hardest questions and what went wrong.
The page is self-contained (plots inside it, nothing fetched from the web)
and shows no hidden test. The gradebook is only read, never changed."""

REPORT_EPILOG = """\
example:
  opsfirst report 02-staff-an-interval
  opsfirst report 00-welcome --output ~/cohort-00.html

exit code: 0 when the page is written; 2 for an unknown assignment, no
gradebook yet, or no graded student."""


def _add_report(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="a cohort report for the coach: scores, pass rates, mistakes, written answers",
        description=REPORT_DESCRIPTION, epilog=REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", metavar="ASSIGNMENT",
                        help="the assignment's name, e.g. 02-staff-an-interval")
    _add_course_root(parser)
    parser.add_argument("--output", default=None, metavar="PATH",
                        help="where to write the page (default: reports/ASSIGNMENT-report.html "
                             "beside the gradebook, .nbgrader/ in the kit's configuration)")
    parser.set_defaults(func=_run_report, command="report")


def _run_report(args) -> int:
    from opsfirst.assignments.report import write_report

    print(write_report(args.assignment, args.course_root, args.output))
    return 0


GRADE_DESCRIPTION = """\
Grade a cohort's notebooks for one assignment with nbgrader.

SUBMISSIONS is a folder or a .zip of notebooks as the learners returned
them. Each file is matched to a student by its name (below), checked (a
readable notebook made from this assignment's release, one per student),
collected into the course's nbgrader layout and autograded on every core
with a progress bar; then each student's feedback is made (no hidden tests,
no mark schemes). The gradebook is backed up first and put back if the run
fails. A grades CSV is written (written answers still waiting say "needs
manual grading", not 0; a "warnings" column names a kernel that died or
suspected tampering) and a cohort summary is printed.

Run as root on Linux, each student's kernel runs sandboxed: as its own
unprivileged user, in a private read-only view of the system with no
gradebook, solutions, .git, submissions or other students' work, and with
memory and process limits. Elsewhere the summary says the kernels are not
isolated, and why.

Run it again when more submissions arrive: only new students and changed
files are graded again -- and every submission whose grading changed: after
you fix the assignment's source (a hidden test, points, a mark scheme), or
when the kit's grading code or the course's nbgrader_config.py changed.
Marks you gave by hand are kept. --regrade grades everyone again."""

GRADE_EPILOG = """\
how files are matched to students:
  jane.doe_02-staff-an-interval.ipynb                  -> jane_doe
  Jane Doe - 02-staff-an-interval.ipynb                -> jane_doe
  02-staff-an-interval (Jane Doe).ipynb                -> jane_doe
  jane.doe/02-staff-an-interval.ipynb  (a folder each)  -> jane_doe
  Jane Doe_12345_assignsubmission_file_/work.ipynb     -> jane_doe  (Moodle)
  doejane_LATE_1234_5678_02-staff-an-interval-1.ipynb  -> doejane   (Canvas)
  The assignment's name, numbers (student numbers, dates, "(1)") and LMS
  words (assignsubmission file onlinetext submission attempt late copy of
  final resubmit notebook) are taken out; what is left is the name, or the
  folder's name when nothing is left or the file name does not contain the
  assignment's (a folder holding files named for several students, like an
  LMS download's wrapper folder, names nobody). The student id: accents off
  (e->e, ss for sharp s), apostrophes dropped, lower-case, words joined by "_".

reported on one line each and not graded (the rest is graded):
  a file with no name part; a name with non-Latin letters (rename it);
  two different files for one student; a file that is not a notebook or
  cannot be read; a notebook of another assignment; a link; a file over
  50 MB (as unpacked), and what is past 5,000 files or 2 GB in all.

examples:
  opsfirst grade 02-staff-an-interval ~/Downloads/submissions.zip
  opsfirst grade 00-welcome returned/ --jobs 2

the course: this folder or the nearest one above it holding
  nbgrader_config.py (or --course-root DIR, or $OPSFIRST_ROOT); every path
  comes from that course's nbgrader configuration.
deadlines: c.OpsfirstDeadlines.due / .timezone / .extensions in the course's
  nbgrader_config.py; the CSV then says when each learner handed in, when it
  was due for them and how late (course/coach-guide.md, "Deadlines").
writes, beside the gradebook (.nbgrader/ in the kit's configuration):
  grades-ASSIGNMENT.csv, gradebook.db.before-grade (the backup),
  opsfirst-grade-ASSIGNMENT.json (what was graded) and grade-ASSIGNMENT.log
  (nbgrader's log); the feedback goes to the course's feedback folder.
manual grading: JupyterLab (make lab) -> Nbgrader -> Formgrader -> Manual Grading.

exit code: 0 if anything was graded (or nothing new needed grading);
  2 if nothing could be graded, or for bad input (no such assignment)."""


def _add_grade(subparsers) -> None:
    parser = subparsers.add_parser(
        "grade", help="coach: grade a folder or zip of submissions (nbgrader, all cores)",
        description=GRADE_DESCRIPTION, epilog=GRADE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", metavar="ASSIGNMENT", help="e.g. 02-staff-an-interval")
    parser.add_argument("submissions", metavar="SUBMISSIONS",
                        help="a folder or .zip of the learners' notebooks")
    _add_course_root(parser)
    parser.add_argument("--jobs", type=_positive, default=None, metavar="N",
                        help="grading processes (default: one per core)")
    parser.add_argument("--export", choices=("canvas", "moodle", "csv"), default=None,
                        help="also write the grades as the LMS imports them (needs `opsfirst "
                             "roster import` first for canvas and moodle)")
    parser.add_argument("--regrade", action="store_true",
                        help="grade every submission again, even those that have not changed")
    parser.add_argument("--no-sandbox", dest="sandbox", action="store_false", default=None,
                        help="do not sandbox the kernels even where it is possible (only to "
                             "find out whether the sandbox is what breaks a notebook)")
    parser.set_defaults(func=_run_grade, command="grade")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def _run_grade(args) -> int:
    from opsfirst.assignments.grade import format_summary, grade

    run = grade(args.assignment, args.submissions, course_root=args.course_root, jobs=args.jobs,
                progress=True, sandbox=args.sandbox, regrade=args.regrade, export=args.export)
    print()
    print(format_summary(run))
    return run.exit_code


RELEASE_DESCRIPTION = """\
Make the student version of assignments from their sources (nbgrader's
generate_assignment, forced): solutions, hidden tests and mark schemes out.
In the kit: solutions/NN-slug/ -> exercises/NN-slug/ (`make release`)."""


def _add_release(subparsers) -> None:
    parser = subparsers.add_parser(
        "release", help="coach: make the student version of assignments (nbgrader)",
        description=RELEASE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help="which ones (default: every assignment of the course)")
    _add_course_root(parser)
    parser.set_defaults(func=_run_release, command="release")


def _run_release(args) -> int:
    from opsfirst.assignments.course import Course, release

    release(Course.load(args.course_root), args.assignments)
    return 0


EXCHANGE_DESCRIPTION = """\
Put every released assignment into the course's nbgrader exchange, so
learners see it in JupyterLab under Nbgrader > Assignment List (and record it
in the gradebook, so it can be autograded). `make lab` runs it first."""


def _add_exchange(subparsers) -> None:
    parser = subparsers.add_parser(
        "exchange", help="coach: put the released assignments in the exchange (Assignment List)",
        description=EXCHANGE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_course_root(parser)
    parser.set_defaults(func=_run_exchange, command="exchange")


def _run_exchange(args) -> int:
    from opsfirst.assignments.course import Course, exchange

    exchange(Course.load(args.course_root))
    return 0


ROSTER_DESCRIPTION = """\
Read the class list as your LMS exports it, so grades can go back into it:
Canvas (Grades > Export: Student, ID, SIS User ID, SIS Login ID, Section) or
Moodle (Grades > Export, or the participants list: First name, Last name,
Email address ...). Each learner gets one student id (their login, else their
e-mail's name, else their name) in nbgrader's students table; `opsfirst
grade` then files each submission under its learner, and says which files
name nobody on the list and who on it handed nothing in."""


def _add_roster(subparsers) -> None:
    parser = subparsers.add_parser(
        "roster", help="coach: import the class list from Canvas or Moodle",
        description=ROSTER_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("import",), help="import: read FILE")
    parser.add_argument("file", metavar="FILE", help="the roster as the LMS exported it (.csv)")
    _add_course_root(parser)
    parser.set_defaults(func=_run_roster, command="roster")


def _run_roster(args) -> int:
    from opsfirst.assignments.course import Course
    from opsfirst.assignments.lms import import_roster

    roster = import_roster(Course.load(args.course_root), args.file)
    print(f"{len(roster.learners)} learners from a {roster.source.title()} roster: "
          + ", ".join(f"{x.name} ({x.id})" for x in roster.learners[:5])
          + (" ..." if len(roster.learners) > 5 else ""))
    return 0


EXPORT_DESCRIPTION = """\
Write an assignment's grades as your LMS's gradebook import takes them, from
the last `opsfirst grade`: canvas or moodle (one row per learner on the
roster; written answers not yet marked, or nothing handed in, give an empty
cell, never 0), or csv (opsfirst's own grades CSV)."""


def _add_export(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="coach: grades as Canvas or Moodle import them",
        description=EXPORT_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", metavar="ASSIGNMENT", help="e.g. 02-staff-an-interval")
    parser.add_argument("--format", required=True, choices=("canvas", "moodle", "csv"))
    parser.add_argument("--output", default=None, metavar="PATH",
                        help="where to write it (default: FORMAT-ASSIGNMENT.csv beside the gradebook)")
    _add_course_root(parser)
    parser.set_defaults(func=_run_export, command="export")


def _run_export(args) -> int:
    from opsfirst.assignments.course import Course
    from opsfirst.assignments.lms import export

    print(export(Course.load(args.course_root), args.assignment, args.format, output=args.output))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``opsfirst`` parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="opsfirst", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"opsfirst {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_check(subparsers)
    _add_grade(subparsers)
    _add_report(subparsers)
    _add_release(subparsers)
    _add_exchange(subparsers)
    _add_roster(subparsers)
    _add_export(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``opsfirst``; returns the exit code (the console script passes it to ``sys.exit``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    from opsfirst.assignments.errors import CommandError

    try:
        return args.func(args)
    except CommandError as error:
        print(f"opsfirst {args.command}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("opsfirst: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
