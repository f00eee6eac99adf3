"""Dialogs drawn over the screen below them: "leave this call?" and the scenario file's errors."""

from __future__ import annotations

import pygame

from ...i18n import t
from . import Screen


class LeaveDialog(Screen):
    """Leave the call? Y (or Enter) leaves, N (or Esc) stays; the call is saved either way."""

    name = "leave"
    overlay = True

    def handle(self, event: pygame.event.Event) -> None:
        if event.type != pygame.KEYDOWN:
            return
        if event.key in (pygame.K_y, pygame.K_RETURN):
            self.app.to_picker()
        elif event.key in (pygame.K_n, pygame.K_ESCAPE):
            self.app.pop(self)

    def draw(self, surface: pygame.Surface) -> None:
        self.paint.banner(t("w.leave", self.app.lang), self.paint.colors["bad"])


class ErrorsDialog(Screen):
    """The errors of a scenario file that failed to reload; Esc or Enter closes it."""

    name = "errors"
    overlay = True

    def __init__(self, app, lines: list[str]) -> None:
        super().__init__(app)
        self.lines = lines

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_RETURN):
            self.app.pop(self)  # the author has read them; F5 again after fixing the file

    def draw(self, surface: pygame.Surface) -> None:
        p = self.paint
        w, h = surface.get_size()
        rect = pygame.Rect(p.px(40), p.px(40), w - p.px(80), h - p.px(80))
        p.panel(rect, (60, 10, 10))
        y = rect.y + p.px(16)
        for line in self.lines:
            y = p.blit_text(line, 15, (255, 230, 230), rect.x + p.px(16), y, rect.w - p.px(32)) + p.px(6)
