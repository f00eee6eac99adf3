"""simulator/core/loading: what the reader, the conditions, the nodes and the persona make of a field,
and the diagnostics they give when it is wrong (each test here once let a `make mutation` mutant live)."""

from __future__ import annotations

import pytest
from test_loader import check, first_response_next, single

from simulator.core.engine import Engine


def test_an_override_that_is_not_a_mapping_is_named_by_its_personality(doc_example):
    text = first_response_next(doc_example, "        next: reason\n        by_personality:\n          dominant: 3\n")
    d = single(text)
    assert d.code == "SC003" and "'by_personality.dominant' must be a mapping" in d.message


def test_a_condition_with_two_operators_on_one_variable_is_sc010_at_its_value(doc_example, where):
    text = first_response_next(doc_example, "        next:\n"
                                            "          - {if: {mood: {lt: 5, gt: 1}}, goto: annoyed}\n"
                                            "          - {goto: reason}\n")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC010", *where(text, "{lt: 5, gt: 1}"))


@pytest.mark.parametrize(("turn_test", "node"), [("{ge: 0}", "annoyed"), ("{gt: 50}", "reason")])
def test_a_condition_of_two_terms_holds_only_when_both_do(doc_example, turn_test, node):
    branch = "{if: {mood: {ge: 0}, turn: " + turn_test + "}, goto: annoyed}"
    text = first_response_next(doc_example, f"        next:\n          - {branch}\n          - {{goto: reason}}\n")
    scenario, diagnostics = check(text)
    assert diagnostics == [], [d.format() for d in diagnostics]
    engine = Engine(scenario)
    assert engine.choose_response(engine.start("en", shuffle=False), 0).node == node


def test_an_unknown_field_in_a_branch_names_the_branch_by_its_1_based_number(doc_example):
    text = first_response_next(doc_example, "        next:\n          - {goto: reason, colour: red}\n")
    d = single(text)
    assert d.code == "SC002" and "in branch 1 of 'next'" in d.message


@pytest.mark.parametrize(("field", "yaml", "value"), [
    ("churn_risk", "churn_risk: 72", 72),
    ("background", "background: {en: Pays on time., zh: 按时缴费。}", {"en": "Pays on time.", "zh": "按时缴费。"}),
])
def test_the_persona_keeps_its_optional_crm_fields(doc_example, edit, field, yaml, value):
    scenario, diagnostics = check(edit(doc_example, "  mood: 50\nvariables:\n", f"  mood: 50\n  {yaml}\nvariables:\n"))
    assert diagnostics == [], [d.format() for d in diagnostics]
    assert getattr(scenario.persona, field) == value


def test_a_bad_enum_value_is_quoted_in_the_message(doc_example, edit):
    assert single(edit(doc_example, "difficulty: beginner", "difficulty: beginer")).message == (
        "'beginer' is not a valid difficulty")


def test_a_malformed_language_code_is_quoted_in_the_message(doc_example, edit):
    text = edit(doc_example, 'plan: {en: "Campus 58 plan", zh: "校园58元套餐"}',
                'plan: {en: "Campus 58 plan", zh: "校园58元套餐", EN_GB: "Campus 58 plan"}')
    _, diagnostics = check(text)
    assert "'EN_GB' is not a language code" in [d.message for d in diagnostics if d.code == "SC009"]


def test_a_blank_plain_text_is_sc007_at_the_blank(doc_example, edit, where):
    customer = """    customer: {en: "Hi, I'd like to cancel my number, please.", zh: "你好，我想把这个号注销了。"}\n"""
    text = edit(doc_example, customer, '    customer: "   "\n')
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC007", *where(text, '"   "'))


def test_a_list_field_given_a_number_is_sc003_at_the_number(doc_example, edit, where):
    text = edit(doc_example, """objectives:\n  - {en: "Find the real reason before offering anything", """
                             """zh: "先弄清真实原因，再提方案"}\n""", "objectives: 3\n")
    line, col = where(text, "objectives: 3")
    d = single(text)
    assert (d.code, d.line, d.col) == ("SC003", line, col + len("objectives: "))


def test_an_empty_list_of_texts_is_sc007_naming_the_field(doc_example, edit):
    text = edit(doc_example, """objectives:\n  - {en: "Find the real reason before offering anything", """
                             """zh: "先弄清真实原因，再提方案"}\n""", "objectives: []\n")
    assert single(text).message == "'objectives' must not be empty"
