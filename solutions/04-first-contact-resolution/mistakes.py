"""Typical mistakes in 04-first-contact-resolution, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the
question's type checks, loses marks on its question only, and shows its own hint and no other.
Answers of the wrong type (a whole FCRResult where a number is asked, one column selected from
a table) are not mistakes here: their messages are checked in tests/fcr/test_fcr_assignment_hints.py.
"""

from opsfirst.grading import Mistake

_VALUE = ("fcr.fcr_value(calls=VOICE_PROFILE, aht=VOICE_AHT, fcr_now=VOICE_FCR, fcr_new={new},\n"
          "                      cost_per_agent_hour=COST_PER_HOUR, shrinkage={shrinkage}, "
          "hours_per_fte=HOURS_PER_FTE{model})")


def _value(new="VOICE_FCR + 0.05", shrinkage="SHRINKAGE", model="", fte="value.fte_saved",
           money="value.cost_saved"):
    return (f"value = {_VALUE.format(new=new, shrinkage=shrinkage, model=model)}\n"
            f"fte_saved = {fte}\nmoney_saved = {money}")


_TEAMS = ('table = fcr.window_sensitivity(contacts, windows=range(1, 31), by="team"{any_reason})\n'
          'by_window = table.pivot(index="window_days", columns="team", values="fcr")\n')

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
    # 2. by team and channel
    Mistake(id="by_team_only", question="fcr_by_team_channel",
            code='fcr_by_team_channel = fcr.repeat_contact_fcr(contacts, window_days=7, by="team")',
            hint="has one row per team only"),
    Mistake(id="by_team_channel_ticks", question="fcr_by_team_channel",
            code='fcr_by_team_channel = fcr.agent_fcr(contacts, by=["team", "channel"])',
            hint="holds the agents' ticks per team and channel"),
    Mistake(id="by_team_channel_uncensored", question="fcr_by_team_channel",
            code=('fcr_by_team_channel = fcr.repeat_contact_fcr(contacts, window_days=7, '
                  'by=["team", "channel"], end="2026-03-01")'),
            hint="treats the last week's contacts as resolved"),
    Mistake(id="by_team_channel_any_reason", question="fcr_by_team_channel",
            code=('fcr_by_team_channel = fcr.repeat_contact_fcr(contacts, window_days=7, '
                  'by=["team", "channel"], same_reason=False)'),
            hint="counts a further contact about another reason"),
    # 3. survey
    Mistake(id="non_respondents_as_no", question="survey_measure",
            code=('answers = fcr.survey_fcr(survey)\n'
                  'survey_fcr_value = answers.resolved / answers.invited\n'
                  'response_rate = answers.response_rate'),
            hint="survey_fcr_value counts the customers who did not answer"),
    Mistake(id="response_rate_over_contacts", question="survey_measure",
            code=('answers = fcr.survey_fcr(survey)\n'
                  'survey_fcr_value = answers.fcr\n'
                  'response_rate = answers.counted / len(contacts)'),
            hint="email is not surveyed"),
    # 4. what the survey says about everyone invited
    Mistake(id="no_as_share_of_respondents", question="invited_said_no",
            code="invited_said_no = 1 - fcr.survey_fcr(survey).fcr",
            hint="a share of the customers who answered, not of all the customers invited"),
    # the lesson's cell, copied without turning yes into no
    Mistake(id="said_yes_not_no", question="invited_said_no",
            code=('answer = fcr.survey_fcr(survey)\n'
                  'invited_said_no = answer.resolved / answer.invited'),
            hint="counts the customers who said yes"),
    Mistake(id="silence_as_no", question="invited_said_no",
            code=('answer = fcr.survey_fcr(survey)\n'
                  'invited_said_no = 1 - answer.resolved / answer.invited'),
            hint="counts every customer who did not say yes"),
    # 5. the window that reorders the teams
    Mistake(id="ranking_any_reason", question="ranking_window",
            code=(_TEAMS.format(any_reason=", same_reason=False")
                  + 'top = by_window.idxmax(axis=1)\n'
                  'window_that_flips = int(top[top != top.loc[7]].index.min())'),
            hint="window_that_flips counts a further contact about any reason"),
    # idxmax() without axis=1 reads down each column: the best window of each team (1 day, for all)
    Mistake(id="ranking_idxmax_down_columns", question="ranking_window",
            code=(_TEAMS.format(any_reason="")
                  + 'best_window = by_window.idxmax()\n'
                  'window_that_flips = int(best_window.min())'),
            hint="read across each row with idxmax(axis=1)"),
    # Passes every visible test (27 days is a window where C leads), but it is the longest of
    # the run, not the shortest: only the hidden test catches it, and feedback must not show it.
    Mistake(id="ranking_last_window", question="ranking_window",
            code=(_TEAMS.format(any_reason="")
                  + 'top = by_window.idxmax(axis=1)\n'
                  'window_that_flips = int(top[top != top.loc[7]].index.max())'),
            hint=None),
    # 6. contacts per complaint
    Mistake(id="every_reason", question="contacts_per_issue",
            code="contacts_per_complaint = fcr.contacts_per_issue(contacts)",
            hint="counts the issues of every reason"),
    Mistake(id="contacts_per_customer", question="contacts_per_issue",
            code=('complaints = contacts[contacts["reason"] == "complaint"]\n'
                  'contacts_per_complaint = len(complaints) / complaints["customer_id"].nunique()'),
            hint="a customer can bring several different complaints"),
    Mistake(id="contacts_per_issue_modelled", question="contacts_per_issue",
            code=('complaint_fcr = fcr.repeat_contact_fcr(contacts, by="reason").loc["complaint", "fcr"]\n'
                  'contacts_per_complaint = 1 / complaint_fcr'),
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
    # the lesson's cell, copied with its 35% shrinkage
    Mistake(id="lessons_shrinkage", question="value_of_five_points",
            code=_value(shrinkage="0.35"),
            hint="uses 35% shrinkage, the lesson's assumption"),
    # values typed from the lesson's to_frame().round(2) table, or rounded
    Mistake(id="rounded_values", question="value_of_five_points",
            code=_value(fte="round(value.fte_saved, 2)", money="round(value.cost_saved, 2)"),
            hint="looks rounded"),
]
