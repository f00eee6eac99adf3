"""``graph``: the dialogue map as DOT, Mermaid or a self-contained HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import dialogue_map
from ..authoring import AuthoringError, load_scenario, write_new_file
from ..files import path_problem

NAME = "graph"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``graph`` sub-command's arguments."""
    gra = sub.add_parser(NAME, help="draw the dialogue map")
    gra.add_argument("scenario", help="scenario file or id")
    gra.add_argument("--format", choices=("dot", "mermaid", "html"), default="html")
    gra.add_argument("--lang", choices=("en", "zh"), default="en")
    gra.add_argument("-o", "--output", help="write to this file (default: standard output)")
    return gra


def run(args: argparse.Namespace) -> int:
    """Write the dialogue map as DOT, Mermaid or HTML."""
    problem = path_problem(args.output) if args.output is not None else None
    if problem:
        raise AuthoringError(f"-o: {problem}")
    scenario = load_scenario(args.scenario)
    if args.lang not in scenario.languages and len(scenario.languages) > 1:
        raise AuthoringError(f"scenario '{scenario.id}' has no '{args.lang}' text")
    render = {"dot": dialogue_map.to_dot, "mermaid": dialogue_map.to_mermaid, "html": dialogue_map.to_html}
    text = render[args.format](scenario, args.lang)
    if args.output is not None:
        write_new_file(Path(args.output), text, overwrite=True)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0
