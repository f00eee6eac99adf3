"""Auditing a scenario for its author: what can happen, what can never happen, what is rewarded.

Builds on :mod:`simulator.core.analysis`: per-part best and worst, techniques and mistakes
no call can reach, warnings for paths that reward bad practice, the test-wiseness audit of
:mod:`simulator.core.cues`, proposed playthroughs and the coverage of the declared ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import DEFAULT_BUDGET, Analysis, Found, Goal, Path, explore, optimise, part_goal, total_goal
from .catalog import Catalog, load_catalog
from .cues import CueReport, audit_cues
from .diagnostics import Diagnostic, make
from .engine import Engine, EngineError
from .model import GOOD_OUTCOMES, TURN_LIMIT_ENDING, Scenario
from .points import PART_IDS
from .scoring import PREMATURE, is_retention_move, score

PROPOSAL_BUDGET = 20_000  # per ending: a good example is enough, it need not be proven best
# Answers a scenario may hold before analyze gives each search less than the default budget.
# Every scenario a person writes (the shipped ones hold 36 to 62) stays far below, so its
# figures stay exact; a generated 10,000-node scenario gets the floor, and its figures stand
# with proven bounds that analyze prints.
ROOMY_ANSWERS = 1_000
BUDGET_FLOOR = 1_000  # expanded states: enough for a first answer on any shape
SLOPPY_MISTAKES, SLOPPY_SCORE = 2, 90  # two mistakes should never earn an A
CARELESS_MISTAKES, CARELESS_SCORE = 3, 70  # three mistakes should not keep the customer with a B


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning about the scenario's design, with the path that shows it (None: no single path does)."""

    diagnostic: Diagnostic
    path: Path | None


def _first_mistake(engine: Engine, path: Path, variant: str | None) -> tuple[int, int]:
    """Where the path's first mistake stands, the scorer's own findings (premature offers) included."""
    scenario = engine.scenario
    state = engine.start(scenario.languages[0], 0, variant)
    for index in path.responses:
        state = engine.choose_response(state, index)
    for review in score(scenario, state).turns:
        if review.mistakes or review.auto_mistakes:
            return scenario.nodes[review.node].responses[review.response].pos
    return scenario.nodes[scenario.start].pos


@dataclass
class Audit:
    """Everything ``analyze`` reports."""

    analysis: Analysis
    parts: dict[str, tuple[Found, Found]]  # part -> (best, worst)
    unused_techniques: list[str]  # in the catalog, tagged nowhere in this scenario
    unreachable_techniques: list[str]  # tagged, but only on responses no call can choose
    unused_mistakes: list[str]
    unreachable_mistakes: list[str]
    cues: CueReport | None = None  # every language and variant, whatever variant was asked for
    findings: list[Finding] = field(default_factory=list)


def _tagged(scenario: Scenario, personality: str, offered: set[tuple[str, int]] | None) -> tuple[set[str], set[str]]:
    """The techniques and the mistakes tagged on the responses (only those offered, if given)."""
    techniques: set[str] = set()
    mistakes: set[str] = set()
    for node in scenario.nodes.values():
        # A node's answers are gathered in one update each: the whole file is read here.
        answers = [r.for_personality(personality) if r.by_personality else r for r in node.responses
                   if offered is None or (node.id, r.index) in offered]
        techniques.update(*[r.techniques for r in answers])
        mistakes.update(*[r.mistakes for r in answers])
    return techniques, mistakes


def premature_reachable(scenario: Scenario, variant: str | None, catalog: Catalog,
                        budget: int = PROPOSAL_BUDGET) -> bool:
    """True when some call makes a premature offer, tagged by the author or found by the scorer.

    The search stops at the first such call; a scenario with no offer, no retention move and no
    tag needs none.
    """
    personality = scenario.persona_for(variant).personality
    if not any(is_retention_move(r.for_personality(personality), catalog) or PREMATURE in r.mistakes
               for node in scenario.nodes.values() for r in node.responses):
        return False
    goal = Goal(lambda tally, _ending, _mood: float(tally.premature > 0), lambda _t: 1.0, lambda _t: 0.0)
    found = optimise(scenario, goal, True, variant, budget, catalog)
    return bool(found.value)


def analysis_budget(scenario: Scenario) -> int:
    """Expanded states each of analyze's searches may use (about seventeen run): the default up
    to :data:`ROOMY_ANSWERS` answers in the scenario, then less in proportion, never below
    :data:`BUDGET_FLOOR`, so the whole analysis of a huge scenario costs about what a roomy one's does."""
    answers = sum(len(node.responses) for node in scenario.nodes.values())
    if answers <= ROOMY_ANSWERS:
        return DEFAULT_BUDGET
    return max(BUDGET_FLOOR, DEFAULT_BUDGET * ROOMY_ANSWERS // answers)


def audit(scenario: Scenario, variant: str | None = None, catalog: Catalog | None = None,
          budget: int | None = None) -> Audit:
    """Analyse every path of ``scenario`` for its author, and how test-wise play fares.

    ``budget``: expanded states per search (default :func:`analysis_budget`); past it a figure
    stands with a proven bound and the analysis says it is approximate.
    """
    catalog = catalog or load_catalog()
    budget = analysis_budget(scenario) if budget is None else budget
    engine = Engine(scenario)  # one for every call played back: building one reads every node
    result = explore(scenario, variant, budget, catalog)
    personality = scenario.persona_for(variant).personality
    offered = set(result.offered) if result.offered else None
    tagged_t, tagged_m = _tagged(scenario, personality, None)
    reach_t, reach_m = _tagged(scenario, personality, offered) if offered else (tagged_t, tagged_m)
    # The scorer finds a premature offer without a tag. A huge scenario's search gets its share
    # of the budget, like every other; the others keep the usual one.
    premature_budget = PROPOSAL_BUDGET if budget >= DEFAULT_BUDGET else budget
    if premature_reachable(scenario, variant, catalog, premature_budget):
        tagged_m, reach_m = tagged_m | {PREMATURE}, reach_m | {PREMATURE}
    parts = {
        part: (optimise(scenario, part_goal(scenario, part, variant, catalog), True, variant, budget, catalog),
               optimise(scenario, part_goal(scenario, part, variant, catalog), False, variant, budget, catalog))
        for part in PART_IDS
    }
    report = Audit(
        result, parts,
        unused_techniques=[t for t in catalog.techniques if t not in tagged_t],
        unreachable_techniques=sorted(tagged_t - reach_t),
        unused_mistakes=[m for m in catalog.mistakes if m not in tagged_m],
        unreachable_mistakes=sorted(tagged_m - reach_m),
    )

    # AN001 and AN002 ask whether some call reaches a score: one such call answers, and the narrow
    # passes find one when it is easy to find, so these two searches get half the budget each.
    goal = total_goal(scenario, variant, catalog, min_mistakes=SLOPPY_MISTAKES, at_least=SLOPPY_SCORE)
    found = optimise(scenario, goal, True, variant, budget // 2, catalog)
    if found.path is not None and found.path.score >= SLOPPY_SCORE:
        line, col = _first_mistake(engine, found.path, variant)
        report.findings.append(Finding(make("AN001", scenario.path, line, col, count=SLOPPY_MISTAKES,
                                            score=found.path.score), found.path))
    good = frozenset(e for e, ending in scenario.endings.items() if ending.outcome in GOOD_OUTCOMES)
    goal = total_goal(scenario, variant, catalog, min_mistakes=CARELESS_MISTAKES, endings=good,
                      at_least=CARELESS_SCORE)
    found = optimise(scenario, goal, True, variant, budget // 2, catalog)
    if found.path is not None and found.path.score >= CARELESS_SCORE:
        line, col = _first_mistake(engine, found.path, variant)
        report.findings.append(Finding(make(
            "AN002", scenario.path, line, col, count=CARELESS_MISTAKES, ending=found.path.ending,
            outcome=scenario.endings[found.path.ending].outcome, score=found.path.score), found.path))
    # The cue audit asks for the best call again (per variant): with the same budget as above it is
    # the answer already found, and where that is not proven the declared playthroughs stand in.
    report.cues = audit_cues(scenario, catalog, budget, engine)
    report.findings.extend(Finding(diagnostic, path) for diagnostic, path in report.cues.warnings)
    return report


def propose_playthroughs(scenario: Scenario, variant: str | None = None,
                         catalog: Catalog | None = None) -> list[dict]:
    """Playthroughs worth keeping: expert (best), novice (worst), and the best call to each ending."""
    catalog = catalog or load_catalog()
    proposals = []

    def entry(name: str, path: Path) -> dict:
        item = {"name": name, "choices": list(path.choices), "ending": path.ending,
                "score": [max(0, path.score - 5), min(100, path.score + 5)]}
        if variant:
            item["variant"] = variant
        return item

    best = optimise(scenario, total_goal(scenario, variant, catalog), True, variant, catalog=catalog).path
    worst = optimise(scenario, total_goal(scenario, variant, catalog), False, variant, catalog=catalog).path
    if best:
        proposals.append(entry("expert", best))
    if worst:
        proposals.append(entry("novice", worst))
    for ending_id in scenario.endings:
        if ending_id == TURN_LIMIT_ENDING or ending_id in {p.ending for p in (best, worst) if p}:
            continue
        goal = total_goal(scenario, variant, catalog, endings=frozenset([ending_id]))
        path = optimise(scenario, goal, True, variant, budget=PROPOSAL_BUDGET, catalog=catalog).path
        if path:
            proposals.append(entry(f"best-to-{ending_id}", path))
    return proposals


@dataclass
class Coverage:
    """Which nodes and responses the declared playthroughs exercise."""

    nodes: dict[str, bool]
    responses: dict[tuple[str, int], bool]
    endings: dict[str, bool]

    @property
    def node_share(self) -> float:
        """Share of nodes visited."""
        return sum(self.nodes.values()) / len(self.nodes) if self.nodes else 1.0

    @property
    def response_share(self) -> float:
        """Share of responses chosen."""
        return sum(self.responses.values()) / len(self.responses) if self.responses else 1.0


def coverage(scenario: Scenario) -> Coverage:
    """Play every declared playthrough and mark what it touches."""
    nodes = dict.fromkeys(scenario.nodes, False)
    responses = {(n.id, r.index): False for n in scenario.nodes.values() for r in n.responses}
    endings = {e: False for e in scenario.endings if e != TURN_LIMIT_ENDING}
    engine = Engine(scenario)
    for p in scenario.playthroughs:
        state = engine.start(p.lang or scenario.languages[0], 0, p.variant)
        for choice in p.choices:
            if state.over:
                break
            nodes[state.node] = True
            try:
                state = engine.choose_response(state, choice - 1)
            except EngineError:
                break
            responses[(state.history[-1].node, choice - 1)] = True
        if state.over and state.ending in endings:
            endings[state.ending] = True
    return Coverage(nodes, responses, endings)
