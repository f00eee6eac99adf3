"""Path analysis: every way a call can go, the best and worst achievable, random-play odds.

Best and worst come from :mod:`.search` (dynamic programming over situations with
dominance between tallies): exact for any scenario a person would write. The work is
counted in expanded states, not time (the core has no clock): past the budget the answer
stands with a proven bound on how far the optimum can be (``Analysis.exact``,
``Analysis.best_bound``, ``Found.bound``), so no scenario makes the analysis stall.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import search
from .catalog import Catalog, load_catalog
from .model import GOOD_OUTCOMES, Ending, Scenario
from .points import (
    MAX_MOOD,
    MAX_ORDER,
    ORDER_PENALTY,
    Tally,
    _technique_points,  # the technique part alone: the numbers parts() gives, without its details
    bound,
    final_total,
    mistakes_points,
    part_bound,
    parts,
)
from .reach import reach_for

DEFAULT_BUDGET = 10_000  # expanded states per search before the answer stands with a bound
# Answers followed (one per situation and answer offered there) for path counts and odds before
# giving up: what the work costs, whatever the width of the nodes. The largest shipped count
# (rival-cheaper-plan-business-owner, variant impatient) follows about 77,000.
STRUCTURE_BUDGET = 100_000


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
    best_bound: float | None = None  # no call scores above this (equals best.score when proven)
    worst_bound: float | None = None  # no call scores below this (equals worst.score when proven)


def explore(scenario: Scenario, variant: str | None = None, budget: int = DEFAULT_BUDGET,
            catalog: Catalog | None = None) -> Analysis:
    """Count every playthrough and find the best and worst achievable paths.

    Counting and random-play odds depend only on where the call stands (node, variables,
    mood, turn), so they are summed once per such situation (following at most
    ``STRUCTURE_BUDGET`` answers in all; a budget below the default caps them too). Best and worst come from
    :func:`optimise`; past ``budget`` expanded states they stand with proven bounds and the
    result says it is approximate.
    """
    catalog = catalog or load_catalog()
    goal = total_goal(scenario, variant, catalog)
    high = optimise(scenario, goal, True, variant, budget, catalog)
    low = optimise(scenario, goal, False, variant, budget, catalog)
    exact = high.exact and low.exact
    structure = _Structure(scenario, variant, STRUCTURE_BUDGET if budget >= DEFAULT_BUDGET else budget)
    start = (scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0)
    try:
        structure.survey(start)  # first only whether the count fits the budget: giving up costs less
        count, shortest, longest, odds = structure.visit(*start)
        counted = True
    except _OverBudget as over:
        count, shortest, longest, odds, counted = over.args[0], 0, 0, {}, False
    outcome_odds: dict[str, float] = {}
    for eid, p in odds.items():
        outcome = scenario.endings[eid].outcome
        outcome_odds[outcome] = outcome_odds.get(outcome, 0.0) + p
    return Analysis(counted and exact, count, high.path, low.path, shortest, longest, outcome_odds, dict(odds),
                    frozenset(structure.offered) if counted else frozenset(), high.bound, low.bound)


def best_and_worst(scenario: Scenario, variant: str | None = None, budget: int = DEFAULT_BUDGET,
                   catalog: Catalog | None = None) -> tuple[Path | None, Path | None, bool]:
    """The best and worst achievable paths, and whether both are proven exact.

    Remembered per scenario version, so asking again (the end of every call) costs a lookup.
    """
    catalog = catalog or load_catalog()
    best = optimise(scenario, total_goal(scenario, variant, catalog), True, variant, budget, catalog)
    worst = optimise(scenario, total_goal(scenario, variant, catalog), False, variant, budget, catalog)
    return best.path, worst.path, best.exact and worst.exact


@dataclass(frozen=True, slots=True)
class Goal:
    """What a search optimises.

    ``value`` scores a finished call (None: the call does not qualify); it must be monotone
    in the tally the way every part of the score is (see :mod:`.search`), and may ask for at
    least ``min_mistakes`` mistakes. ``upper`` and ``lower`` bound every value still
    reachable from a tally: they turn what a search dropped into a proven bound.
    """

    value: Callable[[Tally, Ending, int], float | None]
    upper: Callable[[Tally], float]
    lower: Callable[[Tally], float]
    min_mistakes: int = 0
    fields: frozenset[str] = search.EVERY_FIELD  # the tally fields ``value`` reads
    key: tuple | None = None  # names the goal for the memo (None: never remembered)
    ahead: Callable[[Tally, str, int], float] | None = None  # a tighter ``upper`` knowing node and mood
    floor: float | None = None  # maximising: only a call reaching this value is wanted
    whole: bool = False  # values are whole numbers (rounded totals)


@dataclass(frozen=True, slots=True)
class Found:
    """A search's answer: the path (if any qualifies), its goal value, and whether it is proven.

    ``bound`` is the proven limit: no qualifying call does better (equals ``value`` when exact).
    """

    path: Path | None
    value: float | None
    exact: bool
    bound: float | None = None


def total_goal(scenario: Scenario, variant: str | None, catalog: Catalog, min_mistakes: int = 0,
               endings: frozenset[str] | None = None, at_least: int | None = None) -> Goal:
    """The 0–100 total, optionally only over calls making at least ``min_mistakes`` mistakes
    or ending in one of ``endings``. With ``at_least`` the search only looks for a call
    scoring that much (the answer is such a call, or none: a yes-or-no question, much
    quicker to settle than the exact best)."""
    cheapest = min(m.penalty for m in catalog.mistakes.values())

    def value(tally: Tally, ending: Ending, mood: int) -> float | None:
        if tally.mistakes < min_mistakes or (endings is not None and ending.id not in endings):
            return None
        return final_total(scenario, tally, ending.outcome, ending.outcome_points, mood, variant, catalog)

    def upper(tally: Tally) -> float:
        if tally.mistakes < min_mistakes:  # the mistakes still to come cost at least the cheapest
            tally = replace(tally, penalty=tally.penalty + cheapest * (min_mistakes - tally.mistakes))
        return bound(scenario, tally, variant, catalog, True)

    return Goal(value, upper, lambda t: bound(scenario, t, variant, catalog, False), min_mistakes,
                search.EVERY_FIELD if min_mistakes else search.EVERY_FIELD - {search.MISTAKES},
                ("total", min_mistakes, endings, at_least), _ahead(scenario, variant, catalog, min_mistakes, endings),
                at_least, whole=True)


def _ahead(scenario: Scenario, variant: str | None, catalog: Catalog, min_mistakes: int,
           endings: frozenset[str] | None) -> Callable[[Tally, str, int], float]:
    """The most a call at a node and mood could still total: only the techniques, endings
    and mood rises still reachable from there count, every other part at its best (a sound upper bound, since
    each part is monotone and the outcome's points and the cost's are taken apart)."""
    reach = reach_for(scenario, variant)
    cheapest = min(m.penalty for m in catalog.mistakes.values())
    technique_points: dict[frozenset[str], float] = {}  # techniques still possible -> most
    unions: dict[tuple[frozenset[str], str], float] = {}  # (techniques so far, node) -> the same, looked up
    cost_points: dict[float, float] = {}
    penalty_points: dict[float, float] = {}
    outlook: dict[str, tuple[float, bool] | None] = {}  # node -> (best outcome points, a save possible)
    by_endings: dict[frozenset[str], tuple[float, bool] | None] = {}  # few distinct sets: each worked out once

    def look(node_id: str) -> tuple[float, bool] | None:
        # Per node on first use: a search of a huge scenario meets few of its nodes.
        reachable = reach.endings[node_id]
        seen = by_endings.get(reachable, False)
        if seen is False:
            ends = [scenario.endings[e] for e in reachable if endings is None or e in endings]
            seen = by_endings[reachable] = (max(e.outcome_points for e in ends),
                                            any(e.outcome in GOOD_OUTCOMES for e in ends)) if ends else None
        outlook[node_id] = seen
        return seen

    def ahead(tally: Tally, node_id: str, mood: int) -> float:
        seen = outlook[node_id] if node_id in outlook else look(node_id)
        if seen is None:
            return -1.0  # no call from here qualifies: lower than any total
        points = unions.get((tally.techniques, node_id))
        if points is None:
            # Many nodes reach the same techniques: the points are worked out once per union.
            techniques = tally.techniques | reach.techniques[node_id]
            points = technique_points.get(techniques)
            if points is None:
                points = technique_points[techniques] = max(
                    _technique_points(scenario, Tally(techniques, refusal=r), catalog) for r in (False, True))
            unions[(tally.techniques, node_id)] = points
        penalty = tally.penalty + cheapest * max(0, min_mistakes - tally.mistakes)
        fine = penalty_points.get(penalty)
        if fine is None:
            fine = penalty_points[penalty] = mistakes_points(Tally(penalty=penalty), 1.0)
        points += fine
        points += max(0.0, MAX_ORDER - ORDER_PENALTY * tally.premature)
        points += MAX_MOOD * min(100, mood + reach.rise[node_id]) / 100
        points += seen[0]
        if seen[1]:
            cost = cost_points.get(tally.cost)
            if cost is None:
                cost = cost_points[tally.cost] = parts(scenario, Tally(cost=tally.cost), "retained", 0, 0,
                                                       variant, catalog)[5].points
            points += cost
        return min(100.0, points)

    return ahead


def part_goal(scenario: Scenario, part_id: str, variant: str | None, catalog: Catalog) -> Goal:
    """One part of the score (techniques, mistakes, order, outcome, mood or cost)."""

    reads = _PART_READS[part_id]
    known: dict[tuple, float] = {}  # a part's points depend on a few fields only: worked out once per reading

    def value(tally: Tally, ending: Ending, mood: int) -> float:
        key = reads(tally, ending, mood)
        points = known.get(key)
        if points is None:
            score_parts = parts(scenario, tally, ending.outcome, ending.outcome_points, mood, variant, catalog)
            points = known[key] = next(p.points for p in score_parts if p.id == part_id)
        return points

    ahead = None
    if part_id in ("mood", "outcome"):
        # Where the call stands bounds these two at once: the mood can still rise only so far,
        # and only the endings still reachable can pay out.
        reach = reach_for(scenario, variant)
        by_endings = {ends: max(scenario.endings[e].outcome_points for e in ends)
                      for ends in set(reach.endings.values())}
        best_outcome = {n: by_endings[ends] for n, ends in reach.endings.items()}

        def ahead(tally: Tally, node_id: str, mood: int) -> float:
            if part_id == "mood":
                return MAX_MOOD * min(100, mood + reach.rise[node_id]) / 100
            return best_outcome[node_id]

    return Goal(value, lambda t: part_bound(scenario, part_id, t, variant, catalog, True),
                lambda t: part_bound(scenario, part_id, t, variant, catalog, False),
                fields=_PART_FIELDS[part_id], key=("part", part_id), ahead=ahead)


# What each part of points.parts reads of a finished call (its tally, ending and mood).
_PART_READS: dict[str, Callable[[Tally, Ending, int], tuple]] = {
    "techniques": lambda t, _e, _m: (t.techniques, t.refusal),
    "mistakes": lambda t, _e, _m: (t.penalty, t.steps_reached),
    "order": lambda t, _e, _m: (t.premature, t.steps_reached),
    "outcome": lambda _t, e, _m: (e.outcome_points,),
    "mood": lambda _t, _e, m: (m,),
    "cost": lambda t, e, _m: (t.cost, e.outcome),
}

_PART_FIELDS = {
    "techniques": frozenset((search.TECHNIQUES, search.REFUSAL)),
    "mistakes": frozenset((search.PENALTY, search.STEPS)),
    "order": frozenset((search.PREMATURE, search.STEPS)),
    "outcome": frozenset(),
    "mood": frozenset(),
    "cost": frozenset((search.COST,)),
}


def optimise(scenario: Scenario, goal: Goal, maximise: bool, variant: str | None = None,
             budget: int = DEFAULT_BUDGET, catalog: Catalog | None = None) -> Found:
    """The path that maximises (or minimises) ``goal``: a sweep of :mod:`.search`.

    Exact unless the sweep ran past ``budget`` expanded states; then :attr:`Found.bound`
    says how far the true optimum can lie from the answer. Goals with a ``key`` are
    remembered per scenario version, so asking again costs a lookup.
    """
    catalog = catalog or load_catalog()
    memo_key = None
    if goal.key is not None:
        memo_key = (scenario.digest, scenario.path, scenario.start, scenario.max_turns, tuple(scenario.nodes),
                    tuple(scenario.endings), variant, id(catalog), goal.key, maximise)
        held = _FOUND.get(memo_key)
        if held is not None and held[1] is catalog and (held[0].exact or held[2] >= budget):
            _FOUND.move_to_end(memo_key)
            return held[0]
    result = search.sweep(scenario, variant, catalog, goal.value, goal.upper if maximise else goal.lower,
                          maximise, goal.fields, goal.min_mistakes, budget,
                          ahead=goal.ahead if maximise else None, floor=goal.floor, whole=goal.whole)
    path = None
    if result.moves is not None:
        ending = scenario.endings[result.ending]
        total = final_total(scenario, result.tally, ending.outcome, ending.outcome_points, result.mood,
                            variant, catalog)
        path = Path(tuple(i for _, i in result.moves), result.ending, total, tuple(n for n, _ in result.moves))
    found = Found(path, result.value, result.exact, result.bound)
    if memo_key is not None:
        _FOUND[memo_key] = (found, catalog, budget)  # holding the catalog keeps its id from being reused
        while len(_FOUND) > _REMEMBERED:
            _FOUND.popitem(last=False)
    return found


_REMEMBERED = 256  # answers kept: a few goals for each of a few dozen scenario versions
_FOUND: OrderedDict[tuple, tuple[Found, Catalog, int]] = OrderedDict()


class _OverBudget(Exception):
    pass


class _Structure:
    """Path counts, lengths and random-play odds, memoised per situation."""

    def __init__(self, scenario: Scenario, variant: str | None, budget: int):
        self.endings = scenario.endings
        self.moves = search.moves_for(scenario, variant)
        self.budget = budget
        self.work = 0  # answers followed so far
        self.memo: dict[tuple, tuple[int, int, int, dict[str, float]]] = {}
        self.offered: set[tuple[str, int]] = set()  # every (node, response) some call can choose

    def survey(self, start: tuple) -> None:
        """Follow every answer from ``start`` once, only counting them: raises :class:`_OverBudget`
        (with the situations met) past the budget, before any count or odds is summed."""
        moves, endings = self.moves, self.endings
        seen = {start}
        stack = [start]
        work = 0
        while stack:
            found = moves(stack.pop())
            work += len(found)
            if work > self.budget:
                raise _OverBudget(len(seen))
            for _index, _response, target, after, mood, turn in found:
                if target not in endings:
                    situation = (target, after, mood, turn)
                    if situation not in seen:
                        seen.add(situation)
                        stack.append(situation)

    def visit(self, node_id: str, values: tuple, mood: int, turn: int) -> tuple[int, int, int, dict[str, float]]:
        key = (node_id, values, mood, turn)
        found = self.memo.get(key)
        if found is not None:
            return found
        moves = self.moves(key)
        self.work += len(moves)
        if self.work > self.budget:
            raise _OverBudget(len(self.memo))
        count, shortest, longest = 0, 10**9, 0
        odds: dict[str, float] = {}
        share = 1.0 / len(moves) if moves else 0.0
        offered, endings = self.offered, self.endings
        for index, _response, target, after, new_mood, new_turn in moves:
            offered.add((node_id, index))
            if target in endings:  # the common leaf, summed in place rather than through a one-entry table
                count += 1
                shortest, longest = min(shortest, 1), max(longest, 1)
                odds[target] = odds.get(target, 0.0) + share
                continue
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
