"""Dominance between partial calls in the path search (simulator/core/search.py), apart from
tests/test_analysis.py while that module is being reworked."""

from __future__ import annotations

from simulator.core.search import better_min


def _shape(cost: float, mistakes: int) -> tuple:
    # (techniques, full, steps, penalty, premature, cost, mistakes, refusal, reason_known)
    return (None, None, None, 0, 0, cost, mistakes, False, False)


def test_a_cheaper_call_never_counts_as_finishing_at_least_as_low_as_a_dearer_one():
    # more mistakes do not make up for a smaller cost: the dearer call may still score lower on cost
    assert not better_min(_shape(cost=0, mistakes=5), _shape(cost=3, mistakes=0))


def test_a_call_as_dear_with_as_many_mistakes_finishes_at_least_as_low():
    assert better_min(_shape(cost=3, mistakes=5), _shape(cost=3, mistakes=0))
