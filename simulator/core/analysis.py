"""Path analysis: every way a call can go, the best and worst achievable, random-play odds.

Small scenarios are explored exhaustively (exact best/worst paths and outcome odds under
uniform random play). When the number of playthroughs exceeds a budget, a beam search
finds the best and worst paths instead, and the result says it is approximate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import Catalog, load_catalog
from .engine import transition, visible
from .model import Scenario
from .scoring import Tally, final_total, reason_known_slot, tally_turn

DEFAULT_BUDGET = 200_000  # playthroughs enumerated before switching to beam search
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
    paths: int  # playthroughs enumerated (all of them when exact)
    best: Path | None
    worst: Path | None
    shortest: int = 0
    longest: int = 0
    outcome_odds: dict[str, float] = field(default_factory=dict)  # under uniform random play
    ending_odds: dict[str, float] = field(default_factory=dict)


def explore(scenario: Scenario, variant: str | None = None, budget: int = DEFAULT_BUDGET,
            catalog: Catalog | None = None) -> Analysis:
    """Enumerate playthroughs (up to ``budget``); fall back to beam search beyond it."""
    catalog = catalog or load_catalog()
    personality = scenario.persona_for(variant).personality
    known_slot = reason_known_slot(scenario)
    nodes, endings = scenario.nodes, scenario.endings
    best: Path | None = None
    worst: Path | None = None
    count = 0
    shortest, longest = 10**9, 0
    ending_odds: dict[str, float] = {}
    start_mood = scenario.persona_for(variant).mood
    stack = [(scenario.start, scenario.initial_values, start_mood, 0, Tally(), 1.0, (), ())]
    while stack:
        node_id, values, mood, turn, tally, prob, path, seen = stack.pop()
        node = nodes[node_id]
        options = visible(node, values, mood, turn)
        if not options:
            continue
        share = prob / len(options)
        for index in options:
            response = node.responses[index].for_personality(personality)
            target, after, new_mood, new_turn = transition(scenario, response, values, mood, turn)
            new_tally, _ = tally_turn(tally, node, response, values, after, known_slot, catalog)
            new_path = path + (index,)
            new_seen = seen + (node_id,)
            if target in endings:
                count += 1
                ending = endings[target]
                total = final_total(scenario, new_tally, ending.outcome, ending.outcome_points, new_mood,
                                    variant, catalog)
                candidate = Path(new_path, target, total, new_seen)
                if best is None or (total, -len(new_path)) > (best.score, -len(best.responses)):
                    best = candidate
                if worst is None or (total, len(new_path)) < (worst.score, len(worst.responses)):
                    worst = candidate
                shortest = min(shortest, len(new_path))
                longest = max(longest, len(new_path))
                ending_odds[target] = ending_odds.get(target, 0.0) + share
                if count >= budget:
                    return _beam(scenario, variant, catalog, count)
            else:
                stack.append((target, after, new_mood, new_turn, new_tally, share, new_path, new_seen))
    outcome_odds: dict[str, float] = {}
    for eid, p in ending_odds.items():
        outcome = endings[eid].outcome
        outcome_odds[outcome] = outcome_odds.get(outcome, 0.0) + p
    return Analysis(True, count, best, worst, shortest if count else 0, longest, outcome_odds, ending_odds)


def _beam(scenario: Scenario, variant: str | None, catalog: Catalog, counted: int) -> Analysis:
    best = _beam_search(scenario, variant, catalog, maximise=True)
    worst = _beam_search(scenario, variant, catalog, maximise=False)
    return Analysis(False, counted, best, worst)


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
