"""The recogniser's training data: the exemplar corpus, validated, and the library's labelled options.

The corpus (``simulator/data/exemplars/<label>.yaml``, format in issue 12) is read with the
same safe YAML reader as scenarios, so every problem is a diagnostic from the one table with
file:line:col. The library's options are loaded from the scenarios themselves, never copied.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..core.catalog import Catalog, load_catalog
from ..core.diagnostics import Diagnostic, make
from ..core.loading.reader import suggest
from ..core.model import Scenario
from ..core.text import fill, pick
from ..core.yamlsafe import parse, read_text

LANGS = ("en", "zh")
MIN_PER_LANG = 24  # the agreed floor: a 20% held-back share still leaves 20 to train on
CONTEXTS = ("churn_threat", "complaint", "competitor_offer")
_FILE_FIELDS = ("format", "label", "examples")
_EXAMPLE_FIELDS = ("lang", "text", "labels", "context")


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled answer: where it came from, its language, its text and every id it shows."""

    lang: str
    text: str
    labels: tuple[str, ...]
    source: str  # the corpus file's label, or the scenario id of a library option
    where: str  # path:line:col, for messages
    library: bool = False  # an authored option of a scenario, not a typed answer of the corpus


def corpus_dir() -> Path:
    """The shipped exemplar corpus folder."""
    return Path(str(resources.files("simulator") / "data" / "exemplars"))


def held_back(example: Example, share: int = 5) -> bool:
    """Whether an example is in the held-back test part: 1 in ``share``, by a hash of its language and text.

    A hash (not a random draw) keeps the split the same on every machine and run, and an
    answer stays on its side when other examples are added or files are reordered.
    """
    digest = hashlib.sha256(f"{example.lang}\n{example.text}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % share == 0


def load_corpus(folder: Path | str | None = None, catalog: Catalog | None = None,
                minimum: int = MIN_PER_LANG) -> tuple[list[Example], list[Diagnostic]]:
    """Every example of every ``*.yaml`` in ``folder`` and the problems found (a missing folder is empty)."""
    folder = Path(folder) if folder is not None else corpus_dir()
    catalog = catalog or load_catalog()
    known = (*catalog.techniques, *catalog.mistakes)
    examples: list[Example] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[tuple[str, str], str] = {}
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in paths:
        found, problems = _load_file(str(path), known, minimum)
        diagnostics += problems
        for example in found:
            key = (example.lang, " ".join(example.text.lower().split()))
            if key in seen:
                line, col = example.where.rsplit(":", 2)[1:]
                diagnostics.append(make("EX004", str(path), int(line), int(col), lang=example.lang, first=seen[key]))
                continue
            seen[key] = example.where
            examples.append(example)
    return examples, diagnostics


def _load_file(path: str, known: tuple[str, ...], minimum: int) -> tuple[list[Example], list[Diagnostic]]:
    text, diagnostics = read_text(path)
    if text is None:
        return [], diagnostics
    parsed = parse(text, path)
    if parsed.data is None or parsed.diagnostics:
        return [], parsed.diagnostics
    data, marks = parsed.data, parsed.marks
    if not isinstance(data, dict):
        return [], [make("SC003", path, *marks.of(data), field="the file", expected="a mapping",
                         actual=type(data).__name__)]
    problems: list[Diagnostic] = []

    def at_key(container: object, key: str) -> tuple[int, int]:
        return marks.of_key(container, key)

    for field in data:
        if field not in _FILE_FIELDS:
            problems.append(make("SC002", path, *at_key(data, field), field=field, where="an exemplar file",
                                 suggestion=f"Known fields: {', '.join(_FILE_FIELDS)}."))
    for field in _FILE_FIELDS:
        if field not in data:
            problems.append(make("SC001", path, *marks.of(data), field=field, where="an exemplar file"))
    if data.get("format", 1) != 1:
        problems.append(make("SC008", path, *marks.of_value(data, "format"), value=data.get("format")))
    label = data.get("label")
    name = os.path.splitext(os.path.basename(path))[0]
    if isinstance(label, str):
        if label not in known:
            problems.append(make("EX001", path, *marks.of_value(data, "label"), value=label,
                                 suggestion=suggest(label, known)))
        elif label != name:
            problems.append(make("EX002", path, *marks.of_value(data, "label"), value=label, name=name))
    items = data.get("examples")
    if not isinstance(items, list):
        if "examples" in data:
            problems.append(make("SC003", path, *marks.of_value(data, "examples"), field="examples",
                                 expected="a list", actual=type(items).__name__))
        return [], problems
    examples = [e for i, item in enumerate(items) if (e := _example(path, item, marks, i, items, known, problems))]
    for lang in LANGS:  # counted as written, so one broken example is reported once, not twice
        count = sum(isinstance(item, dict) and item.get("lang") == lang for item in items)
        if count < minimum:
            problems.append(make("EX003", path, *at_key(data, "examples"), count=count, lang=lang, minimum=minimum))
    return examples, problems


def _example(path: str, item: object, marks, index: int, items: list, known: tuple[str, ...],
             problems: list[Diagnostic]) -> Example | None:
    line, col = marks.of_value(items, index)
    if not isinstance(item, dict):
        problems.append(make("SC003", path, line, col, field="an example", expected="a mapping",
                             actual=type(item).__name__))
        return None
    before = len(problems)
    for field in item:
        if field not in _EXAMPLE_FIELDS:
            problems.append(make("SC002", path, *marks.of_key(item, field), field=field, where="an example",
                                 suggestion=f"Known fields: {', '.join(_EXAMPLE_FIELDS)}."))
    for field in ("lang", "text", "labels"):
        if field not in item:
            problems.append(make("SC001", path, line, col, field=field, where="an example"))
    lang, text, labels = item.get("lang"), item.get("text"), item.get("labels")
    if "lang" in item and lang not in LANGS:
        problems.append(make("SC004", path, *marks.of_value(item, "lang"), value=lang, field="lang",
                             choices=", ".join(LANGS)))
    if "context" in item and item["context"] not in CONTEXTS:
        problems.append(make("SC004", path, *marks.of_value(item, "context"), value=item["context"],
                             field="context", choices=", ".join(CONTEXTS)))
    if "text" in item and not isinstance(text, str):
        problems.append(make("SC003", path, *marks.of_value(item, "text"), field="text", expected="text",
                             actual=type(text).__name__))
    elif isinstance(text, str) and not text.strip():
        problems.append(make("SC007", path, *marks.of_value(item, "text"), field="text"))
    if "labels" in item:
        if not isinstance(labels, list):
            problems.append(make("SC003", path, *marks.of_value(item, "labels"), field="labels",
                                 expected="a list of ids", actual=type(labels).__name__))
        elif not labels:
            problems.append(make("EX005", path, *marks.of_value(item, "labels")))
        else:
            for i, label in enumerate(labels):
                where = marks.of_value(labels, i)
                if label not in known:
                    problems.append(make("EX001", path, *where, value=label, suggestion=suggest(label, known)))
                elif labels.index(label) != i:
                    problems.append(make("SC011", path, *where, field=label))
    if len(problems) > before:
        return None
    return Example(lang, text.strip(), tuple(labels), os.path.splitext(os.path.basename(path))[0],
                   f"{path}:{line}:{col}")


def library_examples(scenarios: list[Scenario]) -> list[Example]:
    """Every authored response of ``scenarios`` in each of their languages, with its techniques and mistakes.

    Persona fields are filled in as the player shows them; personality overrides that
    re-label a response add their own example.
    """
    examples = []
    for scenario in scenarios:
        for lang in LANGS:
            if lang not in scenario.languages:
                continue
            fields = scenario.persona.fields(lang)
            for node in scenario.nodes.values():
                for response in node.responses:
                    variants = {(response.techniques, response.mistakes): response}
                    for other in response.by_personality.values():
                        variants.setdefault((other.techniques, other.mistakes), other)
                    for (techniques, mistakes), r in variants.items():
                        examples.append(Example(lang, fill(pick(r.text, lang), fields), techniques + mistakes,
                                                scenario.id, f"{scenario.path}:{r.pos[0]}:{r.pos[1]}", True))
    return examples
