"""simulator.core.yamlsafe: the only place scenario bytes become Python data."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from simulator.core import yamlsafe
from simulator.core.yamlsafe import MAX_BYTES, MAX_DEPTH, parse, read_text


def codes(parsed) -> list[str]:
    return [d.code for d in parsed.diagnostics]


def run_isolated(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter, so that a segfault fails the test instead of the run."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parent.parent)


# -- duplicate keys ------------------------------------------------------------------------
def test_duplicate_key_points_at_the_second_key():
    parsed = parse("a: 1\nb: 2\na: 3\n", "f.yaml")
    [d] = parsed.diagnostics
    assert (d.code, d.line, d.col) == ("RS008", 3, 1)


def test_duplicate_key_message_names_the_line_of_the_first():
    parsed = parse("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert "first at line 1" in parsed.diagnostics[0].message


def test_nested_duplicate_key_points_at_its_column():
    parsed = parse("top:\n  x: 1\n  y: 2\n  x: 3\n", "f.yaml")
    [d] = parsed.diagnostics
    assert (d.code, d.line, d.col) == ("RS008", 4, 3)
    assert "first at line 2" in d.message


# -- tags ---------------------------------------------------------------------------------
def test_python_tag_is_an_error_at_the_tagged_value():
    parsed = parse('x: !!python/object/apply:os.system ["echo hi"]\n', "f.yaml")
    [d] = parsed.diagnostics
    assert (d.code, d.line, d.col) == ("RS007", 1, 4)


def test_local_tag_is_an_error():
    assert codes(parse("a: !custom x\n", "f.yaml")) == ["RS007"]


def test_tag_on_a_mapping_is_an_error():
    assert codes(parse("a: !!python/object:os.Foo {b: 1}\n", "f.yaml")) == ["RS007"]


def _file_creating_payload(marker: Path) -> str:
    # builtins.open(marker, "w") creates the file when a YAML loader executes the tag.
    return f'x: !!python/object/apply:builtins.open ["{marker.as_posix()}", "w"]\n'


def test_file_creating_payload_is_live_under_an_unsafe_loader(tmp_path):
    # Control for the test below: the payload really does create the file when executed.
    marker = tmp_path / "created-by-unsafe-load"
    result = run_isolated(f"""
        import yaml
        yaml.unsafe_load({_file_creating_payload(marker)!r})
    """)
    assert result.returncode == 0, result.stderr
    assert marker.exists()


def test_python_tag_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    parsed = parse(_file_creating_payload(marker), "f.yaml")
    assert codes(parsed) == ["RS007"]
    assert not marker.exists()


# -- anchors and aliases ------------------------------------------------------------------
def test_anchor_and_alias_are_each_refused_where_they_stand():
    parsed = parse("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert [(d.code, d.line, d.col) for d in parsed.diagnostics] == [("RS006", 1, 4), ("RS006", 2, 4)]


def test_alias_is_not_expanded():
    parsed = parse("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert parsed.data["b"] is None


def test_alias_as_a_key_is_refused():
    assert "RS006" in codes(parse("a: &k key\n*k : 2\n", "f.yaml"))


def test_anchor_without_alias_is_refused():
    # docs/scenario-format.md: "Anchors and aliases (`&name`, `*name`) are refused", and RS006
    # itself says "anchors and aliases (&name / *name) are not allowed".
    assert codes(parse("a: &x 1\nb: 2\n", "f.yaml")) == ["RS006"]


BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([prev] * 9)}]\n"
    for name, prev in zip("abcdefghi", ['"lol"', *(f"*{c}" for c in "abcdefgh")], strict=True)
)


def test_billion_laughs_is_rejected_quickly():
    start = time.perf_counter()
    parsed = parse(BILLION_LAUGHS, "bomb.yaml")
    elapsed = time.perf_counter() - start
    assert parsed.diagnostics and set(codes(parsed)) == {"RS006"}
    assert elapsed < 1.0


# -- nesting ------------------------------------------------------------------------------
def test_nesting_at_the_limit_is_accepted():
    assert codes(parse("[" * MAX_DEPTH + "]" * MAX_DEPTH, "f.yaml")) == []


def test_nesting_one_past_the_limit_is_rs005_at_the_level_that_exceeds_it():
    parsed = parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "f.yaml")
    [d] = parsed.diagnostics
    assert (d.code, d.line, d.col) == ("RS005", 1, MAX_DEPTH + 1)


def test_deep_block_mappings_are_rs005():
    text = "".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "x\n"
    assert codes(parse(text, "f.yaml")) == ["RS005"]


DEEP_CASE = """
    import sys
    from simulator.core.loader import load_text
    from simulator.core.yamlsafe import parse
    text = {text}
    print("parse", *[d.code for d in parse(text, "deep.yaml").diagnostics])
    print("load", *[d.code for d in load_text(text, "deep.yaml")[1]])
"""


@pytest.mark.parametrize("text", [
    '"[" * 100_000',
    '"[" * 100_000 + "]" * 100_000',
    '"- " * 100_000 + "x\\n"',
    '"a: " + "{b: " * 100_000 + "1" + "}" * 100_000',
], ids=["open-brackets", "balanced-brackets", "block-dashes", "flow-mappings"])
def test_very_deep_nesting_is_rs005_without_crashing(text):
    result = run_isolated(DEEP_CASE.format(text=text))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["parse RS005", "load RS005"]


def test_closing_brackets_in_a_string_do_not_hide_deep_nesting():
    # 100 levels of nesting, preceded by 100 ']' inside a quoted string.
    text = 'a: "' + "]" * 100 + '"\nb: ' + "[" * 100 + "]" * 100 + "\n"
    assert codes(parse(text, "f.yaml")) == ["RS005"]


def test_very_deep_nesting_after_closing_brackets_in_a_string_does_not_crash():
    text = """'a: "' + "]" * 100_000 + '"\\nb: ' + "[" * 100_000 + "]" * 100_000"""
    result = run_isolated(DEEP_CASE.format(text=text))
    assert result.returncode == 0, f"returncode {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.splitlines() == ["parse RS005", "load RS005"]


# -- reading the file ---------------------------------------------------------------------
def test_oversized_file_is_rs003_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: instant to create

    def refuse(*args, **kwargs):
        raise AssertionError("read_text opened an oversized file")

    monkeypatch.setattr(yamlsafe, "open", refuse, raising=False)
    text, diagnostics = read_text(str(path))
    assert text is None
    assert [(d.code, d.line) for d in diagnostics] == [("RS003", 0)]


def test_file_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "limit.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * (MAX_BYTES - 5))
    text, diagnostics = read_text(str(path))
    assert diagnostics == [] and text is not None and len(text) == MAX_BYTES


def test_a_file_that_grew_after_its_size_was_checked_is_read_no_further_than_one_byte_past_the_limit(
        tmp_path, monkeypatch):
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"a: 1\n")  # small when measured, then (below) far larger when read
    monkeypatch.setattr(yamlsafe, "open", lambda *args, **kwargs: io.BytesIO(b"#" * (3 * MAX_BYTES)),
                        raising=False)
    text, _ = read_text(str(path))
    assert len(text) == MAX_BYTES + 1  # enough for parse() to refuse it as RS003, and no more in memory


def test_oversized_text_is_rs003():
    parsed = parse("a: 1\n" + "#" * MAX_BYTES, "f.yaml")
    assert codes(parsed) == ["RS003"] and parsed.data is None


def test_non_utf8_bytes_are_rs002_with_their_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("format: 1\nid: x\ntitle: café\n".encode("latin-1"))
    text, diagnostics = read_text(str(path))
    assert text is None
    assert [(d.code, d.line) for d in diagnostics] == [("RS002", 3)]


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode())
    assert read_text(str(path)) == ("a: 1\n", [])


def test_missing_file_is_rs001(tmp_path):
    text, diagnostics = read_text(str(tmp_path / "nope.yaml"))
    assert text is None and [d.code for d in diagnostics] == ["RS001"]


# -- syntax and shape ---------------------------------------------------------------------
def test_syntax_error_is_rs004_with_line_and_column():
    parsed = parse("a: 1\nb: 2\n  c: 3\n", "f.yaml")
    [d] = parsed.diagnostics
    assert (d.code, d.line, d.col) == ("RS004", 3, 4)
    assert parsed.data is None


def test_unclosed_flow_list_is_rs004():
    assert codes(parse("a: [1, 2\nb: 3\n", "f.yaml")) == ["RS004"]


def test_second_document_is_rs010_at_the_separator():
    parsed = parse("a: 1\n---\nb: 2\n", "f.yaml")
    [d] = parsed.diagnostics
    assert (d.code, d.line) == ("RS010", 2)


def test_empty_file_is_rs009():
    assert codes(parse("# only a comment\n", "f.yaml")) == ["RS009"]


def test_list_as_a_key_is_rs011_at_the_key():
    parsed = parse("a: 1\n? [x, y]\n: 2\n", "f.yaml")
    [d] = parsed.diagnostics
    assert (d.code, d.line, d.col) == ("RS011", 2, 3)
    assert "a list" in d.message


def test_mapping_as_a_key_is_rs011():
    parsed = parse("{k: v}: 2\n", "f.yaml")
    assert codes(parsed) == ["RS011"] and "a mapping" in parsed.diagnostics[0].message


def test_plain_scalar_keys_stay_the_text_written():
    parsed = parse("1: a\nyes: b\n~: c\n", "f.yaml")
    assert parsed.diagnostics == []
    assert list(parsed.data) == ["1", "yes", "~"]


# -- scalars ------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "value"), [
    ("yes", True), ("no", False), ("on", True), ("off", False), ("True", True),
    ("0x1F", 31), ("017", 15), ("1_000", 1000), ("-7", -7), ("1.5", 1.5), ("~", None), ("null", None),
    ("2024-01-02", "2024-01-02"), ("2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"),
    ('"yes"', "yes"), ("!!str 5", "5"),
])
def test_scalars_resolve_like_yaml_1_1(written, value):
    parsed = parse(f"v: {written}\n", "f.yaml")
    assert parsed.diagnostics == []
    assert parsed.data["v"] == value and type(parsed.data["v"]) is type(value)


# -- positions ----------------------------------------------------------------------------
POSITIONS = """\
top:
  name: Chen
  list:
    - first
    - {k: v}
"""


@pytest.fixture
def positioned():
    parsed = parse(POSITIONS, "f.yaml")
    assert parsed.diagnostics == []
    return parsed.data, parsed.marks


def test_marks_give_one_based_key_positions(positioned):
    data, marks = positioned
    assert marks.of_key(data, "top") == (1, 1)
    assert marks.of_key(data["top"], "name") == (2, 3)
    assert marks.of_key(data["top"]["list"][1], "k") == (5, 8)


def test_marks_give_one_based_value_positions(positioned):
    data, marks = positioned
    assert marks.of_value(data["top"], "name") == (2, 9)
    assert marks.of_value(data["top"]["list"][1], "k") == (5, 11)


def test_marks_give_one_based_list_item_positions(positioned):
    data, marks = positioned
    items = data["top"]["list"]
    assert marks.of_value(items, 0) == (4, 7)
    assert marks.of_value(items, 1) == (5, 7)


def test_marks_give_container_positions(positioned):
    data, marks = positioned
    assert marks.of(data["top"]) == (2, 3)
    assert marks.of(data["top"]["list"]) == (4, 5)
    assert marks.of(data["top"]["list"][1]) == (5, 7)


def test_absent_key_falls_back_to_its_mapping(positioned):
    data, marks = positioned
    assert marks.of_key(data["top"], "missing") == (2, 3)


def test_columns_count_characters_not_bytes():
    parsed = parse("a: {zh: 你好你好, en: x}\n", "f.yaml")
    assert parsed.marks.of_key(parsed.data["a"], "en") == (1, 15)


def test_libyaml_own_nesting_limit_is_rs005_with_its_position():
    # Newer libyaml stops flow nesting at 1,000 levels while scanning ahead of our own check.
    diagnostics = parse("a: 1\nb: " + "[" * 5000, "f.yaml").diagnostics
    assert [d.code for d in diagnostics] == ["RS005"]
    assert diagnostics[0].line == 2 and diagnostics[0].col > 1


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_control_character_is_reported_at_its_line_and_column(char):
    [d] = parse(f"format: 1\nid: x\ntitle: \"ab{char}c\"\n", "f.yaml").diagnostics
    assert (d.code, d.line, d.col) == ("RS004", 3, 11)
    assert f"U+{ord(char):04X}" in d.message


def test_a_control_character_on_the_first_line_is_at_column_one():
    [d] = parse("\x00format: 1\n", "f.yaml").diagnostics
    assert (d.line, d.col) == (1, 1)
