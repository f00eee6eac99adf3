"""The command line: assembles the commands of ``simulator.commands`` and guards their errors.

``python main.py`` with no command starts the simulator: the window when there is a display
and the window package is installed, else the terminal player with a scenario picker.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import authoring, reports
from .commands import COMMANDS, launch
from .commands.common import UsageError
from .core.diagnostics import ScenarioError
from .core.engine import EngineError
from .storage import StorageError
from .tui import PolicyError, _now


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(prog="retention-sim", description="Practise customer-retention calls.")
    parser.add_argument("--classroom", action="store_true", help="open the window in classroom mode")
    parser.add_argument("--tui", action="store_true", help="use the terminal even when a display is available")
    parser.set_defaults(run=launch.run)
    sub = parser.add_subparsers(dest="command")
    for command in COMMANDS:
        command.add_parser(sub).set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: never shows a traceback; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
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
