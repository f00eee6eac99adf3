"""The call in progress: what it is, where it is saved, and what answering, undoing and reloading do.

The screens show a Call and ask the App to change it; these functions are those changes.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import scoring, session_json
from ..core.engine import Engine, EngineError, Said, State
from ..core.loader import load_with_diagnostics
from ..core.model import Scenario
from ..files import write_atomic
from ..i18n import t
from ..report import data as report_data
from ..report import render as report_render
from ..storage import StorageError
from ..storage.recorder import Recorder
from .browser import Opening

if TYPE_CHECKING:
    from .app import App

REVEAL_CPS = 45  # characters per second of the customer's line


def now_iso() -> str:
    """The current UTC time, as saved sessions record it."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Call:
    """The call in progress and where it is saved."""

    scenario: Scenario
    engine: Engine
    state: State
    session: int | None = None
    started_at: str = ""
    reveal_from: float = 0.0
    shown_at: float | None = None  # when the line was (or will be) fully shown: the answer clock starts
    pending: State | None = None  # answered; feedback showing before the next line
    selected: int | None = None  # nothing is pre-selected: Enter commits only a choice the trainee made
    scroll: int = 0
    answer_first: int = 0  # the first answer shown when the answers need more room than they have
    discuss: bool = False
    revealed: bool = False  # the score is shown (classroom mode hides it until R)
    paused_since: float | None = None  # a pause (P, the leave dialog, an unfocused window) is running
    pauses: list[tuple[float, float]] = dataclasses.field(default_factory=list)
    # what the store really holds; an answer it could not commit is kept here and retried
    recorder: Recorder = dataclasses.field(default_factory=lambda: Recorder(None, None))

    def line_complete(self, now: float) -> bool:
        """Whether the customer's current line has been shown in full at time ``now``."""
        if self.state.over:
            return True
        return now >= self.line_done_at()

    def line_done_at(self) -> float:
        """When the current line is shown in full: typed out, or completed by a key or a click."""
        if self.shown_at is not None:
            return self.shown_at
        return self.reveal_from + len(self.engine.customer_line(self.state)) / REVEAL_CPS

    def skip_line(self, now: float) -> None:
        """Show the whole line at once (a key or a click, the same for both)."""
        self.shown_at = min(now, self.line_done_at())
        self.reveal_from = -1e9

    def pause(self, paused: bool, now: float) -> None:
        """Start or end a pause; paused time is not answer time."""
        if paused and self.paused_since is None:
            self.paused_since = now
        elif not paused and self.paused_since is not None:
            self.pauses.append((self.paused_since, now))
            self.paused_since = None

    def answer_ms(self, now: float) -> int:
        """Time from the line fully shown (answers visible) to ``now``, pauses left out."""
        start = self.line_done_at()
        paused = sum(max(0.0, min(end, now) - max(begin, start)) for begin, end in self.pauses)
        if self.paused_since is not None:
            paused += max(0.0, now - max(self.paused_since, start))
        return max(0, int((now - start - paused) * 1000))


def open_call(app: App, scenario: Scenario, fresh: bool = False) -> Call:
    """The saved, unfinished call of ``scenario``, or (none, or ``fresh``) a new one, saved at once."""
    eng = Engine(scenario)
    lang = app.lang if app.lang in scenario.languages else scenario.languages[0]
    state = None
    session = None
    if app.store is not None and not fresh:
        try:
            record = latest_open(app, scenario.id)
            if record is not None:
                state = session_json.from_json(scenario, record.state)
                session = record.id
        except (StorageError, EngineError) as e:
            app.say(str(e))
            state = None
    if state is None:
        state = eng.start(lang, int(app.clock() * 1000) % (1 << 31))
        if app.store is not None:
            try:
                session = app.store.create(scenario.id, scenario.path, app.settings.trainee, lang, None,
                                           session_json.to_json(scenario, state), now_iso(),
                                           trainee_org_id=app.settings.org_id)
            except StorageError as e:
                app.say(t("w.save_failed", app.lang, error=e))
    saved = len(state.history) if session is not None else 0
    return Call(scenario, eng, state, session, now_iso(), recorder=Recorder(app.store, session, saved_turns=saved))


def latest_open(app: App, scenario_id: str):
    """This trainee's newest unfinished call of ``scenario_id``: never another trainee's (a shared PC)."""
    # a trainee is a name and an organisation id: the same name with another id is someone else
    return app.store.latest_open(scenario_id, trainee=app.settings.trainee, trainee_org_id=app.settings.org_id)


def unfinished(app: App) -> set[str]:
    """The ids of the scenarios with a saved, unfinished call (the picker marks them)."""
    if app.store is None:
        return set()
    found = set()
    for scenario in app.scenarios:
        try:
            if latest_open(app, scenario.id) is not None:
                found.add(scenario.id)
        except StorageError:
            return found
    return found


def new_line(app: App) -> None:
    """The customer starts a new line: it types itself out and the answer clock starts."""
    call = app.call
    if call:
        now = app.clock()
        call.reveal_from = now
        call.shown_at = None
        call.pauses = []
        call.paused_since = now if app.paused() else None
        call.selected = None
        call.scroll = 0
        call.answer_first = 0


def persist(app: App) -> None:
    """Save the call as it stands; a failure is said at once (the call screen keeps saying it), never raised.

    The answers stay in memory and every later save tries again with all of them.
    """
    call = app.call
    if call is None or not call.recorder.enabled:
        return
    recorder = call.recorder
    failing = recorder.error is not None
    result = scoring.score(call.scenario, call.state, app.catalog) if call.state.over else None
    saved = recorder.record(session_json.to_json(call.scenario, call.state), len(call.state.history), now_iso(),
                            finished=call.state.over, ending=call.state.ending,
                            score=result.total if result else None)
    if saved and failing:
        app.say(t("save_recovered", app.lang, turns=recorder.saved_turns), 8)


def take_over(app: App) -> None:
    """Continue here on purpose a call another window or machine continued: this window's answers are saved
    in place of the other copy's (the trainee chose it in the take-over dialog; never done silently)."""
    call = app.call
    if call is None or not call.recorder.enabled:
        return
    if call.recorder.take_over():
        app.say(t("w.taken_over", app.lang, turns=call.recorder.saved_turns), 8)
    else:
        app.say(t("save_pending", app.lang, error=call.recorder.error), 8)


def unsaved(call: Call | None, lang: str) -> str:
    """What the trainee must know about saving right now ("" when every answer is stored)."""
    if call is None or not call.recorder.enabled:
        return ""
    recorder = call.recorder
    if recorder.taken:
        return t("save_taken", lang)
    if recorder.pending_turns is not None:
        return t("save_pending", lang, error=recorder.error)
    return ""


def what_is_saved(app: App, call: Call) -> tuple[str, bool]:
    """The last word on saving, exactly what the store holds; True when all of it is.

    A headless drawing (a screenshot) saves nothing and says nothing about it.
    """
    recorder, lang = call.recorder, app.lang
    if app.store is None:
        return ("" if app.headless else t("w.no_store", lang)), app.headless
    total = len(call.state.history)
    if recorder.enabled and recorder.pending_turns is None and not recorder.taken:
        return t("w.all_saved", lang, turns=total), True
    return t("not_saved_final", lang, saved=recorder.saved_turns, total=total, error=recorder.error or ""), False


def answer(app: App, option: int, said: Said | None = None) -> None:
    """Answer with the ``option``-th choice as shown (0-based); ``said``: the typed words it was matched from."""
    call = app.call
    if call is None or call.pending is not None or call.state.over or call.discuss:
        return
    if option >= len(call.engine.options(call.state)):
        return
    now = app.clock()
    if not call.line_complete(now):
        return  # the answers are not on the screen yet
    call.state = call.engine.choose(call.state, option, call.answer_ms(now), said)
    persist(app)
    if app.settings.feedback == "now":
        call.pending = call.state
    else:
        advance(app)


def advance(app: App) -> None:
    """Past the feedback: the next line, or the end screen."""
    call = app.call
    if call is None:
        return
    call.pending = None
    if call.state.over:
        call.revealed = not app.settings.classroom
        app.show_call()
    new_line(app)


def undo(app: App) -> None:
    """Take the last answer back."""
    call = app.call
    if call is None or not call.state.history:
        return
    # In classroom mode the room explores the road not taken: shown in the report, not charged.
    call.state = call.engine.undo(call.state, explore=app.settings.classroom)
    call.pending = None
    app.show_call()
    persist(app)
    new_line(app)


def reload(app: App) -> None:
    """F5: read the scenario again; keep the position if it still fits."""
    call = app.call
    if call is None:
        app.load_library()
        app.say(t("w.reloaded", app.lang))
        return
    scenario, diagnostics = load_with_diagnostics(call.scenario.path)
    errors = [d for d in diagnostics if d.severity == "error"]
    if scenario is None or errors:
        app.show_errors([t("w.reload_failed", app.lang)] + [d.format().split("\n")[0] for d in errors[:8]])
        return
    app.show_errors([])
    try:
        state = session_json.from_json(scenario, session_json.to_json(call.scenario, call.state))
    except EngineError as e:
        app.show_errors([str(e)])
        return
    app.call = Call(scenario, Engine(scenario), state, call.session, call.started_at, revealed=call.revealed,
                    recorder=call.recorder)
    app.show_call()
    new_line(app)
    app.say(t("w.reloaded", app.lang))


def open_report(app: App) -> None:
    """Write the call's HTML report and open it in the browser."""
    call = app.call
    if call is None:
        return
    report = report_data.build(call.scenario, call.state, app.settings.trainee, call.started_at, now_iso())
    folder = Path(os.environ.get("RETENTION_SIM_DATA") or Path.home() / ".local/share/retention-sim") / "reports"
    if app.store is not None:
        folder = app.store.path.parent / "reports"
    path = folder / f"{call.scenario.id}-{call.session or 'call'}.html"
    try:
        write_atomic(path, report_render.to_html(report))
    except OSError as e:
        app.say(t("w.report_failed", app.lang, error=e.strerror or e))
        return
    if app.opening is not None and app.opening[0].result() is None:
        app.say(t("w.report_opening", app.lang, path=path), 30)  # the first request is still being watched
        return
    app.opening = (Opening(path.resolve().as_uri(), app.open_url), path)
    app.say(t("w.report_opening", app.lang, path=path), 30)


def settle_report(app: App, wait: float = 0.0) -> None:
    """Once the browser has answered (within ``wait`` seconds), say whether the report opened or where it is."""
    if app.opening is None:
        return
    opening, path = app.opening
    opened = opening.result(wait)
    if opened is None:
        return
    app.opening = None
    if opened:
        app.say(t("w.report_opened", app.lang, path=path), 8)
    else:
        app.say(t("w.report_saved", app.lang, path=path), 15)


def follow_language(app: App) -> None:
    """After F2: the call speaks the new language when its scenario has it."""
    if app.call and app.lang in app.call.scenario.languages:
        app.call.state = dataclasses.replace(app.call.state, language=app.lang)
