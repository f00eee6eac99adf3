"""Part goals of the exact analysis (simulator/core/analysis.py): bounds and values as the scorer has them.

These tests kill mutants that the library-wide analysis tests leave alive (`make mutation`); they live
apart from tests/test_analysis.py while that module is being reworked.
"""

from __future__ import annotations

import pytest
from helpers import load_example

from simulator.core import analysis, points
from simulator.core.catalog import load_catalog

CATALOG = load_catalog()


@pytest.mark.parametrize("part_id", points.PART_IDS)
def test_a_part_goal_bounds_a_fresh_call_by_the_parts_own_bounds(part_id):
    scenario = load_example()
    goal = analysis.part_goal(scenario, part_id, None, CATALOG)
    tally = points.Tally()
    assert (goal.upper(tally), goal.lower(tally)) == (
        points.part_bound(scenario, part_id, tally, None, CATALOG, True),
        points.part_bound(scenario, part_id, tally, None, CATALOG, False))


def test_the_mood_part_goal_values_each_final_mood_on_its_own():
    # the goal remembers values by what the part reads: the mood must be part of that key
    scenario = load_example()
    goal = analysis.part_goal(scenario, "mood", None, CATALOG)
    ending = next(iter(scenario.endings.values()))
    assert [goal.value(points.Tally(), ending, mood) for mood in (80, 20)] == [
        points.MAX_MOOD * 0.8, points.MAX_MOOD * 0.2]
