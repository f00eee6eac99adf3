"""``recognise``: which techniques and mistakes the simulator hears in an answer, one text or a JSONL batch.

Instructors use it to check what a trainee's words will be scored as before a class.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..core.catalog import load_catalog
from ..recogniser.corpus import LANGS
from ..recogniser.model import ModelError, shipped
from .common import UsageError

NAME = "recognise"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``recognise`` sub-command's arguments."""
    rec = sub.add_parser(NAME, help="print the techniques and mistakes heard in a typed answer",
                         description="Recognise techniques and mistakes in free text, offline.")
    rec.add_argument("text", nargs="?", help="the answer to read (quote it)")
    rec.add_argument("--lang", choices=LANGS, default="en", help="the answer's language (default: en)")
    rec.add_argument("--batch", metavar="FILE.jsonl",
                     help='read lines {"lang": "en"|"zh", "text": "…"} and write one JSON line per input, in order '
                          "('-' reads standard input)")
    rec.add_argument("--all", action="store_true", help="with TEXT: also list the ids not heard, with confidences")
    return rec


def run(args: argparse.Namespace) -> int:
    """Recognise one text, or every line of a batch file."""
    if args.batch and args.text is not None:
        raise UsageError("give either TEXT or --batch FILE, not both")
    if args.batch:
        return _batch(args.batch)
    if args.text is None or not args.text.strip():
        raise UsageError('give the answer to recognise, e.g. recognise --lang en "What happened exactly?"')
    return _one(args.text, args.lang, args.all)


def _model(lang: str):
    try:
        return shipped(lang)
    except ModelError as e:
        raise UsageError(str(e)) from None


def recognise(text: str, lang: str) -> dict:
    """The batch answer for one text: ids heard (techniques, mistakes) and every id's confidence."""
    model = _model(lang)
    catalog = load_catalog()
    confidences = model.confidences(text)
    heard = model.heard(confidences)
    return {"techniques": [i for i in heard if i in catalog.techniques],
            "mistakes": [i for i in heard if i in catalog.mistakes],
            "confidence": confidences}


def _one(text: str, lang: str, show_all: bool) -> int:
    model = _model(lang)
    catalog = load_catalog()
    confidences = model.confidences(text)
    heard = model.heard(confidences)
    if not heard:
        print("heard nothing the catalog names (no technique, no mistake)")
    for label in heard:
        kind = "technique" if label in catalog.techniques else "mistake"
        print(f"{label:<26} {confidences[label]:.2f}  {kind}")
    if show_all:
        print("not heard:")
        for label, c in sorted(confidences.items(), key=lambda x: -x[1]):
            if label not in heard:
                print(f"  {label:<24} {c:.2f}")
    return 0


def _batch(path: str) -> int:
    try:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
    with stream:
        try:
            lines = stream.read().splitlines()
        except UnicodeDecodeError:
            raise UsageError(f"{path} is not UTF-8 text") from None
    inputs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        inputs.append(_parse_line(path, number, line))
    for lang, text in inputs:
        print(json.dumps(recognise(text, lang), ensure_ascii=False))
    return 0


def _parse_line(path: str, number: int, line: str) -> tuple[str, str]:
    where = f"{path}:{number}"
    try:
        item = json.loads(line)
    except json.JSONDecodeError as e:
        raise UsageError(f"{where}:{e.colno}: not a JSON line ({e.msg}); "
                         'each line is {"lang": "en", "text": "…"}') from None
    if not isinstance(item, dict):
        raise UsageError(f'{where}: each line must be an object like {{"lang": "en", "text": "…"}}')
    lang, text = item.get("lang"), item.get("text")
    if lang not in LANGS:
        raise UsageError(f"{where}: 'lang' must be one of {', '.join(LANGS)}, not {json.dumps(lang)}")
    if not isinstance(text, str) or not text.strip():
        raise UsageError(f"{where}: 'text' must be a non-empty string")
    return lang, text
