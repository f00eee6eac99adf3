"""Loading a scenario: safe YAML → checked fields → the model, with every problem found in one pass.

The reading is split by part of the format under :mod:`simulator.core.loading` (field tables, the
shared reader, persona, nodes and responses, conditions and effects, playthroughs); this module is
the entry point. Shape problems (missing or unknown fields, wrong types, bad values, unknown
technique ids, missing translations) are reported by the reader, then the model goes to
:mod:`simulator.core.checks` for the graph checks. Nothing stops at the first error.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable

from . import checks
from .catalog import Catalog, load_catalog
from .diagnostics import Diagnostic, ScenarioError
from .loading.reader import ID_PATTERN, Reader
from .loading.scenario import read_scenario
from .model import Scenario
from .yamlsafe import MAX_BYTES, parse, read_text

ID = ID_PATTERN  # the id pattern, for tools that name new scenarios


def load(path: str, catalog: Catalog | None = None) -> Scenario:
    """Load and fully check the scenario at ``path``.

    Raises :class:`ScenarioError` carrying every diagnostic when there is any error.
    """
    scenario, diagnostics = load_with_diagnostics(path, catalog)
    if scenario is None or any(d.severity == "error" for d in diagnostics):
        raise ScenarioError(diagnostics)
    return scenario


def load_with_diagnostics(path: str, catalog: Catalog | None = None) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load ``path``; return the scenario (None when it cannot be built) and all diagnostics."""
    text, diagnostics = read_text(path)
    if text is None:
        return None, diagnostics
    return load_text(text, path, catalog)


def load_text(text: str, path: str = "<text>", catalog: Catalog | None = None,
              max_bytes: int = MAX_BYTES) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load a scenario from YAML ``text``; ``path`` is used in diagnostics.

    ``max_bytes`` raises the size limit for generated giants (benchmarks); authors get the default.
    """
    parsed = parse(text, path, max_bytes)
    if parsed.data is None and parsed.diagnostics:
        return None, parsed.diagnostics
    reader = Reader(path, parsed.marks, catalog or load_catalog(), text)
    reader.diagnostics.extend(parsed.diagnostics)
    scenario = read_scenario(reader, parsed.data, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    if scenario is None:
        return None, reader.diagnostics
    if any(d.severity == "error" for d in reader.diagnostics):
        # Still report broken links in this pass; the graph checks need a sound scenario.
        reader.diagnostics.extend(checks.references(scenario, reader.declared - set(scenario.nodes)))
    else:
        reader.diagnostics.extend(checks.check(scenario))
    return (None if reader.broken else scenario), reader.diagnostics


def find_scenario_files(paths: Iterable[str]) -> list[str]:
    """Expand files and folders into a sorted list of ``.yaml``/``.yml`` files."""
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                found.extend(os.path.join(root, f) for f in files if f.endswith((".yaml", ".yml")))
        else:
            found.append(p)
    return sorted(found)
