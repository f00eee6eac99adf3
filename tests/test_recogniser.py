"""simulator.recogniser: the exemplar corpus and its diagnostics, training, the model file, ``recognise``."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

from simulator import cli
from simulator.recogniser import model as model_module
from simulator.recogniser.corpus import Example, held_back, library_examples, load_corpus
from simulator.recogniser.model import Model, ModelError, load, model_path
from simulator.recogniser.train import Settings, _platt, all_labels, fit
from simulator.scenarios import load_folder

GOOD = """format: 1
label: empathy
examples:
  - lang: en
    text: "That must have been a horrible morning."
    labels: [empathy]
  - lang: zh
    text: "这事确实给您添麻烦了。"
    labels: [empathy]
    context: complaint
"""


def write(tmp_path, text: str, name: str = "empathy.yaml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def codes(tmp_path, text: str, name: str = "empathy.yaml"):
    _, diagnostics = load_corpus(write(tmp_path, text, name), minimum=1)
    return [(d.code, d.line, d.col) for d in diagnostics]


# -- the corpus ---------------------------------------------------------------------------
def test_a_valid_corpus_file_loads_every_example_with_its_position(tmp_path):
    examples, diagnostics = load_corpus(write(tmp_path, GOOD), minimum=1)
    assert diagnostics == []
    assert [(e.lang, e.labels) for e in examples] == [("en", ("empathy",)), ("zh", ("empathy",))]
    assert examples[0].where.endswith("empathy.yaml:4:5")


def test_an_unknown_label_is_ex001_at_its_position(tmp_path):
    assert codes(tmp_path, GOOD.replace("labels: [empathy]\n  - lang: zh", "labels: [empaty]\n  - lang: zh")) \
        == [("EX001", 6, 14)]


def test_a_file_named_for_another_label_is_ex002(tmp_path):
    assert codes(tmp_path, GOOD, "rapport.yaml") == [("EX002", 2, 8)]


def test_too_few_examples_in_a_language_is_ex003(tmp_path):
    _, diagnostics = load_corpus(write(tmp_path, GOOD), minimum=2)
    assert [(d.code, d.line) for d in diagnostics] == [("EX003", 3), ("EX003", 3)]


def test_the_same_answer_twice_is_ex004_naming_the_first(tmp_path):
    twice = GOOD + '  - lang: en\n    text: "That must have been a  horrible morning."\n    labels: [empathy]\n'
    _, diagnostics = load_corpus(write(tmp_path, twice), minimum=1)
    assert [d.code for d in diagnostics] == ["EX004"] and "empathy.yaml:4:5" in diagnostics[0].message


def test_an_example_without_labels_is_ex005(tmp_path):
    assert codes(tmp_path, GOOD.replace("    labels: [empathy]\n    context", "    labels: []\n    context")) \
        == [("EX005", 9, 13)]


def test_an_unknown_field_is_sc002(tmp_path):
    assert codes(tmp_path, GOOD.replace("    context: complaint", "    contxt: complaint")) == [("SC002", 10, 5)]


def test_a_language_other_than_en_or_zh_is_sc004(tmp_path):
    assert codes(tmp_path, GOOD.replace("  - lang: zh", "  - lang: fr"))[0] == ("SC004", 7, 11)


def test_a_yaml_error_in_the_corpus_names_its_line(tmp_path):
    assert [c for c, _, _ in codes(tmp_path, GOOD.replace("labels: [empathy]\n  - lang: zh", "labels: [empathy\n"))] \
        == ["RS004"]


def test_a_missing_corpus_folder_is_an_empty_corpus(tmp_path):
    assert load_corpus(tmp_path / "none") == ([], [])


def test_the_held_back_split_is_fixed_by_the_text_and_about_a_fifth():
    examples = [Example("en", f"answer number {i}", ("empathy",), "x", "x:1:1") for i in range(1000)]
    share = sum(held_back(e) for e in examples) / len(examples)
    assert 0.15 < share < 0.25
    assert [held_back(e) for e in examples] == [held_back(e) for e in reversed(examples)][::-1]


def test_the_shipped_corpus_loads_without_a_problem_and_covers_every_catalog_id_in_both_languages():
    corpus, diagnostics = load_corpus()
    assert [d.format() for d in diagnostics] == []
    for lang in ("en", "zh"):
        assert {label for e in corpus if e.lang == lang for label in e.labels} == set(all_labels())


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[a-z0-9']+", text.lower())


def test_no_exemplar_copies_a_library_option_or_a_course_seed():
    """Chinese: no 10-character run from a seed or an option; English: no 8-word run from an option."""
    import re

    from helpers import ROOT

    corpus, _ = load_corpus()
    options = library_examples(load_folder().scenarios)
    seeds_dir = ROOT.parent / "shared" / "seeds"
    seeds = "".join(p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))) if seeds_dir.is_dir() else ""
    zh_sources = re.sub(r"\s+", "", seeds + "".join(e.text for e in options if e.lang == "zh"))
    en_runs = {tuple(w[i:i + 8]) for e in options if e.lang == "en"
               for w in [_words(e.text)] for i in range(len(w) - 7)}
    copied = []
    for e in corpus:
        if e.lang == "zh":
            for run in re.findall(r"[\u4e00-\u9fff，。、？！：；“”]{10,}", e.text):
                copied += [(e.where, run[i:i + 10]) for i in range(len(run) - 9) if run[i:i + 10] in zh_sources][:1]
        else:
            w = _words(e.text)
            copied += [(e.where, " ".join(w[i:i + 8])) for i in range(len(w) - 7) if tuple(w[i:i + 8]) in en_runs][:1]
    assert copied == []


def test_library_examples_cover_every_response_in_both_languages_with_fields_filled():
    scenarios = load_folder().scenarios
    responses = sum(len(n.responses) for s in scenarios for n in s.nodes.values())
    examples = library_examples(scenarios)
    assert sum(e.lang == "zh" for e in examples) >= responses
    assert not any("{name}" in e.text for e in examples)


# -- training and the model file ----------------------------------------------------------
TINY = [
    *(Example("en", f"I'm so sorry about the {w}, that must be stressful", ("empathy",), "t", "t:1:1")
      for w in ("bill", "outage", "delay", "mix-up", "charge", "signal")),
    *(Example("en", f"What happened with the {w}? Tell me from the start", ("open_probe",), "t", "t:1:1")
      for w in ("bill", "outage", "delay", "mix-up", "charge", "signal")),
    *(Example("en", f"Honestly, our {w} is standard, it is your usage", ("deny_customer_view", "blame_customer"),
              "t", "t:1:1") for w in ("tariff", "pricing", "billing", "plan", "rate", "charge")),
]


@pytest.fixture(scope="module")
def tiny() -> Model:
    return fit(TINY, "en", all_labels(), Settings(tune=False, min_df=1))


def test_a_trained_model_hears_what_it_was_taught(tiny):
    confidences = tiny.confidences("So sorry about the roaming bill, that must be stressful")
    assert tiny.heard(confidences)[0] == "empathy"


def test_a_model_gives_a_confidence_for_every_catalog_id(tiny):
    assert set(tiny.confidences("hello")) == set(all_labels())


def test_an_id_never_seen_in_training_is_never_heard(tiny):
    assert tiny.confidences("What happened? I'm so sorry")["reveal_risk"] < 0.01


def test_a_saved_model_loads_with_the_same_confidences(tiny, tmp_path):
    tiny.save(tmp_path / "m.npz")
    again = load(tmp_path / "m.npz")
    text = "What happened with the signal?"
    for label, c in tiny.confidences(text).items():
        assert abs(again.confidences(text)[label] - c) < 2e-3


def test_a_missing_model_file_says_how_to_build_it(tmp_path):
    with pytest.raises(ModelError, match="make model"):
        load(tmp_path / "absent.npz")


def test_a_damaged_model_file_is_a_model_error(tmp_path):
    (tmp_path / "m.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelError, match="cannot be read"):
        load(tmp_path / "m.npz")


def test_a_model_file_holding_pickled_objects_is_refused(tmp_path):
    np.savez(tmp_path / "m.npz", meta=np.array([{"format": "x"}], dtype=object))
    with pytest.raises(ModelError):
        load(tmp_path / "m.npz")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_shipped_model_loads_in_well_under_a_second(lang):
    start = time.perf_counter()
    model = load(model_path(lang))
    assert time.perf_counter() - start < 0.5
    assert model.lang == lang and model.labels == all_labels()


def test_the_shipped_recogniser_with_its_meaning_model_loads_in_well_under_a_second(tmp_path, monkeypatch):
    from simulator.recogniser import meaning
    monkeypatch.setattr(model_module, "_cache", {})
    monkeypatch.setattr(model_module, "_meaning", [])
    model_module.shipped("en")  # the first start keeps the encoder's table in the cache folder
    monkeypatch.setattr(model_module, "_cache", {})
    monkeypatch.setattr(model_module, "_meaning", [])
    start = time.perf_counter()
    model = model_module.shipped("zh")
    assert time.perf_counter() - start < 0.8
    assert isinstance(model.meaning, meaning.Meaning)


@pytest.mark.parametrize(("lang", "text", "heard", "not_heard"), [
    ("en", "Which charge surprised you?", {"open_probe", "deep_probe"}, {"blame_customer", "deny_customer_view"}),
    ("zh", "哪一笔费用让您意外？", {"open_probe", "deep_probe"}, {"blame_customer", "deny_customer_view"}),
    ("en", "You should have read the contract before signing.", {"blame_customer"}, {"open_probe", "deep_probe"}),
    ("zh", "这是您自己没看清楚条款。", {"blame_customer"}, {"open_probe", "deep_probe"}),
])
def test_the_shipped_recogniser_hears_what_an_answer_means_not_only_its_words(lang, text, heard, not_heard):
    # a neutral question about the bill shares its words with blaming the customer for it; the meaning
    # model tells them apart, where the n-gram model alone heard a mistake in the question
    model = model_module.shipped(lang)
    found = set(model.heard(model.confidences(text)))
    assert found & heard and not found & not_heard


def test_a_broken_meaning_model_makes_the_shipped_recogniser_a_model_error(tmp_path, monkeypatch):
    from simulator.recogniser import meaning
    bad = tmp_path / "meaning.npz"
    bad.write_bytes(b"PK broken")
    monkeypatch.setattr(meaning, "meaning_path", lambda: bad)
    monkeypatch.setattr(model_module, "_cache", {})
    monkeypatch.setattr(model_module, "_meaning", [])
    with pytest.raises(ModelError, match="make model"):
        model_module.shipped("en")


def test_warming_up_loads_the_shipped_model_in_the_background(monkeypatch):
    monkeypatch.setattr(model_module, "_cache", {})
    model_module.warm_up("zh").join(timeout=60)
    assert model_module._cache["zh"].meaning is not None


def test_a_warm_up_that_fails_leaves_the_error_to_the_players_own_call(tmp_path, monkeypatch):
    monkeypatch.setattr(model_module, "_cache", {})
    monkeypatch.setattr(model_module, "model_path", lambda lang: tmp_path / "missing.npz")
    model_module.warm_up("en").join(timeout=60)  # no traceback, no warning (warnings are errors here)
    with pytest.raises(ModelError, match="make model"):
        model_module.shipped("en")


# -- the recognise command ----------------------------------------------------------------
@pytest.fixture
def with_tiny(tiny, monkeypatch):
    monkeypatch.setattr(model_module, "_cache", {"en": tiny, "zh": tiny})


def test_recognise_prints_the_ids_heard_with_confidences(with_tiny, capsys):
    assert cli.main(["recognise", "--lang", "en", "So sorry about the bill, that must be stressful"]) == 0
    first = capsys.readouterr().out.splitlines()[0].split()
    assert first[0] == "empathy" and 0.5 <= float(first[1]) <= 1 and first[2] == "technique"


def test_recognise_batch_writes_one_json_line_per_input_in_order(with_tiny, tmp_path, capsys):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"lang": "en", "text": "Our pricing is standard, it is your usage"}\n'
                     '{"lang": "en", "text": "So sorry about the outage, that must be stressful"}\n', encoding="utf-8")
    assert cli.main(["recognise", "--batch", str(batch)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["techniques"] for line in lines] == [[], ["empathy"]]
    assert set(lines[0]["mistakes"]) == {"deny_customer_view", "blame_customer"}
    assert set(lines[1]["confidence"]) == set(all_labels())


def test_a_bad_batch_line_is_a_one_line_error_naming_file_and_line(with_tiny, tmp_path, capsys):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"lang": "en", "text": "Hello"}\n{"lang": "fr", "text": "Bonjour"}\n', encoding="utf-8")
    assert cli.main(["recognise", "--batch", str(batch)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and f"{batch}:2: 'lang' must be one of en, zh" in captured.err


def test_a_batch_line_that_is_not_json_is_a_clear_error(with_tiny, tmp_path, capsys):
    batch = tmp_path / "in.jsonl"
    batch.write_text("lang=en text=hello\n", encoding="utf-8")
    assert cli.main(["recognise", "--batch", str(batch)]) == 2
    assert "in.jsonl:1:1: not a JSON line" in capsys.readouterr().err


def test_recognise_without_text_explains_the_usage(with_tiny, capsys):
    assert cli.main(["recognise"]) == 2
    assert "give the answer to recognise" in capsys.readouterr().err


# -- the player's side --------------------------------------------------------------------
def _opening():
    from simulator.core.engine import Engine
    from simulator.core.loader import load
    from simulator.scenarios import scenarios_dir

    engine = Engine(load(str(scenarios_dir() / "mobile-cancel-after-bill-shock.yaml")))
    return engine, engine.start("en", shuffle=False)


def test_listen_plays_the_offered_answer_the_words_match_and_says_what_it_heard():
    from simulator.recogniser.player import listen

    engine, state = _opening()
    heard = listen(engine, state, "That sounds maddening, Mr Zhou. What happened with the charges?")
    assert heard.option == 1 and heard.lines[0].startswith("I heard: ") and "Empathy" in heard.lines[0]


def test_listen_asks_did_you_mean_when_nothing_is_close():
    from simulator.recogniser.player import listen

    engine, state = _opening()
    heard = listen(engine, state, "I like trains.")
    assert heard.option is None and heard.lines[-1].startswith("Did you mean one of these?")


# -- the training methods -----------------------------------------------------------------
def test_a_confidence_never_falls_as_the_svm_margin_rises():
    margins = np.array([-2.0, -1.0, 0.0, 1.0, 2.0, -1.5, 1.5, 0.5])
    truth = np.array([1, 1, 1, 0, 0, 1, 0, 0])  # out-of-fold margins that point the wrong way
    slope, _ = _platt(margins, truth)
    assert slope > 0


def test_the_logistic_regression_method_still_trains_a_model_that_hears():
    model = fit(TINY, "en", all_labels(), Settings(method="lr", C=10.0, tune=False, min_df=1))
    assert model.heard(model.confidences("So sorry about the roaming bill, that must be stressful"))[0] == "empathy"
    assert model.meta["method"] == "lr"


def test_marks_read_a_closing_question_and_numbers_that_word_ngrams_miss():
    from simulator.recogniser.model import marks

    found = marks("I can take 5 off the bill. Shall I go ahead?")
    assert found["#question_end"] == 1 and found["#number"] == 1 and found["#sentences2"] == 1
    assert "#question_end" not in marks("您看可以吗？我这边先记下了。")


def test_a_model_trained_without_marks_reads_only_ngrams(tmp_path):
    plain = fit(TINY, "en", all_labels(), Settings(tune=False, min_df=1, marks=False))
    plain.save(tmp_path / "m.npz")
    assert not any(f.startswith("#") for f in load(tmp_path / "m.npz").features)


def test_the_window_loads_numpy_only_when_a_typed_answer_is_heard():
    import subprocess
    import sys

    probe = ("import sys; import simulator.window.app, simulator.window.screens.free; "
             "print('numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert done.stdout.strip().splitlines()[-1] == "False"
