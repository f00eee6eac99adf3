"""Gate: no shipped scenario can be won by reading the answers' form (issue 11).

Runs the test-wiseness audit of `analyze` (simulator.core.cues) over simulator/library and fails
on its warnings: AN003 (a content-free policy keeps the customer or comes within 40 points of
the best call) and AN004 (the best answer is also the longest in more than 40% of the turns).
"""

from __future__ import annotations

import pytest
from conftest import SCENARIO_FILES
from helpers import load_shipped

from simulator.core import cues


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_no_content_free_policy_wins_and_the_best_answer_is_not_usually_the_longest(path):
    report = cues.audit_cues(load_shipped(path))
    rows = [f"{p.policy} [{p.language}{'/' + p.variant if p.variant else ''}]: {p.score} → {p.ending}"
            for p in report.plays]
    rows += [f"best is longest [{c.language}{'/' + c.variant if c.variant else ''}]: {c.hits}/{c.turns}"
             for c in report.lengths]
    assert [d.format() for d, _ in report.warnings] == [], "\n".join(rows)
