"""Explainable, order-aware scoring of a call.

This module judges the answers, turn by turn, into a tally that :mod:`simulator.core.points`
turns into the six parts of a 0–100 score. The same per-turn tally (:func:`tally_turn`) feeds
both the trainee's score and the path search in :mod:`simulator.core.analysis`, so "best
achievable" means the same thing. An answer given before the customer's reason is known
jumps ahead of the five links (:func:`is_retention_move`) and costs order points.
Answers taken back with undo still count their mistakes (never their techniques), so undo
cannot launder a score; a classroom's explorations are reviewed but not charged. A typed
answer is scored from its words (:mod:`simulator.core.scoring_free`), then tallied the same way.
"""

from __future__ import annotations

from dataclasses import replace

from .catalog import Catalog, load_catalog
from .engine import State, Turn, Undone, transition
from .model import Node, Response, Scenario, Value
from .points import Tally, grade, parts, total_of

# The review's data classes are part of this module's interface (scoring.CallScore, scoring.Part...).
from .review import BEST_MATCHED, NONE_HIGHER
from .review import CallScore as CallScore
from .review import Part as Part
from .review import TurnReview as TurnReview
from .review import UndoneReview as UndoneReview
from .scoring_free import ECHO_SIMILARITY, as_said, author_notes, judge

PREMATURE = "premature_offer"
PROBE_STEP = "probe_reason"
BETTER_MARGIN = 0.5  # a written answer is suggested only when its value beats the turn's by more than this


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
