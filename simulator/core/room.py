"""A classroom room: the whole class answers one call by voting, turn by turn.

Pure state, no clock and no network: the web server (simulator.classroom) and the projector
screen call these methods and read :meth:`Room.view`. Each turn goes through three phases:

* ``open``: phones vote; one vote per voter, a later vote replaces the earlier one.
* ``closed``: the instructor closed the vote; the majority answer (ties broken by the
  instructor) has been played and everyone sees what the room chose.
* ``revealed``: the feedback on that answer is shown; :meth:`Room.next` opens the next turn.

Undo takes the last answer back as a classroom exploration (not charged in the score) and
opens that turn's vote again; pause stops voting while the room discusses.
"""

from __future__ import annotations

from dataclasses import replace

from .engine import Engine, State
from .scoring import score

OPEN, CLOSED, REVEALED = "open", "closed", "revealed"
MAX_VOTERS = 1000  # a room is a classroom; beyond this a vote is refused, so memory stays bounded


class RoomError(Exception):
    """An action the room cannot take now (the message says why, for the instructor or the phone)."""


class Room:
    """One call played by a room. Mutable on purpose: the server holds one and serialises access."""

    def __init__(self, engine: Engine, state: State) -> None:
        self.engine = engine
        self.state = state  # the call as answered so far
        self.phase = OPEN
        self.paused = False
        self.votes: dict[str, int] = {}  # voter id -> option number (1-based, display order)
        self.chosen: int | None = None  # the option the room chose at the last closed turn
        self.asked: State | None = None  # the state the last closed turn was asked in
        self.version = 0  # bumped on every change, so live views know when to refresh
        self.round = 1  # one per vote opened: next and undo open a new round

    # -- reading -------------------------------------------------------------------------
    @property
    def over(self) -> bool:
        """True once the call has ended and its last answer has been revealed (or was never asked)."""
        return self.state.over and self.phase == OPEN

    def numbers(self) -> list[int]:
        """The option numbers offered in the current vote."""
        return list(range(1, len(self.engine.options(self.state)) + 1))

    def tally(self) -> dict[int, int]:
        """Votes per option number, every offered option present (0 when nobody chose it)."""
        counts = dict.fromkeys(self.numbers(), 0)
        for choice in self.votes.values():
            counts[choice] = counts.get(choice, 0) + 1
        return counts

    def leaders(self) -> list[int]:
        """The option numbers with the most votes (several when tied; all of them when nobody voted)."""
        counts = self.tally()
        top = max(counts.values(), default=0)
        return [n for n, c in counts.items() if c == top]

    # -- phones --------------------------------------------------------------------------
    def vote(self, voter: str, choice: int) -> None:
        """Record ``voter``'s choice for this turn, replacing an earlier one."""
        if self.state.over or self.phase != OPEN:
            raise RoomError("the vote is closed")
        if self.paused:
            raise RoomError("the room is paused")
        if choice not in self.numbers():
            raise RoomError(f"choice {choice} is not offered; pick 1 to {len(self.numbers())}")
        if voter not in self.votes and len(self.votes) >= MAX_VOTERS:
            raise RoomError("the room is full")
        if self.votes.get(voter) != choice:
            self.votes[voter] = choice
            self._changed()

    # -- the instructor ------------------------------------------------------------------
    def close(self, tie_break: int | None = None) -> int:
        """Close the vote and play the majority answer; returns its number.

        When options tie (or nobody voted), ``tie_break`` must name one of the tied options.
        """
        if self.state.over or self.phase != OPEN:
            raise RoomError("there is no open vote to close")
        leaders = self.leaders()
        if len(leaders) == 1:
            chosen = leaders[0]
        elif tie_break in leaders:
            chosen = tie_break
        else:
            tied = ", ".join(str(n) for n in leaders)
            raise RoomError(f"options {tied} are tied; the instructor picks one of them")
        self.asked, self.chosen = self.state, chosen
        self.state = self.engine.choose(self.state, chosen - 1)
        self.phase = CLOSED
        self._changed()
        return chosen

    def reveal(self) -> None:
        """Show the feedback on the answer the room chose."""
        if self.phase != CLOSED:
            raise RoomError("close the vote before revealing")
        self.phase = REVEALED
        self._changed()

    def next(self) -> None:
        """Open the vote on the next turn (or show the ending once the call is over)."""
        if self.phase == OPEN:
            raise RoomError("the vote is still open")
        self._reopen()

    def undo(self) -> None:
        """Take the last answer back as an exploration and open that turn's vote again."""
        if not self.state.history:
            raise RoomError("nothing to undo yet")
        self.state = self.engine.undo(self.state, explore=True)
        self._reopen()

    def pause(self, paused: bool | None = None) -> None:
        """Pause (or resume) voting; ``None`` toggles."""
        self.paused = (not self.paused) if paused is None else bool(paused)
        self._changed()

    def _reopen(self) -> None:
        self.phase, self.votes, self.asked, self.chosen = OPEN, {}, None, None
        self.round += 1
        self._changed()

    def _changed(self) -> None:
        self.version += 1

    # -- the view ------------------------------------------------------------------------
    def view(self, language: str | None = None) -> dict:
        """What phones and the projector show, as JSON-ready data, in ``language`` when written in it."""
        lang = language if language in self.engine.scenario.languages else self.state.language
        shown = self.asked if self.asked is not None else self.state
        shown = replace(shown, language=lang)
        voting = self.phase == OPEN and not self.state.over
        options = [{"number": c.number, "text": c.text} for c in self.engine.choices(shown)] if (
            voting or self.asked is not None) else []
        view = {
            "version": self.version, "round": self.round, "language": lang, "phase": self.phase, "paused": self.paused,
            "open": voting and not self.paused, "turn": shown.turn + 1,
            "customer": self.engine.customer_line(shown), "options": options,
            "votes": {str(n): c for n, c in (self.tally() if voting else self._closed_tally()).items()},
            "voters": len(self.votes), "chosen": self.chosen, "feedback": None, "ending": None,
        }
        if self.phase == REVEALED:
            view["feedback"] = self._feedback(lang)
        if self.over:
            view.update(ending=self._ending(lang), options=[], turn=self.state.turn)
        return view

    def _closed_tally(self) -> dict[int, int]:
        counts = dict.fromkeys(range(1, len(self.engine.options(self.asked)) + 1), 0) if self.asked else {}
        for choice in self.votes.values():
            counts[choice] = counts.get(choice, 0) + 1
        return counts

    def _feedback(self, lang: str) -> dict:
        turn = self.state.history[-1]
        response = self.engine.response(self.asked, turn.response, turn.node)
        review = score(self.engine.scenario, self.state).turns[-1]
        asked = replace(self.asked, language=lang)
        return {
            "text": self.engine.say(asked, response.feedback),
            "instead": self.engine.say(asked, response.instead) if response.instead else None,
            "mood": review.mood_change, "techniques": list(review.techniques),
            "mistakes": list(review.mistakes + review.auto_mistakes),
        }

    def _ending(self, lang: str) -> dict:
        result = score(self.engine.scenario, self.state)
        ending = self.engine.scenario.endings[self.state.ending]
        state = replace(self.state, language=lang)
        return {"id": ending.id, "outcome": ending.outcome, "debrief": self.engine.say(state, ending.debrief),
                "customer": self.engine.customer_line(state), "score": result.total, "grade": result.grade,
                "path": [self.engine.say(state, self.engine.scenario.nodes[t.node].responses[t.response].text)
                         for t in self.state.history]}
