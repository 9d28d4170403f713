"""Grades into the LMS: the roster a coach downloads from Canvas or Moodle, and files they import.

**The roster.** ``opsfirst roster import FILE`` reads the class list as the LMS exports it:

- Canvas's gradebook export (*Grades > Export*): ``Student`` ("Doe, Jane"), ``ID``, ``SIS User
  ID``, ``SIS Login ID``, ``Section``, then one column per assignment; a ``Points Possible`` row
  and Canvas's ``Student, Test`` are skipped;
- Moodle's grade export (*Grades > Export > Plain text file*) or participants download: ``First
  name``, ``Last name``, ``ID number``, ``Email address`` (and ``Username`` if it has one).

Each learner gets one nbgrader student id, their login where the LMS gives one (Canvas's SIS
Login ID, Moodle's username), else the name part of their e-mail address, else their name, made
safe as ``opsfirst grade`` makes every id (:func:`.grade.names.student_id`). The learners go into
nbgrader's students table (name, e-mail, LMS id) and into ``roster.json`` beside the gradebook,
with every other spelling a file name may give them (``jane.doe``, ``Jane Doe``, Canvas's
``doejane`` download prefix, the e-mail's name): ``opsfirst grade`` then files each submission
under the learner's own id, says which files name nobody on the roster, and which learners on
it handed nothing in.

**The export.** ``opsfirst export ASSIGNMENT --format canvas|moodle|csv`` (or ``opsfirst grade
... --export FORMAT``) writes beside the gradebook a file each LMS's gradebook import takes as it
is: Canvas's columns ``Student, ID, SIS User ID, SIS Login ID, Section`` then the assignment,
with a ``Points Possible`` row; Moodle's ``First name, Last name, ID number, Institution,
Department, Email address`` then the assignment (map *Email address* to the user's e-mail when
importing). One row per learner on the roster. A grade is the total score (autograded, plus the
marks given by hand, less any late penalty); **a learner whose written answers still wait for
marking, who handed nothing in, or whose grading failed gets an empty cell, never 0** (both
LMSs leave an empty cell's grade as it is). ``csv`` is opsfirst's own grades CSV.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .course import Course
from .errors import CommandError
from .grade.names import student_id

__all__ = ["Learner", "Roster", "read_roster", "import_roster", "load_roster", "export",
           "FORMATS", "CANVAS_COLUMNS", "MOODLE_COLUMNS"]

FORMATS = ("canvas", "moodle", "csv")
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["First name", "Last name", "ID number", "Institution", "Department",
                  "Email address"]
ROSTER_FILE = "roster.json"


class RosterError(CommandError):
    """A roster file that cannot be read; the message names the file, row and fix."""


@dataclass
class Learner:
    """One learner as the LMS knows them."""

    id: str  #: the nbgrader student id opsfirst gives them
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_id: str = ""  #: Canvas's ID, Moodle's ID number
    sis_id: str = ""  #: Canvas's SIS User ID
    login: str = ""  #: Canvas's SIS Login ID, Moodle's username
    section: str = ""
    aliases: list[str] = field(default_factory=list)  #: other ids a file name may give them

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.id


@dataclass
class Roster:
    source: str  #: "canvas" or "moodle"
    learners: list[Learner]

    def by_alias(self) -> dict[str, str]:
        """Every spelling of a learner's id -> their id; a spelling two learners share is left
        out (it names neither for sure)."""
        seen: dict[str, set[str]] = {}
        for learner in self.learners:
            for alias in {learner.id, *learner.aliases}:
                seen.setdefault(alias, set()).add(learner.id)
        return {alias: ids.pop() for alias, ids in seen.items() if len(ids) == 1}


# --------------------------------------------------------------------------- reading

def _rows(path: Path) -> tuple[list[str], list[dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"{path} cannot be read as text ({error}); export the roster from "
                          "the LMS as CSV") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return header, [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _canonical(login: str, email: str, first: str, last: str) -> tuple[str | None, list[str]]:
    """The id and the other spellings of one learner."""
    local = email.split("@", 1)[0] if email else ""
    candidates = [login, local, f"{first} {last}"]
    canonical = next((sid for sid in map(student_id, candidates) if sid), None)
    aliases = {student_id(x) for x in (login, local, email, f"{first} {last}", f"{last} {first}",
                                       f"{last}{first}".replace(" ", "").replace("-", "")
                                       .replace("'", ""))}
    return canonical, sorted(a for a in aliases if a and a != canonical)


def read_roster(path: str | os.PathLike) -> Roster:
    """Read a Canvas or Moodle roster export (see the module's doc)."""
    path = Path(path)
    header, rows = _rows(path)
    if "Student" in header and ({"ID", "SIS User ID", "SIS Login ID"} & set(header)):
        source = "canvas"
    elif {"First name", "Last name"} <= set(header):
        source = "moodle"
    else:
        raise RosterError(
            f"{path.name} is not a roster opsfirst knows: its first row is {', '.join(header[:6])}"
            f"{' ...' if len(header) > 6 else ''}; export it from Canvas (Grades > Export: "
            f"{', '.join(CANVAS_COLUMNS)}) or Moodle (First name, Last name, Email address ...)")
    learners, ids = [], {}
    for number, row in enumerate(rows, start=2):
        if source == "canvas":
            student = row.get("Student", "")
            if not student or student.lower().strip() in ("points possible", "student, test",
                                                            "test student"):
                continue
            last, _, first = student.partition(",") if "," in student else ("", "", student)
            first, last = first.strip(), last.strip()
            email = row.get("Email", "") or row.get("Email address", "")
            login = row.get("SIS Login ID", "")
            extra = dict(lms_id=row.get("ID", ""), sis_id=row.get("SIS User ID", ""),
                         login=login, section=row.get("Section", ""))
        else:
            first, last = row.get("First name", ""), row.get("Last name", "")
            if not (first or last):
                continue
            email, login = row.get("Email address", ""), row.get("Username", "")
            extra = dict(lms_id=row.get("ID number", ""), login=login,
                         section=row.get("Department", "") or row.get("Groups", ""))
        sid, aliases = _canonical(login, email, first, last)
        if sid is None:
            raise RosterError(f"{path.name}, row {number}: no login, e-mail or Latin-letter name "
                              "to make a student id from; fix the row or remove it")
        if sid in ids:
            raise RosterError(f"{path.name}, rows {ids[sid]} and {number}: two learners would "
                              f"both be {sid!r}; give one of them a login or e-mail in the LMS")
        ids[sid] = number
        learners.append(Learner(sid, first, last, email, aliases=aliases, **extra))
    if not learners:
        raise RosterError(f"{path.name} has no learners in it (only its header)")
    return Roster(source, learners)


def import_roster(course: Course, path: str | os.PathLike) -> Roster:
    """Read the roster, put it into nbgrader's students table and beside the gradebook."""
    roster = read_roster(path)
    from nbgrader.api import Gradebook

    course.state_dir.mkdir(parents=True, exist_ok=True)
    course.api()  # puts this Python's bin on PATH: a new gradebook runs alembic by name
    with Gradebook(course.db_url, course.coursedir.course_id) as gb:
        for learner in roster.learners:
            gb.update_or_create_student(learner.id, first_name=learner.first_name or None,
                                        last_name=learner.last_name or None,
                                        email=learner.email or None,
                                        lms_user_id=learner.lms_id or learner.sis_id or None)
    target = course.state_dir / ROSTER_FILE
    target.write_text(json.dumps({"source": roster.source,
                                  "learners": [asdict(x) for x in roster.learners]}, indent=1))
    return roster


def load_roster(course: Course) -> Roster | None:
    """The roster imported into the course, or None."""
    path = course.state_dir / ROSTER_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return Roster(data["source"], [Learner(**x) for x in data["learners"]])


# --------------------------------------------------------------------------- writing

def _grade(row: dict | None):
    """The LMS's grade for one grades-CSV row: the total, or None (left empty, never 0)."""
    if not row or row.get("status") != "graded":
        return None
    total = row.get("total_score", "")
    try:
        return float(total)
    except (TypeError, ValueError):  # "needs manual grading", or nothing
        return None


def _number(x: float) -> str:
    return f"{x:g}"


def export(course: Course, assignment: str, fmt: str, rows: list[dict] | None = None,
           output: str | os.PathLike | None = None) -> Path:
    """Write ``assignment``'s grades for ``fmt`` (canvas, moodle or csv) and return the file."""
    if fmt not in FORMATS:
        raise CommandError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    roster = load_roster(course) if fmt != "csv" else None
    if fmt != "csv" and roster is None:
        raise CommandError(f"exporting to {fmt} needs the class list: download it from the LMS "
                           "and run `opsfirst roster import FILE` first")
    grades_csv = course.grades_csv(assignment)
    if rows is None:
        if not grades_csv.is_file():
            raise CommandError(f"no grades yet for {assignment} ({grades_csv} is missing): run "
                               f"`opsfirst grade {assignment} SUBMISSIONS` first")
        with open(grades_csv, newline="") as f:
            rows = list(csv.DictReader(f))
    if fmt == "csv":
        return grades_csv
    by_student = {r["student"]: r for r in rows}
    top = next((r.get("total_max") for r in rows if r.get("total_max") not in (None, "")), "")
    path = Path(output) if output else course.state_dir / f"{fmt}-{assignment}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if fmt == "canvas":
            writer.writerow(CANVAS_COLUMNS + [assignment])
            writer.writerow(["Points Possible", "", "", "", "", top])
            for x in roster.learners:
                grade = _grade(by_student.get(x.id))
                writer.writerow([f"{x.last_name}, {x.first_name}".strip(", "), x.lms_id, x.sis_id,
                                 x.login, x.section, "" if grade is None else _number(grade)])
        else:
            writer.writerow(MOODLE_COLUMNS + [assignment])
            for x in roster.learners:
                grade = _grade(by_student.get(x.id))
                writer.writerow([x.first_name, x.last_name, x.lms_id, "", x.section, x.email,
                                 "" if grade is None else _number(grade)])
    return path
