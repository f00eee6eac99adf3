"""Reference and graph checks on a built scenario (the loader has checked the shape)."""

from __future__ import annotations

from collections.abc import Iterable

from . import graph
from .diagnostics import Diagnostic, make
from .loading.reader import suggest
from .model import GOOD_OUTCOMES, TURN_LIMIT_ENDING, Scenario


def check(scenario: Scenario) -> list[Diagnostic]:
    """References, reachability, dead ends, unreached endings, a winnable path."""
    out = references(scenario)
    if any(d.code in ("RF001", "GR005") for d in out):
        return out  # reachability over a broken map would only repeat the same errors
    return out + _graph(scenario)


def references(scenario: Scenario, declared: Iterable[str] = ()) -> list[Diagnostic]:
    """Every ``next``, playthrough ending and the start name something that exists.

    ``declared``: ids written in the file whose node or ending could not be built because of
    their own errors; a reference to one is not reported again. This is what runs when the shape
    has errors, so a broken link shows up in the same pass as, say, an unknown technique.
    """
    out: list[Diagnostic] = []
    ids = set(scenario.nodes) | set(scenario.endings) | set(declared)

    def err(code: str, pos: tuple[int, int], **fields: object) -> None:
        out.append(make(code, scenario.path, pos[0], pos[1], **fields))

    for node in scenario.nodes.values():
        for response in node.responses:
            for r in (response, *response.by_personality.values()):
                for branch in r.next:
                    if branch.goto not in ids:
                        err("RF001", branch.pos, target=branch.goto, suggestion=suggest(branch.goto, ids))
        if all(r.when is not None for r in node.responses):
            err("GR006", node.pos, value=node.id)
    for p in scenario.playthroughs:
        if p.ending not in scenario.endings and p.ending not in declared:
            err("RF008", p.pos, name=p.name, what="ending", value=p.ending,
                suggestion=suggest(p.ending, scenario.endings))
    if scenario.start not in scenario.nodes and scenario.start not in declared:
        start_pos = min((n.pos for n in scenario.nodes.values()), default=(1, 1))
        err("GR005", start_pos, value=scenario.start, suggestion=suggest(scenario.start, scenario.nodes))
    return out


def _graph(scenario: Scenario) -> list[Diagnostic]:
    """Unreachable nodes, dead ends, unreached endings, no way to win (the map's references are sound)."""
    out: list[Diagnostic] = []

    def err(code: str, pos: tuple[int, int], **fields: object) -> None:
        out.append(make(code, scenario.path, pos[0], pos[1], **fields))

    edges = graph.edges(scenario)
    seen = graph.reachable(scenario, edges)
    ending_ok = graph.can_end(scenario, edges)
    for nid, node in scenario.nodes.items():
        if nid not in seen:
            err("GR001", node.pos, value=nid)
        elif nid not in ending_ok:
            err("GR002", node.pos, value=nid)
    for eid, ending in scenario.endings.items():
        if eid not in (TURN_LIMIT_ENDING, scenario.turn_limit_ending) and eid not in seen:
            err("GR003", ending.pos, value=eid)
    if not any(e in seen and scenario.endings[e].outcome in GOOD_OUTCOMES for e in scenario.endings):
        err("GR004", scenario.nodes[scenario.start].pos)
    return out
