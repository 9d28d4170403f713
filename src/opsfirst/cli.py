"""The ``opsfirst`` command: one program, one subcommand per task.

Each subcommand is a function ``_add_<name>(subparsers)`` that declares its arguments and sets
``func`` to the function that runs it; that function returns the exit code. Bad input is a
:class:`opsfirst.check.CheckError` (or another subcommand's own error): one line on stderr and
exit code 2, never a traceback.

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

DESCRIPTION = "opsfirst: the course kit's command for learners and coaches."
EPILOG = "Run `opsfirst COMMAND --help` for what a command does, e.g. `opsfirst check --help`."

CHECK_DESCRIPTION = """\
Check your answers to an assignment before you hand it in.

Your notebook runs from the top in a fresh Python, with the assignment's own
test cells put back as they were released, and each question is reported as
  right          it passes the visible checks,
  not yet        it does not: with a hint about the likely mistake
                 (never the answer),
  not attempted  the answer cell is still as you received it.
Written answers are left for your coach to read.

Hidden tests, run by your coach's autograder, check more than the visible
checks do, so "right" here means "passes the visible checks".
Your notebook file is not changed. Save it (Ctrl+S) before you check."""

CHECK_EPILOG = """\
example:
  opsfirst check exercises/02-staff-an-interval/02-staff-an-interval.ipynb

exit code: 0 whatever the score; 2 when the file cannot be checked."""


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
    parser.set_defaults(func=_run_check, command="check")


def _run_check(args) -> int:
    from opsfirst.check import check, format_report

    def starting(assignment: str) -> None:
        print(f"Checking {args.notebook} ({assignment}) in a fresh Python, a few seconds...",
              flush=True)

    report = check(args.notebook, kernel_name=args.kernel, timeout=args.timeout,
                   on_start=starting)
    print()
    print(format_report(report))
    return 0


REPORT_DESCRIPTION = """\
Write the cohort report of an assignment: one HTML page for the coach.

It reads the gradebook (.nbgrader/gradebook.db) and the autograded notebooks
of the course, after `opsfirst grade` or `nbgrader autograde`, and shows:
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
    parser.add_argument("--course-root", default=None, metavar="DIR",
                        help="the course folder holding solutions/ and .nbgrader/ "
                             "(default: this repository)")
    parser.add_argument("--output", default=None, metavar="PATH",
                        help="where to write the page (default: "
                             "<course-root>/.nbgrader/reports/ASSIGNMENT-report.html)")
    parser.set_defaults(func=_run_report, command="report")


def _run_report(args) -> int:
    from opsfirst.report import ReportError, write_report

    if args.course_root is None:
        from opsfirst._course import ROOT as root
    else:
        root = args.course_root
    try:
        path = write_report(args.assignment, root, args.output)
    except ReportError as error:
        print(f"opsfirst report: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``opsfirst`` parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="opsfirst", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"opsfirst {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_check(subparsers)
    _add_report(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``opsfirst``; returns the exit code (the console script passes it to ``sys.exit``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    from opsfirst.check import CheckError

    try:
        return args.func(args)
    except CheckError as error:
        print(f"opsfirst {args.command}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("opsfirst: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
