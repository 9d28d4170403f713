"""Build ``schedule``: one week of agent shifts for the voice line of ``interval_history``.

The week of Monday 17 November 2025 (Monday to Saturday; the line is closed on Sundays). The
requirement is the one the planners of ``interval_history`` worked from: for every half-hour,
:func:`opsfirst.staffing.agents_required` (80% of calls answered in 20 s) on their *forecast*
of calls and handling time. This builder turns it into shifts with a simple greedy cover:

1. Time runs in 15-minute slots; a slot needs as many agents *on the phones* as its
   half-hour's requirement.
2. Shift patterns: full-time 8.5 h on weekdays (starts 08:00 to 11:30, every half-hour) and
   8 h on Saturdays (09:00-17:00), each with a 15-minute break, a 30-minute unpaid lunch and a
   second 15-minute break; part-time 4 h (starts every half-hour that ends by closing) with
   one 15-minute break.
3. Repeatedly add the shift that covers the most still-uncovered agent-slots per paid hour
   (part-time shifts count 10% less, so full-time shifts are preferred), then place its breaks,
   within the rules below, on the slots where the most other agents are on the phones. Stop
   when every slot is covered; then drop, latest first, any shift the others can do without.
4. Give the shifts to people: full-time agents work at most 5 days, part-time agents at most 5
   half-days; each shift goes to the eligible agent with the fewest shifts so far.

Rules every shift keeps (the tests check them): inside opening hours; breaks inside the
shift, in order, not overlapping; no stretch of work shorter than 1 hour or longer than 3 hours
between breaks (so no break in a shift's first or last hour); a 30-minute lunch in every shift
over 6 hours; one shift per agent per day; at least 11 hours between one shift's end and the
next day's start (always true here: the line closes at 20:00 and opens at 08:00).

To compare with the ``agents`` column of ``interval_history``: agents on the phones in a
half-hour = (scheduled agents minus those on a break or lunch, averaged over its two slots) x
(1 - 6%), the 6% being the unplanned absence assumed by ``interval_history``. The schedule
covers the requirement in full, including lunchtime (``interval_history``'s planners
under-cover 12:00-14:00 by 10%), so expect it to sit a little above that column. Every figure
is an assumption of this kit (labelled "assumed" in the data dictionary).
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np

FIRST_DAY = dt.date(2025, 11, 17)  # a Monday
TIME_ZONE = "Europe/London"
SLOT = 15  # minutes
DAYS = [FIRST_DAY + dt.timedelta(days=d) for d in range(6)]  # Monday to Saturday
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

# Assumed figures (the data dictionary lists them).
FULL_WEEKDAY, FULL_SATURDAY, PART_TIME = 510, 480, 240  # shift lengths, minutes
BREAK, LUNCH = 15, 30  # minutes; lunch is unpaid
MIN_STRETCH, MAX_STRETCH = 60, 180  # minutes of work between breaks
LONG_SHIFT = 360  # shifts over 6 hours have a lunch
PART_TIME_WEIGHT = 0.9  # a part-time shift's cover counts 10% less when choosing
MAX_SHIFTS_PER_WEEK = 5
EXTRA_SHRINKAGE = 0.06  # unplanned absence, as interval_history.ABSENCE


def requirement(day: dt.date) -> tuple[int, np.ndarray]:
    """Opening minute (after midnight) and the agents required in each half-hour of ``day``."""
    from opsfirst import staffing
    from opsfirst.datasets.builders import interval_history as ih

    first, last = ih.OPENING[day.weekday()]
    hours = np.arange(first, last, 0.5)
    shape = ih.intraday(hours + 0.25)
    shape /= shape.sum()
    aht = np.where(hours >= 17, ih.AHT * ih.AHT_EVENING, ih.AHT)
    need = staffing.agents_required(calls=ih.daily_level(day) * shape, aht=aht,
                                    target_service_level=ih.TARGET_SERVICE_LEVEL,
                                    target_time=ih.TARGET_TIME)
    return first * 60, np.asarray(need, dtype=int)


def _break_plans(length: int) -> list[tuple[tuple[int, int], ...]]:
    """Every allowed set of (offset, duration) breaks of a shift of ``length`` minutes."""
    durations = (BREAK, LUNCH, BREAK) if length > LONG_SHIFT else (BREAK,)
    plans = []
    steps = range(MIN_STRETCH, MAX_STRETCH + 1, SLOT)
    for stretches in itertools.product(steps, repeat=len(durations)):
        offset, plan = 0, []
        for work, duration in zip(stretches, durations):
            offset += work
            plan.append((offset, duration))
            offset += duration
        if MIN_STRETCH <= length - offset <= MAX_STRETCH:
            plans.append(tuple(plan))
    return plans


def _cover_day(open_minute: int, need: np.ndarray, saturday: bool):
    """Greedy cover of one day: a list of (start minute, length, breaks)."""
    slots = need.size * 30 // SLOT
    required = np.repeat(need, 30 // SLOT).astype(float)
    close = open_minute + slots * SLOT
    full = FULL_SATURDAY if saturday else FULL_WEEKDAY
    candidates = [(m, full) for m in range(open_minute, close - full + 1, 30)]
    candidates += [(m, PART_TIME) for m in range(open_minute, close - PART_TIME + 1, 30)]
    plans = {length: _break_plans(length) for length in (full, PART_TIME)}
    cover = np.zeros(slots)
    shifts = []
    while (required - cover > 0).any():
        short = np.clip(required - cover, 0, 1)
        best, best_score = None, 0.0
        for start, length in candidates:
            a = (start - open_minute) // SLOT
            gain = short[a:a + length // SLOT].sum() / length
            if length == PART_TIME:
                gain *= PART_TIME_WEIGHT
            if gain > best_score + 1e-12:
                best, best_score = (start, length), gain
        start, length = best
        a = (start - open_minute) // SLOT
        cover[a:a + length // SLOT] += 1
        surplus = cover - required
        plan = max(plans[length], key=lambda p: (
            min(surplus[a + o // SLOT + k] for o, d in p for k in range(d // SLOT)),
            sum(surplus[a + o // SLOT + k] for o, d in p for k in range(d // SLOT))))
        for offset, duration in plan:
            cover[a + offset // SLOT:a + (offset + duration) // SLOT] -= 1
        shifts.append((start, length, plan))
    # Prune: drop, latest first, any shift the others can do without.
    for shift in reversed(list(shifts)):
        start, length, plan = shift
        a = (start - open_minute) // SLOT
        without = cover.copy()
        without[a:a + length // SLOT] -= 1
        for offset, duration in plan:
            without[a + offset // SLOT:a + (offset + duration) // SLOT] += 1
        if (without >= required).all():
            cover = without
            shifts.remove(shift)
    return sorted(shifts)


def build():
    """The table: one row per shift (see the module docstring)."""
    import pandas as pd

    rows = []
    worked: dict[str, int] = {}
    for day, name in zip(DAYS, DAY_NAMES):
        open_minute, need = requirement(day)
        today: set[str] = set()
        for start, length, plan in _cover_day(open_minute, need, day.weekday() == 5):
            contract = "part_time" if length == PART_TIME else "full_time"
            prefix = "P" if contract == "part_time" else "F"
            eligible = [a for a in worked if a[0] == prefix and a not in today
                        and worked[a] < MAX_SHIFTS_PER_WEEK]
            if eligible:
                agent = min(eligible, key=lambda a: (worked[a], a))
            else:
                agent = f"{prefix}{sum(a[0] == prefix for a in worked) + 1:02d}"
                worked[agent] = 0
            worked[agent] += 1
            today.add(agent)
            midnight = dt.datetime.combine(day, dt.time())

            def at(minute):
                return midnight + dt.timedelta(minutes=minute)

            breaks = {"break_1": plan[0], "lunch": plan[1] if len(plan) == 3 else None,
                      "break_2": plan[2] if len(plan) == 3 else None}
            row = {"agent": agent, "contract": contract, "day": name,
                   "shift_start": at(start), "shift_end": at(start + length)}
            for key, value in breaks.items():
                row[f"{key}_start"] = at(start + value[0]) if value else None
                row[f"{key}_end"] = at(start + value[0] + value[1]) if value else None
            row["paid_hours"] = (length - (LUNCH if breaks["lunch"] else 0)) / 60
            rows.append(row)
    table = pd.DataFrame(rows)
    for column in table.columns:
        if column.endswith(("_start", "_end")):
            table[column] = pd.to_datetime(table[column]).dt.tz_localize(TIME_ZONE)
    return table.sort_values(["shift_start", "agent"], ignore_index=True)


def on_the_phones(table):
    """Scheduled agents per open half-hour: on shift, on a break, on the phones (after breaks)
    and the estimate after the extra shrinkage, with the requirement."""
    import pandas as pd

    rows = []
    for day in DAYS:
        open_minute, need = requirement(day)
        midnight = pd.Timestamp(dt.datetime.combine(day, dt.time())).tz_localize(TIME_ZONE)
        for k, required in enumerate(need):
            start = midnight + pd.Timedelta(minutes=open_minute + 30 * k)
            slot_heads = []
            for half in (0, SLOT):
                t = start + pd.Timedelta(minutes=half)
                on = (table["shift_start"] <= t) & (t < table["shift_end"])
                away = pd.Series(False, index=table.index)
                for key in ("break_1", "lunch", "break_2"):
                    away |= (table[f"{key}_start"] <= t) & (t < table[f"{key}_end"])
                slot_heads.append((int(on.sum()), int((on & away).sum())))
            scheduled = np.mean([h for h, _ in slot_heads])
            on_break = np.mean([b for _, b in slot_heads])
            rows.append({"interval_start": start, "scheduled": scheduled, "on_break": on_break,
                         "productive": scheduled - on_break,
                         "on_phones_estimate": (scheduled - on_break) * (1 - EXTRA_SHRINKAGE),
                         "required": int(required)})
    return pd.DataFrame(rows)
