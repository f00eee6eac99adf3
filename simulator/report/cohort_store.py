"""The cohort report over a session store: one narrow read of the calls, each distinct digest once.

A finished call's digest (:func:`simulator.report.cohort.digest`) depends only on the answers
given, so the calls of a cohort share far fewer digests than there are calls. This reads one row
per call (no saved state), decodes each distinct stored digest once, counts it for all the calls
that share it, and computes (and keeps, when the store can be written) only the digests that are
missing or were computed from another scenario file, catalog or digest version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from ..core.catalog import load_catalog
from ..core.engine import EngineError
from ..core.model import Scenario
from ..storage import Filters, StorageError, Store
from ..storage import digests as stored
from . import cohort

_CATALOG = Path(__file__).resolve().parent.parent / "data" / "catalog.yaml"


def digest_key(scenario: Scenario | None, keys: dict) -> str | None:
    """What a stored digest must have been computed from: this digest version, scenario file and catalog
    (None when the scenario file cannot be read: its digests are then computed every time)."""
    path = getattr(scenario, "path", None)
    if path not in keys:
        try:
            digest = hashlib.sha256(Path(path).read_bytes() + _CATALOG.read_bytes()).hexdigest()[:20]
            keys[path] = f"{cohort.DIGEST_VERSION}:{digest}"
        except (OSError, TypeError):
            keys[path] = None
    return keys[path]


def build(store: Store, filters: Filters, load: cohort.Loader, lang: str = "en", by: str = "trainee",
          progress: Callable[[int, int], None] | None = None) -> dict:
    """The cohort report (as :func:`simulator.report.cohort.build` makes it) of the finished calls in
    ``store`` that match ``filters``; ``progress(done, total)`` follows the digests that must be computed."""
    if by not in cohort.GROUPINGS:
        raise ValueError(f"by must be one of {cohort.GROUPINGS}, not {by!r}")
    catalog = load_catalog()
    tally = cohort.Tally()
    # Rows unpacked, never looked up by name: over 100,000 calls that lookup costs more than the loop.
    rows = stored.cohort_rows(store, filters)
    keys: dict = {}
    scenarios: dict[tuple[str, str], tuple[Scenario | None, str | None]] = {}
    for pair in {(sid, path) for _, _, _, _, _, sid, path, _ in rows}:
        scenario = load(*pair)
        scenarios[pair] = (scenario, digest_key(scenario, keys) if scenario else None)
        if scenario is not None:
            tally.see(scenario, lang)
    bodies = stored.digest_bodies(store, {row[7] for row in rows} - {None})
    valid = {digest_id for digest_id, (key, _) in bodies.items()}
    shared: dict[tuple[int, str], list[tuple[str, str, int]]] = {}  # (digest id, scenario) -> calls
    missing = []
    for session, trainee, org_id, group, when, scenario_id, path, digest_id in rows:
        scenario, key = scenarios[scenario_id, path]
        if scenario is None:
            tally.skip(session, f"scenario '{scenario_id}' is no longer there")
            continue
        call = (cohort.label(trainee, org_id, group, when, by), when, session)
        if digest_id in valid and key is not None and bodies[digest_id][0] == key:
            shared.setdefault((digest_id, scenario_id), []).append(call)
        else:
            missing.append((session, scenario, key, call))
    for (digest_id, scenario_id), calls in shared.items():
        tally.add(json.loads(bodies[digest_id][1]), scenario_id, calls)
    fresh = _compute(store, missing, tally, catalog, progress)
    if fresh and not store.read_only:
        try:
            stored.put_digests(store, fresh)
        except StorageError:
            pass  # only a cache: the next report computes these again
    return tally.figures(catalog, lang, by)


def _compute(store: Store, missing: list, tally: cohort.Tally, catalog, progress) -> list[tuple[int, dict, str]]:
    """Count the calls without a valid stored digest; returns the digests worth keeping."""
    saved = stored.saved_for_digest(store, [session for session, *_ in missing]) if missing else {}
    fresh = []
    for n, (session, scenario, key, call) in enumerate(missing, start=1):
        if progress:
            progress(n, len(missing))
        summary, summary_key, state = saved.get(session, (None, None, "{}"))
        if key is not None and summary is not None and summary_key == key:
            d = json.loads(summary)  # kept by schema 3 or 4: still valid, only to be moved
        else:
            try:
                state_json = json.loads(state)
            except ValueError:
                state_json = {}  # a damaged state: the engine says what is wrong with it, as for any other
            try:
                d = cohort.digest(state_json, scenario, catalog)
            except EngineError as e:
                tally.skip(session, str(e))
                continue
            if d is None:
                continue
        if key is not None:
            fresh.append((session, d, key))
        tally.add(d, scenario.id, [call])
    return fresh
