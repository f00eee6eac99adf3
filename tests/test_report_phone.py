"""Reports on a phone: headless Chromium lays them out 390 px wide, as a phone held upright would.

Below 600 px a report's tables turn into blocks that read top to bottom. Without that, a step's
name sat in a column some 50 px wide and broke one character per line; these checks measure what
the browser drew, so they fail on such a layout whatever the CSS that caused it.

The call report's charts are measured too, at 390 px, at 601 px (the narrowest window that draws
their wide layout) and at 1280 px: the size each label is drawn at on the screen (its font size
times the drawing's scale; a 640-unit drawing shown 340 px wide once drew its labels at 5 px),
whether two labels touch, and whether a label strays out of its section.
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
SMALL_PHONE = (320, 640)  # the narrowest phone the charts' narrow layout is drawn for
NARROWEST_WIDE = (601, 900)  # the narrowest window that draws the charts' wide layout
DESKTOP = (1280, 800)
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
# Every label a chart shows: its text, the size it is drawn at on the screen in CSS px (font size times
# the scale of the drawing), its box, and whether that box lies inside the chart's section.
CHART_LABELS = """(() => {
  const labels = [];
  for (const svg of document.querySelectorAll('section svg[role=img]')) {
    const section = svg.closest('section').getBoundingClientRect();
    for (const el of svg.querySelectorAll('text')) {
      if (getComputedStyle(el).display === 'none') continue;
      const m = el.getScreenCTM(), r = el.getBoundingClientRect();
      labels.push({chart: svg.parentElement.className || svg.getAttribute('aria-label'), text: el.textContent,
                   size: parseFloat(getComputedStyle(el).fontSize) * Math.hypot(m.a, m.b),
                   box: [r.left, r.top, r.right, r.bottom],
                   inside: r.left >= section.left && r.right <= section.right
                           && r.top >= section.top && r.bottom <= section.bottom});
    }
  }
  return labels;
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
def timed_page(lang: str) -> str:
    """The expert's call with answer times up to 140 s: three-digit seconds crowd the bars on a phone."""
    scenario = load_shipped(SCENARIO)
    eng = Engine(scenario)
    state = eng.start(lang, 0)
    for k, index in enumerate(analysis.best_and_worst(scenario)[0].responses):
        state = eng.choose_response(state, index, 4000 + 17000 * k)
    return render.to_html(data.build(scenario, state, "学员" if lang == "zh" else "Eve", "2024-01-01T10:00:00",
                                     "2024-01-01T10:09:00"))


@cache
def cohort_page(lang: str) -> str:
    scenario = load_shipped(SCENARIO)
    calls = [_typed_call(1, "en"), _typed_call(2, "zh")]
    return render.cohort_html(cohort.build(calls, lambda _sid, _path: scenario, lang))


PAGES = {
    "report-zh-worst": lambda: trainee_page("zh", "worst"),
    "report-zh-best": lambda: trainee_page("zh", "best"),
    "report-en-worst": lambda: trainee_page("en", "worst"),
    "report-en-timed": lambda: timed_page("en"),
    "report-zh-timed": lambda: timed_page("zh"),
    "cohort-zh": lambda: cohort_page("zh"),
    "cohort-en": lambda: cohort_page("en"),
}
REPORTS = [name for name in PAGES if name.startswith("report-")]


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    """``layout(name, size)``: what :data:`MEASURE` and :data:`CHART_LABELS` find on that page drawn in a
    window of that size (a phone's when under 600 px wide), each page and size once."""
    base = tmp_path_factory.mktemp("phone-reports")
    chromium = Browser(base / "profile")
    seen: dict[tuple[str, tuple[int, int]], dict] = {}

    def measure(name: str, size: tuple[int, int] = PHONE) -> dict:
        if (name, size) not in seen:
            page = base / f"{name}.html"
            if not page.exists():
                page.write_text(PAGES[name](), "utf-8")
            context = chromium.send("Target.createBrowserContext")["browserContextId"]
            target = chromium.send("Target.createTarget", url="about:blank", browserContextId=context)["targetId"]
            session = chromium.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            chromium.send("Emulation.setDeviceMetricsOverride", session, width=size[0], height=size[1],
                          deviceScaleFactor=2, mobile=size[0] < 600)
            chromium.send("Page.navigate", session, url=page.as_uri())
            phone = Phone(chromium, session)
            phone.wait(f"location.href === {json.dumps(page.as_uri())} && document.readyState === 'complete'")
            seen[name, size] = {**phone.eval(MEASURE), "labels": phone.eval(CHART_LABELS)}
        return seen[name, size]

    yield measure
    chromium.close()


def touching(labels: list[dict]) -> list[str]:
    """Pairs of labels of one chart whose boxes overlap (by more than half a pixel each way)."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            (al, at, ar, ab), (bl, bt, br, bb) = a["box"], b["box"]
            if a["chart"] == b["chart"] and min(ar, br) - max(al, bl) > 0.5 and min(ab, bb) - max(at, bt) > 0.5:
                pairs.append(f"{a['chart']}: {a['text']!r} and {b['text']!r}")
    return pairs


@pytest.mark.parametrize("name", PAGES)
def test_a_report_is_laid_out_at_the_phones_own_width(layout, name):
    assert layout(name)["width"] == PHONE[0]  # not a desktop page shrunk to fit (it declares a viewport)


@pytest.mark.parametrize("name", PAGES)
def test_a_report_on_a_phone_needs_no_sideways_scrolling(layout, name):
    assert layout(name)["overflow"] <= 0


@pytest.mark.parametrize("name", PAGES)
def test_no_text_on_a_phone_is_squeezed_into_a_narrow_column(layout, name):
    assert layout(name)["squeezed"] == []


@pytest.mark.parametrize("name", REPORTS)
def test_every_chart_label_on_a_phone_is_drawn_at_least_11_px(layout, name):
    labels = layout(name)["labels"]
    assert labels, "no chart label was measured"
    assert [(x["text"], round(x["size"], 1)) for x in labels if x["size"] < 11] == []


@pytest.mark.parametrize("name", REPORTS)
def test_chart_labels_on_a_desktop_are_drawn_no_larger_than_the_reports_own_text(layout, name):
    labels = layout(name, DESKTOP)["labels"]
    assert labels and all(11 <= x["size"] <= 16 for x in labels), sorted({round(x["size"], 1) for x in labels})


@pytest.mark.parametrize("size", [SMALL_PHONE, PHONE, NARROWEST_WIDE, DESKTOP],
                         ids=["320px", "phone", "601px", "desktop"])
@pytest.mark.parametrize("name", REPORTS)
def test_no_two_chart_labels_touch(layout, name, size):
    assert touching(layout(name, size)["labels"]) == []


@pytest.mark.parametrize("size", [SMALL_PHONE, PHONE, DESKTOP], ids=["320px", "phone", "desktop"])
@pytest.mark.parametrize("name", REPORTS)
def test_every_chart_label_stays_inside_its_section(layout, name, size):
    assert [x["text"] for x in layout(name, size)["labels"] if not x["inside"]] == []


def test_a_phone_shows_fewer_answer_time_labels_than_a_desktop_when_three_digit_seconds_crowd_the_bars(layout):
    def shown(size):
        return [x["text"] for x in layout("report-en-timed", size)["labels"] if x["chart"] == "chart times"]
    assert "140" in shown(DESKTOP) and 0 < len(shown(PHONE)) < len(shown(DESKTOP))
