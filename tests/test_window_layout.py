"""No overlap, nothing outside its panel, every button labelled and readable: every screen,
both languages, normal and classroom, from 1024×768 to 4K, and classroom at the largest text
size at 1920×1080 (the oracle is window_layout.py)."""

import dataclasses

import pygame
import pytest
from window_helpers import finish_line, key, make_app
from window_layout import problems

from simulator.core.text import pick
from simulator.i18n import t
from simulator.window.theme import ZOOMS

SIZES = [(1024, 768), (1920, 1080), (3840, 2160)]
CONFIGS = [(lang, classroom, size, 1.0) for lang in ("en", "zh") for classroom in (False, True) for size in SIZES]
# the text-size key's largest step, as a room at the back of a hall would use it
CONFIGS += [(lang, True, (1920, 1080), max(ZOOMS)) for lang in ("en", "zh")]
# the calls with the longest answers and the longest debrief in the library
CALLS = ("rival-bulk-lines-dominant-boss", "vip-broken-promise-amiable")


def config_id(config):
    lang, classroom, (w, h), zoom = config
    return f"{lang}-{'classroom' if classroom else 'normal'}-{w}x{h}" + (f"-text{zoom:g}" if zoom != 1 else "")


def longest(app, lang, measure, count=2):
    """The ``count`` (scenario, node) pairs of the whole library with the largest ``measure(node, lang)``."""
    pairs = [(measure(node, lang), scenario.id, node_id) for scenario in app.scenarios
             for node_id, node in scenario.nodes.items() if node.responses]
    return [(sid, nid) for _, sid, nid in sorted(pairs, reverse=True)[:count]]


def answers_length(node, lang):
    """How much the answers of ``node`` say, in characters."""
    return sum(len(pick(response.text, lang)) for response in node.responses)


def feedback_length(node, lang):
    """How much the longest feedback (with its better line) of ``node`` says, in characters."""
    return max(len(pick(r.feedback, lang)) + len(pick(r.instead, lang) if r.instead else "")
               for r in node.responses)


def at_node(app, scenario_id, node_id):
    """Open ``scenario_id`` at ``node_id``, its line shown in full."""
    scenario = next(s for s in app.scenarios if s.id == scenario_id)
    app.start_call(scenario, fresh=True)
    app.call.state = dataclasses.replace(app.call.state, node=node_id)
    finish_line(app)
    return app.call


def screens(app):
    """Every screen and dialog, in representative states: (name, app ready to draw)."""
    app.start_name_entry()
    yield "name"
    key(app, pygame.K_ESCAPE)
    for index, scenario in enumerate(app.visible_scenarios()):
        app.picker.selected = index
        yield f"picker {scenario.id}"
    for scenario_id in CALLS:
        scenario = next(s for s in app.scenarios if s.id == scenario_id)
        app.start_call(scenario)
        finish_line(app)
        yield f"{scenario_id} call"
        key(app, pygame.K_p)
        yield f"{scenario_id} paused"
        key(app, pygame.K_p)
        key(app, pygame.K_ESCAPE)
        yield f"{scenario_id} leave?"
        key(app, pygame.K_n)
        turn = 0
        while app.screen == "call":
            finish_line(app)
            key(app, pygame.K_1)
            if turn < 2:
                yield f"{scenario_id} feedback {turn}"
            key(app, pygame.K_SPACE)
            turn += 1
        yield f"{scenario_id} end"
        key(app, pygame.K_t)
        yield f"{scenario_id} review 1"
        key(app, pygame.K_ESCAPE)
        key(app, pygame.K_r)
        yield f"{scenario_id} end revealed"
        yield from reviews(app, scenario_id)
        key(app, pygame.K_n)
    lang = app.settings.language
    for scenario_id, node_id in longest(app, lang, answers_length):  # the answers that need the most room
        call = at_node(app, scenario_id, node_id)
        yield f"{scenario_id} {node_id} longest answers"
        key(app, pygame.K_UP)  # the last answer selected: the answers scroll to show it
        yield f"{scenario_id} {node_id} last answer selected"
        key(app, pygame.K_p)
        yield f"{scenario_id} {node_id} longest answers paused"
        key(app, pygame.K_p)
    for scenario_id, node_id in longest(app, lang, feedback_length, 1):
        call = at_node(app, scenario_id, node_id)
        node = call.scenario.nodes[node_id]
        worst = max(range(len(node.responses)), key=lambda i: feedback_length(
            dataclasses.replace(node, responses=(node.responses[i],)), lang))
        number = next(c.number for c in call.engine.choices(call.state) if c.response == worst)
        key(app, pygame.K_1 + number - 1)
        yield f"{scenario_id} {node_id} longest feedback"
    app.start_call(scenario)
    error = (f"{scenario.path}:12:7: error RF001: 'next' names a node that does not exist: 'reasn' "
             "(the nodes are: opening, reason, offer, close)")
    app.show_errors([t("w.reload_failed", app.lang)] + [error] * 8)
    yield "errors"


def reviews(app, scenario_id):
    """The turn-by-turn review of the finished call: every turn, and the longest one scrolled to its end."""
    key(app, pygame.K_t)
    for number in range(len(app.call.state.history)):
        yield f"{scenario_id} review {number + 1}"
        if app.stack[-1].max_scroll:
            key(app, pygame.K_END)
            yield f"{scenario_id} review {number + 1} scrolled to the end"
        key(app, pygame.K_RIGHT)
    key(app, pygame.K_ESCAPE)


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_no_screen_overlaps_or_overflows(config, tmp_path, monkeypatch):
    lang, classroom, size, zoom = config
    app = make_app(tmp_path, monkeypatch, size=size, language=lang, classroom=classroom, text_size=zoom)
    try:
        found = [f"{name}: {problem}" for name in screens(app) for problem in problems(app)]
    finally:
        pygame.quit()
    assert not found, f"{len(found)} layout problems:\n" + "\n".join(found[:40])
