"""The window's two looks: normal (light) and classroom (high contrast, larger), as one Theme type."""

from __future__ import annotations

from dataclasses import dataclass

# muted and accent are dark enough for 4.5:1 on every light fill they are drawn on (WCAG AA)
LIGHT = {"bg": (245, 247, 250), "panel": (255, 255, 255), "ink": (31, 41, 51), "muted": (80, 92, 105),
         "line": (216, 222, 230), "accent": (62, 100, 145), "good": (46, 125, 50), "bad": (198, 40, 40),
         "button": (236, 241, 247), "button_hi": (207, 224, 243), "customer": (233, 238, 244),
         "you": (226, 242, 229), "warn": (183, 121, 31)}
CONTRAST = {"bg": (0, 0, 0), "panel": (18, 18, 18), "ink": (255, 255, 255), "muted": (200, 200, 200),
            "line": (120, 120, 120), "accent": (255, 214, 0), "good": (102, 255, 102), "bad": (255, 102, 102),
            "button": (40, 40, 40), "button_hi": (90, 80, 0), "customer": (30, 30, 60), "you": (20, 60, 20),
            "warn": (255, 190, 60)}


@dataclass(frozen=True)
class Theme:
    """Colours and the size factor of one look; every screen draws through one of these."""

    name: str
    colors: dict
    factor: float  # multiplies the window's scale (classroom text must carry across a room)
    classroom: bool

    def scale(self, size: tuple[int, int], zoom: float = 1.0) -> float:
        """Pixels per design pixel for a window of ``size`` (the design is 1280×800), times ``zoom``.

        A larger text size stops where the window would hold less than ``ROOM`` design pixels:
        beyond it an answer or the end screen's summary no longer fits, and text would overlap.
        """
        w, h = size
        base = max(0.7, min(3.2, min(w / 1280, h / 800))) * self.factor
        if zoom <= 1:
            return base * zoom
        return max(base, min(base * zoom, w / ROOM[0], h / ROOM[1]))


NORMAL = Theme("normal", LIGHT, 1.0, False)
# Body text is 17 design pixels: 1.6 makes it 37 px at 1920×1080, readable across a room.
CLASSROOM = Theme("classroom", CONTRAST, 1.6, True)
ZOOMS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5)  # the text-size key's steps
# The least room, in design pixels (width, height), every screen is laid out to fit; the layout
# oracle checks the largest text size against it (tests/test_window_layout.py).
ROOM = (760, 430)


def theme_for(classroom: bool) -> Theme:
    """The classroom look or the normal one."""
    return CLASSROOM if classroom else NORMAL
