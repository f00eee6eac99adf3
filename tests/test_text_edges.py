"""Edges of simulator.core.text that make mutation found unpinned: typed numbers, padding, wrapping."""

from __future__ import annotations

from simulator.core.text import choice_number, pad, wrap


def test_a_nine_digit_number_is_still_a_number():
    assert choice_number("123456789") == 123456789


def test_a_ten_digit_number_is_refused():
    assert choice_number("1234567890") is None


def test_a_number_may_contain_zero():
    assert choice_number("10") == 10


def test_a_capital_letter_is_not_a_number():
    assert choice_number("A") is None


def test_pad_adds_nothing_to_text_already_as_wide_as_the_column():
    assert pad("abc", 3) == "abc"


def test_an_opening_bracket_before_a_space_never_ends_a_line():
    # The rule looks through spaces: "( " at a break would leave the bracket alone at the end of a line.
    text = "we could ( if you like ) move you to the smaller plan today"
    for width in range(6, 30):
        lines = wrap(text, width)
        assert not any(line.rstrip().endswith("(") for line in lines), (width, lines)
