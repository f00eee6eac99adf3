"""The top level of a scenario file: its own fields, then each part read by its module, then the model."""

from __future__ import annotations

from ..model import MISTAKES_VARIABLE, TURN_LIMIT_ENDING, Ending, Scenario
from .conditions import read_variables
from .fields import FORMAT_VERSION, SCENARIO
from .nodes import read_endings, read_nodes
from .persona import read_persona, read_variants
from .playthroughs import read_playthroughs
from .reader import LANG_PATTERN, Reader, kind_of, suggest

TURN_LIMIT_DEBRIEF = {
    "en": "The call went round in circles until the customer ran out of patience and hung up "
          "without a decision. Move the call forward: confirm the real reason, propose, then close.",
    "zh": "通话一直在原地打转，客户失去耐心，没有做出决定就挂断了。要推动通话向前："
          "确认真实原因、提出方案，然后圆满收尾。",
}


def read_languages(rd: Reader, data: dict) -> tuple[str, ...]:
    """The scenario's ``languages``, without repeats."""
    value = rd.listing(data, "languages")
    if value is None:
        return ()
    if not value:
        rd.err("SC007", rd.marks.of_value(data, "languages"), field="languages")
    langs: list[str] = []
    for i, lang in enumerate(value):
        if not isinstance(lang, str) or not LANG_PATTERN.match(lang):
            rd.err("SC009", rd.marks.of_value(value, i), value=lang)
        elif lang in langs:
            rd.err("SC011", rd.marks.of_value(value, i), field=lang)
        else:
            langs.append(lang)
    return tuple(langs)


def read_format(rd: Reader, data: dict) -> None:
    """``format`` must be the whole number of the version this simulator reads."""
    if "format" not in data:
        return
    value = data["format"]
    # True == 1 and 1.0 == 1 in Python, so the type is checked before the value.
    if isinstance(value, bool) or not isinstance(value, int):
        rd.err("SC003", rd.marks.of_value(data, "format"), field="format",
               expected=f"the whole number {FORMAT_VERSION}", actual=kind_of(value))
    elif value != FORMAT_VERSION:
        rd.err("SC008", rd.marks.of_value(data, "format"), value=value)


def read_scenario(rd: Reader, data: object, digest: str) -> Scenario | None:
    """The whole scenario; None when a required part could not be built (every problem is reported).

    With ``rd.broken`` the scenario lacks the nodes that could not be built: good enough to check
    the references of the others, not to play (the loader hands it to no one).
    """
    if not isinstance(data, dict):
        rd.err("RS009", (1, 1))
        return None
    rd.fields(data, SCENARIO, "the scenario")
    read_format(rd, data)
    # Languages first: every text is checked against them.
    rd.languages = read_languages(rd, data) if "languages" in data else ()
    sid, title, category, difficulty, situation = (
        rd.value(data, SCENARIO[name]) for name in ("id", "title", "category", "difficulty", "situation"))
    objectives = rd.text_list(data, "objectives") if "objectives" in data else ()
    tags = rd.id_list(data, "tags") if "tags" in data else ()
    shuffle, max_turns, budget = (rd.value(data, SCENARIO[name])
                                  for name in ("shuffle", "max_turns", "save_budget_months"))
    persona = read_persona(rd, data) if "persona" in data else None
    variants = read_variants(rd, data) if "variants" in data else {}
    read_variables(rd, data)
    # The built-in mistake counter lives in the last slot, so conditions read it like any variable.
    rd.mistakes_slot = len(rd.variables)
    rd.slots[MISTAKES_VARIABLE] = rd.mistakes_slot
    rd.variables[MISTAKES_VARIABLE] = 0
    start = rd.value(data, SCENARIO["start"])
    endings = read_endings(rd, data) if "endings" in data else {}
    nodes = read_nodes(rd, data) if "nodes" in data else {}
    limit_ending = TURN_LIMIT_ENDING
    if rd.given(data, SCENARIO["turn_limit_ending"]):
        limit_ending = rd.ident(data, "turn_limit_ending") or TURN_LIMIT_ENDING
        if limit_ending not in endings and endings:
            rd.err("RF010", rd.marks.of_value(data, "turn_limit_ending"), value=limit_ending,
                   suggestion=suggest(limit_ending, endings))
    if limit_ending == TURN_LIMIT_ENDING:
        endings[TURN_LIMIT_ENDING] = Ending(TURN_LIMIT_ENDING, "churned", TURN_LIMIT_DEBRIEF,
                                            None, "annoyed", None, (0, 0))
    playthroughs = read_playthroughs(rd, data) if "playthroughs" in data else ()
    if None in (sid, title, category, difficulty, situation, persona, start, shuffle, max_turns, budget):
        return None
    if not nodes:
        return None
    for nid in nodes:
        if nid in endings:
            rd.err("RF005", rd.marks.of_key(data["nodes"], nid), value=nid)
    return Scenario(
        path=rd.path, digest=digest, id=sid, title=title, languages=rd.languages,
        category=category, difficulty=difficulty, situation=situation, objectives=objectives,
        tags=tags, shuffle=shuffle, max_turns=int(max_turns), turn_limit_ending=limit_ending,
        save_budget_months=float(budget), persona=persona, variants=variants,
        variables=tuple(rd.variables), initial_values=tuple(rd.variables.values()),
        start=start, nodes=nodes, endings=endings, playthroughs=playthroughs,
        guarded=frozenset(nid for nid, node in nodes.items() if all(r.when is not None for r in node.responses)),
        technique_steps=frozenset(
            rd.catalog.techniques[t].step
            for node in nodes.values() for r in node.responses
            for variant in (r, *r.by_personality.values()) for t in variant.techniques
        ),
    )
