"""Typed answers on the call screen (answer mode free or both): the text box, what was heard, "Did you mean …?".

The trainee types in their own words and sends with Enter or the Send button. The recogniser
(a model the shell loads, once per language) says which techniques and mistakes it heard and
the pure core matches the text to the closest authored response, which is played as if it
had been chosen; the feedback then begins with "I heard: …". When no response is close
enough, nothing is played: the screen says what it heard and shows the authored answers to
pick from ("Did you mean …?"), never a silent guess. In mode ``both`` the answers are always
shown and the trainee may type or pick.

While the box takes keys, every key types: the answer keys 1–N, P and R of the choice mode
do not fire. The call's other keys move to Ctrl (Ctrl+Z undo, Ctrl+P pause, Ctrl+R reveal);
Esc still asks to leave. Without a usable model the call is answered by choosing, and the
window says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ...core.engine import State
from ...core.freetext import heard_line
from ...core.text import choice_number
from ...i18n import t
from ...recogniser.model import ModelError, shipped, warm_up
from ...recogniser.player import HEARD, Heard, listen, scored_lines
from ..textbox import CTRL, TextBox

if TYPE_CHECKING:
    from ..app import App
    from ..session import Call

UNDO = 0x4000007A  # SDLK_UNDO: the Undo key of some keyboards, and the code of the undo button here
REVEAL = 0x40000077  # SDLK_SELECT: no PC keyboard types it; the code of the reveal button here
MOST_LINES = 4  # the box grows to this many lines, then scrolls


def answer_typed(app: App, call: Call, typed: str) -> Heard:
    """The one place the window hears a typed answer and plays it, with the terminal's own functions.

    ``recogniser.player.listen`` recognises ``typed`` with the shipped model, matches it to the
    responses offered (``core.freetext.understand``) and says what was heard; a match is then
    played as the terminal plays it: the matched answer, recorded with the trainee's own words,
    which the scorer then scores.
    """
    heard = listen(call.engine, call.state, typed)
    if heard.option is not None:
        app.answer(heard.option, heard.said)
    return heard


class FreeAnswer:
    """The typed-answer part of one call screen."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.box = TextBox()
        self.asking: Heard | None = None  # nothing close enough: "Did you mean …?" with the answers
        self.said: tuple[State, Heard] | None = None  # the state a typed answer led to, and what was heard
        self.turn: tuple | None = None
        self.swallow = ""  # the text of a key press the call screen already acted on
        self.send_rect = pygame.Rect(0, 0, 0, 0)
        self.failed: dict[str, str] = {}  # language → why its model cannot be used
        if app.settings.answer != "choice":
            warm_up(app.lang)  # loaded while the trainee reads the customer's first words

    # -- what is on ------------------------------------------------------------------------
    def usable(self, lang: str) -> bool:
        """Whether the recogniser for ``lang`` loads (once; a failure is said once, then choosing takes over)."""
        if lang in self.failed:
            return False
        try:
            shipped(lang)
        except ModelError as e:
            self.failed[lang] = str(e)
            self.app.say(t("w.no_model", self.app.lang, error=e), 12)
            return False
        return True

    def mode(self, call: Call) -> str:
        """choice, free or both: the setting, or choice when the call's language has no usable model."""
        mode = self.app.settings.answer
        if mode == "choice" or not self.usable(call.state.language):
            return "choice"
        return mode

    def active(self, call: Call) -> bool:
        """Whether this call is answered by typing (alone or besides choosing)."""
        return self.mode(call) != "choice"

    def follow(self, call: Call) -> None:
        """A new turn (an answer, an undo) starts with an empty box and no question pending."""
        turn = (call.state.node, len(call.state.history))
        if turn != self.turn:
            self.turn = turn
            self.box.clear()
            self.asking = None

    def answering(self, call: Call) -> bool:
        """Whether the answers (and the box) are on screen: the line shown in full, no feedback up."""
        return (call.pending is None and not call.state.over and self.app.line_complete()
                and bool(call.engine.options(call.state)))

    def typing(self) -> bool:
        """Whether the keys type into the box now (the call's answers are up, no pause)."""
        call = self.app.call
        return call is not None and self.active(call) and self.answering(call) and not call.discuss

    def shows_options(self, call: Call) -> bool:
        """Whether the authored answers are shown: always in mode both, in mode free only to ask."""
        self.follow(call)
        return self.mode(call) == "both" or self.asking is not None

    def heard_line(self, call: Call) -> str:
        """'I heard: …' for the feedback of the answer just played, when it was typed."""
        if self.said is not None and self.said[0] is call.pending:
            return self.shown_heard(call, self.said[1])
        return ""

    def hidden(self, call: Call) -> bool:
        """Classroom mode before R: the mistakes stay hidden."""
        return self.app.settings.classroom and not call.revealed

    def shown_heard(self, call: Call, heard: Heard) -> str:
        """What the window says it heard; in classroom mode before R only the techniques, as the badges do."""
        if not self.hidden(call):
            return heard.lines[0]
        catalog, lang = self.app.catalog, call.state.language
        found = [label for label in heard.understanding.heard if label in catalog.techniques]
        return HEARD[lang].format(ids=heard_line(found, catalog, lang)) if found else ""

    # -- events ----------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event, call: Call) -> bool:
        """Take the events that belong to typing; False leaves the event to the call screen."""
        self.follow(call)
        if event.type in (pygame.TEXTINPUT, pygame.TEXTEDITING):
            stray = event.type == pygame.TEXTINPUT and self.swallow and event.text in self.swallow
            self.swallow = ""
            if not stray and self.answering(call) and not call.discuss:
                self.box.handle(event)
            return True
        if event.type == pygame.KEYDOWN:
            return self.key(event, call)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.typing():
            if self.send_rect.collidepoint(event.pos):
                self.send(call)
                return True
            return self.box.click(event.pos)  # a click in the box moves the caret there
        return False

    def key(self, event: pygame.event.Event, call: Call) -> bool:
        """A key while typed answers are on: the call's own keys, or typing."""
        app, key, mod = self.app, event.key, getattr(event, "mod", 0)
        self.swallow = ""
        if key == pygame.K_ESCAPE:
            if self.box.composing:  # Esc first cancels the composition in progress
                self.box.composing = ""
                return True
            self.swallow = "nN"  # the leave dialog's "stay" key must not land in the box
            return False
        if key == pygame.K_PAUSE or (mod & CTRL and key == pygame.K_p):
            call.discuss = not call.discuss
        elif key == REVEAL or (mod & CTRL and key == pygame.K_r and app.settings.classroom):
            call.revealed = not call.revealed
        elif key == UNDO or (mod & CTRL and key == pygame.K_z and not self.box.text):
            app.undo()
        elif call.discuss and key not in (pygame.K_p, pygame.K_r, pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            pass  # paused: nothing is typed and nothing moves (Backspace does not undo) until P
        elif not self.answering(call) or call.discuss or key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            # No box to type in: the call screen's keys (Space goes on, P ends a pause); the text
            # the same key press sends is not typed.
            self.swallow = getattr(event, "unicode", "") or ""
            return False
        elif key in (pygame.K_UP, pygame.K_DOWN):
            if self.shows_options(call) and not self.box.composing:
                count = len(call.engine.options(call.state))
                here = call.selected if call.selected is not None else (-1 if key == pygame.K_DOWN else count)
                call.selected = max(0, min(count - 1, here + (1 if key == pygame.K_DOWN else -1)))
        elif (key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not self.box.text.strip() and not self.box.composing
              and call.selected is not None and self.shows_options(call)):
            app.answer(call.selected)  # nothing typed: Enter plays the answer chosen with the arrows
        elif self.box.handle(event) == "send":
            self.send(call)
        return True

    def send(self, call: Call) -> None:
        """Play what is typed: an answer's number while the answers show, else what the recogniser makes of it."""
        typed = self.box.text.strip()
        if not typed or self.box.composing:
            return
        count = len(call.engine.options(call.state))
        number = choice_number(typed)
        if self.shows_options(call) and number is not None and 1 <= number <= count:
            self.app.answer(number - 1)
            return
        try:
            heard = answer_typed(self.app, call, typed)
        except ModelError as e:  # the model went missing since the call began: choosing still works
            self.failed[call.state.language] = str(e)
            self.app.say(t("w.no_model", self.app.lang, error=e), 12)
            return
        if heard.option is None:
            self.asking = heard
            call.selected = None
        else:
            self.said = (call.state, heard)

    # -- drawing ---------------------------------------------------------------------------
    def still_key(self) -> tuple:
        """Everything of the typed answer that the call screen draws: the box (text, caret, the input method's
        composition, how far it has scrolled), the question pending, what was heard, the models that failed.
        The caret does not blink, so a box nobody types in keeps its picture."""
        b = self.box
        return (b.text, b.caret, b.composing, b.composing_caret, b.top, b.limit, self.asking, self.said,
                tuple(self.failed))

    def draw_heard(self, call: Call, x: int, y: int, width: int, draw: bool = True) -> int:
        """The start of a typed answer's feedback: what was heard, the written answer it was understood as,
        how the words were scored (as the terminal says them). ``draw`` False only measures; the y below."""
        if self.said is None or self.said[0] is not call.pending:
            return y
        p, lang, c = self.app.paint, call.state.language, self.app.paint.colors
        review = self.app.reviewed(call)[0].turns[-1]
        written = call.engine.say(call.state, call.scenario.nodes[review.node].responses[review.response].text)
        lines = [(self.shown_heard(call, self.said[1]), c["accent"]),
                 (f"{t('matched', lang)}{t('colon', lang)}{written}", c["muted"])]
        if not self.hidden(call):  # how the words were scored names the mistakes too
            # the bundled font has no ✗: a mistake is marked ×, as the turn-by-turn review marks it
            lines += [(line, c["ink"]) for line in scored_lines(review, lang, self.app.catalog, mistake_mark="×")]
        for text, color in lines:
            if text:
                surf = p.render(text, 14, color, width)
                if draw:
                    p.blit(surf, (x, y), text)
                y += surf.get_height() + p.px(4)
        return y + p.px(4)

    def actions(self, call: Call) -> list[tuple[str, int | None]]:
        """The key hints of a call answered by typing, paired with the keys their buttons press."""
        app = self.app
        if app.settings.classroom:
            keys = [pygame.K_RETURN, None, UNDO, pygame.K_PAUSE, REVEAL, pygame.K_ESCAPE]
            text = t("w.keys_free_classroom", app.lang)
        else:
            keys = [pygame.K_RETURN, None, UNDO, pygame.K_PAUSE, None, pygame.K_ESCAPE]
            text = t("w.keys_free", app.lang)
        if self.shows_options(call):
            keys = [None, *keys]
            text = t("w.keys_free_pick", app.lang) + " · " + text
        return list(zip(text.split(" · "), keys, strict=True))

    def notes(self, call: Call, width: int) -> list[tuple[pygame.Surface, str]]:
        """Above the box while asking: what was heard, and "Did you mean one of the answers above?"."""
        if self.asking is None:
            return []
        p, lang = self.app.paint, call.state.language
        lines = [(self.shown_heard(call, self.asking), p.colors["ink"])]
        lines += [(line, p.colors["ink"]) for line in self.asking.lines[1:-1]]  # "That is a speech …"
        lines.append((t("w.ask", lang), p.colors["muted"]))
        return [(p.render(text, 15, color, width), text) for text, color in lines if text]

    def parts(self, call: Call, width: int, room: int) -> tuple[int, int, int]:
        """The height of the notes above the box, the box's width and height, the Send column's width."""
        p = self.app.paint
        lang = call.state.language
        note_h = sum(surf.get_height() + p.px(4) for surf, _ in self.notes(call, width))
        send = p.render(t("w.send", lang), 17, p.colors["ink"])
        count = p.render(f"{self.box.limit}/{self.box.limit}", 13, p.colors["muted"])
        side = max(send.get_width() + p.px(28), count.get_width())
        box_w = width - side - p.px(10)
        step = p.render("Ag", 17, p.colors["ink"]).get_height()
        free = room - note_h - p.px(6) - p.px(16)
        # beside the answers the box keeps to two lines (and scrolls): the answers need the room more
        most = max(1, min(2 if self.shows_options(call) else MOST_LINES, free // max(1, step)))
        box_h = max(self.box.height(p, box_w, most), send.get_height() + p.px(16) + count.get_height() + p.px(4))
        return note_h, box_w, box_h, side

    def height(self, call: Call, width: int, room: int) -> int:
        """The height the note, the box and the Send button take, given ``room`` at most."""
        note_h, _, box_h, _ = self.parts(call, width, room)
        return self.app.paint.px(6) + note_h + box_h

    def draw(self, call: Call, rect: pygame.Rect) -> None:
        """The note ("I heard …, did you mean …?"), the text box, the Send button and the character count."""
        p, lang = self.app.paint, call.state.language
        c = p.colors
        _, box_w, box_h, side = self.parts(call, rect.w, rect.h)
        y = rect.y + p.px(6)
        for surf, text in self.notes(call, rect.w):
            p.blit(surf, (rect.x, y), text)
            y += surf.get_height() + p.px(4)
        self.box.draw(p, pygame.Rect(rect.x, y, box_w, box_h), t("w.type_hint", lang))
        label = t("w.send", lang)
        surf = p.render(label, 17, c["ink"])
        self.send_rect = pygame.Rect(rect.right - side, y, side, surf.get_height() + p.px(16))
        p.surface.blit(p.button(label, 0, surf, self.send_rect.size, False), self.send_rect.topleft)
        p.note("button", self.send_rect, label)
        p.note("label", pygame.Rect((self.send_rect.x + p.px(14), self.send_rect.y + p.px(8)), surf.get_size()), label)
        full = len(self.box.text) >= self.box.limit
        count = f"{len(self.box.text)}/{self.box.limit}"
        shown = p.render(count, 13, c["bad"] if full else c["muted"])
        p.blit(shown, (rect.right - shown.get_width(), self.send_rect.bottom + p.px(4)), count)

