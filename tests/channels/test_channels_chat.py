"""Check chat_agents_required: exactly Erlang C at one chat, and against the chat simulator.

References, none of them the function itself:

* with ``concurrency=1`` a chat queue *is* a voice queue: the answer must equal
  :func:`opsfirst.staffing.agents_required` over a grid of inputs, exactly;
* the slot model by brute force: the smallest N whose N x concurrency slots meet the target in
  :func:`opsfirst.staffing.service_level` with the stretched handling time;
* a worked example by hand (below);
* the seeded simulator :func:`opsfirst.simulation.simulate_chat`, with confidence intervals
  over seeds (marked slow).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from scipy import stats

from opsfirst import channels, staffing
from opsfirst.datasets.builders import chat as chat_builder
from opsfirst.simulation import simulate_chat


def test_concurrency_one_is_erlang_c_exactly_over_a_grid():
    grid = np.array(list(itertools.product(
        [0, 1, 5, 37.5, 100, 640], [30, 180, 420, 900], [0.5, 0.8, 0.95], [0, 20, 60],
        [900, 1800])), dtype=float)
    chats, aht, sl, tt, iv = grid.T
    want = staffing.agents_required(calls=chats, aht=aht, target_service_level=sl,
                                    target_time=tt, interval=iv)
    for slowdown in (0, None, 0.4):  # one chat at a time: the slowdown never applies
        got = channels.chat_agents_required(chats, aht, concurrency=1, slowdown=slowdown,
                                            target_service_level=sl, target_time=tt, interval=iv)
        np.testing.assert_array_equal(got, want)
    assert got.dtype == np.int64


def test_single_numbers_give_a_plain_int():
    got = channels.chat_agents_required(100, 180, concurrency=1, slowdown=0, target_time=20)
    assert type(got) is int and got == 14  # the classic 100 calls x 180 s, 80/20 example


def test_slot_model_by_brute_force():
    """Smallest N with Erlang C service level on N x k slots >= target (stretched AHT)."""
    for chats, aht, k, s in [(120, 420, 3, 0.25), (60, 300, 2, 0.1), (240, 420, 4, 0.3),
                             (7, 600, 3, 0.25), (120, 420, 3, 0.0)]:
        stretched = aht * (1 + s * (k - 1))
        n = 1
        while staffing.service_level(agents=n * k, calls=chats, aht=stretched,
                                     target_time=60) < 0.8:
            n += 1
        assert channels.chat_agents_required(chats, aht, concurrency=k, slowdown=s) == n


def test_hand_worked_example():
    """120 chats of 420 s, 3 at a time, slowdown 0.25, 80% within 60 s.

    Stretched handling time 420 x (1 + 0.25 x 2) = 630 s; load 120 x 630 / 1800 = 42 Erlangs of
    slots. Erlang C gives 78.2% in 60 s on 47 slots and 84.5% on 48, so 48 slots and
    agents = ceil(48 / 3) = 16. Dividing the voice answer for the base time (33 agents at one
    chat each, 80/60) by 3 says 11: it forgets the slowdown.
    """
    assert round(staffing.service_level(agents=47, calls=120, aht=630, target_time=60), 3) == 0.782
    assert round(staffing.service_level(agents=48, calls=120, aht=630, target_time=60), 3) == 0.845
    assert channels.chat_agents_required(120, 420) == 16
    voice = staffing.agents_required(calls=120, aht=420, target_time=60)
    assert -(-voice // 3) == 11 != channels.chat_agents_required(120, 420)


def test_default_slowdown_is_the_simulators_documented_factor():
    assert channels.CHAT_SLOWDOWN == chat_builder.SLOWDOWN == 0.25
    assert (channels.chat_agents_required(120, 420)
            == channels.chat_agents_required(120, 420, slowdown=0.25))


def test_more_slowdown_or_more_chats_never_needs_fewer_agents():
    chats = np.arange(0, 400, 7.0)
    a = channels.chat_agents_required(chats, 420, slowdown=0.1)
    b = channels.chat_agents_required(chats, 420, slowdown=0.3)
    assert (b >= a).all() and (np.diff(a) >= 0).all()


@pytest.mark.parametrize("kwargs, words", [
    (dict(chats=-1, aht=420), ["chats", "-1", "0 or more"]),
    (dict(chats=[10, np.nan], aht=420), ["chats", "nan", "(row 1)"]),
    (dict(chats=10, aht=0), ["aht", "more than 0"]),
    (dict(chats=10, aht=420, concurrency=2.5), ["concurrency", "2.5", "whole number"]),
    (dict(chats=10, aht=420, concurrency=0), ["concurrency", "1 or more"]),
    (dict(chats=10, aht=420, slowdown=-0.1), ["slowdown", "-0.1"]),
    (dict(chats=10, aht=420, target_service_level=80), ["target_service_level", "80", "0.8"]),
    (dict(chats=[1, 2], aht=[1, 2, 3]), ["shapes", "chats", "aht"]),
])
def test_bad_input_is_refused_at_the_door(kwargs, words):
    with pytest.raises(ValueError) as error:
        channels.chat_agents_required(**kwargs)
    for word in words:
        assert word in str(error.value)


# ------------------------------------------------------------- against the simulator

AHT, SLOWDOWN, TARGET = 420.0, 0.25, 0.8
SCENARIOS = [(c, k) for c in (20, 60, 120, 240) for k in (2, 3)]
SEEDS, INTERVALS, WARM_UP = 10, 60, 3600.0


def simulated(chats, k, agents):
    """Service level (80% within 60 s) of each seed's run, and the mean chats held at pick-up."""
    levels, held = [], []
    for seed in range(SEEDS):
        r = simulate_chat(chats=chats, aht=AHT, agents=agents, concurrency=k, slowdown=SLOWDOWN,
                          target_time=60, intervals=INTERVALS, warm_up=WARM_UP, seed=1000 + seed)
        levels.append(r.service_level)
        held.append(r.mean_concurrency_at_pickup)
    return np.array(levels), float(np.mean(held))


def interval(values, confidence=0.99):
    mean = values.mean()
    half = stats.t.ppf((1 + confidence) / 2, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return mean - half, mean, mean + half


@functools.cache
def measured():
    """Per scenario: N, and the simulated levels at N, N - 1, N - 2, and chats held at N."""
    out = {}
    for chats, k in SCENARIOS:
        n = channels.chat_agents_required(chats, AHT, concurrency=k, slowdown=SLOWDOWN)
        at_n, held = simulated(chats, k, n)
        out[(chats, k)] = dict(n=n, at_n=at_n, held=held, less_one=simulated(chats, k, n - 1)[0],
                               less_two=simulated(chats, k, n - 2)[0] if n >= 3 else None)
    return out


@pytest.mark.slow
def test_against_the_simulator_never_short():
    """At N = chat_agents_required the 99% interval over seeds of the simulated service level
    lies above 80% in every scenario."""
    for key, m in measured().items():
        low, mean, high = interval(m["at_n"])
        assert low > TARGET, (key, m["n"], m["at_n"])


@pytest.mark.slow
def test_against_the_simulator_at_most_one_agent_over():
    """At N - 2 the 99% interval is wholly below 80% in every scenario: one agent over at most.
    With one agent fewer (N - 1) the mean is 70-87%: clearly enough (81% or more) in 2 of the
    8 scenarios, as the docstring says."""
    for key, m in measured().items():
        if m["less_two"] is not None:
            assert interval(m["less_two"])[2] < TARGET, (key, m["n"])
    less_one = [m["less_one"].mean() for m in measured().values()]
    assert 0.69 <= min(less_one) and max(less_one) <= 0.88
    assert sum(level >= 0.81 for level in less_one) == 2


@pytest.mark.slow
def test_the_docstrings_measured_numbers():
    levels = [m["at_n"].mean() for m in measured().values()]
    assert 0.865 <= min(levels) and max(levels) <= 0.995
    held = [m["held"] for (c, k), m in measured().items() if k == 3]
    assert 1.75 <= min(held) and max(held) <= 2.65
    less_two = [m["less_two"].mean() for m in measured().values() if m["less_two"] is not None]
    assert max(less_two) <= 0.65


@pytest.mark.slow
def test_negative_control_forgetting_the_slowdown_misses_the_target():
    """Staffed as if there were no slowdown, a busy chat queue misses 80% by far."""
    n = channels.chat_agents_required(120, AHT, concurrency=3, slowdown=0)
    _, _, high = interval(simulated(120, 3, n)[0])
    assert high < 0.5
