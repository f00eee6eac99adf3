"""``techniques``: the technique catalog as a table, JSON or Markdown."""

from __future__ import annotations

import argparse
import json

from ..core.catalog import catalog_as_json, catalog_markdown, load_catalog
from ..core.text import pick

NAME = "techniques"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``techniques`` sub-command's arguments."""
    tech = sub.add_parser(NAME, help="print the technique catalog")
    tech.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    tech.add_argument("--lang", choices=("en", "zh"), default="en")
    return tech


def run(args: argparse.Namespace) -> int:
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
