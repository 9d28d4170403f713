"""A seeded simulation of a contact centre: what the formulas leave out.

One namespace, one module per concept:

* :mod:`opsfirst.simulation.queue` -- calls arriving at random and answered first come, first
  served: :func:`simulate_queue` (one team) and :func:`simulate_intervals` (calls, AHT and
  agents changing by interval);
* :mod:`opsfirst.simulation.contacts` -- contacts that do not resolve come back:
  :func:`simulate_repeat_contacts` (an issue's repeat contacts, with return delays in hours);
* :mod:`opsfirst.simulation.chat` -- :func:`simulate_chat`: agents holding several chats at
  once, each slower the more they hold;
* :mod:`opsfirst.simulation.email` -- :func:`simulate_email`: deferred work, a backlog that
  builds overnight;
* :mod:`opsfirst.simulation.dialler` -- :func:`simulate_dialler`: predictive outbound dialling
  and its abandoned calls.

What several simulators share (checking settings, drawing arrivals and handling times, adding
up busy time) is in ``opsfirst.simulation._common``, which is not part of the API.

Units as everywhere in opsfirst: ``calls`` offered per interval, times in seconds, ``interval``
1800 s unless given.
"""

from .chat import ChatResult, simulate_chat
from .contacts import CENTRE_OPENING_HOURS, simulate_repeat_contacts
from .dialler import DiallerResult, simulate_dialler
from .email import EmailResult, simulate_email
from .queue import QueueResult, simulate_intervals, simulate_queue

__all__ = ["simulate_queue", "QueueResult", "simulate_intervals", "simulate_repeat_contacts",
           "CENTRE_OPENING_HOURS", "simulate_chat", "ChatResult", "simulate_email", "EmailResult",
           "simulate_dialler", "DiallerResult"]
