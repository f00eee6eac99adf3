from helpers import doc_example_text

from simulator.core import loader, playthroughs


def with_playthrough(block: str):
    text = doc_example_text().split("playthroughs:")[0] + "playthroughs:\n" + block
    scenario, diagnostics = loader.load_text(text, "p.yaml")
    assert scenario is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics
    return scenario


def test_a_matching_playthrough_passes_in_every_language():
    scenario = with_playthrough("  - {name: expert, choices: [1, 1, 1, 1], ending: kept, score: [90, 100]}\n")
    results = playthroughs.run_all(scenario)
    assert [r.language for r in results] == ["en", "zh"] and all(r.passed for r in results)


def test_a_wrong_ending_fails_with_pt002():
    scenario = with_playthrough("  - {name: x, choices: [1, 1, 1, 1], ending: cancelled}\n")
    assert playthroughs.run_all(scenario)[0].problem.code == "PT002"


def test_a_score_outside_the_range_fails_with_pt003():
    scenario = with_playthrough("  - {name: x, choices: [1, 1, 1, 1], ending: kept, score: [0, 10]}\n")
    problem = playthroughs.run_all(scenario)[0].problem
    assert problem.code == "PT003" and "scored 95" in problem.message


def test_a_choice_not_offered_fails_with_pt001():
    scenario = with_playthrough("  - {name: x, choices: [3], ending: kept}\n")
    assert playthroughs.run_all(scenario)[0].problem.code == "PT001"


def test_too_few_choices_fail_with_pt004():
    scenario = with_playthrough("  - {name: x, choices: [1], ending: kept}\n")
    assert playthroughs.run_all(scenario)[0].problem.code == "PT004"


def test_a_playthrough_can_be_limited_to_one_language():
    scenario = with_playthrough("  - {name: x, choices: [1, 1, 1, 1], ending: kept, lang: zh}\n")
    assert [r.language for r in playthroughs.run_all(scenario)] == ["zh"]


def test_the_failure_points_at_the_playthrough_line():
    scenario = with_playthrough("  - {name: x, choices: [2, 2], ending: kept}\n")
    problem = playthroughs.run_all(scenario)[0].problem
    assert problem.line == doc_example_text().split("playthroughs:")[0].count("\n") + 2


def test_more_choices_than_the_call_takes_fail_with_pt005():
    scenario = with_playthrough("  - {name: x, choices: [1, 1, 1, 1, 2], ending: kept}\n")
    problem = playthroughs.run_all(scenario)[0].problem
    assert problem.code == "PT005" and "lists 5 choices" in problem.message and "'kept' after 4" in problem.message


def test_a_choice_not_offered_names_how_many_responses_the_node_offers():
    scenario = with_playthrough("  - {name: x, choices: [9], ending: kept}\n")
    offered = len(scenario.nodes[scenario.start].responses)
    assert f"offers {offered} response(s)" in playthroughs.run_all(scenario)[0].problem.message


def test_a_score_range_that_is_not_low_then_high_is_sc003_quoting_what_was_written():
    text = doc_example_text().split("playthroughs:")[0] + (
        "playthroughs:\n  - {name: x, choices: [1, 1, 1, 1], ending: kept, score: [90, 10]}\n")
    _, diagnostics = loader.load_text(text, "p.yaml")
    assert [(d.code, "not [90, 10]" in d.message) for d in diagnostics] == [("SC003", True)]
