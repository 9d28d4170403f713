"""The course as nbgrader sees it: make the release and put it in the exchange.

``python -m opsfirst._course release`` regenerates ``exercises/`` from ``solutions/``
(``make release``); ``python -m opsfirst._course exchange`` puts every assignment of
``exercises/`` into the local exchange, so JupyterLab's Assignment List shows them
(``make lab`` runs it before starting JupyterLab). Both read ``nbgrader_config.py`` from the
repository root, in one process (each nbgrader command would cost ~2.5 s of start-up).

``scratch_course`` makes a throw-away course elsewhere (for tests and benchmarks) that grades
like this one without touching the repository's ``.nbgrader/``; ``mistakes_of`` and ``fill``
make the student notebooks they grade (the solution, or a typical mistake, in the release).
"""

from __future__ import annotations

import copy
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from ._paths import ROOT

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
"""A solution block in an assignment source cell (its body is group 1)."""


def mistakes_of(name: str) -> list:
    """The typical mistakes of an assignment: ``MISTAKES`` of ``solutions/<name>/mistakes.py``."""
    path = ROOT / "solutions" / name / "mistakes.py"
    spec = importlib.util.spec_from_file_location(f"mistakes_{name.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MISTAKES


def fill(release, source, replace=None):
    """A student notebook: ``release`` with every answer cell holding the ``source``'s solution
    (or ``replace[grade_id]`` in its place), as a learner who answered would hand it in."""
    def grade_id(cell):
        return cell.metadata.get("nbgrader", {}).get("grade_id")

    answers = {grade_id(c): c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in answers:
            text = answers[gid]
            if replace and gid in replace:
                text = SOLUTION.sub(lambda _: replace[gid].rstrip("\n") + "\n", text)
            cell.source = SOLUTION.sub(lambda m: m.group(1), text).rstrip("\n")
    return nb


def _api():
    import warnings

    # nbgrader 0.9.6 with SQLAlchemy 2.1 warns "... not in session" on every gradebook update;
    # the grades are right (measured), so a coach need not see it.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.ExchangeReleaseAssignment.force = True  # putting it again replaces the old copy
    return NbGraderAPI(config=config)


def assignments(folder: str) -> list[str]:
    """Assignment names: the sub-folders of ``solutions`` or ``exercises`` that hold a notebook."""
    return sorted(p.name for p in (ROOT / folder).iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def release() -> None:
    """Regenerate exercises/ from solutions/ (nbgrader generate_assignment, forced)."""
    api = _api()
    for name in assignments("solutions"):
        result = api.generate_assignment(name, force=True, create=True)
        if not result["success"]:
            raise SystemExit(f"could not generate {name}:\n{result['error']}\n{result['log']}")
        print(f"released {name} to exercises/{name}/")


def exchange() -> None:
    """Put every assignment of exercises/ in the local exchange (nbgrader release_assignment).

    Two JupyterLabs started at once (two test workers, say) would replace the same folders at
    the same time: a lock file makes them take turns.
    """
    api = _api()
    lock = open(ROOT / ".nbgrader" / "exchange.lock", "w")  # .nbgrader exists: the config made it
    try:
        import fcntl

        fcntl.flock(lock, fcntl.LOCK_EX)
    except ImportError:  # Windows: one JupyterLab at a time is the normal case there
        pass
    with lock:
        _release_all(api)
    print(f"assignments in the exchange: {', '.join(assignments('exercises'))}")


def _release_all(api) -> None:
    for name in assignments("exercises"):
        with api.gradebook as gradebook:
            known = bool(gradebook.update_or_create_assignment(name).notebooks)
        if not known:
            _record_in_gradebook(api, name)
        result = api.release_assignment(name)
        if not result["success"]:
            raise SystemExit(f"could not put {name} in the exchange:\n{result['error']}\n{result['log']}")

def _record_in_gradebook(api, name: str) -> None:
    """Record an assignment's notebooks and graded cells in the gradebook (autograde needs them).

    Only nbgrader's generate step records them. On a fresh clone exercises/ is already there,
    so the assignment is generated again into a scratch folder, leaving exercises/ untouched.
    """
    import tempfile

    release = api.coursedir.release_directory
    with tempfile.TemporaryDirectory() as scratch:
        api.coursedir.release_directory = scratch  # an absolute path wins over the course root
        try:
            result = api.generate_assignment(name, force=True, create=True)
        finally:
            api.coursedir.release_directory = release
    if not result["success"]:
        raise SystemExit(f"could not record {name} in the gradebook:\n{result['error']}\n{result['log']}")


def scratch_course(root: Path, names: Iterable[str] | None = None, *, extra_config: str = "",
                   generate: bool = False) -> Path:
    r"""Make a throw-away course in ``root`` that grades as the repository's course does.

    For tests and benchmarks (the one way they make a course of their own): every nbgrader run
    there (``generate_assignment``, ``autograde``, ``opsfirst grade --course-root``, ``opsfirst
    report``) uses the repository's own ``nbgrader_config.py`` -- the same preprocessors,
    timeouts and feedback filters -- but keeps all it makes in ``root``, so nothing is written to
    the repository's ``.nbgrader/`` (gradebook, submissions, exchange). (Loading the repository's
    config only makes that folder if it is missing.) Returns ``root``, which gets:

    - ``solutions/<name>/``: a copy of each assignment source ``names`` lists (default: every
      assignment in the repository's ``solutions/``);
    - ``nbgrader_config.py``: ``load_subconfig`` of the repository's config, then the course root,
      the gradebook (``.nbgrader/gradebook.db``) and the exchange (``.nbgrader/exchange``) set
      to ``root``, then ``extra_config`` (more lines, e.g. ``"c.Execute.timeout = 15\n"``);
    - ``.nbgrader/``, empty: no gradebook until something grades, unless ``generate``.

    With ``generate`` each copied assignment is then generated, as ``nbgrader
    generate_assignment NAME --force`` run in ``root`` with this Python's bin first on PATH:
    its release goes to ``root/exercises/<name>/`` and its notebooks and graded cells into the
    gradebook (``nbgrader autograde`` needs them; ``opsfirst grade`` records them itself).
    A failed run raises ``RuntimeError`` with the end of nbgrader's stderr.

    ``root`` is made if missing; it must not be the repository or lie in its ``.nbgrader/``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     course = scratch_course(Path(tmp) / "course", ["00-welcome"])
    ...     sorted(p.name for p in course.iterdir()), os.listdir(course / "solutions")
    (['.nbgrader', 'nbgrader_config.py', 'solutions'], ['00-welcome'])
    """
    root = Path(root).absolute()
    state = root / ".nbgrader"
    if root.resolve() == ROOT or root.resolve().is_relative_to(ROOT / ".nbgrader"):
        raise ValueError(f"a scratch course must not be the repository or in its .nbgrader/: {root}")
    names = assignments("solutions") if names is None else list(names)
    state.mkdir(parents=True, exist_ok=True)  # the gradebook cannot be created in a missing folder
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"load_subconfig({str(ROOT / 'nbgrader_config.py')!r})\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(state / 'gradebook.db')!r}\n"
        f"c.Exchange.root = {str(state / 'exchange')!r}\n"
        + extra_config)
    for name in names:
        shutil.copytree(ROOT / "solutions" / name, root / "solutions" / name)
    if generate:
        _generate(root, names)
    return root


def _generate(root: Path, names: list[str]) -> None:
    """``nbgrader generate_assignment NAME --force`` in ``root`` for each name, as a coach runs it."""
    bin_dir = Path(sys.executable).parent
    # nbgrader runs alembic by name when it makes the gradebook: this Python's bin first
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    for name in names:
        done = subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", name, "--force"],
                              cwd=root, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed in {root}:\n"
                               f"{done.stderr[-4000:]}")


if __name__ == "__main__":
    commands = {"release": release, "exchange": exchange}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit(f"usage: python -m opsfirst._course {{{','.join(commands)}}}")
    os.chdir(ROOT)
    commands[sys.argv[1]]()
