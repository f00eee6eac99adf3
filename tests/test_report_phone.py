"""Reports on a phone: headless Chromium lays them out 390 px wide, as a phone held upright would.

Below 600 px a report's tables turn into blocks that read top to bottom. Without that, a step's
name sat in a column some 50 px wide and broke one character per line; these checks measure what
the browser drew, so they fail on such a layout whatever the CSS that caused it.
"""

import json
from functools import cache

import pytest
from cdp import CHROMIUM, Browser, Phone
from helpers import ROOT, load_shipped, play

from simulator.core import analysis, session_json
from simulator.core.engine import Engine, Said
from simulator.report import cohort, data, render

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser installs it), "
                                                         "so reports cannot be laid out in a real browser")
PHONE = (390, 844)
SCENARIO = ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml"
TYPED = {"en": "I'm so sorry about that bill; what happened?", "zh": "真抱歉，这张账单让您吃惊了，能说说情况吗？"}

# Every shown element whose own text (three characters or more) is narrower than five of its em
# and runs over three lines or more: a column squeezed until its words break apart, "建 / 立 / 信 / 任".
# Drawings (SVG) have their own geometry.
MEASURE = """(() => {
  const squeezed = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || el.getClientRects().length === 0) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if ([...own].length < 3) continue;
    const box = el.getBoundingClientRect(), em = parseFloat(getComputedStyle(el).fontSize);
    if (box.width < 5 * em && box.height >= 3 * em)
      squeezed.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${own.slice(0, 24)}: `
                    + `${Math.round(box.width)} × ${Math.round(box.height)} px`);
  }
  return {width: innerWidth, overflow: document.documentElement.scrollWidth - innerWidth, squeezed};
})()"""


@cache
def trainee_page(lang: str, which: str) -> str:
    scenario = load_shipped(SCENARIO)
    best, worst, _ = analysis.best_and_worst(scenario)
    state = play(scenario, list((best if which == "best" else worst).responses), lang)
    return render.to_html(data.build(scenario, state, "学员" if lang == "zh" else "Eve", "2024-01-01T10:00:00",
                                     "2024-01-01T10:06:00"))


def _typed_call(n: int, lang: str) -> cohort.SessionInput:
    """A call along the expert's path with a typed answer at every turn, in ``lang``."""
    scenario = load_shipped(SCENARIO)
    eng = Engine(scenario)
    state = eng.start(lang, shuffle=False)
    words = TYPED[lang]
    for index in analysis.best_and_worst(scenario)[0].responses:
        state = eng.choose_response(state, index, None, Said(words, (("empathy", 0.8), ("open_probe", 0.3)), 0.4, 0.4))
    return cohort.SessionInput(n, f"trainee{n}", scenario.id, scenario.path, f"2026-01-0{n}T10:00:00",
                               session_json.to_json(scenario, state))


@cache
def cohort_page(lang: str) -> str:
    scenario = load_shipped(SCENARIO)
    calls = [_typed_call(1, "en"), _typed_call(2, "zh")]
    return render.cohort_html(cohort.build(calls, lambda _sid, _path: scenario, lang))


PAGES = {
    "report-zh-worst": lambda: trainee_page("zh", "worst"),
    "report-zh-best": lambda: trainee_page("zh", "best"),
    "report-en-worst": lambda: trainee_page("en", "worst"),
    "cohort-zh": lambda: cohort_page("zh"),
    "cohort-en": lambda: cohort_page("en"),
}


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    """``layout(name)``: what :data:`MEASURE` finds on that page drawn on a phone (each page once)."""
    base = tmp_path_factory.mktemp("phone-reports")
    chromium = Browser(base / "profile")
    seen: dict[str, dict] = {}

    def measure(name: str) -> dict:
        if name not in seen:
            page = base / f"{name}.html"
            page.write_text(PAGES[name](), "utf-8")
            context = chromium.send("Target.createBrowserContext")["browserContextId"]
            target = chromium.send("Target.createTarget", url="about:blank", browserContextId=context)["targetId"]
            session = chromium.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            chromium.send("Emulation.setDeviceMetricsOverride", session, width=PHONE[0], height=PHONE[1],
                          deviceScaleFactor=2, mobile=True)
            chromium.send("Page.navigate", session, url=page.as_uri())
            phone = Phone(chromium, session)
            phone.wait(f"location.href === {json.dumps(page.as_uri())} && document.readyState === 'complete'")
            seen[name] = phone.eval(MEASURE)
        return seen[name]

    yield measure
    chromium.close()


@pytest.mark.parametrize("name", PAGES)
def test_a_report_is_laid_out_at_the_phones_own_width(layout, name):
    assert layout(name)["width"] == PHONE[0]  # not a desktop page shrunk to fit (it declares a viewport)


@pytest.mark.parametrize("name", PAGES)
def test_a_report_on_a_phone_needs_no_sideways_scrolling(layout, name):
    assert layout(name)["overflow"] <= 0


@pytest.mark.parametrize("name", PAGES)
def test_no_text_on_a_phone_is_squeezed_into_a_narrow_column(layout, name):
    assert layout(name)["squeezed"] == []
