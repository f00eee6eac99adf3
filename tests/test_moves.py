import itertools

from helpers import SCENARIOS, load_shipped

from simulator.core import moves as ground
from simulator.core import points, scoring
from simulator.core.catalog import load_catalog


def _walk(scenario, variant, limit=300):
    """Situations of a call in the order a search meets them, with the tally that reached each."""
    moves = ground.Moves(scenario, variant)
    start = (scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0)
    frontier = [(start, points.Tally())]
    seen = {start}
    while frontier and len(seen) < limit:
        situation, tally = frontier.pop()
        yield moves, situation, tally
        for _index, response, target, after, mood, turn in moves(situation):
            node = scenario.nodes[situation[0]]
            known = scoring.reason_known_slot(scenario)
            new_tally, _ = scoring.tally_turn(tally, node, response, situation[1], after, known, load_catalog())
            if target in scenario.nodes and (target, after, mood, turn) not in seen:
                seen.add((target, after, mood, turn))
                frontier.append(((target, after, mood, turn), new_tally))


def test_the_search_tally_agrees_with_the_scorer_on_every_shipped_scenario():
    # moves.advance takes scoring.tally_turn apart per answer for speed: they must not drift.
    catalog = load_catalog()
    for path in SCENARIOS:
        scenario = load_shipped(path)
        known = scoring.reason_known_slot(scenario)
        for variant in (None, *scenario.variants):
            for moves, situation, tally in _walk(scenario, variant):
                node = scenario.nodes[situation[0]]
                steps = moves.turn_steps(catalog)[node.id]
                for index, response, _target, after, _mood, _turn in moves(situation):
                    expected, _ = scoring.tally_turn(tally, node, response, situation[1], after, known, catalog)
                    assert ground.advance(tally, steps[index], situation[1], after, known) == expected, path.name


def test_the_score_so_far_agrees_with_the_scorer_on_every_shipped_scenario():
    catalog = load_catalog()
    for path in SCENARIOS:
        scenario = load_shipped(path)
        so_far = ground.score_so_far(scenario, catalog)
        for _moves, (_node, _values, mood, _turn), tally in _walk(scenario, None):
            assert so_far(tally, mood) == points.final_total(scenario, tally, None, 0, mood, None, catalog)


def test_an_answer_that_writes_no_forgotten_variable_keeps_the_values_it_was_given():
    # Situations come in with forgotten variables at their start: only a write to one needs undoing.
    for path in SCENARIOS[:3]:
        scenario = load_shipped(path)
        for moves, situation, _tally in itertools.islice(_walk(scenario, None), 100):
            for move in moves(situation):
                assert all(move[3][i] == v for i, v in moves.forget)
