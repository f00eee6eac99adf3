"""Where the dialogue map's boxes and arrows go: a layered (Sugiyama) drawing, top to bottom.

Graphviz's ``dot`` lays the map out when it is installed (the best crossing reduction and
curved arrows that avoid the boxes); otherwise grandalf, a pure-Python implementation of the
same layered method, does (straight arrows bent only at the layers they cross). Both read the
map top to bottom from the first node, so a long call grows downwards, where a page scrolls,
and the width stays that of the widest layer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass

Point = tuple[float, float]

GAP_X, GAP_Y, MARGIN = 28, 60, 24  # between boxes in a layer, between layers, around the map
_DOT_SECONDS = 20


@dataclass(frozen=True)
class MapLayout:
    """Box centres and arrow paths, in pixels, with (0, 0) at the top left."""

    centres: dict[str, Point]
    # One per edge, in the order given. Curved paths are cubic Bézier points (start, then three
    # per segment); straight ones are polylines. Each ends at the target box's border.
    paths: list[list[Point]]
    curved: bool
    width: float
    height: float
    engine: str  # "dot" or "grandalf"


def place(sizes: dict[str, tuple[int, int]], edges: list[tuple[str, str]], first: str,
          engine: str | None = None) -> MapLayout:
    """Lay out a box of the given (width, height) per name and an arrow per edge, ``first`` at the top.

    Edges are distinct (source, target) pairs. ``engine`` forces "dot" or "grandalf"; by
    default dot when it is installed and works.
    """
    if engine in (None, "dot") and shutil.which("dot"):
        try:
            return _with_dot(sizes, edges, first)
        except (OSError, ValueError, KeyError, subprocess.SubprocessError):
            if engine == "dot":
                raise
    return _with_grandalf(sizes, edges, first)


# -- Graphviz dot ---------------------------------------------------------------------------
def _with_dot(sizes: dict[str, tuple[int, int]], edges: list[tuple[str, str]], first: str) -> MapLayout:
    names = list(sizes)
    ids = {name: f"n{i}" for i, name in enumerate(names)}  # author ids never reach dot's parser
    lines = ["digraph map {", f"  graph [rankdir=TB, nodesep={GAP_X / 72:.3f}, ranksep={GAP_Y / 72:.3f}, "
             "splines=true];", '  node [shape=box, fixedsize=true, label=""];',
             f"  {{ rank=min; {ids[first]}; }}"]
    lines += [f"  {ids[n]} [width={w / 72:.3f}, height={h / 72:.3f}];" for n, (w, h) in sizes.items()]
    lines += [f'  {ids[a]} -> {ids[b]} [id="e{i}"];' for i, (a, b) in enumerate(edges)]
    lines.append("}")
    done = subprocess.run(["dot", "-Tjson"], input="\n".join(lines), capture_output=True, text=True,
                          timeout=_DOT_SECONDS, check=True)
    data = json.loads(done.stdout)
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    names_by_id = {v: k for k, v in ids.items()}

    def flip(x: float, y: float) -> Point:  # dot's y grows upwards
        return x - x0 + MARGIN, y1 - y + MARGIN

    centres = {}
    for obj in data.get("objects", []):
        if obj.get("name") in names_by_id:
            x, y = (float(v) for v in obj["pos"].split(","))
            centres[names_by_id[obj["name"]]] = flip(x, y)
    paths: list[list[Point]] = [[] for _ in edges]
    for edge in data.get("edges", []):
        paths[int(edge["id"][1:])] = _dot_spline(edge["pos"], flip)
    if set(centres) != set(names) or any(not p for p in paths):
        raise ValueError("dot left out a node or an edge")
    return MapLayout(centres, paths, True, x1 - x0 + 2 * MARGIN, y1 - y0 + 2 * MARGIN, "dot")


def _dot_spline(pos: str, flip) -> list[Point]:
    """dot's ``pos`` of an edge ("e,x,y p0 p1 p2 p3 …") as Bézier points ending at the arrow's tip."""
    end = None
    points = []
    for item in pos.split():
        parts = item.split(",")
        if parts[0] == "e":
            end = flip(float(parts[1]), float(parts[2]))
        elif parts[0] != "s":
            points.append(flip(float(parts[0]), float(parts[1])))
    if end is not None:  # the spline stops where the arrowhead starts: carry it on to the tip
        last = points[-1]
        points += [last, end, end]
    return points


# -- grandalf -------------------------------------------------------------------------------
class _Box:
    """A vertex's size and, after layout, its centre (grandalf's view protocol)."""

    def __init__(self, w: int, h: int) -> None:
        self.w, self.h = w, h
        self.xy = (0.0, 0.0)


class _Route:
    """An edge's points after layout (grandalf's view protocol)."""

    def __init__(self) -> None:
        self.points: list[Point] = []

    def setpath(self, points: list[Point]) -> None:
        self.points = [tuple(p) for p in points]


def _with_grandalf(sizes: dict[str, tuple[int, int]], edges: list[tuple[str, str]], first: str) -> MapLayout:
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout
    from grandalf.routing import route_with_lines

    vertices = {name: Vertex(name) for name in sizes}
    for name, v in vertices.items():
        v.view = _Box(*sizes[name])
    routes, links = {}, []
    for a, b in edges:
        if a != b:  # grandalf cannot route a loop; it is drawn beside its box below
            link = Edge(vertices[a], vertices[b])
            link.view = routes[(a, b)] = _Route()
            links.append(link)
    graph = Graph(list(vertices.values()), links)
    centres: dict[str, Point] = {}
    offset = 0.0
    # Each connected part is laid out on its own, side by side; the one holding the first node comes first.
    for part in sorted(graph.C, key=lambda part: vertices[first] not in part.sV):
        layout = SugiyamaLayout(part)
        layout.xspace, layout.yspace = GAP_X, GAP_Y
        layout.route_edge = route_with_lines
        layout.init_all(roots=[vertices[first]] if vertices[first] in part.sV else None)
        layout.draw(3)
        _separate(layout.layers)
        layout.draw_edges()  # again, through the separated positions
        left = min(v.view.xy[0] - v.view.w / 2 for v in part.sV)
        right = max(v.view.xy[0] + v.view.w / 2 for v in part.sV)
        inside = {v.data for v in part.sV}
        for v in part.sV:
            centres[v.data] = (v.view.xy[0] - left + offset, v.view.xy[1])
        for (a, _b), route in routes.items():
            if a in inside:
                route.points = [(x - left + offset, y) for x, y in route.points]
        offset += right - left + GAP_X * 2
    top = min(y - sizes[n][1] / 2 for n, (_, y) in centres.items())
    dx, dy = MARGIN, MARGIN - top
    centres = {n: (x + dx, y + dy) for n, (x, y) in centres.items()}
    paths = [_self_loop(centres[a], sizes[a]) if a == b else [(x + dx, y + dy) for x, y in routes[(a, b)].points]
             for a, b in edges]
    width = max(x + sizes[n][0] / 2 for n, (x, _) in centres.items()) + MARGIN
    height = max(y + sizes[n][1] / 2 for n, (_, y) in centres.items()) + MARGIN
    return MapLayout(centres, paths, False, width, height, "grandalf")


def _separate(layers) -> None:
    """Push apart boxes that grandalf's averaged placement left overlapping within a layer.

    Its final x is the mean of four alignments, which keeps the order of a layer but not always
    the room between neighbours; a left-to-right sweep restores at least GAP_X between boxes.
    """
    for layer in layers:
        previous = None
        for v in sorted(layer, key=lambda v: v.view.xy[0]):
            if previous is not None:
                least = previous.view.xy[0] + (previous.view.w + v.view.w) / 2 + GAP_X
                if v.view.xy[0] < least:
                    v.view.xy = (least, v.view.xy[1])
            previous = v


def _self_loop(centre: Point, box: tuple[int, int]) -> list[Point]:
    x, y = centre
    right = x + box[0] / 2
    return [(right, y - 10), (right + 28, y - 10), (right + 28, y + 10), (right, y + 10)]
