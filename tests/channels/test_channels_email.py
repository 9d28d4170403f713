"""Check email_backlog and email_agents_required against hand-worked days and the simulator.

The email model: each interval the agents present have agents x interval seconds of work,
pooled, spent on the oldest email first; emails arriving in an interval can be worked in it;
an email partly worked when the interval ends is finished first in the next interval with
agents and counts as handled where its work ends.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from opsfirst import channels, datasets
from opsfirst.datasets.builders import email as email_builder
from opsfirst.simulation import simulate_email


def test_backlog_of_a_hand_worked_day():
    """Eight half-hours, emails of 600 s: one agent does 3 emails a half-hour.

    ====  =======  ======  ==========  ========  =======  =======
    k     arrived  agents  can do      waiting   handled  backlog
    ====  =======  ======  ==========  ========  =======  =======
    0     5        0       0           5         0        5
    1     3        0       0           8         0        8
    2     0        1       3           8         3        5
    3     4        1       3           9         3        6
    4     2        2       6           8         6        2
    5     6        2       6           8         6        2
    6     1        0       0           3         0        3
    7     0        1       3           3         3        0
    ====  =======  ======  ==========  ========  =======  =======
    """
    table = channels.email_backlog([5, 3, 0, 4, 2, 6, 1, 0], agents=[0, 0, 1, 1, 2, 2, 0, 1],
                                  aht=600)
    assert list(table.columns) == ["arrived", "handled", "backlog", "agents"]
    assert table["handled"].tolist() == [0, 0, 3, 3, 6, 6, 0, 3]
    assert table["backlog"].tolist() == [5, 8, 5, 6, 2, 2, 3, 0]
    assert table["arrived"].dtype == np.int64 and table["handled"].dtype == np.int64


def test_partly_worked_email_carries_its_work_over():
    """Emails of 720 s: one agent has 1800 s a half-hour, 2.5 emails' work.

    k0: 4 arrive, nobody works: backlog 4.
    k1: 1800 s: emails 1 and 2 done (1440 s), 360 s on email 3 -> handled 2, backlog 2.
    k2 (nobody on): the half-done email waits -> handled 0, backlog 2.
    k3: 360 s to finish email 3, 720 s for email 4 -> handled 2, backlog 0.
    No agent time is lost: 1080 s of k3 are used, the other 720 s are idle.
    """
    table = channels.email_backlog([4, 0, 0, 0], agents=[0, 1, 0, 1], aht=720)
    assert table["handled"].tolist() == [0, 2, 0, 2]
    assert table["backlog"].tolist() == [4, 2, 2, 0]
    # without the pause the second email pair is done one interval earlier
    table = channels.email_backlog([4, 0, 0, 0], agents=[0, 1, 1, 1], aht=720)
    assert table["handled"].tolist() == [0, 2, 2, 0]


def test_a_fractional_forecast_gives_fractional_counts():
    table = channels.email_backlog([2.5, 0.0], agents=[0, 1], aht=900)
    assert table["handled"].tolist() == [0.0, 2.0]
    assert table["backlog"].tolist() == [2.5, 0.5]


def test_a_series_keeps_its_index_and_one_number_of_agents_is_every_interval():
    times = pd.date_range("2025-09-15 08:00", periods=3, freq="30min")
    table = channels.email_backlog(pd.Series([10, 0, 0], index=times), agents=2, aht=600)
    assert (table.index == times).all()
    assert table["handled"].tolist() == [6, 4, 0] and table["agents"].tolist() == [2, 2, 2]


def test_backlog_adds_up_over_a_week():
    """Arrived = handled + backlog at every interval; nothing answered with nobody on."""
    arrivals = np.round(email_builder.expected_emails()[:7 * 48]).astype(int)
    team = email_builder.team()[:7 * 48]
    table = channels.email_backlog(arrivals, team, aht=480)
    assert (table["arrived"].cumsum() == table["handled"].cumsum() + table["backlog"]).all()
    assert (table["backlog"] >= 0).all()
    assert (table.loc[team == 0, "handled"] == 0).all()


@pytest.mark.slow
def test_backlog_against_the_simulator_on_a_monday_morning():
    """Two weeks of the email dataset's expected mail and team, 480 s (lognormal, CV 0.6),
    simulated with 20 seeds. On the second Monday, 08:00-12:00, when the weekend's pile is
    worked off, the model's backlog is within 3% (or 3 standard errors) of the simulated mean
    (about 160 emails at 08:30 down to 120 at 12:00). Later, when the team keeps up, the model
    clears the backlog to 0 while the simulation keeps a handful waiting (the docstring says
    so): checked here too, so that the docstring stays true."""
    arrivals, team = email_builder.expected_emails()[:14 * 48], email_builder.team()[:14 * 48]
    model = channels.email_backlog(arrivals, team, aht=480)["backlog"].to_numpy()
    runs = np.array([simulate_email(arrivals, aht=480, agents=team, handle_cv=0.6, seed=700 + s)
                     .backlog["backlog"].to_numpy() for s in range(20)])
    mean, se = runs.mean(axis=0), runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    monday = np.arange(7 * 48 + 16, 7 * 48 + 24)  # the half-hours 08:00 ... 11:30
    assert (np.abs(model[monday] - mean[monday]) <= np.maximum(3 * se[monday],
                                                               0.03 * mean[monday])).all()
    assert 150 < mean[monday[0]] < 170 and 110 < mean[monday[-1]] < 130
    tuesday_afternoon = 8 * 48 + 30  # 15:00-15:30: the model is empty, the simulation is not
    assert model[tuesday_afternoon] == 0 and mean[tuesday_afternoon] > 0.5


@pytest.mark.parametrize("kwargs, words", [
    (dict(arrivals=[1, -2], agents=1, aht=600), ["arrivals", "-2", "(row 1)"]),
    (dict(arrivals=5, agents=1, aht=600), ["arrivals", "one value per interval"]),
    (dict(arrivals=[1, 2], agents=[1, 1.5], aht=600), ["agents", "1.5", "whole number"]),
    (dict(arrivals=[1, 2], agents=[1, 1, 1], aht=600), ["agents", "3 values"]),
    (dict(arrivals=[1, 2], agents=1, aht=[600, 700]), ["aht", "one number"]),
    (dict(arrivals=[1, 2], agents=1, aht=0), ["aht", "more than 0"]),
])
def test_backlog_bad_input(kwargs, words):
    with pytest.raises(ValueError) as error:
        channels.email_backlog(**kwargs)
    for word in words:
        assert word in str(error.value)


# ------------------------------------------------------------------ agents required


def test_agents_required_hand_worked():
    """40 emails of 600 s arrive in the first half-hour (00:00), the team works 08:00-10:00.

    The work is 40 x 600 = 24,000 s. With n agents it is done 24,000 / n seconds after 08:00.
    Response counted from 00:00 (the start of the arrival interval):

    * target 10 h (36,000 s): finish by 10:00 -> n >= 24,000 / 7,200 = 3.33 -> 4 agents
      (3 agents finish at 10:13:20, too late; 4 at 09:40);
    * target 9 h (32,400 s): finish by 09:00 -> n >= 24,000 / 3,600 = 6.67 -> 7 agents.
    """
    arrivals = [40] + [0] * 47
    is_open = [False] * 16 + [True] * 4 + [False] * 28
    assert channels.email_agents_required(arrivals, 600, open=is_open, response_target=36_000) == 4
    assert channels.email_agents_required(arrivals, 600, open=is_open, response_target=32_400) == 7
    # open given as 1/0 is the same
    assert channels.email_agents_required(arrivals, 600, open=np.array(is_open, int),
                                          response_target=36_000) == 4


def finish_by_minute(arrivals, agents, is_open, aht, length=1800, step=60):
    """Independent reference: work the emails minute by minute, first in, first out.

    Each interval's emails are one batch, there from the start of the interval. Each minute
    the team has agents x 60 s of work; a batch is finished in the minute its last second of
    work is done (the exact moment inside the minute by proportion). Returns each batch's
    finish time in seconds (inf if never).
    """
    batches = [[k * length, a * aht] for k, a in enumerate(arrivals)]
    finish = [np.inf] * len(arrivals)
    steps = int(len(arrivals) * length / step)
    head = 0
    for m in range(steps):
        t = m * step
        k = int(t // length)
        left = agents * step if is_open[k] else 0.0
        while left > 0 and head < len(batches) and batches[head][0] <= t:
            used = min(left, batches[head][1])
            batches[head][1] -= used
            left -= used
            if batches[head][1] <= 1e-9:
                finish[head] = t + (agents * step - left) / agents if is_open[k] else t
                head += 1
        while head < len(batches) and batches[head][1] <= 0 and batches[head][0] <= t + step:
            finish[head] = max(finish[head] if finish[head] < np.inf else 0, batches[head][0])
            head += 1
    return np.array(finish)


def worst_response(arrivals, agents, is_open, aht, target, length=1800):
    finish = finish_by_minute(arrivals, agents, is_open, aht, length)
    starts = np.arange(len(arrivals)) * length
    due = (np.asarray(arrivals) > 0) & (starts + target <= len(arrivals) * length)
    return float(np.max(finish[due] - starts[due]))


@pytest.mark.parametrize("target_hours", [13, 16, 24])
def test_agents_required_against_a_minute_by_minute_reference(target_hours):
    """n answers every due email within target in the minute-by-minute reference; n - 1 does
    not (the dataset's Monday-Friday emails, twice as many, 480 s each, worked 08:00-20:00)."""
    arrivals = np.round(2 * email_builder.expected_emails()[:5 * 48])
    is_open = email_builder.team()[:5 * 48] > 0
    target = target_hours * 3600
    n = channels.email_agents_required(arrivals, 480, open=is_open, response_target=target)
    assert worst_response(arrivals, n, is_open, 480, target) <= target
    assert worst_response(arrivals, n - 1, is_open, 480, target) > target


def test_no_open_time_before_the_deadline_is_refused():
    arrivals = [0] * 40 + [5] + [0] * 7  # 20:00, the team works 08:00-10:00 only
    is_open = [False] * 16 + [True] * 4 + [False] * 28
    with pytest.raises(ValueError, match=r"interval 40 \(row 40\).*no number of agents"):
        channels.email_agents_required(arrivals * 2, 600, open=is_open * 2,
                                       response_target=6 * 3600)


def test_nothing_due_needs_nobody():
    assert channels.email_agents_required([0, 0, 0], 600, open=[True] * 3) == 0


@pytest.mark.parametrize("kwargs, words", [
    (dict(open=[True, False]), ["open", "one True/False per interval", "3 values"]),
    (dict(open=[1, 2, 0]), ["open", "2", "True or False"]),
    (dict(open=[True] * 3, response_target=0), ["response_target", "more than 0"]),
])
def test_agents_required_bad_input(kwargs, words):
    with pytest.raises(ValueError) as error:
        channels.email_agents_required([1, 2, 3], 600, **kwargs)
    for word in words:
        assert word in str(error.value)


def test_open_is_keyword_only():
    with pytest.raises(TypeError):
        channels.email_agents_required([1, 2, 3], 600, [True] * 3)


# ----------------------------------------------------------------- the simulator

SEEDS = 20


@functools.cache
def simulated(target, agents):
    """Share of emails answered within target in each seed's week (simulate_email)."""
    arrivals, is_open = busy_week()
    return np.array([simulate_email(arrivals, aht=480, agents=agents * is_open.astype(int),
                                    target_time=target, handle_cv=0.6, seed=500 + s).service_level
                     for s in range(SEEDS)])


def busy_week():
    """Four times the email dataset's Monday-Friday arrivals, worked 08:00-20:00."""
    return 4 * email_builder.expected_emails()[:5 * 48], email_builder.team()[:5 * 48] > 0


def t_interval(values, confidence=0.99):
    mean = values.mean()
    half = stats.t.ppf((1 + confidence) / 2, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return mean - half, mean, mean + half


@pytest.mark.slow
@pytest.mark.parametrize("hours", [13, 16])
def test_against_the_simulator(hours):
    """With the agents returned nearly every email is answered in time in the simulation
    (one agent per email, random arrivals and handling times, 20 seeds): the 99% interval of
    the share answered within target is above 99%; with one agent fewer it is below 98%."""
    arrivals, is_open = busy_week()
    target = hours * 3600
    n = channels.email_agents_required(arrivals, 480, open=is_open, response_target=target)
    low, mean, _ = t_interval(simulated(target, n))
    assert low > 0.99 and mean > 0.999, (n, mean)
    _, _, high = t_interval(simulated(target, n - 1))
    assert high < 0.98, n


# ----------------------------------------------------------------- email_arrivals


def test_email_arrivals_counts_every_interval_from_midnight():
    email = pd.DataFrame({"arrival": pd.to_datetime(
        ["2025-09-15 00:10:00", "2025-09-15 00:29:59", "2025-09-15 00:30:00",
         "2025-09-16 23:59:00"])})
    counts = channels.email_arrivals(email)
    assert len(counts) == 96 and counts.sum() == 4
    assert counts.iloc[:3].tolist() == [2, 1, 0] and counts.iloc[-1] == 1
    assert counts.index.name == "interval"
    hourly = channels.email_arrivals(email, interval=3600)
    assert len(hourly) == 48 and hourly.iloc[0] == 3


def test_email_arrivals_on_the_days_the_clocks_change():
    """UK clocks go back on 26 October 2025 (a 25-hour day: 50 half-hours, 01:00-02:00 twice)
    and forward on 30 March 2025 (23 hours: 46 half-hours)."""
    back = pd.to_datetime(["2025-10-26T01:30:00+01:00", "2025-10-26T01:30:00+00:00"], utc=True)
    counts = channels.email_arrivals(pd.DataFrame({"arrival": back.tz_convert("Europe/London")}))
    assert len(counts) == 50 and (counts == 1).sum() == 2
    forward = pd.to_datetime(["2025-03-30T00:30:00+00:00", "2025-03-30T02:30:00+01:00"], utc=True)
    counts = channels.email_arrivals(pd.DataFrame({"arrival": forward.tz_convert("Europe/London")}))
    assert len(counts) == 46 and counts.iloc[1] == 1 and counts.iloc[3] == 1


def test_shipped_email_claims():
    """The shipped ``email`` data: 5,444 emails over 28 days; with the team of the data the
    model's backlog at 09:00 on Monday 22 September (the end of the 08:30 half-hour) is 150
    emails (the data: 151); a reply
    within 24 hours cannot be promised for Saturday-evening mail (nobody works Sundays), and
    3 agents in every open half-hour answer everything within 48 hours in the model."""
    email = datasets.load("email")
    counts = channels.email_arrivals(email)
    assert len(counts) == 28 * 48 and counts.sum() == len(email) == 5444
    team = email_builder.team()
    backlog = channels.email_backlog(counts, team, 480)
    at = pd.Timestamp("2025-09-22 08:30", tz="Europe/London")
    assert backlog.loc[at, "backlog"] == 150  # at the end of 08:30-09:00
    replied = email["first_response"].dropna().dt.floor("30min").value_counts()
    observed = counts.cumsum() - replied.reindex(counts.index, fill_value=0).cumsum()
    assert observed.loc[at] == 151
    with pytest.raises(ValueError, match=r"row 274, 2025-09-20 17:00:00\+01:00"):
        channels.email_agents_required(counts, 480, open=team > 0)
    assert channels.email_agents_required(counts, 480, open=team > 0, response_target=48 * 3600) == 3


@pytest.mark.parametrize("frame, kwargs, words", [
    (pd.DataFrame({"arrival": ["2025-09-15 09:00"]}), {}, ["arrival", "datetime64", "pd.to_datetime"]),
    (pd.DataFrame({"sent": pd.to_datetime(["2025-09-15 09:00"])}), {}, ["no column 'arrival'"]),
    (pd.DataFrame({"arrival": pd.to_datetime(["2025-09-15 09:00", None])}), {}, ["empty at row 1"]),
    (pd.DataFrame({"arrival": pd.to_datetime(["2025-09-15 09:00"])}), dict(interval=1000),
     ["interval", "1000", "divide an hour"]),
])
def test_email_arrivals_bad_input(frame, kwargs, words):
    with pytest.raises(ValueError) as error:
        channels.email_arrivals(frame, **kwargs)
    for word in words:
        assert word in str(error.value)
