"""Properties of any call, played at random over the shipped library: bounds, round trips, shuffling.

Each example is a whole call: a scenario, a language, a variant, a seed and a sequence of moves
(answer the k-th option, or undo). The oracles are exact: mood and turn stay in their ranges, every
score part stays in its own range, the state survives JSON at every step, the shuffled order is a
permutation of what may be offered, is the same when a turn is replayed after an undo, and is not
one fixed order for the whole call.
"""

from __future__ import annotations

import json
from functools import cache

from helpers import PART_RANGES, SCENARIOS
from hypothesis import given
from hypothesis import strategies as st

from simulator.core import loader, scoring, session_json
from simulator.core.engine import Engine, visible


@cache
def shipped(index: int):
    return loader.load(str(SCENARIOS[index]))


MOVE = st.one_of(st.integers(0, 7), st.just("undo"))


@st.composite
def calls(draw):
    scenario = shipped(draw(st.integers(0, len(SCENARIOS) - 1)))
    lang = draw(st.sampled_from(scenario.languages))
    variant = draw(st.sampled_from([None, *scenario.variants]))
    seed = draw(st.integers(0, 2**63 - 1))
    shuffle = draw(st.sampled_from([None, True, False]))
    moves = draw(st.lists(MOVE, min_size=1, max_size=40))
    return scenario, lang, variant, seed, shuffle, moves


def play(scenario, lang, variant, seed, shuffle, moves, check):
    """Play ``moves`` (option number modulo what is offered, or undo), calling ``check`` after each."""
    game = Engine(scenario)
    state = game.start(lang, seed, variant, shuffle)
    check(game, state)
    for move in moves:
        if move == "undo":
            state = game.undo(state)
        elif state.over:
            break
        else:
            offered = game.options(state)
            state = game.choose(state, move % len(offered))
        check(game, state)
    return game, state


def check_bounds(game, state):
    scenario = game.scenario
    assert 0 <= state.mood <= 100
    assert 0 <= state.turn <= scenario.max_turns
    assert state.turn == len(state.history)
    assert state.over == (state.node in scenario.endings)
    result = scoring.score(scenario, state)
    assert 0 <= result.total <= 100
    for part in result.parts:
        low, high = PART_RANGES[part.id]
        assert low - 1e-9 <= part.points <= high + 1e-9, (part.id, part.points)
        assert part.max == high


def check_round_trip(game, state):
    data = json.loads(json.dumps(session_json.to_json(game.scenario, state)))
    assert session_json.from_json(game.scenario, data) == state


def check_offered(game, state):
    if state.over:
        assert game.options(state) == ()
        return
    node = game.scenario.nodes[state.node]
    offered = game.options(state)
    assert sorted(offered) == visible(node, state.values, state.mood, state.turn)
    if not state.shuffle:
        assert list(offered) == sorted(offered)


@given(calls())
def test_mood_turn_and_every_score_part_stay_in_range(call):
    play(*call, check_bounds)


@given(calls())
def test_state_survives_json_at_every_turn(call):
    play(*call, check_round_trip)


@given(calls())
def test_the_offered_order_is_a_permutation_of_what_may_be_said(call):
    play(*call, check_offered)


@given(calls())
def test_undo_keeps_the_shuffle_setting_and_the_order_of_the_turn_it_returns_to(call):
    scenario, lang, variant, seed, shuffle, moves = call
    game, state = play(scenario, lang, variant, seed, shuffle, [m for m in moves if m != "undo"], lambda g, s: None)
    while state.history:
        last = state.history[-1]
        before = game.undo(state)
        assert before.shuffle == state.shuffle
        assert game.options(before) == last.shown  # the turn is offered exactly as it was
        state = before


def test_turns_offering_the_same_answers_are_shuffled_afresh():
    # Along each scenario's longest declared playthrough, for ten seeds, group the turns that offer the same
    # set of answers. A fresh shuffle per turn repeats the previous order by chance (1 in 6 for three answers,
    # 1 in 24 for four); one permutation reused for every turn would repeat it every time.
    repeated = groups = 0
    for index in range(len(SCENARIOS)):
        scenario = shipped(index)
        walk = max((p for p in scenario.playthroughs if p.variant is None), key=lambda p: len(p.choices))
        game = Engine(scenario)
        for seed in range(10):
            state = game.start(walk.lang or scenario.languages[0], seed, shuffle=True)
            orders: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
            for choice in walk.choices:
                offered = game.options(state)
                if len(offered) >= 3:
                    orders.setdefault(tuple(sorted(offered)), []).append(offered)
                state = game.choose_response(state, choice - 1)
            for same_set in orders.values():
                if len(same_set) >= 2:
                    groups += 1
                    repeated += all(order == same_set[0] for order in same_set)
    assert groups >= 50
    assert repeated / groups < 0.3, f"{repeated} of {groups} groups of turns kept one order"
