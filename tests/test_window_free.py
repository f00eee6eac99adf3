"""Typed answers in the window (answer mode free or both): a whole call typed in either language,
"Did you mean …?", what the feedback says it heard, the keys that must not fire while typing."""

import pygame
import pytest
from window_helpers import click, finish_line, key, make_app, open_scenario
from window_typing import PATH, compose, press, type_answer, type_keys

from simulator import glyphs
from simulator.recogniser import model as recogniser_model
from simulator.report.data import typed_advice
from simulator.window import run as window_run
from simulator.window.screens.free import UNDO
from simulator.window.settings import load_settings


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch, answer="free")
    pygame.quit()


def screen(app):
    """The call screen in front."""
    return next(s for s in reversed(app.stack) if s.name == "call")


def box(app):
    return screen(app).free.box


def start(app, lang="en"):
    """The scenario of the typed paths, in ``lang``, its first line shown."""
    app.settings.language = lang
    call = open_scenario(app)
    finish_line(app)
    app.draw()
    return call


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_whole_call_is_played_by_typing(app, lang):
    call = start(app, lang)
    for node, response, words in PATH[lang]:
        assert call.state.node == node
        type_answer(app, lang, words)
        key(app, pygame.K_RETURN)
        assert call.state.history[-1].response == response, f"{node}: {screen(app).free.asking}"
        key(app, pygame.K_SPACE)
        finish_line(app)
        app.draw()
    assert call.state.over and app.screen == "end"


def test_the_feedback_says_what_it_heard(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    assert call.pending is not None
    heard = screen(app).free.heard_line(call)
    assert heard.startswith("I heard: ") and "Empathy" in heard
    app.paint.start_recording()
    app.draw()
    assert heard in [b.text for b in app.paint.boxes]


def test_the_feedback_says_which_written_answer_the_words_were_understood_as_and_how_they_scored(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    app.paint.start_recording()
    app.draw()
    texts = [b.text for b in app.paint.boxes]
    written = call.engine.say(call.state, call.scenario.nodes["opening"].responses[PATH["en"][0][1]].text)
    assert f"Understood as the written answer: {written}" in texts
    assert any(text.startswith(("Scored from your words", "Your words are the written answer")) for text in texts)


def test_the_live_feedback_speaks_about_the_words_not_the_written_answer_they_matched(app):
    call = start(app)
    type_keys(app, "I can help with that. Tell me more about what happened?")
    key(app, pygame.K_RETURN)
    review = app.reviewed(call)[0].turns[-1]
    response = call.scenario.nodes[review.node].responses[review.response]
    assert not review.as_written and not review.instead_applies  # the words scored otherwise than it is tagged
    app.paint.start_recording()
    app.draw()
    texts = [b.text for b in app.paint.boxes]
    note = call.engine.say(call.state, response.feedback)
    assert any(text.endswith(f"About the written answer yours matched: {note}") for text in texts)
    assert not any(text.startswith("Instead:") for text in texts)
    advice = typed_advice(review, response.techniques, app.catalog, "en")
    assert advice and advice in texts


def test_the_mistakes_the_words_were_scored_for_are_drawn_in_glyphs_the_font_has(app):
    call = start(app)
    type_keys(app, "Before you decide, our premium bundle is 30% off this month. Shall I set it up right now?")
    key(app, pygame.K_RETURN)
    review = app.reviewed(call)[0].turns[-1]
    assert call.pending is not None and review.mistakes + review.auto_mistakes
    app.paint.start_recording()
    app.draw()
    drawn = {ch for b in app.paint.boxes for ch in b.text if ord(ch) >= 0x80}
    assert sorted(ch for ch in drawn if ord(ch) not in glyphs.coverage()) == []


def test_the_typed_words_are_recorded_and_shown_in_the_transcript(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    assert call.state.history[-1].said.text == PATH["en"][0][2]
    app.paint.start_recording()
    app.draw()
    assert PATH["en"][0][2] in [b.text for b in app.paint.boxes]


def test_the_typed_words_are_saved_with_the_call(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    saved = app.store.get(call.session).state
    assert saved["history"][-1]["said"]["text"] == PATH["en"][0][2]


def test_the_feedback_says_what_it_heard_in_chinese(app):
    call = start(app, "zh")
    type_answer(app, "zh", PATH["zh"][0][2])
    key(app, pygame.K_RETURN)
    assert screen(app).free.heard_line(call).startswith("我听到：")


def test_an_answer_close_to_none_asks_instead_of_guessing(app):
    call = start(app)
    type_keys(app, "Hello there")
    key(app, pygame.K_RETURN)
    free = screen(app).free
    assert call.state.turn == 0 and free.asking is not None and free.shows_options(call)
    app.paint.start_recording()
    app.draw()
    texts = [b.text for b in app.paint.boxes]
    assert "Did you mean one of the answers above? Click it, type its number, or say it another way." in texts
    assert free.asking.lines[0] in texts
    assert len(screen(app).button_rects) == len(call.engine.options(call.state))


def test_after_asking_a_click_on_an_answer_plays_it(app):
    call = start(app)
    type_keys(app, "Hello there")
    key(app, pygame.K_RETURN)
    offered = call.engine.options(call.state)
    app.draw()
    index, rect = screen(app).button_rects[1]
    click(app, rect.center)
    assert call.state.history[-1].response == offered[index]


def test_after_asking_a_typed_number_plays_that_answer(app):
    call = start(app)
    type_keys(app, "Hello there")
    key(app, pygame.K_RETURN)
    offered = call.engine.options(call.state)
    for _ in range(len("Hello there")):
        key(app, pygame.K_BACKSPACE)
    type_keys(app, "3")
    key(app, pygame.K_RETURN)
    assert call.state.history[-1].response == offered[2]


def test_a_rephrased_answer_after_asking_is_heard_again(app):
    call = start(app)
    type_keys(app, "Hello there")
    key(app, pygame.K_RETURN)
    for _ in range(len("Hello there")):
        key(app, pygame.K_BACKSPACE)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    assert call.state.history[-1].response == PATH["en"][0][1]


def test_the_answer_keys_type_while_typing(app):
    call = start(app)
    type_keys(app, "1 2 p r")
    press(app, pygame.K_KP1, "1")
    assert call.state.turn == 0 and not call.discuss and box(app).text == "1 2 p r1"


def test_backspace_deletes_a_character_and_never_undoes_while_typing(app):
    call = start(app, "en")
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    key(app, pygame.K_SPACE)
    finish_line(app)
    type_keys(app, "ab")
    key(app, pygame.K_BACKSPACE)
    key(app, pygame.K_BACKSPACE)
    key(app, pygame.K_BACKSPACE)
    assert call.state.turn == 1 and box(app).text == ""


def test_ctrl_z_on_an_empty_box_undoes_the_last_answer(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    key(app, pygame.K_SPACE)
    finish_line(app)
    press(app, pygame.K_z, mod=pygame.KMOD_CTRL)
    assert call.state.turn == 0


def test_ctrl_z_with_words_in_the_box_keeps_the_answer_and_the_words(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    key(app, pygame.K_SPACE)
    finish_line(app)
    type_keys(app, "Four years")
    press(app, pygame.K_z, mod=pygame.KMOD_CTRL)
    assert call.state.turn == 1 and box(app).text == "Four years"


def test_the_undo_button_undoes(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    key(app, pygame.K_SPACE)
    finish_line(app)
    app.draw()
    rect = next(r for r, code in screen(app).hits if code == UNDO)
    click(app, rect.center)
    assert call.state.turn == 0


def test_ctrl_p_pauses_and_nothing_is_typed_while_paused(app):
    call = start(app)
    press(app, pygame.K_p, mod=pygame.KMOD_CTRL)
    type_keys(app, "abc")
    assert call.discuss and box(app).text == ""


def test_p_ends_a_pause_without_typing_a_p(app):
    call = start(app)
    press(app, pygame.K_p, mod=pygame.KMOD_CTRL)
    press(app, pygame.K_p, "p")
    assert not call.discuss and box(app).text == ""


def test_the_send_button_sends(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    app.draw()
    click(app, screen(app).free.send_rect.center)
    assert call.state.turn == 1


def test_enter_button_in_the_action_bar_sends(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    app.draw()
    rect = next(r for r, code in screen(app).hits if code == pygame.K_RETURN)
    click(app, rect.center)
    assert call.state.turn == 1


def test_an_empty_box_sends_nothing(app):
    call = start(app)
    type_keys(app, "   ")
    key(app, pygame.K_RETURN)
    assert call.state.turn == 0 and screen(app).free.asking is None


def test_enter_while_composing_does_not_send(app):
    call = start(app, "zh")
    compose(app, "zhou xian sheng")
    key(app, pygame.K_RETURN)
    assert call.state.turn == 0 and box(app).composing == "zhou xian sheng"


def test_escape_asks_to_leave_and_the_stay_key_is_not_typed(app):
    start(app)
    type_keys(app, "So")
    key(app, pygame.K_ESCAPE)
    assert app.confirm_leave
    press(app, pygame.K_n, "n")
    assert not app.confirm_leave and box(app).text == "So"


def test_escape_first_cancels_a_composition(app):
    start(app, "zh")
    compose(app, "ni")
    key(app, pygame.K_ESCAPE)
    assert not app.confirm_leave and box(app).composing == ""


def test_a_key_while_the_line_types_only_completes_it(app):
    call = open_scenario(app)
    press(app, pygame.K_h, "h")
    assert app.line_complete() and box(app).text == "" and call.state.turn == 0


def test_space_past_the_feedback_is_not_typed(app):
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    press(app, pygame.K_SPACE, " ")
    finish_line(app)
    assert call.pending is None and box(app).text == ""


def test_minus_and_plus_are_typed_not_text_size_keys(app):
    start(app)
    size = app.settings.text_size
    press(app, pygame.K_MINUS, "-")
    press(app, pygame.K_MINUS, "-")
    press(app, pygame.K_EQUALS, "=")
    assert box(app).text == "--=" and app.settings.text_size == size


def test_both_mode_shows_the_answers_and_the_box(app):
    app.settings.answer = "both"
    call = start(app)
    assert len(screen(app).button_rects) == len(call.engine.options(call.state))
    type_keys(app, "2")
    assert call.state.turn == 0
    key(app, pygame.K_RETURN)
    assert call.state.turn == 1


def test_both_mode_plays_a_typed_answer(app):
    app.settings.answer = "both"
    call = start(app)
    type_keys(app, PATH["en"][0][2])
    key(app, pygame.K_RETURN)
    assert call.state.history[-1].response == PATH["en"][0][1]


def test_both_mode_arrows_and_enter_on_an_empty_box_pick(app):
    app.settings.answer = "both"
    call = start(app)
    offered = call.engine.options(call.state)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)
    assert call.state.history[-1].response == offered[1]


def test_a_missing_model_falls_back_to_choosing_and_says_so(app, monkeypatch, tmp_path):
    monkeypatch.setattr(recogniser_model, "model_path", lambda lang: tmp_path / f"none-{lang}.npz")
    monkeypatch.setattr(recogniser_model, "_cache", {})
    call = start(app)
    assert "Typed answers are off" in app.banner and "make model" in app.banner
    assert len(screen(app).button_rects) == len(call.engine.options(call.state))
    key(app, pygame.K_1)
    assert call.state.turn == 1


def test_the_picker_cycles_the_answer_mode_and_remembers_it(app):
    modes = []
    for _ in range(3):
        key(app, pygame.K_a)
        modes.append(app.settings.answer)
    assert modes == ["both", "choice", "free"]
    assert load_settings().answer == "free"


def test_an_unknown_saved_answer_mode_is_read_as_choosing(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path))
    (tmp_path / "window.json").write_text('{"answer": "speak"}', "utf-8")
    assert load_settings().answer == "choice"


def test_the_window_opened_with_an_answer_mode_uses_it_for_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))
    seen = []
    monkeypatch.setattr(window_run, "main_loop", lambda app: seen.append(app.settings.answer))
    window_run.run_window(answer="both")
    assert seen == ["both"]


def test_a_click_in_the_box_moves_the_caret_and_answers_nothing(app):
    call = start(app)
    type_keys(app, "Mr Zhou")
    app.draw()
    inner = box(app).drawn[1]
    click(app, (inner.x + 1, inner.centery))
    type_keys(app, "Well, ")
    assert box(app).text == "Well, Mr Zhou" and call.state.turn == 0


def test_classroom_hides_the_mistakes_heard_until_r(app):
    app.settings.classroom = True
    call = start(app)
    free = screen(app).free
    type_keys(app, "Before you decide, our premium bundle is 30% off this month. Shall I set it up right now?")
    key(app, pygame.K_RETURN)
    heard = free.said[1] if call.pending is not None else free.asking
    mistakes = [app.catalog.mistakes[m].name["en"] for m in heard.understanding.heard if m in app.catalog.mistakes]
    assert mistakes, "the answer should show a mistake"
    line = free.shown_heard(call, heard)
    assert not any(name in line for name in mistakes)
    call.revealed = True
    assert all(name in free.shown_heard(call, heard) for name in mistakes)
