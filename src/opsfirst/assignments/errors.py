"""The one kind of error a command reports as one line (exit code 2), never a traceback.

Each command's bad input is a :class:`CommandError`; ``opsfirst``'s command line
(:mod:`opsfirst.cli`) catches it in one place and prints ``opsfirst COMMAND: message``.
"""

from __future__ import annotations

__all__ = ["CommandError", "CourseError", "CheckError", "ReportError", "GradeError"]


class CommandError(Exception):
    """Bad input for a command: the message is one line for the person who ran it."""


class CourseError(CommandError):
    """No course where the command looked, or a course that cannot be read."""


class CheckError(CommandError):
    """``opsfirst check``: a file that cannot be checked (missing, not a notebook, unknown)."""


class ReportError(CommandError):
    """``opsfirst report``: no such assignment, no gradebook yet, nobody graded."""


class GradeError(CommandError):
    """``opsfirst grade``: bad input for the whole run (no such assignment, no such folder)."""
