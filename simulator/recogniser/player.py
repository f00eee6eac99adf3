"""What a player does with a typed answer: recognise it, match it to the responses offered, say what was heard.

Shared by the terminal and (when it adopts free answers) the window, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.catalog import load_catalog
from ..core.engine import Engine, State
from ..core.freetext import Understanding, understand
from .model import shipped

HEARD = {"en": "I heard: {ids}", "zh": "我听到：{ids}"}
NOTHING = {"en": "I heard no technique or mistake the course names.", "zh": "没有听出课程里讲到的技巧或失误。"}
ASK = {"en": "Did you mean one of these? Type its number, or say it another way.",
       "zh": "您是想说下面哪一句？请输入序号，或换个说法再说一遍。"}


@dataclass(frozen=True, slots=True)
class Heard:
    """A typed answer understood: the option to play (display position, 0-based) or None to ask."""

    option: int | None
    lines: tuple[str, ...]  # what to tell the trainee, in the call's language
    understanding: Understanding


def listen(engine: Engine, state: State, typed: str) -> Heard:
    """Recognise ``typed`` at the current node with the shipped model; raises ModelError without one."""
    lang = state.language
    model = shipped(lang)
    confidences = model.confidences(typed)
    understood = understand(engine, state, typed, confidences, model.heard(confidences), load_catalog(),
                            model.idf_map, model.spec)
    lines = [HEARD[lang].format(ids=understood.line) if understood.line else NOTHING[lang]]
    option = None
    if understood.match.response is None:
        lines.append(ASK[lang])
    else:
        option = engine.options(state).index(understood.match.response)
    return Heard(option, tuple(lines), understood)
