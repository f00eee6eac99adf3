"""What a scored call looks like: its parts and the review of every turn, answered or taken back.

Plain immutable data, produced by :func:`simulator.core.scoring.score` and read by the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import Said


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
    better: int | None  # index of a better response offered at this turn, if any
    in_order: bool
    said: Said | None = None  # the trainee's own words, when the answer was typed
    left_out: tuple[tuple[str, str], ...] = ()  # techniques heard but not credited, and why (core.scoring_free)

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
