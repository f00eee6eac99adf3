"""Path analysis: every way a call can go, the best and worst achievable, random-play odds.

The search is exact for any scenario a person would write; on generated giants it stops at
a budget and keeps the beam search's answer, saying so (``Analysis.exact``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import Catalog, load_catalog
from .engine import transition, visible
from .model import Scenario
from .scoring import Tally, bound, final_total, reason_known_slot, tally_turn

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
    return Analysis(counted and exact, count, best, worst, shortest, longest, outcome_odds, dict(odds))


def best_and_worst(scenario: Scenario, variant: str | None = None, budget: int = DEFAULT_BUDGET,
                   catalog: Catalog | None = None) -> tuple[Path | None, Path | None, bool]:
    """The best and worst achievable paths, and whether both are proven exact."""
    catalog = catalog or load_catalog()
    best, best_exact = _branch_and_bound(scenario, variant, catalog, True, budget)
    worst, worst_exact = _branch_and_bound(scenario, variant, catalog, False, budget)
    return best, worst, best_exact and worst_exact


class _OverBudget(Exception):
    pass


class _Structure:
    """Path counts, lengths and random-play odds, memoised per situation."""

    def __init__(self, scenario: Scenario, variant: str | None, budget: int):
        self.scenario = scenario
        self.personality = scenario.persona_for(variant).personality
        self.budget = budget
        self.memo: dict[tuple, tuple[int, int, int, dict[str, float]]] = {}

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


def _branch_and_bound(scenario: Scenario, variant: str | None, catalog: Catalog, maximise: bool,
                      budget: int) -> tuple[Path | None, bool]:
    personality = scenario.persona_for(variant).personality
    known_slot = reason_known_slot(scenario)
    nodes, endings = scenario.nodes, scenario.endings
    incumbent = _beam_search(scenario, variant, catalog, maximise)
    best: list = [incumbent]
    steps = [0]

    def beats(score: int) -> bool:
        current = best[0]
        return current is None or (score > current.score if maximise else score < current.score)

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
            ending = endings.get(target)
            if ending is not None:
                total = final_total(scenario, new_tally, ending.outcome, ending.outcome_points, new_mood,
                                    variant, catalog)
                if beats(total):
                    best[0] = Path(tuple(i for _, i in new_moves), target, total, tuple(n for n, _ in new_moves))
            else:
                b = bound(scenario, new_tally, variant, catalog, maximise)
                children.append((b, target, after, new_mood, new_turn, new_tally, new_moves))
        children.sort(key=lambda c: c[0], reverse=maximise)
        for b, target, after, new_mood, new_turn, new_tally, new_moves in children:
            limit = round(b)
            if best[0] is not None and (limit <= best[0].score if maximise else limit >= best[0].score):
                continue  # cannot beat what is already found
            dfs(target, after, new_mood, new_turn, new_tally, new_moves)

    try:
        dfs(scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0, Tally(), ())
    except _OverBudget:
        return best[0], False
    return best[0], True


def _beam_search(scenario: Scenario, variant: str | None, catalog: Catalog, maximise: bool) -> Path | None:
    """Keep the ``BEAM_WIDTH`` most promising partial calls at each turn."""
    personality = scenario.persona_for(variant).personality
    known_slot = reason_known_slot(scenario)
    nodes, endings = scenario.nodes, scenario.endings
    sign = 1 if maximise else -1
    frontier = [(scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0, Tally(), (), ())]
    found: Path | None = None
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
                if ending is not None:
                    if found is None or sign * total > sign * found.score:
                        found = Path(path + (index,), target, total, seen + (node_id,))
                else:
                    candidates.append((sign * total, (target, after, new_mood, new_turn, new_tally,
                                                      path + (index,), seen + (node_id,))))
        candidates.sort(key=lambda c: c[0], reverse=True)
        frontier = [c[1] for c in candidates[:BEAM_WIDTH]]
    return found
