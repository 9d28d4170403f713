"""Typical mistakes in 06-channels, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the
question's type checks, loses marks on its question only, and shows its own hint and no other.
The four mistakes the module is about: concurrency applied as a plain divisor
(``chat_divisor``), attempts as the abandoned-call denominator (``attempts_denominator``,
``days_per_attempt``), cost per contact taken as cost per resolution (``cost_per_contact``) and
email staffed as if it were voice (``email_as_voice``).
"""

from opsfirst.grading import Mistake

_CUMSUM = (
    'half_hours = pd.date_range("2025-09-15", "2025-10-13", freq="30min", tz="Europe/London", '
    'inclusive="left")\n'
    'arrived = email["arrival"].dt.floor("30min").value_counts().reindex(half_hours, fill_value=0)\n'
    'answered = email["first_response"].dt.floor("30min").value_counts().reindex(half_hours, '
    'fill_value=0)\n'
    'backlog_monday = (arrived.cumsum() - answered.cumsum())["2025-10-06 09:00"]')

_COUNTS = ('recent = outbound[(outbound["campaign"] == "collections") & '
           '(outbound["dialled_at"] >= "2025-09-29")]\n'
           'counts = recent["outcome"].value_counts()\n')

_FRAUD_TABLE = "fraud_table = channels.channel_cost_table(fraud_costs)\n"

MISTAKES = [
    # 1. chat
    Mistake(id="chat_divisor", question="chat_agents",
            code=("chat_agents = math.ceil(staffing.agents_required(calls=CHATS, aht=CHAT_AHT, "
                  "target_time=CHAT_TARGET_TIME) / CONCURRENCY)"),
            hint="concurrency applied as a plain divisor"),
    Mistake(id="chat_as_voice", question="chat_agents",
            code="chat_agents = channels.chat_agents_required(chats=CHATS, aht=CHAT_AHT, concurrency=1)",
            hint="as if chat were voice"),
    Mistake(id="lesson_chats", question="chat_agents",
            code=("chat_agents = channels.chat_agents_required(chats=30, aht=420, concurrency=3, "
                  "target_service_level=0.8, target_time=60)"),
            hint="the lesson's half-hour of 30 chats"),
    Mistake(id="wrong_concurrency", question="chat_agents",
            code="chat_agents = channels.chat_agents_required(chats=CHATS, aht=CHAT_AHT, concurrency=2)",
            hint="is not yet the agents this half-hour needs"),
    # 2. the Monday pile
    Mistake(id="backlog_every_email", question="backlog_monday",
            code=('backlog_monday = (email["arrival"] < pd.Timestamp("2025-10-06 09:00", '
                  'tz="Europe/London")).sum()'),
            hint="answered or not"),
    Mistake(id="backlog_half_past", question="backlog_monday", code=_CUMSUM,
            hint="is the pile at 09:30"),
    Mistake(id="backlog_from_29_september", question="backlog_monday",
            code=('arrived = email["arrival"].dt.floor("30min").value_counts().reindex(EMAIL_HALF_HOURS, fill_value=0)\n'
                  'answered = email["first_response"].dt.floor("30min").value_counts().reindex(EMAIL_HALF_HOURS, '
                  'fill_value=0)\n'
                  'backlog_monday = (arrived.cumsum() - answered.cumsum())["2025-10-06 08:30"]'),
            hint="starts on 29 September"),
    # 3. email agents
    Mistake(id="email_as_voice", question="email_agents",
            code="email_agents = int(staffing.agents_required(calls=EMAIL_ARRIVALS.to_numpy(), aht=EMAIL_AHT).max())",
            hint="staffs email as if it were voice"),
    # 4. abandoned-call rate
    Mistake(id="attempts_denominator", question="collections_abandoned_rate",
            code=_COUNTS + 'collections_rate = counts["abandoned"] / len(recent)',
            hint="divides the abandoned calls by the attempts"),
    Mistake(id="abandoned_left_out", question="collections_abandoned_rate",
            code=_COUNTS + ('collections_rate = counts["abandoned"] / (counts["live_answer"] + '
                            'counts["right_party_contact"])'),
            hint="leaves the abandoned calls out of the live calls"),
    Mistake(id="all_four_weeks", question="collections_abandoned_rate",
            code='collections_rate = channels.dialler_funnel(outbound).loc["collections", "abandoned_rate"]',
            hint="covers all four weeks"),
    # 5. days over the limit
    Mistake(id="days_per_attempt", question="retention_days_over",
            code=('retention = outbound[outbound["campaign"] == "retention"]\n'
                  'by_day = channels.dialler_funnel(retention, by=retention["dialled_at"].dt.strftime("%Y-%m-%d"))\n'
                  'retention_days_over = (by_day["abandoned_per_attempt"] > 0.03).sum()'),
            hint="over 3% of the attempts (per attempt)"),
    # 6. cost per resolution
    Mistake(id="cost_per_contact", question="fraud_cost_per_resolution",
            code=_FRAUD_TABLE + 'email_fraud_cost = fraud_table.loc["email", "cost_per_contact"]',
            hint="is the cost per contact"),
    Mistake(id="fcr_multiplied", question="fraud_cost_per_resolution",
            code=(_FRAUD_TABLE + 'email_fraud_cost = (fraud_table.loc["email", "cost_per_contact"] '
                  '* fraud_table.loc["email", "first_contact_resolution"])'),
            hint="multiplies the cost per contact by the FCR"),
    Mistake(id="average_email", question="fraud_cost_per_resolution",
            code='email_fraud_cost = channels.channel_cost_table(costs).loc["email", "cost_per_resolution"]',
            hint="of an average email"),
    Mistake(id="average_cost_per_contact", question="fraud_cost_per_resolution",
            code=('email_fraud_cost = channels.cost_per_resolution(\n'
                  '    cost_per_contact=costs.set_index("channel").loc["email", "cost_per_contact"],\n'
                  '    fcr=fraud_costs.set_index("channel").loc["email", "first_contact_resolution"])'),
            hint="divides an average email's cost per contact"),
    # 7. cheapest channel
    Mistake(id="dearest_channel", question="cheapest_channel",
            code='cheapest_fraud_channel = channels.channel_cost_table(fraud_costs)["cost_per_resolution"].idxmax()',
            hint="is the dearest channel per resolution"),
    # A guess: the visible check rules out only the dearest channel (pinning the cheapest of three
    # would give it away), so only the hidden tests catch it.
    Mistake(id="guessed_voice", question="cheapest_channel",
            code='cheapest_fraud_channel = "voice"',
            hint=None),
    # 8. the shift
    Mistake(id="shift_email_only", question="fraud_shift",
            code=('shift = channels.channel_shift(contacts, costs, reason="fraud", from_channel="email", '
                  'to_channel="chat", share=0.5)\n'
                  'fraud_shift_change = shift.loc["email", "cost_change"]'),
            hint="only the email channel's change"),
]
