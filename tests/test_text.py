"""simulator.core.text: what reaches a terminal or a Markdown file, and what a typed number is."""

import re

import yaml
from helpers import SCENARIOS

from simulator.core.text import (
    NO_LINE_END,
    NO_LINE_START,
    choice_number,
    display_width,
    first_control,
    line_break_ok,
    pad,
    printable,
    wrap,
)


def test_printable_makes_escape_bell_and_carriage_return_visible():
    assert printable("a\x1b[2Jb\x07c\rd") == "a␛[2Jb␇c␍d"


def test_printable_makes_delete_and_c1_controls_inert():
    assert printable("x\x7fy\x9bz") == "x␡y\ufffdz"


def test_printable_replaces_bidi_overrides_and_isolates():
    assert printable("abc\u202edef\u2066g") == "abc\ufffddef\ufffdg"


def test_printable_keeps_tab_newline_chinese_and_direction_marks():
    text = "行一\t列\n第二行：好的！\u200e emoji 🙂"
    assert printable(text) == text


def test_first_control_names_the_first_offending_character():
    assert first_control("ok \u202e then \x1b") == "\u202e" and first_control("plain 中文") is None


def test_choice_number_reads_plain_digits_with_spaces_around():
    assert choice_number(" 12 ") == 12


def test_choice_number_reads_full_width_digits_from_a_chinese_input_method():
    assert choice_number("３") == 3


def test_choice_number_refuses_superscripts_and_other_scripts_digits():
    assert [choice_number(x) for x in ("²", "½", "٣", "1²", "", "-1", "+2", "1.0")] == [None] * 8


# -- width and line breaking -------------------------------------------------------------------------
def test_display_width_counts_chinese_and_full_width_as_two_columns():
    assert display_width("情绪 50") == 7 and display_width("ＡＢ") == 4 and display_width("e\u0301") == 1


def test_pad_fills_to_the_same_column_in_both_scripts():
    assert display_width(pad("避免失误", 24)) == display_width(pad("Mistakes avoided", 24)) == 24


def test_no_line_starts_with_closing_punctuation():
    assert not line_break_ok("好", "，") and not line_break_ok("吗", "？") and not line_break_ok("意", "）")


def test_no_line_ends_with_an_opening_bracket():
    assert not line_break_ok("（", "我") and not line_break_ok("“", "前")


def test_lines_break_between_chinese_characters_and_at_spaces_but_not_inside_words():
    assert line_break_ok("我", "们") and line_break_ok("d", " ") and not line_break_ok("r", "d")


def test_wrap_keeps_each_line_within_the_width_by_columns():
    lines = wrap("我们很理解您的心情，这个月的账单确实比之前高了不少。", 20, "  1. ", "     ")
    assert all(display_width(x) <= 20 for x in lines) and len(lines) == 4


def test_wrap_hangs_wrapped_lines_under_the_text():
    lines = wrap("one two three four five six", 14, "  1. ", "     ")
    assert lines == ["  1. one two", "     three", "     four five", "     six"]


def test_wrap_never_splits_a_kept_span():
    command = re.compile(r"python main\.py(?: [-a-z]+)*")
    lines = wrap("resume it later with: python main.py play --resume", 30, keep=command)
    assert lines[-1] == "python main.py play --resume"


def test_wrap_looks_through_spaces_for_a_mark_that_must_not_start_a_line():
    assert wrap("月均260元 · 成熟期", 12) == ["月均260元 ·", "成熟期"]


def test_wrap_cuts_a_word_wider_than_the_line_by_columns():
    assert wrap("x" * 12, 5, "", "") == ["xxxxx", "xxxxx", "xx"]


def _shipped_texts(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("en", "zh") and isinstance(value, str):
                found.append(value)
            else:
                _shipped_texts(value, found)
    elif isinstance(node, list):
        for value in node:
            _shipped_texts(value, found)
    return found


SHIPPED_TEXTS = [t for path in SCENARIOS for t in _shipped_texts(yaml.safe_load(path.read_text("utf-8")), [])]


def test_wrapping_every_shipped_text_follows_the_line_breaking_rules():
    assert len(SHIPPED_TEXTS) > 1000
    for text in SHIPPED_TEXTS:  # at 40 columns, where lines break often
        lines = wrap(" ".join(text.split()), 40, "  1. ", "     ")
        assert all(display_width(x) <= 40 for x in lines), lines
        assert not any(x[5:6] in NO_LINE_START for x in lines[1:]), lines
        assert not any(x.rstrip()[-1:] in NO_LINE_END for x in lines[:-1]), lines
        assert "".join(x[5:] for x in lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_wrap_breaks_a_kept_span_wider_than_any_line_at_a_space():
    command = re.compile(r"python main\.py(?: [-a-z]+)*")
    assert wrap("python main.py report --list", 16, keep=command) == ["python main.py", "report --list"]
