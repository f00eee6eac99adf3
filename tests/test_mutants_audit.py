"""The careless-call warning's message (simulator/core/audit.py), apart from tests/test_audit.py while
that module is being reworked."""

from __future__ import annotations

from test_audit import _load, _mistakes_text

from simulator.core import audit


def test_an002_names_the_number_of_mistakes_it_counts_as_careless():
    report = audit.audit(_load(_mistakes_text("hard_sell", in_offer=True), "an002.yaml"))
    message = next(f.diagnostic.message for f in report.findings if f.diagnostic.code == "AN002")
    assert message.startswith(f"a call making {audit.CARELESS_MISTAKES} or more mistakes")


def _random_calls(scenario, count: int, seed: int):
    """``count`` seeded random calls in English: (ending, total score)."""
    import random

    from simulator.core import scoring
    from simulator.core.engine import Engine

    engine, rng, calls = Engine(scenario), random.Random(seed), []
    for _ in range(count):
        state = engine.start("en", 0, None, shuffle=False)
        while not state.over:
            state = engine.choose(state, rng.randrange(len(engine.choices(state))))
        calls.append((state.ending, scoring.score(scenario, state).total))
    return calls


def test_each_best_to_ending_proposal_scores_at_least_any_random_call_to_that_ending():
    from conftest import SCENARIO_FILES
    from helpers import load_shipped

    scenario = load_shipped(next(p for p in SCENARIO_FILES if p.stem == "contract-renewal-analytical"))
    proposals = {p["ending"]: p for p in audit.propose_playthroughs(scenario)[2:]}
    calls = _random_calls(scenario, 400, 7)
    compared = 0
    for ending, proposal in proposals.items():
        scores = [score for end, score in calls if end == ending]
        if len(set(scores)) > 1:  # a random call reached it with different scores: best and worst differ
            compared += 1
            assert proposal["score"][1] >= max(scores), ending
    assert compared >= 1
