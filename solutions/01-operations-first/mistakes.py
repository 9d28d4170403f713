"""Typical mistakes in 01-operations-first, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the
question's type checks, loses marks on its question only, and shows its own hint and no other.
A percentage where a fraction is asked is caught by the tests of questions 1, 2, 4 and 6 too
(00-welcome already drills it); it is left out here to keep the soundness run short.
"""

from opsfirst.grading import Mistake

_WAITS = 'september["answered_wait_seconds"] + september["abandoned_wait_seconds"]'

MISTAKES = [
    # 1. september_service_level
    Mistake(id="mean_of_half_hours", question="september_service_level",
            code=('september_service_level = (september["answered_within_20s"] '
                  '/ september["calls_offered"]).mean()'),
            hint="average of the half-hours' service levels"),
    Mistake(id="mean_of_days", question="september_service_level",
            code='september_service_level = metrics.daily_summary(september)["service_level"].mean()',
            hint="average of the days' service levels"),
    Mistake(id="over_answered", question="september_service_level",
            code=('september_service_level = september["answered_within_20s"].sum() '
                  '/ september["calls_answered"].sum()'),
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
    # 5. effect_by_team
    Mistake(id="every_channel", question="effect_by_team",
            code=('by_team = metrics.before_after(contacts, change="2025-10-13", channel=None)\n'
                  'effect_by_team = pd.DataFrame({\n'
                  '    "transfer_change": by_team["transfer_rate_after"] - by_team["transfer_rate_before"],\n'
                  '    "repeat_change": by_team["repeat_rate_after"] - by_team["repeat_rate_before"],\n'
                  '})'),
            hint="The AHT target is for voice calls"),
    Mistake(id="agents_tick_as_repeats", question="effect_by_team",
            code=('by_team = metrics.before_after(contacts, change="2025-10-13")\n'
                  'effect_by_team = pd.DataFrame({\n'
                  '    "transfer_change": by_team["transfer_rate_after"] - by_team["transfer_rate_before"],\n'
                  '    "repeat_change": (1 - by_team["resolved_tick_rate_after"]) - (1 - by_team["resolved_tick_rate_before"]),\n'
                  '})'),
            hint="with the agents' \"resolved\" tick"),
    Mistake(id="before_minus_after", question="effect_by_team",
            code=('by_team = metrics.before_after(contacts, change="2025-10-13")\n'
                  'effect_by_team = pd.DataFrame({\n'
                  '    "transfer_change": by_team["transfer_rate_before"] - by_team["transfer_rate_after"],\n'
                  '    "repeat_change": by_team["repeat_rate_before"] - by_team["repeat_rate_after"],\n'
                  '})'),
            hint="subtracted before minus after"),
    # 6. repeat_effect
    Mistake(id="no_comparison_group", question="repeat_effect",
            code=('effect = metrics.target_effect(contacts, change="2025-10-13", treated=["B", "D"])\n'
                  'repeat_effect = effect.loc["repeat_rate", "treated_change"]'),
            hint="without a comparison group"),
    Mistake(id="after_only", question="repeat_effect",
            code=('effect = metrics.target_effect(contacts, change="2025-10-13", treated=["B", "D"])\n'
                  'repeat_effect = effect.loc["repeat_rate", "treated_after"] - effect.loc["repeat_rate", "comparison_after"]'),
            hint="compares the teams after the change only"),
]
