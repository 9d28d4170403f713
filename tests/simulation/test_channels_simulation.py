"""Check the chat, email and dialler simulators against queueing theory and their own records.

Chat is compared with Erlang C (and Erlang A) through 99% Student t intervals over independent
replications, as tests/simulation/test_simulation.py does for the voice queue; a negative
control shows the comparison can fail. Email is checked by book-keeping and against the M/M/1
response-time percentile; the dialler by its counts and by how abandoned calls respond to pacing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from opsfirst import staffing
from opsfirst.simulation import simulate_chat, simulate_dialler, simulate_email
from opsfirst.simulation.dialler import OUTCOMES

CONFIDENCE = 0.99
WARM_UP = 3600.0


def interval(values):
    """Mean and 99% t half-width of independent replications."""
    values = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
    return values.mean(), half


def assert_inside(values, expected, name):
    mean, half = interval(values)
    assert abs(mean - expected) <= half, f"{name}: theory {expected:.5g}, simulated {mean:.5g} ± {half:.2g}"


def replicate_chat(replications=20, seed_base=0, **scenario):
    runs = [simulate_chat(seed=seed_base + r, warm_up=WARM_UP, target_time=20, intervals=100,
                          **scenario) for r in range(replications)]
    keys = ("service_level", "average_first_response", "utilisation", "p_abandon")
    return {k: np.array([getattr(run, k) for run in runs]) for k in keys}


# 10 Erlangs (100 chats of 180 s per half-hour) on 14 slots: Erlang C says 0.888 within 20 s.
SLOTS, CHATS, AHT = 14, 100, 180


@pytest.mark.parametrize("concurrency", [1, 2], ids=["one chat each: M/M/14", "two chats each: M/M/2x7"])
def test_chat_without_slowdown_is_erlang_c_with_one_server_per_slot(concurrency):
    """Check service level, mean first response and utilisation against Erlang C on 14 slots."""
    runs = replicate_chat(seed_base=100 * concurrency, chats=CHATS, aht=AHT, agents=SLOTS // concurrency,
                          concurrency=concurrency)
    assert_inside(runs["service_level"], staffing.service_level(SLOTS, CHATS, AHT, 20), "service level")
    assert_inside(runs["average_first_response"], staffing.average_speed_of_answer(SLOTS, CHATS, AHT), "ASA")
    assert_inside(runs["utilisation"], staffing.occupancy(SLOTS, CHATS, AHT), "utilisation")
    assert np.all(runs["p_abandon"] == 0)


def test_five_percent_longer_chats_are_detected():
    """Check that chats of 189 s are told apart from Erlang C at 180 s (and agree at 189 s)."""
    runs = replicate_chat(seed_base=500, chats=CHATS, aht=AHT * 1.05, agents=7, concurrency=2)
    mean, half = interval(runs["service_level"])
    right = staffing.service_level(SLOTS, CHATS, AHT * 1.05, 20)
    wrong = staffing.service_level(SLOTS, CHATS, AHT, 20)
    assert abs(mean - right) <= half
    assert abs(mean - wrong) > 2 * half, "the interval is too wide to see a 5% handle-time error"


def test_chat_with_patience_and_one_chat_each_is_erlang_a():
    """Check service level and abandonment against Erlang A (13 agents, patience 300 s)."""
    runs = replicate_chat(seed_base=900, chats=CHATS, aht=AHT, agents=13, patience=300)
    theory = staffing.erlang_a(13, CHATS, AHT, 300)
    assert_inside(runs["service_level"], theory.service_level, "service level")
    assert_inside(runs["p_abandon"], theory.p_abandon, "P(abandon)")


def test_slowdown_costs_service_and_stretches_handling_by_the_stated_factor():
    """Check the documented factor: handle time / base = 1 + slowdown x (chats held - 1)."""
    plain = simulate_chat(chats=100, aht=180, agents=7, concurrency=2, intervals=48, seed=4,
                          records=True)
    slow = simulate_chat(chats=100, aht=180, agents=7, concurrency=2, slowdown=0.3,
                         intervals=48, seed=4, records=True)
    assert slow.service_level < plain.service_level
    # The same seed draws the same base times; without slowdown a chat takes its base time.
    held = slow.records["concurrency_at_pickup"].astype(float)
    ratio = slow.records["handle_time"] / plain.records["handle_time"]
    assert held.max() == 2 and (held == 2).mean() > 0.3
    np.testing.assert_allclose(ratio, 1 + 0.3 * (held - 1), rtol=1e-9)


def test_chat_records_keep_their_books():
    """Check FCFS pick-up, at most k chats per agent at any moment, and abandoned chats' times."""
    k = 3
    r = simulate_chat(chats=[150, 220, 90], aht=400, agents=[6, 6, 4], concurrency=k, slowdown=0.2,
                      patience=90, seed=8, records=True)
    t = r.records
    answered = t[~t["abandoned"]]
    assert r.chats_offered == len(t) == r.chats_answered + r.chats_abandoned > 0
    assert answered["first_response"].is_monotonic_increasing  # first come, first served
    assert (answered["first_response"] >= answered["arrival"]).all()
    assert answered["concurrency_at_pickup"].between(1, k).all()
    lost = t[t["abandoned"]]
    assert len(lost) > 0 and lost["agent"].isna().all() and lost["first_response"].isna().all()
    assert (lost["end"] > lost["arrival"]).all()
    # sweep each agent's chats: never more than k at once, and the recorded concurrency is right
    for _, chats in answered.groupby("agent"):
        events = sorted([(s, 1) for s in chats["first_response"]] + [(e, -1) for e in chats["end"]],
                        key=lambda x: (x[0], x[1]))
        level = 0
        for _, step in events:
            level += step
            assert 0 <= level <= k
    measured = answered["first_response"] - answered["arrival"] <= 60
    assert r.answered_within_target == int(measured.sum())
    assert r.service_level == r.answered_within_target / r.chats_offered


def test_agents_who_log_off_take_no_new_chats():
    """Check that no chat is picked up in an interval with no agents, and all wait for the next."""
    r = simulate_chat(chats=[60, 60, 60], aht=300, agents=[4, 0, 4], concurrency=2, seed=2,
                      records=True)
    t = r.records
    picked = t["first_response"].dropna()
    # chats already held at 1800 s finish; none is picked up between 1800 and 3600 s
    assert not ((picked > 1800) & (picked < 3600)).any()
    assert (t.loc[t["interval"] == 1, "first_response"] >= 3600).all()


@pytest.mark.parametrize("kwargs,word", [
    (dict(chats=-1), "chats"), (dict(aht=0), "aht"), (dict(agents=2.5), "agents"),
    (dict(concurrency=0), "concurrency"), (dict(concurrency=1.5), "concurrency"),
    (dict(slowdown=-0.1), "slowdown"), (dict(patience=0), "patience"), (dict(target_time=-5), "target_time"),
    (dict(warm_up=1800), "warm_up"), (dict(aht=[180, 200]), "aht"), (dict(handle_cv=0), "handle_cv"),
])
def test_chat_bad_input_names_the_argument(kwargs, word):
    """Check that meaningless input gets a ValueError that names the argument."""
    args = dict(dict(chats=100, aht=180, agents=7, concurrency=2), **kwargs)
    with pytest.raises(ValueError, match=rf"^{word} must"):
        simulate_chat(**args)


# ===================================================================================== email

DAY = [0] * 16 + [5] * 24 + [0] * 8  # five agents 08:00-20:00


def test_email_backlog_is_arrived_minus_answered_at_every_moment():
    """Check the book-keeping: backlog = arrived - answered so far, per interval and at any time."""
    r = simulate_email(emails=[6] * 48 * 3, aht=400, agents=DAY * 3, seed=5, handle_cv=0.5)
    b, t = r.backlog, r.records
    assert (b["backlog"] == b["emails_arrived"].cumsum() - b["emails_answered"].cumsum()).all()
    assert b["emails_arrived"].sum() == r.emails_arrived == len(t)
    assert b["emails_answered"].sum() == r.emails_answered == t["first_response"].notna().sum()
    assert r.emails_open == b["backlog"].iloc[-1]
    for moment in np.linspace(0, 3 * 86_400, 37):
        arrived = (t["arrival"] < moment).sum()
        answered = (t["first_response"] < moment).sum()
        k = int(moment // 1800) - 1
        if moment % 1800 == 0 and k >= 0:
            assert b["backlog"].iloc[k] == arrived - answered
    # the overnight backlog builds and the morning clears it
    night, afternoon = b["backlog"].iloc[48 + 15], b["backlog"].iloc[48 + 26]
    assert night > 100 and afternoon < night / 4  # 07:30 and 13:00 on day 2


def test_email_is_worked_only_when_agents_are_on():
    """Check that every reply is sent in an interval with agents, by an agent on shift."""
    r = simulate_email(emails=[6] * 48 * 3, aht=400, agents=DAY * 3, seed=6)
    t = r.records.dropna(subset=["first_response"])
    team = np.array(DAY * 3)
    k = (t["first_response"] // 1800).astype(int).clip(upper=team.size - 1)
    edge = t["first_response"] % 1800 == 0  # a reply at the very end of a shift
    k = np.where(edge, k - 1, k)
    assert (t["agent"].to_numpy() < team[k]).all()
    assert (t["first_response"] - t["handle_time"] >= t["arrival"] - 1e-6).all()  # no pause here
    assert (t["response_time"] > 0).all()


def test_email_response_time_percentile_matches_m_m_1():
    """Check the 90th percentile of response times with one agent always on: ln(10) / (mu - lambda)."""
    lam, mu = 1 / 120, 1 / 60  # an email every 2 minutes, one minute each
    theory = math.log(10) / (mu - lam)  # 276 s
    p90 = [simulate_email(emails=[1800 * lam] * 300, aht=1 / mu, agents=[1] * 300, seed=s)
           .p90_response_time for s in range(20)]
    assert_inside(p90, theory, "90th percentile")


def test_email_from_the_night_waits_for_the_morning():
    """Check a simple case: mail arriving only while closed waits until the next 08:00."""
    closed = [20] * 16 + [0] * 24 + [20] * 8  # 20 emails per closed half-hour, none by day
    team = [0] * 16 + [20] * 24 + [0] * 8  # 20 agents 08:00-20:00
    r = simulate_email(emails=closed + [0] * 48, aht=30, agents=team * 2, seed=3)
    t = r.records
    assert r.emails_open == 0
    next_morning = np.where(t["arrival"] < 8 * 3600, 8 * 3600, 32 * 3600)
    wait = next_morning - t["arrival"]
    # 20 agents clear 480 emails of 30 s in minutes: each waits for the morning plus < 30 min
    assert ((t["response_time"] >= wait) & (t["response_time"] < wait + 1800)).all()
    assert r.median_response_time == pytest.approx(np.median(wait), abs=1800)


@pytest.mark.parametrize("kwargs,word", [
    (dict(emails=[-1] * 4), "emails"), (dict(aht=0), "aht"), (dict(agents=[1, 1, 1.5, 1]), "agents"),
    (dict(target_time=-1), "target_time"), (dict(interval=0), "interval"),
])
def test_email_bad_input_names_the_argument(kwargs, word):
    """Check that meaningless input gets a ValueError that names the argument."""
    args = dict(dict(emails=[4] * 4, aht=300, agents=[1] * 4), **kwargs)
    with pytest.raises(ValueError, match=rf"^{word} must"):
        simulate_email(**args)


# ================================================================================== outbound


def test_dialler_counts_add_up():
    """Check outcomes: every attempt has one, live calls = connected + abandoned, agents only on connects."""
    r = simulate_dialler(agents=8, pacing=1.8, interval=7200, amd_false_positive=0.02, seed=9,
                         records=True)
    t = r.records
    assert sum(r.counts.values()) == r.attempts == len(t)
    assert set(r.counts) == set(OUTCOMES)
    assert r.live_calls == r.counts["live_answer"] + r.counts["right_party_contact"] + r.counts["abandoned"]
    assert r.abandoned_rate == r.counts["abandoned"] / r.live_calls
    connected = t["outcome"].isin(["live_answer", "right_party_contact"])
    assert t.loc[connected, "agent"].notna().all() and t.loc[~connected, "agent"].isna().all()
    assert (t.loc[~connected, "talk_seconds"] == 0).all() and (t.loc[connected, "talk_seconds"] > 0).all()
    assert t["dialled_at"].is_monotonic_increasing and (t["dialled_at"] < 7200).all()
    # an agent talks to one person at a time
    for _, calls in t[connected].groupby("agent"):
        calls = calls.sort_values("resolved_at")
        assert (calls["resolved_at"].iloc[1:].to_numpy()
                >= (calls["resolved_at"] + calls["talk_seconds"]).iloc[:-1].to_numpy() - 1e-9).all()


def test_progressive_dialling_never_abandons_and_pacing_raises_abandons():
    """Check pacing 1 abandons nothing, and higher pacing abandons more (means over 10 sessions)."""
    rates = {}
    for pacing in (1.0, 1.4, 2.0, 3.0):
        runs = [simulate_dialler(agents=10, pacing=pacing, interval=7200, seed=s) for s in range(10)]
        rates[pacing] = np.array([r.abandoned_rate for r in runs])
    assert (rates[1.0] == 0).all()
    means = [rates[p].mean() for p in (1.0, 1.4, 2.0, 3.0)]
    assert means == sorted(means) and means[-1] > 0.1
    # and the difference between neighbours is real, not noise
    for low, high in ((1.4, 2.0), (2.0, 3.0)):
        assert stats.ttest_ind(rates[high], rates[low], equal_var=False).pvalue < 0.01


def test_amd_false_positives_count_as_abandoned():
    """Check that live answers taken for machines add to the abandoned rate (Ofcom counts them)."""
    clean = simulate_dialler(agents=10, pacing=1, interval=7200, seed=1)
    fooled = simulate_dialler(agents=10, pacing=1, interval=7200, seed=1, amd_false_positive=0.05)
    assert clean.counts["abandoned"] == 0
    assert 0.02 < fooled.abandoned_rate < 0.09


@pytest.mark.parametrize("kwargs,word", [
    (dict(pacing=0.5), "pacing"), (dict(agents=-1), "agents"), (dict(aht=0), "aht"),
    (dict(right_party_share=1.5), "right_party_share"), (dict(amd_false_positive=-0.1), "amd_false_positive"),
    (dict(outcome_shares={"no_answer": 0.5, "busy": 0.5, "machine": 0.5, "live": 0.5}), "outcome_shares"),
    (dict(outcome_shares={"no_answer": 1.0}), "outcome_shares"),
])
def test_dialler_bad_input_names_the_argument(kwargs, word):
    """Check that meaningless input gets a ValueError that names the argument."""
    args = dict(dict(agents=5, pacing=1.5), **kwargs)
    with pytest.raises(ValueError, match=rf"^{word} must"):
        simulate_dialler(**args)
