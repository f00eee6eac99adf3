import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from helpers import ROOT, doc_example_text

from simulator.cli import main

SHIPPED = "mobile-cancel-after-bill-shock"


@pytest.fixture(autouse=True)
def private_data(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))



def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_techniques_json_lists_every_id(capsys):
    code, out, _ = run(capsys, "techniques", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["techniques"]) == 26 and len(data["mistakes"]) == 10 and len(data["steps"]) == 5


def test_techniques_table_in_chinese(capsys):
    code, out, _ = run(capsys, "techniques", "--lang", "zh")
    assert code == 0 and "深度探询" in out and "贬低竞争对手" in out


def test_list_json_carries_the_listing_fields(capsys):
    code, out, _ = run(capsys, "list", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["category"] for r in rows} >= {"churn_threat", "complaint", "competitor_offer"}
    assert all({"id", "title", "category", "languages", "personality", "lifecycle_stage"} <= set(r) for r in rows)


def test_list_table(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0 and SHIPPED in out


def test_validate_ok_ends_with_a_summary(capsys, example):
    code, out, _ = run(capsys, "validate", example)
    assert code == 0 and out.strip().splitlines()[-1] == "checked 1 file(s): 0 error(s), 0 warning(s): ok"


def test_validate_a_folder(capsys):
    code, out, _ = run(capsys, "validate", str(ROOT / "simulator" / "library"))
    assert code == 0 and re.search(r"checked \d+ file\(s\): 0 error", out)


def test_validate_points_at_the_exact_line(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    text = doc_example_text().replace("techniques: [rapport, open_probe]", "techniques: [rapor, open_probe]")
    broken.write_text(text, "utf-8")
    line = text.splitlines().index("        techniques: [rapor, open_probe]") + 1
    code, out, _ = run(capsys, "validate", str(broken))
    assert code == 1
    assert f"{broken}:{line}:22: RF002 unknown technique 'rapor'" in out
    assert "Did you mean 'rapport'?" in out
    assert out.strip().splitlines()[-1].startswith("checked 1 file(s): 1 error(s)")


def test_validate_json_for_editors(capsys, tmp_path):
    broken = tmp_path / "b.yaml"
    broken.write_text("format: 1\nid: x\nid: y\n", "utf-8")
    code, out, _ = run(capsys, "validate", "--format", "json", str(broken))
    data = json.loads(out)
    assert code == 1 and data["errors"] >= 1
    assert data["files"][0]["diagnostics"][0]["code"] == "RS008"


def test_validate_a_missing_path_fails(capsys, tmp_path):
    code, _, _ = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 1


def test_play_script_prints_the_score(capsys, example):
    code, out, _ = run(capsys, "play", example, "--tui", "--script", "1,1,1,1", "--no-save")
    assert code == 0 and re.search(r"^Score: 95/100", out, re.M)


def test_play_by_scenario_id(capsys):
    code, out, _ = run(capsys, "play", SHIPPED, "--tui", "--auto", "best", "--no-save")
    assert code == 0 and "Score: " in out


def test_play_auto_worst_in_chinese(capsys):
    code, out, _ = run(capsys, "play", SHIPPED, "--tui", "--auto", "worst", "--lang", "zh", "--no-save")
    assert code == 0 and "通话结束" in out


def test_play_auto_random_is_reproducible(capsys):
    first = run(capsys, "play", SHIPPED, "--tui", "--auto", "random:7", "--no-save")[1]
    second = run(capsys, "play", SHIPPED, "--tui", "--auto", "random:7", "--no-save")[1]
    assert first == second


def test_a_script_choice_not_offered_is_a_clear_error(capsys, example):
    code, _, err = run(capsys, "play", example, "--tui", "--script", "5", "--no-save")
    assert code == 2 and "response 5 is not offered" in err


def test_an_unknown_scenario_is_a_clear_error(capsys):
    code, _, err = run(capsys, "play", "no-such-scenario", "--tui")
    assert code == 2 and "no scenario file or id 'no-such-scenario'" in err


def test_a_broken_scenario_shows_diagnostics_not_a_traceback(capsys, tmp_path):
    broken = tmp_path / "b.yaml"
    broken.write_text(doc_example_text().replace("start: opening", "start: openin"), "utf-8")
    code, _, err = run(capsys, "play", str(broken), "--tui", "--no-save")
    assert code == 2 and "GR005" in err and "Traceback" not in err


def test_resume_without_sessions_says_so(capsys):
    code, _, err = run(capsys, "play", "--resume", "--tui")
    assert code == 2 and "no unfinished call" in err


def test_test_command_runs_the_shipped_playthroughs(capsys):
    code, out, _ = run(capsys, "test")
    assert code == 0 and re.search(r"^playthroughs: \d+ passed, 0 failed$", out, re.M)


def test_test_command_fails_on_a_wrong_expectation(capsys, tmp_path):
    bad = tmp_path / "b.yaml"
    bad.write_text(doc_example_text().replace("score: [60, 100]", "score: [0, 5]"), "utf-8")
    code, out, _ = run(capsys, "test", str(bad))
    assert code == 1 and "PT003" in out and "0 passed, 2 failed" in out  # en and zh


def _spawn(args, env):
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)


def test_a_killed_call_resumes_exactly_where_it_stopped(tmp_path, example):
    env = {**os.environ, "RETENTION_SIM_DATA": str(tmp_path / "data"), "NO_COLOR": "1"}
    proc = _spawn(["play", example, "--tui", "--no-shuffle"], env)
    seen = bytearray()

    def reader():
        while chunk := proc.stdout.read1(4096):
            seen.extend(chunk)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    proc.stdin.write(b"1\n1\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 20
    while seen.count(b"Your answer") < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert seen.count(b"Your answer") == 3, seen.decode()
    proc.send_signal(signal.SIGKILL)  # no chance to clean up
    proc.wait(10)
    thread.join(10)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        pipe.close()
    resumed = subprocess.run([sys.executable, str(ROOT / "main.py"), "play", "--resume", "--tui"],
                             input=b"1\n1\n", capture_output=True, env=env, cwd=ROOT, timeout=60)
    text = resumed.stdout.decode()
    assert "at turn 3" in text
    assert "Right. So is there any point keeping it?" in text
    assert re.search(r"^Score: 95/100", text, re.M)


def test_without_a_display_main_falls_back_to_the_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["RETENTION_SIM_DATA"] = str(tmp_path / "data")
    done = subprocess.run([sys.executable, str(ROOT / "main.py")], input=b"en\nq\n", capture_output=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert "Choose a scenario" in done.stdout.decode()


def test_auto_with_an_unknown_variant_is_a_clear_error(capsys):
    code, _, err = run(capsys, "play", SHIPPED, "--tui", "--auto", "best", "--variant", "nope")
    assert code == 2 and "no variant 'nope'" in err


def test_an_unfinished_call_says_why_there_is_no_report(capsys, example, tmp_path):
    import builtins

    answers = ["1"]

    def fake_input(prompt=""):
        if not answers:
            raise EOFError  # the trainee closes the input: the call is saved, not finished
        return answers.pop(0)

    original = builtins.input
    builtins.input = fake_input
    try:
        code, out, _ = run(capsys, "play", example, "--tui", "--report", str(tmp_path / "r.html"), "--no-save")
    finally:
        builtins.input = original
    assert code == 0 and "no report yet" in out and not (tmp_path / "r.html").exists()


def test_screenshot_rejects_a_size_out_of_range(capsys, tmp_path):
    code, _, err = run(capsys, "screenshot", SHIPPED, "--size", "10x10", "-o", str(tmp_path / "s.png"))
    assert code == 2 and "outside" in err


def test_screenshot_wants_a_png_name(capsys, tmp_path):
    code, _, err = run(capsys, "screenshot", SHIPPED, "-o", str(tmp_path / "s.txt"))
    assert code == 2 and ".png" in err


def test_a_superscript_digit_at_the_picker_asks_again(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["RETENTION_SIM_DATA"] = str(tmp_path / "data")
    done = subprocess.run([sys.executable, str(ROOT / "main.py")], input="en\n²\nq\n".encode(), capture_output=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert "Please type a number from 1 to" in done.stdout.decode()
