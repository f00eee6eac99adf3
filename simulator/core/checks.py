"""Graph and reference checks on a built scenario (the loader has checked the shape)."""

from __future__ import annotations

import difflib

from . import graph
from .diagnostics import Diagnostic, make
from .model import GOOD_OUTCOMES, TURN_LIMIT_ENDING, Scenario


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def check(scenario: Scenario) -> list[Diagnostic]:
    """References, reachability, dead ends, unreached endings, a winnable path."""
    out: list[Diagnostic] = []
    path = scenario.path
    ids = set(scenario.nodes) | set(scenario.endings)

    def err(code: str, pos: tuple[int, int], **fields: object) -> None:
        out.append(make(code, path, pos[0], pos[1], **fields))

    broken_refs = False
    for node in scenario.nodes.values():
        for response in node.responses:
            for r in (response, *response.by_personality.values()):
                for branch in r.next:
                    if branch.goto not in ids:
                        err("RF001", branch.pos, target=branch.goto, suggestion=_suggest(branch.goto, ids))
                        broken_refs = True
        if all(r.when is not None for r in node.responses):
            err("GR006", node.pos, value=node.id)
    for p in scenario.playthroughs:
        if p.ending not in scenario.endings:
            err("RF008", p.pos, name=p.name, what="ending", value=p.ending,
                suggestion=_suggest(p.ending, scenario.endings))
    if scenario.start not in scenario.nodes:
        start_pos = min((n.pos for n in scenario.nodes.values()), default=(1, 1))
        err("GR005", start_pos, value=scenario.start, suggestion=_suggest(scenario.start, scenario.nodes))
        return out
    if broken_refs:
        return out  # reachability over a broken map would only repeat the same errors

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
