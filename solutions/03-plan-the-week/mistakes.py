"""Typical mistakes in 03-plan-the-week, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the
question's type checks, loses marks on its question only, and shows its own hint and no other.
"""

from opsfirst.grading import Mistake

MISTAKES = [
    # 2. WAPE, not MAPE: the mean of each half-hour's percentage error weighs a quiet evening
    # half-hour as much as the busy morning.
    Mistake(id="mape_for_wape", question="naive_wape",
            code=("actual = week[\"calls\"].to_numpy()\n"
                  "naive_wape = float(np.mean(np.abs(actual - naive_forecast) / actual))"),
            hint="naive_wape is the MAPE"),
    # 2. Rounded before it was asked for: only the hidden test would see it.
    Mistake(id="naive_wape_rounded", question="naive_wape",
            code="naive_wape = round(forecasting.wape(week[\"calls\"], naive_forecast), 3)",
            hint="naive_wape looks rounded"),
    # 3. method= forgotten: the default forecast's WAPE, not the four-week mean's.
    Mistake(id="four_week_default_method", question="four_week_wape",
            code=("four_weeks = forecasting.forecast(history, week[\"interval_start\"])\n"
                  "four_week_wape = forecasting.wape(week[\"calls\"], four_weeks)"),
            hint="the WAPE of forecasting.forecast's default method"),
    Mistake(id="four_week_wape_rounded", question="four_week_wape",
            code=("four_weeks = forecasting.forecast(history, week[\"interval_start\"], method=\"mean_4_weeks\")\n"
                  "four_week_wape = round(forecasting.wape(week[\"calls\"], four_weeks), 4)"),
            hint="four_week_wape looks rounded"),
    # 3. The four weeks averaged include the week being forecast (a spreadsheet's last four
    # columns, taken after the week was in).
    Mistake(id="test_week_in_history", question="four_week_wape",
            code=("last_4 = calls[calls[\"interval_start\"] >= \"2003-08-04\"]\n"
                  "slot = last_4[\"interval_start\"].dt.strftime(\"%a %H:%M\")\n"
                  "mean_4 = last_4.groupby(slot)[\"calls\"].mean()\n"
                  "four_weeks = mean_4[week[\"interval_start\"].dt.strftime(\"%a %H:%M\")].to_numpy()\n"
                  "four_week_wape = forecasting.wape(week[\"calls\"], four_weeks)"),
            hint="the test week is in the history"),
    # 4. Staffed to what really happened instead of the forecast.
    Mistake(id="required_from_actual_calls", question="required_week",
            code=("required_week = pd.Series(\n"
                  "    staffing.agents_required(calls=week[\"calls\"], aht=AHT, target_service_level=TARGET_SL,\n"
                  "                             target_time=TARGET_TIME),\n"
                  "    index=week[\"interval_start\"])"),
            hint="staffed for the calls that really came"),
    # 4. Which forecast? Question 4 plans with the default; the other two staff a worse one.
    Mistake(id="required_from_naive", question="required_week",
            code=("naive = forecasting.forecast(history, week[\"interval_start\"], method=\"seasonal_naive\")\n"
                  "required_week = pd.Series(staffing.agents_required(calls=naive, aht=AHT),\n"
                  "                          index=week[\"interval_start\"])"),
            hint="required_week staffs the seasonal naive forecast"),
    Mistake(id="required_from_four_weeks", question="required_week",
            code=("four_weeks = forecasting.forecast(history, week[\"interval_start\"], method=\"mean_4_weeks\")\n"
                  "required_week = pd.Series(staffing.agents_required(calls=four_weeks, aht=AHT),\n"
                  "                          index=week[\"interval_start\"])"),
            hint="required_week staffs the four-week mean"),
    # 4. Shrinkage in the requirement: people planned for breaks in the agents on the phones.
    Mistake(id="required_with_shrinkage", question="required_week",
            code=("better = forecasting.forecast(history, week[\"interval_start\"])\n"
                  "required_week = pd.Series(staffing.agents_required(calls=better, aht=AHT, shrinkage=SHRINKAGE),\n"
                  "                          index=week[\"interval_start\"])"),
            hint="required_week includes shrinkage"),
    # 5. Scheduling to the total instead of every half-hour.
    Mistake(id="scheduled_to_the_total", question="paid_hours",
            code="paid_hours = float(required_week.sum() / 2)",
            hint="that schedules to the total, not to every half-hour"),
    # 6. Shrinkage multiplied.
    Mistake(id="shrinkage_multiplied", question="fte_needed",
            code="fte_needed = paid_hours * (1 + SHRINKAGE) / HOURS_PER_FTE",
            hint="Shrinkage divides"),
    Mistake(id="shrinkage_left_out", question="fte_needed",
            code="fte_needed = paid_hours / HOURS_PER_FTE",
            hint="fte_needed leaves out shrinkage"),
    Mistake(id="forty_hour_week", question="fte_needed",
            code="fte_needed = paid_hours / (1 - SHRINKAGE) / 40",
            hint="counts a full-time week as 40 hours"),
    # 7. The fewest agents is not the worst cover.
    Mistake(id="fewest_agents", question="worst_covered",
            code="worst_half_hour = tuesday[\"agents\"].idxmin().strftime(\"%H:%M\")",
            hint="the fewest agents logged in"),
]

# Passes every visible test (140 whole numbers from the history, not the week itself): only
# the hidden test catches a seasonal naive forecast taken two weeks back, and the feedback
# must not show it.
MISTAKES.append(
    Mistake(id="naive_two_weeks_back", question="naive_forecast",
            code=("two_weeks_back = calls[(calls[\"interval_start\"] >= \"2003-08-11\")\n"
                  "                       & (calls[\"interval_start\"] < \"2003-08-16\")]\n"
                  "naive_forecast = two_weeks_back[\"calls\"].to_numpy()"),
            hint=None))
