"""Expected playthroughs: content tests declared in the scenario, run like doctests."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, make
from .engine import Engine, EngineError
from .model import Playthrough, Scenario
from .scoring import score


@dataclass(frozen=True, slots=True)
class Result:
    """One playthrough in one language (and variant): passed, or the diagnostic why not."""

    playthrough: Playthrough
    language: str
    ending: str | None
    score: int | None
    problem: Diagnostic | None

    @property
    def passed(self) -> bool:
        """True when the playthrough reached its ending within its score range."""
        return self.problem is None


def run(scenario: Scenario, playthrough: Playthrough, language: str) -> Result:
    """Play one declared playthrough and compare it with what it expects."""
    engine = Engine(scenario)
    state = engine.start(language, 0, playthrough.variant)
    line, col = playthrough.pos

    def fail(code: str, **fields: object) -> Result:
        diag = make(code, scenario.path, line, col, name=playthrough.name, **fields)
        return Result(playthrough, language, state.ending, None, diag)

    for turn, choice in enumerate(playthrough.choices, start=1):
        if state.over:  # choices the call never takes would pass unseen: a typo or a stale playthrough
            return fail("PT005", ending=state.ending, taken=turn - 1, count=len(playthrough.choices))
        try:
            state = engine.choose_response(state, choice - 1)
        except EngineError:
            count = len(scenario.nodes[state.node].responses)
            return fail("PT001", turn=turn, choice=choice, node=state.node, count=count)
    if not state.over:
        return fail("PT004", node=state.node)
    result = score(scenario, state)
    if state.ending != playthrough.ending:
        return Result(playthrough, language, state.ending, result.total,
                      make("PT002", scenario.path, line, col, name=playthrough.name, actual=state.ending,
                           expected=playthrough.ending))
    if playthrough.score and not playthrough.score[0] <= result.total <= playthrough.score[1]:
        low, high = playthrough.score
        return Result(playthrough, language, state.ending, result.total,
                      make("PT003", scenario.path, line, col, name=playthrough.name, actual=result.total,
                           low=f"{low:g}", high=f"{high:g}"))
    return Result(playthrough, language, state.ending, result.total, None)


def run_all(scenario: Scenario) -> list[Result]:
    """Every declared playthrough, in each language it applies to."""
    return [
        run(scenario, p, lang)
        for p in scenario.playthroughs
        for lang in ((p.lang,) if p.lang else scenario.languages)
    ]
