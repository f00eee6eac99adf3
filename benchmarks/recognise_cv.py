"""Choosing the recogniser's settings by cross-validation inside the training part (never the held-back fifth).

``make bench`` (benchmarks/recognise.py) reports the held-back fifth of the exemplar corpus:
looking at it to pick a setting would make that report a measurement of the picking. This
script measures candidate :class:`simulator.recogniser.train.Settings` on the training part
only, the corpus minus its held-back fifth plus the library's options, two ways:

- ``--cv`` (default): the training part's corpus answers dealt into 5 folds by a hash of their
  language and text (another hash than the held-back one); each fold's answers are recognised
  by a model trained on the other folds and the whole library, as the shipped model will meet
  a typed answer it never saw;
- ``--loso``: the library's scenarios dealt into ``--groups`` groups; each group's options are
  recognised by a model trained on the training part's corpus and the other groups' options.

Every candidate goes through :func:`simulator.recogniser.train.fit`, the very training of
``make model`` (Platt scaling, thresholds, the at-least-one rule), so the numbers are what
shipping that setting would give. The numbers behind :data:`~simulator.recogniser.train.CHOSEN`
are quoted in its comments. Slow: a minute or two per candidate and language on a free core.

    python benchmarks/recognise_cv.py [--loso] [--lang en] [CANDIDATE ...]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from recognise import f1_scores  # noqa: E402

from simulator.core.freetext import FeatureSpec  # noqa: E402
from simulator.recogniser.corpus import LANGS, held_back  # noqa: E402
from simulator.recogniser.train import CHOSEN, all_labels, fit, training_examples  # noqa: E402

FOLDS = 5
# What the comments of train.Settings compare, by name; "before" is the model shipped before the cues.
CANDIDATES = {
    "chosen": CHOSEN,
    "before": replace(CHOSEN, C=0.1, library_weight=1.0, cue_weight=0.0, spec=FeatureSpec(), margin=0.0),
    "no-cues": replace(CHOSEN, cue_weight=0.0),
    "cues-1": replace(CHOSEN, cue_weight=1.0),
    "cues-10": replace(CHOSEN, cue_weight=10.0),
    "library-1": replace(CHOSEN, library_weight=1.0),
    "library-0.25": replace(CHOSEN, library_weight=0.25),
    "C-0.1": replace(CHOSEN, C=0.1),
    "C-0.5": replace(CHOSEN, C=0.5),
    "lr": replace(CHOSEN, method="lr", C=10.0),
    "words-1-2": replace(CHOSEN, spec=FeatureSpec()),
    "margin-0": replace(CHOSEN, margin=0.0),
    "margin-0.25": replace(CHOSEN, margin=0.25),
    "margin-0.75": replace(CHOSEN, margin=0.75),
}


def fold(example) -> int:
    """The CV fold of a training answer: a hash of its language and text, salted apart from the held-back split."""
    digest = hashlib.sha256(f"cv\n{example.lang}\n{example.text}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % FOLDS


def cross_validate(train_corpus, library, lang: str, labels: list[str], settings) -> tuple[float, float, int]:
    """Micro- and macro-F1 of ``settings`` on the corpus answers of ``lang``, each fold unseen by its model."""
    mine = [e for e in train_corpus if e.lang == lang]
    truth, guess = [], []
    for k in range(FOLDS):
        model = fit([e for e in mine if fold(e) != k] + library, lang, labels, settings)
        for e in mine:
            if fold(e) == k:
                truth.append(e.labels)
                guess.append(model.heard(model.confidences(e.text)))
    return (*f1_scores(truth, guess, labels), len(truth))


def leave_scenarios_out(train_corpus, library, lang: str, labels: list[str], settings,
                        groups: int) -> tuple[float, float, int]:
    """Micro- and macro-F1 of ``settings`` on the library's options of ``lang``, each group of scenarios unseen."""
    ids = sorted({e.source for e in library})
    truth, guess = [], []
    for group in (ids[i::groups] for i in range(min(groups, len(ids)))):
        model = fit(train_corpus + [e for e in library if e.source not in group], lang, labels, settings)
        for e in library:
            if e.lang == lang and e.source in group:
                truth.append(e.labels)
                guess.append(model.heard(model.confidences(e.text)))
    return (*f1_scores(truth, guess, labels), len(truth))


def main(argv: list[str] | None = None) -> int:
    """Print micro- and macro-F1 per language for each candidate named (default: before and chosen)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("candidates", nargs="*", choices=[[], *CANDIDATES], default=["before", "chosen"],
                        metavar="CANDIDATE", help=f"one of: {', '.join(CANDIDATES)} (default: before chosen)")
    parser.add_argument("--loso", action="store_true", help="leave library scenarios out instead of corpus folds")
    parser.add_argument("--groups", type=int, default=5, help="scenario groups for --loso (default 5)")
    parser.add_argument("--lang", choices=LANGS, action="append", help="only this language (repeatable)")
    args = parser.parse_args(argv)
    corpus, library, problems = training_examples()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    train_corpus = [e for e in corpus if not held_back(e)]  # the held-back fifth is never seen here
    labels = all_labels()
    how = f"leaving library scenarios out ({args.groups} groups)" if args.loso else f"{FOLDS}-fold CV on the corpus"
    print(f"training part: {len(train_corpus)} corpus answers + {len(library)} library options; {how}")
    for name in args.candidates:
        for lang in args.lang or LANGS:
            if args.loso:
                micro, macro, n = leave_scenarios_out(train_corpus, library, lang, labels, CANDIDATES[name],
                                                      max(1, args.groups))
            else:
                micro, macro, n = cross_validate(train_corpus, library, lang, labels, CANDIDATES[name])
            print(f"   {name:14s} {lang}: micro-F1 {micro:.3f}  macro-F1 {macro:.3f}  on {n}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
