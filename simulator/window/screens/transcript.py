"""The call screen's transcript: the conversation so far, and the customer's line typing itself out.

Everything but the line being typed is one cached layer. The typed line is its full text,
rendered once and uncovered a few characters at a time: a frame of typing blits only the
characters that appeared since the frame before (:meth:`Transcript.draw_moving`), onto a
window that still shows the rest of the call (the App keeps it; see ``Screen.still_key``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ...core.text import pick
from ...i18n import t
from ..fonts import revealed_rows
from ..session import REVEAL_CPS, Call

if TYPE_CHECKING:
    from ..app import App

TEXT_SIZE = 17  # the bubbles' text size, design pixels


class Transcript:
    """Draws the transcript of the App's call into a rectangle of the call screen."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.rect = pygame.Rect(0, 0, 0, 0)
        # the line being typed, as last drawn: (line, its full text surface, its wrap width, text origin,
        # clip, characters shown)
        self.typing: tuple[str, pygame.Surface, int, tuple[int, int], pygame.Rect, int] | None = None
        self._laid: tuple | None = None  # the entries and their texts, for one state and size (laid_out)

    def draw(self, call: Call, rect: pygame.Rect) -> None:
        """The conversation so far, newest at the bottom; the customer's current line types itself out.

        Everything but the line being typed is one cached layer, and the layout reserves the
        full line's height: a frame of typing uncovers only the characters shown since the last.
        """
        app, p = self.app, self.app.paint
        c = p.colors
        lang = call.state.language
        typed = self.shown(call)
        last = call.engine.customer_line(call.state)
        self.rect = rect
        self.typing = None
        inner = rect.inflate(-p.px(24), -p.px(20))
        bubble_w = int(inner.w * 0.86)
        name = pick(call.scenario.persona_for(call.state.variant).name, lang)
        labels = {"customer": p.render(name, 12, c["muted"]), "you": p.render(t("you", lang), 12, c["muted"])}
        label_h = labels["customer"].get_height()
        entries, surfaces = self.laid_out(call, bubble_w - p.px(24))
        pad, gap = p.px(16), p.px(10)
        total = sum(s.get_height() for s in surfaces) + len(surfaces) * (pad + label_h + gap)
        call.scroll = min(call.scroll, max(0, total - inner.h))
        places = []
        y = inner.bottom - total + call.scroll
        for (who, _), surf in zip(entries, surfaces, strict=True):
            height = surf.get_height() + pad
            x = inner.x if who == "customer" else inner.right - bubble_w
            places.append((x - rect.x, y - rect.y, height))
            y += label_h + height + gap
        settled = len(entries) - (1 if typed is not None else 0)

        def draw_layer() -> None:
            local = pygame.Rect((0, 0), rect.size)
            p.panel(local)
            p.surface.set_clip(inner.move(-rect.x, -rect.y))
            for (who, content), surf, (x, yy, height) in zip(entries[:settled], surfaces, places, strict=False):
                if yy + label_h + height > inner.y - rect.y and yy < inner.bottom - rect.y:
                    p.surface.blit(self.bubble(who, content, surf, labels[who], bubble_w, height), (x, yy))
                    self.note_bubble(x, yy, labels[who], surf.get_rect(), bubble_w, height, content)
            p.surface.set_clip(None)

        # the entries themselves, not their count: after an undo the same count holds other words
        key = ("transcript", rect.size, tuple(entries[:settled]), call.state.over, call.scroll, lang,
               call.scenario.persona_for(call.state.variant).name.get(lang), app.settings.classroom, p.scale())
        p.surface.blit(p.cached(key, lambda: p.offscreen(rect.size, draw_layer, at=rect.topleft)), rect.topleft)
        if typed is not None:
            x, yy, height = places[-1]
            x, yy = rect.x + x, rect.y + yy
            # the bubble empty, then the part of the full line shown so far
            saved = p.surface.get_clip()
            p.surface.set_clip(inner)
            p.surface.blit(self.bubble("customer", None, None, labels["customer"], bubble_w, height), (x, yy))
            p.surface.set_clip(saved)
            origin = (x + p.px(12), yy + label_h + p.px(8))
            self.typing = (last, surfaces[-1], bubble_w - p.px(24), origin, inner, 0)
            shown = self.uncover(typed)
            self.note_bubble(x, yy, labels["customer"], shown, bubble_w, height, last[:typed])

    def laid_out(self, call: Call, width: int) -> tuple[list[tuple[str, str]], list[pygame.Surface]]:
        """Who said what (the customer's current line last) and their texts wrapped to ``width``.

        Worked out once per state and size, not every frame: a long call has many turns.
        """
        p = self.app.paint
        key = (call.state, call.engine, width, p.text_px(TEXT_SIZE), p.colors["ink"])
        if self._laid is None or self._laid[0] != key:
            eng = call.engine
            entries: list[tuple[str, str]] = []
            for turn in call.state.history:
                node = call.scenario.nodes[turn.node]
                entries.append(("customer", eng.say(call.state, node.customer)))
                said = turn.said.text if turn.said else eng.say(call.state, node.responses[turn.response].text)
                entries.append(("you", said))  # a typed answer: the trainee's own words
            last = eng.customer_line(call.state)
            if last or not call.state.over:
                entries.append(("customer", last))
            surfaces = [p.render(text or " ", TEXT_SIZE, p.colors["ink"], width) for _, text in entries]
            self._laid = (key, entries, surfaces)
        return self._laid[1], self._laid[2]

    def shown(self, call: Call) -> int | None:
        """How many characters of the customer's line show now; None when all of it does."""
        last = call.engine.customer_line(call.state)
        if call.state.over or not last:
            return None
        shown = int(max(0.0, self.app.clock() - call.reveal_from) * REVEAL_CPS)
        return shown if shown < len(last) else None

    def draw_moving(self, call: Call) -> None:
        """One frame of the line typing itself out, onto the window as the last full frame left it."""
        if self.typing is None:
            return
        typed = self.shown(call)
        self.uncover(len(self.typing[0]) if typed is None else typed)

    def uncover(self, count: int) -> pygame.Rect:
        """Show the typed line's first ``count`` characters (blitting only those not shown yet); their extent."""
        p = self.app.paint
        line, surf, wrap_w, (x, y), clip, before = self.typing
        rows = revealed_rows(line, p.text_px(TEXT_SIZE), wrap_w, count)
        extent = pygame.Rect(0, 0, 0, 0)
        if rows:
            extent = pygame.Rect(rows[0]).unionall([pygame.Rect(r) for r in rows[1:]])
        if count < before:  # the line started again (undo, a reload): only a full frame draws it anew
            return extent
        seen = revealed_rows(line, p.text_px(TEXT_SIZE), wrap_w, before)
        saved = p.surface.get_clip()
        p.surface.set_clip(clip)
        for n, (rx, ry, rw, rh) in enumerate(rows):
            done = seen[n][2] if n < len(seen) else 0
            if rw > done:  # the part of this row not drawn yet: blended once, so its edges stay as rendered
                p.surface.blit(surf, (x + rx + done, y + ry), area=pygame.Rect(rx + done, ry, rw - done, rh))
        p.surface.set_clip(saved)
        self.typing = (line, surf, wrap_w, (x, y), clip, count)
        return extent

    def note_bubble(self, x: int, y: int, label: pygame.Surface, text: pygame.Rect, width: int, height: int,
                    content: str) -> None:
        """Tell the layout checks where a bubble and its texts are (see ``bubble``)."""
        p = self.app.paint
        p.note("text", pygame.Rect((x + p.px(6), y), label.get_size()), "speaker")
        p.note("panel", pygame.Rect(x, y + label.get_height(), width, height))
        if text.w and text.h:
            p.note("text", pygame.Rect((x + p.px(12), y + label.get_height() + p.px(8)), text.size), content)

    def bubble(self, who: str, content: str | None, text: pygame.Surface | None, label: pygame.Surface, width: int,
               height: int) -> pygame.Surface:
        """One transcript entry (speaker, bubble and text) as a single cached, opaque surface.

        Without a text (``content`` None) the bubble is empty: the line being typed is drawn into it.
        """
        p = self.app.paint
        c = p.colors
        fill = c["customer"] if who == "customer" else c["you"]

        def make() -> pygame.Surface:
            surface = pygame.Surface((width, label.get_height() + height))
            surface.fill(c["panel"])
            surface.blit(label, (p.px(6), 0))
            rect = pygame.Rect(0, label.get_height(), width, height)
            pygame.draw.rect(surface, fill, rect, border_radius=p.px(10))
            if text is not None:
                surface.blit(text, (p.px(12), rect.y + p.px(8)))
            return surface

        return p.cached(("bubble", content, who, width, height, fill, c["panel"], p.scale()), make)
