"""The call's transcript: the customer's line types itself out, and a frame costs only what changed."""

import pygame
import pytest
from window_helpers import finish_line, key, make_app, open_scenario

from simulator.window.session import REVEAL_CPS


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch)
    pygame.quit()


def pixels(app) -> bytes:
    return pygame.image.tobytes(app.surface, "RGB")


def whole_frame(app) -> bytes:
    """The frame drawn from nothing, as after an event."""
    app.paint.showing = None
    app.draw()
    return pixels(app)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_typing_line_drawn_a_little_each_frame_equals_the_frame_drawn_whole(app, language):
    app.settings.language = language
    call = open_scenario(app)
    start = app.clock.now
    line = call.engine.customer_line(call.state)
    steps = [start + n / 60 for n in range(0, int(len(line) / REVEAL_CPS * 60), 7)]
    for now in steps:  # every seventh frame of the line: rows start, fill and wrap in between
        app.clock.now = now
        app.draw()
        kept = pixels(app)
        assert kept == whole_frame(app), f"at {now - start:.2f} s"


def test_a_frame_of_an_unchanged_call_draws_nothing_again(app):
    open_scenario(app)
    finish_line(app)
    app.draw()
    app.surface.fill((255, 0, 255), pygame.Rect(0, 0, 4, 4))  # a mark only a redraw would paint over
    app.draw()
    assert app.surface.get_at((1, 1))[:3] == (255, 0, 255)


def test_a_frame_after_an_event_is_drawn_whole(app):
    open_scenario(app)
    finish_line(app)
    app.draw()
    app.surface.fill((255, 0, 255), pygame.Rect(0, 0, 4, 4))
    key(app, pygame.K_PAGEUP)
    app.draw()
    assert app.surface.get_at((1, 1))[:3] != (255, 0, 255)


def test_a_change_made_without_an_event_is_drawn(app):
    call = open_scenario(app)
    finish_line(app)
    app.draw()
    call.selected = 1  # as the classroom's remote control or a test would set it
    app.draw()
    assert pixels(app) == whole_frame(app)


def test_the_frame_after_a_message_goes_is_drawn_whole(app):
    open_scenario(app)
    finish_line(app)
    app.say("Saved", 2)
    app.draw()
    app.clock.now += 3
    app.draw()
    assert pixels(app) == whole_frame(app)


def test_the_line_finishing_brings_the_answers(app):
    call = open_scenario(app)
    app.clock.now += 0.5
    app.draw()
    finish_line(app)
    app.draw()
    assert pixels(app) == whole_frame(app)
    assert app.stack[-1].button_rects and call.selected is None


@pytest.fixture
def typing_app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch, answer="free")
    pygame.quit()


def typed_box(app):
    """The box of a call started and shown with its first line in full (the first frame empties the box)."""
    open_scenario(app)
    finish_line(app)
    app.draw()
    return next(s for s in reversed(app.stack) if s.name == "call").free.box


def test_a_frame_of_an_unchanged_typed_answer_draws_nothing_again(typing_app):
    box = typed_box(typing_app)
    typing_app.handle(pygame.event.Event(pygame.TEXTINPUT, text="I hear you"))
    typing_app.draw()
    assert box.text == "I hear you"
    typing_app.surface.fill((255, 0, 255), pygame.Rect(0, 0, 4, 4))
    typing_app.draw()
    assert typing_app.surface.get_at((1, 1))[:3] == (255, 0, 255)


@pytest.mark.parametrize("change", ["text", "caret", "composition"])
def test_a_typed_answer_changed_without_an_event_is_drawn(typing_app, change):
    box = typed_box(typing_app)
    box.insert("I hear you")
    typing_app.draw()
    if change == "text":
        box.insert(", truly")
    elif change == "caret":
        box.caret = 2
    else:
        box.composing = "ni"
    typing_app.draw()
    assert pixels(typing_app) == whole_frame(typing_app)
