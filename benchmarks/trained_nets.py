"""Meaning networks the benchmark trains on part of the data, kept under ``build/meaning-nets/`` between runs.

A network takes about ten minutes to train here, and the benchmark needs six (the held-back
fifth and five groups of scenarios left out), so each is kept in a file named by a hash of
everything that decides it: the training answers and their ids, the labels, the training
settings and the code (not the docstrings or comments) of the modules that train and run it. Change any of them and the
network is trained again; nothing stale is ever measured.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.recogniser import encoder, meaning, meaning_train  # noqa: E402
from simulator.recogniser.corpus import Example  # noqa: E402
from simulator.recogniser.meaning import Meaning, MeaningError, load_meaning  # noqa: E402

CACHE = ROOT / "build" / "meaning-nets"
_encoder: list = []


def _key(examples: Sequence[Example], labels: Sequence[str]) -> str:
    h = hashlib.sha256()
    rows = sorted((e.lang, e.text, sorted(e.labels)) for e in examples)
    settings = [meaning_train.SEED, meaning_train.EPOCHS, meaning_train.BATCH, meaning_train.ENCODER_LR,
                meaning_train.HEAD_LR, meaning_train.WEIGHT_DECAY, meaning_train.DROPOUT, meaning_train.JOIN,
                version(meaning.ENCODER_PACKAGE)]
    h.update(json.dumps([rows, list(labels), settings], ensure_ascii=False).encode())
    for module in (encoder, meaning, meaning_train):
        h.update(_code(Path(module.__file__).read_text(encoding="utf-8")).encode())
    return h.hexdigest()[:20]


def _code(source: str) -> str:
    """The module's syntax tree without docstrings (comments are not in it): what runs, not what explains."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body and \
                isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
                isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def meaning_for(examples: Sequence[Example], labels: Sequence[str],
                log: Callable[[str], None] | None = None) -> Meaning:
    """A meaning network trained on ``examples`` exactly as ``make model`` trains the shipped one."""
    if not _encoder:
        _encoder.append(encoder.load_encoder())
    path = CACHE / f"{_key(examples, labels)}.npz"
    try:
        return load_meaning(path, encoder=_encoder[0])
    except MeaningError:
        pass  # not trained yet (or a damaged file): train it
    if log:
        log(f"{len(examples)} answers, {meaning_train.EPOCHS} epochs; kept as {path.relative_to(ROOT)}")
    net = meaning_train.train(examples, labels, _encoder[0], log=log)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    net.save(tmp)
    os.replace(tmp, path)
    # measured as saved (float16), as the shipped one is
    return load_meaning(path, encoder=_encoder[0])
