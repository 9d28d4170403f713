"""Build ``channel_costs``: what one contact and one resolved issue cost, channel by channel.

A small table of inputs and the arithmetic that turns them into a cost per contact and a cost
per *resolution*, for the bank's servicing centre (the centre of ``interval_history``, ``chat``,
``email`` and ``outbound``). Lesson 06 compares channels on it: a channel that is cheap per
contact can be dear per resolved issue.

For each channel:

* agent-seconds per contact = handling time / concurrency (chats share an agent);
* cost per contact = cost per agent-hour x agent-seconds per contact / 3600 / occupancy (the
  agent is paid for the idle time too);
* contacts per resolution = 1 / first-contact resolution (each contact resolves the issue with
  the same chance, the model of SQM Group's "contacts per issue");
* cost per resolution = cost per contact x contacts per resolution.

For outbound the contact is a right-party contact, and its agent time includes the dialling
and the calls that reach nobody: it comes from the simulated collections campaign.

Every input is an assumption of this kit (labelled "assumed" in the data dictionary) except
voice first-contact resolution, 72%: SQM Group's average for call centres in its 2022
benchmark (post-call survey method, North American centres), a figure for voice, not for the
other channels.
"""

from __future__ import annotations

SEED = 2026

# Assumed figures (the data dictionary lists them), except FCR for voice (SQM Group 2022).
COST_PER_AGENT_HOUR = {"voice": 27.0, "chat": 27.0, "email": 25.0, "outbound": 27.0}  # GBP, loaded
CHANNELS = {
    # channel: handle seconds, concurrency, occupancy, first-contact resolution
    "voice": (300.0, 1.0, 0.85, 0.72),
    "chat": (525.0, 2.3, 0.80, 0.65),
    "email": (480.0, 1.0, 0.90, 0.55),
}
OUTBOUND_FCR = 0.60  # right-party contacts that settle the matter (a payment plan agreed)


def _outbound_seconds_per_contact() -> tuple[float, float]:
    """Agent-seconds per right-party contact and the occupancy of the collections campaign."""
    from opsfirst import simulation
    from opsfirst.datasets.builders import outbound

    c = outbound.CAMPAIGNS["collections"]
    r = simulation.simulate_dialler(
        agents=c["agents"], pacing=c["pacing"], interval=20 * c["hours"] * 3600, aht=c["aht"],
        wrap_time=outbound.WRAP_TIME, right_party_share=c["right_party_share"],
        wrong_party_talk=outbound.WRONG_PARTY_TALK, amd_false_positive=outbound.AMD_FALSE_POSITIVE,
        outcome_shares=c["outcome_shares"], handle_cv=outbound.HANDLE_CV, seed=SEED)
    return 3600 / r.right_party_per_agent_hour, r.utilisation


def _outbound_handle_seconds() -> float:
    """Mean talk + wrap of a collections right-party contact, seconds."""
    from opsfirst.datasets.builders import outbound

    return outbound.CAMPAIGNS["collections"]["aht"] + outbound.WRAP_TIME


def build():
    """The table: one row per channel (see the module docstring)."""
    import pandas as pd

    rows = []
    for channel, (handle, concurrency, occupancy, fcr) in CHANNELS.items():
        rows.append(dict(channel=channel, cost_per_agent_hour=COST_PER_AGENT_HOUR[channel],
                         handle_seconds=handle, concurrency=concurrency, occupancy=occupancy,
                         agent_seconds_per_contact=handle / concurrency / occupancy,
                         first_contact_resolution=fcr))
    seconds, occupancy = _outbound_seconds_per_contact()
    rows.append(dict(channel="outbound", cost_per_agent_hour=COST_PER_AGENT_HOUR["outbound"],
                     handle_seconds=_outbound_handle_seconds(), concurrency=1.0, occupancy=occupancy,
                     agent_seconds_per_contact=seconds, first_contact_resolution=OUTBOUND_FCR))
    table = pd.DataFrame(rows)
    table["cost_per_contact"] = table["cost_per_agent_hour"] * table["agent_seconds_per_contact"] / 3600
    table["contacts_per_resolution"] = 1 / table["first_contact_resolution"]
    table["cost_per_resolution"] = table["cost_per_contact"] * table["contacts_per_resolution"]
    return table.round({"occupancy": 3, "agent_seconds_per_contact": 1, "cost_per_contact": 2,
                        "contacts_per_resolution": 3, "cost_per_resolution": 2})
