"""The dialogue map: Graphviz DOT, Mermaid, the self-contained HTML page and its layout."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from dataclasses import replace
from html.parser import HTMLParser

import pytest
import yaml
from helpers import ROOT, doc_example_text, load_example, load_shipped

from simulator import dialogue_map, map_layout
from simulator.core import graph, loader
from simulator.core.catalog import load_catalog
from simulator.core.model import TURN_LIMIT_ENDING

MOBILE = ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml"
SCRIPT = "<script>alert(1)</script>"
GOOD, FAIR, POOR = (dialogue_map.EDGE_COLORS[q] for q in ("good", "fair", "poor"))


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def _orphan_text() -> str:
    """The doc example with a node nothing points to."""
    return _edit(doc_example_text(), "endings:\n",
                 "  orphan:\n    step: close\n    emotion: calm\n"
                 '    customer: {en: "Nobody ever hears this.", zh: "没人会听到这句。"}\n'
                 "    responses:\n"
                 '      - text: {en: "Bye.", zh: "再见。"}\n'
                 '        feedback: {en: "Unreachable.", zh: "到不了。"}\n'
                 "        next: kept\n"
                 "endings:\n")


def _nasty_text() -> str:
    """The doc example with markup, quotes and backslashes in its title and customer lines."""
    text = _edit(doc_example_text(), 'title: {en: "A student wants to cancel", zh: "学生用户要销号"}',
                 """title: {en: 'Say "no" \\ <b>stop</b>', zh: '说"不" \\ <b>停</b>'}""")
    opening = """customer: {en: "Hi, I'd like to cancel my number, please.", zh: "你好，我想把这个号注销了。"}"""
    return _edit(text, opening,
                 f"""customer: {{en: '{SCRIPT} "Hi" & bye', zh: '{SCRIPT} “你好”'}}""")


def _load(text: str, allowed: frozenset[str] = frozenset()):
    scenario, diagnostics = loader.load_text(text, "map.yaml")
    assert scenario is not None and {d.code for d in diagnostics} == set(allowed), [d.format() for d in diagnostics]
    return scenario


def _rename(scenario, old: str, new: str):
    """The scenario with node or ending ``old`` renamed to ``new`` (ids the loader would refuse)."""

    def sub(x: str) -> str:
        return new if x == old else x

    def fix(r):
        return replace(r, next=tuple(replace(b, goto=sub(b.goto)) for b in r.next),
                       by_personality={k: fix(v) for k, v in r.by_personality.items()})

    nodes = {sub(k): replace(n, id=sub(n.id), responses=tuple(fix(r) for r in n.responses))
             for k, n in scenario.nodes.items()}
    endings = {sub(k): replace(e, id=sub(e.id)) for k, e in scenario.endings.items()}
    return replace(scenario, nodes=nodes, endings=endings, start=sub(scenario.start))


NASTY_NODE = 'an<script>"x"\\y'
NASTY_ENDING = 'k"<b>&'


def _nasty():
    scenario = _rename(_rename(_load(_nasty_text()), "annoyed", NASTY_NODE), "kept", NASTY_ENDING)
    return replace(scenario, id='id "quoted" \\ back')


def _yaml_edges(path_or_text) -> int:
    """(response, distinct target) pairs, counted from the raw YAML."""
    data = yaml.safe_load(path_or_text)
    count = 0
    for node in data["nodes"].values():
        for r in node["responses"]:
            targets = []
            for variant in [r, *(r.get("by_personality") or {}).values()]:
                nxt = variant.get("next")
                if nxt is None:
                    continue
                targets += [nxt] if isinstance(nxt, str) else [b["goto"] for b in nxt]
            count += len(set(targets))
    return count


# -- a small DOT reader --------------------------------------------------------------------
QUOTED = r'"(?:[^"\\]|\\.)*"'
VALUE = rf'(?:{QUOTED}|[A-Za-z0-9_.#]+)'
ATTRS = rf'\w+={VALUE}(?:, \w+={VALUE})*'


def _unquote(token: str) -> str:
    assert token[0] == token[-1] == '"'
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), token[1:-1])


def _attrs(text: str) -> dict[str, str]:
    assert re.fullmatch(ATTRS, text), text
    return {k: _unquote(v) if v.startswith('"') else v for k, v in re.findall(rf'(\w+)=({VALUE})', text)}


def parse_dot(text: str) -> tuple[str, dict[str, dict], list[tuple[str, str, dict]], list[str]]:
    """(graph name, node statements, edge statements, graph-level statements); asserts the syntax."""
    lines = text.rstrip("\n").split("\n")
    head = re.fullmatch(rf"digraph ({QUOTED}) \{{", lines[0])
    assert head and lines[-1] == "}", (lines[0], lines[-1])
    nodes: dict[str, dict] = {}
    edges: list[tuple[str, str, dict]] = []
    other: list[str] = []
    for line in lines[1:-1]:
        if m := re.fullmatch(rf"  ({QUOTED}) -> ({QUOTED}) \[({ATTRS})\];", line):
            edges.append((_unquote(m[1]), _unquote(m[2]), _attrs(m[3])))
        elif m := re.fullmatch(rf"  ({QUOTED}) \[({ATTRS})\];", line):
            name = _unquote(m[1])
            assert name not in nodes, f"node {name!r} declared twice"
            nodes[name] = _attrs(m[2])
        elif re.fullmatch(rf"  (?:rankdir=LR;|node \[{ATTRS}\];|label={QUOTED}; labelloc=t;)", line):
            other.append(line.strip())
        else:
            raise AssertionError(f"not a DOT statement: {line!r}")
    return _unquote(head[1]), nodes, edges, other


# -- a strict HTML reader ------------------------------------------------------------------------
VOID = {"meta", "br", "img", "input", "hr", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class Page(HTMLParser):
    """Checks that every tag is closed in order, and collects what the tests look at."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.data: dict[str, list[str]] = {}
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            key = self.stack[-1]
            if key == "p":
                key = f"p.{self._class_of_open('p')}"
            self.data.setdefault(key, []).append(data)

    def _class_of_open(self, tag: str) -> str:
        for name, attrs in reversed(self.tags):
            if name == tag:
                return attrs.get("class") or ""
        return ""

    def classes(self, tag: str) -> list[list[str]]:
        return [(attrs.get("class") or "").split() for name, attrs in self.tags if name == tag]


# -- DOT -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["doc-example", "mobile"])
def test_dot_declares_every_node_and_ending_once(which):
    scenario = load_example() if which == "doc-example" else load_shipped(MOBILE)
    raw = yaml.safe_load(doc_example_text() if which == "doc-example" else MOBILE.read_text("utf-8"))
    _, nodes, _, _ = parse_dot(dialogue_map.to_dot(scenario))
    assert set(nodes) == set(raw["nodes"]) | set(raw["endings"])


@pytest.mark.parametrize("which", ["doc-example", "mobile"])
def test_dot_has_one_edge_per_response_and_distinct_target(which):
    scenario = load_example() if which == "doc-example" else load_shipped(MOBILE)
    source = doc_example_text() if which == "doc-example" else MOBILE.read_text("utf-8")
    _, nodes, edges, _ = parse_dot(dialogue_map.to_dot(scenario))
    assert len(edges) == _yaml_edges(source)
    assert all(s in nodes and t in nodes for s, t, _ in edges)
    if which == "doc-example":
        assert len(edges) == 7


def test_dot_edges_are_numbered_and_coloured_by_answer_quality():
    _, _, edges, _ = parse_dot(dialogue_map.to_dot(load_example()))
    by_pair = {(s, t): a for s, t, a in edges}
    assert by_pair[("opening", "reason")]["label"] == "1" and by_pair[("opening", "reason")]["color"] == GOOD
    assert by_pair[("opening", "annoyed")]["label"] == "2" and by_pair[("opening", "annoyed")]["color"] == POOR
    assert by_pair[("annoyed", "cancelled")]["color"] == FAIR  # no technique, no mistake, no mood change


def test_dot_draws_endings_as_doubleoctagons_and_nodes_as_boxes():
    _, nodes, _, _ = parse_dot(dialogue_map.to_dot(load_example()))
    assert {n for n, a in nodes.items() if a["shape"] == "doubleoctagon"} == {"kept", "cancelled"}
    assert {n for n, a in nodes.items() if a["shape"] == "box"} == {"opening", "reason", "offer", "agreed", "annoyed"}
    assert nodes["kept"]["fillcolor"] == dialogue_map.OUTCOME_COLORS["retained"]


def test_dot_leaves_out_the_turn_limit_ending_when_the_call_cannot_loop():
    scenario = load_example()
    assert TURN_LIMIT_ENDING in scenario.endings and not graph.has_cycle(scenario)
    _, nodes, _, _ = parse_dot(dialogue_map.to_dot(scenario))
    assert TURN_LIMIT_ENDING not in nodes


def test_dot_draws_an_unreachable_node_dashed_and_labelled():
    _, nodes, _, _ = parse_dot(dialogue_map.to_dot(_load(_orphan_text(), frozenset({"GR001"}))))
    assert nodes["orphan"]["style"] == "filled,dashed"
    assert nodes["orphan"]["label"] == "orphan\nClose well (unreachable)"
    assert "dashed" not in nodes["opening"].get("style", "") and "unreachable" not in nodes["opening"]["label"]


def test_dot_escapes_quotes_and_backslashes_in_ids_and_titles():
    text = dialogue_map.to_dot(_nasty())
    name, nodes, edges, other = parse_dot(text)  # every quoted string is well formed
    assert name == 'id "quoted" \\ back'
    assert 'label="Say \\"no\\" \\\\ <b>stop</b>"; labelloc=t;' in other
    assert NASTY_NODE in nodes and NASTY_ENDING in nodes
    assert nodes["opening"]["tooltip"] == f'{SCRIPT} "Hi" & bye'
    assert ("opening", NASTY_NODE) in {(s, t) for s, t, _ in edges}


# -- Mermaid -----------------------------------------------------------------------------------
def _mermaid_labels(text: str) -> list[str]:
    return re.findall(r'^  n\d+(?:\["(.*)"\]|\(\("(.*)"\)\)):::', text, re.M)


def test_mermaid_starts_with_a_left_to_right_flowchart():
    assert dialogue_map.to_mermaid(load_example()).split("\n")[0] == "flowchart LR"


@pytest.mark.parametrize("which", ["doc-example", "mobile"])
def test_mermaid_has_one_link_style_per_edge(which):
    scenario = load_example() if which == "doc-example" else load_shipped(MOBILE)
    source = doc_example_text() if which == "doc-example" else MOBILE.read_text("utf-8")
    text = dialogue_map.to_mermaid(scenario)
    links = re.findall(r"^  n\d+ -->\|\d+\| n\d+$", text, re.M)
    styles = re.findall(r"^  linkStyle (\d+) stroke:(#[0-9a-f]{6}),stroke-width:2px$", text, re.M)
    assert len(links) == len(styles) == _yaml_edges(source)
    assert [int(i) for i, _ in styles] == list(range(len(links)))
    assert {c for _, c in styles} <= {GOOD, FAIR, POOR}


def test_mermaid_declares_every_node_and_ending():
    text = dialogue_map.to_mermaid(load_example())
    labels = [a or b for a, b in _mermaid_labels(text)]
    assert [label.split("<br/>")[0] for label in labels] == [
        "opening", "reason", "offer", "agreed", "annoyed", "kept", "cancelled"]


def test_mermaid_labels_escape_markup_and_quotes_from_content():
    text = dialogue_map.to_mermaid(_nasty())
    labels = [a or b for a, b in _mermaid_labels(text)]
    assert len(labels) == 7
    for label in labels:
        content = label.replace("<br/>", "")
        assert '"' not in content and "<" not in content and ">" not in content, label
    assert "an&lt;script&gt;&quot;x&quot;\\y" in text and "k&quot;&lt;b&gt;&amp;" in text
    assert "<script>" not in text


# -- HTML --------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["doc-example", "mobile", "nasty"])
def test_html_is_self_contained(which):
    scenario = {"doc-example": load_example, "mobile": lambda: load_shipped(MOBILE), "nasty": _nasty}[which]()
    text = dialogue_map.to_html(scenario)
    assert set(re.findall(r"https?://[^\s\"'<>)]*", text)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"<\s*(script|link|iframe|object|img)\b", text, re.I)
    assert not re.search(r"\bsrc\s*=", text, re.I) and "@import" not in text
    assert text.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("which", ["doc-example", "mobile", "nasty"])
def test_html_parses_with_every_tag_closed(which):
    scenario = {"doc-example": load_example, "mobile": lambda: load_shipped(MOBILE), "nasty": _nasty}[which]()
    page = Page(dialogue_map.to_html(scenario, "zh" if which == "mobile" else "en"))
    assert page.problems == []
    assert [t for t, _ in page.tags if t == "svg"] == ["svg"]


@pytest.mark.parametrize("which", ["doc-example", "mobile"])
def test_html_draws_one_group_per_node_and_one_per_node_and_ending_it_leads_to(which):
    scenario = load_example() if which == "doc-example" else load_shipped(MOBILE)
    raw = yaml.safe_load(doc_example_text() if which == "doc-example" else MOBILE.read_text("utf-8"))
    to_endings = {(s, t) for s, t, _, _ in dialogue_map.edges(scenario, load_catalog()) if t in raw["endings"]}
    groups = Page(dialogue_map.to_html(scenario)).classes("g")
    assert sum(c[:1] == ["node"] for c in groups) == len(raw["nodes"])
    assert sum(c == ["ending"] for c in groups) == len(to_endings)


def test_html_lists_unreachable_nodes_in_the_warning():
    page = Page(dialogue_map.to_html(_load(_orphan_text(), frozenset({"GR001"}))))
    assert "".join(page.data["p.warn"]) == "Unreachable: orphan"
    assert ["node", "unreachable"] in page.classes("g")


def test_html_has_no_warning_when_everything_is_reachable():
    assert "p.warn" not in Page(dialogue_map.to_html(load_example())).data


def test_html_in_chinese_shows_the_chinese_texts():
    zh = dialogue_map.to_html(load_example(), "zh")
    en = dialogue_map.to_html(load_example(), "en")
    assert '<html lang="zh">' in zh and "学生用户要销号" in zh and "建立信任" in zh and "我没问优惠" in zh
    assert "学生用户要销号" not in en and "建立信任" not in en


def test_html_escapes_author_markup_in_customer_lines():
    text = dialogue_map.to_html(_nasty())
    page = Page(text)
    assert page.problems == []
    assert "script" not in {t for t, _ in page.tags}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    titles = "".join(page.data["title"])
    assert f'opening: {SCRIPT} "Hi" & bye' in titles  # read back as text, never as a tag


def test_html_escapes_markup_in_ids_and_titles():
    page = Page(dialogue_map.to_html(_nasty()))
    assert page.problems == []
    assert "b" not in {t for t, _ in page.tags}
    assert 'Say "no" \\ <b>stop</b>' in "".join(page.data["h1"])
    assert NASTY_NODE in "".join(page.data["text"])


# -- layout ---------------------------------------------------------------------------------------
LARGEST = ROOT / "simulator" / "library" / "rival-cheaper-plan-business-owner.yaml"
ENGINES = [pytest.param("dot", marks=pytest.mark.skipif(shutil.which("dot") is None,
                                                           reason="Graphviz's dot is not installed")), "grandalf"]


def _boxes(placed, sizes):
    return {n: (x - sizes[n][0] / 2, y - sizes[n][1] / 2, x + sizes[n][0] / 2, y + sizes[n][1] / 2)
            for n, (x, y) in placed.centres.items()}


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", [MOBILE, LARGEST], ids=["mobile", "largest"])
def test_layout_never_overlaps_two_boxes(engine, path):
    placed, sizes, _ = dialogue_map.layout(load_shipped(path), engine=engine)
    boxes = list(_boxes(placed, sizes).values())
    assert placed.engine == engine
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if _overlap(a, b)]


@pytest.mark.parametrize("engine", ENGINES)
def test_layout_keeps_every_box_inside_the_drawing(engine):
    placed, sizes, _ = dialogue_map.layout(load_shipped(LARGEST), engine=engine)
    for x0, y0, x1, y1 in _boxes(placed, sizes).values():
        assert 0 <= x0 and 0 <= y0 and x1 <= placed.width and y1 <= placed.height


@pytest.mark.parametrize("engine", ENGINES)
def test_layout_puts_the_first_node_in_the_top_row(engine):
    scenario = load_shipped(LARGEST)
    placed, _, _ = dialogue_map.layout(scenario, engine=engine)
    assert placed.centres[scenario.start][1] == min(y for _, y in placed.centres.values())


@pytest.mark.parametrize("engine", ENGINES)
def test_every_arrow_runs_from_its_source_box_to_its_target_box(engine):
    placed, sizes, arrows = dialogue_map.layout(load_shipped(LARGEST), engine=engine)
    boxes = _boxes(placed, sizes)

    def near(point, box, slack=4):
        x, y = point
        return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack

    for arrow, path in zip(arrows, placed.paths, strict=True):
        assert near(path[0], boxes[arrow.source]) and near(path[-1], boxes[arrow.target]), arrow


def test_layout_draws_each_ending_under_every_node_that_leads_to_it():
    scenario = load_shipped(LARGEST)
    placed, _sizes, arrows = dialogue_map.layout(scenario)
    copies = [a for a in arrows if dialogue_map.ending_of(a.target)]
    assert copies and all(placed.centres[a.target][1] > placed.centres[a.source][1] for a in copies)
    assert len({a.target for a in copies}) == len(copies)  # one copy per node and ending


def test_layout_gives_one_arrow_per_source_and_target_with_every_response_number():
    scenario = load_example()
    _, _, arrows = dialogue_map.layout(scenario)
    numbers = sorted((a.source, n) for a in arrows for n, _ in a.numbers)
    expected = sorted((s, n) for s, _, n, _ in dialogue_map.edges(scenario, load_catalog()))
    assert numbers == expected and len({(a.source, a.target) for a in arrows}) == len(arrows)


def test_layout_falls_back_to_grandalf_without_dot(monkeypatch):
    monkeypatch.setattr(map_layout.shutil, "which", lambda name: None)
    assert dialogue_map.layout(load_example())[0].engine == "grandalf"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_the_largest_map_fits_a_laptop_screen_at_actual_size_with_dot():
    placed, _, _ = dialogue_map.layout(load_shipped(LARGEST), engine="dot")
    assert placed.width <= 1600


@pytest.mark.parametrize("engine", ENGINES)
def test_layout_places_an_unreachable_node_beside_the_map(engine):
    scenario = _load(_orphan_text(), frozenset({"GR001"}))
    placed, sizes, _ = dialogue_map.layout(scenario, engine=engine)
    boxes = _boxes(placed, sizes)
    assert not [n for n in boxes if n != "orphan" and _overlap(boxes[n], boxes["orphan"])]


# -- in a real browser -------------------------------------------------------------------------------
def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed, so the map cannot be rendered")
def test_html_map_renders_in_headless_chromium(tmp_path):
    page = tmp_path / "map.html"
    shot = tmp_path / "map.png"
    page.write_text(dialogue_map.to_html(load_shipped(MOBILE), "zh"), "utf-8")
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1600,1000", f"--screenshot={shot}",
         f"file://{page}"],
        capture_output=True, timeout=90, stdin=subprocess.DEVNULL)
    assert shot.exists(), done.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert _png_size(data) == (1600, 1000)
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes
