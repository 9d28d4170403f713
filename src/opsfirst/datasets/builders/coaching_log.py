"""Build ``coaching_log``: whom the team leaders praised or coached after each month's QA.

On the first working day of October and of November 2025 the team leaders rank all 56 agents
by the previous month's QA average (``qa_scores``): the top 10% (6 agents) are praised, the
bottom 10% (6 agents) are coached. (November's review would fall in December, after the data.)

By construction coaching and praise change nothing: the QA scores are drawn from each agent's
stable true quality plus call-to-call noise, and nothing in ``qa_scores`` reads this log. Yet
next month the coached agents' averages rise and the praised agents' fall, on average:
regression to the mean. An agent ranked at the bottom on four calls was, more often than not,
an ordinary agent with four unlucky calls. No randomness here: the log follows from the scores.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SHARE = 0.10  # top and bottom share of agents acted on
REVIEWS = {(2025, 9): dt.date(2025, 10, 1), (2025, 10): dt.date(2025, 11, 3)}  # month -> review day

COLUMNS = ["date", "agent", "team", "action", "month_reviewed", "qa_average", "calls_scored"]


def build():
    """The table: one row per agent praised or coached."""
    import pandas as pd

    from . import qa_scores

    qa = qa_scores.simulate()
    qa["month"] = qa["date"].dt.strftime("%Y-%m")
    monthly = (qa.groupby(["month", "agent", "team"], as_index=False)
               .agg(qa_average=("score", "mean"), calls_scored=("score", "size")))
    monthly["qa_average"] = monthly["qa_average"].round(2)
    rows = []
    for (year, month), review in REVIEWS.items():
        ranked = (monthly[monthly["month"] == f"{year}-{month:02d}"]
                  .sort_values(["qa_average", "agent"], ascending=[False, True]))
        k = int(np.round(SHARE * len(ranked)))
        for action, part in (("praised", ranked.head(k)), ("coached", ranked.tail(k))):
            rows.append(part.assign(date=pd.Timestamp(review), action=action,
                                    month_reviewed=part["month"]))
    return pd.concat(rows, ignore_index=True)[COLUMNS]
