"""The dialogue map as a static graph: who can lead where, ignoring conditions."""

from __future__ import annotations

from collections import deque

from .model import Response, Scenario


def response_targets(response: Response) -> list[str]:
    """Every id a response may lead to, over all personalities and branches."""
    targets = [b.goto for b in response.next]
    for variant in response.by_personality.values():
        targets.extend(b.goto for b in variant.next)
    return targets


def edges(scenario: Scenario) -> dict[str, set[str]]:
    """Node id → the node and ending ids it can lead to."""
    return {
        nid: {t for r in node.responses for t in response_targets(r)}
        for nid, node in scenario.nodes.items()
    }


def reachable(scenario: Scenario, graph: dict[str, set[str]] | None = None) -> set[str]:
    """Ids (nodes and endings) reachable from the start."""
    graph = graph if graph is not None else edges(scenario)
    seen = {scenario.start}
    queue = deque([scenario.start])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def can_end(scenario: Scenario, graph: dict[str, set[str]] | None = None) -> set[str]:
    """Node ids from which some path reaches an ending."""
    return leading_to(scenario, set(scenario.endings), graph)


def leading_to(scenario: Scenario, goals: set[str] | frozenset[str],
               graph: dict[str, set[str]] | None = None) -> set[str]:
    """Node ids from which some path reaches one of ``goals`` (nodes or endings), goals included."""
    graph = graph if graph is not None else edges(scenario)
    incoming: dict[str, list[str]] = {}
    for source, targets in graph.items():
        for t in targets:
            incoming.setdefault(t, []).append(source)
    seen: set[str] = {g for g in goals if g in scenario.nodes}
    queue = deque(goals)
    while queue:
        for source in incoming.get(queue.popleft(), ()):
            if source not in seen:
                seen.add(source)
                queue.append(source)
    return seen


def has_cycle(scenario: Scenario, graph: dict[str, set[str]] | None = None) -> bool:
    """True when some node can lead back to itself (the call can loop)."""
    graph = graph if graph is not None else edges(scenario)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in graph:
        if root in state:
            continue
        stack = [(root, iter(graph.get(root, ())))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in graph:
                    continue
                if state.get(child) == 1:
                    return True
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(graph.get(child, ()))))
                    break
            else:
                state[node] = 2
                stack.pop()
    return False
