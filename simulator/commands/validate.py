"""``validate``: check scenario files and point at every problem (``--watch``: again on every save)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from .. import authoring, glyphs
from ..core.loader import find_scenario_files, load_with_diagnostics

NAME = "validate"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``validate`` sub-command's arguments."""
    val = sub.add_parser(NAME, help="check scenario files and point at every problem")
    val.add_argument("paths", nargs="+", help="files or folders")
    val.add_argument("--format", choices=("text", "json"), default="text")
    val.add_argument("--watch", action="store_true", help="check again on every save (Ctrl-C stops)")
    return val


def run(args: argparse.Namespace) -> int:
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
        # The bundled font's coverage is the shell's concern; the core's loader knows no fonts.
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
