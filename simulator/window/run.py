"""Running the window: the main loop that sleeps when nothing changes, and headless screenshots."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pygame

from ..core.engine import Engine
from ..core.loader import load
from ..core.model import Scenario
from ..i18n import t
from ..storage import StorageError
from .app import App
from .fonts import font
from .screens.name import NameScreen
from .screens.review import ReviewScreen
from .session import Call
from .settings import Settings, load_settings

if TYPE_CHECKING:
    from ..storage import Store


def _start_pygame() -> None:
    """Only what the window uses: no audio device is opened (none may exist)."""
    # Windows shows the input method's candidate list (Chinese typed as pinyin) only when asked to
    os.environ.setdefault("SDL_IME_SHOW_UI", "1")
    pygame.display.init()
    pygame.font.init()
    font.cache_clear()  # fonts from an earlier pygame session are dead


def run_window(size: tuple[int, int] = (1280, 800), classroom: bool | None = None,
               scenario_path: str | None = None, settings: dict | None = None, answer: str | None = None) -> int:
    """Open the window (at the picker, or straight into ``scenario_path``) and run until it is closed.

    ``settings`` (language, feedback, trainee) override the remembered ones for this run; ``answer``
    (choice, free or both) sets the answer mode for this run, as ``classroom`` sets the look.
    """
    _start_pygame()
    pygame.display.set_caption("Retention Call Simulator · 客户挽留通话模拟器")
    surface = pygame.display.set_mode(size, pygame.RESIZABLE)
    opened: list[Store] = []
    try:
        _run(surface, opened, classroom, scenario_path, settings, answer)
    finally:
        pygame.quit()
        for store in opened:
            store.close()  # its connections, a server's included, close now rather than whenever Python collects them
    return 0


def open_store() -> Store | None:
    """The session store, or None when it cannot be opened (the window then says calls are not saved)."""
    from ..storage import Store  # SQLAlchemy's import and the database's first open: after the first frame

    try:
        return Store()
    except StorageError:
        return None


def _run(surface: pygame.Surface, opened: list[Store], classroom: bool | None, scenario_path: str | None,
         settings: dict | None, answer: str | None) -> None:
    """Make the app on ``surface`` as :func:`run_window` was asked and run it until the window is closed.

    The first frame is drawn before the store opens (nothing on it needs the store, and opening it
    costs a quarter of a second); no event is read before it is open, so nothing can be missed.
    """
    remembered = load_settings()
    for name, value in (settings or {}).items():
        setattr(remembered, name, value)
    app = App(surface, settings=remembered)
    if classroom is not None:
        app.settings.classroom = classroom
    if answer is not None:
        app.settings.answer = answer
    app.draw()
    pygame.display.flip()
    app.store = open_store()
    if app.store is None:
        app.say(t("w.no_store", app.lang), 8)
    else:
        opened.append(app.store)
    if scenario_path:
        open_first(app, scenario_path)
    main_loop(app)


def open_first(app: App, scenario_path: str) -> None:
    """Start the call of ``scenario_path`` (a library scenario or any other file), after the name if one is asked."""
    chosen = next((s for s in app.scenarios if os.path.samefile(s.path, scenario_path)), None)
    if chosen is None:
        chosen = load(scenario_path)  # a file outside the library; the command has already checked it loads
    entry = app.stack[-1]
    if isinstance(entry, NameScreen):
        entry.then = lambda: app.start_call(chosen)  # the call is saved under the name typed first
    else:
        app.start_call(chosen)


def main_loop(app: App) -> None:
    """Draw when something changed, sleep in between: an idle window costs no CPU.

    A frame is drawn after events and while something moves by itself (the customer's line
    typing, the name cursor, a message about to go); otherwise the loop waits for the next
    event, or until the next timed change.
    """
    clock = pygame.time.Clock()
    dirty, was_moving = True, False
    while app.running:
        app.settle()
        if dirty:
            app.draw()
            pygame.display.flip()
        delay = app.next_change()
        moving = delay is not None and delay <= 1 / 60
        if moving or was_moving:  # one more frame after the movement ends shows where it ended
            was_moving = moving
            clock.tick(60)  # at most 60 frames a second
            events = pygame.event.get()
            dirty = True
        else:
            first = pygame.event.wait(-1 if delay is None else max(1, int(delay * 1000)))
            events = [first, *pygame.event.get()] if first.type != pygame.NOEVENT else []
            dirty = delay is not None or any(e.type != pygame.MOUSEMOTION for e in events)
        for event in events:
            app.handle(event)


def render_screenshot(scenario: Scenario, language: str, choices: list[int], size: tuple[int, int],
                      output: str, classroom: bool = False, feedback: str = "now",
                      revealed: bool | None = None, review: int | None = None, answer: str = "choice",
                      typed: str = "") -> None:
    """Draw the call after ``choices`` (1-based, as written) into a PNG, with no display.

    The scores show as the live window shows them: hidden in classroom mode until R, unless
    ``revealed`` says otherwise (True: as after R). ``review``: the finished call's turn-by-turn
    review at that turn (1-based). ``answer``: the answer mode (choice, free, both); ``typed``: words
    typed into the answer box and sent with Enter, as a trainee would (what was heard, or "Did you mean …?").
    """
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    _start_pygame()
    try:
        app = screenshot_app(scenario, language, choices, pygame.Surface(size), classroom, feedback, revealed,
                             answer, typed)
        if review is not None:
            app.push(ReviewScreen(app, review - 1))
        app.draw()
        pygame.image.save(app.surface, output)
    finally:
        pygame.quit()


def screenshot_app(scenario: Scenario, language: str, choices: list[int], surface: pygame.Surface,
                   classroom: bool = False, feedback: str = "now", revealed: bool | None = None,
                   answer: str = "choice", typed: str = "") -> App:
    """A headless App showing the call after ``choices``, ready to draw onto ``surface``; ``typed``: words
    typed into the answer box (answer mode free or both) and sent with Enter."""
    settings = Settings(trainee="", language=language, feedback=feedback, classroom=classroom, answer=answer)
    app = App(surface, settings=settings, headless=True, clock=lambda: 1e6)
    eng = Engine(scenario)
    state = eng.start(language, 0)
    for number in choices:
        state = eng.choose_response(state, number - 1)
    shown = not classroom if revealed is None else revealed
    app.call = Call(scenario, eng, state, None, "", reveal_from=0.0, revealed=shown)
    app.show_call()
    if typed:  # as the input method commits it, then Enter: the box sends it like a trainee's answer
        app.handle(pygame.event.Event(pygame.TEXTINPUT, text=typed))
        app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r"))
    return app
