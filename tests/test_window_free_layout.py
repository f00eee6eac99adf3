"""The call screen answered by typing passes the layout oracle (window_layout.py): the box, the Send
button, "Did you mean …?" and "I heard: …", in both languages, normal and classroom, 1024×768 to 4K."""

import dataclasses

import pygame
import pytest
from window_helpers import finish_line, key, make_app, open_scenario
from window_layout import problems
from window_typing import PATH, compose, type_answer

from simulator.core.text import pick

SIZES = [(1024, 768), (1920, 1080), (3840, 2160)]
CONFIGS = [(lang, classroom, size) for lang in ("en", "zh") for classroom in (False, True) for size in SIZES]
# a long answer that wraps over many lines, and nothing the recogniser can place
LONG = {"en": "I hear you, and I want to get this right for you. " * 7,
        "zh": "我明白您的意思，这件事我一定帮您处理好，您放心。" * 14}
VAGUE = {"en": "Hello there", "zh": "你好"}


def config_id(config):
    lang, classroom, (w, h) = config
    return f"{lang}-{'classroom' if classroom else 'normal'}-{w}x{h}"


def clear(app):
    """Empty the answer box with Backspace, as a trainee would."""
    box = next(s for s in reversed(app.stack) if s.name == "call").free.box
    for _ in range(len(box.text)):
        key(app, pygame.K_BACKSPACE)


def longest_answers(app, lang):
    """The scenario and node whose answers say the most: the most the answers and the box must share."""
    pairs = [(sum(len(pick(r.text, lang)) for r in node.responses), s.id, node_id)
             for s in app.scenarios if lang in s.languages for node_id, node in s.nodes.items() if node.responses]
    _, scenario_id, node_id = max(pairs)
    return scenario_id, node_id


def screens(app, lang):
    """The typed-answer states of the call screen: (name, app ready to draw)."""
    call = open_scenario(app)
    finish_line(app)
    yield "empty box"
    type_answer(app, lang, LONG[lang])
    compose(app, "zhong wen" if lang == "zh" else "and")
    yield "long answer, composing"
    compose(app, "")
    clear(app)
    type_answer(app, lang, VAGUE[lang])
    key(app, pygame.K_RETURN)
    yield "did you mean"
    clear(app)
    type_answer(app, lang, PATH[lang][0][2])
    key(app, pygame.K_RETURN)
    assert call.pending is not None
    yield "feedback: I heard"
    key(app, pygame.K_SPACE)
    finish_line(app)
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_PAUSE, mod=0, unicode=""))
    yield "paused"
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_PAUSE, mod=0, unicode=""))
    key(app, pygame.K_ESCAPE)
    yield "leave?"
    key(app, pygame.K_n)
    scenario_id, node_id = longest_answers(app, lang)
    app.settings.answer = "both"
    app.start_call(next(s for s in app.scenarios if s.id == scenario_id), fresh=True)
    app.call.state = dataclasses.replace(app.call.state, node=node_id)
    finish_line(app)
    type_answer(app, lang, LONG[lang])
    yield f"both: {scenario_id} {node_id} longest answers, long text"
    app.settings.answer = "free"
    clear(app)
    type_answer(app, lang, VAGUE[lang])
    key(app, pygame.K_RETURN)
    yield f"did you mean: {scenario_id} {node_id} longest answers"


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_the_typed_answer_screens_neither_overlap_nor_overflow(config, tmp_path, monkeypatch):
    lang, classroom, size = config
    app = make_app(tmp_path, monkeypatch, size=size, language=lang, classroom=classroom, answer="free")
    try:
        found = [f"{name}: {problem}" for name in screens(app, lang) for problem in problems(app)]
    finally:
        pygame.quit()
    assert not found, f"{len(found)} layout problems:\n" + "\n".join(found[:40])
