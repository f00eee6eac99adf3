import io
import re

import pytest
from helpers import SCENARIOS, doc_example_text, load_example, load_shipped

from simulator.core import scoring
from simulator.core.engine import Said
from simulator.core.loader import load_text
from simulator.core.review import TurnReview
from simulator.core.scoring_free import UNSURE
from simulator.i18n import mood_word, t
from simulator.policies import auto_policy, script_policy
from simulator.recogniser.player import scored_lines
from simulator.storage import Store
from simulator.tui import Session, TerminalPlayer


def player(answers, feedback="now"):
    out = io.StringIO()
    queue = list(answers)

    def ask(prompt):
        out.write(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    ticks = iter(range(0, 10_000, 3))
    return TerminalPlayer(load_example(), out=out, ask=ask, clock=lambda: next(ticks), feedback=feedback), out


def numbers_for(player_, state, wanted):
    """The display number of the response written ``wanted``-th (0-based)."""
    return str(player_.engine.options(state).index(wanted) + 1)


def test_a_whole_interactive_call_ends_with_the_score_line():
    p, out = player([])
    state = p.engine.start("en", seed=0, shuffle=False)
    p.ask = lambda prompt: "1"
    final = p.play(state)
    assert final.ending == "kept"
    assert re.search(r"^Score: 95/100", out.getvalue(), re.M)


def test_feedback_now_names_techniques_after_each_answer():
    p, out = player(["1", "1", "1", "1"])
    p.play(p.engine.start("en", shuffle=False))
    text = out.getvalue()
    assert "✓ Techniques: Rapport, Open probe" in text
    assert "Why: Warm, uses his name" in text


def test_feedback_end_holds_everything_back_until_the_review():
    p, out = player(["1", "1", "1", "1"], feedback="end")
    p.play(p.engine.start("en", shuffle=False))
    text = out.getvalue()
    review_at = text.index("Turn by turn")
    assert "✓ Rapport, Open probe" in text[review_at:]
    assert "Techniques:" not in text[:review_at]


def test_a_mistake_shows_what_to_say_instead():
    p, out = player(["2", "2"])
    p.play(p.engine.start("en", shuffle=False))
    assert "✗ Mistakes: Premature offer" in out.getvalue()
    assert "Say instead: Ask what made him think of cancelling first." in out.getvalue()


def test_undo_takes_back_the_last_answer():
    p, out = player(["2", "u", "1", "1", "1", "1"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert "Undone." in out.getvalue()
    assert final.ending == "kept" and [t.response for t in final.history] == [0, 0, 0, 0]


def test_invalid_input_asks_again():
    p, out = player(["9", "abc", "1", "1", "1", "1"])
    p.play(p.engine.start("en", shuffle=False))
    assert out.getvalue().count("Please type a number from 1 to 2.") == 2


def test_quitting_keeps_the_session_for_resume(tmp_path):
    p, out = player(["1", "q"])
    store = Store(tmp_path / "s.db")
    state = p.engine.start("en", shuffle=False)
    sid = store.create("prepaid-cancel-example", "x.yaml", "", "en", None, {}, "t")
    final = p.play(state, session=Session(store, sid))
    assert final.turn == 1 and not final.over
    assert f"play --resume {sid}" in out.getvalue()
    assert store.get(sid).state["turn"] == 1


def test_end_of_input_quits_cleanly():
    p, _out = player(["1"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert final.turn == 1 and not final.over


def test_chinese_call_shows_chinese_text_and_the_score_line():
    p, out = player([])
    p.ask = lambda prompt: "1"
    p.play(p.engine.start("zh", shuffle=False))
    text = out.getvalue()
    assert "你好，我想把这个号注销了。" in text and "得分明细" in text
    assert re.search(r"^Score: 95/100（等级 A）", text, re.M)


def test_the_expert_path_is_shown_when_the_trainee_took_another():
    p, out = player(["2", "2"])
    p.play(p.engine.start("en", shuffle=False))
    assert "The expert path in this scenario scores 95/100" in out.getvalue()


def test_answer_times_come_from_the_shells_clock():
    p, _out = player(["1", "1", "1", "1"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert all(t.elapsed_ms == 3000 for t in final.history)


def test_a_superscript_digit_at_the_answer_prompt_asks_again_instead_of_crashing():
    p, out = player(["²", "1", "1", "1", "1"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert final.ending == "kept" and out.getvalue().count("Please type a number from 1 to 2.") == 1


def test_a_full_width_digit_answers_like_the_ascii_one():
    p, _out = player(["１", "１", "１", "１"])
    final = p.play(p.engine.start("en", shuffle=False))
    assert final.ending == "kept"


def test_control_characters_in_content_reach_the_terminal_inert():
    text = doc_example_text().replace('"Hi, I\'d like to cancel my number, please."',
                                      '"Hi,\\e[2J\\a I\'d like\\r to cancel \\u202Emy number."')
    out = io.StringIO()
    answers = iter(["1", "1", "1", "1"])
    scenario, diagnostics = load_text(text)
    assert {d.code for d in diagnostics} == {"TX001"}
    tp = TerminalPlayer(scenario, out=out, ask=lambda prompt: next(answers), color=True)
    tp.play(tp.engine.start("en", shuffle=False))
    shown = out.getvalue()
    assert "Hi,␛[2J␇ I'd like␍ to cancel \ufffdmy number." in shown
    assert not re.search("[\x07\r\u202e]|\x1b(?!\\[[0-9;]*m)", shown)  # only our own colour codes remain


def test_the_answer_clock_starts_when_the_options_are_shown_and_stops_at_the_answer():
    out = io.StringIO()
    readings = []  # what was on screen, and how many answers were taken, at each clock reading
    taken = []

    def ask(prompt):
        taken.append(prompt)
        return "1"

    def clock():
        readings.append((out.getvalue(), len(taken)))
        return 10.0 * len(readings)

    tp = TerminalPlayer(load_example(), out=out, ask=ask, clock=clock)
    final = tp.play(tp.engine.start("en", shuffle=False))
    first_start, first_stop = readings[0], readings[1]
    assert first_start[0].rstrip().endswith("2. Before you go, we have a half-price data pack this month!")
    assert first_start[1] == 0 and first_stop[1] == 1
    assert [t.elapsed_ms for t in final.history] == [10_000] * 4


def test_turns_answered_by_a_policy_have_no_answer_time():
    p, _out = player([])
    final = p.play(p.engine.start("en", shuffle=False), script_policy([1, 1, 1, 1]))
    assert final.over and [t.elapsed_ms for t in final.history] == [None] * 4


# -- an 80-column terminal ------------------------------------------------------------------------
def played_at(width, lang):
    from helpers import ROOT

    from simulator.core.loader import load

    out = io.StringIO()
    tp = TerminalPlayer(load(str(ROOT / "simulator" / "library" / "rival-cheaper-plan-business-owner.yaml")),
                        out=out, ask=lambda prompt: "1", width=width, feedback="end")
    tp.play(tp.engine.start(lang, shuffle=False))
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_line_of_a_call_fits_80_columns(lang):
    from simulator.core.text import NO_LINE_START, display_width

    lines = played_at(80, lang).splitlines()
    assert max(display_width(x) for x in lines) <= 80
    assert not any(x.lstrip()[:1] in NO_LINE_START for x in lines if not x.startswith("— "))  # bar the heading
    assert max(display_width(x) for x in played_at(None, lang).splitlines()) > 80  # a pipe gets whole lines


def test_a_wrapped_answer_hangs_under_its_text():
    lines = played_at(80, "zh").splitlines()
    first = next(i for i, x in enumerate(lines) if x.startswith("  1. "))
    assert lines[first + 1].startswith("     ") and not lines[first + 1].startswith("      ")


def test_the_score_table_lines_up_by_display_width_in_chinese():
    from simulator.core.text import display_width

    text = played_at(80, "zh")
    table = text[text.index("得分明细"):].splitlines()[1:]
    rows = [x for x in table if x.startswith("  ") and not x.startswith("    ") and " / " in x]
    assert len(rows) == 6 and len({display_width(x[:x.index(" / ")]) for x in rows}) == 1


def free_player(answers, feedback="now", answer="free"):
    scenario = load_shipped(next(p for p in SCENARIOS if p.stem == "mobile-cancel-after-bill-shock"))
    out = io.StringIO()
    queue = list(answers)

    def ask(prompt):
        out.write(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    ticks = iter(range(0, 10_000, 3))
    return TerminalPlayer(scenario, out=out, ask=ask, clock=lambda: next(ticks), feedback=feedback,
                          answer=answer), out


TYPED = "I can hear how frustrated you are, Mr Zhou. I'm on your side whatever you decide. Can you walk me " \
        "through what happened to the charges?"


def test_a_typed_answer_is_played_with_the_words_and_what_they_were_understood_as():
    p, out = free_player([TYPED])
    state = p.play(p.engine.start("en", shuffle=False))
    text = out.getvalue()
    assert f"You: {TYPED}" in text and "Understood as the written answer: That sounds maddening" in text
    assert state.history[0].said.text == TYPED and state.history[0].response == 1


def test_free_mode_feedback_names_what_it_heard_and_how_it_scored_the_words():
    p, out = free_player([TYPED])
    state = p.play(p.engine.start("en", shuffle=False))
    review = scoring.score(p.scenario, state).turns[0]
    heard = ", ".join(p.name("technique", x, "en") for x, _ in state.history[0].said.heard)
    counted = ", ".join(p.name("technique", x, "en") for x in review.techniques)
    text = out.getvalue()
    assert f"I heard: {heard}" in text and f"Scored from your words: {counted}\n" in text and counted


def test_typing_the_written_answer_says_it_was_scored_as_written():
    p, out = free_player(["That sounds maddening, Mr Zhou, and I'll help with whatever you decide. "
                          "What happened with the charges?"])
    p.play(p.engine.start("en", shuffle=False))
    assert "Your words are the written answer's own: scored as it is written." in out.getvalue()


def test_an_answer_picked_after_did_you_mean_is_a_choice_without_words():
    p, out = free_player(["I like trains.", "2"])
    state = p.play(p.engine.start("en", shuffle=False))
    assert "Did you mean one of these?" in out.getvalue()
    assert state.history[0].said is None and state.history[0].response == 1


def test_the_end_review_shows_the_typed_words_and_what_they_matched():
    p, out = free_player([TYPED], feedback="end")
    state = p.play(p.engine.start("en", shuffle=False))
    p.review(state, scoring.score(p.scenario, state))
    text = out.getvalue()
    assert f"   You: {TYPED}" in text and "   Understood as the written answer: That sounds maddening" in text


def test_control_characters_in_typed_words_reach_the_terminal_inert():
    p, out = free_player([TYPED + " \x1b[31mRED\x1b[0m\x07\u202eevil\r"])
    state = p.play(p.engine.start("en", shuffle=False))
    assert state.history[0].said is not None and "RED" in out.getvalue()
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", out.getvalue())


def test_free_mode_asks_for_words_and_offers_numbers_only_once_the_written_answers_show():
    p, out = free_player(["I like trains.", "2"])
    p.play(p.engine.start("en", shuffle=False))
    first, second = out.getvalue().split("Your answer")[1:3]
    assert first.startswith(", in your own words [u = undo") and second.startswith(": 1-4 or your own words")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_empty_typed_answer_asks_for_words_not_for_a_number(lang):
    p, out = free_player([""])
    p.play(p.engine.start(lang, shuffle=False))
    assert t("invalid.typed", lang) in out.getvalue() and t("invalid", lang, n=4) not in out.getvalue()


def test_help_in_free_mode_says_how_to_answer_in_your_own_words():
    p, out = free_player(["?"])
    p.play(p.engine.start("en", shuffle=False))
    assert "Type what you would say to the customer" in out.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_customers_mood_word_agrees_with_the_mood_number(lang):
    p, out = free_player([], answer="choice")
    p.play(p.engine.start(lang, shuffle=False), policy=auto_policy("best", p.scenario, None))
    head = r"^[^\n(（]+[(（]([^,，\n]+)[,，] ?" + t("mood", lang) + r" (\d+)[)）][:：]$"
    shown = re.findall(head, out.getvalue(), re.M)
    assert len(shown) > 3 and all(word == t("emotion." + mood_word(int(n)), lang) for word, n in shown)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_id_heard_but_too_unsure_to_count_is_not_said_to_be_unheard(lang):
    review = TurnReview(1, "opening", "open", 0, ("empathy",), (), (), 40, 50, None, 0.0, 1.0, None, True,
                        said=Said("…", (("empathy", 0.9), ("open_probe", 0.4))),
                        left_out=(("open_probe", UNSURE),))
    line = scored_lines(review, lang)[-1]
    assert line == {"en": "Not counted: Open probe (heard, but not sure enough)",
                    "zh": "未计分：初步探询（听到了，但把握不够）"}[lang]


def test_the_customers_line_is_headed_in_chinese_punctuation_in_chinese():
    p, out = free_player([], answer="choice")
    p.play(p.engine.start("zh", shuffle=False), policy=auto_policy("best", p.scenario, None))
    assert "周磊（平静，情绪 40）：\n" in out.getvalue()


def test_a_number_in_free_mode_plays_no_answer_the_trainee_has_not_seen():
    p, out = free_player(["2"])
    state = p.play(p.engine.start("en", shuffle=False))
    assert state.turn == 0 and "You:" not in out.getvalue()
    assert "Did you mean one of these?" in out.getvalue()  # the written answers show, to pick by number


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_number_out_of_range_beside_the_written_answers_asks_for_one_in_range(lang):
    p, out = free_player(["9"], answer="both")
    p.play(p.engine.start(lang, shuffle=False))
    assert t("invalid", lang, n=4) in out.getvalue() and t("prompt.both", lang, n=4) in out.getvalue()
    assert "I heard" not in out.getvalue() and "我听到" not in out.getvalue()


@pytest.mark.parametrize(("answer", "feedback", "options"), [("free", "now", " --answer free"),
                                                               ("both", "end", " --answer both --feedback end"),
                                                               ("choice", "now", "")])
def test_the_resume_command_said_on_quitting_keeps_the_answer_and_feedback_modes(tmp_path, answer, feedback, options):
    p, out = free_player(["q"], feedback=feedback, answer=answer)
    store = Store(tmp_path / "s.db")
    sid = store.create("mobile-cancel-after-bill-shock", "x.yaml", "", "en", None, {}, "t")
    p.play(p.engine.start("en", shuffle=False), session=Session(store, sid))
    assert f"Resume it with: python main.py play --resume {sid}{options}\n" in out.getvalue()


@pytest.mark.parametrize(("lang", "cost"), [("zh", "挽留成本：150元，"), ("en", "Cost of the save: CNY 150 = ")])
def test_the_cost_of_the_save_is_written_in_the_calls_currency_words(lang, cost):
    p, out = free_player([], answer="choice")
    p.play(p.engine.start(lang, shuffle=False), auto_policy("best", p.scenario, None))
    assert cost in out.getvalue() and "150CNY" not in out.getvalue()


def test_with_feedback_at_the_end_a_typed_answer_is_played_without_saying_what_was_heard():
    p, out = free_player([TYPED], feedback="end")
    state = p.play(p.engine.start("en", shuffle=False))
    assert state.history[0].said is not None and "You: " + TYPED in out.getvalue()
    assert "I heard" not in out.getvalue() and "Techniques:" not in out.getvalue()


class _Terminal:
    """stdin as a terminal: a pseudo-terminal whose other end the test types into."""

    def __init__(self, fd: int) -> None:
        self.fd, self.encoding = fd, "utf-8"

    def fileno(self) -> int:
        return self.fd


def test_a_pasted_answer_of_several_lines_is_one_answer(monkeypatch):
    import os
    import sys

    from simulator import answer_input as tui
    master, slave = os.openpty()
    try:
        monkeypatch.setattr(sys, "stdin", _Terminal(slave))
        monkeypatch.setattr("builtins.input", lambda prompt: "That sounds maddening.")
        os.write(master, "Which charge\n surprised you?\n话费是怎么回事？\n".encode())
        assert tui.read_answer("> ") == "That sounds maddening. Which charge surprised you? 话费是怎么回事？"
        monkeypatch.setattr("builtins.input", lambda prompt: "周先生，碰上这种账单谁都窝火。")
        os.write(master, "话费是怎么回事？\n".encode())
        assert tui.read_answer("> ") == "周先生，碰上这种账单谁都窝火。话费是怎么回事？"
        assert tui.read_answer("> ") == "周先生，碰上这种账单谁都窝火。"  # nothing waiting: the line alone
    finally:
        os.close(master)
        os.close(slave)


def test_an_answer_from_a_pipe_is_one_line_as_before(monkeypatch):
    import sys

    from simulator import answer_input as tui
    monkeypatch.setattr(sys, "stdin", io.StringIO("second\n"))  # no descriptor: nothing more is read
    monkeypatch.setattr("builtins.input", lambda prompt: "first")
    assert tui.read_answer("> ") == "first"


def test_without_a_usable_recogniser_the_call_says_why_and_goes_on_by_choosing(monkeypatch):
    from simulator.recogniser import player
    from simulator.recogniser.model import ModelError

    def broken(lang):
        raise ModelError("the meaning model x.npz cannot be read; rebuild it with 'make model'")

    monkeypatch.setattr(player, "shipped", broken)
    p, out = free_player([TYPED, "2"])
    state = p.play(p.engine.start("en", shuffle=False))
    text = out.getvalue()
    assert "Typed answers are off: the meaning model x.npz cannot be read" in text and "Traceback" not in text
    assert state.history[0].response == 1 and state.history[0].said is None  # the 2nd answer shown, chosen
