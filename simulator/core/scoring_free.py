"""How a typed answer is scored: what the trainee's own words showed, at the moment they were said.

The one definition (docs/authoring.md, "Scoring a typed answer" says the same in prose):

1. **The call plays on from the matched response.** The authored response the words were
   matched to (:mod:`simulator.core.freetext`) decides the branch, the customer's reaction
   (mood), the variables it sets and the offer made with its cost.
2. **Typing the written answer is choosing it.** When the words are the matched response's
   own (text similarity at least :data:`ECHO_SIMILARITY`: pasted or copied with a slip), the
   turn scores exactly as the author tagged that response. So pasting an option can never
   score better than picking it, and the library's test-wiseness gate covers both.
3. **Otherwise the words are scored, not the option.**
   - A mistake counts when the recogniser heard it with confidence at least
     :data:`MISTAKE_CONFIDENCE`.
   - A technique counts when heard with confidence at least :data:`TECHNIQUE_CONFIDENCE`
     (credit needs a clear hearing) and it belongs to this moment of the call: its step is
     the node's step or a step some authored answer at this node shows.
   - Two weak signals that agree make a clear one: when the words closely resemble the matched
     response (similarity at least :data:`NEAR_SIMILARITY`) and that response shows a technique
     heard in them, :data:`CORROBORATED_CONFIDENCE` is enough. A near copy of a written answer
     then does not score far below it only because the recogniser was unsure, and it can still
     earn no more than that answer shows (a technique the recogniser did not hear stays unearned).
   - At most as many techniques count as the richest authored answer at this node shows,
     the most confident first: reciting every technique's keywords earns no more than the
     best written answer, and the branch still follows the answer the words matched.
   - An empty answer shows nothing.
4. **The order rule**: an offer or counter-argument before the customer's reason is known is
   ``premature_offer``, whether it is the matched response's offer or heard in the words (a
   retention technique at :data:`TECHNIQUE_CONFIDENCE` or more, counted or not, or words that
   sound like an early offer at :data:`MISTAKE_CONFIDENCE`). Once the reason is known, no
   offer is premature, whatever the words sound like: the order decides, not the wording.

Pure: the confidences were recorded with the turn (:class:`simulator.core.engine.Said`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .catalog import Catalog
from .engine import Said
from .model import Node, Response

PREMATURE = "premature_offer"
ECHO_SIMILARITY = 0.9  # words this close to the matched response's text are that response
# Measured on the 544 paraphrases of authored answers (`make bench`, benchmarks/recognise.py section 5,
# with the shipped recogniser: n-grams and meaning joined, whose confidence 0.5 is "heard"), step and
# cap rules applied, credit compared with the author's tags (recall / precision): techniques at 0.3
# en 0.79 / 0.77, zh 0.82 / 0.80; at 0.4 en 0.75 / 0.80, zh 0.81 / 0.81; at 0.5 en 0.72 / 0.82, zh
# 0.80 / 0.84; at 0.6 en 0.70 / 0.83, zh 0.78 / 0.85. F1 is flat from 0.3 to 0.5; 0.4 keeps the balance
# while leaning against false credit.
TECHNIQUE_CONFIDENCE = 0.4  # a technique earns credit only when heard at least this surely
# Mistakes charged, same measurement: at 0.3 en 0.83 / 0.84, zh 0.81 / 0.86; at 0.4 en 0.77 / 0.87,
# zh 0.76 / 0.90; at 0.5 en 0.73 / 0.91, zh 0.72 / 0.94: 0.3 has the best F1 in both languages and
# misses fewest of the mistakes an instructor would mark.
MISTAKE_CONFIDENCE = 0.3  # a mistake is charged when heard at least this surely
# Same paraphrases, only those matched to their own answer, recorded as the player records them (the ids
# the model heard), techniques credited recall / precision: without this rule en 0.746 / 0.828, zh 0.825 /
# 0.862; with it at 0.4 and 0.2 en 0.784 / 0.835, zh the same (at 0.3 and 0.2 en 0.793 / 0.836, at 0.5
# en 0.767 / 0.832). A paraphrase's truth is its answer's tags, so this shows what the rule recovers, not
# what it could wrongly give: 0.4 keeps it to words sharing much of the answer's wording (median: en 0.46).
NEAR_SIMILARITY = 0.4  # words at least this close to the matched response are a near copy of it
CORROBORATED_CONFIDENCE = 0.2  # ...and a technique that response shows counts when heard this surely

# Why a technique heard in the words did not count (keys of the feedback's explanation).
UNSURE, OFF_STEP, OVER_CAP = "unsure", "off_step", "over_cap"


@dataclass(frozen=True, slots=True)
class TypedScoring:
    """What one typed answer is scored with, and why anything heard was left out."""

    echo: bool  # the words were the matched response's own: scored as the author tagged it
    techniques: tuple[str, ...]  # credited
    mistakes: tuple[str, ...]  # charged (the order rule's premature_offer is added by the scorer)
    left_out: tuple[tuple[str, str], ...] = ()  # (technique id, UNSURE | OFF_STEP | OVER_CAP)
    offer_heard: bool = False  # a retention move (offer, counter-argument) was heard surely: for the order rule


def node_steps(node: Node, personality: str, catalog: Catalog) -> frozenset[str]:
    """The steps a technique may belong to at ``node``: its own, and those its authored answers show."""
    steps = {node.step}
    for written in node.responses:
        steps.update(catalog.techniques[t].step for t in written.for_personality(personality).techniques)
    return frozenset(steps)


def technique_cap(node: Node, personality: str) -> int:
    """The most techniques one answer can earn at ``node``: as many as its richest authored answer shows."""
    return max((len(r.for_personality(personality).techniques) for r in node.responses), default=0)


def offer_heard(heard, catalog: Catalog) -> bool:
    """Whether ``heard`` ((id, confidence) pairs) makes an offer or counter-argument, for the order rule:
    a retention technique at :data:`TECHNIQUE_CONFIDENCE`, or words that sound like an early offer
    (``premature_offer``) at :data:`MISTAKE_CONFIDENCE`."""
    for label, confidence in heard:
        technique = catalog.techniques.get(label)
        if label == PREMATURE and confidence >= MISTAKE_CONFIDENCE:
            return True
        if technique is not None and technique.retention_move and confidence >= TECHNIQUE_CONFIDENCE:
            return True
    return False


def judge(node: Node, matched: Response, said: Said, personality: str, catalog: Catalog) -> TypedScoring:
    """Score a typed answer's words at ``node`` (``matched``: the authored response, personality-resolved)."""
    if said.similarity >= ECHO_SIMILARITY:
        return TypedScoring(True, matched.techniques, matched.mistakes)
    if not said.text.strip():
        return TypedScoring(False, (), ())
    steps = node_steps(node, personality, catalog)
    cap = technique_cap(node, personality)
    corroborated = set(matched.techniques) if said.similarity >= NEAR_SIMILARITY else set()
    credited: list[str] = []
    charged: list[str] = []
    left_out: list[tuple[str, str]] = []
    for label, confidence in sorted(said.heard, key=lambda item: (-item[1], item[0])):
        if label == PREMATURE:  # the order decides whether an offer was premature, not the words
            continue
        if label in catalog.mistakes:
            if confidence >= MISTAKE_CONFIDENCE and label not in charged:
                charged.append(label)
            continue
        technique = catalog.techniques.get(label)
        if technique is None or label in credited:
            continue
        if confidence < (CORROBORATED_CONFIDENCE if label in corroborated else TECHNIQUE_CONFIDENCE):
            left_out.append((label, UNSURE))
        elif technique.step not in steps:
            left_out.append((label, OFF_STEP))
        elif len(credited) >= cap:
            left_out.append((label, OVER_CAP))
        else:
            credited.append(label)
    return TypedScoring(False, tuple(credited), tuple(charged), tuple(left_out), offer_heard(said.heard, catalog))


def as_said(node: Node, matched: Response, said: Said, personality: str, catalog: Catalog,
            reason_known: bool = True) -> Response:
    """The matched response as the trainee said it: the author's branch, mood, effects and offer, with the
    techniques and mistakes :func:`judge` found in the words. The scorer tallies this like any answer.

    ``reason_known``: whether the customer's reason was known when the words were said; when it
    was not, an offer heard in them is ``premature_offer`` even if it earned no credit.
    """
    verdict = judge(node, matched, said, personality, catalog)
    if verdict.echo:
        return matched
    mistakes = verdict.mistakes
    if verdict.offer_heard and not reason_known and PREMATURE not in mistakes:
        mistakes += (PREMATURE,)
    return replace(matched, techniques=verdict.techniques, mistakes=mistakes, by_personality={})


def author_notes(said_as: Response, said_premature: bool, written: Response,
                 written_premature: bool) -> tuple[bool, bool]:
    """Whether the author's notes on the written answer speak for typed words scored as ``said_as``
    (``*_premature``: the order rule's finding for each at that moment): its feedback when the words
    scored as the answer is tagged (the same techniques and mistakes, some), its "instead" then too, or when
    the words made a mistake that answer makes. Otherwise the notes are about the written answer only.
    """
    made = set(said_as.mistakes) | ({PREMATURE} if said_premature else set())
    tagged = set(written.mistakes) | ({PREMATURE} if written_premature else set())
    # Nothing earned and nothing tagged is no agreement: the author's note then judges something untagged
    # (a script, a ramble) that cannot be told from the words.
    as_written = set(said_as.techniques) == set(written.techniques) and made == tagged and bool(made or tagged
                                                                                                 or written.techniques)
    return as_written, as_written or bool(made & tagged)
