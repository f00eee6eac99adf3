"""``classroom``: project a call; with ``--serve`` the room votes from their phones (issue 14)."""

from __future__ import annotations

import argparse
import sys

from ..core.engine import Engine
from ..core.loader import load
from ..storage import Store
from .common import UsageError, has_display, scenario_path, window

NAME = "classroom"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``classroom`` sub-command's arguments."""
    p = sub.add_parser(NAME, help="project a call for a class; --serve lets the room vote from their phones")
    p.add_argument("scenario", help="scenario file or id")
    p.add_argument("--serve", action="store_true", help="serve the phone page on the local network")
    p.add_argument("--port", type=int, default=8014, help="port of the phone page (default 8014; 0 picks a free one)")
    p.add_argument("--host", help="address to serve on (default: this machine's address on the local network)")
    p.add_argument("--lang", choices=("en", "zh"), help="language of the room (default: en when available)")
    p.add_argument("--headless", action="store_true",
                   help="no window: print the join URL and the instructor token and serve until Ctrl-C")
    p.add_argument("--seed", type=int, default=0, help="seed of the shuffled response order")
    p.add_argument("--no-save", action="store_true", help="do not store the room's call")
    return p


def run(args: argparse.Namespace) -> int:
    """Open the classroom window, serve the room, or both."""
    path = scenario_path(args.scenario)
    if not args.serve:
        if args.headless:
            raise UsageError("--headless needs --serve (without the window the room can only vote)")
        package = window() if has_display() else None
        if package is None:
            raise UsageError("the classroom window needs a display; use --serve --headless to run the room's page")
        return package.run(classroom=True, scenario_path=path)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be 0 to 65535, not {args.port}")
    from ..classroom.hub import Hub
    from ..classroom.serve import RoomServer, lan_address

    scenario = load(path)
    lang = args.lang or ("en" if "en" in scenario.languages else scenario.languages[0])
    if lang not in scenario.languages:
        raise UsageError(f"scenario '{scenario.id}' is written in {', '.join(scenario.languages)}, not '{lang}'")
    hub = Hub(Engine(scenario), lang, path, None if args.no_save else Store, seed=args.seed)
    server = RoomServer(hub, args.host or lan_address(), args.port)
    package = None if args.headless else (window() if has_display() else None)
    if package is None and not args.headless:
        print("note: no display here; serving the room without the window (as with --headless)", file=sys.stderr)
    try:
        server.start()
    except OSError as e:
        raise UsageError(f"the phone page cannot be served on {server.host}:{args.port} ({e}); "
                         "try another --port") from None
    try:
        print(f"join: {server.url}")
        print(f"instructor token: {hub.token}", flush=True)
        if package is not None:
            return package.run_room(hub, server.url)
        server.wait()
        return 0
    finally:
        server.stop()
        if hub.store_error:
            print(f"warning: the room's call could not be stored: {hub.store_error}", file=sys.stderr)
