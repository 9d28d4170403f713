"""Check that every number module 05 states about the shipped data is true of the shipped data.

Each test recomputes the claims of one story of the lesson (course/05-wysiati.ipynb) or of the
assignment's prompts, model answers and mark schemes (solutions/05-wysiati/05-wysiati.ipynb)
with pandas and opsfirst.bias, checks the value, and checks that the text states it as computed
here: a change to the data that makes a sentence wrong fails here, naming the sentence's number.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_helpers import markdown
from opsfirst import bias, datasets, staffing

REPO = Path(__file__).resolve().parents[2]




LESSON = markdown(REPO / "course" / "05-wysiati.ipynb")
ASSIGNMENT = markdown(REPO / "solutions" / "05-wysiati" / "05-wysiati.ipynb")


def says(text: str, *phrases: str) -> None:
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, f"the text no longer says {phrase!r}"


@pytest.fixture(scope="module")
def monthly():
    qa = datasets.load("qa_scores")
    qa["month"] = qa["date"].dt.strftime("%Y-%m")
    return qa, qa.pivot_table(index="agent", columns="month", values="score", aggfunc="mean", observed=True)


@pytest.fixture(scope="module")
def review():
    log = datasets.load("coaching_log")

    def group(month, action):
        return log.loc[(log["month_reviewed"] == month) & (log["action"] == action), "agent"]

    return log, group


@pytest.fixture(scope="module")
def invited():
    table = datasets.load("survey").merge(datasets.load("contacts"), on="contact_id")
    table["contact"] = np.where(table["contact_number"] == 1, "first", "repeat")
    table["shift"] = np.where(table["start"].dt.hour < 10, "08-10", "10-20")
    return table


def f(x, digits):
    return f"{x:.{digits}f}"


def half_up(x, digits):
    """As a person rounds: 8.45 (computed as 8.4499999...) to one decimal is 8.5."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(round(float(x), 9))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def test_lesson_coaching_month(monthly, review):
    """Section 2: the November review's coached and praised six, and what regression expects."""
    qa, m = monthly
    log, group = review
    coached, praised = group("2025-10", "coached"), group("2025-10", "praised")
    assert str(log.loc[log["month_reviewed"] == "2025-10", "date"].iloc[0].date()) == "2025-11-03"
    c, p = m.loc[coached].mean(), m.loc[praised].mean()
    says(LESSON, f"rose from {f(c['2025-10'], 1)} to {f(c['2025-11'], 1)} points",
         f"fell from {f(p['2025-10'], 1)} to {f(p['2025-11'], 1)}", f"{f(c['2025-09'], 1)} in September, "
         f"{f(c['2025-10'], 1)} in October, {f(c['2025-11'], 1)} in November")
    assert c["2025-11"] - c["2025-10"] == pytest.approx(9.72, abs=0.005)
    check = bias.regression_to_the_mean(m["2025-10"], m["2025-11"])
    says(LESSON, f"{f(check.correlation, 2)}: an agent's October average")
    top, bottom = check.groups.loc["top 10%"], check.groups.loc["bottom 10%"]
    # the bottom and top 10% are exactly the six coached and praised of the log
    assert bottom["mean_first"] == pytest.approx(m.loc[coached, "2025-10"].mean())
    assert top["mean_first"] == pytest.approx(m.loc[praised, "2025-10"].mean())
    says(LESSON, f"+{f(bottom['change'], 2)}", f"+{f(bottom['expected_change'], 2)}, half of the rise",
         f"−{f(-bottom['expected_low'], 2)} to +{f(bottom['expected_high'], 2)}",
         f"−{f(-top['change'], 2)}, sits well inside its range (−{f(-top['expected_low'], 2)} to "
         f"−{f(-top['expected_high'], 2)})")
    assert bottom["change"] > bottom["expected_high"]  # "lies just above it"
    # selected=coached: "The same numbers as the bottom row above: the same six agents"
    selected = bias.regression_to_the_mean(m["2025-10"], m["2025-11"], selected=coached).groups.loc["selected"]
    assert selected.to_numpy() == pytest.approx(bottom.to_numpy(), rel=1e-12)
    says(LESSON, "Here the coached six are exactly October's bottom 10%", "The same numbers as the bottom row above")
    assert top["expected_low"] < top["change"] < top["expected_high"]
    september = m.loc[coached, "2025-09"]
    others = september.drop("A04")
    assert others.min() >= 69 and others.max() < 80  # "Five of the six had scored 69 to 79"
    assert (m.loc["A04"].round(0).between(62, 64)).all()  # "A04 scored about 63 in all three months"
    assert m.mean().round(0).eq(77).all()  # "The centre's average is about 77 every month"
    back = bias.regression_to_the_mean(m["2025-11"], m["2025-10"]).groups.loc["bottom 10%"]
    says(LESSON, f"averaged {f(back['mean_first'], 2)} in November and {f(back['mean_second'], 2)} in October",
         f"{f(back['change'], 2)} points *higher*", f"expected +{f(back['expected_change'], 2)}")
    says(LESSON, f"coached six \"rose\" {f(c['2025-11'] - c['2025-10'], 1)} points, and "
                 f"{f(bottom['expected_change'], 1)} of that")


def test_lesson_csat_dashboard(invited):
    """Section 3: response rates, the respondents' mean, re-weighting, and the estimate for all."""
    answered = invited[invited["responded"]]
    says(LESSON, f"{invited['responded'].mean():.1%} of the {len(invited):,} customers invited",
         f"{f(answered['csat'].mean(), 2)} out of 5")
    check = bias.nonresponse(invited, responded="responded", answer="csat", by="contact")
    t = check.table
    says(LESSON, f"({f(t.loc['repeat', 'respondents_mean'], 2)} against {f(t.loc['first', 'respondents_mean'], 2)})",
         f"({t.loc['repeat', 'response_rate']:.1%} against {t.loc['first', 'response_rate']:.1%})",
         f"{t.loc['repeat', 'share_of_respondents']:.1%} of the answers, "
         f"{t.loc['repeat', 'share_of_invited']:.1%} of the customers",
         f"From {f(check.respondents_estimate, 3)} to {f(check.reweighted_estimate, 3)}")
    by_reason = bias.nonresponse(invited, responded="responded", answer="csat", by="reason")
    three = bias.nonresponse(invited, responded="responded", answer="csat",
                             by=["reason", "contact", "transferred"])
    says(LESSON, f"{f(by_reason.reweighted_estimate, 3)} and {f(three.reweighted_estimate, 3)}",
         f"({by_reason.response_rate.min():.1%} to {by_reason.response_rate.max():.1%})")
    for other in ("channel", "team"):  # "the channel or the team moves it no more"
        moved = bias.nonresponse(invited, responded="responded", answer="csat", by=other).reweighted_estimate
        assert abs(moved - check.respondents_estimate) <= 0.01
    # the dictionary's chances of answering, by score, and the estimate for everyone
    described = datasets.describe("survey")
    assert "1: 35%, 2: 15%, 3: 7%, 4: 9%, 5: 25%" in described and "mean about 3.66" in described
    chance = {1: 0.35, 2: 0.15, 3: 0.07, 4: 0.09, 5: 0.25}
    weights = 1 / answered["csat"].astype(int).map(chance)
    says(LESSON, f"{f(np.average(answered['csat'], weights=weights), 2)}, not "
                 f"{f(answered['csat'].mean(), 2)}")
    shares = answered["csat"].value_counts(normalize=True)
    everyone = weights.groupby(answered["csat"]).sum() / weights.sum()
    says(LESSON, f"{shares[5]:.0%} gave a 5 and {shares[3]:.0%} a 3", f"estimated {everyone[5]:.0%} "
                 f"would have given a 5 and {everyone[3]:.0%} a 3")


def test_lesson_league_table(monthly):
    """Section 4: October's table, one agent's intervals, the funnel, and the simulated slider."""
    qa, m = monthly
    october = qa[qa["month"] == "2025-10"]
    table = october.groupby("agent", observed=True)["score"].agg(average="mean", calls="size")
    ranked = table.sort_values("average", ascending=False)
    assert ranked.index[0] == "B04" and ranked.index[3] == "D11"
    says(LESSON, f"B04 heads the table with {f(ranked.loc['B04', 'average'], 1)} from "
                 f"{ranked.loc['B04', 'calls']} calls; D11 is fourth with {f(ranked.loc['D11', 'average'], 1)} "
                 f"from {ranked.loc['D11', 'calls']}")
    a09 = october.loc[october["agent"] == "A09", "score"]
    low, high = bias.mean_interval(a09)
    says(LESSON, f"scored {a09.min()} to {a09.max()}, an average of {f(a09.mean(), 1)}",
         f"anywhere from {f(low, 1)} to {f(high, 1)}")
    assert round(october["score"].mean()) == 77 and high > october["score"].mean()
    b04 = october.loc[october["agent"] == "B04", "score"]
    assert (b04 >= 80).sum() == len(b04) == 5
    says(LESSON, f"From {bias.proportion_interval(5, 5)[0]:.1%} to 100%")
    mean, sd = october["score"].mean(), october["score"].std()
    funnel = bias.funnel_limits([1], mean=mean, sd=sd)
    says(LESSON, f"anything from {f(funnel.loc[1, 'lower_95'], 1)} to {f(funnel.loc[1, 'upper_95'], 1)}")
    limits = bias.funnel_limits(table["calls"], mean=mean, sd=sd).set_axis(table.index)
    out_998 = table.index[(table["average"] < limits["lower_99.8"]) | (table["average"] > limits["upper_99.8"])]
    out_95 = (table["average"] < limits["lower_95"]) | (table["average"] > limits["upper_95"])
    assert sorted(out_998) == ["B03", "B04"] and (table.loc[out_998, "average"] > mean).all()
    says(LESSON, f"Outside the 95% band there are {out_95.sum()}, where chance alone would put about "
                 f"{round(0.05 * len(table))}")
    rho = m.corr(method="spearman")
    says(LESSON, f"{f(rho.loc['2025-09', '2025-10'], 2)} from September to October, "
                 f"{f(rho.loc['2025-10', '2025-11'], 2)} from October to November")
    quarter = qa.groupby("agent", observed=True)["score"].agg(average="mean", calls="size")
    assert quarter["calls"].min() == 9 and quarter["calls"].max() == 15
    q_limits = bias.funnel_limits(quarter["calls"], mean=qa["score"].mean(), sd=qa["score"].std()).set_axis(quarter.index)
    q_out = (quarter["average"] < q_limits["lower_99.8"]) | (quarter["average"] > q_limits["upper_99.8"])
    says(LESSON, f"({q_out.sum()} agents outside the 99.8% band)")
    says(LESSON, f"vary by {f(qa.groupby('agent', observed=True)['score'].std().mean(), 1)} points on average")
    # the slider's simulated centre, at the calls the text names
    slider = bias.league_table_slider(calls=5, seed=2026)
    found = {k: slider.summary(k) for k in (1, 5, 12, 30, 60)}
    says(LESSON, f"(rank correlation {f(found[5]['rank_correlation'], 2)})",
         f"only {found[5]['top_right']} of the 6 praised", f"and {found[5]['bottom_right']} of the 6 coached",
         f"1 call ({f(found[1]['rank_correlation'], 2)})",
         f"{f(found[12]['rank_correlation'], 2)}, {f(found[30]['rank_correlation'], 2)} and "
         f"{f(found[60]['rank_correlation'], 2)}")
    assert (found[60]["top_right"], found[60]["bottom_right"]) == (5, 6)  # "5 of the 6 ... all 6"


def test_lesson_early_shift(invited):
    """Section 5: the early shift's satisfied share overall, within segments and at the same mix."""
    answered = invited[invited["responded"]].assign(satisfied=lambda d: d["csat"] >= 4)
    check = bias.simpsons_paradox(answered, outcome="satisfied", group="shift", segment="contact")
    o, s, st = check.overall, check.by_segment, check.standardised
    says(LESSON, f"{o['08-10']:.1%} satisfied in the early shift, {o['10-20']:.1%} the rest of the day")
    assert o["10-20"] - o["08-10"] > 0.10  # "more than 10 points worse"
    mix = check.table.set_index(["contact", "shift"])["share_of_group"]
    says(LESSON, f"{mix[('repeat', '08-10')]:.1%} of the early shift's answers come after a repeat contact, "
                 f"against {mix[('repeat', '10-20')]:.1%}",
         f"{s.loc['first', '08-10']:.1%} and {s.loc['first', '10-20']:.1%} satisfied, within repeat "
         f"contacts both {s.loc['repeat', '08-10']:.1%}", f"{st['08-10']:.1%} against {st['10-20']:.1%}")
    assert round(s.loc["repeat", "10-20"], 3) == round(s.loc["repeat", "08-10"], 3)
    assert 0 < st["10-20"] - st["08-10"] < 0.01 and not check.reversed
    contacts = datasets.load("contacts")
    repeats = (contacts["contact_number"] > 1).groupby(contacts["start"].dt.hour).mean()
    says(LESSON, f"{repeats[8]:.0%} of the contacts between 08:00 and 09:00 are repeats, "
                 f"{repeats[10]:.0%} between 10:00 and 11:00")
    by_reason = bias.simpsons_paradox(answered, outcome="satisfied", group="shift", segment="reason")
    gaps = by_reason.by_segment["10-20"] - by_reason.by_segment["08-10"]
    assert 0.03 < gaps.min() and gaps.max() < 0.11  # "still 3 to 11 points lower"
    says(LESSON, f"standardised {by_reason.standardised['08-10']:.1%} against {by_reason.standardised['10-20']:.1%}")


def test_lesson_met_on_the_day(tmp_path):
    """Section 6: 28 October, the tails of the half-hours, and the days that met 80/20."""
    h = datasets.load("interval_history")
    h["service_level"] = h["answered_within_20s"] / h["calls_offered"]
    h["day"] = h["interval_start"].dt.strftime("%Y-%m-%d")
    day = h[h["day"] == "2025-10-28"]
    assert day["interval_start"].iloc[0].day_name() == "Tuesday"
    says(LESSON, f"{day['answered_within_20s'].sum() / day['calls_offered'].sum():.1%}: the 80/20 target met")
    lunch = day[day["interval_start"].dt.hour.isin([12, 13])]
    assert len(lunch) == 4 and (lunch["service_level"] < 0.8).all()
    at_one = lunch.loc[lunch["interval_start"].dt.strftime("%H:%M") == "13:00", "service_level"].item()
    says(LESSON, f"at 13:00 only {at_one:.1%} of callers")
    assert round(at_one * 5) == 1  # "one caller in five"
    assert "90% cover 12:00-14:00" in datasets.describe("interval_history")
    tails = bias.tail_summary(h["service_level"], percentiles=(50, 10, 5, 1))
    says(LESSON, f"answers {tails['mean']:.1%} within 20 seconds, and half of them {tails['p50']:.1%} or more",
         f"fewer than {tails['p10']:.1%}, one in twenty fewer than {tails['p5']:.1%}, one in a hundred "
         f"fewer than {tails['p1']:.1%}")
    daily = h.groupby("day")[["answered_within_20s", "calls_offered"]].sum()
    noon = h[h["interval_start"].dt.hour.isin([12, 13])].groupby("day")[["answered_within_20s", "calls_offered"]].sum()
    met = daily["answered_within_20s"] / daily["calls_offered"] >= 0.8
    missed = noon["answered_within_20s"] / noon["calls_offered"] < 0.8
    says(LESSON, f"{met.sum()} of the {len(daily)} days met 80/20 on the day, and on {(met & missed).sum()} "
                 f"of those {met.sum()}", f"{(met & missed).sum()} of the {met.sum()} days")
    abandoned = bias.tail_summary(h["calls_abandoned"] / h["calls_offered"])
    says(LESSON, f"loses {abandoned['mean']:.1%} of its callers, but one half-hour in ten loses "
                 f"{abandoned['p90']:.1%} or more, one in twenty {abandoned['p95']:.1%} and one in a hundred "
                 f"{abandoned['p99']:.1%}")


def test_lesson_check_the_calculator():
    """Section 7: the published tables against Erlang C and the reference examples' exact values."""
    examples = {e["id"]: e for e in json.loads((REPO / "tests" / "reference" / "worked_examples.json").read_text())}
    table = examples["neoprimate_erlang_c_table_wrong"]
    printed = [table["published"][f"p_wait_n{n}"]["value"] for n in (3, 4, 5, 6)]
    assert printed == [0.60, 0.27, 0.13, 0.06]
    exact = staffing.erlang_c(agents=np.array([3, 4, 5, 6]), traffic=2.5)
    says(LESSON, "60%, 27%, 13% and 6%", f"with 3 agents {exact[0]:.1%} of callers wait, not 60%; with 4, "
                 f"{exact[1]:.1%}, not 27%; with 6, {exact[3]:.1%}, not 6%")
    assert [round(float(table["exact"][f"p_wait_n{n}"]), 3) for n in (3, 4, 5, 6)] == list(exact.round(3))
    so = examples["stackoverflow_erlang_c_500_487_wrong_expected"]
    for key, agents, traffic in (("p_wait_n500_a487", 500, 487), ("p_wait_n50_a48", 50, 48), ("p_wait_n100_a96", 100, 96)):
        value = staffing.erlang_c(agents=agents, traffic=traffic)
        assert value == pytest.approx(float(so["exact"][key]), rel=1e-12)
        says(LESSON, f"{value:.6f}")
    says(LESSON, "0.45269")


def test_assignment_claims(monthly, review, invited):
    """The assignment's prompts, model answers and mark schemes."""
    qa, m = monthly
    log, group = review
    assert str(log.loc[log["month_reviewed"] == "2025-09", "date"].iloc[0].date()) == "2025-10-01"
    assert pd.Timestamp("2025-10-01").day_name() == "Wednesday"
    coached, praised = group("2025-09", "coached"), group("2025-09", "praised")
    c, p = m.loc[coached].mean(), m.loc[praised].mean()
    check = bias.regression_to_the_mean(m["2025-09"], m["2025-10"], selected=coached).groups.loc["selected"]
    top = bias.regression_to_the_mean(m["2025-09"], m["2025-10"], selected=praised).groups.loc["selected"]
    says(ASSIGNMENT, f"+{f(c['2025-10'] - c['2025-09'], 2)} points ({f(c['2025-09'], 2)} to {f(c['2025-10'], 2)})",
         f"rise +{f(check['expected_change'], 2)}", f"range {f(check['expected_low'], 2)} to "
         f"{f(check['expected_high'], 2)}", f"fell −{f(-(p['2025-10'] - p['2025-09']), 2)} (expected "
         f"−{f(-top['expected_change'], 2)})", f"averaged {f(c['2025-11'], 2)} (down "
         f"{f(c['2025-10'] - c['2025-11'], 1)} from October)", f"praised averaged {f(p['2025-11'], 2)}")
    assert check["change"] > check["expected_high"]  # "+8.45 lies just above it"
    rise = half_up(c["2025-10"] - c["2025-09"], 1)
    says(ASSIGNMENT, f"lifted them by {rise} points", f"rose {rise} points, from {f(c['2025-09'], 1)} to "
                     f"{f(c['2025-10'], 1)}", f"(+{f(check['expected_change'], 1)} of +{rise})",
         f"rise {f(check['expected_change'], 1)} points anyway",
         f"fell {f(-(p['2025-10'] - p['2025-09']), 1)} points", f"fell back to {f(c['2025-11'], 1)}")
    # C02: praised at both reviews, five calls in November
    assert set(log.loc[log["agent"] == "C02", "action"]) == {"praised"} and len(log[log["agent"] == "C02"]) == 2
    assert ((qa["month"] == "2025-11") & (qa["agent"] == "C02")).sum() == 5
    # the early shift's "resolved" answers
    answered = invited[invited["responded"]].assign(said=lambda d: d["resolved_said"] == "yes")
    mix = bias.simpsons_paradox(answered, outcome="said", group="shift", segment="contact")
    o, s, st = mix.overall, mix.by_segment, mix.standardised
    share = mix.table.set_index(["contact", "shift"])["share_of_group"]
    says(ASSIGNMENT, f"only {o['08-10']:.1%} of the early shift's surveyed customers", f"against {o['10-20']:.1%}",
         f"{share[('repeat', '08-10')]:.1%} of the early shift's surveyed contacts are repeat contacts, against "
         f"{share[('repeat', '10-20')]:.1%}", f"{s.loc['first', '08-10']:.1%} against {s.loc['first', '10-20']:.1%}",
         f"{s.loc['repeat', '08-10']:.1%} against {s.loc['repeat', '10-20']:.1%}",
         f"{st['08-10']:.1%} against {st['10-20']:.1%}, a gap of −{-(st['08-10'] - st['10-20']) * 100:.1f} points",
         f"instead of −{-(o['08-10'] - o['10-20']) * 100:.1f} overall")
    assert round(share[("repeat", "08-10")] * 100) == 60 and round(share[("repeat", "10-20")] * 100) == 15
    assert round(invited["responded"].mean() * 7) == 1  # "one customer in seven"
    # 22 October met 80/20 on the day
    h = datasets.load("interval_history")
    day = h[h["interval_start"].dt.strftime("%Y-%m-%d") == "2025-10-22"]
    assert day["answered_within_20s"].sum() / day["calls_offered"].sum() >= 0.8
    assert day["interval_start"].iloc[0].day_name() == "Wednesday"
    # the article's arithmetic, from the reference examples
    ehow = json.loads((REPO / "tests" / "reference" / "worked_examples.json").read_text())
    ehow = next(e for e in ehow if e["id"] == "ehow_asa_arithmetic_errors")
    assert (ehow["inputs"]["calls_in_interval"], ehow["inputs"]["interval_seconds"],
            ehow["inputs"]["sample_calls"], ehow["inputs"]["sample_talk_minutes"], ehow["inputs"]["agents"]) == (400, 1800, 120, 965, 90)
    assert [ehow["published"][k]["value"] for k in ("arrival_rate_per_second", "aht_seconds",
                                                    "traffic_erlangs_from_printed_inputs")] == [0.22, 482.4, 10.61]
    says(ASSIGNMENT, "0.22 calls a second", "482.4 seconds", "a traffic load of 10.61")
