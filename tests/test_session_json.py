"""core.session_json: a call saved as versioned JSON comes back as the same state, or is refused with why."""

import json
from dataclasses import replace

import pytest
from helpers import load_example, play, round_trip

from simulator.core import session_json
from simulator.core.engine import Engine, EngineError, Said


def test_the_shuffled_order_survives_a_json_round_trip():
    scenario = load_example()
    eng = Engine(scenario)
    state = eng.start("zh", seed=12345)
    assert eng.options(round_trip(scenario, state)) == eng.options(state)


def test_undone_answers_survive_a_json_round_trip():
    scenario = load_example()
    eng = Engine(scenario)
    state = eng.choose_response(eng.undo(eng.choose_response(eng.start("en"), 1, 900)), 0, 400)
    assert round_trip(scenario, state) == state and round_trip(scenario, state).undone


def test_a_version_1_session_without_undone_answers_still_loads():
    scenario = load_example()
    state = play(scenario, [0, 0])
    data = session_json.to_json(scenario, state)
    data["version"] = 1
    del data["undone"]
    assert session_json.from_json(scenario, data) == state


def test_an_undone_answer_that_no_longer_fits_the_scenario_is_explained():
    scenario = load_example()
    eng = Engine(scenario)
    data = session_json.to_json(scenario, eng.undo(eng.choose_response(eng.start("en"), 1)))
    data["undone"][0]["before"] = [0]  # the answer before it now leads elsewhere
    with pytest.raises(EngineError, match=r"undone answer .* no longer fits"):
        session_json.from_json(scenario, data)


def test_state_round_trips_through_json_mid_call():
    scenario = load_example()
    state = play(scenario, [0, 0])
    assert round_trip(scenario, state) == state


def test_state_json_has_a_format_version():
    scenario = load_example()
    data = session_json.to_json(scenario, play(scenario, [0]))
    assert data["format"] == "retention-sim/session" and data["version"] == 3


SAID = Said("So sorry — what happened?", (("empathy", 0.91), ("open_probe", 0.72)), 0.43, 0.38)


def test_a_typed_answer_keeps_its_words_through_json():
    scenario = load_example()
    eng = Engine(scenario)
    state = eng.choose_response(eng.start("en", 0), 0, 1200, SAID)
    assert round_trip(scenario, state).history[0].said == SAID


def test_undo_keeps_the_words_of_the_answer_taken_back_and_of_those_still_standing():
    scenario = load_example()
    eng = Engine(scenario)
    first = eng.choose_response(eng.start("en", 0), 0, None, SAID)
    state = eng.undo(eng.choose_response(first, eng.options(first)[0], None, replace(SAID, text="second")))
    restored = round_trip(scenario, state)
    assert restored.history[0].said == SAID and restored.undone[0].turn.said.text == "second"


def test_a_version_2_session_loads_as_chosen_answers():
    scenario = load_example()
    data = session_json.to_json(scenario, play(scenario, [0]))
    data["version"] = 2
    assert session_json.from_json(scenario, data).history[0].said is None


def test_migrate_gives_a_version_1_session_the_current_shape():
    migrated = session_json.migrate({"format": "retention-sim/session", "version": 1, "history": []})
    assert migrated["version"] == session_json.STATE_VERSION and migrated["undone"] == []


def test_from_json_explains_typed_words_that_are_damaged():
    scenario = load_example()
    eng = Engine(scenario)
    state = eng.choose_response(eng.start("en", 0), 0, None, SAID)
    data = json.loads(json.dumps(session_json.to_json(scenario, state)))
    data["history"][0]["said"]["heard"] = [["empathy", 7]]
    with pytest.raises(EngineError, match="damaged"):
        session_json.from_json(scenario, data)


def test_from_json_rejects_another_version():
    scenario = load_example()
    data = session_json.to_json(scenario, play(scenario, [0]))
    data["version"] = 99
    with pytest.raises(EngineError, match="version 99"):
        session_json.from_json(scenario, data)


def test_from_json_rejects_a_session_of_another_scenario():
    scenario = load_example()
    data = session_json.to_json(scenario, play(scenario, [0]))
    data["scenario"] = "something-else"
    with pytest.raises(EngineError, match="something-else"):
        session_json.from_json(scenario, data)


def test_from_json_explains_a_session_that_no_longer_fits():
    scenario = load_example()
    data = json.loads(json.dumps(session_json.to_json(scenario, play(scenario, [0]))))
    data["history"][0]["response"] = 5
    with pytest.raises(EngineError, match="no longer fits"):
        session_json.from_json(scenario, data)


def test_from_json_explains_damaged_data():
    with pytest.raises(EngineError, match="damaged"):
        session_json.from_json(load_example(), {"format": "retention-sim/session", "version": 1,
                                          "scenario": "prepaid-cancel-example", "language": "en"})
