"""Explainable, order-aware scoring of a call.

A call scores 0–100 from six parts: techniques by step (35), mistakes (15), keeping the
five links in order (10), outcome (20), final mood (10) and the cost of the save (10).
The same per-turn tally (:func:`tally_turn`) feeds both the trainee's score and the path
search in :mod:`simulator.core.analysis`, so "best achievable" means the same thing.
Answers taken back with undo still count their mistakes (never their techniques), so undo
cannot launder a score; a classroom's explorations are reviewed but not charged. A typed
answer is scored from its words (:mod:`simulator.core.scoring_free`), then tallied the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .catalog import Catalog, load_catalog
from .engine import State, Turn, Undone, transition
from .model import GOOD_OUTCOMES, STEPS, Node, Response, Scenario, Value

# The review's data classes are part of this module's interface (scoring.CallScore, scoring.Part...).
from .review import BEST_MATCHED, NONE_HIGHER
from .review import CallScore as CallScore
from .review import Part as Part
from .review import TurnReview as TurnReview
from .review import UndoneReview as UndoneReview
from .scoring_free import ECHO_SIMILARITY, as_said, author_notes, judge

MAX_TECHNIQUES, MAX_MISTAKES, MAX_ORDER, MAX_OUTCOME, MAX_MOOD, MAX_COST = 35, 15, 10, 20, 10, 10
MIN_MISTAKES = -30  # mistakes beyond the part's 15 points come off the rest of the score
STEP_TARGET = 2.0  # technique weight that fills a step: two default-weight techniques
ORDER_PENALTY = 5  # per turn that jumped ahead of the five links
COST_ZERO_AT = 2.0  # a save costing this many budgets or more keeps no cost points
ALWAYS_EXPECTED = ("build_trust", "probe_reason", "propose", "close")
PREMATURE = "premature_offer"
PROBE_STEP = "probe_reason"
BETTER_MARGIN = 0.5  # a written answer is suggested only when its value beats the turn's by more than this


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


def is_retention_move(response: Response, catalog: Catalog) -> bool:
    """An offer or counter-argument: it belongs after the reason is known."""
    return response.offer is not None or any(catalog.techniques[t].retention_move for t in response.techniques)


def reason_known_slot(scenario: Scenario) -> int | None:
    """Slot of the author's ``reason_known`` variable, if the scenario declares one."""
    return scenario.variables.index("reason_known") if "reason_known" in scenario.variables else None


def tally_turn(tally: Tally, node: Node, response: Response, values_before: tuple[Value, ...],
               values_after: tuple[Value, ...], known_slot: int | None, catalog: Catalog) -> tuple[Tally, bool]:
    """Add one answered turn to the tally; also return whether it jumped ahead (premature)."""
    techniques = catalog.techniques
    mistakes = catalog.mistakes
    known = bool(values_before[known_slot]) if known_slot is not None else tally.reason_known
    premature = (not known and is_retention_move(response, catalog)) or PREMATURE in response.mistakes
    penalty = tally.penalty + sum(mistakes[m].penalty for m in response.mistakes)
    if premature and PREMATURE not in response.mistakes:
        penalty += mistakes[PREMATURE].penalty  # the scorer's own finding, untagged by the author
    if known_slot is not None:
        known_after = bool(values_after[known_slot])
    else:
        known_after = known or any(techniques[t].step == PROBE_STEP for t in response.techniques)
    return Tally(
        techniques=tally.techniques.union(response.techniques) if response.techniques else tally.techniques,
        penalty=penalty,
        mistakes=tally.mistakes + len(response.mistakes) + (premature and PREMATURE not in response.mistakes),
        premature=tally.premature + premature,
        cost=tally.cost + (response.offer.cost if response.offer else 0.0),
        refusal=tally.refusal or node.step == "resolve_refusal",
        reason_known=known_after,
        steps_reached=tally.steps_reached.union([node.step], (techniques[t].step for t in response.techniques)),
    ), premature


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


def answer_value(response: Response, premature: bool, catalog: Catalog) -> float:
    """A single answer's own quality: techniques shown, mistakes made, mood moved."""
    value = sum(catalog.techniques[t].weight for t in response.techniques) * 2
    value -= sum(catalog.mistakes[m].penalty for m in response.mistakes) / 2.5
    if premature and PREMATURE not in response.mistakes:
        value -= catalog.mistakes[PREMATURE].penalty / 2.5
    return value + response.mood / 10


def score(scenario: Scenario, state: State, catalog: Catalog | None = None) -> CallScore:
    """Score a call (finished or not) and review every turn."""
    catalog = catalog or load_catalog()
    personality = scenario.persona_for(state.variant).personality
    known_slot = reason_known_slot(scenario)
    tally = Tally()
    values = scenario.initial_values
    reviews: list[TurnReview] = []
    for number, turn in enumerate(state.history, start=1):
        node = scenario.nodes[turn.node]
        known_before = tally.reason_known if known_slot is None else bool(values[known_slot])
        response = answered(node, turn, personality, catalog, known_before)
        after = _apply_effects(values, response)
        tally, premature = tally_turn(tally, node, response, values, after, known_slot, catalog)
        value = answer_value(response, premature, catalog)
        better, advice = _better(node, turn, personality, known_before, value, catalog)
        written = node.responses[turn.response].for_personality(personality)
        notes = (True, True) if turn.said is None or turn.said.similarity >= ECHO_SIMILARITY else author_notes(
            response, premature, written, not known_before and is_retention_move(written, catalog))
        reviews.append(TurnReview(
            number, turn.node, node.step, turn.response, response.techniques, response.mistakes,
            (PREMATURE,) if premature and PREMATURE not in response.mistakes else (),
            turn.mood_before, turn.mood_after, turn.elapsed_ms,
            response.offer.cost if response.offer else 0.0, value, better, not premature,
            turn.said, _left_out(node, turn, personality, catalog), advice, *notes,
        ))
        values = after
    undone = []
    for order, record in enumerate(state.undone, start=1):
        node, response, premature = _undone_moment(scenario, record, state.variant, known_slot, catalog, state.history)
        before = tally.penalty
        if not record.explored:
            tally = charge_undone(tally, response, premature, catalog)
        undone.append(UndoneReview(
            record.number, order, node.id, record.turn.response, response.techniques, response.mistakes,
            (PREMATURE,) if premature and PREMATURE not in response.mistakes else (), record.explored,
            tally.penalty - before, record.turn.elapsed_ms, record.turn.said))
    ending = scenario.endings.get(state.ending) if state.ending else None
    score_parts = parts(scenario, tally, ending.outcome if ending else None,
                        ending.outcome_points if ending else 0, state.mood, state.variant, catalog)
    total = total_of(score_parts)
    return CallScore(total, grade(total), score_parts, tuple(reviews), state.ending,
                     ending.outcome if ending else None, tuple(undone))


def answered(node: Node, turn: Turn, personality: str, catalog: Catalog, reason_known: bool = True) -> Response:
    """The response a turn is scored with: the one chosen, or for a typed answer the matched one as said
    (``reason_known`` at that moment: an offer heard before it is premature)."""
    response = node.responses[turn.response].for_personality(personality)
    if turn.said is None:
        return response
    return as_said(node, response, turn.said, personality, catalog, reason_known)


def _left_out(node: Node, turn: Turn, personality: str, catalog: Catalog) -> tuple[tuple[str, str], ...]:
    if turn.said is None:
        return ()
    return judge(node, node.responses[turn.response].for_personality(personality), turn.said, personality,
                 catalog).left_out


def charge_undone(tally: Tally, response: Response, premature: bool, catalog: Catalog) -> Tally:
    """Add a taken-back answer's mistakes (and a premature offer's jump ahead) to the tally;
    its techniques, offer and steps do not count."""
    auto = premature and PREMATURE not in response.mistakes
    penalty = sum(catalog.mistakes[m].penalty for m in response.mistakes)
    penalty += catalog.mistakes[PREMATURE].penalty if auto else 0.0
    return replace(tally, penalty=tally.penalty + penalty, mistakes=tally.mistakes + len(response.mistakes) + auto,
                   premature=tally.premature + premature, undone_penalty=tally.undone_penalty + penalty)


def _undone_moment(scenario: Scenario, record: Undone, variant: str | None, known_slot: int | None,
                   catalog: Catalog, history: tuple[Turn, ...] = ()) -> tuple[Node, Response, bool]:
    # Replay the answers that stood before it, so "premature" means what it meant when it was said.
    # An answer still standing in the call is replayed as it was given (typed words scored as said).
    persona = scenario.persona_for(variant)
    personality, mood = persona.personality, persona.mood
    tally, values, turn, node_id = Tally(), scenario.initial_values, 0, scenario.start
    for i, index in enumerate(record.before):
        node = scenario.nodes[node_id]
        given = history[i] if i < len(history) else None
        if given is not None and (given.node, given.response) == (node_id, index):
            response = answered(node, given, personality, catalog, _known(tally, values, known_slot))
        else:
            response = node.responses[index].for_personality(personality)
        node_id, after, mood, turn = transition(scenario, response, values, mood, turn)
        tally, _ = tally_turn(tally, node, response, values, after, known_slot, catalog)
        values = after
    node = scenario.nodes[record.turn.node]
    response = answered(node, record.turn, personality, catalog, _known(tally, values, known_slot))
    _, premature = tally_turn(tally, node, response, values, _apply_effects(values, response), known_slot, catalog)
    return node, response, premature


def _known(tally: Tally, values: tuple[Value, ...], known_slot: int | None) -> bool:
    return tally.reason_known if known_slot is None else bool(values[known_slot])


def _apply_effects(values: tuple[Value, ...], response: Response) -> tuple[Value, ...]:
    if not (response.set or response.add):
        return values
    new = list(values)
    for slot, value in response.set:
        new[slot] = value
    for slot, delta in response.add:
        new[slot] = new[slot] + delta
    return tuple(new)


def _better(node: Node, turn: Turn, personality: str, known: bool, chosen: float,
            catalog: Catalog) -> tuple[int | None, str]:
    """The written answer to suggest (the best offered, if it beats ``chosen``, the turn's value as scored, by
    more than :data:`BETTER_MARGIN`), and for typed words why none is (review.BEST_MATCHED or NONE_HIGHER).

    Like with like: each offered answer's value as written, at this node and moment. A chosen answer (or
    words echoing it) is not compared with itself; typed words are compared with every answer, the one
    they matched included, and when that is the best it is no "better" advice: the words meant it.
    """
    typed = turn.said is not None and turn.said.similarity < ECHO_SIMILARITY
    best, best_value = None, float("-inf")
    for index in turn.shown:
        if index == turn.response and not typed:
            continue
        alt = node.responses[index].for_personality(personality)
        value = answer_value(alt, not known and is_retention_move(alt, catalog), catalog)
        if value > best_value or (value == best_value and index == turn.response):  # a tie: the words' own
            best, best_value = index, value
    if best is not None and best_value > chosen + BETTER_MARGIN:
        if typed and best == turn.response:
            return None, BEST_MATCHED
        return best, ""
    return None, NONE_HIGHER if typed else ""
