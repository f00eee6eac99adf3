"""The scenario picker: filters, the list of calls, the selected call's brief."""

from __future__ import annotations

import pygame

from ... import scenarios as shipped
from ...core.model import CATEGORIES, DIFFICULTIES, Scenario
from ...core.text import pick
from ...i18n import UI, t
from ..settings import ANSWER_MODES
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
            elif key == pygame.K_r and items and items[min(self.selected, len(items) - 1)].id in app.unfinished:
                app.start_call(items[min(self.selected, len(items) - 1)], fresh=True)
            elif key == pygame.K_l:
                app.switch_language()
            elif key == pygame.K_n:
                app.start_name_entry()
            elif key == pygame.K_a:  # how the calls are answered: pick, type, or either
                modes = ANSWER_MODES
                app.settings.answer = modes[(modes.index(app.settings.answer) + 1) % len(modes)]
                app.remember()
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
        m = p.px(24)
        y = p.header(t("w.pick", lang), lang, app.settings.trainee)
        category = self.label("category", self.filter_category) if self.filter_category else t("w.all", lang)
        difficulty = (self.label("difficulty", self.filter_difficulty) if self.filter_difficulty
                      else t("w.all", lang))
        filters = t("w.filters", lang, category=category, difficulty=difficulty, language=t("w.language_name", lang))
        feedback = t("w.feedback_" + app.settings.feedback, lang)
        actions = (self.actions(filters, [pygame.K_c, pygame.K_d, pygame.K_l])
                   + self.actions(t("w.keys_picker", lang, feedback=feedback),
                                  [None, pygame.K_RETURN, pygame.K_n, pygame.K_F2, pygame.K_F3, pygame.K_F4,
                                   pygame.K_F11, pygame.K_ESCAPE])
                   + self.actions(t("w.keys_text_size", lang), [pygame.K_EQUALS, pygame.K_MINUS])
                   + [(t("w.answer_mode", lang, mode=t("w.answer." + app.settings.answer, lang)), pygame.K_a)])
        items = self.visible()
        if items and items[min(self.selected, len(items) - 1)].id in app.unfinished:
            actions.insert(5, (t("w.restart", lang), pygame.K_r))  # after Start
        bar_h, self.hits = p.action_bar(actions, m, h - p.px(12), w - 2 * m)
        bottom = h - p.px(12) - bar_h - p.px(12)
        if not items:
            p.blit_text(t("w.no_scenarios", lang, path=shipped.scenarios_dir()), 18, c["bad"], m, y, w - 2 * m)
            self.card_rects = []
            return
        list_w = int(w * 0.42)
        self.draw_cards(items, pygame.Rect(m, y, list_w, bottom - y))
        s = items[min(self.selected, len(items) - 1)]
        rect = pygame.Rect(list_w + p.px(40), y, w - list_w - p.px(64), bottom - y)
        p.panel(rect)
        x, width = rect.x + p.px(16), rect.w - p.px(32)

        def brief(k: float) -> int:
            yy = p.blit_text(pick(s.title, lang), 20 * k, c["ink"], x, rect.y + p.px(14), width, bold=True) + p.px(8)
            yy = p.persona_lines(s, None, lang, x, yy, width, k) + p.px(8)
            yy = p.blit_text(pick(s.situation, lang), 16 * k, c["ink"], x, yy, width) + p.px(12)
            yy = p.blit_text(t("w.objectives", lang), 15 * k, c["accent"], x, yy, width, bold=True) + p.px(4)
            for objective in s.objectives:
                line = p.render("• " + pick(objective, lang), 15 * k, c["ink"], width)
                if yy + line.get_height() > rect.bottom - p.px(10):
                    if p.dry:
                        return yy + line.get_height()  # too tall: the next smaller size is tried
                    break  # at the smallest size, what does not fit is left out rather than overflow
                p.blit(line, (x, yy), pick(objective, lang))
                yy += line.get_height() + p.px(4)
            return yy

        brief(p.fit(brief, rect.bottom - p.px(10)))

    def draw_cards(self, items: list[Scenario], area: pygame.Rect) -> None:
        """The list of calls: each card as tall as its wrapped title needs; the selection always shown."""
        p, lang = self.paint, self.app.lang
        c = p.colors
        gap, pad = p.px(8), p.px(10)
        inner = area.w - 2 * p.px(12)
        cards = []
        for s in items:
            title = p.render(pick(s.title, lang), 16, c["ink"], inner, bold=True)
            meta_text = (f"{self.label('category', s.category)} · {self.label('difficulty', s.difficulty)} · "
                         f"{t('personality.' + s.persona.personality, lang)}")
            if s.id in self.app.unfinished:
                meta_text += " · " + t("w.resume", lang)
            meta = p.render(meta_text, 13, c["muted"], inner)
            cards.append((s, title, meta, meta_text, title.get_height() + meta.get_height() + 2 * pad + p.px(4)))
        selected = min(self.selected, len(items) - 1)
        first = 0
        while first < selected and sum(card[4] + gap for card in cards[first:selected + 1]) > area.h:
            first += 1
        self.card_rects = []
        y = area.y
        for index in range(first, len(items)):
            s, title, meta, meta_text, height = cards[index]
            if y + height > area.bottom:
                break
            rect = pygame.Rect(area.x, y, area.w, height)
            p.panel(rect, c["button_hi"] if index == self.selected else c["panel"])
            p.blit(title, (rect.x + p.px(12), rect.y + pad), pick(s.title, lang))
            p.blit(meta, (rect.x + p.px(12), rect.bottom - pad - meta.get_height()), meta_text)
            self.card_rects.append((index, rect))
            y += height + gap
