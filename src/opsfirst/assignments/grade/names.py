"""Who handed in what: from a folder or zip of returned notebooks to one notebook per learner.

The rules (the student id a file name gives, what is reported and left out) are in
:mod:`opsfirst.assignments.grade`'s documentation and ``opsfirst grade --help``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import notebooks as nbm
from ..errors import GradeError

__all__ = ["Problem", "Submission", "name_tokens", "student_id", "file_name_student", "name_file",
           "wrong_assignment", "collect_files", "sort_out", "LMS_WORDS"]

LMS_WORDS = {"assignsubmission", "file", "onlinetext", "submission", "submissions", "attempt",
             "late", "copy", "of", "final", "resubmit", "ipynb", "notebook"}
_SPLIT = re.compile(r"[\s_.\-()\[\]{},;+&]+")
_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o",
                          "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                          "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i"})
_APOSTROPHES = re.compile(r"['’‘`´]")
_NBGRADER_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")  # a folder nbgrader collect made


@dataclass
class Problem:
    """A file (or student) left out of the run, or a student whose grading failed."""

    what: str  #: the file as given (relative to SUBMISSIONS) or the student id
    message: str

    def __str__(self) -> str:
        return f"{self.what}: {self.message}"


@dataclass
class Submission:
    student: str
    path: Path  #: where the file is now (in SUBMISSIONS or the unpacked zip)
    label: str  #: the file as the coach sees it, relative to SUBMISSIONS
    sha256: str
    timestamp: str | None = None  #: when it was handed in, from nbgrader collect's timestamp.txt
    lms_late: bool = False  #: the LMS marked it late in its file name (Canvas: ``_LATE_``)




def _pattern(assignment: str) -> re.Pattern:
    parts = [re.escape(p) for p in re.split(r"[-_\s]+", assignment) if p]
    return re.compile(r"[-_\s]*".join(parts), re.I)


def name_tokens(text: str, assignments: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The words of ``text`` that name a person: assignment names, digits and LMS words out.

    >>> name_tokens("Jane Doe - 02-staff-an-interval", ["02-staff-an-interval"])
    ['Jane', 'Doe']
    >>> name_tokens("doejane_LATE_1234_5678_02-staff-an-interval-1", ["02-staff-an-interval"])
    ['doejane']
    >>> name_tokens("02_Staff_An_Interval (1)", ["02-staff-an-interval"])
    []
    """
    text = unicodedata.normalize("NFC", text)
    for assignment in sorted(assignments, key=len, reverse=True):
        text = _pattern(assignment).sub(" ", text)
    words = [w for w in _SPLIT.split(text) if w]
    return [w for w in words if not w.isdigit() and w.lower() not in LMS_WORDS]


def student_id(tokens: list[str] | str) -> str | None:
    """The nbgrader student id for a name: ASCII lower-case words joined by ``_``.

    ``None`` if the name has no letters or digits, or letters that have no a–z spelling.

    >>> student_id(["Jane", "Doe"]), student_id("jane.doe"), student_id("JANE  DOE")
    ('jane_doe', 'jane_doe', 'jane_doe')
    >>> student_id("Zoë O'Brien-Smith"), student_id("Jürgen Groß"), student_id("Søren")
    ('zoe_obrien_smith', 'jurgen_gross', 'soren')
    >>> student_id("Иван") is None, student_id("...") is None
    (True, True)
    """
    text = " ".join(tokens) if isinstance(tokens, list) else tokens
    text = _APOSTROPHES.sub("", text.translate(_SPECIAL))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if any(unicodedata.category(c).startswith("L") and not c.isascii() for c in text):
        return None
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "_".join(words) or None


def file_name_student(relative: str | PurePosixPath, assignments) -> str | None:
    """The student named by the file name alone, if it contains an assignment's name."""
    stem = PurePosixPath(relative).stem
    if not any(_pattern(a).search(stem) for a in assignments):
        return None
    tokens = name_tokens(stem, assignments)
    return student_id(tokens) if tokens else None


def name_file(relative: str | PurePosixPath, assignments: list[str] | tuple[str, ...],
              assignment: str, shared_folders: set[str] | frozenset = frozenset()
              ) -> tuple[str | None, str]:
    """The student a submitted file belongs to, from its path relative to SUBMISSIONS.

    Returns ``(student_id, "")``, or ``(None, why)`` when no id can be made. A folder in
    ``shared_folders`` (one that holds files named for several students, such as an LMS
    download's wrapper folder) never names a student.

    >>> name_file("jane.doe_02-staff-an-interval.ipynb", ["02-staff-an-interval"], "02-staff-an-interval")
    ('jane_doe', '')
    >>> name_file("jane.doe/02-staff-an-interval.ipynb", ["02-staff-an-interval"], "02-staff-an-interval")
    ('jane_doe', '')
    >>> name_file("02-staff-an-interval.ipynb", ["02-staff-an-interval"], "02-staff-an-interval")[0] is None
    True

    nbgrader's own layout (``nbgrader collect`` makes it: STUDENT/ASSIGNMENT/ASSIGNMENT.ipynb)
    takes the student id from the folder as it is — digits, ``-`` and ``.`` included — since
    nbgrader already knows the learner by it (a hub's user name, e.g. ``jupyter-amira``):

    >>> name_file("student_01/00-welcome/00-welcome.ipynb", ["00-welcome"], "00-welcome")
    ('student_01', '')
    >>> name_file("jupyter-amira.k/00-welcome/00-welcome.ipynb", ["00-welcome"], "00-welcome")
    ('jupyter-amira.k', '')
    """
    path = PurePosixPath(relative)
    stem = path.stem
    if len(path.parts) >= 3 and path.parent.name == stem and stem in assignments:
        folder = path.parts[-3]
        if _NBGRADER_ID.fullmatch(folder):
            return folder, ""
    in_folder = len(path.parts) > 1
    has_assignment = any(_pattern(a).search(stem) for a in assignments)
    tokens = name_tokens(stem, assignments)
    source = stem
    if in_folder and path.parent.as_posix() not in shared_folders and (not tokens or not has_assignment):
        folder_tokens = name_tokens(path.parent.name, assignments)
        if folder_tokens:
            tokens, source = folder_tokens, path.parent.name
    if not tokens:
        return None, (f"no student name in the file name (name it like "
                      f"jane.doe_{assignment}.ipynb, or put it in a folder named for the student)")
    sid = student_id(tokens)
    if sid is None:
        return None, (f"the name {' '.join(tokens)!r} (from {source!r}) has letters nbgrader "
                      "cannot use in a student id: rename the file with a Latin spelling, "
                      f"e.g. ivan.petrov_{assignment}.ipynb")
    return sid, ""



def wrong_assignment(nb, layouts: dict[str, nbm.Layout], assignment: str) -> str | None:
    """None if ``nb`` is made from ``assignment``'s release; else why not (one line)."""
    ids = nbm.grade_ids(nb)
    share = {name: len(ids & lay.ids) / max(len(lay.ids), 1) for name, lay in layouts.items()}
    best = max(share, key=lambda n: (share[n], n == assignment))
    if best != assignment and share[best] > share.get(assignment, 0):
        return f"is a notebook of {best} (by its nbgrader cells), not of {assignment}"
    if not ids & layouts[assignment].answers:
        return (f"has none of {assignment}'s answer cells: not made from its release "
                "(a new notebook, or a lesson?)")
    return None


# --------------------------------------------------------------------------- input

_JUNK = ("__MACOSX", ".ipynb_checkpoints", "timestamp.txt")  # the last: nbgrader collect's

#: What one run takes in, at most: a zip bomb or a wrong folder must not fill the disk. A
#: learner's notebook, plots included, is rarely over 5 MB; a cohort of 200 rarely over 200 MB.
MAX_FILE_BYTES = 50 * 2**20
MAX_FILES = 5_000
MAX_TOTAL_BYTES = 2 * 2**30
_CHUNK = 2**20


def _junk(parts) -> bool:
    return any(p in _JUNK or p.startswith(".") for p in parts)


def _size(n: int) -> str:
    return f"{n / 2**30:g} GB" if n >= 2**30 else f"{n / 2**20:g} MB"


def collect_files(submissions: Path, scratch: Path) -> tuple[Path, list[Path], list[Problem]]:
    """(the folder the files are in, every file under it, what was refused), unpacking a zip
    into ``scratch``.

    At most ``MAX_FILES`` files, each at most ``MAX_FILE_BYTES`` and ``MAX_TOTAL_BYTES`` in all
    (as unpacked: a zip's own sizes are not trusted, every file is copied in bounded chunks);
    each refusal is one :class:`Problem`, and the rest of the cohort is graded.
    """
    if not submissions.exists():
        raise GradeError(f"no such folder or zip: {submissions}")
    refused: list[Problem] = []
    if submissions.is_file():
        if not zipfile.is_zipfile(submissions):
            raise GradeError(f"{submissions} is neither a folder nor a zip of notebooks")
        base = scratch / "unzipped"
        base.mkdir(parents=True, exist_ok=True)
        try:
            _unzip(submissions, base, refused)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as error:
            raise GradeError(f"{submissions} cannot be unpacked: {error}") from None
        return base, _walk(base, refused, submissions.name), refused
    return submissions, _walk(submissions, refused, submissions.name), refused


def _unzip(archive_path: Path, base: Path, refused: list[Problem]) -> None:
    total = count = 0
    with zipfile.ZipFile(archive_path) as archive:
        for member in archive.infolist():
            parts = PurePosixPath(member.filename.replace("\\", "/")).parts
            if member.is_dir() or not parts or parts[0] == "/" or ".." in parts or _junk(parts):
                continue
            label = "/".join(parts)
            count += 1
            if count > MAX_FILES:
                refused.append(Problem(archive_path.name, f"holds more than {MAX_FILES} files: "
                                       f"unpacked the first {MAX_FILES}, refused the rest"))
                return
            target = base.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(member) as src, open(target, "wb") as dst:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    if written > MAX_FILE_BYTES or total + written > MAX_TOTAL_BYTES:
                        break
                    dst.write(chunk)
            if written > MAX_FILE_BYTES:
                target.unlink()
                refused.append(Problem(label, f"unpacks to more than {_size(MAX_FILE_BYTES)}: "
                                       "refused (not a notebook a learner wrote)"))
                continue
            if total + written > MAX_TOTAL_BYTES:
                target.unlink()
                refused.append(Problem(archive_path.name, f"unpacks to more than "
                                       f"{_size(MAX_TOTAL_BYTES)}: stopped at {label}; it and "
                                       "the files after it were refused"))
                return
            total += written


def _walk(folder: Path, refused: list[Problem], name: str) -> list[Path]:
    """Every file under ``folder`` (junk left out) within the limits."""
    files, total = [], 0
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if _junk(relative.parts) or path.is_dir():
            continue
        if path.is_symlink() or not path.is_file():
            refused.append(Problem(relative.as_posix(), "is a link or a special file, not a "
                                   "notebook: skipped (copy the notebook itself here)"))
            continue
        if len(files) >= MAX_FILES:
            refused.append(Problem(name, f"holds more than {MAX_FILES} files: took the first "
                                   f"{MAX_FILES}, refused the rest"))
            break
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            refused.append(Problem(relative.as_posix(), f"is larger than {_size(MAX_FILE_BYTES)}: "
                                   "refused (not a notebook a learner wrote)"))
            continue
        if total + size > MAX_TOTAL_BYTES:
            refused.append(Problem(name, f"holds more than {_size(MAX_TOTAL_BYTES)}: stopped at "
                                   f"{relative.as_posix()}; it and the files after it were refused"))
            break
        total += size
        files.append(path)
    return files


def sort_out(base: Path, files: list[Path], assignment: str, layouts: dict[str, nbm.Layout]):
    """The submissions to grade, one per student, and the problems (one per file or student)."""
    problems: list[Problem] = []
    found: dict[str, list[Submission]] = {}
    names = list(layouts)
    named_in: dict[str, set] = {}  # folder -> students its files' names give
    for path in files:
        relative = PurePosixPath(path.relative_to(base).as_posix())
        sid = file_name_student(relative, names)
        if sid and len(relative.parts) > 1:
            named_in.setdefault(relative.parent.as_posix(), set()).add(sid)
    shared = {folder for folder, sids in named_in.items()
              if len(sids) > 1 or sids != {student_id(name_tokens(PurePosixPath(folder).name, names))}}
    for path in files:
        label = path.relative_to(base).as_posix()
        if path.suffix.lower() != ".ipynb":
            problems.append(Problem(label, f"not a notebook ({path.suffix or 'no extension'}): skipped"))
            continue
        sid, why = name_file(label, names, assignment, shared)
        if sid is None:
            problems.append(Problem(label, why))
            continue
        try:
            data = path.read_bytes()
            nb = nbm.read(path)
        except Exception as error:  # noqa: BLE001 - whatever it is, it is not a notebook
            reason = str(error).splitlines()[0][:80] if str(error) else type(error).__name__
            problems.append(Problem(label, f"not a readable notebook ({reason}): not graded"))
            continue
        wrong = wrong_assignment(nb, layouts, assignment)
        if wrong:
            problems.append(Problem(label, f"{wrong}: not graded"))
            continue
        stamp = path.parent / "timestamp.txt"  # beside it in nbgrader collect's layout
        found.setdefault(sid, []).append(Submission(
            sid, path, label, hashlib.sha256(data).hexdigest(),
            timestamp=stamp.read_text().strip() or None if path.parent.name == assignment
            and stamp.is_file() else None,
            lms_late=any(w.lower() == "late" for w in _SPLIT.split(PurePosixPath(label).stem))))
    chosen = {}
    for sid, subs in sorted(found.items()):
        if len({s.sha256 for s in subs}) > 1:
            problems.append(Problem(sid, f"{len(subs)} different files for one student "
                                         f"({', '.join(s.label for s in subs)}): keep one and "
                                         "run again; not graded"))
            continue
        chosen[sid] = subs[0]
    return chosen, problems

