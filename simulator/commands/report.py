"""``report``: a saved call's report, the list of saved sessions, or the cohort report over many calls."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..core.engine import EngineError, from_json
from ..core.text import choice_number, pad
from ..files import write_atomic, write_problem
from ..report import cohort, data, render
from ..reports import ReportError, SessionScenarios, check_report_path, write_call_report
from ..storage import Store

NAME = "report"
DESCRIPTION = """A saved call's report (python main.py report N), the list of saved calls (--list), or the
cohort report over many finished calls (--cohort).

Answer time: for each turn, the time from the moment the customer's line and every answer
are fully shown to the moment the trainee's answer is taken, less any time the call stood
paused. In the terminal that is from the printed options to the number entered (typos and
help included: the trainee is still deciding). Calls played by --script or --auto have no
answer times, and they are left out of --list and --cohort unless --include-scripted is given.
"""


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``report`` sub-command's arguments."""
    rep = sub.add_parser(NAME, help="a saved call's report, or the cohort report over many calls",
                         description=DESCRIPTION)
    rep.add_argument("session", nargs="?", help="session id (see: python main.py report --list)")
    rep.add_argument("-o", "--output", help="file to write (.html, .md or .json; default: print Markdown)")
    rep.add_argument("--list", action="store_true", help="list saved sessions")
    rep.add_argument("--cohort", action="store_true", help="aggregate many finished sessions")
    rep.add_argument("--scenario", help="cohort: only this scenario id")
    rep.add_argument("--trainee", help="cohort: only this trainee")
    rep.add_argument("--since", help="cohort: only sessions from this date on (YYYY-MM-DD)")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="cohort report language")
    rep.add_argument("--include-scripted", action="store_true",
                     help="--list and --cohort: also count calls played by --script or --auto")
    return rep


def run(args: argparse.Namespace) -> int:
    """Regenerate a saved call's report, list sessions, or build the cohort report."""
    store = Store()
    if args.list:
        records = store.sessions()
        shown = [r for r in records if args.include_scripted or r.played_by == "trainee"]
        for r in shown:
            status = f"{r.score}/100 {r.ending}" if r.finished else "unfinished"
            by = "" if r.played_by == "trainee" else f"  [{r.played_by}]"
            print(f"{r.id:>5}  {r.updated_at[:16]}  {pad(r.trainee or '—', 12)} {r.scenario_id:<40} {status}{by}")
        _note_left_out(len(records) - len(shown))
        return 0
    if args.cohort:
        return _cohort(args, store)
    number = choice_number(args.session) if args.session is not None else None
    if number is None:
        raise ReportError("name a session id (python main.py report --list), or use --cohort")
    record = store.get(number)
    if record is None:
        raise ReportError(f"there is no saved session {args.session}")
    scenario = SessionScenarios()(record.scenario_id, record.scenario_path)
    if scenario is None:
        raise ReportError(f"the scenario of session {record.id} ('{record.scenario_id}') is no longer there")
    try:
        state = from_json(scenario, record.state)
    except EngineError as e:
        raise ReportError(f"session {record.id}: {e}") from None
    finished = record.updated_at if record.finished else ""
    if args.output is not None:
        write_call_report(scenario, state, args.output, record.trainee, record.started_at, finished)
    else:
        sys.stdout.write(render.to_markdown(data.build(scenario, state, record.trainee, record.started_at, finished)))
    return 0


def _cohort(args: argparse.Namespace, store: Store) -> int:
    fmt = check_report_path(args.output) if args.output is not None else "markdown"
    records = [r for r in store.sessions(limit=1_000_000) if r.finished]
    if not args.include_scripted:
        by_trainees = [r for r in records if r.played_by == "trainee"]
        _note_left_out(len(records) - len(by_trainees))
        records = by_trainees
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
    result = cohort.build(inputs, SessionScenarios(), args.lang, progress=_progress_bar if show else None)
    if show:
        sys.stderr.write("\n")
    text = {"html": render.cohort_html, "markdown": render.cohort_markdown,
            "json": lambda c: render.to_json(c)}[fmt](result)
    if args.output is not None:
        try:
            write_atomic(args.output, text)
        except OSError as e:
            raise ReportError(f"cannot write the report to {args.output}: {write_problem(args.output, e)}") from None
        print(f"cohort report of {result['sessions']} call(s) written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _note_left_out(count: int) -> None:
    if count:
        print(f"note: {count} call(s) played by --script or --auto left out; --include-scripted counts them",
              file=sys.stderr)


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
