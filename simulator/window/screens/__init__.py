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

    @property
    def paint(self):
        """The shared toolkit (the App's Painter)."""
        return self.app.paint

    def handle(self, event: pygame.event.Event) -> None:
        """React to one event (the App has already handled the global keys)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the screen onto ``surface``."""
