"""The window's trainee (a name and an optional organisation id) and taking over a call continued elsewhere."""

import subprocess
import sys
import textwrap

import pygame
import pytest
from window_helpers import click, finish_line, key, make_app, open_scenario
from window_layout import problems

from simulator.i18n import t
from simulator.storage import Store
from simulator.window.settings import load_settings

SIZES = [(1024, 768), (1920, 1080), (3840, 2160)]


@pytest.fixture
def app(tmp_path, monkeypatch):
    a = make_app(tmp_path, monkeypatch)
    yield a
    pygame.quit()


def type_text(app, text):
    for ch in text:
        app.handle(pygame.event.Event(pygame.TEXTINPUT, text=ch))


def test_tab_moves_the_typing_to_the_organisation_id_and_enter_keeps_both(app):
    app.start_name_entry()
    key(app, pygame.K_TAB)
    type_text(app, "E-1042")  # "-" is part of an id, not the text-size key
    key(app, pygame.K_RETURN)
    assert (app.settings.trainee, app.settings.org_id, app.screen) == ("Ann", "E-1042", "picker")
    assert (load_settings().trainee, load_settings().org_id) == ("Ann", "E-1042")
    assert app.settings.text_size == 1.0


def test_a_click_on_the_organisation_field_moves_the_typing_there(app):
    app.start_name_entry()
    app.draw()
    click(app, app.stack[-1].boxes[1].center)
    type_text(app, "7")
    click(app, app.stack[-1].boxes[0].center)
    type_text(app, "e")
    screen = app.stack[-1]
    assert (screen.buffer, screen.org_id) == ("Anne", "7")


def compose(app, text):
    """The input method's composition in progress (pinyin not yet committed)."""
    app.handle(pygame.event.Event(pygame.TEXTEDITING, text=text, start=len(text), length=0))


def drawn_texts(app):
    app.paint.start_recording()
    app.draw()
    texts = [b.text for b in app.paint.boxes if b.kind == "text"]
    app.paint.boxes = None
    return texts


def test_a_name_being_composed_in_an_input_method_shows_in_the_field(app):
    app.start_name_entry()
    compose(app, "wang")
    assert "Annwang" in drawn_texts(app)


def test_enter_while_composing_a_name_picks_the_candidate_and_does_not_close_the_entry(app):
    app.start_name_entry()
    key(app, pygame.K_BACKSPACE)
    key(app, pygame.K_BACKSPACE)
    compose(app, "nuo")
    key(app, pygame.K_RETURN)  # the input method's Enter: it commits the candidate, the entry stays open
    app.handle(pygame.event.Event(pygame.TEXTINPUT, text="诺"))
    assert app.screen == "name" and app.stack[-1].buffer == "A诺"
    key(app, pygame.K_RETURN)
    assert app.screen == "picker" and app.settings.trainee == "A诺"


def test_escape_while_composing_a_name_cancels_the_composition_not_the_entry(app):
    app.start_name_entry()
    compose(app, "wang")
    key(app, pygame.K_ESCAPE)
    assert app.screen == "name" and app.stack[-1].composing == ""


def test_the_organisation_id_is_optional(app):
    app.start_name_entry()
    key(app, pygame.K_RETURN)
    assert app.screen == "picker" and app.settings.org_id == ""


def test_a_call_is_saved_with_the_trainees_organisation_id(app):
    app.settings.org_id = "E7"
    call = open_scenario(app)
    assert app.store.get(call.session).trainee_org_id == "E7"


def test_the_same_name_with_another_organisation_id_does_not_resume_the_call(app):
    app.settings.org_id = "E7"
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_1)
    app.to_picker()
    app.settings.org_id = "E8"
    assert open_scenario(app).session != call.session
    app.to_picker()
    app.settings.org_id = "E7"
    assert open_scenario(app).session == call.session


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_name_screen_and_the_take_over_dialog_lay_out_cleanly(tmp_path, monkeypatch, lang, size):
    app = make_app(tmp_path, monkeypatch, size=size, language=lang)
    try:
        app.start_name_entry()
        key(app, pygame.K_TAB)
        type_text(app, "E1042")
        found = problems(app)
        key(app, pygame.K_RETURN)
        continued_elsewhere(app)
        found += problems(app)
    finally:
        pygame.quit()
    assert app.stack[-1].name == "take over" and not found, found


def another_process_continues(app) -> None:
    """A second process (another window or machine) opens this call and saves it."""
    script = textwrap.dedent(f"""
        from simulator.storage import Store
        with Store({str(app.store.path)!r}) as store:
            record = store.get({app.call.session})
            store.save(record.id, record.state, "2026-11-29T10:00:00+00:00")
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def continued_elsewhere(app):
    """Open a call, answer once, let another process save it, answer again: this window's save is refused."""
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_1)
    key(app, pygame.K_SPACE)
    another_process_continues(app)
    finish_line(app)
    key(app, pygame.K_1)
    return call


def test_a_save_refused_because_another_process_continued_the_call_asks_what_to_do(app):
    continued_elsewhere(app)
    app.draw()
    assert app.stack[-1].name == "take over" and app.call.recorder.taken
    assert app.call.recorder.saved_turns == 1


def test_taking_over_saves_this_windows_answers_in_place_of_the_other_copys(app):
    call = continued_elsewhere(app)
    key(app, pygame.K_t)
    with Store(app.store.path) as other:
        stored = other.get(call.session)
    assert app.stack[-1].name != "take over" and not call.recorder.taken
    assert call.recorder.saved_turns == 2 and len(stored.state["history"]) == 2
    assert "Taken over" in app.banner


def test_going_back_leaves_the_other_copy_as_it_is(app):
    call = continued_elsewhere(app)
    with Store(app.store.path) as other:
        before = other.get(call.session)
    app.draw()
    click(app, app.stack[-1].hits[1][0].center)  # the mouse: "go back to the list"
    with Store(app.store.path) as other:
        after = other.get(call.session)
    assert app.screen == "picker" and app.call is None
    assert (after.version, after.state) == (before.version, before.state)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_name_screen_has_its_own_title_under_the_windows_name(tmp_path, monkeypatch, lang):
    app = make_app(tmp_path, monkeypatch, language=lang)
    try:
        app.start_name_entry()
        texts = drawn_texts(app)
    finally:
        pygame.quit()
    assert texts.count(t("w.title", lang)) == 1 and t("w.name_title", lang) in texts
