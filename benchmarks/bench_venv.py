"""A benchmark's own virtual environment under ``.bench/``, kept out of the project's venv.

A benchmark that compares opsfirst with another package (pyworkforce, DuckDB) installs that
package here, beside numpy/scipy/pandas pinned to the versions of the Python that launched it
(the project's ``.venv`` under ``make bench``), so opsfirst is timed on the numerical stack its
users have, and opsfirst itself from this checkout with ``--no-deps``. The venv is made on the
first run and found by its stamp afterwards; then the script re-runs itself inside it.
Standard library only: this runs under whatever Python started the script.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class BenchVenv:
    """``.bench/<name>``: its Python, and what it was made with (the stamp)."""

    def __init__(self, name: str):
        self.path = ROOT / ".bench" / name
        self.python = self.path / "bin" / "python"
        self.stamp = self.path / "opsfirst-bench.json"  # written once the venv is complete

    @staticmethod
    def pinned(*packages: str, pins=("numpy", "scipy")) -> list[str]:
        """``packages`` plus ``pins`` at the versions this Python has (unpinned if it has none)."""
        from importlib import metadata

        wanted = list(packages)
        for name in pins:
            try:
                wanted.append(f"{name}=={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                wanted.append(name)
        return wanted

    def pip(self, *args: str) -> None:
        """pip install into the venv; its chatter is shown only if it fails."""
        done = subprocess.run([str(self.python), "-m", "pip", "install", "--quiet", *args],
                              capture_output=True, text=True)
        if done.returncode:
            print(done.stdout + done.stderr, file=sys.stderr)
            raise subprocess.CalledProcessError(done.returncode, done.args)

    def ensure(self, requirements: list[str], optional: str | None = None) -> None:
        """Make the venv with ``requirements`` unless its stamp says it has them already.

        ``optional``: a requirement whose failure to install is said, not fatal (the rest is
        installed without it).
        """
        wanted = {"python": sys.version, "requirements": requirements}
        if self.stamp.exists() and json.loads(self.stamp.read_text()).get("wanted") == wanted:
            return
        print(f"Setting up {self.path.relative_to(ROOT)} (first run only): "
              f"{' '.join(requirements)}", flush=True)
        shutil.rmtree(self.path, ignore_errors=True)  # a half-made or outdated venv
        subprocess.run([sys.executable, "-m", "venv", str(self.path)], check=True)
        stamp = {"wanted": wanted}
        try:
            self.pip(*requirements)
        except subprocess.CalledProcessError:
            if optional is None:
                raise
            print(f"{optional} would not install; the benchmark goes on without it "
                  f"(delete {self.path} to try again).", flush=True)
            stamp[optional] = False
            self.pip(*[r for r in requirements if not r.startswith(optional)])
        # opsfirst itself, from this checkout; its other dependencies (JupyterLab...) not needed
        self.pip("--no-deps", "-e", str(ROOT))
        self.stamp.write_text(json.dumps(stamp, indent=1))

    def inside(self) -> bool:
        return Path(sys.prefix).resolve() == self.path.resolve()

    def run_inside(self, script: str, requirements: list[str], optional: str | None = None):
        """Unless ``--here`` was asked for or we are in it already: make the venv and re-run
        ``script`` with the same arguments in its Python (never returns then)."""
        if "--here" in sys.argv or self.inside():
            return
        if os.environ.get("OPSFIRST_BENCH_REEXEC") == str(self.path):  # do not loop
            sys.exit(f"{self.python} does not run inside {self.path}; delete it and retry")
        self.ensure(requirements, optional)
        os.environ["OPSFIRST_BENCH_REEXEC"] = str(self.path)
        sys.stdout.flush()
        os.execv(str(self.python), [str(self.python), script, *sys.argv[1:]])
