"""The instructor's cohort report over many saved sessions."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core import scoring
from ..core.catalog import Catalog, load_catalog
from ..core.engine import EngineError, from_json
from ..core.model import STEPS, Scenario
from ..core.text import pick
from ..i18n import t

Loader = Callable[[str, str], Scenario | None]  # (scenario id, path) -> scenario, or None when gone


@dataclass
class SessionInput:
    """What the cohort needs of one saved session."""

    id: int
    trainee: str
    scenario_id: str
    scenario_path: str
    when: str
    state: dict


def build(sessions: Iterable[SessionInput], load_scenario: Loader, lang: str = "en",
          progress: Callable[[int, int], None] | None = None, catalog: Catalog | None = None) -> dict:
    """Aggregate finished sessions: techniques, mistakes, trainee × step, hardest turns, progress."""
    catalog = catalog or load_catalog()
    sessions = list(sessions)
    skipped: list[dict] = []
    per_session: list[dict] = []
    turn_stats: dict[tuple[str, str], list[int]] = {}  # (scenario, node) -> [visits, weaker answers]
    titles: dict[str, str] = {}
    for n, s in enumerate(sessions, start=1):
        if progress:
            progress(n, len(sessions))
        scenario = load_scenario(s.scenario_id, s.scenario_path)
        if scenario is None:
            skipped.append({"session": s.id, "why": f"scenario '{s.scenario_id}' is no longer there"})
            continue
        try:
            state = from_json(scenario, s.state)
        except EngineError as e:
            skipped.append({"session": s.id, "why": str(e)})
            continue
        if not state.over:
            continue
        titles[scenario.id] = pick(scenario.title, lang)
        result = scoring.score(scenario, state, catalog)
        steps = result.part("techniques").detail["steps"]
        mistakes: dict[str, int] = {}
        for review in result.turns:
            for m in review.mistakes + review.auto_mistakes:
                mistakes[m] = mistakes.get(m, 0) + 1
            stat = turn_stats.setdefault((scenario.id, review.node), [0, 0])
            stat[0] += 1
            stat[1] += review.better is not None or bool(review.mistakes or review.auto_mistakes)
        per_session.append({
            "session": s.id, "trainee": s.trainee or "—", "scenario": scenario.id, "when": s.when,
            "score": result.total,
            "techniques": {tid for r in result.turns for tid in r.techniques},
            "mistakes": mistakes,
            "steps": {k: (v["points"] / v["max"] if v["max"] else None) for k, v in steps.items()},
        })
    count = len(per_session)

    def spread(values: list[float]) -> float:
        return round(statistics.pstdev(values), 3) if len(values) > 1 else 0.0

    techniques = []
    for tid, tech in catalog.techniques.items():
        shown = [1.0 if tid in p["techniques"] else 0.0 for p in per_session]
        techniques.append({"id": tid, "name": pick(tech.name, lang), "share": round(sum(shown) / count, 3)
                           if count else 0.0, "spread": spread(shown)})
    mistakes = []
    for mid, item in catalog.mistakes.items():
        counts = [float(p["mistakes"].get(mid, 0)) for p in per_session]
        mistakes.append({"id": mid, "name": pick(item.name, lang), "average": round(sum(counts) / count, 3)
                         if count else 0.0, "spread": spread(counts)})
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
            by_scenario[h["scenario"]].append(h)
    progress_rows = [{"trainee": trainee, "scores": [{"when": p["when"], "score": p["score"], "scenario": p["scenario"]}
                                                     for p in sorted(items, key=lambda p: (p["when"], p["session"]))]}
                     for trainee, items in sorted(trainees.items())]
    scores = [p["score"] for p in per_session]
    return {
        "language": lang,
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
        "labels": {k: t(k, lang) for k in ("c.title", "c.sessions", "c.average", "c.techniques", "c.mistakes",
                                           "c.heatmap", "c.hardest", "c.progress", "c.share", "c.per_call",
                                           "c.spread", "c.weak", "c.skipped", "colon")},
    }
