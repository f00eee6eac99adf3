"""The call window: scenario picker, name entry, the call, the end screen.

One App object owns the pygame surface and a small screen state machine. Drawing reads the
engine state and caches rendered text, so a frame is mostly blits. Everything that is not
drawing (engine, scoring, storage, reports) comes from the rest of the package.
"""

from __future__ import annotations

import dataclasses
import os
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pygame

from .. import scenarios as shipped
from ..core import engine as engine_mod
from ..core import scoring
from ..core.catalog import load_catalog
from ..core.diagnostics import Diagnostic
from ..core.engine import Engine, EngineError, State
from ..core.loader import load_with_diagnostics
from ..core.model import CATEGORIES, DIFFICULTIES, Scenario
from ..core.text import pick
from ..files import write_atomic
from ..i18n import UI, t
from ..report import data as report_data
from ..report import render as report_render
from ..storage import StorageError, Store
from .fonts import TextCache, font
from .settings import Settings, load_settings, save_settings

LIGHT = {"bg": (245, 247, 250), "panel": (255, 255, 255), "ink": (31, 41, 51), "muted": (97, 110, 124),
         "line": (216, 222, 230), "accent": (78, 121, 167), "good": (46, 125, 50), "bad": (198, 40, 40),
         "button": (236, 241, 247), "button_hi": (207, 224, 243), "customer": (233, 238, 244),
         "you": (226, 242, 229), "warn": (183, 121, 31)}
CONTRAST = {"bg": (0, 0, 0), "panel": (18, 18, 18), "ink": (255, 255, 255), "muted": (200, 200, 200),
            "line": (120, 120, 120), "accent": (255, 214, 0), "good": (102, 255, 102), "bad": (255, 102, 102),
            "button": (40, 40, 40), "button_hi": (90, 80, 0), "customer": (30, 30, 60), "you": (20, 60, 20),
            "warn": (255, 190, 60)}
REVEAL_CPS = 45  # characters per second of the customer's line


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Call:
    """The call in progress and where it is saved."""

    scenario: Scenario
    engine: Engine
    state: State
    session: int | None = None
    started_at: str = ""
    reveal_from: float = 0.0
    asked_at: float = 0.0
    pending: State | None = None  # answered; feedback showing before the next line
    selected: int = 0
    scroll: int = 0
    discuss: bool = False


@dataclass
class App:
    """The whole window."""

    surface: pygame.Surface
    settings: Settings = field(default_factory=load_settings)
    store: Store | None = None
    clock: Callable[[], float] = time.monotonic
    open_url: Callable[[str], object] = webbrowser.open
    headless: bool = False

    def __post_init__(self) -> None:
        self.catalog = load_catalog()
        self.text = TextCache()
        self.screen = "picker"
        self.scenarios: list[Scenario] = []
        self.broken: dict[str, list[Diagnostic]] = {}
        self.filter_category: str | None = None
        self.filter_difficulty: str | None = None
        self.selected = 0
        self.call: Call | None = None
        self.confirm_leave = False
        self.revealed = False
        self.banner = ""
        self.banner_until = 0.0
        self.errors: list[str] = []
        self.name_buffer = ""
        self.running = True
        self.fullscreen = False
        self._scale_key: tuple | None = None
        self._frozen_scale: float | None = None
        self._scale = 1.0
        self._surfaces: dict[tuple, pygame.Surface] = {}
        self._reviewed: tuple | None = None
        self.load_library()
        if not self.settings.trainee and not self.headless:
            self.start_name_entry()

    # -- helpers ---------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.settings.language

    @property
    def colors(self) -> dict:
        return CONTRAST if self.settings.classroom else LIGHT

    def scale(self) -> float:
        if self._frozen_scale is not None:
            return self._frozen_scale
        key = (self.surface.get_size(), self.settings.classroom)
        if key != self._scale_key:
            w, h = key[0]
            s = max(0.7, min(3.2, min(w / 1280, h / 800)))
            self._scale = s * (1.35 if self.settings.classroom else 1.0)
            self._scale_key = key
        return self._scale

    def px(self, value: float) -> int:
        return round(value * self.scale())

    def offscreen(self, size: tuple[int, int], draw: Callable[[], None], fill=None) -> pygame.Surface:
        """Draw into a surface of its own (a cached layer), at the window's scale."""
        layer = pygame.Surface(size)
        layer.fill(fill or self.colors["bg"])
        scale = self.scale()
        saved = self.surface
        self.surface, self._frozen_scale = layer, scale
        try:
            draw()
        finally:
            self.surface, self._frozen_scale = saved, None
        return layer

    def cached(self, key: tuple, make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """A drawn surface kept between frames (frames then cost blits, not drawing)."""
        surface = self._surfaces.get(key)
        if surface is None:
            if len(self._surfaces) > 600:
                self._surfaces.clear()
            surface = self._surfaces[key] = make()
        return surface

    def say(self, message: str, seconds: float = 4.0) -> None:
        self.banner = message
        self.banner_until = self.clock() + seconds

    def remember(self) -> None:
        problem = save_settings(self.settings)
        if problem:
            self.say(t("w.save_failed", self.lang, error=problem))

    def load_library(self) -> None:
        catalogue = shipped.load_folder()
        self.scenarios = sorted(catalogue.scenarios, key=lambda s: (s.category, s.difficulty, s.id))
        self.broken = catalogue.broken

    def visible_scenarios(self) -> list[Scenario]:
        return [s for s in self.scenarios
                if (self.filter_category is None or s.category == self.filter_category)
                and (self.filter_difficulty is None or s.difficulty == self.filter_difficulty)
                and self.lang in s.languages]

    # -- navigation ------------------------------------------------------------------------
    def start_name_entry(self) -> None:
        self.screen = "name"
        self.name_buffer = self.settings.trainee
        pygame.key.start_text_input()

    def start_call(self, scenario: Scenario) -> None:
        eng = Engine(scenario)
        lang = self.lang if self.lang in scenario.languages else scenario.languages[0]
        state = None
        session = None
        if self.store is not None:
            try:
                record = self.store.latest_open(scenario.id)
                if record is not None:
                    state = engine_mod.from_json(scenario, record.state)
                    session = record.id
            except (StorageError, EngineError) as e:
                self.say(str(e))
                state = None
        if state is None:
            state = eng.start(lang, int(self.clock() * 1000) % (1 << 31))
            if self.store is not None:
                try:
                    session = self.store.create(scenario.id, scenario.path, self.settings.trainee, lang, None,
                                                engine_mod.to_json(scenario, state), _now())
                except StorageError as e:
                    self.say(t("w.save_failed", self.lang, error=e))
        self.call = Call(scenario, eng, state, session, _now())
        self.revealed = False
        self.screen = "end" if state.over else "call"
        self.new_line()

    def new_line(self) -> None:
        if self.call:
            self.call.reveal_from = self.clock()
            self.call.asked_at = self.clock()
            self.call.selected = 0
            self.call.scroll = 0

    def persist(self) -> None:
        call = self.call
        if call is None or self.store is None or call.session is None:
            return
        try:
            result = scoring.score(call.scenario, call.state, self.catalog) if call.state.over else None
            self.store.save(call.session, engine_mod.to_json(call.scenario, call.state), _now(),
                            finished=call.state.over, ending=call.state.ending,
                            score=result.total if result else None)
        except StorageError as e:
            self.say(t("w.save_failed", self.lang, error=e), 8)

    def answer(self, option: int) -> None:
        call = self.call
        if call is None or call.pending is not None or call.state.over or call.discuss:
            return
        if option >= len(call.engine.options(call.state)):
            return
        elapsed = int((self.clock() - call.asked_at) * 1000)
        after = call.engine.choose(call.state, option, elapsed)
        call.state = after
        self.persist()
        if self.settings.feedback == "now":
            call.pending = after
        else:
            self.advance()

    def advance(self) -> None:
        call = self.call
        if call is None:
            return
        call.pending = None
        if call.state.over:
            self.screen = "end"
            self.revealed = not self.settings.classroom
        self.new_line()

    def undo(self) -> None:
        call = self.call
        if call is None or not call.state.history:
            return
        call.state = call.engine.undo(call.state)
        call.pending = None
        self.screen = "call"
        self.persist()
        self.new_line()

    def reload(self) -> None:
        """F5: read the scenario again; keep the position if it still fits."""
        call = self.call
        if call is None:
            self.load_library()
            self.say(t("w.reloaded", self.lang))
            return
        scenario, diagnostics = load_with_diagnostics(call.scenario.path)
        errors = [d for d in diagnostics if d.severity == "error"]
        if scenario is None or errors:
            self.errors = [t("w.reload_failed", self.lang)] + [d.format().split("\n")[0] for d in errors[:8]]
            return
        self.errors = []
        try:
            state = engine_mod.from_json(scenario, engine_mod.to_json(call.scenario, call.state))
        except EngineError as e:
            self.errors = [str(e)]
            return
        self.call = Call(scenario, Engine(scenario), state, call.session, call.started_at)
        self.screen = "end" if state.over else "call"
        self.new_line()
        self.say(t("w.reloaded", self.lang))

    def open_report(self) -> None:
        call = self.call
        if call is None:
            return
        report = report_data.build(call.scenario, call.state, self.settings.trainee, call.started_at, _now())
        folder = Path(os.environ.get("RETENTION_SIM_DATA") or Path.home() / ".local/share/retention-sim") / "reports"
        if self.store is not None:
            folder = self.store.path.parent / "reports"
        path = folder / f"{call.scenario.id}-{call.session or 'call'}.html"
        try:
            write_atomic(path, report_render.to_html(report))
        except OSError as e:
            self.say(t("w.report_failed", self.lang, error=e.strerror or e))
            return
        self.open_url(path.resolve().as_uri())
        self.say(t("w.report_opened", self.lang, path=path))

    def switch_language(self) -> None:
        self.settings.language = "zh" if self.lang == "en" else "en"
        self.remember()
        if self.call and self.lang in self.call.scenario.languages:
            self.call.state = dataclasses.replace(self.call.state, language=self.lang)
        self.selected = 0

    def toggle_fullscreen(self) -> None:
        if self.headless:
            return
        self.fullscreen = not self.fullscreen
        if self.fullscreen:
            self.surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            self.surface = pygame.display.set_mode((1280, 800), pygame.RESIZABLE)

    # -- events ----------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE and not self.headless and not self.fullscreen:
            self.surface = pygame.display.set_mode((max(800, event.w), max(600, event.h)), pygame.RESIZABLE)
            return
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
        if self.errors and event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_RETURN):
            self.errors = []  # the author has read them; F5 again after fixing the file
            return
        handler = {"picker": self.on_picker, "name": self.on_name, "call": self.on_call, "end": self.on_end}
        handler[self.screen](event)

    def on_name(self, event: pygame.event.Event) -> None:
        if event.type == pygame.TEXTINPUT:
            self.name_buffer = (self.name_buffer + event.text)[:40]
        elif event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.name_buffer.strip():
                self.settings.trainee = self.name_buffer.strip()
                self.remember()
                pygame.key.stop_text_input()
                self.screen = "picker"
            elif event.key == pygame.K_BACKSPACE:
                self.name_buffer = self.name_buffer[:-1]
            elif event.key == pygame.K_ESCAPE and self.settings.trainee:
                pygame.key.stop_text_input()
                self.screen = "picker"

    def on_picker(self, event: pygame.event.Event) -> None:
        items = self.visible_scenarios()
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_ESCAPE:
                self.running = False
            elif key in (pygame.K_DOWN, pygame.K_j):
                self.selected = min(len(items) - 1, self.selected + 1)
            elif key in (pygame.K_UP, pygame.K_k):
                self.selected = max(0, self.selected - 1)
            elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and items:
                self.start_call(items[min(self.selected, len(items) - 1)])
            elif key == pygame.K_c:
                self.filter_category = _cycle(self.filter_category, CATEGORIES)
                self.selected = 0
            elif key == pygame.K_d:
                self.filter_difficulty = _cycle(self.filter_difficulty, DIFFICULTIES)
                self.selected = 0
            elif key == pygame.K_l:
                self.switch_language()
            elif key == pygame.K_n:
                self.start_name_entry()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for index, rect in getattr(self, "_card_rects", []):
                if rect.collidepoint(event.pos):
                    if index == self.selected:
                        self.start_call(items[index])
                    self.selected = index
        elif event.type == pygame.MOUSEWHEEL:
            self.selected = max(0, min(len(items) - 1, self.selected - event.y))

    def on_call(self, event: pygame.event.Event) -> None:
        call = self.call
        if call is None:
            return
        if self.confirm_leave:
            if event.type == pygame.KEYDOWN and event.key in (pygame.K_y, pygame.K_RETURN):
                self.confirm_leave = False
                self.call = None
                self.screen = "picker"
            elif event.type == pygame.KEYDOWN and event.key in (pygame.K_n, pygame.K_ESCAPE):
                self.confirm_leave = False
            return
        if event.type == pygame.KEYDOWN:
            key = event.key
            full = self.line_complete()
            if key == pygame.K_ESCAPE:
                self.confirm_leave = True
            elif key == pygame.K_BACKSPACE:
                self.undo()
            elif key == pygame.K_p and self.settings.classroom:
                call.discuss = not call.discuss
            elif key == pygame.K_r and self.settings.classroom:
                self.revealed = not self.revealed
            elif key == pygame.K_PAGEUP:
                call.scroll += self.px(200)
            elif key == pygame.K_PAGEDOWN:
                call.scroll = max(0, call.scroll - self.px(200))
            elif call.pending is not None:
                if key in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_KP_ENTER):
                    self.advance()
            elif not full:
                call.reveal_from = -1e9  # any key completes the line
                call.asked_at = self.clock()
            elif key in (pygame.K_DOWN,):
                call.selected = min(len(call.engine.options(call.state)) - 1, call.selected + 1)
            elif key in (pygame.K_UP,):
                call.selected = max(0, call.selected - 1)
            elif key in (pygame.K_RETURN, pygame.K_KP_ENTER) or (key == pygame.K_SPACE and not self.settings.classroom):
                self.answer(call.selected)
            elif key == pygame.K_SPACE and self.settings.classroom:
                self.answer(call.selected)
            elif pygame.K_1 <= key <= pygame.K_9:
                self.answer(key - pygame.K_1)
            elif pygame.K_KP1 <= key <= pygame.K_KP9:
                self.answer(key - pygame.K_KP1)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if call.pending is not None:
                self.advance()
                return
            if not self.line_complete():
                call.reveal_from = -1e9
                return
            for index, rect in getattr(self, "_button_rects", []):
                if rect.collidepoint(event.pos):
                    self.answer(index)
        elif event.type == pygame.MOUSEWHEEL:
            call.scroll = max(0, call.scroll + event.y * self.px(60))

    def on_end(self, event: pygame.event.Event) -> None:
        if event.type != pygame.KEYDOWN:
            return
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.open_report()
        elif event.key == pygame.K_r:
            self.revealed = True
        elif event.key == pygame.K_n:
            self.call = None
            self.screen = "picker"
        elif event.key == pygame.K_BACKSPACE and self.settings.classroom:
            self.undo()
        elif event.key == pygame.K_ESCAPE:
            self.running = False

    def reviewed(self, call: Call) -> tuple[scoring.CallScore, list[str]]:
        """The score and the improvements of the call as it stands, worked out once per state."""
        if self._reviewed is None or self._reviewed[0] is not call.state:
            result = scoring.score(call.scenario, call.state, self.catalog)
            improvements = report_data.build(call.scenario, call.state)["improvements"] if call.state.over else []
            self._reviewed = (call.state, result, improvements)
        return self._reviewed[1], self._reviewed[2]

    def line_complete(self) -> bool:
        call = self.call
        if call is None or call.state.over:
            return True
        line = call.engine.customer_line(call.state)
        return (self.clock() - call.reveal_from) * REVEAL_CPS >= len(line)

    # -- drawing ---------------------------------------------------------------------------
    def draw(self) -> None:
        c = self.colors
        self.surface.fill(c["bg"])
        screens = {"picker": self.draw_picker, "name": self.draw_name, "call": self.draw_call, "end": self.draw_end}
        screens[self.screen]()
        if self.banner and self.clock() < self.banner_until:
            self.draw_banner(self.banner, c["warn"])
        if self.errors:
            self.draw_errors()

    def blit_text(self, text: str, size: float, color, x: int, y: int, width: int = 0, bold: bool = False) -> int:
        """Draw wrapped text; return the y below it."""
        surface = self.text.render(text, self.px(size), color, width, bold)
        self.surface.blit(surface, (x, y))
        return y + surface.get_height()

    def panel(self, rect: pygame.Rect, color=None) -> None:
        fill, line, radius = color or self.colors["panel"], self.colors["line"], self.px(10)

        behind = self.colors["bg"]

        def make() -> pygame.Surface:
            # Opaque, corners in the background colour: opaque blits are several times faster.
            surface = pygame.Surface(rect.size)
            surface.fill(behind)
            pygame.draw.rect(surface, fill, surface.get_rect(), border_radius=radius)
            pygame.draw.rect(surface, line, surface.get_rect(), width=1, border_radius=radius)
            return surface

        self.surface.blit(self.cached(("panel", rect.size, fill, line, radius, behind), make), rect.topleft)

    def draw_banner(self, message: str, color) -> None:
        w, h = self.surface.get_size()
        surf = self.text.render(message, self.px(15), (255, 255, 255), w - self.px(80))
        rect = pygame.Rect(self.px(20), h - surf.get_height() - self.px(44), w - self.px(40),
                           surf.get_height() + self.px(16))
        pygame.draw.rect(self.surface, color, rect, border_radius=self.px(8))
        self.surface.blit(surf, (rect.x + self.px(12), rect.y + self.px(8)))

    def draw_errors(self) -> None:
        w, h = self.surface.get_size()
        rect = pygame.Rect(self.px(40), self.px(40), w - self.px(80), h - self.px(80))
        self.panel(rect, (60, 10, 10))
        y = rect.y + self.px(16)
        for line in self.errors:
            y = self.blit_text(line, 15, (255, 230, 230), rect.x + self.px(16), y, rect.w - self.px(32)) + self.px(6)

    def header(self, title: str) -> int:
        w, _ = self.surface.get_size()
        c = self.colors
        y = self.px(14)
        self.blit_text(t("w.title", self.lang), 14, c["muted"], self.px(24), y)
        if self.settings.trainee:
            name = self.text.render(t("w.trainee", self.lang, name=self.settings.trainee), self.px(14), c["muted"])
            self.surface.blit(name, (w - name.get_width() - self.px(24), y))
        return self.blit_text(title, 26, c["ink"], self.px(24), y + self.px(22), bold=True) + self.px(10)

    def draw_picker(self) -> None:
        c = self.colors
        w, h = self.surface.get_size()
        y = self.header(t("w.pick", self.lang))
        category = self.label("category", self.filter_category) if self.filter_category else t("w.all", self.lang)
        difficulty = (self.label("difficulty", self.filter_difficulty) if self.filter_difficulty
                      else t("w.all", self.lang))
        y = self.blit_text(t("w.filters", self.lang, category=category, difficulty=difficulty, language=self.lang),
                           14, c["accent"], self.px(24), y) + self.px(10)
        items = self.visible_scenarios()
        if not items:
            self.blit_text(t("w.no_scenarios", self.lang, path=shipped.scenarios_dir()), 18, c["bad"], self.px(24), y)
        list_w = int(w * 0.42)
        footer = self.px(40)
        card_h = self.px(64)
        visible = max(1, (h - y - footer) // (card_h + self.px(8)))
        first = max(0, min(self.selected - visible // 2, len(items) - visible))
        self._card_rects = []
        for index in range(first, min(len(items), first + visible)):
            s = items[index]
            rect = pygame.Rect(self.px(24), y, list_w, card_h)
            self.panel(rect, c["button_hi"] if index == self.selected else c["panel"])
            self.blit_text(pick(s.title, self.lang), 16, c["ink"], rect.x + self.px(12), rect.y + self.px(8),
                           rect.w - self.px(24), bold=True)
            meta = (f"{self.label('category', s.category)} · {self.label('difficulty', s.difficulty)} · "
                    f"{t('personality.' + s.persona.personality, self.lang)}")
            self.blit_text(meta, 13, c["muted"], rect.x + self.px(12), rect.bottom - self.px(24))
            self._card_rects.append((index, rect))
            y += card_h + self.px(8)
        if items:
            s = items[min(self.selected, len(items) - 1)]
            rect = pygame.Rect(list_w + self.px(40), self.px(110), w - list_w - self.px(64), h - self.px(160))
            self.panel(rect)
            x, yy, width = rect.x + self.px(16), rect.y + self.px(14), rect.w - self.px(32)
            yy = self.blit_text(pick(s.title, self.lang), 20, c["ink"], x, yy, width, bold=True) + self.px(8)
            yy = self.persona_lines(s, None, x, yy, width) + self.px(8)
            yy = self.blit_text(pick(s.situation, self.lang), 16, c["ink"], x, yy, width) + self.px(12)
            yy = self.blit_text(t("w.objectives", self.lang), 15, c["accent"], x, yy, width, bold=True) + self.px(4)
            for objective in s.objectives:
                yy = self.blit_text("• " + pick(objective, self.lang), 15, c["ink"], x, yy, width) + self.px(4)
        feedback = t("w.feedback_" + self.settings.feedback, self.lang)
        self.blit_text(t("w.keys_picker", self.lang, feedback=feedback), 13, c["muted"], self.px(24), h - self.px(28))

    def label(self, kind: str, value: str) -> str:
        """A category or difficulty in the interface language (other ids as written)."""
        key = f"{kind}.{value}"
        return t(key, self.lang) if key in UI else value

    def persona_lines(self, scenario: Scenario, variant: str | None, x: int, y: int, width: int) -> int:
        c = self.colors
        p = scenario.persona_for(variant)
        lang = self.lang
        y = self.blit_text(pick(p.name, lang), 18, c["ink"], x, y, width, bold=True) + self.px(2)
        lines = [
            f"{t('segment.' + p.segment, lang)} · {t('w.tenure', lang, n=p.tenure_months)}",
            t("w.spend", lang, plan=pick(p.plan, lang), spend=f"{p.monthly_spend:g}",
              currency="元" if lang == "zh" and p.currency == "CNY" else p.currency),
            f"{t('stage.' + p.lifecycle_stage, lang)} · {t('personality.' + p.personality, lang)}",
        ]
        if p.churn_risk is not None:
            lines.append(f"{t('w.churn_risk', lang)}{t('colon', lang)}{p.churn_risk:g}")
        for line in lines:
            y = self.blit_text(line, 14, c["muted"], x, y, width) + self.px(2)
        return y

    def draw_name(self) -> None:
        c = self.colors
        w, _h = self.surface.get_size()
        y = self.header(t("w.title", self.lang))
        y = self.blit_text(t("w.name_prompt", self.lang), 18, c["ink"], self.px(24), y + self.px(30)) + self.px(12)
        rect = pygame.Rect(self.px(24), y, min(w - self.px(48), self.px(560)), self.px(48))
        self.panel(rect)
        cursor = "|" if int(self.clock() * 2) % 2 == 0 else " "
        self.blit_text(self.name_buffer + cursor, 22, c["ink"], rect.x + self.px(12), rect.y + self.px(8))

    def draw_face(self, center: tuple[int, int], radius: int, mood: int, emotion: str) -> None:
        warm = max(0.0, min(1.0, mood / 100))
        skin = (int(255 - 25 * (1 - warm)), int(214 - 70 * (1 - warm)), int(170 - 60 * (1 - warm)))
        cx, cy = center
        pygame.draw.circle(self.surface, skin, center, radius)
        pygame.draw.circle(self.surface, (60, 60, 60), center, radius, max(2, radius // 25))
        eye = max(3, radius // 9)
        for dx in (-radius // 3, radius // 3):
            pygame.draw.circle(self.surface, (40, 40, 40), (cx + dx, cy - radius // 5), eye)
        if emotion in ("angry", "annoyed") or mood < 30:
            for sign in (-1, 1):
                start = (cx + sign * radius // 2, cy - radius // 2.4)
                end = (cx + sign * radius // 6, cy - radius // 3)
                pygame.draw.line(self.surface, (40, 40, 40), start, end, max(2, radius // 18))
        curve = (mood - 50) / 50  # -1 frown … +1 smile
        width = radius * 0.9
        points = []
        for i in range(21):
            fx = -1 + i / 10
            # screen y grows downwards: a smile's middle sits lower than its corners
            points.append((cx + fx * width / 2, cy + radius * 0.38 + curve * radius * 0.22 * (1 - fx * fx)))
        pygame.draw.lines(self.surface, (90, 30, 30), False, points, max(2, radius // 16))

    def draw_mood_meter(self, rect: pygame.Rect, mood: int) -> None:
        def make() -> pygame.Surface:
            surface = pygame.Surface(rect.size)
            for i in range(rect.w):
                f = i / max(1, rect.w - 1)
                color = (int(220 - 170 * f), int(60 + 150 * f), 60)
                pygame.draw.line(surface, color, (i, 0), (i, rect.h - 1))
            return surface

        self.surface.blit(self.cached(("meter", rect.size), make), rect.topleft)
        marker = rect.x + int(rect.w * mood / 100)
        pygame.draw.polygon(self.surface, self.colors["ink"],
                            [(marker, rect.y - self.px(2)), (marker - self.px(7), rect.y - self.px(12)),
                             (marker + self.px(7), rect.y - self.px(12))])

    def draw_call(self) -> None:
        call = self.call
        if call is None:
            return
        c = self.colors
        w, h = self.surface.get_size()
        lang = call.state.language
        m = self.px(16)
        left_w = self.px(280)
        # left: the customer (one cached layer until the mood or the line changes)
        card = pygame.Rect(m, m, left_w, h - 2 * m)
        node = call.scenario.nodes.get(call.state.node)
        emotion = node.emotion if node else "neutral"
        key = ("card", card.size, call.scenario.path, call.state.variant, call.state.mood, emotion, lang,
               self.settings.classroom, self.scale())
        self.surface.blit(self.cached(key, lambda: self.offscreen(card.size, lambda: self.draw_card(
            call, pygame.Rect((0, 0), card.size), emotion))), card.topleft)
        # right: transcript above, answers below
        right = pygame.Rect(card.right + m, m, w - card.right - 2 * m, h - 2 * m)
        self._button_rects = []
        answers_top = right.bottom
        options = call.engine.choices(call.state) if not call.state.over else []
        bottom_h = 0
        button_surfaces = []
        if call.pending is not None:
            bottom_h = self.feedback_height(right.w)
        elif self.line_complete():
            for choice in options:
                surf = self.text.render(f"{choice.number}.\u00a0{choice.text}", self.px(17), c["ink"],
                                        right.w - self.px(40))
                button_surfaces.append(surf)
                bottom_h += surf.get_height() + self.px(22)
        footer_h = self.px(26)
        answers_top = right.bottom - bottom_h - footer_h
        transcript = pygame.Rect(right.x, right.y, right.w, answers_top - right.y - self.px(10))
        self.draw_transcript(call, transcript)
        y = answers_top
        if call.pending is not None:
            self.draw_feedback(call, pygame.Rect(right.x, y, right.w, bottom_h))
        else:
            for index, (choice, surf) in enumerate(zip(options, button_surfaces, strict=False)):
                rect = pygame.Rect(right.x, y, right.w, surf.get_height() + self.px(16))
                self.surface.blit(self.button(choice.text, choice.number, surf, rect.size, index == call.selected),
                                  rect.topleft)
                self._button_rects.append((index, rect))
                y = rect.bottom + self.px(6)
        keys = (t("w.keys_classroom", self.lang) if self.settings.classroom
                else t("w.keys_call", self.lang, n=len(options)))
        self.blit_text(keys, 13, c["muted"], right.x, right.bottom - self.px(20))
        if call.discuss:
            self.draw_banner(t("w.discuss", self.lang), c["accent"])
        if self.confirm_leave:
            self.draw_banner(t("w.leave", self.lang), c["bad"])

    def draw_card(self, call: Call, card: pygame.Rect, emotion: str) -> None:
        """The customer: face, mood, the persona card."""
        c = self.colors
        lang = call.state.language
        self.panel(card)
        x, width = card.x + self.px(14), card.w - self.px(28)
        radius = min(self.px(70), card.w // 3)
        self.draw_face((card.centerx, card.y + radius + self.px(14)), radius, call.state.mood, emotion)
        y = card.y + 2 * radius + self.px(30)
        mood_line = f"{t('mood', lang)}{t('colon', lang)}{call.state.mood} · {t('emotion.' + emotion, lang)}"
        y = self.blit_text(mood_line, 14, c["muted"], x, y, width) + self.px(18)
        self.draw_mood_meter(pygame.Rect(x, y, width, self.px(12)), call.state.mood)
        y += self.px(28)
        self.persona_lines(call.scenario, call.state.variant, x, y, width)

    def button(self, text: str, number: int, surf: pygame.Surface, size: tuple[int, int], selected: bool):
        """An answer button as one cached, opaque surface."""
        c = self.colors

        def make() -> pygame.Surface:
            layer = pygame.Surface(size)
            layer.fill(c["bg"])
            rect = layer.get_rect()
            pygame.draw.rect(layer, c["button_hi"] if selected else c["button"], rect, border_radius=self.px(8))
            pygame.draw.rect(layer, c["accent"] if selected else c["line"], rect, width=max(1, self.px(2)),
                             border_radius=self.px(8))
            layer.blit(surf, (self.px(14), self.px(8)))
            return layer

        return self.cached(("button", text, number, size, selected, c["bg"], self.scale()), make)

    def draw_transcript(self, call: Call, rect: pygame.Rect) -> None:
        """The conversation so far, newest at the bottom; the customer's current line types itself out.

        Everything but the line being typed is one cached layer, and the layout reserves the
        full line's height, so animating it costs one small bubble per frame.
        """
        c = self.colors
        lang = call.state.language
        eng = call.engine
        entries: list[tuple[str, str]] = []
        for turn in call.state.history:
            node = call.scenario.nodes[turn.node]
            entries.append(("customer", eng.say(call.state, node.customer)))
            entries.append(("you", eng.say(call.state, node.responses[turn.response].text)))
        partial = None
        last = eng.customer_line(call.state)
        if last or not call.state.over:
            entries.append(("customer", last))
            shown = int(max(0.0, self.clock() - call.reveal_from) * REVEAL_CPS)
            if not call.state.over and shown < len(last):
                partial = last[: max(0, shown)]
        self._transcript_rect = rect
        inner = rect.inflate(-self.px(24), -self.px(20))
        bubble_w = int(inner.w * 0.86)
        name = pick(call.scenario.persona_for(call.state.variant).name, lang)
        labels = {"customer": self.text.render(name, self.px(12), c["muted"]),
                  "you": self.text.render(t("you", lang), self.px(12), c["muted"])}
        label_h = labels["customer"].get_height()
        surfaces = [self.text.render(text or " ", self.px(17), c["ink"], bubble_w - self.px(24)) for _, text in entries]
        gap = self.px(10)
        total = sum(s.get_height() + self.px(16) + label_h + gap for s in surfaces)
        call.scroll = min(call.scroll, max(0, total - inner.h))
        top = inner.bottom - total + call.scroll
        places = []
        y = top
        for (who, _), surf in zip(entries, surfaces, strict=True):
            height = surf.get_height() + self.px(16)
            x = inner.x if who == "customer" else inner.right - bubble_w
            places.append((x - rect.x, y - rect.y, height))
            y += label_h + height + gap
        settled = len(entries) - (1 if partial is not None else 0)

        def draw_layer() -> None:
            local = pygame.Rect((0, 0), rect.size)
            self.panel(local)
            self.surface.set_clip(inner.move(-rect.x, -rect.y))
            for (who, content), surf, (x, yy, height) in zip(entries[:settled], surfaces, places, strict=False):
                if yy + label_h + height > inner.y - rect.y and yy < inner.bottom - rect.y:
                    self.surface.blit(self.bubble(who, content, surf, labels[who], bubble_w, height), (x, yy))
            self.surface.set_clip(None)

        key = ("transcript", rect.size, call.scenario.path, len(call.state.history), call.state.over, settled,
               call.scroll, lang, call.state.variant, self.settings.classroom, self.scale())
        self.surface.blit(self.cached(key, lambda: self.offscreen(rect.size, draw_layer)), rect.topleft)
        if partial is not None:
            x, yy, height = places[-1]
            surf = self.text.render(partial or " ", self.px(17), c["ink"], bubble_w - self.px(24))
            bubble = self.bubble("customer", partial, surf, labels["customer"], bubble_w, height)
            clip = self.surface.get_clip()
            self.surface.set_clip(inner)
            self.surface.blit(bubble, (rect.x + x, rect.y + yy))
            self.surface.set_clip(clip)

    def bubble(self, who: str, content: str, text: pygame.Surface, label: pygame.Surface, width: int,
               height: int) -> pygame.Surface:
        """One transcript entry (speaker, bubble and text) as a single cached, opaque surface."""
        c = self.colors
        fill = c["customer"] if who == "customer" else c["you"]

        def make() -> pygame.Surface:
            surface = pygame.Surface((width, label.get_height() + height))
            surface.fill(c["panel"])
            surface.blit(label, (self.px(6), 0))
            rect = pygame.Rect(0, label.get_height(), width, height)
            pygame.draw.rect(surface, fill, rect, border_radius=self.px(10))
            surface.blit(text, (self.px(12), rect.y + self.px(8)))
            return surface

        return self.cached(("bubble", content, who, width, height, fill, c["panel"], self.scale()), make)

    def feedback_height(self, width: int) -> int:
        return self.px(150)

    def draw_feedback(self, call: Call, rect: pygame.Rect) -> None:
        c = self.colors
        lang = call.state.language
        review = self.reviewed(call)[0].turns[-1]
        node = call.scenario.nodes[review.node]
        response = node.responses[review.response].for_personality(call.engine.personality(call.state))
        self.panel(rect)
        x, y, width = rect.x + self.px(14), rect.y + self.px(10), rect.w - self.px(28)
        for tid in review.techniques:
            y = self.badge(pick(self.catalog.techniques[tid].name, lang), c["good"], x, y, width)
        for mid in review.mistakes + review.auto_mistakes:
            y = self.badge(pick(self.catalog.mistakes[mid].name, lang), c["bad"], x, y, width)
        self._badge_x = None
        y += self.px(28)
        line = call.engine.say(call.state, response.feedback)
        y = self.blit_text(f"{t('mood', lang)} {review.mood_change:+d} · {line}", 15, c["ink"], x, y,
                           width) + self.px(4)
        if response.instead:
            instead = call.engine.say(call.state, response.instead)
            self.blit_text(f"{t('instead', lang)}{t('colon', lang)}{instead}", 14, c["good"], x, y, width)
        self.blit_text(t("w.continue", self.lang), 12, c["muted"], x, rect.bottom - self.px(20))

    def badge(self, text: str, color, x: int, y: int, width: int) -> int:
        bx = getattr(self, "_badge_x", None) or x
        surf = self.text.render(text, self.px(13), (255, 255, 255))
        if bx + surf.get_width() + self.px(16) > x + width:
            bx, y = x, y + self.px(28)
        rect = pygame.Rect(bx, y, surf.get_width() + self.px(16), surf.get_height() + self.px(6))
        pygame.draw.rect(self.surface, color, rect, border_radius=self.px(12))
        self.surface.blit(surf, (rect.x + self.px(8), rect.y + self.px(3)))
        self._badge_x = rect.right + self.px(6)
        return y

    def draw_end(self) -> None:
        call = self.call
        if call is None:
            return
        c = self.colors
        w, h = self.surface.get_size()
        lang = call.state.language
        result, improvements = self.reviewed(call)
        ending = call.scenario.endings[call.state.ending]
        y = self.header(f"{t('call_over', lang)} · {t('outcome.' + ending.outcome, lang)}")
        x, width = self.px(24), w - self.px(48)
        if ending.customer:
            name = pick(call.scenario.persona_for(call.state.variant).name, lang)
            y = self.blit_text(f"{name}: “{call.engine.say(call.state, ending.customer)}”", 17, c["ink"], x, y, width)
        y = self.blit_text(call.engine.say(call.state, ending.debrief), 16, c["muted"], x, y + self.px(6), width)
        y += self.px(14)
        if self.revealed:
            y = self.blit_text(f"Score: {result.total}/100{t('grade', lang, grade=result.grade)}", 30, c["accent"],
                               x, y, bold=True) + self.px(8)
            bar_w = min(self.px(360), width // 2)
            for part in result.parts:
                self.blit_text(t("part." + part.id, lang), 15, c["ink"], x, y)
                bar = pygame.Rect(x + self.px(230), y + self.px(6), bar_w, self.px(12))
                pygame.draw.rect(self.surface, c["line"], bar, border_radius=self.px(4))
                filled = bar.copy()
                filled.w = int(bar.w * max(0.0, part.points) / part.max)
                pygame.draw.rect(self.surface, c["bad"] if part.points < 0 else c["accent"], filled,
                                 border_radius=self.px(4))
                self.blit_text(f"{part.points:.1f} / {part.max:g}", 15, c["ink"], bar.right + self.px(12), y)
                y += self.px(26)
        else:
            y = self.blit_text(t("w.hidden", self.lang), 22, c["accent"], x, y) + self.px(8)
        y += self.px(10)
        y = self.blit_text(t("w.improve", lang), 17, c["ink"], x, y, bold=True) + self.px(4)
        for n, item in enumerate(improvements, start=1):
            y = self.blit_text(f"{n}. {item}", 15, c["ink"], x, y, width) + self.px(4)
        keys = t("w.end_keys_classroom", self.lang) if self.settings.classroom else t("w.end_keys", self.lang)
        self.blit_text(keys, 13, c["muted"], x, h - self.px(28))


def _start_pygame() -> None:
    """Only what the window uses: no audio device is opened (none may exist)."""
    pygame.display.init()
    pygame.font.init()
    font.cache_clear()  # fonts from an earlier pygame session are dead


def _cycle(current: str | None, values: tuple[str, ...]) -> str | None:
    order = (None, *values)
    return order[(order.index(current) + 1) % len(order)]


def run_window(size: tuple[int, int] = (1280, 800), classroom: bool | None = None,
               scenario_path: str | None = None) -> int:
    """Open the window (at the picker, or straight into ``scenario_path``) and run until it is closed."""
    _start_pygame()
    pygame.display.set_caption("Retention Call Simulator · 客户挽留通话模拟器")
    surface = pygame.display.set_mode(size, pygame.RESIZABLE)
    try:
        store = Store()
    except StorageError:
        store = None
    app = App(surface, store=store)
    if classroom is not None:
        app.settings.classroom = classroom
    if store is None:
        app.say("Sessions cannot be saved on this machine; calls will not resume.", 8)
    if scenario_path:
        chosen = next((s for s in app.scenarios if os.path.samefile(s.path, scenario_path)), None)
        if chosen is not None and app.settings.trainee:
            app.start_call(chosen)
    clock = pygame.time.Clock()
    try:
        while app.running:
            for event in pygame.event.get():
                app.handle(event)
            app.draw()
            pygame.display.flip()
            clock.tick(60)
    finally:
        pygame.quit()
    return 0


def render_screenshot(scenario: Scenario, language: str, choices: list[int], size: tuple[int, int],
                      output: str, classroom: bool = False, feedback: str = "now") -> None:
    """Draw the call after ``choices`` (1-based, as written) into a PNG, with no display."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    _start_pygame()
    try:
        surface = pygame.Surface(size)
        settings = Settings(trainee="", language=language, feedback=feedback, classroom=classroom)
        app = App(surface, settings=settings, headless=True, clock=lambda: 1e6)
        eng = Engine(scenario)
        state = eng.start(language, 0)
        for number in choices:
            state = eng.choose_response(state, number - 1)
        app.call = Call(scenario, eng, state, None, "", reveal_from=0.0)
        app.screen = "end" if state.over else "call"
        app.revealed = True
        app.draw()
        pygame.image.save(surface, output)
    finally:
        pygame.quit()


def frame_loop_seconds(app: App, frames: int) -> list[float]:
    """Draw ``frames`` frames and return each one's duration (for the benchmark)."""
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        app.draw()
        times.append(time.perf_counter() - start)
    return times

