"""Texts in one or several languages, and the safe fill of persona fields."""

from __future__ import annotations

import re
from collections.abc import Mapping

LANGUAGES = ("en", "zh")

# A text is a mapping language -> string. A plain string in YAML is stored under "*",
# which any language may read.
Text = Mapping[str, str]

_FIELD = re.compile(r"\{(name|plan|monthly_spend|currency|tenure_months)\}")


def pick(text: Text | None, lang: str) -> str:
    """Return ``text`` in ``lang``, falling back to a single-language text or English."""
    if not text:
        return ""
    value = text.get(lang)
    if value is None:
        value = text.get("*")
    if value is None:
        value = text.get("en")
    if value is None:
        value = next(iter(text.values()))
    return value


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace the whitelisted persona ``{fields}`` in ``template``; nothing else is interpreted.

    Author text is data, never a template: ``{{ x }}``, ``{other}`` or markup stay literal.
    """
    if "{" not in template:
        return template
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)
