"""Where a line of mixed Chinese and English text may break, and wrapping by those rules.

The rules are the usual CJK ones (kinsoku shori, as in JIS X 4051 and the W3C's Chinese layout
requirements), kept small:

- a line never starts with closing punctuation or a mark that belongs to the text before it
  (``，。、？！：；）」』】》…`` and their ASCII cousins);
- a line never ends with an opening bracket or quotation mark (``（「『【《“‘``);
- a doubled dash or ellipsis (``——``, ``……``) stays together;
- Chinese (and other wide) characters may break between any two of them;
- Latin words break only at spaces, which disappear at the break.

The window wraps by pixels and the terminal by display columns: both pass their own
``measure``; the rules are the same. Pure: no screen, no fonts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Closing punctuation and marks that must not begin a line.
NO_START = frozenset(
    "，。、？！：；）」』】〉》〕〗〙〛］｝”’…‥・〜ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "．，！？：；％"  # fullwidth forms
    "～·‰℃"
    ",.!?:;)]}%"
)
# Opening brackets and quotation marks that must not end a line.
NO_END = frozenset("（「『【〈《〔〖〘〚［｛“‘([{")
# Characters that must not be split from an identical neighbour.
INSEPARABLE = frozenset("—…‥")


def is_wide(ch: str) -> bool:
    """Whether ``ch`` is a wide (East Asian) character: Chinese, kana, fullwidth forms."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def line_break_ok(prev_char: str, next_char: str) -> bool:
    """Whether a line may end after ``prev_char`` when ``next_char`` follows.

    A break at a space is expressed as a break between the space and its neighbour, so
    ``line_break_ok("a", " ")`` and ``line_break_ok(" ", "b")`` are both true.
    """
    if next_char in NO_START or prev_char in NO_END:
        return False
    if prev_char == next_char and prev_char in INSEPARABLE:
        return False
    if prev_char.isspace() or next_char.isspace():
        return True
    return is_wide(prev_char) or is_wide(next_char)


def _cut(text: str, cut_before: Callable[[str, str], bool]) -> list[str]:
    """``text`` in pieces: a new piece starts at a character when ``cut_before(piece so far, char)``."""
    pieces: list[str] = []
    current = ""
    for ch in text:
        if current and cut_before(current, ch):
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces


def _clusters(text: str) -> list[str]:
    """``text`` cut at every allowed break; each space run is a cluster of its own.

    A space before a mark that may not start a line ("30 GB · CNY 260") is no break either: the
    space is dropped at a break, which would leave the mark at the start of the next line.
    """
    clusters: list[str] = []
    for piece in _cut(text, lambda current, ch: line_break_ok(current[-1], ch)):
        bare = piece.lstrip()
        if clusters and not clusters[-1].isspace() and bare != piece and bare[:1] in NO_START:
            clusters[-1] += piece
        else:
            clusters.append(piece)
    return clusters


def _split_long(cluster: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A cluster too long for a line (a long word or URL), cut where it must be."""
    return _cut(cluster, lambda current, ch: measure(current + ch) > width)


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` as lines no wider than ``width`` (as ``measure`` counts), broken by the rules above.

    ``measure(s)`` gives the width of the string ``s`` (pixels, columns: any unit, the same as
    ``width``). Newlines in ``text`` are kept as line ends. Spaces at a break are dropped; a
    single unbreakable run wider than ``width`` is cut by characters rather than overflow.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for cluster in _clusters(paragraph):
            if cluster.isspace():
                if line:
                    line += cluster
                continue
            candidate = line + cluster
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line.rstrip(" "))
            line = cluster.lstrip(" ")  # a space glued to a mark ("( a") does not start a line
            if measure(line) <= width:
                continue
            *full, line = _split_long(line, width, measure)
            lines.extend(full)
        lines.append(line.rstrip(" "))
    return lines
