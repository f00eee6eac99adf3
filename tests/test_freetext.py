"""simulator.core.freetext: n-grams, matching a typed answer to an authored response, the order rule."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from simulator.core.catalog import load_catalog
from simulator.core.engine import Engine
from simulator.core.freetext import (
    EMPTY,
    MIN_SIMILARITY,
    TOO_LONG,
    UNCLEAR,
    Candidate,
    FeatureSpec,
    cosine,
    features,
    heard_ids,
    heard_line,
    heard_response,
    label_agreement,
    match,
    order_rule,
    reason_known,
    understand,
    vector,
)
from simulator.core.loader import load
from simulator.scenarios import scenarios_dir

CATALOG = load_catalog()

EN = [
    Candidate(0, "I'm sorry the bill came as a shock, Mr Zhou. What happened with the charges?",
              ("empathy", "open_probe")),
    Candidate(1, "Our tariffs are the standard rates; a jump is nearly always your own usage.",
              ("deny_customer_view", "blame_customer")),
    Candidate(2, "Before anything else, our premium bundle is 30% off this month. Shall I set it up?",
              ("premature_offer", "hard_sell")),
]


def test_english_features_hold_character_and_word_ngrams():
    found = features("Sorry, Ms Li", "en")
    assert " so" in found and "w:sorry" in found and "w:ms li" in found


def test_chinese_features_are_character_ngrams_that_stop_at_punctuation():
    found = features("您好，李女士。", "zh", FeatureSpec(zh_char=(1, 2)))
    assert found["李女"] == 1 and "，" not in found and "好李" not in found


def test_features_fold_case_and_full_width_letters():
    assert features("ＯＫ Sorry", "en") == features("ok sorry", "en")


def test_vector_is_unit_length():
    v = vector(features("what happened with the charges", "en"))
    assert abs(sum(w * w for w in v.values()) - 1.0) < 1e-9


def test_vector_drops_ngrams_the_idf_does_not_know():
    assert vector({"ab": 2, "zz": 1}, {"ab": 2.0}) == {"ab": 1.0}


def test_cosine_of_a_text_with_itself_is_one():
    v = vector(features("I'll check the bill with you now", "en"))
    assert abs(cosine(v, v) - 1.0) < 1e-9


def test_label_agreement_is_highest_for_the_labels_heard():
    heard = {"empathy": 0.9, "open_probe": 0.8, "hard_sell": 0.05}
    assert label_agreement(heard, ("empathy", "open_probe")) > label_agreement(heard, ("hard_sell",))


def test_a_response_without_labels_agrees_with_an_answer_where_nothing_was_heard():
    assert label_agreement({"empathy": 0.02}, ()) > 0.9


def test_heard_ids_keeps_those_over_their_threshold_most_confident_first():
    assert heard_ids({"a": 0.6, "b": 0.9, "c": 0.4}, {"c": 0.3}) == ("b", "a", "c")


def test_match_picks_the_paraphrase_of_an_authored_response():
    result = match("So sorry about that shock on the bill. What happened with those charges?", "en", EN,
                   {"empathy": 0.8, "open_probe": 0.7})
    assert result.response == 0


def test_labels_heard_decide_between_responses_worded_alike():
    candidates = [Candidate(0, "Let me look at your bill with you", ("personalized_evidence",)),
                  Candidate(1, "Let me look at your bill for you", ("hard_sell",))]
    result = match("let me look at your bill", "en", candidates, {"hard_sell": 0.9})
    assert result.response == 1


def test_an_unrelated_answer_matches_nothing_and_says_what_was_understood():
    result = match("I like trains.", "en", EN, {"rapport": 0.7}, understood=("rapport",))
    assert result.response is None and result.understood == ("rapport",)
    assert sorted(result.suggestions) == [0, 1, 2]


def test_two_responses_too_close_to_call_are_not_guessed():
    twins = [Candidate(0, "What happened exactly?", ("open_probe",)),
             Candidate(1, "What happened exactly?", ("open_probe",))]
    assert match("What happened exactly?", "en", twins, {"open_probe": 0.9}).response is None


def test_matching_works_in_chinese():
    candidates = [Candidate(0, "周先生，碰上这种账单谁都窝火。话费是怎么回事，您跟我说说？", ("empathy", "open_probe")),
                  Candidate(1, "资费都是按统一标准收的，账单变高一般都是您自己用多了。", ("deny_customer_view",))]
    result = match("这种账单换谁都生气，您跟我说说是怎么回事？", "zh", candidates, {"empathy": 0.7, "open_probe": 0.6})
    assert result.response == 0


def test_an_offer_before_the_reason_is_known_is_premature():
    assert order_rule(("tailored_offer",), False, CATALOG) == ("tailored_offer", "premature_offer")


def test_an_offer_after_the_reason_is_known_is_not_premature():
    assert order_rule(("tailored_offer",), True, CATALOG) == ("tailored_offer",)


def test_a_question_before_the_reason_is_known_is_not_premature():
    assert order_rule(("open_probe",), False, CATALOG) == ("open_probe",)


def test_the_order_rule_does_not_add_premature_offer_twice():
    assert order_rule(("counter_analytical", "premature_offer"), False, CATALOG).count("premature_offer") == 1


def test_heard_response_keeps_the_authors_branch_and_scores_what_was_heard():
    scenario = load(str(scenarios_dir() / "mobile-cancel-after-bill-shock.yaml"))
    authored = scenario.nodes[scenario.start].responses[1]
    played = heard_response(authored, ("empathy", "blame_customer"), CATALOG)
    assert (played.techniques, played.mistakes) == (("empathy",), ("blame_customer",))
    assert (played.next, played.mood) == (authored.next, authored.mood)


def test_heard_line_names_the_ids_in_the_calls_language():
    assert heard_line(("empathy", "open_probe"), CATALOG, "en") == "Empathy, Open probe"
    assert heard_line(("empathy", "open_probe"), CATALOG, "zh") == "表示同情/换位思考、初步探询"


def _call():
    scenario = load(str(scenarios_dir() / "mobile-cancel-after-bill-shock.yaml"))
    engine = Engine(scenario)
    return scenario, engine, engine.start("en", shuffle=False)


def test_understand_plays_the_offered_response_the_words_match():
    _, engine, state = _call()
    understood = understand(engine, state, "That sounds maddening, Mr Zhou. What happened with the charges?",
                            {"rapport": 0.8, "empathy": 0.9}, ("empathy", "rapport"), CATALOG)
    assert understood.match.response == 1 and understood.line == "Empathy, Rapport"


def test_understand_adds_premature_offer_to_an_offer_made_at_the_opening():
    _, engine, state = _call()
    understood = understand(engine, state, "Let me put you on a cheaper roaming plan right away.",
                            {"tailored_offer": 0.8}, ("tailored_offer",), CATALOG)
    assert understood.heard == ("tailored_offer", "premature_offer")


def test_the_reason_is_known_once_the_authors_variable_says_so():
    scenario, _, state = _call()
    assert not reason_known(scenario, state, CATALOG)
    known = replace(state, values=tuple(True if name == "reason_known" else v
                                        for name, v in zip(scenario.variables, state.values, strict=True)))
    assert reason_known(scenario, known, CATALOG)


def test_with_a_floor_the_id_nearest_its_threshold_counts_when_none_reaches_it():
    assert heard_ids({"a": 0.2, "b": 0.3}, {"a": 0.3, "b": 0.6}, floor=0.5) == ("a",)


def test_below_the_floor_nothing_is_heard():
    assert heard_ids({"a": 0.1}, {"a": 0.6}, floor=0.5) == ()


def test_an_empty_answer_matches_nothing():
    result = match("   ", "en", EN, {"empathy": 0.01})
    assert result.response is None and result.why == EMPTY


def test_a_speech_many_times_longer_than_any_option_matches_nothing():
    speech = " ".join(c.text for c in EN) * 2
    result = match(speech, "en", EN, {"empathy": 0.9, "open_probe": 0.9})
    assert result.response is None and result.why == TOO_LONG


def test_labels_alone_never_pick_a_response_the_words_do_not_resemble():
    candidates = [Candidate(0, "What happened with the charges on your bill?", ()),
                  Candidate(1, "Our premium bundle is 30% off this month.", ("hard_sell",))]
    result = match("rapport empathy listening", "en", candidates, {"hard_sell": 0.01})
    assert result.similarity_of(0) < MIN_SIMILARITY and result.response is None and result.why == UNCLEAR


def test_a_match_reports_how_alike_the_words_are_to_each_response():
    result = match(EN[0].text, "en", EN, {"empathy": 0.8, "open_probe": 0.7})
    assert result.similarity_of(0) == 1.0 and result.similarity_of(0) > result.similarity_of(1)


def test_understanding_records_the_words_what_was_heard_and_how_close_they_were():
    _, engine, state = _call()
    typed = "That sounds maddening, Mr Zhou. What happened with the charges?"
    understood = understand(engine, state, typed, {"rapport": 0.8, "empathy": 0.9}, ("empathy", "rapport"), CATALOG)
    said = understood.said()
    assert (said.text, said.heard) == (typed, (("empathy", 0.9), ("rapport", 0.8)))
    assert said.similarity == understood.match.similarity_of(1) and said.match_score == understood.match.ranked[0][1]


def test_nothing_is_recorded_for_an_answer_that_matched_nothing():
    _, engine, state = _call()
    assert understand(engine, state, "", {"empathy": 0.01}, (), CATALOG).said() is None


def test_once_the_reason_is_known_the_feedback_hears_no_premature_offer():
    scenario, engine, state = _call()
    known = replace(state, values=tuple(True if name == "reason_known" else v
                                        for name, v in zip(scenario.variables, state.values, strict=True)))
    understood = understand(engine, known, "Our premium plan is 30% off for you.",
                            {"tailored_offer": 0.8, "premature_offer": 0.7}, ("tailored_offer", "premature_offer"),
                            CATALOG)
    assert understood.heard == ("tailored_offer",)


def test_an_offer_heard_too_faintly_to_score_is_not_called_premature_in_the_feedback():
    _, engine, state = _call()
    understood = understand(engine, state, "Maybe a different plan?", {"tailored_offer": 0.3}, ("tailored_offer",),
                            CATALOG)
    assert understood.heard == ("tailored_offer",)


def test_undecodable_input_is_recorded_as_question_marks_so_the_record_stays_utf8():
    _, engine, state = _call()
    understood = understand(engine, state, "What happened\udcff?", {"open_probe": 0.8}, ("open_probe",), CATALOG)
    assert understood.typed == "What happened??" and understood.typed.encode("utf-8")


def test_a_repeated_feature_weighs_one_plus_the_log_of_its_count():
    weights = vector({"again": 3, "once": 1})
    assert weights["again"] / weights["once"] == pytest.approx(1 + math.log(3))


def test_blended_scores_are_rounded_to_six_places_so_float_noise_cannot_reorder_equal_answers():
    # no n-gram in common: the score is the label share alone, 0.2 × 0.1234567891
    ranked = match("zzz", "en", [Candidate(0, "qqq", ("x",))], {"x": 0.1234567891}).ranked
    assert ranked == ((0, 0.024691),)


def test_chinese_features_are_the_character_runs_of_the_spec_sizes_only():
    assert features("你好吗", "zh", FeatureSpec(zh_char=(2, 3))) == {"你好": 1, "好吗": 1, "你好吗": 1}
