"""The window never claims a save that did not happen: a failed save is said at once, retried, and the
end screen says exactly what is stored."""

import pygame
import pytest
from window_helpers import finish_line, key, make_app, open_scenario

from simulator.storage import StorageError

FULL = "the session database cannot be used: the disk is full"


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch)
    pygame.quit()


def break_the_disk(app, monkeypatch):
    """Every save from now on fails, as on a full disk."""
    def fail(*args, **kwargs):
        raise StorageError(FULL)
    monkeypatch.setattr(app.store, "save", fail)


def texts(app):
    app.paint.start_recording()
    app.draw()
    return " ".join(b.text for b in app.paint.boxes)


def answer(app):
    finish_line(app)
    key(app, pygame.K_1)
    key(app, pygame.K_SPACE)


def play_to_the_end(app):
    while app.screen == "call":
        answer(app)


def test_a_failed_save_is_shown_on_the_call_screen_at_once(app, monkeypatch):
    open_scenario(app)
    break_the_disk(app, monkeypatch)
    answer(app)
    assert "NOT SAVED" in texts(app) and "disk is full" in texts(app)


def test_the_warning_goes_once_a_save_succeeds_again(app, monkeypatch):
    open_scenario(app)
    with monkeypatch.context() as m:
        break_the_disk(app, m)
        answer(app)
    answer(app)
    assert "NOT SAVED" not in texts(app)
    assert app.store.get(app.call.session).state["history"]  # the kept answers were stored on the retry


def test_the_end_screen_says_how_many_answers_are_stored_when_saves_failed(app, monkeypatch):
    open_scenario(app)
    answer(app)
    break_the_disk(app, monkeypatch)
    play_to_the_end(app)
    total = len(app.call.state.history)
    assert f"1 of your {total} answers are stored" in texts(app)
    assert "The call is saved" not in texts(app)


def test_the_end_screen_says_the_call_is_saved_when_it_is(app):
    open_scenario(app)
    play_to_the_end(app)
    assert f"all {len(app.call.state.history)} answers are stored" in texts(app)


def test_leaving_does_not_promise_a_save_that_failed(app, monkeypatch):
    open_scenario(app)
    break_the_disk(app, monkeypatch)
    answer(app)
    key(app, pygame.K_ESCAPE)
    assert "It is saved" not in texts(app) and "0 of your 1 answers are stored" in texts(app)
