"""The test-wiseness audit: can a trainee score by reading the answers' form instead of the customer?

Content-free policies (always the longest answer, always the shortest, the first or last as
written, ...) play every language and variant of a scenario; a policy that keeps the customer,
or scores within :data:`CUE_MARGIN` points of the best call, means the answers give themselves
away. The share of turns where the best-valued answer is also the longest measures the most
common tell directly.

"Best-valued", precisely: at every node offering two or more answers (conditions ignored: every
answer as written counts), each answer is valued with :func:`scoring.answer_value` for the
variant's personality, with the premature rule applied as the node's step implies it: a
retention move (an offer, or a retention technique) at a ``build_trust`` or ``probe_reason``
node is premature, as is any answer the author tagged ``premature_offer``. A turn counts when
the longest answer (in characters of the call's language, persona fields filled; ties go to
the first written, as the longest-answer policy breaks them) has the top value of its node.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .analysis import Path, optimise, total_goal
from .catalog import Catalog, load_catalog
from .diagnostics import Diagnostic, make
from .engine import Engine, State
from .model import GOOD_OUTCOMES, Scenario
from .playthroughs import run as run_playthrough
from .scoring import PREMATURE, is_retention_move, score
from .text import fill, pick

CUE_MARGIN = 40  # a content-free policy this close to the best call is a tell
LONGEST_SHARE = 0.4  # the best answer may be the longest in at most this share of turns
EARLY_STEPS = frozenset({"build_trust", "probe_reason"})  # the reason is not known yet here
BEST_BUDGET = 200_000  # search steps for the best call before declared playthroughs stand in
_TITLES = ("先生", "女士", "小姐", "太太", "阿姨", "叔", "总", "老师", "经理", "姐", "哥")
_QUESTION = ("?", "？")

Chooser = Callable[[list[str], str], int]  # (texts of the offered answers, customer's name) -> position


def _longest(texts: list[str], _name: str) -> int:
    return max(range(len(texts)), key=lambda i: (len(texts[i]), -i))


def _shortest(texts: list[str], _name: str) -> int:
    return min(range(len(texts)), key=lambda i: (len(texts[i]), i))


def _second_longest(texts: list[str], _name: str) -> int:
    ranked = sorted(range(len(texts)), key=lambda i: (-len(texts[i]), i))
    return ranked[min(1, len(ranked) - 1)]


def _longest_with(cue: Callable[[str], bool]) -> Chooser:
    # A test-wise trainee stacks cues: the longest answer showing the cue, else the longest.
    def choose(texts: list[str], name: str) -> int:
        marked = [i for i, text in enumerate(texts) if cue(text, name)]
        if not marked:
            return _longest(texts, name)
        return max(marked, key=lambda i: (len(texts[i]), -i))
    return choose


def names_customer(text: str, name: str) -> bool:
    """True when ``text`` addresses the customer by name.

    The full name, any word of it (Latin script), or a name without spaces whose family
    name (first character) is followed by a title such as 先生 or 女士.
    """
    name = name.strip()
    if not name:
        return False
    if name in text:
        return True
    if " " in name:
        return any(re.search(rf"\b{re.escape(word)}\b", text) for word in name.split() if len(word) > 1)
    return any(name[0] + title in text for title in _TITLES)


POLICIES: dict[str, Chooser] = {
    "longest": _longest,
    "shortest": _shortest,
    "first": lambda texts, _name: 0,  # offered in the order written (no shuffle)
    "last": lambda texts, _name: len(texts) - 1,
    "second_longest": _second_longest,
    "question": _longest_with(lambda text, _name: any(q in text for q in _QUESTION)),
    "names_customer": _longest_with(lambda text, name: names_customer(text, name)),
}


# How a warning names each policy: "always choosing {label}".
LABELS = {
    "longest": "the longest answer", "shortest": "the shortest answer",
    "first": "the first answer as written", "last": "the last answer as written",
    "second_longest": "the second-longest answer",
    "question": "the longest answer with a question mark",
    "names_customer": "the longest answer naming the customer",
}


@dataclass(frozen=True, slots=True)
class Play:
    """One content-free policy played through one language and variant."""

    policy: str
    language: str
    variant: str | None
    score: int
    ending: str
    outcome: str
    path: Path


@dataclass(frozen=True, slots=True)
class LengthCue:
    """How often the best-valued answer is also the longest, in one language and variant."""

    language: str
    variant: str | None
    hits: int
    turns: int
    first_hit: tuple[int, int] | None  # position of the first such longest answer

    @property
    def share(self) -> float:
        """Hits over turns (0 when no node offers a choice)."""
        return self.hits / self.turns if self.turns else 0.0

    @property
    def tell(self) -> bool:
        """True when the best answer is the longest too often (AN004)."""
        return self.share > LONGEST_SHARE


@dataclass(frozen=True, slots=True)
class Best:
    """The best call of a variant, as the audit compares policies with it."""

    score: int
    source: str  # "exact" (proven best), "search" (best found, not proven) or "playthrough" (declared)


@dataclass
class CueReport:
    """The whole test-wiseness audit of a scenario."""

    plays: list[Play]
    lengths: list[LengthCue]
    best: dict[str | None, Best]
    warnings: list[tuple[Diagnostic, Path | None]] = field(default_factory=list)


def is_tell(play: Play, best: Best) -> bool:
    """True when a content-free policy keeps the customer or comes within the margin of the best call (AN003)."""
    return play.outcome in GOOD_OUTCOMES or play.score >= best.score - CUE_MARGIN


def play_policy(scenario: Scenario, policy: str, language: str, variant: str | None = None,
                catalog: Catalog | None = None, engine: Engine | None = None) -> Play:
    """Play ``policy`` from the start to an ending (the turn limit guarantees one).

    One path, so the work grows with the call's turns, not the scenario's size (pass the
    ``engine`` of the scenario when playing many policies: building one reads every node).
    """
    engine = engine or Engine(scenario)
    choose = POLICIES[policy]
    state: State = engine.start(language, 0, variant, shuffle=False)
    name = engine.persona_fields(state)["name"]
    while not state.over:
        offered = engine.options(state)
        node = scenario.nodes[state.node]
        texts = [engine.say(state, node.responses[i].text) for i in offered]
        state = engine.choose_response(state, offered[choose(texts, name)])
    result = score(scenario, state, catalog)
    path = Path(tuple(t.response for t in state.history), state.ending, result.total,
                tuple(t.node for t in state.history))
    return Play(policy, language, variant, result.total, state.ending, result.outcome, path)


def length_cue(scenario: Scenario, language: str, variant: str | None = None,
               catalog: Catalog | None = None) -> LengthCue:
    """Count the nodes whose longest answer is also best-valued (see the module's definition)."""
    return length_cues(scenario, [language], variant, catalog)[0]


def length_cues(scenario: Scenario, languages: list[str], variant: str | None = None,
                catalog: Catalog | None = None, engine: Engine | None = None) -> list[LengthCue]:
    """:func:`length_cue` for each of ``languages``, reading every answer once: the values do not
    depend on the language, only the lengths do."""
    catalog = catalog or load_catalog()
    engine = engine or Engine(scenario)
    states = [engine.start(language, 0, variant, shuffle=False) for language in languages]
    fields = [engine.persona_fields(state) for state in states]
    personality = engine.personality(states[0])
    hits = [0] * len(languages)
    first_hit: list[tuple[int, int] | None] = [None] * len(languages)
    turns = 0
    # answer_value taken apart, each part worked out once per reading (the same sums in the same
    # order, so the values are equal to the last bit): techniques, mistakes, a retention move.
    shown: dict[tuple[str, ...], float] = {}
    made: dict[tuple[str, ...], float] = {}
    moving: dict[tuple[tuple[str, ...], bool], bool] = {}  # (techniques, an offer) -> a retention move
    jumped = catalog.mistakes[PREMATURE].penalty / 2.5 if PREMATURE in catalog.mistakes else 0.0
    for node in scenario.nodes.values():
        if len(node.responses) < 2:
            continue
        resolved = [written.for_personality(personality) if written.by_personality else written
                    for written in node.responses]
        early = node.step in EARLY_STEPS
        values = []
        for r in resolved:
            value = shown.get(r.techniques)
            if value is None:
                value = shown[r.techniques] = sum(catalog.techniques[t].weight for t in r.techniques) * 2
            fine = made.get(r.mistakes)
            if fine is None:
                fine = made[r.mistakes] = sum(catalog.mistakes[m].penalty for m in r.mistakes) / 2.5
            value -= fine
            if early and PREMATURE not in r.mistakes:
                key = (r.techniques, r.offer is not None)
                retention = moving.get(key)
                if retention is None:
                    retention = moving[key] = is_retention_move(r, catalog)
                if retention:
                    value -= jumped
            values.append(value + r.mood / 10)
        top = max(values)
        turns += 1
        for k, language in enumerate(languages):
            texts = [r.text.get(language) if r.text else None for r in resolved]
            if None in texts:
                texts = [pick(r.text, language) if text is None else text
                         for r, text in zip(resolved, texts, strict=True)]
            sizes = [len(fill(text, fields[k])) if "{" in text else len(text) for text in texts]
            longest = sizes.index(max(sizes))  # the first of the longest, as the longest-answer policy picks
            if values[longest] >= top:
                hits[k] += 1
                first_hit[k] = first_hit[k] or node.responses[longest].pos
    return [LengthCue(language, variant, hits[k], turns, first_hit[k]) for k, language in enumerate(languages)]


def best_call(scenario: Scenario, variant: str | None = None, catalog: Catalog | None = None,
              budget: int = BEST_BUDGET) -> Best:
    """The best call's score: proven by the path search when it finishes within ``budget``;
    otherwise the better of the search's best so far and the declared playthroughs of the variant."""
    catalog = catalog or load_catalog()
    found = optimise(scenario, total_goal(scenario, variant, catalog), True, variant, budget, catalog)
    searched = found.path.score if found.path else 0
    if found.exact:
        return Best(searched, "exact")
    declared = [r.score for p in scenario.playthroughs if p.variant == variant
                for r in [run_playthrough(scenario, p, p.lang or scenario.languages[0])] if r.score is not None]
    top = max(declared, default=-1)
    return Best(top, "playthrough") if top > searched else Best(searched, "search")


def audit_cues(scenario: Scenario, catalog: Catalog | None = None, budget: int = BEST_BUDGET,
               engine: Engine | None = None) -> CueReport:
    """Every policy and the length cue in every language and variant, with the warnings they raise
    (pass the ``engine`` of the scenario if one is at hand: building one reads every node)."""
    catalog = catalog or load_catalog()
    variants = [None, *scenario.variants]
    best = {v: best_call(scenario, v, catalog, budget) for v in variants}
    report = CueReport([], [], best)
    engine = engine or Engine(scenario)  # one for every play
    for variant in variants:
        cues = length_cues(scenario, list(scenario.languages), variant, catalog, engine)
        for language, cue in zip(scenario.languages, cues, strict=True):
            where = _label(language, variant)
            for policy in POLICIES:
                play = play_policy(scenario, policy, language, variant, catalog, engine)
                report.plays.append(play)
                if is_tell(play, best[variant]):
                    first = play.path.nodes[0], play.path.responses[0]
                    line, col = scenario.nodes[first[0]].responses[first[1]].pos
                    report.warnings.append((make(
                        "AN003", scenario.path, line, col, policy=LABELS[policy], where=where,
                        ending=play.ending, outcome=play.outcome, score=play.score, best=best[variant].score,
                        margin=CUE_MARGIN), play.path))
            report.lengths.append(cue)
            if cue.tell:
                line, col = cue.first_hit
                report.warnings.append((make(
                    "AN004", scenario.path, line, col, hits=cue.hits, turns=cue.turns, where=where,
                    share=f"{cue.share:.0%}", limit=f"{LONGEST_SHARE:.0%}"), None))
    return report


def _label(language: str, variant: str | None) -> str:
    return f"{language}, variant '{variant}'" if variant else language
