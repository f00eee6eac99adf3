"""Fonts for the window: the bundled Noto Sans CJK SC subset, so Chinese renders on any machine."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pygame

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
            surface = font(size, bold).render(text, True, color, None, max(0, int(width)))
            self.items[key] = surface
        return surface
