"""What the window draws, as one SHA-256 of the raw pixels per representative state.

The fixture ``window_pixels.json`` pins the window's look so a refactoring can prove it draws
exactly what it drew before. Regenerate it (after an intentional change of the look, or a new
font subset) with the one-liner:

    SDL_VIDEODRIVER=dummy .venv/bin/python tests/window_pixels.py

The states are driven the way a trainee drives them (key presses with a hand-held clock), so
the driver does not depend on the window's internals.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "window_pixels.json"
SIZES = ((1920, 1080), (1024, 768))


class Clock:
    """A clock the driver moves by hand (reveals complete, the cursor blink fixed)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _digest(surface: pygame.Surface) -> str:
    return hashlib.sha256(pygame.image.tobytes(surface, "RGB")).hexdigest()


def _press(app, key: int) -> None:
    app.clock.now += 60  # the customer's line has had time to appear
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))


def states(config: tuple[str, bool, tuple[int, int]]) -> Iterator[tuple[str, str]]:
    """(state name, pixel digest) for every state drawn under one language, look and size."""
    from simulator.window.app import App, _start_pygame
    from simulator.window.settings import Settings

    lang, classroom, size = config
    _start_pygame()
    try:
        surface = pygame.Surface(size)
        app = App(surface, settings=Settings(trainee="Ann", language=lang, classroom=classroom),
                  headless=True, clock=Clock(), open_url=lambda url: None)
        app.start_name_entry()
        app.draw()
        yield "name", _digest(app.surface)
        _press(app, pygame.K_ESCAPE)
        for index, scenario in enumerate(app.visible_scenarios()):
            if index:
                _press(app, pygame.K_DOWN)
            app.draw()
            yield f"{scenario.id}/picker", _digest(app.surface)
            _press(app, pygame.K_RETURN)
            app.draw()
            yield f"{scenario.id}/call-0", _digest(app.surface)
            for turn in range(1, 80):
                if app.screen != "call":
                    break
                _press(app, pygame.K_1)
                if turn == 2 and app.screen == "call":
                    app.draw()
                    yield f"{scenario.id}/feedback-2", _digest(app.surface)
                _press(app, pygame.K_SPACE)
                if turn == 2 and app.screen == "call":
                    app.clock.now += 60
                    app.draw()
                    yield f"{scenario.id}/call-2", _digest(app.surface)
            app.draw()
            yield f"{scenario.id}/end", _digest(app.surface)
            _press(app, pygame.K_n)  # back to the picker
    finally:
        pygame.quit()


def configs() -> list[tuple[str, bool, tuple[int, int]]]:
    """Every language, look and size the fixture covers."""
    return [(lang, classroom, size) for lang in ("en", "zh") for classroom in (False, True) for size in SIZES]


def config_key(config: tuple[str, bool, tuple[int, int]]) -> str:
    lang, classroom, (w, h) = config
    return f"{lang}-{'classroom' if classroom else 'normal'}-{w}x{h}"


def compute() -> dict[str, dict[str, str]]:
    """The digests of every state under every configuration."""
    return {config_key(c): dict(states(c)) for c in configs()}


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    FIXTURE.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {FIXTURE}")
