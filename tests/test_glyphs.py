"""simulator.glyphs: validate warns, at line:col, about characters the bundled font cannot draw."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from helpers import doc_example_text

from simulator import glyphs

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "tools" / "tongyong-guifan-8105.txt"


def _table() -> list[str]:
    return [line.split("\t")[1] for line in TABLE.read_text("utf-8").splitlines() if not line.startswith("#")]


def test_the_committed_table_lists_8105_distinct_characters():
    chars = _table()
    assert len(chars) == len(set(chars)) == 8105


def test_every_character_of_the_general_standard_table_is_covered():
    assert [c for c in _table() if ord(c) not in glyphs.coverage()] == []


def test_the_coverage_data_matches_the_bundled_fonts():
    for face in sorted((ROOT / "simulator" / "fonts").glob("*-subset.otf")):
        font = TTFont(str(face), lazy=True)
        assert glyphs.coverage() <= set(font.getBestCmap()), face.name
        font.close()


def test_a_rare_character_is_reported_at_its_line_and_column():
    text = 'format: 1\nname: {en: "Ji", zh: "𠮷野家的龘"}\n'
    found = glyphs.undrawable(text, "s.yaml")
    assert [(d.code, d.severity, d.line, d.col) for d in found] == [
        ("GL001", "warning", 2, 23), ("GL001", "warning", 2, 27)]
    assert "U+20BB7" in found[0].message


def test_common_chinese_and_punctuation_raise_nothing():
    assert glyphs.undrawable('zh: "王梓怡：您好！这个月的账单——我们再看看…"\n', "s.yaml") == []


def test_whole_line_comments_are_not_checked():
    assert glyphs.undrawable("# 龘 in a comment\nid: x\n", "s.yaml") == []


def test_validate_warns_about_a_rare_character_without_failing(tmp_path):
    rare = tmp_path / "rare.yaml"
    rare.write_text(doc_example_text().replace('zh: "', 'zh: "龘', 1), "utf-8")
    line = next(n for n, row in enumerate(rare.read_text("utf-8").splitlines(), start=1) if "龘" in row)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "validate", str(rare)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{rare}:{line}:" in done.stdout and "GL001" in done.stdout
