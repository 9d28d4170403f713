"""Test-wide set-up: keep Jupyter and matplotlib from touching the user's home folder."""

import os
import tempfile

_jupyter = tempfile.mkdtemp(prefix="opsfirst-jupyter-")
for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
    os.environ[name] = os.path.join(_jupyter, name.rsplit("_", 2)[1].lower())
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("MPLCONFIGDIR", os.path.join(_jupyter, "matplotlib"))
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
