"""Shared helpers for the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
import re
import signal
from functools import cache
from pathlib import Path

from simulator.core import loader, points, session_json
from simulator.core.engine import Engine, State
from simulator.core.model import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "simulator" / "library").glob("*.yaml"))


def doc_example_text() -> str:
    """The complete annotated example of docs/scenario-format.md (its last yaml block)."""
    doc = (ROOT / "docs" / "scenario-format.md").read_text("utf-8")
    return re.findall(r"```yaml\n(.*?)```", doc, re.S)[-1]


@cache
def load_example() -> Scenario:
    """The doc example as a scenario."""
    scenario, diagnostics = loader.load_text(doc_example_text(), "example.yaml")
    assert scenario is not None and not diagnostics, [d.format() for d in diagnostics]
    return scenario


@cache
def load_shipped(path: Path) -> Scenario:
    """A shipped scenario (cached: the files do not change during a run)."""
    return loader.load(str(path))


def round_trip(scenario: Scenario, state: State) -> State:
    """State → JSON text → state, as a saved session would travel."""
    text = json.dumps(session_json.to_json(scenario, state), ensure_ascii=False)
    return session_json.from_json(scenario, json.loads(text))


def play(scenario: Scenario, responses: list[int], language: str = "en", variant: str | None = None,
         seed: int = 0) -> State:
    """Play responses (0-based, as written), round-tripping the state through JSON after every turn."""
    eng = Engine(scenario)
    state = eng.start(language, seed, variant)
    for index in responses:
        state = round_trip(scenario, eng.choose_response(state, index))
    return state


def default_ctrl_c() -> None:
    """For ``preexec_fn``: in the child before it starts, SIGINT back to its default, whatever the test
    runner's parent set. A child inherits an ignored SIGINT (a suite started in the background,
    ``(make test &)``), and Python then installs no Ctrl-C handler; a test that stops a child with
    Ctrl-C must give it the handler a person's terminal gives it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


PART_RANGES = {  # the lowest and highest each part of a score may take, from the points module's own limits
    "techniques": (0.0, points.MAX_TECHNIQUES),
    "mistakes": (points.MIN_MISTAKES, points.MAX_MISTAKES),
    "order": (0.0, points.MAX_ORDER),
    "outcome": (0.0, points.MAX_OUTCOME),
    "mood": (0.0, points.MAX_MOOD),
    "cost": (0.0, points.MAX_COST),
}
