"""Check cost per resolution, the channel table and the channel mix against hand-worked rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opsfirst import channels, datasets, fcr, staffing


def test_cost_per_resolution_hand_worked():
    """GBP 2.14 a contact at 65% FCR: 1 / 0.65 = 1.538 contacts an issue, 2.14 x 1.538 = 3.29."""
    assert round(channels.cost_per_resolution(2.14, 0.65), 2) == 3.29
    assert isinstance(channels.cost_per_resolution(2.14, 0.65), float)
    assert channels.cost_per_resolution(3.0, 1.0) == 3.0
    np.testing.assert_allclose(channels.cost_per_resolution([2.0, 3.0], 0.5), [4.0, 6.0])


def test_cost_per_resolution_is_fcr_values_geometric_model():
    """fcr_value's contacts per issue (geometric model) x cost per contact."""
    v = fcr.fcr_value(calls=1000, aht=300, fcr_now=0.8, fcr_new=0.8, cost_per_agent_hour=27)
    assert v.contacts_per_issue_now == pytest.approx(1 / 0.8)
    assert channels.cost_per_resolution(2.5, 0.8) == pytest.approx(2.5 * v.contacts_per_issue_now)


@pytest.mark.parametrize("args, words", [
    ((2.0, 72), ["fcr", "72", "0.72"]),
    ((2.0, 0), ["fcr", "above 0"]),
    ((-1, 0.7), ["cost_per_contact", "-1"]),
    (([1, 2], [0.5, 0.6, 0.7]), ["shapes"]),
])
def test_cost_per_resolution_bad_input(args, words):
    with pytest.raises(ValueError) as error:
        channels.cost_per_resolution(*args)
    for word in words:
        assert word in str(error.value)


def test_channel_table_matches_the_shipped_data_and_ranks():
    """channel_costs.csv was built from the same inputs by its builder (rounded to pence):
    the table recomputes cost per contact from cost per agent-hour and agent-seconds, and
    cost per resolution from FCR. Chat is cheapest both ways; email dearest both ways; voice
    is second per contact and per resolution; outbound third."""
    costs = datasets.load("channel_costs")
    table = channels.channel_cost_table(costs)
    shipped = costs.set_index(costs["channel"].astype(str))
    np.testing.assert_allclose(table["cost_per_contact"].round(2), shipped["cost_per_contact"])
    np.testing.assert_allclose(table["cost_per_resolution"], shipped["cost_per_resolution"], atol=0.011)
    np.testing.assert_allclose(table["contacts_per_resolution"], shipped["contacts_per_resolution"],
                               atol=0.0006)
    assert table["rank_per_contact"].to_dict() == {"voice": 2, "chat": 1, "email": 4, "outbound": 3}
    assert table["rank_per_resolution"].to_dict() == {"voice": 2, "chat": 1, "email": 4, "outbound": 3}
    # hand-worked: voice 27 x 352.9 / 3600 = 2.6468; / 0.72 = 3.676
    assert table.loc["voice", "cost_per_resolution"] == pytest.approx(27 * 352.9 / 3600 / 0.72)


def test_channel_table_bad_input():
    costs = datasets.load("channel_costs")
    with pytest.raises(ValueError, match=r"first_contact_resolution.*72.*\(row 0\)"):
        channels.channel_cost_table(costs.assign(first_contact_resolution=[72, 0.65, 0.55, 0.6]))
    with pytest.raises(ValueError, match="no column 'cost_per_agent_hour'"):
        channels.channel_cost_table(costs.drop(columns="cost_per_agent_hour"))
    with pytest.raises(ValueError, match="'voice' twice"):
        channels.channel_cost_table(pd.concat([costs, costs.iloc[:1]]))


# --------------------------------------------------------------------- the mix


def tiny_contacts():
    """One Monday, all contacts in the 10:00-10:30 half-hour.

    ==========  =======  ========  ==========  ===============
    reason      channel  contacts  first ones  handle seconds
    ==========  =======  ========  ==========  ===============
    billing     voice    4         4           300 each
    complaint   voice    2         1           600 each
    complaint   chat     1         1           800
    complaint   email    3         2           900 each
    ==========  =======  ========  ==========  ===============
    """
    rows = ([("billing", "voice", 1, 300)] * 4 + [("complaint", "voice", 1, 600),
            ("complaint", "voice", 2, 600), ("complaint", "chat", 1, 800)]
            + [("complaint", "email", n, 900) for n in (1, 1, 2)])
    frame = pd.DataFrame(rows, columns=["reason", "channel", "contact_number", "handle_seconds"])
    frame["start"] = pd.Timestamp("2025-09-01 10:05")
    return frame


COSTS = pd.DataFrame({"channel": ["voice", "chat", "email"], "cost_per_agent_hour": [36.0] * 3,
                      "agent_seconds_per_contact": [400.0, 200.0, 500.0],
                      "first_contact_resolution": [0.7, 0.6, 0.5]})  # 4.00, 2.00, 5.00 a contact


def test_mix_today_hand_worked():
    """Complaint issues = first contacts: voice 1 (2 contacts an issue), chat 1 (1), email 2
    (1.5); 4 in all. Contacts: voice 4 + 2 = 6, chat 1, email 3. Cost: 6 x 4 + 1 x 2 + 3 x 5
    = 41. Voice at 10:00: 6 calls, work 4 x 300 + 2 x 600 = 2400 s, AHT 400 s; email hours =
    3 x 900 / 3600 / 0.9 = 0.8333."""
    table = channels.channel_mix(tiny_contacts(), COSTS, reason="complaint")
    assert table.index.tolist() == ["voice", "chat", "email", "total"]
    assert table["reason_issues"].tolist() == [1.0, 1.0, 2.0, 4.0]
    assert table["contacts"].tolist() == [6.0, 1.0, 3.0, 10.0]
    assert table["cost"].tolist() == pytest.approx([24.0, 2.0, 15.0, 41.0])
    voice = staffing.agents_required(calls=6, aht=400)
    chat = channels.chat_agents_required(1, 800)
    assert table.loc["voice", "agent_hours"] == voice * 0.5
    assert table.loc["voice", "peak_agents"] == voice
    assert table.loc["chat", "agent_hours"] == chat * 0.5
    assert table.loc["email", "agent_hours"] == pytest.approx(2700 / 3600 / 0.9)
    assert table.loc["total", "agent_hours"] == pytest.approx(
        voice * 0.5 + chat * 0.5 + 2700 / 3600 / 0.9)


def test_shift_hand_worked():
    """Half of email's complaint issues (1 of 2) move to voice, where a complaint issue takes 2
    contacts: voice 4 + 2 x 2 = 8 contacts (work 4 x 300 + 4 x 600 = 3600 s, AHT 450 s);
    email 1 issue x 1.5 = 1.5 contacts. Cost 8 x 4 + 2 + 1.5 x 5 = 41.5: up 0.5, though email
    is the dearest channel per contact, because voice complaints come back more."""
    s = channels.channel_shift(tiny_contacts(), COSTS, reason="complaint", from_channel="email",
                               to_channel="voice", share=0.5)
    assert s["contacts_after"].tolist() == [8.0, 1.0, 1.5, 10.5]
    assert s.loc["total", "cost_change"] == pytest.approx(0.5)
    assert s["cost_change"].tolist()[:3] == pytest.approx([8.0, 0.0, -7.5])
    voice_after = staffing.agents_required(calls=8, aht=450) * 0.5
    assert s.loc["voice", "agent_hours_after"] == voice_after
    assert s.loc["email", "agent_hours_after"] == pytest.approx(1350 / 3600 / 0.9)
    nothing = channels.channel_shift(tiny_contacts(), COSTS, reason="complaint",
                                     from_channel="email", to_channel="voice", share=0)
    assert (nothing["cost_change"] == 0).all() and (nothing["agent_hours_change"] == 0).all()


def test_mix_given_explicitly():
    """All 4 complaint issues by chat (1 contact an issue): chat 4 contacts, no complaint
    contacts elsewhere: voice 4 (billing), email 0."""
    table = channels.channel_mix(tiny_contacts(), COSTS, reason="complaint", mix={"chat": 1.0})
    assert table["contacts"].tolist() == [4.0, 4.0, 0.0, 8.0]
    assert table.loc["email", "agent_hours"] == 0.0


@pytest.mark.parametrize("kwargs, words", [
    (dict(reason="praise"), ["reason", "praise", "complaint"]),
    (dict(reason="complaint", mix={"voice": 0.5}), ["add up to 1", "0.5"]),
    (dict(reason="complaint", mix={"fax": 1.0}), ["'fax'", "voice, chat, email"]),
    (dict(reason="complaint", mix={"voice": 1.5, "chat": -0.5}), ["mix['voice']", "1.5"]),
    (dict(reason="billing", mix={"chat": 1.0}), ["billing", "chat", "handling time"]),
    (dict(reason="complaint", voice_target_service_level=80), ["voice_target_service_level",
                                                               "80", "0.8"]),
    (dict(reason="complaint", chat_concurrency=2.5), ["chat_concurrency", "2.5", "whole"]),
])
def test_mix_bad_input(kwargs, words):
    with pytest.raises(ValueError) as error:
        channels.channel_mix(tiny_contacts(), COSTS, **kwargs)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("kwargs, words", [
    (dict(from_channel="email", to_channel="email", share=0.5), ["both 'email'"]),
    (dict(from_channel="fax", to_channel="email", share=0.5), ["from_channel", "fax"]),
    (dict(from_channel="email", to_channel="voice", share=50), ["share", "50", "0.5 for half"]),
    (dict(from_channel="email", to_channel="voice", share=0.5, colour=1), ["no setting colour"]),
])
def test_shift_bad_input(kwargs, words):
    with pytest.raises(ValueError) as error:
        channels.channel_shift(tiny_contacts(), COSTS, reason="complaint", **kwargs)
    for word in words:
        assert word in str(error.value)


def test_mix_needs_the_contacts_columns():
    with pytest.raises(ValueError, match="no column 'contact_number'"):
        channels.channel_mix(tiny_contacts().drop(columns="contact_number"), COSTS,
                             reason="complaint")
    with pytest.raises(ValueError, match="no row for email"):
        channels.channel_mix(tiny_contacts(), COSTS.iloc[:2], reason="complaint")


def test_shipped_complaints_claims():
    """The shipped data: complaint issues take about 2.1 contacts in every channel (they
    resolve half the time); moving half of the email complaints to voice saves a little money
    (GBP 35 a week) and adds 2 voice agent-hours a week."""
    contacts, costs = datasets.load("contacts"), datasets.load("channel_costs")
    table = channels.channel_mix(contacts, costs, reason="complaint")
    per_issue = table["reason_contacts"] / table["reason_issues"]
    assert ((per_issue > 2.0) & (per_issue < 2.3)).all()
    s = channels.channel_shift(contacts, costs, reason="complaint", from_channel="email",
                               to_channel="voice", share=0.5)
    assert round(s.loc["total", "cost_change"]) == -35
    assert s.loc["voice", "agent_hours_change"] == 2.0


def test_cost_per_resolution_keeps_a_series_index():
    """Found by the capstone's builder: two Series indexed by channel gave a bare array, so
    result["email"] failed. Hand-worked: 3.70 / 0.55 = 6.727..., 2.65 / 0.72 = 3.680..."""
    cost = pd.Series({"voice": 2.65, "email": 3.70})
    got = channels.cost_per_resolution(cost, pd.Series({"voice": 0.72, "email": 0.55}))
    assert list(got.index) == ["voice", "email"]
    assert got["email"] == pytest.approx(3.70 / 0.55) and got["voice"] == pytest.approx(2.65 / 0.72)
    assert channels.cost_per_resolution(cost, 0.5)["voice"] == pytest.approx(5.3)
    with pytest.raises(ValueError, match="different indexes"):
        channels.cost_per_resolution(cost, pd.Series({"email": 0.55, "voice": 0.72}))
