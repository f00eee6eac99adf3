"""Fonts for the window: the bundled Noto Sans CJK SC subset, so Chinese renders on any machine."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pygame

from ..core.linebreak import wrap

ASSETS = Path(str(resources.files("simulator") / "fonts"))  # package data: a wheel carries it
REGULAR = ASSETS / "NotoSansCJKsc-Regular-subset.otf"
BOLD = ASSETS / "NotoSansCJKsc-Bold-subset.otf"


class FontMissing(Exception):
    """The bundled font is not where it should be."""


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The UI font at ``size`` pixels."""
    override = os.environ.get("RETENTION_SIM_FONT")  # another font file, for projectors or other scripts
    path = Path(override) if override else (BOLD if bold else REGULAR)
    if not path.exists():
        path = REGULAR
    if not path.exists():
        raise FontMissing(f"the bundled font {REGULAR} is missing; reinstall the simulator "
                          "or run: python tools/subset_font.py")
    try:
        return pygame.font.Font(str(path), max(8, int(size)))
    except (pygame.error, OSError) as e:
        raise FontMissing(f"cannot read the font {path} ({e}); check RETENTION_SIM_FONT or reinstall") from None


# The bundled faces carry the proportional (Latin) quotation marks at these private-use code
# points (tools/subset_font.py); the real code points draw full width, as Chinese wants them.
LATIN_QUOTES = str.maketrans({"\u201c": "\ue000", "\u201d": "\ue001", "\u2018": "\ue002", "\u2019": "\ue003"})


def quotes_for(text: str) -> str:
    """``text`` with Latin-width quotation marks unless it is Chinese (holds a wide character).

    Only the bundled faces have the Latin forms; another font (RETENTION_SIM_FONT) draws its own.
    """
    if os.environ.get("RETENTION_SIM_FONT") or any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return text
    return text.translate(LATIN_QUOTES)


class TextCache:
    """Rendered text surfaces, so a frame is only blits (text rendering is the slow part)."""

    def __init__(self, limit: int = 2000):
        self.limit = limit
        self.items: dict[tuple, pygame.Surface] = {}

    def render(self, text: str, size: int, color: tuple, width: int = 0, bold: bool = False) -> pygame.Surface:
        """``text`` wrapped to ``width`` pixels (0: one line)."""
        key = (text, size, color, width, bold)
        surface = self.items.get(key)
        if surface is None:
            if len(self.items) >= self.limit:
                self.items.clear()
            surface = self.items[key] = render_wrapped(font(size, bold), text, color, int(width))
        return surface


def _as_drawn(text: str) -> Callable[[str], str]:
    """How a part of ``text`` is drawn: laid out with the real marks (line breaking knows them), drawn with
    Latin quotes when ``text`` is Latin."""
    if quotes_for(text) != text:
        return lambda s: s.translate(LATIN_QUOTES)
    return lambda s: s


def wrapped_lines(face: pygame.font.Font, text: str, width: int) -> list[str]:
    """The lines :func:`render_wrapped` draws ``text`` in (one line when ``width`` is 0)."""
    if width <= 0:
        return [text]
    shown = _as_drawn(text)
    return wrap(text, width, lambda s: face.size(shown(s))[0])


def render_wrapped(face: pygame.font.Font, text: str, color: tuple, width: int) -> pygame.Surface:
    """``text`` in ``face``, wrapped to ``width`` pixels by the CJK line-breaking rules (0: one line).

    SDL_ttf's own wrapping would start a Chinese line with "，" or "）"; core.linebreak does not.
    """
    shown = _as_drawn(text)
    if width <= 0:
        return face.render(shown(text), True, color)
    lines = wrapped_lines(face, text, width)
    if len(lines) == 1:
        return face.render(shown(lines[0]), True, color)
    rendered = [face.render(shown(line), True, color) for line in lines]
    step = face.get_linesize()
    surface = pygame.Surface((max(r.get_width() for r in rendered), step * (len(lines) - 1)
                              + rendered[-1].get_height()), pygame.SRCALPHA)
    for n, line in enumerate(rendered):
        surface.blit(line, (0, n * step))
    return surface


@lru_cache(maxsize=32)
def _rows(text: str, size: int, width: int, bold: bool) -> tuple[tuple[int, int, str], ...]:
    """``render_wrapped``'s lines of ``text``: (index in ``text`` where it starts, its top, its text)."""
    face = font(size, bold)
    rows, at = [], 0
    for n, line in enumerate(wrapped_lines(face, text, width)):
        start = text.find(line, at) if line else at
        rows.append((start, n * face.get_linesize(), line))
        at = start + len(line)
    return tuple(rows)


def revealed_rows(text: str, size: int, width: int, count: int, bold: bool = False) -> list[tuple[int, int, int, int]]:
    """The parts (x, y, w, h) of ``render_wrapped(text)``'s surface that hold its first ``count`` characters.

    Uncovering these shows the line typing itself out in its final layout (a word being typed
    already sits on the row it will end on), with no text rendered per frame.
    """
    face = font(size, bold)
    drawn = _as_drawn(text)
    height = face.get_linesize()
    parts = []
    for start, top, line in _rows(text, size, width, bold):
        if count <= start:
            break
        parts.append((0, top, face.size(drawn(line[: count - start]))[0], height))
    return parts
