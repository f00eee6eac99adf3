"""data.build(): the report of one call, as plain data, for every shipped scenario and path."""

import html
import json
import re
from functools import cache

import pytest
from helpers import ROOT, SCENARIOS, doc_example_text, load_example, load_shipped, play

from simulator.core import analysis, loader, scoring
from simulator.core.model import STEPS
from simulator.i18n import mood_word, t
from simulator.report import data, render

CJK = re.compile(r"[\u4e00-\u9fff]")
CASES = [pytest.param(path, which, lang, id=f"{path.stem}-{which}-{lang}")
         for path in SCENARIOS for which in ("best", "worst") for lang in ("en", "zh")]


@cache
def paths(path):
    best, worst, _exact = analysis.best_and_worst(load_shipped(path))
    assert best is not None and worst is not None, f"{path.name} has no path that ends"
    return {"best": best, "worst": worst}


@cache
def call(path, which, lang):
    """(scenario, finished state, report) of a shipped scenario played along its best or worst path."""
    scenario = load_shipped(path)
    if lang not in scenario.languages:
        pytest.skip(f"{path.name} is not written in {lang}")
    state = play(scenario, list(paths(path)[which].responses), lang)
    return scenario, state, data.build(scenario, state, "trainee", "2024-01-01T10:00:00", "2024-01-01T10:05:00")


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_score_equals_the_scorer_total(path, which, lang):
    scenario, state, report = call(path, which, lang)
    assert report["score"] == scoring.score(scenario, state).total


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_best_and_worst_paths_score_what_the_analysis_found(path, which, lang):
    _scenario, _state, report = call(path, which, lang)
    assert report["score"] == paths(path)[which].score


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_one_turn_per_answer_in_the_history(path, which, lang):
    _scenario, state, report = call(path, which, lang)
    assert len(report["turns"]) == len(state.history) == len(paths(path)[which].responses)
    assert [t["number"] for t in report["turns"]] == list(range(1, len(state.history) + 1))


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_mood_series_starts_at_the_persona_mood_and_has_one_point_per_turn(path, which, lang):
    scenario, state, report = call(path, which, lang)
    assert len(report["mood"]) == len(report["turns"]) + 1
    assert report["mood"][0] == scenario.persona_for(state.variant).mood
    assert report["mood"][-1] == state.mood


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_coverage_lists_the_five_steps_in_order(path, which, lang):
    _scenario, _state, report = call(path, which, lang)
    assert [c["step"] for c in report["coverage"]] == list(STEPS)
    assert len(STEPS) == 5


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_coverage_never_counts_a_technique_as_both_earned_and_missed(path, which, lang):
    _scenario, _state, report = call(path, which, lang)
    for c in report["coverage"]:
        assert not {x["id"] for x in c["earned"]} & {x["id"] for x in c["missed"]}, c["step"]


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_one_to_three_improvements(path, which, lang):
    _scenario, _state, report = call(path, which, lang)
    assert 1 <= len(report["improvements"]) <= 3
    assert all(isinstance(x, str) and x.strip() for x in report["improvements"])


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_expert_path_is_as_long_as_the_best_path(path, which, lang):
    _scenario, _state, report = call(path, which, lang)
    best = paths(path)["best"]
    assert len(report["expert"]["path"]) == len(best.responses)
    assert report["expert"]["score"] == best.score


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_expert_is_marked_same_only_on_the_best_path(path, which, lang):
    _scenario, _state, report = call(path, which, lang)
    same = paths(path)["best"].responses == paths(path)[which].responses
    assert report["expert"]["same_as_trainee"] is same


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_json_dump_round_trips(path, which, lang):
    _scenario, _state, report = call(path, which, lang)
    assert json.loads(json.dumps(report, ensure_ascii=False)) == report


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_finished_call_has_its_outcome(path, which, lang):
    scenario, state, report = call(path, which, lang)
    assert report["finished"] is True
    assert report["ending"] == state.ending == paths(path)[which].ending
    assert report["outcome"] == scenario.endings[state.ending].outcome


@pytest.mark.parametrize(("path", "which"), [pytest.param(p, w, id=f"{p.stem}-{w}")
                                             for p in SCENARIOS for w in ("best", "worst")])
def test_chinese_report_has_chinese_labels(path, which):
    _scenario, _state, report = call(path, which, "zh")
    labels = [report["persona"]["stage"], report["persona"]["segment"], report["persona"]["personality"],
              report["outcome_name"], *(p["name"] for p in report["parts"]), *(c["name"] for c in report["coverage"])]
    assert all(CJK.search(x) for x in labels), labels


def test_chinese_persona_stage_is_the_chinese_name():
    scenario = load_example()
    report = data.build(scenario, play(scenario, [0, 0, 0, 0], "zh"))
    assert report["persona"]["stage"] == "成长期"
    assert report["persona"]["name"] == "陈浩"
    assert report["language"] == "zh"


def test_english_persona_stage_is_the_english_name():
    scenario = load_example()
    report = data.build(scenario, play(scenario, [0, 0, 0, 0], "en"))
    assert report["persona"]["stage"] == "growth"
    assert not CJK.search(json.dumps([report["parts"], report["coverage"], report["persona"]], ensure_ascii=False))


def test_unfinished_call_builds_without_an_outcome():
    scenario = load_example()
    state = play(scenario, [0])
    report = data.build(scenario, state)
    assert report["finished"] is False
    assert report["outcome"] is None and report["ending"] is None and report["outcome_name"] is None
    assert report["debrief"] is None and report["customer_last_words"] is None
    assert len(report["turns"]) == 1 and len(report["mood"]) == 2
    assert 1 <= len(report["improvements"]) <= 3


def test_call_with_no_answer_yet_builds():
    scenario = load_example()
    report = data.build(scenario, play(scenario, []))
    assert report["turns"] == [] and report["timeline"] == [] and report["mood"] == [scenario.persona.mood]


def test_premature_offer_is_jumped_ahead_in_the_timeline():
    scenario = load_example()
    report = data.build(scenario, play(scenario, [1, 0, 0, 0, 0]))
    assert [t["jumped_ahead"] for t in report["timeline"]] == [True, False, False, False, False]
    assert report["turns"][0]["jumped_ahead"] is True
    assert "premature_offer" in [m["id"] for m in report["turns"][0]["mistakes"]]


def test_in_order_call_jumps_ahead_nowhere():
    scenario = load_example()
    report = data.build(scenario, play(scenario, [0, 0, 0, 0]))
    assert not any(t["jumped_ahead"] for t in report["timeline"])


def test_report_carries_the_trainee_and_times():
    scenario = load_example()
    report = data.build(scenario, play(scenario, [0, 0, 0, 0]), "Ana", "2024-05-01T09:00:00", "2024-05-01T09:04:00")
    assert (report["trainee"], report["started_at"], report["finished_at"]) == \
        ("Ana", "2024-05-01T09:00:00", "2024-05-01T09:04:00")
    assert report["report_version"] == data.REPORT_VERSION


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cost_section_says_what_a_fair_save_would_have_cost_and_how_points_fall(lang):
    from simulator.report import render

    scenario, _ = loader.load_text(doc_example_text().replace("offer: {cost: 0,", "offer: {cost: 90,"), "c.yaml")
    report = data.build(scenario, play(scenario, [0, 0, 0, 0], lang))
    fair = scenario.save_budget_months * scenario.persona.monthly_spend
    assert report["cost"]["total"] and (report["cost"]["fair_cost"], report["cost"]["zero_at"]) == (fair, 2 * fair)
    for text in (render.to_markdown(report), render.to_html(report)):
        assert f"{fair:g}" in text and f"{2 * fair:g}" in text


def _undone_call(explore: bool, lang: str = "en"):
    """The doc example: a premature offer taken back at turn 1, then the expert path."""
    from simulator.core.engine import Engine

    scenario = load_example()
    eng = Engine(scenario)
    state = eng.undo(eng.choose_response(eng.start(lang, shuffle=False), 1, 2500), explore=explore)
    for index in (0, 0, 0, 0):
        state = eng.choose_response(state, index)
    return scenario, state


def test_the_report_lists_an_answer_taken_back_with_its_turn_and_kept_mistake():
    scenario, state = _undone_call(explore=False)
    report = data.build(scenario, state)
    undone = report["undone"]
    assert [(u["number"], u["order"], u["explored"], u["seconds"]) for u in undone] == [(1, 1, False, 2.5)]
    assert [m["id"] for m in undone[0]["mistakes"]] == ["premature_offer"] and undone[0]["penalty"] == 6
    assert undone[0]["answer"].startswith("Before you go") and report["score"] < 95


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_and_markdown_show_what_was_undone_and_when(lang):
    from simulator.i18n import t
    from simulator.report import render

    scenario, state = _undone_call(explore=False, lang=lang)
    report = data.build(scenario, state)
    for text in (render.to_html(report), render.to_markdown(report)):
        assert t("r.undone", lang) in text and t("undone_line", lang, n=1, k=1) in text
        assert report["undone"][0]["answer"] in text and t("undone_kept", lang, penalty=6) in text


def test_a_classroom_exploration_shows_as_a_road_explored_and_keeps_the_score():
    from simulator.i18n import t
    from simulator.report import render

    scenario, state = _undone_call(explore=True)
    report = data.build(scenario, state)
    assert report["score"] == data.build(scenario, play(scenario, [0, 0, 0, 0]))["score"]
    for text in (render.to_html(report), render.to_markdown(report)):
        assert t("r.explored", "en") in text and t("explored_line", "en", n=1) in text
        assert t("r.undone", "en") not in text


def test_a_call_with_nothing_undone_has_no_undone_section():
    from simulator.i18n import t
    from simulator.report import render

    scenario = load_example()
    report = data.build(scenario, play(scenario, [0, 0, 0, 0]))
    assert report["undone"] == [] and t("r.undone", "en") not in render.to_html(report)


def _typed_call(lang: str = "en"):
    """The doc example answered by typing at turn 1 (matched to the first answer), then by choice."""
    from simulator.core.engine import Engine, Said

    scenario = load_example()
    eng = Engine(scenario)
    heard = (("empathy", 0.82), ("open_probe", 0.37), ("blame_customer", 0.31))
    said = Said("I'm sorry — tell me what happened?", heard, 0.35, 0.4)  # loosely alike: no corroboration
    state = eng.choose_response(eng.start(lang, shuffle=False), 0, 3000, said)
    for index in (0, 0, 0):
        state = eng.choose_response(state, index)
    return scenario, state, said


def test_a_typed_turn_carries_the_words_what_was_heard_with_confidences_and_the_answer_matched():
    scenario, state, said = _typed_call()
    turn = data.build(scenario, state)["turns"][0]
    assert turn["typed"]["text"] == said.text and turn["answer"].startswith("Of course")
    assert [(h["id"], h["confidence"], h["kind"]) for h in turn["typed"]["heard"]] == [
        ("empathy", 0.82, "technique"), ("open_probe", 0.37, "technique"), ("blame_customer", 0.31, "mistake")]
    assert turn["typed"]["similarity"] == 0.35 and turn["typed"]["echo"] is False


def test_a_typed_turn_says_what_was_heard_but_not_counted_and_why():
    scenario, state, _ = _typed_call()
    typed = data.build(scenario, state)["turns"][0]["typed"]
    assert [(x["id"], x["why"]) for x in typed["not_counted"]] == [("open_probe", "unsure")]
    assert typed["not_counted"][0]["why_text"] == "not sure enough"


def test_a_chosen_turn_has_no_typed_words():
    scenario, state, _ = _typed_call()
    assert data.build(scenario, state)["turns"][1]["typed"] is None


def test_an_answer_typed_and_taken_back_keeps_its_words_in_the_report():
    from simulator.core.engine import Engine, Said

    scenario = load_example()
    eng = Engine(scenario)
    state = eng.undo(eng.choose_response(eng.start("en", shuffle=False), 1, None, Said("special deal now!")))
    assert data.build(scenario, state)["undone"][0]["typed"]["text"] == "special deal now!"


@pytest.mark.parametrize("to_text", [render.to_html, render.to_markdown], ids=["html", "markdown"])
def test_a_chinese_typed_turn_puts_its_asides_in_chinese_brackets(to_text):
    scenario, state, _ = _typed_call("zh")
    report = data.build(scenario, state)
    turn = report["turns"][0]
    text = html.unescape(to_text(report))
    assert f"（{turn['mood_name']}）：" in text and "（相似度 35%）" in text
    assert f"{turn['typed']['not_counted'][0]['name']}（把握不够）" in text


@pytest.mark.parametrize(("path", "which", "lang"), CASES)
def test_the_word_beside_each_customer_line_is_the_meters_word_at_that_moment(path, which, lang):
    _, _, report = call(path, which, lang)
    for turn in report["turns"]:
        assert turn["mood_word"] == mood_word(turn["mood_before"])
        assert turn["mood_name"] == t("emotion." + turn["mood_word"], lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_authors_emotion_is_not_shown_as_the_mood_when_the_meter_says_otherwise(lang):
    # The doc example opens "hesitant" at mood 50: the meter (and the terminal) says "neutral" there.
    scenario = load_example()
    report = data.build(scenario, play(scenario, [0, 0, 0, 0], lang))
    first = report["turns"][0]
    assert (first["emotion"], first["mood_before"], first["mood_word"]) == ("hesitant", 50, "neutral")
    for text in (html.unescape(render.to_html(report)), render.to_markdown(report)):
        said = f"{t('paren', lang, text=t('emotion.neutral', lang))}{t('colon', lang)}{first['customer']}"
        assert said in text and t("paren", lang, text=t("emotion.hesitant", lang)) not in text


def test_the_mood_words_documented_are_the_ones_the_meter_uses():
    doc = (ROOT / "docs" / "reports.md").read_text("utf-8")
    rows = re.findall(r"^\| (\d+)–(\d+) \| (\w+) \| (\S+) \|$", doc, re.M)
    assert [int(low) for low, *_ in rows] == [0, 20, 40, 60, 80] and rows[-1][1] == "100"
    for low, high, en, zh in rows:
        for mood in range(int(low), int(high) + 1):
            assert (t("emotion." + mood_word(mood), "en"), t("emotion." + mood_word(mood), "zh")) == (en, zh)
