"""What a scored call looks like: its parts and the review of every turn, answered or taken back.

Plain immutable data, produced by :func:`simulator.core.scoring.score` and read by the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import Said

# Why a typed turn suggests no written answer (TurnReview.advice): the words were matched to the
# strongest written answer here, yet scored below it; or no written answer scores higher than them.
BEST_MATCHED, NONE_HIGHER = "best_matched", "none_higher"


@dataclass(frozen=True, slots=True)
class TurnReview:
    """One answered turn, explained."""

    number: int
    node: str
    step: str
    response: int
    techniques: tuple[str, ...]
    mistakes: tuple[str, ...]  # as the author tagged them
    auto_mistakes: tuple[str, ...]  # found by the scorer (premature_offer)
    mood_before: int
    mood_after: int
    elapsed_ms: int | None
    cost: float
    value: float  # local quality of the answer
    better: int | None  # the written answer to suggest: the best offered here, clearly above this turn as scored
    in_order: bool
    said: Said | None = None  # the trainee's own words, when the answer was typed
    left_out: tuple[tuple[str, str], ...] = ()  # techniques heard but not credited, and why (core.scoring_free)
    advice: str = ""  # a typed turn with no ``better``: BEST_MATCHED or NONE_HIGHER, for the feedback to say so
    as_written: bool = True  # the author's feedback on the answer played speaks for this turn (core.scoring_free)
    instead_applies: bool = True  # ...and its "instead": as written, or a mistake of that answer was made

    @property
    def mood_change(self) -> int:
        """How much this answer moved the customer's mood."""
        return self.mood_after - self.mood_before


@dataclass(frozen=True, slots=True)
class UndoneReview:
    """An answer the trainee took back: its mistakes stay in the score unless it was a classroom
    exploration; its techniques never count."""

    number: int  # the turn it was given and taken back at
    order: int  # 1 for the first answer taken back in the call, 2 for the next...
    node: str
    response: int
    techniques: tuple[str, ...]  # shown, not counted
    mistakes: tuple[str, ...]
    auto_mistakes: tuple[str, ...]
    explored: bool
    penalty: float  # what it cost the mistakes part (0 when explored)
    elapsed_ms: int | None
    said: Said | None = None  # the trainee's own words, when the answer was typed


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the score."""

    id: str
    points: float
    max: float
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CallScore:
    """The whole score with its breakdown and the per-turn review."""

    total: int
    grade: str
    parts: tuple[Part, ...]
    turns: tuple[TurnReview, ...]
    ending: str | None
    outcome: str | None
    undone: tuple[UndoneReview, ...] = ()

    def part(self, part_id: str) -> Part:
        """The part with this id."""
        return next(p for p in self.parts if p.id == part_id)
