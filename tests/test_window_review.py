"""The turn-by-turn review inside the window: the report's data, one turn at a time, from the end screen."""

import pygame
import pytest
from window_helpers import click, finish_line, key, make_app, open_scenario
from window_typing import PATH, type_keys

from simulator.i18n import t
from simulator.report import data as report_data

WORST = [3, 2]  # as written: an upsell at once, then pressure after a refusal (two mistakes, a hang-up)


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch)
    pygame.quit()


def finish(app, numbers=WORST, undo_first=False):
    """Answer ``numbers`` (as written in the file) and show the end screen; ``undo_first``: take one back first."""
    call = open_scenario(app)
    if undo_first:
        call.state = call.engine.choose_response(call.state, numbers[0] - 1)
        app.undo()
    for number in numbers:
        call.state = call.engine.choose_response(call.state, number - 1)
    call.revealed = not app.settings.classroom
    app.show_call()
    assert app.screen == "end"
    return call


def drawn(app):
    """The texts drawn in one frame."""
    app.paint.start_recording()
    app.draw()
    texts = [b.text for b in app.paint.boxes if b.kind in ("text", "label")]
    app.paint.boxes = None
    return texts


def whole_turn(app):
    """The texts of the whole turn on the review screen: at its top and scrolled to its end."""
    key(app, pygame.K_HOME)
    top = drawn(app)
    key(app, pygame.K_END)
    return " ".join(top + drawn(app))


def test_t_on_the_end_screen_opens_the_review_at_the_first_turn(app):
    finish(app)
    key(app, pygame.K_t)
    assert app.screen == "review" and app.stack[-1].turn == 0


def test_the_end_screen_has_a_review_button(app):
    finish(app)
    app.draw()
    rect = next(rect for rect, code in app.stack[-1].hits if code == pygame.K_t)
    click(app, rect.center)
    assert app.screen == "review"


def test_the_review_shows_the_reports_data_for_the_turn(app):
    call = finish(app)
    key(app, pygame.K_t)
    turn = report_data.build(call.scenario, call.state)["turns"][0]
    texts = drawn(app)
    assert turn["customer"] in texts and turn["answer"] in texts and turn["feedback"] in texts
    assert turn["instead"] in texts
    assert any(turn["mistakes"][0]["name"] in text and turn["mistakes"][0]["why"] in text for text in texts)
    assert any(f"{turn['mood_before']} → {turn['mood_after']}" in text for text in texts)


def test_the_arrows_move_between_turns_and_stop_at_the_ends(app):
    finish(app)
    key(app, pygame.K_t)
    review = app.stack[-1]
    key(app, pygame.K_LEFT)
    assert review.turn == 0
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RIGHT)
    assert review.turn == len(WORST) - 1


def test_the_next_button_moves_to_the_next_turn(app):
    finish(app)
    key(app, pygame.K_t)
    app.draw()
    review = app.stack[-1]
    click(app, next(rect for rect, code in review.hits if code == pygame.K_RIGHT).center)
    assert review.turn == 1


def test_escape_goes_back_to_the_end_screen(app):
    finish(app)
    key(app, pygame.K_t)
    key(app, pygame.K_ESCAPE)
    assert app.screen == "end" and app.running


def test_a_long_turn_scrolls_by_keys_and_by_the_wheel(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, size=(1024, 768), classroom=True, text_size=1.5)
    try:
        finish(app)
        key(app, pygame.K_t)
        app.draw()
        review = app.stack[-1]
        assert review.max_scroll > 0
        assert any(code == pygame.K_PAGEDOWN for _, code in review.hits)
        key(app, pygame.K_PAGEDOWN)
        assert review.scroll > 0
        key(app, pygame.K_END)
        assert review.scroll == review.max_scroll
        app.handle(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1))
        assert 0 < review.scroll < review.max_scroll
        key(app, pygame.K_RIGHT)
        assert review.scroll == 0  # a new turn starts at its top
    finally:
        pygame.quit()


def test_a_short_turn_offers_no_scroll_buttons(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, size=(1920, 1080))
    try:
        finish(app)
        key(app, pygame.K_t)
        app.draw()
        review = app.stack[-1]
        assert review.max_scroll == 0
        assert not any(code in (pygame.K_PAGEUP, pygame.K_PAGEDOWN) for _, code in review.hits)
    finally:
        pygame.quit()


def test_classroom_review_hides_mood_numbers_and_mistakes_until_r(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, classroom=True)
    try:
        call = finish(app)
        key(app, pygame.K_t)
        turn = report_data.build(call.scenario, call.state)["turns"][0]
        hidden = whole_turn(app)
        assert turn["mistakes"][0]["name"] not in hidden and f"{turn['mood_before']} →" not in hidden
        key(app, pygame.K_r)
        shown = whole_turn(app)
        assert turn["mistakes"][0]["name"] in shown and f"{turn['mood_before']} →" in shown
    finally:
        pygame.quit()


def test_an_answer_taken_back_shows_at_its_turn(app):
    call = finish(app, undo_first=True)
    key(app, pygame.K_t)
    undone = report_data.build(call.scenario, call.state)["undone"][0]
    assert any(undone["answer"] in text for text in drawn(app))


def test_the_review_follows_a_language_switch(app):
    call = finish(app)
    key(app, pygame.K_t)
    key(app, pygame.K_F2)
    turn = report_data.build(call.scenario, call.state)["turns"][0]
    assert call.state.language == "zh" and turn["customer"] in drawn(app)



@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_customers_word_is_the_meters_at_that_moment_not_the_authors_tag(app, lang):
    # The opening is written "annoyed" but the customer says it at mood 40, which the meter calls neutral.
    call = finish(app)
    key(app, pygame.K_t)
    if lang == "zh":
        key(app, pygame.K_F2)
    report = report_data.build(call.scenario, call.state)
    turn, name = report["turns"][0], report["persona"]["name"]
    assert (call.state.language, turn["emotion"], turn["mood_before"]) == (lang, "annoyed", 40)
    texts = drawn(app)
    assert t("w.speaker", lang, name=name, emotion=t("emotion.neutral", lang)) in texts
    assert t("w.speaker", lang, name=name, emotion=t("emotion.annoyed", lang)) not in texts


def test_a_typed_turn_is_reviewed_in_the_trainees_own_words_with_what_they_were_understood_as(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, answer="free")
    try:
        call = open_scenario(app)
        finish_line(app)
        type_keys(app, PATH["en"][0][2])
        key(app, pygame.K_RETURN)
        for _node, response, _words in PATH["en"][1:]:
            call.state = call.engine.choose_response(call.state, response)
        app.show_call()
        key(app, pygame.K_t)
        shown = whole_turn(app)
        written = report_data.build(call.scenario, call.state)["turns"][0]["answer"]
    finally:
        pygame.quit()
    assert PATH["en"][0][2] in shown and f"Understood as the written answer {written}" in shown
