"""Phones as people use them: headless Chromium pages voting a whole shipped call over loopback."""

import json

import pytest
from cdp import CHROMIUM, Browser
from classroom_helpers import HOSTILE_LINE, HOSTILE_OPTION, call, hostile_scenario, serving
from helpers import ROOT, load_shipped

from simulator.core import analysis
from simulator.i18n import t

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser installs it), "
                                                         "so the phone page cannot be tried in a real browser")
PHONES = 20
SHIPPED = ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def status_starts(key: str, language: str) -> str:
    """A condition: the phone's status line starts with the UI string ``key``."""
    return f"document.getElementById('status').textContent.startsWith({json.dumps(t(key, language))})"


def play_whole_call(browser, language: str) -> tuple[list, dict]:
    """Twenty phones vote every turn, two thirds for the expert's answer and the rest for another;
    the instructor closes, reveals and moves on, to the end of the call."""
    scenario = load_shipped(SHIPPED)
    expert = list(analysis.best_and_worst(scenario)[0].responses)
    with serving(scenario, language) as server:
        phones = [browser.phone(server.url) for _ in range(PHONES)]
        token, turns = server.hub.token, 0
        while True:
            state = call(server.url + "api/state")[1]
            if state["ending"]:
                break
            room = server.hub.room
            best = room.engine.options(room.state).index(expert[turns]) + 1
            other = 1 if best != 1 else 2
            turns += 1
            for n, phone in enumerate(phones):
                phone.wait(f"document.querySelector('.option[data-number=\"1\"]:not([disabled])')"
                           f" && document.getElementById('turn').textContent.includes('{state['turn']}')")
                phone.tap(best if n % 3 else other)
            for phone in phones:
                phone.wait("document.querySelector('.option[aria-pressed=\"true\"]')")
            tally = call(server.url + "api/state")[1]["votes"]
            minority = len(range(0, PHONES, 3))
            assert tally[str(best)] == PHONES - minority and tally[str(other)] == minority
            assert call(server.url + "api/close", {}, token=token)[0] == 200
            phones[0].wait(status_starts("room.chose", language))
            assert call(server.url + "api/reveal", {}, token=token)[0] == 200
            phones[-1].wait("!document.getElementById('feedback').hidden")
            assert call(server.url + "api/next", {}, token=token)[0] == 200
        for phone in phones:
            phone.wait(status_starts("call_over", language))
        return phones, {"turns": turns, "state": state, "expert": expert, "room": server.hub.room}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_twenty_phones_play_a_whole_shipped_call(browser, language):
    phones, played = play_whole_call(browser, language)
    assert [turn.response for turn in played["room"].state.history] == played["expert"]
    assert phones[5].text("line") == played["state"]["customer"]
    assert phones[5].eval("document.querySelectorAll('#feedback li').length") == len(played["expert"])
    assert phones[5].eval("document.documentElement.lang") == ("zh-Hans" if language == "zh" else "en")


def test_the_other_language_is_one_tap_away(browser):
    with serving(load_shipped(SHIPPED), "en") as server:
        phone = browser.phone(server.url)
        phone.eval("document.getElementById('switch').click()")
        zh = call(server.url + "api/state?lang=zh")[1]["customer"]
        phone.wait(f"document.getElementById('line').textContent === {json.dumps(zh)}")
        assert phone.text("switch") == "English"


def test_a_phone_can_change_its_vote_until_the_vote_closes(browser):
    with serving(load_shipped(SHIPPED), "en") as server:
        phone = browser.phone(server.url)
        phone.tap(1)
        phone.wait("document.querySelector('.option[data-number=\"1\"][aria-pressed=\"true\"]')")
        phone.tap(2)
        phone.wait("document.querySelector('.option[data-number=\"2\"][aria-pressed=\"true\"]')")
        votes = call(server.url + "api/state")[1]["votes"]
        assert votes["1"] == 0 and votes["2"] == 1


def test_hostile_scenario_text_shows_as_text_and_runs_nothing(browser):
    with serving(hostile_scenario(), "en") as server:
        phone = browser.phone(server.url)
        phone.wait("document.querySelectorAll('.option').length > 1")
        assert phone.text("line") == HOSTILE_LINE
        options = phone.eval("Array.from(document.querySelectorAll('.option'), b => b.textContent)")
        assert any(text.endswith(HOSTILE_OPTION) for text in options)
        assert phone.eval("document.querySelectorAll('img').length + document.querySelectorAll('script').length") == 2
