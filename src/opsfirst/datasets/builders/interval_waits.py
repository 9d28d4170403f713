"""Build ``interval_waits``: how long callers waited, half-hour by half-hour, on the line of
``interval_history``.

The same simulation as :mod:`opsfirst.datasets.builders.interval_history` (one run gives both
tables: :func:`opsfirst.datasets.builders.interval_history.simulate`): every call's wait is known,
until an agent answered or until the caller hung up, and this table adds them up by the
half-hour the call arrived in, as an ACD's interval report does ("total answer delay", "total
abandon delay", "short abandons"). With ``interval_history`` it gives the average speed of answer
and an estimate of the callers' patience.
"""

from __future__ import annotations

from .interval_history import SHORT_ABANDON  # noqa: F401  (quoted by the catalogue)


def build():
    """The table: one row per open half-hour of ``interval_history`` (see the module docstring)."""
    from . import interval_history

    return interval_history.simulate()[1].copy()
