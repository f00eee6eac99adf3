"""Writing call reports (``play --report``, ``report N -o``) and finding the scenario of a saved session."""

from __future__ import annotations

import os

from . import scenarios as shipped
from .core.engine import State
from .core.loader import load_with_diagnostics
from .core.model import Scenario
from .files import path_problem, write_atomic, write_problem
from .report import data, render


class ReportError(Exception):
    """A report that cannot be made, explained in one line."""


def check_report_path(path: str) -> str:
    """The format for ``path``, or a clear error before the call starts (so no call is played in vain)."""
    problem = path_problem(path)
    if problem:
        raise ReportError(f"cannot write the report to '{path}': {problem}")
    try:
        return render.format_for(path)
    except ValueError as e:
        raise ReportError(str(e)) from None


def write_call_report(scenario: Scenario, state: State, path: str, trainee: str, started: str, finished: str) -> None:
    """Render and write one call's report atomically; the format comes from the extension."""
    fmt = check_report_path(path)
    text = render.render(data.build(scenario, state, trainee, started, finished), fmt)
    try:
        write_atomic(path, text)
    except OSError as e:
        raise ReportError(f"cannot write the report to {path}: {write_problem(path, e)}") from None
    print(f"report written to {path}")


class SessionScenarios:
    """Loads each scenario once, by path if it is still there, else by id among the shipped ones."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], Scenario | None] = {}
        self.shipped: dict[str, str] | None = None

    def __call__(self, scenario_id: str, path: str) -> Scenario | None:
        key = (scenario_id, path)
        if key not in self.cache:
            scenario = None
            if os.path.exists(path):
                scenario, diagnostics = load_with_diagnostics(path)
                if any(d.severity == "error" for d in diagnostics) or (scenario and scenario.id != scenario_id):
                    scenario = None
            if scenario is None:
                if self.shipped is None:
                    self.shipped = {s.id: s.path for s in shipped.load_folder().scenarios}
                if scenario_id in self.shipped:
                    scenario = load_with_diagnostics(self.shipped[scenario_id])[0]
            self.cache[key] = scenario
        return self.cache[key]
