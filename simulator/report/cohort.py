"""The instructor's cohort report over many saved sessions."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from operator import itemgetter

from ..core import scoring
from ..core.catalog import Catalog, load_catalog
from ..core.engine import EngineError
from ..core.graph import response_targets
from ..core.model import STEPS, Scenario
from ..core.session_json import from_json
from ..core.text import fill, pick, wrap
from ..i18n import t

Loader = Callable[[str, str], Scenario | None]  # (scenario id, path) -> scenario, or None when gone


# Bump when what digest() computes changes: stored digests with another version are recomputed.
DIGEST_VERSION = 3  # 2: typed answers (the trainee's words, the ids heard, the response matched); 3: their language
GROUPINGS = ("trainee", "group", "day", "month")
TYPED_PER_TURN = 5  # the most recent typed answers shown for each turn of a scenario
LINE_COLUMNS = 64  # a typed turn is headed by the customer's line cut to this many columns (a Chinese character: 2)


@dataclass
class SessionInput:
    """What the cohort needs of one saved session (``state`` may be None when ``digest`` is given)."""

    id: int
    trainee: str
    scenario_id: str
    scenario_path: str
    when: str
    state: dict | None
    org_id: str = ""
    group: str = ""
    digest: dict | None = None  # a stored digest() of this session, still valid


def digest(state_json: dict, scenario: Scenario, catalog: Catalog) -> dict | None:
    """What one finished call adds to a cohort report (JSON-ready), or None for an unfinished call.

    Raises EngineError when the saved state no longer fits the scenario.
    """
    state = from_json(scenario, state_json)
    if not state.over:
        return None
    result = scoring.score(scenario, state, catalog)
    steps = result.part("techniques").detail["steps"]
    mistakes: dict[str, int] = {}
    turns = []
    typed = []
    for review in result.turns:
        for m in review.mistakes + review.auto_mistakes:
            mistakes[m] = mistakes.get(m, 0) + 1
        turns.append([review.node, int(review.better is not None or bool(review.mistakes or review.auto_mistakes))])
        if review.said is not None:
            typed.append({"node": review.node, "response": review.response, "text": review.said.text,
                          "language": state.language,
                          "heard": [[label, c] for label, c in review.said.heard],
                          "counted": list(review.techniques) + list(review.mistakes + review.auto_mistakes)})
    return {"v": DIGEST_VERSION, "score": result.total,
            "techniques": sorted({tid for r in result.turns for tid in r.techniques}), "mistakes": mistakes,
            "steps": {k: (v["points"] / v["max"] if v["max"] else None) for k, v in steps.items()}, "turns": turns,
            "typed": typed}


def label(trainee: str, org_id: str, group: str, when: str, by: str) -> str:
    """The row a call belongs to when the cohort is grouped ``by`` trainee, group, day or month."""
    if by == "group":
        return group or "—"
    if by == "day":
        return when[:10]
    if by == "month":
        return when[:7]
    name = trainee or "—"
    return f"{name} ({org_id})" if org_id else name


class Tally:
    """Everything a cohort report counts, fed one digest at a time with the calls that share it.

    Adding one digest for k calls counts exactly what adding it k times would; the figures are
    computed from these counts in :meth:`figures`, the one place that defines them.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int, str, int]] = []  # (row label, when, session, scenario, score)
        self.scores: Counter[int] = Counter()
        self.technique_calls: Counter[str] = Counter()
        self.mistakes: dict[str, list[int]] = {}  # id -> [sum of counts, sum of squared counts] over calls
        self.steps: dict[str, dict[str, Counter[float]]] = {}  # row label -> step -> ratio -> calls
        self.turns: dict[tuple[str, str], list[int]] = {}  # (scenario, node) -> [visits, weaker answers]
        self.skipped: list[dict] = []
        self.titles: dict[str, str] = {}
        self.scenarios: dict[str, Scenario] = {}  # by id: the typed answers' turns are shown from them
        self.typed: dict[tuple[str, str], list[tuple]] = {}  # (scenario, node) -> [(when, session, row, item)]

    def see(self, scenario: Scenario, lang: str) -> None:
        """Know ``scenario`` (its title in ``lang``, its turns) before counting its calls."""
        if scenario.id not in self.titles:  # pick() per call costs seconds over 100,000 calls
            self.titles[scenario.id] = pick(scenario.title, lang)
            self.scenarios[scenario.id] = scenario

    def skip(self, session: int, why: str) -> None:
        """A call left out of the figures, and why."""
        self.skipped.append({"session": session, "why": why})

    def add(self, d: dict, scenario_id: str, calls: list[tuple[str, str, int]]) -> None:
        """Count digest ``d`` of scenario ``scenario_id`` once for each of ``calls`` (row label, when, session)."""
        k = len(calls)
        score = d["score"]
        self.calls += [(row, when, session, scenario_id, score) for row, when, session in calls]
        self.scores[score] += k
        for tid in d["techniques"]:
            self.technique_calls[tid] += k
        for mid, n in d["mistakes"].items():
            sums = self.mistakes.setdefault(mid, [0, 0])
            sums[0] += n * k
            sums[1] += n * n * k
        steps = [(step, v) for step, v in d["steps"].items() if v is not None]
        for row, m in Counter(row for row, _, _ in calls).items():
            per_row = self.steps.setdefault(row, {})
            for step, v in steps:
                per_row.setdefault(step, Counter())[v] += m
        for node, weak in d["turns"]:
            stat = self.turns.setdefault((scenario_id, node), [0, 0])
            stat[0] += k
            stat[1] += weak * k
        for item in d.get("typed", ()):  # typed words make a digest one call's own: calls is one call
            turn = self.typed.setdefault((scenario_id, item["node"]), [])
            turn += [(when, session, row, item) for row, when, session in calls]

    def figures(self, catalog: Catalog, lang: str, by: str) -> dict:
        """The cohort report's data (JSON-ready); every figure is defined here and only here."""
        count = len(self.calls)

        def spread_of_sums(total: float, squares: float) -> float:
            # Population deviation of a per-call count from its sum and sum of squares (calls
            # without the item count as 0).
            if count < 2:
                return 0.0
            mean = total / count
            return round(math.sqrt(max(squares / count - mean * mean, 0.0)), 3)

        techniques = []
        for tid, tech in catalog.techniques.items():
            shown = float(self.technique_calls.get(tid, 0))
            techniques.append({"id": tid, "name": pick(tech.name, lang), "share": round(shown / count, 3)
                               if count else 0.0, "spread": spread_of_sums(shown, shown)})
        mistakes = []
        for mid, item in catalog.mistakes.items():
            total, squares = (float(x) for x in self.mistakes.get(mid, (0, 0)))
            mistakes.append({"id": mid, "name": pick(item.name, lang), "average": round(total / count, 3)
                             if count else 0.0, "spread": spread_of_sums(total, squares)})
        rows: dict[str, list[tuple[str, str, int, str, int]]] = {}
        for call in self.calls:
            rows.setdefault(call[0], []).append(call)
        heatmap = []
        for row, items in sorted(rows.items()):
            per_step = self.steps.get(row, {})
            heatmap.append({"trainee": row, "sessions": len(items),
                            "steps": {step: _mean(per_step[step]) if step in per_step else None for step in STEPS}})
        by_scenario = hardest_turns(self.turns, self.scenarios, self.titles, lang)
        progress_rows = [{"trainee": row, "scores": [{"when": when, "score": score, "scenario": scenario}
                                                     for _, when, _, scenario, score in
                                                     sorted(items, key=_BY_TIME)]}
                         for row, items in sorted(rows.items())]
        total = sum(score * k for score, k in self.scores.items())
        return {
            "language": lang,
            "grouped_by": by,
            "sessions": count,
            "skipped": sorted(self.skipped, key=lambda s: s["session"]),
            "average_score": round(total / count, 1) if count else None,
            "score_spread": _spread(self.scores),
            "step_names": {s.id: pick(s.name, lang) for s in catalog.steps.values()},
            "techniques": techniques,
            "mistakes": mistakes,
            "heatmap": heatmap,
            "hardest_turns": by_scenario,
            "progress": progress_rows,
            "typed_turns": typed_answers(self.typed, self.scenarios, self.titles, lang, catalog),
            "labels": {k: t(k, lang) for k in ("c.title", "c.sessions", "c.average", "c.techniques", "c.mistakes",
                                               "c.heatmap", "c.hardest", "c.progress", "c.share", "c.per_call",
                                               "c.spread", "c.weak", "c.skipped", "colon", "c.typed", "c.typed_note",
                                               "r.heard", "r.matched", "r.heard_none", "list_sep", "c.sd", "paren")},
        }


_BY_TIME = itemgetter(1, 2)  # a call's (when, session): the progress order


def _exact_sum(values: Counter[float]) -> float:
    # The correctly rounded sum (as math.fsum gives), whatever order the values came in, so the
    # figures do not depend on which calls were counted first or shared a digest.
    return float(sum((Fraction(v) * k for v, k in values.items()), Fraction(0)))


def _mean(values: Counter[float]) -> float:
    """A step's figure in a heatmap row: the mean of the calls' step ratios, to three decimals."""
    return round(_exact_sum(values) / sum(values.values()), 3)


def _spread(scores: Counter[int]) -> float:
    """Population standard deviation of the calls' scores, to three decimals (0.0 under two calls)."""
    n = sum(scores.values())
    if n < 2:
        return 0.0
    mean = sum(score * k for score, k in scores.items()) / n
    squares: Counter[float] = Counter()
    for score, k in scores.items():
        squares[(score - mean) ** 2] += k  # two scores equally far from the mean share one entry
    return round(math.sqrt(_exact_sum(squares) / n), 3)


def build(sessions: Iterable[SessionInput], load_scenario: Loader, lang: str = "en",
          progress: Callable[[int, int], None] | None = None, catalog: Catalog | None = None,
          by: str = "trainee", computed: Callable[[int, dict], None] | None = None) -> dict:
    """Aggregate finished sessions: techniques, mistakes, rows (per trainee, group, day or month) × step,
    hardest turns, progress. ``computed(id, digest)`` is told every digest this had to compute, to store it."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}, not {by!r}")
    catalog = catalog or load_catalog()
    sessions = list(sessions)
    tally = Tally()
    for n, s in enumerate(sessions, start=1):
        if progress:
            progress(n, len(sessions))
        scenario = load_scenario(s.scenario_id, s.scenario_path)
        if scenario is None:
            tally.skip(s.id, f"scenario '{s.scenario_id}' is no longer there")
            continue
        d = s.digest
        if d is None:
            try:
                d = digest(s.state or {}, scenario, catalog)
            except EngineError as e:
                tally.skip(s.id, str(e))
                continue
            if d is None:
                continue
            if computed:
                computed(s.id, d)
        tally.see(scenario, lang)
        tally.add(d, scenario.id, [(label(s.trainee, s.org_id, s.group, s.when, by), s.when, s.id)])
    return tally.figures(catalog, lang, by)


def call_order(scenario: Scenario) -> dict[str, int]:
    """Each node's rank in the order a call meets them: breadth-first from the start, a node's answers
    in the order written; nodes no answer leads to follow in the file's order."""
    rank = {scenario.start: 0}
    queue = [scenario.start]
    for node_id in queue:  # the queue grows while it is read: a breadth-first walk
        for response in scenario.nodes[node_id].responses:
            for target in response_targets(response):
                if target in scenario.nodes and target not in rank:
                    rank[target] = len(rank)
                    queue.append(target)
    for node_id in scenario.nodes:
        rank.setdefault(node_id, len(rank))
    return rank


def shortened(text: str) -> str:
    """``text`` cut to its first :data:`LINE_COLUMNS` columns at a line break the language allows, with "…"."""
    lines = wrap(" ".join(text.split()), LINE_COLUMNS)
    return lines[0] + "…" if len(lines) > 1 else (lines[0] if lines else "")


def node_line(scenario: Scenario | None, node_id: str, lang: str) -> str:
    """What the customer says at ``node_id``, in ``lang`` with the persona's fields ("" for a node since removed)."""
    node = scenario.nodes.get(node_id) if scenario is not None else None
    if node is None:
        return ""
    return fill(pick(node.customer, lang), scenario.persona.fields(lang))


def hardest_turns(turns: dict[tuple[str, str], list[int]], scenarios: dict[str, Scenario], titles: dict[str, str],
                  lang: str) -> dict[str, list[dict]]:
    """Per scenario, its (at most) three turns answered below the best most often: the share of weaker
    answers, the visits, and the customer's line there (shortened; the node id stays for reference)."""
    hardest = []
    for (sid, node), (visits, weak) in turns.items():
        if visits >= 1:
            hardest.append({"scenario": sid, "title": titles.get(sid, sid), "node": node, "visits": visits,
                            "weak_share": round(weak / visits, 3)})
    hardest.sort(key=lambda h: (-h["weak_share"], -h["visits"], h["scenario"], h["node"]))
    by_scenario: dict[str, list[dict]] = {}
    for h in hardest:
        if len(by_scenario.setdefault(h["scenario"], [])) < 3:
            h["line"] = shortened(node_line(scenarios.get(h["scenario"]), h["node"], lang))
            by_scenario[h["scenario"]].append(h)
    return by_scenario


def typed_answers(typed_turns: dict[tuple[str, str], list[tuple]], scenarios: dict[str, Scenario],
                  titles: dict[str, str], lang: str, catalog: Catalog) -> list[dict]:
    """Per turn (scenario, node) where trainees typed, scenario by scenario and in call order: the
    customer's line there (whole, and shortened for a heading), how many typed there, and the most
    recent :data:`TYPED_PER_TURN` answers with who typed them, the ids heard (with confidences) and
    the written answer they were understood as. When any typed answer is in another language than
    the report's, every answer carries its language as a tag (``"[zh]"``); otherwise the tag is empty."""
    mixed = any(item.get("language", lang) != lang for items in typed_turns.values() for *_, item in items)
    ranks = {sid: call_order(scenario) for sid, scenario in scenarios.items()}

    def in_call_order(turn: tuple[tuple[str, str], list[tuple]]) -> tuple[str, int, str]:
        (sid, node_id), _ = turn
        order = ranks[sid]
        return sid, order.get(node_id, len(order)), node_id  # a node since removed from the file goes last

    out = []
    for (sid, node_id), items in sorted(typed_turns.items(), key=in_call_order):
        scenario = scenarios[sid]
        node = scenario.nodes.get(node_id)
        fields = scenario.persona.fields(lang)  # for the matched answers
        answers = []
        for when, session, who, item in sorted(items, key=lambda x: (x[0], x[1]), reverse=True)[:TYPED_PER_TURN]:
            heard = []
            for label, confidence in item["heard"]:
                entry = catalog.techniques.get(label) or catalog.mistakes.get(label)
                heard.append({"id": label, "name": pick(entry.name, lang) if entry else label,
                              "kind": "technique" if label in catalog.techniques else "mistake",
                              "confidence": round(confidence, 3), "counted": label in item["counted"]})
            index = item["response"]
            matched = (fill(pick(node.responses[index].text, lang), fields)
                       if node is not None and 0 <= index < len(node.responses) else "")
            language = item.get("language", "")
            answers.append({"session": session, "trainee": who, "when": when, "text": item["text"], "heard": heard,
                            "matched": matched, "language": language,
                            "language_tag": f"[{language}]" if mixed and language else ""})
        customer = node_line(scenario, node_id, lang)
        out.append({"scenario": sid, "title": titles.get(sid, sid), "node": node_id, "customer": customer,
                    "line": shortened(customer), "typed": len(items), "answers": answers})
    return out
