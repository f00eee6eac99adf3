"""Best and worst calls by dynamic programming over situations, with dominance between tallies.

Everything that can still happen in a call depends only on its *situation*: the node, the
variables, the mood and the turn. What the call has shown so far is its tally
(:class:`points.Tally`), and every part of the score is monotone in it: more techniques and
steps reached never cost points; more penalty, more answers out of order or a dearer save
never earn any. So of two calls in the same situation, one whose tally is at least as good
in every field the goal reads finishes at least as well whatever comes next, and the other
is dropped without loss (*dominance*, :class:`Shape`). A call whose bound cannot beat the
answer so far is dropped too (branch and bound).

The turn grows by one with every answer, so situations come in layers and the search walks
them in order. It counts the states it expands (the core has no clock): past its budget it
keeps only the most promising few per layer and remembers the best bound among those it
dropped, so the answer always comes, with a proven bound when it is not exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .catalog import Catalog
from .model import Scenario
from .moves import _MOVES as _MOVES  # the moves shared by every search and count (see .moves)
from .moves import Move as Move
from .moves import Moves, Situation, advance, moves_for, score_so_far
from .moves import read_slots as read_slots
from .points import (
    ALWAYS_EXPECTED,
    COST_ZERO_AT,
    MAX_MISTAKES,
    MAX_ORDER,
    MIN_MISTAKES,
    ORDER_PENALTY,
    STEP_TARGET,
    Tally,
)
from .scoring import reason_known_slot

WIDTH = 4096  # tallies kept per layer while within budget; shipped content never comes close
GREEDY_WIDTH = 16  # tallies kept per layer in the first pass and once the budget is spent


# The tally fields a goal can depend on; a goal names those it reads, and only they are compared.
TECHNIQUES, STEPS, PENALTY, PREMATURE, COST, MISTAKES, REFUSAL = (
    "techniques", "steps", "penalty", "premature", "cost", "mistakes", "refusal")
EVERY_FIELD = frozenset((TECHNIQUES, STEPS, PENALTY, PREMATURE, COST, MISTAKES, REFUSAL))
_EXPECTED = frozenset(ALWAYS_EXPECTED)


class Shape:
    """What of a tally a goal can still tell apart, as a small comparable tuple.

    Each score part clamps: a step's techniques stop counting once its weight reaches
    ``STEP_TARGET``, penalties past the floor of the mistakes part, answers out of order
    past the order part's zero, costs past the cost part's zero. Beyond those points two
    tallies finish the same whatever comes next, so they are cut there. The tuple is
    (techniques, techniques with full steps filled in, steps, penalty, premature, cost,
    mistakes, refusal, reason known).
    """

    def __init__(self, scenario: Scenario, variant: str | None, catalog: Catalog, fields: frozenset[str],
                 cap: int):
        self.fields = fields
        self.cap = cap if MISTAKES in fields else 0
        self.by_step: dict[str, frozenset[str]] = {}
        for t in catalog.techniques.values():
            self.by_step[t.step] = self.by_step.get(t.step, frozenset()) | {t.id}
        self.techniques = catalog.techniques
        budget = scenario.save_budget_months * scenario.persona_for(variant).monthly_spend
        self.cost_cap = COST_ZERO_AT * budget
        self.penalty_cap = MAX_MISTAKES - MIN_MISTAKES
        self.premature_cap = -(-MAX_ORDER // ORDER_PENALTY)
        # reason_known changes only what later answers count as premature
        self.known = bool(fields & {PENALTY, PREMATURE, MISTAKES})
        self.full: dict[frozenset[str], frozenset[str]] = {}  # techniques -> with full steps filled in

    def _fill(self, techniques: frozenset[str]) -> frozenset[str]:
        weights: dict[str, float] = {}
        for t in techniques:
            step = self.techniques[t].step
            weights[step] = weights.get(step, 0.0) + self.techniques[t].weight
        full = techniques
        for step, weight in weights.items():
            if weight >= STEP_TARGET:
                full = full | self.by_step[step]
        return full

    def __call__(self, tally: Tally) -> tuple:
        """The tuple two tallies are compared by."""
        f = self.fields
        techniques = full = None
        if TECHNIQUES in f:
            techniques = tally.techniques
            full = self.full.get(techniques)
            if full is None:
                full = self.full[techniques] = self._fill(techniques)
        return (techniques, full,
                tally.steps_reached & _EXPECTED if STEPS in f else None,
                min(tally.penalty, self.penalty_cap) if PENALTY in f else 0,
                min(tally.premature, self.premature_cap) if PREMATURE in f else 0,
                min(tally.cost, self.cost_cap) if COST in f else 0,
                min(tally.mistakes, self.cap),
                tally.refusal if REFUSAL in f or TECHNIQUES in f else False,
                tally.reason_known if self.known else False)


def better_max(a: tuple, b: tuple) -> bool:
    """True if a call shaped ``a`` finishes at least as high as one shaped ``b``, whatever follows."""
    return (a[3] <= b[3] and a[4] <= b[4] and a[5] <= b[5] and a[6] >= b[6] and a[7] == b[7]
            and (a[8] or not b[8]) and (a[1] is None or a[1] >= b[0])
            and (a[2] is None or a[2] >= b[2]))


def better_min(a: tuple, b: tuple) -> bool:
    """True if a call shaped ``a`` finishes at least as low as one shaped ``b``, whatever follows
    (and has made at least as many of the mistakes a goal may ask for)."""
    return (a[3] >= b[3] and a[4] >= b[4] and a[5] >= b[5] and a[6] >= b[6] and a[7] == b[7]
            and (b[8] or not a[8]) and (a[0] is None or a[0] <= b[1])
            and (a[2] is None or a[2] <= b[2]))


@dataclass(frozen=True, slots=True)
class Result:
    """A sweep's answer: the best call found (its moves, tally, ending, final mood), its value,
    whether it is proven, and the proven bound (equal to the value when proven)."""

    moves: tuple[tuple[str, int], ...] | None
    tally: Tally | None
    ending: str | None
    mood: int
    value: float | None
    exact: bool
    bound: float | None
    expanded: int


def _unwind(trail: tuple | None) -> tuple[tuple[str, int], ...]:
    out = []
    while trail is not None:
        trail, node_id, index = trail
        out.append((node_id, index))
    return tuple(reversed(out))


def sweep(scenario: Scenario, variant: str | None, catalog: Catalog, value: Callable, limit: Callable,
          maximise: bool, fields: frozenset[str] = EVERY_FIELD, cap: int = 0, budget: int = 10_000,
          moves: Moves | None = None, ahead: Callable | None = None, floor: float | None = None,
          whole: bool = False) -> Result:
    """The call that maximises (or minimises) ``value`` (tally, ending, mood → number or None).

    ``limit`` bounds the value still reachable from a tally (an upper bound when maximising);
    ``ahead`` (tally, node id, mood → bound), if given, replaces it while searching: a tighter bound
    that also knows where the call stands,
    ``fields`` names the tally fields ``value`` reads, ``cap`` the mistakes it may ask for;
    with a ``floor`` (maximising, whole-number values) only a call reaching it is looked for,
    so everything that cannot reach it is skipped from the start, and the first such call found
    is the answer (a yes-or-no question: it need not be the best). ``whole``: values are whole
    numbers (rounded totals), so bounds may be rounded the same way.
    Two quick narrow passes (a few calls per layer, kept by score so far, then by bound) find a
    first answer; the full pass then skips
    every call that a dominating call or the answer so far makes pointless. Past ``budget``
    expanded states the full pass stops, and the result carries the bound on all it dropped.
    """
    moves = moves or moves_for(scenario, variant)
    args = (scenario, variant, catalog, value, limit, ahead, maximise, fields, cap,
            floor if maximise and floor is not None else None, whole)
    # A small budget (a huge scenario) gets a narrower first pass too: its answer stands with a bound anyway.
    narrow = max(2, min(GREEDY_WIDTH, budget // 600))
    first = _pass(*args, 0, moves, None, narrow)
    floor = args[9]
    if first.exact or (floor is not None and first.value is not None and first.value >= floor):
        return first  # proven, or a call reaching the floor: the question asked is answered
    full = _pass(*args, budget, moves, first, narrow)
    if full.exact:
        return full
    # Not proven within the budget: one more narrow pass, keeping the calls with the best bound
    # instead of the best score so far (on long calls the score so far strands the search: on a
    # 10,000-node scenario this pass finds the best call where the first one never does).
    return _combine(full, _pass(*args, 0, moves, None, narrow, by_bound=True), maximise)


def _combine(full: Result, other: Result, maximise: bool) -> Result:
    """The better call of two unproven sweeps, with the tighter of their bounds (each pass bounds
    every call it did not follow, so each bound holds, and so does the smaller)."""
    sign = 1 if maximise else -1
    found = full
    if other.value is not None and (full.value is None or sign * other.value > sign * full.value):
        found = other
    bounds = [r.bound for r in (full, other) if r.bound is not None]
    bound = min(bounds, key=lambda b: sign * b) if bounds else None
    exact = found.value is not None and bound is not None and sign * bound <= sign * found.value
    return Result(found.moves, found.tally, found.ending, found.mood, found.value, exact,
                  found.value if exact else bound, full.expanded + other.expanded)


def _pass(scenario: Scenario, variant: str | None, catalog: Catalog, value: Callable, limit: Callable,
          ahead: Callable | None, maximise: bool, fields: frozenset[str], cap: int, floor: float | None,
          whole: bool, budget: int, moves: Moves, incumbent: Result | None, narrow: int = GREEDY_WIDTH,
          by_bound: bool = False) -> Result:
    known_slot = reason_known_slot(scenario)
    endings = scenario.endings
    turn_steps = moves.turn_steps(catalog)
    shape = Shape(scenario, variant, catalog, fields, cap)
    better = better_max if maximise else better_min
    sign = 1 if maximise else -1
    best = incumbent.value if incumbent is not None else None
    if best is None and floor is not None:
        best = floor - 1  # not a call's value: the line a call must beat to reach the floor
    chosen: tuple | None = None  # (trail, tally, ending, mood)
    dropped: float | None = None  # the best bound among the calls dropped for width

    def bound_at(tally: Tally, node_id: str, mood: int) -> float:
        return limit(tally) if ahead is None else ahead(tally, node_id, mood)

    def beaten(b: float) -> bool:
        # Totals are rounded, so a bound that rounds to the answer so far cannot beat it.
        return best is not None and sign * _round(b, whole) <= sign * best

    def keep(bucket: dict, tally: Tally, trail: tuple, b: float) -> None:
        form = shape(tally)
        if form in bucket:
            return
        for other in bucket:
            if better(other, form):
                return
        for other in [o for o in bucket if better(form, o)]:
            del bucket[other]
        bucket[form] = (tally, trail, b)  # the bound is kept: only the answer it is held against moves

    so_far = score_so_far(scenario, catalog)

    def promise(item: tuple) -> float:
        if by_bound:
            return sign * item[2][2]
        (_node, _values, mood, _turn), _form, (tally, _trail, _b) = item
        return sign * so_far(tally, mood)

    layer: dict[Situation, dict] = {
        (scenario.start, scenario.initial_values, scenario.persona_for(variant).mood, 0):
            {shape(Tally()): (Tally(), None, bound_at(Tally(), scenario.start, scenario.persona_for(variant).mood))}}
    expanded = 0
    while layer:
        items = [(situation, form, entry) for situation, bucket in layer.items() for form, entry in bucket.items()]
        width = WIDTH if expanded < budget else narrow
        if incumbent is not None:
            # The narrow pass already holds an answer: past the budget stop and bound the rest, and
            # near it expand no more states than are left (a wide layer would overshoot many times).
            width = min(WIDTH, max(0, budget - expanded))
            if _overspends(items, budget - expanded, beaten, moves):
                # This layer alone would spend more than is left, so the pass cannot finish: stop
                # now and bound the rest, rather than spend what is left on part of a layer (the
                # layers of a hard search grow, so the last one is most of the work).
                width = 0
        if len(items) > width:
            if width:
                items.sort(key=promise, reverse=True)  # stable: ties keep the order they were found in
            for _situation, _, (_tally, _trail, b) in items[width:]:
                dropped = b if dropped is None or sign * b > sign * dropped else dropped
            items = items[:width]
        following: dict[Situation, dict] = {}
        for situation, _form, (tally, trail, b) in items:
            if beaten(b):
                continue
            node_id, values = situation[0], situation[1]
            answers = turn_steps[node_id]
            for index, _response, target, after, mood, turn in moves(situation):
                expanded += 1
                new_tally = advance(tally, answers[index], values, after, known_slot)
                step = (trail, node_id, index)
                if target in endings:
                    v = value(new_tally, endings[target], mood)
                    if v is not None and (best is None or sign * v > sign * best
                                          or (chosen is None and v == best)):
                        best, chosen = v, (step, new_tally, target, mood)
                else:
                    b = bound_at(new_tally, target, mood)
                    if not beaten(b):
                        keep(following.setdefault((target, after, mood, turn), {}), new_tally, step, b)
        layer = following
    if chosen is not None:
        found = (_unwind(chosen[0]), chosen[1], chosen[2], chosen[3])
    elif incumbent is not None and incumbent.moves is not None:
        found = (incumbent.moves, incumbent.tally, incumbent.ending, incumbent.mood)
    else:
        found = (None, None, None, 0)
    achieved = best if found[0] is not None else None
    if dropped is None:  # proven: nothing beats the answer (with a floor: nothing else reaches it)
        return Result(*found, achieved, True, achieved, expanded)
    if best is None:
        return Result(*found, None, False, dropped, expanded)
    bound = _round(dropped, whole)
    exact = sign * bound <= sign * best
    return Result(*found, achieved, exact, achieved if exact else bound, expanded)


def _overspends(items: list, left: int, beaten: Callable, moves: Moves) -> bool:
    """True if expanding every call of the layer not yet beaten takes more than ``left`` answers;
    the answers are counted only until that is sure (each call has at least one)."""
    alive = [item[0] for item in items if not beaten(item[2][2])]
    if len(alive) > left:
        return True
    spent = 0
    for situation in alive:
        spent += len(moves(situation))
        if spent > left:
            return True
    return False


def _round(b: float, whole: bool) -> float:
    # round() is monotone, so a bound on a sum that is rounded is itself rounded soundly.
    return round(b) if whole else b
