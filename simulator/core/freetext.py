"""Free-text answers: features of a typed answer, matching it to an authored response, the order rule.

Everything here is pure. The recogniser (``simulator.recogniser``, a shell package) loads a
model from disk and hands this module what it heard: a confidence per technique or mistake
id. This module then

- picks the authored response of the current node the typed text is closest to, blending
  the labels heard with text similarity (TF-IDF weighted character n-grams, weights passed
  in from the model), or says plainly that nothing is close enough (:class:`Match` with
  ``response`` None and what was understood), so the player asks "Did you mean …?" and
  never guesses silently;
- adds the order rule the text alone cannot know: an offer or counter-argument before the
  customer's reason is known is ``premature_offer``;
- records what was said (:meth:`Understanding.said`: the words, the ids heard with their
  confidences, how close the words are to the matched response), which the player passes
  to :meth:`Engine.choose`; :mod:`simulator.core.scoring_free` then scores the turn from it.

An empty answer never matches a response: there is nothing to play on from.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .catalog import Catalog
from .engine import Engine, Said, State
from .model import Response, Scenario
from .points import Tally
from .scoring import answered, reason_known_slot, tally_turn
from .scoring_free import offer_heard

PREMATURE = "premature_offer"
# Chosen on the paraphrase benchmark (benchmarks/recognise.py), tuned on one scenario's
# paraphrases and checked on two others': 95% matched right, 4% asked, under 1% wrong.
# Text similarity carries most of the weight; the labels heard separate answers worded alike.
MIN_SCORE = 0.20  # a response must reach this blended score to be played without asking
MIN_MARGIN = 0.02  # ...and lead the runner-up by this much; closer than that, the trainee picks
LABEL_SHARE = 0.2  # weight of label agreement against text similarity in the blend
# Labels alone never pick a response: the words must share this much with its text (TF-IDF
# cosine). A list of technique keywords agrees with many labels while resembling no answer;
# on the paraphrase benchmark no right match is below 0.125, so this costs none of them.
MIN_SIMILARITY = 0.12
# An answer this many times longer than the longest offered is a speech, not one answer: every
# response shares some words with it. The paraphrase benchmark's longest is 1.06 times.
MAX_LENGTH_FACTOR = 3.0

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ZH_KEEP = re.compile(r"[\u3400-\u9fff\uf900-\ufaffa-z0-9]+")


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """Which n-grams describe a text; the recogniser's training picks these by measurement."""

    char: tuple[int, int] = (2, 5)  # character n-gram sizes (inside word boundaries for English)
    words: tuple[int, int] = (1, 2)  # word n-gram sizes; (0, 0) for none
    zh_char: tuple[int, int] = (1, 3)  # character n-gram sizes for Chinese (no word boundaries)

    def as_json(self) -> dict:
        """Plain data, for the model file."""
        return {"char": list(self.char), "words": list(self.words), "zh_char": list(self.zh_char)}

    @staticmethod
    def from_json(data: Mapping) -> FeatureSpec:
        """The spec stored in a model file."""
        return FeatureSpec(tuple(data["char"]), tuple(data["words"]), tuple(data["zh_char"]))


def normalise(text: str) -> str:
    """Case, width and spacing folded, so 'Ｏｋ' and 'ok' or a stray double space read the same."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def features(text: str, lang: str, spec: FeatureSpec = FeatureSpec()) -> Counter[str]:
    """The n-gram counts of ``text`` in ``lang`` ('zh' or any other, read as English-like)."""
    text = normalise(text)
    found: Counter[str] = Counter()
    if lang == "zh":
        low, high = spec.zh_char
        for run in _ZH_KEEP.findall(text):
            for n in range(low, high + 1):
                found.update(run[i:i + n] for i in range(len(run) - n + 1))
        return found
    words = _WORD.findall(text)
    low, high = spec.char
    for word in words:
        padded = f" {word} "
        for n in range(low, high + 1):
            found.update(padded[i:i + n] for i in range(max(1, len(padded) - n + 1)))
    low, high = spec.words
    if high:
        for n in range(max(1, low), high + 1):
            found.update("w:" + " ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    # Chinese characters inside an English answer still count, one by one.
    found.update(_CJK.findall(text))
    return found


def vector(counts: Mapping[str, int], idf: Mapping[str, float] | None = None) -> dict[str, float]:
    """Sublinear TF-IDF weights, L2-normalised; features unknown to ``idf`` are dropped when it is given."""
    weights: dict[str, float] = {}
    for feature, count in counts.items():
        w = 1.0 if idf is None else idf.get(feature, 0.0)
        if w:
            weights[feature] = (1.0 + math.log(count)) * w
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {f: w / norm for f, w in weights.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The cosine of two normalised vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(f, 0.0) for f, w in a.items())


def label_agreement(heard: Mapping[str, float], labels: Iterable[str]) -> float:
    """How well the confidences heard fit a response's labels (a weighted Jaccard, 0–1).

    A response with no labels agrees with an answer in which nothing was heard.
    """
    labels = set(labels)
    inside = sum(heard.get(label, 0.0) for label in labels)
    outside = sum(c for label, c in heard.items() if label not in labels)
    if not labels:
        return max(0.0, 1.0 - max(heard.values(), default=0.0))
    return inside / (len(labels) + outside)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An authored response offered now: its index as written, its text in the call's language, its labels."""

    index: int
    text: str
    labels: tuple[str, ...]


EMPTY, TOO_LONG, UNCLEAR = "empty", "too_long", "unclear"  # why a typed answer matched nothing


@dataclass(frozen=True, slots=True)
class Match:
    """Which authored response a typed answer meant, or None with what was understood."""

    response: int | None  # index as written; None when nothing is close enough
    ranked: tuple[tuple[int, float], ...]  # (index, blended score), best first
    understood: tuple[str, ...]  # the ids heard, most confident first: for "I heard: …"
    similarities: tuple[tuple[int, float], ...] = ()  # (index, text similarity alone), as ``ranked``
    why: str = ""  # when nothing matched: EMPTY, TOO_LONG or UNCLEAR

    @property
    def suggestions(self) -> tuple[int, ...]:
        """Responses to offer when asking "Did you mean …?", best first."""
        return tuple(i for i, _ in self.ranked)

    def score_of(self, index: int) -> float:
        """The blended score of response ``index`` (0 when it was not a candidate)."""
        return dict(self.ranked).get(index, 0.0)

    def similarity_of(self, index: int) -> float:
        """How close the words are to response ``index``'s text alone (0–1)."""
        return dict(self.similarities).get(index, 0.0)


def heard_ids(confidences: Mapping[str, float], thresholds: Mapping[str, float],
              default: float = 0.5, floor: float | None = None) -> tuple[str, ...]:
    """The ids whose confidence reaches their threshold, most confident first.

    With ``floor``, when no id reaches its threshold, the id closest to its own threshold
    still counts if it reaches ``floor`` × that threshold: a trainee's answer nearly always
    shows something, and on the held-back corpus this recovers a few answers otherwise heard
    as nothing (micro-F1 +0.01).
    """
    found = [(c, label) for label, c in confidences.items() if c >= thresholds.get(label, default)]
    if not found and floor is not None and confidences:
        best = max(confidences, key=lambda label: (confidences[label] / thresholds.get(label, default), label))
        if confidences[best] >= floor * thresholds.get(best, default):
            found = [(confidences[best], best)]
    return tuple(label for _, label in sorted(found, key=lambda x: (-x[0], x[1])))


def match(typed: str, lang: str, candidates: Sequence[Candidate], confidences: Mapping[str, float],
          understood: Sequence[str] = (), idf: Mapping[str, float] | None = None,
          spec: FeatureSpec = FeatureSpec(), min_score: float = MIN_SCORE, min_margin: float = MIN_MARGIN) -> Match:
    """The authored response ``typed`` is closest to, blending label agreement and text similarity.

    ``confidences`` maps every id the recogniser knows to its confidence; ``idf`` are the
    model's feature weights (None: every n-gram weighs the same). No response is chosen when
    the best is below ``min_score``, within ``min_margin`` of the runner-up, or its text is less
    than :data:`MIN_SIMILARITY` like the words; nor for an empty answer, nor for one more than
    :data:`MAX_LENGTH_FACTOR` times as long as the longest response offered (``why`` says which).
    """
    typed_vec = vector(features(typed, lang, spec), idf)
    ranked, similar = [], {}
    for c in candidates:
        text_sim = cosine(typed_vec, vector(features(c.text, lang, spec), idf))
        blended = (1 - LABEL_SHARE) * text_sim + LABEL_SHARE * label_agreement(confidences, c.labels)
        ranked.append((c.index, round(blended, 6)))
        similar[c.index] = round(min(1.0, text_sim), 6)
    ranked.sort(key=lambda x: (-x[1], x[0]))
    chosen, why = None, ""
    longest = max((len(normalise(c.text)) for c in candidates), default=0)
    if not typed.strip():
        why = EMPTY
    elif len(normalise(typed)) > MAX_LENGTH_FACTOR * max(longest, 1):
        why = TOO_LONG
    elif (ranked and ranked[0][1] >= min_score and similar[ranked[0][0]] >= MIN_SIMILARITY
          and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= min_margin)):
        chosen = ranked[0][0]
    else:
        why = UNCLEAR
    return Match(chosen, tuple(ranked), tuple(understood), tuple((i, similar[i]) for i, _ in ranked), why)


def is_offer(labels: Iterable[str], catalog: Catalog) -> bool:
    """Whether the ids heard make an offer or counter-argument (a retention move)."""
    techniques = catalog.techniques
    return any(label in techniques and techniques[label].retention_move for label in labels)


def order_rule(heard: Sequence[str], reason_known: bool, catalog: Catalog) -> tuple[str, ...]:
    """The ids heard, plus ``premature_offer`` when an offer comes before the reason is known."""
    if not reason_known and PREMATURE not in heard and is_offer(heard, catalog):
        return tuple(heard) + (PREMATURE,)
    return tuple(heard)


def heard_response(matched: Response, heard: Sequence[str], catalog: Catalog) -> Response:
    """The matched response with its techniques and mistakes replaced by every id heard, unfiltered.

    Mood, branch, offer and effects stay the author's. The score of a typed turn applies the
    rules of :func:`simulator.core.scoring_free.judge` (confidence, step, cap, echo) instead.
    """
    techniques = tuple(label for label in heard if label in catalog.techniques)
    mistakes = tuple(label for label in heard if label in catalog.mistakes)
    return replace(matched, techniques=techniques, mistakes=mistakes, by_personality={})


def heard_line(heard: Sequence[str], catalog: Catalog, lang: str) -> str:
    """What the feedback says it heard: "empathy, open probe" in the call's language ("" for nothing)."""
    names = []
    for label in heard:
        entry = catalog.techniques.get(label) or catalog.mistakes.get(label)
        if entry is not None:
            names.append(entry.name.get(lang) or entry.name.get("en") or label)
    return ("、" if lang == "zh" else ", ").join(names)


def reason_known(scenario: Scenario, state: State, catalog: Catalog) -> bool:
    """Whether the customer's real reason is known at this point of the call, as the scorer sees it.

    The author's ``reason_known`` variable when the scenario declares one, else whether a
    probing technique has been shown so far.
    """
    slot = reason_known_slot(scenario)
    if slot is not None:
        return bool(state.values[slot])
    personality = scenario.persona_for(state.variant).personality
    tally = Tally()
    for turn in state.history:
        node = scenario.nodes[turn.node]
        response = answered(node, turn, personality, catalog)
        tally, _ = tally_turn(tally, node, response, state.values, state.values, None, catalog)
    return tally.reason_known


@dataclass(frozen=True, slots=True)
class Understanding:
    """What the simulator made of a typed answer at the current node."""

    match: Match
    heard: tuple[str, ...]  # the ids heard, the order rule's findings added
    line: str  # "Empathy, Open probe": for the feedback's "I heard: …"
    typed: str = ""  # the words as typed
    recognised: tuple[tuple[str, float], ...] = ()  # the recogniser's ids with their confidences (no order rule)

    def said(self, response: int | None = None) -> Said | None:
        """What to record with the turn (``Engine.choose(..., said=...)``) when it plays ``response``
        (default: the matched one); None when nothing was matched and none is given."""
        index = self.match.response if response is None else response
        if index is None:
            return None
        return Said(self.typed, self.recognised, self.match.similarity_of(index), self.match.score_of(index))


def understand(engine: Engine, state: State, typed: str, confidences: Mapping[str, float], heard: Sequence[str],
               catalog: Catalog, idf: Mapping[str, float] | None = None,
               spec: FeatureSpec = FeatureSpec()) -> Understanding:
    """Match a typed answer to the responses offered now and apply the order rule.

    ``confidences`` and ``heard`` come from the recogniser (a shell); the player then plays
    ``match.response`` (with :func:`heard_response` for scoring) or, when it is None, shows
    ``line`` and the offered responses and asks "Did you mean …?".
    """
    candidates = []
    for choice in engine.choices(state):
        r = engine.response(state, choice.response)
        candidates.append(Candidate(choice.response, choice.text, r.techniques + r.mistakes))
    recognised = tuple((label, float(confidences.get(label, 0.0))) for label in heard)
    # What the feedback says it heard follows the scorer's order rule (core.scoring_free): the
    # order, not the wording, decides whether an offer was premature.
    found = tuple(label for label in heard if label != PREMATURE)
    if not reason_known(engine.scenario, state, catalog) and offer_heard(recognised, catalog):
        found += (PREMATURE,)
    result = match(typed, state.language, candidates, confidences, found, idf, spec)
    # Undecodable input bytes arrive as lone surrogates, which no UTF-8 record can hold: keep them as '?'.
    kept = typed.encode("utf-8", "replace").decode("utf-8")
    return Understanding(result, found, heard_line(found, catalog, state.language), kept, recognised)
