"""``list``: the shipped scenarios as a table, JSON or the library's Markdown index."""

from __future__ import annotations

import argparse
import json
import sys

from .. import scenarios as shipped
from ..core.text import pick

NAME = "list"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``list`` sub-command's arguments."""
    lst = sub.add_parser(NAME, help="list the shipped scenarios")
    lst.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    lst.add_argument("--lang", choices=("en", "zh"), default="en")
    return lst


def run(args: argparse.Namespace) -> int:
    """List the shipped scenarios."""
    catalogue = shipped.load_folder()
    rows = [shipped.summary(s, args.lang) for s in sorted(catalogue.scenarios, key=lambda s: (s.category, s.id))]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(shipped.index_markdown(catalogue.scenarios), end="")
    else:
        wide = max((len(row["id"]) for row in rows), default=0)  # the longest id still leaves a space after it
        print(f"{'id':<{wide}} {'category':<18} {'difficulty':<13} {'languages':<10} title")
        for row, s in zip(rows, sorted(catalogue.scenarios, key=lambda s: (s.category, s.id)), strict=True):
            print(f"{row['id']:<{wide}} {row['category']:<18} {row['difficulty']:<13} "
                  f"{','.join(row['languages']):<10} {pick(s.title, args.lang)}")
    for path, diagnostics in catalogue.broken.items():
        errors = sum(d.severity == "error" for d in diagnostics)
        print(f"warning: skipped {path}: {errors} error(s); run: python main.py validate {path}", file=sys.stderr)
    return 0
