"""``play``: a call in the terminal, by hand, by script or by policy; ``--resume`` goes on with a saved one."""

from __future__ import annotations

import argparse
import os
import random
import sys

from .. import reports
from .. import scenarios as shipped
from ..core import engine
from ..core.engine import Engine
from ..core.loader import load
from ..i18n import t
from ..storage import StorageError, Store
from ..tui import Session, TerminalPlayer, _now, auto_policy, script_policy
from .common import UsageError, open_store, scenario_path

NAME = "play"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``play`` sub-command's arguments."""
    play = sub.add_parser(NAME, help="play a scenario")
    play.add_argument("scenario", nargs="?", help="scenario file or id (omit with --resume)")
    play.add_argument("--tui", action="store_true", help="play in the terminal")
    play.add_argument("--lang", choices=("en", "zh"), help="language of the call (default: en when available)")
    play.add_argument("--feedback", choices=("now", "end"), default="now",
                      help="feedback after every answer (now) or only in the final review (end)")
    play.add_argument("--script", help="answer with these responses, e.g. 1,3,2 (numbers as written in the file)")
    play.add_argument("--auto", help="play by policy: best, worst or random[:SEED]")
    play.add_argument("--seed", type=int, help="seed of the shuffled response order")
    play.add_argument("--variant", help="play a persona variant of the scenario")
    play.add_argument("--no-shuffle", action="store_true", help="show responses in the order written")
    play.add_argument("--resume", nargs="?", const="latest", metavar="SESSION",
                      help="resume the latest unfinished call, or the session with this id")
    play.add_argument("--trainee", default=os.environ.get("USER", ""), help="trainee name saved with the session")
    play.add_argument("--no-save", action="store_true", help="do not save the session")
    play.add_argument("--answer", choices=("choice", "free", "both"), default="choice",
                      help="pick numbered answers, type your own words (free), or either (both)")
    play.add_argument("--report", metavar="PATH", help="write the call's report at the end (.html, .md or .json)")
    return play


def arguments(argv: list[str]) -> argparse.Namespace:
    """The ``play`` arguments for ``argv`` (the words after ``play``), as the command line would read them."""
    parser = argparse.ArgumentParser(prog="retention-sim")
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args([NAME, *argv])


def run(args: argparse.Namespace) -> int:
    """Play (or resume) a call in the terminal."""
    if args.script and args.auto:
        raise UsageError("use either --script or --auto, not both")
    if args.report:
        reports.check_report_path(args.report)
    store = open_store(args)
    if args.resume:
        return _resume(args, store)
    if not args.scenario:
        raise UsageError("name a scenario file or id, or use --resume")
    path = scenario_path(args.scenario)
    scenario = load(path)
    lang = args.lang or ("en" if "en" in scenario.languages else scenario.languages[0])
    if args.variant and args.variant not in scenario.variants:
        known = ", ".join(scenario.variants) or "none"
        raise UsageError(f"scenario '{scenario.id}' has no variant '{args.variant}' (variants: {known})")
    eng = Engine(scenario)
    policy = None
    if args.script:
        try:
            numbers = [int(x) for x in args.script.replace(" ", "").split(",") if x]
        except ValueError:
            raise UsageError(f"--script takes numbers separated by commas, e.g. 1,3,2 (got '{args.script}')") from None
        policy = script_policy(numbers)
    elif args.auto:
        policy = auto_policy(args.auto, scenario, args.variant)
    seed = args.seed if args.seed is not None else (0 if policy else random.SystemRandom().randrange(1 << 31))
    state = eng.start(lang, seed, args.variant, False if args.no_shuffle else None)
    session = Session(store)
    if store is not None:
        try:
            session.id = store.create(scenario.id, os.path.abspath(path), args.trainee, lang, args.variant,
                                      engine.to_json(scenario, state), _now())
        except StorageError as e:
            print(f"warning: {e}; this call will not be saved", file=sys.stderr)
            session.store = None
    player = TerminalPlayer(scenario, feedback=args.feedback, answer=args.answer)
    started = _now()
    final = player.play(state, policy, session)
    if args.report and final.over:
        reports.write_call_report(scenario, final, args.report, args.trainee, started, _now())
    elif args.report:
        print(f"no report yet: the call is not finished (resume it with: python main.py play --resume "
              f"--report {args.report})")
    return 0 if final.over or policy is None else 1


def _resume(args: argparse.Namespace, store: Store | None) -> int:
    if store is None:
        raise UsageError("sessions are not available, so there is nothing to resume")
    if args.resume == "latest":
        record = store.latest_open()
        if record is None:
            raise UsageError("there is no unfinished call to resume")
    else:
        if not args.resume.isdigit() or (record := store.get(int(args.resume))) is None:
            raise UsageError(f"there is no saved session '{args.resume}'")
    if record.finished:
        raise UsageError(f"session {record.id} is already finished")
    path = record.scenario_path if os.path.exists(record.scenario_path) else shipped.find(record.scenario_id)
    if path is None:
        raise UsageError(f"the scenario of session {record.id} ('{record.scenario_id}') is no longer there")
    scenario = load(path)
    state = engine.from_json(scenario, record.state)
    print(t("resumed", state.language, id=record.id, turn=state.turn + 1))
    player = TerminalPlayer(scenario, feedback=args.feedback, answer=args.answer)
    final = player.play(state, None, Session(store, record.id))
    if args.report and final.over:
        reports.write_call_report(scenario, final, args.report, record.trainee, record.started_at, _now())
    return 0
