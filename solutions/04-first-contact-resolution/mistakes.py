"""Typical mistakes in 04-first-contact-resolution, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the
question's type checks, loses marks on its question only, and shows its own hint and no other.
"""

from opsfirst.grading import Mistake

_VALUE = ("fcr.fcr_value(calls=VOICE_PROFILE, aht=VOICE_AHT, fcr_now=VOICE_FCR, fcr_new={new},\n"
          "                      cost_per_agent_hour=COST_PER_HOUR, shrinkage={shrinkage}, "
          "hours_per_fte=HOURS_PER_FTE{model})")


def _value(new="VOICE_FCR + 0.05", shrinkage="SHRINKAGE", model=""):
    return (f"value = {_VALUE.format(new=new, shrinkage=shrinkage, model=model)}\n"
            "fte_saved = value.fte_saved\nmoney_saved = value.cost_saved")


MISTAKES = [
    # 1. repeat-contact FCR
    Mistake(id="agent_tick_as_fcr", question="fcr_overall",
            code='fcr_7_days = contacts["resolved_by_agent"].mean()',
            hint="that is the agent's tick"),
    Mistake(id="censored_counted_as_resolved", question="fcr_overall",
            code='fcr_7_days = (fcr.repeat_status(contacts, window_days=7) != "repeated").mean()',
            hint="leave out (censor) the contacts whose window runs past"),
    Mistake(id="fcr_as_percent", question="fcr_overall",
            code="fcr_7_days = 100 * fcr.repeat_contact_fcr(contacts, window_days=7).fcr",
            hint="not a percentage"),
    # 2. by team
    Mistake(id="by_team_forgotten", question="fcr_by_team",
            code="fcr_by_team = fcr.repeat_contact_fcr(contacts, window_days=7)",
            hint='the argument by="team"'),
    Mistake(id="by_team_uncensored", question="fcr_by_team",
            code=('fcr_by_team = fcr.repeat_contact_fcr(contacts, window_days=7, by="team", '
                  'end="2026-03-01")'),
            hint="treats the last week's contacts as resolved"),
    # 3. survey
    Mistake(id="non_respondents_as_no", question="survey_measure",
            code=('answers = fcr.survey_fcr(survey)\n'
                  'survey_fcr_value = answers.resolved / answers.invited\n'
                  'response_rate = answers.response_rate'),
            hint="left out, not counted as 'no'"),
    Mistake(id="response_rate_over_contacts", question="survey_measure",
            code=('answers = fcr.survey_fcr(survey)\n'
                  'survey_fcr_value = answers.fcr\n'
                  'response_rate = answers.counted / len(contacts)'),
            hint="email is not surveyed"),
    # 4. respondents are not customers
    Mistake(id="respondents_read_as_customers", question="invited_said_yes",
            code="invited_said_yes = fcr.survey_fcr(survey).fcr",
            hint="a share of respondents, not of the customers invited"),
    # 5. the window that reorders the teams
    Mistake(id="ranking_any_reason", question="ranking_window",
            code=('table = fcr.window_sensitivity(contacts, windows=range(1, 31), by="team", '
                  'same_reason=False)\n'
                  'top = table.pivot(index="window_days", columns="team", values="fcr").idxmax(axis=1)\n'
                  'window_that_flips = int(top[top != top.loc[7]].index.min())'),
            hint="counts a further contact about any reason"),
    # Passes every visible test (27 days is a window where C leads), but it is the longest of
    # the run, not the shortest: only the hidden test catches it, and feedback must not show it.
    Mistake(id="ranking_last_window", question="ranking_window",
            code=('table = fcr.window_sensitivity(contacts, windows=range(1, 31), by="team")\n'
                  'top = table.pivot(index="window_days", columns="team", values="fcr").idxmax(axis=1)\n'
                  'window_that_flips = int(top[top != top.loc[7]].index.max())'),
            hint=None),
    # 6. contacts per issue
    Mistake(id="contacts_per_customer", question="contacts_per_issue",
            code='contacts_per_issue_measured = len(contacts) / contacts["customer_id"].nunique()',
            hint="a customer can bring several different issues"),
    Mistake(id="contacts_per_issue_modelled", question="contacts_per_issue",
            code="contacts_per_issue_measured = 1 / fcr.repeat_contact_fcr(contacts).fcr",
            hint="that is the geometric model's answer"),
    # 7. what +5 points are worth
    Mistake(id="one_plus_one_minus_fcr", question="value_of_five_points",
            code=_value(model=', model="one_repeat"'),
            hint="uses 1 + (1 - FCR) contacts per issue"),
    Mistake(id="five_percent_not_points", question="value_of_five_points",
            code=_value(new="VOICE_FCR * 1.05"),
            hint="Five percentage points means adding 0.05"),
    Mistake(id="shrinkage_left_out", question="value_of_five_points",
            code=_value(shrinkage="0.0"),
            hint="leaves shrinkage out"),
]
