"""The cue lexicon (``simulator/data/cues.yaml``): phrases that usually show a technique or mistake, as features.

An exemplar corpus of some sixty answers per id teaches the n-grams those answers happen to
use; a cue ("sounds frustrating", "理解您的心情", a time plus "call back") lets the recogniser
hear the move in words no example used. Each id's cues are regular expressions per language,
written from the catalog's definitions and the playbook, never from the corpus's answers. The
file is validated like the corpus: every problem is a diagnostic with file:line:col. A model
stores the cues it was trained with, so playing never reads this file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from ..core.catalog import Catalog, load_catalog
from ..core.diagnostics import Diagnostic, make
from ..core.freetext import normalise
from ..core.loading.reader import suggest
from ..core.yamlsafe import parse, read_text

LANGS = ("en", "zh")
_FIELDS = ("format", "cues")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

Cues = dict[str, list[tuple[str, str]]]  # language -> [(id, pattern)], in file order


def cues_path() -> Path:
    """The shipped cue lexicon."""
    return Path(str(resources.files("simulator") / "data" / "cues.yaml"))


def load_cues(path: Path | str | None = None, catalog: Catalog | None = None) -> tuple[Cues, list[Diagnostic]]:
    """The cues of ``path`` (default: the shipped file) per language, and the problems found."""
    path = str(path if path is not None else cues_path())
    catalog = catalog or load_catalog()
    known = (*catalog.techniques, *catalog.mistakes)
    cues: Cues = {lang: [] for lang in LANGS}
    text, diagnostics = read_text(path)
    if text is None:
        return cues, diagnostics
    parsed = parse(text, path)
    if parsed.data is None or parsed.diagnostics:
        return cues, parsed.diagnostics
    data, marks = parsed.data, parsed.marks
    if not isinstance(data, dict):
        return cues, [make("SC003", path, *marks.of(data), field="the file", expected="a mapping",
                           actual=type(data).__name__)]
    problems: list[Diagnostic] = []
    for field in data:
        if field not in _FIELDS:
            problems.append(make("SC002", path, *marks.of_key(data, field), field=field, where="the cue lexicon",
                                 suggestion=f"Known fields: {', '.join(_FIELDS)}."))
    if data.get("format", 1) != 1:
        problems.append(make("SC008", path, *marks.of_value(data, "format"), value=data.get("format")))
    table = data.get("cues")
    if not isinstance(table, dict):
        problems.append(make("SC001", path, *marks.of(data), field="cues", where="the cue lexicon") if table is None
                        else make("SC003", path, *marks.of_value(data, "cues"), field="cues",
                                  expected="a mapping of ids", actual=type(table).__name__))
        return cues, problems
    for label, by_lang in table.items():
        if label not in known:
            problems.append(make("EX001", path, *marks.of_key(table, label), value=label,
                                 suggestion=suggest(str(label), known)))
            continue
        if not isinstance(by_lang, dict):
            problems.append(make("SC003", path, *marks.of_value(table, label), field=label,
                                 expected="a mapping of languages", actual=type(by_lang).__name__))
            continue
        for lang, patterns in by_lang.items():
            if lang not in LANGS:
                problems.append(make("SC004", path, *marks.of_key(by_lang, lang), value=lang, field="language",
                                     choices=", ".join(LANGS), suggestion=""))
            elif not isinstance(patterns, list):
                problems.append(make("SC003", path, *marks.of_value(by_lang, lang), field=f"{label}.{lang}",
                                     expected="a list of patterns", actual=type(patterns).__name__))
            else:
                cues[lang] += _patterns(path, label, patterns, marks, problems)
    return cues, problems


def _patterns(path: str, label: str, patterns: list, marks, problems: list[Diagnostic]) -> list[tuple[str, str]]:
    found = []
    for i, pattern in enumerate(patterns):
        where = marks.of_value(patterns, i)
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(make("SC007", path, *where, field="a cue") if isinstance(pattern, str)
                            else make("SC003", path, *where, field="a cue", expected="text",
                                      actual=type(pattern).__name__))
            continue
        if any(ord(c) < 32 for c in pattern):  # normalised typed text has none: "\b" in double quotes is a backspace
            problems.append(make("EX007", path, *where, value=repr(pattern)))
            continue
        try:
            re.compile(pattern)
        except re.error as e:
            problems.append(make("EX006", path, *where, value=pattern, reason=str(e)))
            continue
        found.append((label, pattern))
    return found


def compile_cues(cues: Sequence[Sequence[str]]) -> tuple[tuple[str, re.Pattern], ...]:
    """``[(id, pattern)]`` of one language compiled once, as ``(feature name, regex)`` for :func:`cue_hits`."""
    return tuple(("cue:" + label, re.compile(pattern)) for label, pattern in cues)


def cue_hits(text: str, compiled: Sequence[tuple[str, re.Pattern]]) -> Counter[str]:
    """``cue:<id>`` once for each compiled cue (:func:`compile_cues`) that ``text`` contains."""
    folded = normalise(text).translate(_QUOTES)
    found: Counter[str] = Counter()
    for feature, pattern in compiled:
        if pattern.search(folded):
            found[feature] += 1
    return found
