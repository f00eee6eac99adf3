"""Opening the report: "opened" only when a browser really opened; else where the file is and how to open it."""

import os
import signal
import threading
import time

import pygame
import pytest
from window_helpers import finish_line, key, make_app, open_scenario

from simulator.window import browser
from simulator.window.app import App
from simulator.window.browser import open_in_browser


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    """A PATH with nothing on it but the fake browsers a test writes there."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    return folder


def fake_browser(folder, name, body):
    """An executable shell script ``name`` in ``folder``."""
    path = folder / name
    path.write_text(f"#!/bin/sh\nPATH=/usr/bin:/bin\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def stop(pid_file):
    """End the fake browser that wrote its process id to ``pid_file`` (it was started for the test)."""
    for _ in range(100):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.02)
    os.kill(int(pid_file.read_text()), signal.SIGTERM)
    for process in browser._running:
        process.wait(5)  # reaped, so nothing is left behind


def test_no_browser_at_all_is_not_opened(bin_dir):
    assert open_in_browser("file:///tmp/r.html") is False


def test_a_browser_that_exits_with_an_error_at_once_is_not_opened(bin_dir, monkeypatch):
    fake_browser(bin_dir, "broken", "exit 1")
    monkeypatch.setenv("BROWSER", "broken")
    assert open_in_browser("file:///tmp/r.html") is False


def test_a_browser_that_keeps_running_is_opened(bin_dir, monkeypatch, tmp_path):
    pid_file = tmp_path / "pid"
    fake_browser(bin_dir, "slow", f'echo $$ > "{pid_file}"\nexec sleep 30')
    monkeypatch.setenv("BROWSER", "slow")
    try:
        assert open_in_browser("file:///tmp/r.html", wait=0.3) is True
    finally:
        stop(pid_file)


def test_an_opener_that_hands_off_and_exits_cleanly_is_opened(bin_dir, tmp_path):
    seen = tmp_path / "seen"
    fake_browser(bin_dir, "xdg-open", f'echo "$1" > "{seen}"\nexit 0')
    assert open_in_browser("file:///tmp/r.html") is True
    assert seen.read_text().strip() == "file:///tmp/r.html"


def test_a_failing_browser_falls_through_to_the_next_one(bin_dir, monkeypatch, tmp_path):
    seen = tmp_path / "seen"
    fake_browser(bin_dir, "broken", "exit 3")
    fake_browser(bin_dir, "good", f'echo "$@" > "{seen}"\nexit 0')
    monkeypatch.setenv("BROWSER", os.pathsep.join(["broken", "good --new-tab %s"]))
    assert open_in_browser("file:///tmp/r.html") is True
    assert seen.read_text().strip() == "--new-tab file:///tmp/r.html"


def test_a_browser_named_in_browser_but_not_installed_is_skipped(bin_dir, monkeypatch):
    monkeypatch.setenv("BROWSER", "no-such-browser")
    assert browser.commands("file:///tmp/r.html") == []


def finished_call(tmp_path, monkeypatch, fake_bin):
    """A window (opening reports with the real opener, on a fake PATH) at the end of a call."""
    app = make_app(tmp_path, monkeypatch)
    app.open_url = App.open_url  # the dataclass default: the real opener
    open_scenario(app)
    while app.screen == "call":
        finish_line(app)
        key(app, pygame.K_1)
        key(app, pygame.K_SPACE)
    return app


def test_the_end_screen_says_where_the_report_is_when_the_browser_dies_at_once(bin_dir, tmp_path, monkeypatch):
    fake_browser(bin_dir, "broken", "exit 1")
    monkeypatch.setenv("BROWSER", "broken")
    app = finished_call(tmp_path, monkeypatch, bin_dir)
    try:
        key(app, pygame.K_RETURN)
        app.settle(5)
        assert app.banner.startswith("No browser opened the report")
        assert "reports" in app.banner and app.banner.count(".html") == 1
        assert "opened in your browser" not in app.banner
    finally:
        pygame.quit()


def test_the_end_screen_says_opened_when_a_browser_took_the_report(bin_dir, tmp_path, monkeypatch):
    fake_browser(bin_dir, "xdg-open", "exit 0")
    app = finished_call(tmp_path, monkeypatch, bin_dir)
    try:
        key(app, pygame.K_RETURN)
        app.settle(5)
        assert app.banner.startswith("Report opened in your browser")
    finally:
        pygame.quit()


def test_the_window_keeps_drawing_while_a_slow_browser_is_watched(tmp_path, monkeypatch):
    app = finished_call(tmp_path, monkeypatch, None)
    release = threading.Event()

    def slow_opener(url):
        release.wait(5)  # a browser still starting: the watch takes its whole wait
        return True

    app.open_url = slow_opener
    try:
        started = time.monotonic()
        key(app, pygame.K_RETURN)
        assert time.monotonic() - started < 0.5  # the key returned at once, not after the watch
        app.settle()
        assert app.banner.startswith("Opening the report in your browser")
        assert app.next_change() is not None and app.next_change() <= 0.05  # the loop looks again soon
        app.draw()  # and can draw meanwhile
        release.set()
        app.settle(5)
        assert app.banner.startswith("Report opened in your browser") and app.opening is None
    finally:
        release.set()
        pygame.quit()


def test_a_second_request_while_the_first_is_watched_starts_no_second_browser(tmp_path, monkeypatch):
    app = finished_call(tmp_path, monkeypatch, None)
    release = threading.Event()
    calls = []

    def slow_opener(url):
        calls.append(url)
        release.wait(5)
        return False

    app.open_url = slow_opener
    try:
        key(app, pygame.K_RETURN)
        key(app, pygame.K_RETURN)
        release.set()
        app.settle(5)
        assert len(calls) == 1 and app.banner.startswith("No browser opened the report")
    finally:
        release.set()
        pygame.quit()


def test_an_opener_that_raises_counts_as_not_opened():
    def broken(url):
        raise RuntimeError("no profile")

    assert browser.Opening("file:///tmp/r.html", broken).result(5) is False
