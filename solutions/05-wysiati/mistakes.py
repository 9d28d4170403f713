"""Typical mistakes in 05-wysiati, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the question's type
checks, loses marks on its question only, and shows its own hint and no other. Each entry costs one
more notebook in every nbgrader run of those tests, so the list keeps the instructive ones: the four
mistakes issue 23 names (the normal-approximation interval at n = 5, the respondents' share read as
all customers', the aggregate comparison without the segments, the selected group's change read as
an effect), at least one per question, and one that only the hidden tests catch.
The test cells catch more (a change the wrong way round, percentages, weights multiplied, the
whole day's service level, the wrong month, rounded answers and rounded traps...):
tests/bias/test_bias_assignment_hints.py runs every one of them, these and those, against the
visible tests in a few seconds, without nbgrader.
"""

from opsfirst.grading import Mistake

MISTAKES = [
    # 1. coached_change
    Mistake(id="coached_change_of_praised", question="coached_change",
            code='coached_change = (monthly.loc[praised, "2025-10"] - monthly.loc[praised, "2025-09"]).mean()',
            hint="the change of the six praised agents"),
    # 2. expected_change: the change of the selected group read as an effect
    Mistake(id="expected_change_none", question="expected_change",
            code="expected_change = 0",
            hint="reads the coached group's whole change as the effect of coaching"),
    Mistake(id="expected_change_months_swapped", question="expected_change",
            code=('check = bias.regression_to_the_mean(monthly["2025-10"], monthly["2025-09"], selected=coached)\n'
                  'expected_change = check.groups.loc["selected", "expected_change"]'),
            hint="months the wrong way round"),
    # 3. pass_interval: the normal approximation at n = 5
    Mistake(id="pass_interval_normal_approximation", question="pass_interval",
            code=('c02 = qa[(qa["month"] == "2025-11") & (qa["agent"] == "C02")]\n'
                  'rate = (c02["score"] >= PASS_MARK).mean()\n'
                  'half = 1.96 * math.sqrt(rate * (1 - rate) / len(c02))\n'
                  'pass_interval = (rate - half, rate + half)'),
            hint="that is the normal approximation"),
    # 4. satisfied_all: the respondents' share read as all customers'
    Mistake(id="satisfied_respondents_share", question="satisfied_all",
            code='satisfied_all = (answered["csat"] >= 4).mean()',
            hint="the share among those who answered: the dashboard's number"),
    Mistake(id="satisfied_reweighted_on_contact", question="satisfied_all",
            code=('satisfied_all = bias.nonresponse(invited.assign(satisfied=invited["csat"] >= 4), responded="responded",\n'
                  '                                 answer="satisfied", by="contact").reweighted_estimate'),
            hint="re-weighted on what you know about customers"),
    # 5. gap_same_mix: the aggregate comparison without the segments
    Mistake(id="gap_overall", question="gap_same_mix",
            code=('answered["said_resolved"] = answered["resolved_said"] == "yes"\n'
                  'rates = answered.groupby("shift")["said_resolved"].mean()\n'
                  'gap_same_mix = rates["08-10"] - rates["10-20"]'),
            hint="the comparison without the segments"),
    # 6. outside_funnel
    Mistake(id="funnel_at_95", question="outside_funnel",
            code=('november = qa[qa["month"] == "2025-11"]\n'
                  'table = november.groupby("agent", observed=True)["score"].agg(average="mean", calls="size")\n'
                  'limits = bias.funnel_limits(table["calls"], mean=november["score"].mean(),\n'
                  '                            sd=november["score"].std()).set_axis(table.index)\n'
                  'outside_funnel = int(((table["average"] < limits["lower_95"]) | (table["average"] > limits["upper_95"])).sum())'),
            hint="counts the agents outside the 95% limits"),
    # 7. lunch_service_level: the average hides the tail
    Mistake(id="lunch_mean_of_half_hours", question="lunch_service_level",
            code=('day = history[history["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-22"]\n'
                  'lunch = day[day["interval_start"].dt.hour.isin([12, 13])]\n'
                  'lunch_service_level = (lunch["answered_within_20s"] / lunch["calls_offered"]).mean()'),
            hint="average of the four half-hours' service levels"),
    # Passes every visible test (the 14:00 half-hour counted in too: a service level in range,
    # near none of the traps the checks name): only the hidden test catches it, and the feedback
    # must not show it.
    Mistake(id="lunch_with_the_14_00_half_hour", question="lunch_service_level",
            code=('day = history[history["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-22"]\n'
                  'lunch = day[day["interval_start"].dt.strftime("%H:%M").between("12:00", "14:00")]\n'
                  'lunch_service_level = lunch["answered_within_20s"].sum() / lunch["calls_offered"].sum()'),
            hint=None),
    # 8. check the calculator
    Mistake(id="traffic_as_published", question="true_traffic",
            code="traffic = 10.61",
            hint="the article's own 10.61"),]
