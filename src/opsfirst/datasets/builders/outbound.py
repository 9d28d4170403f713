"""Build ``outbound``: four weeks of predictive-dialler attempts for two campaigns.

The bank's servicing centre (the centre of ``interval_history``) calls customers in two
campaigns on weekdays from Monday 15 September to Friday 10 October 2025, each simulated
session by session with :func:`opsfirst.simulation.simulate_dialler`:

* ``collections`` -- customers behind with a payment, 09:30-13:00, four agents, pacing 1.15
  calls ringing per free agent;
* ``retention`` -- customers whose fixed-rate mortgage ends soon, 17:00-20:00 (people are home),
  three agents, pacing 1.05 -- until Monday 29 September, when a new team leader raises the
  pacing to 1.4 to "get more contacts": from then on the campaign abandons more live calls
  than the 3% Ofcom's policy allows per campaign per 24 hours, for barely more right-party
  contacts (its agents were already busy).

A dialled number is not answered (the dialler gives up after 20 s), busy, an answering machine
(detected and dropped) or a person. A person who finds no agent free within 2 seconds is an
abandoned call (they hear a recorded message); so is a person the answering-machine detection
takes for a machine. Connected people are the right party (the customer the campaign wants) or
somebody else. The 2-second rule and the counting of detection errors as abandoned calls follow
Ofcom's persistent-misuse policy (see the data dictionary); every other figure below is an
assumption of this kit (labelled "assumed").
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SEED = 2026
STREAM = 13  # this builder's random stream
FIRST_DAY, LAST_DAY = dt.date(2025, 9, 15), dt.date(2025, 10, 10)
TIME_ZONE = "Europe/London"
PACING_CHANGE = dt.date(2025, 9, 29)

# Assumed figures (the data dictionary lists them).
CAMPAIGNS = {
    "collections": dict(
        start=dt.time(9, 30), hours=3.5, agents=4, pacing=1.15, aht=300.0, right_party_share=0.55,
        outcome_shares={"no_answer": 0.50, "busy": 0.05, "machine": 0.20, "live": 0.25}),
    "retention": dict(
        start=dt.time(17, 0), hours=3.0, agents=3, pacing=1.05, aht=420.0, right_party_share=0.70,
        outcome_shares={"no_answer": 0.38, "busy": 0.04, "machine": 0.26, "live": 0.32}),
}
RAISED_PACING = 1.4  # retention from PACING_CHANGE
WRAP_TIME = 30.0  # seconds after each connected call
WRONG_PARTY_TALK = 40.0  # seconds
AMD_FALSE_POSITIVE = 0.01  # live answers taken for a machine and dropped
HANDLE_CV = 0.7
OFCOM_LIMIT = 0.03  # abandoned calls / live calls, per campaign per 24 hours


def dialling_days() -> list[dt.date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def pacing(campaign: str, day: dt.date) -> float:
    if campaign == "retention" and day >= PACING_CHANGE:
        return RAISED_PACING
    return CAMPAIGNS[campaign]["pacing"]


def build():
    """The table: one row per number dialled (see the module docstring)."""
    import pandas as pd

    from opsfirst import simulation

    days = dialling_days()
    sessions = [(day, name) for day in days for name in CAMPAIGNS]
    streams = np.random.SeedSequence(SEED, spawn_key=(STREAM,)).spawn(len(sessions))
    frames = []
    for (day, name), stream in zip(sessions, streams):
        c = CAMPAIGNS[name]
        r = simulation.simulate_dialler(
            agents=c["agents"], pacing=pacing(name, day), interval=c["hours"] * 3600, aht=c["aht"],
            wrap_time=WRAP_TIME, right_party_share=c["right_party_share"],
            wrong_party_talk=WRONG_PARTY_TALK, amd_false_positive=AMD_FALSE_POSITIVE,
            outcome_shares=c["outcome_shares"], handle_cv=HANDLE_CV,
            seed=int(np.random.default_rng(stream).integers(2**32)), records=True)
        t = r.records
        start = pd.Timestamp(dt.datetime.combine(day, c["start"]))
        frames.append(pd.DataFrame({
            "campaign": name,
            "dialled_at": (start + pd.to_timedelta(np.floor(t["dialled_at"]), unit="s")).dt.tz_localize(TIME_ZONE),
            "outcome": t["outcome"].astype(str),
            "agent": t["agent"].map(lambda a: f"{name[0].upper()}{a + 1:02d}", na_action="ignore"),
            "talk_seconds": np.round(t["talk_seconds"]).astype(np.int64),
        }))
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "attempt_id", np.arange(1, len(table) + 1))
    return table
