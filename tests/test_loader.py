"""simulator.core.loader and checks: every problem, with its code and exact position, in one pass."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from simulator.core.diagnostics import CODES, ScenarioError, make
from simulator.core.engine import Engine
from simulator.core.loader import load, load_text

SIMULATOR = Path(__file__).resolve().parent.parent / "simulator"
HEADER = "# yaml-language-server: $schema=../schema/scenario.schema.json"

# Snippets of the doc example that the tests below edit (each occurs exactly once).
OPENING_CUSTOMER = 'customer: {en: "Hi, I\'d like to cancel my number, please.", zh: "你好，我想把这个号注销了。"}'
RESPONSE = '{{text: {{en: "a", zh: "b"}}, feedback: {{en: "a", zh: "b"}}, next: {next}}}'


def node(nid: str, next_: str) -> str:
    """A one-response node (in the doc example's two languages) whose response leads to ``next_``."""
    return (f"  {nid}:\n    step: close\n    emotion: calm\n    customer: {{en: \"x\", zh: \"y\"}}\n"
            f"    responses:\n      - {RESPONSE.format(next=next_)}\n")


def check(text: str):
    return load_text(text, "s.yaml")


def single(text: str):
    """The one diagnostic ``text`` yields (fails if there are none or several)."""
    _, diagnostics = check(text)
    assert len(diagnostics) == 1, [d.format() for d in diagnostics]
    return diagnostics[0]


def first_response_next(text: str, new: str) -> str:
    """Replace ``next: reason`` of the opening node's first response by ``new`` (YAML lines)."""
    old = "        next: reason\n      - text: {en: \"Before you go"
    assert text.count(old) == 1
    return text.replace(old, new + "      - text: {en: \"Before you go")


# -- the doc example ----------------------------------------------------------------------
def test_doc_example_is_valid(doc_example):
    scenario, diagnostics = check(doc_example)
    assert diagnostics == []
    assert scenario is not None and scenario.id == "prepaid-cancel-example"


def test_doc_example_loads_from_disk(doc_example, diagnose):
    scenario, diagnostics = diagnose(doc_example)
    assert diagnostics == [] and scenario.start == "opening"


def test_file_problems_come_back_as_diagnostics(diagnose):
    scenario, diagnostics = diagnose("format: 1\ntitle: caf\xe9\n".encode("latin-1"))
    assert scenario is None and [(d.code, d.line) for d in diagnostics] == [("RS002", 2)]


# -- shape (SC) ---------------------------------------------------------------------------
def test_missing_top_level_field_points_at_the_scenario_mapping(doc_example, edit, where):
    text = edit(doc_example, "difficulty: beginner\n", "")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC001", *where(text, "format: 1"))
    assert "'difficulty'" in d.message


def test_missing_persona_field_points_at_the_persona_mapping(doc_example, edit, where):
    text = edit(doc_example, "  segment: mass\n", "")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC001", *where(text, 'name: {en: "Chen Hao"'))
    assert "'segment'" in d.message and "persona" in d.message


def test_unknown_field_points_at_the_key_and_suggests_the_known_one(doc_example, edit, where):
    text = edit(doc_example, "        techniques: [rapport, open_probe]\n",
                "        techniques: [rapport, open_probe]\n        feedbak: {en: \"x\", zh: \"y\"}\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC002", *where(text, "feedbak"))
    assert "Did you mean 'feedback'?" in d.hint


def test_unknown_field_without_a_close_match_lists_the_allowed_fields(doc_example, edit):
    text = edit(doc_example, "shuffle: true\n", "shuffle: true\nzzzzzz: 1\n")
    d = single(text)
    assert d.code == "SC002" and d.hint.startswith("Allowed here: format, id,")


def test_wrong_type_points_at_the_value(doc_example, edit, where):
    text = edit(doc_example, "tenure_months: 5", "tenure_months: five")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC003", *where(text, "five"))
    assert d.message == "'tenure_months' must be a whole number, not text"


def test_bad_enum_points_at_the_value_and_suggests_the_close_one(doc_example, edit, where):
    text = edit(doc_example, "difficulty: beginner", "difficulty: beginer")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC004", *where(text, "beginer"))
    assert "Did you mean 'beginner'?" in d.hint


def test_bad_id_points_at_the_value(doc_example, edit, where):
    text = edit(doc_example, "id: prepaid-cancel-example", "id: Prepaid-Example")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC005", *where(text, "Prepaid-Example"))


def test_bad_node_id_points_at_the_key(doc_example, edit, where):
    text = edit(doc_example, "  annoyed:\n    step", "  Annoyed:\n    step")
    _, diagnostics = check(text)
    assert ("SC005", *where(text, "Annoyed:")) in [(d.code, d.line, d.col) for d in diagnostics]


def test_out_of_range_points_at_the_value(doc_example, edit, where):
    text = edit(doc_example, "  mood: 50\n", "  mood: 150\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC006", *where(text, "150"))
    assert d.message == "'mood' must be between 0 and 100, not 150"


def test_empty_text_points_at_the_empty_string(doc_example, edit, where):
    text = edit(doc_example, 'en: "A student calls to cancel his number; he says it is too expensive."', 'en: ""')
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC007", *where(text, '""'))
    assert "situation.en" in d.message


def test_blank_text_is_empty(doc_example, edit):
    text = edit(doc_example, 'en: "A student calls to cancel his number; he says it is too expensive."', 'en: "   "')
    assert single(text).code == "SC007"


def test_wrong_format_version_points_at_the_value(doc_example, edit, where):
    text = edit(doc_example, "format: 1", "format: 2")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC008", *where(text, "2\n"))


def test_non_integer_format_is_a_type_error(doc_example, edit):
    assert single(edit(doc_example, "format: 1", 'format: "1"')).code == "SC003"


@pytest.mark.parametrize(("written", "kind"), [("true", "true/false"), ("1.0", "a number")])
def test_format_that_equals_1_but_is_not_the_whole_number_1_is_a_type_error(doc_example, edit, where, written, kind):
    text = edit(doc_example, "format: 1", f"format: {written}")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC003", *where(text, f"{written}\n"))
    assert d.message == f"'format' must be the whole number 1, not {kind}"


@pytest.mark.parametrize(("written", "kind"), [("yes", "true/false"), ("no", "true/false"), ("42", "a whole number")])
def test_an_id_yaml_reads_as_a_value_says_to_quote_it(doc_example, edit, where, written, kind):
    text = edit(doc_example, "start: opening", f"start: {written}")
    _, diagnostics = check(text)
    d = next(d for d in diagnostics if d.code == "SC014")
    assert (d.line, d.col) == where(text, f"{written}\n")
    assert d.message == f"'start' must be an id written as text, but YAML reads {written} as {kind}"
    assert f"quote the id, e.g. 'start: \"{written}\"'" in d.hint


def test_quoting_the_id_yaml_would_read_as_true_makes_it_an_id(doc_example, edit):
    text = edit(doc_example, "start: opening", 'start: "yes"')
    _, diagnostics = check(text)
    assert [d.code for d in diagnostics] == ["GR005"]  # now simply a node that does not exist


def test_mistakes_without_instead_point_at_the_response(doc_example, edit, where):
    text = edit(doc_example, '        instead: {en: "Ask what made him think of cancelling first.", '
                             'zh: "先问清楚他为什么想注销。"}\n', "")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC012", *where(text, 'text: {en: "Before you go'))


def test_branch_list_whose_last_item_has_if_points_at_that_branch(doc_example, where):
    text = first_response_next(doc_example, "        next:\n"
                                            "          - {if: {mood: {lt: 5}}, goto: annoyed}\n"
                                            "          - {if: {mood: {ge: 5}}, goto: reason}\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC013", *where(text, "{if: {mood: {ge: 5}}"))


def test_branch_without_if_before_the_last_points_at_that_branch(doc_example, where):
    text = first_response_next(doc_example, "        next:\n"
                                            "          - {goto: annoyed}\n"
                                            "          - {goto: reason}\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC013", *where(text, "{goto: annoyed}"))


def test_conditional_branches_ending_in_a_plain_goto_are_valid(doc_example):
    text = first_response_next(doc_example, "        next:\n"
                                            "          - {if: {mood: {lt: 5}}, goto: annoyed}\n"
                                            "          - {goto: reason}\n")
    assert check(text)[1] == []


# -- references (RF) ----------------------------------------------------------------------
def test_unknown_next_target_points_at_it_and_suggests_the_close_one(doc_example, where):
    text = first_response_next(doc_example, "        next: reasn\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF001", *where(text, "reasn"))
    assert "Did you mean 'reason'?" in d.hint


def test_unknown_technique_points_at_it_and_suggests_the_close_one(doc_example, edit, where):
    text = edit(doc_example, "techniques: [rapport, open_probe]", "techniques: [rapor, open_probe]")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF002", *where(text, "rapor"))
    assert "Did you mean 'rapport'?" in d.hint


def test_unknown_mistake_points_at_it(doc_example, edit, where):
    text = edit(doc_example, "mistakes: [premature_offer]", "mistakes: [premature]")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF003", *where(text, "premature]"))
    assert "Did you mean 'premature_offer'?" in d.hint


def test_undeclared_variable_in_a_condition_points_at_it(doc_example, where):
    text = first_response_next(doc_example, "        next:\n"
                                            "          - {if: {reason_knwn: true}, goto: annoyed}\n"
                                            "          - {goto: reason}\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF004", *where(text, "reason_knwn"))
    assert "Did you mean 'reason_known'?" in d.hint


def test_node_id_equal_to_an_ending_id_points_at_the_node(doc_example, edit, where):
    text = edit(doc_example, "endings:\n", node("kept", "kept") + "endings:\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF005", *where(text, "kept:\n    step"))


def test_bool_variable_compared_to_an_integer_points_at_the_value(doc_example, where):
    text = first_response_next(doc_example, "        next:\n"
                                            "          - {if: {reason_known: 1}, goto: annoyed}\n"
                                            "          - {goto: reason}\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF006", *where(text, "1}, goto"))


def test_bool_variable_set_to_an_integer_is_rf006(doc_example, edit, where):
    text = edit(doc_example, "set: {reason_known: true}", "set: {reason_known: 3}")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF006", *where(text, "3}"))


def test_playthrough_naming_an_unknown_ending_points_at_the_playthrough(doc_example, edit, where):
    text = edit(doc_example, "    ending: kept\n", "    ending: kep\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF008", *where(text, "name: expert"))
    assert "Did you mean 'kept'?" in d.hint


def test_setting_mood_points_at_the_key(doc_example, edit, where):
    text = edit(doc_example, "set: {reason_known: true}", "set: {reason_known: true, mood: 80}")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF009", *where(text, "mood: 80"))


def test_declaring_mood_as_a_variable_is_rf009(doc_example, edit, where):
    text = edit(doc_example, "  reason_known: false\n", "  reason_known: false\n  mood: 3\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF009", *where(text, "mood: 3"))


def test_turn_limit_ending_that_is_a_node_points_at_the_value(doc_example, edit, where):
    text = edit(doc_example, "max_turns: 12\n", "max_turns: 12\nturn_limit_ending: opening\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("RF010", *where(text, "opening\n"))


# -- languages (LG) -----------------------------------------------------------------------
def test_missing_translation_points_at_the_text(doc_example, edit, where):
    text = edit(doc_example, OPENING_CUSTOMER, 'customer: {en: "Hi, I\'d like to cancel my number, please."}')
    d = single(text)
    assert (d.code, d.line, d.col) == ("LG001", *where(text, "{en: \"Hi, I'd like"))
    assert "'zh'" in d.message


def test_undeclared_language_points_at_its_key(doc_example, edit, where):
    text = edit(doc_example, OPENING_CUSTOMER, OPENING_CUSTOMER[:-1] + ', fr: "Salut"}')
    d = single(text)
    assert (d.code, d.line, d.col) == ("LG002", *where(text, 'fr: "Salut"'))


def test_plain_string_in_a_two_language_scenario_points_at_it(doc_example, edit, where):
    text = edit(doc_example, OPENING_CUSTOMER, 'customer: "Hi, cancel it."')
    d = single(text)
    assert (d.code, d.line, d.col) == ("LG003", *where(text, '"Hi, cancel it."'))


# -- the graph (GR) -----------------------------------------------------------------------
def test_unreachable_node_points_at_it(doc_example, edit, where):
    text = edit(doc_example, "endings:\n", node("orphan", "kept") + "endings:\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("GR001", *where(text, "orphan:"))


def test_node_with_no_way_to_an_ending_points_at_it(doc_example, edit, where):
    text = edit(doc_example, "        next: annoyed\n",
                "        next: annoyed\n      - " + RESPONSE.format(next="loop") + "\n")
    text = edit(text, "endings:\n", node("loop", "loop") + "endings:\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("GR002", *where(text, "loop:"))


def test_ending_never_reached_is_a_warning_at_the_ending(doc_example, edit, where):
    text = edit(doc_example, "        next: cancelled\n", "        next: kept\n")
    d = single(text)
    assert (d.code, d.severity, d.line, d.col) == ("GR003", "warning", *where(text, "cancelled:"))


def test_ending_never_reached_does_not_stop_load(doc_example, edit, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(edit(doc_example, "        next: cancelled\n", "        next: kept\n"), encoding="utf-8")
    assert "cancelled" in load(str(path)).endings


def test_no_path_to_a_good_outcome_points_at_the_start_node(doc_example, edit, where):
    text = edit(doc_example, "    outcome: retained\n", "    outcome: churned\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("GR004", *where(text, "opening:"))


def test_start_that_is_not_a_node_suggests_the_close_one(doc_example, edit):
    d = single(edit(doc_example, "start: opening", "start: openin"))
    assert d.code == "GR005" and "Did you mean 'opening'?" in d.hint


# -- values of the wrong kind inside lists and references ---------------------------------
UNHASHABLE = {
    "technique-list": ([("techniques: [rapport, open_probe]", "techniques: [[rapport], open_probe]")], "[rapport]"),
    "technique-mapping": ([("techniques: [rapport, open_probe]", "techniques: [{a: 1}, open_probe]")], "{a: 1}"),
    "mistake-list": ([("mistakes: [premature_offer]", "mistakes: [[premature_offer]]")], "[premature_offer]]"),
    "playthrough-variant-list": ([("    ending: kept\n", "    ending: kept\n    variant: [hurried]\n")], "[hurried]"),
    "variant-id-list": ([("variables:\n", "variants:\n  - {id: [hurried], personality: dominant}\nvariables:\n"),
                         ("    ending: kept\n", "    ending: kept\n    variant: hurried\n")], "[hurried]"),
}


@pytest.mark.parametrize(("edits", "token"), UNHASHABLE.values(), ids=UNHASHABLE)
def test_list_or_mapping_where_an_id_belongs_is_a_diagnostic_not_a_crash(doc_example, edit, where, edits, token):
    text = doc_example
    for old, new in edits:
        text = edit(text, old, new)
    _, diagnostics = check(text)  # must not raise
    errors = [(d.line, d.col) for d in diagnostics if d.severity == "error"]
    assert where(text, token) in errors, [d.format() for d in diagnostics]


# -- one pass, errors, formatting ---------------------------------------------------------
def test_independent_problems_are_all_reported_in_one_pass(doc_example, edit, where):
    text = edit(doc_example, "difficulty: beginner", "difficulty: expert")
    text = edit(text, "  mood: 50\n", "  mood: -1\n")
    text = edit(text, "techniques: [rapport, open_probe]", "techniques: [rapor, open_probe]")
    _, diagnostics = check(text)
    assert sorted((d.code, d.line, d.col) for d in diagnostics) == sorted([
        ("SC004", *where(text, "expert\n")),
        ("SC006", *where(text, "-1\n")),
        ("RF002", *where(text, "rapor")),
    ])


def test_broken_next_link_is_reported_in_the_same_pass_as_unknown_techniques(doc_example, edit, where):
    text = edit(doc_example, "techniques: [rapport, open_probe]", "techniques: [rapor, open_probe]")
    text = edit(text, "        next: agreed\n", "        next: agred\n")
    found = {(d.code, d.line, d.col): d for d in check(text)[1]}
    link = ("RF001", *where(text, "agred"))
    assert set(found) == {("RF002", *where(text, "rapor")), link}
    assert "Did you mean 'agreed'?" in found[link].hint


def test_link_to_an_ending_with_its_own_error_is_not_reported_again(doc_example, edit):
    text = edit(doc_example, "    outcome: retained\n", "    outcome: kept_on\n")
    text = edit(text, "techniques: [rapport, open_probe]", "techniques: [rapor, open_probe]")
    _, diagnostics = check(text)
    assert sorted(d.code for d in diagnostics) == ["RF002", "SC004"]


def test_link_to_an_unknown_target_is_reported_beside_a_broken_node(doc_example, edit):
    text = edit(doc_example, "    emotion: hesitant\n", "    emotion: grumpy\n")
    text = edit(text, "        next: agreed\n", "        next: agred\n")
    scenario, diagnostics = check(text)
    assert scenario is None  # a node could not be built: nothing to play
    assert sorted(d.code for d in diagnostics) == ["RF001", "SC004"]


def test_load_raises_scenario_error_carrying_every_diagnostic(doc_example, edit, tmp_path):
    text = edit(doc_example, "difficulty: beginner", "difficulty: expert")
    text = edit(text, "format: 1", "format: 3")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert sorted(d.code for d in info.value.diagnostics) == ["SC004", "SC008"]
    assert "2 error(s)" in str(info.value)


BROKEN_EDITS = [
    ("difficulty: beginner", "difficulty: expert"),
    ("  segment: mass\n", ""),
    ("tenure_months: 5", "tenure_months: five"),
    ("techniques: [rapport, open_probe]", "techniques: [rapor, open_probe]"),
    ("start: opening", "start: openin"),
    ("    ending: kept\n", "    ending: kep\n"),
    ("        next: cancelled\n", "        next: kept\n"),
    (OPENING_CUSTOMER, 'customer: "Hi"'),
]


@pytest.mark.parametrize(("old", "new"), BROKEN_EDITS)
def test_diagnostic_format_starts_with_path_line_col_and_code(doc_example, edit, old, new):
    _, diagnostics = check(edit(doc_example, old, new))
    assert diagnostics
    for d in diagnostics:
        label = "" if d.severity == "error" else "warning "
        assert d.format().startswith(f"s.yaml:{d.line}:{d.col}: {label}{d.code} "), d.format()
        assert d.line >= 1 and d.col >= 1


def test_diagnostic_without_a_position_formats_as_path_and_code():
    d = make("RS003", "big.yaml", 0, 0, size=3, limit=2)
    assert d.format().startswith("big.yaml: RS003 ")


# -- the diagnostics table ----------------------------------------------------------------
def _code_uses() -> list[tuple[str, str, frozenset[str]]]:
    """(where, code, keyword fields) for every literal diagnostic code passed in simulator/."""
    uses = []
    for path in sorted(SIMULATOR.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
            literals = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                        and re.fullmatch(r"[A-Z]{2}\d{3}", a.value)]
            if not literals:
                continue
            fields = {k.arg for k in call.keywords if k.arg}
            if name == "fail":  # playthroughs.run's fail() adds the playthrough's name
                fields.add("name")
            elif name == "id_list":  # id_list(..., code) reports unknown ids with value and suggestion
                fields |= {"value", "suggestion"}
            elif name not in ("make", "err", "_error"):
                raise AssertionError(f"{path.name}:{call.lineno}: unrecognised use of {literals} in {name}()")
            where = f"{path.relative_to(SIMULATOR.parent)}:{call.lineno}"
            uses.extend((where, code, frozenset(fields)) for code in literals)
    return uses


CODE_USES = _code_uses()


def test_the_source_uses_diagnostic_codes():
    assert len(CODE_USES) > 40


def test_every_code_written_in_the_source_is_in_the_table():
    unknown = []
    for path in sorted(SIMULATOR.rglob("*.py")):
        if path.name == "diagnostics.py":
            continue
        for const in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(const, ast.Constant) and isinstance(const.value, str) \
                    and re.fullmatch(r"[A-Z]{2}\d{3}", const.value) and const.value not in CODES:
                unknown.append(f"{path.name}:{const.lineno}: {const.value}")
    assert unknown == []


def test_every_code_in_the_table_is_used_somewhere():
    assert sorted(set(CODES) - {code for _, code, _ in CODE_USES}) == []


@pytest.mark.parametrize(("where", "code", "fields"), CODE_USES, ids=[f"{c}@{w}" for w, c, _ in CODE_USES])
def test_templates_format_with_the_fields_the_code_is_used_with(where, code, fields):
    d = make(code, "s.yaml", 1, 1, **dict.fromkeys(fields, "X"))
    assert d.message and d.hint


# -- by_personality -----------------------------------------------------------------------
DOMINANT_OVERRIDE = (
    "        by_personality:\n"
    "          dominant:\n"
    "            mood: -20\n"
    "            next: annoyed\n"
    "            feedback: {en: \"Too slow for a dominant customer.\", zh: \"对主观型客户太慢了。\"}\n"
)


@pytest.fixture
def with_override(doc_example, edit):
    text = edit(doc_example, "variables:\n", "variants:\n  - {id: hurried, personality: dominant}\nvariables:\n")
    text = first_response_next(text, "        next: reason\n" + DOMINANT_OVERRIDE)
    scenario, diagnostics = check(text)
    assert diagnostics == [], [d.format() for d in diagnostics]
    return scenario


def test_override_is_built_into_a_resolved_response(with_override):
    response = with_override.nodes["opening"].responses[0]
    dominant = response.by_personality["dominant"]
    assert (dominant.mood, dominant.next[0].goto, dominant.feedback["en"]) == (
        -20, "annoyed", "Too slow for a dominant customer.")
    assert dominant.techniques == response.techniques and dominant.text == response.text


def test_dominant_variant_plays_the_overridden_response(with_override):
    engine = Engine(with_override)
    state = engine.start("en", variant="hurried", shuffle=False)
    assert engine.response(state, 0).feedback["en"] == "Too slow for a dominant customer."
    after = engine.choose_response(state, 0)
    assert (after.node, after.mood) == ("annoyed", 50 - 20)


def test_persona_without_override_plays_the_base_response(with_override):
    engine = Engine(with_override)
    state = engine.start("en", shuffle=False)
    after = engine.choose_response(state, 0)
    assert (after.node, after.mood) == ("reason", 50 + 10)
    assert engine.response(state, 0).feedback["en"].startswith("Warm, uses his name")


# -- shipped scenarios --------------------------------------------------------------------
SHIPPED = sorted((SIMULATOR / "library").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenario_loads_without_errors(path):
    assert load(str(path)).nodes


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenario_starts_with_the_schema_line(path):
    # The library sits two folders below the schema; the scaffold's header is for a top-level scenarios/.
    assert path.read_text("utf-8").splitlines()[0] == HEADER.replace("../schema/", "../../schema/")


def test_there_are_shipped_scenarios(scenario_files):
    assert scenario_files == SHIPPED and len(SHIPPED) >= 3


def test_a_diagnostic_as_json_keeps_every_field_under_its_documented_key():
    diag = make("PT004", "calls/a.yaml", 12, 5, name="expert", node="hello")
    assert diag.as_json() == {
        "code": "PT004", "severity": "error", "path": "calls/a.yaml", "line": 12, "column": 5,
        "message": diag.message, "hint": diag.hint,
    }
