"""The answers a call can give in each situation, and what each adds to its tally: the ground
every search of :mod:`.search` and every count of :mod:`.analysis` walks on.

Both are the engine's and the scorer's own rules taken apart once per node (tests hold them
equal to :func:`engine.transition` and :func:`scoring.tally_turn`), because they are the hot
path of the analysis.
"""

from __future__ import annotations

from collections.abc import Callable

from .catalog import Catalog
from .engine import visible
from .model import Scenario
from .points import (
    MAX_MOOD,
    MAX_ORDER,
    ORDER_PENALTY,
    Tally,
    _technique_points,  # the technique part alone, as analysis uses it
    mistakes_points,
    offered_steps,
)
from .scoring import PREMATURE, PROBE_STEP, is_retention_move, reason_known_slot

Situation = tuple  # (node id, variable values, mood, turn)
Move = tuple  # (response index, response, target id, values after, mood after, turn after)


def read_slots(scenario: Scenario) -> frozenset[int]:
    """Slots of the variables that can change what happens: those some condition reads, and
    the author's ``reason_known`` (scoring reads it). The others (often the built-in mistakes
    counter) never change a call's future, so situations need not tell them apart."""
    names: set[str] = set()
    for node in scenario.nodes.values():
        for r in node.responses:
            for resolved in (r, *r.by_personality.values()) if r.by_personality else (r,):
                if resolved.when is not None:
                    names.update(term[0] for term in resolved.when.terms)
                for b in resolved.next:
                    if b.when is not None:
                        names.update(term[0] for term in b.when.terms)
    known = reason_known_slot(scenario)
    return frozenset(i for i, name in enumerate(scenario.variables) if name in names or i == known)


class Moves:
    """The answers offered in each situation and where they lead, worked out once.

    Variables no condition reads are set to their starting value in every situation
    (see :func:`read_slots`): calls that differ only there share one situation.
    """

    def __init__(self, scenario: Scenario, variant: str | None):
        self.scenario = scenario
        self.variant = variant
        self.personality = scenario.persona_for(variant).personality
        self.cache: dict[Situation, tuple[Move, ...]] = {}
        self.offers: dict[str, tuple] = {}
        kept = read_slots(scenario)
        self.forget = tuple((i, v) for i, v in enumerate(scenario.initial_values) if i not in kept)
        self._forgotten = frozenset(i for i, _ in self.forget)
        self._turns: dict[int, dict[str, tuple]] = {}  # id(catalog) -> node -> per answer, see turn_steps
        self._turns_of: list[Catalog] = []  # the catalogs those ids belong to, held so no id is reused

    def _forget(self, values: tuple) -> tuple:
        if not self.forget or all(values[i] == v for i, v in self.forget):
            return values
        new = list(values)
        for i, v in self.forget:
            new[i] = v
        return tuple(new)

    def _offered(self, node_id: str) -> tuple:
        # Per node, once: each response resolved and taken apart for __call__, and whether any
        # condition can hide one.
        held = self.offers.get(node_id)
        if held is None:
            node = self.scenario.nodes[node_id]
            plans = []
            for r in node.responses:
                resolved = r.for_personality(self.personality)
                branches = tuple((b.when.test if b.when is not None else None, b.goto) for b in resolved.next)
                # Values come in with every forgotten slot at its start, so only an answer that
                # writes one needs them put back.
                touched = {slot for slot, _ in resolved.set} | {slot for slot, _ in resolved.add}
                plans.append((r.index, resolved, r.when.test if r.when is not None else None, resolved.mood,
                              bool(touched), branches, bool(touched & self._forgotten)))
            held = self.offers[node_id] = (any(p[2] is not None for p in plans), tuple(plans))
        return held

    def turn_steps(self, catalog: Catalog) -> dict[str, tuple]:
        """Per node, per answer (by index as written), what :func:`scoring.tally_turn` reads of
        it with this catalog: see :func:`advance`. Worked out for a node the first time a search
        reaches it (on a huge scenario most nodes never are)."""
        for held in self._turns_of:
            if held is catalog:
                return self._turns[id(catalog)]
        steps = _TurnSteps(self.scenario, self.personality, catalog)
        self._turns_of.append(catalog)
        self._turns[id(catalog)] = steps
        return steps

    def __call__(self, situation: Situation) -> tuple[Move, ...]:
        """Every move from ``situation``, in the order the responses are written.

        The same as :func:`engine.visible` and :func:`engine.transition` (a test holds them
        equal), taken apart per node once: this is the hot path of every search and count.
        """
        found = self.cache.get(situation)
        if found is None:
            node_id, values, mood, turn = situation
            s = self.scenario
            endings, guarded, nodes = s.endings, s.guarded, s.nodes
            _, plans = self._offered(node_id)
            new_turn = turn + 1
            last_turn = new_turn >= s.max_turns
            moves = []
            for index, response, when, rise, effects, branches, forgets in plans:
                if when is not None and not when(values, mood, turn):
                    continue
                new_mood = min(100, max(0, mood + rise))
                after = values
                if effects:
                    after = list(values)
                    for slot, value in response.set:
                        after[slot] = value
                    for slot, delta in response.add:
                        after[slot] = after[slot] + delta
                    after = tuple(after)
                target = branches[-1][1]
                for test, goto in branches:
                    if test is None or test(after, new_mood, new_turn):
                        target = goto
                        break
                if last_turn and target not in endings:
                    target = s.turn_limit_ending
                elif target in guarded and not visible(nodes[target], after, new_mood, new_turn):
                    target = s.turn_limit_ending  # nothing could be said there: the call ends (engine)
                moves.append((index, response, target, self._forget(after) if forgets else after, new_mood, new_turn))
            found = self.cache[situation] = tuple(moves)
        return found


class _TurnSteps(dict):
    """Node id -> per answer, what :func:`advance` needs, worked out on first use."""

    def __init__(self, scenario: Scenario, personality: str, catalog: Catalog):
        super().__init__()
        self.scenario, self.personality, self.catalog = scenario, personality, catalog

    def __missing__(self, node_id: str) -> tuple:
        catalog = self.catalog
        techniques, mistakes = catalog.techniques, catalog.mistakes
        auto_penalty = mistakes[PREMATURE].penalty if PREMATURE in mistakes else 0.0
        node = self.scenario.nodes[node_id]
        per_answer = []
        for r in node.responses:
            resolved = r.for_personality(self.personality)
            per_answer.append((
                frozenset(resolved.techniques), sum(mistakes[m].penalty for m in resolved.mistakes),
                len(resolved.mistakes), PREMATURE in resolved.mistakes, is_retention_move(resolved, catalog),
                auto_penalty, resolved.offer.cost if resolved.offer else 0.0, node.step == "resolve_refusal",
                frozenset([node.step, *(techniques[t].step for t in resolved.techniques)]),
                any(techniques[t].step == PROBE_STEP for t in resolved.techniques)))
        found = self[node_id] = tuple(per_answer)
        return found


def advance(tally: Tally, step: tuple, before: tuple, after: tuple, known_slot: int | None) -> Tally:
    """:func:`scoring.tally_turn`'s tally for an answer taken apart by :meth:`Moves.turn_steps`
    (a test holds them equal): the hot path of every search."""
    techniques, penalty, count, tagged, retention, auto_penalty, cost, refusal, reached, probe = step
    known = bool(before[known_slot]) if known_slot is not None else tally.reason_known
    premature = (not known and retention) or tagged
    penalty = tally.penalty + penalty
    auto = premature and not tagged
    if auto:
        penalty += auto_penalty  # the scorer's own finding, untagged by the author
    old = tally.techniques
    old_reached = tally.steps_reached
    return Tally(
        old.union(techniques) if techniques else old,
        penalty,
        tally.mistakes + count + auto,
        tally.premature + premature,
        tally.cost + cost,
        tally.refusal or refusal,
        bool(after[known_slot]) if known_slot is not None else known or probe,
        old_reached if reached <= old_reached else old_reached | reached,
    )


def score_so_far(scenario: Scenario, catalog: Catalog) -> Callable[[Tally, int], int]:
    """``final_total(scenario, tally, None, 0, mood, ...)``, the total of a call stopped now (a
    test holds them equal), with the technique points remembered per set of techniques: the
    narrow pass ranks every call of a layer by it."""
    points: dict[tuple[frozenset[str], bool], float] = {}
    offered = offered_steps(scenario)

    def total(tally: Tally, mood: int) -> int:
        key = (tally.techniques, tally.refusal)
        found = points.get(key)
        if found is None:
            found = points[key] = _technique_points(scenario, tally, catalog)
        progress = len(tally.steps_reached & offered) / len(offered) if offered else 1.0
        value = found  # summed in the order of final_total, so rounding agrees
        value += mistakes_points(tally, progress)
        value += progress * max(0.0, MAX_ORDER - ORDER_PENALTY * tally.premature)
        value += 0  # no outcome yet
        value += MAX_MOOD * mood / 100
        return max(0, min(100, round(value)))

    return total


_MOVES: list[Moves] = []  # the few scenarios analysed last: every sweep and count shares their moves


def moves_for(scenario: Scenario, variant: str | None) -> Moves:
    """The :class:`Moves` of this scenario object and variant, shared by every search of it."""
    for held in _MOVES:
        if held.scenario is scenario and held.variant == variant:
            return held
    made = Moves(scenario, variant)
    _MOVES.insert(0, made)
    del _MOVES[4:]
    return made
