import dataclasses
import sys

import pytest
from helpers import SCENARIOS

from simulator.core import analysis, loader, scoring, search
from simulator.core.catalog import load_catalog
from simulator.core.engine import Engine

sys.path.insert(0, str(SCENARIOS[0].parent.parent.parent / "benchmarks"))
from generate import adversarial_yaml


def _adversarial(shape, nodes, answers, seed=0):
    scenario, diagnostics = loader.load_text(adversarial_yaml(shape, nodes, answers, seed), f"{shape}.yaml")
    assert scenario is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics[:3]
    return scenario


def _every_total(scenario):
    """Every playthrough's total, by plain enumeration through the engine (small scenarios only)."""
    eng = Engine(scenario)
    totals = []
    stack = [eng.start("en", shuffle=False)]
    while stack:
        state = stack.pop()
        if state.over:
            totals.append(scoring.score(scenario, state).total)
            continue
        stack.extend(eng.choose_response(state, index) for index in eng.options(state))
    return totals


@pytest.mark.parametrize("shape", ["chain", "counters", "wide"])
def test_a_search_stopped_by_its_budget_bounds_the_true_best_and_worst(shape):
    # Small enough to play every call: whatever the budget, the answer is a real call and the
    # stated bound holds the true optimum.
    catalog = load_catalog()
    for seed in range(3):
        scenario = _adversarial(shape, 7, 3, seed)
        totals = _every_total(scenario)
        goal = dataclasses.replace(analysis.total_goal(scenario, None, catalog), key=None)
        for budget in (1, 5, 20, 80):
            high = analysis.optimise(scenario, goal, True, budget=budget, catalog=catalog)
            low = analysis.optimise(scenario, goal, False, budget=budget, catalog=catalog)
            assert high.value in totals and high.value <= max(totals) <= high.bound, (seed, budget)
            assert low.value in totals and low.bound <= min(totals) <= low.value, (seed, budget)
            if high.exact:
                assert high.value == max(totals) == high.bound, (seed, budget)


def test_a_search_stopped_by_its_budget_on_loops_bounds_the_exact_best():
    # Calls that loop back run to the turn limit: too many to play, so the exact search is the judge.
    catalog = load_catalog()
    for seed in range(3):
        scenario = _adversarial("loops", 6, 3, seed)
        goal = dataclasses.replace(analysis.total_goal(scenario, None, catalog), key=None)
        exact = analysis.optimise(scenario, goal, True, budget=10**6, catalog=catalog)
        assert exact.exact
        for budget in (1, 10, 100, 1000):
            cut = analysis.optimise(scenario, goal, True, budget=budget, catalog=catalog)
            assert cut.value <= exact.value <= cut.bound, (seed, budget)


def test_a_wide_scenario_past_its_budget_still_finds_a_call_within_a_point_of_its_bound():
    # The narrow pass that keeps the calls with the best bound finds a call near full marks, so
    # the stated bound (no call above 100) says something.
    catalog = load_catalog()
    scenario = _adversarial("wide", 400, 8)
    goal = dataclasses.replace(analysis.total_goal(scenario, None, catalog), key=None)
    found = analysis.optimise(scenario, goal, True, budget=200, catalog=catalog)
    assert found.path.score == found.value and found.bound - found.value <= 1


def test_a_search_with_a_floor_answers_with_a_call_reaching_it_or_none():
    catalog = load_catalog()
    scenario = _adversarial("counters", 7, 3, 1)
    totals = sorted(set(_every_total(scenario)))
    for floor in (totals[0], totals[len(totals) // 2], totals[-1], totals[-1] + 1):
        goal = analysis.total_goal(scenario, None, catalog, at_least=floor)
        found = analysis.optimise(scenario, goal, True, catalog=catalog)
        if floor > totals[-1]:
            assert found.exact and (found.path is None or found.path.score < floor)
        else:
            assert found.path is not None and found.path.score >= floor


def test_unproven_sweeps_combine_into_the_better_call_and_the_tighter_bound():
    first = search.Result((("n0", 0),), None, "kept", 50, 70, False, 95, 10)
    second = search.Result((("n0", 1),), None, "kept", 60, 80, False, 90, 5)
    combined = search._combine(first, second, True)
    assert (combined.moves, combined.value, combined.bound, combined.exact, combined.expanded) == (
        (("n0", 1),), 80, 90, False, 15)
    proven = search._combine(first, dataclasses.replace(second, value=95, bound=99), True)
    assert proven.exact and proven.value == proven.bound == 95
    lowest = search._combine(dataclasses.replace(first, value=20, bound=5),
                             dataclasses.replace(second, value=30, bound=10), False)
    assert (lowest.value, lowest.bound, lowest.exact) == (20, 10, False)  # no call below 10
