"""The end screen: the outcome, the debrief, the score and three things to do next time."""

from __future__ import annotations

import pygame

from ...core.text import pick
from ...i18n import t
from . import Screen


class EndScreen(Screen):
    """Enter opens the full report; N goes back to the picker; R reveals a hidden score."""

    name = "end"

    def handle(self, event: pygame.event.Event) -> None:
        app = self.app
        if event.type != pygame.KEYDOWN:
            return
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            app.open_report()
        elif event.key == pygame.K_r:
            if app.call is not None:
                app.call.revealed = True
        elif event.key == pygame.K_n:
            app.to_picker()
        elif event.key == pygame.K_BACKSPACE and app.settings.classroom:
            app.undo()
        elif event.key == pygame.K_ESCAPE:
            app.running = False

    def draw(self, surface: pygame.Surface) -> None:
        app, p = self.app, self.paint
        call = app.call
        if call is None:
            return
        c = p.colors
        w, h = surface.get_size()
        lang = call.state.language
        result, improvements = app.reviewed(call)
        ending = call.scenario.endings[call.state.ending]
        y = p.header(f"{t('call_over', lang)} · {t('outcome.' + ending.outcome, lang)}", app.lang,
                     app.settings.trainee)
        x, width = p.px(24), w - p.px(48)
        if ending.customer:
            name = pick(call.scenario.persona_for(call.state.variant).name, lang)
            y = p.blit_text(f"{name}: “{call.engine.say(call.state, ending.customer)}”", 17, c["ink"], x, y, width)
        y = p.blit_text(call.engine.say(call.state, ending.debrief), 16, c["muted"], x, y + p.px(6), width)
        y += p.px(14)
        if call.revealed:
            y = p.blit_text(f"Score: {result.total}/100{t('grade', lang, grade=result.grade)}", 30, c["accent"],
                            x, y, bold=True) + p.px(8)
            bar_w = min(p.px(360), width // 2)
            for part in result.parts:
                p.blit_text(t("part." + part.id, lang), 15, c["ink"], x, y)
                bar = pygame.Rect(x + p.px(230), y + p.px(6), bar_w, p.px(12))
                pygame.draw.rect(surface, c["line"], bar, border_radius=p.px(4))
                filled = bar.copy()
                filled.w = int(bar.w * max(0.0, part.points) / part.max)
                pygame.draw.rect(surface, c["bad"] if part.points < 0 else c["accent"], filled,
                                 border_radius=p.px(4))
                p.blit_text(f"{part.points:.1f} / {part.max:g}", 15, c["ink"], bar.right + p.px(12), y)
                y += p.px(26)
        else:
            y = p.blit_text(t("w.hidden", app.lang), 22, c["accent"], x, y) + p.px(8)
        y += p.px(10)
        y = p.blit_text(t("w.improve", lang), 17, c["ink"], x, y, bold=True) + p.px(4)
        for n, item in enumerate(improvements, start=1):
            y = p.blit_text(f"{n}. {item}", 15, c["ink"], x, y, width) + p.px(4)
        keys = t("w.end_keys_classroom", app.lang) if app.settings.classroom else t("w.end_keys", app.lang)
        p.blit_text(keys, 13, c["muted"], x, h - p.px(28))
