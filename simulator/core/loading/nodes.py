"""The dialogue: nodes (what the customer says), their responses (what the trainee can say), endings."""

from __future__ import annotations

from ..model import PERSONALITIES, Branch, Ending, Node, Offer, Response
from .conditions import count_mistakes, read_condition, read_effects
from .fields import BRANCH, ENDING, NODE, OFFER, OVERRIDE, RESPONSE
from .reader import ID_PATTERN, Reader, kind_of, suggest


def read_endings(rd: Reader, data: dict) -> dict[str, Ending]:
    """The scenario's ``endings`` by id; an ending with an error is left out (and reported)."""
    raw = rd.mapping(data, "endings", "endings")
    result: dict[str, Ending] = {}
    if raw is not None and not raw:
        rd.err("SC007", rd.marks.of_value(data, "endings"), field="endings")
    rd.declared.update(raw or ())
    for eid in raw or {}:
        if not ID_PATTERN.match(eid):
            rd.err("SC005", rd.marks.of_key(raw, eid), value=eid)
            continue
        e = rd.mapping(raw, eid, f"ending {eid}")
        if e is None:
            continue
        rd.fields(e, ENDING, f"ending '{eid}'")
        outcome, customer, emotion, debrief, points = (rd.value(e, f) for f in ENDING.fields)
        if outcome and debrief:
            result[eid] = Ending(eid, outcome, debrief, customer, emotion, points, rd.marks.of_key(raw, eid))
    return result


def read_nodes(rd: Reader, data: dict) -> dict[str, Node]:
    """The scenario's ``nodes`` by id; any node with an error marks the scenario broken."""
    raw = rd.mapping(data, "nodes", "nodes")
    result: dict[str, Node] = {}
    if raw is None:
        rd.broken = True
        return result
    if not raw:
        rd.err("SC007", rd.marks.of_value(data, "nodes"), field="nodes")
    rd.declared.update(raw)
    for nid in raw:
        if not ID_PATTERN.match(nid):
            rd.err("SC005", rd.marks.of_key(raw, nid), value=nid)
            rd.broken = True
            continue
        n = rd.mapping(raw, nid, f"node {nid}")
        if n is None:
            rd.broken = True
            continue
        rd.fields(n, NODE, f"node '{nid}'")
        step, customer, emotion = (rd.value(n, NODE[name]) for name in ("step", "customer", "emotion"))
        responses: list[Response] = []
        items = rd.listing(n, "responses") if "responses" in n else None
        if items is not None and not items:
            rd.err("SC007", rd.marks.of_value(n, "responses"), field="responses")
        for i in range(len(items or ())):
            r = read_response(rd, items, i)
            if r is not None:
                responses.append(r)
        if step is None or customer is None or emotion is None or not responses \
                or len(responses) != len(items or ()):
            rd.broken = True
            continue
        result[nid] = Node(nid, step, customer, emotion, tuple(responses), rd.marks.of_key(raw, nid))
    return result


def read_response(rd: Reader, items: list, i: int) -> Response | None:
    """Response ``i`` of a node, with its overrides by personality; None (reported) when wrong."""
    r = rd.mapping(items, i, f"responses[{i + 1}]")
    if r is None:
        return None
    rd.fields(r, RESPONSE, f"response {i + 1}")
    text = rd.value(r, RESPONSE["text"])
    feedback = rd.value(r, RESPONSE["feedback"])
    nxt = read_next(rd, r, "next") if "next" in r else None
    techniques = rd.id_list(r, "techniques", rd.catalog.techniques, "RF002") if "techniques" in r else ()
    mistakes = rd.id_list(r, "mistakes", rd.catalog.mistakes, "RF003") if "mistakes" in r else ()
    mood = rd.value(r, RESPONSE["mood"])
    instead = rd.value(r, RESPONSE["instead"])
    if mistakes and "instead" not in r:
        rd.err("SC012", rd.marks.of(r))
    when = read_condition(rd, r, "if") if rd.given(r, RESPONSE["if"]) else None
    sets = read_effects(rd, r, "set") if rd.given(r, RESPONSE["set"]) else ()
    adds = read_effects(rd, r, "add") if rd.given(r, RESPONSE["add"]) else ()
    offer = read_offer(rd, r) if rd.given(r, RESPONSE["offer"]) else None
    if None in (text, feedback, nxt, mood, sets, adds) or (rd.given(r, RESPONSE["if"]) and when is None):
        return None
    response = Response(i, text, techniques, mistakes, int(mood), feedback, instead, nxt, when,
                        sets, count_mistakes(rd, adds, mistakes), offer, rd.marks.of(r))
    if rd.given(r, RESPONSE["by_personality"]):
        overrides = read_overrides(rd, r, response)
        if overrides is None:
            return None
        response.by_personality.update(overrides)
    return response


def read_overrides(rd: Reader, r: dict, base: Response) -> dict[str, Response] | None:
    """``by_personality``: for each personality, ``base`` with that personality's changes applied."""
    raw = rd.mapping(r, "by_personality", "by_personality")
    if raw is None:
        return None
    result: dict[str, Response] = {}
    ok = True
    for personality, o in raw.items():
        if personality not in PERSONALITIES:
            rd.err("SC004", rd.marks.of_key(raw, personality), value=personality, field="personality",
                   choices=", ".join(PERSONALITIES), suggestion=suggest(personality, PERSONALITIES))
            ok = False
            continue
        o = rd.mapping(raw, personality, f"by_personality.{personality}")
        if o is None:
            ok = False
            continue
        rd.fields(o, OVERRIDE, f"by_personality.{personality}")
        changes: dict[str, object] = {f.name: rd.value(o, f) for f in OVERRIDE.fields
                                      if f.name in ("mood", "feedback", "instead") and f.name in o}
        if "next" in o:
            changes["next"] = read_next(rd, o, "next")
        if "techniques" in o:
            changes["techniques"] = rd.id_list(o, "techniques", rd.catalog.techniques, "RF002")
        if "mistakes" in o:
            changes["mistakes"] = rd.id_list(o, "mistakes", rd.catalog.mistakes, "RF003")
            if changes["mistakes"] and not ("instead" in o or base.instead):
                rd.err("SC012", rd.marks.of(o))
        if None in changes.values():
            ok = False
            continue
        fields = {name: getattr(base, name) for name in Response.__slots__ if name != "by_personality"}
        fields.update(changes)
        if "mistakes" in changes:
            own_adds = tuple(a for a in base.add if a[0] != rd.mistakes_slot)
            fields["add"] = count_mistakes(rd, own_adds, changes["mistakes"])
        result[personality] = Response(**fields)
    return result if ok else None


def read_next(rd: Reader, parent: dict, key: str) -> tuple[Branch, ...] | None:
    """``next``: one id, or branches tried in order whose last one always applies."""
    value = parent[key]
    pos = rd.marks.of_value(parent, key)
    if isinstance(value, str):
        return (Branch(None, value, pos),) if rd.ident(parent, key) else None
    if not isinstance(value, list) or not value:
        rd.err("SC003", pos, field=key, expected="a node/ending id or a list of branches", actual=kind_of(value))
        return None
    branches: list[Branch] = []
    for i in range(len(value)):
        b = rd.mapping(value, i, f"next[{i + 1}]")
        if b is None:
            return None
        rd.fields(b, BRANCH, f"branch {i + 1} of 'next'")
        if "goto" not in b or not rd.ident(b, "goto"):
            return None
        when = read_condition(rd, b, "if") if rd.given(b, BRANCH["if"]) else None
        if rd.given(b, BRANCH["if"]) and when is None:
            return None
        last = i == len(value) - 1
        if (when is None) != last:
            rd.err("SC013", rd.marks.of(b))
        branches.append(Branch(when, b["goto"], rd.marks.of_value(b, "goto")))
    return tuple(branches)


def read_offer(rd: Reader, r: dict) -> Offer | None:
    """A response's ``offer``: its total cost and label."""
    o = rd.mapping(r, "offer", "offer")
    if o is None:
        return None
    rd.fields(o, OFFER, "offer")
    cost, label = (rd.value(o, f) for f in OFFER.fields)
    return None if cost is None else Offer(float(cost), label)
