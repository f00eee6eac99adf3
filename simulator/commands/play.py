"""``play``: a call in the window when a display exists, else in the terminal; by hand, by script or by
policy; ``--resume`` goes on with a saved one."""

from __future__ import annotations

import argparse
import os
import random
import sys

from .. import reports
from .. import scenarios as shipped
from ..core import session_json
from ..core.engine import Engine, State
from ..core.loader import load
from ..core.text import choice_number
from ..i18n import t
from ..policies import PolicyError, ScriptPolicy, auto_policy, script_policy
from ..storage import StorageError, Store, use_database
from ..tui import Session, TerminalPlayer, _now
from .common import UsageError, in_window, open_store, response_numbers, scenario_path

NAME = "play"
# The terminal player writes colour codes of its own and makes content printable line by line.
CLEANS_OWN_OUTPUT = True


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``play`` sub-command's arguments."""
    play = sub.add_parser(NAME, help="play a scenario")
    play.add_argument("scenario", nargs="?", help="scenario file or id (omit with --resume)")
    play.add_argument("--tui", action="store_true",
                      help="play in the terminal (without it the call opens in the window when a display exists; "
                           "--script, --auto, --resume, --variant, --seed, --no-shuffle, --no-save, --report, "
                           "and --group play in the terminal)")
    play.add_argument("--lang", choices=("en", "zh"), help="language of the call (default: en when available)")
    play.add_argument("--feedback", choices=("now", "end"),
                      help="feedback after every answer (now, the default) or only in the final review (end)")
    play.add_argument("--script", help="answer with these responses, e.g. 1,3,2 (numbers as written in the file)")
    play.add_argument("--auto", help="play by policy: best, worst or random[:SEED]")
    play.add_argument("--seed", type=int, help="seed of the shuffled response order")
    play.add_argument("--variant", help="play a persona variant of the scenario")
    play.add_argument("--no-shuffle", action="store_true", help="show responses in the order written")
    play.add_argument("--resume", nargs="?", const="latest", metavar="SESSION",
                      help="resume the latest unfinished call, or the session with this id")
    play.add_argument("--trainee", help="trainee name saved with the session (default: $USER in the terminal; "
                                          "the window asks for it)")
    play.add_argument("--org-id", default=os.environ.get("RETENTION_SIM_ORG_ID", ""),
                      help="the trainee's organisation id, e.g. employee number (default: $RETENTION_SIM_ORG_ID)")
    play.add_argument("--group", default=os.environ.get("RETENTION_SIM_GROUP", ""),
                      help="the trainee's group (team, class) for the cohort report (default: $RETENTION_SIM_GROUP)")
    play.add_argument("--no-save", action="store_true", help="do not save the session")
    play.add_argument("--db", metavar="URL", help="session database: a file or SQLAlchemy URL (default: "
                      "$RETENTION_SIM_DB, else the file in the user data directory)")
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
    """Play (or resume) a call: in the window when one can open and the options allow it, else in the terminal."""
    if args.script is not None and args.auto is not None:
        raise UsageError("use either --script or --auto, not both")
    if args.report is not None:
        reports.check_report_path(args.report)
    if args.resume:
        _refuse_what_a_resume_cannot_change(args)
    if not args.tui and not _terminal_only(args) and args.scenario:
        path = scenario_path(args.scenario)
        load(path)  # a broken file is reported here, as the terminal reports it, before any window opens
        played = _play_in_window(args, path)
        if played is not None:
            return played
    if args.trainee is None:
        args.trainee = os.environ.get("USER", "")
    if args.feedback is None:
        args.feedback = "now"
    if args.db:
        use_database(args.db)
    store = open_store(args)
    try:
        return _play(args, store)
    finally:
        if store is not None:
            store.close()


def _play(args: argparse.Namespace, store: Store | None) -> int:
    """Play a new call (or resume one) with ``store`` saving it, if there is one."""
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
    policy = _policy(args, scenario, args.variant)
    seed = args.seed if args.seed is not None else (0 if policy else random.SystemRandom().randrange(1 << 31))
    state = eng.start(lang, seed, args.variant, False if args.no_shuffle else None)
    session = Session(store)
    if store is not None:
        try:
            session.id = store.create(scenario.id, os.path.abspath(path), args.trainee, lang, args.variant,
                                      session_json.to_json(scenario, state), _now(), played_by=_played_by(args),
                                      trainee_org_id=args.org_id, trainee_group=args.group)
        except StorageError as e:
            print(f"warning: {e}; this call will not be saved", file=sys.stderr)
            session.store = None
    player = TerminalPlayer(scenario, feedback=args.feedback, answer=args.answer)
    started = _now()
    final = player.play(state, policy, session)
    _check_script_used_up(policy, final)
    if args.report and final.over:
        reports.write_call_report(scenario, final, args.report, args.trainee, started, _now())
    elif args.report:
        print(f"no report yet: the call is not finished (resume it with: python main.py play --resume "
              f"--report {args.report})")
    return 0 if final.over or policy is None else 1


def _terminal_only(args: argparse.Namespace) -> list[str]:
    """The options given that only the terminal player honours (the window plays a call by hand, saved)."""
    given = [("--script", args.script is not None), ("--auto", args.auto is not None), ("--resume", args.resume),
             ("--variant", args.variant), ("--seed", args.seed is not None), ("--no-shuffle", args.no_shuffle),
             ("--no-save", args.no_save), ("--report", args.report), ("--group", args.group)]
    return [flag for flag, value in given if value]


def _play_in_window(args: argparse.Namespace, path: str) -> int | None:
    """Play ``path`` in the window; None (after a one-line note) when no window can open here."""
    overrides = {"language": args.lang, "feedback": args.feedback, "trainee": args.trainee,
                 "org_id": args.org_id or None}
    # The default answer mode leaves the window's remembered one; free or both asks for it in this run.
    answer = args.answer if args.answer != "choice" else None

    def start(package) -> int:
        if args.db:
            use_database(args.db)
        return package.run(scenario_path=path, settings={k: v for k, v in overrides.items() if v is not None},
                           answer=answer)

    return in_window(start)


def _played_by(args: argparse.Namespace) -> str:
    """Who answers this call, as storage records it (cohort statistics leave out all but the trainee's)."""
    return "script" if args.script is not None else "auto" if args.auto is not None else "trainee"


def _policy(args: argparse.Namespace, scenario, variant: str | None):
    if args.script is not None:
        return script_policy(response_numbers(args.script, "--script"))
    if args.auto is not None:
        return auto_policy(args.auto, scenario, variant)
    return None


def _check_script_used_up(policy, final: State) -> None:
    """A script longer than the call is a mistake in the script, not something to ignore."""
    if isinstance(policy, ScriptPolicy) and policy.left and final.over:
        left = ",".join(map(str, policy.left))
        raise PolicyError(f"the call ended at turn {final.turn} ('{final.ending}') with {len(policy.left)} "
                          f"scripted choice(s) left over ({left}); a --script gives exactly the answers "
                          f"the call takes")


def _refuse_what_a_resume_cannot_change(args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("--lang", args.lang), ("--variant", args.variant), ("--seed", args.seed),
                                      ("--no-shuffle", args.no_shuffle or None)) if value is not None]
    if given:
        raise UsageError(f"--resume continues the saved call with its own language, variant and answer order; "
                         f"{', '.join(given)} cannot change them (start a new call instead)")
    if args.auto is not None and args.auto.partition(":")[0] in ("best", "worst"):
        raise UsageError(f"--auto {args.auto} plays a whole call from its start, so it cannot take over a "
                         f"resumed one; use --script with the remaining answers, or --auto random")


def _resume(args: argparse.Namespace, store: Store | None) -> int:
    """Go on with a saved call: by hand, or with --script / --auto random answering the remaining turns."""
    if store is None:
        raise UsageError("sessions are not available, so there is nothing to resume")
    if args.resume == "latest":
        record = store.latest_open(_scenario_id(args.scenario) if args.scenario else None, trainee=args.trainee,
                                   trainee_org_id=args.org_id)
        if record is None:
            of = f" of '{args.scenario}'" if args.scenario else ""
            raise UsageError(f"there is no unfinished call{of} of {_who(args.trainee, args.org_id)} to resume")
    else:
        number = choice_number(args.resume)
        if number is None or (record := store.get(number)) is None:
            raise UsageError(f"there is no saved session '{args.resume}'")
    if record.finished:
        raise UsageError(f"session {record.id} is already finished")
    if (record.trainee, record.trainee_org_id) != (args.trainee, args.org_id):
        raise UsageError(f"session {record.id} is {_who(record.trainee, record.trainee_org_id)}'s call, not "
                         f"{_who(args.trainee, args.org_id)}'s; resume it with --trainee (and --org-id) as they are")
    path = record.scenario_path if os.path.exists(record.scenario_path) else shipped.find(record.scenario_id)
    if path is None:
        raise UsageError(f"the scenario of session {record.id} ('{record.scenario_id}') is no longer there")
    scenario = load(path)
    state = session_json.from_json(scenario, record.state)
    policy = _policy(args, scenario, state.variant)
    if policy is not None and record.played_by == "trainee":
        store.mark_played_by(record.id, _played_by(args))  # a call a script finished is no longer the trainee's
    print(t("resumed", state.language, id=record.id, turn=state.turn + 1))
    player = TerminalPlayer(scenario, feedback=args.feedback, answer=args.answer)
    final = player.play(state, policy, Session(store, record.id, saved_turns=len(state.history)))
    _check_script_used_up(policy, final)
    if args.report and final.over:
        reports.write_call_report(scenario, final, args.report, record.trainee, record.started_at, _now())
    return 0 if final.over or policy is None else 1


def _who(trainee: str, org_id: str) -> str:
    """A trainee as named in messages: the name, with the organisation id when there is one."""
    name = f"'{trainee}'" if trainee else "the unnamed trainee"
    return f"{name} ({org_id})" if org_id else name


def _scenario_id(name: str) -> str:
    """The id of a scenario named by file or id (``play ID --resume`` resumes that scenario's latest call)."""
    return load(scenario_path(name)).id
