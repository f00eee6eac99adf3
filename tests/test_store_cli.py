"""Trainees, filters, paging and the database choice, through ``play`` and ``report``."""

import json

import pytest

from simulator.cli import main
from simulator.report import cohort
from simulator.storage import Store, digests, migrate

T0 = "2026-03-02T09:00:00+00:00"


@pytest.fixture(autouse=True)
def private_dirs(isolated_library):
    """Every test here runs against the isolated library (conftest keeps --db from leaking into the next test)."""


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _calls(count: int, **fields) -> list[int]:
    with Store() as store:
        return [store.create("x", "/x.yaml", fields.get("trainee", "ann"), "en", None, {}, T0,
                             trainee_org_id=fields.get("org", ""), trainee_group=fields.get("group", ""))
                for _ in range(count)]


def test_play_with_db_saves_to_that_database_and_report_reads_it(capsys, example, store_url):
    code, _, _ = run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", "ann", "--org-id", "E7",
                     "--group", "north", "--db", store_url)
    assert code == 0
    code, out, _ = run(capsys, "report", "--list", "--format", "json", "--include-scripted", "--db", store_url)
    [listed] = json.loads(out)
    assert (listed["trainee"], listed["org_id"], listed["group"], listed["played_by"]) == ("ann", "E7", "north", "auto")
    assert listed["finished"] and isinstance(listed["score"], int)


def test_list_json_gives_every_match_with_the_documented_fields(capsys):
    ids = _calls(120)
    code, out, _ = run(capsys, "report", "--list", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and [r["id"] for r in listed] == ids[::-1]
    assert set(listed[0]) == {"id", "trainee", "org_id", "group", "scenario", "started", "finished", "ending",
                              "score", "played_by"}


def test_list_pages_and_says_how_many_there_are(capsys):
    ids = _calls(120)
    code, out, _ = run(capsys, "report", "--list", "--page", "3")
    lines = out.splitlines()
    assert code == 0 and [int(line.split()[0]) for line in lines[:-1]] == ids[::-1][100:]
    assert lines[-1] == "page 3 of 3 (120 calls)"
    first = run(capsys, "report", "--list")[1].splitlines()
    assert len(first) == 51 and first[-1] == "page 1 of 3 (120 calls); next: --page 2"


def test_list_filters_by_trainee_organisation_and_group(capsys):
    _calls(2, trainee="ann", org="E1", group="north")
    [bo] = _calls(1, trainee="bo", org="E2", group="south")
    for flags in (["--trainee", "bo"], ["--org-id", "E2"], ["--group", "south"]):
        out = run(capsys, "report", "--list", "--format", "json", *flags)[1]
        assert [r["id"] for r in json.loads(out)] == [bo], flags


def test_list_refuses_a_date_that_is_not_one(capsys):
    code, _, err = run(capsys, "report", "--list", "--until", "March")
    assert code != 0 and "--until takes a date as YYYY-MM-DD" in err


def test_resume_offers_only_the_trainees_own_call(capsys, monkeypatch, example):
    monkeypatch.setattr("builtins.input", lambda prompt="": (_ for _ in ()).throw(EOFError))
    run(capsys, "play", example, "--tui", "--trainee", "ann")
    code, _, err = run(capsys, "play", "--resume", "--tui", "--trainee", "bo")
    assert code == 2 and "no unfinished call of 'bo' to resume" in err


def test_resuming_another_trainees_call_by_id_is_refused(capsys, monkeypatch, example):
    monkeypatch.setattr("builtins.input", lambda prompt="": (_ for _ in ()).throw(EOFError))
    run(capsys, "play", example, "--tui", "--trainee", "ann")
    with Store() as store:
        sid = store.latest_open().id
    code, _, err = run(capsys, "play", "--resume", str(sid), "--tui", "--trainee", "bo")
    assert code == 2 and f"session {sid} is 'ann''s call, not 'bo''s" in err


def test_cohort_groups_rows_by_group(capsys, tmp_path, example):
    for trainee, group in (("ann", "north"), ("bo", "north"), ("cy", "south")):
        run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", trainee, "--group", group)
    target = tmp_path / "c.json"
    assert run(capsys, "report", "--cohort", "--include-scripted", "--by", "group", "-o", target)[0] == 0
    report = json.loads(target.read_text("utf-8"))
    assert report["grouped_by"] == "group"
    assert [(row["trainee"], row["sessions"]) for row in report["heatmap"]] == [("north", 2), ("south", 1)]


def test_cohort_keeps_each_calls_digest_and_reuses_it(capsys, tmp_path, example):
    run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", "ann")
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    run(capsys, "report", "--cohort", "--include-scripted", "-o", first)
    with Store() as store:
        [row] = digests.cohort_rows(store)
        bodies = digests.digest_bodies(store, {row.digest_id})
    assert bodies[row.digest_id][0].startswith(f"{cohort.DIGEST_VERSION}:")
    run(capsys, "report", "--cohort", "--include-scripted", "-o", second)
    assert json.loads(first.read_text("utf-8")) == json.loads(second.read_text("utf-8"))


def test_report_reads_a_database_it_cannot_write(capsys, monkeypatch):
    _calls(1, trainee="ann")

    def unwritable(engine, where):
        raise migrate.StorageError(f"the session database {where} cannot be used: the folder is not writable")

    monkeypatch.setattr(migrate, "upgrade", unwritable)
    code, out, err = run(capsys, "report", "--list", "--format", "json")
    assert code == 0 and [r["trainee"] for r in json.loads(out)] == ["ann"]
    assert "not writable; reading it without writing" in err
