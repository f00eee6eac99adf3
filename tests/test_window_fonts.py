"""The window's text: wrapped by the CJK rules, never wider than asked."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame
import pytest

from simulator.core.linebreak import NO_START, wrap
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


def test_every_interface_string_has_its_glyphs(face):
    from simulator.i18n import UI

    def pixels(ch):
        surface = face.render(ch, True, (0, 0, 0), (255, 255, 255))
        return pygame.image.tobytes(surface, "RGB"), surface.get_size()

    missing = pixels("\ue0ff")  # a private-use codepoint no font draws: the box
    chars = sorted({ch for entry in UI.values() for text in entry.values() for ch in text if not ch.isspace()})
    assert not [ch for ch in chars if pixels(ch) == missing]


def test_english_quotation_marks_are_drawn_latin_width(face):
    english = fonts.render_wrapped(face, "\u201cHi,\u201d he said.", (0, 0, 0), 0).get_width()
    full = sum(face.size(part)[0] for part in ("\u201c", "Hi,", "\u201d", " he said."))
    assert english <= full - face.size("\u201c")[0]  # each mark at most half as wide as the full-width one


def test_the_latin_quotation_marks_are_in_the_bundled_faces(face):
    bold = fonts.font(20, bold=True)
    for mark in "\ue000\ue001\ue002\ue003":
        for f in (face, bold):
            [(_, _, _, _, advance)] = f.metrics(mark)
            assert 0 < advance < face.size("\u201c")[0]


def test_chinese_text_keeps_full_width_quotation_marks():
    line = "\u5468\u78ca\uff1a\u201c\u968f\u4fbf\u5427\u201d"
    assert fonts.quotes_for(line) == line
    assert fonts.quotes_for("Zhou Lei: \u201cWhatever.\u201d") == "Zhou Lei: \ue000Whatever.\ue001"


def test_another_font_keeps_its_own_quotation_marks(monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_FONT", "/elsewhere/font.ttf")
    assert fonts.quotes_for("\u201cHi\u201d") == "\u201cHi\u201d"


def test_no_character_shown_uncovers_nothing(face):
    assert fonts.revealed_rows("Hello there", 20, 400, 0) == []


def test_a_line_shown_in_full_uncovers_each_wrapped_row_at_its_width(face):
    text = "The bill went up three months in a row and nobody told me why"
    rows = fonts.revealed_rows(text, 20, 200, len(text))
    lines = wrap(text, 200, lambda s: face.size(s)[0])
    assert [(x, y, w) for x, y, w, _ in rows] == [(0, n * face.get_linesize(), face.size(line)[0])
                                                  for n, line in enumerate(lines)]


def test_a_word_being_typed_is_uncovered_on_the_row_it_ends_on(face):
    text = "The bill went up three months in a row and nobody told me why"
    lines = wrap(text, 200, lambda s: face.size(s)[0])
    second = text.index(lines[1])
    rows = fonts.revealed_rows(text, 20, 200, second + 2)  # two letters of the second row's first word
    assert len(rows) == 2 and rows[1][2] == face.size(lines[1][:2])[0]


def test_chinese_is_uncovered_character_by_character(face):
    rows = fonts.revealed_rows(LINE, 20, 300, 3)
    assert rows == [(0, 0, face.size(LINE[:3])[0], face.get_linesize())]
