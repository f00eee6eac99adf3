"""The name entry: the trainee's name and, optionally, organisation id (employee number), for the records."""

from __future__ import annotations

import pygame

from ...i18n import t
from .. import session
from . import Screen

LIMITS = (40, 32)  # characters kept of the name and of the organisation id


class NameScreen(Screen):
    """Type a name (any script, through the IME) and an optional organisation id; Enter keeps both.

    Tab, ↑↓ or a click moves between the two fields; the calls saved from now on belong to this
    trainee (name and organisation id), and resume offers only theirs.
    """

    name = "name"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.buffer = app.settings.trainee
        self.org_id = app.settings.org_id
        self.field = 0  # 0: the name, 1: the organisation id
        self.boxes: list[pygame.Rect] = []  # where the two fields were drawn, for clicks
        self.then = None  # what follows the name (a call asked for on the command line), kept or cancelled
        self.composing = ""  # the input method's composition in progress (pinyin before it commits a name)
        pygame.key.start_text_input()

    def close(self) -> None:
        pygame.key.stop_text_input()
        self.app.pop(self)
        if self.then is not None:
            self.then()

    def _edit(self, change) -> None:
        if self.field == 0:
            self.buffer = change(self.buffer)[:LIMITS[0]]
        else:
            self.org_id = change(self.org_id)[:LIMITS[1]]

    def handle(self, event: pygame.event.Event) -> None:
        app = self.app
        if event.type == pygame.TEXTINPUT:
            self.composing = ""
            self._edit(lambda text: text + event.text)
        elif event.type == pygame.TEXTEDITING:
            self.composing = event.text.replace("\n", "")
        elif event.type == pygame.KEYDOWN and self.composing:
            if event.key == pygame.K_ESCAPE:
                self.composing = ""  # Esc first cancels the composition, as in the answer box
            # otherwise the input method owns the keys (Enter picks its candidate) until it commits
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for index, box in enumerate(self.boxes):
                if box.collidepoint(event.pos):
                    self.field = index
        elif event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.buffer.strip():
                app.settings.trainee = self.buffer.strip()
                app.settings.org_id = self.org_id.strip()
                app.remember()
                app.unfinished = session.unfinished(app)  # another trainee: their calls, not the last one's
                self.close()
            elif event.key in (pygame.K_TAB, pygame.K_DOWN, pygame.K_UP):
                self.field = 1 - self.field
            elif event.key == pygame.K_BACKSPACE:
                self._edit(lambda text: text[:-1])
            elif event.key == pygame.K_ESCAPE:
                self.close()  # cancel: the name stays as it was (none is fine: reports say so)

    def draw(self, surface: pygame.Surface) -> None:
        p, app = self.paint, self.app
        c = p.colors
        w, _h = surface.get_size()
        y = p.header(t("w.name_title", app.lang), app.lang, app.settings.trainee)  # the app's name is above it
        self.boxes = []
        for index, (prompt, text) in enumerate(((t("w.name_prompt", app.lang), self.buffer),
                                                (t("w.org_prompt", app.lang), self.org_id))):
            y = p.blit_text(prompt, 18, c["ink"], p.px(24), y + p.px(30), w - p.px(48)) + p.px(12)
            rect = pygame.Rect(p.px(24), y, min(w - p.px(48), p.px(560)), p.px(48))
            self._field(surface, rect, text, self.composing if index == self.field else None)
            self.boxes.append(rect)
            y = rect.bottom
        actions = self.actions(t("w.name_org_keys", app.lang), [pygame.K_RETURN, pygame.K_TAB, pygame.K_ESCAPE])
        _, self.hits = p.action_bar(actions, p.px(24), y + p.px(16) + p.px(40), w - p.px(48))

    def _field(self, surface: pygame.Surface, rect: pygame.Rect, text: str, composing: str | None) -> None:
        """One entry field; the focused one (``composing`` not None) is outlined and shows the cursor and the
        input method's composition, underlined; a long entry shows its end."""
        p = self.paint
        c = p.colors
        p.panel(rect)
        focused = composing is not None
        if focused:
            pygame.draw.rect(surface, c["accent"], rect, width=max(2, p.px(2)), border_radius=p.px(10))
        cursor = ("|" if int(self.app.clock() * 2) % 2 == 0 else " ") if focused else ""
        shown = text + (composing or "")
        rendered = p.render(shown + cursor, 22, c["ink"])
        room = rect.w - p.px(24)
        cut = max(0, rendered.get_width() - room)
        if cut:  # keep the end (where typing happens) in view
            rendered = rendered.subsurface(pygame.Rect(cut, 0, room, rendered.get_height()))
        x, y = rect.x + p.px(12), rect.y + p.px(8)
        p.blit(rendered, (x, y), shown)
        if focused:
            start = x + p.render(text, 22, c["ink"]).get_width() - cut
            end = x + p.render(shown, 22, c["ink"]).get_width() - cut
            if composing:  # underlined, as input methods show a composition
                under = y + rendered.get_height() - p.px(4)
                pygame.draw.line(surface, c["accent"], (max(x, start), under), (end, under), max(1, p.px(2)))
            pygame.key.set_text_input_rect(pygame.Rect(end, rect.y, max(1, p.px(2)), rect.h))  # candidates here
