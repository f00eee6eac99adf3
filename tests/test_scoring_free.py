"""simulator.core.scoring_free: a typed answer is scored from its words, at the moment they were said."""

from __future__ import annotations

from helpers import SCENARIOS, load_shipped, round_trip
from hypothesis import given
from hypothesis import strategies as st

from simulator.core import analysis, scoring
from simulator.core.catalog import load_catalog
from simulator.core.engine import Engine, Said
from simulator.core.scoring_free import (
    CORROBORATED_CONFIDENCE,
    ECHO_SIMILARITY,
    MISTAKE_CONFIDENCE,
    NEAR_SIMILARITY,
    OFF_STEP,
    OVER_CAP,
    TECHNIQUE_CONFIDENCE,
    UNSURE,
    as_said,
    judge,
    node_steps,
    technique_cap,
)

CATALOG = load_catalog()
BILL_SHOCK = next(p for p in SCENARIOS if p.stem == "mobile-cancel-after-bill-shock")


def _scenario():
    return load_shipped(BILL_SHOCK)


def _opening():
    scenario = _scenario()
    node = scenario.nodes["opening"]
    return scenario, node, scenario.persona.personality


def _said(*heard: tuple[str, float], text: str = "my own words", similarity: float = 0.5) -> Said:
    return Said(text, tuple(heard), similarity, 0.4)


def test_words_that_are_the_written_answer_score_as_the_author_tagged_it():
    _, node, personality = _opening()
    written = node.responses[2]  # tagged premature_offer, hard_sell
    verdict = judge(node, written, _said(("empathy", 0.9), similarity=ECHO_SIMILARITY), personality, CATALOG)
    assert verdict.echo and (verdict.techniques, verdict.mistakes) == (written.techniques, written.mistakes)


def test_a_mistake_heard_in_the_words_is_charged():
    _, node, personality = _opening()
    verdict = judge(node, node.responses[0], _said(("blame_customer", MISTAKE_CONFIDENCE)), personality, CATALOG)
    assert verdict.mistakes == ("blame_customer",)


def test_a_mistake_heard_below_its_confidence_is_not_charged():
    _, node, personality = _opening()
    verdict = judge(node, node.responses[0], _said(("blame_customer", MISTAKE_CONFIDENCE - 0.01)), personality,
                    CATALOG)
    assert verdict.mistakes == ()


def test_a_technique_heard_unsurely_earns_nothing_and_says_why():
    _, node, personality = _opening()
    verdict = judge(node, node.responses[0], _said(("empathy", TECHNIQUE_CONFIDENCE - 0.01)), personality, CATALOG)
    assert verdict.techniques == () and verdict.left_out == (("empathy", UNSURE),)


def test_a_technique_the_matched_answer_shows_counts_heard_unsurely_when_the_words_nearly_copy_it():
    _, node, personality = _opening()
    written = node.responses[1]  # rapport, empathy
    said = _said(("empathy", CORROBORATED_CONFIDENCE), similarity=NEAR_SIMILARITY)
    assert judge(node, written, said, personality, CATALOG).techniques == ("empathy",)


def test_a_technique_heard_unsurely_earns_nothing_when_the_words_only_loosely_resemble_the_matched_answer():
    _, node, personality = _opening()
    said = _said(("empathy", TECHNIQUE_CONFIDENCE - 0.01), similarity=NEAR_SIMILARITY - 0.01)
    assert judge(node, node.responses[1], said, personality, CATALOG).left_out == (("empathy", UNSURE),)


def test_a_near_copy_gets_no_lower_bar_for_a_technique_the_matched_answer_does_not_show():
    _, node, personality = _opening()
    said = _said(("rapport", TECHNIQUE_CONFIDENCE - 0.01), similarity=0.8)
    assert judge(node, node.responses[0], said, personality, CATALOG).techniques == ()  # an open probe only


def test_a_near_copy_earns_nothing_the_recogniser_did_not_hear():
    _, node, personality = _opening()
    verdict = judge(node, node.responses[1], _said(similarity=ECHO_SIMILARITY - 0.01), personality, CATALOG)
    assert verdict.techniques == ()


def test_a_technique_of_another_step_of_the_call_earns_nothing_here():
    _, node, personality = _opening()
    assert "close" not in node_steps(node, personality, CATALOG)
    verdict = judge(node, node.responses[0], _said(("follow_up", 0.9)), personality, CATALOG)
    assert verdict.techniques == () and verdict.left_out == (("follow_up", OFF_STEP),)


def test_a_technique_a_written_answer_here_shows_belongs_to_the_node_whatever_its_step():
    _, node, personality = _opening()  # a build_trust node whose first answer asks an open probe
    verdict = judge(node, node.responses[0], _said(("open_probe", 0.9)), personality, CATALOG)
    assert verdict.techniques == ("open_probe",)


def test_no_answer_earns_more_techniques_than_the_richest_written_answer_at_the_node():
    _, node, personality = _opening()
    heard = [("empathy", 0.95), ("rapport", 0.9), ("active_listening", 0.85), ("common_ground", 0.8)]
    verdict = judge(node, node.responses[1], _said(*heard), personality, CATALOG)
    cap = technique_cap(node, personality)
    assert verdict.techniques == ("empathy", "rapport")[:cap] and len(verdict.techniques) == cap == 2
    assert verdict.left_out == (("active_listening", OVER_CAP), ("common_ground", OVER_CAP))


def test_an_empty_answer_shows_nothing():
    _, node, personality = _opening()
    verdict = judge(node, node.responses[1], _said(("empathy", 0.9), text="  "), personality, CATALOG)
    assert (verdict.techniques, verdict.mistakes) == ((), ())


def test_the_call_plays_on_from_the_matched_response():
    _, node, personality = _opening()
    written = node.responses[2]
    played = as_said(node, written, _said(("empathy", 0.9)), personality, CATALOG)
    assert (played.next, played.mood, played.offer, played.set) == (written.next, written.mood, written.offer,
                                                                     written.set)
    assert (played.techniques, played.mistakes) == (("empathy",), ())


def _typed(scenario, responses, heard_for, similarity=0.5):
    """Play ``responses`` typing each: ``heard_for(response)`` gives what was heard; JSON round trip each turn."""
    eng = Engine(scenario)
    state = eng.start("en", 0, None, shuffle=False)
    for index in responses:
        written = eng.response(state, index)
        said = Said(f"typed answer {len(state.history) + 1}", tuple(heard_for(written)), similarity, 0.5)
        state = round_trip(scenario, eng.choose_response(state, index, None, said))
    return state


def test_an_offer_typed_before_the_reason_is_known_is_premature_even_when_matched_to_a_clean_answer():
    scenario, node, _ = _opening()
    clean = node.responses[0]  # an open probe: no offer, no mistake as written
    assert not clean.mistakes and clean.offer is None
    state = _typed(scenario, [0], lambda r: [("tailored_offer", 0.9)])
    result = scoring.score(scenario, state, CATALOG)
    assert result.turns[0].mistakes + result.turns[0].auto_mistakes == ("premature_offer",)
    assert result.part("order").detail["jumped_ahead"] == 1 and result.turns[0].techniques == ()


def test_a_flawless_typed_call_scores_what_the_best_written_call_scores():
    scenario = _scenario()
    best = analysis.best_and_worst(scenario, None)[0]
    state = _typed(scenario, list(best.responses),
                   lambda r: [(x, 0.9) for x in r.techniques] + [(x, 0.9) for x in r.mistakes])
    assert scoring.score(scenario, state, CATALOG).total == best.score == 100


def test_hearing_every_technique_at_every_turn_scores_no_more_than_the_best_written_call():
    scenario = _scenario()
    best = analysis.best_and_worst(scenario, None)[0]
    everything = [(x, 0.99) for x in CATALOG.techniques]
    for path in (best, analysis.best_and_worst(scenario, None)[1]):
        state = _typed(scenario, list(path.responses), lambda r: everything)
        assert scoring.score(scenario, state, CATALOG).total <= best.score


def test_a_typed_answer_taken_back_still_owes_the_mistakes_heard_in_it():
    scenario = _scenario()
    eng = Engine(scenario)
    state = eng.start("en", 0, None, shuffle=False)
    state = eng.undo(eng.choose_response(state, 0, None, _said(("blame_customer", 0.8))))
    result = scoring.score(scenario, state, CATALOG)
    assert result.undone[0].mistakes == ("blame_customer",) and result.part("mistakes").detail["undone_penalty"] == 8


def test_a_chosen_answer_scores_as_before():
    scenario = _scenario()
    eng = Engine(scenario)
    chosen = eng.choose_response(eng.start("en", 0, None, shuffle=False), 2)
    assert scoring.score(scenario, chosen, CATALOG).turns[0].mistakes == ("premature_offer", "hard_sell")


def test_words_that_sound_like_an_early_offer_are_premature_before_the_reason_is_known():
    _, node, personality = _opening()
    played = as_said(node, node.responses[0], _said(("premature_offer", 0.6)), personality, CATALOG, False)
    assert played.mistakes == ("premature_offer",)


def test_once_the_reason_is_known_no_offer_is_premature_whatever_the_words_sound_like():
    _, node, personality = _opening()
    played = as_said(node, node.responses[0], _said(("premature_offer", 0.9), ("tailored_offer", 0.9)), personality,
                     CATALOG, True)
    assert "premature_offer" not in played.mistakes


IDS = sorted([*CATALOG.techniques, *CATALOG.mistakes])
heard_sets = st.lists(st.tuples(st.sampled_from(IDS), st.floats(0.0, 1.0)), max_size=8, unique_by=lambda x: x[0])


@given(st.lists(st.tuples(st.integers(0, 9), heard_sets, st.floats(0.0, 1.0), st.text(max_size=40)), max_size=12))
def test_any_typed_call_scores_within_0_and_100_and_the_same_after_a_json_round_trip(turns):
    scenario = _scenario()
    eng = Engine(scenario)
    state = eng.start("en", 0, None, shuffle=False)
    for pick_, heard, similarity, text in turns:
        if state.over:
            break
        offered = eng.options(state)
        said = Said(text, tuple(heard), similarity, 0.3)
        state = eng.choose_response(state, offered[pick_ % len(offered)], None, said)
    result = scoring.score(scenario, state, CATALOG)
    assert 0 <= result.total <= 100
    assert scoring.score(scenario, round_trip(scenario, state), CATALOG) == result
