"""The take-over dialog: this call was continued elsewhere; take it over here, or go back."""

from __future__ import annotations

import pygame

from ...i18n import t
from .. import session
from ..toolkit import ink_on
from . import Screen


class TakeOverDialog(Screen):
    """Another window or machine saved this call after this window opened it, so this window's save was
    refused. T takes the call over here on purpose (this window's answers are saved in place of the other
    copy's); B (or Esc) goes back to the list and leaves the other copy as it is. Never silent."""

    name = "take over"
    overlay = True

    def handle(self, event: pygame.event.Event) -> None:
        if event.type != pygame.KEYDOWN:
            return
        if event.key == pygame.K_t:
            self.app.pop(self)
            session.take_over(self.app)
        elif event.key in (pygame.K_b, pygame.K_ESCAPE):
            self.app.to_picker()

    def draw(self, surface: pygame.Surface) -> None:
        p, app = self.paint, self.app
        w, h = surface.get_size()
        width = w - p.px(40) - p.px(24)
        total = len(app.call.state.history) if app.call is not None else 0
        text = t("w.taken", app.lang, total=total)
        message = p.render(text, 15, ink_on(p.colors["bad"]), width)
        bar_h, _ = p.action_bar(self.choices(), 0, 0, width, draw=False)
        rect = pygame.Rect(p.px(20), 0, w - p.px(40), message.get_height() + bar_h + p.px(28))
        rect.bottom = h - p.px(20)
        pygame.draw.rect(surface, p.colors["bad"], rect, border_radius=p.px(8))
        p.note("panel", rect)
        p.blit(message, (rect.x + p.px(12), rect.y + p.px(8)), text)
        _, self.hits = p.action_bar(self.choices(), rect.x + p.px(12), rect.bottom - p.px(10), width,
                                    behind=p.colors["bad"])

    def choices(self) -> list[tuple[str, int | None]]:
        return self.actions(t("w.taken_keys", self.app.lang), [pygame.K_t, pygame.K_b])
