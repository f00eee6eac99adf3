"""Reading one typed answer at a terminal, where a paste of several lines must stay one answer."""

from __future__ import annotations

import os
import sys
import unicodedata


def read_answer(prompt: str) -> str:
    """``input(prompt)``, but a pasted answer of several lines is one answer, its lines joined by a space.

    A paste reaches a terminal as lines typed at once: ``input`` takes the first, and the rest would
    answer the next turns unread. Lines already waiting the moment the first arrives (a person types
    no second line within 30 ms) are read with it. Only at a terminal where that can be asked (not
    Windows' console): a pipe or a file gives one line per answer, as before.
    """
    line = input(prompt)
    chunks = []
    try:
        import select
        fd = sys.stdin.fileno()
        # the waiting lines are read from the descriptor itself: a buffered readline could take more
        # than it returns and hide the rest from select
        while os.isatty(fd) and select.select([fd], [], [], 0.03)[0]:
            data = os.read(fd, 65536)
            if not data:
                break
            chunks.append(data)
    except (ImportError, OSError, ValueError, AttributeError):  # no select here, or stdin closed or replaced
        pass
    if not chunks:
        return line
    extra = b"".join(chunks).decode(getattr(sys.stdin, "encoding", None) or "utf-8", "replace").splitlines()
    joined = ""
    for part in (p.strip() for p in [line, *extra]):
        if part:
            # Chinese lines join as written, without a space between a full stop and the next sentence
            wide = joined and all(unicodedata.east_asian_width(c) in "WF" for c in (joined[-1], part[0]))
            joined += part if not joined or wide else " " + part
    return joined
