"""Path analysis: every way a call can go, the best and worst achievable, random-play odds.

The search is exact for any scenario a person would write; on generated giants it stops at
a budget and keeps the beam search's answer, saying so (``Analysis.exact``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import graph
from .catalog import Catalog, load_catalog
from .engine import transition, visible
from .model import Ending, Scenario
from .scoring import Tally, bound, final_total, part_bound, parts, reason_known_slot, tally_turn

DEFAULT_BUDGET = 200_000  # search steps before the beam search answer stands
BEAM_WIDTH = 64


@dataclass(frozen=True, slots=True)
class Path:
    """A playthrough: responses chosen (0-based, as written), where it ended, its score."""

    responses: tuple[int, ...]
    ending: str
    score: int
    nodes: tuple[str, ...]

    @property
    def choices(self) -> tuple[int, ...]:
        """The responses as 1-based numbers, the way playthroughs and ``--script`` write them."""
        return tuple(i + 1 for i in self.responses)


@dataclass
class Analysis:
    """What :func:`explore` found."""

    exact: bool
    paths: int  # number of distinct playthroughs (exact), or situations searched before giving up
    best: Path | None
    worst: Path | None
    shortest: int = 0
    longest: int = 0
    outcome_odds: dict[str, float] = field(default_factory=dict)  # under uniform random play
    ending_odds: dict[str, float] = field(default_factory=dict)
    offered: frozenset[tuple[str, int]] = frozenset()  # (node, response) pairs some call can choose


def explore(scenario: Scenario, variant: str | None = None, budget: int = DEFAULT_BUDGET,
            catalog: Catalog | None = None) -> Analysis:
    """Count every playthrough and find the best and worst achievable paths.

    Counting and random-play odds depend only on where the call stands (node, variables,
    mood, turn), so they are summed once per such situation. Best and worst are found by
    branch and bound: a quick beam search gives a first answer, then the exact search
    skips every call whose score bound (:func:`scoring.bound`) cannot beat it. Past
    ``budget`` steps the beam's answer stands and the result says it is approximate.
    """
    catalog = catalog or load_catalog()
    best, worst, exact = best_and_worst(scenario, variant, budget, catalog)
    structure = _Structure(scenario, variant, budget)
    try:
        count, shortest, longest, odds = structure.visit(scenario.start, scenario.initial_values,
                                                         scenario.persona_for(variant).mood, 0)
        counted = True
    except _OverBudget:
        count, shortest, longest, odds, counted = len(structure.memo), 0, 0, {}, False
    outcome_odds: dict[str, float] = {}
    for eid, p in odds.items():
        outcome = scenario.endings[eid].outcome
        outcome_odds[outcome] = outcome_odds.get(outcome, 0.0) + p
    return Analysis(counted and exact, count, best, worst, shortest, longest, outcome_odds, dict(odds),
                    frozenset(structure.offered) if counted else frozenset())


def best_and_worst(scenario: Scenario, variant: str | None = None, budget: int = DEFAULT_BUDGET,
                   catalog: Catalog | None = None) -> tuple[Path | None, Path | None, bool]:
    """The best and worst achievable paths, and whether both are proven exact."""
    catalog = catalog or load_catalog()
    best = optimise(scenario, total_goal(scenario, variant, catalog), True, variant, budget, catalog)
    worst = optimise(scenario, total_goal(scenario, variant, catalog), False, variant, budget, catalog)
    return best.path, worst.path, best.exact and worst.exact


@dataclass(frozen=True, slots=True)
class Goal:
    """What a search optimises.

    ``value`` scores a finished call (None: the call does not qualify); ``upper`` and
    ``lower`` bound every value still reachable from a tally, so the search may skip it.
    """

    value: Callable[[Tally, Ending, int], float | None]
    upper: Callable[[Tally], float]
    lower: Callable[[Tally], float]
    nodes: frozenset[str] | None = None  # only calls through these nodes can qualify (None: any)


@dataclass(frozen=True, slots=True)
class Found:
    """A search's answer: the path (if any qualifies), its goal value, and whether it is proven."""

    path: Path | None
    value: float | None
    exact: bool


def total_goal(scenario: Scenario, variant: str | None, catalog: Catalog, min_mistakes: int = 0,
               endings: frozenset[str] | None = None) -> Goal:
    """The 0–100 total, optionally only over calls making at least ``min_mistakes`` mistakes
    or ending in one of ``endings``; both restrictions also tighten the search."""
    cheapest = min(m.penalty for m in catalog.mistakes.values())

    def value(tally: Tally, ending: Ending, mood: int) -> float | None:
        if tally.mistakes < min_mistakes or (endings is not None and ending.id not in endings):
            return None
        return final_total(scenario, tally, ending.outcome, ending.outcome_points, mood, variant, catalog)

    def upper(tally: Tally) -> float:
        if tally.mistakes < min_mistakes:  # the mistakes still to come cost at least the cheapest
            tally = replace(tally, penalty=tally.penalty + cheapest * (min_mistakes - tally.mistakes))
        return bound(scenario, tally, variant, catalog, True)

    leading = None
    if endings is not None:
        edges = graph.edges(scenario)
        leading = frozenset(n for n, targets in edges.items() if targets & endings)
        leading = frozenset(graph.leading_to(scenario, leading, edges))
    return Goal(value, upper, lambda t: bound(scenario, t, variant, catalog, False), leading)


def part_goal(scenario: Scenario, part_id: str, variant: str | None, catalog: Catalog) -> Goal:
    """One part of the score (techniques, mistakes, order, outcome, mood or cost)."""

    def value(tally: Tally, ending: Ending, mood: int) -> float:
        score_parts = parts(scenario, tally, ending.outcome, ending.outcome_points, mood, variant, catalog)
        return next(p.points for p in score_parts if p.id == part_id)

    return Goal(value, lambda t: part_bound(scenario, part_id, t, variant, catalog, True),
                lambda t: part_bound(scenario, part_id, t, variant, catalog, False))


def optimise(scenario: Scenario, goal: Goal, maximise: bool, variant: str | None = None,
             budget: int = DEFAULT_BUDGET, catalog: Catalog | None = None) -> Found:
    """Branch and bound over every playthrough for the path that maximises (or minimises) ``goal``.

    A beam search gives a first answer; the exact search then skips every call whose bound
    cannot beat it. Past ``budget`` steps the best answer so far stands, marked not exact.
    """
    catalog = catalog or load_catalog()
    personality = scenario.persona_for(variant).personality
    known_slot = reason_known_slot(scenario)
    nodes, endings = scenario.nodes, scenario.endings
    sign = 1 if maximise else -1
    bound_of = goal.upper if maximise else goal.lower
    best: list = [_beam_search(scenario, variant, catalog, goal, maximise)]
    steps = [0]

    def record(moves: tuple, target: str, tally: Tally, mood: int) -> None:
        ending = endings[target]
        value = goal.value(tally, ending, mood)
        if value is None:
            return
        current = best[0]
        if current is None or sign * value > sign * current[1]:
            total = final_total(scenario, tally, ending.outcome, ending.outcome_points, mood, variant, catalog)
            path = Path(tuple(i for _, i in moves), target, total, tuple(n for n, _ in moves))
            best[0] = (path, value)

    def dfs(node_id: str, values: tuple, mood: int, turn: int, tally: Tally, moves: tuple) -> None:
        steps[0] += 1
        if steps[0] > budget:
            raise _OverBudget
        node = nodes[node_id]
        children = []
        for index in visible(node, values, mood, turn):
            response = node.responses[index].for_personality(personality)
            target, after, new_mood, new_turn = transition(scenario, response, values, mood, turn)
            new_tally, _ = tally_turn(tally, node, response, values, after, known_slot, catalog)
            new_moves = moves + ((node_id, index),)
            if target in endings:
                record(new_moves, target, new_tally, new_mood)
            elif goal.nodes is None or target in goal.nodes:
                children.append((bound_of(new_tally), target, after, new_mood, new_turn, new_tally, new_moves))
        children.sort(key=lambda c: c[0], reverse=maximise)
        for b, target, after, new_mood, new_turn, new_tally, new_moves in children:
            current = best[0]
            # Totals are rounded, so a bound that rounds to the incumbent cannot beat it.
            if current is not None and sign * _round(b, current[1]) <= sign * current[1]:
                continue
            dfs(target, after, new_mood, new_turn, new_tally, new_moves)

    exact = True
    try:
        dfs(scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0, Tally(), ())
    except _OverBudget:
        exact = False
    found = best[0]
    return Found(found[0], found[1], exact) if found else Found(None, None, exact)


def _round(b: float, like: float) -> float:
    return round(b) if float(like).is_integer() else b


class _OverBudget(Exception):
    pass


class _Structure:
    """Path counts, lengths and random-play odds, memoised per situation."""

    def __init__(self, scenario: Scenario, variant: str | None, budget: int):
        self.scenario = scenario
        self.personality = scenario.persona_for(variant).personality
        self.budget = budget
        self.memo: dict[tuple, tuple[int, int, int, dict[str, float]]] = {}
        self.offered: set[tuple[str, int]] = set()  # every (node, response) some call can choose

    def visit(self, node_id: str, values: tuple, mood: int, turn: int) -> tuple[int, int, int, dict[str, float]]:
        key = (node_id, values, mood, turn)
        found = self.memo.get(key)
        if found is not None:
            return found
        if len(self.memo) >= self.budget:
            raise _OverBudget
        s = self.scenario
        node = s.nodes[node_id]
        options = visible(node, values, mood, turn)
        count, shortest, longest = 0, 10**9, 0
        odds: dict[str, float] = {}
        share = 1.0 / len(options) if options else 0.0
        for index in options:
            self.offered.add((node_id, index))
            response = node.responses[index].for_personality(self.personality)
            target, after, new_mood, new_turn = transition(s, response, values, mood, turn)
            if target in s.endings:
                c, lo, hi, sub = 1, 0, 0, {target: 1.0}
            else:
                c, lo, hi, sub = self.visit(target, after, new_mood, new_turn)
                if not c:
                    continue
            count += c
            shortest, longest = min(shortest, lo + 1), max(longest, hi + 1)
            for e, p in sub.items():
                odds[e] = odds.get(e, 0.0) + p * share
        result = (count, shortest if count else 0, longest, odds)
        self.memo[key] = result
        return result


def _beam_search(scenario: Scenario, variant: str | None, catalog: Catalog, goal: Goal,
                 maximise: bool) -> tuple[Path, float] | None:
    """Keep the ``BEAM_WIDTH`` most promising partial calls (by partial total) at each turn."""
    personality = scenario.persona_for(variant).personality
    known_slot = reason_known_slot(scenario)
    nodes, endings = scenario.nodes, scenario.endings
    sign = 1 if maximise else -1
    frontier = [(scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0, Tally(), (), ())]
    found: tuple[Path, float] | None = None
    while frontier:
        candidates = []
        for node_id, values, mood, turn, tally, path, seen in frontier:
            node = nodes[node_id]
            for index in visible(node, values, mood, turn):
                response = node.responses[index].for_personality(personality)
                target, after, new_mood, new_turn = transition(scenario, response, values, mood, turn)
                new_tally, _ = tally_turn(tally, node, response, values, after, known_slot, catalog)
                ending = endings.get(target)
                total = final_total(scenario, new_tally, ending.outcome if ending else None,
                                    ending.outcome_points if ending else 0, new_mood, variant, catalog)
                if ending is None and goal.nodes is not None and target not in goal.nodes:
                    continue
                if ending is not None:
                    value = goal.value(new_tally, ending, new_mood)
                    if value is not None and (found is None or sign * value > sign * found[1]):
                        found = (Path(path + (index,), target, total, seen + (node_id,)), value)
                else:
                    candidates.append((sign * total, (target, after, new_mood, new_turn, new_tally,
                                                      path + (index,), seen + (node_id,))))
        candidates.sort(key=lambda c: c[0], reverse=True)
        frontier = [c[1] for c in candidates[:BEAM_WIDTH]]
    return found
