"""Redraw the classroom screenshots in docs/: the phone page (en, zh) and the projector (en, zh).

Serves a real room on 127.0.0.1, votes from phones in headless Chromium and draws the projector
with SDL's dummy driver. Run: .venv/bin/python tools/classroom_screenshots.py
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pygame  # noqa: E402
from cdp import Browser  # noqa: E402
from classroom_helpers import call, serving  # noqa: E402

from simulator.core.loader import load  # noqa: E402
from simulator.window.app import App, _start_pygame  # noqa: E402
from simulator.window.screens.vote import VoteScreen  # noqa: E402
from simulator.window.settings import Settings  # noqa: E402

SCENARIO = ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml"
DOCS = ROOT / "docs"
VOTES = [3, 3, 1, 3, 2, 3, 4, 3, 3, 1, 3, 3, 2, 3, 3, 4, 3, 3, 1, 3, 3, 2, 3]  # 23 phones, most for 3


def shown(url: str) -> str:
    """The join URL as a room would see it (a LAN address and the default port), not the test's loopback."""
    return re.sub(r"//127\.0\.0\.1:\d+/", "//192.168.1.23:8014/", url)


def projector(hub, url: str, output: Path) -> None:
    """Draw the room's projector at 1920×1080 into ``output``."""
    _start_pygame()
    try:
        surface = pygame.Surface((1920, 1080))
        app = App(surface, settings=Settings(trainee="", language=hub.room.state.language, classroom=True),
                  headless=True)
        app.push(VoteScreen(app, hub, url))
        app.draw()
        pygame.image.save(surface, str(output))
    finally:
        pygame.quit()


def main() -> int:
    scenario = load(str(SCENARIO))
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            for lang in ("en", "zh"):
                with serving(scenario, lang) as server:
                    hub, url = server.hub, server.url
                    for n, choice in enumerate(VOTES):
                        hub.vote(f"phone-{n:04d}", choice)
                    phone = browser.phone(url)
                    phone.tap(3)
                    phone.wait("document.querySelector('.option[aria-pressed=\"true\"]')")
                    if lang == "en":
                        phone.screenshot(DOCS / "classroom-phone-en.png")
                        projector(hub, shown(url), DOCS / "classroom-projector-en.png")
                    else:
                        call(url + "api/close", {}, token=hub.token)
                        call(url + "api/reveal", {}, token=hub.token)
                        phone.wait("!document.getElementById('feedback').hidden")
                        phone.screenshot(DOCS / "classroom-phone-zh.png")
                        projector(hub, shown(url), DOCS / "classroom-projector-zh.png")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
