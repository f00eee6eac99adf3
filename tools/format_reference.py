"""Write the scenario format's JSON Schema and the reference tables of its documentation (`make schema`).

Both are generated from the loader's field tables (simulator/core/loading/fields.py), so the loader,
schema/scenario.schema.json and docs/scenario-format.md cannot disagree. With --check nothing is
written: the exit status is 1 and the stale files are named when either is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.core.loading.reference import schema_text, with_tables

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "scenario.schema.json"
DOC = ROOT / "docs" / "scenario-format.md"


def generated() -> dict[Path, str]:
    """Each generated file and the text it should have."""
    return {SCHEMA: schema_text(), DOC: with_tables(DOC.read_text("utf-8"))}


def main(argv: list[str] | None = None) -> int:
    """Write the files, or with --check report the stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files are current")
    args = parser.parse_args(argv)
    stale = [path for path, text in generated().items() if path.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date with the loader's field tables; run `make schema`",
                  file=sys.stderr)
        return 1 if stale else 0
    for path, text in generated().items():
        if path in stale:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
