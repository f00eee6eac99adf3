"""The end screen: the outcome, the debrief, the score and three things to do next time."""

from __future__ import annotations

import pygame

from ...core.text import pick
from ...i18n import t
from ..session import what_is_saved
from . import Screen
from .review import ReviewScreen


class EndScreen(Screen):
    """Enter opens the full report; T reviews it turn by turn; N goes back to the picker; R reveals a hidden score."""

    name = "end"

    def handle(self, event: pygame.event.Event) -> None:
        app = self.app
        if event.type != pygame.KEYDOWN:
            return
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            app.open_report()
        elif event.key == pygame.K_t and app.call is not None and app.call.state.history:
            app.push(ReviewScreen(app))
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
        y0 = p.header(f"{t('call_over', lang)} · {t('outcome.' + ending.outcome, lang)}", app.lang,
                      app.settings.trainee)
        x, width = p.px(24), w - p.px(48)
        classroom = app.settings.classroom
        if classroom:
            text, keys = t("w.end_keys_classroom", app.lang), [pygame.K_r, pygame.K_RETURN, pygame.K_n, pygame.K_ESCAPE]
        else:
            text, keys = t("w.end_keys", app.lang), [pygame.K_RETURN, pygame.K_n, pygame.K_ESCAPE]
        actions = self.actions(text, keys)
        if classroom and call.revealed:
            actions.pop(0)  # R has done its work: no button that does nothing
        if call.state.history:
            actions.insert(-2, (t("w.review", app.lang), pygame.K_t))
        if classroom and call.state.history:
            actions.insert(-1, (t("w.undo", app.lang), pygame.K_BACKSPACE))
        bar_h, self.hits = p.action_bar(actions, x, h - p.px(12), width)
        bottom = h - p.px(12) - bar_h - p.px(12)
        name = pick(call.scenario.persona_for(call.state.variant).name, lang)
        said = call.engine.say(call.state, ending.customer) if ending.customer else ""

        stored, complete = what_is_saved(app, call)

        def body(k: float) -> int:
            y = y0
            # exactly what the store holds, first: a trainee must not leave believing a lost answer is kept
            if stored:
                y = p.blit_text(stored, 15 * k, c["muted"] if complete else c["bad"], x, y, width) + p.px(8)
            if said:
                y = p.blit_text(t("w.said", lang, name=name, line=said), 17 * k, c["ink"], x, y, width)
            y = p.blit_text(call.engine.say(call.state, ending.debrief), 16 * k, c["muted"], x, y + p.px(6), width)
            y += p.px(14)
            if call.revealed:
                score = t("w.score", lang, total=result.total) + t("grade", lang, grade=result.grade)
                y = p.blit_text(score, 30 * k, c["accent"], x, y, width, bold=True) + p.px(8)
                label_w = p.px(230 * k)
                bar_w = min(p.px(360), (width - label_w) // 2)
                for part in result.parts:
                    label = p.render(t("part." + part.id, lang), 15 * k, c["ink"], label_w - p.px(10))
                    p.blit(label, (x, y), part.id)
                    bar = pygame.Rect(x + label_w, y + label.get_height() // 2 - p.px(6), bar_w, p.px(12))
                    p.bar(bar, c["line"], p.px(4))
                    filled = bar.copy()
                    filled.w = int(bar.w * max(0.0, part.points) / part.max)
                    if filled.w:
                        p.bar(filled, c["bad"] if part.points < 0 else c["accent"], p.px(4))
                    p.blit_text(f"{part.points:.1f} / {part.max:g}", 15 * k, c["ink"], bar.right + p.px(12), y)
                    y += max(label.get_height(), p.px(26 * k))
            else:
                y = p.blit_text(t("w.hidden", app.lang), 22 * k, c["accent"], x, y, width) + p.px(8)
            y += p.px(10)
            y = p.blit_text(t("w.improve", lang), 17 * k, c["ink"], x, y, width, bold=True) + p.px(4)
            for n, item in enumerate(improvements, start=1):
                y = p.blit_text(f"{n}. {item}", 15 * k, c["ink"], x, y, width) + p.px(4)
            return y

        # the largest text size in a small window: the summary may shrink further before it overlaps
        body(p.fit(body, bottom, steps=(1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45)))
