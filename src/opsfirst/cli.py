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


def build_parser() -> argparse.ArgumentParser:
    """The ``opsfirst`` parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="opsfirst", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"opsfirst {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_check(subparsers)
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
