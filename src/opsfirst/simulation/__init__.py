"""A seeded simulation of a contact centre: what the formulas leave out.

One namespace, one module per concept:

* :mod:`opsfirst.simulation.queue` -- calls arriving at random and answered first come, first
  served: :func:`simulate_queue` (one team) and :func:`simulate_intervals` (calls, AHT and
  agents changing by interval);

Units as everywhere in opsfirst: ``calls`` offered per interval, times in seconds, ``interval``
1800 s unless given.
"""

from .queue import QueueResult, simulate_intervals, simulate_queue

__all__ = ["simulate_queue", "QueueResult", "simulate_intervals"]
