"""``export --xapi``: saved calls as xAPI 1.0.3 statements."""

import json

import pytest
from xapi_rules import check

from simulator.cli import main
from simulator.commands.export import EXT
from simulator.storage import Store


@pytest.fixture(autouse=True)
def private_dirs(isolated_library):
    """Every test here runs against the isolated library."""


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def exported(capsys, tmp_path, *options) -> list[dict]:
    target = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "export", "--xapi", target, *options)
    assert code == 0, out
    return [json.loads(line) for line in target.read_text("utf-8").splitlines()]


def by_hand(capsys, monkeypatch, example, answers, *options):
    queue = list(answers)
    monkeypatch.setattr("builtins.input", lambda prompt="": queue.pop(0) if queue else (_ for _ in ()).throw(EOFError))
    run(capsys, "play", example, "--tui", "--no-shuffle", *options)


def test_one_responded_per_answered_turn_and_one_completed_per_finished_call(capsys, monkeypatch, tmp_path, example):
    by_hand(capsys, monkeypatch, example, ["1", "1", "1", "1"], "--trainee", "ann", "--org-id", "E7")
    by_hand(capsys, monkeypatch, example, ["1"], "--trainee", "ann", "--org-id", "E7")  # left after one answer
    with Store() as store:
        turns = sum(len(r.state["history"]) for r in store.sessions())
    statements = exported(capsys, tmp_path)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs.count("responded") == turns and verbs.count("completed") == 1


def test_every_statement_keeps_the_xapi_rules(capsys, monkeypatch, tmp_path, example):
    by_hand(capsys, monkeypatch, example, ["1", "1", "1", "1"], "--trainee", "ann", "--org-id", "E7")
    statements = exported(capsys, tmp_path)
    assert statements and [check(s) for s in statements] == [[] for _ in statements]


def test_the_checker_rejects_a_statement_that_breaks_the_rules():
    bad = {"id": "not-a-uuid", "actor": {"account": {"name": "x"}}, "verb": {"id": "responded"},
           "object": {"id": "turn 1"}, "result": {"score": {"scaled": 1.5}, "duration": "90 seconds"}}
    assert len(check(bad)) == 6


def test_completed_carries_score_success_and_duration(capsys, monkeypatch, tmp_path, example):
    by_hand(capsys, monkeypatch, example, ["1", "1", "1", "1"], "--trainee", "ann", "--org-id", "E7")
    with Store() as store:
        [record] = store.sessions()
    [done] = [s for s in exported(capsys, tmp_path) if s["verb"]["id"].endswith("/completed")]
    assert done["result"]["score"] == {"scaled": record.score / 100, "raw": record.score, "min": 0, "max": 100}
    assert done["result"]["completion"] is True and isinstance(done["result"]["success"], bool)
    assert done["result"]["duration"].startswith("PT") and done["timestamp"] == record.updated_at
    assert done["actor"]["account"]["name"] == "E7" and done["actor"]["name"] == "ann"


def test_responded_carries_techniques_mistakes_mood_and_answer_time(capsys, monkeypatch, tmp_path, example):
    by_hand(capsys, monkeypatch, example, ["1"], "--trainee", "ann")
    [turn] = exported(capsys, tmp_path)
    extensions = turn["result"]["extensions"]
    assert set(extensions) == {f"{EXT}/techniques", f"{EXT}/mistakes", f"{EXT}/mood-change", f"{EXT}/response-time"}
    assert isinstance(extensions[f"{EXT}/response-time"], int) and turn["result"]["response"] == "1"


def test_a_policy_answer_has_no_answer_time(capsys, tmp_path, example):
    run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", "ann")
    statements = exported(capsys, tmp_path, "--include-scripted")
    assert all(f"{EXT}/response-time" not in s["result"].get("extensions", {}) for s in statements)


def test_exporting_twice_gives_the_same_statement_ids(capsys, monkeypatch, tmp_path, example):
    by_hand(capsys, monkeypatch, example, ["1", "1"], "--trainee", "ann")
    assert [s["id"] for s in exported(capsys, tmp_path)] == [s["id"] for s in exported(capsys, tmp_path)]


def test_filters_choose_whose_calls_are_exported(capsys, monkeypatch, tmp_path, example):
    by_hand(capsys, monkeypatch, example, ["1"], "--trainee", "ann")
    by_hand(capsys, monkeypatch, example, ["1"], "--trainee", "bo")
    statements = exported(capsys, tmp_path, "--trainee", "bo")
    assert {s["actor"]["name"] for s in statements} == {"bo"}


def test_a_typed_answer_is_a_long_fill_in_with_the_trainees_words_and_what_was_heard(capsys, tmp_path, example):
    from helpers import load_example

    from simulator.core import engine
    from simulator.core.session_json import to_json

    scenario = load_example()
    eng = engine.Engine(scenario)
    said = engine.Said("I'm sorry, <b>what</b> happened?", (("empathy", 0.9), ("open_probe", 0.61)), 0.4, 0.35)
    state = eng.choose_response(eng.start("en", 0), 0, 900, said)
    with Store() as store:
        store.create(scenario.id, example, "ann", "en", None, to_json(scenario, state), "2026-11-29T08:00:00")
    [turn] = exported(capsys, tmp_path)
    assert turn["object"]["definition"]["interactionType"] == "long-fill-in"
    assert turn["object"]["id"].endswith("/typed")
    assert turn["result"]["response"] == "I'm sorry, <b>what</b> happened?"
    assert turn["result"]["extensions"][f"{EXT}/heard"] == {"empathy": 0.9, "open_probe": 0.61}
    assert turn["result"]["extensions"][f"{EXT}/matched-response"] == 1
    assert check(turn) == []
