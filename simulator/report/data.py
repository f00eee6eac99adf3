"""Everything a call's report shows, as plain JSON-ready data in the call's language.

Author text is copied as data; it is never a template. The renderers escape it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from ..core import analysis, scoring
from ..core.catalog import Catalog, load_catalog
from ..core.engine import Engine, Said, State
from ..core.model import STEPS, Scenario
from ..core.review import BEST_MATCHED, NONE_HIGHER
from ..core.scoring_free import ECHO_SIMILARITY
from ..core.text import pick
from ..i18n import mood_word, t

# 2: answers taken back (undone), the fair cost of the save; 3: typed answers (``typed``);
# 4: the customer's word beside each line follows the mood meter (``mood_word``, ``mood_name``), not the
# author's tag (``emotion`` stays, as written; ``emotion_name`` is gone so nothing shows it as the mood)
REPORT_VERSION = 4


@lru_cache(maxsize=1)
def figures() -> list[dict]:
    """Playbook §7 figures with the categories they speak to."""
    raw = resources.files("simulator").joinpath("data/figures.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


_EXPERTS: dict[tuple[str, str, str | None], analysis.Path | None] = {}


def _expert(scenario: Scenario, variant: str | None) -> analysis.Path | None:
    # The search is the costly part of a report; a cohort asks it once per scenario version.
    key = (scenario.path, scenario.digest, variant)
    if key not in _EXPERTS:
        if len(_EXPERTS) > 256:
            _EXPERTS.clear()
        _EXPERTS[key] = analysis.best_and_worst(scenario, variant)[0]
    return _EXPERTS[key]


def typed_advice(review: scoring.TurnReview, written: tuple[str, ...], catalog: Catalog, lang: str) -> str | None:
    """What the feedback says of a typed turn beside (or instead of) a better answer, in ``lang``; None for a
    chosen answer or words that echo it. ``written``: the techniques of the written answer the words matched.

    It says so when no technique was heard in the words, and why no written answer is suggested: the
    words matched the strongest one (naming what it shows that the words were not heard to show), or
    none scores higher than the words did (core.scoring._better).
    """
    said = review.said
    if said is None or said.similarity >= ECHO_SIMILARITY:
        return None
    lines = []
    if not any(label in catalog.techniques for label in said.ids):
        lines.append(t("r.no_technique", lang))
    if review.advice == BEST_MATCHED:
        missed = [pick(catalog.techniques[x].name, lang) for x in written if x not in review.techniques]
        lines.append(t("r.best_matched_missed", lang, names=t("list_sep", lang).join(missed)) if missed
                     else t("r.best_matched", lang))
    elif review.advice == NONE_HIGHER:
        lines.append(t("r.none_higher", lang))
    return ("" if lang == "zh" else " ").join(lines) or None


def build(scenario: Scenario, state: State, trainee: str = "", started_at: str = "", finished_at: str = "",
          catalog: Catalog | None = None) -> dict:
    """The report of one call (finished or not)."""
    catalog = catalog or load_catalog()
    lang = state.language
    eng = Engine(scenario)
    result = scoring.score(scenario, state, catalog)
    personality = eng.personality(state)
    persona = scenario.persona_for(state.variant)
    ending = scenario.endings.get(state.ending) if state.ending else None

    def technique(tid: str) -> dict:
        item = catalog.techniques[tid]
        return {"id": tid, "name": pick(item.name, lang), "step": item.step}

    def mistake(mid: str) -> dict:
        item = catalog.mistakes[mid]
        return {"id": mid, "name": pick(item.name, lang), "why": pick(item.description, lang),
                "penalty": item.penalty}

    def typed(said: Said | None, left_out: tuple[tuple[str, str], ...] = ()) -> dict | None:
        # The trainee's own words beside what was heard in them (with the confidences) and how they scored.
        if said is None:
            return None
        heard = []
        for label, confidence in said.heard:
            entry = catalog.techniques.get(label) or catalog.mistakes.get(label)
            kind = "technique" if label in catalog.techniques else "mistake"
            heard.append({"id": label, "kind": kind, "name": pick(entry.name, lang) if entry else label,
                          "confidence": round(confidence, 3)})
        return {"text": said.text, "heard": heard, "similarity": round(said.similarity, 3),
                "match_score": round(said.match_score, 3), "echo": said.similarity >= ECHO_SIMILARITY,
                "not_counted": [{**technique(x), "why": why, "why_text": t("r.why." + why, lang)}
                                for x, why in left_out]}

    turns = []
    for review in result.turns:
        node = scenario.nodes[review.node]
        response = node.responses[review.response].for_personality(personality)
        better = node.responses[review.better] if review.better is not None else None
        feedback = eng.say(state, response.feedback)
        turns.append({
            "number": review.number, "node": review.node, "step": review.step,
            "step_name": pick(catalog.steps[review.step].name, lang),
            "customer": eng.say(state, node.customer), "emotion": node.emotion,
            # The word beside the customer's name is the meter's at the moment the line is said, from the
            # one mood_word() the call window and the terminal use (docs/reports.md, "Mood words").
            "mood_word": mood_word(review.mood_before),
            "mood_name": t("emotion." + mood_word(review.mood_before), lang),
            "answer": eng.say(state, response.text),
            "techniques": [technique(x) for x in review.techniques],
            "mistakes": [mistake(x) for x in review.mistakes + review.auto_mistakes],
            "jumped_ahead": not review.in_order,
            # Typed words scored unlike the written answer they matched: the author's note is about that answer.
            "feedback": feedback if review.as_written else t("r.about_matched", lang, text=feedback),
            "instead": eng.say(state, response.instead) if response.instead and review.instead_applies else None,
            "advice": typed_advice(review, response.techniques, catalog, lang),
            "better": eng.say(state, better.text) if better is not None else None,
            "mood_before": review.mood_before, "mood_after": review.mood_after,
            "mood_change": review.mood_change,
            "seconds": None if review.elapsed_ms is None else review.elapsed_ms / 1000,
            "cost": review.cost,
            "typed": typed(review.said, review.left_out),
        })

    undone = []
    for review in result.undone:
        node = scenario.nodes[review.node]
        response = node.responses[review.response].for_personality(personality)
        undone.append({
            "number": review.number, "order": review.order, "node": review.node, "explored": review.explored,
            "customer": eng.say(state, node.customer), "answer": eng.say(state, response.text),
            "techniques": [technique(x) for x in review.techniques],
            "mistakes": [mistake(x) for x in review.mistakes + review.auto_mistakes],
            "penalty": review.penalty,
            "seconds": None if review.elapsed_ms is None else review.elapsed_ms / 1000,
            "typed": typed(review.said),
        })

    available: dict[str, set[str]] = {s: set() for s in STEPS}
    for node in scenario.nodes.values():
        for r in node.responses:
            for tid in r.for_personality(personality).techniques:
                available[catalog.techniques[tid].step].add(tid)
    earned = {tid for turn in turns for tid in (x["id"] for x in turn["techniques"])}
    tech_part = result.part("techniques").detail["steps"]
    coverage = [{
        "step": s, "name": pick(catalog.steps[s].name, lang), "order": catalog.steps[s].order,
        "earned": [technique(x) for x in sorted(available[s] & earned)],
        "missed": [technique(x) for x in sorted(available[s] - earned)],
        "points": tech_part.get(s, {}).get("points"), "max": tech_part.get(s, {}).get("max"),
    } for s in STEPS]

    timeline = []
    for turn in turns:
        shown = sorted({x["step"] for x in turn["techniques"]} | {turn["step"]},
                       key=lambda s: catalog.steps[s].order)
        timeline.append({"number": turn["number"], "steps": shown, "jumped_ahead": turn["jumped_ahead"]})
    first_seen: list[str] = []
    for item in timeline:
        for s in item["steps"]:
            if s not in first_seen:
                first_seen.append(s)

    expert = _expert(scenario, state.variant)
    expert_path = []
    if expert is not None:
        for node_id, index in zip(expert.nodes, expert.responses, strict=True):
            node = scenario.nodes[node_id]
            response = node.responses[index].for_personality(personality)
            expert_path.append({"customer": eng.say(state, node.customer), "answer": eng.say(state, response.text),
                                "techniques": [technique(x) for x in response.techniques]})

    cost = result.part("cost").detail
    seconds = [x["seconds"] for x in turns if x["seconds"] is not None]
    return {
        "report_version": REPORT_VERSION,
        "language": lang,
        "trainee": trainee,
        "started_at": started_at,
        "finished_at": finished_at,
        "duration_seconds": round(sum(seconds), 1) if seconds else None,
        "scenario": {"id": scenario.id, "title": pick(scenario.title, lang), "category": scenario.category,
                     "difficulty": scenario.difficulty, "situation": eng.say(state, scenario.situation),
                     "objectives": [pick(o, lang) for o in scenario.objectives]},
        "persona": {
            "name": pick(persona.name, lang), "segment": t("segment." + persona.segment, lang),
            "tenure_months": persona.tenure_months, "plan": pick(persona.plan, lang),
            "monthly_spend": persona.monthly_spend, "currency": persona.currency,
            "stage": t("stage." + persona.lifecycle_stage, lang),
            "personality": t("personality." + persona.personality, lang),
        },
        "finished": state.over,
        "ending": state.ending,
        "outcome": ending.outcome if ending else None,
        "outcome_name": t("outcome." + ending.outcome, lang) if ending else None,
        "customer_last_words": eng.say(state, ending.customer) if ending and ending.customer else None,
        "debrief": eng.say(state, ending.debrief) if ending else None,
        "score": result.total,
        "grade": result.grade,
        "parts": [{"id": p.id, "name": t("part." + p.id, lang), "points": round(p.points, 1), "max": p.max}
                  for p in result.parts],
        "timeline": timeline,
        "step_order": first_seen,
        "mood": [persona.mood] + [x["mood_after"] for x in turns],
        "coverage": coverage,
        "turns": turns,
        "undone": undone,
        "cost": {"total": cost["cost"], "monthly_spend": cost["monthly_spend"], "months": cost["months"],
                 "budget_months": cost["budget_months"], "fair_cost": cost["fair_cost"], "zero_at": cost["zero_at"],
                 "points": round(result.part("cost").points, 1),
                 "saved": cost["saved"]},
        "expert": {"score": expert.score if expert else None, "ending": expert.ending if expert else None,
                   "path": expert_path, "same_as_trainee": bool(expert) and list(expert.responses) ==
                   [x.response for x in state.history]},
        "improvements": improvements(scenario, state, result, turns, coverage, lang, catalog),
        "figures": [f[lang] for f in figures() if scenario.category in f["for"]][:3],
    }


def improvements(scenario: Scenario, state: State, result: scoring.CallScore, turns: list[dict],
                 coverage: list[dict], lang: str, catalog: Catalog) -> list[str]:
    """The three most useful changes, most costly first: mistakes, weak answers, missing steps, cost."""
    ranked: list[tuple[float, str]] = []
    for turn in turns:
        mistakes = turn["mistakes"]
        if mistakes:
            names = t("list_sep", lang).join(m["name"] for m in mistakes)
            fix = turn["instead"] or turn["better"] or ""
            ranked.append((sum(m["penalty"] for m in mistakes) + 10,
                           t("improve_mistake", lang, n=turn["number"], names=names, fix=fix).strip()))
        elif turn["better"]:
            ranked.append((5 + max(0, -turn["mood_change"]) / 5,
                           t("improve_better", lang, n=turn["number"], better=turn["better"])))
    for item in coverage:
        if item["max"] and item["points"] is not None and item["points"] < item["max"] and item["missed"]:
            names = t("list_sep", lang).join(x["name"] for x in item["missed"][:2])
            ranked.append((item["max"] - item["points"], t("improve_step", lang, step=item["name"], names=names)))
    cost = result.part("cost")
    if cost.detail["saved"] and cost.points < cost.max:
        ranked.append((cost.max - cost.points + 3, t("improve_cost", lang, months=cost.detail["months"],
                                                     budget=cost.detail["budget_months"])))
    ranked.sort(key=lambda r: -r[0])
    seen: list[str] = []
    for _, text in ranked:
        if text not in seen:
            seen.append(text)
    return seen[:3] or [t("improve_none", lang)]
