"""The window's screens, one module each, kept on a stack by the App.

A screen reacts to events with ``handle(event)`` and draws itself with ``draw(surface)``.
A dialog is a screen with ``overlay = True``: the screens below it are drawn first and it
takes the events. Adding a screen means adding a module here and pushing it; no other screen
changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from ..app import App


class Screen:
    """One screen of the window."""

    name = ""
    overlay = False  # a dialog drawn over the screen below it

    def __init__(self, app: App) -> None:
        self.app = app
        self.hits: list[tuple[pygame.Rect, int]] = []  # the action buttons drawn last, with their keys

    def click_action(self, event: pygame.event.Event) -> bool:
        """A left click on one of the action buttons presses its key; whether it did."""
        if event.type != pygame.MOUSEBUTTONDOWN or event.button != 1:
            return False
        for rect, code in self.hits:
            if rect.collidepoint(event.pos):
                self.app.handle(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=""))
                return True
        return False

    def actions(self, text: str, keys: list[int | None]) -> list[tuple[str, int | None]]:
        """Pair the parts of a key-hint string ("A do · B do") with the keys they name."""
        return list(zip(text.split(" · "), keys, strict=True))

    @property
    def paint(self):
        """The shared toolkit (the App's Painter)."""
        return self.app.paint

    def handle(self, event: pygame.event.Event) -> None:
        """React to one event (the App has already handled the global keys)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the screen onto ``surface``."""

    def still_key(self) -> tuple | None:
        """What the screen shows, apart from what moves by itself; None: every frame is drawn whole.

        While the key stays the same and the window still shows the screen's last frame, the App
        draws only ``draw_moving``, so a frame costs what changed rather than the whole window.
        The key must hold everything the picture depends on (the App also forgets the frame after
        any event, a resize or a dialog).
        """
        return None

    def draw_moving(self, surface: pygame.Surface) -> None:
        """Update what moves by itself on the window as the last whole frame left it (see ``still_key``)."""
