"""Where the course is, and where its nbgrader configuration puts things.

A **course** is a folder holding ``nbgrader_config.py``: the kit's repository, a copy of it for
a second cohort, a coach's course folder on a hub, a throw-away course in a test. Every command
that touches a course (``opsfirst grade``, ``report``, ``check``, ``release``, ``exchange``)
finds it with :func:`find_root`, in this order:

1. ``--course-root DIR`` (the ``course_root`` argument);
2. ``$OPSFIRST_ROOT``;
3. the folder the command runs in, or the nearest folder above it, holding ``nbgrader_config.py``
   (nbgrader's own convention: the course is where you run it);
4. any other starting folders the command gives (``opsfirst check`` also looks from the
   learner's notebook's folder).

Nothing found is a :class:`~opsfirst.assignments.errors.CourseError` that says how to point at a
course. Every path of the course -- the assignment sources and release, the gradebook, the
submitted, autograded and feedback folders, the exchange -- comes from that course's nbgrader
configuration, read by :meth:`Course.load`; what opsfirst itself writes (the grades CSV, the
grading state and log, the cohort report) goes beside the gradebook (:attr:`Course.state_dir`).
The shipped datasets are not part of a course: :mod:`opsfirst.datasets` finds them from the
package.

``python -m`` is not needed: ``opsfirst release`` regenerates the release from the sources
(``make release``) and ``opsfirst exchange`` puts every released assignment into the exchange
(``make lab`` runs it before JupyterLab starts). :func:`scratch_course` makes a throw-away
course for tests and benchmarks.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .._paths import KIT
from .errors import CourseError
from .notebooks import load_mistakes

__all__ = ["CONFIG", "ENVIRONMENT_VARIABLE", "find_root", "Course", "release", "exchange",
           "scratch_course", "mistakes_of"]

CONFIG = "nbgrader_config.py"
ENVIRONMENT_VARIABLE = "OPSFIRST_ROOT"
HOW = (f"run it in your course folder (the one holding {CONFIG}, e.g. the opsfirst folder "
       f"`make lab` runs in), or give --course-root DIR, or set {ENVIRONMENT_VARIABLE}")


def find_root(course_root: str | os.PathLike | None = None, *,
              also: Iterable[str | os.PathLike] = ()) -> Path:
    """The course folder (see the module's doc for the order); absolute, not resolved.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / CONFIG).write_text("c = get_config()\\n")
    ...     find_root(tmp) == Path(tmp).absolute()
    True
    """
    for given, where in ((course_root, "--course-root"),
                         (os.environ.get(ENVIRONMENT_VARIABLE) or None, ENVIRONMENT_VARIABLE)):
        if given is not None:
            root = Path(given).expanduser().absolute()
            if not (root / CONFIG).is_file():
                raise CourseError(f"{root} (from {where}) is not a course: it has no {CONFIG}")
            return root
    for start in [Path.cwd(), *map(Path, also)]:
        start = start.absolute()
        for folder in [start, *start.parents]:
            if (folder / CONFIG).is_file():
                return folder
    raise CourseError(f"no course here ({Path.cwd()} and the folders above it have no "
                      f"{CONFIG}): {HOW}")


def _quiet() -> None:
    # nbgrader 0.9.6 with SQLAlchemy 2.1 warns "... not in session" on every gradebook update
    # and "checksum ... has changed" for hidden tests; the grades are right (measured).
    warnings.filterwarnings("ignore", message=".*not in session.*")
    warnings.filterwarnings("ignore", message=".*checksum.*")


@dataclass
class Course:
    """A course and its nbgrader configuration (``config``, a traitlets Config)."""

    root: Path
    config: object
    coursedir: object  #: nbgrader's CourseDirectory, made from ``config``

    @classmethod
    def load(cls, course_root: str | os.PathLike | None = None, *, db_timeout: int | None = None,
             also: Iterable[str | os.PathLike] = ()) -> Course:
        """Find the course (:func:`find_root`) and read its ``nbgrader_config.py``.

        ``db_timeout`` (seconds) makes SQLite wait that long for a locked gradebook.
        """
        root = find_root(course_root, also=also)
        _quiet()
        _alembic_head_in_process()
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        try:
            config = PyFileConfigLoader(CONFIG, path=str(root)).load_config()
        except Exception as error:  # noqa: BLE001 - a broken config is the coach's to fix
            raise CourseError(f"cannot read {root / CONFIG}: {type(error).__name__}: "
                              f"{str(error).splitlines()[0] if str(error) else ''}") from None
        if "root" not in config.CourseDirectory:
            config.CourseDirectory.root = str(root)
        coursedir = CourseDirectory(config=config)
        if db_timeout and coursedir.db_url.startswith("sqlite:///") and "?" not in coursedir.db_url:
            config.CourseDirectory.db_url = f"{coursedir.db_url}?timeout={db_timeout}"
            coursedir = CourseDirectory(config=config)
        return cls(Path(coursedir.root), config, coursedir)

    # ----------------------------------------------------------------- the gradebook

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def db_path(self) -> Path | None:
        """The gradebook's file (None for a gradebook that is not a SQLite file)."""
        url = self.db_url.split("?", 1)[0]
        return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None

    @property
    def state_dir(self) -> Path:
        """Where opsfirst keeps what it writes: beside the gradebook (``.nbgrader/`` here)."""
        return self.db_path.parent if self.db_path else self.root

    def grades_csv(self, assignment: str) -> Path:
        return self.state_dir / f"grades-{assignment}.csv"

    def report_path(self, assignment: str) -> Path:
        return self.state_dir / "reports" / f"{assignment}-report.html"

    # ----------------------------------------------------------------- folders

    def folder(self, kind: str, *parts: str) -> Path:
        """A course folder of nbgrader's: ``kind`` is source, release, submitted, autograded or
        feedback; ``parts`` fill its ``{student_id}``, ``{assignment_id}``... in order."""
        return Path(self.coursedir.format_path(getattr(self.coursedir, f"{kind}_directory"), *parts))

    def source(self, assignment: str) -> Path:
        """The assignment's source notebook (solutions, hidden tests, mark schemes)."""
        return self.folder("source", ".", assignment) / f"{assignment}.ipynb"

    def release(self, assignment: str) -> Path:
        """The assignment's released (student) notebook."""
        return self.folder("release", ".", assignment) / f"{assignment}.ipynb"

    def assignments(self, kind: str = "source") -> list[str]:
        """Assignment names: the folders of the sources (or the release) holding NAME/NAME.ipynb."""
        top = self.folder(kind, ".", "x").parent
        if not top.is_dir():
            return []
        return sorted(p.name for p in top.iterdir() if (p / f"{p.name}.ipynb").is_file())

    def mistakes(self, assignment: str) -> list:
        """The assignment's typical mistakes (``mistakes.py`` beside its source)."""
        return load_mistakes(self.source(assignment).parent / "mistakes.py")

    # ----------------------------------------------------------------- nbgrader

    def api(self, settings: dict[str, dict] | None = None):
        """nbgrader's API on this course; ``settings`` (``{"Section": {"trait": value}}``) change
        it for this API only: the course's own :attr:`config` is left as it is."""
        _quiet()
        from nbgrader.apps import NbGraderAPI

        with_venv_on_path()
        config = copy.deepcopy(self.config)  # Config.copy() would share its sections
        for section, values in (settings or {}).items():
            for name, value in values.items():
                setattr(config[section], name, value)
        return NbGraderAPI(config=config)


def _alembic_head_in_process() -> None:
    """Have nbgrader find alembic's head revision in this process, not by running alembic.

    A new gradebook is stamped with the head revision of nbgrader's migrations, which nbgrader
    finds by running ``alembic heads`` as a command: 2.8 s measured, nearly all of it the
    command importing nbgrader again. Reading the same migration scripts here with alembic's
    ``ScriptDirectory`` gives the same revision in ~0.1 s (``tests/assignments/test_course.py``
    compares the two). More than one head (never so far) is left to nbgrader's own way.
    """
    import nbgrader
    import nbgrader.api

    if getattr(nbgrader.api.get_alembic_version, "opsfirst", False):
        return
    by_command = nbgrader.api.get_alembic_version

    def get_alembic_version() -> str:
        from alembic.script import ScriptDirectory

        heads = ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_heads()
        return heads[0] if len(heads) == 1 else by_command()

    get_alembic_version.opsfirst = True
    get_alembic_version.by_command = by_command
    nbgrader.api.get_alembic_version = get_alembic_version


def with_venv_on_path() -> None:
    """nbgrader runs ``alembic`` by name when it makes a gradebook: this Python's bin first."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


# --------------------------------------------------------------------------- release, exchange

def release(course: Course, names: Iterable[str] = (), log=print) -> list[str]:
    """Regenerate the release of each assignment (all of them by default) from its source.

    nbgrader's ``generate_assignment --force``, in one process; returns the names released.
    """
    api = course.api()
    names = list(names) or course.assignments("source")
    _known(course, names, "source")
    for name in names:
        result = api.generate_assignment(name, force=True, create=True)
        if not result["success"]:
            raise CourseError(f"could not release {name}: {_last_line(result)}")
        log(f"released {name} to {course.release(name).parent}")
    return names


def exchange(course: Course, log=print) -> list[str]:
    """Put every released assignment in the course's exchange (nbgrader ``release_assignment``),
    so JupyterLab's Assignment List shows it; returns their names.

    Two JupyterLabs started at once (two test workers, say) would replace the same folders at
    the same time: a lock file beside the gradebook makes them take turns.
    """
    # putting it again replaces the old copy
    api = course.api({"ExchangeReleaseAssignment": {"force": True}})
    names = course.assignments("release")
    course.state_dir.mkdir(parents=True, exist_ok=True)
    with open(course.state_dir / "exchange.lock", "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # Windows: one JupyterLab at a time is the normal case there
            pass
        for name in names:
            with api.gradebook as gradebook:
                known = bool(gradebook.update_or_create_assignment(name).notebooks)
            if not known:
                _record_in_gradebook(api, name)
            result = api.release_assignment(name)
            if not result["success"]:
                raise CourseError(f"could not put {name} in the exchange: {_last_line(result)}")
    log(f"assignments in the exchange: {', '.join(names) or 'none'}")
    return names


def _known(course: Course, names: list[str], kind: str) -> None:
    known = course.assignments(kind)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CourseError(f"no assignment {unknown[0]!r} in {course.folder(kind, '.', 'x').parent}; "
                          f"known: {', '.join(known) or 'none'}")


def _last_line(result: dict) -> str:
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error" in line]
    return (errors or lines or ["nbgrader failed"])[-1][:200]


def _record_in_gradebook(api, name: str) -> None:
    """Record an assignment's notebooks and graded cells in the gradebook (autograde needs them).

    Only nbgrader's generate step records them. On a fresh clone the release is already there,
    so the assignment is generated again into a scratch folder, leaving the release untouched.
    """
    released = api.coursedir.release_directory
    with tempfile.TemporaryDirectory() as scratch:
        api.coursedir.release_directory = scratch  # an absolute path wins over the course root
        try:
            result = api.generate_assignment(name, force=True, create=True)
        finally:
            api.coursedir.release_directory = released
    if not result["success"]:
        raise CourseError(f"could not record {name} in the gradebook: {_last_line(result)}")


# --------------------------------------------------------------------------- for tests, benchmarks

def mistakes_of(name: str) -> list:
    """The typical mistakes of one of the kit's assignments (``solutions/NAME/mistakes.py``)."""
    return load_mistakes(KIT / "solutions" / name / "mistakes.py")


def scratch_course(root: Path, names: Iterable[str] | None = None, *, extra_config: str = "",
                   generate: bool = False) -> Path:
    r"""Make a throw-away course in ``root`` that grades as the kit's course does.

    For tests and benchmarks (the one way they make a course of their own): every nbgrader run
    there (``generate_assignment``, ``autograde``, ``opsfirst grade``, ``opsfirst report``) uses
    the kit's own ``nbgrader_config.py`` -- the same preprocessors, timeouts and feedback
    filters -- but keeps all it makes in ``root``, so nothing is written to the kit's
    ``.nbgrader/`` (gradebook, submissions, exchange). (Loading the kit's config only makes that
    folder if it is missing.) Returns ``root``, which gets:

    - ``solutions/<name>/``: a copy of each assignment source ``names`` lists (default: every
      assignment in the kit's ``solutions/``);
    - ``nbgrader_config.py``: ``load_subconfig`` of the kit's config, then the course root,
      the gradebook (``.nbgrader/gradebook.db``) and the exchange (``.nbgrader/exchange``) set
      to ``root``, then ``extra_config`` (more lines, e.g. ``"c.Execute.timeout = 15\n"``);
    - ``.nbgrader/``, empty: no gradebook until something grades, unless ``generate``.

    With ``generate`` each copied assignment is then generated, as ``nbgrader
    generate_assignment NAME --force`` run in ``root`` with this Python's bin first on PATH:
    its release goes to ``root/exercises/<name>/`` and its notebooks and graded cells into the
    gradebook (``nbgrader autograde`` needs them; ``opsfirst grade`` records them itself).
    A failed run raises ``RuntimeError`` with the end of nbgrader's stderr.

    ``root`` is made if missing; it must not be the kit or lie in its ``.nbgrader/``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     course = scratch_course(Path(tmp) / "course", ["00-welcome"])
    ...     sorted(p.name for p in course.iterdir()), os.listdir(course / "solutions")
    (['.nbgrader', 'nbgrader_config.py', 'solutions'], ['00-welcome'])
    """
    root = Path(root).absolute()
    state = root / ".nbgrader"
    if root.resolve() == KIT or root.resolve().is_relative_to(KIT / ".nbgrader"):
        raise ValueError(f"a scratch course must not be the kit or in its .nbgrader/: {root}")
    if names is None:
        names = sorted(p.name for p in (KIT / "solutions").iterdir()
                       if (p / f"{p.name}.ipynb").is_file())
    names = list(names)
    state.mkdir(parents=True, exist_ok=True)  # the gradebook cannot be created in a missing folder
    (root / CONFIG).write_text(
        "c = get_config()\n"
        f"load_subconfig({str(KIT / CONFIG)!r})\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(state / 'gradebook.db')!r}\n"
        f"c.Exchange.root = {str(state / 'exchange')!r}\n"
        + extra_config)
    for name in names:
        shutil.copytree(KIT / "solutions" / name, root / "solutions" / name)
    if generate:
        _generate(root, names)
    return root


def _generate(root: Path, names: list[str]) -> None:
    """``nbgrader generate_assignment NAME --force`` in ``root`` for each name, as a coach runs it."""
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    for name in names:
        done = subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", name, "--force"],
                              cwd=root, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed in {root}:\n"
                               f"{done.stderr[-4000:]}")
