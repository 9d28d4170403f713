"""forecast_miss and its slider: a forecast's miss simulated on the agents planned for it."""

from __future__ import annotations

import numpy as np
import pytest

from opsfirst import forecasting, staffing


def test_the_calls_offered_are_the_forecast_scaled_by_the_miss():
    """Check over 400 half-hours of 100 forecast calls that the simulated calls offered average
    forecast x (1 + error), within a 99.9% interval of a Poisson mean (sd = sqrt(110/400))."""
    forecast = np.full(400, 100.0)
    run = forecasting.forecast_miss(forecast, np.full(400, 40), 300, error=0.1, seed=3)
    mean = run["calls_offered"].mean()
    assert abs(mean - 110) < 3.3 * np.sqrt(110 / 400)


def test_more_calls_on_the_same_agents_cost_service():
    """Check the direction and the size against Erlang C: 20 half-hours planned at 80/20 for
    100 calls of 300 s; with the forecast right the day meets about what Erlang C promises,
    with 10% more calls it falls well below it."""
    agents = staffing.agents_required(calls=100, aht=300)
    promised = staffing.service_level(agents=agents, calls=100, aht=300, target_time=20)
    forecast, team = np.full(20, 100.0), np.full(20, agents)
    right = forecasting.forecast_miss(forecast, team, 300, error=0.0, seed=5)
    high = forecasting.forecast_miss(forecast, team, 300, error=0.1, seed=5)
    level = lambda run: run["answered_within_target"].sum() / run["calls_offered"].sum()
    assert abs(level(right) - promised) < 0.06
    assert level(high) < level(right) - 0.05


@pytest.mark.parametrize("error", [-1, -1.5, "10%", True, float("nan")])
def test_a_miss_that_is_not_a_fraction_above_minus_one_is_refused(error):
    with pytest.raises(ValueError, match="error must be a number above -1"):
        forecasting.forecast_miss([100], [20], 300, error=error)


def test_a_negative_forecast_is_refused_with_its_row():
    with pytest.raises(ValueError, match=r"forecast must be .*-5"):
        forecasting.forecast_miss([100, -5], [20, 20], 300, error=0.1)


def test_the_slider_shows_the_miss_it_is_set_to():
    """Check that moving the slider re-runs forecast_miss with the same seed, and the plot's
    title counts the half-hours under 80%."""
    forecast, team = np.full(6, 100.0), np.full(6, 21)
    w = forecasting.forecast_miss_slider(forecast, team, 300, patience=150, seed=2,
                                         labels=[f"09:{m:02d}" for m in range(6)])
    w.slider.value = 15
    want = forecasting.forecast_miss(forecast, team, 300, error=0.15, patience=150, seed=2)
    assert w.run.equals(want)
    assert w.plot.value[:4] == b"\x89PNG"
    assert repr(w) == "ForecastMissSlider(error=+15%)"


def test_the_slider_needs_one_label_per_half_hour():
    with pytest.raises(ValueError, match="labels has 2 labels for 3 intervals"):
        forecasting.forecast_miss_slider([100, 100, 100], [21, 21, 21], 300, labels=["a", "b"])
