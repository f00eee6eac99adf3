"""The call: the customer's card on the left, the transcript and the answers on the right."""

from __future__ import annotations

import pygame

from ...core.text import pick
from ...i18n import t
from ...report.data import typed_advice
from ..session import Call, unsaved
from ..toolkit import ink_on, mood_word
from . import Screen
from .dialogs import LeaveDialog
from .free import FreeAnswer
from .transcript import Transcript


class CallScreen(Screen):
    """Answer with 1–9, the arrows and Enter, or the mouse (or type: ``free``); Backspace undoes; Esc asks to leave."""

    name = "call"
    typing = property(lambda self: self.free.typing())  # keys type into the answer box: "-" is text

    def __init__(self, app) -> None:
        super().__init__(app)
        self.button_rects: list[tuple[int, pygame.Rect]] = []
        self.answers_rect = pygame.Rect(0, 0, 0, 0)
        self.free = FreeAnswer(app)
        self.transcript = Transcript(app)

    def handle(self, event: pygame.event.Event) -> None:
        app = self.app
        call = app.call
        if call is None:
            return
        p = self.paint
        if self.free.active(call) and self.free.handle(event, call):
            return
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key == pygame.K_ESCAPE:
                app.push(LeaveDialog(app))
            elif key == pygame.K_BACKSPACE:
                app.undo()
            elif key == pygame.K_p:
                call.discuss = not call.discuss  # classroom: discuss; alone: a pause
            elif key == pygame.K_r and app.settings.classroom:
                call.revealed = not call.revealed
            elif key == pygame.K_PAGEUP:
                call.scroll += p.px(200)
            elif key == pygame.K_PAGEDOWN:
                call.scroll = max(0, call.scroll - p.px(200))
            elif call.discuss:
                return  # paused: nothing moves until P
            elif call.pending is not None:
                if key in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_KP_ENTER):
                    app.advance()
            elif not app.line_complete():
                call.skip_line(app.clock())  # any key completes the line, and does nothing more
            elif key in (pygame.K_DOWN, pygame.K_UP):
                count = len(call.engine.options(call.state))
                if call.selected is None:
                    call.selected = 0 if key == pygame.K_DOWN else count - 1
                else:
                    step = 1 if key == pygame.K_DOWN else -1
                    call.selected = max(0, min(count - 1, call.selected + step))
            elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                if call.selected is not None:  # Enter commits only a choice the trainee made
                    app.answer(call.selected)
            elif pygame.K_1 <= key <= pygame.K_9:
                app.answer(key - pygame.K_1)
            elif pygame.K_KP1 <= key <= pygame.K_KP9:
                app.answer(key - pygame.K_KP1)
            # Space never answers: it only moves past feedback (above)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if call.discuss:
                return
            if call.pending is not None:
                app.advance()
                return
            if not app.line_complete():
                call.skip_line(app.clock())
                return
            for index, rect in self.button_rects:
                if rect.collidepoint(event.pos):
                    app.answer(index)
        elif event.type == pygame.MOUSEWHEEL:
            if self.answers_rect.collidepoint(pygame.mouse.get_pos()) and self.button_rects:
                call.answer_first = max(0, call.answer_first - event.y)  # wheel down shows later answers
            else:
                call.scroll = max(0, call.scroll + event.y * p.px(60))

    def draw(self, surface: pygame.Surface) -> None:
        app, p = self.app, self.paint
        call = app.call
        if call is None:
            return
        c = p.colors
        w, h = surface.get_size()
        lang = call.state.language
        m = p.px(16)
        # classroom text is large: a narrower card leaves the answers more of each line
        left_w = min(p.px(280), int(w * (0.22 if app.settings.classroom else 0.3)))
        # left: the customer (one cached layer until the mood or the line changes)
        card = pygame.Rect(m, m, left_w, h - 2 * m)
        hidden = self.numbers_hidden()
        key = ("card", card.size, call.scenario.path, call.state.variant, call.state.mood, hidden, lang, app.lang,
               app.settings.classroom, p.scale())
        surface.blit(p.cached(key, lambda: p.offscreen(card.size, lambda: self.draw_card(
            call, pygame.Rect((0, 0), card.size), hidden), at=card.topleft)), card.topleft)
        # right: transcript above, answers below
        right = pygame.Rect(card.right + m, m, w - card.right - 2 * m, h - 2 * m)
        self.button_rects = []
        self.answers_rect = pygame.Rect(0, 0, 0, 0)
        options = call.engine.choices(call.state) if not call.state.over else []
        answering = call.pending is None and app.line_complete() and bool(options)
        typing = answering and self.free.active(call)
        if not answering:
            actions = self.actions(t("w.keys_feedback", app.lang),
                                   [pygame.K_SPACE, pygame.K_BACKSPACE, pygame.K_ESCAPE])
        elif typing:
            actions = self.free.actions(call)
        elif app.settings.classroom:
            actions = self.actions(t("w.keys_classroom", app.lang, n=len(options)),
                                   [None, pygame.K_BACKSPACE, pygame.K_p, pygame.K_r, pygame.K_ESCAPE])
        else:
            actions = self.actions(t("w.keys_call", app.lang, n=len(options)),
                                   [None, pygame.K_BACKSPACE, pygame.K_p, None, pygame.K_ESCAPE])
        bar_h, self.hits = p.action_bar(actions, right.x, right.bottom, right.w)
        # strips of their own above the answers: a save that failed (at once, until it succeeds), the pause
        strips = []
        warning = unsaved(call, app.lang)
        if warning:
            strips.append((p.render(warning, 15, ink_on(c["bad"]), right.w - p.px(24)), c["bad"], warning))
        if call.discuss:
            note = t("w.discuss" if app.settings.classroom else "w.paused", app.lang)
            strips.append((p.render(note, 15, ink_on(c["accent"]), right.w - p.px(24)), c["accent"], note))
        pause_h = sum(surf.get_height() + p.px(26) for surf, _, _ in strips)
        # what the transcript and the answers share; the transcript never drops below its floor
        room = right.h - bar_h - p.px(8) - pause_h - p.px(10)
        floor = self.transcript_floor(call, right.w, room)
        if call.pending is not None:
            bottom_h = min(self.draw_feedback(call, pygame.Rect(right.x, 0, right.w, 0), draw=False), room - floor)
            shown: list[tuple[int, pygame.Surface]] = []
        elif answering:
            free_h = self.free.height(call, right.w, room - floor) if typing else 0
            shown, bottom_h = (([], 0) if typing and not self.free.shows_options(call)
                               else self.fit_answers(call, options, right.w, room - floor - free_h))
            bottom_h += free_h
        else:
            shown, bottom_h = [], 0
        answers_top = right.bottom - bar_h - p.px(8) - bottom_h - pause_h
        transcript = pygame.Rect(right.x, right.y, right.w, answers_top - right.y - p.px(10))
        self.transcript.draw(call, transcript)
        y = answers_top
        for surf, fill, text in strips:
            strip = pygame.Rect(right.x, y, right.w, surf.get_height() + p.px(16))
            pygame.draw.rect(surface, fill, strip, border_radius=p.px(8))
            p.note("panel", strip)
            p.blit(surf, (strip.x + p.px(12), strip.y + p.px(8)), text)
            y = strip.bottom + p.px(10)
        if call.pending is not None:
            clip = surface.get_clip()
            surface.set_clip(pygame.Rect(right.x, y, right.w, bottom_h))
            self.draw_feedback(call, pygame.Rect(right.x, y, right.w, bottom_h))
            surface.set_clip(clip)
            return
        self.answers_rect = pygame.Rect(right.x, y, right.w, bottom_h)
        for index, surf in shown:
            choice = options[index]
            rect = pygame.Rect(right.x, y, right.w, surf.get_height() + p.px(16))
            surface.blit(p.button(choice.text, choice.number, surf, rect.size, index == call.selected),
                         rect.topleft)
            p.note("button", rect, choice.text)
            p.note("label", pygame.Rect((rect.x + p.px(14), rect.y + p.px(8)), surf.get_size()), choice.text)
            self.button_rects.append((index, rect))
            y = rect.bottom + p.px(6)
        if shown and len(shown) < len(options):  # the rest are a scroll away: say so, and which ones show
            first, last = shown[0][0] + 1, shown[-1][0] + 1
            which = f"{first}–{last}" if last > first else f"{first}"
            p.blit_text(t("w.more_answers", app.lang, which=which, n=len(options)), 13, c["muted"],
                        right.x + p.px(6), y, right.w - p.px(12))
        if typing:
            self.free.draw(call, pygame.Rect(right.x, self.answers_rect.bottom - free_h, right.w, free_h))

    def still_key(self) -> tuple | None:
        """Everything the call screen shows but the customer's line typing itself out (see ``Screen``),
        the typed answer's box and what was heard included."""
        app = self.app
        call = app.call
        if call is None:
            return None
        return (call, call.state, call.pending, call.selected, call.scroll, call.answer_first, call.discuss,
                call.revealed, app.line_complete(), unsaved(call, app.lang), app.lang, app.theme,
                tuple(vars(app.settings).values()), app.catalog,
                self.free.still_key() if self.free.active(call) else None)

    def draw_moving(self, surface: pygame.Surface) -> None:
        """The frame after an unchanged one: only the customer's line, a few characters further."""
        if self.app.call is not None:
            self.transcript.draw_moving(self.app.call)

    def transcript_floor(self, call: Call, width: int, room: int) -> int:
        """The least height the transcript keeps: the customer's current line in full (at most half the room).

        The answers never squeeze out what the trainee is answering; the history is a scroll away.
        """
        p = self.paint
        bubble_w = int((width - p.px(24)) * 0.86)
        line = call.engine.customer_line(call.state) or " "
        text_h = p.render(line, 17, (0, 0, 0), bubble_w - p.px(24)).get_height()
        label_h = p.render("Ag", 12, (0, 0, 0)).get_height()
        need = text_h + p.px(16) + label_h + p.px(10) + p.px(20)
        return max(min(need, room // 2), min(p.px(90), room // 3))

    def fit_answers(self, call: Call, options, width: int, room: int) -> tuple[list, int]:
        """The answers that fit in ``room`` (all of them, or a window around the selected one) and their height.

        When they need more room than they have, whole answers scroll (``call.answer_first``), a
        line below says which show, and the selected answer is always among them.
        """
        p = self.paint
        c = p.colors
        surfs = [p.render(f"{ch.number}.\u00a0{ch.text}", 17, c["ink"], width - p.px(40)) for ch in options]
        heights = [s.get_height() + p.px(22) for s in surfs]
        if sum(heights) <= room:
            return list(enumerate(surfs)), sum(heights)
        count = len(options)
        sample = t("w.more_answers", self.app.lang, which=f"{count}–{count}", n=count)
        note_h = p.render(sample, 13, c["muted"], width - p.px(12)).get_height() + p.px(4)
        first = max(0, min(call.answer_first, count - 1))

        def window(start: int) -> int:
            used, end = note_h, start
            while end < count and (end == start or used + heights[end] <= room):
                used += heights[end]
                end += 1
            return end

        if call.selected is not None:
            first = min(first, call.selected)
            while window(first) <= call.selected:
                first += 1
        while first > 0 and window(first) == count and window(first - 1) == count:
            first -= 1  # at the end of the list: show as many as fit, not fewer
        call.answer_first = first
        end = window(first)
        shown = [(i, surfs[i]) for i in range(first, end)]
        return shown, min(room, sum(heights[first:end]) + note_h)

    def numbers_hidden(self) -> bool:
        """Classroom mode hides the mood numbers and the mistakes until the instructor presses R."""
        call = self.app.call
        return self.app.settings.classroom and not (call and call.revealed)

    def draw_card(self, call: Call, card: pygame.Rect, hidden: bool) -> None:
        """The customer: face, mood, the persona card.

        The face and the mood word both follow the meter's number, so they never disagree.
        """
        p = self.paint
        c = p.colors
        lang = call.state.language
        word = t("emotion." + mood_word(call.state.mood), lang)
        p.panel(card)
        x, width = card.x + p.px(14), card.w - p.px(28)
        radius = min(p.px(70), card.w // 3)
        p.face((card.centerx, card.y + radius + p.px(14)), radius, call.state.mood)
        y = card.y + 2 * radius + p.px(30)
        number = "" if hidden else f"{call.state.mood} · "
        mood_line = f"{t('mood', lang)}{t('colon', lang)}{number}{word}"
        y = p.blit_text(mood_line, 14, c["muted"], x, y, width) + p.px(18)
        p.meter(pygame.Rect(x, y, width, p.px(12)), call.state.mood)
        y += p.px(28)
        p.persona_lines(call.scenario, call.state.variant, self.app.lang, x, y, width)

    def draw_feedback(self, call: Call, rect: pygame.Rect, draw: bool = True) -> int:
        """What the last answer earned: technique and mistake badges, the mood change, a better line.

        Returns the height it needs; with ``draw=False`` it only measures (the layout asks first).
        """
        app, p = self.app, self.paint
        c = p.colors
        lang = call.state.language
        review = app.reviewed(call)[0].turns[-1]
        node = call.scenario.nodes[review.node]
        response = node.responses[review.response].for_personality(call.engine.personality(call.state))
        if draw:
            p.panel(rect)
        x, y, width = rect.x + p.px(14), rect.y + p.px(12), rect.w - p.px(28)
        y = self.free.draw_heard(call, x, y, width, draw)  # a typed answer: what was heard in it, first
        hidden = self.numbers_hidden()
        badges = [(pick(app.catalog.techniques[tid].name, lang), c["good"]) for tid in review.techniques]
        if not hidden:
            badges += [(pick(app.catalog.mistakes[mid].name, lang), c["bad"])
                       for mid in review.mistakes + review.auto_mistakes]
        bx, row = x, 0
        for text, color in badges:
            surf = p.render(text, 13, ink_on(color))
            badge = pygame.Rect(bx, y, surf.get_width() + p.px(16), surf.get_height() + p.px(6))
            if bx > x and badge.right > x + width:
                y += row + p.px(6)
                badge.topleft = (x, y)
            row = max(row, badge.h)
            if draw:
                pygame.draw.rect(p.surface, color, badge, border_radius=p.px(12))
                p.note("panel", badge)
                p.blit(surf, (badge.x + p.px(8), badge.y + p.px(3)), text)
            bx = badge.right + p.px(6)
        if badges:
            y += row + p.px(10)
        line = call.engine.say(call.state, response.feedback)
        if not review.as_written:  # typed words scored otherwise than the answer they matched is tagged
            line = t("r.about_matched", lang, text=line)
        change = "" if hidden else f"{t('mood', lang)} {review.mood_change:+d} · "
        texts = [(f"{change}{line}", 15, c["ink"])]
        if response.instead and review.instead_applies:
            instead = call.engine.say(call.state, response.instead)
            texts.append((f"{t('instead', lang)}{t('colon', lang)}{instead}", 14, c["good"]))
        advice = typed_advice(review, response.techniques, app.catalog, lang)
        if advice and not hidden:
            texts.append((advice, 14, c["ink"]))
        texts.append((t("w.continue", app.lang), 12, c["muted"]))
        for text, size, color in texts:
            surf = p.render(text, size, color, width)
            if draw:
                p.blit(surf, (x, y), text)
            y += surf.get_height() + p.px(6)
        return y + p.px(6) - rect.y
