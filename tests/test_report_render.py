"""Rendering a call report: self-contained HTML, Markdown and JSON, with author text always escaped."""

import html
import json
import re
from functools import cache

import pytest
from helpers import ROOT, load_example, load_shipped, play
from report_helpers import FIELDS, HOSTILE, Page, hostile_scenario, marked

from simulator.core import analysis
from simulator.i18n import t
from simulator.report import data, render

MOBILE = ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml"
TRAINEE = "<b>Eve</b> " + HOSTILE


@cache
def shipped_report(which: str, lang: str) -> dict:
    scenario = load_shipped(MOBILE)
    best, worst, _ = analysis.best_and_worst(scenario)
    path = best if which == "best" else worst
    return data.build(scenario, play(scenario, list(path.responses), lang), "Eve", "2024-01-01T10:00:00",
                      "2024-01-01T10:06:00")


@cache
def hostile_report(lang: str = "en") -> dict:
    scenario = hostile_scenario()
    return data.build(scenario, play(scenario, [0, 0, 0, 0], lang), TRAINEE, "2024-01-01T10:00:00", "")


REPORTS = {
    "shipped-worst-en": lambda: shipped_report("worst", "en"),
    "shipped-best-zh": lambda: shipped_report("best", "zh"),
    "unfinished-en": lambda: data.build(load_example(), play(load_example(), [1])),
    "hostile-en": hostile_report,
}


@cache
def page(name: str) -> tuple[dict, str, Page]:
    report = REPORTS[name]()
    text = render.to_html(report)
    return report, text, Page(text)


def md_unescape(text: str) -> str:
    """What a Markdown reader shows for the backslash escapes the renderer adds."""
    return re.sub(r"\\([\\`*_{}\[\]<>|#])", r"\1", text)


def strings(value) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


# -- HTML: structure -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", REPORTS)
def test_html_parses_with_every_element_closed_in_order(name):
    _report, _text, parsed = page(name)
    assert parsed.nesting_errors == []
    assert [e.tag for e in parsed.root.children] == ["html"]


@pytest.mark.parametrize("name", REPORTS)
def test_html_sections_divs_and_tables_balance(name):
    _report, text, _parsed = page(name)
    for tag in ("section", "div", "table"):
        assert len(re.findall(rf"<{tag}[\s>]", text)) == len(re.findall(rf"</{tag}>", text)), tag


@pytest.mark.parametrize("name", REPORTS)
def test_html_has_no_script_element(name):
    _report, _text, parsed = page(name)
    assert "script" not in [tag for tag, _ in parsed.tags]


@pytest.mark.parametrize("name", REPORTS)
def test_html_has_no_event_handler_attribute(name):
    _report, _text, parsed = page(name)
    assert [(tag, a) for tag, attrs in parsed.tags for a in attrs if a.startswith("on")] == []


@pytest.mark.parametrize("name", REPORTS)
def test_html_links_nothing(name):
    _report, _text, parsed = page(name)
    assert not {"link", "iframe", "object", "embed", "img", "base"} & {tag for tag, _ in parsed.tags}
    assert [(tag, a) for tag, attrs in parsed.tags for a in attrs if a in ("src", "href", "srcset", "action")] == []


@pytest.mark.parametrize("name", REPORTS)
def test_html_names_no_url_but_the_svg_namespace(name):
    _report, text, _parsed = page(name)
    urls = set(re.findall(r"(?i)(?:https?:)?//[^\s\"'<>)]+", text))
    assert urls == {"http://www.w3.org/2000/svg"}


@pytest.mark.parametrize("name", REPORTS)
def test_html_has_a_content_security_policy_that_forbids_scripts(name):
    _report, _text, parsed = page(name)
    policies = [attrs.get("content", "") for tag, attrs in parsed.tags
                if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(policies) == 1
    assert "default-src 'none'" in policies[0] and "script-src" not in policies[0]


@pytest.mark.parametrize("name", REPORTS)
def test_html_prints_on_a4(name):
    _report, text, parsed = page(name)
    style = "".join(e.text() for e in parsed.root.iter("style"))
    assert re.search(r"@media print\s*\{.*?@page\s*\{[^}]*size:\s*A4", style, re.S), "no @media print with size: A4"
    assert text.count("<style>") == 1


@pytest.mark.parametrize("name", REPORTS)
def test_html_is_in_the_report_language(name):
    report, _text, parsed = page(name)
    assert next(parsed.root.iter("html")).attrs["lang"] == report["language"]
    assert parsed.title() == f"{t('r.title', report['language'])} · {report['scenario']['title']}"


# -- HTML: every section ---------------------------------------------------------------------------
def check_score_breakdown(report, parsed):
    section = parsed.section(t("r.parts", report["language"]))
    rows = list(section.iter("tr"))
    assert [next(r.iter("td")).text() for r in rows] == [p["name"] for p in report["parts"]]
    assert f"<b>{report['score']}</b>" in render.to_html(report)


def check_timeline(report, parsed):
    section = parsed.section(t("r.timeline", report["language"]))
    cells = [d for d in section.iter("div") if "cell" in d.classes()]
    assert len(cells) == len(report["turns"])
    jumped = [d for d in cells if "jump" in d.classes()]
    assert len(jumped) == sum(x["jumped_ahead"] for x in report["timeline"])


def check_mood_svg(report, parsed):
    section = parsed.section(t("r.mood", report["language"]))
    svgs = list(section.iter("svg"))
    lang = report["language"]
    assert len(svgs) == 1 and svgs[0].attrs["role"] == "img"
    assert svgs[0].attrs["aria-label"] == t("r.mood_chart", lang, values=" → ".join(map(str, report["mood"])))
    assert len(list(svgs[0].iter("circle"))) == len(report["mood"])
    assert len([x for x in svgs[0].iter("line") if "trace" in x.classes()]) == len(report["mood"]) - 1
    assert t("r.mood_note", lang) in section.text()


def check_coverage_table(report, parsed):
    section = parsed.section(t("r.coverage", report["language"]))
    rows = list(section.iter("tr"))
    assert len(rows) == 1 + 5
    assert [next(r.iter("td")).text() for r in rows[1:]] == [c["name"] for c in report["coverage"]]


def check_transcript(report, parsed):
    section = parsed.section(t("r.transcript", report["language"]))
    turns = [d for d in section.iter("div") if "turn" in d.classes()]
    assert len(turns) == len(report["turns"])
    for div, turn in zip(turns, report["turns"], strict=True):
        assert turn["customer"] in div.text() and turn["answer"] in div.text() and turn["feedback"] in div.text()


def check_cost(report, parsed):
    section = parsed.section(t("r.cost", report["language"]))
    body = " ".join(p.text() for p in section.iter("p"))
    if report["cost"]["total"]:
        assert f"{report['cost']['points']} / 10" in body
    else:
        assert t("r.cost_none", report["language"]) in body


def check_expert(report, parsed):
    section = parsed.section(t("r.expert", report["language"]))
    if report["expert"]["same_as_trainee"]:
        assert t("r.expert_same", report["language"]) in section.text()
    else:
        lists = list(section.iter("ol"))
        assert [len(list(ol.iter("li"))) for ol in lists] == [len(report["turns"]), len(report["expert"]["path"])]


def check_improvements(report, parsed):
    section = parsed.section(t("r.improvements", report["language"]))
    items = next(ol for ol in section.iter("ol") if "improve" in ol.classes()).iter("li")
    assert [li.text() for li in items] == report["improvements"]


def check_figures(report, parsed):
    section = parsed.section(t("r.figures", report["language"]))
    assert [li.text() for li in section.iter("li")] == report["figures"]


SECTIONS = {"score breakdown": check_score_breakdown, "timeline": check_timeline, "mood svg": check_mood_svg,
            "coverage table": check_coverage_table, "transcript": check_transcript, "cost": check_cost,
            "expert": check_expert, "improvements": check_improvements, "figures": check_figures}


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("section", SECTIONS)
def test_html_has_the_section(section, name):
    report, _text, parsed = page(name)
    SECTIONS[section](report, parsed)


def test_shipped_report_shows_figures():
    report, _text, parsed = page("shipped-worst-en")
    assert report["figures"] and len(list(parsed.section(t("r.figures", "en")).iter("li"))) == len(report["figures"])


def test_worst_path_report_puts_the_expert_beside_the_trainee():
    report, _text, parsed = page("shipped-worst-en")
    assert report["expert"]["same_as_trainee"] is False
    assert len(list(parsed.section(t("r.expert", "en")).iter("ol"))) == 2


def test_unfinished_report_says_unfinished():
    _report, _text, parsed = page("unfinished-en")
    head = next(s for s in parsed.root.iter("section") if "head" in s.classes())
    assert t("r.unfinished", "en") in head.text()


def test_chinese_report_html_is_in_chinese():
    _report, _text, parsed = page("shipped-best-zh")
    for key in ("r.parts", "r.timeline", "r.mood", "r.coverage", "r.transcript", "r.cost", "r.expert",
                "r.improvements", "r.figures"):
        parsed.section(t(key, "zh"))


# -- Safety: author and trainee text is data -----------------------------------------------------
@pytest.mark.parametrize("field", FIELDS)
def test_hostile_text_reaches_the_html_as_text(field):
    _report, _text, parsed = page("hostile-en")
    assert marked(field) in next(parsed.root.iter("body")).text()


def test_hostile_text_is_entity_escaped_in_the_html():
    _report, text, _parsed = page("hostile-en")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<script" not in text.lower() and "<img" not in text.lower()


def test_hostile_text_adds_no_element_to_the_html():
    _report, _text, hostile = page("hostile-en")
    clean_scenario = load_example()
    clean = Page(render.to_html(data.build(clean_scenario, play(clean_scenario, [0, 0, 0, 0]), "Eve",
                                           "2024-01-01T10:00:00", "")))
    assert [tag for tag, _ in hostile.tags] == [tag for tag, _ in clean.tags]


def test_hostile_persona_name_shows_whole_as_the_speaker():
    report, _text, parsed = page("hostile-en")
    who = [s.text() for s in parsed.root.iter("span") if "who" in s.classes()]
    assert who.count(marked("persona")) == len(report["turns"])


def test_trainee_name_is_escaped_in_the_html():
    _report, text, parsed = page("hostile-en")
    assert "&lt;b&gt;Eve&lt;/b&gt;" in text
    assert "<b>Eve" not in text
    assert TRAINEE in next(parsed.root.iter("body")).text()


def test_jinja_syntax_in_author_text_is_not_evaluated_in_html():
    _report, text, _parsed = page("hostile-en")
    shown = html.unescape(text)
    assert "{{ ''.__class__ }}" in shown and "{% for x in y %}" in shown
    assert "<class" not in shown and "&lt;class" not in text


def test_jinja_syntax_in_author_text_is_not_evaluated_in_markdown():
    shown = md_unescape(render.to_markdown(hostile_report()))
    assert "{{ ''.__class__ }}" in shown and "{% for x in y %}" in shown
    assert "<class" not in shown


@pytest.mark.parametrize("field", FIELDS)
def test_hostile_text_reaches_the_markdown_literally(field):
    assert marked(field) in md_unescape(render.to_markdown(hostile_report()))


def test_markdown_escapes_every_angle_bracket_of_author_text():
    text = render.to_markdown(hostile_report())
    assert HOSTILE not in text
    body = [line.removeprefix("> ") for line in text.splitlines()]  # the template's own blockquotes
    assert [line for line in body if re.search(r"(?<!\\)[<>]", line)] == []


def test_markdown_escapes_the_trainee_name():
    text = render.to_markdown(hostile_report())
    assert "\\<b\\>Eve\\</b\\>" in text and "<b>" not in text


@pytest.mark.parametrize("field", FIELDS)
def test_hostile_text_reaches_the_json_literally(field):
    values = strings(json.loads(render.to_json(hostile_report())))
    assert any(marked(field) in v for v in values)


def test_jinja_syntax_in_author_text_is_not_evaluated_in_json():
    values = strings(json.loads(render.to_json(hostile_report())))
    assert any("{{ ''.__class__ }}" in v and "{% for x in y %}" in v for v in values)
    assert not any("<class" in v for v in values)


def test_chinese_hostile_report_escapes_too():
    text = render.to_html(hostile_report("zh"))
    assert "<script" not in text and "&lt;script&gt;" in text


# -- Markdown ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", REPORTS)
def test_markdown_has_the_score_line(name):
    report = REPORTS[name]()
    lines = render.to_markdown(report).splitlines()
    grade = f"({t('r.grade', report['language'])} {report['grade']})"
    assert [x for x in lines if "**Score" in x] == [f"- **Score: {report['score']}/100** {grade}"]


def tables(markdown: str) -> list[list[str]]:
    """Runs of lines that start with '|'."""
    found, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def cells(line: str) -> int:
    """Cells of a table row, not counting escaped pipes."""
    return len(re.split(r"(?<!\\)\|", line)) - 2


@pytest.mark.parametrize("name", REPORTS)
def test_markdown_tables_are_well_formed(name):
    found = tables(render.to_markdown(REPORTS[name]()))
    assert len(found) == 2  # the score parts and the coverage
    for table in found:
        assert all(line.endswith("|") for line in table), table
        assert re.fullmatch(r"\|(?:---\|)+", table[1]), table[1]
        width = cells(table[0])
        assert all(cells(line) == width for line in table), table


def test_markdown_tables_have_one_row_per_part_and_step():
    report = shipped_report("worst", "en")
    parts, coverage = tables(render.to_markdown(report))
    assert len(parts) == 2 + len(report["parts"]) and len(coverage) == 2 + 5


def test_markdown_headings_are_not_broken_by_author_text():
    text = render.to_markdown(hostile_report())
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert all(HOSTILE not in h and "PERSONA" not in h for h in headings)


# -- JSON --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", REPORTS)
def test_json_is_valid_and_versioned(name):
    report = REPORTS[name]()
    loaded = json.loads(render.to_json(report))
    assert loaded["report_version"] == data.REPORT_VERSION
    assert loaded == report


def test_json_keeps_chinese_readable():
    text = render.to_json(shipped_report("best", "zh"))
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert "\\u" not in text


def test_render_dispatches_by_format_name():
    report = shipped_report("best", "en")
    assert render.render(report, "html") == render.to_html(report)
    assert render.render(report, "markdown") == render.to_markdown(report)
    assert render.render(report, "json") == render.to_json(report)


# -- format_for ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "fmt"), [("out/report.html", "html"), ("report.htm", "html"),
                                           ("REPORT.HTML", "html"), ("report.md", "markdown"),
                                           ("report.markdown", "markdown"), ("report.json", "json")])
def test_format_for_reads_the_extension(path, fmt):
    assert render.format_for(path) == fmt


@pytest.mark.parametrize("path", ["report.pdf", "report.txt", "report", "report.html.bak", "report.jsonl",
                                  "report.xhtml", "html", ""])
def test_format_for_refuses_other_extensions(path):
    with pytest.raises(ValueError, match=r"\.html, \.md or \.json"):
        render.format_for(path)


def _typed_report(lang: str, text: str = "I'm sorry — tell me what happened?") -> dict:
    from simulator.core.engine import Engine, Said

    scenario = load_example()
    eng = Engine(scenario)
    said = Said(text, (("empathy", 0.82), ("open_probe", 0.37)), 0.42, 0.4)
    state = eng.choose_response(eng.start(lang, shuffle=False), 0, 3000, said)
    return data.build(scenario, state, "Eve")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_shows_the_typed_words_beside_what_was_heard_and_the_answer_matched(lang):
    report = _typed_report(lang)
    shown = " ".join(Page(render.to_html(report)).root.text().split())
    empathy = report["turns"][0]["typed"]["heard"][0]["name"]
    assert "“I'm sorry — tell me what happened?”" in shown and f"{empathy} 0.82" in shown
    assert t("r.matched", lang) in shown and " ".join(report["turns"][0]["answer"].split()) in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_shows_the_typed_words_beside_what_was_heard_and_the_answer_matched(lang):
    report = _typed_report(lang)
    text = md_unescape(render.to_markdown(report))
    assert "“I'm sorry — tell me what happened?”" in text and t("r.typed", lang) in text
    assert f"{report['turns'][0]['typed']['heard'][0]['name']} 0.82" in text and t("r.matched", lang) in text


def test_json_carries_the_typed_words_and_the_confidences():
    turn = json.loads(render.to_json(_typed_report("en")))["turns"][0]
    assert turn["typed"]["text"] == "I'm sorry — tell me what happened?"
    assert {h["id"]: h["confidence"] for h in turn["typed"]["heard"]} == {"empathy": 0.82, "open_probe": 0.37}


def test_hostile_typed_words_add_no_element_to_the_html():
    plain = Page(render.to_html(_typed_report("en", "TYPED")))
    hostile = Page(render.to_html(_typed_report("en", "TYPED " + HOSTILE)))
    assert [tag for tag, _ in hostile.tags] == [tag for tag, _ in plain.tags]
    assert HOSTILE in " ".join(hostile.root.text().split())


@pytest.mark.parametrize(("lang", "cost"), [("zh", "挽留成本：150元，"), ("en", "Cost of the save: CNY 150 = ")])
def test_the_cost_of_the_save_is_written_in_the_reports_currency_words(lang, cost):
    report = shipped_report("best", lang)
    cost_section = Page(render.to_html(report)).section(t("r.cost", lang)).text()
    assert cost in cost_section and ("CNY" in cost_section) == (lang == "en")
    assert cost in render.to_markdown(report)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_improvements_heading_promises_no_more_items_than_a_clean_call_lists(lang):
    report = shipped_report("best", lang)
    heading = t("r.improvements", lang)
    Page(render.to_html(report)).section(heading)
    assert len(report["improvements"]) == 1 and not re.search(r"[Tt]hree|三", heading)
