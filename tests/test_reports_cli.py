"""``play --report`` and ``report``: call and cohort reports from saved sessions, through the command line."""

import json
import os
import re
import shutil

import pytest
from helpers import ROOT, doc_example_text

from simulator import files
from simulator.cli import main
from simulator.core import engine, scoring
from simulator.core.loader import load
from simulator.core.session_json import to_json
from simulator.storage import Store

MOBILE = ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml"


@pytest.fixture(autouse=True)
def private_dirs(isolated_library):
    """Every test here runs against the isolated library."""



@pytest.fixture
def mobile(tmp_path):
    path = tmp_path / "mobile.yaml"
    shutil.copyfile(MOBILE, path)
    return str(path)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def printed_score(out: str) -> int:
    scores = re.findall(r"^Score: (\d+)/100", out, re.M)
    assert len(scores) == 1, out[-2000:]
    return int(scores[0])


def sessions() -> list:
    with Store() as store:
        return store.sessions()


# -- play --report ---------------------------------------------------------------------------------
def test_play_report_html_is_written(capsys, tmp_path, example):
    target = tmp_path / "out" / "call.html"
    code, out, _ = run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", "ana", "--report", target)
    assert code == 0 and f"report written to {target}" in out
    text = target.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and f"<b>{printed_score(out)}</b>/100" in text
    assert "A student wants to cancel" in text and "ana" in text


def test_play_report_markdown_is_written(capsys, tmp_path, example):
    target = tmp_path / "call.md"
    code, out, _ = run(capsys, "play", example, "--tui", "--auto", "best", "--report", target)
    assert code == 0
    assert f"**Score: {printed_score(out)}/100**" in target.read_text("utf-8")


def test_play_report_json_is_written(capsys, tmp_path, example):
    target = tmp_path / "call.json"
    code, out, _ = run(capsys, "play", example, "--tui", "--auto", "worst", "--trainee", "ana", "--report", target)
    report = json.loads(target.read_text("utf-8"))
    assert code == 0
    assert report["score"] == printed_score(out) and report["trainee"] == "ana" and report["finished"] is True
    assert report["scenario"]["id"] == "prepaid-cancel-example" and report["started_at"] and report["finished_at"]


def test_play_report_in_chinese(capsys, tmp_path, example):
    target = tmp_path / "call.json"
    code, _, _ = run(capsys, "play", example, "--tui", "--lang", "zh", "--auto", "best", "--report", target)
    assert code == 0 and json.loads(target.read_text("utf-8"))["persona"]["stage"] == "成长期"


def test_play_report_with_a_bad_extension_fails_before_the_call(capsys, tmp_path, example):
    target = tmp_path / "call.pdf"
    code, out, err = run(capsys, "play", example, "--tui", "--auto", "best", "--report", target)
    assert code == 2
    assert "cannot tell the report format" in err and ".html, .md or .json" in err
    assert out == "" and not target.exists()
    assert sessions() == []


def test_play_without_an_ending_writes_no_report(capsys, tmp_path, example):
    target = tmp_path / "call.html"
    code, _, err = run(capsys, "play", example, "--tui", "--script", "1", "--report", target)
    assert code == 2 and "ran out of choices" in err
    assert not target.exists()


# -- report: one saved call ----------------------------------------------------------------------
@pytest.fixture
def played(capsys, example):
    """One finished call: (session id, score printed at the end of the call)."""
    code, out, _ = run(capsys, "play", example, "--tui", "--auto", "worst", "--trainee", "ana")
    assert code == 0
    (record,) = sessions()
    return record.id, printed_score(out)


def test_report_list_shows_every_session(capsys, example, mobile):
    run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", "ana")
    run(capsys, "play", mobile, "--tui", "--auto", "worst", "--trainee", "bo")
    run(capsys, "play", example, "--tui", "--script", "1")  # unfinished
    code, out, _ = run(capsys, "report", "--list", "--include-scripted")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 3
    assert re.match(r"\s*3 .* prepaid-cancel-example\s+unfinished  \[script\]$", lines[0])
    assert re.match(r"\s*2 .*bo\s+mobile-cancel-after-bill-shock\s+\d+/100 \w+  \[auto\]$", lines[1])
    assert re.match(r"\s*1 .*ana\s+prepaid-cancel-example\s+\d+/100 kept  \[auto\]$", lines[2])


def test_a_report_list_row_of_a_usual_scenario_fits_80_columns(capsys, mobile):
    run(capsys, "play", mobile, "--tui", "--script", "1", "--trainee", "Anna Schmidt")  # unfinished
    code, out, _ = run(capsys, "report", "--list", "--include-scripted")
    (line,) = out.strip().splitlines()
    row = line.removesuffix("  [script]")  # a trainee's own call has no such mark; --list shows only those
    assert code == 0 and row.endswith("Anna Schmidt mobile-cancel-after-bill-shock unfinished") and len(row) <= 80


def test_report_list_with_no_sessions_prints_nothing(capsys):
    assert run(capsys, "report", "--list") == (0, "", "")


def test_report_regenerates_the_score_the_call_printed(capsys, tmp_path, played):
    session, score = played
    target = tmp_path / "again.html"
    code, out, _ = run(capsys, "report", session, "-o", target)
    assert code == 0 and f"report written to {target}" in out
    assert f"<b>{score}</b>/100" in target.read_text("utf-8")


def test_report_json_matches_the_saved_session(capsys, tmp_path, played):
    session, score = played
    target = tmp_path / "again.json"
    assert run(capsys, "report", session, "-o", target)[0] == 0
    report = json.loads(target.read_text("utf-8"))
    with Store() as store:
        record = store.get(session)
    assert report["score"] == score == record.score
    assert report["trainee"] == "ana" and report["started_at"] == record.started_at
    assert report["finished_at"] == record.updated_at


def test_report_without_output_prints_markdown(capsys, played):
    session, score = played
    code, out, _ = run(capsys, "report", session)
    assert code == 0
    assert out.startswith("# Call report: A student wants to cancel\n")
    assert f"**Score: {score}/100**" in out


def test_report_of_an_unfinished_call_says_unfinished(capsys, example):
    run(capsys, "play", example, "--tui", "--script", "1")
    (record,) = sessions()
    code, out, _ = run(capsys, "report", record.id)
    assert code == 0 and "unfinished" in out


def test_report_of_an_unknown_session_fails_clearly(capsys, played):
    code, out, err = run(capsys, "report", "999")
    assert code == 2 and out == "" and "there is no saved session 999" in err


def test_report_needs_a_numeric_session(capsys):
    code, _, err = run(capsys, "report", "latest")
    assert code == 2 and "name a session id" in err


def test_report_with_a_bad_extension_fails_clearly(capsys, tmp_path, played):
    session, _ = played
    code, _, err = run(capsys, "report", session, "-o", tmp_path / "x.docx")
    assert code == 2 and "cannot tell the report format" in err and not (tmp_path / "x.docx").exists()


def test_report_of_a_session_whose_scenario_is_gone_fails_clearly(capsys, tmp_path, played, example):
    session, _ = played
    os.remove(example)
    code, _, err = run(capsys, "report", session, "-o", tmp_path / "x.html")
    assert code == 2 and "is no longer there" in err and not (tmp_path / "x.html").exists()


def test_report_that_cannot_be_written_fails_clearly(capsys, tmp_path, played):
    session, _ = played
    (tmp_path / "blocker").write_text("a file, not a folder", "utf-8")
    code, _, err = run(capsys, "report", session, "-o", tmp_path / "blocker" / "x.html")
    assert code == 2 and "cannot write the report" in err


# -- report --cohort ---------------------------------------------------------------------------------
COHORT_CALLS = [  # (trainee, scenario, how)
    ("alice", "example", ["--script", "1,1,1,1"]),
    ("alice", "example", ["--script", "2,2"]),
    ("bob", "example", ["--auto", "random:7"]),
    ("bob", "mobile", ["--auto", "best"]),
    ("carol", "mobile", ["--auto", "worst"]),
    ("carol", "mobile", ["--auto", "random:3"]),
]


@pytest.fixture(scope="module")
def cohort_dirs(tmp_path_factory):
    """A session database with six finished calls by three trainees over two scenarios, and one unfinished."""
    base = tmp_path_factory.mktemp("cohort")
    example = base / "example.yaml"
    example.write_text(doc_example_text(), "utf-8")
    mobile = base / "mobile.yaml"
    shutil.copyfile(MOBILE, mobile)
    (base / "library").mkdir()
    paths = {"example": str(example), "mobile": str(mobile)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETENTION_SIM_DATA", str(base / "data"))
        mp.setenv("RETENTION_SIM_SCENARIOS", str(base / "library"))
        for trainee, scenario, how in COHORT_CALLS:
            assert main(["play", paths[scenario], "--tui", "--trainee", trainee, *how]) == 0
        assert main(["play", paths["example"], "--tui", "--trainee", "dave", "--script", "1"]) == 2  # unfinished
    return base


@pytest.fixture
def cohort(cohort_dirs, monkeypatch, capsys):
    """``cohort(*options)``: run ``report --cohort -o C.json`` over the shared sessions; returns the JSON."""
    monkeypatch.setenv("RETENTION_SIM_DATA", str(cohort_dirs / "data"))
    monkeypatch.setenv("RETENTION_SIM_SCENARIOS", str(cohort_dirs / "library"))
    capsys.readouterr()

    def build(*options, name="cohort.json"):
        target = cohort_dirs / "out" / name
        code, out, err = run(capsys, "report", "--cohort", "--include-scripted", "-o", target, *options)
        assert code == 0, err
        assert f"written to {target}" in out
        return json.loads(target.read_text("utf-8")) if name.endswith(".json") else target.read_text("utf-8")

    return build


def test_cohort_counts_the_finished_sessions(cohort):
    assert cohort()["sessions"] == len(COHORT_CALLS)


def test_cohort_average_is_the_mean_of_the_saved_scores(cohort):
    with Store() as store:
        scores = [r.score for r in store.sessions() if r.finished]
    assert cohort()["average_score"] == round(sum(scores) / len(scores), 1)


def test_cohort_technique_shares_are_fractions(cohort):
    techniques = cohort()["techniques"]
    assert techniques and all(0.0 <= x["share"] <= 1.0 for x in techniques)
    assert any(0.0 < x["share"] < 1.0 for x in techniques)


def test_cohort_heatmap_has_a_row_per_trainee(cohort):
    heatmap = cohort()["heatmap"]
    assert [(r["trainee"], r["sessions"]) for r in heatmap] == [("alice", 2), ("bob", 2), ("carol", 2)]
    steps = {"build_trust", "probe_reason", "propose", "resolve_refusal", "close"}
    assert all(set(r["steps"]) == steps for r in heatmap)
    assert all(v is None or 0.0 <= v <= 1.0 for r in heatmap for v in r["steps"].values())


def test_cohort_hardest_turns_are_keyed_by_scenario(cohort):
    hardest = cohort()["hardest_turns"]
    assert set(hardest) == {"prepaid-cancel-example", "mobile-cancel-after-bill-shock"}
    for scenario, rows in hardest.items():
        assert 1 <= len(rows) <= 3 and all(r["scenario"] == scenario for r in rows)
        assert all(0.0 <= r["weak_share"] <= 1.0 and r["visits"] >= 1 for r in rows)
        assert [r["weak_share"] for r in rows] == sorted((r["weak_share"] for r in rows), reverse=True)


def test_cohort_progress_is_ordered_by_time(cohort):
    progress = cohort()["progress"]
    assert [r["trainee"] for r in progress] == ["alice", "bob", "carol"]
    for row in progress:
        whens = [s["when"] for s in row["scores"]]
        assert len(whens) == 2 and whens == sorted(whens)


def test_cohort_leaves_out_unfinished_calls(cohort):
    report = cohort()
    assert "dave" not in [r["trainee"] for r in report["heatmap"]] and report["skipped"] == []


def test_cohort_scenario_filter_narrows_the_count(cohort):
    assert cohort("--scenario", "mobile-cancel-after-bill-shock")["sessions"] == 3
    assert cohort("--scenario", "prepaid-cancel-example")["sessions"] == 3


def test_cohort_trainee_filter_narrows_the_count(cohort):
    report = cohort("--trainee", "alice")
    assert report["sessions"] == 2 and [r["trainee"] for r in report["heatmap"]] == ["alice"]


def test_cohort_since_filter_drops_older_sessions(cohort):
    assert cohort("--since", "2999-01-01")["sessions"] == 0
    assert cohort("--since", "2000-01-01")["sessions"] == len(COHORT_CALLS)


def test_cohort_html_is_self_contained(cohort):
    text = cohort(name="cohort.html")
    assert text.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in text
    assert "<script" not in text and "<link" not in text and "size: A4" in text
    assert "Cohort report" in text and all(name in text for name in ("alice", "bob", "carol"))


def test_cohort_markdown_has_every_part(cohort):
    text = cohort(name="cohort.md")
    assert text.startswith("# Cohort report\n") and "Calls: 6" in text
    for heading in ("Trainee × step", "Techniques", "Mistakes", "The hardest turns", "Progress over time"):
        assert re.search(rf"^## {heading}", text, re.M), heading
    assert re.search(r"^\| alice \|", text, re.M)


def test_cohort_in_chinese(cohort):
    report = cohort("--lang", "zh")
    assert report["labels"]["c.title"] == "班级报告" and report["step_names"]["close"] != "close"


def test_cohort_with_a_bad_extension_fails_clearly(cohort_dirs, monkeypatch, capsys):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(cohort_dirs / "data"))
    code, out, err = run(capsys, "report", "--cohort", "--include-scripted", "-o", cohort_dirs / "cohort.xlsx")
    assert code == 2 and "cannot tell the report format" in err and "written" not in out
    assert not (cohort_dirs / "cohort.xlsx").exists()


def test_cohort_without_output_prints_markdown(cohort_dirs, monkeypatch, capsys):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(cohort_dirs / "data"))
    code, out, _ = run(capsys, "report", "--cohort", "--include-scripted", "--trainee", "bob")
    assert code == 0 and out.startswith("# Cohort report\n") and "Calls: 2" in out


def test_cohort_escapes_trainee_names(capsys, tmp_path, example):
    name = "<script>alert(1)</script>"
    assert run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", name)[0] == 0
    run(capsys, "report", "--cohort", "--include-scripted", "-o", tmp_path / "c.html")
    html = (tmp_path / "c.html").read_text("utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    code, out, _ = run(capsys, "report", "--cohort", "--include-scripted")
    assert code == 0 and "\\<script\\>" in out and "<script>" not in out


@pytest.fixture
def orphan(capsys, tmp_path):
    """A finished session whose scenario file (not a shipped one) has since been deleted."""
    gone = tmp_path / "gone.yaml"
    gone.write_text(doc_example_text(), "utf-8")
    assert run(capsys, "play", gone, "--tui", "--auto", "best", "--trainee", "zoe")[0] == 0
    gone.unlink()
    (record,) = sessions()
    return record.id


def test_cohort_lists_a_session_whose_scenario_is_gone_as_skipped(capsys, tmp_path, orphan, example):
    assert run(capsys, "play", example, "--tui", "--auto", "worst", "--trainee", "ana")[0] == 0
    code, _, err = run(capsys, "report", "--cohort", "--include-scripted", "-o", tmp_path / "c.json")
    report = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert code == 0 and err == ""
    assert report["sessions"] == 1
    assert [s["session"] for s in report["skipped"]] == [orphan]
    assert "prepaid-cancel-example" in report["skipped"][0]["why"]


def test_cohort_html_lists_skipped_sessions(capsys, tmp_path, orphan):
    code, _, _ = run(capsys, "report", "--cohort", "--include-scripted", "-o", tmp_path / "c.html")
    text = (tmp_path / "c.html").read_text("utf-8")
    assert code == 0 and "Sessions left out" in text and f"#{orphan}:" in text


def test_cohort_markdown_lists_skipped_sessions(capsys, orphan):
    # The Markdown cohort report (the default, printed one) should say which sessions it left out, as HTML does.
    code, out, _ = run(capsys, "report", "--cohort", "--include-scripted")
    assert code == 0 and "Sessions left out" in out and f"#{orphan}" in out


def test_cohort_markdown_of_no_sessions_shows_no_python_none(capsys):
    # With nothing to average, the HTML shows "—"; the Markdown should not print Python's "None".
    code, out, _ = run(capsys, "report", "--cohort", "--include-scripted")
    assert code == 0 and "Calls: 0" in out
    assert "None" not in out


def test_cohort_skips_a_session_the_scenario_no_longer_fits(capsys, tmp_path, example):
    assert run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", "ana")[0] == 0
    # The author renames a node the saved call went through: the state no longer fits the file.
    text = doc_example_text().replace("next: agreed", "next: agreed2").replace("  agreed:\n", "  agreed2:\n")
    assert text.count("agreed2") == 2
    (tmp_path / "example.yaml").write_text(text, "utf-8")
    code, _, _ = run(capsys, "report", "--cohort", "--include-scripted", "-o", tmp_path / "c.json")
    report = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert code == 0 and report["sessions"] == 0 and len(report["skipped"]) == 1


def finished_session(store: Store, scenario, trainee: str, when: str, responses: list[int]) -> int:
    """Save a finished call directly, with a chosen start time."""
    eng = engine.Engine(scenario)
    state = eng.start("en", 0)
    for index in responses:
        state = eng.choose_response(state, index)
    assert state.over
    sid = store.create(scenario.id, scenario.path, trainee, "en", None, to_json(scenario, state), when)
    store.save(sid, to_json(scenario, state), when, True, state.ending, scoring.score(scenario, state).total)
    return sid


def test_cohort_progress_follows_start_time_not_session_order(capsys, tmp_path, example):
    scenario = load(example)
    with Store() as store:
        finished_session(store, scenario, "ana", "2024-03-02T10:00:00+00:00", [1, 1])  # later call, saved first
        finished_session(store, scenario, "ana", "2024-03-01T10:00:00+00:00", [0, 0, 0, 0])
    run(capsys, "report", "--cohort", "--include-scripted", "-o", tmp_path / "c.json")
    (row,) = json.loads((tmp_path / "c.json").read_text("utf-8"))["progress"]
    assert [s["when"][:10] for s in row["scores"]] == ["2024-03-01", "2024-03-02"]


def test_cohort_progress_keeps_calls_started_in_the_same_second_in_play_order(capsys, tmp_path, example):
    # Start times have one-second resolution; scripted calls often share one. Play order is then session order.
    scenario = load(example)
    when = "2024-03-01T10:00:00+00:00"
    with Store() as store:
        first = finished_session(store, scenario, "ana", when, [1, 1])
        second = finished_session(store, scenario, "ana", when, [0, 0, 0, 0])
        scores = {r.id: r.score for r in store.sessions()}
    run(capsys, "report", "--cohort", "--include-scripted", "-o", tmp_path / "c.json")
    (row,) = json.loads((tmp_path / "c.json").read_text("utf-8"))["progress"]
    assert [s["score"] for s in row["scores"]] == [scores[first], scores[second]]


# -- atomic writes ---------------------------------------------------------------------------------
@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "reports"
    path.mkdir()
    return path


def test_write_atomic_writes_the_text_and_leaves_no_temp_file(folder):
    target = folder / "sub" / "report.html"
    files.write_atomic(target, "new ✓")
    assert target.read_text("utf-8") == "new ✓"
    assert os.listdir(target.parent) == ["report.html"]


def test_write_atomic_replaces_an_existing_file(folder):
    target = folder / "report.html"
    target.write_text("old", "utf-8")
    files.write_atomic(target, "new")
    assert target.read_text("utf-8") == "new" and os.listdir(folder) == ["report.html"]


@pytest.mark.parametrize("fail", ["replace", "fsync"])
def test_write_atomic_keeps_the_old_file_when_writing_fails(folder, monkeypatch, fail):
    target = folder / "report.html"
    target.write_text("old report", "utf-8")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, fail, broken)
        with pytest.raises(OSError):
            files.write_atomic(target, "new report " * 1000)
    assert target.read_text("utf-8") == "old report"
    assert os.listdir(folder) == ["report.html"]


def test_write_atomic_cleans_up_when_interrupted(folder, monkeypatch):
    target = folder / "report.html"
    target.write_text("old report", "utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", interrupted)
        with pytest.raises(KeyboardInterrupt):
            files.write_atomic(target, "new report")
    assert target.read_text("utf-8") == "old report" and os.listdir(folder) == ["report.html"]


def test_report_command_keeps_the_old_file_when_the_disk_fills(capsys, tmp_path, monkeypatch, played):
    session, _ = played
    target = tmp_path / "report.html"
    target.write_text("old report", "utf-8")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", full)
        code, _, err = run(capsys, "report", session, "-o", target)
    assert code == 2 and "cannot write the report" in err and "No space left on device" in err
    assert target.read_text("utf-8") == "old report"
    assert sorted(os.listdir(tmp_path)) == sorted(["report.html", "data", "library", "example.yaml"])


# -- break-it findings: empty names, paths under a file, control characters ---------------------------
def test_report_to_an_empty_file_name_is_an_error_not_standard_output(capsys, played):
    session, _ = played
    code, out, err = run(capsys, "report", session, "-o", "")
    assert code == 2 and out == "" and "the file name is empty" in err


def test_cohort_to_an_empty_file_name_is_an_error(capsys, played):
    code, out, err = run(capsys, "report", "--cohort", "--include-scripted", "-o", "")
    assert code == 2 and out == "" and "the file name is empty" in err


def test_report_under_a_file_says_that_the_folder_is_a_file(capsys, tmp_path, played):
    session, _ = played
    (tmp_path / "notes.txt").write_text("a file", "utf-8")
    code, _, err = run(capsys, "report", session, "-o", tmp_path / "notes.txt" / "sub" / "r.html")
    assert code == 2 and f"{tmp_path / 'notes.txt'} is a file, not a folder" in err and "File exists" not in err


def test_play_report_under_a_file_is_refused_before_the_call(capsys, tmp_path, example):
    (tmp_path / "notes.txt").write_text("a file", "utf-8")
    target = tmp_path / "notes.txt" / "r.md"
    code, out, err = run(capsys, "play", example, "--tui", "--auto", "best", "--report", target)
    assert code == 2 and "is a file, not a folder" in err and out == "" and sessions() == []


def test_report_of_a_superscript_session_id_is_an_error_not_a_crash(capsys, played):
    code, _, err = run(capsys, "report", "²")
    assert code == 2 and "name a session id" in err


def test_report_list_shows_control_characters_in_a_trainee_name_inert(capsys, example):
    run(capsys, "play", example, "--tui", "--auto", "best", "--trainee", "eve\x1b[2J\u202e")
    code, out, _ = run(capsys, "report", "--list", "--include-scripted")
    assert code == 0 and "eve␛[2J\ufffd" in out and "\x1b" not in out and "\u202e" not in out


def carriage_return_session(capsys, tmp_path) -> int:
    path = tmp_path / "cr.yaml"
    path.write_text(doc_example_text().replace('"Warm, uses his name and asks an open question before anything else."',
                                               '"Warm,\\r uses his name\\e[1m."'), "utf-8")
    assert run(capsys, "play", path, "--tui", "--script", "1,1,1,1")[0] == 0
    return sessions()[0].id


def test_markdown_report_on_standard_output_keeps_a_carriage_return_from_breaking_it(capsys, tmp_path):
    code, out, _ = run(capsys, "report", carriage_return_session(capsys, tmp_path))
    assert code == 0 and "Warm,␍ uses his name␛\\[1m." in out and "\r" not in out and "\x1b" not in out


def test_markdown_report_file_keeps_a_carriage_return_from_breaking_it(capsys, tmp_path):
    target = tmp_path / "r.md"
    assert run(capsys, "report", carriage_return_session(capsys, tmp_path), "-o", target)[0] == 0
    text = target.read_bytes().decode("utf-8")
    assert "Warm,␍ uses his name␛\\[1m." in text and "\r" not in text and "\x1b" not in text


# -- calls played by --script or --auto ------------------------------------------------------------
def test_cohort_leaves_out_calls_played_by_script_or_auto(capsys, tmp_path, example):
    with Store() as store:
        finished_session(store, load(example), "ana", "2024-03-01T10:00:00+00:00", [0, 0, 0, 0])
    run(capsys, "play", example, "--tui", "--auto", "worst", "--trainee", "bot")
    run(capsys, "play", example, "--tui", "--script", "1,1,1,1", "--trainee", "bot")
    code, _, err = run(capsys, "report", "--cohort", "-o", tmp_path / "c.json")
    report = json.loads((tmp_path / "c.json").read_text("utf-8"))
    assert code == 0 and report["sessions"] == 1 and [r["trainee"] for r in report["progress"]] == ["ana"]
    assert "2 call(s) played by --script or --auto left out" in err


def test_cohort_counts_scripted_calls_when_asked(capsys, tmp_path, example):
    run(capsys, "play", example, "--tui", "--auto", "worst", "--trainee", "bot")
    run(capsys, "report", "--cohort", "--include-scripted", "-o", tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text("utf-8"))["sessions"] == 1


def test_report_list_hides_scripted_calls_unless_asked(capsys, example):
    with Store() as store:
        finished_session(store, load(example), "ana", "2024-03-01T10:00:00+00:00", [0, 0, 0, 0])
    run(capsys, "play", example, "--tui", "--script", "1,1,1,1", "--trainee", "bot")
    code, out, err = run(capsys, "report", "--list")
    assert code == 0 and "ana" in out and "bot" not in out and "1 call(s) played by --script" in err
    assert "bot" in run(capsys, "report", "--list", "--include-scripted")[1]


def test_calls_are_stored_with_who_played_them(capsys, example, monkeypatch):
    run(capsys, "play", example, "--tui", "--script", "1,1,1,1")
    run(capsys, "play", example, "--tui", "--auto", "random:1")
    answers = iter(["1", "1", "1", "1"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    run(capsys, "play", example, "--tui")
    assert [r.played_by for r in sessions()] == ["trainee", "auto", "script"]


def test_a_scripted_call_stores_no_answer_times(capsys, example):
    run(capsys, "play", example, "--tui", "--script", "1,1,1,1")
    (record,) = sessions()
    history = record.state["history"]
    assert len(history) == 4 and all(turn["elapsed_ms"] is None for turn in history)
