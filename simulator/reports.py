"""``report`` and ``play --report``: writing call and cohort reports from saved sessions."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from . import scenarios as shipped
from .core.engine import EngineError, State, from_json
from .core.loader import load_with_diagnostics
from .core.model import Scenario
from .files import write_atomic
from .report import cohort, data, render
from .storage import Store


class ReportError(Exception):
    """A report that cannot be made, explained in one line."""


def check_report_path(path: str) -> str:
    """The format for ``path``, or a clear error before the call starts."""
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
        raise ReportError(f"cannot write the report to {path}: {e.strerror or e}") from None
    print(f"report written to {path}")


class _Scenarios:
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


def cmd_report(args: argparse.Namespace) -> int:
    """Regenerate a saved call's report, list sessions, or build the cohort report."""
    store = Store()
    if args.list:
        for r in store.sessions():
            status = f"{r.score}/100 {r.ending}" if r.finished else "unfinished"
            print(f"{r.id:>5}  {r.updated_at[:16]}  {r.trainee or '—':<12} {r.scenario_id:<40} {status}")
        return 0
    if args.cohort:
        return _cohort(args, store)
    if not args.session or not args.session.isdigit():
        raise ReportError("name a session id (python main.py report --list), or use --cohort")
    record = store.get(int(args.session))
    if record is None:
        raise ReportError(f"there is no saved session {args.session}")
    scenario = _Scenarios()(record.scenario_id, record.scenario_path)
    if scenario is None:
        raise ReportError(f"the scenario of session {record.id} ('{record.scenario_id}') is no longer there")
    try:
        state = from_json(scenario, record.state)
    except EngineError as e:
        raise ReportError(f"session {record.id}: {e}") from None
    finished = record.updated_at if record.finished else ""
    if args.output:
        write_call_report(scenario, state, args.output, record.trainee, record.started_at, finished)
    else:
        sys.stdout.write(render.to_markdown(data.build(scenario, state, record.trainee, record.started_at, finished)))
    return 0


def _cohort(args: argparse.Namespace, store: Store) -> int:
    records = [r for r in store.sessions(limit=1_000_000) if r.finished]
    if args.scenario:
        records = [r for r in records if r.scenario_id == args.scenario]
    if args.trainee:
        records = [r for r in records if r.trainee == args.trainee]
    if args.since:
        try:
            since = date.fromisoformat(args.since)
        except ValueError:
            raise ReportError(f"--since takes a date as YYYY-MM-DD (got '{args.since}')") from None
        records = [r for r in records if _day(r.started_at) is not None and _day(r.started_at) >= since]
    inputs = [cohort.SessionInput(r.id, r.trainee, r.scenario_id, r.scenario_path, r.started_at, r.state)
              for r in records]
    show = sys.stderr.isatty() or len(inputs) >= 200
    result = cohort.build(inputs, _Scenarios(), args.lang, progress=_progress_bar if show else None)
    if show:
        sys.stderr.write("\n")
    fmt = check_report_path(args.output) if args.output else "markdown"
    text = {"html": render.cohort_html, "markdown": render.cohort_markdown,
            "json": lambda c: render.to_json(c)}[fmt](result)
    if args.output:
        try:
            write_atomic(args.output, text)
        except OSError as e:
            raise ReportError(f"cannot write the report to {args.output}: {e.strerror or e}") from None
        print(f"cohort report of {result['sessions']} call(s) written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _day(stamp: str) -> date | None:
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def _progress_bar(done: int, total: int) -> None:
    if done == total or done % 25 == 0:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} sessions")
        sys.stderr.flush()
