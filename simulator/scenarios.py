"""Finding shipped scenarios and summarising them for listings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .core.diagnostics import Diagnostic
from .core.loader import find_scenario_files, load_with_diagnostics
from .core.model import Scenario
from .core.text import pick


def scenarios_dir() -> Path:
    """The shipped scenarios: ``$RETENTION_SIM_SCENARIOS`` or the project's ``scenarios/``."""
    env = os.environ.get("RETENTION_SIM_SCENARIOS")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "scenarios"


@dataclass
class Catalogue:
    """The scenarios found in a folder, and the files that failed to load."""

    scenarios: list[Scenario]
    broken: dict[str, list[Diagnostic]]


def load_folder(folder: Path | None = None) -> Catalogue:
    """Load every scenario file under ``folder`` (default: the shipped ones)."""
    folder = folder or scenarios_dir()
    found: list[Scenario] = []
    broken: dict[str, list[Diagnostic]] = {}
    for path in find_scenario_files([str(folder)]):
        scenario, diagnostics = load_with_diagnostics(path)
        if scenario is None or any(d.severity == "error" for d in diagnostics):
            broken[path] = diagnostics
        else:
            found.append(scenario)
    return Catalogue(found, broken)


def find(name: str, folder: Path | None = None) -> str | None:
    """A scenario path from a path or a scenario id."""
    if os.path.exists(name):
        return name
    for scenario in load_folder(folder).scenarios:
        if scenario.id == name:
            return scenario.path
    return None


def summary(scenario: Scenario, lang: str = "en") -> dict:
    """The fields a listing shows (and ``list --format json`` prints)."""
    p = scenario.persona
    techniques = sorted({t for n in scenario.nodes.values() for r in n.responses for t in r.techniques})
    return {
        "id": scenario.id,
        "title": dict(scenario.title) if "*" not in scenario.title else pick(scenario.title, lang),
        "category": scenario.category,
        "difficulty": scenario.difficulty,
        "languages": list(scenario.languages),
        "personality": p.personality,
        "variants": [v.personality for v in scenario.variants.values()],
        "lifecycle_stage": p.lifecycle_stage,
        "segment": p.segment,
        "churn_category": p.churn_category,
        "tags": list(scenario.tags),
        "techniques": techniques,
        "path": scenario.path,
    }
