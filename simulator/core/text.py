"""Texts in one or several languages, and the safe fill of persona fields."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from .linebreak import NO_END, NO_START, line_break_ok

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


# -- width and line breaking, for the terminal -------------------------------------------------
# The one set of CJK line-breaking rules (simulator.core.linebreak), by the names the terminal uses.
NO_LINE_START, NO_LINE_END = NO_START, NO_END


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns a character takes in a terminal: 2 for East Asian wide and full-width, 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters count two)."""
    return sum(char_width(c) for c in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns (``str.ljust`` counts characters, not columns)."""
    return text + " " * max(0, width - display_width(text))


def wrap(text: str, width: int, first: str = "", rest: str = "", keep: re.Pattern[str] | None = None) -> list[str]:
    """One line of ``text`` wrapped to ``width`` columns, by display width.

    Lines start with ``first`` then ``rest`` (the indent a wrapped line keeps); breaks follow
    :func:`line_break_ok`; spans matched by ``keep`` (commands to copy, say) are never split
    unless one alone is wider than a line (then at a space). Spaces at a break are dropped.
    """
    # The rule looks through spaces: "元 · 成" must not leave "·" at the start of a line.
    before, last = [], ""  # before[i]: the last non-space character before position i
    for c in text:
        before.append(last)
        last = c if not c.isspace() else last
    after, following = [""] * len(text), ""  # after[i]: the first non-space character from position i
    for i in range(len(text) - 1, -1, -1):
        following = text[i] if not text[i].isspace() else following
        after[i] = following
    breaks = [i for i in range(1, len(text)) if line_break_ok(text[i - 1], text[i])
              and before[i] not in NO_LINE_END and after[i] not in NO_LINE_START]
    if keep is not None:
        inside = {i for m in keep.finditer(text) for i in range(m.start() + 1, m.end())}
        breaks = [i for i in breaks if i not in inside]
    chunks = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    lines: list[str] = []
    prefix, body, used = first, "", 0  # used: the columns body takes
    room = width - display_width(prefix)
    for chunk in chunks:
        if not body.strip():
            body, used, chunk = "", 0, chunk.lstrip()
        if body and used + display_width(chunk.rstrip()) > room:
            lines.append(prefix + body.rstrip())
            prefix, body, used, chunk = rest, "", 0, chunk.lstrip()
            room = width - display_width(prefix)
        while not body and display_width(chunk) > room > 0:  # a chunk wider than a line: cut it by columns
            cut, taken = 0, 0
            while cut < len(chunk) and taken + char_width(chunk[cut]) <= room:
                taken += char_width(chunk[cut])
                cut += 1
            space = chunk.rfind(" ", 0, cut + 1)  # a kept span too wide for any line still breaks at a space
            cut = space if space > 0 else max(cut, 1)
            lines.append(prefix + chunk[:cut].rstrip())
            prefix, chunk = rest, chunk[cut:].lstrip()
            room = width - display_width(prefix)
        body += chunk
        used += display_width(chunk)
    lines.append(prefix + body.rstrip())
    return lines
