"""The customer: the persona and its variants (the same call with another kind of customer)."""

from __future__ import annotations

import re

from ..model import Persona, Variant
from .fields import CURRENCY, PERSONA, VARIANT
from .reader import Reader

# Read with their kind's reader; `currency` has its own message, the optional ones come after.
_PLAIN = tuple(f for f in PERSONA.fields if f.required)
_VARIANT_OVERRIDES = tuple(f for f in VARIANT.fields if not f.required)
_CURRENCY = re.compile(CURRENCY)


def read_persona(rd: Reader, data: dict) -> Persona | None:
    """The scenario's ``persona``; None (and the scenario broken) when it cannot be built."""
    p = rd.mapping(data, "persona", "persona")
    if p is None:
        rd.broken = True
        return None
    rd.fields(p, PERSONA, "persona")
    values = {f.name: rd.value(p, f) for f in _PLAIN}
    values["currency"] = PERSONA["currency"].default
    if "currency" in p:
        cur = p["currency"]
        if isinstance(cur, str) and _CURRENCY.match(cur):
            values["currency"] = cur
        else:
            rd.err("SC004", rd.marks.of_value(p, "currency"), value=cur, field="currency",
                   choices=f"a {PERSONA['currency'].kind.words()}", suggestion="")
            values["currency"] = None
    if any(v is None for v in values.values()):
        rd.broken = True
        return None
    return Persona(**values, churn_risk=rd.value(p, PERSONA["churn_risk"]),
                   background=rd.value(p, PERSONA["background"]))


def read_variants(rd: Reader, data: dict) -> dict[str, Variant]:
    """The scenario's ``variants`` by id; a variant with an error is left out (and reported)."""
    items = rd.listing(data, "variants")
    result: dict[str, Variant] = {}
    for i in range(len(items or ())):
        v = rd.mapping(items, i, f"variants[{i + 1}]")
        if v is None:
            continue
        rd.fields(v, VARIANT, f"variant {i + 1}")
        vid = rd.value(v, VARIANT["id"])
        personality = rd.value(v, VARIANT["personality"])
        overrides = {f.name: rd.value(v, f) for f in _VARIANT_OVERRIDES if rd.given(v, f)}
        if vid is None or personality is None or None in overrides.values():
            continue
        if vid in result:
            rd.err("RF007", rd.marks.of_value(v, "id"), value=vid)
        result[vid] = Variant(vid, personality, overrides, rd.marks.of(v))
    return result
