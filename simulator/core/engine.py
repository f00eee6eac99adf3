"""The dialogue engine: a pure, deterministic state machine over a scenario.

State is plain data (:class:`State`) that round-trips through JSON with a format version
(:mod:`simulator.core.session_json`), so a call can be saved, resumed, undone and
replayed. An undone answer is not forgotten: the state keeps it (:class:`Undone`), so the
score still counts its mistakes and the report shows it. The engine reads no clock: the
shell passes in how long each answer took.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import frozen
from .model import Node, Response, Scenario, Value
from .text import fill, pick

_MASK = (1 << 64) - 1


class EngineError(Exception):
    """A move the engine cannot make, or a saved state that does not fit the scenario."""


@dataclass(frozen=True, slots=True)
class Said:
    """A typed answer as the trainee wrote it and as the simulator understood it.

    ``heard``: the ids the recogniser heard in the words (before the order rule, which the
    scorer applies from the turn's moment), each with its confidence, most confident first.
    ``similarity``: how close the words are to the matched authored response (TF-IDF cosine,
    0–1); ``match_score``: the blended score that chose that response (see core.freetext).
    """

    text: str
    heard: tuple[tuple[str, float], ...] = ()
    similarity: float = 0.0
    match_score: float = 0.0

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids heard, most confident first."""
        return tuple(label for label, _ in self.heard)


@dataclass(frozen=True, slots=True)
class Turn:
    """One answered customer turn."""

    node: str
    response: int  # index of the response as written in the scenario (for a typed answer: the one matched)
    shown: tuple[int, ...]  # the responses offered, in the order shown
    elapsed_ms: int | None  # how long the trainee took to answer
    mood_before: int
    mood_after: int
    said: Said | None = None  # the trainee's own words, when the answer was typed


@dataclass(frozen=True, slots=True)
class Undone:
    """An answer taken back with undo: the turn as it was, and the answers that stood before it.

    ``before`` (responses as written) lets the scorer replay the moment it was said in, e.g.
    whether the reason was known yet. ``explored``: a classroom exploration, shown but not charged.
    """

    turn: Turn
    before: tuple[int, ...]
    explored: bool = False

    @property
    def number(self) -> int:
        """The turn number the answer was given and taken back at (1-based)."""
        return len(self.before) + 1


@dataclass(frozen=True, slots=True)
class State:
    """Where a call stands. Immutable: every move returns a new state."""

    scenario_id: str
    digest: str
    language: str
    variant: str | None
    seed: int
    shuffle: bool
    node: str  # current node id, or the ending id once the call is over
    ending: str | None
    values: tuple[Value, ...]
    mood: int
    turn: int
    history: tuple[Turn, ...]
    undone: tuple[Undone, ...] = ()  # in the order they were taken back

    @property
    def over(self) -> bool:
        """True once the call has reached an ending."""
        return self.ending is not None


@dataclass(frozen=True, slots=True)
class Choice:
    """A response as offered to the trainee: its display number and text."""

    number: int  # 1-based, in display order
    response: int  # index as written in the scenario
    text: str


def _mix(seed: int, turn: int, i: int) -> int:
    # A fixed integer hash (splitmix64 finaliser): the same order on every Python version.
    x = (seed * 0x9E3779B97F4A7C15 + turn * 0xBF58476D1CE4E5B9 + (i + 1) * 0x94D049BB133111EB) & _MASK
    x ^= x >> 31
    x = (x * 0xD6E8FEB86659FD93) & _MASK
    return x ^ (x >> 32)


def _shuffled(seed: int, turn: int, shown: tuple[int, ...]) -> tuple[int, ...]:
    # The order of sorting ``shown`` by _mix(seed, turn, i), with _mix written out. Not cached:
    # a call restarts with a new seed, so (seed, turn) is new at almost every step of a
    # benchmark or an audit, and a cache that misses costs more than it saves.
    base = (seed * 0x9E3779B97F4A7C15 + turn * 0xBF58476D1CE4E5B9) & _MASK
    key = {}
    for i in shown:
        x = (base + (i + 1) * 0x94D049BB133111EB) & _MASK
        x = ((x ^ (x >> 31)) * 0xD6E8FEB86659FD93) & _MASK
        key[i] = x ^ (x >> 32)
    # No two keys are equal (the hash is a bijection of i), so this is the order of (key, i).
    return tuple(sorted(shown, key=key.__getitem__))


def transition(scenario: Scenario, response: Response, values: tuple[Value, ...], mood: int,
               turn: int) -> tuple[str, tuple[Value, ...], int, int]:
    """Apply an (already personality-resolved) response: → (target id, values, mood, turn).

    ``target`` is a node or ending id; the turn limit is applied here too.
    """
    mood += response.mood
    mood = 0 if mood < 0 else 100 if mood > 100 else mood
    if response.set or response.add:
        new = list(values)
        for slot, value in response.set:
            new[slot] = value
        for slot, delta in response.add:
            new[slot] = new[slot] + delta
        values = tuple(new)
    turn += 1
    branches = response.next
    target = branches[-1].goto  # also the answer when there is one branch: its condition cannot matter
    if len(branches) > 1:
        for branch in branches:
            if branch.when is None or branch.when.test(values, mood, turn):
                target = branch.goto
                break
    if turn >= scenario.max_turns and target not in scenario.endings:
        target = scenario.turn_limit_ending
    elif target in scenario.guarded and not visible(scenario.nodes[target], values, mood, turn):
        # Nothing the trainee could say here: the call ends rather than hang (GR006 warns authors).
        target = scenario.turn_limit_ending
    return target, values, mood, turn


def visible(node: Node, values: tuple[Value, ...], mood: int, turn: int) -> list[int]:
    """Indices (as written) of the responses whose conditions hold now."""
    return [r.index for r in node.responses if r.when is None or r.when.test(values, mood, turn)]


# Built on every answer: see core.frozen for why they are not built by calling the class.
_new_state = frozen.builder(State)
_new_turn = frozen.builder(Turn)


class Engine:
    """Plays one scenario. Holds only the (immutable) scenario; all play state is in :class:`State`."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self._personality = {None: scenario.persona.personality}
        self._personality.update({v: scenario.persona_for(v).personality for v in scenario.variants})
        self._mood = {v: scenario.persona_for(v).mood for v in self._personality}
        # Every node's responses as they play with each variant's customer, resolved once here
        # rather than looked up and resolved again on every answer.
        self._resolved = {v: {nid: tuple(r.for_personality(p) for r in node.responses)
                              for nid, node in scenario.nodes.items()}
                          for v, p in self._personality.items()}
        self._fields: dict[tuple[str | None, str], dict[str, str]] = {}
        # Most nodes offer every response whatever the state: their list is worked out once.
        self._always = {nid: tuple(r.index for r in node.responses) for nid, node in scenario.nodes.items()
                        if all(r.when is None for r in node.responses)}

    # -- starting ------------------------------------------------------------------------
    def start(self, language: str, seed: int = 0, variant: str | None = None,
              shuffle: bool | None = None) -> State:
        """A new call at the scenario's first node. ``shuffle`` None means the author's choice."""
        s = self.scenario
        if language not in s.languages:
            raise EngineError(f"scenario '{s.id}' is written in {', '.join(s.languages)}, not '{language}'")
        if variant is not None and variant not in s.variants:
            known = ", ".join(s.variants) or "none"
            raise EngineError(f"scenario '{s.id}' has no variant '{variant}' (variants: {known})")
        return _new_state(s.id, s.digest, language, variant, int(seed), s.shuffle if shuffle is None else shuffle,
                          s.start, None, s.initial_values, self._mood[variant], 0, (), ())

    # -- reading -------------------------------------------------------------------------
    def personality(self, state: State) -> str:
        """The personality of the customer in this call."""
        return self._personality[state.variant]

    def options(self, state: State) -> tuple[int, ...]:
        """Indices (as written) of the responses offered now, in display order."""
        if state.ending is not None:
            return ()
        shown = self._always.get(state.node)
        if shown is None:
            shown = tuple(visible(self.scenario.nodes[state.node], state.values, state.mood, state.turn))
        if state.shuffle and len(shown) > 1:
            return _shuffled(state.seed, state.turn, shown)
        return shown

    def choices(self, state: State) -> list[Choice]:
        """The responses offered now, with their text in the call's language."""
        node = self.scenario.nodes.get(state.node)
        return [
            Choice(n, i, self.say(state, node.responses[i].text))
            for n, i in enumerate(self.options(state), start=1)
        ]

    def response(self, state: State, index: int, node_id: str | None = None) -> Response:
        """A response of the current (or given) node as it plays with this customer."""
        node = self.scenario.nodes[node_id or state.node]
        return node.responses[index].for_personality(self._personality[state.variant])

    def say(self, state: State, text) -> str:
        """A text in the call's language with the persona fields filled in."""
        return fill(pick(text, state.language), self.persona_fields(state))

    def persona_fields(self, state: State) -> dict[str, str]:
        """The whitelisted persona field values for this call's persona and language."""
        key = (state.variant, state.language)
        if key not in self._fields:
            self._fields[key] = self.scenario.persona_for(state.variant).fields(state.language)
        return self._fields[key]

    def customer_line(self, state: State) -> str:
        """What the customer says now (the ending's last words once the call is over)."""
        if state.ending is not None:
            ending = self.scenario.endings[state.ending]
            return self.say(state, ending.customer) if ending.customer else ""
        return self.say(state, self.scenario.nodes[state.node].customer)

    # -- moving --------------------------------------------------------------------------
    def choose(self, state: State, option: int, elapsed_ms: int | None = None, said: Said | None = None) -> State:
        """Answer with the ``option``-th offered response (0-based, display order).

        ``said``: the trainee's typed words matched to that response; the call plays on as the
        response is written, and the scorer scores the words (see core.scoring_free).
        """
        order = self.options(state)
        if state.ending is not None:
            raise EngineError("the call is over; there is nothing left to answer")
        if not 0 <= option < len(order):
            raise EngineError(f"choice {option + 1} is not offered; pick 1 to {len(order)}")
        return self._apply(state, order[option], order, elapsed_ms, said)

    def choose_response(self, state: State, index: int, elapsed_ms: int | None = None,
                        said: Said | None = None) -> State:
        """Answer with the response written ``index``-th (0-based) at the current node (``said``: as in choose)."""
        order = self.options(state)
        if state.ending is not None:
            raise EngineError("the call is over; there is nothing left to answer")
        if index not in order:
            raise EngineError(f"response {index + 1} of node '{state.node}' is not offered now")
        return self._apply(state, index, order, elapsed_ms, said)

    def _apply(self, state: State, index: int, order: tuple[int, ...], elapsed_ms: int | None,
               said: Said | None = None) -> State:
        s = self.scenario
        response = self._resolved[state.variant][state.node][index]
        target, values, mood, turn = transition(s, response, state.values, state.mood, state.turn)
        elapsed = None if elapsed_ms is None else max(0, int(elapsed_ms))
        record = _new_turn(state.node, index, order, elapsed, state.mood, mood, said)
        return _new_state(state.scenario_id, state.digest, state.language, state.variant, state.seed,
                          state.shuffle, target, target if target in s.endings else None, values, mood, turn,
                          state.history + (record,), state.undone)

    def undo(self, state: State, explore: bool = False) -> State:
        """The state before the last answer (the start state stays as it is).

        The answer taken back is kept in ``state.undone``: its mistakes stay in the score
        unless ``explore`` (a classroom trying another road) says it was an exploration.
        """
        if not state.history:
            return state
        taken_back = Undone(state.history[-1], tuple(t.response for t in state.history[:-1]), explore)
        restored = self.replay(self._restart(state), state.history[:-1])
        return replace(restored, undone=state.undone + (taken_back,))

    def _restart(self, state: State) -> State:
        return self.start(state.language, state.seed, state.variant, state.shuffle)

    def replay(self, state: State, turns) -> State:
        """Apply recorded turns (response index, elapsed time, typed words) to ``state``."""
        for t in turns:
            state = self.choose_response(state, t.response, t.elapsed_ms, t.said)
        return state
