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
        # is one "or". Nodes are numbered and held in lists: a 10,000-node scenario is settled
        # in a blink.
        bit: dict[tuple[str, str], int] = {}  # ("t", technique) / ("e", ending): never mixed up

        def mark(item: tuple[str, str]) -> int:
            found = bit.get(item)
            if found is None:
                found = bit[item] = 1 << len(bit)
            return found

        limit_bit = mark(("e", scenario.turn_limit_ending))
        endings = {e: mark(("e", e)) for e in scenario.endings}  # ending -> its bit
        ids = list(scenario.nodes)
        number = {nid: i for i, nid in enumerate(ids)}
        marks: list[int] = []
        rise: list[int] = []
        out: list[list[int]] = []  # node -> next nodes
        ups: list[list[int]] = []  # node -> mood rise on the way to each
        technique_bits: dict[tuple[str, ...], int] = {}  # an answer's techniques -> their bits
        for node in scenario.nodes.values():
            mine, most = limit_bit, 0
            targets: list[int] = []
            rises: list[int] = []
            for r in node.responses:
                resolved = r.for_personality(personality) if r.by_personality else r
                bits = technique_bits.get(resolved.techniques)
                if bits is None:
                    bits = 0
                    for t in resolved.techniques:
                        bits |= mark(("t", t))
                    technique_bits[resolved.techniques] = bits
                mine |= bits
                up = resolved.mood
                up = 0 if up < 0 else 100 if up > 100 else up
                for b in resolved.next:
                    ending = endings.get(b.goto)
                    if ending is not None:
                        mine |= ending
                        if up > most:
                            most = up
                    else:
                        targets.append(number[b.goto])
                        rises.append(up)
            marks.append(mine)
            rise.append(most)
            out.append(targets)
            ups.append(rises)
        # Strongly connected groups, sinks first (Tarjan), so each group is settled once.
        for group in _groups(len(ids), out):
            joined, best, loops_up = 0, 0, False
            members = set(group) if len(group) > 1 else None
            for i in group:
                joined |= marks[i]
                if rise[i] > best:
                    best = rise[i]
                for target, up in zip(out[i], ups[i], strict=True):
                    if target == i or (members is not None and target in members):
                        loops_up = loops_up or up > 0
                    else:
                        joined |= marks[target]
                        if up + rise[target] > best:
                            best = up + rise[target]
            best = 100 if loops_up else min(100, best)  # a rise inside a loop can repeat up to the top
            for i in group:
                marks[i], rise[i] = joined, best
        self.rise = dict(zip(ids, rise, strict=True))
        # Many nodes can meet the same things: each distinct set is one frozenset, shared.
        items = sorted(bit.items(), key=lambda kv: kv[1])
        sets: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self.techniques: dict[str, frozenset[str]] = {}
        self.endings: dict[str, frozenset[str]] = {}
        for nid, mask in zip(ids, marks, strict=True):
            pair = sets.get(mask)
            if pair is None:
                met = [item for item, b in items if mask & b]
                pair = sets[mask] = (frozenset(x for kind, x in met if kind == "t"),
                                     frozenset(x for kind, x in met if kind == "e"))
            self.techniques[nid], self.endings[nid] = pair


def _groups(count: int, out: list[list[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components of nodes 0..count-1, iteratively, in reverse
    topological order."""
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    groups: list[list[int]] = []
    seen = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = seen
                seen += 1
                stack.append(node)
                on_stack[node] = True
            edges = out[node]
            while i < len(edges):
                child = edges[i]
                i += 1
                if index[child] < 0:
                    work.append((node, i))
                    work.append((child, 0))
                    break
                if on_stack[child] and index[child] < low[node]:
                    low[node] = index[child]
            else:
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        group.append(member)
                        if member == node:
                            break
                    groups.append(group)
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
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
