"""The shipped scenarios meet the course's bar, in both languages."""

import pytest
from helpers import SCENARIOS, load_shipped, play, round_trip
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.core import analysis, playthroughs, scoring
from simulator.core.engine import Engine

IDS = [p.stem for p in SCENARIOS]


@pytest.fixture(params=SCENARIOS, ids=IDS)
def scenario(request):
    return load_shipped(request.param)


def test_there_is_one_scenario_per_named_category():
    categories = {load_shipped(p).category for p in SCENARIOS}
    assert {"churn_threat", "complaint", "competitor_offer"} <= categories


def test_every_scenario_is_complete_in_english_and_chinese(scenario):
    assert set(scenario.languages) == {"en", "zh"}


def test_the_best_path_has_at_least_eight_customer_turns(scenario):
    assert len(analysis.explore(scenario).best.responses) >= 8


def test_at_least_three_distinct_endings_are_reachable(scenario):
    odds = analysis.explore(scenario).ending_odds
    assert len([e for e in odds if e != "_turn_limit"]) >= 3


def test_best_beats_worst_by_forty_points_in_both_languages(scenario):
    found = analysis.explore(scenario)
    for lang in scenario.languages:
        best = play_path(scenario, found.best.responses, lang)
        worst = play_path(scenario, found.worst.responses, lang)
        assert best - worst >= 40, (lang, best, worst)


def test_variants_also_separate_best_from_worst(scenario):
    for variant in scenario.variants:
        found = analysis.explore(scenario, variant)
        assert found.best.score - found.worst.score >= 40


def test_declared_playthroughs_pass(scenario):
    results = playthroughs.run_all(scenario)
    assert results and all(r.passed for r in results), [r.problem.format() for r in results if r.problem]


def test_expert_beats_novice_by_forty_points(scenario):
    results = {(r.playthrough.name, r.language): r.score for r in playthroughs.run_all(scenario)
               if not r.playthrough.variant}
    for lang in scenario.languages:
        assert results[("expert", lang)] - results[("novice", lang)] >= 40


def test_together_the_scenarios_train_fifteen_techniques_and_five_mistakes():
    techniques, mistakes = set(), set()
    for path in SCENARIOS:
        for node in load_shipped(path).nodes.values():
            for r in node.responses:
                techniques.update(r.techniques)
                mistakes.update(r.mistakes)
    assert len(techniques) >= 15 and len(mistakes) >= 5


def play_path(scenario, responses, lang):
    return scoring.score(scenario, play(scenario, list(responses), lang)).total


@settings(max_examples=60, deadline=None, derandomize=True)
@given(which=st.sampled_from(SCENARIOS), lang=st.sampled_from(["en", "zh"]), seed=st.integers(0, 2**31),
       picks=st.lists(st.integers(0, 10), min_size=250, max_size=250))
def test_random_playthroughs_end_at_an_ending_with_a_score_in_range(which, lang, seed, picks):
    scenario = load_shipped(which)
    eng = Engine(scenario)
    variant = (None, *scenario.variants)[seed % (1 + len(scenario.variants))]
    state = eng.start(lang, seed, variant)
    for pick in picks:
        if state.over:
            break
        state = round_trip(scenario, eng.choose(state, pick % len(eng.choices(state))))
    assert state.over and state.ending in scenario.endings
    assert 0 <= scoring.score(scenario, state).total <= 100
