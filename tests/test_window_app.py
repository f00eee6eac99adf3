"""The App: idle costs nothing, the text-size key, classroom sizes, mouse all the way."""

import pygame
import pytest
from window_helpers import click, finish_line, key, make_app, open_scenario

from simulator.storage import Store
from simulator.window import run as window_run
from simulator.window.run import main_loop
from simulator.window.settings import load_settings
from simulator.window.theme import CLASSROOM, NORMAL, ROOM


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch)
    pygame.quit()


def test_an_idle_picker_waits_for_events(app):
    app.draw()
    assert app.next_change() is None


def test_a_typing_line_asks_for_frames_and_a_finished_one_does_not(app):
    open_scenario(app)
    assert app.next_change() == 0
    finish_line(app)
    assert app.next_change() is None


def test_a_message_asks_for_one_frame_when_it_goes(app):
    app.say("hello", 4)
    assert app.next_change() == pytest.approx(4)


def test_the_main_loop_draws_once_and_sleeps_while_nothing_changes(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch)
    app.clock = lambda: 0.0
    frames = []
    draw = app.draw
    app.draw = lambda: (frames.append(1), draw())
    pygame.event.clear()  # the window's own start-up events (shown, exposed) are not idling
    pygame.time.set_timer(pygame.event.Event(pygame.QUIT), 400, loops=1)
    main_loop(app)
    pygame.quit()
    assert len(frames) == 1  # the first frame; then it slept until QUIT


class _Watched(Store):
    """The window's store, remembering whether the window closed it."""

    closed = False

    def close(self) -> None:
        _Watched.closed = True
        super().close()


@pytest.fixture
def watched_store(tmp_path, monkeypatch):
    """run_window opens a :class:`_Watched` store in tmp_path; the class says whether it was closed."""
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))
    monkeypatch.setattr(_Watched, "closed", False)
    monkeypatch.setattr(window_run, "open_store", lambda: _Watched())
    return _Watched


def test_closing_the_window_closes_its_session_store(watched_store, monkeypatch):
    monkeypatch.setattr(window_run, "main_loop", lambda app: None)  # the window is closed at once
    assert window_run.run_window() == 0
    assert watched_store.closed


def test_the_first_frame_is_shown_before_the_session_store_opens(watched_store, monkeypatch):
    """Opening the store (SQLAlchemy's import, the database's first open) must not delay the first frame."""
    flips, seen = [], []
    real_flip = pygame.display.flip
    monkeypatch.setattr(pygame.display, "flip", lambda: (flips.append(1), real_flip()))
    monkeypatch.setattr(window_run, "open_store", lambda: (seen.append(len(flips)), _Watched())[1])
    monkeypatch.setattr(window_run, "main_loop", lambda app: seen.append(app.store is not None))
    assert window_run.run_window() == 0
    assert seen == [1, True]


def test_a_window_whose_store_cannot_open_says_calls_are_not_saved(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("RETENTION_SIM_DB", "not a url://x")
    said = []
    monkeypatch.setattr(window_run, "main_loop", lambda app: said.append((app.store, app.banner)))
    assert window_run.run_window() == 0
    assert said and said[0][0] is None and said[0][1]


def test_a_window_that_fails_still_closes_its_session_store(watched_store, monkeypatch):
    def fail(app):
        raise pygame.error("the display went away")

    monkeypatch.setattr(window_run, "main_loop", fail)
    with pytest.raises(pygame.error):
        window_run.run_window()
    assert watched_store.closed


def test_plus_and_minus_change_the_text_size_and_it_is_remembered(app):
    before = app.paint.px(17)
    key(app, pygame.K_EQUALS)
    app.draw()
    assert app.paint.px(17) > before and load_settings().text_size > 1
    key(app, pygame.K_MINUS)
    key(app, pygame.K_MINUS)
    app.draw()
    assert app.paint.px(17) < before


def test_larger_text_stops_where_the_window_could_no_longer_lay_it_out(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, size=(1920, 1080), classroom=True, text_size=1.15)
    try:
        app.draw()
        assert app.paint.scale() == pytest.approx(CLASSROOM.scale((1920, 1080)) * 1.15)
        key(app, pygame.K_EQUALS)
        app.draw()
        assert app.paint.scale() == pytest.approx(1080 / ROOM[1])  # grown to the limit, not past it
        key(app, pygame.K_EQUALS)
        app.draw()
        assert app.paint.scale() == pytest.approx(1080 / ROOM[1])
        assert app.banner.startswith("The text is as large as this window can hold")
    finally:
        pygame.quit()


def test_the_text_size_limit_never_shrinks_the_normal_size():
    for size in ((800, 600), (1024, 768), (1920, 1080), (3840, 2160)):
        for theme in (NORMAL, CLASSROOM):
            assert theme.scale(size, 1.5) >= theme.scale(size, 1.0)


def test_a_minus_typed_in_a_name_is_part_of_the_name(app):
    app.start_name_entry()
    key(app, pygame.K_MINUS)
    assert app.settings.text_size == 1.0


def test_classroom_text_is_at_least_36_px_at_1080p(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, size=(1920, 1080), classroom=True)
    open_scenario(app)
    finish_line(app)
    app.draw()
    assert app.paint.px(17) >= 36  # body and answer text are 17 design pixels
    pygame.quit()


def test_classroom_hides_the_mood_number_until_r_during_the_call(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, classroom=True)
    call = open_scenario(app)
    finish_line(app)

    def mood_texts():
        app.paint.start_recording()
        app.draw()
        return [b.text for b in app.paint.boxes if b.text.startswith("Mood")]

    assert mood_texts() and not any(str(call.state.mood) in text for text in mood_texts())
    key(app, pygame.K_r)
    assert any(str(call.state.mood) in text for text in mood_texts())
    pygame.quit()


def press_button(app, code):
    app.draw()
    rect = next(rect for rect, k in app.stack[-1].hits if k == code)
    click(app, rect.center)


def test_a_mouse_only_trainee_goes_from_the_picker_to_the_report(app):
    press_button(app, pygame.K_RETURN)  # Start
    assert app.screen == "call"
    while app.screen == "call":
        click(app, (5, 5))  # completes the line, as a key would
        app.draw()
        _, rect = app._button_rects[0]
        click(app, rect.center)
        press_button(app, pygame.K_SPACE)  # continue
    press_button(app, pygame.K_RETURN)  # the full report
    app.settle(5)
    assert app.opened


def test_the_leave_dialog_answers_to_the_mouse(app):
    open_scenario(app)
    finish_line(app)
    press_button(app, pygame.K_ESCAPE)
    assert app.confirm_leave
    press_button(app, pygame.K_n)
    assert not app.confirm_leave and app.screen == "call"
