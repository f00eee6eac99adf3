"""The window's text: wrapped by the CJK rules, never wider than asked."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame
import pytest

from simulator.core.linebreak import NO_START
from simulator.window import fonts


@pytest.fixture
def face():
    pygame.font.init()
    fonts.font.cache_clear()
    yield fonts.font(20)
    pygame.font.quit()


LINE = "连着三个月，380、460、410！我办的可是畅享128元套餐。在你们这用了四年，就这待遇？"


def test_wrapped_text_is_never_wider_than_its_width(face):
    for width in range(60, 400, 17):
        assert fonts.render_wrapped(face, LINE, (0, 0, 0), width).get_width() <= width


def test_a_closing_mark_pulls_the_character_before_it_to_the_next_line(face):
    # the width where the naive cut would put "，" first on the second line
    width = face.size(LINE[:5])[0] + 1
    assert LINE[5] in NO_START
    two_lines = fonts.render_wrapped(face, LINE[:8], (0, 0, 0), width)
    assert two_lines.get_height() == face.get_linesize() * 2
    assert two_lines.get_width() <= face.size(LINE[:4])[0] + 1  # "连着三个" only, "月，" moved down


def test_text_without_a_width_is_one_line(face):
    assert fonts.render_wrapped(face, LINE, (0, 0, 0), 0).get_height() == face.get_height()
