"""A saved session: a call's state as versioned JSON, and the state rebuilt from it.

:func:`to_json` writes what the engine's :class:`~simulator.core.engine.State` holds, with a
format name and version; :func:`from_json` reads any version this simulator ever wrote
(:func:`migrate` brings an older one to the current shape) and rebuilds the state by replaying
it against the scenario, so a session saved before the scenario was edited either still fits
or is refused with where it stopped fitting. Typed answers travel as :func:`said_json`.
"""

from __future__ import annotations

from dataclasses import replace

from .engine import Engine, EngineError, Said, State, Turn, Undone
from .model import Scenario

STATE_FORMAT = "retention-sim/session"
STATE_VERSION = 3  # 2: undone answers are kept; 3: a typed answer keeps its words (older versions still load)


def to_json(scenario: Scenario, state: State) -> dict:
    """The state as plain JSON-ready data, with a format version."""
    return {
        "format": STATE_FORMAT, "version": STATE_VERSION,
        "scenario": state.scenario_id, "digest": state.digest,
        "language": state.language, "variant": state.variant, "seed": state.seed,
        "shuffle": state.shuffle, "node": state.node, "ending": state.ending,
        "values": dict(zip(scenario.variables, state.values, strict=True)),
        "mood": state.mood, "turn": state.turn,
        "history": [_turn_json(t) for t in state.history],
        "undone": [{"turn": _turn_json(u.turn), "before": list(u.before), "explored": u.explored}
                   for u in state.undone],
    }


def _turn_json(t: Turn) -> dict:
    data = {"node": t.node, "response": t.response, "shown": list(t.shown), "elapsed_ms": t.elapsed_ms,
            "mood_before": t.mood_before, "mood_after": t.mood_after}
    if t.said is not None:
        data["said"] = said_json(t.said)
    return data


def said_json(said: Said) -> dict:
    """A typed answer as plain JSON-ready data."""
    return {"text": said.text, "heard": [[label, c] for label, c in said.heard],
            "similarity": said.similarity, "match_score": said.match_score}


def said_from_json(data: object) -> Said | None:
    """A typed answer from :func:`said_json` data (None stays None); damaged data raises ValueError."""
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ValueError("a typed answer without its text")
    heard = []
    for item in data.get("heard", ()):
        label, confidence = item
        if not isinstance(label, str) or not 0.0 <= float(confidence) <= 1.0:
            raise ValueError(f"a typed answer heard {item!r}, not an id with a confidence from 0 to 1")
        heard.append((label, float(confidence)))
    return Said(data["text"], tuple(heard), float(data.get("similarity", 0.0)), float(data.get("match_score", 0.0)))


def migrate(data: dict) -> dict:
    """A saved state of an older version in the current shape (a copy; the input is not changed).

    Version 1 had no ``undone``; versions 1 and 2 had no typed answers (``said``), which are
    optional in version 3, so their turns need nothing more.
    """
    data = dict(data)
    if data.get("version") == 1:
        data.setdefault("undone", [])
    data["version"] = STATE_VERSION
    return data


def from_json(scenario: Scenario, data: object) -> State:
    """Rebuild a state from :func:`to_json` data by replaying it against ``scenario``.

    Replaying (rather than trusting the stored fields) proves the session still fits the
    scenario; if the scenario was edited so that it no longer does, the error says where.
    """
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        raise EngineError("this is not a saved session of the retention simulator")
    if data.get("version") not in range(1, STATE_VERSION + 1):
        raise EngineError(f"saved session version {data.get('version')!r} is not supported "
                          f"(this simulator reads versions 1 to {STATE_VERSION})")
    data = migrate(data)
    if data.get("scenario") != scenario.id:
        raise EngineError(f"the saved session is for scenario '{data.get('scenario')}', not '{scenario.id}'")
    engine = Engine(scenario)
    try:
        state = engine.start(data["language"], int(data["seed"]), data.get("variant"), bool(data["shuffle"]))
        for n, t in enumerate(data["history"], start=1):
            if t["node"] != state.node:
                raise EngineError(f"turn {n} was at node '{t['node']}', but the scenario now leads to "
                                  f"'{state.node}'; the scenario has changed since the session was saved")
            elapsed = t.get("elapsed_ms")
            state = engine.choose_response(state, int(t["response"]), None if elapsed is None else int(elapsed),
                                           said_from_json(t.get("said")))
        state = replace(state, undone=tuple(_undone(engine, state, u) for u in data.get("undone", ())))
    except (KeyError, TypeError, ValueError) as e:
        raise EngineError(f"the saved session is damaged ({type(e).__name__}: {e})") from None
    except EngineError as e:
        raise EngineError(f"the saved session no longer fits the scenario: {e}") from None
    return state


def _undone(engine: Engine, state: State, data: dict) -> Undone:
    # An undone answer is no longer part of the call, but its moment must still fit the scenario:
    # the answers before it lead to its node, and its response is offered there.
    t = data["turn"]
    moment = engine.start(state.language, state.seed, state.variant, state.shuffle)
    for index in data["before"]:
        moment = engine.choose_response(moment, int(index))
    if moment.node != t["node"] or int(t["response"]) not in engine.options(moment):
        raise EngineError(f"an undone answer (response {int(t['response']) + 1} at node '{t['node']}') "
                          "no longer fits; the scenario has changed since the session was saved")
    elapsed = t.get("elapsed_ms")
    turn = Turn(t["node"], int(t["response"]), tuple(int(i) for i in t["shown"]),
                None if elapsed is None else int(elapsed), int(t["mood_before"]), int(t["mood_after"]),
                said_from_json(t.get("said")))
    return Undone(turn, tuple(int(i) for i in data["before"]), bool(data.get("explored", False)))
