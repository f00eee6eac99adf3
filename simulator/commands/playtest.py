"""``test``: run the playthroughs scenarios declare (``--coverage``, ``--generate`` for more)."""

from __future__ import annotations

import argparse

from .. import authoring
from .. import scenarios as shipped
from ..core import playthroughs
from ..core.loader import find_scenario_files, load_with_diagnostics

NAME = "test"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``test`` sub-command's arguments."""
    tst = sub.add_parser(NAME, help="run the playthroughs scenarios declare")
    tst.add_argument("paths", nargs="*", help="files or folders (default: the shipped scenarios)")
    tst.add_argument("--coverage", action="store_true", help="report the nodes and responses they exercise")
    tst.add_argument("--generate", action="store_true",
                     help="propose playthroughs (expert, novice, one per ending) to paste into the file")
    return tst


def run(args: argparse.Namespace) -> int:
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
