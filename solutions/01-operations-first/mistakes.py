"""Typical mistakes in 01-operations-first, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the
question's type checks, loses marks on its question only, and shows its own hint and no other.
Answers of the wrong type that a trial learner gave (a one-row Series from daily_summary, a
column of half-hours' service levels, an infinite patience from a ratio per half-hour, a row of
target_effect's table, KeyError: 0 from ``[0]``) cannot be mistakes here; their messages are
checked in-process by tests/metrics/test_metrics_assignment_hints.py, with the numbers typed in
from rounded tables: each must name the way out and give no value away. A percentage where a
fraction is asked is caught by the tests of questions 1, 2, 4 and 6 too (00-welcome already
drills it); it is left out here to keep the soundness run short.
"""

from opsfirst.grading import Mistake

_WAITS = 'september["answered_wait_seconds"] + september["abandoned_wait_seconds"]'


def _changes(table, before="before", after="after"):
    """Question 5's table of changes (after minus before, unless the two are swapped)."""
    return ('effect_by_team = pd.DataFrame({\n'
            f'    "transfer_change": {table}["transfer_rate_{after}"] - {table}["transfer_rate_{before}"],\n'
            f'    "repeat_change": {table}["repeat_rate_{after}"] - {table}["repeat_rate_{before}"],\n'
            '})')


MISTAKES = [
    # 1. autumn_service_level
    Mistake(id="mean_of_half_hours", question="autumn_service_level",
            code=('autumn_service_level = (autumn["answered_within_20s"] '
                  '/ autumn["calls_offered"]).mean()'),
            hint="average of the half-hours' service levels"),
    Mistake(id="mean_of_days", question="autumn_service_level",
            code='autumn_service_level = metrics.daily_summary(autumn)["service_level"].mean()',
            hint="average of the days' service levels"),
    # The lesson prints each month's service level: averaging the three is the same mistake
    # one level up.
    Mistake(id="mean_of_months", question="autumn_service_level",
            code=('_m = autumn.groupby(autumn["interval_start"].dt.month)\n'
                  'autumn_service_level = (_m["answered_within_20s"].sum() '
                  '/ _m["calls_offered"].sum()).mean()'),
            hint="average of the three months' service levels"),
    Mistake(id="over_answered", question="autumn_service_level",
            code=('autumn_service_level = autumn["answered_within_20s"].sum() '
                  '/ autumn["calls_answered"].sum()'),
            hint="divides by the calls answered"),
    # 2. sl_by_definition
    Mistake(id="answered_over_offered", question="sl_by_definition",
            code=('_w, _o = day["answered_within_20s"].sum(), day["calls_offered"].sum()\n'
                  'sl_by_definition = {"offered": _w / _o, "answered": _w / _o,\n'
                  '                    "excluding_short_abandons": _w / (_o - day["abandoned_within_5s"].sum())}'),
            hint="divides by the calls offered"),
    Mistake(id="every_abandon_left_out", question="sl_by_definition",
            code=('_w, _o = day["answered_within_20s"].sum(), day["calls_offered"].sum()\n'
                  '_a = day["calls_abandoned"].sum()\n'
                  'sl_by_definition = {"offered": _w / _o, "answered": _w / (_o - _a),\n'
                  '                    "excluding_short_abandons": _w / (_o - _a)}'),
            hint="leaves out every abandoned call"),
    # 3. patience_seconds
    Mistake(id="abandoners_mean_wait", question="patience_seconds",
            code=('patience_seconds = september["abandoned_wait_seconds"].sum() '
                  '/ september["calls_abandoned"].sum()'),
            hint="average wait of the callers who hung up"),
    Mistake(id="mean_wait_of_all_callers", question="patience_seconds",
            code=f'patience_seconds = ({_WAITS}).sum() / september["calls_offered"].sum()',
            hint="average wait of all callers"),
    Mistake(id="mean_of_half_hour_estimates", question="patience_seconds",
            code=('_lost = september["calls_abandoned"] > 0\n'
                  f'patience_seconds = (({_WAITS})[_lost] / september["calls_abandoned"][_lost]).mean()'),
            hint="average of the half-hours' own estimates"),
    # Right method, wrong months (the whole history instead of September): it passes every
    # visible test; only the hidden test catches it, and the feedback must not show that test.
    Mistake(id="patience_of_every_month", question="patience_seconds",
            code=('patience_seconds = metrics.average_patience(abandoned=history["calls_abandoned"], '
                  'total_wait_seconds=history["answered_wait_seconds"] + history["abandoned_wait_seconds"])'),
            hint=None),
    # 4. worst_half_hour
    Mistake(id="fewest_answered_in_time", question="worst_half_hour",
            code=('row = day.loc[day["answered_within_20s"].idxmin()]\n'
                  'worst_time = row["interval_start"].strftime("%H:%M")\n'
                  'worst_service_level = row["answered_within_20s"] / row["calls_offered"]'),
            hint="fewest calls answered within 20 s"),
    Mistake(id="busiest_half_hour", question="worst_half_hour",
            code=('row = day.loc[day["calls_offered"].idxmax()]\n'
                  'worst_time = row["interval_start"].strftime("%H:%M")\n'
                  'worst_service_level = row["answered_within_20s"] / row["calls_offered"]'),
            hint="is the busiest half-hour"),
    # The right half-hour, its service level typed in from the table with two decimals.
    Mistake(id="typed_rounded", question="worst_half_hour",
            code=('summary = metrics.daily_summary(day).iloc[0]\n'
                  'worst_time = summary["worst_half_hour"]\n'
                  'worst_service_level = round(float(summary["worst_service_level"]), 2)'),
            hint="that half-hour's service level, rounded"),
    # 5. effect_by_team
    # The lesson's computation, on every reason's calls instead of billing's.
    Mistake(id="every_reason", question="effect_by_team",
            code=('by_team = metrics.before_after(contacts, change="2025-10-13")\n'
                  + _changes("by_team")),
            hint="measures the calls about every reason"),
    Mistake(id="every_channel", question="effect_by_team",
            code=('by_team = metrics.before_after(billing, change="2025-10-13", channel=None)\n'
                  + _changes("by_team")),
            hint="effect_by_team counts every channel"),
    Mistake(id="agents_tick_as_repeats", question="effect_by_team",
            code=('by_team = metrics.before_after(billing, change="2025-10-13")\n'
                  'effect_by_team = pd.DataFrame({\n'
                  '    "transfer_change": by_team["transfer_rate_after"] - by_team["transfer_rate_before"],\n'
                  '    "repeat_change": (1 - by_team["resolved_tick_rate_after"]) - (1 - by_team["resolved_tick_rate_before"]),\n'
                  '})'),
            hint="with the agents' \"resolved\" tick"),
    Mistake(id="before_minus_after", question="effect_by_team",
            code=('by_team = metrics.before_after(billing, change="2025-10-13")\n'
                  + _changes("by_team", before="after", after="before")),
            hint="subtracted before minus after"),
    # 6. repeat_effect
    Mistake(id="no_comparison_group", question="repeat_effect",
            code=('effect = metrics.target_effect(billing, change="2025-10-13", treated=["B", "D"])\n'
                  'repeat_effect = effect.loc["repeat_rate", "treated_change"]'),
            hint="without a comparison group"),
    Mistake(id="after_only", question="repeat_effect",
            code=('effect = metrics.target_effect(billing, change="2025-10-13", treated=["B", "D"])\n'
                  'repeat_effect = effect.loc["repeat_rate", "treated_after"] - effect.loc["repeat_rate", "comparison_after"]'),
            hint="compares the teams after the change only"),
    # The lesson's own number: every reason's calls.
    Mistake(id="effect_of_every_reason", question="repeat_effect",
            code=('effect = metrics.target_effect(contacts, change="2025-10-13", treated=["B", "D"])\n'
                  'repeat_effect = effect.loc["repeat_rate", "effect"]'),
            hint="the calls about every reason, the lesson's number"),
    Mistake(id="effect_of_every_channel", question="repeat_effect",
            code=('effect = metrics.target_effect(billing, change="2025-10-13", treated=["B", "D"], channel=None)\n'
                  'repeat_effect = effect.loc["repeat_rate", "effect"]'),
            hint="billing contacts of every channel"),
]
