"""Typical mistakes in 07-back-to-the-floor, each with the hint its visible test gives.

The course's classic mistakes, met again on one centre's week: averaging percentages (MAPE for
WAPE, the reasons' shares averaged), agent-half-hours for agent-hours, the Erlangs for the
requirement, shrinkage multiplied or left out, the agent's tick as FCR, censored contacts
counted as resolved, the one-repeat model, 5% for five points, the striking number believed,
attempts as the abandoned-call denominator, cost per contact for cost per resolution, a
difference of numbers rounded to pence.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the
question's type checks, loses marks on its question only, and shows its own hint and no other.
No mistake here changes a variable a later question uses (week_forecast, required, plan):
later questions would lose marks for an earlier one. Six more wrong answers, whose messages the
visible tests also give, are checked in-process only, in
tests/capstone/test_capstone_assignment_hints.py (``MORE_MISTAKES``): grading each through
nbgrader costs about 4 s of the test suite.
"""

from opsfirst.grading import Mistake

_VALUE = ("value = fcr.fcr_value(calls=week_forecast, aht=AHT, fcr_now=FCR_NOW, fcr_new={new},\n"
          "                      cost_per_agent_hour=COST_PER_HOUR, shrinkage={shrinkage}{model})\n"
          "contacts_saved = value.contacts_avoided\nmoney_saved = value.cost_saved")


def _value(new="FCR_NOW + 0.05", shrinkage="SHRINKAGE", model=""):
    return _VALUE.format(new=new, shrinkage=shrinkage, model=model)


_FORECAST = 'week_forecast = forecasting.forecast(history, week["interval_start"])\n'
_REQUIRED = ('required = pd.Series(staffing.agents_required(calls=week_forecast, aht=AHT), '
             'index=week["interval_start"])\n')
_COACHED = ('review = coaching[coaching["month_reviewed"] == "{month}"]\n'
            'coached = review.loc[review["action"] == "coached", "agent"]\n'
            'check = bias.regression_to_the_mean(monthly["{first}"], monthly["{second}"], selected=coached)\n')
_RETENTION = ('since = outbound[(outbound["campaign"] == "retention")\n'
              '                 & (outbound["dialled_at"] >= pd.Timestamp("2025-09-29", tz="Europe/London"))]\n'
              'counts = since["outcome"].value_counts()\n')
_SHIFT = ('shift = channels.channel_shift(contacts, costs, reason="complaint", from_channel="email",\n'
          '                               to_channel="chat", share={share})\n')

MISTAKES = [
    # 1. the forecast's WAPE
    Mistake(id="mape_for_wape", question="forecast_wape",
            code=(_FORECAST + 'actual = week["calls_offered"]\n'
                  'forecast_wape = (abs(actual - week_forecast) / actual).mean()'),
            hint="averages each half-hour's percentage error"),
    Mistake(id="wape_over_forecast", question="forecast_wape",
            code=(_FORECAST + 'actual = week["calls_offered"]\n'
                  'forecast_wape = abs(actual - week_forecast).sum() / week_forecast.sum()'),
            hint="divides by the forecast"),
    # 2. the requirement's agent-hours
    Mistake(id="agent_half_hours", question="agent_hours",
            code=_REQUIRED + "agent_hours = required.sum()",
            hint="that counts agent-half-hours"),
    Mistake(id="erlangs_for_agents", question="agent_hours",
            code=_REQUIRED + "agent_hours = staffing.traffic_intensity(calls=week_forecast, aht=AHT).sum() / 2",
            hint="adds up the traffic in Erlangs"),
    # 3. the cheapest cover
    Mistake(id="rota_paid_hours", question="cover_paid_hours",
            code='plan = scheduling.cover(required, SHIFTS)\npaid_hours = rota["paid_hours"].sum()',
            hint="the real rota's paid hours"),
    # 4. people
    Mistake(id="shrinkage_multiplied", question="fte_for_cover",
            code="fte = plan.paid_hours * (1 + SHRINKAGE) / HOURS_PER_FTE",
            hint="shrinkage divides"),
    Mistake(id="shrinkage_left_out", question="fte_for_cover",
            code="fte = plan.paid_hours / HOURS_PER_FTE",
            hint="fte counts only hours on the phones"),
    # 5. the week's FCR
    Mistake(id="agent_tick_as_fcr", question="fcr_week",
            code='fcr_week = week_contacts["resolved_by_agent"].mean()',
            hint="that is the agent's tick"),
    Mistake(id="censored_counted_as_resolved", question="fcr_week",
            code=('status = fcr.repeat_status(contacts, window_days=7)[contacts["in_week"]]\n'
                  'fcr_week = (status != "repeated").mean()'),
            hint="leave out (censor) the contacts whose window is not over"),
    # Passes every visible test (a repeat about any reason is in range): only the hidden test,
    # which keeps same_reason=True, catches it, and feedback must not show that test.
    Mistake(id="any_reason_repeats", question="fcr_week",
            code='fcr_week = fcr.repeat_contact_fcr(contacts, window_days=7, same_reason=False, by="in_week").loc[True, "fcr"]',
            hint=None),
    # 6. failure demand
    Mistake(id="reason_shares_averaged", question="failure_demand",
            code=('repeat = week_contacts["contact_number"] > 1\n'
                  'failure_by_reason = repeat.groupby(week_contacts["reason"], observed=True).mean()\n'
                  'failure_demand_share = failure_by_reason.mean()'),
            hint="averages the six reasons' shares"),
    Mistake(id="contacts_followed_by_a_repeat", question="failure_demand",
            code=('repeat = week_contacts["contact_number"] > 1\n'
                  'failure_by_reason = repeat.groupby(week_contacts["reason"], observed=True).mean()\n'
                  'status = fcr.repeat_status(contacts)[contacts["in_week"]]\n'
                  'failure_demand_share = (status == "repeated").mean()'),
            hint="counts the contacts that a repeat followed"),
    # 7. what five points are worth
    Mistake(id="one_repeat_model", question="fcr_gain_value",
            code=_value(model=', model="one_repeat"'),
            hint="uses 1 + (1 - FCR) calls per issue"),
    Mistake(id="five_percent_not_points", question="fcr_gain_value",
            code=_value(new="FCR_NOW * 1.05"),
            hint="five percentage points means adding 0.05"),
    Mistake(id="value_without_shrinkage", question="fcr_gain_value",
            code=_value(shrinkage="0.0"),
            hint="money_saved prices only the hours on the phones"),
    # 8. the bias check
    Mistake(id="striking_number_believed", question="coaching_check",
            code=(_COACHED.format(month="2025-10", first="2025-10", second="2025-11")
                  + 'beyond_chance = check.groups.loc["selected", "change"]'),
            hint="is the whole rise, the striking number itself"),
    Mistake(id="expected_for_beyond", question="coaching_check",
            code=(_COACHED.format(month="2025-10", first="2025-10", second="2025-11")
                  + 'beyond_chance = check.groups.loc["selected", "expected_change"]'),
            hint="is what regression to the mean predicts with no coaching"),
    Mistake(id="septembers_review", question="coaching_check",
            code=(_COACHED.format(month="2025-09", first="2025-09", second="2025-10")
                  + 'beyond_chance = check.groups.loc["selected", "beyond_expected"]'),
            hint="is about September's review"),
    # 9. outbound
    Mistake(id="attempts_as_denominator", question="retention_abandoned",
            code=_RETENTION + 'retention_abandoned_rate = counts["abandoned"] / len(since)',
            hint="divides by every number dialled"),
    Mistake(id="abandoned_not_live", question="retention_abandoned",
            code=_RETENTION + ('retention_abandoned_rate = counts["abandoned"] / '
                               '(counts["live_answer"] + counts["right_party_contact"])'),
            hint="leaves the abandoned calls out of the live calls"),
    # 10. per resolution
    Mistake(id="cost_per_contact_as_per_resolution", question="resolution_cost_gap",
            code=('table = costs.set_index("channel")\n'
                  'email_extra_per_resolution = table.loc["email", "cost_per_contact"] - table.loc["chat", "cost_per_contact"]'),
            hint="compares cost per contact"),
    Mistake(id="times_fcr", question="resolution_cost_gap",
            code=('table = costs.set_index("channel")\n'
                  'cost = table["cost_per_contact"] * table["first_contact_resolution"]\n'
                  'email_extra_per_resolution = cost["email"] - cost["chat"]'),
            hint="multiplies cost per contact by FCR"),
    Mistake(id="rounded_per_resolution_column", question="resolution_cost_gap",
            code=('table = costs.set_index("channel")\n'
                  'email_extra_per_resolution = table.loc["email", "cost_per_resolution"] - table.loc["chat", "cost_per_resolution"]'),
            hint="is rounded to pence"),
    # 11. the channel decision
    Mistake(id="email_row_only", question="complaints_to_chat",
            code=_SHIFT.format(share=0.5) + 'shift_cost_change = shift.loc["email", "cost_change"]',
            hint="reads only the email row"),
    Mistake(id="saving_as_positive", question="complaints_to_chat",
            code=_SHIFT.format(share=0.5) + 'shift_cost_change = -shift.loc["total", "cost_change"]',
            hint="gives the saving as a positive number"),
]
