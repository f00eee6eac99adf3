"""audit(), propose_playthroughs() and coverage(): what `analyze` and `test --coverage/--generate` report."""

from __future__ import annotations

import pytest
import yaml
from helpers import PART_RANGES, doc_example_text, load_example

from simulator.core import analysis, audit, cues, loader, playthroughs, points, scoring
from simulator.core.catalog import load_catalog
from simulator.core.engine import Engine
from simulator.core.model import TURN_LIMIT_ENDING


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def _load(text: str, name: str):
    scenario, diagnostics = loader.load_text(text, name)
    errors = [d.format() for d in diagnostics if d.severity == "error"]
    assert scenario is not None and not errors, errors
    return scenario


def _rich_text() -> str:
    """The doc example with more to find: four reachable endings, a mood branch, a never-offered answer."""
    text = doc_example_text()
    # annoyed: a third answer that escalates
    text = _edit(text, "        next: cancelled\n", "        next: cancelled\n"
                 '      - text: {en: "Let me get my manager.", zh: "我请经理来跟您谈。"}\n'
                 "        mood: -5\n"
                 '        feedback: {en: "Passes the call up without trying.", zh: "没有尝试就把电话转给上级。"}\n'
                 "        next: manager\n")
    # agreed: the ending depends on the mood
    text = _edit(text, "        next: kept\n",
                 "        next:\n          - if: {mood: {ge: 90}}\n            goto: kept\n"
                 "          - goto: kept_politely\n")
    # reason: an answer whose condition never holds there (reason_known is only set by leaving it)
    text = _edit(text, "        next: offer\n", "        next: offer\n"
                 '      - text: {en: "I hear you. Tell me more.", zh: "我在听，您接着说。"}\n'
                 "        if: {reason_known: true}\n"
                 "        techniques: [active_listening]\n"
                 "        mistakes: [harass]\n"
                 '        feedback: {en: "Never offered.", zh: "永远不会出现。"}\n'
                 '        instead: {en: "Not applicable.", zh: "不适用。"}\n'
                 "        next: never\n")
    return _edit(text, '始终没问出来。"}\n', '始终没问出来。"}\n'
                 "  manager:\n    outcome: escalated\n"
                 '    debrief: {en: "The call went to a manager.", zh: "电话转给了经理。"}\n'
                 "  kept_politely:\n    outcome: downgraded\n"
                 '    debrief: {en: "He stayed, without warmth.", zh: "客户留下了，但不热情。"}\n'
                 "  never:\n    outcome: resolved\n"
                 '    debrief: {en: "No call ends here.", zh: "没有通话会到这里。"}\n')


MISTAKE_REASON = ('      - text: {en: "Sorry to cut in: four months of calls, not data?", '
                  'zh: "打断一下：四个月只打电话？"}\n')


def _mistakes_text(mistake: str, in_offer: bool) -> str:
    """The doc example made perfect (100), plus mistaken twins of its best answers that lift the mood by 30.

    The twins sit at 'reason' and 'agreed' (and at 'offer' when ``in_offer``), so the best call with
    mistakes makes its first one at 'reason'.
    """
    text = _edit(doc_example_text(), "techniques: [rapport, open_probe]", "techniques: [rapport, empathy, open_probe]")
    text = _edit(text, "        next: offer\n", "        next: offer\n" + MISTAKE_REASON +
                 f"        techniques: [restate_confirm, deep_probe]\n        mistakes: [{mistake}]\n"
                 "        set: {reason_known: true}\n        mood: 30\n"
                 '        feedback: {en: "Right facts, but it cuts him off.", zh: "内容对，但打断了客户。"}\n'
                 '        instead: {en: "Let him finish first.", zh: "先让他说完。"}\n        next: offer\n')
    if in_offer:
        text = _edit(text, "        next: agreed\n", "        next: agreed\n"
                     '      - text: {en: "Keep-number plan, 18 a month. Deal? Deal.", '
                     'zh: "保号套餐18元，就这么定了。"}\n'
                     f"        techniques: [tailored_offer, raise_switching_cost, ask_acceptance]\n"
                     f"        mistakes: [{mistake}]\n"
                     '        offer: {cost: 0, label: {en: "Keep-number plan", zh: "保号套餐"}}\n        mood: 30\n'
                     '        feedback: {en: "Fits, but rushes him.", zh: "合适，但催得太急。"}\n'
                     '        instead: {en: "Ask, then wait.", zh: "问完再等回答。"}\n        next: agreed\n')
    return _edit(text, "        next: kept\n", "        next: kept\n"
                 '      - text: {en: "Done, thanks, I will text you. Bye now, busy day.", '
                 'zh: "办好了，谢谢，我会发短信。先挂了，今天很忙。"}\n'
                 f"        techniques: [confirm_solution, thank_customer, follow_up]\n        mistakes: [{mistake}]\n"
                 "        mood: 30\n"
                 '        feedback: {en: "All there, but hurried.", zh: "都说到了，但很匆忙。"}\n'
                 '        instead: {en: "Slow down at the close.", zh: "收尾时放慢节奏。"}\n        next: kept\n')


def _line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1
    return text[:text.index(needle)].count("\n") + 1


def brute_force(scenario):
    """Every playthrough by plain enumeration through the engine: (probability, state, score)."""
    eng = Engine(scenario)
    calls = []
    stack = [(1.0, eng.start(scenario.languages[0], shuffle=False))]
    while stack:
        p, state = stack.pop()
        if state.over:
            calls.append((p, state, scoring.score(scenario, state)))
            continue
        options = eng.options(state)
        for index in options:
            stack.append((p / len(options), eng.choose_response(state, index)))
    return calls


def replay(scenario, responses):
    eng = Engine(scenario)
    state = eng.start(scenario.languages[0], shuffle=False)
    for index in responses:
        state = eng.choose_response(state, index)
    return state


SCENARIOS = {
    "doc-example": lambda: load_example(),
    "rich": lambda: _load(_rich_text(), "rich.yaml"),
}


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def small(request):
    """A small scenario, its audit and every playthrough enumerated by brute force."""
    scenario = SCENARIOS[request.param]()
    return scenario, audit.audit(scenario), brute_force(scenario)


@pytest.fixture(scope="module")
def rich():
    return _load(_rich_text(), "rich.yaml")


# -- audit: counts and odds ----------------------------------------------------------------
def test_path_count_and_call_lengths_match_brute_force(small):
    _scenario, report, calls = small
    a = report.analysis
    assert a.exact
    assert a.paths == len(calls)
    assert a.shortest == min(len(s.history) for _, s, _ in calls)
    assert a.longest == max(len(s.history) for _, s, _ in calls)


def test_ending_and_outcome_odds_match_brute_force(small):
    scenario, report, calls = small
    endings: dict[str, float] = {}
    outcomes: dict[str, float] = {}
    for p, state, _ in calls:
        endings[state.ending] = endings.get(state.ending, 0.0) + p
        outcome = scenario.endings[state.ending].outcome
        outcomes[outcome] = outcomes.get(outcome, 0.0) + p
    assert report.analysis.ending_odds == pytest.approx(endings)
    assert report.analysis.outcome_odds == pytest.approx(outcomes)
    assert sum(report.analysis.outcome_odds.values()) == pytest.approx(1.0)


def test_best_and_worst_totals_match_brute_force(small):
    _scenario, report, calls = small
    totals = [sc.total for _, _, sc in calls]
    assert report.analysis.best.score == max(totals)
    assert report.analysis.worst.score == min(totals)


# -- audit: score parts --------------------------------------------------------------------
def test_audit_reports_all_six_parts(small):
    assert tuple(small[1].parts) == points.PART_IDS


@pytest.mark.parametrize("part", points.PART_IDS)
def test_part_best_and_worst_lie_within_the_part_range(small, part):
    best, worst = small[1].parts[part]
    low, high = PART_RANGES[part]
    assert low <= worst.value <= best.value <= high


@pytest.mark.parametrize("part", points.PART_IDS)
def test_part_best_and_worst_match_brute_force(small, part):
    _scenario, report, calls = small
    values = [sc.part(part).points for _, _, sc in calls]
    best, worst = report.parts[part]
    assert best.exact and worst.exact
    assert best.value == pytest.approx(max(values))
    assert worst.value == pytest.approx(min(values))


@pytest.mark.parametrize("part", points.PART_IDS)
def test_part_best_and_worst_paths_replay_to_their_values(small, part):
    scenario, report, _ = small
    for found in report.parts[part]:
        state = replay(scenario, found.path.responses)
        result = scoring.score(scenario, state)
        assert state.ending == found.path.ending
        assert result.part(part).points == pytest.approx(found.value)
        assert result.total == found.path.score


def test_best_techniques_path_replays_to_the_part_value():
    scenario = load_example()
    best, _ = audit.audit(scenario).parts["techniques"]
    state = replay(scenario, best.path.responses)
    assert scoring.score(scenario, state).part("techniques").points == pytest.approx(best.value)
    assert best.value == pytest.approx(30.625)  # three full steps (8.75 each) and half of build_trust


# -- audit: techniques and mistakes ------------------------------------------------------------
def _tagged_in_yaml(text: str, kind: str) -> set[str]:
    data = yaml.safe_load(text)
    return {t for node in data["nodes"].values() for r in node["responses"] for t in r.get(kind, [])}


def test_unused_techniques_are_the_catalog_minus_the_tagged_ones():
    catalog = load_catalog()
    tagged = _tagged_in_yaml(doc_example_text(), "techniques")
    report = audit.audit(load_example())
    assert report.unused_techniques == [t for t in catalog.techniques if t not in tagged]
    assert "rapport" not in report.unused_techniques and "graceful_exit" in report.unused_techniques


def test_unused_mistakes_are_the_catalog_minus_the_tagged_ones():
    catalog = load_catalog()
    tagged = _tagged_in_yaml(doc_example_text(), "mistakes")
    report = audit.audit(load_example())
    assert report.unused_mistakes == [m for m in catalog.mistakes if m not in tagged]
    assert "premature_offer" not in report.unused_mistakes


@pytest.mark.parametrize(("replacement", "made"), [("        offer: {cost: 30}\n", True), ("", False)])
def test_an_untagged_premature_offer_the_scorer_finds_counts_as_a_mistake_some_answer_makes(replacement, made):
    # The doc example's premature answer loses its tag: with an offer the scorer still finds it.
    scenario = _load(_edit(doc_example_text(), "        mistakes: [premature_offer]\n", replacement), "p.yaml")
    report = audit.audit(scenario)
    assert ("premature_offer" not in report.unused_mistakes) is made
    assert "premature_offer" not in report.unreachable_mistakes


def test_the_doc_example_has_no_unreachable_techniques_or_mistakes():
    report = audit.audit(load_example())
    assert report.unreachable_techniques == [] and report.unreachable_mistakes == []


def test_a_technique_tagged_only_behind_an_impossible_condition_is_unreachable(rich):
    report = audit.audit(rich)
    assert report.unreachable_techniques == ["active_listening"]
    assert "active_listening" not in report.unused_techniques  # it is tagged, just never earned


def test_a_mistake_tagged_only_behind_an_impossible_condition_is_unreachable(rich):
    report = audit.audit(rich)
    assert report.unreachable_mistakes == ["harass"]
    assert "harass" not in report.unused_mistakes


# -- audit: warnings -------------------------------------------------------------------------
def _codes(report) -> list[str]:
    """The design warnings (the cue audit's AN003/AN004 are tested on their own)."""
    return [f.diagnostic.code for f in report.findings if f.diagnostic.code not in ("AN003", "AN004")]


def test_the_doc_example_raises_no_design_warning():
    # Its two-answer nodes put the right answer first and longest, so the cue audit does warn (AN003/AN004).
    assert _codes(audit.audit(load_example())) == []


def test_the_cue_audit_runs_with_every_audit_and_its_warnings_join_the_findings():
    report = audit.audit(load_example())
    assert {(p.policy, p.language) for p in report.cues.plays} == {(p, lang) for p in cues.POLICIES
                                                                   for lang in ("en", "zh")}
    cue_findings = [f for f in report.findings if f.diagnostic.code in ("AN003", "AN004")]
    assert [f.diagnostic for f in cue_findings] == [d for d, _ in report.cues.warnings]


def test_an003_path_replays_to_the_policys_score():
    scenario = load_example()
    finding = next(f for f in audit.audit(scenario).findings if f.diagnostic.code == "AN003")
    state = replay(scenario, finding.path.responses)
    assert (state.ending, scoring.score(scenario, state).total) == (finding.path.ending, finding.path.score)


def test_two_rewarded_mistakes_on_an_otherwise_perfect_call_raise_an001():
    scenario = _load(_mistakes_text("interrupt", in_offer=False), "an001.yaml")
    report = audit.audit(scenario)
    assert report.analysis.best.score == 100
    finding = next(f for f in report.findings if f.diagnostic.code == "AN001")
    assert finding.diagnostic.severity == "warning"
    assert finding.path.score == 90  # 35 + (15 - 2 * 5) + 10 + 20 + 10 + 10


def test_an001_path_replays_to_its_score_with_at_least_two_mistakes():
    scenario = _load(_mistakes_text("interrupt", in_offer=False), "an001.yaml")
    finding = next(f for f in audit.audit(scenario).findings if f.diagnostic.code == "AN001")
    result = scoring.score(scenario, replay(scenario, finding.path.responses))
    assert result.total == finding.path.score >= audit.SLOPPY_SCORE
    assert sum(len(t.mistakes) + len(t.auto_mistakes) for t in result.turns) >= audit.SLOPPY_MISTAKES


def test_an001_points_at_the_first_mistaken_response_of_its_path():
    text = _mistakes_text("interrupt", in_offer=False)
    finding = next(f for f in audit.audit(_load(text, "an001.yaml")).findings if f.diagnostic.code == "AN001")
    assert finding.path.nodes == ("opening", "reason", "offer", "agreed") and finding.path.responses[1] == 1
    assert (finding.diagnostic.path, finding.diagnostic.line, finding.diagnostic.col) == (
        "an001.yaml", _line_of(text, MISTAKE_REASON), 9)


def test_three_mistakes_that_still_retain_with_70_raise_an002_only():
    # hard_sell costs 8: three of them leave 76 (AN002), two leave 84 (< 90: no AN001)
    report = audit.audit(_load(_mistakes_text("hard_sell", in_offer=True), "an002.yaml"))
    assert _codes(report) == ["AN002"]
    finding = report.findings[0]
    assert finding.path.ending == "kept" and finding.path.score >= audit.CARELESS_SCORE
    assert "retained" in finding.diagnostic.message and "'kept'" in finding.diagnostic.message


def test_an002_points_at_the_first_mistaken_response_of_its_path():
    text = _mistakes_text("hard_sell", in_offer=True)
    finding = audit.audit(_load(text, "an002.yaml")).findings[0]
    assert finding.path.responses == (0, 1, 1, 1)
    assert (finding.diagnostic.line, finding.diagnostic.col) == (_line_of(text, MISTAKE_REASON), 9)


def test_an002_points_at_an_untagged_premature_offer_when_that_is_the_first_mistake():
    # The search counts the scorer's own premature_offer as a mistake, so the warning must too: here the
    # AN002 path opens with an untagged offer before the reason is known, and that is where it points.
    text = _mistakes_text("interrupt", in_offer=False)
    opening_offer = '      - text: {en: "Before you go, we have a half-price data pack this month!",\n'
    text = _edit(text, "        mistakes: [premature_offer]\n        mood: -15\n",
                 '        offer: {cost: 0, label: {en: "Half-price data", zh: "半价流量"}}\n        mood: -15\n')
    text = _edit(text, '        instead: {en: "Ask what made him think of cancelling first.", '
                 'zh: "先问清楚他为什么想注销。"}\n', "")
    scenario = _load(text, "untagged.yaml")
    finding = next(f for f in audit.audit(scenario).findings if f.diagnostic.code == "AN002")
    first = scoring.score(scenario, replay(scenario, finding.path.responses)).turns[0]
    assert (first.node, first.auto_mistakes) == ("opening", ("premature_offer",))  # the path's first mistake
    assert finding.diagnostic.line == _line_of(text, opening_offer)


# -- propose_playthroughs ----------------------------------------------------------------------
def test_the_expert_proposal_is_the_best_path():
    scenario = load_example()
    best = analysis.explore(scenario).best
    expert = audit.propose_playthroughs(scenario)[0]
    assert expert["name"] == "expert"
    assert (expert["choices"], expert["ending"]) == (list(best.choices), best.ending)
    assert expert["score"][0] <= best.score <= expert["score"][1]


def test_the_novice_proposal_is_the_worst_path():
    scenario = load_example()
    worst = analysis.explore(scenario).worst
    novice = audit.propose_playthroughs(scenario)[1]
    assert novice["name"] == "novice"
    assert (novice["choices"], novice["ending"]) == (list(worst.choices), worst.ending)
    assert novice["score"][0] <= worst.score <= novice["score"][1]


def test_the_doc_example_gets_only_expert_and_novice():
    # both of its endings are taken by the best and the worst call
    assert [p["name"] for p in audit.propose_playthroughs(load_example())] == ["expert", "novice"]


def test_there_is_one_proposal_per_other_reachable_ending(rich):
    found = analysis.explore(rich)
    others = set(found.ending_odds) - {found.best.ending, found.worst.ending, TURN_LIMIT_ENDING}
    assert others == {"manager", "kept_politely"}  # 'never' is drawn but no call gets there
    names = [p["name"] for p in audit.propose_playthroughs(rich)]
    assert names[:2] == ["expert", "novice"]
    assert sorted(names[2:]) == sorted(f"best-to-{e}" for e in others)


def test_each_ending_proposal_ends_where_its_name_says(rich):
    for p in audit.propose_playthroughs(rich)[2:]:
        assert p["name"] == f"best-to-{p['ending']}"


def _with_proposals(text: str, proposals: list[dict]) -> str:
    """The scenario text with its playthroughs replaced by the proposals, as `test --generate` suggests."""
    body = text[:text.index("\nplaythroughs:\n") + 1]
    block = yaml.safe_dump(proposals, allow_unicode=True, sort_keys=False, default_flow_style=None)
    return body + "playthroughs:\n" + "".join(f"  {line}\n" for line in block.splitlines())


@pytest.mark.parametrize("which", ["doc-example", "rich"])
def test_every_proposal_replays_to_its_ending_within_its_range(which):
    text = doc_example_text() if which == "doc-example" else _rich_text()
    proposals = audit.propose_playthroughs(_load(text, f"{which}.yaml"))
    scenario = _load(_with_proposals(text, proposals), f"{which}-proposed.yaml")
    assert [p.name for p in scenario.playthroughs] == [p["name"] for p in proposals]
    results = playthroughs.run_all(scenario)
    assert len(results) == len(proposals) * len(scenario.languages)
    assert [r.problem.format() for r in results if not r.passed] == []


# -- coverage ----------------------------------------------------------------------------------
def test_coverage_marks_exactly_the_nodes_the_declared_playthrough_visits():
    cov = audit.coverage(load_example())
    assert cov.nodes == {"opening": True, "reason": True, "offer": True, "agreed": True, "annoyed": False}
    assert cov.node_share == pytest.approx(4 / 5)


def test_coverage_marks_exactly_the_responses_the_declared_playthrough_chooses():
    cov = audit.coverage(load_example())
    assert cov.responses == {
        ("opening", 0): True, ("opening", 1): False, ("reason", 0): True, ("offer", 0): True,
        ("agreed", 0): True, ("annoyed", 0): False, ("annoyed", 1): False,
    }
    assert cov.response_share == pytest.approx(4 / 7)


def test_coverage_marks_exactly_the_endings_the_declared_playthrough_reaches():
    cov = audit.coverage(load_example())
    assert cov.endings == {"kept": True, "cancelled": False}  # the built-in turn-limit ending is not counted


# -- audit: budget --------------------------------------------------------------------------------
def _generated(shape, nodes, answers, seed=0):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import adversarial_yaml

    scenario, _ = loader.load_text(adversarial_yaml(shape, nodes, answers, seed), f"{shape}.yaml", max_bytes=10**8)
    return scenario


def test_every_shipped_scenario_gets_the_full_budget_per_search():
    from helpers import SCENARIOS, load_shipped

    assert {audit.analysis_budget(load_shipped(p)) for p in SCENARIOS} == {analysis.DEFAULT_BUDGET}


def _answers(nodes, per_node):
    # analysis_budget reads only how many answers the nodes hold: a stand-in with that shape.
    from types import SimpleNamespace

    return SimpleNamespace(nodes={f"n{i}": SimpleNamespace(responses=range(per_node)) for i in range(nodes)})


def test_a_scenario_with_many_answers_gets_less_per_search_in_proportion():
    assert audit.analysis_budget(_answers(250, 8)) == analysis.DEFAULT_BUDGET // 2  # 2,000 answers


def test_the_budget_per_search_never_falls_below_the_floor():
    assert audit.analysis_budget(_answers(10_000, 8)) == audit.BUDGET_FLOOR


def test_a_cut_audit_states_bounds_the_found_calls_respect():
    report = audit.audit(_generated("chain", 40, 6, seed=12), budget=50)  # a version no other test analyses
    a = report.analysis
    assert not a.exact
    assert a.best.score <= a.best_bound and a.worst.score >= a.worst_bound
