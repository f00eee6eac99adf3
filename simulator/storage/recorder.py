"""Never claim a save that did not happen: a call's newest state, kept until the store commits it.

A player (terminal or window) hands every new state to :meth:`Recorder.record`. When the store
cannot commit it (disk full, read-only, server gone) the state stays here, the player is told at
once (``record`` returns False and ``error`` says why), and every later ``record`` or
:meth:`flush` tries again with the newest state, which holds every answer so far, so one success
catches up on all of them. ``saved_turns`` is always the number of answered turns the store
really holds, which is what the player's last message must say.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .engine import SessionTakenError, StorageError

if TYPE_CHECKING:
    from .sessions import Store  # imported by whoever opens one: a call not being saved needs no database


@dataclass
class Recorder:
    """Saves one session's states in order, keeping the newest in memory until it is committed."""

    store: Store | None
    session_id: int | None
    saved_turns: int = 0  # answered turns in the newest committed state
    error: StorageError | None = None  # why the newest state is not saved yet, if it is not
    taken: bool = False  # another process continued the session: this one stops saving for good
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    _pending: tuple | None = field(default=None, repr=False)

    @property
    def enabled(self) -> bool:
        """Whether this call is being saved at all (there is a store and a session)."""
        return self.store is not None and self.session_id is not None

    @property
    def pending_turns(self) -> int | None:
        """Answered turns of the newest state not yet committed, or None when nothing waits."""
        return None if self._pending is None else self._pending[1]

    def record(self, state: dict, turns: int, now: str, finished: bool = False, ending: str | None = None,
               score: int | None = None) -> bool:
        """Save this state (``turns`` answered turns); False when it is kept in memory instead."""
        if not self.enabled:
            return False
        self._pending = (state, turns, now, finished, ending, score)
        return self.flush()

    def take_over(self) -> bool:
        """Continue the session here on purpose after another process continued it: the kept state is
        saved over what that process saved. True when it is committed (else ``error`` says why)."""
        if not self.enabled:
            return False
        try:
            self.store.take_over(self.session_id)
        except StorageError as e:
            self.error = e
            return False
        self.taken = False
        return self.flush()

    def flush(self, attempts: int = 1, pause: float = 0.5) -> bool:
        """Try to commit the kept state, up to ``attempts`` times; True when nothing is left unsaved."""
        if self._pending is None:
            return True
        if not self.enabled or self.taken:
            return False
        state, turns, now, finished, ending, score = self._pending
        for attempt in range(attempts):
            if attempt:
                self.sleep(pause)
            try:
                self.store.save(self.session_id, state, now, finished=finished, ending=ending, score=score)
            except SessionTakenError as e:
                self.error, self.taken = e, True
                return False
            except StorageError as e:
                self.error = e
                continue
            self._pending, self.error, self.saved_turns = None, None, turns
            return True
        return False
