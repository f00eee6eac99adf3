"""The cohort aggregation exactly as it was before schema 5 (commit e0555ab, with the typed answers'
turns that landed beside it), kept as the reference.

tests/test_store_cohort.py checks that the report read from a store (stored digests, each
distinct one counted once, figures from counts) gives the same figures as this code, which
scored and counted every call one by one. Do not improve it: it is the yardstick.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from simulator.core.catalog import Catalog, load_catalog
from simulator.core.engine import EngineError
from simulator.core.model import STEPS
from simulator.core.text import pick
from simulator.i18n import t
from simulator.report.cohort import GROUPINGS, Loader, SessionInput, digest, node_line, shortened, typed_answers


def _label(s: SessionInput, by: str) -> str:
    if by == "group":
        return s.group or "—"
    if by == "day":
        return s.when[:10]
    if by == "month":
        return s.when[:7]
    name = s.trainee or "—"
    return f"{name} ({s.org_id})" if s.org_id else name


def build(sessions: Iterable[SessionInput], load_scenario: Loader, lang: str = "en",
          progress: Callable[[int, int], None] | None = None, catalog: Catalog | None = None,
          by: str = "trainee", computed: Callable[[int, dict], None] | None = None) -> dict:
    """Aggregate finished sessions: techniques, mistakes, rows (per trainee, group, day or month) × step,
    hardest turns, progress. ``computed(id, digest)`` is told every digest this had to compute, to store it."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}, not {by!r}")
    catalog = catalog or load_catalog()
    sessions = list(sessions)
    skipped: list[dict] = []
    per_session: list[dict] = []
    turn_stats: dict[tuple[str, str], list[int]] = {}  # (scenario, node) -> [visits, weaker answers]
    titles: dict[str, str] = {}
    typed_turns: dict[tuple[str, str], list[tuple]] = {}  # (scenario, node) -> [(when, session, who, typed)]
    scenarios_seen: dict = {}
    for n, s in enumerate(sessions, start=1):
        if progress:
            progress(n, len(sessions))
        scenario = load_scenario(s.scenario_id, s.scenario_path)
        if scenario is None:
            skipped.append({"session": s.id, "why": f"scenario '{s.scenario_id}' is no longer there"})
            continue
        d = s.digest
        if d is None:
            try:
                d = digest(s.state or {}, scenario, catalog)
            except EngineError as e:
                skipped.append({"session": s.id, "why": str(e)})
                continue
            if d is None:
                continue
            if computed:
                computed(s.id, d)
        if scenario.id not in titles:  # pick() per call costs seconds over 100,000 calls
            titles[scenario.id] = pick(scenario.title, lang)
        for item in d.get("typed", ()):
            typed_turns.setdefault((scenario.id, item["node"]), []).append((s.when, s.id, _label(s, by), item))
        scenarios_seen[scenario.id] = scenario
        for node, weak in d["turns"]:
            stat = turn_stats.setdefault((scenario.id, node), [0, 0])
            stat[0] += 1
            stat[1] += weak
        per_session.append({"session": s.id, "trainee": _label(s, by), "scenario": scenario.id, "when": s.when,
                            "score": d["score"], "techniques": d["techniques"], "mistakes": d["mistakes"],
                            "steps": d["steps"]})
    count = len(per_session)

    def spread(values: list[float]) -> float:
        # Float population deviation: statistics.pstdev computes in exact fractions, which over
        # 100,000 calls costs seconds for a figure shown to three decimals.
        if len(values) < 2:
            return 0.0
        mean = math.fsum(values) / len(values)
        return round(math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values)), 3)

    def spread_of_sums(total: float, squares: float) -> float:
        # The same deviation from the sum and the sum of squares (absent items count as 0), so a
        # technique or mistake costs one pass over the calls that have it, not over every call.
        if count < 2:
            return 0.0
        mean = total / count
        return round(math.sqrt(max(squares / count - mean * mean, 0.0)), 3)

    technique_calls: dict[str, int] = {}
    mistake_sums: dict[str, list[float]] = {}
    for p in per_session:
        for tid in p["techniques"]:
            technique_calls[tid] = technique_calls.get(tid, 0) + 1
        for mid, n in p["mistakes"].items():
            sums = mistake_sums.setdefault(mid, [0.0, 0.0])
            sums[0] += n
            sums[1] += n * n
    techniques = []
    for tid, tech in catalog.techniques.items():
        shown = float(technique_calls.get(tid, 0))
        techniques.append({"id": tid, "name": pick(tech.name, lang), "share": round(shown / count, 3)
                           if count else 0.0, "spread": spread_of_sums(shown, shown)})
    mistakes = []
    for mid, item in catalog.mistakes.items():
        total, squares = mistake_sums.get(mid, (0.0, 0.0))
        mistakes.append({"id": mid, "name": pick(item.name, lang), "average": round(total / count, 3)
                         if count else 0.0, "spread": spread_of_sums(total, squares)})
    trainees: dict[str, list[dict]] = {}
    for p in per_session:
        trainees.setdefault(p["trainee"], []).append(p)
    heatmap = []
    for trainee, items in sorted(trainees.items()):
        row = {"trainee": trainee, "sessions": len(items), "steps": {}}
        for step in STEPS:
            values = [p["steps"][step] for p in items if p["steps"].get(step) is not None]
            row["steps"][step] = round(sum(values) / len(values), 3) if values else None
        heatmap.append(row)
    hardest = []
    for (sid, node), (visits, weak) in turn_stats.items():
        if visits >= 1:
            hardest.append({"scenario": sid, "title": titles.get(sid, sid), "node": node, "visits": visits,
                            "weak_share": round(weak / visits, 3)})
    hardest.sort(key=lambda h: (-h["weak_share"], -h["visits"], h["scenario"], h["node"]))
    by_scenario: dict[str, list[dict]] = {}
    for h in hardest:
        if len(by_scenario.setdefault(h["scenario"], [])) < 3:
            # the heading's words (the customer's line) come from the report's one function; the figures are frozen
            h["line"] = shortened(node_line(scenarios_seen.get(h["scenario"]), h["node"], lang))
            by_scenario[h["scenario"]].append(h)
    progress_rows = [{"trainee": trainee, "scores": [{"when": p["when"], "score": p["score"], "scenario": p["scenario"]}
                                                     for p in sorted(items, key=lambda p: (p["when"], p["session"]))]}
                     for trainee, items in sorted(trainees.items())]
    scores = [p["score"] for p in per_session]
    return {
        "language": lang,
        "grouped_by": by,
        "sessions": count,
        "skipped": skipped,
        "average_score": round(sum(scores) / count, 1) if count else None,
        "score_spread": spread([float(x) for x in scores]),
        "step_names": {s.id: pick(s.name, lang) for s in catalog.steps.values()},
        "techniques": techniques,
        "mistakes": mistakes,
        "heatmap": heatmap,
        "hardest_turns": by_scenario,
        "progress": progress_rows,
        "typed_turns": typed_answers(typed_turns, scenarios_seen, titles, lang, catalog),
        "labels": {k: t(k, lang) for k in ("c.title", "c.sessions", "c.average", "c.techniques", "c.mistakes",
                                           "c.heatmap", "c.hardest", "c.progress", "c.share", "c.per_call",
                                           "c.spread", "c.weak", "c.skipped", "colon", "c.typed", "c.typed_note",
                                           "r.heard", "r.matched", "r.heard_none", "list_sep", "c.sd", "paren")},
    }
