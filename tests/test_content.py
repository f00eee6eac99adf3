"""The shipped scenarios meet the course's bar, in both languages."""

import pytest
from helpers import SCENARIOS, load_shipped, play, round_trip
from hypothesis import given
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


# -- the library as a course (issue: scenario library) -------------------------------------
def library():
    return [load_shipped(p) for p in SCENARIOS]


def test_the_library_has_fifteen_scenarios_or_more():
    assert len(SCENARIOS) >= 15


def test_every_category_meets_every_personality():
    seen = {(s.category, s.persona.personality) for s in library()}
    for category in ("churn_threat", "complaint", "competitor_offer"):
        for personality in ("dominant", "analytical", "expressive", "amiable"):
            assert (category, personality) in seen, (category, personality)


def test_every_lifecycle_stage_and_churn_category_is_covered():
    assert {s.persona.lifecycle_stage for s in library()} >= {"onboarding", "growth", "maturity", "decline", "churn"}
    assert {s.persona.churn_category for s in library()} >= {"natural", "malicious", "competitive", "fault"}


def test_the_playbooks_situations_are_covered():
    tags = {t for s in library() for t in s.tags}
    assert tags >= {"passive_churn", "proactive_churn", "contract_renewal", "bill_optimisation", "arrears_reminder",
                    "wrong_charge_complaint", "network_quality_complaint", "rival_free_handset", "rival_cheaper_plan",
                    "vip_broken_promise"}


def test_every_technique_and_mistake_can_be_met_in_two_scenarios():
    from simulator.core.catalog import load_catalog

    catalog = load_catalog()
    techniques, mistakes = {}, {}
    for s in library():
        offered = analysis.explore(s).offered
        for node_id, index in offered:
            r = s.nodes[node_id].responses[index]
            for t in r.techniques:
                techniques.setdefault(t, set()).add(s.id)
            for m in r.mistakes:
                mistakes.setdefault(m, set()).add(s.id)
    assert {t for t in catalog.techniques if len(techniques.get(t, ())) < 2} == set()
    assert {m for m in catalog.mistakes if len(mistakes.get(m, ())) < 2} == set()


def test_every_scenario_declares_expert_average_and_novice(scenario):
    names = {p.name for p in scenario.playthroughs}
    assert {"expert", "average", "novice"} <= names


def test_the_index_is_current():
    from helpers import ROOT

    from simulator.scenarios import index_markdown

    assert (ROOT / "simulator" / "library" / "README.md").read_text("utf-8") == index_markdown(library())


def test_no_sentence_is_pasted_from_the_course_seeds():
    import re
    from pathlib import Path

    from helpers import ROOT

    seeds_dir = ROOT.parent / "shared" / "seeds"
    if not seeds_dir.is_dir():
        pytest.skip("the shared seeds are not beside this checkout")
    seeds = re.sub(r"\s+", "", "".join(p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))))
    copied = []
    for path in SCENARIOS:
        for run in re.findall(r"[\u4e00-\u9fff，。、？！：；“”]{10,}", Path(path).read_text("utf-8")):
            copied += [(path.name, run[i:i + 10]) for i in range(len(run) - 9) if run[i:i + 10] in seeds][:1]
    assert not copied
