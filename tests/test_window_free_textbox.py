"""The answer text box: committed text and the input method's composition, the editing keys, the limit,
paste, wrapping, and what it draws (the composition underlined, the candidate window at the caret)."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame
import pytest

from simulator.window.run import _start_pygame
from simulator.window.textbox import TextBox, clean, row_of, rows
from simulator.window.toolkit import Painter


@pytest.fixture
def paint():
    _start_pygame()
    surface = pygame.display.set_mode((800, 600))
    yield Painter(surface)
    pygame.quit()


def text_event(text):
    return pygame.event.Event(pygame.TEXTINPUT, text=text)


def editing(text, start=None):
    return pygame.event.Event(pygame.TEXTEDITING, text=text, start=len(text) if start is None else start, length=0)


def keydown(key, mod=0):
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="")


def typed(text, **kw):
    box = TextBox(**kw)
    box.handle(text_event(text))
    return box


def test_committed_text_goes_in_at_the_caret():
    box = typed("helo")
    box.handle(keydown(pygame.K_LEFT))
    box.handle(text_event("l"))
    assert box.text == "hello" and box.caret == 4


def test_backspace_removes_the_character_before_the_caret():
    box = typed("您好吗")
    box.handle(keydown(pygame.K_LEFT))
    box.handle(keydown(pygame.K_BACKSPACE))
    assert box.text == "您吗" and box.caret == 1


def test_delete_removes_the_character_after_the_caret():
    box = typed("abc")
    box.handle(keydown(pygame.K_HOME))
    box.handle(keydown(pygame.K_DELETE))
    assert box.text == "bc" and box.caret == 0


def test_backspace_at_the_start_changes_nothing():
    box = typed("abc")
    box.handle(keydown(pygame.K_HOME))
    box.handle(keydown(pygame.K_BACKSPACE))
    assert box.text == "abc" and box.caret == 0


def test_the_arrows_stop_at_the_ends():
    box = typed("ab")
    for _ in range(3):
        box.handle(keydown(pygame.K_RIGHT))
    assert box.caret == 2
    for _ in range(3):
        box.handle(keydown(pygame.K_LEFT))
    assert box.caret == 0


def test_end_goes_to_the_end_of_the_text():
    box = typed("abc")
    box.handle(keydown(pygame.K_HOME))
    box.handle(keydown(pygame.K_END))
    assert box.caret == 3


def test_home_and_end_keep_to_the_shown_line(paint):
    box = typed("first line\nsecond line")
    box.draw(paint, pygame.Rect(10, 10, 400, 120), "")
    box.handle(keydown(pygame.K_HOME))
    assert box.caret == len("first line\n")
    box.handle(keydown(pygame.K_LEFT))
    box.handle(keydown(pygame.K_HOME))
    assert box.caret == 0


def test_ctrl_home_goes_to_the_start_of_the_whole_text(paint):
    box = typed("first line\nsecond line")
    box.draw(paint, pygame.Rect(10, 10, 400, 120), "")
    box.handle(keydown(pygame.K_HOME, pygame.KMOD_CTRL))
    assert box.caret == 0


def test_enter_asks_to_send_and_shift_enter_starts_a_new_line():
    box = typed("one")
    assert box.handle(keydown(pygame.K_RETURN)) == "send"
    assert box.handle(keydown(pygame.K_RETURN, pygame.KMOD_SHIFT)) == "edit"
    assert box.text == "one\n"


def test_a_composition_is_shown_but_not_yet_typed():
    box = typed("您")
    box.handle(editing("hao", 2))
    assert box.text == "您" and box.shown() == ("您hao", 3, (1, 4))


def test_committing_a_composition_types_it_and_ends_it():
    box = TextBox()
    box.handle(editing("nihao"))
    box.handle(text_event("你好"))
    assert box.text == "你好" and box.composing == "" and box.caret == 2


def test_editing_keys_belong_to_the_input_method_while_it_composes():
    box = typed("您")
    box.handle(editing("ha"))
    box.handle(keydown(pygame.K_BACKSPACE))
    assert box.text == "您" and box.handle(keydown(pygame.K_RETURN)) == "edit"


def test_the_limit_cuts_what_does_not_fit():
    box = typed("abcdef", limit=4)
    box.handle(text_event("g"))
    assert box.text == "abcd"


def test_control_characters_never_reach_the_box():
    assert clean("a\x1b[31mb\r\nc\td\x07") == "a[31mb\nc d"


def test_ctrl_v_pastes_the_clipboard(paint):
    pygame.scrap.put_text("What happened\r\nwith the bill?")
    box = typed("Sir, ")
    box.handle(keydown(pygame.K_v, pygame.KMOD_CTRL))
    assert box.text == "Sir, What happened\nwith the bill?"


def test_paste_without_a_clipboard_types_nothing(monkeypatch):
    def broken():
        raise pygame.error("no clipboard")
    monkeypatch.setattr(pygame.scrap, "get_text", broken)
    box = typed("ok")
    assert box.handle(keydown(pygame.K_v, pygame.KMOD_CTRL)) == "edit" and box.text == "ok"


def test_v_without_ctrl_is_not_an_editing_key():
    assert typed("ok").handle(keydown(pygame.K_v)) is None


def test_wrapped_rows_point_back_into_the_text():
    text = "alpha beta gamma\n\n您好，周先生"
    places = rows(text, 6, len)
    assert [text[a:b] for a, b in places] == ["alpha", "beta", "gamma", "", "您好，周先生"]


def test_a_caret_at_a_wrap_sits_at_the_start_of_the_next_row():
    places = rows("alpha beta", 6, len)
    assert row_of(places, 6) == 1 and row_of(places, 5) == 0


def test_the_composition_is_drawn_underlined(paint):
    box = typed("你")
    box.handle(editing("hao"))
    rect = pygame.Rect(10, 10, 400, 120)
    paint.surface.fill((0, 0, 0))
    box.draw(paint, rect, "")
    accent = pygame.Color(*paint.colors["accent"])
    rows_with_accent = [y for y in range(rect.y + 8, rect.bottom - 8)
                        if sum(paint.surface.get_at((x, y)) == accent for x in range(rect.x + 12, rect.x + 200)) > 15]
    assert rows_with_accent, "no underline under the composition"


def test_the_candidate_window_is_placed_at_the_caret(paint, monkeypatch):
    placed = []
    monkeypatch.setattr(pygame.key, "set_text_input_rect", placed.append)
    box = typed("你好")
    box.draw(paint, pygame.Rect(10, 10, 400, 120), "")
    box.handle(text_event("周"))
    box.draw(paint, pygame.Rect(10, 10, 400, 120), "")
    assert len(placed) == 2 and placed[1].x > placed[0].x


def test_a_tall_text_scrolls_to_keep_the_caret_in_view(paint):
    box = typed("\n".join(f"line {n}" for n in range(10)))
    box.draw(paint, pygame.Rect(10, 10, 400, 100), "")
    assert box.top > 0
    box.handle(keydown(pygame.K_HOME, pygame.KMOD_CTRL))
    box.draw(paint, pygame.Rect(10, 10, 400, 100), "")
    assert box.top == 0


def test_the_box_shows_two_lines_at_least_and_grows_up_to_a_most(paint):
    one, two, eight = typed("one"), typed("one\ntwo"), typed("\n".join("abcdefgh"))
    assert one.height(paint, 400, 4) == two.height(paint, 400, 4) < eight.height(paint, 400, 4)
    assert eight.height(paint, 400, 4) < eight.height(paint, 400, 6)


def test_the_box_turns_text_input_on_when_it_first_shows(paint, monkeypatch):
    started = []
    monkeypatch.setattr(pygame.key, "start_text_input", lambda: started.append(True))
    box = TextBox()
    box.draw(paint, pygame.Rect(10, 10, 400, 120), "")
    box.draw(paint, pygame.Rect(10, 10, 400, 120), "")
    assert started == [True]


def test_a_click_puts_the_caret_at_the_nearest_character(paint):
    box = typed("first line\nsecond")
    rect = pygame.Rect(10, 10, 400, 120)
    box.draw(paint, rect, "")
    _, inner, step, _ = box.drawn
    assert box.click((inner.x + 1, inner.y + step + step // 2))
    assert box.caret == len("first line\n")
    assert box.click((inner.right - 2, inner.y + 2))
    assert box.caret == len("first line")


def test_a_click_outside_the_box_leaves_the_caret(paint):
    box = typed("abc")
    box.draw(paint, pygame.Rect(10, 10, 400, 120), "")
    assert not box.click((600, 500)) and box.caret == 3
