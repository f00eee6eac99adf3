"""Helpers for the window tests: an App on a dummy display, driven by posted events."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame

from simulator.storage import Store
from simulator.window.app import App
from simulator.window.run import _start_pygame
from simulator.window.settings import Settings

SCENARIO = "mobile-cancel-after-bill-shock"
OPEN_STORES: list[Store] = []  # every store make_app opened; conftest closes them after each test


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_app(tmp_path, monkeypatch, size=(1280, 800), opens: bool = True, **settings) -> App:
    """A window with its own data and config folders; ``app.opened`` lists the URLs it opened."""
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))
    _start_pygame()
    surface = pygame.display.set_mode(size)
    opened: list[str] = []

    def open_url(url: str) -> bool:
        opened.append(url)
        return opens

    store = Store(tmp_path / "s.db")
    OPEN_STORES.append(store)
    a = App(surface, settings=Settings(**{"trainee": "Ann", "language": "en", **settings}),
            store=store, clock=Clock(), open_url=open_url)
    a.opened = opened
    return a


def key(app: App, k: int) -> None:
    """Press and release-free: one KEYDOWN, as SDL delivers it."""
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))


def click(app: App, pos: tuple[int, int]) -> None:
    """A left click at ``pos``."""
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos))


def open_scenario(app: App, scenario_id: str = SCENARIO):
    """Select ``scenario_id`` in the picker and start it."""
    items = app.visible_scenarios()
    app.start_call(next(s for s in items if s.id == scenario_id))
    return app.call


def finish_line(app: App) -> None:
    """Let the customer's line finish typing."""
    app.clock.now += 60
