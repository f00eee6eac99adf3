"""core.points: what a tally is worth (the cost curve, the grade) and the bounds the path search prunes with."""

import pytest
from test_scoring import SAVE

from simulator.core import loader, points
from simulator.core.catalog import load_catalog


@pytest.fixture(scope="module")
def save():
    scenario, diagnostics = loader.load_text(SAVE, "save.yaml")
    assert scenario is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics
    return scenario


@pytest.mark.parametrize(("cost", "kept"), [(200, 10), (220, 8.1), (250, 5.625), (300, 2.5), (399, 0.00025),
                                            (400, 0), (1000, 0)])
def test_the_cost_curve_falls_with_the_square_of_the_overspend_to_zero_at_twice_the_budget(cost, kept):
    assert points.cost_points(cost, 200) == pytest.approx(kept)


@pytest.mark.parametrize(("total", "letter"), [(100, "A"), (90, "A"), (89, "B"), (75, "B"), (60, "C"),
                                              (40, "D"), (39, "F"), (0, "F")])
def test_grades(total, letter):
    assert points.grade(total) == letter


def test_upper_bound_is_never_below_a_finished_score(save):
    from simulator.core.analysis import explore

    best = explore(save).best
    assert points.bound(save, points.Tally(), None, load_catalog(), True) >= best.score


# -- mutations that once survived the suite (issue 17) -----------------------------------------
def test_the_least_the_mistakes_part_can_become_is_its_floor_even_before_any_mistake(save):
    # a clean call so far can still end with every penalty: the lower bound must not promise more
    catalog = load_catalog()
    assert points.part_bound(save, "mistakes", points.Tally(), None, catalog, upper=False) == points.MIN_MISTAKES


def test_the_lowest_total_a_fresh_call_can_reach_is_zero(save):
    assert points.bound(save, points.Tally(), None, load_catalog(), False) == 0.0


def test_a_call_that_showed_every_technique_can_still_lose_only_the_mistakes_floor(save):
    catalog = load_catalog()
    tally = points.Tally(frozenset(catalog.techniques))
    assert points.bound(save, tally, None, catalog, False) == points.MAX_TECHNIQUES + points.MIN_MISTAKES
