"""The course as nbgrader sees it: make the release and put it in the exchange.

``python -m opsfirst._course release`` regenerates ``exercises/`` from ``solutions/``
(``make release``); ``python -m opsfirst._course exchange`` puts every assignment of
``exercises/`` into the local exchange, so JupyterLab's Assignment List shows them
(``make lab`` runs it before starting JupyterLab). Both read ``nbgrader_config.py`` from the
repository root, in one process (each nbgrader command would cost ~2.5 s of start-up).
"""

from __future__ import annotations

import os
import sys

from ._paths import ROOT


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


if __name__ == "__main__":
    commands = {"release": release, "exchange": exchange}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit(f"usage: python -m opsfirst._course {{{','.join(commands)}}}")
    os.chdir(ROOT)
    commands[sys.argv[1]]()
