"""What a call's tally is worth: the six parts of its score, the total and grade, and bounds.

A call scores 0–100 from six parts: techniques by step (35), mistakes (15), keeping the
five links in order (10), outcome (20), final mood (10) and the cost of the save (10).
:class:`Tally` is what a call has shown so far (:func:`simulator.core.scoring.tally_turn` adds an
answer to it); :func:`parts` turns a finished tally into the parts a report shows, and
:func:`final_total` into the same total without the details. The path search prunes with
:func:`bound` and :func:`part_bound`: the most or least a call could still score.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog
from .model import GOOD_OUTCOMES, STEPS, Scenario
from .review import Part

MAX_TECHNIQUES, MAX_MISTAKES, MAX_ORDER, MAX_OUTCOME, MAX_MOOD, MAX_COST = 35, 15, 10, 20, 10, 10
MIN_MISTAKES = -30  # mistakes beyond the part's 15 points come off the rest of the score
STEP_TARGET = 2.0  # technique weight that fills a step: two default-weight techniques
ORDER_PENALTY = 5  # per turn that jumped ahead of the five links
COST_ZERO_AT = 2.0  # a save costing this many budgets or more keeps no cost points
ALWAYS_EXPECTED = ("build_trust", "probe_reason", "propose", "close")


@dataclass(frozen=True, slots=True)
class Tally:
    """What a call has shown so far; small and immutable so path searches can share it."""

    techniques: frozenset[str] = frozenset()
    penalty: float = 0.0
    mistakes: int = 0  # mistakes made, the scorer's own findings included
    premature: int = 0
    cost: float = 0.0
    refusal: bool = False
    reason_known: bool = False
    steps_reached: frozenset[str] = frozenset()  # steps of the nodes visited and techniques shown
    undone_penalty: float = 0.0  # the part of ``penalty`` owed by answers taken back


def grade(total: float) -> str:
    """Letter grade for a 0–100 score."""
    for threshold, letter in ((90, "A"), (75, "B"), (60, "C"), (40, "D")):
        if total >= threshold:
            return letter
    return "F"


def expected_steps(scenario: Scenario, tally: Tally) -> tuple[str, ...]:
    """Steps this call is judged on: the four every call needs, plus refusal if it came up.

    A step no response of the scenario can earn is left out, so authors are not blamed on
    the trainee's score.
    """
    key = (scenario.technique_steps, tally.refusal)
    steps = _EXPECTED_CACHE.get(key)
    if steps is None:
        available = scenario.technique_steps
        steps = tuple(s for s in STEPS if s in available
                      and (s in ALWAYS_EXPECTED or (s == "resolve_refusal" and tally.refusal)))
        _EXPECTED_CACHE[key] = steps
    return steps


_EXPECTED_CACHE: dict[tuple[frozenset[str], bool], tuple[str, ...]] = {}


def _step_points(scenario: Scenario, tally: Tally, catalog: Catalog) -> dict[str, tuple[float, float, list[str]]]:
    """Per expected step: (points, max, techniques earned)."""
    steps = expected_steps(scenario, tally)
    if not steps:
        return {}
    per_step = MAX_TECHNIQUES / len(steps)
    techniques = catalog.techniques
    result = {}
    for step in steps:
        earned = sorted(t for t in tally.techniques if techniques[t].step == step)
        weight = sum(techniques[t].weight for t in earned)
        result[step] = (per_step * min(1.0, weight / STEP_TARGET), per_step, earned)
    return result


def cost_points(cost: float, budget: float) -> float:
    """Points for what the save cost: all 10 up to the fair budget, then falling with the square of
    the overspend to none at :data:`COST_ZERO_AT` budgets (10% over keeps 8.1, 50% over 2.5)."""
    if cost <= budget:
        return MAX_COST
    left = max(0.0, (COST_ZERO_AT * budget - cost) / ((COST_ZERO_AT - 1) * budget))
    return MAX_COST * left * left


def mistakes_points(tally: Tally, progress: float) -> float:
    """15 less the penalties; what is left is earned over the call, what is owed is owed in full."""
    left = MAX_MISTAKES - tally.penalty
    return progress * left if left >= 0 else max(MIN_MISTAKES, left)


def _progress(scenario: Scenario, tally: Tally) -> float:
    # Clean-play points are earned over the call: one abandoned after two of the four
    # expected steps keeps half, so giving up early never looks disciplined. Steps the
    # scenario never offers (no node of that step, no technique of it) are not expected.
    offered = offered_steps(scenario)
    return len(tally.steps_reached & offered) / len(offered) if offered else 1.0


def offered_steps(scenario: Scenario) -> frozenset[str]:
    """The four steps every call needs, as far as the scenario offers them (a node or a technique)."""
    key = (scenario.path, scenario.digest, scenario.technique_steps)
    steps = _OFFERED_CACHE.get(key)
    if steps is None:
        if len(_OFFERED_CACHE) > 1024:
            _OFFERED_CACHE.clear()
        present = scenario.technique_steps.union(node.step for node in scenario.nodes.values())
        steps = _OFFERED_CACHE[key] = _EXPECTED & present
    return steps


_EXPECTED = frozenset(ALWAYS_EXPECTED)
_OFFERED_CACHE: dict[tuple[str, str, frozenset[str]], frozenset[str]] = {}


def parts(scenario: Scenario, tally: Tally, outcome: str | None, outcome_points: float, mood: int,
          variant: str | None, catalog: Catalog) -> tuple[Part, ...]:
    """The six parts of the score for a finished tally, with the details a report shows."""
    saved = outcome in GOOD_OUTCOMES
    steps = _step_points(scenario, tally, catalog)
    spend = scenario.persona_for(variant).monthly_spend
    budget = scenario.save_budget_months * spend
    progress = _progress(scenario, tally)
    by_step = {step: {"earned": earned, "points": round(pts, 1), "max": round(top, 1)}
               for step, (pts, top, earned) in steps.items()}
    return (
        Part("techniques", sum(p for p, _, _ in steps.values()), MAX_TECHNIQUES, {"steps": by_step}),
        Part("mistakes", mistakes_points(tally, progress), MAX_MISTAKES,
             {"penalty": tally.penalty, "progress": progress, "undone_penalty": tally.undone_penalty}),
        Part("order", progress * max(0.0, MAX_ORDER - ORDER_PENALTY * tally.premature), MAX_ORDER,
             {"jumped_ahead": tally.premature, "progress": progress}),
        Part("outcome", float(outcome_points), MAX_OUTCOME, {"saved": saved}),
        Part("mood", MAX_MOOD * mood / 100, MAX_MOOD, {"final": mood}),
        Part("cost", cost_points(tally.cost, budget) if saved else 0.0, MAX_COST, {
            "cost": tally.cost, "monthly_spend": spend, "months": round(tally.cost / spend, 2),
            "budget_months": scenario.save_budget_months, "fair_cost": budget,
            "zero_at": COST_ZERO_AT * budget, "saved": saved,
        }),
    )


def bound(scenario: Scenario, tally: Tally, variant: str | None, catalog: Catalog, upper: bool) -> float:
    """The most (``upper``) or least a call could still score, given what it has shown so far.

    Sound but quick: it lets the path search skip calls that cannot beat what it found.
    """
    if not upper:
        # Only technique points are sure to stay (a refusal still to come may add a step and
        # thin every step's share, so take the smaller reading); mistakes may still cost the most.
        with_refusal = Tally(tally.techniques, refusal=True)
        techniques = min(_technique_points(scenario, tally, catalog),
                         _technique_points(scenario, with_refusal, catalog))
        return max(0.0, techniques + MIN_MISTAKES)  # totals never go below 0
    budget = scenario.save_budget_months * scenario.persona_for(variant).monthly_spend
    best_outcome = max(e.outcome_points for e in scenario.endings.values())
    return max(0.0, min(100.0, MAX_TECHNIQUES + mistakes_points(tally, 1.0)
                        + max(0.0, MAX_ORDER - ORDER_PENALTY * tally.premature) + best_outcome + MAX_MOOD
                        + cost_points(tally.cost, budget)))


def part_bound(scenario: Scenario, part_id: str, tally: Tally, variant: str | None, catalog: Catalog,
               upper: bool) -> float:
    """The most (``upper``) or least one part of the score can still become, given the tally."""
    if part_id == "techniques":
        return MAX_TECHNIQUES if upper else bound(scenario, tally, variant, catalog, False) - MIN_MISTAKES
    if part_id == "mistakes":
        return mistakes_points(tally, 1.0) if upper else MIN_MISTAKES
    if part_id == "order":
        return max(0.0, MAX_ORDER - ORDER_PENALTY * tally.premature) if upper else 0.0
    if part_id == "outcome":
        points = [e.outcome_points for e in scenario.endings.values()]
        return max(points) if upper else min(points)
    if part_id == "mood":
        return MAX_MOOD if upper else 0.0
    if part_id == "cost":
        budget = scenario.save_budget_months * scenario.persona_for(variant).monthly_spend
        return cost_points(tally.cost, budget) if upper else 0.0
    raise ValueError(f"unknown score part {part_id!r}")


PART_IDS = ("techniques", "mistakes", "order", "outcome", "mood", "cost")


def _technique_points(scenario: Scenario, tally: Tally, catalog: Catalog) -> float:
    # The hot path of every path search: the same numbers as _step_points, without the lists.
    steps = expected_steps(scenario, tally)
    if not steps:
        return 0.0
    per_step = MAX_TECHNIQUES / len(steps)
    weights = dict.fromkeys(steps, 0.0)
    techniques = catalog.techniques
    for t in tally.techniques:
        technique = techniques[t]
        if technique.step in weights:
            weights[technique.step] += technique.weight
    return sum(per_step * min(1.0, w / STEP_TARGET) for w in weights.values())


def total_of(score_parts: tuple[Part, ...]) -> int:
    """The 0–100 total of the parts."""
    return max(0, min(100, round(sum(p.points for p in score_parts))))


def final_total(scenario: Scenario, tally: Tally, outcome: str | None, outcome_points: float, mood: int,
                variant: str | None, catalog: Catalog) -> int:
    """The total alone, for path searches: the same sum as :func:`parts`, without the details."""
    saved = outcome in GOOD_OUTCOMES
    progress = _progress(scenario, tally)
    total = _technique_points(scenario, tally, catalog)
    total += mistakes_points(tally, progress)
    total += progress * max(0.0, MAX_ORDER - ORDER_PENALTY * tally.premature)
    total += outcome_points  # added one by one, in the order of parts(), so rounding agrees
    total += MAX_MOOD * mood / 100
    if saved:
        total += cost_points(tally.cost, scenario.save_budget_months * scenario.persona_for(variant).monthly_spend)
    return max(0, min(100, round(total)))
