"""Build ``survey``: the post-contact survey, one row per invitation, linked by contact_id.

Every voice and chat contact in ``contacts`` is followed by an invitation (a text message a
few minutes after a call, a pop-up at the end of a chat; email contacts are not surveyed).

1. Every invited customer *has* an answer, whether they give it or not: satisfaction (CSAT,
   1-5) rises when the contact truly resolved the issue and falls with a transfer, with each
   repeat contact, with a long contact and with a rushed call; "was your issue resolved?" is
   usually "yes" when it was, but sometimes also when it was not (the customer cannot see the
   future either).
2. Whether they answer depends on how they feel: very unhappy and very happy customers answer
   far more often than the lukewarm middle (a U shape; about 15% answer overall). So the
   respondents' mean CSAT is not the mean of all the customers invited.

Non-respondents stay in the table with empty answers. :func:`simulate` keeps every customer's
answer (``csat_if_asked``, ``resolved_said_if_asked``): the truth a real centre never sees,
used by the tests to measure the non-response bias. All figures are "assumed".
"""

from __future__ import annotations

import functools

import numpy as np

SEED = 2026
STREAM = 1  # contacts uses stream 0, qa_scores stream 2
SURVEYED = ("voice", "chat")

# Assumed figures (the data dictionary lists them).
CSAT_BASE, CSAT_RESOLVED = 2.9, 1.5  # latent satisfaction, and what true resolution adds
CSAT_TRANSFER, CSAT_PER_REPEAT, CSAT_LONG, CSAT_RUSHED = -0.5, -0.3, -0.3, -0.2
LONG_CONTACT = 900  # seconds: a contact longer than this tires the customer
CSAT_NOISE = 0.9
SAY_YES_IF_RESOLVED, SAY_YES_IF_NOT = 0.92, 0.25
RESPONSE_BY_CSAT = {1: 0.35, 2: 0.15, 3: 0.07, 4: 0.09, 5: 0.25}  # the U shape
INVITE_DELAY = {"voice": 300, "chat": 60}  # seconds after the end: up to this long
REPLY_MEDIAN_MINUTES, REPLY_SPREAD = 40, 1.2  # lognormal delay of an answer

COLUMNS = ["contact_id", "invited_at", "responded", "responded_at", "csat", "resolved_said"]


@functools.cache
def simulate():
    """Every invitation with every customer's answer, given or not (see the docstring)."""
    import pandas as pd

    from . import contacts

    rng = np.random.default_rng(np.random.SeedSequence(SEED, spawn_key=(STREAM,)))
    c = contacts.simulate()
    c = c[c["channel"].isin(SURVEYED)].reset_index(drop=True)
    n = len(c)
    delay = rng.integers(0, c["channel"].map(INVITE_DELAY).to_numpy() + 1)
    invited = c["end"] + pd.to_timedelta(delay, unit="s")
    latent = (CSAT_BASE + CSAT_RESOLVED * c["resolved"] + CSAT_TRANSFER * c["transferred"]
              + CSAT_PER_REPEAT * (c["contact_number"] - 1)
              + CSAT_LONG * (c["handle_seconds"] > LONG_CONTACT) + CSAT_RUSHED * c["rushed"]
              + rng.normal(0, CSAT_NOISE, n))
    csat = np.clip(np.round(latent), 1, 5).astype(np.int64)
    said = np.where(rng.random(n) < np.where(c["resolved"], SAY_YES_IF_RESOLVED, SAY_YES_IF_NOT),
                    "yes", "no")
    responded = rng.random(n) < pd.Series(csat).map(RESPONSE_BY_CSAT).to_numpy()
    reply = np.round(60 * REPLY_MEDIAN_MINUTES * np.exp(REPLY_SPREAD * rng.standard_normal(n)))
    return pd.DataFrame({
        "contact_id": c["contact_id"], "invited_at": invited, "responded": responded,
        "responded_at": (invited + pd.to_timedelta(reply, unit="s")).where(responded),
        "csat": pd.Series(csat, dtype="Int64").where(responded),
        "resolved_said": pd.Series(said).where(responded),
        "csat_if_asked": csat, "resolved_said_if_asked": said, "resolved": c["resolved"],
    })


def build():
    """The table: one row per invitation, empty answers for those who did not respond."""
    return simulate()[COLUMNS].copy()
