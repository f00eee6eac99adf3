"""What a player does with a typed answer: recognise it, match it to the responses offered, say what was heard.

Shared by the terminal and (when it adopts free answers) the window, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.catalog import Catalog, load_catalog
from ..core.engine import Engine, Said, State
from ..core.freetext import TOO_LONG, UNCLEAR, Match, Understanding, understand
from ..core.review import TurnReview
from ..core.scoring_free import ECHO_SIMILARITY, OFF_STEP, OVER_CAP, UNSURE
from .model import shipped

HEARD = {"en": "I heard: {ids}", "zh": "我听到：{ids}"}
NOTHING = {"en": "I heard no technique or mistake the course names.", "zh": "没有听出课程里讲到的技巧或失误。"}
ASK = {"en": "Did you mean one of these? Type its number, or say it another way.",
       "zh": "您是想说下面哪一句？请输入序号，或换个说法再说一遍。"}
TOO_LONG_LINE = {"en": "That is a speech, not one answer: the customer is waiting for one thing said well.",
                 "zh": "这是一大段话，不是一句回答：客户在等您把一件事说清楚。"}
SCORED = {"en": "Scored from your words: {counted}", "zh": "按您的原话计分：{counted}"}
ECHO = {"en": "Your words are the written answer's own: scored as it is written.",
        "zh": "您的原话与书面回答一致：按书面回答计分。"}
COUNTED_NOTHING = {"en": "no technique or mistake", "zh": "没有计入技巧或失误"}
LEFT_OUT = {"en": "Not counted: {items}", "zh": "未计分：{items}"}
WHY = {UNSURE: {"en": "heard, but not sure enough", "zh": "听到了，但把握不够"},
       OFF_STEP: {"en": "not this step of the call", "zh": "不属于通话的这一步"},
       OVER_CAP: {"en": "beyond what one answer here can earn", "zh": "超出此处一句回答可得的技巧数"}}


@dataclass(frozen=True, slots=True)
class Heard:
    """A typed answer understood: the option to play (display position, 0-based) or None to ask."""

    option: int | None
    lines: tuple[str, ...]  # what to tell the trainee, in the call's language
    understanding: Understanding

    @property
    def said(self) -> Said | None:
        """What to record with the turn: ``engine.choose(state, option, elapsed_ms, said=heard.said)``."""
        return self.understanding.said()


def has_words(typed: str) -> bool:
    """Whether ``typed`` holds a word in any script (a letter or a hanzi), not only digits, marks or emoji."""
    return any(ch.isalpha() for ch in typed)


def listen(engine: Engine, state: State, typed: str) -> Heard:
    """Recognise ``typed`` at the current node with the shipped model; raises ModelError without one.

    An answer without a word ("？！", "7", an emoji) is heard as nothing and matches nothing: the
    model also reads an answer's shape (a closing "?", a number), and on those marks alone it would
    hear a probe, a request for acceptance and more in what is no answer at all.
    """
    lang = state.language
    model = shipped(lang)
    if has_words(typed):
        confidences = model.confidences(typed)
        understood = understand(engine, state, typed, confidences, model.heard(confidences), load_catalog(),
                                model.idf_map, model.spec)
    else:
        understood = Understanding(Match(None, (), (), why=UNCLEAR), (), "", typed)
    lines = [HEARD[lang].format(ids=understood.line) if understood.line else NOTHING[lang]]
    option = None
    if understood.match.response is None:
        if understood.match.why == TOO_LONG:
            lines.append(TOO_LONG_LINE[lang])
        lines.append(ASK[lang])
    else:
        option = engine.options(state).index(understood.match.response)
    return Heard(option, tuple(lines), understood)


def _name(label: str, catalog: Catalog, lang: str) -> str:
    entry = catalog.techniques.get(label) or catalog.mistakes.get(label)
    return label if entry is None else entry.name.get(lang) or entry.name.get("en") or label


def scored_lines(review: TurnReview, lang: str, catalog: Catalog | None = None,
                 mistake_mark: str = "✗") -> tuple[str, ...]:
    """How a typed turn was scored, for the feedback under "I heard: …" (nothing for a chosen answer).

    ``review`` is the turn's :class:`TurnReview` (``scoring.score(...).turns[-1]`` after the move);
    ``mistake_mark`` goes before each mistake counted (the window passes one its font can draw).
    """
    if review.said is None:
        return ()
    catalog = catalog or load_catalog()
    sep = "、" if lang == "zh" else ", "
    counted = [_name(x, catalog, lang) for x in review.techniques]
    counted += [f"{mistake_mark} {_name(x, catalog, lang)}" for x in review.mistakes + review.auto_mistakes]
    if review.said.similarity >= ECHO_SIMILARITY:
        return (ECHO[lang],)
    lines = [SCORED[lang].format(counted=sep.join(counted) or COUNTED_NOTHING[lang])]
    if review.left_out:
        paren = ("（", "）") if lang == "zh" else (" (", ")")
        items = [f"{_name(x, catalog, lang)}{paren[0]}{WHY[why][lang]}{paren[1]}" for x, why in review.left_out]
        lines.append(LEFT_OUT[lang].format(items=sep.join(items)))
    return tuple(lines)
