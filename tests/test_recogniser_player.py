"""What a player does with a typed answer (simulator.recogniser.player): an answer with no word in it."""

import pytest

from simulator.core.engine import Engine
from simulator.core.loader import load
from simulator.recogniser.player import ASK, NOTHING, has_words, listen
from simulator.scenarios import scenarios_dir


def opening(lang):
    engine = Engine(load(str(scenarios_dir() / "mobile-cancel-after-bill-shock.yaml")))
    return engine, engine.start(lang, shuffle=False)


@pytest.mark.parametrize(("lang", "typed"), [("en", "???"), ("en", "!?"), ("en", "9"), ("zh", "。。。！！？"),
                                             ("zh", "７"), ("zh", "？")])
def test_an_answer_without_a_word_is_heard_as_nothing_and_asks(lang, typed):
    engine, state = opening(lang)
    heard = listen(engine, state, typed)
    assert heard.option is None and heard.said is None
    assert heard.lines == (NOTHING[lang], ASK[lang]) and heard.understanding.heard == ()


@pytest.mark.parametrize("typed", ["OK?", "好的？", "Ça va", "ok 👍"])
def test_a_word_in_any_script_counts_as_words(typed):
    assert has_words(typed)


@pytest.mark.parametrize("typed", ["", "  ", "？！", "150", "😡😡", "…—"])
def test_digits_marks_and_emoji_alone_are_no_words(typed):
    assert not has_words(typed)
