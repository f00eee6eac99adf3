"""The call screen and the call in progress: no accidental answers, the truth on screen, the answer clock."""

import dataclasses

import pygame
import pytest
from window_helpers import click, finish_line, key, make_app, open_scenario

from simulator.core.text import pick
from simulator.window.toolkit import mood_word


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch)
    pygame.quit()


def test_nothing_is_selected_when_the_answers_appear(app):
    call = open_scenario(app)
    finish_line(app)
    app.draw()
    assert call.selected is None


def test_enter_without_a_selection_answers_nothing(app):
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_RETURN)
    assert call.state.turn == 0


def test_space_never_answers(app):
    call = open_scenario(app)
    for _ in range(3):
        finish_line(app)
        key(app, pygame.K_SPACE)
    assert call.state.turn == 0


def test_classroom_space_never_answers_but_moves_past_feedback(app):
    app.settings.classroom = True
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_SPACE)
    assert call.state.turn == 0
    key(app, pygame.K_2)
    assert call.pending is not None
    key(app, pygame.K_SPACE)
    assert call.pending is None and call.state.turn == 1


def test_a_key_while_the_line_types_only_completes_it(app):
    call = open_scenario(app)
    key(app, pygame.K_1)
    key(app, pygame.K_RETURN)
    assert call.state.turn == 0 and app.line_complete()


def transcript_pixels(app):
    app.draw()
    return pygame.image.tobytes(app.surface.subsurface(app._transcript_rect), "RGB")


def test_after_an_undo_the_transcript_shows_the_new_answer(app, tmp_path, monkeypatch):
    open_scenario(app)
    finish_line(app)
    key(app, pygame.K_1)
    app.draw()  # the feedback on answer 1, over the transcript with answer 1 in it
    key(app, pygame.K_BACKSPACE)
    finish_line(app)
    key(app, pygame.K_2)
    fresh = make_app(tmp_path / "fresh", monkeypatch)
    fresh.clock.now = app.clock.now
    fresh.start_call(app.call.scenario)
    fresh.call.state = fresh.call.pending = app.call.state
    fresh.call.reveal_from = -1e9
    assert transcript_pixels(app) == transcript_pixels(fresh)


def test_the_footer_after_the_last_answer_offers_to_continue(app):
    call = open_scenario(app)
    while not call.state.over:
        finish_line(app)
        key(app, pygame.K_1)
        if not call.state.over:
            key(app, pygame.K_SPACE)
    app.paint.start_recording()
    app.draw()
    texts = [box.text for box in app.paint.boxes]
    assert not any("1–0" in text for text in texts)
    assert any(text.startswith("Space or Enter continue") for text in texts)


def test_the_report_message_says_it_opened_only_when_a_browser_did(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, opens=False)
    call = open_scenario(app)
    while not call.state.over:
        finish_line(app)
        key(app, pygame.K_1)
        key(app, pygame.K_SPACE)
    key(app, pygame.K_RETURN)
    app.settle(5)
    assert app.opened and "saved at" in app.banner and "Report opened" not in app.banner
    assert str(app.store.path.parent / "reports") in app.banner


def test_the_mood_word_follows_the_number():
    assert [mood_word(m) for m in (0, 19, 20, 40, 50, 59, 60, 80, 100)] == [
        "angry", "angry", "annoyed", "neutral", "neutral", "neutral", "calm", "pleased", "pleased"]


def test_the_answer_clock_starts_when_the_line_is_shown(app):
    call = open_scenario(app)
    shown = call.line_done_at()
    app.clock.now = shown + 4.0
    key(app, pygame.K_1)
    assert call.state.history[-1].elapsed_ms == 4000


def test_a_pause_does_not_count_as_answer_time(app):
    call = open_scenario(app)
    app.clock.now = call.line_done_at() + 2.0
    key(app, pygame.K_p)
    app.clock.now += 30
    key(app, pygame.K_p)
    app.clock.now += 1.0
    key(app, pygame.K_1)
    assert call.state.history[-1].elapsed_ms == 3000


def test_the_leave_dialog_and_losing_focus_do_not_count(app):
    call = open_scenario(app)
    app.clock.now = call.line_done_at() + 1.0
    key(app, pygame.K_ESCAPE)
    app.clock.now += 20
    key(app, pygame.K_n)
    app.handle(pygame.event.Event(pygame.WINDOWFOCUSLOST))
    app.clock.now += 50
    app.handle(pygame.event.Event(pygame.WINDOWFOCUSGAINED))
    app.clock.now += 1.0
    key(app, pygame.K_1)
    assert call.state.history[-1].elapsed_ms == 2000


@pytest.mark.parametrize("skip", ["key", "click"])
def test_a_key_and_a_click_start_the_clock_alike(app, skip):
    call = open_scenario(app)
    app.clock.now += 0.5
    if skip == "key":
        key(app, pygame.K_SPACE)
    else:
        click(app, (5, 5))
    app.clock.now += 3.0
    key(app, pygame.K_1)
    assert call.state.history[-1].elapsed_ms == 3000


def classroom_call_at_longest_answers(tmp_path, monkeypatch):
    """A classroom window at 1920×1080 on the node of the library whose answers say the most."""
    app = make_app(tmp_path, monkeypatch, size=(1920, 1080), classroom=True)
    nodes = [(sum(len(pick(r.text, "en")) for r in node.responses), s.id, node_id)
             for s in app.scenarios for node_id, node in s.nodes.items() if node.responses]
    _, scenario_id, node_id = max(nodes)
    app.start_call(next(s for s in app.scenarios if s.id == scenario_id), fresh=True)
    app.call.state = dataclasses.replace(app.call.state, node=node_id)
    finish_line(app)
    return app


def test_answers_too_long_for_the_room_scroll_to_the_selected_one(tmp_path, monkeypatch):
    app = classroom_call_at_longest_answers(tmp_path, monkeypatch)
    count = len(app.call.engine.choices(app.call.state))
    app.draw()
    assert 0 < len(app.stack[-1].button_rects) < count  # some answers are a scroll away, not squeezed
    key(app, pygame.K_UP)  # selects the last answer
    app.draw()
    assert count - 1 in [index for index, _ in app.stack[-1].button_rects]
    pygame.quit()


def test_long_answers_leave_the_customers_line_in_full_view(tmp_path, monkeypatch):
    app = classroom_call_at_longest_answers(tmp_path, monkeypatch)
    line = app.call.engine.customer_line(app.call.state)
    app.paint.start_recording()
    app.draw()
    shown = [b for b in app.paint.boxes if b.text == line]
    assert shown and not any(b.clipped for b in shown)
    assert app.paint.px(17) >= 36  # the text was not shrunk to make room
    pygame.quit()
