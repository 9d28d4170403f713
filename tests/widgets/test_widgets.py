"""The staffing slider: its readout is the library's numbers, exactly, for every position."""

import math
import re
import time

import ipywidgets as widgets
import pytest

from opsfirst import staffing
from opsfirst.widgets import staffing_slider


def readout(widget, kind):
    """(data-agents, data-value, text) of one readout span."""
    match = re.search(rf'<span class="opsfirst-{kind}" data-agents="(\d+)" '
                      rf'data-value="([^"]+)">([^<]*)</span>', widget.readout.value)
    assert match, f"no opsfirst-{kind} span in {widget.readout.value!r}"
    return int(match[1]), float(match[2]), match[3]


def test_builds_a_vbox_of_slider_readout_and_plot():
    w = staffing_slider()
    assert isinstance(w, widgets.VBox)
    assert w.children == (w.slider, w.readout, w.plot)
    assert isinstance(w.slider, widgets.IntSlider)
    assert isinstance(w.readout, widgets.HTML)
    assert bytes(w.plot.value).startswith(b"\x89PNG")


def test_slider_starts_at_agents_required_and_spans_the_useful_range():
    w = staffing_slider(calls=100, aht=180, target_time=20, target_service_level=0.8)
    assert w.slider.value == staffing.agents_required(calls=100, aht=180) == 14
    assert w.slider.min == 11  # the first whole number above 10 Erlangs
    assert w.slider.max == math.ceil(10 + 3 * math.sqrt(10) + 5) == 25
    assert staffing_slider(agents=12).slider.value == 12


def test_only_one_slider_in_the_widget():
    w = staffing_slider()
    sliders = [c for c in w.children if isinstance(c, widgets.IntSlider)]
    assert sliders == [w.slider]


@pytest.mark.parametrize("settings", [
    dict(),
    dict(calls=87, aht=263.5, target_time=30, target_service_level=0.9, interval=1800),
    dict(calls=40, aht=300, target_time=15, target_service_level=0.7, interval=900),
])
def test_moving_the_slider_gives_the_library_numbers_exactly(settings):
    w = staffing_slider(**settings)
    p = dict(calls=100, aht=180, target_time=20, interval=1800)
    p.update({k: v for k, v in settings.items() if k in p})
    for agents in range(w.slider.min, w.slider.max + 1):
        w.slider.value = agents
        common = dict(agents=agents, calls=p["calls"], aht=p["aht"], interval=p["interval"])
        expected = {
            "service-level": staffing.service_level(target_time=p["target_time"], **common),
            "asa": staffing.average_speed_of_answer(**common),
            "occupancy": staffing.occupancy(**common),
        }
        for kind, value in expected.items():
            shown_agents, shown_value, _ = readout(w, kind)
            assert shown_agents == agents
            assert shown_value == value, (kind, agents)  # exact: repr round-trips a float


def test_readout_text_is_rounded_for_people():
    w = staffing_slider(calls=100, aht=180)
    w.slider.value = 13
    assert readout(w, "service-level")[2] == "79.6%"
    w.slider.value = 14
    assert readout(w, "service-level")[2] == "88.8%"
    assert readout(w, "asa")[2] == "7.8 s"
    assert readout(w, "occupancy")[2] == "71.4%"


def test_repr_is_short_and_stable_for_notebook_tests():
    w = staffing_slider(calls=100, aht=180)
    assert repr(w) == ("StaffingSlider(calls=100, aht=180, target_time=20, "
                       "target_service_level=0.8, interval=1800, agents=14)")
    assert w._repr_mimebundle_()["text/plain"] == repr(w)


def test_a_slider_move_redraws_the_plot_quickly():
    w = staffing_slider(calls=100, aht=180)
    before = w.plot.value
    w.slider.value = 13  # first move warms up the font cache
    timings = []
    for agents in (12, 15, 16, 13):
        start = time.perf_counter()
        w.slider.value = agents
        timings.append(time.perf_counter() - start)
    assert w.plot.value != before
    # About 0.05 s on a 2-core machine; generous for a busy CI runner.
    assert sorted(timings)[len(timings) // 2] < 0.2, timings


def test_no_figure_leaks_into_pyplot():
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    w = staffing_slider()
    for agents in (12, 13, 20):
        w.slider.value = agents
    assert plt.get_fignums() == open_before


@pytest.mark.parametrize("argument, value", [
    ("calls", -5),
    ("aht", 0),
    ("target_time", -1),
    ("target_service_level", 1.0),
    ("target_service_level", 80),
    ("interval", 0),
    ("agents", 13.5),
    ("calls", [100, 120]),
    ("aht", "three minutes"),
])
def test_bad_input_names_the_argument(argument, value):
    with pytest.raises(ValueError, match=rf"^{argument} must be"):
        staffing_slider(**{argument: value})


def test_agents_at_or_below_the_traffic_are_refused():
    with pytest.raises(ValueError, match=r"^agents must be more than the traffic \(10 Erlangs\)"):
        staffing_slider(calls=100, aht=180, agents=10)


def test_agents_above_the_usual_range_extend_it():
    w = staffing_slider(calls=100, aht=180, agents=40)
    assert w.slider.max == 40 and w.slider.value == 40
    assert readout(w, "occupancy")[1] == staffing.occupancy(agents=40, calls=100, aht=180)


def test_no_calls_still_gives_a_working_slider():
    w = staffing_slider(calls=0, aht=180)
    assert w.slider.min == 1 and w.slider.value == 1
    assert readout(w, "service-level")[1] == 1.0
