"""``analyze``: every way a scenario can go, its best and worst paths, and the author's warnings."""

from __future__ import annotations

import argparse
import json

from ..authoring import AuthoringError, audit_as_json, load_scenario, print_audit
from ..core import audit as auditing

NAME = "analyze"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``analyze`` sub-command's arguments."""
    ana = sub.add_parser(NAME, help="every way a scenario can go: paths, scores, warnings")
    ana.add_argument("scenario", help="scenario file or id")
    ana.add_argument("--variant", help="analyse a persona variant")
    ana.add_argument("--format", choices=("text", "json"), default="text")
    return ana


def run(args: argparse.Namespace) -> int:
    """Print what can happen in a scenario (warnings are advice: the exit code stays 0)."""
    scenario = load_scenario(args.scenario)
    if args.variant and args.variant not in scenario.variants:
        raise AuthoringError(f"scenario '{scenario.id}' has no variant '{args.variant}'")
    report = auditing.audit(scenario, args.variant)
    data = audit_as_json(scenario, report)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_audit(scenario, data, report)
    return 0
