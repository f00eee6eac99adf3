"""The call report's charts as inline SVG whose text keeps its size on a phone, a desktop and paper.

A viewBox scales everything inside it, text included: the old 640-unit drawings shown 340 px wide
on a phone drew their 10-unit labels at 5 px. These charts have no viewBox. Across, a position is
a percentage of the chart's width; down, positions, strokes and font sizes are CSS pixels. So a
label is ``FONT`` px wherever the report is opened, and only how many labels fit changes with the
width: a label that fits only in the wide layout carries the class ``only-wide``, one that fits
only on a phone ``only-narrow``, and the report's stylesheet hides each on the other side of
600 px (the width below which its tables turn into blocks).

Numbers only reach the drawing, and the accessible label is escaped: nothing an author or a
trainee writes is drawn here.
"""

from __future__ import annotations

from itertools import pairwise

from markupsafe import Markup, escape

from ..i18n import t

FONT = 12  # CSS px: every label, on every screen
GUTTER = (34, 12)  # CSS px left and right of the plot: the y labels ("100") and half a label past the last point
# The plot's width at the two edges of each layout: a 320 px phone (the page, section and gutter
# margins taken off) and a 601 px window, the narrowest that draws the wide layout.
NARROW_PLOT, WIDE_PLOT = 226, 460
STEPS = (1, 2, 5, 10, 20, 50, 100)
INK, MUTED, GRID = "#1f2933", "#616e7c", "#e4e7eb"


def label_step(gaps: int, chars: int, plot: float) -> int:
    """Label every how-many-th of ``gaps + 1`` evenly spaced points ``plot`` px apart end to end, so
    labels of up to ``chars`` digits never touch (a digit is about 0.6 em wide; 4 px between labels)."""
    need = chars * 0.6 * FONT + 4
    slot = plot / max(gaps, 1)
    return next((s for s in STEPS if s * slot >= need), STEPS[-1])


def _label_class(i: int, narrow: int, wide: int) -> str | None:
    """The class of the ``i``-th label (``None``: not drawn at all)."""
    on_narrow, on_wide = i % narrow == 0, i % wide == 0
    if not (on_narrow or on_wide):
        return None
    return "" if on_narrow and on_wide else (" class=\"only-wide\"" if on_wide else " class=\"only-narrow\"")


def _text(x: str, y: float, body: str, fill: str = MUTED, anchor: str = "middle", extra: str = "") -> str:
    return f'<text x="{x}" y="{y:.1f}" font-size="{FONT}" text-anchor="{anchor}" fill="{fill}"{extra}>{body}</text>'


def _frame(kind: str, height: int, label: str, body: str) -> Markup:
    left, right = GUTTER
    return Markup(f'<div class="chart {kind}" style="padding: 0 {right}px 0 {left}px">'
                  f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" overflow="visible" '
                  f'role="img" aria-label="{escape(label)}">{body}</svg></div>')


def mood_svg(mood: list[int], lang: str) -> Markup:
    """A line chart of the customer's mood (0 to 100) at the start (turn 0) and after each answer;
    a red dot is a turn where it fell, a green one a turn where it held or rose."""
    height, top, bottom = 180, 10, 158
    gaps = max(1, len(mood) - 1)

    def x(i: int) -> str:
        return f"{i * 100 / gaps:.2f}%"

    def y(m: float) -> float:
        return bottom - m * (bottom - top) / 100

    parts = []
    for v in (0, 50, 100):
        parts.append(f'<line x1="0" x2="100%" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}"/>')
        parts.append(_text("-6", y(v) + 4, str(v), anchor="end"))
    parts += [f'<line class="trace" x1="{x(i)}" y1="{y(a):.1f}" x2="{x(i + 1)}" y2="{y(b):.1f}" stroke="#4e79a7" '
              f'stroke-width="2.5" stroke-linecap="round"/>' for i, (a, b) in enumerate(pairwise(mood))]
    parts += [f'<circle cx="{x(i)}" cy="{y(m):.1f}" r="4" fill="{"#c62828" if i and m < mood[i - 1] else "#2e7d32"}"/>'
              for i, m in enumerate(mood)]
    chars = len(str(len(mood) - 1))
    narrow, wide = label_step(gaps, chars, NARROW_PLOT), label_step(gaps, chars, WIDE_PLOT)
    for i in range(len(mood)):
        if (cls := _label_class(i, narrow, wide)) is not None:
            parts.append(_text(x(i), height - 4, str(i), extra=cls))
    label = t("r.mood_chart", lang, values=" → ".join(str(m) for m in mood))
    return _frame("mood", height, label, "".join(parts))


def times_svg(turns: list[dict], lang: str) -> Markup | None:
    """Bars of the seconds each answer took, turn by turn, with the seconds above each bar and a line
    at the longest (``None`` when no answer was timed). Fewer than ten turns leave the rest of the
    width empty, so a bar is never wider than a tenth of the chart."""
    seconds = [x["seconds"] for x in turns]
    if not any(s is not None for s in seconds):
        return None
    height, top, bottom = 160, 22, 138
    longest = max(s or 0 for s in seconds) or 1
    slot = 100 / max(len(seconds), 10)

    def y(s: float) -> float:
        return bottom - s * (bottom - top) / longest

    parts = []
    for v in (0, longest):
        parts.append(f'<line x1="0" x2="100%" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}"/>')
        parts.append(_text("-6", y(v) + 4, f"{v:.0f}", anchor="end"))
    values = ["—" if s is None else f"{s:.0f}" for s in seconds]
    chars = max(len(str(len(seconds))), *(len(v) for v in values))
    plot_share = slot * len(seconds) / 100  # the bars take this share of the plot's width
    narrow = label_step(len(seconds), chars, NARROW_PLOT * plot_share)
    wide = label_step(len(seconds), chars, WIDE_PLOT * plot_share)
    for i, (s, value) in enumerate(zip(seconds, values, strict=True)):
        centre = f"{(i + 0.5) * slot:.2f}%"
        if s:
            parts.append(f'<rect x="{(i + 0.2) * slot:.2f}%" width="{0.6 * slot:.2f}%" y="{y(s):.1f}" '
                         f'height="{bottom - y(s):.1f}" fill="#76b7b2" rx="3"/>')
        if (cls := _label_class(i, narrow, wide)) is not None:  # turn i + 1: turns 1, 1 + step, 1 + 2 steps…
            parts.append(_text(centre, y(s or 0) - 5, value, fill=INK, extra=cls))
            parts.append(_text(centre, height - 4, str(i + 1), extra=cls))
    label = t("r.times_chart", lang, values=t("list_sep", lang).join(values))
    return _frame("times", height, label, "".join(parts))
