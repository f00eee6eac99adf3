"""What a call could still meet from each node, ignoring conditions: the look-ahead of every search.

Worked out once per scenario and variant over the strongly connected groups of the graph,
so a loop's members share one answer.
"""

from __future__ import annotations

from .model import Scenario


class Reach:
    """Per node, what any call from it could still meet, ignoring conditions: the techniques it
    could still earn, the endings it could reach (the turn limit's ending always counts) and
    the most its mood could still rise (the sum of the rises on the way; clamping at 0 only
    ever lifts a fall, never a rise, so the sum bounds the final mood)."""

    def __init__(self, scenario: Scenario, variant: str | None):
        personality = scenario.persona_for(variant).personality
        marks: dict[str, set[tuple[str, str]]] = {}  # ("t", technique) / ("e", ending): never mixed up
        out: dict[str, list[tuple[str, int]]] = {}  # node -> (next node, mood rise on the way)
        rise = dict.fromkeys(scenario.nodes, 0)
        for nid, node in scenario.nodes.items():
            mine = marks[nid] = {("e", scenario.turn_limit_ending)}
            edges = out[nid] = []
            for r in node.responses:
                resolved = r.for_personality(personality)
                mine.update(("t", t) for t in resolved.techniques)
                up = min(100, max(0, resolved.mood))
                for b in resolved.next:
                    if b.goto in scenario.endings:
                        mine.add(("e", b.goto))
                        rise[nid] = max(rise[nid], up)
                    else:
                        edges.append((b.goto, up))
        # Strongly connected groups, sinks first (Tarjan), so each group is settled once.
        for group in _groups(scenario.nodes, out):
            members = set(group)
            joined: set[tuple[str, str]] = set()
            best, loops_up = 0, False
            for nid in group:
                joined |= marks[nid]
                best = max(best, rise[nid])
                for target, up in out[nid]:
                    if target in members:
                        loops_up = loops_up or up > 0
                    else:
                        joined |= marks[target]
                        best = max(best, up + rise[target])
            best = 100 if loops_up else min(100, best)  # a rise inside a loop can repeat up to the top
            for nid in group:
                marks[nid], rise[nid] = joined, best
        self.rise = rise
        self.techniques = {n: frozenset(x for kind, x in m if kind == "t") for n, m in marks.items()}
        self.endings = {n: frozenset(x for kind, x in m if kind == "e") for n, m in marks.items()}


def _groups(nodes, out: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively, in reverse topological order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = out[node]
            while i < len(edges):
                child = edges[i][0]
                i += 1
                if child not in index:
                    work.append((node, i))
                    work.append((child, 0))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(group)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return groups


_REACH: list[tuple[Scenario, str | None, Reach]] = []


def reach_for(scenario: Scenario, variant: str | None) -> Reach:
    """The :class:`Reach` of this scenario object and variant, worked out once."""
    for held, held_variant, reach in _REACH:
        if held is scenario and held_variant == variant:
            return reach
    made = Reach(scenario, variant)
    _REACH.insert(0, (scenario, variant, made))
    del _REACH[4:]
    return made
