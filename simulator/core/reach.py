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
        # What a node could meet is a bit set (an int), one bit per technique or ending: a union
        # is one "or", so a 10,000-node scenario is settled in a blink.
        bit: dict[tuple[str, str], int] = {}  # ("t", technique) / ("e", ending): never mixed up

        def mark(item: tuple[str, str]) -> int:
            found = bit.get(item)
            if found is None:
                found = bit[item] = 1 << len(bit)
            return found

        limit_bit = mark(("e", scenario.turn_limit_ending))
        endings = {e: mark(("e", e)) for e in scenario.endings}  # ending -> its bit
        marks: dict[str, int] = {}
        out: dict[str, list[tuple[str, int]]] = {}  # node -> (next node, mood rise on the way)
        rise = dict.fromkeys(scenario.nodes, 0)
        technique_bits: dict[tuple[str, ...], int] = {}  # an answer's techniques -> their bits
        for nid, node in scenario.nodes.items():
            mine = limit_bit
            edges = out[nid] = []
            for r in node.responses:
                resolved = r.for_personality(personality) if r.by_personality else r
                bits = technique_bits.get(resolved.techniques)
                if bits is None:
                    bits = 0
                    for t in resolved.techniques:
                        bits |= mark(("t", t))
                    technique_bits[resolved.techniques] = bits
                mine |= bits
                up = min(100, max(0, resolved.mood))
                for b in resolved.next:
                    ending = endings.get(b.goto)
                    if ending is not None:
                        mine |= ending
                        if up > rise[nid]:
                            rise[nid] = up
                    else:
                        edges.append((b.goto, up))
            marks[nid] = mine
        # Strongly connected groups, sinks first (Tarjan), so each group is settled once.
        for group in _groups(scenario.nodes, out):
            joined, best, loops_up = 0, 0, False
            members = set(group) if len(group) > 1 else None
            for nid in group:
                joined |= marks[nid]
                best = max(best, rise[nid])
                for target, up in out[nid]:
                    if target == nid or (members is not None and target in members):
                        loops_up = loops_up or up > 0
                    else:
                        joined |= marks[target]
                        if up + rise[target] > best:
                            best = up + rise[target]
            best = 100 if loops_up else min(100, best)  # a rise inside a loop can repeat up to the top
            for nid in group:
                marks[nid], rise[nid] = joined, best
        self.rise = rise
        # Many nodes can meet the same things: each distinct set is one frozenset, shared.
        items = sorted(bit.items(), key=lambda kv: kv[1])
        sets: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self.techniques: dict[str, frozenset[str]] = {}
        self.endings: dict[str, frozenset[str]] = {}
        for nid, mask in marks.items():
            pair = sets.get(mask)
            if pair is None:
                met = [item for item, b in items if mask & b]
                pair = sets[mask] = (frozenset(x for kind, x in met if kind == "t"),
                                     frozenset(x for kind, x in met if kind == "e"))
            self.techniques[nid], self.endings[nid] = pair


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
