"""simulator.recogniser.cues: the cue lexicon, its diagnostics, and cues as features of a trained model."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.recogniser.corpus import Example, library_examples
from simulator.recogniser.cues import compile_cues, cue_hits, load_cues
from simulator.recogniser.model import load
from simulator.recogniser.train import Settings, all_labels, fit
from simulator.scenarios import load_folder

GOOD = """format: 1
cues:
  empathy:
    en: ['sounds (so )?frustrating', "i'd be upset"]
    zh: ['理解您的心情']
  follow_up:
    en: ['call you back']
"""


def write(tmp_path, text: str):
    path = tmp_path / "cues.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def codes(tmp_path, text: str):
    return [(d.code, d.line, d.col) for d in load_cues(write(tmp_path, text))[1]]


def test_a_valid_lexicon_gives_each_language_its_id_pattern_pairs_in_order(tmp_path):
    cues, problems = load_cues(write(tmp_path, GOOD))
    assert problems == []
    assert cues == {"en": [("empathy", "sounds (so )?frustrating"), ("empathy", "i'd be upset"),
                           ("follow_up", "call you back")], "zh": [("empathy", "理解您的心情")]}


def test_a_pattern_that_is_not_a_regular_expression_is_ex006_at_its_position(tmp_path):
    assert codes(tmp_path, GOOD.replace("'call you back'", "'call (you back'")) == [("EX006", 7, 10)]


def test_a_backslash_escape_eaten_by_double_quotes_is_ex007_at_its_position(tmp_path):
    """YAML reads "\\bsorry" as a backspace and 'sorry': a cue that could never match says so."""
    assert codes(tmp_path, GOOD.replace("'call you back'", '"\\bcall you back"')) == [("EX007", 7, 10)]


def test_a_cue_for_an_unknown_id_is_ex001_at_the_id(tmp_path):
    assert codes(tmp_path, GOOD.replace("follow_up:", "folow_up:")) == [("EX001", 6, 3)]


def test_a_language_other_than_en_or_zh_is_sc004(tmp_path):
    assert codes(tmp_path, GOOD.replace("zh: ['理解", "fr: ['理解")) == [("SC004", 5, 5)]


def test_a_lexicon_without_cues_is_sc001(tmp_path):
    assert codes(tmp_path, "format: 1\n") == [("SC001", 1, 1)]


def test_the_shipped_lexicon_loads_without_a_problem_and_has_cues_for_every_id_in_both_languages():
    cues, problems = load_cues()
    assert [d.format() for d in problems] == []
    for lang in ("en", "zh"):
        assert {label for label, _ in cues[lang]} == set(all_labels())


def test_each_matching_cue_counts_once_and_curly_quotes_read_as_straight():
    compiled = compile_cues([("empathy", "sounds (so )?frustrating"), ("empathy", "i'd be upset"),
                             ("follow_up", "call you back")])
    hits = cue_hits("That SOUNDS so frustrating, I’d be upset too; sounds frustrating!", compiled)
    assert hits == {"cue:empathy": 2}


def test_library_options_are_marked_as_library_and_corpus_examples_are_not():
    options = library_examples(load_folder().scenarios)
    assert options and all(e.library for e in options)
    assert not Example("en", "x", ("empathy",), "empathy", "e.yaml:1:1").library


# -- cues in a model ------------------------------------------------------------------------
TAUGHT = [
    *(Example("en", f"Right, the {w} again, that is a pain", ("empathy",), "t", "t:1:1")
      for w in ("bill", "outage", "delay", "mix-up", "charge", "signal")),
    *(Example("en", f"Okay, noted about the {w}, moving on", ("interrupt",), "t", "t:1:1")
      for w in ("bill", "outage", "delay", "mix-up", "charge", "signal")),
]
CUES = {"en": [("empathy", "sounds (so )?frustrating"), ("empathy", "a pain")], "zh": []}


def test_a_model_trained_with_cues_hears_a_cue_in_words_no_example_used():
    settings = Settings(min_df=1, cue_weight=3.0)
    model = fit(TAUGHT, "en", all_labels(), settings, cues=CUES)
    plain = fit(TAUGHT, "en", all_labels(), Settings(min_df=1, cue_weight=0.0), cues=CUES)
    text = "Honestly that sounds so frustrating"
    assert model.confidences(text)["empathy"] > plain.confidences(text)["empathy"]
    assert "empathy" in model.heard(model.confidences(text))


def test_a_saved_model_keeps_its_cues_and_reads_them_without_the_lexicon(tmp_path):
    model = fit(TAUGHT, "en", all_labels(), Settings(min_df=1, cue_weight=3.0), cues=CUES)
    model.save(tmp_path / "m.npz")
    again = load(tmp_path / "m.npz")
    assert again.meta["cues"] == [list(c) for c in CUES["en"]]
    text = "That sounds frustrating"
    # the file keeps coefficients as float16 (model.py), which moves a confidence by under 1e-3
    assert again.confidences(text) == pytest.approx(model.confidences(text), abs=1e-3)


def test_an_answer_of_lower_weight_moves_the_svm_less():
    """Two answers read the same but are labelled apart: the one weighing more decides the margin."""
    from scipy.sparse import csr_matrix

    from simulator.recogniser.train import _svm

    A = csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]))
    Y = np.array([[1], [0], [0], [0], [1]])

    def margin(weight_of_the_negative: float) -> float:
        coef, intercept = _svm(A, Y, 1.0, True, np.array([1.0, weight_of_the_negative, 1.0, 1.0, 1.0]))
        return float(coef[0, 0] + intercept[0])

    assert margin(0.2) > 0 > margin(5.0)
