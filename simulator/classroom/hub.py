"""The room as the server and the window share it: one lock, one store, change notifications.

Every change to the room goes through :meth:`Hub.act` or :meth:`Hub.vote`, under one lock, so
the web server's thread and the window's thread never see half a change. Whoever waits for a
change (a phone's event stream, the projector) waits on :meth:`Hub.wait`.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from ..core.engine import Engine
from ..core.room import MAX_VOTERS, Room, RoomError
from ..core.scoring import score
from ..core.session_json import to_json
from ..storage import StorageError, Store

CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"  # no I, L, O: a code read off a projector is not misread
ACTIONS = ("close", "reveal", "undo", "pause", "next")
VOTE_BURST, VOTE_PER_SECOND = 8, 2.0  # a phone may vote 8 times at once, then twice a second


def new_code(length: int = 4) -> str:
    """A short join code, e.g. ``KXPT``."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(length))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Hub:
    """A room with its join code, instructor token, rate limits, store and listeners."""

    def __init__(self, engine: Engine, language: str, scenario_path: str,
                 store: Callable[[], Store] | None = None, code: str | None = None, seed: int = 0) -> None:
        self.room = Room(engine, engine.start(language, seed))
        self.code = code or new_code()
        self.token = secrets.token_urlsafe(18)
        self.scenario_path = scenario_path
        self.name = f"Room {self.code}"
        # SQLite connections belong to the thread that opened them, and actions come from the server's
        # thread and the window's: one writer thread opens the store and makes every save, in order.
        self._open_store = store
        self._writer = ThreadPoolExecutor(1, "classroom-store") if store else None
        self.store: Store | None = None
        self.session_id: int | None = None
        self.store_error: str | None = None
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # voter -> (tokens, last refill)
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._views: dict[tuple[int, str], dict] = {}
        self.closing = False  # set when the server stops: live streams end so it can stop at once

    # -- reading -------------------------------------------------------------------------
    def view(self, language: str | None = None) -> dict:
        """The room's view (cached per version and language: sixty phones read the same thing)."""
        with self._lock:
            key = (self.room.version, language or self.room.state.language)
            view = self._views.get(key)
            if view is None:
                if len(self._views) > 8:
                    self._views.clear()
                view = self._views[key] = self.room.view(language)
            return view

    @property
    def version(self) -> int:
        """The room's change counter."""
        return self.room.version

    def token_ok(self, token: str | None) -> bool:
        """Whether ``token`` is the instructor's (compared in constant time)."""
        return bool(token) and secrets.compare_digest(token.encode(), self.token.encode())

    # -- changing ------------------------------------------------------------------------
    def vote(self, voter: str, choice: int, now: float | None = None) -> int:
        """Record a phone's vote (rate-limited per voter); returns the room's version after it."""
        with self._lock:
            if not self._allow(voter, time.monotonic() if now is None else now):
                raise RoomError("too many votes; wait a moment")
            self.room.vote(voter, choice)
            version = self.room.version
        self._notify()
        return version

    def act(self, action: str, tie_break: int | None = None) -> int:
        """An instructor's action (one of ACTIONS); returns the room's version after it."""
        if action not in ACTIONS:
            raise RoomError(f"unknown action '{action}'")
        with self._lock:
            room = self.room
            if action == "close":
                room.close(tie_break)
            else:
                getattr(room, action)()
            if action in ("close", "undo"):
                self._save()
            version = room.version
        self._notify()
        return version

    def _allow(self, voter: str, now: float) -> bool:
        if voter not in self._buckets and len(self._buckets) >= 4 * MAX_VOTERS:
            # Made-up voter ids must not grow memory without end: forget the phones that are idle
            # (their buckets are full again); if none is, refuse the newcomer.
            self._buckets = {v: b for v, b in self._buckets.items()
                             if b[0] + (now - b[1]) * VOTE_PER_SECOND < VOTE_BURST}
            if len(self._buckets) >= 4 * MAX_VOTERS:
                return False
        tokens, last = self._buckets.get(voter, (VOTE_BURST, now))
        tokens = min(VOTE_BURST, tokens + (now - last) * VOTE_PER_SECOND)
        if tokens < 1:
            self._buckets[voter] = (tokens, now)
            return False
        self._buckets[voter] = (tokens - 1, now)
        return True

    # -- the store -----------------------------------------------------------------------
    def _save(self) -> None:
        if self._writer is not None:
            room = self.room
            self._writer.submit(self._write, to_json(room.engine.scenario, room.state), room.state)

    def _write(self, data: dict, state) -> None:
        # The room's call is stored like any other, under the room's name; a store that cannot be
        # written never stops the class (the error is kept for the window and stdout to show).
        scenario = self.room.engine.scenario
        try:
            if self.store is None:
                self.store = self._open_store()
            if self.session_id is None:
                self.session_id = self.store.create(scenario.id, self.scenario_path, self.name, state.language,
                                                    None, data, _now(), played_by="trainee")
            total = score(scenario, state).total if state.over else None
            self.store.save(self.session_id, data, _now(), finished=state.over, ending=state.ending, score=total)
        except StorageError as e:
            self.store_error = str(e)

    def end_streams(self) -> None:
        """Tell every live stream to finish (the server is stopping)."""
        self.closing = True
        self._notify()

    def close(self) -> None:
        """Finish the pending saves and close the store."""
        if self._writer is not None:
            self._writer.submit(lambda: self.store and self.store.close())
            self._writer.shutdown(wait=True)

    # -- listeners -----------------------------------------------------------------------
    async def wait(self, version: int, timeout: float) -> int:
        """Wait until the room's version differs from ``version`` (or ``timeout`` seconds); the new version."""
        if self.room.version != version or self.closing:
            return self.room.version
        entry = (asyncio.get_running_loop(), asyncio.Event())
        self._listeners.add(entry)
        try:
            if self.room.version == version:  # a change between the check and registering
                await asyncio.wait_for(entry[1].wait(), timeout)
        except asyncio.TimeoutError:
            pass
        finally:
            self._listeners.discard(entry)
        return self.room.version

    def _notify(self) -> None:
        for loop, event in list(self._listeners):
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop has closed: its listener is gone
                self._listeners.discard((loop, event))
