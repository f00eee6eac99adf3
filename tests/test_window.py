"""The window, driven like a person would: posted key and mouse events, then state and pixels."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest
from helpers import ROOT, doc_example_text

from simulator.core import analysis, loader
from simulator.storage import Store
from simulator.window import fonts
from simulator.window.app import App
from simulator.window.run import _start_pygame, render_screenshot
from simulator.window.settings import Settings, load_settings

SCENARIO = "mobile-cancel-after-bill-shock"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))
    _start_pygame()
    surface = pygame.display.set_mode((1280, 800))
    opened = []
    a = App(surface, settings=Settings(trainee="Ann", language="en"), store=Store(tmp_path / "s.db"),
            clock=Clock(), open_url=opened.append)
    a.opened = opened
    yield a
    pygame.quit()


def key(app, k, text=None):
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=text or ""))


def open_scenario(app, scenario_id=SCENARIO):
    items = app.visible_scenarios()
    index = next(i for i, s in enumerate(items) if s.id == scenario_id)
    while app.selected < index:
        key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)
    return app.call


def finish_line(app):
    app.clock.now += 60  # the line has had time to appear


def press_number_for(app, authored_index):
    call = app.call
    option = call.engine.options(call.state).index(authored_index)
    key(app, pygame.K_1 + option)


def test_the_picker_lists_the_shipped_scenarios(app):
    assert len(app.visible_scenarios()) >= 15 and app.screen == "picker"


def test_enter_on_the_picker_starts_the_selected_call(app):
    call = open_scenario(app)
    assert app.screen == "call" and call.scenario.id == SCENARIO and call.state.turn == 0


def test_category_filter_narrows_the_list(app):
    key(app, pygame.K_c)
    assert {s.category for s in app.visible_scenarios()} == {"churn_threat"}


def test_a_key_first_completes_the_line_then_answers(app):
    call = open_scenario(app)
    key(app, pygame.K_1)
    assert call.state.turn == 0 and app.line_complete()
    key(app, pygame.K_1)
    assert call.state.turn == 1


def test_feedback_now_waits_for_space(app):
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_1)
    assert call.pending is not None
    key(app, pygame.K_SPACE)
    assert call.pending is None


def test_feedback_at_the_end_goes_straight_on(app):
    app.settings.feedback = "end"
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_2)
    assert call.pending is None and call.state.turn == 1


def test_arrows_choose_and_enter_commits_the_choice(app):
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    chosen = call.engine.options(call.state)[1]
    key(app, pygame.K_RETURN)
    assert call.state.history[-1].response == chosen


def test_a_mouse_click_on_a_button_answers(app):
    call = open_scenario(app)
    finish_line(app)
    app.draw()
    _, rect = app._button_rects[0]
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=rect.center))
    assert call.state.turn == 1


def test_backspace_undoes_an_answer(app):
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_1)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_BACKSPACE)
    assert call.state.turn == 0


def test_escape_asks_first_and_the_call_resumes_next_time(app):
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_1)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_ESCAPE)
    assert app.confirm_leave and app.screen == "call"
    key(app, pygame.K_n)
    assert not app.confirm_leave
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_y)
    assert app.screen == "picker"
    again = open_scenario(app)
    assert again.state.turn == 1 and again.session == call.session


def test_a_whole_call_reaches_the_end_screen_and_opens_the_report(app):
    call = open_scenario(app)
    best = analysis.best_and_worst(call.scenario)[0]
    for index in best.responses:
        finish_line(app)
        press_number_for(app, index)
        key(app, pygame.K_SPACE)
    assert app.screen == "end" and call.state.ending == best.ending
    key(app, pygame.K_RETURN)
    app.settle(5)
    assert app.opened and app.opened[0].startswith("file://")
    assert os.path.exists(app.opened[0][len("file://"):])
    assert Store(app.store.path).get(call.session).finished


def test_classroom_hides_the_score_until_revealed(app):
    app.settings.classroom = True
    call = open_scenario(app)
    for index in analysis.best_and_worst(call.scenario)[1].responses:
        finish_line(app)
        press_number_for(app, index)
        key(app, pygame.K_SPACE)  # Space advances past the feedback
    assert app.screen == "end" and not app.revealed
    key(app, pygame.K_r)
    assert app.revealed


def test_classroom_discuss_pauses_answers(app):
    app.settings.classroom = True
    call = open_scenario(app)
    finish_line(app)
    key(app, pygame.K_p)
    key(app, pygame.K_1)
    assert call.discuss and call.state.turn == 0
    key(app, pygame.K_p)
    key(app, pygame.K_1)
    assert call.state.turn == 1
    assert call.pending is not None  # the class sees the feedback…
    key(app, pygame.K_SPACE)  # …and Space moves on
    assert call.pending is None


def test_f2_switches_the_language_and_remembers_it(app):
    call = open_scenario(app)
    key(app, pygame.K_F2)
    assert app.lang == "zh" and call.state.language == "zh"
    assert load_settings().language == "zh"


def test_name_entry_takes_chinese_text(app):
    app.start_name_entry()
    for _ in "Ann":  # the remembered name is there to edit
        key(app, pygame.K_BACKSPACE)
    for ch in "王小明":
        app.handle(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    key(app, pygame.K_RETURN)
    assert app.settings.trainee == "王小明" and app.screen == "picker"
    assert load_settings().trainee == "王小明"


def test_f5_keeps_the_position_when_the_file_still_fits(app, tmp_path, monkeypatch):
    path = tmp_path / "example.yaml"
    path.write_text(doc_example_text(), "utf-8")
    scenario = loader.load(str(path))
    app.start_call(scenario)
    finish_line(app)
    key(app, pygame.K_1)
    key(app, pygame.K_SPACE)
    path.write_text(doc_example_text().replace("Hi, I'd like to cancel", "Hello, I'd like to cancel"), "utf-8")
    key(app, pygame.K_F5)
    assert app.call.state.turn == 1 and not app.errors
    opening = app.call.scenario.nodes["opening"].customer
    assert "Hello, I'd like to cancel" in app.call.engine.say(app.call.state, opening)


def test_f5_on_a_broken_file_shows_its_errors_and_keeps_the_call(app, tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(doc_example_text(), "utf-8")
    app.start_call(loader.load(str(path)))
    path.write_text(doc_example_text().replace("next: reason", "next: reasn"), "utf-8")
    key(app, pygame.K_F5)
    assert app.errors and any("RF001" in line for line in app.errors)
    assert app.screen == "call"
    app.draw()  # the errors are drawn, not raised
    key(app, pygame.K_RETURN)
    assert not app.errors


def test_the_transcript_area_is_drawn(app):
    open_scenario(app)
    finish_line(app)
    app.draw()
    rect = app._transcript_rect
    lower = pygame.Rect(rect.x, rect.bottom - rect.h // 3, rect.w, rect.h // 3)
    region = app.surface.subsurface(lower)
    colors = {region.get_at((x, y))[:3] for x in range(0, lower.w, 5) for y in range(0, lower.h, 3)}
    assert len(colors) > 5  # the customer's line is there: bubble, text and its antialiasing


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080), (3840, 2160)])
def test_buttons_fit_the_window_at_every_size(app, size):
    app.surface = pygame.display.set_mode(size)
    open_scenario(app)
    finish_line(app)
    app.draw()
    width, height = size
    assert app._button_rects
    for _, rect in app._button_rects:
        assert rect.left >= 0 and rect.right <= width and rect.bottom <= height


def glyph(font, ch):
    surface = font.render(ch, True, (0, 0, 0), (255, 255, 255))
    return pygame.image.tobytes(surface, "RGB"), surface.get_size()


def test_chinese_glyphs_are_real_glyphs_not_boxes(app):
    font = fonts.font(28)
    missing = glyph(font, "\ue000")  # a private-use codepoint no font draws: the box
    for ch in "客户挽留模拟器周磊话费套餐流量携号转网违约金你好谢谢":
        assert glyph(font, ch) != missing, ch


def test_every_character_of_the_shipped_content_has_a_glyph(app):
    font = fonts.font(20)
    missing = glyph(font, "\ue000")
    text = "".join(p.read_text("utf-8") for p in sorted((ROOT / "simulator" / "library").glob("*.yaml")))
    chars = sorted({ch for ch in text if ord(ch) > 0x2E80})
    absent = [ch for ch in chars if glyph(font, ch) == missing]
    assert not absent, "".join(absent)


def test_the_screenshot_command_writes_a_png_of_the_requested_size(tmp_path):
    from simulator.cli import main

    out = tmp_path / "shot.png"
    assert main(["screenshot", SCENARIO, "--lang", "zh", "--choices", "1,2", "--size", "1600x900",
                 "-o", str(out)]) == 0
    _start_pygame()
    image = pygame.image.load(str(out))
    assert image.get_size() == (1600, 900)
    pygame.quit()


def test_a_free_answer_screenshot_shows_what_was_heard_in_the_words_typed():
    from simulator.window.run import screenshot_app

    scenario = loader.load(str(ROOT / "simulator" / "library" / f"{SCENARIO}.yaml"))
    _start_pygame()
    try:
        app = screenshot_app(scenario, "en", [], pygame.Surface((1600, 900)), answer="free",
                             typed="That sounds really frustrating. What happened?")
        app.draw()
        said = app.call.state.history[-1].said
        assert said.text == "That sounds really frustrating. What happened?"
        assert "empathy" in dict(said.heard) and app.call.pending is not None
    finally:
        pygame.quit()


def test_render_screenshot_of_the_end_screen(tmp_path):
    scenario = loader.load(str(ROOT / "simulator" / "library" / f"{SCENARIO}.yaml"))
    best = analysis.best_and_worst(scenario)[0]
    out = tmp_path / "end.png"
    render_screenshot(scenario, "en", list(best.choices), (1280, 800), str(out))
    assert out.stat().st_size > 10_000


def test_a_whole_call_through_the_pygame_event_queue(app):
    """Events posted to SDL's queue and read back the way the main loop reads them."""
    call = open_scenario(app)
    best = analysis.best_and_worst(call.scenario)[0]

    def post_and_pump(k):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))
        for event in pygame.event.get():
            app.handle(event)
        app.draw()

    for index in best.responses:
        finish_line(app)
        post_and_pump(pygame.K_1 + call.engine.options(call.state).index(index))
        post_and_pump(pygame.K_SPACE)
    assert app.screen == "end" and call.state.ending == best.ending


def drawn_texts(app):
    """The texts ``app`` draws in one frame."""
    app.paint.start_recording()
    app.draw()
    texts = [box.text for box in app.paint.boxes if box.kind in ("text", "label")]
    app.paint.boxes = None
    return texts


def test_a_classroom_screenshot_hides_the_mood_number_as_the_live_window_does():
    from simulator.window.run import screenshot_app

    scenario = loader.load(str(ROOT / "simulator" / "library" / f"{SCENARIO}.yaml"))
    _start_pygame()
    try:
        app = screenshot_app(scenario, "en", [1], pygame.Surface((1600, 900)), classroom=True)
        mood = app.call.state.mood
        hidden = drawn_texts(app)
        app.call.revealed = True
        shown = drawn_texts(app)
    finally:
        pygame.quit()
    assert not any(f"{mood} · " in text for text in hidden)
    assert any(f"{mood} · " in text for text in shown)


def test_the_screenshot_command_reveals_classroom_scores_only_when_asked(tmp_path, capsys):
    from simulator.cli import main

    assert main(["screenshot", SCENARIO, "--reveal", "-o", str(tmp_path / "s.png")]) == 2
    assert "--classroom" in capsys.readouterr().err
    assert main(["screenshot", SCENARIO, "--classroom", "--reveal", "--size", "1280x800",
                 "-o", str(tmp_path / "s.png")]) == 0


def test_the_screenshot_command_draws_the_review_of_a_finished_call_only(tmp_path, capsys):
    from simulator.cli import main

    assert main(["screenshot", SCENARIO, "--choices", "3", "--review", "1", "-o", str(tmp_path / "r.png")]) == 2
    assert "finished call" in capsys.readouterr().err
    assert main(["screenshot", SCENARIO, "--choices", "3,2", "--review", "3", "-o", str(tmp_path / "r.png")]) == 2
    assert "turns 1 to 2" in capsys.readouterr().err
    assert main(["screenshot", SCENARIO, "--choices", "3,2", "--review", "2", "--size", "1280x800",
                 "-o", str(tmp_path / "r.png")]) == 0
