"""Where the length-cue warning points (simulator/core/cues.py), apart from tests/test_cues.py while
that module is being reworked."""

from __future__ import annotations

from test_cues import _load, scenario_text

from simulator.core import cues


def test_an004_points_into_the_scenario_file():
    scenario = _load(scenario_text(telltale=True, zh_telltale=False))
    found = [d for d, _ in cues.audit_cues(scenario).warnings if d.code == "AN004"]
    assert found and {d.path for d in found} == {scenario.path}
