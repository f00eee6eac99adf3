"""``screenshot``: render a call state to a PNG without a display (tests and docs use it)."""

from __future__ import annotations

import argparse
import os

from ..core.engine import Engine, EngineError
from ..core.loader import load
from .common import UsageError, response_numbers, scenario_path, window

NAME = "screenshot"


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``screenshot`` sub-command's arguments."""
    shot = sub.add_parser(NAME, help="render a call state to a PNG without a display")
    shot.add_argument("scenario", help="scenario file or id")
    shot.add_argument("--lang", choices=("en", "zh"), default="en")
    shot.add_argument("--choices", default="", help="responses to take first, e.g. 1,2 (numbers as written)")
    shot.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT")
    shot.add_argument("--classroom", action="store_true",
                      help="classroom look; the scores stay hidden, as in the live window before R")
    shot.add_argument("--reveal", action="store_true",
                      help="with --classroom: show the scores, as after the instructor presses R")
    shot.add_argument("--review", type=int, metavar="TURN",
                      help="draw the finished call's turn-by-turn review at this turn (1 is the first)")
    shot.add_argument("--answer", choices=("choice", "free", "both"), default="choice",
                      help="answer mode: pick (choice), type your own words (free), or either (both)")
    shot.add_argument("--typed", default="", metavar="TEXT",
                      help="with --answer free or both: words typed and sent, to show what was heard")
    shot.add_argument("-o", "--output", required=True, help="PNG file to write")
    return shot


def run(args: argparse.Namespace) -> int:
    """Render a call state to a PNG."""
    scenario = load(scenario_path(args.scenario))
    try:
        width, height = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size takes WIDTHxHEIGHT, e.g. 1920x1080 (got '{args.size}')") from None
    if not (640 <= width <= 7680 and 480 <= height <= 4320):
        raise UsageError(f"--size {args.size} is outside 640x480 to 7680x4320")
    if not args.output.lower().endswith(".png"):
        raise UsageError(f"the screenshot is a PNG: name the file .png (got '{args.output}')")
    folder = os.path.dirname(os.path.abspath(args.output))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create {folder}: {e.strerror or e}") from None
    if args.reveal and not args.classroom:
        raise UsageError("--reveal shows classroom scores; outside classroom mode they always show (add --classroom)")
    choices = response_numbers(args.choices, "--choices") if args.choices.strip() else []
    if args.lang not in scenario.languages:
        raise UsageError(f"scenario '{scenario.id}' has no '{args.lang}' text")
    if args.review is not None:
        _check_review(scenario, args.lang, choices, args.review)
    if args.typed.strip() and args.answer == "choice":
        raise UsageError("--typed types an answer: add --answer free (or both)")
    if args.typed.strip() and args.review is not None:
        raise UsageError("--typed answers the call's next turn; --review shows a finished call: use one")
    package = window()
    if package is None:
        raise UsageError("pygame-ce is not installed; run: make run (or pip install -e .)")
    try:
        package.screenshot(scenario, args.lang, choices, (width, height), args.output, args.classroom,
                           revealed=True if args.reveal else None, review=args.review, answer=args.answer,
                           typed=args.typed.strip())
    except EngineError:
        raise
    except Exception as e:  # pygame reports a bad font file or an unwritable path as its own error type
        raise UsageError(f"cannot render the screenshot: {e}") from None
    print(f"wrote {args.output}")
    return 0


def _check_review(scenario, lang: str, choices: list[int], turn: int) -> None:
    """A review is of a finished call, at one of its turns: say so in one line otherwise."""
    eng = Engine(scenario)
    state = eng.start(lang, 0)
    for number in choices:
        state = eng.choose_response(state, number - 1)
    if not state.over:
        raise UsageError(f"--review shows a finished call: --choices must answer to the end "
                         f"({len(choices)} answer(s) leave the call at turn {state.turn + 1})")
    if not 1 <= turn <= len(state.history):
        raise UsageError(f"--review {turn}: the call has turns 1 to {len(state.history)}")
