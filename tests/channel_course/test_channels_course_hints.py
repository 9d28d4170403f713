"""What assignment 06's visible checks tell a learner who gives a wrong, rounded or mistyped answer.

The released notebook's own cells run here, in one namespace: its setup cell, then for each
answer the question's visible test cell (the release holds no hidden test). The right answers
must pass; each wrong answer a learner is likely to give must get a message that names the way
out, and no message may show the right value in any form a learner could read.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from course_helpers import (
    answer_code_shown, assert_gives_nothing_away, release_cells, visible_message,
)

SLUG = "06-channels"


@pytest.fixture(scope="module")
def notebook():
    """The release's test cells by grade_id, a namespace after its setup cell, and the answers."""
    cells = release_cells(SLUG)
    space: dict = {}
    exec(cells["setup"], space)  # noqa: S102 - the course's own released cell
    channels, email, outbound = space["channels"], space["email"], space["outbound"]
    nine = pd.Timestamp("2025-10-06 09:00", tz="Europe/London")
    recent = outbound[(outbound["campaign"] == "collections") & (outbound["dialled_at"] >= "2025-09-29")]
    counts = recent["outcome"].value_counts()
    retention = outbound[outbound["campaign"] == "retention"]
    fraud_table = channels.channel_cost_table(space["fraud_costs"])
    right = dict(
        chat_agents=dict(chat_agents=channels.chat_agents_required(
            chats=space["CHATS"], aht=space["CHAT_AHT"], concurrency=space["CONCURRENCY"])),
        backlog_monday=dict(backlog_monday=((email["arrival"] < nine) & ~(email["first_response"] < nine)).sum()),
        email_agents=dict(email_agents=channels.email_agents_required(
            space["EMAIL_ARRIVALS"], aht=space["EMAIL_AHT"], open=space["EMAIL_OPEN"],
            response_target=space["RESPONSE_TARGET"])),
        collections_abandoned_rate=dict(collections_rate=channels.abandoned_call_rate(
            abandoned=counts["abandoned"],
            live_answers=counts["live_answer"] + counts["right_party_contact"] + counts["abandoned"])),
        retention_days_over=dict(retention_days_over=channels.dialler_funnel(
            retention, by=retention["dialled_at"].dt.strftime("%Y-%m-%d"), limit=0.03)["over_limit"].sum()),
        fraud_cost_per_resolution=dict(email_fraud_cost=fraud_table.loc["email", "cost_per_resolution"]),
        cheapest_channel=dict(cheapest_fraud_channel=fraud_table["cost_per_resolution"].idxmin()),
        fraud_shift=dict(fraud_shift_change=channels.channel_shift(
            space["contacts"], space["costs"], reason="fraud", from_channel="email",
            to_channel="chat", share=0.5).loc["total", "cost_change"]),
    )
    return cells, space, right


def said(notebook, question, answers):
    cells, space, _ = notebook
    return visible_message(cells, space, question, answers)


def numbers(right):
    return [float(v) for answers in right.values() for v in answers.values() if not isinstance(v, str)]


def test_the_right_answers_pass_the_visible_checks(notebook):
    _, _, right = notebook
    for question, answers in right.items():
        assert said(notebook, question, answers) == "", question


def test_fraud_costs_holds_the_inputs_only(notebook):
    """The trial's trap: a copy of costs kept the average contact's cost columns, which read as fraud's."""
    _, space, _ = notebook
    fraud_costs = space["fraud_costs"]
    assert not {"cost_per_contact", "contacts_per_resolution", "cost_per_resolution"} & set(fraud_costs.columns)
    assert list(fraud_costs.index) == [0, 1, 2] and list(fraud_costs["channel"]) == ["voice", "chat", "email"]
    assert "half_hours" not in space  # the lesson's half_hours starts on 15 September: no clash
    assert space["EMAIL_HALF_HOURS"][0] == pd.Timestamp("2025-09-29", tz="Europe/London")  # as question 2 says


def test_the_answers_are_what_the_text_expects(notebook):
    """Pinned so that a change of data or library that moves an answer is seen and the text re-read."""
    _, _, right = notebook
    assert int(right["chat_agents"]["chat_agents"]) == 6
    assert int(right["backlog_monday"]["backlog_monday"]) == 135
    assert int(right["email_agents"]["email_agents"]) == 4
    assert int(right["retention_days_over"]["retention_days_over"]) == 12
    assert right["cheapest_channel"]["cheapest_fraud_channel"] == "chat"
    assert right["fraud_shift"]["fraud_shift_change"] < 0


WRONG = [
    # (question, answers, what the message must say)
    ("chat_agents", {"chat_agents": 4}, "plain divisor"),
    ("chat_agents", {"chat_agents": 12}, "as if chat were voice"),
    ("chat_agents", {"chat_agents": 20}, "fewer than the voice"),
    ("chat_agents", {"chat_agents": 6.0}, "a decimal"),
    ("chat_agents", {"chat_agents": 5}, "lesson's half-hour of 30 chats"),
    ("chat_agents", {"chat_agents": 7}, "not yet the agents this half-hour needs"),
    ("backlog_monday", {"backlog_monday": 125}, "pile at 09:30"),
    ("backlog_monday", {"backlog_monday": 4111}, "answered or not"),
    ("backlog_monday", {"backlog_monday": 0}, "tens or hundreds"),
    ("backlog_monday", {"backlog_monday": 15}, "starts on 29 September"),  # the trial's: 08:30 row
    ("backlog_monday", {"backlog_monday": 5}, "starts on 29 September"),   # and the 09:00 row
    ("email_agents", {"email_agents": 9}, "as if it were voice"),
    ("email_agents", {"email_agents": 1}, "less time on shift"),
    ("email_agents", {"email_agents": 12}, "needs fewer"),
    ("collections_abandoned_rate", {"collections_rate": 2.0843924758515507}, "not a percentage"),
    ("collections_abandoned_rate", {"collections_rate": 0.0208}, "looks rounded"),
    ("collections_abandoned_rate", {"collections_rate": 0.021}, "looks rounded"),
    ("collections_abandoned_rate", {"collections_rate": "0.02"}, "remove the quotes"),
    ("collections_abandoned_rate", {"collections_rate": 0.0051}, "by the attempts"),
    ("collections_abandoned_rate", {"collections_rate": 0.0213}, "leaves the abandoned calls out"),
    ("collections_abandoned_rate", {"collections_rate": 0.0212}, "covers all four weeks"),
    ("retention_days_over", {"retention_days_over": 2}, "per attempt"),
    ("retention_days_over", {"retention_days_over": 3}, "collections campaign's count"),
    ("retention_days_over", {"retention_days_over": 25}, "between 0 and"),
    ("fraud_cost_per_resolution", {"email_fraud_cost": 9.9}, "looks rounded"),
    ("fraud_cost_per_resolution", {"email_fraud_cost": 10.0}, "looks rounded"),
    ("fraud_cost_per_resolution", {"email_fraud_cost": 5.19}, "is the cost per contact"),
    ("fraud_cost_per_resolution", {"email_fraud_cost": 3.0}, "more than a fraud email's cost per contact"),
    ("fraud_cost_per_resolution", {"email_fraud_cost": 6.73}, "of an average email of any reason"),
    ("fraud_cost_per_resolution", {"email_fraud_cost": 7.053125}, "divides an average email's cost per contact"),
    ("cheapest_channel", {"cheapest_fraud_channel": "Chat"}, "lower case"),
    ("cheapest_channel", {"cheapest_fraud_channel": "email"}, "dearest channel"),
    ("cheapest_channel", {"cheapest_fraud_channel": 1}, "as text"),
    ("cheapest_channel", {"cheapest_fraud_channel": 1}, "A whole number is a row number"),
    ("cheapest_channel", {"cheapest_fraud_channel": 8.0}, ".idxmin() gives the name"),
    ("fraud_shift", {"fraud_shift_change": -49.79}, "looks rounded"),
    ("fraud_shift", {"fraud_shift_change": -50.0}, "looks rounded"),
    ("fraud_shift", {"fraud_shift_change": 5000.0}, "tens of pounds"),
    ("fraud_shift", {"fraud_shift_change": 11779.93}, "whole cost after the move"),
    ("fraud_shift", {"fraud_shift_change": -113.06}, "only the email channel's change"),
]


@pytest.mark.parametrize("question, answers, says", WRONG, ids=[f"{q}-{s}" for q, _, s in WRONG])
def test_a_wrong_answer_gets_a_message_that_teaches_and_gives_nothing_away(notebook, question, answers, says):
    _, _, right = notebook
    message = said(notebook, question, answers)
    assert says in message, message
    assert_gives_nothing_away(message, numbers(right), texts=("\"chat\" is",))


def test_email_staffed_as_voice_is_the_literal_the_check_names(notebook):
    """The visible check compares email_agents with 9, the agents Erlang C gives the busiest
    half-hour of email as if it were voice: recomputed here, so a change to the data cannot
    leave the literal wrong."""
    cells, space, right = notebook
    staffing = space["staffing"]
    as_voice = int(staffing.agents_required(calls=space["EMAIL_ARRIVALS"].to_numpy(),
                                            aht=space["EMAIL_AHT"]).max())
    assert as_voice == 9 and "email_agents != 9" in cells["email_agents_tests"]
    assert int(right["email_agents"]["email_agents"]) < as_voice


def test_the_rounded_forms_in_the_table_are_the_right_values_rounded(notebook):
    """The rounded answers of the table above are roundings of the right ones (or the test is moot)."""
    _, _, right = notebook
    rate = right["collections_abandoned_rate"]["collections_rate"]
    cost = right["fraud_cost_per_resolution"]["email_fraud_cost"]
    shift = right["fraud_shift"]["fraud_shift_change"]
    assert math.isclose(round(rate, 4), 0.0208) and math.isclose(round(rate, 3), 0.021)
    assert math.isclose(round(cost, 2), 9.9) and math.isclose(round(cost), 10.0)
    assert math.isclose(round(shift, 2), -49.79) and math.isclose(round(shift), -50.0)


# The answers' own routes (the solution cells' calls and selections): a visible check that recomputes
# the right value with them hands the learner the answer's code. The right and the wrong values the
# visible checks compare with are fixed literals, or digests where a literal would give the answer away.
ANSWER_CODE = ["chat_agents_required(", "email_agents_required(", "agents_required(", "abandoned_call_rate(",
               "dialler_funnel(",
               "channel_cost_table(", "channel_shift(", "idxmin(", "idxmax(", '~(email["first_response"]',
               ".cumsum()", 'set_index("channel")', "cost_per_agent_hour", "first_contact_resolution",
               "value_counts(", "OFCOM_ABANDONED_CALL_LIMIT"]


def test_visible_checks_do_not_hold_the_answer_code():
    shown = answer_code_shown(SLUG, ANSWER_CODE)
    assert len(shown) == 8 and not any(shown.values()), shown
