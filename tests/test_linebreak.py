"""CJK line breaking: the rules, and wrapping the shipped content by them."""

import pytest
import yaml
from helpers import SCENARIOS

from simulator.core.linebreak import NO_END, NO_START, is_wide, line_break_ok, wrap


def columns(text: str) -> int:
    """Display width: wide characters count two (as in a terminal)."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


SHIPPED = sorted({s for path in SCENARIOS for s in strings(yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader))
                  if any(is_wide(ch) for ch in s) and len(s) > 12})


def test_closing_punctuation_may_not_start_a_line():
    for mark in "，。、？！：；）」』”…":
        assert not line_break_ok("好", mark), mark


def test_an_opening_bracket_may_not_end_a_line():
    for mark in "（「『“《【":
        assert not line_break_ok(mark, "好"), mark


def test_chinese_may_break_between_any_two_characters():
    assert line_break_ok("你", "好") and line_break_ok("。", "我") and line_break_ok("费", "A")


def test_latin_words_break_only_at_spaces():
    assert not line_break_ok("a", "b") and line_break_ok("a", " ") and line_break_ok(" ", "b")


def test_a_doubled_dash_or_ellipsis_stays_together():
    assert wrap("好好好——好", 7, columns) == ["好好好", "——好"]
    assert not line_break_ok("…", "…")


def test_wrap_moves_the_character_before_a_closing_mark_down_with_it():
    assert wrap("你好你好。再见", 8, columns) == ["你好你", "好。再见"]


def test_wrap_keeps_an_opening_bracket_with_what_follows():
    assert wrap("你好你（好）", 8, columns) == ["你好你", "（好）"]


def test_wrap_drops_the_space_at_a_break():
    assert wrap("Hello there world", 11, len) == ["Hello there", "world"]


def test_wrap_keeps_newlines():
    assert wrap("a\n\nb", 10, len) == ["a", "", "b"]


def test_a_word_longer_than_the_line_is_cut_rather_than_overflowing():
    assert wrap("abcdefghij k", 4, len) == ["abcd", "efgh", "ij k"]


@pytest.mark.parametrize("width", [16, 23, 30, 41, 57])
def test_shipped_chinese_wraps_by_the_rules(width):
    assert SHIPPED
    for text in SHIPPED:
        lines = wrap(text, width, columns)
        assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", ""), text
        for line in lines:
            assert columns(line) <= width, (text, line)
        for line in lines[1:]:
            assert not line or line[0] not in NO_START, (text, lines)
        for line in lines[:-1]:
            assert not line or line[-1] not in NO_END, (text, lines)


def test_a_mark_after_a_space_does_not_start_a_line():
    text = "Plan: 30 GB, 1,500 min · CNY 260/month"
    for width in range(8, len(text) + 1):
        assert not any(line.startswith("·") for line in wrap(text, width, len)), width
    assert wrap(text, 20, len) == ["Plan: 30 GB, 1,500", "min · CNY 260/month"]
