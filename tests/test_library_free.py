"""Gate: no shipped scenario can be won in free mode by typing without content (issue 12).

The free-mode counterpart of tests/test_library_cues.py. A test-wise trainee types the same
content-free thing at every turn, with the shipped recogniser listening:

- every technique's name from the catalog, in one breath;
- every technique's shortest exemplar from the corpus, in one breath (every keyword there is);
- the shortest exemplar of each technique of this moment of the call (its steps), in one breath:
  the keyword stuffer who knows the playbook's five steps;
- the longest answer offered, pasted;
- nothing at all.

When the simulator asks "Did you mean …?", the trainee picks the first answer shown (the
choice-mode "first" policy, which the cue gate already covers). No such play may keep the
customer or come within ``CUE_MARGIN`` points of a perfect call (stricter than AN003, which
measures from the best call, at most 100).
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import SCENARIO_FILES
from helpers import load_shipped

from simulator.core import scoring
from simulator.core.catalog import load_catalog
from simulator.core.cues import CUE_MARGIN
from simulator.core.engine import Engine, State
from simulator.core.model import GOOD_OUTCOMES, Scenario
from simulator.core.scoring_free import node_steps
from simulator.core.text import pick
from simulator.recogniser.corpus import load_corpus
from simulator.recogniser.player import listen

CATALOG = load_catalog()


@cache
def _keywords(lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(pick(t.name, lang) for t in CATALOG.techniques.values())


@cache
def _exemplars(lang: str) -> str:
    examples = load_corpus()[0]
    shortest: dict[str, str] = {}
    for e in examples:
        if e.lang == lang and len(e.labels) == 1 and e.labels[0] in CATALOG.techniques:
            if e.labels[0] not in shortest or len(e.text) < len(shortest[e.labels[0]]):
                shortest[e.labels[0]] = e.text
    return " ".join(shortest[label] for label in sorted(shortest))


@cache
def _shortest_exemplar(lang: str, label: str) -> str:
    examples = [e for e in load_corpus()[0] if e.lang == lang and label in e.labels]
    # An example showing the technique alone, else the one showing fewest others with it.
    return min(examples, key=lambda e: (len(e.labels), len(e.text))).text


def _step_keywords(engine: Engine, state: State) -> str:
    """The shortest exemplar of every technique that belongs to this moment of the call."""
    steps = node_steps(engine.scenario.nodes[state.node], engine.scenario.persona_for(state.variant).personality,
                       CATALOG)
    labels = sorted(t.id for t in CATALOG.techniques.values() if t.step in steps)
    return " ".join(_shortest_exemplar(state.language, label) for label in labels)


TYPISTS = {
    "every technique's name": lambda engine, state: _keywords(state.language),
    "every technique's keywords": lambda engine, state: _exemplars(state.language),
    "this moment's keywords": _step_keywords,
    "the longest option pasted": lambda engine, state: max((c.text for c in engine.choices(state)), key=len),
    "an empty answer": lambda engine, state: "",
}


def play_typing(scenario: Scenario, language: str, typist) -> State:
    """Type ``typist``'s text at every turn; when asked "Did you mean …?", pick the first answer shown."""
    engine = Engine(scenario)
    state = engine.start(language, 0, None, shuffle=False)
    while not state.over:
        heard = listen(engine, state, typist(engine, state))
        state = engine.choose(state, 0) if heard.option is None else engine.choose(state, heard.option, None,
                                                                                     heard.said)
    return state


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_step_keyword_typist_types_something_the_recogniser_hears(language):
    engine = Engine(load_shipped(SCENARIO_FILES[0]))
    state = engine.start(language, 0, None, shuffle=False)
    assert len(listen(engine, state, _step_keywords(engine, state)).understanding.heard) >= 2


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_no_content_free_typing_keeps_the_customer_or_comes_near_a_perfect_call(path):
    scenario = load_shipped(path)
    tells = []
    for language in scenario.languages:
        for name, typist in TYPISTS.items():
            state = play_typing(scenario, language, typist)
            result = scoring.score(scenario, state, CATALOG)
            if result.outcome in GOOD_OUTCOMES or result.total >= 100 - CUE_MARGIN:
                tells.append(f"{name} [{language}]: {result.total} → {state.ending}")
    assert tells == []
