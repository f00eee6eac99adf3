import itertools

from helpers import SCENARIOS, load_example, load_shipped

from simulator.core import analysis, scoring
from simulator.core.engine import Engine


def brute_force(scenario, variant=None):
    """Every playthrough by plain enumeration through the engine (small scenarios only)."""
    eng = Engine(scenario)
    results = []
    stack = [eng.start("en", variant=variant, shuffle=False)]
    while stack:
        state = stack.pop()
        if state.over:
            results.append((scoring.score(scenario, state).total, state))
            continue
        for index in eng.options(state):
            stack.append(eng.choose_response(state, index))
    return results


def test_exact_best_and_worst_match_brute_force_on_the_doc_example():
    scenario = load_example()
    found = analysis.explore(scenario)
    every = brute_force(scenario)
    assert found.exact
    assert found.paths == len(every)
    assert found.best.score == max(s for s, _ in every)
    assert found.worst.score == min(s for s, _ in every)


def test_best_path_replays_to_its_score():
    scenario = load_example()
    best = analysis.explore(scenario).best
    eng = Engine(scenario)
    state = eng.start("en")
    for index in best.responses:
        state = eng.choose_response(state, index)
    assert state.ending == best.ending and scoring.score(scenario, state).total == best.score


def test_random_play_odds_sum_to_one():
    found = analysis.explore(load_example())
    assert abs(sum(found.outcome_odds.values()) - 1) < 1e-9
    assert found.outcome_odds == {"retained": 0.75, "churned": 0.25}


def test_shortest_and_longest_calls():
    found = analysis.explore(load_example())
    assert (found.shortest, found.longest) == (2, 5)


def test_path_choices_are_one_based():
    best = analysis.explore(load_example()).best
    assert best.choices == tuple(i + 1 for i in best.responses)


def test_budget_falls_back_to_an_approximate_answer():
    found = analysis.explore(load_example(), budget=2)
    assert not found.exact
    assert found.best is not None and found.worst is not None


def test_exact_analysis_agrees_with_sampled_play_on_every_shipped_scenario():
    # The exact search must never be beaten by any sampled playthrough.
    for path in SCENARIOS:
        scenario = load_shipped(path)
        found = analysis.explore(scenario)
        eng = Engine(scenario)
        for seed in range(30):
            state = eng.start("en", seed)
            rng = itertools.count(seed)
            while not state.over:
                options = eng.options(state)
                state = eng.choose_response(state, options[next(rng) % len(options)])
            total = scoring.score(scenario, state).total
            assert found.worst.score <= total <= found.best.score, path.name
