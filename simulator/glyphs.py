"""Which characters the bundled font can draw, and where a scenario uses one it cannot.

The window draws Chinese with the bundled Noto Sans CJK SC subset (simulator/fonts/); a
character outside it shows as an empty box while ``validate`` would otherwise say ok. The
subset's coverage ships as data (``fonts/coverage.txt``, written by tools/subset_font.py),
so the check needs no font library and stays out of the pure core: it reads package data.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .core.diagnostics import Diagnostic, make

MAX_REPORTED = 50  # per file: a pasted block of emoji must not flood the screen


@lru_cache(maxsize=1)
def coverage() -> frozenset[int]:
    """The code points both bundled faces can draw."""
    text = resources.files("simulator").joinpath("fonts/coverage.txt").read_text("utf-8")
    points: set[int] = set()
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        for span in line.split():
            first, _, last = span.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


def undrawable(text: str, path: str) -> list[Diagnostic]:
    """A GL001 warning, at line:col, for each character of ``text`` the bundled font cannot draw.

    Whole-line comments are skipped (nobody sees them); control characters are left to the
    YAML reader, which refuses them with their own position.
    """
    drawn = coverage()
    found: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for column, char in enumerate(line, start=1):
            code = ord(char)
            if code < 0x80 or code in drawn or not char.isprintable():
                continue
            found.append(make("GL001", path, number, column, char=char, point=f"{code:04X}"))
            if len(found) >= MAX_REPORTED:
                return found
    return found


def check_file(path: str) -> list[Diagnostic]:
    """:func:`undrawable` for a scenario file; nothing when it cannot be read as UTF-8 (the
    loader reports that)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            return undrawable(f.read(), path)
    except (OSError, UnicodeDecodeError):
        return []
