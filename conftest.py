"""Test-wide set-up: keep Jupyter from touching the user's home folder, find nbgrader's tools.

Notebook kernels started by nbval inherit this environment, so matplotlib's backend is left
alone (kernels draw inline, as in JupyterLab). Its font cache is built here, once, before any
kernel starts: on a fresh machine a kernel would otherwise print "Matplotlib is building the
font cache" on stderr and nbval would see an output the notebook does not have.
"""

import os
import sys
import tempfile

from matplotlib import font_manager  # noqa: F401  (builds the font cache on first import)

_jupyter = tempfile.mkdtemp(prefix="opsfirst-jupyter-")
for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
    os.environ[name] = os.path.join(_jupyter, name.rsplit("_", 2)[1].lower())
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
# nbgrader runs tools (alembic) by name: the venv's bin first, as `make test` has it.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
