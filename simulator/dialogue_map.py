"""The dialogue map of a scenario as Graphviz DOT, Mermaid, or one self-contained HTML page.

Nodes are coloured by call step, endings by outcome, edges by how good the answer is;
parts no call can reach are flagged.
"""

from __future__ import annotations

import html
from collections import deque

from .core import graph
from .core.catalog import Catalog, load_catalog
from .core.model import TURN_LIMIT_ENDING, Response, Scenario
from .core.scoring import answer_value
from .core.text import pick

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
BOX_W, BOX_H, COL_W, ROW_H, MARGIN = 190, 58, 270, 84, 40


def layout(scenario: Scenario) -> dict[str, tuple[int, int]]:
    """Column and row of every node and ending: columns by distance from the start."""
    edge_map = graph.edges(scenario)
    depth = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        current = queue.popleft()
        for target in edge_map.get(current, ()):
            if target in scenario.nodes and target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    last = max(depth.values(), default=0)
    unreachable = [n for n in scenario.nodes if n not in depth]
    columns: dict[int, list[str]] = {}
    for name in scenario.nodes:
        col = depth.get(name, last + 2)
        columns.setdefault(col, []).append(name)
    end_col = last + 1
    columns[end_col] = list(_used_endings(scenario))
    if unreachable:
        columns[last + 2] = unreachable
    return {name: (col, row) for col, names in columns.items() for row, name in enumerate(names)}


def _clip(text: str, width: int) -> str:
    """Cut ``text`` to about ``width`` Latin characters; CJK characters count double."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0x2E80 else 1
        if used > width:
            return text[:i] + "…"
    return text


def to_html(scenario: Scenario, lang: str = "en", catalog: Catalog | None = None) -> str:
    """One self-contained HTML page (inline CSS and SVG, nothing fetched)."""
    catalog = catalog or load_catalog()
    reachable = graph.reachable(scenario)
    places = layout(scenario)
    cols = max(c for c, _ in places.values()) + 1
    rows = max(r for _, r in places.values()) + 1
    width, height = MARGIN * 2 + (cols - 1) * COL_W + BOX_W, MARGIN * 2 + rows * ROW_H + 40
    e = html.escape

    def xy(name: str) -> tuple[int, int]:
        col, row = places[name]
        return MARGIN + col * COL_W, MARGIN + row * ROW_H

    parts = []
    for quality, color in EDGE_COLORS.items():
        parts.append(f'<marker id="arrow-{quality}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                     f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/>'
                     "</marker>")
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(scenario.id)} dialogue map">',
           "<defs>" + "".join(parts) + "</defs>"]
    for source, target, number, quality in edges(scenario, catalog):
        (x1, y1), (x2, y2) = xy(source), xy(target)
        color = EDGE_COLORS[quality]
        if x2 > x1:
            sx, sy, tx, ty = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
            d = f"M{sx},{sy} C{sx + 60},{sy} {tx - 60},{ty} {tx},{ty}"
            lx, ly = sx + 14, sy - 4 + (ty - sy) * 0.08
        elif x2 == x1:  # same column: bow out to the right
            sx, sy, tx, ty = x1 + BOX_W, y1 + BOX_H / 2 + 8, x2 + BOX_W, y2 + BOX_H / 2 - 8
            d = f"M{sx},{sy} C{sx + 50},{sy} {tx + 50},{ty} {tx},{ty}"
            lx, ly = sx + 40, (sy + ty) / 2
        else:  # back edge: loop under the boxes
            sx, sy, tx, ty = x1 + BOX_W / 2, y1 + BOX_H, x2 + BOX_W / 2, y2 + BOX_H
            dip = max(sy, ty) + 34
            d = f"M{sx},{sy} C{sx},{dip} {tx},{dip} {tx},{ty}"
            lx, ly = (sx + tx) / 2, dip - 6
        svg.append(f'<path class="edge {quality}" d="{d}" stroke="{color}" fill="none" stroke-width="1.6" '
                   f'marker-end="url(#arrow-{quality})"/>')
        svg.append(f'<text x="{lx:.0f}" y="{ly:.0f}" class="edge-label" style="fill:{color}">{number}</text>')
    for node in scenario.nodes.values():
        x, y = xy(node.id)
        flagged = node.id not in reachable
        step = pick(catalog.steps[node.step].name, lang)
        line = pick(node.customer, lang)
        short = _clip(line, 25)
        extra = ' stroke="#c62828" stroke-width="3" stroke-dasharray="6 4"' if flagged else ' stroke="#222"'
        svg.append(f'<g class="node{" unreachable" if flagged else ""}"><title>{e(node.id)}: {e(line)}</title>'
                   f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" '
                   f'fill="{STEP_COLORS[node.step]}"{extra}/>'
                   f'<text x="{x + 10}" y="{y + 19}" class="id">{e(node.id)}</text>'
                   f'<text x="{x + 10}" y="{y + 35}" class="step">{e(step)}{" · unreachable" if flagged else ""}</text>'
                   f'<text x="{x + 10}" y="{y + 50}" class="line">{e(short)}</text></g>')
    for eid in _used_endings(scenario):
        ending = scenario.endings[eid]
        x, y = xy(eid)
        svg.append(f'<g class="ending"><title>{e(eid)}: {e(pick(ending.debrief, lang))}</title>'
                   f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="26" '
                   f'fill="{OUTCOME_COLORS[ending.outcome]}" stroke="#000" stroke-width="3"/>'
                   f'<rect x="{x + 4}" y="{y + 4}" width="{BOX_W - 8}" height="{BOX_H - 8}" rx="22" fill="none" '
                   'stroke="#fff" stroke-width="1.2"/>'
                   f'<text x="{x + 16}" y="{y + 25}" class="id">{e(eid)}</text>'
                   f'<text x="{x + 16}" y="{y + 42}" class="step">{e(ending.outcome)}</text></g>')
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
svg text {{ font-size: 12px; fill: #fff; }}
svg text.id {{ font-weight: 700; font-size: 13px; }}
svg text.edge-label {{ font-size: 11px; font-weight: 700; }}
</style></head>
<body>
<h1>{e(pick(scenario.title, lang))}</h1>
<p class="meta">{e(scenario.id)} · {e(scenario.category)} · {len(scenario.nodes)} nodes ·
{len(_used_endings(scenario))} endings · edge numbers are response numbers as written</p>
<div class="legend">{legend}</div>
{warning}
<div class="map">{"".join(svg)}</div>
</body></html>
"""
