"""The dialogue map of a scenario as Graphviz DOT, Mermaid, or one self-contained HTML page.

Nodes are coloured by call step, endings by outcome, edges by how good the answer is;
parts no call can reach are flagged.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from . import map_layout
from .core import graph
from .core.catalog import Catalog, load_catalog
from .core.model import TURN_LIMIT_ENDING, Response, Scenario
from .core.scoring import answer_value
from .core.text import char_width, pick

STEP_COLORS = {"build_trust": "#4e79a7", "probe_reason": "#59a14f", "propose": "#f28e2b",
               "resolve_refusal": "#e15759", "close": "#76b7b2"}
OUTCOME_COLORS = {"retained": "#2e7d32", "resolved": "#2e7d32", "downgraded": "#b7791f", "escalated": "#6b46c1",
                  "churned": "#616161"}
EDGE_COLORS = {"good": "#2e7d32", "fair": "#8a8a8a", "poor": "#c62828"}


def edge_quality(response: Response, catalog: Catalog) -> str:
    """good, fair or poor: the answer's own value (techniques, mistakes, mood)."""
    value = answer_value(response, False, catalog)
    return "good" if value >= 3 else "poor" if value < 0 else "fair"


def edges(scenario: Scenario, catalog: Catalog) -> list[tuple[str, str, int, str]]:
    """(source, target, response number, quality) for every branch of every response."""
    result = []
    for node in scenario.nodes.values():
        for r in node.responses:
            quality = edge_quality(r, catalog)
            for target in dict.fromkeys(graph.response_targets(r)):
                result.append((node.id, target, r.index + 1, quality))
    return result


def _used_endings(scenario: Scenario) -> list[str]:
    """The endings to draw: the built-in turn-limit ending only where a loop can reach it."""
    loops = graph.has_cycle(scenario)
    return [e for e in scenario.endings if e != TURN_LIMIT_ENDING or loops]


def to_dot(scenario: Scenario, lang: str = "en", catalog: Catalog | None = None) -> str:
    """Graphviz DOT source."""
    catalog = catalog or load_catalog()
    reachable = graph.reachable(scenario)
    q = _dot_quote
    lines = [f"digraph {q(scenario.id)} {{", "  rankdir=LR;", '  node [fontname="Helvetica", style=filled];',
             f"  label={q(pick(scenario.title, lang))}; labelloc=t;"]
    for node in scenario.nodes.values():
        step = pick(catalog.steps[node.step].name, lang)
        attrs = f'shape=box, fillcolor="{STEP_COLORS[node.step]}", fontcolor=white'
        if node.id not in reachable:
            attrs += ', style="filled,dashed", color="#c62828", penwidth=3'
            step += " (unreachable)"
        tip = pick(node.customer, lang)
        lines.append(f"  {q(node.id)} [label={q(node.id + chr(10) + step)}, tooltip={q(tip)}, {attrs}];")
    for eid in _used_endings(scenario):
        ending = scenario.endings[eid]
        label = f"{eid}\n{ending.outcome}"
        lines.append(f'  {q(eid)} [label={q(label)}, shape=doubleoctagon, '
                     f'fillcolor="{OUTCOME_COLORS[ending.outcome]}", fontcolor=white];')
    for source, target, number, quality in edges(scenario, catalog):
        lines.append(f'  {q(source)} -> {q(target)} [label="{number}", color="{EDGE_COLORS[quality]}", '
                     f'fontcolor="{EDGE_COLORS[quality]}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_mermaid(scenario: Scenario, lang: str = "en", catalog: Catalog | None = None) -> str:
    """Mermaid flowchart source, for GitHub and GitLab Markdown (```mermaid blocks)."""
    catalog = catalog or load_catalog()
    reachable = graph.reachable(scenario)
    ids = {name: f"n{i}" for i, name in enumerate([*scenario.nodes, *scenario.endings])}
    lines = ["flowchart LR"]
    for step, color in STEP_COLORS.items():
        lines.append(f"  classDef {step} fill:{color},color:#fff,stroke:#333")
    for outcome, color in OUTCOME_COLORS.items():
        lines.append(f"  classDef end_{outcome} fill:{color},color:#fff,stroke:#000,stroke-width:3px")
    lines.append("  classDef unreachable stroke:#c62828,stroke-width:3px,stroke-dasharray:6 4")
    for node in scenario.nodes.values():
        step = pick(catalog.steps[node.step].name, lang)
        cls = node.step if node.id in reachable else f"{node.step},unreachable"
        suffix = "<br/>(unreachable)" if node.id not in reachable else ""
        lines.append(f'  {ids[node.id]}["{_mm(node.id)}<br/>{_mm(step)}{suffix}"]:::{cls}')
    for eid in _used_endings(scenario):
        ending = scenario.endings[eid]
        lines.append(f'  {ids[eid]}(("{_mm(eid)}<br/>{ending.outcome}")):::end_{ending.outcome}')
    styles = []
    for i, (source, target, number, quality) in enumerate(edges(scenario, catalog)):
        lines.append(f"  {ids[source]} -->|{number}| {ids[target]}")
        styles.append(f"  linkStyle {i} stroke:{EDGE_COLORS[quality]},stroke-width:2px")
    return "\n".join(lines + styles) + "\n"


def _mm(text: str) -> str:
    return html.escape(text, quote=True).replace("#", "&#35;")


# -- HTML with an SVG map ---------------------------------------------------------------
BOX_W, BOX_H = 200, 62  # a node
END_W, END_H = 142, 36  # an ending, drawn once under each node that leads to it
_COPY = "\x1f"  # joins a node id and an ending id into the id of that ending's copy (no id holds it)


@dataclass(frozen=True)
class Arrow:
    """One arrow of the map: every response from ``source`` that leads to ``target``."""

    source: str
    target: str  # a node id, or the id of an ending's copy (see ending_of)
    numbers: tuple[tuple[int, str], ...]  # (response number as written, answer quality)


def ending_of(drawn: str) -> str | None:
    """The ending a drawn box stands for, or None for a node."""
    return drawn.split(_COPY)[1] if _COPY in drawn else None


def drawing(scenario: Scenario, catalog: Catalog) -> tuple[dict[str, tuple[int, int]], list[Arrow]]:
    """What the map draws: each box's size by drawn id, and one arrow per (source, target) pair.

    Endings are drawn once per node that reaches them, right under it, instead of once for
    the whole map: arrows to endings would otherwise cross the whole drawing.
    """
    sizes = {name: (BOX_W, BOX_H) for name in scenario.nodes}
    grouped: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for source, target, number, quality in edges(scenario, catalog):
        if target in scenario.endings:
            target = f"{source}{_COPY}{target}"
            sizes[target] = (END_W, END_H)
        grouped.setdefault((source, target), []).append((number, quality))
    return sizes, [Arrow(a, b, tuple(sorted(n))) for (a, b), n in grouped.items()]


def layout(scenario: Scenario, catalog: Catalog | None = None, engine: str | None = None
           ) -> tuple[map_layout.MapLayout, dict[str, tuple[int, int]], list[Arrow]]:
    """Where every box and arrow goes (Graphviz dot when installed, else grandalf), with what is drawn."""
    sizes, arrows = drawing(scenario, catalog or load_catalog())
    placed = map_layout.place(sizes, [(x.source, x.target) for x in arrows], scenario.start, engine)
    return placed, sizes, arrows


def _clip(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` columns (Chinese characters take two), marking the cut with "…"."""
    used = 0
    for i, ch in enumerate(text):
        used += char_width(ch)
        if used > width:
            return text[:i] + "…"
    return text


def _path(points: list[map_layout.Point], curved: bool) -> str:
    head, *rest = points
    joiner = " C" if curved else " L"
    if curved:
        segments = [rest[i:i + 3] for i in range(0, len(rest) - 2, 3)]
        tail = "".join(f"{joiner}{' '.join(f'{x:.1f},{y:.1f}' for x, y in seg)}" for seg in segments)
    else:
        tail = "".join(f"{joiner}{x:.1f},{y:.1f}" for x, y in rest)
    return f"M{head[0]:.1f},{head[1]:.1f}{tail}"


def _label_at(points: list[map_layout.Point], curved: bool) -> map_layout.Point:
    """Where an arrow's response numbers go: a little way along it from its source."""
    (x0, y0), (x1, y1) = points[0], points[1]
    if curved and len(points) >= 4:  # the first Bézier segment at t = 0.3
        (x2, y2), (x3, y3), t = points[2], points[3], 0.3
        u = 1 - t
        return (u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3,
                u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3)
    length = math.hypot(x1 - x0, y1 - y0) or 1
    step = min(1.0, 24 / length)
    return x0 + (x1 - x0) * step, y0 + (y1 - y0) * step


def to_html(scenario: Scenario, lang: str = "en", catalog: Catalog | None = None) -> str:
    """One self-contained HTML page (inline CSS and SVG, nothing fetched)."""
    catalog = catalog or load_catalog()
    reachable = graph.reachable(scenario)
    placed, sizes, arrows = layout(scenario, catalog)
    width, height = math.ceil(placed.width), math.ceil(placed.height)
    e = html.escape

    def corner(name: str) -> tuple[float, float]:
        (x, y), (w, h) = placed.centres[name], sizes[name]
        return x - w / 2, y - h / 2

    parts = []
    for quality, color in EDGE_COLORS.items():
        parts.append(f'<marker id="arrow-{quality}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                     f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/>'
                     "</marker>")
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(scenario.id)} dialogue map">',
           "<defs>" + "".join(parts) + "</defs>"]
    labels = []
    for arrow, points in zip(arrows, placed.paths, strict=True):
        qualities = {q for _, q in arrow.numbers}
        quality = qualities.pop() if len(qualities) == 1 else "fair"  # mixed answers: a neutral arrow
        color = EDGE_COLORS[quality]
        svg.append(f'<path class="edge {quality}" d="{_path(points, placed.curved)}" stroke="{color}" fill="none" '
                   f'stroke-width="1.6" marker-end="url(#arrow-{quality})"/>')
        lx, ly = _label_at(points, placed.curved)
        spans = ",".join(f'<tspan style="fill:{EDGE_COLORS[q]}">{n}</tspan>' for n, q in arrow.numbers)
        labels.append(f'<text x="{lx + 5:.0f}" y="{ly + 4:.0f}" class="edge-label">{spans}</text>')
    for node in scenario.nodes.values():
        x, y = corner(node.id)
        flagged = node.id not in reachable
        step = pick(catalog.steps[node.step].name, lang)
        line = pick(node.customer, lang)
        short = _clip(line, 26)
        extra = ' stroke="#c62828" stroke-width="3" stroke-dasharray="6 4"' if flagged else ' stroke="#222"'
        svg.append(f'<g class="node{" unreachable" if flagged else ""}"><title>{e(node.id)}: {e(line)}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="8" '
                   f'fill="{STEP_COLORS[node.step]}"{extra}/>'
                   f'<text x="{x + 10:.1f}" y="{y + 20:.1f}" class="id">{e(_clip(node.id, 27))}</text>'
                   f'<text x="{x + 10:.1f}" y="{y + 37:.1f}" class="step">{e(step)}'
                   f'{" · unreachable" if flagged else ""}</text>'
                   f'<text x="{x + 10:.1f}" y="{y + 53:.1f}" class="line">{e(short)}</text></g>')
    for drawn in sizes:
        eid = ending_of(drawn)
        if eid is None:
            continue
        ending = scenario.endings[eid]
        x, y = corner(drawn)
        svg.append(f'<g class="ending"><title>{e(eid)}: {e(pick(ending.debrief, lang))}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{END_W}" height="{END_H}" rx="18" '
                   f'fill="{OUTCOME_COLORS[ending.outcome]}" stroke="#000" stroke-width="2"/>'
                   f'<text x="{x + 12:.1f}" y="{y + 15:.1f}" class="end-id">{e(_clip(eid, 17))}</text>'
                   f'<text x="{x + 12:.1f}" y="{y + 29:.1f}" class="step">{e(ending.outcome)}</text></g>')
    svg += labels  # numbers last, so no box or arrow covers them
    svg.append("</svg>")
    legend = "".join(f'<span class="key" style="background:{c}">{e(pick(catalog.steps[s].name, lang))}</span>'
                     for s, c in STEP_COLORS.items())
    legend += "".join(f'<span class="key" style="background:{c}">{o}</span>' for o, c in OUTCOME_COLORS.items()
                      if o != "resolved")
    legend += "".join(f'<span class="edge-key" style="color:{c}">━ {q} answer</span>' for q, c in EDGE_COLORS.items())
    flagged = [n for n in scenario.nodes if n not in reachable]
    warning = (f'<p class="warn">Unreachable: {e(", ".join(flagged))}</p>' if flagged else "")
    return f"""<!DOCTYPE html>
<html lang="{e(lang)}"><head><meta charset="utf-8">
<title>{e(pick(scenario.title, lang))}: dialogue map</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #222; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
.meta {{ color: #555; margin: 0 0 12px; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 12px; font-size: 13px; }}
.key {{ color: #fff; padding: 2px 8px; border-radius: 4px; }}
.edge-key {{ font-weight: 600; }}
.warn {{ color: #c62828; font-weight: 600; }}
.map {{ overflow: auto; border: 1px solid #ddd; border-radius: 6px; }}
.map svg {{ display: block; max-width: 100%; height: auto; }}
#actual-size:checked ~ .map svg {{ max-width: none; }}
.size {{ font-size: 13px; color: #555; }}
svg text {{ font-size: 12px; fill: #fff; }}
svg text.id {{ font-weight: 700; font-size: 13px; }}
svg text.end-id {{ font-weight: 700; font-size: 11.5px; }}
svg text.edge-label {{ font-size: 12px; font-weight: 700; fill: #555; paint-order: stroke; stroke: #fff;
  stroke-width: 3px; }}
</style></head>
<body>
<h1>{e(pick(scenario.title, lang))}</h1>
<p class="meta">{e(scenario.id)} · {e(scenario.category)} · {len(scenario.nodes)} nodes ·
{len(_used_endings(scenario))} endings, each drawn under every node that leads to it · the numbers on an arrow are
the response numbers as written</p>
<div class="legend">{legend}</div>
{warning}
<input type="checkbox" id="actual-size"><label class="size" for="actual-size"> actual size (the map fits the
page width until this is ticked)</label>
<div class="map">{"".join(svg)}</div>
</body></html>
"""
