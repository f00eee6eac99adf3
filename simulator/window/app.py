"""The call window: the App owns the pygame surface, the settings and a stack of screens.

The screens (``screens/``: picker, name, call, end, dialogs) draw through one shared toolkit
(``toolkit.Painter``) in one theme; the call in progress and what can happen to it live in
``session``. The App handles the keys that work everywhere (F2–F5, F11) and hands every other
event to the screen on top.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from .. import scenarios as shipped
from ..core import scoring
from ..core.catalog import load_catalog
from ..core.diagnostics import Diagnostic
from ..core.engine import Said
from ..core.model import Scenario
from ..i18n import t
from ..report import data as report_data
from . import session
from .browser import Opening, open_in_browser
from .screens import Screen
from .screens.call import CallScreen

if TYPE_CHECKING:
    from ..storage import Store  # opened by run.py after the first frame (it imports SQLAlchemy)
from .screens.dialogs import ErrorsDialog, LeaveDialog
from .screens.end import EndScreen
from .screens.name import NameScreen
from .screens.picker import PickerScreen
from .screens.takeover import TakeOverDialog
from .session import Call
from .settings import Settings, load_settings, save_settings
from .theme import ZOOMS, Theme, theme_for
from .toolkit import Painter


@dataclass
class App:
    """The whole window."""

    surface: pygame.Surface
    settings: Settings = field(default_factory=load_settings)
    store: Store | None = None
    clock: Callable[[], float] = time.monotonic
    open_url: Callable[[str], object] = open_in_browser  # True only when a browser really opened
    headless: bool = False

    def __post_init__(self) -> None:
        self.catalog = load_catalog()
        self.scenarios: list[Scenario] = []
        self.broken: dict[str, list[Diagnostic]] = {}
        self.call: Call | None = None
        self.banner = ""
        self.banner_until = 0.0
        self.running = True
        self.fullscreen = False
        self.focused = True
        self._reviewed: tuple | None = None
        self.opening: tuple[Opening, Path] | None = None  # a report's browser being watched
        self.load_library()
        self.picker = PickerScreen(self)
        self.stack: list[Screen] = [self.picker]
        self.unfinished = session.unfinished(self)  # marked "continue" on the picker
        if not self.settings.trainee and not self.headless:
            self.start_name_entry()

    # The surface may be replaced (resize, full screen, a test's set_mode); the painter follows.
    @property
    def surface(self) -> pygame.Surface:
        return self._surface

    @surface.setter
    def surface(self, value: pygame.Surface) -> None:
        self._surface = value
        if hasattr(self, "paint"):
            self.paint.surface = value
        else:
            self.paint = Painter(value)

    # -- the stack of screens ----------------------------------------------------------------
    @property
    def screen(self) -> str:
        """The name of the screen in front (dialogs aside)."""
        return next(s.name for s in reversed(self.stack) if not s.overlay)

    def push(self, screen: Screen) -> None:
        """Put ``screen`` in front."""
        self.stack.append(screen)

    def pop(self, screen: Screen) -> None:
        """Close ``screen`` (the picker at the bottom stays)."""
        if screen in self.stack[1:]:
            self.stack.remove(screen)

    def to_picker(self) -> None:
        """Leave the call (it stays saved) and show the picker."""
        if self.call is not None:
            self.call.recorder.flush()  # one last try for answers a failed save kept in memory
        self.call = None
        del self.stack[1:]
        self.unfinished = session.unfinished(self)

    def show_call(self) -> None:
        """Show the call in progress: the call screen, or the end screen once it is over."""
        del self.stack[1:]
        if self.call is not None:
            self.push(EndScreen(self) if self.call.state.over else CallScreen(self))

    def show_errors(self, lines: list[str]) -> None:
        """Show ``lines`` in the errors dialog (none: close it)."""
        self.stack = [s for s in self.stack if not isinstance(s, ErrorsDialog)]
        if lines:
            self.push(ErrorsDialog(self, lines))

    def _top(self, kind: type) -> Screen | None:
        return next((s for s in reversed(self.stack) if isinstance(s, kind)), None)

    # What the tests and the benchmark read of the screens.
    @property
    def selected(self) -> int:
        return self.picker.selected

    @property
    def confirm_leave(self) -> bool:
        return isinstance(self.stack[-1], LeaveDialog)

    @property
    def revealed(self) -> bool:
        return bool(self.call and self.call.revealed)

    @property
    def errors(self) -> list[str]:
        dialog = self._top(ErrorsDialog)
        return dialog.lines if dialog else []

    @property
    def _button_rects(self) -> list[tuple[int, pygame.Rect]]:
        screen = self._top(CallScreen)
        return screen.button_rects if screen else []

    @property
    def _transcript_rect(self) -> pygame.Rect | None:
        screen = self._top(CallScreen)
        return screen.transcript.rect if screen else None

    # -- helpers ---------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.settings.language

    @property
    def theme(self) -> Theme:
        return theme_for(self.settings.classroom)

    def px(self, value: float) -> int:
        """``value`` design pixels at the window's current scale."""
        return self.paint.px(value)

    def say(self, message: str, seconds: float = 4.0) -> None:
        """A passing message at the bottom of the window."""
        self.banner = message
        self.banner_until = self.clock() + seconds

    def remember(self) -> None:
        """Save the settings (a failure is said, not raised)."""
        problem = save_settings(self.settings)
        if problem:
            self.say(t("w.save_failed", self.lang, error=problem))

    def load_library(self) -> None:
        """Read the scenario folder again."""
        catalogue = shipped.load_folder()
        self.scenarios = sorted(catalogue.scenarios, key=lambda s: (s.category, s.difficulty, s.id))
        self.broken = catalogue.broken

    def visible_scenarios(self) -> list[Scenario]:
        """The picker's list as filtered."""
        return self.picker.visible()

    def reviewed(self, call: Call) -> tuple[scoring.CallScore, list[str]]:
        """The score and the improvements of the call as it stands, worked out once per state."""
        if self._reviewed is None or self._reviewed[0] is not call.state:
            result = scoring.score(call.scenario, call.state, self.catalog)
            report = report_data.build(call.scenario, call.state, catalog=self.catalog) if call.state.over else None
            self._reviewed = (call.state, result, report)
        report = self._reviewed[2]
        return self._reviewed[1], report["improvements"] if report else []

    def report(self, call: Call) -> dict:
        """The report data of the finished call (what the HTML report shows), built once per state."""
        self.reviewed(call)
        return self._reviewed[2] or report_data.build(call.scenario, call.state, catalog=self.catalog)

    def next_change(self) -> float | None:
        """Seconds until the picture changes by itself (0: it is moving), or None: only events change it."""
        now = self.clock()
        waits = []
        if self.banner and now < self.banner_until:
            waits.append(self.banner_until - now)
        if self.opening is not None:
            waits.append(0.05)  # look again soon whether the report's browser has answered
        top = self.stack[-1]
        if isinstance(top, NameScreen):
            waits.append(0.5 - (now * 2 % 1) / 2)  # the cursor blinks twice a second
        if isinstance(top, CallScreen) and self.call is not None and not self.line_complete():
            waits.append(0.0)
        return max(0.0, min(waits)) if waits else None

    def paused(self) -> bool:
        """Whether the answer clock stands still: P, a dialog open, or the window not in focus."""
        return (not self.focused or any(s.overlay for s in self.stack)
                or bool(self.call and self.call.discuss))

    def line_complete(self) -> bool:
        """Whether the customer's current line is shown in full (no call: yes)."""
        return self.call is None or self.call.line_complete(self.clock())

    # -- navigation and the call -------------------------------------------------------------
    def start_name_entry(self) -> None:
        """Ask for the trainee's name."""
        self.push(NameScreen(self))

    def start_call(self, scenario: Scenario, fresh: bool = False) -> None:
        """Open ``scenario``: its unfinished call if there is one (unless ``fresh``), else a new call."""
        self.call = session.open_call(self, scenario, fresh)
        self.show_call()
        session.new_line(self)

    def answer(self, option: int, said: Said | None = None) -> None:
        """Answer with the ``option``-th choice as shown (0-based); ``said``: the typed words behind it."""
        session.answer(self, option, said)
        self.offer_take_over()

    def advance(self) -> None:
        """Past the feedback."""
        session.advance(self)

    def undo(self) -> None:
        """Take the last answer back."""
        session.undo(self)
        self.offer_take_over()

    def offer_take_over(self) -> None:
        """The call was continued elsewhere and this window's save refused: ask to take over or go back."""
        if self.call is not None and self.call.recorder.taken and not self._top(TakeOverDialog):
            self.push(TakeOverDialog(self))

    def reload(self) -> None:
        """F5: read the scenario (or the library) again."""
        session.reload(self)

    def open_report(self) -> None:
        """Write the call's report and start opening it (the answer comes in :meth:`settle`)."""
        session.open_report(self)

    def settle(self, wait: float = 0.0) -> None:
        """Take in what finished in the background: whether the report's browser opened."""
        session.settle_report(self, wait)

    def switch_language(self) -> None:
        """English ⇄ Chinese, remembered."""
        self.settings.language = "zh" if self.lang == "en" else "en"
        self.remember()
        session.follow_language(self)
        self.picker.selected = 0

    def toggle_fullscreen(self) -> None:
        if self.headless:
            return
        self.fullscreen = not self.fullscreen
        if self.fullscreen:
            self.surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            self.surface = pygame.display.set_mode((1280, 800), pygame.RESIZABLE)

    # -- events and drawing ------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        """One event: the keys that work everywhere, then the screen in front."""
        if event.type != pygame.MOUSEMOTION:  # whatever an event changes, the next frame is drawn whole
            self.paint.showing = None
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE and not self.headless and not self.fullscreen:
            self.surface = pygame.display.set_mode((max(800, event.w), max(600, event.h)), pygame.RESIZABLE)
            return
        if event.type in (pygame.WINDOWFOCUSLOST, pygame.WINDOWFOCUSGAINED):
            self.focused = event.type == pygame.WINDOWFOCUSGAINED
        self._dispatch(event)
        if self.call is not None:
            self.call.pause(self.paused(), self.clock())

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F11:
                self.toggle_fullscreen()
                return
            if event.key == pygame.K_F2:
                self.switch_language()
                return
            if event.key == pygame.K_F3:
                self.settings.feedback = "end" if self.settings.feedback == "now" else "now"
                self.remember()
                return
            if event.key == pygame.K_F4:
                self.settings.classroom = not self.settings.classroom
                self.remember()
                return
            if event.key == pygame.K_F5:
                self.reload()
                return
            # "-" is part of a name, or of a typed answer
            typing = isinstance(self.stack[-1], NameScreen) or getattr(self.stack[-1], "typing", False)
            if event.key in (pygame.K_EQUALS, pygame.K_PLUS, pygame.K_KP_PLUS) and not typing:
                self.resize_text(+1)
                return
            if event.key in (pygame.K_MINUS, pygame.K_KP_MINUS) and not typing:
                self.resize_text(-1)
                return
        if self.stack[-1].click_action(event):
            return
        self.stack[-1].handle(event)

    def resize_text(self, step: int) -> None:
        """The text-size key: one step larger or smaller, remembered."""
        steps = list(ZOOMS)
        here = min(range(len(steps)), key=lambda i: abs(steps[i] - self.settings.text_size))
        before = self.theme.scale(self.surface.get_size(), self.settings.text_size)
        self.settings.text_size = steps[max(0, min(len(steps) - 1, here + step))]
        self.paint.zoom = self.settings.text_size
        self.remember()
        if step > 0 and self.theme.scale(self.surface.get_size(), self.settings.text_size) <= before:
            self.say(t("w.text_largest", self.lang))  # the window holds no larger text: say why nothing grew

    def draw(self) -> None:
        """Draw the screen in front and the dialogs over it."""
        self.paint.theme = self.theme
        self.paint.zoom = self.settings.text_size
        self.paint.surface = self.surface
        c = self.paint.colors
        banner = bool(self.banner) and self.clock() < self.banner_until
        front = self.stack[-1]
        # a screen alone, no message, not measuring the layout: it may keep its still picture on the window
        still = None if banner or front.overlay or self.paint.boxes is not None else front.still_key()
        shown = None if still is None else (self.surface, self.surface.get_size(), front, still)
        if shown is not None and self.paint.showing == shown:
            self.paint.layer = 0
            front.draw_moving(self.surface)
            return
        self.paint.showing = None
        self.surface.fill(c["bg"])
        base = max(i for i, s in enumerate(self.stack) if not s.overlay)
        for layer, screen in enumerate(self.stack[base:]):
            self.paint.layer = layer
            screen.draw(self.surface)
        if banner:
            self.paint.layer = len(self.stack)
            self.paint.banner(self.banner, c["warn"])
        self.paint.showing = shown

