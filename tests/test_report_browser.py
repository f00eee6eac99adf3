"""Call reports in a real browser: headless Chromium draws them, runs nothing, logs no error."""

import os
import shutil
import signal
import struct
import subprocess
from functools import cache

import pytest
from helpers import ROOT, load_shipped, play
from report_helpers import Page, hostile_scenario

from simulator.core import analysis
from simulator.i18n import t
from simulator.report import data, render

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser installs it), "
                                                         "so reports cannot be rendered in a real browser")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,2000", "--enable-logging=stderr", "--v=0"]
TIMEOUT = 20
BLANK_PNG = 20_000  # a blank 1200×2000 page compresses to about 11 KB; a drawn report to well over 100 KB

ATTACK = "<script>document.title='PWNED'</script> <img src=x onerror=\"document.title='PWNED'\">"
CONTROL = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>control</title></head><body><p>control</p>"
           + ATTACK + "<script>missingFunction()</script></body></html>")


@cache
def shipped(name: str, which: str, lang: str) -> dict:
    scenario = load_shipped(ROOT / "simulator" / "library" / f"{name}.yaml")
    best, worst, _ = analysis.best_and_worst(scenario)
    path = best if which == "best" else worst
    return data.build(scenario, play(scenario, list(path.responses), lang), "学员" if lang == "zh" else "Eve",
                      "2024-01-01T10:00:00", "2024-01-01T10:06:00")


@cache
def hostile() -> dict:
    scenario = hostile_scenario(ATTACK)
    return data.build(scenario, play(scenario, [1, 0, 0, 0, 0]), "Eve " + ATTACK, "2024-01-01T10:00:00", "")


PAGES = {
    "zh": lambda: render.to_html(shipped("mobile-cancel-after-bill-shock", "best", "zh")),
    "en": lambda: render.to_html(shipped("rival-free-handset-expressive", "worst", "en")),
    "hostile": lambda: render.to_html(hostile()),
    "control": lambda: CONTROL,  # a page whose script does run: proves the checks below can see it
}


class Run:
    """One finished Chromium run."""

    def __init__(self, page, stdout: str, stderr: str, png):
        self.page, self.stdout, self.stderr, self.png = page, stdout, stderr, png

    def console(self) -> list[str]:
        """The page's console messages and uncaught errors (Chromium's own startup noise has neither)."""
        return [line for line in self.stderr.splitlines()
                if ":CONSOLE" in line or "Uncaught" in line or "Refused to" in line]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """``browser(page, mode)``: Chromium's run on one page, ``screenshot`` or ``dom`` (each run once)."""
    base = tmp_path_factory.mktemp("browser")
    runs: dict[tuple[str, str], Run] = {}

    def get(name: str, mode: str) -> Run:
        if (name, mode) not in runs:
            page = base / f"{name}.html"
            page.write_text(PAGES[name](), "utf-8")
            png = base / f"{name}.png"
            output = [f"--screenshot={png}"] if mode == "screenshot" else ["--dump-dom"]
            args = [CHROMIUM, *FLAGS, f"--user-data-dir={base / f'profile-{name}-{mode}'}", *output,
                    page.as_uri()]
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
            try:
                out, err = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the browser and the helpers it started, nothing else
                proc.communicate()
                pytest.fail(f"chromium took over {TIMEOUT} s on {name} ({mode})")
            runs[name, mode] = Run(page, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), png)
        return runs[name, mode]

    return get


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("name", ["zh", "en", "hostile"])
def test_report_renders_to_a_full_screenshot(browser, name):
    run = browser(name, "screenshot")
    assert run.png.exists(), run.stderr[-2000:]
    shot = run.png.read_bytes()
    assert png_size(shot) == (1200, 2000)
    assert len(shot) > BLANK_PNG, f"{len(shot)} bytes: the page looks blank"


@pytest.mark.parametrize("name", ["zh", "en", "hostile"])
def test_report_logs_no_console_error_while_drawn(browser, name):
    assert browser(name, "screenshot").console() == []


def test_hostile_report_logs_no_console_error_while_loaded(browser):
    assert browser("hostile", "dom").console() == []


def test_hostile_text_does_not_change_the_title(browser):
    dom = Page(browser("hostile", "dom").stdout)
    assert "PWNED" not in dom.title()
    assert dom.title() == f"{t('r.title', 'en')} · {hostile()['scenario']['title']}"


def test_hostile_text_makes_no_script_or_image_element(browser):
    dom = Page(browser("hostile", "dom").stdout)
    tags = {tag for tag, _ in dom.tags}
    assert "script" not in tags and "img" not in tags
    assert [a for _, attrs in dom.tags for a in attrs if a.startswith("on")] == []


def test_hostile_text_is_shown_as_text(browser):
    dom = Page(browser("hostile", "dom").stdout)
    body = next(dom.root.iter("body")).text()
    assert body.count(ATTACK) >= 4  # customer line, answer, feedback, persona name (and the trainee)


def test_dumped_dom_is_the_whole_report(browser):
    dom = Page(browser("hostile", "dom").stdout)
    headings = [h.text().strip() for h in dom.root.iter("h2")]
    assert t("r.transcript", "en") in headings and t("r.figures", "en") in headings


# The checks above are only worth something if they notice a script that runs. The control page proves it.
def test_control_page_script_runs_and_is_seen(browser):
    dom = Page(browser("control", "dom").stdout)
    assert dom.title() == "PWNED"
    assert "script" in {tag for tag, _ in dom.tags}


def test_control_page_errors_are_seen_in_the_console(browser):
    console = browser("control", "dom").console()
    assert any("Uncaught" in line and "missingFunction" in line for line in console), console

