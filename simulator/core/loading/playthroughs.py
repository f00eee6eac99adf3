"""Expected playthroughs as written in a scenario (``simulator.core.playthroughs`` plays them)."""

from __future__ import annotations

from ..model import TURN_LIMIT_ENDING, Playthrough
from .fields import PLAYTHROUGH
from .reader import Reader, kind_of, suggest


def _choices_ok(choices: object) -> bool:
    return isinstance(choices, list) and bool(choices) and all(
        isinstance(c, int) and not isinstance(c, bool) and c >= 1 for c in choices)


def _score(s: object) -> tuple[float, float] | None:
    if (isinstance(s, list) and len(s) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x <= 100 for x in s)
            and s[0] <= s[1]):
        return float(s[0]), float(s[1])
    return None


def read_playthroughs(rd: Reader, data: dict) -> tuple[Playthrough, ...]:
    """The scenario's ``playthroughs``; one with an error is left out (and reported)."""
    items = rd.listing(data, "playthroughs")
    variants = data.get("variants")
    variant_ids = {v.get("id") for v in variants if isinstance(v, dict) and isinstance(v.get("id"), str)} \
        if isinstance(variants, list) else set()
    result: list[Playthrough] = []
    for i in range(len(items or ())):
        p = rd.mapping(items, i, f"playthroughs[{i + 1}]")
        if p is None:
            continue
        rd.fields(p, PLAYTHROUGH, f"playthrough {i + 1}")
        name = p.get("name")
        if not isinstance(name, str) or not name.strip():
            if "name" in p:
                rd.err("SC003", rd.marks.of_value(p, "name"), field="name", expected="text", actual=kind_of(name))
            continue
        choices = p.get("choices")
        if not _choices_ok(choices):
            if "choices" in p:
                rd.err("SC003", rd.marks.of_value(p, "choices"), field="choices",
                       expected="a list of response numbers (1, 2, …)",
                       actual=kind_of(choices))
            continue
        ending = p.get("ending") if p.get("ending") == TURN_LIMIT_ENDING else (
            rd.ident(p, "ending") if "ending" in p else None)
        score = None
        if rd.given(p, PLAYTHROUGH["score"]):
            score = _score(p["score"])
            if score is None:
                rd.err("SC003", rd.marks.of_value(p, "score"), field="score",
                       expected="[low, high] with 0 ≤ low ≤ high ≤ 100", actual=str(p["score"]))
                continue
        lang = p.get("lang")
        if lang is not None and lang not in rd.languages:
            rd.err("RF008", rd.marks.of_value(p, "lang"), name=name, what="language", value=lang,
                   suggestion=suggest(lang, rd.languages))
            continue
        variant = p.get("variant")
        if variant is not None and not (isinstance(variant, str) and variant in variant_ids):
            rd.err("RF008", rd.marks.of_value(p, "variant"), name=name, what="variant", value=variant)
            continue
        if ending is None:
            continue
        result.append(Playthrough(name, tuple(choices), ending, score, lang, variant, rd.marks.of(p)))
    return tuple(result)
