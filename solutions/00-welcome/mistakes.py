"""Typical mistakes in 00-welcome, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the question's type
checks, loses marks on its question only, and shows its own hint and no other.
"""

from opsfirst.grading import Mistake

MISTAKES = [
    # 1. total_calls
    Mistake(id="counted_rows", question="total_calls",
            code="total_calls = len(day)",
            hint="number of half-hours in the day"),
    Mistake(id="counted_answered", question="total_calls",
            code='total_calls = day["calls_answered"].sum()',
            hint="counts the calls answered"),
    Mistake(id="busiest_half_hour_calls", question="total_calls",
            code='total_calls = day["calls_offered"].max()',
            hint="the calls of one half-hour, the busiest"),
    Mistake(id="summed_within_20s", question="total_calls",
            code='total_calls = day["answered_within_20s"].sum()',
            hint="adds up only the calls answered within 20 seconds"),
    Mistake(id="averaged_calls", question="total_calls",
            code='total_calls = day["calls_offered"].mean()',
            hint="did you take an average (.mean())"),
    # 2. busiest_interval
    Mistake(id="first_row", question="busiest_interval",
            code='busiest_interval = day.loc[0, "interval_start"].strftime("%H:%M")',
            hint="is when the line opens"),
    Mistake(id="quietest", question="busiest_interval",
            code='busiest_interval = day.loc[day["calls_offered"].idxmin(), "interval_start"].strftime("%H:%M")',
            hint="is the quietest half-hour"),
    Mistake(id="most_abandoned", question="busiest_interval",
            code='busiest_interval = day.loc[day["calls_abandoned"].idxmax(), "interval_start"].strftime("%H:%M")',
            hint="the half-hour with the most calls abandoned"),
    Mistake(id="second_busiest", question="busiest_interval",
            code='busiest_interval = "10:00"',
            hint="one of the day's busiest half-hours, but not the busiest"),
    Mistake(id="time_not_text", question="busiest_interval",
            code='busiest_interval = day.loc[day["calls_offered"].idxmax(), "interval_start"]',
            hint="should be text"),
    Mistake(id="seconds_kept", question="busiest_interval",
            code='busiest_interval = day.loc[day["calls_offered"].idxmax(), "interval_start"].strftime("%H:%M:%S")',
            hint="hours and minutes only"),
    Mistake(id="month_for_minutes", question="busiest_interval",
            code='busiest_interval = day.loc[day["calls_offered"].idxmax(), "interval_start"].strftime("%H:%m")',
            hint="%m (small m) is the month"),
    # 3. service_level_day
    Mistake(id="average_of_ratios", question="service_level_day",
            code='service_level_day = (day["answered_within_20s"] / day["calls_offered"]).mean()',
            hint="average of the half-hours' service levels"),
    Mistake(id="rates_left_as_a_column", question="service_level_day",
            code='service_level_day = day["answered_within_20s"] / day["calls_offered"]',
            hint="one value for each half-hour"),
    Mistake(id="rates_added_up", question="service_level_day",
            code='service_level_day = (day["answered_within_20s"] / day["calls_offered"]).sum()',
            hint="adds up the half-hours' rates"),
    Mistake(id="divided_the_wrong_way", question="service_level_day",
            code='service_level_day = day["calls_offered"].sum() / day["answered_within_20s"].sum()',
            hint="divides the wrong way round"),
    Mistake(id="over_answered", question="service_level_day",
            code='service_level_day = day["answered_within_20s"].sum() / day["calls_answered"].sum()',
            hint="divides by the calls answered"),
    Mistake(id="percentage", question="service_level_day",
            code='service_level_day = 100 * day["answered_within_20s"].sum() / day["calls_offered"].sum()',
            hint="looks like a percentage"),
    Mistake(id="answered_share", question="service_level_day",
            code='service_level_day = day["calls_answered"].sum() / day["calls_offered"].sum()',
            hint="however long the callers waited"),
    Mistake(id="typed_rounded", question="service_level_day",
            code="service_level_day = 0.9474",
            hint="as if typed in from a rounded result"),
    # Right to six decimals, so it passes every visible check (they compare six significant
    # figures): only the hidden test, exact to 1e-12, catches it, and the feedback must not
    # show that test.
    Mistake(id="rounded_to_six_decimals", question="service_level_day",
            code='service_level_day = round(day["answered_within_20s"].sum() / day["calls_offered"].sum(), 6)',
            hint=None),
]
