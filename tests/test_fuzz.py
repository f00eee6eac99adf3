"""Mutated scenario files never crash the loader: they load cleanly or say where the problem is."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from simulator.core.diagnostics import CODES
from simulator.core.loader import load_text

ROOT = Path(__file__).resolve().parent.parent


def _sources() -> dict[str, str]:
    doc = (ROOT / "docs" / "scenario-format.md").read_text("utf-8")
    sources = {"doc-example": re.findall(r"```yaml\n(.*?)```", doc, re.S)[-1]}
    sources.update((p.name, p.read_text("utf-8")) for p in sorted((ROOT / "simulator" / "library").glob("*.yaml")))
    return sources


SOURCES = _sources()
NAMES = sorted(SOURCES)

SPECIAL = ":{}[]-&*!#'\"\t"
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
FIELDS = ("format", "id", "mood", "next", "if", "set", "add", "instead", "by_personality", "techniques",
          "mistakes", "offer", "variant", "ending", "start", "languages", "goto", "step", "emotion")
VALUES = ("1", "-5", "0", "250", "1.5", "true", "no", "null", "~", '""', "text", "'quoted'", "2024-01-02",
          "[a, b]", "[1, 2]", "[]", "{a: 1}", "{}", "{en: x}", "opening", "dominant", "rapport", "0x1F")
KEY_VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z_][\w-]*:)[ \t]+(\S.*)$")
FLOW_ITEM = re.compile(r"(?<=[\[,] )[\w-]+(?=[,\]])|(?<=\[)[\w-]+(?=[,\]])")


def _line_index(data, lines: list[str]) -> int:
    return data.draw(st.integers(0, len(lines) - 1))


def delete_line(data, lines):
    if len(lines) > 1:
        del lines[_line_index(data, lines)]


def duplicate_line(data, lines):
    i = _line_index(data, lines)
    lines.insert(i, lines[i])


def swap_lines(data, lines):
    i, j = _line_index(data, lines), _line_index(data, lines)
    lines[i], lines[j] = lines[j], lines[i]


def reindent_line(data, lines):
    i = _line_index(data, lines)
    stripped = lines[i].lstrip(" ")
    indent = len(lines[i]) - len(stripped)
    new = data.draw(st.sampled_from([max(0, indent - 2), max(0, indent - 1), indent + 1, indent + 2, indent + 4]))
    prefix = data.draw(st.sampled_from(["", "\t"]))
    lines[i] = prefix + " " * new + stripped


def replace_character(data, lines):
    i = _line_index(data, lines)
    if not lines[i]:
        return
    j = data.draw(st.integers(0, len(lines[i]) - 1))
    char = data.draw(st.sampled_from(SPECIAL) | CJK)
    lines[i] = lines[i][:j] + char + lines[i][j + 1:]


def insert_key(data, lines):
    i = _line_index(data, lines)
    indent = len(lines[i]) - len(lines[i].lstrip(" -"))
    key = data.draw(st.sampled_from(FIELDS) | st.from_regex(r"[a-z_]{1,10}", fullmatch=True))
    lines.insert(i, f"{' ' * indent}{key}: {data.draw(st.sampled_from(VALUES))}")


def retype_value(data, lines):
    """Replace the value of a ``key: value`` line, or one item of a flow list, by a value of another type."""
    candidates = [i for i, line in enumerate(lines) if KEY_VALUE.match(line)]
    if not candidates:
        return
    i = data.draw(st.sampled_from(candidates))
    value = data.draw(st.sampled_from(VALUES))
    items = list(FLOW_ITEM.finditer(lines[i]))
    if items and data.draw(st.booleans()):
        m = data.draw(st.sampled_from(items))
        lines[i] = lines[i][: m.start()] + value + lines[i][m.end():]
    else:
        lines[i] = f"{KEY_VALUE.match(lines[i]).group(1)} {value}"


LINE_MUTATIONS = (delete_line, duplicate_line, swap_lines, reindent_line, replace_character, insert_key,
                  retype_value)


def mutate(data, text: str) -> str:
    mutation = data.draw(st.sampled_from((*LINE_MUTATIONS, "truncate")))
    if mutation == "truncate":
        return text[: data.draw(st.integers(0, len(text)))]
    lines = text.split("\n")
    mutation(data, lines)
    return "\n".join(lines)


def test_every_source_is_valid_before_mutation():
    # Otherwise the property below would only ever see broken files.
    problems = {name: [d.format() for d in load_text(text, name)[1] if d.severity == "error"]
                for name, text in SOURCES.items()}
    assert problems == {name: [] for name in SOURCES}


@given(data=st.data())
def test_mutated_scenario_loads_cleanly_or_reports_a_positioned_error(data):
    name = data.draw(st.sampled_from(NAMES), label="source")
    text = SOURCES[name]
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        text = mutate(data, text)
    scenario, diagnostics = load_text(text, "fuzz.yaml")  # any exception fails the test
    last_line = len(text.splitlines()) + 1
    assert all(d.code in CODES for d in diagnostics), [d.format() for d in diagnostics]
    assert all(0 <= d.line <= last_line for d in diagnostics), [d.format() for d in diagnostics]
    errors = [d for d in diagnostics if d.severity == "error"]
    assert errors or scenario is not None  # (a scenario with errors is still returned when it is not broken)
    assert all(d.line >= 1 and d.col >= 1 for d in errors), [d.format() for d in errors]  # and where
