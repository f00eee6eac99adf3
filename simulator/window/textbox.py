"""A text box for a typed answer: the platform's input method, a caret, the editing keys, wrapping, a limit.

The trainee types through SDL's text input. ``TEXTINPUT`` carries committed text (a key, a
Chinese phrase the input method committed); ``TEXTEDITING`` carries the composition still in
progress (pinyin on its way to characters), which is shown inline at the caret, underlined, and
``pygame.key.set_text_input_rect`` puts the input method's candidate window next to it. Lines
wrap by the same CJK rules as every other text of the window (``core.linebreak``).

The box knows nothing of calls: it edits a string and says when the trainee asks to send it.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from ..core.linebreak import wrap
from ..core.text import first_control
from .fonts import font

LIMIT = 400  # characters: half a minute of speech, more than any authored answer says
TEXT_SIZE = 17  # design pixels, as the answers' own text
CTRL = pygame.KMOD_CTRL | pygame.KMOD_META  # Ctrl, or Cmd on a Mac


def clean(text: str) -> str:
    """``text`` as the box keeps it: line ends as newlines, tabs as spaces, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or first_control(ch) is None)


def rows(text: str, width: int, measure: Callable[[str], float]) -> list[tuple[int, int]]:
    """Where each shown line of ``text`` starts and ends (indices into ``text``), wrapped to ``width``.

    ``core.linebreak.wrap`` drops the spaces at a break; each line it returns is still a run
    of ``text`` after the previous one, so it is found again from there.
    """
    found: list[tuple[int, int]] = []
    base = 0
    for paragraph in text.split("\n"):
        pos = 0
        for line in wrap(paragraph, width, measure):
            start = paragraph.find(line, pos) if line else pos
            found.append((base + start, base + start + len(line)))
            pos = start + len(line)
        base += len(paragraph) + 1
    return found


def row_of(places: list[tuple[int, int]], index: int) -> int:
    """The shown line the caret at ``index`` is on: the last that starts at or before it."""
    return max((n for n, (start, _) in enumerate(places) if start <= index), default=0)


class TextBox:
    """What is typed (``text``), where the caret is, and the input method's composition in progress."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.text = ""
        self.caret = 0
        self.composing = ""  # the input method's text not yet committed
        self.composing_caret = 0  # the input method's own caret inside it
        self.places: list[tuple[int, int]] = []  # the lines as last drawn, for Home and End
        self.top = 0  # the first line shown when the text is taller than the box
        self.ime_rect: pygame.Rect | None = None
        self.listening = False  # whether this box has turned SDL's text input on (the name entry turns it off)
        self._wrapped: tuple[tuple, list[tuple[int, int]]] = ((), [])
        self.drawn: tuple[pygame.Rect, pygame.Rect, int, int] | None = None  # box, text area, line height, size

    # -- editing -------------------------------------------------------------------------
    def clear(self) -> None:
        """Empty the box (after an answer is played)."""
        self.text, self.caret, self.composing, self.composing_caret, self.top = "", 0, "", 0, 0

    def insert(self, text: str) -> None:
        """Put ``text`` at the caret, as much of it as the limit leaves room for."""
        text = clean(text)[: max(0, self.limit - len(self.text))]
        self.text = self.text[: self.caret] + text + self.text[self.caret:]
        self.caret += len(text)

    def paste(self) -> None:
        """Ctrl+V: the clipboard's text, when the platform has a clipboard pygame can read."""
        try:
            pasted = pygame.scrap.get_text()
        except (pygame.error, AttributeError):  # no clipboard on this display (or no scrap module)
            return
        if pasted:
            self.insert(pasted)

    def handle(self, event: pygame.event.Event) -> str | None:
        """One typing event: "send" when the trainee asks to send, "edit" when the box took it, else None."""
        if event.type == pygame.TEXTINPUT:
            self.composing, self.composing_caret = "", 0
            self.insert(event.text)
            return "edit"
        if event.type == pygame.TEXTEDITING:
            self.composing = clean(event.text).replace("\n", "")
            self.composing_caret = max(0, min(len(self.composing), getattr(event, "start", len(self.composing))))
            return "edit"
        if event.type != pygame.KEYDOWN:
            return None
        if self.composing:
            return "edit"  # the input method owns the keys until it commits or cancels
        return self.key(event.key, getattr(event, "mod", 0))

    def key(self, key: int, mod: int) -> str | None:
        """An editing key: Enter, Backspace, Delete, the arrows, Home, End, Ctrl+V."""
        text, caret = self.text, self.caret
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if mod & pygame.KMOD_SHIFT:
                self.insert("\n")
                return "edit"
            return "send"
        if key == pygame.K_BACKSPACE and caret:
            self.text, self.caret = text[: caret - 1] + text[caret:], caret - 1
        elif key == pygame.K_DELETE:
            self.text = text[:caret] + text[caret + 1:]
        elif key == pygame.K_LEFT:
            self.caret = max(0, caret - 1)
        elif key == pygame.K_RIGHT:
            self.caret = min(len(text), caret + 1)
        elif key in (pygame.K_HOME, pygame.K_END):
            self.caret = self.line_end(key == pygame.K_END, whole=bool(mod & CTRL))
        elif key == pygame.K_v and mod & CTRL:
            self.paste()
        else:
            return None
        return "edit"

    def click(self, pos: tuple[int, int]) -> bool:
        """A click in the box puts the caret at the nearest character boundary; whether it was in the box."""
        if self.drawn is None or self.composing or not self.drawn[0].collidepoint(pos):
            return False
        _, inner, step, size = self.drawn
        places = self.wrapped(self.text, size, inner.w)
        start, end = places[max(0, min(len(places) - 1, self.top + (pos[1] - inner.y) // step))]
        face = font(size)
        self.caret = min(range(start, end + 1), key=lambda i: abs(inner.x + face.size(self.text[start:i])[0] - pos[0]))
        return True

    def line_end(self, end: bool, whole: bool) -> int:
        """Home or End: the start or end of the caret's shown line (with Ctrl, of the whole text)."""
        if whole or not self.places:
            return len(self.text) if end else 0
        start, stop = self.places[row_of(self.places, self.caret)]
        return stop if end else start

    # -- layout and drawing --------------------------------------------------------------
    def shown(self) -> tuple[str, int, tuple[int, int]]:
        """The text as shown: the composition inserted at the caret; the caret there; the composition's span."""
        at = self.caret
        text = self.text[:at] + self.composing + self.text[at:]
        return text, at + self.composing_caret, (at, at + len(self.composing))

    def wrapped(self, text: str, size: int, width: int) -> list[tuple[int, int]]:
        """``rows`` of ``text`` in the font of ``size`` pixels, kept until the text or the width changes.

        Wrapping measures every cluster; a frame that only moves the caret should not.
        """
        key = (text, size, width)
        if self._wrapped[0] != key:
            face = font(size)
            self._wrapped = (key, rows(text, width, lambda s: face.size(s)[0]))
        return self._wrapped[1]

    def height(self, paint, width: int, most: int) -> int:
        """The box's height at ``width``: its lines (at least two, at most ``most``) and the padding."""
        size = paint.text_px(TEXT_SIZE)
        count = len(self.wrapped(self.shown()[0], size, max(1, width - 2 * paint.px(10))))
        return max(2, min(most, count)) * font(size).get_linesize() + 2 * paint.px(8)

    def draw(self, paint, rect: pygame.Rect, hint: str) -> None:
        """The box in ``rect``: the text wrapped, the composition underlined, the caret; ``hint`` when empty."""
        c = paint.colors
        if not self.listening:
            pygame.key.start_text_input()
            self.listening = True
        face = font(paint.text_px(TEXT_SIZE))
        step = face.get_linesize()
        paint.panel(rect)
        pygame.draw.rect(paint.surface, c["accent"], rect, width=max(1, paint.px(2)), border_radius=paint.px(10))
        inner = rect.inflate(-2 * paint.px(10), -2 * paint.px(8))
        text, caret, (c0, c1) = self.shown()

        def measure(s: str) -> float:
            return face.size(s)[0]

        places = self.wrapped(text, paint.text_px(TEXT_SIZE), inner.w)
        if not self.composing:
            self.places = places
        here = row_of(places, caret)
        visible = max(1, inner.h // step)
        self.drawn = (rect, inner, step, paint.text_px(TEXT_SIZE))
        self.top = max(here - visible + 1, min(self.top, here), 0)
        if not text:
            paint.blit(paint.render(hint, 15, c["muted"], inner.w), inner.topleft, hint)
        for n in range(self.top, min(len(places), self.top + visible)):
            start, end = places[n]
            y = inner.y + (n - self.top) * step
            if end > start:
                paint.blit(paint.render(text[start:end], TEXT_SIZE, c["ink"]), (inner.x, y), text[start:end])
            a, b = max(c0, start), min(c1, end)
            if a < b:  # the composition in progress: underlined, as input methods show it
                x0, x1 = inner.x + measure(text[start:a]), inner.x + measure(text[start:b])
                under = y + face.get_ascent() + paint.px(3)
                pygame.draw.line(paint.surface, c["accent"], (x0, under), (x1, under), max(1, paint.px(2)))
        start = places[here][0]
        x = inner.x + min(inner.w - 1, int(measure(text[start:caret])))
        y = inner.y + (here - self.top) * step
        pygame.draw.line(paint.surface, c["ink"], (x, y + paint.px(2)), (x, y + step - paint.px(2)),
                         max(1, paint.px(2)))
        ime = pygame.Rect(x, y, max(1, paint.px(2)), step)
        if ime != self.ime_rect:  # the candidate window opens under the caret, not in a corner
            self.ime_rect = ime
            pygame.key.set_text_input_rect(ime)
