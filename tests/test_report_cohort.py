"""simulator.report.cohort: what trainees typed, turn by turn, beside what was heard and matched."""

from __future__ import annotations

from helpers import load_example
from report_helpers import Page

from simulator.core import session_json
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
                               session_json.to_json(SCENARIO, state))


def _typed_throughout(n: int, lang: str = "en") -> cohort.SessionInput:
    """A call on the expert path (opening, reason, offer, agreed) with a typed answer at every turn."""
    eng = Engine(SCENARIO)
    state = eng.start(lang, shuffle=False)
    while not state.over:
        state = eng.choose_response(state, 0, None, Said(f"typed at turn {len(state.history) + 1}", (), 0.4, 0.4))
    return cohort.SessionInput(n, f"trainee{n}", SCENARIO.id, SCENARIO.path, f"2026-01-01T10:{n:02d}:00",
                               session_json.to_json(SCENARIO, state))


def _build(*sessions, lang="en"):
    return cohort.build(sessions, lambda _sid, _path: SCENARIO, lang)


def test_the_digest_keeps_a_typed_answers_words_heard_ids_and_matched_response():
    d = cohort.digest(_session(1, "So sorry, what happened?").state, SCENARIO, load_catalog())
    assert d["typed"] == [{"node": SCENARIO.start, "response": 0, "text": "So sorry, what happened?", "language": "en",
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


def test_call_order_ranks_nodes_breadth_first_from_the_start_with_answers_in_written_order():
    # opening's second answer leads to "annoyed", so it is met before "offer", which only "reason" leads to
    assert cohort.call_order(SCENARIO) == {"opening": 0, "reason": 1, "annoyed": 2, "offer": 3, "agreed": 4}


def test_typed_turns_come_in_call_order_not_in_the_order_of_their_ids():
    result = _build(_typed_throughout(1))
    assert [turn["node"] for turn in result["typed_turns"]] == ["opening", "reason", "offer", "agreed"]


def test_a_typed_turn_carries_the_customers_line_in_the_reports_language():
    turns = {lang: _build(_typed_throughout(1), lang=lang)["typed_turns"][0] for lang in ("en", "zh")}
    assert turns["en"]["line"] == "Hi, I'd like to cancel my number, please."
    assert turns["zh"]["line"] == "你好，我想把这个号注销了。"


def test_a_long_customer_line_is_shortened_at_an_allowed_break_with_an_ellipsis():
    line = cohort.shortened("word " * 40)
    assert line.endswith("…") and len(line) <= cohort.LINE_COLUMNS + 1 and " …" not in line
    assert cohort.shortened("好" * 40) == "好" * (cohort.LINE_COLUMNS // 2) + "…"  # a Chinese character is 2 columns


def test_the_cohort_html_heads_a_typed_turn_with_the_customers_line_and_the_node_id_small():
    page = Page(render.cohort_html(_build(_typed_throughout(1))))
    headings = [(h.text(), [span.text() for span in h.iter("span")]) for h in page.root.iter("h4")]
    assert headings[0] == ("“Hi, I'd like to cancel my number, please.” opening (1)", ["opening (1)"])


def test_the_cohort_markdown_heads_a_typed_turn_with_the_customers_line_and_the_node_id():
    text = render.cohort_markdown(_build(_typed_throughout(1)))
    assert "#### “Hi, I'd like to cancel my number, please.” · `opening` (1)" in text
    typed = text[text.index("#### "):]  # the typed section (the hardest turns above name nodes too)
    assert typed.index("`opening`") < typed.index("`reason`") < typed.index("`offer`") < typed.index("`agreed`")


def test_a_cohort_in_one_language_tags_no_typed_answer():
    result = _build(_typed_throughout(1), _typed_throughout(2))
    assert {a["language_tag"] for turn in result["typed_turns"] for a in turn["answers"]} == {""}


def test_a_cohort_that_mixes_languages_tags_every_typed_answer_with_its_language():
    result = _build(_typed_throughout(1, "en"), _typed_throughout(2, "zh"))
    tags = {(a["trainee"], a["language_tag"]) for turn in result["typed_turns"] for a in turn["answers"]}
    assert tags == {("trainee1", "[en]"), ("trainee2", "[zh]")}


def test_the_language_tags_reach_the_html_and_the_markdown():
    result = _build(_typed_throughout(1, "en"), _typed_throughout(2, "zh"))
    assert "[zh]</span>“typed at turn 1”" in render.cohort_html(result)
    assert "trainee2: \\[zh\\] “typed at turn 1”" in render.cohort_markdown(result)


def test_a_hardest_turn_carries_the_customers_line_in_the_reports_language():
    for lang, line in (("en", "Hi, I'd like to cancel my number, please."), ("zh", "你好，我想把这个号注销了。")):
        rows = _build(_session(1, None), _session(2, None), lang=lang)["hardest_turns"][SCENARIO.id]
        assert {h["node"]: h["line"] for h in rows}.get("opening") == line


def test_the_cohort_html_and_markdown_show_a_hardest_turn_by_the_customers_line_with_its_node_id():
    report = _build(_session(1, None))
    [first] = [h for h in report["hardest_turns"][SCENARIO.id] if h["node"] == "opening"]
    cells = [[td.text() for td in tr.iter("td")] for tr in Page(render.cohort_html(report)).root.iter("tr")]
    assert any(f"“{first['line']}” opening" in cell for row in cells for cell in row)
    assert f"“{first['line']}” (`opening`)" in render.cohort_markdown(report)
