import json
import os
import re
import shutil
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


def test_list_table_columns_line_up_whatever_the_length_of_the_ids(capsys):
    _code, out, _ = run(capsys, "list")
    head, *rows = out.splitlines()
    column = head.index("category")
    assert rows and all(row[column - 1] == " " and row[column] != " " for row in rows)


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


def test_screenshot_types_an_answer_only_in_a_mode_with_a_text_box(capsys, tmp_path):
    code, _, err = run(capsys, "screenshot", SHIPPED, "--typed", "I'm sorry", "-o", str(tmp_path / "s.png"))
    assert code == 2 and "--answer free" in err and not (tmp_path / "s.png").exists()


def test_screenshot_wants_a_png_name(capsys, tmp_path):
    code, _, err = run(capsys, "screenshot", SHIPPED, "-o", str(tmp_path / "s.txt"))
    assert code == 2 and ".png" in err


# -- break-it findings: numbers, control characters, Ctrl-C, empty entries -------------------------
CUSTOMER_LINE = '"Hi, I\'d like to cancel my number, please."'


def with_controls(tmp_path, line='"Hi,\\e[2J\\a I\'d like\\r to cancel \\u202Emy number."'):
    path = tmp_path / "controls.yaml"
    path.write_text(doc_example_text().replace(CUSTOMER_LINE, line), "utf-8")
    return path


def test_validate_warns_about_a_control_character_where_the_text_starts(capsys, tmp_path, where):
    path = with_controls(tmp_path)
    line, col = where(path.read_text("utf-8"), '"Hi,\\e')
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and f"{path}:{line}:{col}: warning TX001 the text contains U+001B" in out
    assert "shows it as ␛" in out and out.strip().endswith("0 error(s), 1 warning(s): ok")


def test_validate_text_output_shows_control_characters_inert(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(doc_example_text().replace("techniques: [rapport, open_probe]",
                                               'techniques: ["rap\\e[2Jport\\u202E", open_probe]'), "utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1 and "unknown technique 'rap␛[2Jport\ufffd'" in out and "\x1b" not in out


def test_validate_json_carries_the_control_character_warning(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", "--format", "json", str(with_controls(tmp_path)))
    [warning] = json.loads(out)["files"][0]["diagnostics"]
    assert code == 0 and warning["code"] == "TX001" and warning["severity"] == "warning" and warning["line"] > 0


def test_an_error_message_quoting_the_user_shows_controls_inert(capsys):
    code, _, err = run(capsys, "play", "nope\x1b[2J", "--tui")
    assert code == 2 and "'nope␛[2J'" in err and "\x1b" not in err


def test_the_picker_asks_again_after_a_superscript_digit(capsys, monkeypatch):
    answers = iter(["en", "²", "q"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, _ = run(capsys, "--tui")
    assert code == 0 and "Please type a number from 1 to" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_picker_wraps_long_titles_under_themselves_at_80_columns(capsys, monkeypatch, lang):
    from simulator.core.text import display_width

    answers = iter([lang, "q"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("simulator.commands.launch.terminal_width", lambda: 80)
    code, out, _ = run(capsys, "--tui")
    lines = out.splitlines()[1:]
    assert code == 0 and all(display_width(line) <= 80 for line in lines)
    indent, continued = 0, 0
    for line in lines:
        numbered = re.match(r"  \d+\. (?=\[)", line)
        if numbered:
            indent = numbered.end()
        else:  # a wrapped title starts where the title above it starts
            continued += 1
            assert line[:indent].isspace() and not line[indent].isspace(), line
    assert continued


def test_script_with_an_empty_entry_is_an_error(capsys, example):
    code, out, err = run(capsys, "play", example, "--tui", "--script", "1,,2", "--no-save")
    assert code == 2 and "entry 2 of '1,,2' is empty" in err and "Score" not in out


def test_script_with_a_superscript_is_an_error_not_a_crash(capsys, example):
    code, _, err = run(capsys, "play", example, "--tui", "--script", "1,²", "--no-save")
    assert code == 2 and "entry 2 of '1,²' is '²', not a number" in err


def test_an_empty_script_is_an_error_not_a_hand_played_call(capsys, example):
    code, _, err = run(capsys, "play", example, "--tui", "--script", "", "--no-save")
    assert code == 2 and "entry 1 of '' is empty" in err


def test_resume_of_a_superscript_session_id_is_an_error_not_a_crash(capsys):
    code, _, err = run(capsys, "play", "--resume", "²", "--tui")
    assert code == 2 and "no saved session '²'" in err


def test_ctrl_c_while_the_commands_load_exits_quietly_with_130(capsys, monkeypatch):
    import simulator.cli

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(simulator.cli, "build_parser", interrupted)
    code, out, err = run(capsys, "list")
    assert code == 130 and err == "\ninterrupted\n" and out == ""


# Ctrl-C while Python imports the simulator, through the real main.py: an import hook raises
# KeyboardInterrupt exactly where a person's Ctrl-C would land during start-up.
INTERRUPT_IMPORT = """
import builtins, runpy, sys
real = builtins.__import__
def hook(name, *args, **kwargs):
    if name.endswith({target!r}):
        raise KeyboardInterrupt
    return real(name, *args, **kwargs)
builtins.__import__ = hook
sys.argv = ["main.py", "list"]
runpy.run_path("main.py", run_name="__main__")
"""


@pytest.mark.parametrize("target", ["simulator.cli", "commands"])
def test_ctrl_c_during_start_up_prints_no_traceback(tmp_path, target):
    env = {**os.environ, "RETENTION_SIM_DATA": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", INTERRUPT_IMPORT.format(target=target)], capture_output=True,
                          env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 130 and b"Traceback" not in done.stderr and done.stdout == b""


def test_graph_to_an_empty_file_name_is_an_error_not_standard_output(capsys):
    code, out, err = run(capsys, "graph", SHIPPED, "-o", "")
    assert code == 2 and out == "" and "-o: the file name is empty" in err


def test_new_to_an_empty_file_name_is_an_error_not_the_default_path(capsys):
    code, out, err = run(capsys, "new", "--id", "x-call", "-o", "")
    assert code == 2 and out == "" and "-o: the file name is empty" in err


# -- --script and --resume ------------------------------------------------------------------------
def test_a_script_longer_than_the_call_is_an_error(capsys, example):
    code, _, err = run(capsys, "play", example, "--tui", "--script", "1,1,1,1,2,1", "--no-save")
    assert code == 2 and "ended at turn 4 ('kept') with 2 scripted choice(s) left over (2,1)" in err


def test_a_script_longer_than_the_call_writes_no_report(capsys, example, tmp_path):
    target = tmp_path / "r.md"
    code, _, _ = run(capsys, "play", example, "--tui", "--script", "1,1,1,1,1", "--no-save", "--report", str(target))
    assert code == 2 and not target.exists()


def started_by_hand(capsys, monkeypatch, example, answers):
    """A call answered by hand for ``answers`` and then left (end of input): its session id."""
    queue = list(answers)

    def fake_input(prompt=""):
        if not queue:
            raise EOFError
        return queue.pop(0)

    monkeypatch.setattr("builtins.input", fake_input)
    assert run(capsys, "play", example, "--tui", "--no-shuffle")[0] == 0
    from simulator.storage import Store

    with Store() as store:
        return store.latest_open().id


def test_resume_with_a_script_answers_the_remaining_turns(capsys, monkeypatch, example):
    from simulator.storage import Store

    sid = started_by_hand(capsys, monkeypatch, example, ["1"])
    code, out, _ = run(capsys, "play", "--resume", str(sid), "--tui", "--script", "1,1,1")
    with Store() as store:
        record = store.get(sid)
    assert code == 0 and re.search(r"^Score: 95/100", out, re.M)
    assert record.finished and record.played_by == "script"


def test_resume_with_auto_random_plays_to_the_end(capsys, monkeypatch, example):
    sid = started_by_hand(capsys, monkeypatch, example, ["1"])
    code, out, _ = run(capsys, "play", "--resume", str(sid), "--tui", "--auto", "random:3")
    assert code == 0 and "Score: " in out


def test_resume_refuses_auto_best_with_the_reason(capsys, monkeypatch, example):
    started_by_hand(capsys, monkeypatch, example, ["1"])
    code, _, err = run(capsys, "play", "--resume", "--tui", "--auto", "best")
    assert code == 2 and "cannot take over a resumed one" in err


def test_resume_refuses_a_language_it_cannot_change(capsys, monkeypatch, example):
    started_by_hand(capsys, monkeypatch, example, ["1"])
    code, _, err = run(capsys, "play", "--resume", "--tui", "--lang", "zh", "--seed", "3")
    assert code == 2 and "--lang, --seed cannot change them" in err


def test_resume_with_a_scenario_takes_that_scenarios_latest_call(capsys, monkeypatch, example):
    sid = started_by_hand(capsys, monkeypatch, example, ["1"])
    run(capsys, "play", SHIPPED, "--tui", "--script", "1")  # a newer unfinished call of another scenario
    monkeypatch.setattr("builtins.input", lambda prompt="": "1")
    code, out, _ = run(capsys, "play", example, "--resume", "--tui")
    assert code == 0 and f"session {sid}" in out.lower()


# -- an 80-column terminal, as a person sees it ------------------------------------------------------
def test_help_never_splits_a_command_across_lines():
    env = {**os.environ, "COLUMNS": "60"}  # the help column is 34 wide: the command must move down whole
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", "--help"], capture_output=True,
                          env=env, cwd=ROOT, timeout=60, text=True)
    lines = done.stdout.splitlines()
    assert any(x.strip() == "python main.py report --list)" for x in lines), done.stdout
    assert not any(x.rstrip().endswith(("python", "main.py")) for x in lines)


@pytest.mark.skipif(not shutil.which("tmux"), reason="tmux is not installed (apt-get install tmux)")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_call_typed_in_an_80_column_terminal_fits_the_screen(tmp_path, lang):
    from simulator.core.text import display_width

    tmux = ["tmux", "-S", str(tmp_path / "tmux.sock")]
    command = (f"RETENTION_SIM_DATA={tmp_path / 'data'} {sys.executable} {ROOT / 'main.py'} play "
               f"rival-cheaper-plan-business-owner --tui --no-shuffle --lang {lang}; sleep 30")
    subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "40", command], check=True, timeout=30)
    try:
        screen = ""
        deadline = time.monotonic() + 60
        while "Score:" not in screen and time.monotonic() < deadline:
            if screen.rstrip().endswith(("help]:", "帮助]：")):
                subprocess.run([*tmux, "send-keys", "1", "Enter"], check=True, timeout=30)
            time.sleep(0.3)
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-J", "-S", "-"], capture_output=True,
                                    text=True, check=True, timeout=30).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], timeout=30)
    assert "Score:" in screen
    assert max(display_width(x.rstrip()) for x in screen.splitlines()) <= 80
