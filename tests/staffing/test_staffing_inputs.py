"""Check what opsfirst.staffing gives back (types, shapes) and how it refuses bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opsfirst import staffing

# A valid call of every public function, by keyword, exactly as the API contract writes it.
CALLS = {
    "traffic_intensity": dict(calls=100, aht=180, interval=1800),
    "erlang_b": dict(agents=14, traffic=10),
    "erlang_c": dict(agents=14, traffic=10),
    "service_level": dict(agents=14, calls=100, aht=180, target_time=20, interval=1800),
    "average_speed_of_answer": dict(agents=14, calls=100, aht=180, interval=1800),
    "occupancy": dict(agents=14, calls=100, aht=180, interval=1800),
    "agents_required": dict(calls=100, aht=180, target_service_level=0.8, target_time=20,
                            interval=1800, max_occupancy=1.0, shrinkage=0.0),
    "erlang_a": dict(agents=13, calls=100, aht=180, patience=300, target_time=20, interval=1800),
    "staffing_plan": dict(calls=100, aht=180, target_service_level=0.8, target_time=20,
                          interval=1800, max_occupancy=1.0, shrinkage=0.0),
    "scheduled_staff": dict(agents=14, shrinkage=0.3),
}


@pytest.mark.parametrize("name", CALLS)
def test_every_documented_keyword_call_works(name):
    """Check that each function accepts its documented keywords."""
    getattr(staffing, name)(**CALLS[name])


def test_scalar_input_gives_plain_python_numbers():
    """Check that a single interval gives an int or float a doctest prints plainly (14, not np.int64(14))."""
    assert type(staffing.agents_required(calls=100, aht=180)) is int
    assert type(staffing.agents_required(calls=np.int64(100), aht=np.float64(180))) is int
    assert repr(staffing.agents_required(calls=100, aht=180)) == "14"
    for name in ("traffic_intensity", "erlang_b", "erlang_c", "service_level",
                 "average_speed_of_answer", "occupancy"):
        assert type(getattr(staffing, name)(**CALLS[name])) is float, name
    plan = staffing.staffing_plan(calls=100, aht=180, shrinkage=0.3)
    assert type(plan.agents) is int and type(plan.scheduled_staff) is int
    assert type(plan.service_level) is float
    assert all(type(v) is float for v in staffing.erlang_a(**CALLS["erlang_a"]).to_dict().values())


def test_array_input_gives_numpy_arrays_and_broadcasts():
    """Check that a week of intervals (7 x 48) in one call keeps its shape."""
    rng = np.random.default_rng(2026)
    calls = rng.uniform(0, 300, size=(7, 48))
    agents = staffing.agents_required(calls=calls, aht=300)
    assert isinstance(agents, np.ndarray) and agents.shape == (7, 48) and agents.dtype == np.int64
    one = staffing.agents_required(calls=calls[3, 17], aht=300)
    assert agents[3, 17] == one
    sl = staffing.service_level(agents=agents, calls=calls, aht=300, target_time=20)
    assert sl.shape == (7, 48) and np.all(sl >= 0.8)
    # lists and pandas columns are arrays too
    assert staffing.agents_required(calls=[100, 200], aht=180).tolist() == [14, 24]
    assert staffing.agents_required(calls=pd.Series([100.0, 200.0]), aht=180).tolist() == [14, 24]
    # one agent count against many targets
    assert staffing.service_level(np.arange(10, 21), 100, 180, 20).shape == (11,)


def test_staffing_plan_breakdown_and_table():
    """Check the plan's breakdown and that it turns into a table, one row per interval."""
    plan = staffing.staffing_plan(calls=[100, 200], aht=180, shrinkage=0.3)
    table = plan.to_frame()
    assert list(table.columns) == ["traffic", "agents", "scheduled_staff", "service_level",
                                   "average_speed_of_answer", "occupancy", "p_wait", "p_abandon"]
    assert table["agents"].tolist() == [14, 24]
    assert table["scheduled_staff"].tolist() == [20, 35]  # 24 / 0.7 = 34.3 -> 35


# argument -> values that mean nothing, and a word the message must contain
BAD = {
    "calls": [-1, math.nan, math.inf, "lots"],
    "aht": [0, -180, math.nan, math.inf],
    "agents": [-1, 14.5, math.nan, math.inf, True],
    "traffic": [-0.5, math.nan, math.inf],
    "target_time": [-20, math.nan, math.inf],
    "interval": [0, -1800, math.nan],
    "target_service_level": [0, 1.0, 80, -0.1, math.nan],
    "shrinkage": [1.0, -0.1, 30, math.nan],
    "max_occupancy": [0, 1.2, 85, math.nan],
    "patience": [0, -60, math.nan, math.inf],
}
FUNCTIONS_TAKING = {
    arg: [name for name, kw in CALLS.items() if arg in kw] for arg in BAD
}


@pytest.mark.parametrize(
    "name,arg,value",
    [(f, a, v) for a, values in BAD.items() for v in values for f in FUNCTIONS_TAKING[a]],
    ids=str,
)
def test_meaningless_input_names_the_argument_and_the_value(name, arg, value):
    """Check that every meaningless value gets a ValueError naming argument, value and rule."""
    kwargs = dict(CALLS[name], **{arg: value})
    with pytest.raises(ValueError) as error:
        getattr(staffing, name)(**kwargs)
    message = str(error.value)
    assert message.startswith(f"{arg} must be"), message
    if isinstance(value, (str, bool)):
        shown = repr(value)
    else:
        shown = staffing._inputs.show(float(value))
    assert str(shown) in message, message


def test_bad_value_in_an_array_names_its_row():
    """Check that one bad interval in a week is reported by its row, not as a NaN."""
    calls = np.full(336, 120.0)
    calls[201] = -3
    with pytest.raises(ValueError, match=r"calls must be .*got -3 \(row 201\)"):
        staffing.agents_required(calls=calls, aht=300)
    aht = np.full((7, 48), 300.0)
    aht[2, 5] = np.nan
    with pytest.raises(ValueError, match=r"aht must be .*got nan \(at position \(2, 5\)\)"):
        staffing.agents_required(calls=100, aht=aht)


def test_percent_instead_of_fraction_is_explained():
    """Check that target_service_level=80 says to give 0.8."""
    with pytest.raises(ValueError, match=r"e\.g\. 0\.8 for 80%.*got 80"):
        staffing.agents_required(calls=100, aht=180, target_service_level=80)


def test_arrays_that_do_not_fit_together():
    """Check that arrays of different lengths get a plain message naming both."""
    with pytest.raises(ValueError, match=r"calls \(3,\), aht \(2,\)"):
        staffing.agents_required(calls=[1, 2, 3], aht=[180, 200])


def test_abandonment_cap_needs_patience():
    """Check that max_abandon without patience explains that abandonment needs Erlang A."""
    with pytest.raises(ValueError, match="max_abandon needs patience"):
        staffing.agents_required(calls=100, aht=180, max_abandon=0.05)
    with pytest.raises(ValueError, match="max_abandon must be"):
        staffing.agents_required(calls=100, aht=180, patience=60, max_abandon=1.5)
