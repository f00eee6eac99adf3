"""The take-over dialog: this call was continued elsewhere; take it over here, or go back."""

from __future__ import annotations

import pygame

from ...i18n import t
from .. import session
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
        total = len(self.app.call.state.history) if self.app.call is not None else 0
        self.hits = self.paint.warning_panel(surface, t("w.taken", self.app.lang, total=total), self.choices())

    def choices(self) -> list[tuple[str, int | None]]:
        return self.actions(t("w.taken_keys", self.app.lang), [pygame.K_t, pygame.K_b])
