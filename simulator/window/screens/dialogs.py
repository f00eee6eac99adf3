"""Dialogs drawn over the screen below them: "leave this call?" and the scenario file's errors."""

from __future__ import annotations

import pygame

from ...i18n import t
from ..session import what_is_saved
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
        text = t("w.leave", self.app.lang)
        if self.app.call is not None:
            stored, complete = what_is_saved(self.app, self.app.call)
            text = text if complete else stored  # never "it is saved" when it is not
        self.hits = self.paint.warning_panel(surface, text, self.choices())

    def choices(self) -> list[tuple[str, int | None]]:
        return self.actions(t("w.leave_keys", self.app.lang), [pygame.K_y, pygame.K_n])


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
        bar_h, self.hits = p.action_bar(self.actions(t("w.errors_keys", self.app.lang), [pygame.K_RETURN]),
                                        rect.x + p.px(16), rect.bottom - p.px(12), rect.w - p.px(32),
                                        behind=(60, 10, 10))
        y = rect.y + p.px(16)
        for line in self.lines:
            surf = p.render(line, 15, (255, 230, 230), rect.w - p.px(32))
            if y + surf.get_height() > rect.bottom - bar_h - p.px(24):
                break  # the first errors are the ones to fix first; the rest wait for the next F5
            p.blit(surf, (rect.x + p.px(16), y), line)
            y += surf.get_height() + p.px(6)
