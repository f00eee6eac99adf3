"""The scenario model: plain, immutable data classes built by the loader.

Every element keeps ``pos`` (line, column in its file) so that later checks and tools can
point at it, the way a compiler's AST nodes keep their line numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .text import Text, pick

Pos = tuple[int, int]
Value = bool | int

STEPS = ("build_trust", "probe_reason", "propose", "resolve_refusal", "close")
CATEGORIES = ("churn_threat", "complaint", "competitor_offer")
DIFFICULTIES = ("beginner", "intermediate", "advanced")
SEGMENTS = ("vip", "high_end", "mass")
LIFECYCLE_STAGES = ("onboarding", "growth", "maturity", "decline", "churn")
PERSONALITIES = ("dominant", "analytical", "expressive", "amiable")
CHURN_CATEGORIES = ("natural", "malicious", "competitive", "fault")
VALUE_ORIENTATIONS = ("speed", "courtesy", "value_for_money", "reliability", "flexibility", "personal_attention")
EMOTIONS = ("angry", "annoyed", "anxious", "skeptical", "hesitant", "neutral", "calm", "sad", "pleased", "happy")
OUTCOMES = ("retained", "resolved", "downgraded", "escalated", "churned")
GOOD_OUTCOMES = ("retained", "resolved", "downgraded")
OUTCOME_POINTS = {"retained": 20, "resolved": 20, "downgraded": 12, "escalated": 6, "churned": 0}
BUILTIN_VARIABLES = ("mood", "turn", "mistakes")
MISTAKES_VARIABLE = "mistakes"  # counts the mistakes tagged on the answers so far; always the last slot
TURN_LIMIT_ENDING = "_turn_limit"

# A compiled condition: (variables tuple, mood, turn) -> bool
Test = Callable[[tuple, int, int], bool]


@dataclass(frozen=True, slots=True)
class Condition:
    """All of ``terms`` must hold. A term is (variable, operator, value)."""

    terms: tuple[tuple[str, str, Value], ...]
    test: Test
    pos: Pos


@dataclass(frozen=True, slots=True)
class Branch:
    """One arm of a conditional ``next``; ``when`` None means always."""

    when: Condition | None
    goto: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Offer:
    """An offer made by a response, and what it costs the company in total."""

    cost: float
    label: Text | None


@dataclass(frozen=True, slots=True)
class Response:
    """What the trainee can say at a node, and what it does.

    ``by_personality`` holds fully resolved copies of this response for each personality
    that overrides something, so the engine never merges at play time.
    """

    index: int
    text: Text
    techniques: tuple[str, ...]
    mistakes: tuple[str, ...]
    mood: int
    feedback: Text
    instead: Text | None
    next: tuple[Branch, ...]
    when: Condition | None
    set: tuple[tuple[int, Value], ...]  # (variable slot, value)
    add: tuple[tuple[int, int], ...]
    offer: Offer | None
    pos: Pos
    by_personality: dict[str, Response] = field(default_factory=dict)

    def for_personality(self, personality: str) -> Response:
        """This response as it plays with a customer of ``personality``."""
        return self.by_personality.get(personality, self)


@dataclass(frozen=True, slots=True)
class Node:
    """A moment of the call: the customer's line and the trainee's possible answers."""

    id: str
    step: str
    customer: Text
    emotion: str
    responses: tuple[Response, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Ending:
    """How the call ends."""

    id: str
    outcome: str
    debrief: Text
    customer: Text | None
    emotion: str | None
    points: float | None
    pos: Pos

    @property
    def outcome_points(self) -> float:
        """Points for the outcome: the author's override or the default table."""
        return OUTCOME_POINTS[self.outcome] if self.points is None else self.points


@dataclass(frozen=True, slots=True)
class Persona:
    """The customer on the other end of the line."""

    name: Text
    segment: str
    tenure_months: int
    plan: Text
    monthly_spend: float
    currency: str
    lifecycle_stage: str
    personality: str
    churn_category: str
    churn_reason: Text
    value_orientation: str
    mood: int
    churn_risk: float | None
    background: Text | None

    def fields(self, lang: str) -> dict[str, str]:
        """The values of the persona ``{fields}`` an author may write in a line (:func:`.text.fill`), in ``lang``."""
        return {"name": pick(self.name, lang), "plan": pick(self.plan, lang),
                "monthly_spend": f"{self.monthly_spend:g}", "currency": self.currency,
                "tenure_months": str(self.tenure_months)}


@dataclass(frozen=True, slots=True)
class Variant:
    """The same call with another kind of customer."""

    id: str
    personality: str
    overrides: dict[str, object]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Playthrough:
    """An expected playthrough: choices (1-based, authored order) → ending and score range."""

    name: str
    choices: tuple[int, ...]
    ending: str
    score: tuple[float, float] | None
    lang: str | None
    variant: str | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario, validated and ready to play."""

    path: str
    digest: str  # sha256 of the source text: ties saved sessions to a version
    id: str
    title: Text
    languages: tuple[str, ...]
    category: str
    difficulty: str
    situation: Text
    objectives: tuple[Text, ...]
    tags: tuple[str, ...]
    shuffle: bool
    max_turns: int
    turn_limit_ending: str
    save_budget_months: float
    persona: Persona
    variants: dict[str, Variant]
    variables: tuple[str, ...]
    initial_values: tuple[Value, ...]
    start: str
    nodes: dict[str, Node]
    endings: dict[str, Ending]
    playthroughs: tuple[Playthrough, ...]
    technique_steps: frozenset[str] = frozenset()  # steps some response can earn a technique in
    guarded: frozenset[str] = frozenset()  # nodes whose every response has a condition

    def persona_for(self, variant: str | None) -> Persona:
        """The persona with a variant's overrides applied."""
        if not variant:
            return self.persona
        v = self.variants[variant]
        fields = {name: getattr(self.persona, name) for name in self.persona.__slots__}
        fields.update(v.overrides)
        fields["personality"] = v.personality
        return Persona(**fields)

    def slot(self, variable: str) -> int:
        """Index of a declared variable in the state's value tuple."""
        return self.variables.index(variable)
