"""The published JSON Schema agrees with our validator, as checked by the independent check-jsonschema."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.core.catalog import load_catalog
from simulator.core.loader import load_text
from simulator.core.loading import fields, reference
from simulator.core.loading.kinds import Choice

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "scenario.schema.json"
SHIPPED = sorted((ROOT / "simulator" / "library").glob("*.yaml"))
DOC = ROOT / "docs" / "scenario-format.md"


def _check_jsonschema() -> str:
    beside_python = Path(sys.executable).with_name("check-jsonschema")
    found = shutil.which("check-jsonschema") or (str(beside_python) if beside_python.exists() else None)
    assert found, "check-jsonschema is not installed (pip install -e '.[test]')"
    return found


def run_check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([_check_jsonschema(), *args], capture_output=True, text=True, timeout=120)


# Structurally broken variants of the doc example:
# name → (old snippet, replacement, the JSON path check-jsonschema must flag, the code our loader must report).
BROKEN = {
    "missing-required-field": ("difficulty: beginner\n", "", "$", "SC001"),
    "unknown-field": ("shuffle: true\n", "shuffle: true\nshufle: false\n", "$", "SC002"),
    "wrong-type": ("tenure_months: 5", "tenure_months: five", "$.persona.tenure_months", "SC003"),
    "bad-enum": ("segment: mass", "segment: mas", "$.persona.segment", "SC004"),
    "bad-technique": ("techniques: [rapport, open_probe]", "techniques: [rapor, open_probe]",
                      "$.nodes.opening.responses[0].techniques[0]", "RF002"),
    "bad-mistake": ("mistakes: [premature_offer]", "mistakes: [premature]",
                    "$.nodes.opening.responses[1].mistakes[0]", "RF003"),
    "mood-out-of-range": ("  mood: 50\n", "  mood: 150\n", "$.persona.mood", "SC006"),
    "response-mood-out-of-range": ("        mood: 10\n        feedback: {en: \"Warm",
                                   "        mood: 101\n        feedback: {en: \"Warm",
                                   "$.nodes.opening.responses[0].mood", "SC006"),
    "empty-text": ('en: "A student calls to cancel his number; he says it is too expensive."', 'en: ""',
                   "$.situation", "SC007"),
    "next-as-a-number": ("        next: agreed\n", "        next: 42\n", "$.nodes.offer.responses[0].next", "SC003"),
    "bad-id-pattern": ("id: prepaid-cancel-example", "id: Prepaid Example", "$.id", "SC005"),
    "bad-node-id": ("  annoyed:\n    step", "  Annoyed:\n    step", "$.nodes", "SC005"),
    "unknown-personality": ("        next: kept\n",
                            "        next: kept\n        by_personality: {grumpy: {mood: -5}}\n",
                            "$.nodes.agreed.responses[0].by_personality", "SC004"),
    "mistakes-without-instead": ('        instead: {en: "Ask what made him think of cancelling first.", '
                                 'zh: "先问清楚他为什么想注销。"}\n', "", "$.nodes.opening.responses[1]", "SC012"),
    "format-2": ("format: 1", "format: 2", "$.format", "SC008"),
    "variable-with-string-value": ("  reason_known: false\n", '  reason_known: "no"\n',
                                   "$.variables.reason_known", "SC003"),
    "negative-offer-cost": ("offer: {cost: 0,", "offer: {cost: -5,", "$.nodes.offer.responses[0].offer.cost", "SC006"),
    "bad-emotion": ("    emotion: hesitant\n", "    emotion: grumpy\n", "$.nodes.opening.emotion", "SC004"),
    "no-responses": ("endings:\n", "  silent:\n    step: close\n    emotion: calm\n    customer: {en: x, zh: y}\n"
                                   "    responses: []\nendings:\n", "$.nodes.silent.responses", "SC007"),
    "empty-languages": ("languages: [en, zh]", "languages: []", "$.languages", "SC007"),
    "choice-zero": ("choices: [1, 1, 1, 1]", "choices: [0, 1, 1, 1]", "$.playthroughs[0].choices[0]", "SC003"),
    "bad-outcome": ("    outcome: churned\n", "    outcome: lost\n", "$.endings.cancelled.outcome", "SC004"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, doc_example) -> dict[str, Path]:
    """The doc example and its broken variants, written to files."""
    folder = tmp_path_factory.mktemp("corpus")
    files = {"doc-example": folder / "doc-example.yaml"}
    files["doc-example"].write_text(doc_example, encoding="utf-8")
    for name, (old, new, _, _) in BROKEN.items():
        assert doc_example.count(old) == 1, f"{name}: {old!r} must occur exactly once in the doc example"
        files[name] = folder / f"{name}.yaml"
        files[name].write_text(doc_example.replace(old, new), encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def schema_errors(corpus) -> dict[str, list[tuple[str, str]]]:
    """check-jsonschema run once over the shipped scenarios and the corpus: file → [(JSON path, message)]."""
    paths = [str(p) for p in (*SHIPPED, *corpus.values())]
    result = run_check_jsonschema("--schemafile", str(SCHEMA), "--output-format", "json", *paths)
    report = json.loads(result.stdout)
    assert report["parse_errors"] == [], report["parse_errors"]
    errors: dict[str, list[tuple[str, str]]] = {p: [] for p in paths}
    for e in report["errors"]:
        errors[e["filename"]].append((e["path"], e["message"]))
    assert result.returncode == (1 if any(errors.values()) else 0)
    return errors


def test_schema_passes_its_metaschema():
    result = run_check_jsonschema("--check-metaschema", str(SCHEMA))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenario_passes_the_schema(schema_errors, path):
    assert schema_errors[str(path)] == []


def test_doc_example_passes_the_schema(schema_errors, corpus):
    assert schema_errors[str(corpus["doc-example"])] == []


def test_corpus_is_large_enough():
    assert len(BROKEN) >= 15


@pytest.mark.parametrize("name", BROKEN)
def test_broken_variant_fails_the_schema_where_it_is_broken(schema_errors, corpus, name):
    expected_path = BROKEN[name][2]
    assert {path for path, _ in schema_errors[str(corpus[name])]} == {expected_path}, schema_errors[str(corpus[name])]


@pytest.mark.parametrize("name", BROKEN)
def test_broken_variant_fails_our_loader_with_the_matching_code(corpus, name):
    path = corpus[name]
    _, diagnostics = load_text(path.read_text("utf-8"), str(path))
    errors = [d.code for d in diagnostics if d.severity == "error"]
    assert BROKEN[name][3] in errors, [d.format() for d in diagnostics]


def _enum(definition: str) -> list[str]:
    return json.loads(SCHEMA.read_text("utf-8"))["definitions"][definition]["enum"]


def test_schema_techniques_are_the_catalog_techniques():
    assert _enum("technique") == list(load_catalog().techniques)


def test_schema_mistakes_are_the_catalog_mistakes():
    assert _enum("mistake") == list(load_catalog().mistakes)


# -- one description of the format: the field tables generate the schema and the doc's tables ----
def test_schema_file_is_generated_from_the_field_tables():
    assert SCHEMA.read_text("utf-8") == reference.schema_text(), "run `make schema`"


def test_doc_tables_are_generated_from_the_field_tables():
    assert DOC.read_text("utf-8") == reference.with_tables(DOC.read_text("utf-8")), "run `make schema`"


@pytest.mark.parametrize("name", fields.TABLES)
def test_every_part_has_its_generated_table_in_the_doc(name):
    assert f"<!-- fields: {name} " in DOC.read_text("utf-8")


def test_the_doc_lists_every_retention_move_of_the_catalog():
    doc = DOC.read_text("utf-8")
    moves = [t for t in load_catalog().techniques.values() if t.retention_move]
    assert moves and all(f"| `{t.id}` | `{t.step}` |" in doc for t in moves)


def test_generating_the_tables_replaces_only_what_lies_between_the_markers():
    stale = "Prose before.\n" + reference.marker("offer") + "| old | table |\n" + reference.END + "\nProse after.\n"
    assert reference.with_tables(stale) == (
        "Prose before.\n" + reference.marker("offer") + reference.table("offer") + reference.END + "\nProse after.\n")


def test_a_generated_table_lists_every_field_of_its_part():
    rows = reference.table("persona").splitlines()[2:]
    assert [row.split("`")[1] for row in rows] == list(fields.PERSONA.names)


def test_the_doc_table_says_when_an_optional_field_is_required():
    assert "| `instead` | if it has mistakes | text |" in reference.table("response")


def _with_enum(schema: object):
    if isinstance(schema, dict):
        if "enum" in schema:
            yield schema
        for value in schema.values():
            yield from _with_enum(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _with_enum(value)


@pytest.mark.parametrize("schema", [s for s in _with_enum(reference.json_schema()) if "enumDescriptions" in s],
                         ids=lambda s: s["enum"][0])
def test_every_allowed_value_has_exactly_one_description(schema):
    assert len(schema["enumDescriptions"]) == len(schema["enum"])


def test_the_schema_ranges_are_the_loaders_ranges(doc_example):
    spend = fields.PERSONA["monthly_spend"].kind
    assert json.loads(SCHEMA.read_text("utf-8"))["definitions"]["persona"]["properties"]["monthly_spend"] == {
        "description": fields.PERSONA["monthly_spend"].doc, "type": "number",
        "minimum": spend.low, "maximum": spend.high}
    _, diagnostics = load_text(doc_example.replace("monthly_spend: 58", f"monthly_spend: {spend.high + 1}"))
    assert [d.code for d in diagnostics] == ["SC006"]


def test_a_choice_of_one_value_is_written_as_that_value_alone():
    assert Choice(("en",)).words() == "`en`"


def test_a_choice_of_several_values_ends_with_or():
    assert Choice(("a", "b", "c")).words() == "`a`, `b` or `c`"


def test_a_pipe_in_a_table_cell_is_escaped_so_the_row_keeps_its_columns():
    assert reference._cell("yes | no") == "yes \\| no"
