"""The command line: assembles the commands of ``simulator.commands`` and guards their errors.

``python main.py`` with no command starts the simulator: the window when there is a display
and the window package is installed, else the terminal player with a scenario picker.

Every command's text output passes through :func:`simulator.core.text.printable`, so control
characters in content (ESC sequences, BEL, CR, bidi overrides) never reach the terminal raw.
JSON output is left alone (JSON escapes control characters itself), and the terminal player
cleans its own lines because it writes colour codes.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

# Everything else is imported inside main(), under its Ctrl-C guard: an interrupt while the
# simulator is still loading then ends quietly with 130, like one at any later moment.


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    from .commands import COMMANDS, launch
    from .commands.common import Parser

    parser = Parser(prog="retention-sim", description="Practise customer-retention calls.")
    parser.add_argument("--classroom", action="store_true", help="open the window in classroom mode")
    parser.add_argument("--tui", action="store_true", help="use the terminal even when a display is available")
    parser.set_defaults(run=launch.run, module=launch)
    sub = parser.add_subparsers(dest="command")
    for command in COMMANDS:
        command.add_parser(sub).set_defaults(run=command.run, module=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: never shows a traceback; returns the exit code (130 after Ctrl-C, at any moment)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    from . import authoring, reports
    from .commands.common import UsageError
    from .core.diagnostics import ScenarioError
    from .core.engine import EngineError
    from .policies import PolicyError
    from .storage import StorageError

    args = build_parser().parse_args(argv)
    raw = getattr(args.module, "CLEANS_OWN_OUTPUT", False) or getattr(args, "format", None) == "json"
    with _printable_output(stdout=not raw):
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
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt:
            raise
        except Exception:  # the last guard: a report to file, a sentence on screen
            log = _crash_log()
            print(f"error: something went wrong inside the simulator (any call in progress is saved). "
                  f"Details were written to {log}; please send that file to the developers.", file=sys.stderr)
            return 3


class _Printable:
    """A text stream whose writes pass through ``printable``; everything else is the wrapped stream's."""

    def __init__(self, stream) -> None:
        from .core.text import printable

        self._stream = stream
        self._printable = printable

    def write(self, text: str) -> int:
        return self._stream.write(self._printable(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def _printable_output(stdout: bool):
    saved = sys.stdout, sys.stderr
    if stdout:
        sys.stdout = _Printable(sys.stdout)
    sys.stderr = _Printable(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _crash_log() -> str:
    import tempfile

    from .tui import _now

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
