"""``report``: a saved call's report, the list of saved sessions, or the cohort report over many calls."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date

from ..core.engine import EngineError
from ..core.session_json import from_json
from ..core.text import choice_number, pad
from ..files import write_atomic, write_problem
from ..report import cohort, cohort_store, data, render
from ..reports import ReportError, SessionScenarios, check_report_path, write_call_report
from ..storage import Filters, StorageError, Store, use_database

NAME = "report"
DESCRIPTION = """A saved call's report (python main.py report N), the list of saved calls (--list), or the
cohort report over many finished calls (--cohort).

Answer time: for each turn, the time from the moment the customer's line and every answer
are fully shown to the moment the trainee's answer is taken, less any time the call stood
paused. In the terminal that is from the printed options to the number entered (typos and
help included: the trainee is still deciding). Calls played by --script or --auto have no
answer times, and they are left out of --list and --cohort unless --include-scripted is given.

--list shows 50 calls a page (--page N, --per-page N; a footer says how many there are), or,
with --format json, every matching call as a JSON list (id, trainee, org_id, group, scenario,
started, finished, ending, score, played_by) for scripts and LMS glue. --trainee, --org-id,
--group, --scenario, --since and --until filter both --list and --cohort; --by groups the
cohort's rows by trainee, group, day or month. A data folder that cannot be written is still
read (a note says so).
"""
PER_PAGE = 50


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``report`` sub-command's arguments."""
    rep = sub.add_parser(NAME, help="a saved call's report, or the cohort report over many calls",
                         description=DESCRIPTION)
    rep.add_argument("session", nargs="?", help="session id (see: python main.py report --list)")
    rep.add_argument("-o", "--output", help="file to write (.html, .md or .json; default: print Markdown)")
    rep.add_argument("--list", action="store_true", help="list saved sessions")
    rep.add_argument("--cohort", action="store_true", help="aggregate many finished sessions")
    add_filter_arguments(rep)
    rep.add_argument("--by", choices=cohort.GROUPINGS, default="trainee", help="cohort: one row per trainee, "
                     "group, day or month")
    rep.add_argument("--format", choices=("text", "json"), default="text", help="--list: text pages or JSON")
    rep.add_argument("--page", type=int, default=1, help="--list: which page (default 1)")
    rep.add_argument("--per-page", type=int, default=PER_PAGE, help=f"--list: calls per page (default {PER_PAGE})")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="cohort report language")
    rep.add_argument("--include-scripted", action="store_true",
                     help="--list and --cohort: also count calls played by --script or --auto")
    rep.add_argument("--db", metavar="URL", help="session database: a file or SQLAlchemy URL (default: "
                     "$RETENTION_SIM_DB, else the file in the user data directory)")
    return rep


def run(args: argparse.Namespace) -> int:
    """Regenerate a saved call's report, list sessions, or build the cohort report."""
    if args.db:
        use_database(args.db)
    with open_store_for_reading() as store:
        return _run(args, store)


def _run(args: argparse.Namespace, store: Store) -> int:
    if args.list:
        return _list(args, store)
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


def open_store_for_reading() -> Store:
    """The store to read; when it cannot be written (a read-only folder), read-only with a note."""
    try:
        return Store()
    except StorageError as e:
        try:
            store = Store(read_only=True)
        except StorageError:
            raise e from None
        print(f"note: {e}; reading it without writing", file=sys.stderr)
        return store


def day_arg(value: str | None, flag: str) -> str | None:
    """A --since/--until date as YYYY-MM-DD, or a ReportError that says what is wrong."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ReportError(f"{flag} takes a date as YYYY-MM-DD (got '{value}')") from None


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose saved calls, shared by ``report`` and ``export``."""
    parser.add_argument("--scenario", help="only this scenario id")
    parser.add_argument("--trainee", help="only this trainee (name)")
    parser.add_argument("--org-id", help="only the trainee with this organisation id")
    parser.add_argument("--group", help="only this group of trainees")
    parser.add_argument("--since", help="only calls started on or after this date (YYYY-MM-DD)")
    parser.add_argument("--until", help="only calls started on or before this date (YYYY-MM-DD)")


def filters_from(args: argparse.Namespace, finished: bool | None = None) -> Filters:
    """The saved calls the filter options ask for (scripted calls only with --include-scripted)."""
    return Filters(trainee=args.trainee, trainee_org_id=args.org_id, group=args.group, scenario_id=args.scenario,
                   since=day_arg(args.since, "--since"), until=day_arg(args.until, "--until"), finished=finished,
                   played_by=None if args.include_scripted else "trainee")


def _list(args: argparse.Namespace, store: Store) -> int:
    filters = filters_from(args)
    total = store.count(filters)
    if not args.include_scripted:
        _note_left_out(store.count(replace(filters, played_by=None)) - total)
    if args.format == "json":
        paged = args.page != 1 or args.per_page != PER_PAGE
        records = store.sessions(limit=args.per_page if paged else max(total, 1),
                                 offset=(args.page - 1) * args.per_page if paged else 0, filters=filters)
        print(json.dumps([{"id": r.id, "trainee": r.trainee, "org_id": r.trainee_org_id, "group": r.trainee_group,
                           "scenario": r.scenario_id, "started": r.started_at,
                           "finished": r.updated_at if r.finished else None, "ending": r.ending, "score": r.score,
                           "played_by": r.played_by} for r in records], ensure_ascii=False, indent=1))
        return 0
    if args.page < 1 or args.per_page < 1:
        raise ReportError("--page and --per-page take a number from 1 up")
    records = store.sessions(limit=args.per_page, offset=(args.page - 1) * args.per_page, filters=filters)
    # the scenario column as wide as this page's longest id: a row of the usual ids fits 80 columns
    width = max((len(r.scenario_id) for r in records), default=0)
    for r in records:
        status = f"{r.score}/100 {r.ending}" if r.finished else "unfinished"
        by = "" if r.played_by == "trainee" else f"  [{r.played_by}]"
        who = r.trainee or "—"
        print(f"{r.id:>5}  {r.updated_at[:16]}  {pad(who, 12)} {r.scenario_id:<{width}} {status}{by}")
    pages = (total + args.per_page - 1) // args.per_page
    if total > len(records) or args.page > 1:
        more = f"; next: --page {args.page + 1}" if args.page < pages else ""
        print(f"page {args.page} of {pages} ({total} calls){more}")
    return 0


def _cohort(args: argparse.Namespace, store: Store) -> int:
    fmt = check_report_path(args.output) if args.output is not None else "markdown"
    filters = filters_from(args, finished=True)
    if not args.include_scripted:
        _note_left_out(store.count(replace(filters, played_by=None)) - store.count(filters))
    shown = []

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() or total >= 200:
            shown.append(True)
            _progress_bar(done, total)
    result = cohort_store.build(store, filters, SessionScenarios(), args.lang, args.by, progress)
    if shown:
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


def _progress_bar(done: int, total: int) -> None:
    if done == total or done % 25 == 0:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} sessions")
        sys.stderr.flush()
