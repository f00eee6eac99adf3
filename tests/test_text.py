"""simulator.core.text: what reaches a terminal or a Markdown file, and what a typed number is."""

from simulator.core.text import choice_number, first_control, printable


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
