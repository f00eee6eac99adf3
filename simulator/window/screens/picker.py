"""The scenario picker: filters, the list of calls, the selected call's brief."""

from __future__ import annotations

import pygame

from ... import scenarios as shipped
from ...core.model import CATEGORIES, DIFFICULTIES, Scenario
from ...core.text import pick
from ...i18n import UI, t
from . import Screen


def _cycle(current: str | None, values: tuple[str, ...]) -> str | None:
    order = (None, *values)
    return order[(order.index(current) + 1) % len(order)]


class PickerScreen(Screen):
    """Choose a call: arrows or the mouse, C and D filter, Enter starts."""

    name = "picker"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.filter_category: str | None = None
        self.filter_difficulty: str | None = None
        self.selected = 0
        self.card_rects: list[tuple[int, pygame.Rect]] = []

    def visible(self) -> list[Scenario]:
        """The scenarios that pass the filters and speak the interface language."""
        lang = self.app.lang
        return [s for s in self.app.scenarios
                if (self.filter_category is None or s.category == self.filter_category)
                and (self.filter_difficulty is None or s.difficulty == self.filter_difficulty)
                and lang in s.languages]

    def label(self, kind: str, value: str) -> str:
        """A category or difficulty in the interface language (other ids as written)."""
        key = f"{kind}.{value}"
        return t(key, self.app.lang) if key in UI else value

    def handle(self, event: pygame.event.Event) -> None:
        app = self.app
        items = self.visible()
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_ESCAPE:
                app.running = False
            elif key in (pygame.K_DOWN, pygame.K_j):
                self.selected = min(len(items) - 1, self.selected + 1)
            elif key in (pygame.K_UP, pygame.K_k):
                self.selected = max(0, self.selected - 1)
            elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and items:
                app.start_call(items[min(self.selected, len(items) - 1)])
            elif key == pygame.K_c:
                self.filter_category = _cycle(self.filter_category, CATEGORIES)
                self.selected = 0
            elif key == pygame.K_d:
                self.filter_difficulty = _cycle(self.filter_difficulty, DIFFICULTIES)
                self.selected = 0
            elif key == pygame.K_l:
                app.switch_language()
            elif key == pygame.K_n:
                app.start_name_entry()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for index, rect in self.card_rects:
                if rect.collidepoint(event.pos):
                    if index == self.selected:
                        app.start_call(items[index])
                    self.selected = index
        elif event.type == pygame.MOUSEWHEEL:
            self.selected = max(0, min(len(items) - 1, self.selected - event.y))

    def draw(self, surface: pygame.Surface) -> None:
        p, app = self.paint, self.app
        c, lang = p.colors, app.lang
        w, h = surface.get_size()
        y = p.header(t("w.pick", lang), lang, app.settings.trainee)
        category = self.label("category", self.filter_category) if self.filter_category else t("w.all", lang)
        difficulty = (self.label("difficulty", self.filter_difficulty) if self.filter_difficulty
                      else t("w.all", lang))
        y = p.blit_text(t("w.filters", lang, category=category, difficulty=difficulty, language=lang),
                        14, c["accent"], p.px(24), y) + p.px(10)
        items = self.visible()
        if not items:
            p.blit_text(t("w.no_scenarios", lang, path=shipped.scenarios_dir()), 18, c["bad"], p.px(24), y)
        list_w = int(w * 0.42)
        footer = p.px(40)
        card_h = p.px(64)
        visible = max(1, (h - y - footer) // (card_h + p.px(8)))
        first = max(0, min(self.selected - visible // 2, len(items) - visible))
        self.card_rects = []
        for index in range(first, min(len(items), first + visible)):
            s = items[index]
            rect = pygame.Rect(p.px(24), y, list_w, card_h)
            p.panel(rect, c["button_hi"] if index == self.selected else c["panel"])
            p.blit_text(pick(s.title, lang), 16, c["ink"], rect.x + p.px(12), rect.y + p.px(8),
                        rect.w - p.px(24), bold=True)
            meta = (f"{self.label('category', s.category)} · {self.label('difficulty', s.difficulty)} · "
                    f"{t('personality.' + s.persona.personality, lang)}")
            p.blit_text(meta, 13, c["muted"], rect.x + p.px(12), rect.bottom - p.px(24))
            self.card_rects.append((index, rect))
            y += card_h + p.px(8)
        if items:
            s = items[min(self.selected, len(items) - 1)]
            rect = pygame.Rect(list_w + p.px(40), p.px(110), w - list_w - p.px(64), h - p.px(160))
            p.panel(rect)
            x, yy, width = rect.x + p.px(16), rect.y + p.px(14), rect.w - p.px(32)
            yy = p.blit_text(pick(s.title, lang), 20, c["ink"], x, yy, width, bold=True) + p.px(8)
            yy = p.persona_lines(s, None, lang, x, yy, width) + p.px(8)
            yy = p.blit_text(pick(s.situation, lang), 16, c["ink"], x, yy, width) + p.px(12)
            yy = p.blit_text(t("w.objectives", lang), 15, c["accent"], x, yy, width, bold=True) + p.px(4)
            for objective in s.objectives:
                yy = p.blit_text("• " + pick(objective, lang), 15, c["ink"], x, yy, width) + p.px(4)
        feedback = t("w.feedback_" + app.settings.feedback, lang)
        p.blit_text(t("w.keys_picker", lang, feedback=feedback), 13, c["muted"], p.px(24), h - p.px(28))
