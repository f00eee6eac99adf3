"""The call report's charts: drawn without a viewBox, so their text keeps its size on any screen.

What the browser draws at 390 px and 1280 px is measured in test_report_phone.py; these tests read
the markup: what is drawn, where, in which language, and which labels each layout keeps.
"""

import re

import pytest
from helpers import ROOT
from report_helpers import Page

from simulator.i18n import t
from simulator.report.charts import FONT, NARROW_PLOT, STEPS, WIDE_PLOT, label_step, mood_svg, times_svg


def svg_of(markup) -> tuple[Page, object]:
    page = Page(str(markup))
    return page, next(page.root.iter("svg"))


def labels(svg, y: str | None = None) -> dict[str, str]:
    """Each text drawn at the bottom row (or at ``y``) → its class ('' when every layout shows it)."""
    texts = [x for x in svg.iter("text") if x.attrs["text-anchor"] == "middle"]
    rows = sorted({float(x.attrs["y"]) for x in texts})
    row = rows[-1] if y is None else float(y)
    return {x.text(): x.attrs.get("class", "") for x in texts if float(x.attrs["y"]) == row}


def timed(*seconds) -> list[dict]:
    return [{"seconds": s} for s in seconds]


# -- the size of the text -------------------------------------------------------------------------
@pytest.mark.parametrize("markup", [mood_svg([50, 40, 70], "en"), times_svg(timed(3.0, 12.5), "en")])
def test_a_chart_has_no_viewbox_that_would_scale_its_text_with_the_width(markup):
    _page, svg = svg_of(markup)
    assert "viewBox" not in str(markup) and "viewbox" not in svg.attrs
    assert svg.attrs["width"] == "100%"


@pytest.mark.parametrize("markup", [mood_svg([50, 40, 70], "zh"), times_svg(timed(3.0, 12.5), "zh")])
def test_every_label_of_a_chart_is_drawn_at_least_11_px(markup):
    _page, svg = svg_of(markup)
    sizes = [float(x.attrs["font-size"]) for x in svg.iter("text")]
    assert sizes and min(sizes) >= 11


# -- which labels fit ------------------------------------------------------------------------------
def test_label_step_labels_every_point_when_there_is_room():
    assert label_step(9, 1, NARROW_PLOT) == 1


def test_label_step_leaves_points_out_when_labels_would_touch():
    step, slot, need = label_step(24, 2, NARROW_PLOT), NARROW_PLOT / 24, 2 * 0.6 * FONT + 4
    assert step > 1 and step * slot >= need > STEPS[STEPS.index(step) - 1] * slot


def test_a_long_call_keeps_fewer_turn_numbers_on_a_phone_than_on_a_wide_screen():
    _page, svg = svg_of(mood_svg([50] * 41, "en"))
    row = labels(svg)
    narrow = [int(k) for k, c in row.items() if c != "only-wide"]
    wide = [int(k) for k, c in row.items() if c != "only-narrow"]
    assert narrow == list(range(0, 41, label_step(40, 2, NARROW_PLOT)))
    assert wide == list(range(0, 41, label_step(40, 2, WIDE_PLOT)))
    assert len(narrow) < len(wide)


def test_a_short_call_shows_every_turn_number_on_every_screen():
    _page, svg = svg_of(mood_svg([50, 60, 40, 45], "en"))
    assert labels(svg) == {"0": "", "1": "", "2": "", "3": ""}


def test_the_report_hides_each_layouts_own_labels_on_the_other_side_of_600_px():
    style = (ROOT / "simulator" / "templates" / "report.html.j2").read_text("utf-8")
    assert ".chart .only-narrow { display: none; }" in style
    phone = re.search(r"@media \(max-width: 600px\) \{(.*?)\n\}", style, re.S).group(1)
    assert ".chart .only-wide { display: none; }" in phone and ".chart .only-narrow { display: inline; }" in phone


# -- the mood chart ---------------------------------------------------------------------------------
def test_the_mood_chart_has_a_dot_per_reading_and_a_segment_between_each_two():
    _page, svg = svg_of(mood_svg([50, 40, 70, 70], "en"))
    assert len(list(svg.iter("circle"))) == 4
    assert len([x for x in svg.iter("line") if "trace" in x.classes()]) == 3


def test_the_mood_chart_marks_a_fall_red_and_a_rise_or_hold_green():
    _page, svg = svg_of(mood_svg([50, 40, 70, 70], "en"))
    assert [c.attrs["fill"] for c in svg.iter("circle")] == ["#2e7d32", "#c62828", "#2e7d32", "#2e7d32"]


def test_the_mood_chart_puts_100_at_the_top_and_0_at_the_bottom():
    _page, svg = svg_of(mood_svg([0, 100], "en"))
    low, high = (float(c.attrs["cy"]) for c in svg.iter("circle"))
    grid = {x.text(): float(x.attrs["y"]) - 4 for x in svg.iter("text") if x.attrs["text-anchor"] == "end"}
    assert grid == {"0": low, "50": (low + high) / 2, "100": high}


def test_the_mood_chart_spreads_the_turns_across_the_whole_width():
    _page, svg = svg_of(mood_svg([50, 40, 70], "en"))
    assert [c.attrs["cx"] for c in svg.iter("circle")] == ["0.00%", "50.00%", "100.00%"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_mood_chart_says_what_it_shows_in_the_reports_language(lang):
    _page, svg = svg_of(mood_svg([50, 40, 70], lang))
    assert svg.attrs["role"] == "img"
    assert svg.attrs["aria-label"] == t("r.mood_chart", lang, values="50 → 40 → 70")


def test_the_mood_charts_label_is_chinese_in_a_chinese_report():
    _page, svg = svg_of(mood_svg([50, 40], "zh"))
    assert re.search(r"[\u4e00-\u9fff]", svg.attrs["aria-label"])


# -- the answer-time chart --------------------------------------------------------------------------
def test_no_answer_times_draw_no_chart():
    assert times_svg(timed(None, None), "en") is None


def test_the_times_chart_draws_a_bar_per_timed_answer_the_longest_reaching_the_upper_line():
    _page, svg = svg_of(times_svg(timed(4.0, 12.0, 8.0), "en"))
    bars = list(svg.iter("rect"))
    assert len(bars) == 3
    upper = min(float(x.attrs["y1"]) for x in svg.iter("line"))
    assert min(float(b.attrs["y"]) for b in bars) == upper
    heights = [float(b.attrs["height"]) for b in bars]
    assert heights[0] == pytest.approx(heights[1] / 3, abs=0.1)
    assert heights[2] == pytest.approx(heights[1] * 2 / 3, abs=0.1)


def test_the_times_chart_shows_the_seconds_over_each_bar_and_the_turn_under_it():
    _page, svg = svg_of(times_svg(timed(4.0, 12.4, 8.0), "en"))
    texts = [x.text() for x in svg.iter("text") if x.attrs["text-anchor"] == "middle"]
    assert texts == ["4", "1", "12", "2", "8", "3"]


def test_an_untimed_answer_has_no_bar_and_a_dash_for_its_seconds():
    _page, svg = svg_of(times_svg(timed(4.0, None, 8.0), "en"))
    assert len(list(svg.iter("rect"))) == 2
    assert "—" in [x.text() for x in svg.iter("text")]


def test_a_bar_is_never_wider_than_a_tenth_of_the_chart():
    _page, svg = svg_of(times_svg(timed(4.0, 6.0), "en"))
    assert all(float(b.attrs["width"].rstrip("%")) <= 10 for b in svg.iter("rect"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_times_chart_says_what_it_shows_in_the_reports_language(lang):
    _page, svg = svg_of(times_svg(timed(4.0, 12.0), lang))
    assert svg.attrs["role"] == "img"
    assert svg.attrs["aria-label"] == t("r.times_chart", lang, values=t("list_sep", lang).join(["4", "12"]))
