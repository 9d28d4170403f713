"""The numbers that lesson 06 and assignment 06 state about the shipped data, recomputed.

Each claim is recomputed here, with pandas on the raw rows wherever that is short (counts,
means, medians, a backlog as arrivals minus replies, abandoned over live calls), or with a
closed form (a fluid first-in-first-out backlog, cost / FCR), and only where neither is
reasonable with the library function the text reads (whose own tests check it). Its figure,
written as the text writes it, must be in the text: a change to the data that moved a claim
makes this fail, so the text cannot silently go wrong.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_helpers import markdown
from opsfirst import channels, datasets, fcr, simulation, staffing

REPO = Path(__file__).resolve().parents[2]
SLUG = "06-channels"
LONDON = "Europe/London"




@pytest.fixture(scope="module")
def lesson():
    return markdown(REPO / "course" / f"{SLUG}.ipynb")


@pytest.fixture(scope="module")
def assignment():
    return markdown(REPO / "solutions" / SLUG / f"{SLUG}.ipynb")


@pytest.fixture(scope="module")
def data():
    return {name: datasets.load(name) for name in ("contacts", "chat", "email", "outbound",
                                                   "channel_costs", "interval_history")}


def pct(x, digits=1):
    return f"{100 * x:.{digits}f}%"


def thousands(x):
    return f"{int(round(x)):,}"


def at(moment: str) -> pd.Timestamp:
    return pd.Timestamp(moment, tz=LONDON)


def waiting(email: pd.DataFrame, moment: pd.Timestamp) -> int:
    """Emails arrived before ``moment`` minus emails answered before it (the backlog)."""
    return int((email["arrival"] < moment).sum() - (email["first_response"] < moment).sum())


def roster(index: pd.DatetimeIndex) -> np.ndarray:
    """The email team's agents by half-hour, as the data dictionary gives them."""
    team = np.zeros(len(index), dtype=int)
    for k, t in enumerate(index):
        hour = t.hour + t.minute / 60
        if t.day_of_week < 5:
            team[k] = 4 if 8 <= hour < 12 else 6 if 12 <= hour < 16 else 2 if 16 <= hour < 20 else 0
        elif t.day_of_week == 5:
            team[k] = 3 if 9 <= hour < 17 else 0
    return team


def fluid_backlog(arrivals: np.ndarray, agents: np.ndarray, aht: float) -> np.ndarray:
    """Emails waiting at the end of each half-hour, first in, first out, agents' time pooled."""
    left, out = 0.0, []
    for n, a in zip(arrivals, agents):
        left = max(0.0, left + n * aht - a * 1800.0)
        out.append(math.ceil(left / aht - 1e-9))  # a partly worked email still waits
    return np.array(out)


def live_rate(rows: pd.DataFrame) -> tuple[float, float]:
    """(abandoned / live calls, abandoned / attempts) counted from the rows."""
    outcome = rows["outcome"].astype(str)
    abandoned = (outcome == "abandoned").sum()
    live = outcome.isin(["live_answer", "right_party_contact", "abandoned"]).sum()
    return abandoned / live, abandoned / len(rows)


def fortnight_arrivals(email: pd.DataFrame, start: str) -> pd.Series:
    index = pd.date_range(start, periods=14 * 48, freq="30min", tz=LONDON)
    counts = email["arrival"].dt.floor("30min").value_counts()
    return counts.reindex(index, fill_value=0)


# --------------------------------------------------------------------------------- the lesson


def test_channel_shares(data, lesson):
    share = data["contacts"]["channel"].astype(str).value_counts(normalize=True)
    assert [round(share[c], 1) for c in ("voice", "chat", "email")] == [0.7, 0.2, 0.1]
    assert "Seven contacts in ten are calls, two are chats, one is an email" in lesson


def test_chat_claims(data, lesson):
    chat = data["chat"]
    by_held = chat.groupby("concurrency_at_pickup")["handle_seconds"].mean()
    claims = [f"{round(float(by_held[k]))} " for k in (1, 2, 3)]
    claims.append(f"{chat['concurrency_at_pickup'].astype(float).mean():.2f} chats")
    wait = (chat["first_response"] - chat["arrival"]).dt.total_seconds()
    within = (wait <= 60).fillna(False)
    half = chat["arrival"].dt.floor("30min")
    size = chat.groupby(half)["session_id"].transform("size")
    busy = size > 20
    claims += [pct(within[~busy].mean()), pct(within[busy].mean()), pct(chat.loc[busy, "abandoned"].mean()),
               f"in the {half[busy].nunique()} busy ones"]
    for text in claims:
        assert text in lesson, text
    assert within[busy].mean() < 0.8 < within[~busy].mean()


def test_chat_staffing_claims(lesson):
    voice = staffing.agents_required(calls=30, aht=420, target_time=60)
    slots = int(np.argmax(staffing.service_level(agents=np.arange(1, 60), calls=30, aht=630,
                                                 target_time=60) >= 0.8)) + 1
    assert (voice, math.ceil(voice / 3), math.ceil(slots / 3)) == (10, 4, 5)
    assert channels.chat_agents_required(chats=30, aht=420, concurrency=3, target_time=60) == 5
    assert "would need 10 agents; divided by three that is 4" in lesson
    assert "With the slowdown the answer is 5" in lesson
    concurrency = [channels.chat_agents_required(chats=30, aht=420, concurrency=k, target_time=60)
                   for k in (1, 2, 3, 4)]
    assert concurrency == [10, 6, 5, 4]
    assert "One chat each: 10 agents; two: **6**; three: 5; four: **4**" in lesson


@pytest.mark.slow
def test_chat_simulation_claims(lesson):
    levels = [simulation.simulate_chat(chats=30, aht=420, agents=n, concurrency=3, slowdown=0.25,
                                       target_time=60, intervals=480, warm_up=1800, seed=2026,
                                       handle_cv=0.7).service_level for n in (4, 5)]
    assert f"4 agents pick up only {pct(levels[0])}" in lesson
    assert f"5 agents pick up {pct(levels[1])}" in lesson
    assert levels[0] < 0.8 < levels[1]


def test_email_backlog_claims(data, lesson):
    email = data["email"]
    assert waiting(email, at("2025-09-22 09:00")) == 151
    assert "151 emails waiting" in lesson
    eight = [waiting(email, at(f"2025-09-{d} 08:00")) for d in range(22, 29)]
    assert f"{eight[0]} emails wait" in lesson
    assert f"{min(eight[1:5])} to {max(eight[1:5])} emails are waiting at 08:00" in lesson
    assert eight[0] == max(eight)
    hours = (email["first_response"] - email["arrival"]).dt.total_seconds() / 3600
    median = hours.groupby(email["arrival"].dt.day_name()).median()
    for text in (f"{median['Friday']:.1f} hours for Friday's", f"{median['Monday']:.1f} for Monday's",
                 f"a median {median['Sunday']:.1f} hours"):
        assert text in lesson, text
    assert median["Sunday"] > 12 > median.drop("Sunday").max()


def test_email_model_claims(data, lesson):
    email = data["email"]
    arrivals = fortnight_arrivals(email, "2025-09-22")
    team = roster(arrivals.index)
    model = fluid_backlog(arrivals.to_numpy(), team, 480.0)
    library = channels.email_backlog(arrivals=arrivals, agents=team, aht=480)["backlog"].to_numpy()
    assert np.array_equal(model, library)
    k8 = arrivals.index.get_loc(at("2025-09-29 07:30"))  # end of 07:30-08:00: the pile at 08:00
    k9 = arrivals.index.get_loc(at("2025-09-29 08:30"))
    for text in (f"the model has {model[k8]} emails waiting (the data: {waiting(email, at('2025-09-29 08:00'))})",
                 f"At 09:00 it still has {model[k9]} (the data: {waiting(email, at('2025-09-29 09:00'))})",
                 f"{thousands(arrivals.sum())} emails"):
        assert text in lesson, text
    work_hours_a_week = arrivals.sum() * 480 / 3600 / 2
    assert round(work_hours_a_week, -1) == 180 and "about 180 hours of email work a week" in lesson
    open_hours = (team > 0).sum() / 2 / 2
    assert open_hours == 68 and team.sum() / 2 / 2 == 264
    assert "68 open hours a week are 204 agent-hours" in lesson and "gives 264 agent-hours" in lesson
    agents = channels.email_agents_required(arrivals, aht=480, open=team > 0, response_target=48 * 3600)
    as_voice = int(staffing.agents_required(calls=arrivals.to_numpy(), aht=480).max())
    assert (agents, as_voice) == (3, 7)
    assert "3 agents in every open half-hour answer every email of the fortnight within 48 hours" in lesson
    assert "7 agents in every open half-hour" in lesson and f"{7 * 68} agent-hours" in lesson
    # a 24-hour target is impossible with nobody on Sunday: Saturday 17:00 to Monday 08:00
    with pytest.raises(ValueError, match="no open interval"):
        channels.email_agents_required(arrivals, aht=480, open=team > 0, response_target=24 * 3600)
    assert "Monday 08:00, 39 hours" in lesson


def test_outbound_claims(data, lesson):
    out = data["outbound"]
    campaign = out["campaign"].astype(str)
    texts = []
    for name in ("collections", "retention"):
        rows = out[campaign == name]
        outcome = rows["outcome"].astype(str)
        live = outcome.isin(["live_answer", "right_party_contact", "abandoned"]).sum()
        rpc = (outcome == "right_party_contact").sum()
        texts += [thousands(len(rows)), thousands(live), thousands(rpc), pct(rpc / len(rows))]
        right, wrong = live_rate(rows)
        texts.append(f"{right / wrong:.1f}")
    connects = (out.loc[campaign == "collections", "outcome"].astype(str) != "no_answer") & (
        out.loc[campaign == "collections", "outcome"].astype(str) != "busy")
    texts += [thousands(connects.sum()), pct(connects.mean())]
    after = out["dialled_at"] >= at("2025-09-29")
    right, wrong = live_rate(out[(campaign == "retention") & after])
    texts += [f"{pct(right)} of the live calls since 29 September", f"{pct(wrong)}: inside the limit",
              f"here {round(right / wrong)} times"]
    before = out[(campaign == "retention") & ~after]
    b_right, _ = live_rate(before)
    b_out = before["outcome"].astype(str)
    texts += [f"**{pct(b_right)}** of its live calls ({(b_out == 'abandoned').sum()} of "
              f"{b_out.isin(['live_answer', 'right_party_contact', 'abandoned']).sum()})"]
    rpc_after = (out.loc[(campaign == "retention") & after, "outcome"].astype(str) == "right_party_contact").sum()
    texts += [f"brought {rpc_after} right-party contacts", f"against {(b_out == 'right_party_contact').sum()} in"]
    col = out[campaign == "collections"]
    day = col["dialled_at"].dt.date
    per_day = pd.DataFrame({"ab": (col["outcome"] == "abandoned").groupby(day).sum(),
                            "live": col["outcome"].isin(["live_answer", "right_party_contact", "abandoned"]).groupby(day).sum()})
    over = int((per_day["ab"] > 0.03 * per_day["live"]).sum())
    texts += [f"on {over} of its {len(per_day)} days", f"four-week rate is {pct(live_rate(col)[0])}"]
    for text in texts:
        assert text in lesson, text


def test_cost_claims(data, lesson):
    costs = data["channel_costs"].set_index(data["channel_costs"]["channel"].astype(str))
    per_resolution = costs["cost_per_contact"] / costs["first_contact_resolution"]
    for c in ("chat", "voice", "outbound", "email"):
        assert f"£{costs.loc[c, 'cost_per_contact']:.2f}" in lesson
    assert f"costs £{per_resolution['email']:.2f}, against £{per_resolution['voice']:.2f} by voice" in lesson
    assert f"1 / 0.55 = {1 / 0.55:.1f} emails" in lesson
    assert f"email costs {round(100 * (per_resolution['email'] / per_resolution['outbound'] - 1))}% more" in lesson


def test_complaint_claims(data, lesson):
    contacts = data["contacts"]
    complaints = contacts[contacts["reason"] == "complaint"]
    channel = complaints["channel"].astype(str)
    status = fcr.repeat_status(complaints, window_days=7)
    hours = {"voice": (27.0, 1.0, 0.85), "chat": (27.0, 2.3, 0.8), "email": (25.0, 1.0, 0.9)}
    for c, (rate, k, occupancy) in hours.items():
        mine = (channel == c).to_numpy()
        share = (status[mine] == "resolved").sum() / (status[mine] != "censored").sum()
        handle = complaints.loc[mine, "handle_seconds"].mean()
        seconds = handle / k / occupancy
        per_resolution = rate * seconds / 3600 / share
        for text in (pct(share), f"{round(handle)} s" if c != "voice" else f"{round(handle)} seconds",
                     f"{round(seconds)}", f"£{per_resolution:.2f}"):
            assert text in lesson, (c, text)


def test_shift_and_mix_claims(data, lesson):
    contacts, costs = data["contacts"], data["channel_costs"]
    shift = channels.channel_shift(contacts, costs, reason="complaint", from_channel="email",
                                   to_channel="voice", share=1.0)
    change = shift["contacts_after"] - shift["contacts_before"]
    texts = [f"{-change['email']:.0f} fewer emails a week and {change['voice']:.0f} more calls",
             f"{shift.loc['voice', 'agent_hours_change']:.0f} more agent-hours",
             f"{-shift.loc['email', 'agent_hours_change']:.1f} fewer on email",
             f"£{-shift.loc['total', 'cost_change']:.2f} a week less"]
    now = channels.channel_mix(contacts, costs, reason="complaint")
    no_email = channels.channel_mix(contacts, costs, reason="complaint", mix={"voice": 0.8, "chat": 0.2})
    by_email = channels.channel_mix(contacts, costs, reason="complaint",
                                    mix={"voice": 0.2, "chat": 0.1, "email": 0.7})
    rc = now["reason_contacts"]
    texts += [f"Today {rc['total']:.0f} complaint contacts a week", f"({rc['voice']:.0f} calls, "
              f"{rc['chat']:.0f} chats, {rc['email']:.0f} emails)",
              f"there are {no_email.loc['total', 'reason_contacts']:.0f}",
              f"({no_email.loc['voice', 'peak_agents']:.0f} instead of {now.loc['voice', 'peak_agents']:.0f})",
              f"£{no_email.loc['total', 'cost']:,.0f} instead of £{now.loc['total', 'cost']:,.0f}",
              f"about £{round(by_email.loc['total', 'cost'] - now.loc['total', 'cost'], -1):.0f} a week more"]
    for text in texts:
        assert text in lesson, text


@pytest.mark.slow
def test_blending_claims(data, lesson):
    history = data["interval_history"]
    start = history["interval_start"]
    tuesdays = history[(start.dt.day_name() == "Tuesday") & (start >= at("2025-09-15")) & (start < at("2025-10-04"))]
    calls = tuesdays.groupby(tuesdays["interval_start"].dt.strftime("%H:%M"))["calls_offered"].mean().round()
    need = staffing.agents_required(calls=calls.to_numpy(), aht=300)
    evening = calls.index >= "17:00"
    levels = []
    for lent in (0, 2):
        days = simulation.simulate_intervals(calls=np.tile(calls.to_numpy(), 50), aht=300, patience=150,
                                             agents=np.tile(need - lent * evening, 50), seed=2026)
        night = days[np.tile(evening, 50)]
        levels.append((night["answered_within_target"].sum() / night["calls_offered"].sum(),
                       night["calls_abandoned"].sum() / night["calls_offered"].sum()))
    assert f"{pct(levels[0][0])} of evening calls" in lesson
    assert f"with 2 lent, {pct(levels[1][0])} and {pct(levels[1][1])}" in lesson
    assert levels[1][0] < 0.8 < levels[0][0]
    email = data["email"]
    arrivals = fortnight_arrivals(email, "2025-09-22")
    team = roster(arrivals.index)
    clock = arrivals.index.strftime("%H:%M")
    weekday = arrivals.index.day_of_week < 5
    k9 = arrivals.index.get_loc(at("2025-09-29 08:30"))
    plain = fluid_backlog(arrivals.to_numpy(), team, 480.0)
    lent = fluid_backlog(arrivals.to_numpy(), team + weekday * ((clock >= "17:00") & (clock < "20:00")), 480.0)
    assert plain[k9] == lent[k9] == 133 and "133 emails wait however many agents were lent" in lesson
    assert f"{plain[weekday & (clock == '19:30')].mean():.1f} emails waiting at 20:00" in lesson
    assert lent[weekday & (clock == "19:30")].max() == 0
    sunday = fluid_backlog(arrivals.to_numpy(), team + 2 * ((arrivals.index.day_of_week == 6)
                                                            & (clock >= "12:00") & (clock < "16:00")), 480.0)
    assert f"**{sunday[k9]}** emails wait at 09:00 on Monday 29 September instead of {plain[k9]}" in lesson


# ----------------------------------------------------------------------------- the assignment


def test_assignment_setup_reading(data, assignment):
    contacts = data["contacts"]
    fraud = contacts[contacts["reason"] == "fraud"]
    channel = fraud["channel"].astype(str)
    status = fcr.repeat_status(fraud, window_days=7)
    texts = []
    for c, (k, occupancy) in {"voice": (1.0, 0.85), "chat": (2.3, 0.8), "email": (1.0, 0.9)}.items():
        mine = (channel == c).to_numpy()
        handle = fraud.loc[mine, "handle_seconds"].mean()
        texts += [f"{round(handle)}", f"{round(handle / k / occupancy)}",
                  pct((status[mine] == "resolved").sum() / (status[mine] != "censored").sum())]
    for text in texts:
        assert text in assignment, text


def test_assignment_running_total_claims(data, assignment):
    """Question 2's prompt: the data begin on 15 September with nothing waiting; the assignment's
    EMAIL_HALF_HOURS begins on 29 September, when many emails already were."""
    email = data["email"]
    assert email["arrival"].min() >= at("2025-09-15 00:00")
    assert waiting(email, at("2025-09-15 00:00")) == 0
    assert waiting(email, at("2025-09-29 00:00")) > 100
    for text in ("on Monday 15 September, when nothing was waiting",
                 "`EMAIL_HALF_HOURS` (question 3's fortnight) starts on 29 September, when many emails already were"):
        assert text in assignment, text


def test_assignment_mark_scheme_numbers(data, assignment):
    """The mark schemes' and model answers' numbers (complaints are checked on the lesson)."""
    contacts, costs = data["contacts"], data["channel_costs"]
    fraud = contacts[contacts["reason"] == "fraud"]
    mine = (fraud["channel"].astype(str) == "email").to_numpy()
    status = fcr.repeat_status(fraud, window_days=7)[mine]
    per_resolution = 25 * fraud.loc[mine, "handle_seconds"].mean() / 0.9 / 3600 / (
        (status == "resolved").sum() / (status != "censored").sum())
    assert f"about £{per_resolution:.2f} by email" in assignment
    shift = channels.channel_shift(contacts, costs, reason="fraud", from_channel="email",
                                   to_channel="chat", share=0.5).loc["total", "cost_change"]
    assert f"saves about £{round(-shift, -1):.0f} a week" in assignment
    # question 1 and the sales-chat model answer
    assert channels.chat_agents_required(chats=36, aht=420) == 6
    assert channels.chat_agents_required(chats=10, aht=900, concurrency=2) == 5
    assert channels.chat_agents_required(chats=10, aht=900, concurrency=3) == 4
    assert channels.chat_agents_required(chats=10, aht=900, concurrency=1) == 8
    assert channels.chat_agents_required(chats=46, aht=(36 * 420 + 10 * 900) / 46) == 9
    for text in ("needs 6 agents for 36 service chats", "need 5 agents at 2 chats each",
                 "4 at 3 chats each, 8 one at a time", "9 agents, 3 more", "needs 9 agents instead of 6"):
        assert text in assignment, text


def test_mark_scheme_complaint_numbers(data, assignment):
    """The complaint numbers the mark scheme gives the coach are the lesson's, recomputed."""
    contacts, costs = data["contacts"], data["channel_costs"]
    complaints = contacts[contacts["reason"] == "complaint"]
    channel = complaints["channel"].astype(str)
    status = fcr.repeat_status(complaints, window_days=7)
    for c, (rate, k, occupancy) in {"voice": (27.0, 1.0, 0.85), "chat": (27.0, 2.3, 0.8),
                                    "email": (25.0, 1.0, 0.9)}.items():
        mine = (channel == c).to_numpy()
        share = (status[mine] == "resolved").sum() / (status[mine] != "censored").sum()
        cost = rate * complaints.loc[mine, "handle_seconds"].mean() / k / occupancy / 3600 / share
        assert f"{pct(share)} by" in assignment and f"£{cost:.2f} by" in assignment, c
    shift = channels.channel_shift(contacts, costs, reason="complaint", from_channel="email",
                                   to_channel="voice", share=1.0)
    change = shift["contacts_after"] - shift["contacts_before"]
    for text in (f"about {-change['email']:.0f} fewer emails and {change['voice']:.0f} more calls a week",
                 f"{shift.loc['voice', 'agent_hours_change']:.0f} more voice agent-hours",
                 f"about £{round(-shift.loc['total', 'cost_change'], -1):.0f} a week less"):
        assert text in assignment, text
    hours = (data["email"]["first_response"] - data["email"]["arrival"]).dt.total_seconds() / 3600
    sunday = hours[data["email"]["arrival"].dt.day_name() == "Sunday"].median()
    assert f"a median {sunday:.1f} hours for a reply" in assignment


def test_contacts_per_complaint(data, lesson):
    """Contacts per complaint by channel: every contact over the first contacts (contact_number 1)."""
    complaints = data["contacts"][data["contacts"]["reason"] == "complaint"]
    channel = complaints["channel"].astype(str)
    per = {c: (channel == c).sum() / ((channel == c) & (complaints["contact_number"] == 1)).sum()
           for c in ("voice", "email")}
    assert f"{per['voice']:.2f} contacts by phone and {per['email']:.2f} by email" in lesson
    assert per["voice"] < per["email"]
