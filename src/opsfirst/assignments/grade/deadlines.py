"""Due dates, extensions and late submissions, as the course's ``nbgrader_config.py`` sets them.

nbgrader already knows what *late* means: an assignment's ``duedate`` and a submission's
``extension`` (both in the gradebook), the submission's ``timestamp`` (the ``timestamp.txt``
``nbgrader collect`` writes beside it), and a late-penalty plugin run by ``autograde``
(``LateSubmissionPlugin``: ``penalty_method = "none"``, the default, or ``"zero"``; a course may
name its own plugin class). What nbgrader lacks is a place to *write down* the due dates and
the extensions for a whole course: this is it. In ``nbgrader_config.py``::

    c.OpsfirstDeadlines.due = {"00-welcome": "2026-12-10 17:00", "02-staff-an-interval": "2026-12-17 17:00"}
    c.OpsfirstDeadlines.timezone = "Europe/London"        # how to read the dates above (default UTC)
    c.OpsfirstDeadlines.extensions = {"jane_doe": {"02-staff-an-interval": 48}}   # hours, per learner
    c.LateSubmissionPlugin.penalty_method = "zero"        # optional: nbgrader's own penalty

``opsfirst grade`` writes the due date and each extension into the gradebook before grading,
so nbgrader computes how late each submission is and applies the penalty, and the grades CSV
says when each learner handed in, when it was due for them, and how late. A download from an
LMS carries no nbgrader timestamp; Canvas marks a late one with ``LATE`` in its file name,
which is kept (``late: yes (the LMS marked it late)``) instead of being thrown away.

>>> parse_due("2026-12-10 17:00", "Europe/London")
datetime.datetime(2026, 12, 10, 17, 0)
>>> parse_due("2026-07-10 17:00", "Europe/London")      # summer time: 16:00 UTC
datetime.datetime(2026, 7, 10, 16, 0)
>>> late_words(7380.0)
'yes, 2 h 3 min late'
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from ..errors import GradeError

__all__ = ["Deadlines", "deadlines", "parse_due", "late_words"]

SECTION = "OpsfirstDeadlines"


def parse_due(text: str, timezone: str = "UTC") -> dt.datetime:
    """A due date as nbgrader stores it (naive UTC), from ``YYYY-MM-DD HH:MM`` in ``timezone``
    (or with its own UTC offset, ``2026-12-10T17:00+00:00``)."""
    try:
        when = dt.datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise GradeError(f"{SECTION}.due: {text!r} is not a date and time; write it like "
                         "'2026-12-10 17:00'") from None
    if when.tzinfo is None:
        try:
            when = when.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise GradeError(f"{SECTION}.timezone: {timezone!r} is not a time zone; write it "
                             "like 'Europe/London' or 'UTC'") from None
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None)


@dataclass
class Deadlines:
    """One assignment's due date (naive UTC, or None) and each learner's extension."""

    due: dt.datetime | None = None
    extensions: dict[str, dt.timedelta] = field(default_factory=dict)


def deadlines(config, assignment: str) -> Deadlines:
    """What the course's config says of ``assignment`` (nothing configured: no due date)."""
    section = config[SECTION] if SECTION in config else {}
    timezone = section.get("timezone", "UTC")
    found = Deadlines()
    due = dict(section.get("due", {}) or {})
    if assignment in due:
        found.due = parse_due(due[assignment], timezone)
    for student, given in dict(section.get("extensions", {}) or {}).items():
        hours = dict(given or {}).get(assignment)
        if hours is None:
            continue
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours < 0:
            raise GradeError(f"{SECTION}.extensions[{student!r}][{assignment!r}]: {hours!r} is "
                             "not a number of hours; write e.g. 48 for two days")
        found.extensions[student] = dt.timedelta(hours=hours)
    return found


def late_words(seconds_late: float | None, lms_late: bool = False) -> str:
    """The CSV's ``late`` column: ``no``, ``yes, 2 h 3 min late``, or the LMS's word for it."""
    if seconds_late:
        minutes = round(seconds_late / 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"]
        return f"yes, {' '.join(parts)} late"
    if lms_late:
        return "yes (the LMS marked it late)"
    return "no" if seconds_late is not None else ""
