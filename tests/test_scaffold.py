"""`new`'s scaffold: every category in every language set is a valid, playable, fair scenario."""

from __future__ import annotations

import itertools
import re
from functools import cache

import pytest
import yaml

from simulator import scaffold
from simulator.core import analysis, loader, playthroughs
from simulator.core.model import CATEGORIES
from simulator.core.text import pick

LANGUAGE_SETS = (("en", "zh"), ("en",), ("zh",))
CASES = list(itertools.product(CATEGORIES, LANGUAGE_SETS))
IDS = [f"{c}-{'+'.join(langs)}" for c, langs in CASES]
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/scenario.schema.json"


@cache
def rendered(category: str, languages: tuple[str, ...]) -> str:
    return scaffold.render(scaffold.Answers(category=category, languages=languages), "scenarios/my-first-scenario.yaml")


@cache
def loaded(category: str, languages: tuple[str, ...]):
    return loader.load_text(rendered(category, languages), "my-first-scenario.yaml")


@pytest.mark.parametrize(("category", "languages"), CASES, ids=IDS)
def test_scaffold_loads_without_any_diagnostic(category, languages):
    scenario, diagnostics = loaded(category, languages)
    assert scenario is not None and [d.format() for d in diagnostics] == []
    assert (scenario.category, scenario.languages) == (category, languages)


@pytest.mark.parametrize(("category", "languages"), CASES, ids=IDS)
def test_scaffold_declared_playthroughs_pass(category, languages):
    scenario, _ = loaded(category, languages)
    results = playthroughs.run_all(scenario)
    assert {p.name for p in scenario.playthroughs} == {"expert", "novice"}
    assert len(results) == 2 * len(languages)
    assert [r.problem.format() for r in results if not r.passed] == []


@pytest.mark.parametrize(("category", "languages"), CASES, ids=IDS)
def test_scaffold_best_call_beats_the_worst_by_at_least_40(category, languages):
    found = analysis.explore(loaded(category, languages)[0])
    assert found.exact
    assert found.best.score - found.worst.score >= 40, (found.best, found.worst)


@pytest.mark.parametrize(("category", "languages"), CASES, ids=IDS)
def test_scaffold_starts_with_the_schema_line(category, languages):
    assert rendered(category, languages).split("\n", 1)[0] == SCHEMA_LINE


@pytest.mark.parametrize(("category", "languages"), CASES, ids=IDS)
def test_scaffold_has_no_anchor_or_alias(category, languages):
    text = rendered(category, languages)
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    assert not [e for e in events if isinstance(e, yaml.AliasEvent)]
    assert not [e for e in events if getattr(e, "anchor", None) is not None]


def _language_mappings(data: object) -> list[dict]:
    if isinstance(data, dict):
        found = [data] if data and set(data) <= {"en", "zh"} else []
        return found + [m for v in data.values() for m in _language_mappings(v)]
    if isinstance(data, list):
        return [m for v in data for m in _language_mappings(v)]
    return []


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("languages", [("en",), ("zh",)], ids=["en", "zh"])
def test_single_language_scaffold_has_only_plain_texts(category, languages):
    text = rendered(category, languages)
    assert _language_mappings(yaml.safe_load(text)) == []
    assert "{en:" not in text and "{zh:" not in text
    assert not re.search(r"^\s*(en|zh):", text, re.M)


@pytest.mark.parametrize("category", CATEGORIES)
def test_bilingual_scaffold_writes_every_text_in_both_languages(category):
    data = yaml.safe_load(rendered(category, ("en", "zh")))
    mappings = _language_mappings(data)
    assert mappings and all(set(m) == {"en", "zh"} for m in mappings)


@pytest.mark.parametrize("category", CATEGORIES)
def test_scaffold_opening_line_fits_the_category(category):
    scenario, _ = loaded(category, ("en", "zh"))
    opening = scenario.nodes[scenario.start].customer
    assert pick(opening, "en") == scaffold.OPENERS[category]["en"]
    assert pick(opening, "zh") == scaffold.OPENERS[category]["zh"]


CUSTOM = dict(id="vip-custom-case", name_en="Dana Fox", name_zh="福丹娜", monthly_spend=188.5, tenure_months=73,
              personality="dominant", lifecycle_stage="maturity", segment="vip")


@pytest.mark.parametrize("languages", LANGUAGE_SETS, ids=["en+zh", "en", "zh"])
def test_custom_answers_appear_in_the_persona(languages):
    answers = scaffold.Answers(category="competitor_offer", languages=languages, **CUSTOM)
    scenario, diagnostics = loader.load_text(scaffold.render(answers, "x.yaml"), "x.yaml")
    assert scenario is not None and diagnostics == []
    p = scenario.persona
    assert scenario.id == "vip-custom-case"
    assert (p.monthly_spend, p.tenure_months, p.personality, p.lifecycle_stage, p.segment) == (
        188.5, 73, "dominant", "maturity", "vip")
    for lang in languages:
        assert pick(p.name, lang) == {"en": "Dana Fox", "zh": "福丹娜"}[lang]
    assert p.churn_category == "competitive"


def test_custom_spend_prices_the_give_away_offer():
    answers = scaffold.Answers(**CUSTOM)
    scenario, _ = loader.load_text(scaffold.render(answers, "x.yaml"), "x.yaml")
    giveaway = scenario.nodes["proposal"].responses[1]
    assert giveaway.offer.cost == round(188.5 * 6)


def test_the_header_names_the_path_it_was_written_to():
    text = scaffold.render(scaffold.Answers(), "scenarios/abc.yaml")
    assert "python main.py play scenarios/abc.yaml --tui" in text
