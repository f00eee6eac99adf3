"""The turn-by-turn review: the call's report, one turn at a time, inside the window.

It shows what the HTML report's annotated transcript shows (``report.data.build`` is the one
source of both): the customer's line, the trainee's answer (a typed one in their own words, with
the written answer it was understood as and what was heard in it), the mood change, the techniques
shown, the mistakes and why, the feedback, what to say instead, and any answer taken back at
that turn. Classroom mode keeps mood numbers and mistakes hidden until R, as the call does.
"""

from __future__ import annotations

import pygame

from ...i18n import t
from . import Screen

SCROLL_STEP = 200  # design pixels per PgUp/PgDn press (a wheel notch is a third of it)


class ReviewScreen(Screen):
    """◀ ▶ (or the buttons) move between turns, PgUp/PgDn and the wheel scroll, Esc goes back."""

    name = "review"

    def __init__(self, app, turn: int = 0) -> None:
        super().__init__(app)
        self.turn = turn
        self.scroll = 0
        self.max_scroll = 0

    def turns(self) -> list[dict]:
        """The reviewed turns (report data, in the call's language)."""
        call = self.app.call
        return self.app.report(call)["turns"] if call is not None else []

    def go(self, step: int) -> None:
        """To the previous (-1) or the next (+1) turn, at its top."""
        last = len(self.turns()) - 1
        target = max(0, min(last, self.turn + step))
        if target != self.turn:
            self.turn, self.scroll = target, 0

    def scroll_by(self, design_px: float) -> None:
        self.scroll = max(0, min(self.max_scroll, self.scroll + self.paint.px(design_px)))

    def hidden(self) -> bool:
        """Classroom mode hides mood numbers and mistakes until the instructor presses R."""
        call = self.app.call
        return self.app.settings.classroom and not (call and call.revealed)

    def handle(self, event: pygame.event.Event) -> None:
        app = self.app
        if event.type == pygame.KEYDOWN:
            key = event.key
            if key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
                app.pop(self)
            elif key == pygame.K_LEFT:
                self.go(-1)
            elif key == pygame.K_RIGHT:
                self.go(+1)
            elif key in (pygame.K_PAGEDOWN, pygame.K_DOWN, pygame.K_SPACE):
                self.scroll_by(SCROLL_STEP if key != pygame.K_DOWN else SCROLL_STEP / 3)
            elif key in (pygame.K_PAGEUP, pygame.K_UP):
                self.scroll_by(-SCROLL_STEP if key == pygame.K_PAGEUP else -SCROLL_STEP / 3)
            elif key == pygame.K_HOME:
                self.scroll = 0
            elif key == pygame.K_END:
                self.scroll = self.max_scroll
            elif key == pygame.K_r and app.call is not None:
                app.call.revealed = True
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll_by(-event.y * SCROLL_STEP / 3)

    def draw(self, surface: pygame.Surface) -> None:
        app, p = self.app, self.paint
        call = app.call
        turns = self.turns()
        if call is None or not turns:
            return
        w, h = surface.get_size()
        self.turn = min(self.turn, len(turns) - 1)
        turn = turns[self.turn]
        lang = call.state.language
        title = t("w.review_title", lang, n=turn["number"], total=len(turns), step=turn["step_name"])
        y0 = p.header(title, app.lang, app.settings.trainee)
        x, width = p.px(24), w - p.px(48)
        panel = pygame.Rect(x, y0, width, 0)
        inner_w = width - p.px(32)
        hidden = self.hidden()
        # the scroll buttons only when the turn does not fit: measure it first
        actions = self.actions(t("w.review_keys", app.lang), [pygame.K_LEFT, pygame.K_RIGHT, pygame.K_ESCAPE])
        if hidden:
            actions.insert(-1, (t("w.reveal", app.lang), pygame.K_r))
        bar_h, _ = p.action_bar(actions, x, h, width, draw=False)
        panel.h = h - p.px(12) - bar_h - p.px(12) - y0
        inner = panel.inflate(-p.px(32), -p.px(28))
        with p.dry_run():
            needed = self.draw_turn(turn, inner.x, 0, inner_w, hidden) + p.px(8)
        self.max_scroll = max(0, needed - inner.h)
        if self.max_scroll:
            scroll = self.actions(t("w.review_scroll", app.lang), [pygame.K_PAGEUP, pygame.K_PAGEDOWN])
            actions[-1:-1] = scroll
            bar_h, _ = p.action_bar(actions, x, h, width, draw=False)
            panel.h = h - p.px(12) - bar_h - p.px(12) - y0
            inner = panel.inflate(-p.px(32), -p.px(28))
            self.max_scroll = max(0, needed - inner.h)
        self.scroll = min(self.scroll, self.max_scroll)
        _, self.hits = p.action_bar(actions, x, h - p.px(12), width)
        p.panel(panel)
        clip = surface.get_clip()
        surface.set_clip(inner)
        self.draw_turn(turn, inner.x, inner.y - self.scroll, inner_w, hidden)
        surface.set_clip(clip)

    def draw_turn(self, turn: dict, x: int, y: int, width: int, hidden: bool) -> int:
        """One turn's review from ``y``; return the y below it (relative to the same origin)."""
        app, p = self.app, self.paint
        c = p.colors
        call = app.call
        lang = call.state.language
        report = app.report(call)
        colon = t("colon", lang)
        gap = p.px(14)
        if hidden:
            y = p.blit_text(t("w.hidden", app.lang), 14, c["accent"], x, y, width) + gap
        else:
            meta = (f"{t('mood', lang)} {turn['mood_before']} → {turn['mood_after']} ({turn['mood_change']:+d})"
                    + (f" · {t('r.seconds', lang, s=turn['seconds'])}" if turn["seconds"] is not None else ""))
            y = p.blit_text(meta, 14, c["muted"], x, y, width) + gap
        speaker = t("w.speaker", lang, name=report["persona"]["name"], emotion=turn["mood_name"])
        y = self.bubble(speaker, turn["customer"], c["customer"], x, y, width) + gap
        typed = turn["typed"]
        if typed is None:
            y = self.bubble(t("you", lang), turn["answer"], c["you"], x, y, width) + gap
        else:  # the trainee's own words, never the written answer in their mouth; then how they were understood
            y = self.bubble(t("you", lang), typed["text"], c["you"], x, y, width) + gap
            y = self.section(t("matched", lang), [turn["answer"]], c["ink"], x, y, width)
            heard = [f"{h['name']} {h['confidence']:.2f}" for h in typed["heard"]
                     if not (hidden and h["kind"] == "mistake")]  # mistakes stay hidden until R, as below
            y = self.section(t("r.heard", lang), [t("list_sep", lang).join(heard)] if heard else [],
                             c["muted"], x, y, width)
        y = self.section(t("w.techniques_shown", lang), [f"✓ {x_['name']}" for x_ in turn["techniques"]],
                         c["good"], x, y, width)
        if not hidden:
            y = self.section(t("w.mistakes_made", lang), [f"× {m['name']}{colon}{m['why']}" for m in turn["mistakes"]],
                             c["bad"], x, y, width)
        y = self.section(t("w.feedback", lang), [turn["feedback"]], c["ink"], x, y, width)
        if turn["instead"]:
            y = self.section(t("instead", lang), [turn["instead"]], c["good"], x, y, width)
        if turn["better"]:
            y = self.section(t("better", lang), [f"\u201c{turn['better']}\u201d"], c["good"], x, y, width)
        if turn["advice"]:  # a typed turn: nothing heard, or why no written answer is suggested
            y = p.blit_text(turn["advice"], 15, c["muted"], x, y, width) + p.px(10)
        taken = [u for u in report["undone"] if u["number"] == turn["number"]]
        if taken:
            lines = []
            for u in taken:
                head = (t("explored_line", lang, n=u["number"]) if u["explored"]
                        else t("undone_line", lang, n=u["number"], k=u["order"]))
                lines.append(f"{head}{colon}{u['answer']}")
                if not hidden and not u["explored"]:
                    lines.append(t("undone_kept", lang, penalty=u["penalty"]) if u["mistakes"]
                                 else t("undone_clean", lang))
            y = self.section(t("w.taken_back", lang), lines, c["muted"], x, y, width)
        return y

    def bubble(self, who: str, text: str, fill, x: int, y: int, width: int) -> int:
        """A speaker's name and their words in a tinted panel; return the y below."""
        p = self.paint
        c = p.colors
        y = p.blit_text(who, 13, c["muted"], x, y, width, bold=True) + p.px(4)
        body = p.render(text, 17, c["ink"], width - p.px(28))
        rect = pygame.Rect(x, y, width, body.get_height() + p.px(20))
        if not p.dry:
            pygame.draw.rect(p.surface, fill, rect, border_radius=p.px(10))  # drawn, not cached: it is clipped
            p.note("panel", rect)
        p.blit(body, (x + p.px(14), y + p.px(10)), text)
        return rect.bottom

    def section(self, heading: str, lines: list[str], color, x: int, y: int, width: int) -> int:
        """A bold heading and its lines (none: "none"); return the y below, with the gap after it."""
        p = self.paint
        c = p.colors
        y = p.blit_text(heading, 15, c["ink"], x, y, width, bold=True) + p.px(4)
        for line in lines or [t("w.none", self.app.call.state.language)]:
            y = p.blit_text(line, 15, color if lines else c["muted"], x + p.px(12), y, width - p.px(12)) + p.px(4)
        return y + p.px(10)
