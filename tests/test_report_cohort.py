"""simulator.report.cohort: what trainees typed, turn by turn, beside what was heard and matched."""

from __future__ import annotations

from helpers import load_example

from simulator.core import engine
from simulator.core.catalog import load_catalog
from simulator.core.engine import Engine, Said
from simulator.report import cohort, render

SCENARIO = load_example()


def _session(n: int, text: str | None, when: str = "2026-01-01") -> cohort.SessionInput:
    eng = Engine(SCENARIO)
    said = None if text is None else Said(text, (("empathy", 0.8), ("open_probe", 0.3)), 0.35, 0.4)  # not a near copy
    state = eng.choose_response(eng.start("en", shuffle=False), 0, None, said)
    for index in (0, 0, 0):
        state = eng.choose_response(state, index)
    return cohort.SessionInput(n, f"trainee{n}", SCENARIO.id, SCENARIO.path, f"{when}T10:{n:02d}:00",
                               engine.to_json(SCENARIO, state))


def _build(*sessions, lang="en"):
    return cohort.build(sessions, lambda _sid, _path: SCENARIO, lang)


def test_the_digest_keeps_a_typed_answers_words_heard_ids_and_matched_response():
    d = cohort.digest(_session(1, "So sorry, what happened?").state, SCENARIO, load_catalog())
    assert d["typed"] == [{"node": SCENARIO.start, "response": 0, "text": "So sorry, what happened?",
                           "heard": [["empathy", 0.8], ["open_probe", 0.3]], "counted": ["empathy"]}]


def test_the_cohort_lists_the_typed_answers_of_each_turn_with_what_was_heard_and_matched():
    result = _build(_session(1, "So sorry, what happened?"), _session(2, None))
    [turn] = result["typed_turns"]
    assert (turn["node"], turn["typed"]) == (SCENARIO.start, 1)
    [answer] = turn["answers"]
    assert (answer["trainee"], answer["text"]) == ("trainee1", "So sorry, what happened?")
    assert [(h["name"], h["confidence"], h["counted"]) for h in answer["heard"]] == [
        ("Empathy", 0.8, True), ("Open probe", 0.3, False)]
    assert answer["matched"].startswith("Of course")


def test_only_the_most_recent_typed_answers_of_a_turn_are_shown():
    result = _build(*(_session(n, f"answer {n}") for n in range(1, cohort.TYPED_PER_TURN + 3)))
    turn = result["typed_turns"][0]
    assert turn["typed"] == cohort.TYPED_PER_TURN + 2
    assert [a["text"] for a in turn["answers"]] == [f"answer {n}" for n in range(cohort.TYPED_PER_TURN + 2, 2, -1)]


def test_a_cohort_of_chosen_answers_has_no_typed_section():
    result = _build(_session(1, None))
    assert result["typed_turns"] == [] and "What trainees typed" not in render.cohort_html(result)


def test_the_cohort_html_and_markdown_show_the_typed_words_and_what_was_heard():
    result = _build(_session(1, "So sorry, what happened?"))
    for text in (render.cohort_html(result), render.cohort_markdown(result)):
        assert "What trainees typed" in text and "So sorry, what happened?" in text and "Empathy 0.80" in text
        assert "Open probe 0.30*" in text


def test_the_chinese_cohort_names_what_was_heard_in_chinese():
    result = _build(_session(1, "真抱歉，怎么回事？"), lang="zh")
    assert "表示同情/换位思考 0.80" in render.cohort_markdown(result)


def test_the_chinese_cohort_names_the_spread_in_chinese_in_chinese_brackets():
    result = _build(_session(1, None), _session(2, None), lang="zh")
    for text in (render.cohort_html(result), render.cohort_markdown(result)):
        assert f"（标准差 {result['score_spread']}）" in text and "sd " not in text
