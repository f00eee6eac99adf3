"""``play FILE`` without ``--tui``: the window when a display exists, the terminal (with a note) when not."""

import builtins
import shutil

import pygame
import pytest
from helpers import ROOT
from window_helpers import SCENARIO, make_app

from simulator.cli import main
from simulator.commands import common
from simulator.window.run import open_first

LIBRARY_FILE = ROOT / "simulator" / "library" / f"{SCENARIO}.yaml"


class FakeWindow:
    """The window package, recording what it was asked to open (``fails``: pygame cannot open a display)."""

    def __init__(self, fails: Exception | None = None) -> None:
        self.runs: list[dict] = []
        self.fails = fails

    def run(self, **kwargs) -> int:
        self.runs.append(kwargs)
        if self.fails is not None:
            raise self.fails
        return 0


class error(Exception):  # named as pygame names its own error type
    """What pygame raises when no video device can be opened."""


@pytest.fixture(autouse=True)
def private_data(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))


@pytest.fixture
def fake_window(monkeypatch):
    fake = FakeWindow()
    monkeypatch.setattr(common, "window", lambda: fake)
    return fake


@pytest.fixture
def display(monkeypatch):
    monkeypatch.setattr(common, "has_display", lambda: True)


@pytest.fixture
def no_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")


@pytest.fixture
def closed_input(monkeypatch):
    """The terminal player's input, closed at once: the call starts and is left saved."""
    def closed(prompt=""):
        raise EOFError
    monkeypatch.setattr(builtins, "input", closed)


def test_play_opens_the_window_at_the_scenario_when_a_display_exists(display, fake_window, capsys):
    assert main(["play", SCENARIO, "--lang", "zh", "--feedback", "end"]) == 0
    [opened] = fake_window.runs
    assert opened["scenario_path"] == str(LIBRARY_FILE)
    assert opened["settings"] == {"language": "zh", "feedback": "end"}
    assert opened["answer"] is None  # the window's remembered answer mode
    assert "note:" not in capsys.readouterr().err


@pytest.mark.parametrize("mode", ["free", "both"])
def test_play_with_typed_answers_opens_the_window_in_that_answer_mode(mode, display, fake_window):
    assert main(["play", SCENARIO, "--answer", mode]) == 0
    [opened] = fake_window.runs
    assert opened["answer"] == mode


def test_play_passes_the_organisation_id_to_the_window(display, fake_window):
    assert main(["play", SCENARIO, "--trainee", "Mei", "--org-id", "E-1042"]) == 0
    [opened] = fake_window.runs
    assert opened["settings"] == {"trainee": "Mei", "org_id": "E-1042"}


def test_play_without_a_display_plays_in_the_terminal_with_a_one_line_note(no_display, fake_window, closed_input,
                                                                          capsys):
    assert main(["play", SCENARIO]) == 0
    out, err = capsys.readouterr()
    assert not fake_window.runs
    assert [line for line in err.splitlines() if line.startswith("note:")] == [
        "note: no display (DISPLAY, WAYLAND_DISPLAY unset); playing in the terminal"]
    assert "Situation:" in out and "The call is saved" in out


def test_play_falls_back_to_the_terminal_when_pygame_cannot_open_a_display(display, monkeypatch, closed_input,
                                                                         capsys):
    failing = FakeWindow(fails=error("No available video device"))
    monkeypatch.setattr(common, "window", lambda: failing)
    assert main(["play", SCENARIO]) == 0
    assert "note: the window could not open (No available video device); playing in the terminal" in (
        capsys.readouterr().err)


@pytest.mark.parametrize("options", [["--script", "1,1,1,1"], ["--auto", "best"], ["--group", "north"],
                                     ["--tui"], ["--variant", "nope"]])
def test_terminal_options_keep_the_terminal_even_with_a_display(options, display, fake_window, closed_input, capsys):
    main(["play", SCENARIO, "--no-save", *options])
    assert not fake_window.runs
    assert "note:" not in capsys.readouterr().err


def test_a_broken_file_is_reported_before_any_window_opens(display, fake_window, tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    assert main(["play", str(broken)]) != 0
    assert not fake_window.runs
    assert "broken.yaml" in capsys.readouterr().err


def test_the_window_starts_the_named_call_after_the_trainee_types_a_name(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, trainee="")
    try:
        assert app.screen == "name"
        open_first(app, str(LIBRARY_FILE))
        app.handle(pygame.event.Event(pygame.TEXTINPUT, text="Mei"))
        app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode=""))
        assert app.screen == "call" and app.call.scenario.id == SCENARIO
        assert app.store.get(app.call.session).trainee == "Mei"
    finally:
        pygame.quit()


def test_the_window_plays_a_file_outside_the_library(tmp_path, monkeypatch):
    own = tmp_path / "mine.yaml"
    shutil.copy(LIBRARY_FILE, own)
    app = make_app(tmp_path, monkeypatch)
    try:
        open_first(app, str(own))
        assert app.screen == "call" and app.call.scenario.path == str(own)
    finally:
        pygame.quit()


def test_the_bare_command_opens_the_window_when_a_display_exists(display, fake_window, capsys):
    assert main(["--classroom"]) == 0
    assert fake_window.runs == [{"classroom": True}]
    assert "note:" not in capsys.readouterr().err


def test_the_bare_command_without_a_display_says_so_and_asks_in_the_terminal(no_display, fake_window, closed_input,
                                                                           capsys):
    assert main([]) == 0
    assert not fake_window.runs
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")] == [
        "note: no display (DISPLAY, WAYLAND_DISPLAY unset); playing in the terminal"]


def test_the_bare_command_falls_back_to_the_terminal_when_pygame_cannot_open_a_display(display, monkeypatch,
                                                                                     closed_input, capsys):
    monkeypatch.setattr(common, "window", lambda: FakeWindow(fails=error("No available video device")))
    assert main([]) == 0
    assert "note: the window could not open (No available video device); playing in the terminal" in (
        capsys.readouterr().err)


def test_the_bare_command_with_tui_never_tries_the_window(display, fake_window, closed_input, capsys):
    assert main(["--tui"]) == 0
    assert not fake_window.runs and "note:" not in capsys.readouterr().err
