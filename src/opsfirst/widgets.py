"""Widgets for the lessons: move a slider and watch the numbers move.

* :func:`staffing_slider` -- agents on a slider; service level, average speed of answer and
  occupancy for one half-hour (Erlang C), read out as numbers and drawn as a plot.

Units as everywhere in opsfirst: ``calls`` offered per interval, times in seconds,
``interval`` 1800 s unless given, fractions between 0 and 1.

The widgets answer at once: every number comes from :mod:`opsfirst.staffing`, which takes
microseconds, and the plot is one small matplotlib figure, built once and redrawn to a PNG
(about 20 ms) when the slider moves. The figure is never registered with ``pyplot``, so it
neither leaks nor appears a second time below the cell.
"""

from __future__ import annotations

import io
import math
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from . import _inputs, staffing

__all__ = ["staffing_slider", "StaffingSlider"]

_MEETS = "tab:blue"
_MISSES = "tab:gray"
_CURRENT = "tab:orange"


def _single(**named: Any) -> None:
    """Refuse arrays: a slider shows one interval."""
    for name, value in named.items():
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number; got an array "
                             "(the slider shows one interval)")


def _span(kind: str, agents: int, value: float, text: str) -> str:
    """A readout number with its exact value in data attributes, for a browser test."""
    return (f'<span class="opsfirst-{kind}" data-agents="{agents}" '
            f'data-value="{float(value)!r}">{text}</span>')


class StaffingSlider(widgets.VBox):
    """The staffing slider: an ``IntSlider`` of agents, a readout and a plot, in a VBox.

    Build it with :func:`staffing_slider`. Its parts are ``slider`` (the agents),
    ``readout`` (an ``ipywidgets.HTML``) and ``plot`` (an ``ipywidgets.Image``, PNG).
    """

    def __init__(self, calls: float, aht: float, target_time: float,
                 target_service_level: float, interval: float, agents: int | None):
        self.calls, self.aht, self.interval = calls, aht, interval
        self.target_time, self.target_service_level = target_time, target_service_level
        self.traffic = staffing.traffic_intensity(calls=calls, aht=aht, interval=interval)
        required = staffing.agents_required(
            calls=calls, aht=aht, target_service_level=target_service_level,
            target_time=target_time, interval=interval)
        low = math.floor(self.traffic) + 1  # the fewest agents that can keep up
        high = math.ceil(self.traffic + 3 * math.sqrt(self.traffic) + 5)
        if agents is None:
            agents = max(required, low)
        elif agents < low:
            raise ValueError(
                f"agents must be more than the traffic ({self.traffic:g} Erlangs), at least "
                f"{low}, so that the agents can keep up; got {agents}")
        high = max(high, required, agents)
        self.required = required
        self.agents = np.arange(low, high + 1)
        # The curve is computed once; the slider only changes which bar is highlighted.
        self.curve = staffing.service_level(agents=self.agents, calls=calls, aht=aht,
                                            target_time=target_time, interval=interval)

        self.slider = widgets.IntSlider(
            value=agents, min=low, max=high, step=1, description="agents",
            continuous_update=True, layout=widgets.Layout(width="500px"))
        self.readout = widgets.HTML()
        self.plot = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
        self._build_figure()
        super().__init__(children=[self.slider, self.readout, self.plot])
        self.slider.observe(self._on_change, names="value")
        self._show(agents)

    def __repr__(self) -> str:
        # Short and stable: notebooks are tested on their text output (nbval).
        return (f"StaffingSlider(calls={self.calls:g}, aht={self.aht:g}, "
                f"target_time={self.target_time:g}, "
                f"target_service_level={self.target_service_level:g}, "
                f"interval={self.interval:g}, agents={self.slider.value})")

    # ----------------------------------------------------------------------- the parts

    def _build_figure(self) -> None:
        fig = Figure(figsize=(6.4, 3.4), dpi=100)
        # Fixed margins: a layout engine would draw the figure twice on every move.
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9)
        ax = fig.add_subplot()
        target = self.target_service_level * 100
        self._bars = ax.bar(self.agents, self.curve * 100,
                            color=np.where(self.curve >= self.target_service_level,
                                           _MEETS, _MISSES))
        ax.axhline(target, color="black", linestyle="--",
                   label=f"target: {target:g}% within {self.target_time:g} s")
        ax.set_xticks(self.agents)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_ylim(0, 105)
        ax.set_xlabel("agents on the phones")
        ax.set_ylabel(f"answered within {self.target_time:g} s (%)")
        ax.legend(loc="lower right", fontsize=8)
        self._figure, self._axes = fig, ax

    def _draw(self, agents: int) -> bytes:
        meets = self.curve >= self.target_service_level
        for n, bar, ok in zip(self.agents, self._bars, meets):
            bar.set_color(_CURRENT if n == agents else (_MEETS if ok else _MISSES))
        sl = self.curve[self.agents == agents][0]
        verdict = "meets" if sl >= self.target_service_level else "misses"
        self._axes.set_title(
            f"{agents} agents answer {sl:.1%} within {self.target_time:g} s: "
            f"{verdict} the {self.target_service_level:.0%} target", fontsize=10)
        buffer = io.BytesIO()
        self._figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()

    def _show(self, agents: int) -> None:
        common = dict(agents=agents, calls=self.calls, aht=self.aht, interval=self.interval)
        sl = staffing.service_level(target_time=self.target_time, **common)
        asa = staffing.average_speed_of_answer(**common)
        occ = staffing.occupancy(**common)
        self.readout.value = (
            f"<b>{agents} agents</b> for {self.traffic:.3g} Erlangs "
            f"({self.calls:g} calls &times; {self.aht:g} s in {self.interval:g} s) &nbsp;|&nbsp; "
            f"service level {_span('service-level', agents, sl, f'{sl:.1%}')} "
            f"within {self.target_time:g} s (target {self.target_service_level:.0%}) "
            f"&nbsp;|&nbsp; ASA {_span('asa', agents, asa, f'{asa:.1f} s')} "
            f"&nbsp;|&nbsp; occupancy {_span('occupancy', agents, occ, f'{occ:.1%}')}")
        self.plot.value = self._draw(agents)

    def _on_change(self, change: dict) -> None:
        self._show(int(change["new"]))


def staffing_slider(calls=100, aht=180, target_time=20, target_service_level=0.8,
                    interval=staffing.INTERVAL, agents=None) -> StaffingSlider:
    """A slider of agents for one interval, with its service level, ASA and occupancy.

    Move the slider and the readout and the plot follow at once: service level (Erlang C,
    the share of calls answered within ``target_time``), average speed of answer over all
    calls, occupancy, and a bar chart of service level against agents with the target as a
    dashed line and the current agents in orange.

    Parameters
    ----------
    calls : float, default 100
        Calls offered in the interval.
    aht : float, default 180
        Average handling time, seconds.
    target_time : float, default 20
        Answer-time target, seconds (20 for an "80/20" target).
    target_service_level : float, default 0.8
        Share of calls to answer within ``target_time``, above 0 and below 1.
    interval : float, default 1800
        Interval length, seconds.
    agents : int, optional
        Agents on the slider at the start; more than the traffic (calls x aht / interval).
        Left out: the agents required for the target (:func:`opsfirst.staffing.agents_required`).

    Returns
    -------
    StaffingSlider
        An ``ipywidgets.VBox`` holding ``slider`` (an ``IntSlider`` from the first whole
        number above the traffic to about traffic + 3 sqrt(traffic) + 5 agents),
        ``readout`` (an ``ipywidgets.HTML``; each number sits in a ``span`` of class
        ``opsfirst-service-level``, ``opsfirst-asa`` or ``opsfirst-occupancy`` whose
        ``data-value`` is the exact value from :mod:`opsfirst.staffing`: a fraction, or
        seconds for ASA) and ``plot`` (an ``ipywidgets.Image``).

    Raises
    ------
    ValueError
        An argument that is not allowed (the message names it), or ``agents`` at or below
        the traffic.

    Examples
    --------
    100 calls of 180 s in half an hour: the slider starts at 14 agents.

    >>> w = staffing_slider(calls=100, aht=180)
    >>> w.slider.value, w.slider.min, w.slider.max
    (14, 11, 25)

    The readout's numbers, exactly as :mod:`opsfirst.staffing` gives them (service level,
    ASA in seconds, occupancy):

    >>> import re
    >>> re.findall(r'data-value="([^"]+)">([^<]+)<', w.readout.value)
    [('0.8883500191794667', '88.8%'), ('7.835937011777255', '7.8 s'), ('0.7142857142857143', '71.4%')]

    One agent fewer misses the target:

    >>> w.slider.value = 13
    >>> re.findall(r'data-value="([^"]+)">([^<]+)<', w.readout.value)[0]
    ('0.7955947884177829', '79.6%')
    """
    _single(calls=calls, aht=aht, target_time=target_time,
            target_service_level=target_service_level, interval=interval)
    named = dict(calls=calls, aht=aht, target_time=target_time,
                 target_service_level=target_service_level, interval=interval)
    if agents is not None:
        _single(agents=agents)
        named["agents"] = agents
    values, _ = _inputs.check(**named)
    v = {name: float(x) for name, x in zip(named, values)}
    return StaffingSlider(v["calls"], v["aht"], v["target_time"], v["target_service_level"],
                          v["interval"], None if agents is None else int(v["agents"]))
