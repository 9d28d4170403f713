"""Check the shipped channel datasets show what they are calibrated to (regeneration: test_datasets_regenerate).

chat, email, outbound, schedule and channel_costs. The CSVs are read with plain pandas here, so
these checks do not depend on the loader; every calibration figure is recomputed from the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opsfirst.datasets.builders import channel_costs as costs_spec
from opsfirst.datasets.builders import chat as chat_spec
from opsfirst.datasets.builders import email as email_spec
from opsfirst.datasets.builders import interval_history as ih_spec
from opsfirst.datasets.builders import outbound as outbound_spec
from opsfirst.datasets.builders import schedule as schedule_spec

FOLDER = Path(__file__).resolve().parents[2] / "datasets"
TIME_ZONE = "Europe/London"
DATETIMES = {
    "chat": ["arrival", "first_response", "end"],
    "email": ["arrival", "first_response"],
    "outbound": ["dialled_at"],
    "schedule": ["shift_start", "shift_end", "break_1_start", "break_1_end", "lunch_start",
                 "lunch_end", "break_2_start", "break_2_end"],
    "channel_costs": [],
}


def parse(source, name):
    table = pd.read_csv(source)
    for column in DATETIMES[name]:
        table[column] = pd.to_datetime(table[column], utc=True).dt.tz_convert(TIME_ZONE)
    return table


@pytest.fixture(scope="module")
def shipped():
    return {name: parse(FOLDER / f"{name}.csv", name) for name in DATETIMES}


def test_the_five_files_are_small(shipped):
    """Check the size limits: chat and outbound at most 1.5 MB, email 1 MB, the others tiny."""
    size = {name: (FOLDER / f"{name}.csv").stat().st_size for name in DATETIMES}
    assert size["chat"] < 1.5e6 and size["outbound"] < 1.5e6 and size["email"] < 1e6
    assert size["schedule"] < 2e5 and size["channel_costs"] < 5e3


# ====================================================================================== chat


def test_chat_sessions_keep_their_books(shipped):
    """Check times in order, abandoned chats without agent, concurrency at most 3, opening hours."""
    t = shipped["chat"]
    lost = t["abandoned"]
    assert t["session_id"].is_unique and t["arrival"].is_monotonic_increasing
    assert t.loc[lost, ["first_response", "agent", "concurrency_at_pickup", "handle_seconds"]].isna().all().all()
    kept = t[~lost]
    assert kept[["first_response", "agent", "concurrency_at_pickup", "handle_seconds"]].notna().all().all()
    assert (kept["first_response"] >= kept["arrival"]).all() and (kept["end"] > kept["first_response"]).all()
    assert ((kept["end"] - kept["first_response"]).dt.total_seconds() == kept["handle_seconds"]).all()
    assert kept["concurrency_at_pickup"].between(1, chat_spec.CONCURRENCY).all()
    assert (t.loc[lost, "end"] >= t.loc[lost, "arrival"]).all()  # the moment they gave up
    local = t["arrival"]
    hour = local.dt.hour + local.dt.minute / 60
    weekday = local.dt.day_of_week
    assert set(local.dt.date) == set(chat_spec.open_days())
    assert (hour[weekday < 5] >= 8).all() and (hour[weekday < 5] < 20).all()
    assert (hour[weekday == 5] >= 9).all() and (hour[weekday == 5] < 17).all()


def test_no_agent_ever_holds_more_than_three_chats(shipped):
    """Check concurrency from the records: a sweep over each agent's chats, day by day."""
    kept = shipped["chat"][~shipped["chat"]["abandoned"]]
    for (_, _), chats in kept.groupby([kept["arrival"].dt.date, "agent"]):
        steps = pd.concat([pd.Series(1, index=chats["first_response"]), pd.Series(-1, index=chats["end"])])
        held = steps.groupby(level=0).sum().sort_index().cumsum()
        assert held.max() <= chat_spec.CONCURRENCY


def test_chat_handling_slows_by_the_assumed_factor(shipped):
    """Check mean handle time by concurrency at pick-up against 420 s x (1 + 0.25 (held - 1)), 4 SE."""
    kept = shipped["chat"][~shipped["chat"]["abandoned"]]
    for held, group in kept.groupby("concurrency_at_pickup"):
        expected = chat_spec.AHT * (1 + chat_spec.SLOWDOWN * (held - 1))
        standard_error = expected * chat_spec.HANDLE_CV / np.sqrt(len(group))
        assert abs(group["handle_seconds"].mean() - expected) < 4 * standard_error + 0.5, held


def test_chat_service_falls_short_of_the_plan(shipped):
    """Check the story: planned for 80% in 60 s without the slowdown, the centre gets about 85%
    overall but misses 80% in its busiest half-hours, and some customers leave."""
    t = shipped["chat"]
    wait = (t["first_response"] - t["arrival"]).dt.total_seconds()
    within = (wait <= chat_spec.TARGET_TIME)  # NaN (abandoned) is False
    assert 0.8 < within.mean() < 0.9
    assert 0.03 < t["abandoned"].mean() < 0.12
    half_hour = t["arrival"].dt.floor("30min")
    by_half_hour = within.groupby(half_hour).mean()
    volume = t.groupby(half_hour).size()
    busy = by_half_hour[volume >= volume.quantile(0.8)]
    assert busy.mean() < 0.8


# ===================================================================================== email


def test_email_arrives_day_and_night_and_is_answered_in_team_hours(shipped):
    """Check arrivals in every hour of the day, replies only when the email team works."""
    t = shipped["email"]
    assert t["email_id"].is_unique and t["arrival"].is_monotonic_increasing
    assert set(t["arrival"].dt.hour) == set(range(24))
    replied = t.dropna(subset=["first_response"])
    local = replied["first_response"]
    minute = local.dt.hour * 60 + local.dt.minute + local.dt.second / 60
    weekday = local.dt.day_of_week
    assert (weekday != 6).all(), "nobody works email on Sundays"
    assert minute[weekday < 5].between(8 * 60, 20 * 60).all()
    assert minute[weekday == 5].between(9 * 60, 17 * 60).all()
    assert (replied["first_response"] >= replied["arrival"]).all()


def test_email_still_open_only_at_the_end(shipped):
    """Check that open emails (empty first_response) are the last weekend's and have no agent."""
    t = shipped["email"]
    open_ = t["first_response"].isna()
    assert t.loc[open_, ["agent", "handle_seconds"]].isna().all().all()
    assert t.loc[~open_, ["agent", "handle_seconds"]].notna().all().all()
    assert 0 < open_.sum() < 300
    assert (t.loc[open_, "arrival"] >= pd.Timestamp("2025-10-11 09:00", tz=TIME_ZONE)).all()


def test_email_backlog_builds_overnight_and_clears_by_the_afternoon(shipped):
    """Check the backlog story: arrived minus answered at 07:30 is far above that at 14:00 on
    weekdays, Monday's morning backlog is the biggest of the week, and handle times are ~480 s."""
    t = shipped["email"]

    def backlog(moment):
        return int((t["arrival"] < moment).sum() - (t["first_response"] < moment).sum())

    mornings, afternoons, mondays, others = [], [], [], []
    for day in pd.date_range("2025-09-15", "2025-10-10", freq="B", tz=TIME_ZONE):
        morning = backlog(day + pd.Timedelta(hours=7.5))
        mornings.append(morning)
        afternoons.append(backlog(day + pd.Timedelta(hours=14)))
        if day.day != 15:  # the data start on Monday 15 September with no weekend mail before
            (mondays if day.day_of_week == 0 else others).append(morning)
    assert np.mean(afternoons) < np.mean(mornings) / 3
    assert min(mondays) > max(others)
    handle = t["handle_seconds"].dropna()
    assert abs(handle.mean() - email_spec.AHT) < 4 * email_spec.AHT * email_spec.HANDLE_CV / np.sqrt(handle.size) + 0.5


# ================================================================================== outbound


def test_outbound_counts_add_up(shipped):
    """Check outcomes, agents only on connected calls, talk time only with an agent, session hours."""
    t = shipped["outbound"]
    assert t["attempt_id"].is_unique
    assert set(t["outcome"]) == {"no_answer", "busy", "machine", "live_answer", "right_party_contact", "abandoned"}
    connected = t["outcome"].isin(["live_answer", "right_party_contact"])
    assert t.loc[connected, "agent"].notna().all() and t.loc[~connected, "agent"].isna().all()
    assert (t.loc[connected, "talk_seconds"] >= 0).all() and (t.loc[~connected, "talk_seconds"] == 0).all()
    local = t["dialled_at"]
    minute = local.dt.hour * 60 + local.dt.minute
    for name, c in outbound_spec.CAMPAIGNS.items():
        mine = t["campaign"] == name
        start = c["start"].hour * 60 + c["start"].minute
        assert minute[mine].between(start, start + c["hours"] * 60).all()
    assert (local.dt.day_of_week < 5).all()


def test_outbound_outcome_shares_match_their_assumptions(shipped):
    """Check no answer, busy and machine shares per campaign against the assumed shares, 4 SE."""
    t = shipped["outbound"]
    for name, c in outbound_spec.CAMPAIGNS.items():
        mine = t[t["campaign"] == name]
        for outcome in ("no_answer", "busy", "machine"):
            p = c["outcome_shares"][outcome]
            observed = (mine["outcome"] == outcome).mean()
            assert abs(observed - p) < 4 * np.sqrt(p * (1 - p) / len(mine)), (name, outcome)


def test_raised_pacing_breaks_the_ofcom_limit(shipped):
    """Check the story: abandoned / live calls at most 3% for collections and for retention before
    29 September; above 3% for retention after, for about the same right-party contacts per hour."""
    t = shipped["outbound"]
    live = t["outcome"].isin(["live_answer", "right_party_contact", "abandoned"])
    after = t["dialled_at"].dt.date >= outbound_spec.PACING_CHANGE

    def rate(rows):
        return (rows["outcome"] == "abandoned").sum() / rows.shape[0]

    collections = t[live & (t["campaign"] == "collections")]
    retention = t[live & (t["campaign"] == "retention")]
    assert rate(collections) <= outbound_spec.OFCOM_LIMIT
    assert rate(retention[~after[retention.index]]) <= outbound_spec.OFCOM_LIMIT
    assert rate(retention[after[retention.index]]) > 2 * outbound_spec.OFCOM_LIMIT
    contacts = t[(t["campaign"] == "retention") & (t["outcome"] == "right_party_contact")]
    per_day = contacts.groupby(contacts["dialled_at"].dt.date).size()
    before_mean = per_day[[d < outbound_spec.PACING_CHANGE for d in per_day.index]].mean()
    after_mean = per_day[[d >= outbound_spec.PACING_CHANGE for d in per_day.index]].mean()
    assert after_mean < 1.15 * before_mean


# ================================================================================== schedule


def test_every_shift_keeps_the_stated_rules(shipped):
    """Check lengths, opening hours, break placement (1-3 h of work between breaks), lunch in long
    shifts, one shift a day and at most five a week per agent."""
    t = shipped["schedule"]
    minutes = lambda a, b: (t[b] - t[a]).dt.total_seconds() / 60  # noqa: E731
    length = minutes("shift_start", "shift_end")
    saturday = t["day"] == "Saturday"
    full = t["contract"] == "full_time"
    assert (length[full & ~saturday] == schedule_spec.FULL_WEEKDAY).all()
    assert (length[full & saturday] == schedule_spec.FULL_SATURDAY).all()
    assert (length[~full] == schedule_spec.PART_TIME).all()
    start = t["shift_start"].dt.hour * 60 + t["shift_start"].dt.minute
    end = start + length
    opening = np.where(saturday, 9 * 60, 8 * 60)
    closing = np.where(saturday, 17 * 60, 20 * 60)
    assert (start >= opening).all() and (end <= closing).all()
    assert (t.loc[full, "lunch_start"].notna()).all() and t.loc[~full, ["lunch_start", "break_2_start"]].isna().all().all()
    assert (minutes("lunch_start", "lunch_end")[full] == 30).all()
    assert (minutes("break_1_start", "break_1_end") == 15).all() and (minutes("break_2_start", "break_2_end")[full] == 15).all()
    for _, row in t.iterrows():
        edges = [row["shift_start"]]
        for key in ("break_1", "lunch", "break_2"):
            if pd.notna(row[f"{key}_start"]):
                edges += [row[f"{key}_start"], row[f"{key}_end"]]
        edges.append(row["shift_end"])
        work = [(edges[i + 1] - edges[i]).total_seconds() / 60 for i in range(0, len(edges), 2)]
        assert all(60 <= w <= 180 for w in work), (row["agent"], row["day"], work)
        if length[_] > 6 * 60:  # Working Time Regulations: 20 uninterrupted minutes over 6 hours
            assert (row["lunch_end"] - row["lunch_start"]).total_seconds() >= 20 * 60
    assert not t.duplicated(["agent", "day"]).any()
    assert t.groupby("agent").size().max() <= schedule_spec.MAX_SHIFTS_PER_WEEK
    assert set(t["day"]) == set(schedule_spec.DAY_NAMES)


def _heads(table):
    """Scheduled, on-break and productive agents per half-hour, recomputed from the file."""
    rows = []
    for day in schedule_spec.DAYS:
        open_minute, need = schedule_spec.requirement(day)
        midnight = pd.Timestamp(day).tz_localize(TIME_ZONE)
        for k, required in enumerate(need):
            start = midnight + pd.Timedelta(minutes=open_minute + 30 * k)
            heads = []
            for t in (start, start + pd.Timedelta(minutes=15)):
                on = (table["shift_start"] <= t) & (t < table["shift_end"])
                away = np.zeros(len(table), bool)
                for key in ("break_1", "lunch", "break_2"):
                    away |= ((table[f"{key}_start"] <= t) & (t < table[f"{key}_end"])).to_numpy()
                heads.append(int((on.to_numpy() & ~away).sum()))
            rows.append({"interval_start": start, "productive": np.mean(heads), "required": required})
    return pd.DataFrame(rows)


def test_the_schedule_covers_the_requirement(shipped):
    """Check that agents on shift minus those on a break cover the requirement in at least 90%
    of the half-hours (the greedy cover aims at all of them)."""
    heads = _heads(shipped["schedule"])
    assert len(heads) == 5 * 24 + 16
    assert (heads["productive"] >= heads["required"]).mean() >= 0.9


def test_the_schedule_matches_interval_history_after_shrinkage(shipped):
    """Check the schedule against the `agents` column of interval_history for that week: on the
    phones = (scheduled - on break) x (1 - 6%) follows it (correlation > 0.8) and sits 0-25% above
    it (the schedule covers lunch in full and shifts come in fixed lengths)."""
    heads = _heads(shipped["schedule"])
    history = pd.read_csv(FOLDER / "interval_history.csv")
    history["interval_start"] = pd.to_datetime(history["interval_start"], utc=True).dt.tz_convert(TIME_ZONE)
    both = heads.merge(history[["interval_start", "agents"]], on="interval_start", how="inner")
    assert len(both) == len(heads)
    estimate = both["productive"] * (1 - schedule_spec.EXTRA_SHRINKAGE)
    assert np.corrcoef(estimate, both["agents"])[0, 1] > 0.8
    assert 1.0 <= estimate.sum() / both["agents"].sum() <= 1.25
    assert schedule_spec.EXTRA_SHRINKAGE == ih_spec.ABSENCE


# ============================================================================= channel_costs


def test_channel_costs_arithmetic_and_its_inputs(shipped):
    """Check cost per contact and per resolution from the inputs, and the inputs against the
    other datasets: voice AHT 300 s (interval_history), chat handle and concurrency (chat CSV),
    email handle (email CSV), voice FCR 72% (SQM Group 2022)."""
    c = shipped["channel_costs"].set_index("channel")
    assert list(c.index) == ["voice", "chat", "email", "outbound"]
    inbound = c.loc[["voice", "chat", "email"]]
    seconds = inbound["handle_seconds"] / inbound["concurrency"] / inbound["occupancy"]
    np.testing.assert_allclose(inbound["agent_seconds_per_contact"], seconds, atol=0.05)
    np.testing.assert_allclose(c["cost_per_contact"], c["cost_per_agent_hour"] * c["agent_seconds_per_contact"] / 3600,
                               atol=0.01)
    np.testing.assert_allclose(c["contacts_per_resolution"], 1 / c["first_contact_resolution"], atol=5e-4)
    np.testing.assert_allclose(c["cost_per_resolution"], c["cost_per_contact"] * c["contacts_per_resolution"],
                               atol=0.02)
    assert c.loc["voice", "first_contact_resolution"] == 0.72
    assert c.loc["voice", "handle_seconds"] == ih_spec.AHT
    chats = shipped["chat"][~shipped["chat"]["abandoned"]]
    assert c.loc["chat", "handle_seconds"] == pytest.approx(chats["handle_seconds"].mean(), rel=0.05)
    assert c.loc["chat", "concurrency"] == pytest.approx(chats["concurrency_at_pickup"].mean(), rel=0.05)
    assert c.loc["email", "handle_seconds"] == pytest.approx(shipped["email"]["handle_seconds"].mean(), rel=0.05)
    assert c.loc["outbound", "handle_seconds"] == outbound_spec.CAMPAIGNS["collections"]["aht"] + outbound_spec.WRAP_TIME
    # per contact, chat is cheapest; per resolution, email is dearest
    assert c["cost_per_contact"].idxmin() == "chat" and c["cost_per_resolution"].idxmax() == "email"
    assert costs_spec.CHANNELS["voice"][3] == 0.72
