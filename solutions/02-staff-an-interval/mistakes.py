"""Typical mistakes in 02-staff-an-interval, each with the hint its visible test gives.

The soundness tests (tests/assignments/test_assignments.py) check that each one passes the question's type
checks, loses marks on its question only, and shows its own hint and no other. ``opsfirst check``
calls a message "a common mistake" only when it holds one of these hints, so a check's last,
catch-all message ("... is not yet ...") is never one.
"""

from opsfirst.grading import Mistake

_AGENTS = ("staffing.agents_required(calls=CALLS, aht=AHT, target_service_level=TARGET_SL, "
           "target_time=TARGET_TIME)")

MISTAKES = [
    # 1. traffic_erlangs
    Mistake(id="traffic_not_divided", question="traffic_erlangs",
            code="traffic = CALLS * AHT",
            hint="work in call-seconds"),
    Mistake(id="traffic_aht_in_minutes", question="traffic_erlangs",
            code="traffic = CALLS * (AHT / 60) / INTERVAL",
            hint="the AHT went in minutes but the interval in seconds"),
    Mistake(id="traffic_per_hour", question="traffic_erlangs",
            code="traffic = CALLS * AHT / 3600",
            hint="divides by an hour"),
    # 2. p_wait
    Mistake(id="p_wait_erlang_b", question="p_wait",
            code="p_wait = staffing.erlang_b(agents=40, traffic=CALLS * AHT / INTERVAL)",
            hint="Erlang B is for lost calls"),
    Mistake(id="p_wait_is_occupancy", question="p_wait",
            code="p_wait = CALLS * AHT / INTERVAL / 40",
            hint="share of the agents' time spent on calls"),
    Mistake(id="p_wait_answered_at_once", question="p_wait",
            code="p_wait = 1 - staffing.erlang_c(agents=40, traffic=CALLS * AHT / INTERVAL)",
            hint="the share of callers answered at once, 1 - P(wait)"),
    Mistake(id="p_wait_erlang_a", question="p_wait",
            code="p_wait = staffing.erlang_a(agents=40, calls=CALLS, aht=AHT, patience=PATIENCE).p_wait",
            hint="p_wait comes from Erlang A"),
    Mistake(id="p_wait_typed", question="p_wait",
            code="p_wait = 0.4116",
            hint="p_wait has five decimals or fewer"),
    # 3. service level with 40 agents
    Mistake(id="service_level_answered_at_once", question="service_level_n",
            code="service_level_40 = 1 - staffing.erlang_c(agents=40, traffic=CALLS * AHT / INTERVAL)",
            hint="counts only the calls answered at once"),
    Mistake(id="service_level_percent", question="service_level_n",
            code=("service_level_40 = 100 * staffing.service_level(agents=40, calls=CALLS, aht=AHT, "
                  "target_time=TARGET_TIME)"),
            hint="do not multiply by 100"),
    Mistake(id="service_level_erlang_a", question="service_level_n",
            code=("service_level_40 = staffing.erlang_a(agents=40, calls=CALLS, aht=AHT, "
                  "patience=PATIENCE).service_level"),
            hint="service_level_40 comes from Erlang A"),
    # 4. ASA with 40 agents
    Mistake(id="asa_of_delayed_calls", question="asa_n",
            code="asa_40 = AHT / (40 - CALLS * AHT / INTERVAL)",
            hint="mean wait of the calls that wait"),
    Mistake(id="asa_erlang_a", question="asa_n",
            code=("asa_40 = staffing.erlang_a(agents=40, calls=CALLS, aht=AHT, "
                  "patience=PATIENCE).average_speed_of_answer"),
            hint="asa_40 comes from Erlang A"),
    Mistake(id="asa_typed", question="asa_n",
            code="asa_40 = 27.8",
            hint="asa_40 has five decimals or fewer"),
    # 5. agents for 80/20
    Mistake(id="agents_traffic_rounded_up", question="agents_needed",
            code="agents_needed = math.ceil(CALLS * AHT / INTERVAL)",
            hint="busy 100% of the time"),
    Mistake(id="agents_last_that_misses", question="agents_needed",
            code=("agents_needed = 37\n"
                  "while staffing.service_level(agents=agents_needed + 1, calls=CALLS, aht=AHT,\n"
                  "                             target_time=TARGET_TIME) < TARGET_SL:\n"
                  "    agents_needed += 1"),
            hint="the last number that misses it"),
    Mistake(id="agents_with_patience", question="agents_needed",
            code="agents_needed = staffing.agents_required(calls=CALLS, aht=AHT, patience=PATIENCE)",
            hint="meets 80/20 only if callers hang up"),
    # 6. shrinkage
    Mistake(id="shrinkage_multiplied", question="agents_with_shrinkage",
            code=f"scheduled = math.ceil({_AGENTS} * (1 + SHRINKAGE))",
            hint="Shrinkage divides"),
    # round() and int() give the same here (42 / 0.72 = 58.33): one mistake, one message
    Mistake(id="shrinkage_rounded_to_nearest", question="agents_with_shrinkage",
            code=f"scheduled = round({_AGENTS} / (1 - SHRINKAGE))",
            hint="rounded down, or to the nearest whole person"),
    Mistake(id="shrinkage_not_rounded", question="agents_with_shrinkage",
            code=f"scheduled = {_AGENTS} / (1 - SHRINKAGE)",
            hint="People come whole: round up, with staffing.scheduled_staff"),
    Mistake(id="shrinkage_left_out", question="agents_with_shrinkage",
            code=f"scheduled = {_AGENTS}",
            hint="question 5's agents with no shrinkage"),
    # 7. occupancy cap
    Mistake(id="occupancy_cap_ignored", question="agents_with_occupancy_cap",
            code=f"agents_capped = {_AGENTS}",
            hint="above the 85% cap"),
    # 8. one agent less
    Mistake(id="drop_negative", question="cost_of_one_agent_less",
            code=(f"on_phones = {_AGENTS}\n"
                  "sl_drop = (staffing.service_level(agents=on_phones - 1, calls=CALLS, aht=AHT, target_time=TARGET_TIME)\n"
                  "           - staffing.service_level(agents=on_phones, calls=CALLS, aht=AHT, target_time=TARGET_TIME))"),
            hint="subtract the other way round"),
    Mistake(id="drop_one_agent_more", question="cost_of_one_agent_less",
            code=(f"on_phones = {_AGENTS}\n"
                  "sl_drop = (staffing.service_level(agents=on_phones + 1, calls=CALLS, aht=AHT, target_time=TARGET_TIME)\n"
                  "           - staffing.service_level(agents=on_phones, calls=CALLS, aht=AHT, target_time=TARGET_TIME))"),
            hint="what one agent more would add"),
    Mistake(id="drop_relative", question="cost_of_one_agent_less",
            code=(f"on_phones = {_AGENTS}\n"
                  "full = staffing.service_level(agents=on_phones, calls=CALLS, aht=AHT, target_time=TARGET_TIME)\n"
                  "short = staffing.service_level(agents=on_phones - 1, calls=CALLS, aht=AHT, target_time=TARGET_TIME)\n"
                  "sl_drop = (full - short) / full"),
            hint="is the relative fall"),
    Mistake(id="drop_erlang_a", question="cost_of_one_agent_less",
            code=(f"on_phones = {_AGENTS}\n"
                  "patient = staffing.erlang_a(agents=np.array([on_phones - 1, on_phones]), calls=CALLS, aht=AHT,\n"
                  "                            patience=PATIENCE).service_level\n"
                  "sl_drop = patient[1] - patient[0]"),
            hint="sl_drop is the fall when callers hang up"),
    Mistake(id="drop_typed", question="cost_of_one_agent_less",
            code="sl_drop = 0.063",
            hint="sl_drop has five decimals or fewer"),
    # 9. pooling
    Mistake(id="separate_one_team_only", question="separate_agents",
            code=("separate_agents = staffing.agents_required(calls=120, aht=AHT, "
                  "target_service_level=TARGET_SL, target_time=TARGET_TIME)"),
            hint="is what one team of 120 calls needs"),
    Mistake(id="pooled_doubled", question="pooled_agents",
            code=("pooled_agents = 2 * staffing.agents_required(calls=120, aht=AHT, "
                  "target_service_level=TARGET_SL, target_time=TARGET_TIME)"),
            hint="as if pooling changed nothing"),
    Mistake(id="separate_each_all_calls", question="separate_agents",
            code=("separate_agents = 2 * staffing.agents_required(calls=CALLS, aht=AHT, "
                  "target_service_level=TARGET_SL, target_time=TARGET_TIME)"),
            hint="gives each team all 240 calls"),
    Mistake(id="pooled_with_cap", question="pooled_agents",
            code=("pooled_agents = staffing.agents_required(calls=120 + 120, aht=AHT, target_service_level=TARGET_SL,\n"
                  "                                         target_time=TARGET_TIME, max_occupancy=MAX_OCCUPANCY)"),
            hint="applies question 7's 85% occupancy cap"),
    # 10. abandonment
    Mistake(id="abandon_from_erlang_c", question="abandon_rate",
            code="abandon_rate = staffing.staffing_plan(calls=CALLS, aht=AHT).p_abandon",
            hint="assumes nobody hangs up. Use Erlang A"),
    Mistake(id="abandon_is_p_wait", question="abandon_rate",
            code=(f"on_phones = {_AGENTS}\n"
                  "abandon_rate = staffing.erlang_a(agents=on_phones, calls=CALLS, aht=AHT, patience=PATIENCE).p_wait"),
            hint="Only some of those run out of patience"),
    Mistake(id="abandon_40_agents", question="abandon_rate",
            code="abandon_rate = staffing.erlang_a(agents=40, calls=CALLS, aht=AHT, patience=PATIENCE).p_abandon",
            hint="for the 40 agents of questions 2 to 4"),
    Mistake(id="abandon_patience_minutes", question="abandon_rate",
            code=(f"on_phones = {_AGENTS}\n"
                  "abandon_rate = staffing.erlang_a(agents=on_phones, calls=CALLS, aht=AHT, patience=PATIENCE / 60).p_abandon"),
            hint="gives patience in minutes"),
    # 11. simulation
    Mistake(id="simulated_with_patience", question="simulated_service_level",
            code=(f"on_phones = {_AGENTS}\n"
                  "simulated_sl = simulation.simulate_queue(calls=CALLS, aht=AHT, agents=on_phones, intervals=480,\n"
                  "                                         warm_up=1800, seed=SEED, patience=PATIENCE).service_level"),
            hint="Did callers hang up in your simulation?"),
    Mistake(id="simulated_40_agents", question="simulated_service_level",
            code=("simulated_sl = simulation.simulate_queue(calls=CALLS, aht=AHT, agents=40, intervals=480,\n"
                  "                                         warm_up=1800, seed=SEED).service_level"),
            hint="simulates the 40 agents of questions 2 to 4"),
    # Passes every visible test (a simulation without the warm-up lands close to Erlang C, but
    # is another run): only the hidden test catches it, and the feedback must not show it.
    Mistake(id="simulated_without_warm_up", question="simulated_service_level",
            code=(f"on_phones = {_AGENTS}\n"
                  "simulated_sl = simulation.simulate_queue(calls=CALLS, aht=AHT, agents=on_phones, intervals=480,\n"
                  "                                         seed=SEED).service_level"),
            hint=None),
]
