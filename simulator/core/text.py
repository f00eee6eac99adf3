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


# -- text that reaches a terminal or a Markdown file ------------------------------------------
# C0 controls but tab and line feed, DEL, the C1 controls, and the bidirectional embeddings,
# overrides and isolates: a terminal obeys them (ESC sequences move the cursor or recolour the
# screen, BEL rings, CR overwrites the line) and bidi overrides reorder what the reader sees.
# The left-to-right and right-to-left marks (U+200E, U+200F) only steer neutral characters and stay.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown_as(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL, ␍ for CR
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: str) -> str:
    """``text`` with every control character a terminal or Markdown would obey made visible and inert.

    C0 controls (but tab and line feed) become their Control Pictures symbol (ESC → ␛, CR → ␍),
    DEL becomes ␡, and C1 controls and bidirectional overrides, embeddings and isolates become
    U+FFFD. Everything else, Chinese and emoji included, is unchanged.
    """
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: _shown_as(m.group(0)), text)


def first_control(text: str) -> str | None:
    """The first character of ``text`` that :func:`printable` would neutralise, or None."""
    found = _CONTROLS.search(text)
    return found.group(0) if found else None


def choice_number(raw: str) -> int | None:
    """The number a person typed, or None when it is not one.

    Full-width digits from a Chinese input method (１２) count as the digits they look like;
    superscripts, fractions and other scripts' digits (², ½, ٣) are not numbers here, although
    ``str.isdigit`` says they are and ``int`` fails on some of them.
    """
    text = raw.strip().translate(_FULL_WIDTH_DIGITS)
    if not text or len(text) > 9 or not all("0" <= c <= "9" for c in text):
        return None
    return int(text)


_FULL_WIDTH_DIGITS = {0xFF10 + d: str(d) for d in range(10)}
