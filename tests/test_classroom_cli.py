import re
import signal
import subprocess
import sys

from classroom_helpers import HOST, call
from helpers import ROOT, default_ctrl_c

from simulator.cli import main


def test_headless_serving_prints_the_join_url_and_the_token_and_serves_the_room():
    command = [sys.executable, "main.py", "classroom", "mobile-cancel-after-bill-shock", "--serve", "--headless",
               "--host", HOST, "--port", "0", "--lang", "zh", "--no-save"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=default_ctrl_c)  # stops on Ctrl-C even in a background run
    try:
        url = process.stdout.readline().strip().removeprefix("join: ")
        token = process.stdout.readline().strip().removeprefix("instructor token: ")
        assert re.fullmatch(rf"http://{re.escape(HOST)}:\d+/r/[A-Z]{{4}}/", url)
        status, state = call(url + "api/state")
        assert status == 200 and state["language"] == "zh" and state["open"]
        assert call(url + "api/vote", {"voter": "phone-0001", "choice": 1})[0] == 200
        assert call(url + "api/close", {}, token=token)[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:  # a loaded machine can take long to start the server's shutdown; never leave it running
            _, errors = process.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise AssertionError("the server did not stop within 90 s of Ctrl-C") from None
    assert "Traceback" not in errors and process.returncode in (0, 130)


def test_headless_without_serve_is_a_usage_error(capsys):
    assert main(["classroom", "mobile-cancel-after-bill-shock", "--headless"]) == 2
    assert "--headless needs --serve" in capsys.readouterr().err


def test_an_unknown_scenario_is_a_usage_error(capsys):
    assert main(["classroom", "no-such-scenario", "--serve", "--headless", "--host", HOST]) == 2
    assert "no scenario file or id" in capsys.readouterr().err
