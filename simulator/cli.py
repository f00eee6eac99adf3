"""The command line: play, list, validate, test, techniques.

``python main.py`` with no command starts the simulator: the window when there is a display
and the window package is installed, else the terminal player with a scenario picker.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import traceback
from pathlib import Path

from . import authoring, glyphs, reports
from . import scenarios as shipped
from .core import engine, playthroughs
from .core.catalog import catalog_as_json, catalog_markdown, load_catalog
from .core.diagnostics import ScenarioError
from .core.engine import Engine, EngineError
from .core.loader import find_scenario_files, load, load_with_diagnostics
from .core.model import CATEGORIES, LIFECYCLE_STAGES, PERSONALITIES, SEGMENTS
from .core.text import pick
from .i18n import t
from .storage import StorageError, Store
from .tui import PolicyError, Session, TerminalPlayer, _now, auto_policy, script_policy


class UsageError(Exception):
    """A problem with what the user asked for, explained in one line."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(prog="retention-sim", description="Practise customer-retention calls.")
    parser.add_argument("--classroom", action="store_true", help="open the window in classroom mode")
    parser.add_argument("--tui", action="store_true", help="use the terminal even when a display is available")
    sub = parser.add_subparsers(dest="command")

    shot = sub.add_parser("screenshot", help="render a call state to a PNG without a display")
    shot.add_argument("scenario", help="scenario file or id")
    shot.add_argument("--lang", choices=("en", "zh"), default="en")
    shot.add_argument("--choices", default="", help="responses to take first, e.g. 1,2 (numbers as written)")
    shot.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT")
    shot.add_argument("--classroom", action="store_true", help="classroom look")
    shot.add_argument("-o", "--output", required=True, help="PNG file to write")

    play = sub.add_parser("play", help="play a scenario")
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
    play.add_argument("--report", metavar="PATH", help="write the call's report at the end (.html, .md or .json)")

    rep = sub.add_parser("report", help="a saved call's report, or the cohort report over many calls")
    rep.add_argument("session", nargs="?", help="session id (see: python main.py report --list)")
    rep.add_argument("-o", "--output", help="file to write (.html, .md or .json; default: print Markdown)")
    rep.add_argument("--list", action="store_true", help="list saved sessions")
    rep.add_argument("--cohort", action="store_true", help="aggregate many finished sessions")
    rep.add_argument("--scenario", help="cohort: only this scenario id")
    rep.add_argument("--trainee", help="cohort: only this trainee")
    rep.add_argument("--since", help="cohort: only sessions from this date on (YYYY-MM-DD)")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="cohort report language")

    lst = sub.add_parser("list", help="list the shipped scenarios")
    lst.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    lst.add_argument("--lang", choices=("en", "zh"), default="en")

    val = sub.add_parser("validate", help="check scenario files and point at every problem")
    val.add_argument("paths", nargs="+", help="files or folders")
    val.add_argument("--format", choices=("text", "json"), default="text")
    val.add_argument("--watch", action="store_true", help="check again on every save (Ctrl-C stops)")

    tst = sub.add_parser("test", help="run the playthroughs scenarios declare")
    tst.add_argument("paths", nargs="*", help="files or folders (default: the shipped scenarios)")
    tst.add_argument("--coverage", action="store_true", help="report the nodes and responses they exercise")
    tst.add_argument("--generate", action="store_true",
                     help="propose playthroughs (expert, novice, one per ending) to paste into the file")

    ana = sub.add_parser("analyze", help="every way a scenario can go: paths, scores, warnings")
    ana.add_argument("scenario", help="scenario file or id")
    ana.add_argument("--variant", help="analyse a persona variant")
    ana.add_argument("--format", choices=("text", "json"), default="text")

    gra = sub.add_parser("graph", help="draw the dialogue map")
    gra.add_argument("scenario", help="scenario file or id")
    gra.add_argument("--format", choices=("dot", "mermaid", "html"), default="html")
    gra.add_argument("--lang", choices=("en", "zh"), default="en")
    gra.add_argument("-o", "--output", help="write to this file (default: standard output)")

    new = sub.add_parser("new", help="scaffold a valid, playable scenario")
    new.add_argument("--id", help="scenario id, also the file name")
    new.add_argument("--category", choices=CATEGORIES)
    new.add_argument("--personality", choices=PERSONALITIES)
    new.add_argument("--stage", dest="lifecycle_stage", choices=LIFECYCLE_STAGES)
    new.add_argument("--segment", choices=SEGMENTS)
    new.add_argument("--languages", help="en, zh or en,zh")
    new.add_argument("--name-en", help="customer name in English")
    new.add_argument("--name-zh", help="customer name in Chinese")
    new.add_argument("--spend", dest="monthly_spend", type=float, help="monthly spend")
    new.add_argument("--tenure", dest="tenure_months", type=int, help="months as a customer")
    new.add_argument("-o", "--output", help="file to write (default: scenarios/ID.yaml)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    tech = sub.add_parser("techniques", help="print the technique catalog")
    tech.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    tech.add_argument("--lang", choices=("en", "zh"), default="en")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: never shows a traceback; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (UsageError, EngineError, PolicyError, StorageError, authoring.AuthoringError,
            reports.ReportError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ScenarioError as e:
        for d in e.diagnostics:
            print(d.format(), file=sys.stderr)
        print(f"error: {e.diagnostics[0].path} has errors; fix them and try again "
              f"(python main.py validate {e.diagnostics[0].path})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:  # the last guard: a report to file, a sentence on screen
        log = _crash_log()
        print(f"error: something went wrong inside the simulator (any call in progress is saved). "
              f"Details were written to {log}; please send that file to the developers.", file=sys.stderr)
        return 3


def _crash_log() -> str:
    import tempfile

    try:
        from .storage import default_path

        folder = default_path().parent
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    path = folder / "crash.log"
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {_now()}\n{traceback.format_exc()}\n")
    except OSError:
        return "(nowhere: the log could not be written)"
    return str(path)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "play":
        return cmd_play(args)
    if args.command == "list":
        return cmd_list(args)
    if args.command == "validate":
        return cmd_validate(args)
    if args.command == "test":
        return cmd_test(args)
    if args.command == "techniques":
        return cmd_techniques(args)
    if args.command == "screenshot":
        return cmd_screenshot(args)
    if args.command == "report":
        return reports.cmd_report(args)
    if args.command == "analyze":
        return authoring.cmd_analyze(args)
    if args.command == "graph":
        return authoring.cmd_graph(args)
    if args.command == "new":
        return authoring.cmd_new(args)
    return cmd_launch(args)


# -- launch ------------------------------------------------------------------------------
def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _window():
    """The window package, or None when pygame cannot be imported here."""
    try:
        from . import window
    except ImportError:
        return None
    return window


def cmd_launch(args: argparse.Namespace | None = None) -> int:
    """Start the simulator: the window if it can open, else the terminal player."""
    if _has_display() and not (args and args.tui):
        window = _window()
        if window is not None:
            try:
                return window.run(classroom=True if args and args.classroom else None)
            except Exception as e:  # no usable video device: fall back rather than fail
                if type(e).__name__ not in ("error", "FontMissing"):
                    raise
                print(f"note: the window could not open ({e}); using the terminal", file=sys.stderr)
    return terminal_picker()


def cmd_screenshot(args: argparse.Namespace) -> int:
    """Render a call state to a PNG (tests and docs use it)."""
    path = shipped.find(args.scenario)
    if path is None:
        raise UsageError(f"no scenario file or id '{args.scenario}' (see: python main.py list)")
    scenario = load(path)
    try:
        width, height = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size takes WIDTHxHEIGHT, e.g. 1920x1080 (got '{args.size}')") from None
    if not (640 <= width <= 7680 and 480 <= height <= 4320):
        raise UsageError(f"--size {args.size} is outside 640x480 to 7680x4320")
    if not args.output.lower().endswith(".png"):
        raise UsageError(f"the screenshot is a PNG: name the file .png (got '{args.output}')")
    folder = os.path.dirname(os.path.abspath(args.output))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create {folder}: {e.strerror or e}") from None
    try:
        choices = [int(x) for x in args.choices.replace(" ", "").split(",") if x]
    except ValueError:
        raise UsageError(f"--choices takes numbers separated by commas (got '{args.choices}')") from None
    if args.lang not in scenario.languages:
        raise UsageError(f"scenario '{scenario.id}' has no '{args.lang}' text")
    window = _window()
    if window is None:
        raise UsageError("pygame-ce is not installed; run: make run (or pip install -e .)")
    try:
        window.screenshot(scenario, args.lang, choices, (width, height), args.output, args.classroom)
    except EngineError:
        raise
    except Exception as e:  # pygame reports a bad font file or an unwritable path as its own error type
        raise UsageError(f"cannot render the screenshot: {e}") from None
    print(f"wrote {args.output}")
    return 0


def terminal_picker() -> int:
    """Choose a scenario and a language in the terminal, then play it."""
    catalogue = shipped.load_folder()
    if not catalogue.scenarios:
        raise UsageError(f"no playable scenarios in {shipped.scenarios_dir()}")
    try:
        lang = input(t("pick_language", "en")).strip().lower() or "en"
    except EOFError:
        return 0
    lang = lang if lang in ("en", "zh") else "en"
    print(t("pick_scenario", lang))
    items = sorted(catalogue.scenarios, key=lambda s: (s.category, s.id))
    for n, s in enumerate(items, start=1):
        print(f"  {n}. [{s.category}, {s.difficulty}] {pick(s.title, lang)}")
    while True:
        try:
            raw = input(t("pick_prompt", lang)).strip().lower()
        except EOFError:
            return 0
        if raw in ("q", "quit"):
            return 0
        if raw.isdigit() and 1 <= int(raw) <= len(items):
            scenario = items[int(raw) - 1]
            break
        print(t("invalid", lang, n=len(items)))
    if lang not in scenario.languages:
        lang = scenario.languages[0]
    args = build_parser().parse_args(["play", scenario.path, "--tui", "--lang", lang])
    return cmd_play(args)


# -- play --------------------------------------------------------------------------------
def _open_store(args: argparse.Namespace) -> Store | None:
    if args.no_save:
        return None
    try:
        return Store()
    except StorageError as e:
        print(f"warning: {e}; this call will not be saved", file=sys.stderr)
        return None


def cmd_play(args: argparse.Namespace) -> int:
    """Play (or resume) a call in the terminal."""
    if args.script and args.auto:
        raise UsageError("use either --script or --auto, not both")
    if args.report:
        reports.check_report_path(args.report)
    store = _open_store(args)
    if args.resume:
        return _resume(args, store)
    if not args.scenario:
        raise UsageError("name a scenario file or id, or use --resume")
    path = shipped.find(args.scenario)
    if path is None:
        raise UsageError(f"no scenario file or id '{args.scenario}' (see: python main.py list)")
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
    player = TerminalPlayer(scenario, feedback=args.feedback)
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
    player = TerminalPlayer(scenario, feedback=args.feedback)
    final = player.play(state, None, Session(store, record.id))
    if args.report and final.over:
        reports.write_call_report(scenario, final, args.report, record.trainee, record.started_at, _now())
    return 0


# -- list, validate, test, techniques -------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    """List the shipped scenarios."""
    catalogue = shipped.load_folder()
    rows = [shipped.summary(s, args.lang) for s in sorted(catalogue.scenarios, key=lambda s: (s.category, s.id))]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(shipped.index_markdown(catalogue.scenarios), end="")
    else:
        print(f"{'id':<40} {'category':<18} {'difficulty':<13} {'languages':<10} title")
        for row, s in zip(rows, sorted(catalogue.scenarios, key=lambda s: (s.category, s.id)), strict=True):
            print(f"{row['id']:<40} {row['category']:<18} {row['difficulty']:<13} "
                  f"{','.join(row['languages']):<10} {pick(s.title, args.lang)}")
    for path, diagnostics in catalogue.broken.items():
        errors = sum(d.severity == "error" for d in diagnostics)
        print(f"warning: skipped {path}: {errors} error(s); run: python main.py validate {path}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check files and folders; exit 1 when any file has an error (``--watch``: again on every save)."""
    if args.watch:
        return authoring.watch(args.paths, lambda: validate_once(args))
    return validate_once(args)


def validate_once(args: argparse.Namespace) -> int:
    """One validation pass over ``args.paths``."""
    files = find_scenario_files(args.paths)
    missing = [p for p in args.paths if not os.path.exists(p)]
    report = []
    errors = warnings = 0
    for path in files:
        diagnostics = load_with_diagnostics(path)[1] + glyphs.check_file(path)
        errors += sum(d.severity == "error" for d in diagnostics)
        warnings += sum(d.severity == "warning" for d in diagnostics)
        report.append({"path": path, "diagnostics": [d.as_json() for d in diagnostics]})
        if args.format == "text":
            for d in diagnostics:
                print(d.format())
    bad_files = sum(any(d["severity"] == "error" for d in r["diagnostics"]) for r in report)
    if args.format == "json":
        print(json.dumps({"files": report, "errors": errors, "warnings": warnings}, ensure_ascii=False, indent=2))
    else:
        verdict = "ok" if not errors else f"{bad_files} file(s) with errors"
        print(f"checked {len(files)} file(s): {errors} error(s), {warnings} warning(s): {verdict}")
    if not files and not missing:
        print("warning: no .yaml files found", file=sys.stderr)
    return 1 if errors or (missing and not files) else 0


def cmd_test(args: argparse.Namespace) -> int:
    """Run every declared playthrough; exit 1 on any failure (or report coverage, or propose some)."""
    files = find_scenario_files(args.paths or [str(shipped.scenarios_dir())])
    if args.coverage or args.generate:
        return authoring.cmd_test_extras(files, args.coverage, args.generate)
    passed = failed = 0
    for path in files:
        scenario, diagnostics = load_with_diagnostics(path)
        problems = [d for d in diagnostics if d.severity == "error"]
        if scenario is None or problems:
            for d in problems:
                print(d.format())
            print(f"FAIL {path}: does not load")
            failed += 1
            continue
        for result in playthroughs.run_all(scenario):
            label = f"{scenario.id} {result.playthrough.name} [{result.language}]"
            if result.playthrough.variant:
                label += f" ({result.playthrough.variant})"
            if result.passed:
                passed += 1
                print(f"ok   {label}: {result.ending}, {result.score}/100")
            else:
                failed += 1
                print(f"FAIL {label}")
                print(result.problem.format())
    print(f"playthroughs: {passed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_techniques(args: argparse.Namespace) -> int:
    """Print the technique catalog."""
    catalog = load_catalog()
    if args.format == "json":
        print(json.dumps(catalog_as_json(catalog), ensure_ascii=False, indent=2))
        return 0
    if args.format == "markdown":
        print(catalog_markdown(catalog), end="")
        return 0
    lang = args.lang
    for step in catalog.steps.values():
        print(f"{step.order}. {step.id} — {pick(step.name, lang)}: {pick(step.description, lang)}")
        for tech in catalog.techniques.values():
            if tech.step == step.id:
                print(f"     {tech.id:<26} {pick(tech.name, lang)} (weight {tech.weight:g}): "
                      f"{pick(tech.description, lang)}")
    print("mistakes:")
    for m in catalog.mistakes.values():
        print(f"     {m.id:<26} {pick(m.name, lang)} (−{m.penalty:g}): {pick(m.description, lang)}")
    return 0
