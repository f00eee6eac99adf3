"""The picker: unfinished calls marked and resumable, or started again from the beginning."""

import pygame
import pytest
from window_helpers import SCENARIO, finish_line, key, make_app, open_scenario


@pytest.fixture
def app(tmp_path, monkeypatch):
    yield make_app(tmp_path, monkeypatch)
    pygame.quit()


def leave_after_one_answer(app):
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_1)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_y)
    return call


def select(app, scenario_id):
    app.picker.selected = next(i for i, s in enumerate(app.visible_scenarios()) if s.id == scenario_id)


def card_texts(app):
    app.paint.start_recording()
    app.draw()
    return [b.text for b in app.paint.boxes]


def test_an_unfinished_call_is_marked_on_its_card(app):
    assert not any("unfinished" in text for text in card_texts(app))
    leave_after_one_answer(app)
    select(app, SCENARIO)
    assert sum("unfinished" in text for text in card_texts(app)) == 1


def test_r_starts_an_unfinished_call_again_from_the_beginning(app):
    left = leave_after_one_answer(app)
    select(app, SCENARIO)
    key(app, pygame.K_r)
    assert app.screen == "call" and app.call.state.turn == 0 and app.call.session != left.session


def test_r_on_a_call_with_nothing_unfinished_does_nothing(app):
    select(app, SCENARIO)
    key(app, pygame.K_r)
    assert app.screen == "picker"


def rename(app, name):
    """Enter ``name`` on the name screen, as the next trainee at a shared PC would."""
    app.start_name_entry()
    app.stack[-1].buffer = name
    key(app, pygame.K_RETURN)


def test_the_next_trainee_does_not_see_or_resume_the_last_ones_call(app):
    leave_after_one_answer(app)
    rename(app, "Bo")
    select(app, SCENARIO)
    assert not any("unfinished" in text for text in card_texts(app))
    assert open_scenario(app).state.turn == 0


def test_a_trainee_who_comes_back_resumes_their_own_call(app):
    left = leave_after_one_answer(app)
    rename(app, "Bo")
    rename(app, "Ann")
    assert open_scenario(app).session == left.session
