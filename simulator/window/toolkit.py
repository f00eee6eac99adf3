"""The drawing toolkit every screen shares: text, panels, buttons, banners, the face and the mood meter.

A Painter draws onto one target surface at the window's scale, through one Theme. It caches
rendered text and drawn layers, so a frame is mostly blits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pygame

from ..core.model import Scenario
from ..core.text import pick
from ..i18n import currency_word, mood_word, t
from .fonts import TextCache
from .theme import NORMAL, Theme


def ink_on(fill) -> tuple[int, int, int]:
    """White or black, whichever has the higher WCAG contrast on ``fill`` (white on yellow does not)."""
    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    lum = 0.2126 * channel(fill[0]) + 0.7152 * channel(fill[1]) + 0.0722 * channel(fill[2])
    return (0, 0, 0) if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else (255, 255, 255)


@dataclass
class Box:
    """Something drawn, as the layout checks see it: a text, a panel, a button, a graphic."""

    kind: str  # text | label (a button's text) | panel | button | graphic
    rect: pygame.Rect
    text: str = ""
    layer: int = 0  # screens and dialogs drawn over one another are compared within their layer
    clipped: bool = False  # partly hidden (a bubble scrolled under the transcript's edge)


class Painter:
    """Draws onto ``surface`` at a scale that follows its size and the theme.

    With ``boxes`` set to a list (``start_recording``), every text, panel, button and graphic
    drawn is noted there in window coordinates, for the layout tests; otherwise noting is free.
    """

    def __init__(self, surface: pygame.Surface, theme: Theme = NORMAL) -> None:
        self.surface = surface
        self.theme = theme
        self.text = TextCache()
        self._surfaces: dict[tuple, pygame.Surface] = {}
        self._scale_key: tuple | None = None
        self._scale = 1.0
        self._frozen_scale: float | None = None
        self.zoom = 1.0
        self.boxes: list[Box] | None = None
        self.layer = 0
        self._origin = (0, 0)
        self.dry = False  # measuring: text is laid out, nothing is drawn
        # what the window shows now, when its screen may keep it there (App.draw, Screen.still_key)
        self.showing: tuple | None = None

    @contextmanager
    def dry_run(self) -> Iterator[None]:
        """Lay out without drawing (to measure a block before choosing its size)."""
        saved, self.dry = self.dry, True
        try:
            yield
        finally:
            self.dry = saved

    def fit(self, draw: Callable[[float], int], bottom: int, steps=(1.0, 0.9, 0.8, 0.7, 0.6)) -> float:
        """The largest text factor at which ``draw(factor)`` (returning its last y) ends above ``bottom``."""
        for factor in steps:
            with self.dry_run():
                if draw(factor) <= bottom:
                    return factor
        return steps[-1]

    def start_recording(self) -> None:
        """Note every box of the next frames (cached layers are dropped so they are drawn again)."""
        self.boxes = []
        self._surfaces.clear()

    def note(self, kind: str, rect: pygame.Rect, text: str = "") -> None:
        """Record a drawn box (only while recording); what the clip hides is left out."""
        if self.boxes is None or self.dry:
            return
        whole = pygame.Rect(rect).move(self._origin)
        rect = whole.clip(self.surface.get_clip().move(self._origin))
        if rect.w > 0 and rect.h > 0:
            self.boxes.append(Box(kind, rect, text, self.layer, rect != whole))

    @property
    def colors(self) -> dict:
        """The theme's colours."""
        return self.theme.colors

    def scale(self) -> float:
        """Pixels per design pixel (fixed while drawing an offscreen layer)."""
        if self._frozen_scale is not None:
            return self._frozen_scale
        key = (self.surface.get_size(), self.theme.name, self.zoom)
        if key != self._scale_key:
            self._scale = self.theme.scale(key[0], self.zoom)
            self._scale_key = key
        return self._scale

    def px(self, value: float) -> int:
        """``value`` design pixels in real pixels."""
        return round(value * self.scale())

    def text_px(self, size: float) -> int:
        """A text size in real pixels: scaled, and never below 12 px (smaller strokes go faint)."""
        return max(12, self.px(size))

    def offscreen(self, size: tuple[int, int], draw: Callable[[], None], at: tuple[int, int] = (0, 0),
                  fill=None) -> pygame.Surface:
        """Draw into a surface of its own (a cached layer, to be blitted ``at``), at the window's scale."""
        layer = pygame.Surface(size)
        layer.fill(fill or self.colors["bg"])
        scale = self.scale()
        saved, origin = self.surface, self._origin
        self.surface, self._frozen_scale, self._origin = layer, scale, at
        try:
            draw()
        finally:
            self.surface, self._frozen_scale, self._origin = saved, None, origin
        return layer

    def cached(self, key: tuple, make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """A drawn surface kept between frames (frames then cost blits, not drawing)."""
        surface = self._surfaces.get(key)
        if surface is None:
            if len(self._surfaces) > 600:
                self._surfaces.clear()
            surface = self._surfaces[key] = make()
        return surface

    def render(self, text: str, size: float, color, width: int = 0, bold: bool = False) -> pygame.Surface:
        """``text`` at ``size`` design pixels, wrapped to ``width`` real pixels (0: one line)."""
        return self.text.render(text, self.text_px(size), color, width, bold)

    def blit(self, surface: pygame.Surface, pos: tuple[int, int], text: str = "", kind: str = "text") -> None:
        """Draw a rendered text surface at ``pos``."""
        if self.dry:
            return
        self.surface.blit(surface, pos)
        self.note(kind, pygame.Rect(pos, surface.get_size()), text)

    def blit_text(self, text: str, size: float, color, x: int, y: int, width: int = 0, bold: bool = False) -> int:
        """Draw wrapped text; return the y below it."""
        surface = self.text.render(text, self.text_px(size), color, width, bold)
        self.blit(surface, (x, y), text)
        return y + surface.get_height()

    def panel(self, rect: pygame.Rect, color=None) -> None:
        """A rounded, outlined panel (cached: opaque blits are several times faster)."""
        fill, line, radius = color or self.colors["panel"], self.colors["line"], self.px(10)
        behind = self.colors["bg"]
        if self.dry:
            return

        def make() -> pygame.Surface:
            # Opaque, corners in the background colour.
            surface = pygame.Surface(rect.size)
            surface.fill(behind)
            pygame.draw.rect(surface, fill, surface.get_rect(), border_radius=radius)
            pygame.draw.rect(surface, line, surface.get_rect(), width=1, border_radius=radius)
            return surface

        self.surface.blit(self.cached(("panel", rect.size, fill, line, radius, behind), make), rect.topleft)
        self.note("panel", rect)

    def bar(self, rect: pygame.Rect, color, radius: int = 0) -> None:
        """A filled rectangle (a score bar)."""
        if not self.dry:
            pygame.draw.rect(self.surface, color, rect, border_radius=radius)
            self.note("graphic", rect)

    def banner(self, message: str, color) -> None:
        """A message across the bottom of the window."""
        w, h = self.surface.get_size()
        surf = self.text.render(message, self.text_px(15), ink_on(color), w - self.px(80))
        rect = pygame.Rect(self.px(20), h - surf.get_height() - self.px(44), w - self.px(40),
                           surf.get_height() + self.px(16))
        pygame.draw.rect(self.surface, color, rect, border_radius=self.px(8))
        self.note("panel", rect)
        self.blit(surf, (rect.x + self.px(12), rect.y + self.px(8)), message)

    def header(self, title: str, lang: str, trainee: str) -> int:
        """The window's title line, the trainee's name and a screen title; return the y below."""
        w, _ = self.surface.get_size()
        c = self.colors
        y = self.px(14)
        self.blit_text(t("w.title", lang), 14, c["muted"], self.px(24), y)
        if trainee:
            label = t("w.trainee", lang, name=trainee)
            name = self.text.render(label, self.text_px(14), c["muted"])
            self.blit(name, (w - name.get_width() - self.px(24), y), label)
        return self.blit_text(title, 26, c["ink"], self.px(24), y + self.px(22), bold=True) + self.px(10)

    def button(self, text: str, number: int, surf: pygame.Surface, size: tuple[int, int], selected: bool):
        """An answer button as one cached, opaque surface."""
        c = self.colors

        def make() -> pygame.Surface:
            layer = pygame.Surface(size)
            layer.fill(c["bg"])
            rect = layer.get_rect()
            pygame.draw.rect(layer, c["button_hi"] if selected else c["button"], rect, border_radius=self.px(8))
            pygame.draw.rect(layer, c["accent"] if selected else c["line"], rect, width=max(1, self.px(2)),
                             border_radius=self.px(8))
            layer.blit(surf, (self.px(14), self.px(8)))
            return layer

        return self.cached(("button", text, number, size, selected, c["bg"], self.scale()), make)

    def action_bar(self, actions: list[tuple[str, int | None]], x: int, bottom: int, width: int,
                   draw: bool = True, behind=None) -> tuple[int, list[tuple[pygame.Rect, int]]]:
        """The screen's actions as a row (or rows) of small buttons ending at ``bottom``.

        ``actions`` pairs a label ("Esc leave") with the key it stands for; a click on the
        button is that key. A label without a key (a hint such as "↑↓ choose") is plain text.
        Returns the height used and the buttons' rects with their keys.
        """
        c = self.colors
        pad_x, pad_y, gap = self.px(8), self.px(3), self.px(6)
        placed: list[tuple[pygame.Surface, int | None, str, int, int]] = []
        cx, row, rows = 0, 0, [0]
        for label, code in actions:
            surf = self.render(label, 13, c["ink"] if code is not None else c["muted"], width - 2 * pad_x)
            w_, h_ = surf.get_width() + 2 * pad_x, surf.get_height() + 2 * pad_y
            if cx and cx + w_ > width:
                cx, row = 0, row + 1
                rows.append(0)
            placed.append((surf, code, label, cx, row))
            rows[row] = max(rows[row], h_)
            cx += w_ + gap
        height = sum(rows) + gap * (len(rows) - 1)
        top = bottom - height
        hits: list[tuple[pygame.Rect, int]] = []
        if not draw:
            return height, hits
        places = [(surf, code, label, pygame.Rect(bx, sum(rows[:row]) + gap * row,
                                                  surf.get_width() + 2 * pad_x, surf.get_height() + 2 * pad_y))
                  for surf, code, label, bx, row in placed]

        def make() -> pygame.Surface:
            layer = pygame.Surface((width, height))
            layer.fill(behind or c["bg"])
            for surf, code, _label, rect in places:
                if code is not None:
                    pygame.draw.rect(layer, c["button"], rect, border_radius=self.px(6))
                    pygame.draw.rect(layer, c["line"], rect, width=1, border_radius=self.px(6))
                layer.blit(surf, (rect.x + pad_x, rect.y + pad_y))
            return layer

        # one cached layer: a frame costs one blit for the whole bar
        key = ("actions", tuple(actions), width, behind, c["bg"], c["button"], c["ink"], self.scale())
        if not self.dry:
            self.surface.blit(self.cached(key, make), (x, top))
        for surf, code, label, rect in places:
            rect = rect.move(x, top)
            text = pygame.Rect((rect.x + pad_x, rect.y + pad_y), surf.get_size())
            if code is not None:
                self.note("button", rect, label)
                self.note("label", text, label)
                hits.append((rect, code))
            else:
                self.note("text", text, label)
        return height, hits

    def warning_panel(self, surface: pygame.Surface, text: str,
                      actions: list[tuple[str, int | None]]) -> list[tuple[pygame.Rect, int]]:
        """A question that needs an answer now: ``text`` above its action buttons, in the warning
        colour across the bottom of the screen. Returns the buttons' rects with their keys."""
        w, h = surface.get_size()
        width = w - self.px(40) - self.px(24)
        message = self.render(text, 15, ink_on(self.colors["bad"]), width)
        bar_h, _ = self.action_bar(actions, 0, 0, width, draw=False)
        rect = pygame.Rect(self.px(20), 0, w - self.px(40), message.get_height() + bar_h + self.px(28))
        rect.bottom = h - self.px(20)
        pygame.draw.rect(surface, self.colors["bad"], rect, border_radius=self.px(8))
        self.note("panel", rect)
        self.blit(message, (rect.x + self.px(12), rect.y + self.px(8)), text)
        _, hits = self.action_bar(actions, rect.x + self.px(12), rect.bottom - self.px(10), width,
                                  behind=self.colors["bad"])
        return hits

    def persona_lines(self, scenario: Scenario, variant: str | None, lang: str, x: int, y: int, width: int,
                      k: float = 1.0) -> int:
        """The customer's name and facts (text sizes times ``k``); return the y below them."""
        c = self.colors
        p = scenario.persona_for(variant)
        y = self.blit_text(pick(p.name, lang), 18 * k, c["ink"], x, y, width, bold=True) + self.px(2)
        lines = [
            f"{t('segment.' + p.segment, lang)} · {t('w.tenure', lang, n=p.tenure_months)}",
            t("w.spend", lang, plan=pick(p.plan, lang), spend=f"{p.monthly_spend:g}",
              currency=currency_word(p.currency, lang)),
            f"{t('stage.' + p.lifecycle_stage, lang)} · {t('personality.' + p.personality, lang)}",
        ]
        if p.churn_risk is not None:
            lines.append(f"{t('w.churn_risk', lang)}{t('colon', lang)}{p.churn_risk:g}")
        for line in lines:
            y = self.blit_text(line, 14 * k, c["muted"], x, y, width) + self.px(2)
        return y

    def face(self, center: tuple[int, int], radius: int, mood: int) -> None:
        """The customer's face: warmer and smiling as the mood rises, brows down when it is low."""
        warm = max(0.0, min(1.0, mood / 100))
        skin = (int(255 - 25 * (1 - warm)), int(214 - 70 * (1 - warm)), int(170 - 60 * (1 - warm)))
        cx, cy = center
        pygame.draw.circle(self.surface, skin, center, radius)
        pygame.draw.circle(self.surface, (60, 60, 60), center, radius, max(2, radius // 25))
        eye = max(3, radius // 9)
        for dx in (-radius // 3, radius // 3):
            pygame.draw.circle(self.surface, (40, 40, 40), (cx + dx, cy - radius // 5), eye)
        if mood_word(mood) in ("angry", "annoyed"):
            for sign in (-1, 1):
                start = (cx + sign * radius // 2, cy - radius // 2.4)
                end = (cx + sign * radius // 6, cy - radius // 3)
                pygame.draw.line(self.surface, (40, 40, 40), start, end, max(2, radius // 18))
        self.note("graphic", pygame.Rect(cx - radius, cy - radius, 2 * radius, 2 * radius))
        curve = (mood - 50) / 50  # -1 frown … +1 smile
        width = radius * 0.9
        points = []
        for i in range(21):
            fx = -1 + i / 10
            # screen y grows downwards: a smile's middle sits lower than its corners
            points.append((cx + fx * width / 2, cy + radius * 0.38 + curve * radius * 0.22 * (1 - fx * fx)))
        pygame.draw.lines(self.surface, (90, 30, 30), False, points, max(2, radius // 16))

    def meter(self, rect: pygame.Rect, mood: int) -> None:
        """The mood meter: red to green, a marker at ``mood`` (0–100)."""
        def make() -> pygame.Surface:
            surface = pygame.Surface(rect.size)
            for i in range(rect.w):
                f = i / max(1, rect.w - 1)
                color = (int(220 - 170 * f), int(60 + 150 * f), 60)
                pygame.draw.line(surface, color, (i, 0), (i, rect.h - 1))
            return surface

        self.surface.blit(self.cached(("meter", rect.size), make), rect.topleft)
        self.note("graphic", rect.inflate(self.px(14), 0).union(rect.move(0, -self.px(12))))
        marker = rect.x + int(rect.w * mood / 100)
        pygame.draw.polygon(self.surface, self.colors["ink"],
                            [(marker, rect.y - self.px(2)), (marker - self.px(7), rect.y - self.px(12)),
                             (marker + self.px(7), rect.y - self.px(12))])
