"""The pygame window: the only package that imports pygame (an import-linter contract says so)."""

from __future__ import annotations

import os


def run(classroom: bool | None = None, scenario_path: str | None = None, settings: dict | None = None,
        answer: str | None = None) -> int:
    """Open the simulator's window (straight into ``scenario_path``; ``settings`` override the remembered
    ones; ``answer``: choice, free or both, for this run)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from .run import run_window

    return run_window(classroom=classroom, scenario_path=scenario_path, settings=settings, answer=answer)


def run_room(hub, url: str) -> int:
    """Open the projector of a room that votes from their phones (classroom --serve)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from .screens.vote import run_projector

    return run_projector(hub, url)


def screenshot(scenario, language: str, choices: list[int], size: tuple[int, int], output: str,
               classroom: bool = False, revealed: bool | None = None, review: int | None = None,
               answer: str = "choice", typed: str = "") -> None:
    """Render a call state to a PNG without a display (``revealed``: scores shown, as after R;
    ``review``: the finished call's turn-by-turn review at that turn; ``answer``: the answer mode;
    ``typed``: words typed and sent in it)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from .run import render_screenshot

    render_screenshot(scenario, language, choices, size, output, classroom, revealed=revealed, review=review,
                      answer=answer, typed=typed)
