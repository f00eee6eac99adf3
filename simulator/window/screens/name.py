"""The name entry: the trainee's name, for the reports."""

from __future__ import annotations

import pygame

from ...i18n import t
from .. import session
from . import Screen


class NameScreen(Screen):
    """Type a name (any script, through the IME), Enter to keep it."""

    name = "name"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.buffer = app.settings.trainee
        self.then = None  # what follows the name (a call asked for on the command line), kept or cancelled
        pygame.key.start_text_input()

    def close(self) -> None:
        pygame.key.stop_text_input()
        self.app.pop(self)
        if self.then is not None:
            self.then()

    def handle(self, event: pygame.event.Event) -> None:
        app = self.app
        if event.type == pygame.TEXTINPUT:
            self.buffer = (self.buffer + event.text)[:40]
        elif event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.buffer.strip():
                app.settings.trainee = self.buffer.strip()
                app.remember()
                app.unfinished = session.unfinished(app)  # another trainee: their calls, not the last one's
                self.close()
            elif event.key == pygame.K_BACKSPACE:
                self.buffer = self.buffer[:-1]
            elif event.key == pygame.K_ESCAPE:
                self.close()  # cancel: the name stays as it was (none is fine: reports say so)

    def draw(self, surface: pygame.Surface) -> None:
        p, app = self.paint, self.app
        c = p.colors
        w, _h = surface.get_size()
        y = p.header(t("w.title", app.lang), app.lang, app.settings.trainee)
        y = p.blit_text(t("w.name_prompt", app.lang), 18, c["ink"], p.px(24), y + p.px(30)) + p.px(12)
        rect = pygame.Rect(p.px(24), y, min(w - p.px(48), p.px(560)), p.px(48))
        p.panel(rect)
        cursor = "|" if int(app.clock() * 2) % 2 == 0 else " "
        p.blit_text(self.buffer + cursor, 22, c["ink"], rect.x + p.px(12), rect.y + p.px(8))
        actions = self.actions(t("w.name_keys", app.lang), [pygame.K_RETURN, pygame.K_ESCAPE])
        _, self.hits = p.action_bar(actions, p.px(24), rect.bottom + p.px(16) + p.px(40), w - p.px(48))
