import dataclasses
import itertools

from helpers import SCENARIOS, load_example, load_shipped

from simulator.core import analysis, scoring, search
from simulator.core.engine import Engine, transition, visible


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


def _adversarial(shape, nodes, answers, seed=0):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import adversarial_yaml

    from simulator.core import loader

    scenario, diagnostics = loader.load_text(adversarial_yaml(shape, nodes, answers, seed), f"{shape}.yaml")
    assert scenario is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics[:3]
    return scenario


def test_best_worst_and_count_match_brute_force_on_small_adversarial_shapes():
    for shape in ("chain", "counters", "wide"):
        for seed in range(3):
            scenario = _adversarial(shape, 6, 3, seed)
            every = brute_force(scenario)
            found = analysis.explore(scenario)
            assert found.exact, (shape, seed)
            assert found.paths == len(every), (shape, seed)
            assert found.best.score == max(s for s, _ in every), (shape, seed)
            assert found.worst.score == min(s for s, _ in every), (shape, seed)


def test_a_forty_node_chain_of_six_answers_is_solved_exactly():
    # 6**40 calls: only dominance between tallies in the same situation makes this exact.
    found = analysis.explore(_adversarial("chain", 40, 6))
    assert found.exact and found.best_bound == found.best.score and found.worst_bound == found.worst.score


def test_a_search_stopped_by_its_budget_states_a_bound_the_exact_answer_respects():
    scenario = _adversarial("chain", 40, 6)
    catalog = analysis.load_catalog()
    goal = dataclasses.replace(analysis.total_goal(scenario, None, catalog), key=None)  # never remembered
    cut = analysis.optimise(scenario, goal, True, budget=50, catalog=catalog)
    exact = analysis.optimise(scenario, goal, True, catalog=catalog)
    assert not cut.exact and cut.path is not None
    assert cut.value <= exact.value <= cut.bound


def test_the_best_path_is_remembered_per_scenario_version():
    scenario = load_shipped(SCENARIOS[0])
    first = analysis.best_and_worst(scenario)[0]
    assert analysis.best_and_worst(scenario)[0] is first


def test_the_search_moves_agree_with_the_engine_on_every_shipped_scenario():
    # search.Moves takes engine.visible and engine.transition apart for speed: they must not drift.
    for path in SCENARIOS:
        scenario = load_shipped(path)
        for variant in (None, *scenario.variants):
            personality = scenario.persona_for(variant).personality
            moves = search.Moves(scenario, variant)
            kept = search.read_slots(scenario)
            frontier = [(scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0)]
            seen = set(frontier)
            while frontier and len(seen) < 400:
                situation = frontier.pop()
                node_id, values, mood, turn = situation
                node = scenario.nodes[node_id]
                expected = []
                for index in visible(node, values, mood, turn):
                    response = node.responses[index].for_personality(personality)
                    target, after, new_mood, new_turn = transition(scenario, response, values, mood, turn)
                    after = tuple(v if i in kept else scenario.initial_values[i] for i, v in enumerate(after))
                    expected.append((index, target, after, new_mood, new_turn))
                got = [(m[0], m[2], m[3], m[4], m[5]) for m in moves(situation)]
                assert got == expected, (path.name, situation)
                for _, target, after, new_mood, new_turn in expected:
                    if target in scenario.nodes and (target, after, new_mood, new_turn) not in seen:
                        seen.add((target, after, new_mood, new_turn))
                        frontier.append((target, after, new_mood, new_turn))
