"""``new``: scaffold a valid, playable scenario from flags, asking for what is missing at a terminal."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from .. import scaffold
from .. import scenarios as shipped
from ..authoring import AuthoringError, write_new_file
from ..core.loader import ID, load_with_diagnostics
from ..core.model import CATEGORIES, LIFECYCLE_STAGES, PERSONALITIES, SEGMENTS
from ..files import path_problem

NAME = "new"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``new`` sub-command's arguments."""
    new = sub.add_parser(NAME, help="scaffold a valid, playable scenario")
    new.add_argument("--id", help="scenario id, also the file name")
    new.add_argument("--category", choices=CATEGORIES)
    new.add_argument("--personality", choices=PERSONALITIES)
    new.add_argument("--stage", dest="lifecycle_stage", choices=LIFECYCLE_STAGES)
    new.add_argument("--segment", choices=SEGMENTS)
    new.add_argument("--languages", help="en, zh or en,zh")
    new.add_argument("--name-en", help="customer name in English")
    new.add_argument("--name-zh", help="customer name in Chinese")
    new.add_argument("--spend", dest="monthly_spend", type=float, help="monthly spend")
    new.add_argument("--tenure", dest="tenure_months", type=int, help="months as a customer")
    new.add_argument("-o", "--output", help="file to write (default: scenarios/ID.yaml)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    return new


def run(args: argparse.Namespace, ask: Callable[[str], str] | None = None) -> int:
    """Scaffold a scenario from flags, asking for what is missing when a person is at the terminal."""
    answers = scaffold.Answers()
    interactive = ask is not None or sys.stdin.isatty()
    ask = ask or input
    given = {k: v for k, v in vars(args).items() if v is not None}
    problem = path_problem(args.output) if args.output is not None else None
    if problem:
        raise AuthoringError(f"-o: {problem}")
    if not interactive and "id" not in given and args.output is None:
        raise AuthoringError("not at a terminal, so nothing can be asked: give at least --id (or -o)")
    for field, question, choices in scaffold.QUESTIONS:
        if field in given:
            value = given[field]
        elif interactive:
            default = getattr(answers, field)
            shown = ",".join(default) if isinstance(default, tuple) else default
            options = f" [{'/'.join(choices)}]" if choices else ""
            while True:
                try:
                    raw = ask(f"{question}{options} ({shown}): ").strip()
                except (EOFError, KeyboardInterrupt):
                    raise AuthoringError("cancelled; nothing was written") from None
                value = raw or default
                problem = _check_answer(field, value, choices)
                if problem is None:
                    break
                print(problem)
        else:
            continue
        problem = _check_answer(field, value, choices)
        if problem:
            raise AuthoringError(problem)
        setattr(answers, field, _convert(field, value))
    path = Path(args.output) if args.output is not None else shipped.scenarios_dir() / f"{answers.id}.yaml"
    shown = os.path.relpath(path) if not path.is_absolute() or str(path).startswith(os.getcwd()) else str(path)
    text = scaffold.render(answers, shown)
    write_new_file(path, text, overwrite=args.force)
    _scenario_check, diagnostics = load_with_diagnostics(str(path))
    if any(d.severity == "error" for d in diagnostics):  # never hand an author a broken start
        for d in diagnostics:
            print(d.format(), file=sys.stderr)
        raise AuthoringError(f"the new file {path} does not validate; please report this")
    print(f"wrote {shown}: a playable {answers.category} call in {', '.join(answers.languages)}")
    print(f"  play it:     python main.py play {shown} --tui")
    print(f"  check it:    python main.py validate {shown} && python main.py analyze {shown}")
    return 0


def _convert(field: str, value: object) -> object:
    if field == "languages":
        parts = value if isinstance(value, tuple) else tuple(x.strip() for x in str(value).split(",") if x.strip())
        return parts
    if field == "monthly_spend":
        return float(value)
    if field == "tenure_months":
        return int(value)
    return value


def _check_answer(field: str, value: object, choices) -> str | None:
    if choices and value not in choices:
        return f"'{value}' is not one of: {', '.join(choices)}"
    if field == "id" and not ID.match(str(value)):
        return f"'{value}' is not a valid id: use lower-case letters, digits, '_' and '-'"
    if field == "languages":
        langs = _convert(field, value)
        if not langs or any(x not in ("en", "zh") for x in langs) or len(set(langs)) != len(langs):
            return "languages: write en, zh or en,zh"
    try:
        if field == "monthly_spend" and not (math.isfinite(float(value)) and float(value) > 0):
            return "the monthly spend must be more than 0 (a real amount)"
        if field == "tenure_months" and int(value) < 0:
            return "months as a customer cannot be negative"
    except (TypeError, ValueError):
        return f"'{value}' is not a number"
    return None
