"""What several commands share: the one-line usage error, finding a scenario, the store, the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from .. import scenarios as shipped
from ..core.text import choice_number, wrap
from ..storage import StorageError, Store
from ..tui import COMMAND


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by display width, never splitting a command (python main.py …) across lines.

    A description keeps its paragraphs (separated by a blank line).
    """

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width, keep=COMMAND)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
        return "\n\n".join("\n".join(wrap(p, width, indent, indent, keep=COMMAND)) for p in paragraphs if p)


class Parser(argparse.ArgumentParser):
    """An argument parser whose help (and its sub-commands' help) uses :class:`HelpFormatter`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


class UsageError(Exception):
    """A problem with what the user asked for, explained in one line."""


def scenario_path(name: str) -> str:
    """The file of a scenario given as a path or a shipped id, or a usage error naming the list command."""
    path = shipped.find(name)
    if path is None:
        raise UsageError(f"no scenario file or id '{name}' (see: python main.py list)")
    return path


def open_store(args: argparse.Namespace) -> Store | None:
    """The session store, or None with a warning when it cannot be opened (the call still plays)."""
    if args.no_save:
        return None
    try:
        return Store()
    except StorageError as e:
        print(f"warning: {e}; this call will not be saved", file=sys.stderr)
        return None


def has_display() -> bool:
    """Whether a window could be shown here."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def window():
    """The window package, or None when pygame cannot be imported here."""
    try:
        from .. import window
    except ImportError:
        return None
    return window


def in_window(start: Callable[[Any], int]) -> int | None:
    """``start(window package)`` when a window can open here; None, after a one-line note saying why, when not.

    The bare command and ``play FILE`` share this, so both fall back to the terminal for the same
    reasons and say so in the same words.
    """
    if not has_display():
        print("note: no display (DISPLAY, WAYLAND_DISPLAY unset); playing in the terminal",
              file=sys.stderr)
        return None
    package = window()
    if package is None:
        print("note: pygame-ce is not installed, so no window opens; playing in the terminal",
              file=sys.stderr)
        return None
    try:
        return start(package)
    except Exception as e:  # no usable video device (pygame.error) or no font: the terminal still works
        if type(e).__name__ not in ("error", "FontMissing"):
            raise
        print(f"note: the window could not open ({e}); playing in the terminal", file=sys.stderr)
        return None


def response_numbers(text: str, flag: str) -> list[int]:
    """``1,3,2`` as [1, 3, 2]; an empty entry (``1,,2``), a stray comma or anything but a number is an error."""
    numbers = []
    for position, part in enumerate(text.split(","), start=1):
        number = choice_number(part)
        if number is None:
            what = "is empty" if not part.strip() else f"is '{part.strip()}', not a number"
            raise UsageError(f"{flag} takes response numbers separated by commas, e.g. 1,3,2: "
                             f"entry {position} of '{text}' {what}")
        numbers.append(number)
    return numbers
