"""No command: start the simulator, the window when it can open, else the terminal picker."""

from __future__ import annotations

import argparse
import shutil
import sys

from .. import scenarios as shipped
from ..core.text import choice_number, pick, printable, wrap
from ..i18n import t
from . import play
from .common import UsageError, in_window

# The picker and the terminal player write colour codes of their own and make content printable
# themselves (simulator.cli filters every other command's output).
CLEANS_OWN_OUTPUT = True


def run(args: argparse.Namespace | None = None) -> int:
    """Start the simulator: the window if it can open, else the terminal player."""
    if not (args and args.tui):
        played = in_window(lambda package: package.run(classroom=True if args and args.classroom else None))
        if played is not None:
            return played
    return terminal_picker()


def terminal_width() -> int:
    """The terminal's columns, or 0 (no wrapping) when the output is a pipe or a file."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else 0


def terminal_picker() -> int:
    """Choose a scenario and a language in the terminal, then play it."""
    catalogue = shipped.load_folder()
    if not catalogue.scenarios:
        raise UsageError(f"no playable scenarios in {shipped.scenarios_dir()}")
    try:
        lang = input(t("pick_language", "en")).strip().lower() or "en"
    except EOFError:
        return 0
    lang = lang if lang in ("en", "zh") else "en"
    print(t("pick_scenario", lang))
    items = sorted(catalogue.scenarios, key=lambda s: (s.category, s.id))
    width = terminal_width()
    for n, s in enumerate(items, start=1):
        number, entry = f"  {n}. ", f"[{s.category}, {s.difficulty}] {printable(pick(s.title, lang))}"
        # a long title wraps under itself, not under the number (the terminal would wrap it at column 0)
        print("\n".join(wrap(entry, width, number, " " * len(number))) if width else number + entry)
    while True:
        try:
            raw = input(t("pick_prompt", lang)).strip().lower()
        except EOFError:
            return 0
        if raw in ("q", "quit"):
            return 0
        number = choice_number(raw)
        if number is not None and 1 <= number <= len(items):
            scenario = items[number - 1]
            break
        print(t("invalid", lang, n=len(items)))
    if lang not in scenario.languages:
        lang = scenario.languages[0]
    return play.run(play.arguments([scenario.path, "--tui", "--lang", lang]))
