"""The projector of a room that votes from their phones (classroom --serve, issue 14).

The customer's line, the options with live tally bars, the join QR code and URL, and the
instructor's keys: C closes the vote (on a tie, a number key picks the answer), R reveals the
feedback, U undoes as an exploration, P pauses, N opens the next turn. At the end the room's
path stands beside the expert's. The room itself lives in the hub the web server shares.
"""

from __future__ import annotations

import pygame
import segno

from ...core import analysis
from ...core.room import RoomError
from ...i18n import t
from . import Screen

KEYS = {pygame.K_c: "close", pygame.K_r: "reveal", pygame.K_u: "undo", pygame.K_p: "pause", pygame.K_n: "next"}
NUMBER_KEYS = {getattr(pygame, f"K_{n}"): n for n in range(1, 10)} | {getattr(pygame, f"K_KP{n}"): n
                                                                     for n in range(1, 10)}


def qr_surface(url: str, size: int) -> pygame.Surface:
    """The QR code of ``url``, black on white with its quiet zone, about ``size`` pixels square."""
    matrix = [list(row) for row in segno.make(url, error="m").matrix]
    modules = len(matrix) + 8  # a 4-module quiet zone on every side
    cell = max(1, size // modules)
    surface = pygame.Surface((cell * modules, cell * modules))
    surface.fill((255, 255, 255))
    for r, row in enumerate(matrix):
        for col, dark in enumerate(row):
            if dark:
                surface.fill((0, 0, 0), ((col + 4) * cell, (r + 4) * cell, cell, cell))
    return surface


class VoteScreen(Screen):
    """The room's projector."""

    name = "vote"

    def __init__(self, app, hub, url: str) -> None:
        super().__init__(app)
        self.hub, self.url = hub, url
        self.tie = False  # the last close found a tie: a number key picks the answer
        self._qr: tuple[int, pygame.Surface] | None = None
        self._expert: list[int] | None = None
        self._told = False  # the store's failure has been said

    @property
    def lang(self) -> str:
        """The projector's language: the window's, when the scenario is written in it."""
        return self.app.lang if self.app.lang in self.hub.room.engine.scenario.languages else \
            self.hub.room.state.language

    def act(self, action: str, tie_break: int | None = None) -> None:
        """One instructor action; what the room cannot do now is said in the banner."""
        try:
            self.hub.act(action, tie_break)
            self.tie = False
        except RoomError as e:
            self.tie = action == "close" and "tied" in str(e)
            self.app.say(t("room.tie", self.lang) if self.tie else str(e))

    def handle(self, event: pygame.event.Event) -> None:
        if event.type != pygame.KEYDOWN:
            return
        if event.key == pygame.K_ESCAPE:
            self.app.running = False
        elif self.tie and event.key in NUMBER_KEYS:
            self.act("close", NUMBER_KEYS[event.key])
        elif event.key in KEYS:
            self.act(KEYS[event.key])

    # -- drawing ---------------------------------------------------------------------------
    def qr(self, size: int) -> pygame.Surface:
        if self._qr is None or self._qr[0] != size:
            self._qr = (size, qr_surface(self.url, size))
        return self._qr[1]

    def expert(self) -> list[str]:
        """The expert's answers (the best path's), in the projector's language."""
        engine = self.hub.room.engine
        if self._expert is None:
            self._expert = list(analysis.best_and_worst(engine.scenario)[0].responses)
        state, texts = engine.start(self.lang, self.hub.room.state.seed), []
        for index in self._expert:
            if state.over:
                break
            texts.append(engine.say(state, engine.scenario.nodes[state.node].responses[index].text))
            state = engine.choose_response(state, index)
        return texts

    def draw(self, surface: pygame.Surface) -> None:
        p, lang = self.paint, self.lang
        c = p.colors
        w, h = surface.get_size()
        view = self.hub.view(lang)
        if self.hub.store_error and not self._told:
            self._told = True
            self.app.say(self.hub.store_error, 8)
        x, width = p.px(24), w - p.px(48)
        # The join address is as large as the body text: it is read from the back row.
        title = f"{t('room.turn', lang, n=view['turn'])} · {t('room.join', lang)}{t('colon', lang)}{self.url}"
        y0 = p.blit_text(title, 17, c["accent"], x, p.px(8), width, bold=True) + p.px(8)
        qr = self.qr(p.px(80))
        p.blit(qr, (w - qr.get_width() - x, y0), self.url, kind="graphic")
        text, keys = t("room.keys", lang), [pygame.K_c, pygame.K_r, pygame.K_u, pygame.K_p, pygame.K_n,
                                            pygame.K_ESCAPE]
        bar_h, self.hits = p.action_bar(self.actions(text, keys), x, h - p.px(12), width)
        bottom = h - p.px(12) - bar_h - p.px(12)
        beside = width - qr.get_width() - p.px(24)
        if view["ending"]:
            below = y0 + qr.get_height()
            self._ending(view, x, y0, width, beside, below,
                         p.fit(lambda k: self._ending(view, x, y0, width, beside, below, k), bottom))
        else:
            self._vote(view, x, y0, width, beside, y0 + qr.get_height(),
                       p.fit(lambda k: self._vote(view, x, y0, width, beside, y0 + qr.get_height(), k), bottom))

    def _vote(self, view: dict, x: int, y: int, width: int, beside: int, below: int, k: float) -> int:
        """The customer's line beside the QR code, then the options with their tally bars (after the
        reveal only the room's answer, then the feedback); returns the y below."""
        p, lang = self.paint, self.lang
        c = p.colors
        line = p.render(view["customer"], 20 * k, c["ink"], beside - p.px(24))
        p.panel(pygame.Rect(x, y, beside, line.get_height() + p.px(16)), c["customer"])
        p.blit(line, (x + p.px(12), y + p.px(8)), view["customer"])
        y = max(y + line.get_height() + p.px(16), below) + p.px(8)
        counts = view["votes"]
        most = max(counts.values(), default=0) or 1
        shown = [o for o in view["options"] if not view["feedback"] or o["number"] == view["chosen"]]
        for option in shown:
            n = option["number"]
            count = counts.get(str(n), 0)
            chosen = view["chosen"] == n
            label = p.render(f"{n}. {option['text']}", 17 * k, c["good"] if chosen else c["ink"], width)
            p.blit(label, (x, y), option["text"])
            y += label.get_height() + p.px(2)
            track = pygame.Rect(x, y, width - p.px(70), p.px(6))
            p.bar(track, c["line"], p.px(4))
            if count:
                p.bar(pygame.Rect(x, y, max(p.px(4), track.w * count // most), track.h),
                      c["good"] if chosen else c["accent"], p.px(4))
            p.blit_text(str(count), 14 * k, c["ink"], track.right + p.px(10), y - p.px(8))
            y += p.px(14)
        y = p.blit_text(self._status(view), 17 * k, c["accent"], x, y, width, bold=True)
        if view["feedback"]:
            feedback = view["feedback"]
            y = p.blit_text(t("why", lang) + t("colon", lang) + feedback["text"], 17 * k, c["ink"], x,
                            y + p.px(8), width)
            if feedback["instead"]:
                y = p.blit_text(t("instead", lang) + t("colon", lang) + feedback["instead"], 17 * k, c["muted"], x,
                                y + p.px(4), width)
        return y

    def _status(self, view: dict) -> str:
        lang = self.lang
        voters = t("room.voters", lang, n=view["voters"])
        if self.tie:
            return t("room.tie", lang)
        if view["phase"] == "open":
            return t("room.paused", lang) if view["paused"] else f"{t('room.open', lang)} · {voters}"
        return f"{t('room.chose', lang)}{t('colon', lang)}{view['chosen']} · {voters}"

    def _ending(self, view: dict, x: int, y: int, width: int, beside: int, below: int, k: float) -> int:
        """The score, the customer's last words and the debrief beside the QR code, then the room's
        path against the expert's; returns the y below."""
        p, lang = self.paint, self.lang
        c = p.colors
        ending = view["ending"]
        score = t("room.score", lang, score=ending["score"], grade=ending["grade"])
        y = p.blit_text(f"{t('call_over', lang)} · {score}", 22 * k, c["accent"], x, y, beside, bold=True)
        if ending["customer"]:
            y = p.blit_text(ending["customer"], 17 * k, c["ink"], x, y + p.px(6), beside)
        y = p.blit_text(ending["debrief"], 17 * k, c["muted"], x, y + p.px(6), beside if y < below else width)
        y = max(y, below) + p.px(12)
        room, expert = ending["path"], self.expert()
        # How many answers the two paths share before they part (the shorter path's length if never).
        same = next((n for n, (a, b) in enumerate(zip(room, expert, strict=False)) if a != b),
                    min(len(room), len(expert)))
        if room == expert:
            return p.blit_text(t("room.as_expert", lang), 17 * k, c["good"], x, y, width, bold=True)
        if same:
            y = p.blit_text(t("room.same", lang, n=same), 17 * k, c["good"], x, y, width, bold=True) + p.px(8)
        # From the first answer that differs the two calls go separate ways: that answer is the lesson.
        column = (width - p.px(24)) // 2
        bottoms = []
        for n, (title, path) in enumerate(((t("room.path", lang), room), (t("room.expert", lang), expert))):
            cx = x + n * (column + p.px(24))
            cy = p.blit_text(title, 17 * k, c["ink"], cx, y, column, bold=True) + p.px(4)
            if same < len(path):
                cy = p.blit_text(f"{same + 1}. {path[same]}", 17 * k, c["ink"], cx, cy, column) + p.px(4)
            if same + 1 < len(path):
                cy = p.blit_text(t("room.more", lang, n=len(path) - same - 1), 17 * k, c["muted"], cx, cy, column)
            bottoms.append(cy)
        return max(bottoms)


def run_projector(hub, url: str, size: tuple[int, int] = (1280, 800)) -> int:
    """Open the window on the room's projector and run until it is closed (Esc; F11 for full screen)."""
    from ...core.text import pick
    from ..app import App
    from ..run import _start_pygame
    from ..settings import load_settings

    _start_pygame()
    pygame.display.set_caption(f"{pick(hub.room.engine.scenario.title, hub.room.state.language)} · {url}")
    surface = pygame.display.set_mode(size, pygame.RESIZABLE)
    settings = load_settings()
    settings.classroom = True
    app = App(surface, settings=settings)
    app.push(VoteScreen(app, hub, url))
    clock = pygame.time.Clock()
    try:
        while app.running:
            for event in pygame.event.get():
                app.handle(event)
            app.draw()
            pygame.display.flip()
            clock.tick(30)
    finally:
        pygame.quit()
    return 0
